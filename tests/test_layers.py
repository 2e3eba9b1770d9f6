"""The layers that hold data and rules never import the UI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

def _modules_of(package: str) -> list[str]:
    """Every module of a package, found on disk: a new module is checked without being listed."""
    import importlib
    import pkgutil

    root = importlib.import_module(package)
    return [package] + [
        info.name for info in pkgutil.walk_packages(root.__path__, prefix=f"{package}.") if ".migrations" not in info.name
    ]


LAYERS = [
    *_modules_of("bouv_tui.domain"), *_modules_of("bouv_tui.store"), *_modules_of("bouv_tui.exchange"),
    *_modules_of("bouv_tui.services"), "bouv_tui.demo", "bouv_tui.config", "bouv_tui.writer", "bouv_tui.errors",
]  # fmt: skip


def test_the_layers_include_the_newer_modules():
    assert {"bouv_tui.domain.submission", "bouv_tui.exchange.exporters.xlsx_export", "bouv_tui.store.repo",
            "bouv_tui.store.basis", "bouv_tui.writer", "bouv_tui.services.submission",
            "bouv_tui.exchange.formats"} <= set(LAYERS)  # fmt: skip


@pytest.mark.parametrize("module", LAYERS)
def test_no_textual_below_the_ui(module):
    code = f"import sys, json, {module}; print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


def test_first_screen_read_path_stays_off_sqlalchemy():
    """What the first screen reads must not pull in SQLAlchemy or SQLModel (start-up time)."""
    code = (
        "import sys, json; import bouv_tui.store.read, bouv_tui.store.db, bouv_tui.domain.roster; "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlmodel', 'alembic'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


def test_the_import_contracts_are_kept():
    """import-linter's contracts in pyproject.toml (the layers of GUIDE.md, with what each may
    not import, type hints excepted) hold for the whole package."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command; sys.exit(lint_imports_command())"],
        capture_output=True, text=True, cwd=root,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 kept, 0 broken" in result.stdout


def test_every_test_file_is_in_one_layer_of_the_suite():
    """``pytest -m unit`` (and store, cli, ui, meta) runs a layer: a test file left out of
    conftest's LAYERS would run only in the whole suite, and one in two layers twice."""
    from pathlib import Path

    from conftest import LAYERS

    files = sorted(p.stem for p in Path(__file__).parent.glob("test_*.py"))
    listed = [module for modules in LAYERS.values() for module in modules]
    assert sorted(listed) == files

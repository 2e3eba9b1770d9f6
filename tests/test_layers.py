"""The layers that hold data and rules never import the UI."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

LAYERS = [
    "bouv_tui.domain.catalog", "bouv_tui.domain.roster", "bouv_tui.domain.settings",
    "bouv_tui.domain.staff_input", "bouv_tui.domain.validation",
    "bouv_tui.store.db", "bouv_tui.store.read", "bouv_tui.store.repo", "bouv_tui.store.models",
    "bouv_tui.exchange.staff_import", "bouv_tui.exchange.staff_export", "bouv_tui.exchange.tables",
    "bouv_tui.exchange.assessment_import", "bouv_tui.domain.assessment", "bouv_tui.domain.grid",
    "bouv_tui.domain.national", "bouv_tui.domain.dashboard",
    "bouv_tui.services", "bouv_tui.demo", "bouv_tui.config",
]  # fmt: skip


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

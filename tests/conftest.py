"""Shared fixtures: every test gets its own data and config folders and its own database."""

from __future__ import annotations

import json
import os
from datetime import date
from functools import cache
from pathlib import Path

import pytest

TODAY = date(2026, 11, 22)

#: The suite by layer: ``pytest -m unit`` runs the domain's and the files' tests in seconds
#: (what a mutation run targets), ``-m store``, ``-m cli``, ``-m ui`` (Textual: pilots and
#: snapshots), ``-m meta`` (the code's own rules). Every test file is in one layer
#: (``tests/test_layers.py`` checks it), so a new file cannot drop out of a layer's run.
LAYERS: dict[str, tuple[str, ...]] = {
    "unit": (
        "test_budget_domain", "test_budget_whatif", "test_budget_effect", "test_budget_properties", "test_grant_file",
        "test_finance_domain", "test_finance_export", "test_budget_input",
        "test_assessment_domain", "test_assessment_import", "test_assessment_import_limits", "test_config",
        "test_fmt", "test_grid", "test_plan_domain",
        "test_dashboard_rules", "test_national", "test_needs", "test_questionnaire", "test_roster_domain", "test_staff_import", "test_staff_input",
        "test_submission_domain", "test_submission_export", "test_staff_export", "test_atomic_files",
        "test_training_import", "test_sheet_xml", "test_expense_import",
    ),
    "store": (
        "test_plan_store", "test_plan_service",
        "test_assessment_store", "test_backups", "test_store", "test_store_conflicts", "test_store_open",
        "test_store_write", "test_dashboard_fast", "test_faults", "test_demo", "test_training_import_store",
        "test_demo_plan", "test_budget_store", "test_demo_budget",
    ),
    "cli": (
        "test_cli", "test_cli_assessments", "test_cli_import_warnings", "test_cli_submission",
        "test_export_formats", "test_sample_data", "test_plan_export", "test_cli_budget", "test_finance_golden",
    ),
    "ui": (
        "test_budget_screen", "test_assessment_screen", "test_assessment_search", "test_dialogs", "test_file_picker", "test_gc_freeze",
        "test_key_bar", "test_needs_screen", "test_plan_screen", "test_questionnaire_screen", "test_recovery", "test_roster_screen",
        "test_round_year", "test_snapshots", "test_submission_screen", "test_table", "test_tui_conflicts",
        "test_title_bar", "test_tui_errors", "test_tui_follow", "test_undo", "test_words",
    ),
    "meta": ("test_layers", "test_public_api", "test_packaging", "test_mutation_setup"),
}  # fmt: skip
LAYER_OF = {module: layer for layer, modules in LAYERS.items() for module in modules}


def pytest_collection_modifyitems(config, items):
    for item in items:
        layer = LAYER_OF.get(Path(str(item.fspath)).stem)
        if layer is not None:
            item.add_marker(getattr(pytest.mark, layer))
    if os.environ.get("MUTANT_UNDER_TEST", "stats") != "stats":
        # A mutation run (tools/mutation.py) stops at the first failing test: the quick ones
        # first, so a mutant a quick test catches never waits for a kill -9 test.
        durations = _mutmut_durations()
        items.sort(key=lambda item: durations.get(item.nodeid, 0.0))


@cache
def _mutmut_durations() -> dict[str, float]:
    """Each test's time in mutmut's stats run (mutants/mutmut-stats.json, the working folder)."""
    try:
        return json.loads(Path("mutmut-stats.json").read_text(encoding="utf-8"))["duration_by_test"]
    except (OSError, ValueError, KeyError):
        return {}


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path, monkeypatch):
    """Point platformdirs (XDG on Linux) at tmp_path: no test touches the user's real files."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "documents"))
    monkeypatch.delenv("BOUV_DB", raising=False)
    (tmp_path / "documents").mkdir()
    return tmp_path


@pytest.fixture
def demo_db(tmp_path) -> Path:
    """The 24-person demo municipality, as `bouv-tui demo` writes it."""
    from bouv_tui.demo import write_demo

    return write_demo(tmp_path / "demo.sqlite", staff=24, seed=1, today=TODAY)


def write_demo_without_plan(path: Path, monkeypatch) -> Path:
    """The 24-person demo without its training plan (the step that writes it left out; the
    other steps write the same): for tests whose trainings must be the only ones."""
    from bouv_tui import demo

    monkeypatch.setattr(demo, "STEPS", [s for s in demo.STEPS if s[0] != "plan"])
    return demo.write_demo(path, staff=24, seed=1, today=TODAY)


@pytest.fixture
def with_2027(demo_db):
    """The demo with a 2027 round started (levels copied from 2026), a need score and an answer."""
    from bouv_tui.domain.assessment import Round
    from bouv_tui.domain.needs import NeedChoice
    from bouv_tui.services import Workspace

    ws = Workspace(demo_db)
    r2026 = ws.round_for_year(2026)
    r2027 = ws.create_round(Round.for_year(2027), copy_from=r2026.id)
    ws.save_need_choices(r2027.id, [NeedChoice("handlaggare", "barns_utveckling", 4, "", 3)])
    ws.save_answers(r2027.id, {"fraga_15": {"svar": "nej"}})
    ws.close()
    return demo_db


@pytest.fixture
def empty_db(tmp_path) -> Path:
    from bouv_tui.store.db import open_database

    return open_database(tmp_path / "empty.sqlite")


@pytest.fixture
def db_path(tmp_path) -> Path:
    """Where a test's own database goes (not created yet)."""
    return tmp_path / "kommun.sqlite"


@pytest.fixture
def opened(db_path) -> Path:
    """A new, empty bouv-tui database."""
    from bouv_tui.store import db

    return db.open_database(db_path)


@pytest.fixture
def other(demo_db):
    """Another window or program on the demo database."""
    from bouv_tui.services import Workspace

    ws = Workspace(demo_db)
    yield ws
    ws.close()


@pytest.fixture
def no_follow_timers(monkeypatch):
    """The app's own look at the file (the warm-up, every 2 s) would read another window's
    change before the step under test: with this, only the test decides when a screen reads."""
    monkeypatch.setattr("bouv_tui.tui.app.WARM_UP_AFTER_S", 1000)
    monkeypatch.setattr("bouv_tui.tui.app.FOLLOW_EVERY_S", 0)


@pytest.fixture
def make_app():
    """Build the app on a database with a fixed clock."""
    from bouv_tui.config import Config, LoadedConfig
    from bouv_tui.services import Workspace
    from bouv_tui.tui.app import BouvApp

    def build(db: Path, *, demo: bool = True, config: Config | None = None, notices=(), start: str | None = None):
        loaded = LoadedConfig(config or Config(), list(notices), db.parent / "config.toml")
        return BouvApp(
            db, loaded_config=loaded, demo=demo, today=lambda: TODAY, workspace=Workspace.open(db), start=start
        )

    return build


async def settle(app, pilot) -> None:
    """Let the app's workers finish; a failed worker is the app's to report (its error
    dialog is what tests look for), so it is not re-raised here."""
    from textual.worker import WorkerFailed

    # A screen may start its worker only once it is shown (ScreenResume), after the first
    # pause, and a worker's result may start another. So: wait, pause, and look again until
    # no worker runs. (Our Table measures its columns as rows are added: nothing to wait for.)
    for _ in range(20):
        await pilot.pause()
        try:
            await app.workers.wait_for_complete()
        except WorkerFailed:
            pass
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            break


# --- what several pilot tests read or do --------------------------------------------------


def grid(app):
    """The assessment grid of the screen shown."""
    from bouv_tui.tui.widgets.table import Table

    return app.screen.query_one("#assessment-grid", Table)


def notices(app) -> str:
    """Every notice the app has shown, one a line."""
    return "\n".join(app.shown_notices)


async def edit_fte(app, pilot, fte: str) -> None:
    """In the roster: open the highlighted person, set the FTE and save (Ctrl+S)."""
    from textual.widgets import Input

    from bouv_tui.tui.dialogs.staff_form import StaffForm

    await pilot.press("e")
    await pilot.pause()
    assert isinstance(app.screen, StaffForm)
    app.screen.query_one("#field-fte", Input).value = fte
    await pilot.press("ctrl+s")
    await settle(app, pilot)

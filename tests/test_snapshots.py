"""Snapshot tests of the roster on the demo municipality (fixed seed, fixed clock).

Update after an intended change of the screen: ``pytest tests/test_snapshots.py --snapshot-update``,
then look at the report before committing.
"""

from __future__ import annotations

import pytest

SIZE = (140, 45)


async def loaded(pilot) -> None:
    """Wait for the worker that reads the whole roster after the first frame."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


@pytest.fixture
def demo_app(demo_db, make_app):
    return make_app(demo_db, start="roster")


def test_roster(demo_app, snap_compare):
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=loaded)


def test_roster_unqualified_and_left(demo_app, snap_compare):
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=loaded, press=["h", "s", "s", "v"])


def test_staff_form_edit(demo_app, snap_compare):
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=loaded, press=["down", "down", "e"])


def test_staff_form_errors(demo_app, snap_compare):
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=loaded, press=["a", "ctrl+s"])


def test_help(demo_app, snap_compare):
    assert snap_compare(demo_app, terminal_size=SIZE, run_before=loaded, press=["f1"])


def test_dashboard(demo_db, make_app, snap_compare):
    assert snap_compare(make_app(demo_db), terminal_size=SIZE, run_before=loaded)


def test_assessment_grid(demo_db, make_app, snap_compare):
    assert snap_compare(make_app(demo_db, start="assessment"), terminal_size=SIZE, run_before=loaded)


def test_assessment_grid_team_leaders_only_unassessed(demo_db, make_app, snap_compare):
    async def team_leaders(pilot):
        await loaded(pilot)
        pilot.app.screen.query_one("#assessment-role").value = "arbetsledare"
        await pilot.pause()

    app = make_app(demo_db, start="assessment")
    assert snap_compare(app, terminal_size=SIZE, run_before=team_leaders, press=["right", "right"])


def test_round_comparison(demo_db, make_app, snap_compare):
    assert snap_compare(make_app(demo_db, start="assessment"), terminal_size=SIZE, run_before=loaded, press=["j"])


# --- every section at 80×24 (issue 11): the columns that matter first, nothing out of reach ---

SMALL = (80, 24)


@pytest.mark.parametrize("section", ["start", "roster", "assessment", "needs", "questionnaire", "submission"])
def test_section_at_80x24(section, demo_db, make_app, snap_compare):
    assert snap_compare(make_app(demo_db, start=section), terminal_size=SMALL, run_before=loaded)


def test_dashboard_at_80x24_scrolls_to_the_next_steps(demo_db, make_app, snap_compare):
    assert snap_compare(make_app(demo_db), terminal_size=SMALL, run_before=loaded, press=["end"])

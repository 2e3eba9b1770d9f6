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


@pytest.mark.parametrize("section", ["start", "roster", "assessment", "needs", "questionnaire", "submission", "plan", "budget"])
def test_section_at_80x24(section, demo_db, make_app, snap_compare):
    assert snap_compare(make_app(demo_db, start=section), terminal_size=SMALL, run_before=loaded)


def test_dashboard_at_80x24_scrolls_to_the_next_steps(demo_db, make_app, snap_compare):
    assert snap_compare(make_app(demo_db), terminal_size=SMALL, run_before=loaded, press=["end"])


# --- at 80×24 every column the section shows is wholly on screen (beyond the snapshots) ---


def _columns_fit(table) -> tuple[list[str], bool]:
    """The table's column labels, and whether all of them end inside its visible width."""
    from bouv_tui.tui.widgets.table import Table

    if isinstance(table, Table):
        labels = [column.label.plain.strip() for column in table.columns]
        return labels, table.total_width <= table.scrollable_content_region.width
    labels = [str(column.label).strip() for column in table.ordered_columns]
    used = sum(column.get_render_width(table) for column in table.ordered_columns)
    return labels, used <= table.scrollable_content_region.width


@pytest.mark.parametrize("size", [SMALL, (120, 40), (160, 48)])
async def test_roster_columns_that_matter_fit(size, demo_db, make_app):
    from bouv_tui.tui.widgets.table import Table

    app = make_app(demo_db, start="roster")
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        table = app.screen.query_one("#roster-table", Table)
        labels, fit = _columns_fit(table)
        assert fit, labels
        # Qualification, unit and FTE come right after the name and role, at any width.
        assert labels[:5] in (["Namn ▲", "Roll", "Behör.", "Enhet", "Syss."],
                              ["Namn ▲", "Roll", "Behörighet", "Enhet", "Syss.grad"])  # fmt: skip
        if size == SMALL:
            assert "Erf." in labels and "Anst." in labels
            row = [cell.plain for cell in table.get_row_at(0)]
            assert row[1] == "Handl." and row[-1] == "Tillsv."
        else:  # every column; in full at 160
            assert len(labels) == 9
            if size == (160, 48):
                assert "Anställningsform" in labels and "Anställd från" in labels


async def test_roster_shows_every_column_again_when_widened(demo_db, make_app):
    from bouv_tui.tui.widgets.table import Table

    app = make_app(demo_db, start="roster")
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot)
        table = app.screen.query_one("#roster-table", Table)
        assert len(table.columns) < 9
        await pilot.resize_terminal(160, 48)
        await loaded(pilot)
        table = app.screen.query_one("#roster-table", Table)
        labels, fit = _columns_fit(table)
        assert fit and "Socionomexamen" in labels and len(labels) == 9


@pytest.mark.parametrize("role", [None, "handlaggare", "arbetsledare"])
async def test_assessment_grid_has_every_area_on_screen_at_80x24(role, demo_db, make_app):
    from bouv_tui.domain import catalog

    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot)
        if role is not None:
            app.screen.query_one("#assessment-role").value = role
            await loaded(pilot)
        grid = app.screen.query_one("#assessment-grid")
        labels, fit = _columns_fit(grid)
        assert fit, labels
        areas = catalog.CASEWORKER_AREAS if role == "handlaggare" else catalog.AREAS
        assert len(labels) == 2 + len(areas) + 1 and labels[-1] == "Klart"
        # The panel under the grid: one line a part, none wider than the panel.
        panel = app.screen.query_one("#area-panel")
        lines = str(panel.render()).splitlines()
        assert lines[0].startswith("Barns och ungas utveckling och behov")
        assert len(lines) <= panel.content_region.height
        assert all(len(line) <= panel.content_region.width for line in lines), lines
        assert lines[-1].endswith("…")  # the description, cut where the panel ends


async def test_needs_reason_column_is_on_screen_at_80x24(demo_db, make_app):
    from bouv_tui.tui.widgets.table import Table

    app = make_app(demo_db, start="needs")
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot)
        table = app.screen.query_one("#needs-table", Table)
        labels, fit = _columns_fit(table)
        assert fit, labels
        assert labels == ["Område", "Förs.", "Behov", "Status", "Varför"]
        why = table.get_row_at(0)[labels.index("Varför")].plain
        assert "saknar" in why and "fördj." in why
        assert len(why.strip()) < table.column_width(len(table.columns) - 1)
        # The country's spread, which has no column at this width, is in the panel.
        assert "Riket 2013" in str(app.screen.query_one("#needs-detail").render())


async def test_needs_has_the_country_column_at_120x40(demo_db, make_app):
    from bouv_tui.tui.widgets.table import Table

    app = make_app(demo_db, start="needs")
    async with app.run_test(size=(120, 40)) as pilot:
        await loaded(pilot)
        labels, fit = _columns_fit(app.screen.query_one("#needs-table", Table))
        assert fit and labels[-2:] == ["Varför", "Riket 2013"]


@pytest.mark.parametrize("size", [SMALL, (120, 40)])
async def test_submission_columns_fit(size, demo_db, make_app):
    from bouv_tui.tui.widgets.table import Table

    app = make_app(demo_db, start="submission")
    async with app.run_test(size=size) as pilot:
        await loaded(pilot)
        q1 = app.screen.query_one("#sub-q1", Table)
        labels, fit = _columns_fit(q1)
        assert fit and labels[-1] == "Ej bed.", labels
        labels, fit = _columns_fit(app.screen.query_one("#sub-answers", Table))
        assert fit and labels[-1] == "Svar", labels


async def test_questionnaire_contact_breaks_between_fields_not_inside_them(demo_db, make_app):
    from dataclasses import replace

    from bouv_tui.store.read import read_settings

    app = make_app(demo_db, start="questionnaire")
    async with app.run_test(size=SMALL) as pilot:
        await loaded(pilot)
        box = app.screen.query_one("#q-contact-text")
        lines = str(box.render()).splitlines()
        assert lines == ["Kommun: Exempelby kommun   Uppgiftslämnare: Demo Demosson",
                         "E-post: demo@exempelby.example   Telefon: 010-000 00 00"]  # fmt: skip
        long = replace(read_settings(demo_db), contact_name="Anna-Karin Johansson-Lindqvist Berglund")
        app.screen._show_contact(long)
        await pilot.pause()
        lines = str(box.render()).splitlines()
        assert lines[:2] == ["Kommun: Exempelby kommun", "Uppgiftslämnare: Anna-Karin Johansson-Lindqvist Berglund"]
        assert all(len(line) <= box.content_region.width for line in lines), (lines, box.content_region.width)

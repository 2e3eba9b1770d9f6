"""Views follow the file: another window changes the data, the app's look at the file (what its
timer calls, ``check_for_changes``) finds it, and the screen shown reads again, cursor kept."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import Input

from bouv_tui.domain.assessment import Assessment
from bouv_tui.domain.needs import NeedChoice
from bouv_tui.store.read import read_settings

from conftest import TODAY, settle

SIZE = (140, 45)


pytestmark = pytest.mark.usefixtures("no_follow_timers")


async def look(app, pilot) -> None:
    """What the timer does every two seconds."""
    app.check_for_changes()
    await settle(app, pilot)


async def test_the_roster_shows_a_unit_changed_elsewhere_and_keeps_the_cursor(demo_db, make_app, other):
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await look(app, pilot)  # the first look starts watching
        from bouv_tui.tui.widgets.table import Table

        table = app.screen.query_one("#roster-table", Table)
        table.move_cursor(row=3)
        person = app.screen.current()
        other.save_person(replace(person, unit="Familjehem Syd", name="Ö " + person.name), shown=person)
        await look(app, pilot)
        # Renamed to sort last: the cursor follows the person, not the row number.
        assert app.screen.current().id == person.id
        assert str(table.get_row_at(table.cursor_row)[table.get_column_index("unit")]) == "Familjehem Syd"


async def test_the_grid_shows_a_level_set_elsewhere_and_keeps_the_cell(demo_db, make_app, other):
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await look(app, pilot)
        screen = app.screen
        from bouv_tui.tui.widgets.table import Table

        grid = screen.query_one("#assessment-grid", Table)
        grid.move_cursor(row=2, column=4)
        await pilot.pause()
        person, area = screen.current_person(), screen.current_area()
        round_id = screen.grid.round.id
        other.save_levels(round_id, [Assessment(person.id, area, "saknar", round_id, TODAY)])
        await look(app, pilot)
        assert (screen.current_person().id, screen.current_area()) == (person.id, area)
        assert str(grid.get_cell_at(grid.cursor_coordinate)) == "S"


async def test_needs_show_a_score_set_elsewhere_on_the_same_row(demo_db, make_app, other):
    app = make_app(demo_db, start="needs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await look(app, pilot)
        screen = app.screen
        from bouv_tui.tui.widgets.table import Table

        table = screen.query_one("#needs-table", Table)
        table.move_cursor(row=2)
        await pilot.pause()
        row = screen.current_row()
        other.save_need_choices(screen.round.id, [NeedChoice(row.group, row.area, 5, "Nya riktlinjer", None)])
        await look(app, pilot)
        assert screen.current_key() == row.area
        assert screen.current_row().choice.score == 5


async def test_the_questionnaire_shows_an_answer_given_elsewhere(demo_db, make_app, other):
    app = make_app(demo_db, start="questionnaire")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await look(app, pilot)
        screen = app.screen
        focused = app.focused
        round_id = screen.round.id
        answers = other.answers(round_id)
        other.save_answers(round_id, {"fraga_10": {**answers["fraga_10"], "annan_text": "Skrivet i ett annat fönster"}})
        text = screen.query_one("#fraga_10--text", Input)
        assert text.value != "Skrivet i ett annat fönster"
        await look(app, pilot)
        assert text.value == "Skrivet i ett annat fönster"
        assert app.focused is focused


async def test_the_submission_shows_a_phone_changed_elsewhere(demo_db, make_app, other):
    app = make_app(demo_db, start="submission")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await look(app, pilot)
        from bouv_tui.tui.widgets.table import Table

        table = app.screen.query_one("#sub-answers", Table)
        table.move_cursor(row=5)
        key = table.cursor_row_key
        before = read_settings(demo_db)
        other.save_settings(replace(before, phone="08-555 55 55"), shown=before)
        await look(app, pilot)
        assert "08-555 55 55" in str(app.screen.query_one("#sub-contact").render())
        assert table.cursor_row_key == key


async def test_the_start_screen_shows_a_contact_changed_elsewhere(demo_db, make_app, other):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await look(app, pilot)
        before = read_settings(demo_db)
        other.save_settings(replace(before, contact_name="Kim Annanstans"), shown=before)
        await look(app, pilot)
        assert "Kim Annanstans" in str(app.screen.query_one("#dash-kommun").render())


async def test_a_hidden_screen_reads_again_when_shown(demo_db, make_app, other):
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await look(app, pilot)
        grid_screen = app.screen
        await pilot.press("f3")
        await settle(app, pilot)
        person = next(p for p in grid_screen.grid.people)
        other.save_person(replace(person, name="Bo Bytt Namn"), shown=person)
        await look(app, pilot)  # seen while the roster is shown
        await pilot.press("f4")
        await settle(app, pilot)
        assert app.screen is grid_screen
        assert "Bo Bytt Namn" in {p.name for p in grid_screen.grid.people}


async def test_the_start_screen_shows_the_settings_just_saved_in_the_first_run_dialog(empty_db, make_app):
    from textual.widgets import Select

    from bouv_tui.tui.screens.dashboard import DashboardScreen
    from bouv_tui.tui.dialogs.settings_form import SettingsForm

    app = make_app(empty_db, demo=False)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, SettingsForm)
        app.screen.query_one("#field-kommunkod", Select).value = "0180"
        app.screen.query_one("#field-contact_name", Input).value = "Kim Kontakt"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        text = str(app.screen.query_one("#dash-kommun").render())
        assert "Stockholm" in text and "Kim Kontakt" in text


async def test_the_budget_shows_an_expense_paid_elsewhere(demo_db, make_app, other):
    from bouv_tui.domain import budget as b
    from bouv_tui.domain.budget import Expense

    app = make_app(demo_db, start="budget")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await look(app, pilot)
        screen = app.screen
        grant = screen.view_data.sources[0]
        left = screen.derived()[1][0].left
        other.save_expense(Expense(TODAY, 1_234, "resor", grant.id, b.PAID, voucher="ANNAN-1"))
        await look(app, pilot)
        assert screen.derived()[1][0].left == left - 1_234
        assert any(e.voucher == "ANNAN-1" for e in screen.view_data.expenses)

"""No silent overwrite: a save of something another window changed shows both values and asks.

A second ``Workspace`` on the same file stands for the other window or program.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.coordinate import Coordinate
from textual.widgets import Input

from bouv_tui.domain.assessment import Assessment
from bouv_tui.store.read import read_assessments, read_staff
from bouv_tui.tui.screens.assessment import FIXED, AssessmentScreen
from bouv_tui.tui.screens.roster import RosterScreen
from bouv_tui.tui.dialogs.conflict import ConflictDialog, StaleImportDialog
from bouv_tui.tui.dialogs.exchange import ImportPreview

from conftest import TODAY, edit_fte, notices, settle

SIZE = (140, 45)


pytestmark = pytest.mark.usefixtures("no_follow_timers")


def conflict_rows(app) -> list[tuple[str, ...]]:
    from bouv_tui.tui.widgets.table import Table

    table = app.screen.query_one("#conflict-changes", Table)
    return [tuple(str(c) for c in table.get_row_at(i)) for i in range(table.row_count)]


async def test_a_roster_edit_of_a_person_changed_elsewhere_shows_both_units_and_asks(demo_db, make_app, other):
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        person = app.screen.current()
        # The other window moves the person to another unit after the roster was read.
        other.save_person(replace(person, unit="Familjehem Syd"), shown=person)
        await edit_fte(app, pilot, "60")
        assert isinstance(app.screen, ConflictDialog)
        rows = conflict_rows(app)
        assert ("Enhet", person.unit, "Familjehem Syd", person.unit) in rows
        assert next(p for p in read_staff(demo_db) if p.id == person.id).fte == person.fte  # nothing saved yet
        await pilot.click("#conflict-mine")
        await settle(app, pilot)
        assert isinstance(app.screen, RosterScreen)
        # Which unit is stored now is said, not left to guess.
        assert f"Enhet: {person.unit} (i stället för Familjehem Syd)" in notices(app)
    stored = next(p for p in read_staff(demo_db) if p.id == person.id)
    assert (stored.fte, stored.unit) == (60, person.unit)


async def test_keeping_the_stored_person_drops_the_edit_and_shows_the_other_unit(demo_db, make_app, other):
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        from bouv_tui.tui.widgets.table import Table

        table = app.screen.query_one("#roster-table", Table)
        table.move_cursor(row=2)
        person = app.screen.current()
        other.save_person(replace(person, unit="Familjehem Syd"), shown=person)
        await edit_fte(app, pilot, "60")
        assert isinstance(app.screen, ConflictDialog)
        await pilot.click("#conflict-keep")
        await settle(app, pilot)
        assert isinstance(app.screen, RosterScreen)
        assert app.screen.current().id == person.id  # the cursor stays on the person
        assert str(table.get_row_at(table.cursor_row)[table.get_column_index("unit")]) == "Familjehem Syd"
        # A new edit now starts from what is stored, and saves without asking.
        await edit_fte(app, pilot, "50")
        assert isinstance(app.screen, RosterScreen)
    stored = next(p for p in read_staff(demo_db) if p.id == person.id)
    assert (stored.fte, stored.unit) == (50, "Familjehem Syd")


async def test_a_person_removed_elsewhere_is_said_with_only_ok(demo_db, make_app, other):
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        person = app.screen.current()
        other.delete_person(person)
        await edit_fte(app, pilot, "60")
        assert isinstance(app.screen, ConflictDialog)
        assert "tagits bort" in str(app.screen.query_one("#conflict-message").render())
        assert not app.screen.query("#conflict-mine")
        await pilot.click("#conflict-ok")
        await settle(app, pilot)
        assert person.id not in {p.id for p in app.screen.staff}
    assert person.id not in {p.id for p in read_staff(demo_db)}


async def test_g_on_a_cell_set_elsewhere_shows_the_conflict_instead_of_overwriting(demo_db, make_app, other):
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AssessmentScreen)
        person, area = screen.current_person(), screen.current_area()
        round_id = screen.grid.round.id
        # An import or another window sets the level of that very cell.
        other.save_levels(round_id, [Assessment(person.id, area, "fordjupad", round_id, TODAY)])
        await pilot.press("g")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictDialog)
        (label, _shown, stored_now, mine), = conflict_rows(app)
        assert person.name in label and stored_now.startswith("Fördjupad") and mine.startswith("Grundläggande")
        level = {(a.staff_id, a.area): a.level for a in read_assessments(demo_db, round_id)}
        assert level[(person.id, area)] == "fordjupad"  # not overwritten
        await pilot.click("#conflict-keep")
        await settle(app, pilot)
        from bouv_tui.tui.widgets.table import Table

        grid = screen.query_one("#assessment-grid", Table)
        assert screen.current_person().id == person.id  # the cursor stays on the person
        cell = Coordinate(grid.cursor_row, len(FIXED) + screen._areas().index(area))
        assert str(grid.get_cell_at(cell)) == "F"
        # The same key again, now on what is stored: saved without asking.
        grid.cursor_coordinate = cell
        await pilot.press("g")
        await settle(app, pilot)
        assert isinstance(app.screen, AssessmentScreen)
    level = {(a.staff_id, a.area): a.level for a in read_assessments(demo_db, round_id)}
    assert level[(person.id, area)] == "grundlaggande"


async def test_spara_mitt_in_the_grid_overwrites_after_asking(demo_db, make_app, other):
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        person, area = screen.current_person(), screen.current_area()
        round_id = screen.grid.round.id
        other.save_levels(round_id, [Assessment(person.id, area, "fordjupad", round_id, TODAY)])
        await pilot.press("s")
        await settle(app, pilot)
        await pilot.click("#conflict-mine")
        await settle(app, pilot)
        assert isinstance(app.screen, AssessmentScreen)
    level = {(a.staff_id, a.area): a.level for a in read_assessments(demo_db, round_id)}
    assert level[(person.id, area)] == "saknar"


async def test_the_grid_keeps_its_own_changes_of_one_cell_apart_from_others(demo_db, make_app):
    """Changing one cell several times in a row is not taken for someone else's change."""
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        from bouv_tui.tui.widgets.table import Table

        grid = screen.query_one("#assessment-grid", Table)
        person, area = screen.current_person(), screen.current_area()
        start = grid.cursor_coordinate
        for key in ("g", "f", "x", "s", "c"):
            grid.cursor_coordinate = start
            await pilot.press(key)
        await settle(app, pilot)
        assert isinstance(app.screen, AssessmentScreen)  # no conflict, no error
        round_id = screen.grid.round.id
        stored = {(a.staff_id, a.area): a for a in read_assessments(demo_db, round_id)}
        assert stored[(person.id, area)].level == "saknar"
        for cell, shown in screen.grid.cells.items():
            if cell[0] == person.id:
                assert shown.version == stored[cell].version, cell


async def test_an_import_planned_before_the_roster_changed_is_refused_and_read_again(demo_db, make_app, other, tmp_path):
    source = tmp_path / "personal.csv"
    source.write_text("namn;roll;enhet\nAda Import;handläggare;Mottagning\n", encoding="utf-8")
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*str(source), "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ImportPreview)
        person = read_staff(demo_db)[0]
        other.save_person(replace(person, unit="Familjehem Syd"), shown=person)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, StaleImportDialog)
        assert "kör importen igen" in str(app.screen.query_one("#stale-message").render())
        assert "Ada Import" not in {p.name for p in read_staff(demo_db)}
        await pilot.click("#stale-reread")
        await settle(app, pilot)
        assert isinstance(app.screen, ImportPreview)  # a new preview, planned against what is stored
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, RosterScreen)
    assert "Ada Import" in {p.name for p in read_staff(demo_db)}


async def test_settings_changed_elsewhere_are_shown_before_saving_over_them(demo_db, make_app, other):
    from bouv_tui.domain.settings import municipalities
    from bouv_tui.store.read import read_settings
    from bouv_tui.tui.dialogs.settings_form import SettingsForm

    app = make_app(demo_db, start="questionnaire")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, SettingsForm)
        before = read_settings(demo_db)
        other.save_settings(replace(before, phone="08-999 99 99"), shown=before)
        app.screen.query_one("#field-kommunkod").value = municipalities()[0].code
        app.screen.query_one("#field-email", Input).value = "ny@kommun.se"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictDialog)
        assert ("Telefon", before.phone, "08-999 99 99", before.phone) in conflict_rows(app)
        await pilot.click("#conflict-keep")
        await settle(app, pilot)
        assert "08-999 99 99" in str(app.screen.query_one("#q-contact-text").render())
    assert read_settings(demo_db).email == before.email

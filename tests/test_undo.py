"""Ctrl+Z takes back the latest changes of this run, in the roster and the assessment grid,
through the same version-checked saves: what is stored afterwards is what was there before,
and a colleague's later change is not overwritten without asking."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.widgets import Input

from bouv_tui.store.read import read_assessments, read_rounds, read_staff
from bouv_tui.tui.screens.assessment import FIXED, AssessmentScreen
from bouv_tui.tui.dialogs.conflict import ConflictDialog
from bouv_tui.tui.dialogs.staff_form import StaffForm

from conftest import edit_fte, grid, notices, settle

SIZE = (140, 45)
#: What a person is, whatever their id and version.
DATA = ("name", "role", "personal_id", "unit", "employed_from", "employed_until", "fte", "social_work_degree")


pytestmark = pytest.mark.usefixtures("no_follow_timers")


def data(person) -> tuple:
    return tuple(getattr(person, f) for f in DATA)


def levels(db, year: int = 2026) -> dict:
    round_ = next(r for r in read_rounds(db) if r.year == year)
    return {(a.staff_id, a.area): (a.level, a.carried_over) for a in read_assessments(db, round_.id)}


# --- roster ------------------------------------------------------------------------------


async def test_nothing_to_undo_says_so(demo_db, make_app):
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        before = [data(p) for p in read_staff(demo_db)]
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert "Inget att ångra" in notices(app)
    assert [data(p) for p in read_staff(demo_db)] == before


async def test_undo_an_edit_then_an_add_in_the_roster(demo_db, make_app):
    app = make_app(demo_db, start="roster")
    first = None
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = app.screen.current()
        await edit_fte(app, pilot, "40")
        await edit_fte(app, pilot, "30")  # two edits of one person: both come undone in turn
        assert next(p for p in read_staff(demo_db) if p.id == first.id).fte == 30
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, StaffForm)
        await pilot.press("enter", "down", "enter")
        form.query_one("#field-name", Input).value = "Tova Nyansson"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert "Tova Nyansson" in {p.name for p in read_staff(demo_db)}

        await pilot.press("ctrl+z")  # the add
        await settle(app, pilot)
        assert "Tova Nyansson" not in {p.name for p in read_staff(demo_db)}
        assert "Ångrat: Tova Nyansson" in notices(app)
        await pilot.press("ctrl+z")  # the second edit
        await settle(app, pilot)
        assert next(p for p in read_staff(demo_db) if p.id == first.id).fte == 40
        await pilot.press("ctrl+z")  # the first edit
        await settle(app, pilot)
        assert not isinstance(app.screen, ConflictDialog)
        assert f"Ångrat: ändringarna för {first.name}" in notices(app)
    assert data(next(p for p in read_staff(demo_db) if p.id == first.id)) == data(first)


async def test_undo_a_delete_adds_the_person_back_and_names_the_backup(demo_db, make_app):
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        victim = app.screen.current()
        await pilot.press("delete")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await settle(app, pilot)
        assert victim.id not in {p.id for p in read_staff(demo_db)}
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        back = [p for p in read_staff(demo_db) if p.name == victim.name]
        assert len(back) == 1 and data(back[0]) == data(victim)
        assert "Nivåerna finns i säkerhetskopian från" in notices(app)
        assert app.screen.current().id == back[0].id  # the cursor is on them


async def test_undo_of_an_edit_a_colleague_changed_since_asks(demo_db, make_app, other):
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = app.screen.current()
        await edit_fte(app, pilot, "40")
        mine = next(p for p in read_staff(demo_db) if p.id == first.id)
        other.save_person(replace(mine, unit="Kollegans enhet"), shown=mine)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictDialog)
        # nothing was written before the user chose
        stored = next(p for p in read_staff(demo_db) if p.id == first.id)
        assert (stored.unit, stored.fte) == ("Kollegans enhet", 40)


# --- assessment grid ------------------------------------------------------------------------


async def test_undo_set_and_clear_in_the_grid_restores_the_cells(demo_db, make_app):
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AssessmentScreen)
        person, area = screen.current_person(), screen.current_area()
        before = levels(demo_db)
        await pilot.press("s", "left", "f", "left", "x")  # three changes of one cell
        await settle(app, pilot)
        assert (person.id, area) not in levels(demo_db)
        await pilot.press("ctrl+z")  # the clear
        await settle(app, pilot)
        assert levels(demo_db)[(person.id, area)] == ("fordjupad", False)
        assert "Ångrat: Töm" in notices(app)
        await pilot.press("ctrl+z", "ctrl+z")  # f, then s
        await settle(app, pilot)
        assert levels(demo_db) == before
        assert screen.grid.level(person.id, area) is None or (person.id, area) in before
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert "Inget att ångra" in notices(app)
        assert levels(demo_db) == before


async def test_undo_a_confirmation_marks_the_levels_carried_over_again(demo_db, make_app):
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        carried = next(p for p in screen.shown if screen.grid.progress(p.id).carried_over)
        grid(app).move_cursor(row=screen.shown.index(carried), column=len(FIXED))
        before = levels(demo_db)
        await pilot.press("c")
        await settle(app, pilot)
        assert not any(c for (s, _a), (_lv, c) in levels(demo_db).items() if s == carried.id)
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert levels(demo_db) == before
        assert screen.grid.progress(carried.id).carried_over > 0


async def test_undo_of_a_cell_a_colleague_changed_since_asks(demo_db, make_app, other):
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        person, area = screen.current_person(), screen.current_area()
        await pilot.press("s")
        await settle(app, pilot)
        round_id = screen.grid.round.id
        mine = next(a for a in read_assessments(demo_db, round_id) if (a.staff_id, a.area) == (person.id, area))
        other.save_levels(round_id, [mine._replace(level="grundlaggande")], expected={(person.id, area): mine})
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictDialog)
        assert levels(demo_db)[(person.id, area)] == ("grundlaggande", False)

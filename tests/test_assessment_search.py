"""Pilot tests: / in the assessment grid searches people by name, like the roster's filter."""

from __future__ import annotations

from textual.widgets import Input

from bouv_tui.store.read import read_rounds, read_assessments
from bouv_tui.tui.screens.assessment import FIXED, AssessmentScreen

from conftest import grid, settle

SIZE = (140, 45)


async def test_slash_searches_by_name_and_esc_keeps_the_search(demo_db, make_app):
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AssessmentScreen)
        everyone = list(screen.shown)
        target = everyone[len(everyone) // 2]
        grid(app).move_cursor(row=everyone.index(target), column=len(FIXED) + 1)
        await pilot.pause()
        area = screen.current_area()
        # a part of the name, in other case: Å/Ä/Ö fold like the roster's filter
        part = target.name.split()[-1][:4].upper()
        await pilot.press("slash", *part)
        await pilot.pause()
        assert isinstance(screen.focused, Input)
        assert screen.shown and all(part.casefold() in p.name.casefold() for p in screen.shown)
        assert len(screen.shown) < len(everyone)
        # the cursor stayed on the same person and area
        assert (screen.current_person().id, screen.current_area()) == (target.id, area)
        # Esc: back to the grid with the search kept, so s sets a level instead of typing
        await pilot.press("escape")
        await pilot.pause()
        assert screen.focused is grid(app)
        assert screen.query_one("#assessment-search", Input).value == part
        await pilot.press("s")
        await settle(app, pilot)
        round_ = next(r for r in read_rounds(demo_db) if r.year == 2026)
        stored = {(a.staff_id, a.area): a.level for a in read_assessments(demo_db, round_.id)}
        assert stored[(target.id, area)] == "saknar"
        assert screen.query_one("#assessment-search", Input).value == part


async def test_search_with_no_match_says_ingen_traff(demo_db, make_app):
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("slash", *"zzqx")
        await pilot.pause()
        assert screen.shown == [] and grid(app).row_count == 0
        assert "Ingen träff" in str(screen.query_one("#assessment-status").render())
        # emptying the box shows everyone again
        screen.query_one("#assessment-search", Input).value = ""
        await pilot.pause()
        assert grid(app).row_count > 0


def test_people_named_folds_case_and_keeps_a_and_aa_apart():
    from bouv_tui.domain.grid import people_named
    from bouv_tui.domain.roster import StaffMember

    people = [StaffMember("Åsa Öberg", "handlaggare", id=1), StaffMember("Asa Oberg", "handlaggare", id=2)]
    assert [p.id for p in people_named(people, "ÅSA")] == [1]
    assert [p.id for p in people_named(people, "öb")] == [1]
    assert [p.id for p in people_named(people, "  ")] == [1, 2]

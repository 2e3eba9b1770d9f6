"""Pilot tests: keystrokes in the assessment grid change the database and the counts beside it."""

from __future__ import annotations

from textual.widgets import Input

from bouv_tui.domain.assessment import Round
from bouv_tui.store.read import read_assessments, read_rounds
from bouv_tui.tui.screens.assessment import FIXED, AssessmentScreen
from bouv_tui.tui.screens.comparison import ComparisonScreen
from bouv_tui.tui.screens.dashboard import DashboardScreen
from bouv_tui.tui.dialogs.rounds import NewRoundDialog

from conftest import grid, settle

SIZE = (140, 45)


def stored(db, year: int) -> dict:
    round_ = next(r for r in read_rounds(db) if r.year == year)
    return {(a.staff_id, a.area): a for a in read_assessments(db, round_.id)}


def panel(app) -> str:
    return str(app.screen.query_one("#area-panel").render())


async def test_g_f_s_set_levels_move_on_and_update_the_counts(demo_db, make_app):
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AssessmentScreen) and screen.grid.round.year == 2026
        person, area = screen.current_person(), screen.current_area()
        before = screen.grid.profile(area).counts["saknar"]
        old = screen.grid.level(person.id, area)
        await pilot.press("s")
        await pilot.pause()
        cell = stored(demo_db, 2026)[(person.id, area)]
        assert (cell.level, cell.carried_over) == ("saknar", False)
        expected = before + (0 if old is not None and old.level == "saknar" else 1)
        assert screen.grid.profile(area).counts["saknar"] == expected
        # the cursor moved to the next area, and the panel shows that area
        assert screen.current_area() != area
        await pilot.press("left")
        await pilot.pause()
        assert f"Saknar tillräcklig kompetens: {expected}" in panel(app)
        await pilot.press("f")
        await pilot.press("left", "x")
        await pilot.pause()
        assert (person.id, area) not in stored(demo_db, 2026)
        assert "Ej bedömda" in panel(app)


async def test_number_keys_and_carried_over_confirmation(demo_db, make_app):
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        carried = next(p for p in screen.shown if screen.grid.progress(p.id).carried_over)
        row = screen.shown.index(carried)
        grid(app).move_cursor(row=row, column=len(FIXED))
        await pilot.press("c")
        await pilot.pause()
        assert not any(a.carried_over for a in stored(demo_db, 2026).values() if a.staff_id == carried.id)
        area = screen.current_area()
        await pilot.press("2")
        await pilot.pause()
        assert stored(demo_db, 2026)[(carried.id, area)].level == "fordjupad"


async def test_filters_and_only_unassessed(demo_db, make_app):
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        everyone = len(screen.shown)
        await pilot.press("u")
        await pilot.pause()
        assert 0 < len(screen.shown) < everyone
        assert all(not screen.grid.progress(p.id).is_complete for p in screen.shown)
        screen.query_one("#assessment-role").value = "arbetsledare"
        await pilot.pause()
        assert all(p.is_team_leader for p in screen.shown)
        assert "Ledarsk" in [c.label.plain for c in grid(app).columns]


async def test_team_leader_areas_are_refused_for_caseworkers(demo_db, make_app):
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        caseworker = next(p for p in screen.shown if p.is_caseworker)
        areas = screen._areas()
        grid(app).move_cursor(row=screen.shown.index(caseworker), column=len(FIXED) + areas.index("ledarskap"))
        await pilot.press("g")
        await pilot.pause()
        assert (caseworker.id, "ledarskap") not in stored(demo_db, 2026)


async def test_new_round_copied_from_the_last(demo_db, make_app):
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NewRoundDialog)
        assert app.screen.query_one("#field-year", Input).value == "2027"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen.grid.round.year == 2027
    copied = stored(demo_db, 2027)
    assert copied and all(a.carried_over for a in copied.values())


async def test_a_round_year_that_exists_is_refused_in_the_form(demo_db, make_app):
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("n")
        await pilot.pause()
        field = app.screen.query_one("#field-year", Input)
        field.value = "2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NewRoundDialog)
        assert "redan" in str(app.screen.query_one("#error-year").render())
    assert [r.year for r in read_rounds(demo_db)] == [2025, 2026]


async def test_no_round_yet_says_how_to_start(empty_db, make_app):
    app = make_app(empty_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "Tryck n" in str(app.screen.query_one("#round-summary").render())


async def test_compare_rounds_shows_areas_and_declines(demo_db, make_app):
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, ComparisonScreen)
        table = app.screen.query_one("#comparison-table")
        labels = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert "Evidensbaserad praktik" in labels and "Placerade barn" in labels
        ebp = table.get_row_at(labels.index("Evidensbaserad praktik"))
        assert str(ebp[5]).startswith("-")  # the demo's training effect: fewer lacking
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, AssessmentScreen)


async def test_dashboard_shows_the_round_and_what_to_do(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, DashboardScreen)
        round_text = str(app.screen.query_one("#dash-round").render())
        assert "Inventering 2026" in round_text and "Inte färdigbedömda" in round_text
        assert "F4" in str(app.screen.query_one("#dash-next").render())
        await pilot.press("f4")
        await settle(app, pilot)
        assert isinstance(app.screen, AssessmentScreen)


def test_round_for_year_defaults_to_31_december():
    assert Round.for_year(2026).reference_date.isoformat() == "2026-12-31"


async def test_import_from_the_screen_previews_then_writes(demo_db, make_app, tmp_path):
    from bouv_tui.store.read import read_staff
    from bouv_tui.tui.dialogs.rounds import AssessmentImportPreview

    person = next(p for p in read_staff(demo_db) if p.is_caseworker and p.employed_until is None)
    source = tmp_path / "bedomning.csv"
    source.write_text(f"personal_id;utredning;Evidensbaserad praktik\n{person.personal_id};F;S\n", encoding="utf-8")
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*str(source), "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AssessmentImportPreview)
        assert "Fel: 0" in str(app.screen.query_one("#preview-summary").render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, AssessmentScreen)
    cells = stored(demo_db, 2026)
    assert cells[(person.id, "utredning")].level == "fordjupad"
    assert cells[(person.id, "ebp")].level == "saknar"


async def test_import_with_errors_cannot_be_confirmed(demo_db, make_app, tmp_path):
    from bouv_tui.tui.dialogs.rounds import AssessmentImportPreview

    before = stored(demo_db, 2026)
    source = tmp_path / "fel.csv"
    source.write_text("namn;utredning\nFinns Inte;G\n", encoding="utf-8")
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*str(source), "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, AssessmentImportPreview)
        assert app.screen.query_one("#preview-confirm").disabled
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, AssessmentImportPreview)
    assert stored(demo_db, 2026) == before


async def test_command_palette_offers_the_assessment_actions(demo_db, make_app):
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Ny inventeringsomgång", "Jämför omgångar", "Importera bedömningar", "Gå till Bedömning"} <= set(titles)


async def test_unit_filter_counts_only_that_unit(demo_db, make_app):
    from bouv_tui.domain.assessment import area_profiles

    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        unit = sorted({p.unit for p in screen.grid.people})[0]
        screen.query_one("#assessment-unit").value = unit
        await pilot.pause()
        assert {p.unit for p in screen.shown} == {unit}
        area = screen.current_area()
        group = [p for p in screen.grid.people if p.unit == unit]
        expected = area_profiles(group, list(screen.grid.cells.values()))[area]
        assert f"Saknar tillräcklig kompetens: {expected.counts['saknar']}" in panel(app)
        assert f"Ej bedömda: {expected.missing}" in panel(app)


async def test_a_level_key_redraws_only_its_row(demo_db, make_app):
    """g draws the row it changed (the cell, the cursor's move, Klart) and no other line of
    the grid: at national scale a keystroke that drew every visible row took 100 ms."""
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        table = grid(app)
        table.move_cursor(row=3, column=len(FIXED))
        await pilot.pause()
        drawn: list[int] = []
        render_line = table.render_line

        def counted(y: int):
            drawn.append(y)
            return render_line(y)

        table.render_line = counted
        await pilot.press("g")
        await pilot.pause()
        assert table.cursor_coordinate == (3, len(FIXED) + 1)
        assert set(drawn) == {3 + table.header_height}, drawn

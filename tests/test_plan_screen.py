"""Pilot tests of Plan (F8): the keys change the stored plan, refusals are said and write
nothing, a row changed in another window is not overwritten, and the screen follows a change
made by another program.

Each test starts from the demo with a plan of its own (``planned``): what the demo's own plan
holds is taken away first, so that the figures here are this file's.
"""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Input, Select, SelectionList, Static

from bouv_tui.domain import plan as p
from bouv_tui.domain.plan import Occasion, Training
from bouv_tui.services import Workspace
from bouv_tui.store.plans import read_plan
from bouv_tui.tui.dialogs.common import ConfirmDialog, ErrorDialog
from bouv_tui.tui.dialogs.conflict import ConflictDialog
from bouv_tui.tui.dialogs.plan import BookingDialog, FilterDialog, OccasionForm, ParticipantsDialog, TrainingForm
from bouv_tui.tui.screens.plan import MONTHS, NEEDS, PlanScreen
from bouv_tui.tui.widgets.table import Table

from conftest import notices, settle

SIZE = (120, 40)


@pytest.fixture
def planned(demo_db):
    """The demo with two trainings: BBIC (Utredning and Barns utveckling, 2 occasions, one of
    them with 4 seats and 3 booked) and Handledning (support, own funds, nobody booked)."""
    ws = Workspace(demo_db)
    for training in ws.plan(2026).trainings:
        ws.delete_training(training.id)
    caseworkers = [s for s in ws.staff() if s.role == "handlaggare" and s.is_active(date(2026, 11, 22))]
    bbic = ws.save_training(Training("Testkurs BBIC", p.TRAINING, 2026, ("barns_utveckling", "utredning"),
                                     provider="FoU Test", provider_type="fou", extent=3, extent_unit=p.DAYS))  # fmt: skip
    spring = ws.save_occasion(Occasion(bbic.id, date(2026, 3, 10), date(2026, 3, 12), place="Rum 1", seats=4,
                                       cost_fixed=10_000, cost_per_participant=1_000, days_away=3))  # fmt: skip
    autumn = ws.save_occasion(Occasion(bbic.id, date(2026, 10, 5), date(2026, 10, 6), place="Distans", seats=10))
    ws.book(spring.id, [s.id for s in caseworkers[:3]])
    support = ws.save_training(Training("Testhandledning", p.SUPPORT, 2026, ("forhallningssatt",),
                                        groups=(p.CASEWORKERS, p.LEADERS)))  # fmt: skip
    run = ws.save_occasion(Occasion(support.id, date(2026, 2, 1), date(2026, 6, 30), funding=p.OWN_FUNDS))
    ws.close()
    return demo_db, {"bbic": bbic.id, "spring": spring.id, "autumn": autumn.id, "support": support.id,
                     "support_run": run.id, "caseworkers": [s.id for s in caseworkers]}  # fmt: skip


async def open_plan(app, pilot) -> PlanScreen:
    await settle(app, pilot)
    await pilot.press("f8")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, PlanScreen)
    return screen


def table(app) -> Table:
    return app.screen.query_one("#plan-table", Table)


def move_to(app, key) -> None:
    table(app).move_cursor(row=row_keys(app).index(key))


def row_keys(app) -> list:
    return list(table(app).row_keys)


async def test_f8_shows_the_trainings_with_their_occasions_and_the_totals_both_ways(planned, make_app):
    db, ids = planned
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(app, pilot)
        # By name, the Swedish way; each training's occasions beneath it, by date.
        assert row_keys(app) == [("t", ids["support"]), ("o", ids["support_run"]), ("t", ids["bbic"]),
                                 ("o", ids["spring"]), ("o", ids["autumn"])]  # fmt: skip
        summary = str(screen.query_one("#plan-summary").render())
        # BBIC is in two areas: listed twice; 3 people on it, listed under two areas: 6 seats.
        assert "2 utbildningar (3 listade under områden), 3 personer (6 platser listade)" in summary
        cells = [c.plain.strip() for c in table(app).get_row_at(3)]
        assert cells[3:] == ["2026-03-10–03-12", "Planerad", "3/4", "13\u00a0000", "Statsb."]
        assert [c.plain.strip() for c in table(app).get_row_at(2)][4:6] == ["2 tillf.", "3/14"]


async def test_a_new_training_and_its_first_occasion_are_stored_from_the_forms(planned, make_app):
    db, ids = planned
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(app, pilot)
        await pilot.press("a")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, TrainingForm)
        form.query_one("#field-name", Input).value = "Testkurs MI"
        form.query_one("#field-areas", SelectionList).select("samtal")
        form.query_one("#field-provider_type", Select).value = "privat"
        form.query_one("#field-extent", Input).value = "7,5"
        form.query_one("#field-extent_unit", Select).value = p.HP
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        stored = next(t for t in read_plan(db, 2026).trainings if t.name == "Testkurs MI")
        assert (stored.areas, stored.provider_type, stored.extent, stored.extent_unit) == (("samtal",), "privat", 7.5, p.HP)
        occasion_form = app.screen
        assert isinstance(occasion_form, OccasionForm)  # the first occasion is asked for at once
        occasion_form.query_one("#field-start", Input).value = "2026-04-01"
        occasion_form.query_one("#field-end", Input).value = "2026-04-02"
        occasion_form.query_one("#field-seats", Input).value = "12"
        occasion_form.query_one("#field-cost_per_participant", Input).value = "2 500"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        occasions = read_plan(db, 2026).occasions_of(stored.id)
        assert [(o.start, o.end, o.seats, o.cost_per_participant, o.status) for o in occasions] == [
            (date(2026, 4, 1), date(2026, 4, 2), 12, 2500, p.PLANNED)
        ]
        assert isinstance(app.screen, PlanScreen)
        assert table(app).cursor_row_key == ("o", occasions[0].id)
        assert "Tillfället 2026-04-01–04-02 av Testkurs MI är sparat." in notices(app)


async def test_a_form_with_errors_says_what_and_stores_nothing(planned, make_app):
    db, ids = planned
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(app, pilot)
        before = read_plan(db, 2026)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, TrainingForm)
        assert str(form.query_one("#error-name").render()) == "Namn måste anges."
        assert str(form.query_one("#error-areas").render()) == "Välj minst ett område (eller skriv ett under Annat)."
        assert "2 fält behöver rättas." in notices(app)
        await pilot.press("escape")
        await pilot.pause()
        move_to(app, ("o", ids["spring"]))
        await pilot.press("enter")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, OccasionForm)
        form.query_one("#field-seats", Input).value = "2"  # 3 are booked
        form.query_one("#field-cost_fixed", Input).value = "10,50"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert str(form.query_one("#error-seats").render()) == "3 är bokade: platserna kan inte bli färre än så."
        assert str(form.query_one("#error-cost_fixed").render()) == (
            'Den fasta kostnaden: "10,50" har ören. Ange hela kronor (avrunda beloppet).'
        )
        assert read_plan(db, 2026).occasions == before.occasions and read_plan(db, 2026).trainings == before.trainings


async def test_booking_chooses_by_level_refuses_more_than_the_seats_and_stores_the_choice(planned, make_app):
    db, ids = planned
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(app, pilot)
        move_to(app, ("o", ids["spring"]))
        await pilot.press("b")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, BookingDialog)
        grid = dialog.query_one("#booking-table", Table)
        # The three booked come first, ticked; the levels in BBIC's two areas are shown.
        assert list(grid.row_keys)[:3] == sorted(ids["caseworkers"][:3], key=lambda i: list(grid.row_keys).index(i))
        assert [c.plain for c in grid.get_row_at(0)][0] == "[x]"
        assert [c.key for c in grid.columns][4:6] == ["area:barns_utveckling", "area:utredning"]
        dialog.query_one("#booking-level", Select).value = p.LACKING
        await pilot.pause()
        shown = list(grid.row_keys)
        new = [i for i in shown if i not in ids["caseworkers"][:3]]
        assert new, "the demo has caseworkers lacking competence in Utredning or Barns utveckling"
        grid.move_cursor(row=shown.index(new[0]))
        await pilot.press("space")
        assert "Valda 4 (1 nya, 0 tas bort) – 4 platser, 0 kvar." in str(dialog.query_one("#booking-seats").render())
        if len(new) > 1:
            grid.move_cursor(row=shown.index(new[1]))
            await pilot.press("space")
            assert "Alla 4 platser är valda." in notices(app)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert read_plan(db, 2026).seated(ids["spring"]) == {*ids["caseworkers"][:3], new[0]}
        assert "1 bokade, 0 borttagna på Testkurs BBIC 2026-03-10–03-12." in notices(app)


async def test_a_person_booked_on_another_occasion_is_flagged(planned, make_app):
    db, ids = planned
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(app, pilot)
        move_to(app, ("o", ids["autumn"]))
        await pilot.press("b")
        await settle(app, pilot)
        dialog = app.screen
        grid = dialog.query_one("#booking-table", Table)
        twice = ids["caseworkers"][0]
        row = list(grid.row_keys).index(twice)
        assert grid.get_row_at(row)[-1].plain == "⚑ 2026-03-10"
        grid.move_cursor(row=row)
        await pilot.press("space", "ctrl+s")
        await settle(app, pilot)
        assert twice in read_plan(db, 2026).seated(ids["autumn"])
        assert "är också bokade på ett annat tillfälle" in notices(app)


async def test_participants_status_and_finishing_an_occasion_hand_over_to_the_assessment(planned, make_app):
    db, ids = planned
    app = make_app(db)
    first, second, third = ids["caseworkers"][:3]
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(app, pilot)
        move_to(app, ("o", ids["spring"]))
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ParticipantsDialog)
        grid = dialog.query_one("#participants-table", Table)
        grid.move_cursor(row=list(grid.row_keys).index(third))
        await pilot.press("k")  # not attended yet: cannot have completed
        assert "Bara den som deltog kan ha genomfört." in notices(app)
        await pilot.press("3")  # avbröt
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        statuses = {x.staff_id: x.status for x in read_plan(db, 2026).participants_of(ids["spring"])}
        assert statuses == {first: p.BOOKED, second: p.BOOKED, third: p.DROPPED}
        await pilot.press("g")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm-yes")
        await settle(app, pilot)
        plan = read_plan(db, 2026)
        assert next(o for o in plan.occasions if o.id == ids["spring"]).status == p.DONE
        assert {(x.staff_id, x.status, x.completed) for x in plan.participants_of(ids["spring"])} == {
            (first, p.ATTENDED, True), (second, p.ATTENDED, True), (third, p.DROPPED, False)}
        offer = app.screen
        assert isinstance(offer, ConfirmDialog)  # re-assess them? never by itself
        await pilot.click("#confirm-yes")
        await settle(app, pilot)
        assessment = app.screen
        assert type(assessment).__name__ == "AssessmentScreen"
        assert assessment.only_people[0] == frozenset({first, second})
        assert {person.id for person in assessment.shown} == {first, second}
        assert assessment.current_area() == "barns_utveckling"
        assert "Testkurs BBIC" in str(assessment.query_one("#area-panel").render())  # completed since the last round
        await pilot.press("escape")
        await pilot.pause()
        assert assessment.only_people is None and len(assessment.shown) > 2


async def test_copy_to_next_year_and_delete(planned, make_app):
    db, ids = planned
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(app, pilot)
        move_to(app, ("t", ids["bbic"]))
        await pilot.press("c")
        await settle(app, pilot)
        copied = read_plan(db, 2027)
        assert [t.name for t in copied.trainings] == ["Testkurs BBIC"]
        assert [o.start for o in copied.occasions] == [date(2027, 3, 10), date(2027, 10, 5)]
        assert "Testkurs BBIC är kopierad till planen för 2027 med 2 tillfällen" in notices(app)
        await pilot.press("c")  # again: 2027 has it already
        await settle(app, pilot)
        assert len(read_plan(db, 2027).trainings) == 1
        error = app.screen
        assert isinstance(error, ErrorDialog)  # what stopped the work, in a dialog
        assert "Utbildningen Testkurs BBIC finns redan i planen för 2027. Ingenting kopierades." in " ".join(
            str(w.render()) for w in error.query(Static))
        while not isinstance(app.screen, PlanScreen):
            await pilot.press("escape")
            await pilot.pause()
        move_to(app, ("o", ids["autumn"]))
        await pilot.press("delete")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await settle(app, pilot)
        assert [o.id for o in read_plan(db, 2026).occasions_of(ids["bbic"])] == [ids["spring"]]
        assert ("o", ids["autumn"]) not in row_keys(app)


async def test_the_need_view_books_the_uncovered_one_key_away(planned, make_app):
    db, ids = planned
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(app, pilot)
        await pilot.press("v")
        await pilot.pause()
        assert screen.view == NEEDS
        rows = {r.area: r for r in screen.view_data.overview.by_group[p.CASEWORKERS]}
        move_to(app, ("area", "utredning"))
        await pilot.pause()
        uncovered = rows["utredning"].uncovered
        assert uncovered, "the demo has caseworkers lacking Utredning without a seat"
        detail = str(screen.query_one("#plan-detail").render())
        assert f"Saknar kompetens och har ingen plats ({len(uncovered)})" in detail
        await pilot.press("b")  # two open occasions of BBIC: which one?
        await pilot.pause()
        chooser = app.screen
        assert type(chooser).__name__ == "OccasionChooser"
        await pilot.press("down", "enter")  # the autumn one, with 10 seats
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, BookingDialog)
        chosen = min(len(uncovered), 10)
        assert f"({chosen} nya, 0 tas bort) – 10 platser, {10 - chosen} kvar." in str(
            dialog.query_one("#booking-seats").render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert set(uncovered[:10]) <= read_plan(db, 2026).seated(ids["autumn"])
        after = {r.area: r for r in app.screen.view_data.overview.by_group[p.CASEWORKERS]}
        assert len(after["utredning"].uncovered) == max(0, len(uncovered) - 10)
        await pilot.press("m")
        await pilot.pause()
        assert screen.group == p.LEADERS and ("area", "ledarskap") in row_keys(app)


async def test_an_area_with_no_training_offers_a_new_one_with_the_area_chosen(planned, make_app):
    db, ids = planned
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(app, pilot)
        await pilot.press("v")
        await pilot.pause()
        move_to(app, ("area", "ebp"))
        await pilot.press("b")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, TrainingForm)
        assert form.query_one("#field-areas", SelectionList).selected == ["ebp"]
        assert "Inget planerat tillfälle för Evidensbaserad praktik." in notices(app)


async def test_the_month_view_counts_who_is_away(planned, make_app):
    db, ids = planned
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(app, pilot)
        await pilot.press("v", "v")
        await pilot.pause()
        assert screen.view == MONTHS and len(row_keys(app)) == 12
        march = [c.plain.strip() for c in table(app).get_row_at(2)]
        assert march[:4] == ["mars", "2", "3", "9,0"]  # BBIC's 3 people × 3 days, and the support course
        move_to(app, ("month", 3))
        await pilot.pause()
        assert "3 personer borta, 9,0 frånvarodagar att täcka" in str(screen.query_one("#plan-detail").render())


async def test_the_filter_shows_only_what_matches(planned, make_app):
    db, ids = planned
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(app, pilot)
        await pilot.press("f")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, FilterDialog)
        dialog.query_one("#filter-funding", Select).value = p.OWN_FUNDS
        await pilot.click("#filter-ok")
        await pilot.pause()
        assert [k[0] for k in row_keys(app)] == ["t", "o"] and row_keys(app)[0] == ("t", ids["support"])
        assert "Filter: egna medel (f ändrar)" in str(screen.query_one("#plan-summary").render())
        await pilot.press("f")
        await pilot.pause()
        await pilot.click("#filter-clear")
        await pilot.pause()
        assert len(row_keys(app)) == 5


async def test_a_training_changed_in_another_window_is_not_overwritten(planned, make_app, other, no_follow_timers):
    db, ids = planned
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(app, pilot)
        theirs = next(t for t in other.plan(2026).trainings if t.id == ids["bbic"])
        from dataclasses import replace

        other.save_training(replace(theirs, provider="Deras anordnare"))
        move_to(app, ("t", ids["bbic"]))
        await pilot.press("enter")
        await pilot.pause()
        app.screen.query_one("#field-provider", Input).value = "Min anordnare"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictDialog)
        assert read_plan(db, 2026).training(ids["bbic"]).provider == "Deras anordnare"


async def test_the_plan_follows_a_change_made_by_another_program(planned, make_app, other, no_follow_timers):
    db, ids = planned
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(app, pilot)
        added = other.save_training(Training("Testkurs från annat fönster", p.TRAINING, 2026, ("ebp",)))
        app.check_for_changes()
        await settle(app, pilot)
        assert ("t", added.id) in row_keys(app)
        assert screen.view_data.plan.training(added.id).name == "Testkurs från annat fönster"


@pytest.mark.parametrize("size", [(80, 24), (160, 48)])
async def test_every_view_fits_the_terminal(planned, make_app, size):
    db, ids = planned
    app = make_app(db)
    async with app.run_test(size=size) as pilot:
        screen = await open_plan(app, pilot)
        for _ in range(3):
            t = table(app)
            assert t.total_width <= size[0], (screen.view, t.total_width)
            await pilot.press("v")
            await pilot.pause()


SAMPLE = __import__("pathlib").Path(__file__).resolve().parents[1] / "sample_data" / "utbildningar.csv"


async def test_import_from_the_screen_previews_then_writes(planned, make_app):
    from bouv_tui.tui.dialogs.plan import TrainingImportPreview

    db, ids = planned
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*str(SAMPLE), "enter")
        await settle(app, pilot)
        preview = app.screen
        assert isinstance(preview, TrainingImportPreview)
        assert "Utbildningar nya 5, ändrade 0   Tillfällen nya 7, ändrade 0   Bokas 13" in str(
            preview.query_one("#preview-summary").render())
        assert read_plan(db, 2026).trainings[0].name.startswith("Test")  # nothing written yet
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, PlanScreen)
        names = {t.name for t in read_plan(db, 2026).trainings}
        assert {"Samtal med barn", "Testkurs BBIC"} <= names and len(names) == 7
        assert "Importen är klar: 5 nya utbildningar, 7 nya tillfällen, 13 bokade." in notices(app)
        assert len([k for k in row_keys(app) if k[0] == "t"]) == 7


async def test_an_import_with_errors_cannot_be_confirmed_and_writes_nothing(planned, make_app, tmp_path):
    from bouv_tui.tui.dialogs.plan import TrainingImportPreview

    db, ids = planned
    bad = tmp_path / "fel.csv"
    bad.write_text("utbildning;typ;omraden;anordnare;anordnartyp;start;slut\n"
                   "Kurs;utbildning;hittepa;X;fou;2026-03-01;2026-03-02\n", encoding="utf-8")  # fmt: skip
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(app, pilot)
        before = read_plan(db, 2026)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*str(bad), "enter")
        await settle(app, pilot)
        preview = app.screen
        assert isinstance(preview, TrainingImportPreview)
        errors = preview.query_one("#preview-errors", Table)
        assert [c.plain for c in errors.get_row_at(0)][:2] == ["2", "omraden"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Filen har fel; rätta dem och importera igen." in notices(app)
        assert isinstance(app.screen, TrainingImportPreview)
        assert read_plan(db, 2026).trainings == before.trainings


async def test_export_from_the_screen_writes_what_the_command_writes(planned, make_app, tmp_path):
    from bouv_tui.cli import main
    from bouv_tui.tui.dialogs.exchange import ExportDialog

    db, ids = planned
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-format", Select).value = "ics"
        await pilot.pause()
        dialog.query_one("#export-name", Input).value = "plan.ics"
        dialog.query_one("#export-folder", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        written = tmp_path / "documents" / "plan.ics"
        assert written.is_file()
        assert any(str(written) in m for m in app.shown_notices)
    from_cli = tmp_path / "cli.ics"
    assert main(["--db", str(db), "export", "plan", "--year", "2026", "--format", "ics", "--output", str(from_cli)]) == 0
    assert from_cli.read_bytes() == written.read_bytes()


# --- snapshots of the demo's own plan (pytest tests/test_plan_screen.py --snapshot-update) ----------


async def _shown(pilot):
    await settle(pilot.app, pilot)


def test_snapshot_plan_trainings(demo_db, make_app, snap_compare):
    assert snap_compare(make_app(demo_db, start="plan"), terminal_size=SIZE, run_before=_shown)


def test_snapshot_plan_need_against_plan(demo_db, make_app, snap_compare):
    async def needs(pilot):
        await settle(pilot.app, pilot)
        await pilot.press("v")
        await pilot.pause()
        move_to(pilot.app, ("area", "regelverk"))  # high need, no training: everyone lacking it uncovered
        await pilot.pause()

    assert snap_compare(make_app(demo_db, start="plan"), terminal_size=SIZE, run_before=needs)


def test_snapshot_plan_months_at_80x24(demo_db, make_app, snap_compare):
    async def months(pilot):
        await settle(pilot.app, pilot)
        await pilot.press("v", "v")
        await pilot.pause()

    assert snap_compare(make_app(demo_db, start="plan"), terminal_size=(80, 24), run_before=months)


def test_snapshot_booking_dialog_at_80x24(demo_db, make_app, snap_compare):
    async def booking(pilot):
        await settle(pilot.app, pilot)
        open_ = next(o for o in pilot.app.screen.view_data.plan.occasions if o.status == p.PLANNED)
        move_to(pilot.app, ("o", open_.id))
        await pilot.press("b")
        await settle(pilot.app, pilot)

    assert snap_compare(make_app(demo_db, start="plan"), terminal_size=(80, 24), run_before=booking)


async def test_after_a_finished_occasion_the_assessment_names_the_training_at_80x24(demo_db, make_app):
    app = make_app(demo_db, start="plan")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, PlanScreen)
        plan = screen.view_data.plan
        done = next(o for o in plan.occasions if o.status == p.DONE and plan.training(o.training_id).areas
                    and any(x.completed for x in plan.participants_of(o.id)))  # fmt: skip
        move_to(app, ("o", done.id))
        await pilot.press("g")  # finished already: straight to the offer
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm-yes")
        await settle(app, pilot)
        assessment = app.screen
        assert type(assessment).__name__ == "AssessmentScreen"
        panel = str(assessment.query_one("#area-panel").render())
        assert f"har genomfört sedan förra omgången: {plan.training(done.training_id).name}" in panel
        assert len(panel.splitlines()) <= 4  # the panel's four lines at 80×24, the training among them


async def test_the_grid_underlines_the_cells_of_a_training_completed_since_the_last_round(demo_db, make_app):
    from bouv_tui.services import Workspace

    ws = Workspace(demo_db)
    last = ws.round_for_year(2025)
    completed = ws.completed_trainings(2026, last.reference_date)
    ws.close()
    assert completed, "the demo has trainings completed since the 2025 round"
    (staff_id, area), names = next(iter(completed.items()))
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        screen.focus_people([staff_id], [area], "test")
        await settle(app, pilot)
        grid = screen.query_one("#assessment-grid", Table)
        cell = grid.get_cell_at(grid.cursor_coordinate)
        assert "underline" in str(cell.style) and screen.current_area() == area
        areas = screen._areas()
        row = grid.get_row_at(grid.cursor_row)
        first = grid.cursor_column - areas.index(area)  # the first area's column
        underlined = {a for i, a in enumerate(areas) if "underline" in str(row[first + i].style)}
        assert underlined == {a for a in areas if (staff_id, a) in completed}
        assert f"genomfört sedan förra omgången: {', '.join(names)}" in str(screen.query_one("#area-panel").render())
        assert "understruken = utbildning i området genomförd sedan dess" in str(
            screen.query_one("#assessment-status").render())


async def test_the_plan_follows_the_apps_year(planned, with_2027, make_app, other):
    db, ids = planned
    bbic = other.plan(2026).training(ids["bbic"])
    copied = other.copy_training(bbic, other.plan(2026).occasions_of(bbic.id))
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_plan(app, pilot)
        assert screen.view_data.year == 2026 and ("t", ids["support"]) in row_keys(app)
        app.year = 2027  # "o" in any section: the round worked on
        await settle(app, pilot)
        assert screen.view_data.year == 2027 and screen.view_data.complete
        assert [k for k in row_keys(app) if k[0] == "t"] == [("t", copied.id)]
        assert "Plan 2027:" in str(screen.query_one("#plan-summary").render())
        app.year = 2026
        await settle(app, pilot)
        assert screen.view_data.year == 2026 and ("t", ids["support"]) in row_keys(app)


async def test_an_import_whose_plan_changed_before_it_was_confirmed_writes_nothing_and_reads_again(
    planned, make_app, other, no_follow_timers
):
    from bouv_tui.tui.dialogs.conflict import StaleImportDialog
    from bouv_tui.tui.dialogs.plan import TrainingImportPreview

    db, ids = planned
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_plan(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*str(SAMPLE), "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, TrainingImportPreview)
        # Another window adds a training the file also has, after the file was checked.
        other.save_training(Training("Samtal med barn", p.TRAINING, 2026, ("samtal",)))
        before = read_plan(db, 2026)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, StaleImportDialog)
        assert "Ingenting sparades" in str(app.screen.query_one("#stale-message").render())
        assert read_plan(db, 2026).trainings == before.trainings  # nothing of the file was written
        await pilot.click("#stale-reread")
        await settle(app, pilot)
        preview = app.screen
        assert isinstance(preview, TrainingImportPreview)  # checked again against what is stored now
        assert "Utbildningar nya 4, ändrade 1" in str(preview.query_one("#preview-summary").render())

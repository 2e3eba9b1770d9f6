"""Pilot tests of Budget (F9): the figures on screen are the rules' (headline, caps, forecast),
an expense past a cap is warned of (or refused) where it is entered, an occasion's lines are
confirmed and paid, a what-if changes every figure and nothing in the file, a scenario is
saved and applied, an expense file is imported once, and a row changed elsewhere is not
overwritten without asking.

Each test starts from the demo with a budget and a plan of its own (``budgeted``)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, Select, Static

from bouv_tui.domain import budget as b
from bouv_tui.domain import plan as p
from bouv_tui.domain.budget import Cap, Expense, FundingSource
from bouv_tui.domain.plan import Occasion, Training
from bouv_tui.services import Workspace
from bouv_tui.store.budget import read_expenses, read_scenarios
from bouv_tui.store.plans import read_plan
from bouv_tui.tui.dialogs.budget import ExpenseForm, NameDialog
from bouv_tui.tui.dialogs.budget_import import ExpenseImportPreview
from bouv_tui.tui.dialogs.common import ConfirmDialog
from bouv_tui.tui.dialogs.conflict import ConflictDialog
from bouv_tui.tui.dialogs.exchange import ImportFileDialog
from bouv_tui.tui.screens.budget import EXPENSES, MONTHS, BudgetScreen
from bouv_tui.tui.widgets.table import Table

from conftest import notices, settle

SIZE = (120, 40)
SIDE_COSTS = ("stod_handledning", "vikarier", "kurslitteratur", "resor", "administration")
GRANT = FundingSource(
    "Testbidrag", b.GRANT, 2026, 100_000, 100_000, 0, date(2026, 1, 1), date(2026, 12, 31), date(2027, 4, 30),
    b.PAID_BACK, ("utbildningsplatser", *SIDE_COSTS), (Cap("Handledning och kringkostnader", 0.5, SIDE_COSTS),),
)  # fmt: skip


def budgeted_db(demo_db: Path, *, action: str = b.WARN) -> tuple[Path, dict]:
    """The demo with only this budget: a grant of 100 000 kr (a cap of 50 % over supervision
    and side costs), 30 000 kr of supervision paid in March, and one training whose occasion
    on 25 November costs 10 000 kr fixed and 1 000 kr a seat, three booked (13 000 kr planned)."""
    ws = Workspace(demo_db)
    for source in ws.sources():
        ws.delete_source(source.id)
    for training in ws.plan(2026).trainings:
        ws.delete_training(training.id)
    grant = ws.save_source(replace(GRANT, caps=(replace(GRANT.caps[0], action=action),)))
    paid = ws.save_expense(Expense(date(2026, 3, 1), 30_000, "stod_handledning", grant.id, b.PAID, voucher="V-1",
                                   note="Handledning i mars"))  # fmt: skip
    course = ws.save_training(Training("Testkurs", p.TRAINING, 2026, ("samtal",)))
    occasion = ws.save_occasion(Occasion(course.id, date(2026, 11, 25), date(2026, 11, 25), seats=5,
                                         cost_fixed=10_000, cost_per_participant=1_000))  # fmt: skip
    people = [s.id for s in ws.staff() if s.role == "handlaggare"][:3]
    ws.book(occasion.id, people)
    ws.close()
    return demo_db, {"grant": grant.id, "paid": paid.id, "occasion": occasion.id}


@pytest.fixture
def budgeted(demo_db):
    return budgeted_db(demo_db)


def plain(text: str) -> str:
    return text.replace("\u00a0", " ")


def summary(app) -> str:
    return plain(str(app.screen.query_one("#budget-summary", Static).render()))


def table(app) -> Table:
    return app.screen.query_one("#budget-table", Table)


def row_keys(app) -> list:
    return list(table(app).row_keys)


def file_state(db: Path) -> str:
    """The database file and its write-ahead log, byte for byte."""
    digest = hashlib.sha256()
    for part in (db, Path(f"{db}-wal")):
        if part.exists():
            digest.update(part.read_bytes())
    return digest.hexdigest()


async def open_budget(app, pilot) -> BudgetScreen:
    await settle(app, pilot)
    await pilot.press("f9")
    await settle(app, pilot)
    assert isinstance(app.screen, BudgetScreen)
    return app.screen


async def test_f9_shows_what_is_left_under_every_cap_and_the_forecast(budgeted, make_app):
    db, ids = budgeted
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_budget(app, pilot)
        text = summary(app)
        assert "Kan fortfarande användas: 70 000 kr, varav högst 20 000 kr till handledning och kringkostnader." in text
        # 100 000 − 30 000 spent − 13 000 planned − the pace (30 000 kr over 326 days, for the 39 left: 3 588)
        assert "Prognos: 53 412 kr betalas tillbaka senast 2027-04-30" in text
        assert "sista dag att åta sig: 2026-12-01" in text
        assert row_keys(app) == [("s", ids["grant"]), ("cap", ids["grant"], 0)]
        cells = [plain(str(c)).strip() for c in table(app).get_row(("cap", ids["grant"], 0))]
        assert cells == ["└ Handledning och kringkostnader (30,0 % av högst 50 %)", "", "50 000", "0", "0", "30 000", "20 000"]


async def test_an_expense_past_a_warning_cap_is_said_in_the_form_and_saved(budgeted, make_app):
    db, ids = budgeted
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_budget(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, ExpenseForm)
        form.query_one("#field-day", Input).value = "2026-11-20"
        form.query_one("#field-cost_type", Select).value = "resor"
        form.query_one("#field-amount", Input).value = "20 000"
        await settle(app, pilot)
        assert "Ryms" in plain(str(form.query_one("#expense-check", Static).render()))
        form.query_one("#field-amount", Input).value = "20 001"
        await settle(app, pilot)
        check = plain(str(form.query_one("#expense-check", Static).render()))
        assert "Taket Handledning och kringkostnader (50 000 kr) överskrids med 1 kr." in check
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, BudgetScreen)
        assert "överskrids med 1 kr" in plain(notices(app))
    stored = [e for e in read_expenses(db) if e.cost_type == "resor"]
    assert [(e.amount, e.status, e.day) for e in stored] == [(20_001, b.PAID, date(2026, 11, 20))]


async def test_an_expense_past_a_stopping_cap_is_refused_in_the_form_and_nothing_is_written(demo_db, make_app):
    db, _ = budgeted_db(demo_db, action=b.STOP)
    before = read_expenses(db)
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_budget(app, pilot)
        await pilot.press("n")
        await settle(app, pilot)
        form = app.screen
        form.query_one("#field-day", Input).value = "2026-11-20"
        form.query_one("#field-cost_type", Select).value = "vikarier"
        form.query_one("#field-amount", Input).value = "20 001"
        await settle(app, pilot)
        check = plain(str(form.query_one("#expense-check", Static).render()))
        assert "Går inte:" in check and "20 000 kr finns kvar under det, inte 20 001 kr" in check
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ExpenseForm)  # still open, with the message beside the amount
        assert "20 000 kr finns kvar" in plain(str(form.query_one("#error-amount").render()))
    assert read_expenses(db) == before


async def test_an_occasions_lines_are_committed_then_paid_together(budgeted, make_app):
    db, ids = budgeted
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_budget(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        assert screen.view == EXPENSES
        line = next(e for e in read_expenses(db) if e.occasion_id == ids["occasion"])
        table(app).move_cursor(row=row_keys(app).index(("e", line.id)))
        await pilot.press("c")
        await settle(app, pilot)
        assert sorted((e.origin, e.status) for e in read_expenses(db) if e.occasion_id == ids["occasion"]) == [
            ("fast", b.COMMITTED), ("platser", b.COMMITTED)
        ]
        assert "Kan fortfarande användas: 57 000 kr" in summary(app)
        await pilot.press("p")
        await settle(app, pilot)
    assert {e.status for e in read_expenses(db) if e.occasion_id == ids["occasion"]} == {b.PAID}


async def test_what_if_changes_the_forecast_at_once_and_nothing_in_the_file(budgeted, make_app):
    db, ids = budgeted
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_budget(app, pilot)
        before = file_state(db)
        rows_before = read_expenses(db)
        await pilot.press("w")
        await settle(app, pilot)
        assert "VAD HÄNDER OM" in summary(app) and screen.view == EXPENSES
        line = next(e for e in read_expenses(db) if e.occasion_id == ids["occasion"])
        table(app).move_cursor(row=row_keys(app).index(("e", line.id)))
        await pilot.press("space")
        await settle(app, pilot)
        # the occasion's 13 000 kr out: 53 412 + 13 000 goes back
        assert "Prognos: 66 412 kr betalas tillbaka" in summary(app)
        await pilot.press("s")
        await settle(app, pilot)
        assert isinstance(app.screen, NameDialog)
        app.screen.query_one("#field-name", Input).value = "Utan novemberkursen"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert [s[1] for s in read_scenarios(db, 2026)] == ["Utan novemberkursen"]
        await pilot.press("escape")
        await settle(app, pilot)
        assert screen.scenario is None
        assert "Prognos: 53 412 kr betalas tillbaka" in summary(app)
    # the scenario is the one row written; the budget's rows are as they were
    assert read_expenses(db) == rows_before
    assert read_plan(db, 2026).occasions[0].status == p.PLANNED
    assert before != file_state(db)  # the saved scenario


async def test_toggling_in_what_if_leaves_the_file_byte_for_byte(budgeted, make_app):
    db, ids = budgeted
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_budget(app, pilot)
        before = file_state(db)
        await pilot.press("w")
        await settle(app, pilot)
        for key in ("space", "down", "space", "space", "escape"):
            await pilot.press(key)
            await settle(app, pilot)
        assert file_state(db) == before


async def test_a_scenario_applied_cancels_the_occasion_it_switched_off(budgeted, make_app):
    db, ids = budgeted
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_budget(app, pilot)
        await pilot.press("w")
        await settle(app, pilot)
        line = next(e for e in read_expenses(db) if e.occasion_id == ids["occasion"])
        table(app).move_cursor(row=row_keys(app).index(("e", line.id)))
        await pilot.press("space", "a")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm-yes")
        await settle(app, pilot)
        assert isinstance(app.screen, BudgetScreen) and app.screen.scenario is None
    (occasion,) = read_plan(db, 2026).occasions
    assert occasion.status == p.CANCELLED
    assert [e.id for e in read_expenses(db)] == [ids["paid"]]


async def test_an_expense_file_is_imported_once_and_a_second_time_skipped(budgeted, make_app, tmp_path):
    db, _ = budgeted
    file = tmp_path / "utgifter.csv"
    file.write_text("datum;belopp;kostnadstyp;finansiering;verifikation\n"
                    "2026-10-01;1 200;resor;Testbidrag;V-100\n2026-10-02;800;Kurslitteratur;Testbidrag;V-101\n",
                    encoding="utf-8")  # fmt: skip
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_budget(app, pilot)
        for round_ in range(2):
            await pilot.press("i")
            await settle(app, pilot)
            assert isinstance(app.screen, ImportFileDialog)
            app.screen.query_one("#import-path", Input).value = str(file)
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, ExpenseImportPreview)
            shown = plain(str(app.screen.query_one("#preview-summary", Static).render()))
            assert shown == ("2 nya utgifter." if round_ == 0 else "Inga nya utgifter, 2 fanns redan (samma verifikation).")
            await pilot.press("ctrl+s")
            await settle(app, pilot)
    assert sorted((e.voucher, e.amount) for e in read_expenses(db) if e.voucher.startswith("V-1")) == [
        ("V-1", 30_000), ("V-100", 1_200), ("V-101", 800)
    ]


async def test_an_expense_changed_in_another_window_is_not_overwritten_without_asking(budgeted, make_app):
    db, ids = budgeted
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await open_budget(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        table(app).move_cursor(row=row_keys(app).index(("e", ids["paid"])))
        await pilot.press("enter")
        await settle(app, pilot)
        other = Workspace(db)
        stored = next(e for e in other.expenses() if e.id == ids["paid"])
        other.save_expense(replace(stored, amount=31_000))
        other.close()
        app.screen.query_one("#field-note", Input).value = "Mars, två grupper"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ConflictDialog)
    (paid,) = [e for e in read_expenses(db) if e.id == ids["paid"]]
    assert (paid.amount, paid.note) == (31_000, "Handledning i mars")


async def test_the_months_show_each_month_and_the_panel_the_caps(budgeted, make_app):
    db, _ = budgeted
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_budget(app, pilot)
        await pilot.press("v", "v")
        await settle(app, pilot)
        assert screen.view == MONTHS
        assert len(row_keys(app)) == 12
        table(app).move_cursor(row=10)  # November: the occasion's 13 000 kr planned
        await settle(app, pilot)
        detail = plain(str(app.screen.query_one("#budget-detail", Static).render()))
        assert "November 2026: planerat 13 000 kr, åtaget 0 kr, betalt 0 kr" in detail
        assert "Hittills: använt 30 000 kr av 100 000 kr, med det planerade 43 000 kr" in detail


# --- snapshots of the demo's own budget (pytest tests/test_budget_screen.py --snapshot-update) ------


async def _shown(pilot):
    await settle(pilot.app, pilot)


def test_snapshot_budget_sources(demo_db, make_app, snap_compare):
    assert snap_compare(make_app(demo_db, start="budget"), terminal_size=SIZE, run_before=_shown)


def test_snapshot_budget_months(demo_db, make_app, snap_compare):
    async def months(pilot):
        await settle(pilot.app, pilot)
        await pilot.press("v", "v")
        await settle(pilot.app, pilot)

    assert snap_compare(make_app(demo_db, start="budget"), terminal_size=SIZE, run_before=months)


def test_snapshot_budget_what_if_at_80x24(demo_db, make_app, snap_compare):
    async def what_if(pilot):
        await settle(pilot.app, pilot)
        await pilot.press("w", "f")  # what-if on the planned lines
        await settle(pilot.app, pilot)
        await pilot.press("space")
        await settle(pilot.app, pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(make_app(demo_db, start="budget"), terminal_size=(80, 24), run_before=what_if)


def test_snapshot_expense_form_at_80x24(demo_db, make_app, snap_compare):
    async def form(pilot):
        await settle(pilot.app, pilot)
        await pilot.press("n")
        await settle(pilot.app, pilot)
        pilot.app.screen.query_one("#field-day", Input).value = "2026-11-30"
        pilot.app.screen.query_one("#field-amount", Input).value = "70 000"
        pilot.app.screen.query_one("#field-cost_type", Select).value = "vikarier"
        await settle(pilot.app, pilot)

    assert snap_compare(make_app(demo_db, start="budget"), terminal_size=(80, 24), run_before=form)


async def test_a_participant_dropping_out_of_a_committed_occasion_is_said_and_adjusted_on_request(budgeted, make_app):
    db, ids = budgeted
    ws = Workspace(db)
    ws.move_lines([e for e in ws.expenses(2026) if e.occasion_id == ids["occasion"]], b.COMMITTED)
    ws.close()
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f8")
        await settle(app, pilot)
        plan_table = app.screen.query_one("#plan-table", Table)
        plan_table.move_cursor(row=list(plan_table.row_keys).index(("o", ids["occasion"])))
        await pilot.press("d")
        await settle(app, pilot)
        await pilot.press("3", "ctrl+s")  # the first participant dropped out: 1 000 kr a seat less
        await settle(app, pilot)
        said = plain(notices(app))
        assert "i budgeten är 13 000 kr åtaget för tillfället, men det kostar nu 12 000 kr: justera i Budget (F9, j)" in said
        # never changed without asking
        assert sorted(e.amount for e in read_expenses(db) if e.occasion_id == ids["occasion"]) == [3_000, 10_000]
        await pilot.press("f9")
        await settle(app, pilot)
        await pilot.press("v")
        await settle(app, pilot)
        line = next(e for e in read_expenses(db) if e.occasion_id == ids["occasion"] and e.origin == b.SEATS)
        table(app).move_cursor(row=row_keys(app).index(("e", line.id)))
        await settle(app, pilot)
        detail = plain(str(app.screen.query_one("#budget-detail", Static).render()))
        assert "Åtaget 13 000 kr, men tillfället kostar nu 12 000 kr: j justerar de åtagna raderna." in detail
        await pilot.press("j")
        await settle(app, pilot)
    assert sorted((e.amount, e.status) for e in read_expenses(db) if e.occasion_id == ids["occasion"]) == [
        (2_000, b.COMMITTED), (10_000, b.COMMITTED)
    ]

"""The budget in the file (``store/budget.py``, migration 0006): a grant file's source added
or updated, an occasion's cost as its own planned lines that follow every write of the plan
(and never touch a committed or paid line), expenses checked against the caps inside the
transaction, rows changed in another window not overwritten, and scenarios saved apart."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bouv_tui.domain import budget as b
from bouv_tui.domain import catalog
from bouv_tui.domain import plan as p
from bouv_tui.domain.budget import BudgetSettings, Cap, Expense, FundingSource
from bouv_tui.domain.plan import Occasion, Participant, Training
from bouv_tui.domain.roster import StaffMember
from bouv_tui.errors import Conflict
from bouv_tui.store import db
from bouv_tui.store.budget import (
    BudgetRefused,
    read_budget_settings,
    read_expenses,
    read_scenarios,
    read_sources,
)
from bouv_tui.store.repo import Repository

GRANT = FundingSource(
    "Kompetensmedel", b.GRANT, 2026, 1_000_000, 1_000_000, 0, date(2026, 1, 1), date(2026, 12, 31),
    date(2027, 4, 30), b.PAID_BACK, tuple(catalog.COST_TYPES.codes()),
    (Cap("Handledning och kringkostnader", 0.5, ("stod_handledning", "vikarier", "resor"), b.STOP),),
)  # fmt: skip
OWN = FundingSource("Egna kompetensmedel", b.OWN_FUNDS, 2026, 0, 200_000)


@pytest.fixture
def path(tmp_path) -> Path:
    return db.open_database(tmp_path / "kommun.sqlite", backup=False)


@pytest.fixture
def repo(path):
    repository = Repository(path)
    yield repository
    repository.close()


@pytest.fixture
def other(path):
    repository = Repository(path)
    yield repository
    repository.close()


@pytest.fixture
def staff(repo) -> list[StaffMember]:
    return repo.save_staff([StaffMember(f"Person {i}", catalog.CASEWORKER) for i in range(1, 6)], [])


def course(repo, *, kind=p.TRAINING, fixed=10_000, per=1_500, days=2.0, funding=p.GRANT, year=2026):
    training = repo.save_training(Training(f"Kurs {kind}", kind, year, ("samtal",)))
    occasion = repo.save_occasion(
        Occasion(training.id, date(year, 3, 1), date(year, 3, 2), seats=4, funding=funding, cost_fixed=fixed,
                 cost_per_participant=per, days_away=days)
    )  # fmt: skip
    return training, occasion


def lines(path: Path, occasion_id: int | None = None) -> dict[str, tuple[str, int, str]]:
    """origin → (status, amount, cost type) of an occasion's lines."""
    return {
        e.origin: (e.status, e.amount, e.cost_type)
        for e in read_expenses(path)
        if e.origin is not None and (occasion_id is None or e.occasion_id == occasion_id)
    }


def rows(path: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
    finally:
        conn.close()


# --- funding sources -------------------------------------------------------------------------


def test_a_source_is_read_back_with_its_caps(repo, path):
    stored = repo.save_source(GRANT)
    assert stored.id is not None and stored.version == 1
    assert read_sources(path, 2026) == [stored]
    assert read_sources(path, 2025) == []


def test_a_grant_file_updates_the_source_of_its_name_and_year_and_keeps_its_expenses(repo, path):
    first, added = repo.import_source(GRANT)
    assert added
    repo.save_expense(Expense(date(2026, 2, 1), 5_000, "resor", first.id, b.PAID))
    again, added = repo.import_source(replace(GRANT, paid_out=900_000, caps=()))
    assert not added and again.id == first.id and again.version == 2
    (source,) = read_sources(path, 2026)
    assert source.paid_out == 900_000 and source.caps == ()
    assert [e.amount for e in read_expenses(path, 2026)] == [5_000]
    other_year, added = repo.import_source(replace(GRANT, year=2027))
    assert added and other_year.id != first.id


def test_a_source_changed_in_another_window_is_not_overwritten(repo, other, path):
    stored = repo.save_source(GRANT)
    other.save_source(replace(stored, paid_out=800_000))
    with pytest.raises(Conflict) as caught:
        repo.save_source(replace(stored, paid_out=700_000), shown=stored)
    assert [(c.label, c.shown, c.stored, c.mine) for c in caught.value.changes] == [
        ("Utbetalt", "1000000", "800000", "700000")
    ]
    assert read_sources(path)[0].paid_out == 800_000


# --- an occasion's lines ---------------------------------------------------------------------


def test_booking_an_occasion_makes_its_planned_lines(repo, path, staff):
    repo.save_source(GRANT)
    _, occasion = course(repo)
    assert lines(path) == {"fast": ("planerad", 10_000, "utbildningsplatser")}
    repo.book(occasion.id, [staff[0].id, staff[1].id, staff[2].id])
    assert lines(path) == {
        "fast": ("planerad", 10_000, "utbildningsplatser"),
        "platser": ("planerad", 4_500, "utbildningsplatser"),
        "vikarier": ("planerad", 3 * 2 * 2000, "vikarier"),
    }
    repo.unbook(occasion.id, [staff[2].id])
    assert lines(path)["platser"] == ("planerad", 3_000, "utbildningsplatser")
    assert lines(path)["vikarier"] == ("planerad", 8_000, "vikarier")


def test_support_and_supervision_is_priced_as_its_own_cost_type(repo, path, staff):
    repo.save_source(GRANT)
    _, occasion = course(repo, kind=p.SUPPORT, days=0)
    repo.book(occasion.id, [staff[0].id])
    assert lines(path) == {"fast": ("planerad", 10_000, "stod_handledning"),
                           "platser": ("planerad", 1_500, "stod_handledning")}  # fmt: skip


def test_no_source_of_the_occasions_kind_makes_no_lines_until_one_is_added(repo, path, staff):
    _, occasion = course(repo, funding=p.OWN_FUNDS)
    repo.book(occasion.id, [staff[0].id])
    repo.save_source(GRANT)
    assert lines(path) == {}
    own = repo.save_source(OWN)
    assert {o: (s, a) for o, (s, a, _) in lines(path).items()} == {
        "fast": ("planerad", 10_000), "platser": ("planerad", 1_500), "vikarier": ("planerad", 4_000)
    }
    assert {e.source_id for e in read_expenses(path)} == {own.id}


def test_a_source_of_another_year_does_not_pay_for_the_occasion(repo, path):
    repo.save_source(replace(GRANT, year=2027))
    course(repo)
    assert lines(path) == {}


def test_cancelling_an_occasion_removes_its_planned_lines(repo, path, staff):
    repo.save_source(GRANT)
    _, occasion = course(repo)
    repo.book(occasion.id, [staff[0].id])
    stored = read_occasion(path, occasion.id)
    repo.save_occasion(replace(stored, status=p.CANCELLED))
    assert lines(path) == {}


def test_a_committed_line_is_never_changed_by_the_plan_and_the_difference_is_adjusted_on_request(repo, path, staff):
    repo.save_source(GRANT)
    _, occasion = course(repo, days=0)
    repo.book(occasion.id, [staff[0].id, staff[1].id])
    planned = [e for e in read_expenses(path) if e.occasion_id == occasion.id]
    assert repo.move_lines(planned, b.COMMITTED) == 2
    repo.book(occasion.id, [staff[2].id])
    assert lines(path) == {"fast": ("atagen", 10_000, "utbildningsplatser"),
                           "platser": ("atagen", 3_000, "utbildningsplatser")}  # fmt: skip
    assert repo.adjust_committed(occasion.id) == 1
    assert lines(path)["platser"] == ("atagen", 4_500, "utbildningsplatser")
    assert repo.adjust_committed(occasion.id) == 0


def test_a_paid_line_stays_when_its_occasion_is_deleted_and_planned_lines_go(repo, path, staff):
    repo.save_source(GRANT)
    _, occasion = course(repo, days=0)
    repo.book(occasion.id, [staff[0].id])
    fixed = next(e for e in read_expenses(path) if e.origin == b.FIXED)
    repo.move_lines([fixed], b.PAID)
    repo.delete_occasion(occasion.id)
    (left,) = read_expenses(path)
    assert (left.origin, left.status, left.amount, left.occasion_id) == (b.FIXED, b.PAID, 10_000, None)


def test_a_new_daily_rate_prices_the_cover_again(repo, path, staff):
    repo.save_source(GRANT)
    _, occasion = course(repo, fixed=0, per=0, days=1.5)
    repo.book(occasion.id, [staff[0].id])
    assert lines(path) == {"vikarier": ("planerad", 3_000, "vikarier")}
    repo.save_budget_settings(BudgetSettings(2501, 45, 3))
    assert read_budget_settings(path) == BudgetSettings(2501, 45, 3)
    assert lines(path) == {"vikarier": ("planerad", 3_752, "vikarier")}  # 3 751,5 kr, half a krona up


def test_a_plan_added_in_bulk_gets_its_lines(repo, path, staff):
    repo.save_source(GRANT)
    plan = p.Plan(
        [Training("A", p.TRAINING, 2026, ("samtal",), id=-1)],
        [Occasion(-1, date(2026, 5, 1), date(2026, 5, 1), cost_per_participant=700, id=-1)],
        [Participant(-1, staff[0].id), Participant(-1, staff[1].id, p.ATTENDED)],
    )
    repo.add_plan(plan)
    assert lines(path) == {"platser": ("planerad", 1_400, "utbildningsplatser")}


def read_occasion(path: Path, occasion_id: int) -> Occasion:
    from bouv_tui.store.plans import read_plan

    return next(o for o in read_plan(path, 2026).occasions if o.id == occasion_id)


# --- expenses --------------------------------------------------------------------------------


def test_a_stop_cap_refuses_one_krona_past_its_limit_and_takes_it_exactly(repo, path):
    source = repo.save_source(GRANT)
    repo.save_expense(Expense(date(2026, 2, 1), 499_999, "resor", source.id, b.PAID))
    with pytest.raises(BudgetRefused) as caught:
        repo.save_expense(Expense(date(2026, 2, 2), 2, "vikarier", source.id, b.COMMITTED))
    assert "1 kr finns kvar" in str(caught.value).replace("\u00a0", " ")
    assert str(caught.value).endswith("Ingenting sparades.")
    assert len(read_expenses(path)) == 1
    repo.save_expense(Expense(date(2026, 2, 2), 1, "vikarier", source.id, b.COMMITTED))
    assert sum(e.amount for e in read_expenses(path)) == 500_000
    # planned lines do not use money: the cap does not refuse them
    repo.save_expense(Expense(date(2026, 3, 1), 10_000, "resor", source.id, b.PLANNED))


def test_a_cost_type_the_source_does_not_pay_is_refused(repo, path):
    source = repo.save_source(replace(GRANT, cost_types=("utbildningsplatser",), caps=()))
    with pytest.raises(BudgetRefused, match="betalar inte resor"):
        repo.save_expense(Expense(date(2026, 2, 1), 100, "resor", source.id, b.PAID))
    assert read_expenses(path) == []


def test_confirming_lines_past_a_stop_cap_is_refused_whole(repo, path):
    source = repo.save_source(GRANT)
    one = repo.save_expense(Expense(date(2026, 2, 1), 300_000, "resor", source.id))
    two = repo.save_expense(Expense(date(2026, 2, 1), 300_000, "vikarier", source.id))
    with pytest.raises(BudgetRefused):
        repo.move_lines([one, two], b.COMMITTED)
    assert {e.status for e in read_expenses(path)} == {b.PLANNED}


def test_an_expense_changed_in_another_window_is_not_overwritten(repo, other, path):
    source = repo.save_source(GRANT)
    stored = repo.save_expense(Expense(date(2026, 2, 1), 100, "resor", source.id, b.PAID, voucher="V1"))
    other.save_expense(replace(stored, amount=200))
    with pytest.raises(Conflict) as caught:
        repo.save_expense(replace(stored, note="ny"), shown=stored)
    assert [(c.label, c.stored) for c in caught.value.changes] == [("Belopp", "200")]
    with pytest.raises(Conflict):
        repo.move_lines([stored], b.COMMITTED)
    repo.save_expense(replace(stored, note="ny"), force=True)
    (saved,) = read_expenses(path)
    assert (saved.amount, saved.note, saved.version) == (100, "ny", 3)


def test_deleting_a_source_takes_its_expenses(repo, path):
    source = repo.save_source(GRANT)
    repo.save_expense(Expense(date(2026, 2, 1), 100, "resor", source.id, b.PAID))
    repo.delete_source(source.id, version=1)
    assert rows(path, "expense") == [] and rows(path, "funding_cap") == []


# --- scenarios ---------------------------------------------------------------------------------


def test_a_scenario_is_saved_apart_and_an_older_copy_is_not_overwritten(repo, other, path):
    before = rows(path, "expense")
    scenario_id, version = repo.save_scenario(2026, "Utan vårkursen", '{"av": [1]}')
    assert read_scenarios(path, 2026) == [(scenario_id, "Utan vårkursen", '{"av": [1]}', 1)]
    assert repo.save_scenario(2026, "Utan vårkursen", "{}") == (scenario_id, 2)  # the same name: saved over
    other.save_scenario(2026, "Utan vårkursen", "{}", scenario_id=scenario_id, version=2)
    with pytest.raises(Conflict):
        repo.save_scenario(2026, "Utan vårkursen", "{}", scenario_id=scenario_id, version=2)
    assert rows(path, "expense") == before
    repo.delete_scenario(scenario_id)
    assert read_scenarios(path, 2026) == []


def test_applying_changes_is_all_or_nothing(repo, path, staff):
    source = repo.save_source(GRANT)
    _, occasion = course(repo, days=0)
    manual = repo.save_expense(Expense(date(2026, 4, 1), 1_000, "kurslitteratur", source.id))
    stale = repo.save_expense(Expense(date(2026, 4, 2), 2_000, "resor", source.id))
    repo.save_expense(replace(stale, amount=2_100))  # changed since the scenario was worked out
    before = rows(path, "expense")
    with pytest.raises(Conflict):
        repo.apply_changes(cancel_occasions=[read_occasion(path, occasion.id)], remove=[stale])
    assert rows(path, "expense") == before
    repo.apply_changes(
        cancel_occasions=[read_occasion(path, occasion.id)], amounts=[replace(manual, amount=1_200)],
        add=[Expense(date(2026, 6, 1), 9_000, "utbildningsplatser", source.id, note="Hypotetisk: Ny kurs")],
    )  # fmt: skip
    assert sorted((e.amount, e.cost_type) for e in read_expenses(path)) == [
        (1_200, "kurslitteratur"), (2_100, "resor"), (9_000, "utbildningsplatser")
    ]
    assert read_occasion(path, occasion.id).status == p.CANCELLED


def test_expenses_added_in_bulk_are_read_back_the_same(repo, path):
    source = repo.save_source(GRANT)
    many = [Expense(date(2026, 1 + i % 12, 1 + i % 28), 100 + i, "resor", source.id, b.PAID, voucher=f"V{i}",
                    note="månadens resor") for i in range(1_500)]  # fmt: skip
    assert repo.add_expenses(many) == 1_500
    read = read_expenses(path, 2026)
    assert sorted((e.day, e.amount, e.voucher, e.note, e.version) for e in read) == sorted(
        (e.day, e.amount, e.voucher, e.note, 1) for e in many
    )


def test_an_expense_changed_elsewhere_is_not_deleted_unless_forced(repo, other, path):
    source = repo.save_source(GRANT)
    stored = repo.save_expense(Expense(date(2026, 2, 1), 100, "resor", source.id, b.PAID))
    other.save_expense(replace(stored, amount=150))
    with pytest.raises(Conflict, match="Utgiften har ändrats i ett annat fönster. Ingenting togs bort."):
        repo.delete_expense(stored.id, version=stored.version)
    assert [e.amount for e in read_expenses(path)] == [150]
    repo.delete_expense(stored.id, version=stored.version, force=True)
    assert read_expenses(path) == []
    repo.delete_expense(stored.id)  # gone already: nothing to do


def test_a_source_changed_elsewhere_is_not_deleted(repo, other, path):
    stored = repo.save_source(GRANT)
    other.save_source(replace(stored, paid_out=1))
    with pytest.raises(Conflict, match="Finansieringskällan har ändrats"):
        repo.delete_source(stored.id, version=stored.version)
    assert len(read_sources(path)) == 1


def test_the_budget_read_ahead_is_taken_once_and_only_when_it_is_there(path, staff):
    import time

    from bouv_tui.services import Workspace

    ws = Workspace(path)
    try:
        ws.save_source(GRANT)
        assert ws.budget_read_ahead(2026) is None  # nothing read ahead
        ws.prefetch_budget(2026)
        for _ in range(200):
            if ws._budget_prefetch[1].done():
                break
            time.sleep(0.01)
        assert ws.budget_read_ahead(2025) is None  # another year: left for budget_first_view
        view = ws.budget_read_ahead(2026)
        assert view is not None and view.expenses is None and [s.name for s in view.sources] == ["Kompetensmedel"]
        assert ws.budget_read_ahead(2026) is None  # taken once
        whole = ws.budget_view(2026)
        assert whole.expenses == [] and whole.differences == []
    finally:
        ws.close()

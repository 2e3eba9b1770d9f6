"""The demo's budget (``demo/budget.py``): the sources of both years, an occasion's cost as its
own lines and never twice, the lines settled by the occasions' dates, this year's grant close
to its cap with money going back, last year's accounted for, every line within its source's
rules; at national scale about 20 000 lines; the same seed the same rows."""

from __future__ import annotations

import sqlite3
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from bouv_tui import demo
from bouv_tui.demo import DEFAULT_TODAY, write_demo
from bouv_tui.demo.budget import DemoBudgetError, check_rules, grant_for
from bouv_tui.domain import budget as rules
from bouv_tui.domain import plan as plan_rules
from bouv_tui.exchange.grant_file import read_grant, template_2013
from bouv_tui.store.budget import read_budget_settings, read_expenses, read_sources
from bouv_tui.store.plans import read_plan

TODAY = DEFAULT_TODAY
YEAR, LAST_YEAR = TODAY.year, TODAY.year - 1
TEMPLATE = read_grant(template_2013())


@pytest.fixture(autouse=True)
def private_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture(scope="module")
def demo24(tmp_path_factory) -> Path:
    return write_demo(tmp_path_factory.mktemp("demo") / "demo.sqlite", staff=24, seed=1)


@pytest.fixture(scope="module")
def national(tmp_path_factory) -> Path:
    return write_demo(tmp_path_factory.mktemp("national") / "national.sqlite", staff=5113, seed=2013)


def sources(path: Path) -> dict[tuple[int, str], rules.FundingSource]:
    found = read_sources(path)
    assert len({(s.year, s.kind) for s in found}) == len(found), "one source of a kind a year"
    return {(s.year, s.kind): s for s in found}


def expected_lines(path: Path) -> dict[int, list[tuple]]:
    """What each occasion of both years costs, worked out here from the plan, the settings and
    the sources: (origin, cost type, amount, day, source id) of its ``occasion_lines``."""
    rate = read_budget_settings(path).cover_daily_rate
    by_kind = sources(path)
    wanted = {}
    for year in (LAST_YEAR, YEAR):
        plan = read_plan(path, year)
        for o in plan.occasions:
            source = by_kind.get((year, o.funding))
            kind = plan.training(o.training_id).kind
            lines = rules.occasion_lines(o, kind, len(plan.seated(o.id)), rate, source.id if source else None)
            wanted[o.id] = sorted((e.origin, e.cost_type, e.amount, e.day, e.source_id) for e in lines)
    return wanted


def stored_lines(path: Path) -> dict[int, list[tuple]]:
    got: dict[int, list[tuple]] = {}
    for e in read_expenses(path):
        if e.origin is not None:
            got.setdefault(e.occasion_id, []).append((e.origin, e.cost_type, e.amount, e.day, e.source_id))
    return {k: sorted(v) for k, v in got.items()}


def capped_planned(source: rules.FundingSource, cap: rules.Cap, expenses) -> int:
    return sum(e.amount for e in expenses
               if e.source_id == source.id and e.status == rules.PLANNED and e.cost_type in cap.cost_types)  # fmt: skip


# --- the sources ------------------------------------------------------------------------------------


def test_this_year_has_the_grant_of_the_template_and_own_funds_last_year_its_grant(demo24):
    found = sources(demo24)
    assert set(found) == {(y, k) for y in (LAST_YEAR, YEAR) for k in (rules.GRANT, rules.OWN_FUNDS)}
    for year in (LAST_YEAR, YEAR):
        grant = found[(year, rules.GRANT)]
        assert (grant.name, grant.caps, grant.cost_types, grant.unspent) == (
            TEMPLATE.name, TEMPLATE.caps, TEMPLATE.cost_types, rules.PAID_BACK)
        assert (grant.use_from, grant.use_until, grant.report_by) == (date(year, 1, 1), date(year, 12, 31),
                                                                      date(year + 1, 4, 30))  # fmt: skip
        assert grant.requisitioned == grant.paid_out > 0
        own = found[(year, rules.OWN_FUNDS)]
        assert (own.name, own.caps, own.unspent) == ("Egna kompetensmedel", (), rules.MAY_BE_SAVED)


# --- an occasion's cost is its lines, once --------------------------------------------------------


def test_every_occasion_has_exactly_its_own_lines(demo24):
    wanted = {k: v for k, v in expected_lines(demo24).items() if v}
    assert stored_lines(demo24) == wanted
    assert len(wanted) >= 12  # both years' occasions, own funds too
    pairs = Counter((e.occasion_id, e.origin) for e in read_expenses(demo24) if e.origin is not None)
    assert max(pairs.values()) == 1, "no part of an occasion's cost counted twice"


def test_the_lines_are_settled_as_the_occasions_went(demo24):
    settings = read_budget_settings(demo24)
    occasions = {o.id: o for y in (LAST_YEAR, YEAR) for o in read_plan(demo24, y).occasions}
    seen = Counter()
    for e in read_expenses(demo24):
        if e.origin is None:
            continue
        o = occasions[e.occasion_id]
        invoiced = o.start + timedelta(days=settings.payment_days) <= TODAY
        if o.status == plan_rules.DONE and invoiced:
            want = rules.PAID
        elif o.status in (plan_rules.DONE, plan_rules.ONGOING) or o.start <= TODAY + timedelta(days=14):
            want = rules.COMMITTED
        else:
            want = rules.PLANNED
        assert e.status == want, (o, e)
        seen[want] += 1
    assert all(seen[s] > 0 for s in rules.EXPENSE_STATUSES.codes()), seen
    # Last year is over: every line of it is paid.
    assert {e.status for e in read_expenses(demo24, LAST_YEAR)} == {rules.PAID}


def test_manual_lines_are_travel_literature_supervision_and_administration(demo24):
    manual = [e for e in read_expenses(demo24, YEAR) if e.origin is None]
    assert {e.cost_type for e in manual} == {"resor", "kurslitteratur", "stod_handledning", "administration"}
    by_kind = sources(demo24)
    supervision = [e for e in manual if e.cost_type == "stod_handledning"]
    assert {e.source_id for e in supervision} == {by_kind[(YEAR, rules.OWN_FUNDS)].id}
    assert len({e.day.month for e in supervision}) == 12  # every month, December planned
    assert {e.status for e in supervision if e.day.month == 12} == {rules.PLANNED}
    assert {e.status for e in supervision if e.day < TODAY} == {rules.PAID}
    assert all(e.note for e in manual)


def test_paid_lines_have_unique_vouchers_and_the_others_none(demo24):
    expenses = read_expenses(demo24)
    paid = [e.voucher for e in expenses if e.status == rules.PAID]
    assert all(paid) and len(set(paid)) == len(paid)
    assert not any(e.voucher for e in expenses if e.status != rules.PAID)


# --- the rules and the figures -----------------------------------------------------------------------


def test_every_line_passes_its_sources_rules_without_a_warning(demo24):
    expenses = read_expenses(demo24)
    by_id = {s.id: s for s in read_sources(demo24)}
    for e in expenses:
        source = by_id[e.source_id]
        check = rules.check_expense(source, [x for x in expenses if x.source_id == source.id], e)
        assert check.ok and not check.warnings, (e, check)


@pytest.mark.parametrize("fixture", ["demo24", "national"])
def test_this_years_grant_is_close_to_its_cap_and_the_forecast_pays_back(request, fixture):
    path = request.getfixturevalue(fixture)
    expenses = read_expenses(path)
    for source in read_sources(path):
        f = rules.figures(source, expenses)
        assert f.committed + f.spent <= source.paid_out, source.name  # used ≤ paid out
        for cap in f.caps:
            assert cap.used <= cap.limit, (source.year, cap)  # every cap, stoppa or varna
    grant = sources(path)[(YEAR, rules.GRANT)]
    f = rules.figures(grant, expenses)
    [cap] = f.caps
    assert 0.40 <= cap.used / grant.paid_out <= 0.50
    # The planned occasions, once committed, still fit under it: the rest can only go to seats.
    assert cap.used + capped_planned(grant, cap.cap, expenses) <= cap.limit
    assert 0 < f.capped_room() < f.left
    # The year-end forecast: what is neither used nor planned goes back by the reporting day.
    unspent = grant.paid_out - f.spent - f.committed - f.planned
    assert unspent > 0 and grant.unspent == rules.PAID_BACK
    assert f.left_after_plans == unspent
    assert f.planned > 0, "planned occasions late in the year"


def test_last_years_grant_is_accounted_for_with_what_went_back(demo24):
    expenses = read_expenses(demo24)
    grant = sources(demo24)[(LAST_YEAR, rules.GRANT)]
    f = rules.figures(grant, expenses)
    assert f.planned == f.committed == 0
    assert grant.paid_out - f.spent - grant.paid_back == 0  # nothing not accounted for
    assert 0 < grant.paid_back < grant.paid_out / 2
    assert f.caps[0].used <= f.caps[0].limit


def test_the_own_funds_are_not_overspent_and_last_years_used_up(demo24):
    expenses = read_expenses(demo24)
    found = sources(demo24)
    now = rules.figures(found[(YEAR, rules.OWN_FUNDS)], expenses)
    assert now.left_after_plans > 0 and now.spent > 0
    before = rules.figures(found[(LAST_YEAR, rules.OWN_FUNDS)], expenses)
    assert before.left == 0 and before.spent > 0


def test_the_check_before_writing_refuses_one_krona_past_a_cap():
    grant = replace(grant_for(YEAR, TEMPLATE), paid_out=1_000, id=7)
    at_limit = [rules.Expense(date(YEAR, 6, 1), 500, "resor", 7, rules.PAID)]
    check_rules(grant, at_limit)  # exactly at the cap's 50 %
    with pytest.raises(DemoBudgetError, match="past its limits"):
        check_rules(grant, [replace(at_limit[0], amount=501)])
    with pytest.raises(DemoBudgetError, match="past its limits"):  # more used than paid out
        check_rules(grant, [*at_limit, rules.Expense(date(YEAR, 6, 1), 501, "utbildningsplatser", 7, rules.PAID)])
    with pytest.raises(DemoBudgetError, match="outside the rules"):
        check_rules(replace(grant, use_until=date(YEAR, 5, 31)), at_limit)
    check_rules(grant, [replace(at_limit[0], amount=10_000, status=rules.PLANNED)])  # plans use no money


# --- the national scale and the seed ----------------------------------------------------------------------


def test_the_national_scale_has_about_twenty_thousand_lines(national):
    expenses = read_expenses(national)
    assert 17_000 <= len(expenses) <= 23_000
    assert sum(e.origin is not None for e in expenses) >= 2_000
    assert stored_lines(national) == {k: v for k, v in expected_lines(national).items() if v}


def _budget_rows(path: Path) -> list[list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        return [
            conn.execute("SELECT id, year, name, kind, requisitioned, paid_out, paid_back, use_from, use_until, "
                         "report_by, unspent, cost_types, version FROM funding_source ORDER BY id").fetchall(),
            conn.execute("SELECT * FROM funding_cap ORDER BY source_id, position").fetchall(),
            conn.execute("SELECT id, source_id, day, amount, cost_type, status, occasion_id, origin, voucher, note, "
                         "version FROM expense ORDER BY id").fetchall(),
        ]  # fmt: skip
    finally:
        conn.close()


def test_the_same_seed_gives_the_same_budget_and_another_seed_another(tmp_path, demo24):
    again = write_demo(tmp_path / "again.sqlite", staff=24, seed=1)
    assert _budget_rows(again) == _budget_rows(demo24)
    other = write_demo(tmp_path / "other.sqlite", staff=24, seed=2)
    assert _budget_rows(other)[2] != _budget_rows(demo24)[2]


def test_the_budget_step_changes_nothing_the_plan_step_writes(tmp_path, demo24, monkeypatch):
    monkeypatch.setattr(demo, "STEPS", [s for s in demo.STEPS if s[0] != "budget"])
    without = write_demo(tmp_path / "without.sqlite", staff=24, seed=1)
    assert read_sources(without) == [] and read_expenses(without) == []
    for year in (LAST_YEAR, YEAR):
        first, second = read_plan(without, year), read_plan(demo24, year)
        assert (first.trainings, first.occasions, first.participants) == (
            second.trainings, second.occasions, second.participants)

"""The budget's arithmetic for any lines (hypothesis): totals are the sum of their parts, a line
is counted under one status only, caps are shares of the grant whatever is spent, a forecast's
parts add up, a what-if switched on and off again is the real data, and the effect's split
adds up to the cost."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from bouv_tui.domain import budget as b
from bouv_tui.domain import budget_whatif as w
from bouv_tui.domain import catalog
from bouv_tui.domain.budget_effect import effect_per_krona, split_cost
from bouv_tui.domain.plan import Occasion, Training

COST_TYPES = catalog.COST_TYPES.codes()
AREAS = catalog.AREAS.codes()
days = st.dates(date(2025, 10, 1), date(2027, 3, 31))
amounts = st.integers(0, 2_000_000)
expenses = st.lists(
    st.builds(
        b.Expense, days, amounts, st.sampled_from(COST_TYPES), st.sampled_from([1, 2]),
        st.sampled_from(b.EXPENSE_STATUSES.codes()), st.one_of(st.none(), st.integers(1, 6)),
        origin=st.sampled_from([None, b.SEATS, b.COVER]), id=st.integers(1, 10_000),
    ),
    max_size=25, unique_by=lambda e: e.id,
)  # fmt: skip
caps = st.lists(
    st.builds(b.Cap, st.text("abc", min_size=1, max_size=3), st.floats(0, 1), st.sets(st.sampled_from(COST_TYPES))
              .map(tuple), st.sampled_from([b.WARN, b.STOP])), max_size=3,
)  # fmt: skip


@st.composite
def sources(draw):
    start = draw(st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2026, 12, 31))))
    end = draw(st.one_of(st.none(), st.dates(start or date(2026, 1, 1), date(2027, 6, 30))))
    return b.FundingSource(
        "Bidraget", b.GRANT, 2026, paid_out=draw(st.integers(0, 10_000_000)), use_from=start, use_until=end,
        report_by=draw(st.one_of(st.none(), days)), unspent=draw(st.sampled_from([b.PAID_BACK, b.MAY_BE_SAVED])),
        caps=tuple(draw(caps)), id=1,
    )  # fmt: skip


def own(lines):
    return [e for e in lines if e.source_id == 1]


@settings(max_examples=150, deadline=None)
@given(sources(), expenses)
def test_the_figures_are_the_sum_of_the_lines_each_counted_once(source, lines):
    f = b.figures(source, lines)
    assert f.planned + f.committed + f.spent == sum(e.amount for e in own(lines))
    assert f.committed + f.spent == sum(e.amount for e in own(lines) if e.uses_money)
    assert f.left + f.committed + f.spent == source.paid_out
    assert f.left_after_plans == f.left - f.planned
    for cap in f.caps:
        assert cap.used == sum(e.amount for e in own(lines) if e.uses_money and e.cost_type in cap.cap.cost_types)


@settings(max_examples=150, deadline=None)
@given(sources(), expenses, expenses)
def test_a_caps_limit_is_a_share_of_the_grant_whatever_is_spent(source, some, other):
    limits = [c.limit for c in b.figures(source, some).caps]
    assert limits == [c.limit for c in b.figures(source, other).caps] == [b.cap_limit(source, c) for c in source.caps]
    for cap, limit in zip(source.caps, limits, strict=True):
        assert 0 <= limit <= source.paid_out * cap.share + 1e-6 < limit + 1


@settings(max_examples=150, deadline=None)
@given(sources(), expenses, st.integers(0, 1_000_000), st.sampled_from(COST_TYPES), st.booleans())
def test_a_stop_cap_takes_exactly_its_room(source, lines, amount, cost_type, paid):
    source = b.FundingSource("S", b.GRANT, 2026, paid_out=source.paid_out,
                             caps=(b.Cap("Tak", 0.5, (cost_type,), b.STOP),), id=1)  # fmt: skip
    room = b.figures(source, lines).caps[0].room
    new = b.Expense(date(2026, 6, 1), amount, cost_type, 1, b.PAID if paid else b.PLANNED)
    assert b.check_expense(source, lines, new).ok is (not paid or amount <= room)


@settings(max_examples=200, deadline=None)
@given(sources(), expenses, days, st.integers(0, 90), st.integers(0, 14))
def test_the_forecasts_parts_add_up(source, lines, today, payment_days, warn_months):
    f = b.figures(source, lines)
    fc = b.forecast(f, lines, today, b.BudgetSettings(payment_days=payment_days, warn_months=warn_months))
    assert fc.planned + fc.late == f.planned
    assert fc.used == f.committed + f.spent
    assert fc.late_lines == sum(1 for e in own(lines) if e.status == b.PLANNED and e.day > fc.last_day_to_commit)
    assert fc.unspent == max(0, source.paid_out - fc.used - fc.planned - fc.pace)
    assert fc.pace >= 0 and fc.days_elapsed >= 0 and fc.days_left >= 0
    assert fc.first_day <= fc.last_day  # the strategy's periods; each day of one is elapsed or left
    assert fc.days_elapsed + fc.days_left == (fc.last_day - fc.first_day).days + 1
    assert fc.paid_back == (fc.unspent if source.unspent == b.PAID_BACK else 0)
    assert fc.due == (source.report_by if fc.paid_back else None)
    assert not fc.warn or (fc.paid_back and today <= fc.last_day)


@settings(max_examples=150, deadline=None)
@given(sources(), expenses)
def test_the_months_add_up_to_the_lines_dated_in_them(source, lines):
    found = b.months(source, lines, 2026)
    first, last = found[0].first, found[-1].first
    shown = [e for e in own(lines) if first <= e.day.replace(day=1) <= last]
    assert sum(m.planned + m.committed + m.spent for m in found) == sum(e.amount for e in shown)
    assert found[-1].spent_total == sum(e.amount for e in shown if e.status == b.PAID)
    assert found[-1].used_total == sum(e.amount for e in shown if e.uses_money)
    assert all((m.first.month % 12) + 1 == n.first.month for m, n in zip(found, found[1:]))


ids = st.frozensets(st.integers(1, 12), max_size=6)
trainings = st.lists(st.builds(w.HypotheticalTraining, st.text(min_size=1, max_size=8).filter(str.strip)
                               .map(str.strip), days, st.integers(1, 10**7), st.sampled_from(COST_TYPES),
                               st.one_of(st.none(), st.integers(1, 9))), max_size=3).map(tuple)  # fmt: skip
scenarios = st.builds(
    w.Scenario, st.text(min_size=1, max_size=10).filter(str.strip).map(str.strip), st.integers(2000, 2100), ids,
    st.frozensets(st.integers(1, 6), max_size=3), st.dictionaries(st.integers(1, 12), amounts, max_size=4), trainings,
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(expenses)
def test_an_empty_scenario_is_the_identity(lines):
    assert w.apply_scenario(lines, w.Scenario("Tom", 2026)) == lines


@settings(max_examples=150, deadline=None)
@given(expenses, scenarios, st.integers(1, 12), st.integers(1, 6))
def test_switching_off_and_on_again_restores(lines, scenario, expense_id, occasion_id):
    again = scenario.toggle_expense(expense_id).toggle_expense(expense_id)
    assert again == scenario and w.apply_scenario(lines, again) == w.apply_scenario(lines, scenario)
    assert scenario.toggle_occasion(occasion_id).toggle_occasion(occasion_id) == scenario


@settings(max_examples=150, deadline=None)
@given(expenses, scenarios)
def test_a_scenario_never_takes_out_what_was_committed_or_paid(lines, scenario):
    after = w.apply_scenario(lines, scenario)
    real = [e for e in after if e.origin != b.HYPOTHETICAL]
    assert [e.id for e in real] == [e.id for e in lines if not w.switched_off(e, scenario)]
    assert [e.id for e in real if e.uses_money] == [e.id for e in lines if e.uses_money]
    assert [e.amount for e in real if e.status == b.PAID] == [e.amount for e in lines if e.status == b.PAID]
    assert len(after) - len(real) == len(scenario.trainings)


@settings(max_examples=150, deadline=None)
@given(scenarios)
def test_a_scenario_is_read_back_as_written(scenario):
    assert w.scenario_from_json(w.scenario_to_json(scenario)) == scenario


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10**9), st.lists(st.sampled_from(AREAS), min_size=1, max_size=len(AREAS), unique=True))
def test_the_split_adds_up_and_differs_by_a_krona_at_most(cost, areas):
    shares = split_cost(cost, areas)
    assert sum(shares) == cost and max(shares) - min(shares) <= 1 and shares == sorted(shares, reverse=True)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from(AREAS), max_size=4), min_size=1, max_size=6), expenses)
def test_the_areas_cost_adds_up_to_the_trainings(area_lists, lines):
    plan = [Training(f"T{i}", "utbildning", 2026, areas=tuple(a), id=i) for i, a in enumerate(area_lists, 1)]
    occasions = [Occasion(t.id, date(2026, 1, 1), date(2026, 1, 1), id=t.id) for t in plan]
    found = effect_per_krona(plan, occasions, [], lines, {}, {})
    with_areas = {t.id for t in plan if t.areas}
    assert sum(e.cost for e in found) == sum(e.amount for e in lines if e.uses_money and e.occasion_id in with_areas)
    assert {e.area for e in found} == {a for t in plan for a in t.areas}
    assert [e.area for e in found] == [a for a in AREAS if a in {e.area for e in found}]
    for e in found:
        assert e.trainings == sum(1 for t in plan if e.area in t.areas)



@settings(max_examples=200, deadline=None)
@given(sources(), expenses, days, st.integers(0, 60), st.integers(0, 12))
def test_folding_the_paid_lines_changes_no_figure_forecast_or_month(source, lines, today, payment_days, months):
    folded = w.fold_paid(lines)
    assert len(folded) <= len(lines)
    assert [e for e in folded if e.status != b.PAID] == [e for e in lines if e.status != b.PAID]
    settings_ = b.BudgetSettings(2000, payment_days, months)
    f, g = b.figures(source, lines), b.figures(source, folded)
    assert f == g
    assert b.forecast(f, lines, today, settings_) == b.forecast(g, folded, today, settings_)
    assert b.months(source, lines, 2026) == b.months(source, folded, 2026)

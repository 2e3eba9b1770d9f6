"""The financial report's figures and checks (``domain.finance``, issue 15 §4): förbrukat is
what was paid within the source's period, ej redovisat what is left of what was paid out, the
capped share against its limit, and every check on both sides of its boundary."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bouv_tui.domain import budget as b
from bouv_tui.domain import catalog, finance
from bouv_tui.domain import plan as plans
from bouv_tui.domain.budget import Cap, Expense
from bouv_tui.domain.submission import ERROR, WARNING
from bouv_tui.exchange.grant_file import read_grant, template_2013

NB = "\u00a0"
SIDE = finance.SUPPORT_AND_SIDE_COSTS
#: The 2013 template: 33 226 408 kr paid out, 2013-05-16–2013-12-31, half of it at most to support and side costs (varna).
GRANT_2013 = replace(read_grant(template_2013()), id=7)
LIMIT_2013 = 16_613_204
IN_PERIOD = date(2013, 9, 1)


def kr(amount: int) -> str:
    return f"{amount:,}".replace(",", NB) + f"{NB}kr"


def paid(amount, cost_type="utbildningsplatser", day=IN_PERIOD, status=b.PAID, source=7, **kw):
    return Expense(day, amount, cost_type, source, status, **kw)


def report(source=GRANT_2013, expenses=(), counts=None, year=2013):
    return finance.finance_report(year, source, list(expenses), counts or {})


def problems(source=GRANT_2013, expenses=()):
    expenses = list(expenses)
    return finance.finance_problems(source, expenses, report(source, expenses))


def messages(source=GRANT_2013, expenses=()):
    return [(p.severity, p.message) for p in problems(source, expenses)]


def all_used(source=GRANT_2013):
    """Paid out = förbrukat: no ej-redovisat warning beside what a test looks at."""
    return paid(source.paid_out - source.paid_back)


# --- the figures -----------------------------------------------------------------------------------


def test_the_2013_report_has_the_grants_figures_and_every_cost_type():
    r = report(expenses=[paid(10_000_000), paid(2_000_000, "vikarier"), paid(500_000, "stod_handledning"),
                         paid(1_234, "resor"), paid(99, "administration"), paid(1, "kurslitteratur")])  # fmt: skip
    assert (r.year, r.source_name) == (2013, "Kompetensutveckling social barn- och ungdomsvård")
    assert (r.paid_out, r.paid_back) == (33_226_408, 0)
    assert r.used == 12_501_334
    assert r.not_accounted == 33_226_408 - 12_501_334
    assert list(r.used_by_cost_type.items()) == [
        ("utbildningsplatser", 10_000_000), ("stod_handledning", 500_000), ("vikarier", 2_000_000),
        ("kurslitteratur", 1), ("resor", 1_234), ("administration", 99),
    ]  # fmt: skip
    assert r.capped_used == 2_501_334
    assert r.capped_share == round(2_501_334 / 33_226_408, 4) == 0.0753
    assert r.cap is GRANT_2013.caps[0] and r.cap_share == 0.5 and r.cap_limit == LIMIT_2013
    assert r.capped_cost_types == SIDE


def test_nothing_spent_is_every_cost_type_at_zero_and_all_of_it_not_accounted_for():
    r = report()
    assert list(r.used_by_cost_type) == catalog.COST_TYPES.codes()
    assert set(r.used_by_cost_type.values()) == {0}
    assert (r.used, r.capped_used, r.capped_share, r.not_accounted) == (0, 0, 0.0, 33_226_408)


def test_only_paid_counts_as_used_never_planned_or_committed():
    r = report(expenses=[paid(100), paid(20, status=b.COMMITTED), paid(3, status=b.PLANNED),
                         paid(4_000, "vikarier", status=b.COMMITTED)])  # fmt: skip
    assert r.used == 100 and r.used_by_cost_type["utbildningsplatser"] == 100
    assert r.used_by_cost_type["vikarier"] == 0 and r.capped_used == 0


def test_another_sources_expenses_are_not_this_reports():
    r = report(expenses=[paid(100), paid(5_000, source=8), paid(7, source=None)])
    assert r.used == 100


def test_paid_back_is_the_sources_and_not_accounted_is_what_is_left():
    source = replace(GRANT_2013, paid_out=1_000, paid_back=300)
    r = report(source, [paid(600)])
    assert (r.paid_out, r.used, r.paid_back, r.not_accounted) == (1_000, 600, 300, 100)


@pytest.mark.parametrize(("day", "counted"), [
    (date(2013, 5, 16), True), (date(2013, 5, 15), False),  # the period's first day, and the day before
    (date(2013, 12, 31), True), (date(2014, 1, 1), False),  # its last day, and the day after
])  # fmt: skip
def test_a_payment_counts_on_the_periods_edges_and_not_a_day_outside(day, counted):
    r = report(expenses=[paid(1_000, "resor", day)])
    assert r.used == r.used_by_cost_type["resor"] == r.capped_used == (1_000 if counted else 0)


def test_a_source_without_a_period_counts_every_payment():
    open_ended = replace(GRANT_2013, use_from=None, use_until=None)
    r = report(open_ended, [paid(1, day=date(1999, 1, 1)), paid(2, day=date(2099, 1, 1))])
    assert r.used == 3


def test_a_cost_type_outside_the_catalogue_is_still_counted_once():
    r = report(expenses=[paid(5, "okand"), paid(6, "okand"), paid(1)])
    assert r.used == 12 and r.used_by_cost_type["okand"] == 11


def test_the_participant_tables_have_every_category_in_order():
    counts = {plans.TRAINING: {"arbetsledare": 2, "handlaggare_over_4_ar": 5},
              plans.SUPPORT: {"annat": 1, "ovriga_handlaggare": 3, "handlaggare_utan_socionomexamen": 4}}  # fmt: skip
    r = report(counts=counts)
    assert list(r.participants_training.items()) == [
        ("handlaggare_over_4_ar", 5), ("handlaggare_utan_socionomexamen", 0), ("ovriga_handlaggare", 0),
        ("arbetsledare", 2), ("annat", 0),
    ]  # fmt: skip
    assert list(r.participants_support.items()) == [
        ("handlaggare_over_4_ar", 0), ("handlaggare_utan_socionomexamen", 4), ("ovriga_handlaggare", 3),
        ("arbetsledare", 0), ("annat", 1),
    ]  # fmt: skip
    assert list(plans.REPORT_CATEGORIES) == list(r.participants_training)


def test_the_participant_categories_are_the_plans_with_the_reports_words():
    assert finance.PARTICIPANT_CATEGORIES.codes() == list(plans.REPORT_CATEGORIES)
    assert finance.PARTICIPANT_CATEGORIES.label("ovriga_handlaggare") == "Resterande handläggare"


def test_a_missing_participant_table_is_zeros():
    r = report(counts={plans.SUPPORT: {"annat": 1}})
    assert r.participants_training == dict.fromkeys(plans.REPORT_CATEGORIES, 0)
    assert r.participants_support["annat"] == 1


def test_the_plans_own_counts_go_into_the_report_unchanged():
    counts = plans.report_person_counts(plans.Plan([], [], []), 2013, {}, date(2013, 12, 31))
    r = report(counts=counts)
    assert r.participants_training == counts[plans.TRAINING] and r.participants_support == counts[plans.SUPPORT]


# --- the capped share and its cap ----------------------------------------------------------------


def test_the_capped_share_is_zero_when_nothing_was_paid_out():
    r = report(replace(GRANT_2013, paid_out=0), [paid(10, "vikarier")])
    assert r.capped_share == 0.0 and r.capped_used == 10


def test_the_capped_share_has_four_decimals_and_is_of_what_was_paid_out():
    r = report(replace(GRANT_2013, paid_out=3), [paid(1, "vikarier"), paid(1)])
    assert r.capped_share == 0.3333
    assert report(replace(GRANT_2013, paid_out=8), [paid(1, "resor")]).capped_share == 0.125


def test_the_reported_cap_is_the_one_over_support_and_side_costs_in_any_order():
    travel = Cap("Resor", 0.1, ("resor",), b.STOP)
    side = Cap("Kringkostnader", 0.4, tuple(reversed(SIDE)))
    source = replace(GRANT_2013, caps=(travel, side))
    assert finance.reported_cap(source) is side
    r = report(source, [paid(7, "resor"), paid(3, "stod_handledning"), paid(100)])
    assert r.cap_share == 0.4 and r.capped_used == 10


def test_without_that_cap_the_first_is_reported_over_its_own_cost_types():
    travel = Cap("Resor", 0.1, ("resor",))
    almost = Cap("Nästan", 0.5, SIDE[:4])
    source = replace(GRANT_2013, caps=(travel, almost))
    assert finance.reported_cap(source) is travel
    r = report(source, [paid(7, "resor"), paid(3, "stod_handledning")])
    assert r.capped_cost_types == ("resor",) and r.capped_used == 7 and r.cap_share == 0.1
    assert report(replace(source, paid_out=33_226_409)).cap_limit == 3_322_640  # a tenth, rounded down


def test_without_caps_the_share_is_of_support_and_side_costs_and_there_is_no_limit():
    source = replace(GRANT_2013, caps=())
    assert finance.reported_cap(source) is None
    r = report(source, [paid(7, "resor"), paid(3, "stod_handledning"), paid(100)])
    assert r.cap is None and r.cap_share is None and r.cap_limit is None
    assert r.capped_cost_types == SIDE and r.capped_used == 10


# --- the checks ----------------------------------------------------------------------------------


def test_a_report_that_adds_up_has_no_problems():
    assert problems(expenses=[paid(LIMIT_2013, "vikarier"), paid(33_226_408 - LIMIT_2013)]) == []


def test_the_problems_are_the_reports_and_labelled_so():
    (problem,) = problems()
    assert problem.question == finance.QUESTION == "ekonomi"
    assert problem.label == "Ekonomisk redovisning"
    assert problem.names == ()


@pytest.mark.parametrize("action", [b.WARN, b.STOP])
def test_a_cap_at_its_limit_passes_and_one_krona_over_is_said_with_the_amount(action):
    source = replace(GRANT_2013, caps=(replace(GRANT_2013.caps[0], action=action),))
    rest = paid(33_226_408 - LIMIT_2013 - 1)
    assert messages(source, [paid(LIMIT_2013, "vikarier"), rest, paid(1)]) == []
    over = [paid(LIMIT_2013 - 10, "vikarier"), paid(11, "administration"), rest]
    assert messages(source, over) == [(ERROR if action == b.STOP else WARNING, (
        f"Taket ”Stöd och handledning samt kringkostnader” (50{NB}% av utbetalt, {kr(LIMIT_2013)}) överskrids med "
        f"{kr(1)}: {kr(LIMIT_2013 + 1)} har förbrukats i dess kostnadstyper."
    ))]  # fmt: skip


def test_the_cap_is_checked_on_what_was_paid_not_on_what_is_committed():
    over_if_committed = [paid(LIMIT_2013, "vikarier"), paid(33_226_408 - LIMIT_2013),
                         paid(5, "vikarier", status=b.COMMITTED), paid(5, "resor", status=b.PLANNED)]  # fmt: skip
    assert [p.message.split(" ")[1] for p in problems(expenses=over_if_committed)] == ["åtagen"]


def test_a_payment_outside_the_period_does_not_take_a_cap_past_its_limit():
    expenses = [paid(LIMIT_2013, "vikarier"), paid(33_226_408 - LIMIT_2013), paid(1, "resor", date(2014, 1, 1))]
    assert [p.message[:20] for p in problems(expenses=expenses)] == ["1 betald utgift på 1"]


def test_every_cap_is_checked_with_its_own_limit_and_share():
    caps = (Cap("Resor", 0.125, ("resor",), b.STOP), Cap("Litteratur", 0.1, ("kurslitteratur",)))
    source = replace(GRANT_2013, paid_out=1_000, caps=caps)
    assert messages(source, [paid(125, "resor"), paid(100, "kurslitteratur"), paid(775)]) == []
    assert messages(source, [paid(126, "resor"), paid(102, "kurslitteratur"), paid(772)]) == [
        (ERROR, f"Taket ”Resor” (12,5{NB}% av utbetalt, {kr(125)}) överskrids med {kr(1)}: {kr(126)} har förbrukats "
                "i dess kostnadstyper."),
        (WARNING, f"Taket ”Litteratur” (10{NB}% av utbetalt, {kr(100)}) överskrids med {kr(2)}: {kr(102)} har "
                  "förbrukats i dess kostnadstyper."),
    ]  # fmt: skip


def test_a_share_that_floating_point_cannot_hold_is_still_a_whole_percent():
    source = replace(GRANT_2013, paid_out=100, caps=(Cap("Resor", 0.29, ("resor",)),))  # 0.29 × 100 = 28.999…
    assert messages(source, [paid(30, "resor"), paid(70)])[0][1].startswith(
        f"Taket ”Resor” (29{NB}% av utbetalt, {kr(29)}) överskrids med {kr(1)}"
    )


def test_a_caps_limit_is_rounded_down_as_the_budget_rounds_it():
    source = replace(GRANT_2013, paid_out=33_226_409)  # half is 16 613 204,5: the limit is 16 613 204
    rest = paid(33_226_409 - LIMIT_2013 - 1)
    assert [p.severity for p in problems(source, [paid(LIMIT_2013 + 1, "vikarier"), rest])] == [WARNING]
    assert problems(source, [paid(LIMIT_2013, "vikarier"), rest, paid(1)]) == []


@pytest.mark.parametrize(("used", "expected"), [
    (33_226_408, []),
    (33_226_407, [(WARNING, f"{kr(1)} av det utbetalda är inte redovisat: varken förbrukat eller återbetalt.")]),
    (33_226_409, [(ERROR, f"Förbrukat och återbetalt är {kr(1)} mer än utbetalt ({kr(33_226_408)}).")]),
])  # fmt: skip
def test_money_not_accounted_for_on_both_sides_of_zero(used, expected):
    assert messages(expenses=[paid(used)]) == expected


def test_paid_back_money_is_accounted_for():
    source = replace(GRANT_2013, paid_back=1_226_408)
    assert messages(source, [paid(32_000_000)]) == []
    assert messages(source, [paid(32_000_001)]) == [
        (ERROR, f"Förbrukat och återbetalt är {kr(1)} mer än utbetalt ({kr(33_226_408)}).")
    ]


def test_nothing_paid_out_and_nothing_used_adds_up():
    assert messages(replace(GRANT_2013, paid_out=0)) == []


def test_one_payment_outside_the_period_is_counted_by_itself():
    late = paid(2_500, "resor", date(2014, 1, 1), voucher="V-77", note="Resa för Anna Ek")
    found = problems(expenses=[all_used(), late])
    assert [(p.severity, p.message) for p in found] == [
        (WARNING, f"1 betald utgift på {kr(2_500)} är daterad utanför perioden 2013-05-16–2013-12-31 och räknas "
                  "inte som förbrukad."),
    ]  # fmt: skip
    assert all("Anna" not in p.message and "V-77" not in p.message and p.names == () for p in found)


def test_payments_outside_the_period_are_counted_and_summed_and_not_plans_outside_it():
    outside = [paid(1_000, day=date(2013, 5, 15)), paid(234, day=date(2014, 1, 1)),
               paid(9, day=date(2014, 2, 1), status=b.PLANNED)]  # fmt: skip
    assert messages(expenses=[all_used(), *outside]) == [
        (WARNING, f"2 betalda utgifter på sammanlagt {kr(1_234)} är daterade utanför perioden 2013-05-16–2013-12-31 "
                  "och räknas inte som förbrukade."),
    ]  # fmt: skip


def test_a_payment_outside_an_open_period_says_so():
    source = replace(GRANT_2013, use_from=None)
    assert messages(source, [all_used(source), paid(1, day=date(2014, 1, 1))])[0][1] == (
        f"1 betald utgift på {kr(1)} är daterad utanför perioden …–2013-12-31 och räknas inte som förbrukad."
    )


def test_committed_lines_left_unpaid_are_a_warning_each_count_and_sum():
    assert messages(expenses=[all_used(), paid(400, status=b.COMMITTED)]) == [
        (WARNING, f"1 åtagen utgift på {kr(400)} är inte betald och räknas inte som förbrukad (markera den som "
                  "betald när fakturan är betald)."),
    ]  # fmt: skip
    assert messages(expenses=[all_used(), paid(400, status=b.COMMITTED), paid(1_600, "resor", status=b.COMMITTED),
                              paid(5, status=b.PLANNED), paid(6, status=b.COMMITTED, source=8)]) == [
        (WARNING, f"2 åtagna utgifter på sammanlagt {kr(2_000)} är inte betalda och räknas inte som förbrukade "
                  "(markera dem som betalda när fakturorna är betalda)."),
    ]  # fmt: skip


def test_only_this_sources_payments_outside_the_period_are_counted():
    assert messages(expenses=[all_used(), paid(1, day=date(2014, 1, 1), source=8)]) == []


def test_the_problems_come_caps_money_period_committed():
    source = replace(GRANT_2013, caps=(replace(GRANT_2013.caps[0], action=b.STOP),))
    found = problems(source, [paid(LIMIT_2013 + 1, "vikarier"), paid(1, day=date(2014, 1, 1)),
                              paid(1, status=b.COMMITTED)])  # fmt: skip
    assert [(p.severity, p.message.split(" ")[0]) for p in found] == [
        (ERROR, "Taket"), (WARNING, kr(33_226_408 - LIMIT_2013 - 1).split(" ")[0]), (WARNING, "1"), (WARNING, "1"),
    ]  # fmt: skip
    assert [p.message.split(" ")[1] for p in found[2:]] == ["betald", "åtagen"]


# --- the arithmetic, for any expenses -------------------------------------------------------------

STATUSES = st.sampled_from(b.EXPENSE_STATUSES.codes())
COST_TYPES = st.sampled_from(catalog.COST_TYPES.codes())
DAYS = st.dates(date(2013, 1, 1), date(2014, 6, 30))
EXPENSES = st.lists(
    st.builds(Expense, DAYS, st.integers(0, 5_000_000), COST_TYPES, st.sampled_from([7, 8]), STATUSES), max_size=30
)


@settings(max_examples=200, deadline=None)
@given(EXPENSES, st.integers(0, 40_000_000), st.integers(0, 5_000_000))
def test_the_totals_are_the_sums_of_their_parts(expenses, paid_out, paid_back):
    source = replace(GRANT_2013, paid_out=paid_out, paid_back=paid_back)
    r = report(source, expenses)
    counted = [e for e in expenses if e.source_id == 7 and e.status == b.PAID and source.in_period(e.day)]
    assert r.used == sum(r.used_by_cost_type.values()) == sum(e.amount for e in counted)
    for code in catalog.COST_TYPES.codes():
        assert r.used_by_cost_type[code] == sum(e.amount for e in counted if e.cost_type == code)
    assert r.used + r.paid_back + r.not_accounted == paid_out
    assert r.capped_used == sum(r.used_by_cost_type[t] for t in SIDE) <= r.used
    assert 0.0 <= r.capped_share and (paid_out == 0 or abs(r.capped_share - r.capped_used / paid_out) <= 0.00005)


@settings(max_examples=200, deadline=None)
@given(EXPENSES, st.integers(0, 40_000_000))
def test_a_problem_is_said_exactly_when_the_figures_call_for_it(expenses, paid_out):
    source = replace(GRANT_2013, paid_out=paid_out)
    r = report(source, expenses)
    found = finance.finance_problems(source, expenses, r)
    capped = r.capped_used > b.cap_limit(source, source.caps[0])
    assert sum(p.message.startswith("Taket") for p in found) == int(capped)
    assert sum("av det utbetalda är inte redovisat" in p.message for p in found) == int(r.not_accounted > 0)
    assert sum(p.severity == ERROR for p in found) == int(r.not_accounted < 0)
    own = [e for e in expenses if e.source_id == 7]
    late = [e for e in own if e.status == b.PAID and not source.in_period(e.day)]
    assert sum("utanför perioden" in p.message for p in found) == int(bool(late))
    assert sum("inte betald" in p.message for p in found) == int(any(e.status == b.COMMITTED for e in own))
    assert all(p.question == "ekonomi" for p in found)


def test_a_day_either_side_of_the_period_is_outside_it_for_every_day_of_the_year():
    source = GRANT_2013
    day = date(2013, 1, 1)
    while day.year == 2013:
        r = report(source, [paid(1, day=day)])
        assert r.used == (1 if date(2013, 5, 16) <= day <= date(2013, 12, 31) else 0), day
        day += timedelta(days=1)

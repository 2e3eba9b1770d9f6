"""The budget's rules (``domain.budget``, issue 15): the room under each cap, what is left,
the warning and the refusal at a cap's limit on both sides, the period's ends and the
year-end forecast."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bouv_tui.domain import budget as b
from bouv_tui.domain import plan
from bouv_tui.domain.budget import Cap, Expense, FundingSource

SIDE_COSTS = ("stod_handledning", "vikarier", "kurslitteratur", "resor", "administration")
GRANT = FundingSource(
    "Kompetensutveckling", b.GRANT, 2026, 1_000_000, 1_000_000, 0, date(2026, 5, 16), date(2026, 12, 31),
    date(2027, 4, 30), b.PAID_BACK, caps=(Cap("Stöd och kringkostnader", 0.5, SIDE_COSTS, b.STOP),), id=1,
)  # fmt: skip


def spend(amount, cost_type="utbildningsplatser", status=b.PAID, day=date(2026, 6, 1), source=1, id=None):
    return Expense(day, amount, cost_type, source, status, id=id)


def test_left_is_paid_out_less_committed_and_spent_and_plans_are_apart():
    f = b.figures(GRANT, [spend(100_000), spend(50_000, status=b.COMMITTED), spend(30_000, status=b.PLANNED),
                          spend(999, source=2)])  # fmt: skip
    assert (f.spent, f.committed, f.planned) == (100_000, 50_000, 30_000)
    assert f.left == 850_000 and f.left_after_plans == 820_000


def test_a_cap_counts_committed_and_paid_in_its_cost_types():
    f = b.figures(GRANT, [spend(200_000, "vikarier"), spend(100_000, "resor", b.COMMITTED),
                          spend(90_000, "resor", b.PLANNED), spend(300_000)])  # fmt: skip
    (cap,) = f.caps
    assert (cap.limit, cap.used, cap.room) == (500_000, 300_000, 200_000)
    assert f.capped_room() == 200_000
    assert b.headline(f) == ("Kan fortfarande användas: 400\u00a0000\u00a0kr, varav högst 200\u00a0000\u00a0kr till "
                             "handledning och kringkostnader")  # fmt: skip


def test_the_capped_room_is_never_more_than_what_is_left_nor_below_zero():
    f = b.figures(GRANT, [spend(900_000)])
    assert f.capped_room() == 100_000  # the cap has 500 000 of room, but only 100 000 is left
    over = b.figures(GRANT, [spend(600_000, "vikarier")])
    assert over.caps[0].room == -100_000 and over.capped_room() == 0
    assert b.figures(FundingSource("Egna", b.OWN_FUNDS, 2026, paid_out=10, id=1), []).capped_room() is None
    assert b.headline(b.figures(FundingSource("Egna", b.OWN_FUNDS, 2026, paid_out=10, id=1), [spend(20)])) == (
        "Kan fortfarande användas: 0\u00a0kr"
    )


def test_a_caps_limit_is_its_share_rounded_down():
    odd = FundingSource("X", b.GRANT, 2026, paid_out=33_226_409, caps=(Cap("c", 0.5, SIDE_COSTS),), id=1)
    assert b.cap_limit(odd, odd.caps[0]) == 16_613_204
    assert b.cap_limit(GRANT, Cap("c", 0.3, SIDE_COSTS)) == 300_000  # 0.3 × 1 000 000 in floating point is 299 999.99…


def test_a_stop_cap_takes_an_expense_up_to_its_room_and_refuses_one_krona_more():
    there = [spend(450_000, "vikarier", id=1)]
    assert b.check_expense(GRANT, there, spend(50_000, "resor", b.COMMITTED)) == b.ExpenseCheck(None, ())
    refused = b.check_expense(GRANT, there, spend(50_001, "resor", b.COMMITTED))
    assert refused.refused == ("Taket Stöd och kringkostnader (500\u00a0000\u00a0kr) skulle överskridas: "
                               "50\u00a0000\u00a0kr finns kvar under det, inte 50\u00a0001\u00a0kr.")  # fmt: skip
    assert not refused.ok
    # A plan uses no money yet, and a cost type outside the cap is not counted in it.
    assert b.check_expense(GRANT, there, spend(90_000, "resor", b.PLANNED)).ok
    assert b.check_expense(GRANT, there, spend(90_000, "utbildningsplatser", b.PAID)).ok


def test_a_warn_cap_accepts_with_a_warning_said_at_once():
    warn = FundingSource(GRANT.name, b.GRANT, 2026, paid_out=1_000_000, use_from=GRANT.use_from,
                         use_until=GRANT.use_until, caps=(Cap("Kringkostnader", 0.5, SIDE_COSTS, b.WARN),), id=1)  # fmt: skip
    there = [spend(450_000, "vikarier", id=1)]
    assert b.check_expense(warn, there, spend(50_000, "resor")).warnings == ()
    check = b.check_expense(warn, there, spend(50_001, "resor"))
    assert check.ok and check.warnings == ("Taket Kringkostnader (500\u00a0000\u00a0kr) överskrids med 1\u00a0kr.",)


def test_an_edited_expense_replaces_itself_in_the_cap():
    there = [spend(500_000, "vikarier", id=7)]
    assert b.check_expense(GRANT, there, spend(500_000, "vikarier", id=7)).ok  # the same expense saved again
    assert not b.check_expense(GRANT, there, spend(1, "vikarier")).ok  # a new one on top


def test_a_cost_type_the_source_does_not_pay_is_refused():
    narrow = FundingSource("Bara platser", b.GRANT, 2026, paid_out=10, cost_types=("utbildningsplatser",), id=1)
    assert b.check_expense(narrow, [], spend(5, "resor")).refused == "Bara platser betalar inte resor."
    assert b.check_expense(narrow, [], spend(5)).ok


@pytest.mark.parametrize(
    "day, inside", [(date(2026, 5, 15), False), (date(2026, 5, 16), True), (date(2026, 12, 31), True),
                    (date(2027, 1, 1), False)],
)  # fmt: skip
def test_a_day_outside_the_period_is_a_warning(day, inside):
    check = b.check_expense(GRANT, [], spend(10, day=day))
    assert check.ok
    expected = () if inside else (
        f"{day.isoformat()} är utanför perioden då Kompetensutveckling ska användas (2026-05-16–2026-12-31).",
    )
    assert check.warnings == expected


def test_an_open_period_has_no_ends():
    open_ = FundingSource("Egna", b.OWN_FUNDS, 2026, id=1)
    assert open_.in_period(date(1990, 1, 1)) and open_.in_period(date(2100, 1, 1))
    half = FundingSource("Från", b.OWN_FUNDS, 2026, use_from=date(2026, 3, 1), id=1)
    assert b._period(half) == "2026-03-01–…" and b._period(open_) == "…–…"


SETTINGS = b.BudgetSettings(payment_days=30, warn_months=4)  # last day to commit 1 December; warn from 31 August


def line(amount, day, status=b.PLANNED, occasion=None, cost_type="utbildningsplatser", source=1, origin=None):
    return Expense(day, amount, cost_type, source, status, occasion, origin=origin)


def forecast(expenses, today, source=GRANT, settings=SETTINGS):
    return b.forecast(b.figures(source, expenses), expenses, today, settings)


def test_the_last_day_to_commit_is_the_periods_last_less_the_payment_days():
    assert b.last_day_to_commit(GRANT, SETTINGS) == date(2026, 12, 1)
    assert b.last_day_to_commit(GRANT, b.BudgetSettings(payment_days=0)) == date(2026, 12, 31)
    open_ = FundingSource("Egna", b.OWN_FUNDS, 2026, id=1)
    assert b.period_of(open_) == (date(2026, 1, 1), date(2026, 12, 31))
    assert b.last_day_to_commit(open_, SETTINGS) == date(2026, 12, 1)


def test_a_plan_on_the_last_day_to_commit_counts_and_one_a_day_later_does_not():
    on_time = [line(100_000, date(2026, 12, 1), occasion=5), line(20_000, date(2026, 12, 1), occasion=5)]
    late = [line(70_000, date(2026, 12, 2), occasion=6), line(5_000, date(2026, 12, 2), occasion=6),
            line(3_000, date(2026, 12, 31), occasion=7), line(1_000, date(2026, 12, 20))]  # fmt: skip
    f = forecast([*on_time, *late, line(400_000, date(2026, 6, 1), b.PAID, occasion=1)], date(2026, 6, 1))
    assert (f.last_day_to_commit, f.planned, f.late, f.late_lines, f.late_occasions) == (
        date(2026, 12, 1), 120_000, 79_000, 4, 2)
    assert f.used == 400_000 and f.unspent == 480_000 and f.paid_back == 480_000
    assert f.late_note() == ("4 planerade rader efter sista dag (1 december 2026), 79\u00a0000\u00a0kr")
    one = forecast([line(9, date(2026, 12, 2))], date(2026, 6, 1))
    assert one.late_note() == "1 planerad rad efter sista dag (1 december 2026), 9\u00a0kr"
    assert forecast(on_time, date(2026, 6, 1)).late_note() is None


def test_a_late_line_committed_already_is_used_not_late():
    f = forecast([line(50_000, date(2026, 12, 20), b.COMMITTED, occasion=3)], date(2026, 6, 1))
    assert (f.used, f.late, f.late_lines, f.unspent) == (50_000, 0, 0, 950_000)


def test_the_pace_projects_the_recurring_lines_paid_so_far_over_the_days_left():
    # 16 May – 14 June: 30 days elapsed, 200 left; 30 000 kr of supervision paid: 1 000 kr a day.
    today = date(2026, 6, 14)
    lines = [
        line(20_000, date(2026, 5, 16), b.PAID, cost_type="stod_handledning"),
        line(10_000, today, b.PAID, cost_type="stod_handledning"),
        line(8_000, date(2026, 5, 15), b.PAID),  # before the period: used, but not the pace
        line(300_000, date(2026, 6, 1), b.PAID, occasion=1),  # an occasion's: known, not a pace
        line(50_000, date(2026, 6, 1), b.PAID, origin=b.SEATS),
        line(7_000, date(2026, 6, 2), b.COMMITTED, cost_type="resor"),  # not paid: not the pace
    ]
    f = forecast(lines, today)
    assert (f.days_elapsed, f.days_left, f.pace_spent, f.pace) == (30, 200, 30_000, 200_000)
    assert f.used == 395_000 and f.unspent == 1_000_000 - 395_000 - 200_000
    # Recurring lines already known for the days left are not added again by the pace.
    ahead = [line(60_000, date(2026, 6, 15), cost_type="stod_handledning"),
             line(40_000, date(2026, 12, 31), b.COMMITTED, cost_type="stod_handledning")]  # fmt: skip
    f2 = forecast(lines + ahead, today)
    assert f2.pace == 100_000 and f2.unspent == 1_000_000 - 435_000 - 60_000 - 100_000
    # Known for a day that is not ahead (today), or a late plan, leaves the pace as it was.
    assert forecast(lines + [line(60_000, today, cost_type="resor")], today).pace == 200_000
    assert forecast(lines + [line(60_000, date(2026, 12, 2), cost_type="resor")], today).pace == 200_000
    # More known ahead than the pace would spend: the pace adds nothing.
    assert forecast(lines + [line(250_000, date(2026, 7, 1), cost_type="resor")], today).pace == 0


def test_the_pace_is_rounded_down_to_whole_kronor():
    small = FundingSource("S", b.GRANT, 2026, paid_out=10_000, use_from=date(2026, 3, 1), use_until=date(2026, 3, 5),
                          id=1)  # fmt: skip
    f = forecast([line(1_000, date(2026, 3, 2), b.PAID)], date(2026, 3, 3), small)
    assert (f.days_elapsed, f.days_left, f.pace) == (3, 2, 666)  # 1 000 × 2 / 3 = 666.67
    assert f.unspent == 10_000 - 1_000 - 666


def test_before_the_period_there_is_no_pace_and_every_day_is_left():
    lines = [line(5_000, date(2026, 5, 1), b.PAID)]
    f = forecast(lines, date(2026, 5, 15))
    assert (f.days_elapsed, f.days_left, f.pace_spent, f.pace) == (0, 230, 0, 0)
    assert f.unspent == 995_000 and not f.warn  # more than four months ahead
    assert forecast(lines, date(2026, 5, 16)).days_elapsed == 1


def test_on_the_periods_last_day_nothing_is_left_and_after_it_the_period_is_over():
    lines = [line(100_000, date(2026, 6, 1), b.PAID)]
    last = forecast(lines, date(2026, 12, 31))
    assert (last.days_elapsed, last.days_left, last.pace, last.paid_back) == (230, 0, 0, 900_000)
    assert last.warn
    over = forecast(lines, date(2027, 1, 1))
    assert (over.days_elapsed, over.days_left, over.paid_back, over.due) == (230, 0, 900_000, date(2027, 4, 30))
    assert not over.warn and over.warning() is None


def test_a_period_of_one_day():
    one = FundingSource("En dag", b.GRANT, 2026, paid_out=1_000, use_from=date(2026, 9, 1), use_until=date(2026, 9, 1),
                        id=1)  # fmt: skip
    f = forecast([line(300, date(2026, 9, 1), b.PAID)], date(2026, 9, 1), one)
    assert (f.first_day, f.last_day, f.days_elapsed, f.days_left, f.pace) == (
        date(2026, 9, 1), date(2026, 9, 1), 1, 0, 0)
    assert f.paid_back == 700 and f.warn and f.due is None
    assert f.warning() == "Prognos: 700\u00a0kr av En dag betalas tillbaka om inget ändras."
    # Its last day to commit is before the period: a plan in it cannot be paid in time.
    late = forecast([line(300, date(2026, 9, 1))], date(2026, 8, 1), one)
    assert (late.last_day_to_commit, late.planned, late.late, late.unspent) == (date(2026, 8, 2), 0, 300, 1_000)


@pytest.mark.parametrize("today, warns", [(date(2026, 8, 30), False), (date(2026, 8, 31), True),
                                          (date(2026, 12, 31), True), (date(2027, 1, 1), False)])  # fmt: skip
def test_the_warning_comes_warn_months_before_the_periods_end(today, warns):
    f = forecast([line(1_000_000, date(2026, 6, 1), b.COMMITTED)], today, replace(GRANT, paid_out=2_234_567))
    assert f.paid_back == 1_234_567 and f.warn is warns
    expected = ("Prognos: 1\u00a0234\u00a0567\u00a0kr av Kompetensutveckling betalas tillbaka den 30 april 2027 "
                "om inget ändras.")  # fmt: skip
    assert f.warning() == (expected if warns else None)


def test_no_warning_when_nothing_goes_back():
    today = date(2026, 11, 1)
    assert not forecast([line(1_000_000, date(2026, 6, 1), b.PAID, occasion=1)], today).warn
    assert forecast([line(999_999, date(2026, 6, 1), b.PAID, occasion=1)], today).warn  # 1 kr goes back
    saved = replace(GRANT, unspent=b.MAY_BE_SAVED)
    f = forecast([line(40, date(2026, 6, 1), b.PAID, occasion=1)], today, saved)
    assert (f.unspent, f.paid_back, f.due, f.warn) == (999_960, 0, None, False)
    assert forecast([], today, settings=b.BudgetSettings(warn_months=1)).warn is False  # 1 December


def test_the_unspent_is_never_below_zero_and_other_sources_lines_are_not_counted():
    f = forecast([line(1_200_000, date(2026, 6, 1), b.PAID), line(5, date(2026, 6, 2))], date(2026, 6, 3))
    assert (f.unspent, f.paid_back, f.due) == (0, 0, None)
    other = [line(900_000, date(2026, 6, 1), b.PAID, source=2), line(900_000, date(2026, 6, 1), source=2),
             line(1, date(2026, 12, 20), source=2)]  # fmt: skip
    g = forecast(other, date(2026, 6, 3))
    assert (g.used, g.planned, g.late_lines, g.pace, g.unspent) == (0, 0, 0, 0, 1_000_000)


@pytest.mark.parametrize(
    "day, months, expected",
    [(date(2026, 12, 31), 4, date(2026, 8, 31)), (date(2026, 5, 31), 3, date(2026, 2, 28)),
     (date(2024, 5, 31), 3, date(2024, 2, 29)), (date(2026, 1, 15), 1, date(2025, 12, 15)),
     (date(2026, 12, 15), 0, date(2026, 12, 15)), (date(2026, 3, 31), 1, date(2026, 2, 28)),
     (date(2026, 12, 31), 12, date(2025, 12, 31)), (date(2026, 12, 30), 13, date(2025, 11, 30))],
)  # fmt: skip
def test_months_before_keeps_the_day_or_takes_the_months_last(day, months, expected):
    assert b.months_before(day, months) == expected


def test_day_text_is_swedish():
    assert b.day_text(date(2027, 4, 30)) == "30 april 2027"
    assert [b.day_text(date(2026, m, 1)).split()[1] for m in (1, 12)] == ["januari", "december"]


# --- month by month ---


def test_the_months_of_the_year_with_each_status_and_their_running_totals():
    lines = [line(100, date(2026, 1, 31), b.PAID), line(20, date(2026, 2, 1), b.COMMITTED),
             line(3, date(2026, 2, 28)), line(4_000, date(2026, 12, 31), b.PAID),
             line(50_000, date(2025, 12, 31), b.PAID), line(60_000, date(2027, 1, 1)),  # outside the months shown
             line(7, date(2026, 2, 10), b.PAID, source=2)]  # fmt: skip
    found = b.months(GRANT, lines, 2026)
    assert [m.first for m in found] == [date(2026, m, 1) for m in range(1, 13)]
    jan, feb, dec = found[0], found[1], found[11]
    assert (jan.planned, jan.committed, jan.spent, jan.used_total) == (0, 0, 100, 100)
    assert (feb.planned, feb.committed, feb.spent) == (3, 20, 0)
    assert (feb.planned_total, feb.committed_total, feb.spent_total, feb.used_total) == (3, 20, 100, 120)
    assert (dec.spent, dec.planned_total, dec.committed_total, dec.spent_total) == (4_000, 3, 20, 4_100)
    assert all(m.grant == 1_000_000 and m.caps == (("Stöd och kringkostnader", 500_000),) for m in found)
    assert found[5].planned == found[5].committed == found[5].spent == 0 and found[5].spent_total == 100


def test_the_months_stretch_to_a_period_beyond_the_year():
    spans = replace(GRANT, use_from=date(2025, 11, 20), use_until=date(2027, 6, 1))
    found = b.months(spans, [line(9, date(2025, 11, 30), b.PAID), line(1, date(2027, 6, 30))], 2026)
    assert found[0].first == date(2025, 11, 1) and found[-1].first == date(2027, 6, 1) and len(found) == 20
    assert (found[0].spent, found[-1].planned, found[-1].spent_total, found[-1].planned_total) == (9, 1, 9, 1)
    inside = replace(GRANT, use_from=date(2026, 2, 1), use_until=date(2026, 11, 30))
    assert [m.first.month for m in b.months(inside, [], 2026)] == list(range(1, 13))
    assert len(b.months(replace(GRANT, use_from=None, use_until=None), [], 2026)) == 12


def test_a_plan_on_the_last_day_to_commit_is_known_ahead_and_lowers_the_pace():
    lines = [line(30_000, date(2026, 6, 14), b.PAID, cost_type="stod_handledning")]
    on_the_day = forecast(lines + [line(50_000, date(2026, 12, 1), cost_type="stod_handledning")], date(2026, 6, 14))
    day_after = forecast(lines + [line(50_000, date(2026, 12, 2), cost_type="stod_handledning")], date(2026, 6, 14))
    assert (on_the_day.today, on_the_day.pace, on_the_day.planned) == (date(2026, 6, 14), 150_000, 50_000)
    assert (day_after.pace, day_after.planned, day_after.late) == (200_000, 0, 50_000)


def test_the_months_add_every_line_of_a_status():
    found = b.months(GRANT, [line(1, date(2026, 3, 1), b.PAID), line(2, date(2026, 3, 31), b.PAID),
                             line(4, date(2026, 3, 5), b.PAID, source=2)], 2026)  # fmt: skip
    assert (found[2].spent, found[2].spent_total, found[11].spent_total) == (3, 3, 3)
    starts = replace(GRANT, use_from=date(2026, 1, 1), use_until=date(2026, 1, 1))
    assert [m.first for m in b.months(starts, [], 2026)][:2] == [date(2026, 1, 1), date(2026, 2, 1)]
    assert len(b.months(replace(GRANT, use_from=date(2025, 12, 31)), [], 2026)) == 13


def test_an_unsaved_expense_is_checked_against_every_line_there_saved_or_not():
    there = [spend(450_000, "vikarier"), spend(10, "vikarier", id=3)]
    assert not b.check_expense(GRANT, there, spend(49_991, "resor")).ok
    assert b.check_expense(GRANT, there, spend(49_990, "resor")).ok


def test_every_cap_is_checked_not_only_the_first_that_fits():
    two = replace(GRANT, caps=(Cap("Resor", 0.9, ("resor",), b.WARN), Cap("Kringkostnader", 0.1, SIDE_COSTS, b.STOP)))
    assert b.check_expense(two, [], spend(100_001, "vikarier")).refused.startswith("Taket Kringkostnader")
    full = b.check_expense(GRANT, [spend(500_000, "vikarier")], spend(1, "resor"))
    assert full.refused == ("Taket Stöd och kringkostnader (500\u00a0000\u00a0kr) skulle överskridas: 0\u00a0kr finns "
                            "kvar under det, inte 1\u00a0kr.")  # fmt: skip
    over = b.check_expense(replace(two, caps=(Cap("K", 0.5, SIDE_COSTS, b.WARN),)), [spend(600_000, "vikarier")],
                           spend(1, "resor"))  # fmt: skip
    assert over.warnings == ("Taket K (500\u00a0000\u00a0kr) överskrids med 1\u00a0kr.",)


def _occasion(counts=True, per=1_500, fixed=20_000, days=2.0):
    status = plan.PLANNED if counts else plan.CANCELLED
    return plan.Occasion(1, date(2026, 9, 14), date(2026, 9, 15), status, cost_fixed=fixed, cost_per_participant=per,
                         days_away=days, id=7)  # fmt: skip


def test_an_occasions_lines_price_its_seats_its_fixed_cost_and_the_cover():
    assert b.occasion_lines(_occasion(), "utbildning", 3, 2_000, 1) == [
        Expense(date(2026, 9, 14), 4_500, "utbildningsplatser", 1, b.PLANNED, 7, origin=b.SEATS),
        Expense(date(2026, 9, 14), 20_000, "utbildningsplatser", 1, b.PLANNED, 7, origin=b.FIXED),
        Expense(date(2026, 9, 14), 12_000, "vikarier", 1, b.PLANNED, 7, origin=b.COVER),
    ]
    support = b.occasion_lines(_occasion(fixed=0, days=0.25), "stod_handledning", 3, 1_001, None)
    # 3 × 0.25 × 1 001 = 750.75: 751; the fixed cost of 0 kr makes no line.
    assert [(e.origin, e.cost_type, e.amount, e.source_id) for e in support] == [
        (b.SEATS, "stod_handledning", 4_500, None), (b.COVER, "vikarier", 751, None)]
    assert [e.amount for e in b.occasion_lines(_occasion(per=0, fixed=1, days=0.5), "utbildning", 1, 1_001, 1)] == [
        1, 501]  # 500.5, half a krona up
    assert [e.amount for e in b.occasion_lines(_occasion(per=0, fixed=0, days=0.25), "utbildning", 1, 1_001, 1)] == [
        250]  # 250.25 down
    assert b.occasion_lines(_occasion(counts=False), "utbildning", 3, 2_000, 1) == []
    assert b.occasion_lines(_occasion(per=0, fixed=0, days=0), "utbildning", 3, 2_000, 1) == []

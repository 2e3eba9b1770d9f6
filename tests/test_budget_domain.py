"""The budget's rules (``domain.budget``, issue 15): the room under each cap, what is left,
the warning and the refusal at a cap's limit on both sides, the period's ends and the
year-end forecast."""

from __future__ import annotations

from datetime import date

import pytest

from bouv_tui.domain import budget as b
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


def test_the_forecast_pays_back_what_is_left_after_every_plan_unless_it_may_be_saved():
    f = b.figures(GRANT, [spend(600_000), spend(100_000, status=b.COMMITTED), spend(50_000, status=b.PLANNED)])
    assert b.forecast(f) == b.Forecast(250_000, 250_000, date(2027, 4, 30))
    saved = b.figures(FundingSource("X", b.GRANT, 2026, paid_out=100, unspent=b.MAY_BE_SAVED, id=1), [spend(40)])
    assert b.forecast(saved) == b.Forecast(60, 0, None)
    spent_all = b.figures(GRANT, [spend(1_000_000), spend(5, status=b.PLANNED)])
    assert b.forecast(spent_all) == b.Forecast(0, 0, None)

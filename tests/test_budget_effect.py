"""Effect per krona (``domain.budget_effect``, issue 15): the cost per area split in whole
kronor, who attended, who left "saknar" and who reached "fördjupad", and the cost per person
lifted."""

from __future__ import annotations

from datetime import date

import pytest

from bouv_tui.domain import budget as b
from bouv_tui.domain.budget_effect import AreaEffect, effect_per_krona, split_cost
from bouv_tui.domain.plan import ABSENT, ATTENDED, BOOKED, DROPPED, Occasion, Participant, Training

DAY = date(2026, 3, 2)
TRAININGS = [
    Training("Utredning och samtal", "utbildning", 2026, areas=("utredning", "samtal"), id=1),
    Training("BBIC", "utbildning", 2026, areas=("utredning",), id=2),
    Training("Hedersvåld", "utbildning", 2026, other_areas=("Hedersrelaterat våld",), id=3),
]
OCCASIONS = [Occasion(1, DAY, DAY, id=10), Occasion(1, DAY, DAY, id=11), Occasion(2, DAY, DAY, id=20),
             Occasion(3, DAY, DAY, id=30)]  # fmt: skip


def cost(amount, occasion, status=b.PAID):
    return b.Expense(DAY, amount, "utbildningsplatser", 1, status, occasion)


EXPENSES = [
    cost(10_001, 10), cost(2_000, 11, b.COMMITTED), cost(50_000, 11, b.PLANNED),  # training 1: 12 001 used
    cost(9_000, 20), cost(7_000, 30), cost(99, None), cost(5, 404),
]


def test_the_cost_is_split_in_whole_kronor_with_the_remainder_to_the_first_areas():
    assert split_cost(10, ["a", "b", "c"]) == [4, 3, 3]
    assert split_cost(11, ["a", "b", "c"]) == [4, 4, 3]
    assert split_cost(12, ["a", "b", "c"]) == [4, 4, 4]
    assert split_cost(0, ["a", "b"]) == [0, 0]
    assert split_cost(7, ["a"]) == [7]


def test_each_area_has_the_cost_used_by_its_trainings_occasions():
    found = effect_per_krona(TRAININGS, OCCASIONS, [], EXPENSES, {}, {})
    # utredning: half of 12 001 (the odd krona to it, the first area) and BBIC's 9 000; samtal: the other half.
    # Planned lines, lines of no occasion or of an occasion not given are no cost; "Annat" is no area.
    assert found == [AreaEffect("utredning", 6_001 + 9_000, 2, 0, 0, 0, 0), AreaEffect("samtal", 6_000, 1, 0, 0, 0, 0)]
    assert [e.area for e in found] == ["utredning", "samtal"]  # the catalogue's order
    assert found[0].cost_per_lifted is None


def test_an_area_listed_twice_is_counted_once():
    twice = [Training("X", "utbildning", 2026, areas=("samtal", "samtal"), id=2)]
    assert effect_per_krona(twice, OCCASIONS, [], EXPENSES, {}, {}) == [AreaEffect("samtal", 9_000, 1, 0, 0, 0, 0)]


def attended(staff, occasion=20, status=ATTENDED):
    return Participant(occasion, staff, status)


def test_who_attended_and_how_their_levels_moved():
    people = [attended(1), attended(2), attended(3), attended(4), attended(5), attended(6), attended(7),
              attended(1, 10),  # the same person on another of the area's trainings: once
              attended(8, status=BOOKED), attended(9, status=DROPPED), attended(10, status=ABSENT)]  # fmt: skip
    before = {(1, "utredning"): "saknar", (2, "utredning"): "saknar", (3, "utredning"): "grundlaggande",
              (4, "utredning"): "fordjupad", (5, "utredning"): "saknar", (7, "utredning"): "ej_bedomd",
              (8, "utredning"): "saknar", (9, "utredning"): "saknar", (10, "utredning"): "saknar",
              (6, "samtal"): "saknar"}  # fmt: skip
    after = {(1, "utredning"): "grundlaggande", (2, "utredning"): "fordjupad", (3, "utredning"): "fordjupad",
             (4, "utredning"): "fordjupad", (5, "utredning"): "saknar", (6, "utredning"): "fordjupad",
             (7, "utredning"): "fordjupad", (8, "utredning"): "fordjupad", (9, "utredning"): "fordjupad",
             (10, "utredning"): "fordjupad", (1, "samtal"): "fordjupad"}  # fmt: skip
    found = effect_per_krona(TRAININGS, OCCASIONS, people, EXPENSES, before, after)
    utredning, samtal = found
    # 1 left saknar; 2 left it and reached fördjupad; 3 reached it; 4 was there already; 5 stayed; 6 and 7
    # were not assessed in the area before (or not with a level); 8–10 did not attend.
    assert (utredning.attended, utredning.left_missing, utredning.reached_advanced, utredning.lifted) == (7, 2, 2, 3)
    assert utredning.cost_per_lifted == 5_000  # 15 001 / 3 = 5 000.33
    # Person 1 attended training 1 (in samtal too), but was not assessed in samtal before.
    assert (samtal.attended, samtal.lifted, samtal.cost_per_lifted) == (1, 0, None)


@pytest.mark.parametrize("cost_, lifted, per", [(3, 2, 2), (5, 2, 3), (4, 3, 1), (5, 3, 2), (7, 1, 7), (1, 3, 0)])
def test_the_cost_per_person_lifted_is_rounded_half_up(cost_, lifted, per):
    assert AreaEffect("utredning", cost_, 1, lifted, lifted, 0, lifted).cost_per_lifted == per


def test_a_training_in_no_area_or_with_no_cost_before_others_leaves_them_counted():
    trainings = [Training("Annat", "utbildning", 2026, other_areas=("X",), id=3),
                 Training("Gratis", "utbildning", 2026, areas=("samtal",), id=4), *TRAININGS[:2]]  # fmt: skip
    occasions = [*OCCASIONS, Occasion(4, DAY, DAY, id=40)]
    found = effect_per_krona(trainings, occasions, [attended(1, 40)], EXPENSES, {}, {})
    assert found == [AreaEffect("utredning", 15_001, 2, 0, 0, 0, 0), AreaEffect("samtal", 6_000, 2, 1, 0, 0, 0)]


def test_each_level_move_is_counted_by_its_own_rule():
    # staff: 1 s→g (left), 2 g→g, 3 f→f, 4 g→f (reached), 5 s→s, 6 s→f (both), 7 f→g; 8 on training 1 only, s→g.
    moves = {1: ("saknar", "grundlaggande"), 2: ("grundlaggande", "grundlaggande"), 3: ("fordjupad", "fordjupad"),
             4: ("grundlaggande", "fordjupad"), 5: ("saknar", "saknar"), 6: ("saknar", "fordjupad"),
             7: ("fordjupad", "grundlaggande"), 8: ("saknar", "grundlaggande")}  # fmt: skip
    people = [attended(s) for s in range(1, 8)] + [attended(8, 11)]
    before = {(s, "utredning"): m[0] for s, m in moves.items()}
    after = {(s, "utredning"): m[1] for s, m in moves.items()}
    (utredning, samtal) = effect_per_krona(TRAININGS, OCCASIONS, people, EXPENSES, before, after)
    assert (utredning.attended, utredning.left_missing, utredning.reached_advanced, utredning.lifted) == (8, 3, 2, 4)
    assert (samtal.attended, samtal.lifted) == (1, 0)
    # Not assessed before (the lowest id, looked at first) does not stop the others being counted.
    found = effect_per_krona(TRAININGS, OCCASIONS, [attended(0), *people], EXPENSES, before, after)
    assert (found[0].attended, found[0].lifted) == (9, 4)

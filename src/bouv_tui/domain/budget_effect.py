"""Effect per krona (F9, issue 15): per knowledge area, what the year's training cost and how
the levels of those who attended moved from one assessment round to the next, so that next
year's plan can favour what worked.

Cost is money used: the committed and paid lines of the occasions of the area's trainings
(a planned line is not yet a cost). A training in several areas has its cost split over them
in whole kronor, so the areas add up to the total exactly. A level moves only for a person
assessed in the area in both rounds. Nothing here reads a file or the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bouv_tui.domain import catalog
from bouv_tui.domain.assessment import LEVEL_ORDER
from bouv_tui.domain.budget import Expense
from bouv_tui.domain.plan import ATTENDED, Occasion, Participant, Training

MISSING, ADVANCED = LEVEL_ORDER[0], LEVEL_ORDER[-1]  # "saknar" and "fordjupad"


@dataclass(frozen=True)
class AreaEffect:
    """One area: its cost, its trainings, the distinct people who attended them, how many of
    those left "saknar" and how many reached "fördjupad", and the people lifted (either)."""

    area: str
    cost: int
    trainings: int
    attended: int
    left_missing: int
    reached_advanced: int
    lifted: int

    @property
    def cost_per_lifted(self) -> int | None:
        """The cost per person lifted in whole kronor (half a krona up); None when nobody was."""
        if not self.lifted:
            return None
        return (2 * self.cost + self.lifted) // (2 * self.lifted)


def split_cost(cost: int, areas: Sequence[str]) -> list[int]:
    """``cost`` over ``areas`` in whole kronor: an equal share each, and the kronor left over one
    each to the first areas, so that the shares add up to ``cost``."""
    share, left = divmod(cost, len(areas))
    return [share + (1 if i < left else 0) for i in range(len(areas))]


def effect_per_krona(
    trainings: Iterable[Training],
    occasions: Iterable[Occasion],
    participants: Iterable[Participant],
    expenses: Iterable[Expense],
    levels_before: Mapping[tuple[int, str], str],
    levels_after: Mapping[tuple[int, str], str],
) -> list[AreaEffect]:
    """The effect of the year's ``trainings`` per area, in the catalogue's order, for the areas
    at least one of them is in (an "Annat" area is not a catalogue area: a training only in
    such areas is in none). ``levels_*``: (staff id, area) → level code, in the round before the
    training and the round after; a level not in ``LEVEL_ORDER`` is not assessed. A person who
    attended (``ATTENDED``) left "saknar" when it was "saknar" before and is not after, and
    reached "fördjupad" when it was not before and is after."""
    training_of = {o.id: o.training_id for o in occasions}
    cost: dict[int | None, int] = {}
    for e in expenses:
        if e.uses_money and e.occasion_id in training_of:
            key = training_of[e.occasion_id]
            cost[key] = cost.get(key, 0) + e.amount
    attended: dict[int | None, set[int]] = {}
    for p in participants:
        if p.status == ATTENDED and p.occasion_id in training_of:
            attended.setdefault(training_of[p.occasion_id], set()).add(p.staff_id)
    by_area: dict[str, list] = {}  # area → [cost, trainings, people]
    for t in trainings:
        areas = [a for a in dict.fromkeys(t.areas) if a in catalog.AREAS]
        if not areas:
            continue
        shares = split_cost(cost.get(t.id, 0), areas)
        for i, area in enumerate(areas):
            entry = by_area.setdefault(area, [0, 0, set()])
            entry[0] += shares[i]
            entry[1] += 1
            entry[2] |= attended.get(t.id, set())
    found = []
    for area in catalog.AREAS.codes():
        if area not in by_area:
            continue
        area_cost, count, people = by_area[area]
        left, reached = set(), set()
        for staff_id in sorted(people):
            before, after = levels_before.get((staff_id, area)), levels_after.get((staff_id, area))
            if before not in LEVEL_ORDER or after not in LEVEL_ORDER:
                continue
            if before == MISSING and after != MISSING:
                left.add(staff_id)
            if before != ADVANCED and after == ADVANCED:
                reached.add(staff_id)
        found.append(AreaEffect(area, area_cost, count, len(people), len(left), len(reached), len(left | reached)))
    return found

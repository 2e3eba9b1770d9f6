"""The training plan's service (F8): the year's trainings, occasions and bookings, and the
overview of need against plan; every write on the one writer thread."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from bouv_tui.services.needs import NeedsSection

if TYPE_CHECKING:
    from bouv_tui.domain.plan import BookingCheck, Occasion, Overview, Participant, Plan, Training


class PlanSection(NeedsSection):  # the overview reads the roster, the round's levels and needs
    def plan(self, year: int) -> Plan:
        from bouv_tui.store.plans import read_plan

        return read_plan(self.path, year)

    def plan_overview(self, year: int, on: date | None = None) -> tuple[Plan, Overview]:
        """The year's plan and its overview against the year's round (no round: no levels
        and no need scores, the bookings still count)."""
        from bouv_tui.domain import plan as rules

        plan = self.plan(year)
        return plan, rules.overview(plan, year, *self.overview_inputs(year, on))

    def overview_inputs(self, year: int, on: date | None = None) -> tuple:
        """What ``domain.plan.overview`` takes besides the plan and the year: the people of the
        year's round, their levels, the need scores, each group's areas and the day new staff
        are counted on. A screen keeps them to recompute the overview after a booking, in
        memory, without reading the file again (the levels as ``Levels``, which the overview
        sorts by area and level once, not at every booking)."""
        from bouv_tui.domain import plan as rules
        from bouv_tui.domain.assessment import Round, people_in_round
        from bouv_tui.domain.needs import group_areas

        round_ = self.round_for_year(year)
        reference = round_.reference_date if round_ else Round.for_year(year).reference_date
        people = people_in_round(self.staff(), round_ or Round.for_year(year))
        levels, needs = {}, {}
        if round_ is not None:
            levels = {(a.staff_id, a.area): a.level for a in self.read_levels(round_.id)}
            needs = {(c.group, c.area): c.score for c in self.need_choices(round_.id)}
        areas = {group: group_areas(group) for group in rules.ROLE_OF_GROUP}
        return people, rules.Levels(levels), needs, areas, on or reference

    def read_levels(self, round_id: int):
        from bouv_tui.store import read

        return read.read_levels(self.path, round_id)

    def save_training(self, training: Training, *, shown: Training | None = None, force: bool = False) -> Training:
        return self.write(lambda repo: repo.save_training(training, shown=shown, force=force))

    def delete_training(self, training_id: int, *, version: int = 0, force: bool = False) -> None:
        self.write(lambda repo: repo.delete_training(training_id, version=version, force=force))

    def save_occasion(self, occasion: Occasion, *, shown: Occasion | None = None, force: bool = False) -> Occasion:
        return self.write(lambda repo: repo.save_occasion(occasion, shown=shown, force=force))

    def delete_occasion(self, occasion_id: int, *, version: int = 0, force: bool = False) -> None:
        self.write(lambda repo: repo.delete_occasion(occasion_id, version=version, force=force))

    def book(self, occasion_id: int, staff_ids: Sequence[int]) -> BookingCheck:
        return self.write(lambda repo: repo.book(occasion_id, list(staff_ids)))

    def unbook(self, occasion_id: int, staff_ids: Iterable[int]) -> None:
        ids = list(staff_ids)
        self.write(lambda repo: repo.unbook(occasion_id, ids))

    def save_participants(self, changed: Sequence[Participant], *, force: bool = False) -> None:
        self.write(lambda repo: repo.save_participants(list(changed), force=force))

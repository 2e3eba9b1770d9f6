"""The training plan's service (F8): the year's trainings, occasions and bookings, and the
overview of need against plan; every write on the one writer thread."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bouv_tui.exchange.formats import PLAN
from bouv_tui.services.exports import check_export_target
from bouv_tui.services.needs import NeedsSection

if TYPE_CHECKING:
    from bouv_tui.domain.plan import BookingCheck, Occasion, Overview, Participant, Plan, Training

#: The plan's export formats (``exchange.formats.PLAN``) and the word its file names begin
#: with (``default_export_name(PLAN_EXPORT_KIND, fmt, year=year)``: utbildningsplan-2026-skapad-…).
PLAN_FORMATS = PLAN.names
PLAN_EXPORT_KIND = "utbildningsplan"


class PlanSection(NeedsSection):  # the overview reads the roster, the round's levels and needs
    def plan(self, year: int) -> Plan:
        from bouv_tui.store.plans import read_plan

        return read_plan(self.path, year)

    def plan_overview(self, year: int, on: date | None = None) -> tuple[Plan, Overview]:
        """The year's plan and its overview against the year's round (no round: no levels
        and no need scores, the bookings still count)."""
        from bouv_tui.domain import plan as rules
        from bouv_tui.domain.assessment import Round, people_in_round
        from bouv_tui.domain.needs import group_areas

        plan = self.plan(year)
        round_ = self.round_for_year(year)
        reference = round_.reference_date if round_ else Round.for_year(year).reference_date
        people = people_in_round(self.staff(), round_ or Round.for_year(year))
        levels, needs = {}, {}
        if round_ is not None:
            levels = {(a.staff_id, a.area): a.level for a in self.read_levels(round_.id)}
            needs = {(c.group, c.area): c.score for c in self.need_choices(round_.id)}
        areas = {group: group_areas(group) for group in rules.ROLE_OF_GROUP}
        return plan, rules.overview(plan, year, people, levels, needs, areas, on or reference)

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

    def export_plan(self, year: int, fmt: str, target: Path, *, with_names: bool = False,
                    replace_readonly: bool = False) -> Path:  # fmt: skip
        """Write the plan of ``year`` as ``fmt`` (one of ``PLAN_FORMATS``) at ``target``, whole
        or not at all (``exchange.atomic.write_export``); returns ``target``. ``FormatError``
        for an unknown format, ``ExportError`` when it cannot be written, both before the plan
        is read. ``with_names``: participants' names in the calendar (ics)."""
        from bouv_tui.exchange.atomic import write_export
        from bouv_tui.exchange.exporters.plan_export import plan_bytes

        PLAN.check(fmt, target)
        check_export_target(target, replace_readonly=replace_readonly)  # before reading the plan
        people = {p.id: p for p in self.staff() if p.id is not None}
        data = plan_bytes(self.plan(year), people, fmt, year, with_names=with_names,
                          municipality_code=self.settings().kommunkod)  # fmt: skip
        return write_export(Path(target), lambda f: f.write(data), replace_readonly=replace_readonly)

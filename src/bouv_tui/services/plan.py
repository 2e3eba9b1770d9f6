"""The training plan's service (F8): the year's trainings, occasions and bookings, and the
overview of need against plan; every write on the one writer thread."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from bouv_tui.exchange.formats import PLAN
from bouv_tui.services.exports import check_export_target
from bouv_tui.services.needs import NeedsSection

if TYPE_CHECKING:
    from bouv_tui.domain.assessment import Round
    from bouv_tui.domain.plan import BookingCheck, Occasion, Overview, Participant, Plan, Training
    from bouv_tui.domain.roster import StaffMember


#: How many trainings the first frame shows before the whole plan is read (more than a
#: screen of them, with their occasions, at 160×48).
FIRST_TRAININGS = 25


class PlanView(NamedTuple):
    """The plan screen's read: the plan, its overview, and who the overview counted."""

    year: int
    round: Round | None
    plan: Plan
    overview: Overview
    people: tuple[StaffMember, ...]
    levels: Mapping[tuple[int, str], str]  # domain.plan.Levels
    needs: dict[tuple[str, str], int]
    areas: dict[str, tuple[str, ...]]
    on: date
    #: False for the first, quick read (``plan_first_view``): the first trainings of the plan,
    #: without the round's people, levels and needs, which the full read brings.
    complete: bool = True

    def again(self, plan: Plan) -> PlanView:
        """This view with another plan of the same year (after a booking or a save): the
        overview recomputed in memory from the same people, levels and needs, which a write to
        the plan does not change."""
        from bouv_tui.domain import plan as rules

        overview = rules.overview(plan, self.year, self.people, self.levels, self.needs, self.areas, self.on)
        return self._replace(plan=plan, overview=overview)


class TrainingImportOutcome(NamedTuple):
    trainings_added: int
    trainings_updated: int
    occasions_added: int
    occasions_updated: int
    participants_booked: int
    unchanged: int

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
        view = self.plan_view(year, on)
        return view.plan, view.overview

    def plan_view(self, year: int, on: date | None = None) -> PlanView:
        """What the plan screen shows: the year's plan, its overview against the year's round,
        and the people the overview counted, with their levels."""
        from bouv_tui.domain import plan as rules

        plan = self.plan(year)
        round_ = self.round_for_year(year)
        people, levels, needs, areas, day = self.overview_inputs(year, on, round_=round_)
        overview = rules.overview(plan, year, people, levels, needs, areas, day)
        return PlanView(year, round_, plan, overview, tuple(people), levels, needs, areas, day)

    def prefetch_plan(self, year: int) -> None:
        """Start reading the plan of ``year`` for the first frame (``plan_first_view``) in a
        background thread, so that it overlaps with importing and building the UI (the app
        opened on Plan). The next ``plan_first_view(year)`` takes it, once."""
        from bouv_tui.services.workspace import in_background

        self._plan_prefetch = (year, in_background("bouv-tui: plan", lambda: self._first_view(year)))

    def plan_first_view(self, year: int) -> PlanView:
        """The first FIRST_TRAININGS trainings of the year's plan by name, alone, for the first
        frame (at national scale the whole plan and the round's levels take two thirds of a
        second): what they show is right, the totals and the need against plan wait for
        ``plan_view`` (no people, no levels, no needs)."""
        prefetch, self._plan_prefetch = self._plan_prefetch, None
        if prefetch is not None and prefetch[0] == year:
            return prefetch[1].result()
        return self._first_view(year)

    def _first_view(self, year: int, on: date | None = None) -> PlanView:
        from bouv_tui.domain import plan as rules
        from bouv_tui.domain.assessment import Round
        from bouv_tui.domain.needs import group_areas
        from bouv_tui.store.plans import read_plan

        plan = read_plan(self.path, year, first=FIRST_TRAININGS)
        areas = {group: group_areas(group) for group in rules.ROLE_OF_GROUP}
        day = on or Round.for_year(year).reference_date
        overview = rules.overview(plan, year, (), {}, {}, areas, day)
        return PlanView(year, None, plan, overview, (), rules.Levels({}), {}, areas, day, complete=False)

    def overview_inputs(self, year: int, on: date | None = None, *, round_=False) -> tuple:
        """What ``domain.plan.overview`` takes besides the plan and the year: the people of the
        year's round, their levels, the need scores, each group's areas and the day new staff
        are counted on. A screen keeps them to recompute the overview after a booking, in
        memory, without reading the file again (the levels as ``Levels``, which the overview
        sorts by area and level once, not at every booking). ``round_``: the year's round when
        the caller has read it already."""
        from bouv_tui.domain import plan as rules
        from bouv_tui.domain.assessment import Round, people_in_round
        from bouv_tui.domain.needs import group_areas

        if round_ is False:
            round_ = self.round_for_year(year)
        reference = round_.reference_date if round_ else Round.for_year(year).reference_date
        people = people_in_round(self.staff(), round_ or Round.for_year(year))
        levels, needs = {}, {}
        if round_ is not None:
            levels = {(a.staff_id, a.area): a.level for a in self.read_levels(round_.id)}
            needs = {(c.group, c.area): c.score for c in self.need_choices(round_.id)}
        areas = {group: group_areas(group) for group in rules.ROLE_OF_GROUP}
        return people, rules.Levels(levels), needs, areas, on or reference

    def organisation_suggestions(self, year: int) -> dict[str, tuple[str, ...] | None]:
        """Questions 12 and 18 (by key) as the year's plan suggests them; None for a group the
        plan has no training for (then it suggests nothing, rather than "ingen"). Read without
        the bookings, which the suggestion does not use (Frågor reads it each time it is shown)."""
        from bouv_tui.domain.plan import QUESTION_OF_GROUP, suggested_organisation
        from bouv_tui.store.plans import read_plan

        plan = read_plan(self.path, year, participants=False)
        return {
            key: suggested_organisation(plan, year, group) if any(group in t.groups for t in plan.trainings) else None
            for group, key in QUESTION_OF_GROUP.items()
        }

    def completed_trainings(self, year: int, since: date | None) -> dict[tuple[int, str], tuple[str, ...]]:
        """(staff id, area) → the trainings completed on occasions that ended after ``since``,
        from the plans of ``year`` and the year before (a course over the turn of the year)."""
        from bouv_tui.domain.plan import completed_since

        return completed_since([self.plan(year - 1), self.plan(year)], since)

    def copy_training(self, training: Training, occasions: Sequence[Occasion]) -> Training:
        return self.write(lambda repo: repo.copy_training(training, list(occasions)))

    def read_levels(self, round_id: int):
        from bouv_tui.store import read

        return read.read_levels(self.path, round_id)

    def save_training(self, training: Training, *, shown: Training | None = None, force: bool = False) -> Training:
        return self.write(lambda repo: repo.save_training(training, shown=shown, force=force))

    def delete_training(self, training_id: int, *, version: int = 0, force: bool = False) -> None:
        self.write(lambda repo: repo.delete_training(training_id, version=version, force=force))

    def save_occasion(self, occasion: Occasion, *, shown: Occasion | None = None, force: bool = False) -> Occasion:
        return self.write(lambda repo: repo.save_occasion(occasion, shown=shown, force=force))

    def finish_occasion(self, occasion: Occasion, *, force: bool = False) -> Occasion:
        return self.write(lambda repo: repo.finish_occasion(occasion, force=force))

    def delete_occasion(self, occasion_id: int, *, version: int = 0, force: bool = False) -> None:
        self.write(lambda repo: repo.delete_occasion(occasion_id, version=version, force=force))

    def book(self, occasion_id: int, staff_ids: Sequence[int]) -> BookingCheck:
        return self.write(lambda repo: repo.book(occasion_id, list(staff_ids)))

    def unbook(self, occasion_id: int, staff_ids: Iterable[int]) -> None:
        ids = list(staff_ids)
        self.write(lambda repo: repo.unbook(occasion_id, ids))

    def save_participants(self, changed: Sequence[Participant], *, force: bool = False) -> None:
        self.write(lambda repo: repo.save_participants(list(changed), force=force))

    # --- import -------------------------------------------------------------------------

    def plan_training_import(self, file: Path):
        """Read and check a training file against the roster and the stored plan of each year
        its occasions start in (``exchange.training_import``); raises ``ImportFileError``."""
        from bouv_tui.exchange.training_import import plan_training_import, read_training_table
        from bouv_tui.store.basis import training_basis

        table = read_training_table(file)
        staff = self.staff()
        plan = plan_training_import(table, staff, self.plan)
        booked = {i for t in plan.trainings for o in t.occasions for i in o.book}
        plan.basis = training_basis(plan.stored, booked)
        return plan

    def apply_training_import(self, plan) -> TrainingImportOutcome:
        """Store a checked plan in one transaction; a plan with errors is refused whole, and so
        is one whose trainings or people changed since it was planned (``errors.StaleImport``)."""
        if not plan.ok:
            raise ValueError("an import plan with errors cannot be applied")
        outcome = TrainingImportOutcome(
            plan.trainings_added, plan.trainings_updated, plan.occasions_added, plan.occasions_updated,
            plan.participants_booked, plan.unchanged,
        )  # fmt: skip
        if not plan.nothing_to_do:
            self.write(lambda repo: repo.import_trainings(plan.trainings, plan.basis))
        return outcome


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

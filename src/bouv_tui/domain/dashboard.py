"""What the start screen says: where the team stands and what to do next."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from bouv_tui.domain import catalog, national
from bouv_tui.domain.assessment import AreaProfile, Assessment, Round, people_in_round
from bouv_tui.domain.grid import RoundGrid
from bouv_tui.domain.roster import RosterFigures, StaffMember, roster_figures, swedish_key
from bouv_tui.domain.settings import MunicipalitySettings

#: How many areas with the largest share lacking the start screen lists.
TOP_AREAS = 3


@dataclass(frozen=True)
class AreaGap:
    area: str
    profile: AreaProfile
    national_share: float | None

    @property
    def difference(self) -> float | None:
        """Share lacking here minus the national 2013 share (positive: worse than the country)."""
        if self.profile.share_lacking is None or self.national_share is None:
            return None
        return self.profile.share_lacking - self.national_share


@dataclass(frozen=True)
class NextStep:
    text: str
    keys: str  # how to get there, e.g. "F4, sedan u"


@dataclass(frozen=True)
class Dashboard:
    settings: MunicipalitySettings
    figures: RosterFigures
    round: Round | None
    done: int = 0
    expected: int = 0
    missing: tuple[StaffMember, ...] = ()
    carried_over: int = 0
    gaps: tuple[AreaGap, ...] = ()
    steps: tuple[NextStep, ...] = field(default_factory=tuple)

    @property
    def share_done(self) -> float | None:
        return self.done / self.expected if self.expected else None


def current_round(rounds: Sequence[Round], today: date) -> Round | None:
    """The round of this year if there is one, else the latest."""
    this_year = [r for r in rounds if r.year == today.year]
    if this_year:
        return this_year[0]
    return max(rounds, key=lambda r: r.year) if rounds else None


def build_dashboard(
    settings: MunicipalitySettings,
    staff: Sequence[StaffMember],
    rounds: Sequence[Round],
    assessments: Sequence[Assessment],
    today: date,
) -> Dashboard:
    """``assessments`` are those of ``current_round(rounds, today)``."""
    figures = roster_figures(staff, today)
    round_ = current_round(rounds, today)
    steps: list[NextStep] = []
    if not settings.is_complete:
        steps.append(NextStep("Ange kommun och kontaktperson för inventeringen", "Ctrl+P, Inställningar"))
    if not staff:
        steps.append(NextStep("Lägg in personalen, eller importera den från en fil", "F3, sedan a eller i"))
    if figures.unqualified:
        steps.append(
            NextStep(f"{len(figures.unqualified)} handläggare saknar behörighet: ordna intyg eller annan uppgift",
                     "F3, sedan b")  # fmt: skip
        )
    if round_ is None:
        if staff:
            steps.append(NextStep(f"Starta inventeringsomgången för {today.year}", "F4, sedan n"))
        return Dashboard(settings, figures, None, steps=tuple(steps))

    # One pass over the round's assessments (tens of thousands at national scale).
    grid = RoundGrid(round_, people_in_round(staff, round_), assessments)
    done, expected = grid.completeness()
    missing = tuple(sorted(grid.unassessed_people(), key=lambda p: (swedish_key(p.name), p.id)))
    carried = sum(grid.progress(p.id).carried_over for p in grid.people)
    profiles = {area: grid.profile(area, catalog.CASEWORKER) for area in grid.areas(catalog.CASEWORKER)}
    gaps = [
        AreaGap(area, profile, national.share_lacking(area))
        for area, profile in profiles.items()
        if profile.share_lacking is not None
    ]
    gaps.sort(key=lambda g: (-(g.profile.share_lacking or 0), catalog.AREAS.codes().index(g.area)))
    if round_.year < today.year:
        steps.append(NextStep(f"Starta inventeringsomgången för {today.year}", "F4, sedan n"))
    if missing:
        steps.append(NextStep(f"Bedöm de {len(missing)} personer som inte är färdigbedömda i {round_.year}",
                              "F4, sedan u"))  # fmt: skip
    if carried:
        steps.append(NextStep(f"Bekräfta {carried} nivåer som förts över från förra omgången", "F4, sedan c"))
    return Dashboard(
        settings, figures, round_, done, expected, missing, carried, tuple(gaps[:TOP_AREAS]), tuple(steps)
    )

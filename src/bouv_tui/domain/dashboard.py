"""What the start screen says: where the team stands and what to do next."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from bouv_tui.domain import catalog, national
from bouv_tui.domain.assessment import AreaProfile, Round, areas_for, assessed_roles
from bouv_tui.domain.counts import RoundCounts, StaffCounts
from bouv_tui.domain.roster import (
    RosterFigures,
    NEW_YEARS,
    StaffMember,
    figures_from_totals,
    swedish_key,
    years_before,
)
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
class FormProgress:
    """How far the year's submission has come beyond the assessment: need scores the chef has
    set, per group (question 13: ``handlaggare``, 19: ``arbetsledare``), and the typed answers."""

    needs_set: dict[str, int] = field(default_factory=dict)
    answers: dict = field(default_factory=dict)


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


def current_round(
    rounds: Sequence[Round], today: date, finished: Callable[[Round], bool] = lambda _round: False
) -> Round | None:
    """The round the app suggests on ``today`` (every section opens it until the user picks
    another): this year's round; in December next year's instead, when it exists and this
    year's is finished (``finished``, asked only then) or was never started. Without a round
    for this year: the latest before it, or, when every round is later, the earliest."""
    by_year = {r.year: r for r in rounds}
    this, following = by_year.get(today.year), by_year.get(today.year + 1)
    if today.month == 12 and following is not None and (this is None or finished(this)):
        return following
    if this is not None:
        return this
    earlier = [r for r in rounds if r.year < today.year]  # pragma: no mutate (this year's has none: <= is the same)
    if earlier:
        return max(earlier, key=lambda r: r.year)
    return min(rounds, key=lambda r: r.year) if rounds else None


def nearest_round(rounds: Sequence[Round], year: int) -> Round | None:
    """The round closest to ``year`` (the earlier of two as close): where the app goes when
    the round of ``year`` is deleted."""
    return min(rounds, key=lambda r: (abs(r.year - year), r.year)) if rounds else None


def round_finished(round_: Round, round_counts: RoundCounts | None, form: FormProgress | None) -> bool:
    """Whether nothing is left to do in a round: every person assessed in every area, no
    carried-over level unconfirmed, the need scores set for every group that has people,
    and every question answered (the start screen's steps for the round are all done)."""
    if round_counts is None or form is None:
        return False
    people = round_counts.people
    expected = sum(n * len(ROUND_AREAS[role]) for role, n in people.items())
    done = sum(round_counts.cells.values())
    if not expected or done < expected or round_counts.carried_over or round_counts.unfinished:
        return False
    return not _form_steps(round_, people, form)


def _with_round(
    settings: MunicipalitySettings,
    figures: RosterFigures,
    round_: Round,
    steps: list[NextStep],
    today: date,
    done: int,
    expected: int,
    unfinished: Iterable[StaffMember],
    carried: int,
    profiles: dict[str, AreaProfile],
    roles: dict[str, int] | None = None,
    form: FormProgress | None = None,
) -> Dashboard:
    missing = tuple(sorted(unfinished, key=lambda p: (swedish_key(p.name), p.id)))
    gaps = [
        AreaGap(area, profile, national.share_lacking(area))
        for area, profile in profiles.items()
        if profile.share_lacking is not None
    ]
    gaps.sort(key=lambda g: (-g.profile.share_lacking, catalog.AREAS.codes().index(g.area)))  # never None here
    if round_.year < today.year:
        steps.append(NextStep(f"Starta inventeringsomgången för {today.year}", "F4, sedan n"))
    if missing:
        steps.append(NextStep(f"Bedöm de {len(missing)} personer som inte är färdigbedömda för {round_.year}",
                              "F4, sedan u"))  # fmt: skip
    if carried:
        steps.append(NextStep(f"Bekräfta {carried} nivåer som förts över från förra omgången", "F4, sedan c"))
    if form is not None:
        later = _form_steps(round_, roles or {}, form)
        if not later and not missing and not carried:
            later = [NextStep(f"Granska och exportera inlämningen för {round_.year}", "F7, sedan x")]
        steps.extend(later)
    return Dashboard(
        settings, figures, round_, done, expected, missing, carried, tuple(gaps[:TOP_AREAS]), tuple(steps)
    )


def _form_steps(round_: Round, roles: dict[str, int], form: FormProgress) -> list[NextStep]:
    """Steps for the rest of the submission: need scores to set (F5), questions to answer (F6)."""
    from bouv_tui.domain import questionnaire
    from bouv_tui.domain.needs import GROUP_LABELS, group_areas

    steps: list[NextStep] = []
    for group, role, keys in (("handlaggare", catalog.CASEWORKER, "F5"), ("arbetsledare", catalog.TEAM_LEADER, "F5, sedan v")):
        wanted = len(group_areas(group))
        done = form.needs_set.get(group, 0)
        if roles.get(role) and done < wanted:
            steps.append(NextStep(f"Bekräfta behoven för {GROUP_LABELS[group].lower()} i {round_.year} "
                                  f"({done} av {wanted} klara)", keys))  # fmt: skip
    try:
        answers = questionnaire.clean_answers(form.answers)
    except questionnaire.AnswerError:
        answers = questionnaire.empty_answers()
    unanswered = [str(q.number) for q in questionnaire.unanswered(answers)]
    if unanswered:
        which = "fråga " + unanswered[0] if len(unanswered) == 1 else "frågorna " + ", ".join(unanswered)
        steps.append(NextStep(f"Svara på {which} för {round_.year}", "F6"))
    return steps


def _first_steps(settings: MunicipalitySettings, has_staff: bool, figures: RosterFigures) -> list[NextStep]:
    steps: list[NextStep] = []
    if not settings.is_complete:
        steps.append(NextStep("Ange kommun och kontaktperson för inventeringen", "Ctrl+P, Inställningar"))
    if not has_staff:
        steps.append(NextStep("Lägg in personalen, eller importera den från en fil", "F3, sedan a eller i"))
    if figures.unqualified:
        steps.append(
            NextStep(f"{len(figures.unqualified)} handläggare saknar behörighet: ordna intyg eller annan uppgift",
                     "F3, sedan b")  # fmt: skip
        )
    return steps


# --- the same from counts the store aggregates (the start screen's fast path) --------------

#: The areas each assessed role is assessed in (``assessment.areas_for``), for ``store.read.read_round_counts``.
ROUND_AREAS: dict[str, tuple[str, ...]] = {role: areas_for(StaffMember("", role)) for role in assessed_roles()}
#: The level codes that count.
ROUND_LEVELS: tuple[str, ...] = tuple(catalog.LEVELS.codes())


def staff_count_rules(on: date) -> dict:
    """The dates and codes ``store.read.read_staff_counts`` counts by, for ``roster_figures`` on ``on``:
    turnover over the twelve months up to ``on``; new when under one year of experience
    (``StaffMember.is_new``: a start after ``years_before(on, 1)``, that is on or after ``new_since``)."""
    return {
        "year_ago": on - timedelta(days=365),
        "new_since": years_before(on, NEW_YEARS) + timedelta(days=1),
        "caseworker": catalog.CASEWORKER,
        "team_leader": catalog.TEAM_LEADER,
        "consultant": catalog.CONSULTANT,
    }


def figures_from_counts(c: StaffCounts, on: date) -> RosterFigures:
    """``roster.roster_figures`` from the store's counts."""
    return figures_from_totals(
        on, c.caseworkers, c.caseworker_fte / 100, c.team_leaders, c.team_leader_fte / 100, c.new_caseworkers,
        c.consultant_caseworkers, c.departures, c.headcount_start, c.headcount_end, c.unqualified,
    )  # fmt: skip


def build_dashboard_from_counts(
    settings: MunicipalitySettings,
    staff: StaffCounts,
    rounds: Sequence[Round],
    round_counts: RoundCounts | None,
    today: date,
    form: FormProgress | None = None,
    shown: Round | None = None,
) -> Dashboard:
    """The start screen from aggregates (``tests/dashboard_oracle.py`` builds the same from
    every person and level, and the tests compare the two): ``staff`` from
    ``read_staff_counts(…, today, **staff_count_rules(today))`` and ``round_counts`` from
    ``read_round_counts(…, ROUND_AREAS, ROUND_LEVELS)`` for ``shown`` (the round the app
    works on; by default ``current_round(rounds, today)``)."""
    figures = figures_from_counts(staff, today)
    round_ = shown if shown is not None else current_round(rounds, today)
    steps = _first_steps(settings, staff.total > 0, figures)
    if round_ is None:
        if staff.total:
            steps.append(NextStep(f"Starta inventeringsomgången för {today.year}", "F4, sedan n"))
        return Dashboard(settings, figures, None, steps=tuple(steps))
    people = round_counts.people if round_counts else {}
    cells = round_counts.cells if round_counts else {}
    expected = sum(n * len(ROUND_AREAS[role]) for role, n in people.items())
    profiles = {}
    caseworkers = people.get(catalog.CASEWORKER)
    if caseworkers:  # as RoundGrid.profile: the caseworkers' areas, each expected of every caseworker
        for area in ROUND_AREAS[catalog.CASEWORKER]:
            counts = {level: cells.get((catalog.CASEWORKER, area, level), 0) for level in ROUND_LEVELS}
            profiles[area] = AreaProfile(area, counts, caseworkers)
    return _with_round(
        settings, figures, round_, steps, today, sum(cells.values()), expected,
        round_counts.unfinished if round_counts else (), round_counts.carried_over if round_counts else 0, profiles,
        people, form,
    )  # fmt: skip

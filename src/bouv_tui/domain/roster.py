"""The staff roster: people, their experience and qualification, and the figures a chef watches."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from bouv_tui.domain import catalog

DAYS_PER_YEAR = 365.25
#: Staff with less experience than this, in calendar years, are new ("Nya, < 1 år").
NEW_YEARS = 1


@dataclass(frozen=True, slots=True)
class StaffMember:
    """One person in the roster. ``id`` is ``None`` until stored."""

    name: str
    role: str
    id: int | None = None
    personal_id: str | None = None
    unit: str = ""
    employed_from: date | None = None
    employed_until: date | None = None
    experience_from: date | None = None
    social_work_degree: bool = False
    qualification_certificate: bool = False
    fte: int = 100
    employment_type: str = catalog.PERMANENT
    continuing_training: bool = False
    further_education: bool = False
    masters_degree: bool = False
    first_manager_job: bool = False
    needs_supervision_support: bool = False
    #: The stored row's version when it was read (0: not stored, or not known); a save of an
    #: older version than the stored one is refused rather than overwriting someone's change.
    version: int = 0

    def with_changes(self, **changes) -> "StaffMember":
        return replace(self, **changes)

    def is_active(self, on: date) -> bool:
        """Employed on the given day (the last day counts)."""
        if self.employed_from is not None and self.employed_from > on:
            return False
        return self.employed_until is None or self.employed_until >= on

    def has_left(self, on: date) -> bool:
        return self.employed_until is not None and self.employed_until < on

    @property
    def experience_start(self) -> date | None:
        """When experience in social work began: ``experience_from``, else the employment's start."""
        return self.experience_from or self.employed_from

    def years_of_experience(self, on: date) -> float | None:
        """Years of experience in social work on the given day, ``None`` when unknown."""
        start = self.experience_start
        if start is None:
            return None
        return max(0.0, (on - start).days / DAYS_PER_YEAR)

    def is_new(self, on: date) -> bool | None:
        """Under one year of experience on ``on``, in calendar years: someone who started on
        1 December 2025 is no longer new on 1 December 2026 (``None`` when the start is unknown)."""
        start = self.experience_start
        return None if start is None else start > years_before(on, NEW_YEARS)

    @property
    def is_caseworker(self) -> bool:
        return self.role == catalog.CASEWORKER

    @property
    def is_team_leader(self) -> bool:
        return self.role == catalog.TEAM_LEADER

    @property
    def is_qualified(self) -> bool:
        """Socionomexamen, or another degree with the employer's certificate (required since 2014)."""
        return self.social_work_degree or self.qualification_certificate

    @property
    def is_consultant(self) -> bool:
        return self.employment_type == catalog.CONSULTANT


def years_before(on: date, years: int) -> date:
    """The same day ``years`` calendar years before ``on`` (29 February: the 28th in a year
    without it). Someone whose experience starts on that day has exactly ``years`` years."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February, and the year before has none
        return on.replace(year=on.year - years, day=28)


def experience_from_years(years: float, on: date) -> date:
    """The date from which ``years`` of experience count, seen on ``on``."""
    return on - timedelta(days=round(years * DAYS_PER_YEAR))


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True, slots=True)
class RosterFigures:
    """The figures above the roster table, on a given day."""

    on: date
    caseworkers: int
    caseworker_fte: float
    team_leaders: int
    team_leader_fte: float
    new_caseworkers: int  # less than one year of experience
    consultant_caseworkers: int
    departures_12m: int
    turnover_12m: float | None
    unqualified: tuple[StaffMember, ...] = field(default_factory=tuple)

    @property
    def share_new(self) -> float | None:
        return share(self.new_caseworkers, self.caseworkers)

    @property
    def share_consultants(self) -> float | None:
        return share(self.consultant_caseworkers, self.caseworkers)


def roster_figures(staff: Iterable[StaffMember], on: date) -> RosterFigures:
    """Head count, FTE, stability and qualification of the active staff on ``on``.

    Turnover is the handläggare and arbetsledare who left in the twelve months up to
    ``on``, divided by the average head count of those groups at the start and the end
    of that period.
    """
    year_ago = on - timedelta(days=365)
    caseworkers = team_leaders = new = consultants = departures = 0
    cw_fte = tl_fte = 0.0
    headcount_start = headcount_end = 0
    unqualified: list[StaffMember] = []
    for person in staff:
        counted = person.is_caseworker or person.is_team_leader
        if counted:
            if person.is_active(year_ago):
                headcount_start += 1
            if person.employed_until is not None and year_ago <= person.employed_until < on:
                departures += 1
        if not person.is_active(on):
            continue
        if counted:
            headcount_end += 1
        if person.is_caseworker:
            caseworkers += 1
            cw_fte += person.fte / 100
            if person.is_new(on):
                new += 1
            if person.is_consultant:
                consultants += 1
            if not person.is_qualified:
                unqualified.append(person)
        elif person.is_team_leader:
            team_leaders += 1
            tl_fte += person.fte / 100
    return figures_from_totals(
        on, caseworkers, cw_fte, team_leaders, tl_fte, new, consultants, departures,
        headcount_start, headcount_end, unqualified,
    )  # fmt: skip


def figures_from_totals(
    on: date,
    caseworkers: int,
    caseworker_fte: float,
    team_leaders: int,
    team_leader_fte: float,
    new_caseworkers: int,
    consultant_caseworkers: int,
    departures: int,
    headcount_start: int,
    headcount_end: int,
    unqualified: Iterable[StaffMember],
) -> RosterFigures:
    """The figures from their totals, however counted (here person by person, or by the
    store's aggregates for the start screen): turnover is the departures over the average
    head count at the start and the end of the twelve months; FTE in full-time equivalents."""
    average = (headcount_start + headcount_end) / 2
    # FTE is a whole percent per person, so a sum is a multiple of 0.01 but for float error:
    # rounding to 2 or to 3 decimals gives the same number (mutmut's 2 -> 3 is an equivalent).
    return RosterFigures(
        on=on,
        caseworkers=caseworkers,
        caseworker_fte=round(caseworker_fte, 2),  # pragma: no mutate
        team_leaders=team_leaders,
        team_leader_fte=round(team_leader_fte, 2),  # pragma: no mutate
        new_caseworkers=new_caseworkers,
        consultant_caseworkers=consultant_caseworkers,
        departures_12m=departures,
        turnover_12m=departures / average if average else None,
        unqualified=tuple(sorted(unqualified, key=lambda p: p.name)),
    )


# --- listing: filter and sort -------------------------------------------------

#: Columns of the roster listing, in order: (code, Swedish heading).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "Namn"),
    ("role", "Roll"),
    # Behörighet next to the role: on an 80-column terminal it is on screen with the name.
    ("qualified", "Behörighet"),
    ("unit", "Enhet"),
    ("fte", "Syss.grad"),
    ("employed_from", "Anställd från"),
    ("experience", "Erfarenhet (år)"),
    ("social_work_degree", "Socionomexamen"),
    ("employment_type", "Anställningsform"),
)


#: Swedish alphabetical order: å, ä, ö after z; é and ü as e and y.
#: (Private-use code points sort after every letter.)
_SWEDISH = str.maketrans({"å": "\U000f0001", "ä": "\U000f0002", "ö": "\U000f0003", "æ": "\U000f0002",
                          "ø": "\U000f0003", "é": "e", "è": "e", "ü": "y"})  # fmt: skip


def swedish_key(text: str) -> str:
    """A sort key that puts names in Swedish order (Åsa before Ängla before Östen, all after Zoran)."""
    return text.casefold().translate(_SWEDISH)


def _sort_key(column: str, on: date):
    def key(p: StaffMember):
        match column:
            case "name":
                value = swedish_key(p.name)
            case "role":
                value = catalog.ROLES.label(p.role)
            case "unit":
                value = swedish_key(p.unit)
            case "fte":
                value = p.fte
            case "employed_from":
                value = p.employed_from
            case "experience":
                value = p.years_of_experience(on)
            case "social_work_degree":
                value = p.social_work_degree
            case "qualified":
                value = p.is_qualified
            case "employment_type":
                value = catalog.EMPLOYMENT_TYPES.label(p.employment_type)
            case _:
                raise ValueError(f"okänd kolumn: {column}")
        return value

    return key


def list_staff(
    staff: Sequence[StaffMember],
    on: date,
    *,
    text: str = "",
    role: str | None = None,
    show_left: bool = False,
    sort: str = "name",
    descending: bool = False,
) -> list[StaffMember]:
    """The people shown in the roster: filtered by text (name or unit), role and whether they left."""
    needle = text.strip().casefold()
    rows = [
        p
        for p in staff
        if (show_left or not p.has_left(on))
        and (role is None or p.role == role)
        and (not needle or needle in p.name.casefold() or needle in p.unit.casefold())
    ]
    value = _sort_key(sort, on)
    # Ties are always by name A–Ö, and unknown values always last, whichever the direction.
    keyed = sorted(((swedish_key(p.name), value(p), p) for p in rows), key=lambda t: t[0])
    known = [(v, p) for _, v, p in keyed if v is not None]
    known.sort(key=lambda t: t[0], reverse=descending)
    return [p for _, p in known] + [p for _, v, p in keyed if v is None]

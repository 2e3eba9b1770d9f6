"""Inventory rounds and competence assessments: the data, and what is computed from it.

A round is one reporting year with a reference date (31 December unless set). An
assessment is one person's level (``grundlaggande``, ``fordjupad``, ``saknar``) in one
knowledge area in one round.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from datetime import date

from bouv_tui.domain import catalog
from bouv_tui.domain.roster import StaffMember, swedish_key

#: Level codes from weakest to strongest: a move left is a decline.
LEVEL_ORDER = ("saknar", "grundlaggande", "fordjupad")


@dataclass(frozen=True, slots=True)
class Round:
    year: int
    reference_date: date
    id: int | None = None

    @classmethod
    def for_year(cls, year: int, reference_date: date | None = None) -> "Round":
        return cls(year, reference_date or date(year, 12, 31))


class Assessment(NamedTuple):
    """One person's level in one area in one round (a named tuple: tens of thousands are
    read at once, and a tuple is the cheapest immutable record to build)."""

    staff_id: int
    area: str
    level: str
    round_id: int | None = None
    assessed_on: date | None = None
    carried_over: bool = False
    note: str = ""
    version: int = 0  # the stored row's version when read (0: not stored or not known)


def assessed_roles() -> tuple[str, ...]:
    """Who is assessed: handläggare and arbetsledare (not other staff)."""
    return (catalog.CASEWORKER, catalog.TEAM_LEADER)


_TEAM_LEADER_AREAS = tuple(catalog.AREAS.codes())
_CASEWORKER_AREAS = tuple(catalog.CASEWORKER_AREAS.codes())
_AREA_SETS = {_TEAM_LEADER_AREAS: frozenset(_TEAM_LEADER_AREAS), _CASEWORKER_AREAS: frozenset(_CASEWORKER_AREAS)}


def areas_for(member: StaffMember) -> tuple[str, ...]:
    """The areas a person is assessed in: the 11 for everyone, plus ledarskap and
    grupprocesser for team leaders."""
    return _TEAM_LEADER_AREAS if member.is_team_leader else _CASEWORKER_AREAS


def people_in_round(staff, round_: Round) -> list[StaffMember]:
    """Handläggare and arbetsledare employed on the round's reference date."""
    roles = assessed_roles()
    return [p for p in staff if p.role in roles and p.is_active(round_.reference_date)]


# --- team profile and completeness ------------------------------------------------------

#: The level codes in catalogue order (grundläggande, fördjupad, saknar).
_LEVELS = tuple(catalog.LEVELS.codes())
_AREA_ORDER = {code: i for i, code in enumerate(catalog.AREAS.codes())}


@dataclass(frozen=True, slots=True)
class AreaProfile:
    """Question 1 for one area: how many are at each level, out of how many who should be."""

    area: str
    counts: dict[str, int]  # level code -> count, all three levels present (0 when none)
    expected: int  # people in the group who should be assessed in this area

    @property
    def assessed(self) -> int:
        return sum(self.counts.values())

    @property
    def missing(self) -> int:
        return max(0, self.expected - self.assessed)

    @property
    def share_lacking(self) -> float | None:
        """Share of those assessed who lack sufficient competence, ``None`` when nobody is assessed."""
        assessed = self.assessed
        return self.counts.get("saknar", 0) / assessed if assessed else None

    @property
    def share_advanced(self) -> float | None:
        assessed = self.assessed
        return self.counts.get("fordjupad", 0) / assessed if assessed else None

    @property
    def is_complete(self) -> bool:
        return self.missing == 0 and self.expected > 0


def valid_cells(people: Sequence[StaffMember], assessments: Iterable[Assessment]) -> dict[tuple[int, str], Assessment]:
    """The assessments that count for ``people``: of someone in ``people``, in an area that
    applies to them, with a known level; one per person and area (the last one wins).
    Keyed by (staff id, area). Worked out once, it can be passed as ``cells`` to
    ``area_profiles`` and ``missing_by_area`` (for those people or some of them)."""
    applies = {p.id: _AREA_SETS[areas_for(p)] for p in people}
    cells: dict[tuple[int, str], Assessment] = {}
    for a in assessments:
        areas = applies.get(a.staff_id)
        if areas is not None and a.area in areas and a.level in _LEVELS:
            cells[(a.staff_id, a.area)] = a
    return cells


def area_profiles(
    people: Sequence[StaffMember], assessments: Iterable[Assessment] = (), *, cells: dict | None = None
) -> dict[str, AreaProfile]:
    """One profile per area, in catalogue order, for ``people`` (already filtered by the caller
    to a round, role or unit).

    An area counts only for the people it applies to; ledarskap and grupprocesser are
    present only when someone in ``people`` is a team leader. Assessments of anyone else,
    or in an area that does not apply to the person, are ignored.
    """
    people = list(people)
    expected = dict.fromkeys(catalog.CASEWORKER_AREAS.codes(), 0)
    if any(p.is_team_leader for p in people):
        expected = dict.fromkeys(catalog.AREAS.codes(), 0)
    for person in people:
        for area in areas_for(person):
            expected[area] += 1
    counts = {area: dict.fromkeys(_LEVELS, 0) for area in expected}
    if cells is None:
        for (_, area), a in valid_cells(people, assessments).items():
            counts[area][a.level] += 1
    else:  # worked out for these people or more: count only theirs
        for person in people:
            for area in areas_for(person):
                a = cells.get((person.id, area))
                if a is not None:
                    counts[area][a.level] += 1
    return {area: AreaProfile(area, counts[area], expected[area]) for area in expected}


@dataclass(frozen=True, slots=True)
class PersonProgress:
    staff_id: int
    done: int  # areas assessed
    total: int  # len(areas_for(person))
    carried_over: int  # of the done ones, how many are carried over (not confirmed)

    @property
    def is_complete(self) -> bool:
        return self.done >= self.total


def progress(people: Sequence[StaffMember], assessments: Iterable[Assessment]) -> dict[int, PersonProgress]:
    """How far each person's assessment has come, keyed by staff id."""
    people = list(people)
    done = {p.id: 0 for p in people}
    carried = {p.id: 0 for p in people}
    for (staff_id, _), a in valid_cells(people, assessments).items():
        done[staff_id] += 1
        carried[staff_id] += bool(a.carried_over)
    return {p.id: PersonProgress(p.id, done[p.id], len(areas_for(p)), carried[p.id]) for p in people}


def completeness(people: Sequence[StaffMember], assessments: Iterable[Assessment]) -> tuple[int, int]:
    """(cells assessed, cells expected) over all ``people`` and the areas that apply to them."""
    people = list(people)
    expected = sum(len(areas_for(p)) for p in people)
    return len(valid_cells(people, assessments)), expected


def _by_name(people: Iterable[StaffMember]) -> list[StaffMember]:
    # `or 0` only orders people not yet stored (id None); any number there is equivalent.
    return sorted(people, key=lambda p: (swedish_key(p.name), p.id or 0))  # pragma: no mutate


def missing_people(people: Sequence[StaffMember], assessments: Iterable[Assessment]) -> list[StaffMember]:
    """People with at least one area not assessed, by name (Swedish order)."""
    people = list(people)
    done = progress(people, assessments)
    return _by_name(p for p in people if not done[p.id].is_complete)


def missing_by_area(
    people: Sequence[StaffMember], assessments: Iterable[Assessment] = (), *, cells: dict | None = None
) -> dict[str, list[StaffMember]]:
    """Area -> the people not assessed in it (by name), in catalogue order; only areas where
    someone is missing. ``cells``: ``valid_cells`` of these people (or more), if already known."""
    people = list(people)
    if cells is None:
        cells = valid_cells(people, assessments)
    applies = [(p, frozenset(areas_for(p))) for p in people]
    result: dict[str, list[StaffMember]] = {}
    for area in catalog.AREAS.codes():
        lacking = [p for p, areas in applies if area in areas and (p.id, area) not in cells]
        if lacking:
            result[area] = _by_name(lacking)
    return result


# --- round to round ------------------------------------------------------------------------


def _difference(before: float | None, after: float | None) -> float | None:
    if before is None or after is None:
        return None
    return after - before


@dataclass(frozen=True, slots=True)
class AreaChange:
    area: str
    before: AreaProfile | None
    after: AreaProfile | None

    @property
    def change_in_share_lacking(self) -> float | None:
        """After minus before (negative: fewer lack competence), ``None`` if either side has no share."""
        return _difference(
            self.before.share_lacking if self.before else None, self.after.share_lacking if self.after else None
        )

    @property
    def change_in_share_advanced(self) -> float | None:
        return _difference(
            self.before.share_advanced if self.before else None, self.after.share_advanced if self.after else None
        )


def compare_rounds(
    people_before: Sequence[StaffMember],
    assessments_before: Iterable[Assessment],
    people_after: Sequence[StaffMember],
    assessments_after: Iterable[Assessment],
) -> list[AreaChange]:
    """One change per area present in either round, in catalogue order."""
    before = area_profiles(people_before, assessments_before)
    after = area_profiles(people_after, assessments_after)
    return [
        AreaChange(area, before.get(area), after.get(area))
        for area in catalog.AREAS.codes()
        if area in before or area in after
    ]


@dataclass(frozen=True, slots=True)
class Decline:
    staff_id: int
    area: str
    before: str  # level code
    after: str


def declines(assessments_before: Iterable[Assessment], assessments_after: Iterable[Assessment]) -> list[Decline]:
    """Person and area assessed in both rounds with a lower level in the later one, by staff id
    and then area in catalogue order. New and removed assessments are not declines."""
    rank = {level: i for i, level in enumerate(LEVEL_ORDER)}
    earlier = {(a.staff_id, a.area): a.level for a in assessments_before if a.level in rank}
    found = []
    for a in assessments_after:
        old = earlier.get((a.staff_id, a.area))
        if old is not None and a.level in rank and rank[a.level] < rank[old]:
            found.append(Decline(a.staff_id, a.area, old, a.level))
    # The default orders an area the catalogue lacks, which the store never holds: equivalent.
    found.sort(key=lambda d: (d.staff_id, _AREA_ORDER.get(d.area, len(_AREA_ORDER)), d.area))  # pragma: no mutate
    return found

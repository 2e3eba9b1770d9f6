"""Inventory rounds and competence assessments: the data, and what is computed from it.

A round is one reporting year with a reference date (31 December unless set). An
assessment is one person's level (``grundlaggande``, ``fordjupad``, ``saknar``) in one
knowledge area in one round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bouv_tui.domain import catalog
from bouv_tui.domain.roster import StaffMember

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


@dataclass(frozen=True, slots=True)
class Assessment:
    staff_id: int
    area: str
    level: str
    round_id: int | None = None
    assessed_on: date | None = None
    carried_over: bool = False
    note: str = ""


def assessed_roles() -> tuple[str, ...]:
    """Who is assessed: handläggare and arbetsledare (not other staff)."""
    return (catalog.CASEWORKER, catalog.TEAM_LEADER)


def areas_for(member: StaffMember) -> tuple[str, ...]:
    """The areas a person is assessed in: the 11 for everyone, plus ledarskap and
    grupprocesser for team leaders."""
    if member.is_team_leader:
        return tuple(catalog.AREAS.codes())
    return tuple(catalog.CASEWORKER_AREAS.codes())


def people_in_round(staff, round_: Round) -> list[StaffMember]:
    """Handläggare and arbetsledare employed on the round's reference date."""
    roles = assessed_roles()
    return [p for p in staff if p.role in roles and p.is_active(round_.reference_date)]

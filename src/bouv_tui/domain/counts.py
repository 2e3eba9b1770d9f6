"""What the store counts for the start screen, in the shapes the domain works with.

``store.read.read_staff_counts`` and ``read_round_counts`` aggregate the roster and a round
in SQLite and answer these; ``domain.dashboard`` builds the start screen from them. They are
the domain's, so that the domain needs nothing of the store."""

from __future__ import annotations

from typing import NamedTuple

from bouv_tui.domain.roster import StaffMember


class StaffCounts(NamedTuple):
    """Head counts of the roster on one day, as ``read_staff_counts`` aggregates them."""

    total: int  # everyone in the file, whatever their role and whether they left
    caseworkers: int  # active on the day
    caseworker_fte: int  # sum of their FTE in per cent
    team_leaders: int
    team_leader_fte: int
    new_caseworkers: int  # active caseworkers whose experience started on or after ``new_since``
    consultant_caseworkers: int
    departures: int  # counted roles who left in [year_ago, on)
    headcount_start: int  # counted roles active on year_ago
    headcount_end: int  # counted roles active on the day
    unqualified: list[StaffMember]  # active caseworkers with neither degree nor certificate, by name


class RoundCounts(NamedTuple):
    """One round's stored levels, counted for the people assessed in it (``read_round_counts``)."""

    people: dict[str, int]  # role -> people of that role active on the reference date
    cells: dict[tuple[str, str, str], int]  # (role, area, level) -> levels stored in an area that applies
    carried_over: int  # of those cells, how many were carried over and not yet confirmed
    unfinished: list[StaffMember]  # people with a level in fewer than all their areas, by id

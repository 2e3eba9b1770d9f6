"""The assessment grid of one round in memory: levels by person and area, with running
counts, so that a keystroke updates the figures beside the grid without recounting the
whole round (tens of thousands of cells at national scale)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from bouv_tui.domain import catalog
from bouv_tui.domain.assessment import Assessment, AreaProfile, PersonProgress, Round, areas_for
from bouv_tui.domain.roster import StaffMember

_LEVELS = tuple(catalog.LEVELS.codes())


class RoundGrid:
    """People × areas for one round. ``people`` are those assessed in the round (see
    ``assessment.people_in_round``); assessments of anyone else are ignored."""

    def __init__(self, round_: Round, people: Sequence[StaffMember], assessments: Iterable[Assessment]):
        self.round = round_
        self.people = list(people)
        self._by_id = {p.id: p for p in self.people}
        self._areas = {p.id: areas_for(p) for p in self.people}
        self.cells: dict[tuple[int, str], Assessment] = {}
        self._role = {p.id: p.role for p in self.people}
        roles = set(self._role.values())
        self._counts = {r: {a: dict.fromkeys(_LEVELS, 0) for a in catalog.AREAS.codes()} for r in roles}
        self._expected = {r: dict.fromkeys(catalog.AREAS.codes(), 0) for r in roles}
        self._done = dict.fromkeys(self._by_id, 0)
        self._carried = dict.fromkeys(self._by_id, 0)
        for person in self.people:
            for area in self._areas[person.id]:
                self._expected[person.role][area] += 1
        for a in assessments:
            if a.staff_id in self._by_id and a.area in self._areas[a.staff_id] and a.level in _LEVELS:
                self._add(a)

    # --- reading ------------------------------------------------------------------------

    def applies(self, staff_id: int, area: str) -> bool:
        return area in self._areas.get(staff_id, ())

    def level(self, staff_id: int, area: str) -> Assessment | None:
        return self.cells.get((staff_id, area))

    def profile(self, area: str, role: str | None = None) -> AreaProfile:
        """Counts in one area, for one role or everyone in the grid."""
        roles = [role] if role is not None else list(self._counts)
        counts = dict.fromkeys(_LEVELS, 0)
        expected = 0
        for r in roles:
            if r in self._counts:
                for level, n in self._counts[r][area].items():
                    counts[level] += n
                expected += self._expected[r][area]
        return AreaProfile(area, counts, expected)

    def areas(self, role: str | None = None) -> list[str]:
        """The areas that apply to someone in the grid (of one role), in catalogue order."""
        return [a for a in catalog.AREAS.codes() if self.profile(a, role).expected]

    def progress(self, staff_id: int) -> PersonProgress:
        return PersonProgress(staff_id, self._done[staff_id], len(self._areas[staff_id]), self._carried[staff_id])

    def completeness(self) -> tuple[int, int]:
        expected = sum(n for per_area in self._expected.values() for n in per_area.values())
        return sum(self._done.values()), expected

    def unassessed_people(self) -> list[StaffMember]:
        return [p for p in self.people if self._done[p.id] < len(self._areas[p.id])]

    # --- changing -----------------------------------------------------------------------

    def set(self, staff_id: int, area: str, level: str, on: date) -> Assessment:
        """Set a level (confirming it if it was carried over); returns the new assessment."""
        if not self.applies(staff_id, area):
            raise ValueError(f"{area} gäller inte för den här personen")
        if level not in _LEVELS:
            raise ValueError(f"okänd nivå: {level}")
        self.clear(staff_id, area)
        new = Assessment(staff_id, area, level, self.round.id, on)  # not carried over, no note
        self._add(new)
        return new

    def clear(self, staff_id: int, area: str) -> Assessment | None:
        """Remove a level; returns what was there."""
        old = self.cells.pop((staff_id, area), None)
        if old is not None:
            self._counts[self._role[staff_id]][area][old.level] -= 1
            self._done[staff_id] -= 1
            self._carried[staff_id] -= old.carried_over
        return old

    def confirm(self, staff_id: int) -> list[Assessment]:
        """Confirm a person's carried-over levels; returns the confirmed assessments."""
        confirmed = []
        for area in self._areas[staff_id]:
            cell = self.cells.get((staff_id, area))
            if cell is not None and cell.carried_over:
                self.cells[(staff_id, area)] = cell._replace(carried_over=False)
                confirmed.append(self.cells[(staff_id, area)])
        self._carried[staff_id] = 0
        return confirmed

    def restore(self, staff_id: int, area: str, cell: Assessment | None) -> None:
        """Put back a cell as it was (an undo): ``cell`` as stored then (carried over or not), or
        None for an empty cell."""
        self.clear(staff_id, area)
        if cell is not None:
            self._add(cell)

    def _add(self, a: Assessment) -> None:
        self.cells[(a.staff_id, a.area)] = a
        self._counts[self._role[a.staff_id]][a.area][a.level] += 1
        self._done[a.staff_id] += 1
        self._carried[a.staff_id] += a.carried_over


def people_named(people: Iterable[StaffMember], text: str) -> list[StaffMember]:
    """The people whose name holds ``text``: the roster's search (case-insensitive, å/ä/ö as
    typed: casefold keeps them apart from a/o), on the name only."""
    needle = text.strip().casefold()
    return [p for p in people if needle in p.name.casefold()]  # "" is in every name: everyone

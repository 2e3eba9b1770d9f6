"""Reading and checking an assessment file (CSV or XLSX) for one inventory round.

Pure: no database, no Textual. The file is read with the roster import's
:func:`~bouv_tui.exchange.staff_import.read_table`; :func:`plan_assessment_import`
checks every row and cell and says what an import would set and clear. The caller
stores the plan only when it has no errors (all or nothing).

One row a person, matched by ``personal_id`` (when the column is there and the cell is
not empty), else by ``namn``. One column per knowledge area, headed by its code
(``barns_utveckling``) or its Swedish label. ``roll`` and ``enhet`` may be present
(an export of the grid can be read back) and are not read.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bouv_tui.domain import catalog
from bouv_tui.domain.assessment import Assessment, Round, areas_for, people_in_round
from bouv_tui.domain.roster import StaffMember
from bouv_tui.domain.validation import InvalidValue, hidden_character, quote
from bouv_tui.exchange.staff_import import ROLE_WORDS
from bouv_tui.exchange.tables import (
    MAX_CELL,
    ImportFileError,
    Row,
    RowError,
    Table,
    cell_problem,
    headerless_errors,
    map_headers,
    normalize_header,
    parse_text,
    read_table,
)

__all__ = [
    "ASSESSMENT_COLUMNS",
    "AssessmentImportPlan",
    "ImportFileError",
    "parse_level",
    "plan_assessment_import",
    "read_assessment_table",
]

PERSONAL_ID, NAME = "personal_id", "namn"
#: Columns that are accepted and not read (what an export of the grid writes beside the levels).
IGNORED = ("roll", "enhet")
#: Other headings of an area: the 2013 report's tables call ``regelverk`` this.
AREA_ALIASES = {"Regelverk och rättslig prövning": "regelverk"}

#: The columns of an assessment file, in the order an export would write them.
ASSESSMENT_COLUMNS: tuple[str, ...] = (PERSONAL_ID, NAME, *IGNORED, *catalog.AREAS.codes())


#: Folded heading → column code (an area code, personal_id, namn, roll or enhet). Built at
#: import, not in a function: mutmut mutates functions, and one run only as the module is
#: imported would give mutants that can never be switched on.
_BY_KEY = {normalize_header(code): code for code in (PERSONAL_ID, NAME, *IGNORED)}
for _area in catalog.AREAS:
    _BY_KEY[normalize_header(_area.code)] = _area.code
    _BY_KEY[normalize_header(_area.label)] = _area.code
for _label, _code in AREA_ALIASES.items():
    _BY_KEY[normalize_header(_label)] = _code
del _area, _label, _code
_AREA_CODES = frozenset(catalog.AREAS.codes())

#: Folded cell text → level code.
_LEVEL_WORDS = {
    normalize_header(word): level.code
    for level in catalog.LEVELS
    for word in (level.code, level.label, catalog.LEVEL_LETTER[level.code])
}
_LEVEL_WORDS.update({normalize_header("saknar tillräcklig"): "saknar"})
#: Cells that mean "not assessed", as the grid shows it ("–" not applicable, "·" not assessed).
_EMPTY_MARKS = frozenset({"-", "–", "—", "·"})

_WORDS = re.compile(r"[^\W\d_]+(?:\s+[^\W\d_]+)*")


_show = quote  # one line, short, no control characters


@dataclass(slots=True)
class AssessmentImportPlan:
    """What an import would do to one round. Store it only when :attr:`ok`.

    ``unchanged`` counts cells (person and area) whose level the file repeats; a level
    that was carried over from the previous round and that the file repeats is in
    ``sets``, since importing it confirms it.
    """

    round: Round
    sets: list[Assessment] = field(default_factory=list)
    clears: list[tuple[int, str]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: What the plan was made against (``store.basis``), set by the Workspace; applying refuses
    #: the plan when the stored rows differ from it by then.
    basis: object = None
    people: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def new_round(self) -> bool:
        """True when the round is not stored yet: applying the plan creates it."""
        return self.round.id is None


def read_assessment_table(path: Path) -> Table:
    """Read an assessment file (CSV or XLSX); raises :class:`ImportFileError`."""
    return read_table(path, expected=[*ASSESSMENT_COLUMNS, *(a.label for a in catalog.AREAS), *AREA_ALIASES])


# --- cells -------------------------------------------------------------------------


def parse_level(value: str) -> str | None:
    """``G``/``grundläggande``, ``F``/``fördjupad``, ``S``/``saknar`` (any case, or the
    full label) → level code; empty (or ``-``, ``–``, ``·``) → ``None``."""
    text = value.strip()
    if not text or text in _EMPTY_MARKS:
        return None
    # Letters and spaces only: "=G" or "G*" is not G.
    level = _LEVEL_WORDS.get(normalize_header(text)) if _WORDS.fullmatch(text) else None
    if level is None:
        raise InvalidValue(
            f'"{_show(text)}" är ingen kompetensnivå. Skriv G (grundläggande), F (fördjupad) '
            "eller S (saknar tillräcklig kompetens), eller lämna cellen tom."
        )
    return level


def _fold_name(name: str) -> str:
    # Only compared with other folded names, never shown: any separator matches the same people.
    return " ".join(name.split()).casefold()  # pragma: no mutate


def _personal_id(value: str) -> str:
    try:
        return parse_text(value.strip()).strip()
    except InvalidValue:
        return value.strip()


def _describe(person: StaffMember) -> str:
    parts = [f"personal_id {person.personal_id}" if person.personal_id else "utan personal_id"]
    if person.unit:
        parts.append(person.unit)
    return f"{person.name} ({', '.join(parts)})"


# --- headers -----------------------------------------------------------------------


def _header_errors(table: Table) -> tuple[dict[str, int], list[RowError]]:
    """Map column code → index; errors for unknown, doubled and missing columns."""
    index, errors = map_headers(table, _BY_KEY, ", ".join(ASSESSMENT_COLUMNS) + " (eller områdenas namn)")
    row = table.header_row
    if PERSONAL_ID not in index and NAME not in index:
        errors.append(
            RowError(row, NAME, 'Kolumnen "namn" saknas i rubrikraden (eller "personal_id", som räcker).')
        )
    if not any(code in _AREA_CODES for code in index):
        errors.append(
            RowError(
                row,
                "",
                "Filen har ingen kolumn för något kunskapsområde. Rubriken ska vara områdets kod "
                "(t.ex. barns_utveckling) eller dess namn (t.ex. Barns och ungas utveckling och behov).",
            )
        )
    return index, errors


# --- the plan ------------------------------------------------------------------------


class _People:
    """The roster looked up by personal_id and by name."""

    def __init__(self, staff: Sequence[StaffMember], round_: Round):
        self.by_personal_id: dict[str, StaffMember] = {}
        self.by_name: dict[str, list[StaffMember]] = {}
        for person in staff:
            if person.personal_id:
                self.by_personal_id.setdefault(person.personal_id, person)
            self.by_name.setdefault(_fold_name(person.name), []).append(person)
        self.in_round = {p.id for p in people_in_round(staff, round_)}

    def find(self, row: Row, index: dict[str, int]) -> tuple[StaffMember | None, RowError | None]:
        cells = row.cells

        def cell(code: str) -> str:
            i = index.get(code)
            return cells[i] if i is not None and i < len(cells) else ""

        raw_id, raw_name = cell(PERSONAL_ID), cell(NAME)
        if len(raw_id) > MAX_CELL or len(raw_name) > MAX_CELL:
            column = PERSONAL_ID if len(raw_id) > MAX_CELL else NAME
            return None, RowError(row.number, column, f"Värdet är för långt (högst {MAX_CELL} tecken).")
        for column, raw in ((PERSONAL_ID, raw_id), (NAME, raw_name)):
            problem = cell_problem(raw) or hidden_character(raw)
            if problem is not None:
                return None, RowError(row.number, column, problem)
        personal_id, name = _personal_id(raw_id), " ".join(raw_name.split())
        if personal_id:
            person = self.by_personal_id.get(personal_id)
            if person is None:
                return None, RowError(
                    row.number,
                    PERSONAL_ID,
                    f'Ingen person i personalregistret har personal_id "{_show(personal_id)}".',
                )
            if name and _fold_name(name) != _fold_name(person.name):
                return None, RowError(
                    row.number,
                    NAME,
                    f'personal_id "{_show(personal_id)}" tillhör {_show(person.name)}, inte '
                    f"{_show(name)}. Rätta namnet eller personal_id.",
                )
            return person, None
        if not name:
            missing = "Namn och personal_id saknas." if PERSONAL_ID in index else "Namn saknas."
            return None, RowError(row.number, NAME if NAME in index else PERSONAL_ID, missing)
        matches = self.by_name.get(_fold_name(name), [])
        # Someone who has left long ago does not make a name ambiguous for the round.
        current = [p for p in matches if p.id in self.in_round]
        candidates = current or matches
        if not candidates:
            return None, RowError(row.number, NAME, f'Ingen person i personalregistret heter "{_show(name)}".')
        if len(candidates) > 1:
            shown = ", ".join(_describe(p) for p in candidates[:5])
            more = f" och {len(candidates) - 5} till" if len(candidates) > 5 else ""
            return None, RowError(
                row.number,
                NAME,
                f'Namnet "{_show(name)}" passar flera personer: {shown}{more}. '
                "Lägg till kolumnen personal_id och ange den.",
            )
        return candidates[0], None


def _read_levels(
    row: Row, area_columns: list[tuple[str, int]], known: dict[str, str | None]
) -> tuple[list[tuple[str, str | None]], list[RowError]]:
    """(area, level or None) for every area column of the row, and the cells' errors.

    ``known`` maps cell texts already read to their level: a national file repeats a
    handful of texts (G, F, S, empty) tens of thousands of times."""
    levels: list[tuple[str, str | None]] = []
    errors: list[RowError] = []
    cells = row.cells
    width = len(cells)
    for area, i in area_columns:
        raw = cells[i] if i < width else ""
        try:
            levels.append((area, known[raw]))
            continue
        except KeyError:
            pass
        if len(raw) > MAX_CELL:
            errors.append(RowError(row.number, area, f"Värdet är för långt ({len(raw)} tecken; högst {MAX_CELL})."))
            continue
        problem = cell_problem(raw)
        if problem is not None:
            errors.append(RowError(row.number, area, problem))
            continue
        try:
            level = parse_level(raw)
        except InvalidValue as exc:
            errors.append(RowError(row.number, area, str(exc)))
            continue
        known[raw] = level
        levels.append((area, level))
    return levels, errors


def _person_error(
    row: Row, person: StaffMember, people: _People, seen: dict[int, int], round_: Round
) -> RowError | None:
    """Why the row's person can't be assessed in the round from this row, if they can't."""
    if person.id in seen:
        return RowError(row.number, "", f"{_show(person.name)} finns redan på rad {seen[person.id]}.")
    if person.role not in (catalog.CASEWORKER, catalog.TEAM_LEADER):
        # The one role not assessed, "annan", is its own word, so reading the code is equivalent.
        role = ROLE_WORDS.get(person.role, person.role)  # pragma: no mutate
        return RowError(
            row.number,
            "",
            f"{_show(person.name)} har rollen {role} och bedöms inte i inventeringen. "
            "Ta bort raden eller ändra rollen i personalregistret.",
        )
    if person.id not in people.in_round:
        return RowError(
            row.number,
            "",
            f"{_show(person.name)} var inte anställd den {round_.reference_date.isoformat()} "
            f"(referensdatum för inventeringen {round_.year}). Ta bort raden eller rätta "
            "anställningsdatumen i personalregistret.",
        )
    return None


def plan_assessment_import(
    table: Table,
    staff: Sequence[StaffMember],
    existing: Sequence[Assessment],
    round_: Round,
    today: date,
) -> AssessmentImportPlan:
    """Check every row of ``table`` and say what importing it into ``round_`` would do.

    ``staff`` is the whole roster; ``existing`` the round's assessments (empty for a round
    not stored yet). A level sets the person's level in that area (``assessed_on=today``,
    no longer carried over); an empty cell clears an existing level; areas without a
    column in the file are left as they are. Rows with errors set and clear nothing; the
    caller must store nothing unless :attr:`AssessmentImportPlan.ok`.
    """
    plan = AssessmentImportPlan(round=round_)
    index, header_errors = _header_errors(table)
    plan.errors.extend(header_errors)
    plan.errors.extend(headerless_errors(table))
    if PERSONAL_ID not in index and NAME not in index:
        plan.errors.sort(key=lambda e: e.row)
        return plan

    people = _People(staff, round_)
    current = {(a.staff_id, a.area): a for a in existing}
    area_columns = [(code, i) for code, i in index.items() if code in _AREA_CODES]
    area_columns.sort(key=lambda item: item[1])
    seen: dict[int, int] = {}
    known_levels: dict[str, str | None] = {}
    round_id = round_.id
    areas_by_role: dict[str, frozenset[str]] = {}
    new_assessment = Assessment._make

    for row in table.rows:
        if not "".join(row.cells).strip():
            continue
        levels, row_errors = _read_levels(row, area_columns, known_levels)
        person, error = people.find(row, index)
        if error is None:
            # The store's invariant (every stored person has an id), not a check of the file.
            assert person is not None and person.id is not None  # pragma: no mutate
            error = _person_error(row, person, people, seen, round_)
            if error is None:  # a person refused here is refused for that reason on every row
                seen.setdefault(person.id, row.number)
        if error is not None:
            plan.errors.append(error)
            plan.errors.extend(row_errors)
            continue
        applies = areas_by_role.get(person.role)  # pragma: no mutate (a cache: None works the same areas out again)
        if applies is None:
            applies = areas_by_role[person.role] = frozenset(areas_for(person))
        sets: list[Assessment] = []
        clears: list[tuple[int, str]] = []
        unchanged = 0
        staff_id = person.id
        for area, level in levels:
            old = current.get((staff_id, area))
            if level is None:
                if old is not None:
                    clears.append((staff_id, area))
            elif area not in applies:
                row_errors.append(
                    RowError(
                        row.number,
                        area,
                        f"{catalog.AREAS.label(area)} bedöms bara för arbetsledare, och "
                        f"{_show(person.name)} är {ROLE_WORDS[person.role]}. "
                        "Lämna cellen tom.",
                    )
                )
            elif old is None:
                # staff_id, area, level, round_id, assessed_on, carried_over, note (as a plain
                # tuple: the named tuple's own constructor costs more at 60 000 levels)
                sets.append(new_assessment((staff_id, area, level, round_id, today, False, "", 0)))
            elif old.level == level and not old.carried_over:
                unchanged += 1
            else:
                sets.append(new_assessment((staff_id, area, level, round_id, today, False, old.note, old.version)))
        if row_errors:
            plan.errors.extend(row_errors)
            continue
        plan.people += 1
        plan.sets.extend(sets)
        plan.clears.extend(clears)
        plan.unchanged += unchanged
    plan.errors.sort(key=lambda e: e.row)
    return plan

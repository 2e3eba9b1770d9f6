"""Reading and checking a roster file (CSV or XLSX) before anything is stored.

Pure: no database, no Textual. :func:`read_table` turns a file into rows of text
cells; :func:`plan_staff_import` checks every cell and says what an import would
add and update. The caller stores the plan only when it has no errors (all or
nothing).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from bouv_tui.domain import catalog
from bouv_tui.domain.roster import StaffMember, experience_from_years
from bouv_tui.domain.validation import InvalidValue, parse_iso_date, quote
from bouv_tui.exchange import tables
from bouv_tui.exchange.tables import (  # noqa: F401 - the shared pieces, also imported from here
    MAX_CELL,
    MAX_ROWS,
    ImportFileError,
    Row,
    RowError,
    Table,
    cell_problem,
    headerless_errors,
    map_headers,
    _too_many_rows,
    column_letter,
    normalize_header,
    parse_text,
)

#: Longest accepted name, in characters.
MAX_NAME = 200
#: Years of experience accepted in ``erfarenhet_ar``.
MAX_YEARS = 60
#: Dates outside this range are refused as implausible.

#: The words written in files for the role codes (the import also accepts the codes).
ROLE_WORDS = {
    catalog.CASEWORKER: "handläggare",
    catalog.TEAM_LEADER: "arbetsledare",
    catalog.OTHER_ROLE: "annan",
}

# Kinds of column: how a cell is read.
_TEXT, _NAME, _ROLE, _DATE, _YEARS, _BOOL, _FTE, _EMPLOYMENT = (
    "text",
    "name",
    "role",
    "date",
    "years",
    "bool",
    "fte",
    "employment",
)


@dataclass(frozen=True, slots=True)
class Column:
    code: str
    field: str  # the StaffMember attribute it sets
    kind: str
    required: bool = False


#: The columns of a roster file, in the order an export writes them.
COLUMNS: tuple[Column, ...] = (
    Column("personal_id", "personal_id", _TEXT),
    Column("namn", "name", _NAME, required=True),
    Column("roll", "role", _ROLE, required=True),
    Column("enhet", "unit", _TEXT),
    Column("anstalld_fran", "employed_from", _DATE),
    Column("anstalld_till", "employed_until", _DATE),
    Column("erfarenhet_fran", "experience_from", _DATE),
    Column("erfarenhet_ar", "experience_from", _YEARS),
    Column("socionomexamen", "social_work_degree", _BOOL),
    Column("behorighetsintyg", "qualification_certificate", _BOOL),
    Column("sysselsattningsgrad", "fte", _FTE),
    Column("anstallningsform", "employment_type", _EMPLOYMENT),
    Column("fortbildning", "continuing_training", _BOOL),
    Column("vidareutbildning", "further_education", _BOOL),
    Column("magister_master", "masters_degree", _BOOL),
    Column("forsta_chefsjobb", "first_manager_job", _BOOL),
    Column("behover_handledningsstod", "needs_supervision_support", _BOOL),
)

STAFF_COLUMNS: tuple[str, ...] = tuple(c.code for c in COLUMNS)

#: Headings HR systems write for a column (matched like the codes: case, spaces, å/ä/ö and
#: punctuation do not matter, so "Anst.nr" is "anstnr").
HEADING_ALIASES: dict[str, tuple[str, ...]] = {
    "personal_id": ("anställningsnummer", "anställningsnr", "anstnr", "personalnummer", "personal-id",
                    "medarbetarnummer", "medarbetar-id", "anställnings-id"),
    "namn": ("fullständigt namn", "för- och efternamn", "medarbetarnamn"),
    "roll": ("befattning", "titel", "yrkestitel", "befattningsbenämning", "befattningstitel"),
    "enhet": ("avdelning", "arbetsplats", "team", "organisationsenhet", "enhetsnamn", "arbetsgrupp"),
    "anstalld_fran": ("anställningsdatum", "anställd från", "anställd sedan", "startdatum",
                      "anställningsstart"),
    "anstalld_till": ("slutdatum", "anställd till", "avgångsdatum", "anställningens slut", "anställningsslut"),
    "sysselsattningsgrad": ("tjänstgöringsgrad", "sysselsättning", "syssgrad", "tjänstgöring",
                            "anställningsgrad", "arbetstidsmått"),
    "anstallningsform": ("anställningstyp", "anställningsformen"),
}  # fmt: skip

@dataclass(slots=True)
class StaffImportPlan:
    """What an import would do. Store it only when :attr:`ok`."""

    adds: list[StaffMember] = field(default_factory=list)
    updates: list[tuple[StaffMember, StaffMember]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: What the plan was made against (``store.basis``), set by the Workspace; applying refuses
    #: the plan when the stored rows differ from it by then.
    basis: object = None
    #: What may not be what the file meant but is imported as said (an FTE of 1 read as 100 %,
    #: 62,5 % rounded): shown with the preview, never blocking.
    warnings: list[RowError] = field(default_factory=list)
    #: The file's known columns, in the file's order: what the import writes.
    columns: list[str] = field(default_factory=list)
    #: The row number of each of ``adds`` and of ``updates``, in the same order.
    add_rows: list[int] = field(default_factory=list)
    update_rows: list[int] = field(default_factory=list)
    #: (row, column) → the cell's text, where the value written is a translation of it (a job
    #: title read as a role, a share read as a percent).
    read_as: dict[tuple[int, str], str] = field(default_factory=dict)
    #: Notices about the job-title table in config.toml (a title that is not a role).
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- headers -----------------------------------------------------------------


_CODES_BY_KEY = {normalize_header(c.code): c.code for c in COLUMNS}
_CODES_BY_KEY.update(
    {normalize_header(alias): code for code, aliases in HEADING_ALIASES.items() for alias in aliases}
)
#: Every heading the roster import knows: the codes and the HR systems' words for them.
STAFF_HEADINGS: tuple[str, ...] = (*STAFF_COLUMNS, *(a for aliases in HEADING_ALIASES.values() for a in aliases))
_VALID = (
    ", ".join(STAFF_COLUMNS) + " (eller HR-systemens rubriker som Anställningsnummer, Befattning, "
    "Avdelning, Anställningsdatum, Slutdatum och Tjänstgöringsgrad)"
)


def read_table(path: Path, *, expected: Iterable[str] | None = STAFF_HEADINGS) -> Table:
    """Read a CSV or XLSX file into text cells; by default it must have a roster heading."""
    return tables.read_table(path, expected=expected)


# --- checking cells ----------------------------------------------------------


#: A cell that can't be read; the same error the domain's parsers raise.
_CellError = InvalidValue


_show = quote


_TRUE = frozenset({"ja", "j", "1", "x"})
_FALSE = frozenset({"nej", "n", "0", ""})


def parse_yes_no(value: str) -> bool:
    folded = value.casefold()
    if folded in _TRUE:
        return True
    if folded in _FALSE:
        return False
    raise _CellError(
        f'"{_show(value)}" är varken ja eller nej. Skriv ja eller nej '
        "(j/n, 1/0 och x för ja går också; tomt betyder nej)."
    )


_YEARS_PATTERN = re.compile(r"\d{1,3}(?:[.,]\d+)?")


def parse_years(value: str) -> float | None:
    if not value:
        return None
    if not _YEARS_PATTERN.fullmatch(value) or float(value.replace(",", ".")) > MAX_YEARS:
        raise _CellError(
            f'"{_show(value)}" är inte ett giltigt antal år. Ange ett tal från 0 till '
            f"{MAX_YEARS}, t.ex. 4 eller 2,5."
        )
    return float(value.replace(",", "."))


class _Read:
    """A value read from a cell that needs saying in the preview: the text it was read from,
    and a warning when the reading may not be what the file meant."""

    __slots__ = ("value", "text", "warning")

    def __init__(self, value, text: str, warning: str | None = None):
        self.value, self.text, self.warning = value, text, warning


def _title_hint(value: str) -> str:
    from bouv_tui import paths

    return (
        f'Lägg till titeln i config.toml ({paths.config_file()}) under [roller], t.ex. '
        f'"{_show(value)}" = "handläggare", eller skriv handläggare, arbetsledare eller annan i filen.'
    )


def parse_role(value: str, titles: Mapping[str, str] | None = None):
    """A role word or code (``handläggare``), or a job title in ``titles`` (folded title →
    role code), which returns a :class:`_Read` naming the title."""
    if not value:
        raise _CellError("Roll saknas. Ange handläggare, arbetsledare eller annan, eller en befattning.")
    key = normalize_header(value)
    if key in catalog.ROLES:
        return key
    if titles and key in titles:
        return _Read(titles[key], value)
    raise _CellError(
        f'"{_show(value)}" är varken en roll (handläggare, arbetsledare eller annan) eller en känd '
        f"befattning. {_title_hint(value)}"
    )


_FTE_PATTERN = re.compile(r"(\d{1,3})(?:[.,](\d{1,6}))?\s*(%?)")
_FTE_HINT = (
    "Ange procent av heltid (1–100, t.ex. 75 eller 62,5) eller andel av heltid (t.ex. 0,75 eller 1)."
)


def parse_fte(value: str):
    """Sysselsättningsgrad: percent (``75``, ``75 %``, ``62,5``) or a share of full time
    (``0,75``, ``1``, ``1,00``: a number up to 1 with decimals, or exactly 1), empty → 100.

    Stored as a whole percent: decimals are rounded half up (62,5 → 63). A share, or a
    rounded percent, comes back as a :class:`_Read` with a warning for the preview."""
    if not value:
        return 100
    match = _FTE_PATTERN.fullmatch(value)
    if match is None:
        raise _CellError(f'"{_show(value)}" är inte en giltig sysselsättningsgrad. {_FTE_HINT}')
    whole, decimals, percent_sign = match.groups()
    number = Decimal(f"{whole}.{decimals or '0'}")
    share = not percent_sign and number <= 1 and (decimals is not None or number == 1)
    percent = number * 100 if share else number
    # Decimal(1) and mutmut's Decimal(2) both have exponent 0: to whole numbers (an equivalent).
    rounded = int(percent.quantize(Decimal(1), rounding=ROUND_HALF_UP))  # pragma: no mutate
    if percent < 1 or rounded > 100:
        read = f" (läst som andel: {_percent_text(percent)} %)" if share else ""
        raise _CellError(
            f'"{_show(value)}" är ingen möjlig sysselsättningsgrad{read}: den ska vara från 1 till '
            f"100 % av heltid. {_FTE_HINT}"
        )
    notes = []
    if share:
        notes.append(f"{_show(value)} lästes som andel av heltid: {_percent_text(percent)} %")
    if percent != rounded:
        notes.append(f"{_percent_text(percent)} % avrundas till {rounded} %")
    if not notes:
        return rounded
    warning = "; ".join(notes) + "."
    if share and number == 1 and decimals is None:
        warning += " Skriv 1 % om det betyder en procent."
    return _Read(rounded, value, warning)  # it starts with the value or a number, never a letter


def _percent_text(number: Decimal) -> str:
    text = f"{number.normalize():f}"
    return text.replace(".", ",")


def parse_employment(value: str) -> str:
    if not value:
        return catalog.PERMANENT
    key = normalize_header(value)
    if key in catalog.EMPLOYMENT_TYPES:
        return key
    raise _CellError(
        f'"{_show(value)}" är inte en giltig anställningsform (tillsvidare, visstid eller konsult).'
    )


def _parse_name(value: str) -> str:
    if not value:
        raise _CellError("Namn saknas.")
    if len(value) > MAX_NAME:
        raise _CellError(f"Namnet är för långt ({len(value)} tecken; högst {MAX_NAME}).")
    return parse_text(value)


def _parse_personal_id(value: str) -> str | None:
    return parse_text(value) or None


#: How a cell of each kind of column is read.
_PARSERS = {
    _TEXT: parse_text,
    _NAME: _parse_name,
    _ROLE: parse_role,
    _DATE: parse_iso_date,
    _YEARS: parse_years,
    _BOOL: parse_yes_no,
    _FTE: parse_fte,
    _EMPLOYMENT: parse_employment,
}


def _parser(column: Column, titles: Mapping[str, str] | None = None):
    if column.code == "personal_id":
        return _parse_personal_id
    if column.kind == _ROLE:
        return lambda value: parse_role(value, titles)
    return _PARSERS[column.kind]


def _fold_titles(titles: Mapping[str, str]) -> dict[str, str]:
    return {normalize_header(title): role for title, role in titles.items()}


def configured_titles() -> tuple[dict[str, str], list[str]]:
    """The job titles of the user's config.toml (built-in ones and ``[roller]``), folded, and
    the file's notices about ``[roller]``."""
    from bouv_tui import paths
    from bouv_tui.config import load_config

    loaded = load_config(paths.config_file())
    notices = [n for n in loaded.notices if "roller" in n or "har ett fel" in n]
    return _fold_titles(loaded.config.job_titles()), notices


# --- the plan ------------------------------------------------------------------


def _header_errors(table: Table) -> tuple[dict[str, int], list[RowError]]:
    """Map column code → index; errors for unknown, doubled and missing columns."""
    index, errors = map_headers(table, _CODES_BY_KEY, _VALID)
    for column in COLUMNS:
        if column.required and column.code not in index:
            errors.append(RowError(table.header_row, column.code, f'Kolumnen "{column.code}" saknas i rubrikraden.'))
    return index, errors


def _present_columns(
    index: dict[str, int], titles: Mapping[str, str] | None = None
) -> list[tuple[Column, int, object, dict]]:
    """The file's known columns, once per file: (column, position, parser, values read so far).

    The last is a cell text → value memo for the column: the parsers are pure, and a
    national roster repeats most texts (ja, nej, 100, dates, units) thousands of times."""
    return [(c, index[c.code], _parser(c, titles), {}) for c in COLUMNS if c.code in index]


_EXPERIENCE_CODES = ("erfarenhet_fran", "erfarenhet_ar")


def _parse_row(
    row: Row, present: list[tuple[Column, int, object, dict]], today: date, plan: StaffImportPlan | None = None
) -> tuple[dict, list[RowError]]:
    """The StaffMember fields set by this row's cells, and the cells' errors; warnings and
    translated texts go to ``plan``."""
    values: dict = {}
    errors: list[RowError] = []
    cells = row.cells
    width = len(cells)
    start = years = None
    experience = False  # pragma: no mutate (None is as false, and only `if experience or …` reads it)
    for column, i, parse, known in present:
        raw = cells[i] if i < width else ""
        try:
            value = known[raw]
        except KeyError:
            if len(raw) > MAX_CELL:
                errors.append(
                    RowError(row.number, column.code, f"Värdet är för långt ({len(raw)} tecken; högst {MAX_CELL}).")
                )
                continue
            problem = cell_problem(raw)
            if problem is not None:
                errors.append(RowError(row.number, column.code, problem))
                continue
            try:
                value = parse(raw.strip())
            except _CellError as error:
                errors.append(RowError(row.number, column.code, str(error)))
                continue
            known[raw] = value
        if value.__class__ is _Read:
            if plan is not None:
                plan.read_as[row.number, column.code] = value.text
                if value.warning:
                    plan.warnings.append(RowError(row.number, column.code, value.warning))
            value = value.value
        code = column.code
        if code in _EXPERIENCE_CODES:
            experience = True
            if code == "erfarenhet_fran":
                start = value
            else:
                years = value
        else:
            values[column.field] = value
    if experience:  # an experience column was read (one that failed is an error of the row)
        if start is not None and years is not None:
            errors.append(
                RowError(row.number, "erfarenhet_ar", "Ange antingen erfarenhet_fran eller erfarenhet_ar, inte båda.")
            )
        elif years is not None:
            values["experience_from"] = experience_from_years(years, today)
        else:
            values["experience_from"] = start
    return values, errors


def plan_staff_import(
    table: Table,
    existing: Sequence[StaffMember],
    today: date,
    titles: Mapping[str, str] | None = None,
) -> StaffImportPlan:
    """Check every row of ``table`` and say what importing it would do.

    A row whose ``personal_id`` matches a person in ``existing`` updates that person:
    the columns in the file replace the old values (an empty cell means empty, nej,
    100 % or tillsvidare), columns absent from the file keep them. Every other row
    is added. Rows with errors are neither added nor updated; the caller must store
    nothing unless :attr:`StaffImportPlan.ok`.

    ``titles`` (job title → role code) says which titles in ``roll`` (``Befattning``) are
    which role; without it, the built-in titles and the user's config.toml ``[roller]``.
    """
    if len(table.rows) > MAX_ROWS:
        raise _too_many_rows(table.name)
    plan = StaffImportPlan()
    if titles is None:
        folded, plan.notices = configured_titles()
    else:
        folded = _fold_titles(titles)
    index, header_errors = _header_errors(table)
    plan.columns = [code for code, _ in sorted(index.items(), key=lambda item: item[1])]
    plan.errors.extend(header_errors)
    plan.errors.extend(headerless_errors(table))
    complete = all(c.code in index for c in COLUMNS if c.required)

    by_personal_id: dict[str, StaffMember] = {}
    for person in existing:
        if person.personal_id:
            by_personal_id.setdefault(person.personal_id, person)
    seen: dict[str, int] = {}

    present = _present_columns(index, folded)
    for row in table.rows:
        if not "".join(row.cells).strip():
            continue
        values, errors = _parse_row(row, present, today, plan)
        personal_id = values.get("personal_id")
        if personal_id:
            if personal_id in seen:
                errors.append(
                    RowError(
                        row.number,
                        "personal_id",
                        f'personal_id "{_show(personal_id)}" finns redan på rad {seen[personal_id]}.',
                    )
                )
            else:
                seen[personal_id] = row.number
        if errors or not complete:
            plan.errors.extend(errors)
            continue
        old = by_personal_id.get(personal_id)  # None for a row without one
        new = old.with_changes(**values) if old is not None else StaffMember(**values)
        if (
            ("anstalld_fran" in index or "anstalld_till" in index)
            and new.employed_from is not None
            and new.employed_until is not None
            and new.employed_until < new.employed_from
        ):
            plan.errors.append(
                RowError(
                    row.number,
                    "anstalld_till",
                    f"Anställd till ({new.employed_until.isoformat()}) är före anställd från "
                    f"({new.employed_from.isoformat()}).",
                )
            )
            continue
        if old is None:
            plan.adds.append(new)
            plan.add_rows.append(row.number)
        elif new == old:
            plan.unchanged += 1
        else:
            plan.updates.append((old, new))
            plan.update_rows.append(row.number)
    plan.errors.sort(key=lambda e: e.row)
    if plan.errors:
        plan.warnings.clear()  # what blocks the import comes first; warnings after a clean file
    return plan

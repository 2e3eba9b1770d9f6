"""Reading and checking a roster file (CSV or XLSX) before anything is stored.

Pure: no database, no Textual. :func:`read_table` turns a file into rows of text
cells; :func:`plan_staff_import` checks every cell and says what an import would
add and update. The caller stores the plan only when it has no errors (all or
nothing).
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date, datetime, time, timedelta
from pathlib import Path

from bouv_tui.domain import catalog
from bouv_tui.domain.roster import StaffMember, experience_from_years
from bouv_tui.domain.validation import InvalidValue, parse_fte, parse_iso_date, quote

#: More data rows than this and the file is refused as a whole.
MAX_ROWS = 50_000
#: Longest accepted cell, in characters.
MAX_CELL = 1_000
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

_FORMULA_START = ("=", "+", "-", "@")


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message (Swedish) names the file."""


@dataclass(frozen=True, slots=True)
class Row:
    """One spreadsheet row: its 1-based number as the user sees it, and its cells as text."""

    number: int
    cells: tuple[str, ...]


@dataclass(slots=True)
class Table:
    """A file read as text cells. ``header_row`` is the row number of ``headers`` (normally 1)."""

    name: str
    headers: list[str]
    rows: list[Row] = field(default_factory=list)
    header_row: int = 1


@dataclass(frozen=True, slots=True)
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        if self.column:
            return f'Rad {self.row}, kolumn "{self.column}": {self.message}'
        return f"Rad {self.row}: {self.message}"


@dataclass(slots=True)
class StaffImportPlan:
    """What an import would do. Store it only when :attr:`ok`."""

    adds: list[StaffMember] = field(default_factory=list)
    updates: list[tuple[StaffMember, StaffMember]] = field(default_factory=list)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- headers -----------------------------------------------------------------


@lru_cache(maxsize=4096)
def normalize_header(text: str) -> str:
    """Fold a heading for matching: no case, accents (å→a, ä→a, ö→o, é→e), spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", "", stripped.casefold())


_BY_KEY = {normalize_header(c.code): c for c in COLUMNS}


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --- reading files -----------------------------------------------------------


def read_table(path: Path, *, expected: Iterable[str] | None = STAFF_COLUMNS) -> Table:
    """Read a CSV or XLSX file into text cells.

    The first non-empty row is the header row. When ``expected`` is given and no
    heading matches one of those column codes, the file is taken to lack a header
    row. Raises :class:`ImportFileError` for anything that stops the whole file.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        rows = _csv_rows(path)
    elif suffix == ".xlsx":
        rows = _xlsx_rows(path)
    elif suffix == ".xls":
        raise ImportFileError(
            f'Filen "{path.name}" är i det gamla Excel-formatet (.xls), som inte stöds. '
            "Spara den som Excel-arbetsbok (.xlsx) eller som CSV och försök igen."
        )
    else:
        shown = suffix or "utan filändelse"
        raise ImportFileError(
            f'Filen "{path.name}" har ett okänt format ({shown}). '
            "Använd CSV (.csv) eller Excel (.xlsx)."
        )
    return _table_from_rows(path.name, rows, expected)


def _table_from_rows(name: str, rows: Iterator[tuple[int, list[str]]], expected) -> Table:
    table: Table | None = None
    count = 0
    for number, cells in rows:
        if not any(c.strip() for c in cells):
            continue
        if table is None:
            table = Table(name=name, headers=[c.strip() for c in cells], header_row=number)
            continue
        count += 1
        if count > MAX_ROWS:
            raise _too_many_rows(name)
        table.rows.append(Row(number, tuple(cells)))
    if table is None:
        raise ImportFileError(f'Filen "{name}" är tom.')
    if expected is not None:
        keys = {normalize_header(code) for code in expected}
        if not any(normalize_header(h) in keys for h in table.headers):
            shown = ", ".join(_show(h, 30) for h in table.headers if h)[:200]
            raise ImportFileError(
                f'Filen "{name}" saknar rubrikrad: ingen kolumn på rad {table.header_row} '
                f"({shown}) har ett känt kolumnnamn. Första raden ska innehålla kolumnnamnen, "
                "t.ex. namn och roll."
            )
    return table


def _too_many_rows(name: str) -> ImportFileError:
    limit = f"{MAX_ROWS:,}".replace(",", "\u00a0")
    return ImportFileError(
        f'Filen "{name}" har fler än {limit} rader med data, vilket är för många. '
        "Dela upp den i mindre filer."
    )


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f'Filen "{path.name}" finns inte.') from None
    except IsADirectoryError:
        raise ImportFileError(f'"{path.name}" är en mapp, inte en fil.') from None
    except PermissionError:
        raise ImportFileError(f'Filen "{path.name}" kunde inte läsas: behörighet saknas.') from None
    except OSError:
        raise ImportFileError(f'Filen "{path.name}" kunde inte läsas.') from None


def _decode(name: str, raw: bytes) -> str:
    if raw.startswith(b"\xef\xbb\xbf"):
        encodings = ("utf-8-sig",)
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ("utf-16",)  # Excel's "Unicode-text"
    else:
        encodings = ("utf-8", "cp1252")  # cp1252: what older Excel saves as "CSV"
    for encoding in encodings:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(
        f'Filen "{name}" kunde inte läsas som text: teckenkodningen känns inte igen. '
        'Spara filen i Excel som "CSV UTF-8 (kommaavgränsad)" och försök igen.'
    )


def _sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: the most frequent of ; , and tab outside quotes."""
    counts = {";": 0, ",": 0, "\t": 0}
    quoted = False
    for ch in text.lstrip(" \r\n"):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "\r\n":
            break
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    raw = _read_bytes(path)
    name = path.name
    if raw.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            f'Filen "{name}" heter .csv men är en Excel-arbetsbok. Byt filändelsen till .xlsx '
            "eller spara den som CSV."
        )
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportFileError(
            f'Filen "{name}" heter .csv men är en gammal Excel-fil (.xls). '
            "Spara den som CSV eller Excel-arbetsbok (.xlsx)."
        )
    text = _decode(name, raw)
    if "\x00" in text:
        raise ImportFileError(f'Filen "{name}" är inte en CSV-fil: den innehåller binära data.')
    if not text.strip():
        raise ImportFileError(f'Filen "{name}" är tom.')
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))

    def rows() -> Iterator[tuple[int, list[str]]]:
        number = 0
        try:
            for number, cells in enumerate(reader, start=1):
                yield number, cells
        except csv.Error:
            raise ImportFileError(
                f'Filen "{name}" kunde inte läsas som CSV efter rad {number}: en cell är '
                "orimligt stor eller felaktigt citerad."
            ) from None

    return rows()


def _number_text(value: float) -> str:
    if not math.isfinite(value):
        return str(value)
    value = round(value, 9)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.15g}"


def _xlsx_cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, (date, time)):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, (int, float)):
        try:
            percent = "%" in (cell.number_format or "")
        except Exception:
            percent = False
        number = value * 100 if percent else value
        return str(number) if isinstance(number, int) else _number_text(float(number))
    text = str(value)
    if text.startswith(_FORMULA_START):
        # Typed in Excel as '=text: a text cell marked "quote prefix", not a formula.
        try:
            quoted = bool(cell.style_array.quotePrefix)
        except Exception:
            quoted = False
        if quoted:
            text = "'" + text
    return text


def _xlsx_rows(path: Path) -> Iterator[tuple[int, list[str]]]:
    name = path.name
    raw_head = _read_bytes_head(path)
    if not raw_head:
        raise ImportFileError(f'Filen "{name}" är tom.')
    if not raw_head.startswith(b"PK"):
        raise ImportFileError(
            f'Filen "{name}" heter .xlsx men är ingen Excel-arbetsbok. '
            "Öppna den i Excel och spara den som Excel-arbetsbok (.xlsx) eller som CSV."
        )
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise ImportFileError(
            f'Filen "{name}" är inte en giltig Excel-arbetsbok (.xlsx) och kunde inte läsas.'
        ) from None
    rows: list[tuple[int, list[str]]] = []
    try:
        if not workbook.worksheets:
            raise ImportFileError(f'Filen "{name}" har inget kalkylblad.')
        sheet = workbook.worksheets[0]
        try:
            sheet.reset_dimensions()  # trust the rows, not a possibly wrong <dimension>
            count = 0
            number = 0
            for cells in sheet.iter_rows():
                number = next((c.row for c in cells if hasattr(c, "row")), number + 1)
                texts = [_xlsx_cell_text(c) for c in cells]
                if any(t.strip() for t in texts):
                    count += 1
                    if count > MAX_ROWS + 1:  # + the header row
                        raise _too_many_rows(name)
                rows.append((number, texts))
        except ImportFileError:
            raise
        except Exception:
            raise ImportFileError(
                f'Filen "{name}" är en skadad Excel-arbetsbok och kunde inte läsas.'
            ) from None
    finally:
        try:
            workbook.close()
        except Exception:
            pass
    return iter(rows)


def _read_bytes_head(path: Path) -> bytes:
    try:
        with path.open("rb") as f:
            return f.read(8)
    except FileNotFoundError:
        raise ImportFileError(f'Filen "{path.name}" finns inte.') from None
    except IsADirectoryError:
        raise ImportFileError(f'"{path.name}" är en mapp, inte en fil.') from None
    except PermissionError:
        raise ImportFileError(f'Filen "{path.name}" kunde inte läsas: behörighet saknas.') from None
    except OSError:
        raise ImportFileError(f'Filen "{path.name}" kunde inte läsas.') from None


# --- checking cells ----------------------------------------------------------


#: A cell that can't be read; the same error the domain's parsers raise.
_CellError = InvalidValue


_show = quote


def parse_date(value: str) -> date | None:
    return parse_iso_date(value)


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


def parse_role(value: str) -> str:
    if not value:
        raise _CellError("Roll saknas. Ange handläggare, arbetsledare eller annan.")
    key = normalize_header(value)
    if key in catalog.ROLES:
        return key
    raise _CellError(
        f'"{_show(value)}" är inte en giltig roll (handläggare, arbetsledare eller annan).'
    )


def parse_employment(value: str) -> str:
    if not value:
        return catalog.PERMANENT
    key = normalize_header(value)
    if key in catalog.EMPLOYMENT_TYPES:
        return key
    raise _CellError(
        f'"{_show(value)}" är inte en giltig anställningsform (tillsvidare, visstid eller konsult).'
    )


def looks_like_formula(value: str) -> bool:
    """A text that a spreadsheet would run as a formula: ``=1+1``, ``=HYPERLINK(…)``, ``@SUM(…)``, ``+A1``."""
    if len(value) < 2 or not value.startswith(_FORMULA_START):
        return False
    if value[0] == "=":
        return True
    return any(ch.isalnum() or ch == "(" for ch in value[1:])


_LINE_BREAKS = re.compile(r"[\r\n\t]+")
#: Unicode category Cc: the C0 and C1 control characters.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def parse_text(value: str) -> str:
    if value.startswith("'") and value.lstrip("'").startswith(_FORMULA_START):
        # Escaped on purpose (as the export writes it): the text itself, not a formula.
        value = value[1:]
    elif looks_like_formula(value):
        raise _CellError(
            f'"{_show(value)}" ser ut som en kalkylbladsformel och tas inte emot. '
            f'Ta bort det inledande "{value[0]}".'
        )
    value = _LINE_BREAKS.sub(" ", value)
    if _CONTROL.search(value):
        raise _CellError(f'"{_show(value)}" innehåller otillåtna kontrolltecken.')
    return value


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
    _ROLE: lambda value: parse_role(value),
    _DATE: lambda value: parse_date(value),
    _YEARS: lambda value: parse_years(value),
    _BOOL: lambda value: parse_yes_no(value),
    _FTE: lambda value: parse_fte(value),
    _EMPLOYMENT: lambda value: parse_employment(value),
}


def _parser(column: Column):
    return _parse_personal_id if column.code == "personal_id" else _PARSERS[column.kind]


def _parse_cell(column: Column, value: str):
    return _parser(column)(value)


# --- the plan ------------------------------------------------------------------


def _header_errors(table: Table) -> tuple[dict[str, int], list[RowError]]:
    """Map column code → index; errors for unknown, doubled and missing columns."""
    errors: list[RowError] = []
    index: dict[str, int] = {}
    row = table.header_row
    for i, heading in enumerate(table.headers):
        key = normalize_header(heading)
        if not key:
            continue  # no heading: an error only if the column has values (see below)
        column = _BY_KEY.get(key)
        if column is None:
            close = difflib.get_close_matches(key, list(_BY_KEY), n=1, cutoff=0.75)
            hint = (
                f' Menade du "{_BY_KEY[close[0]].code}"?'
                if close
                else " Giltiga kolumner: " + ", ".join(STAFF_COLUMNS) + "."
            )
            errors.append(
                RowError(row, _show(heading), "Okänd kolumn. Rätta eller ta bort den." + hint)
            )
        elif column.code in index:
            first = column_letter(index[column.code])
            errors.append(
                RowError(
                    row,
                    column.code,
                    f"Kolumnen finns två gånger (kolumn {first} och {column_letter(i)}).",
                )
            )
        else:
            index[column.code] = i
    for column in COLUMNS:
        if column.required and column.code not in index:
            errors.append(
                RowError(row, column.code, f'Kolumnen "{column.code}" saknas i rubrikraden.')
            )
    return index, errors


def _headerless_errors(table: Table) -> list[RowError]:
    """Values in a column without a heading would be dropped silently: refuse them."""
    headerless = {i for i, h in enumerate(table.headers) if not normalize_header(h)}
    width = len(table.headers)
    first_seen: dict[int, int] = {}
    for row in table.rows:
        for i, cell in enumerate(row.cells):
            if (i >= width or i in headerless) and i not in first_seen and cell.strip():
                first_seen[i] = row.number
    return [
        RowError(
            number,
            column_letter(i),
            "Kolumnen saknar rubrik men har värden. Ge den en rubrik eller ta bort värdena.",
        )
        for i, number in sorted(first_seen.items())
    ]


def _present_columns(index: dict[str, int]) -> list[tuple[Column, int, object]]:
    """The file's known columns, once per file: (column, position, parser)."""
    return [(c, index[c.code], _parser(c)) for c in COLUMNS if c.code in index]


def _parse_row(
    row: Row, present: list[tuple[Column, int, object]], today: date
) -> tuple[dict, list[RowError]]:
    """The StaffMember fields set by this row's cells, and the cells' errors."""
    values: dict = {}
    errors: list[RowError] = []
    cells = row.cells
    width = len(cells)
    start = years = None
    experience = False
    for column, i, parse in present:
        raw = cells[i] if i < width else ""
        if len(raw) > MAX_CELL:
            errors.append(
                RowError(row.number, column.code, f"Värdet är för långt ({len(raw)} tecken; högst {MAX_CELL}).")
            )
            continue
        try:
            value = parse(raw.strip())
        except _CellError as error:
            errors.append(RowError(row.number, column.code, str(error)))
            continue
        if column.code == "erfarenhet_fran":
            experience, start = True, value
        elif column.code == "erfarenhet_ar":
            experience, years = True, value
        else:
            values[column.field] = value
    if experience or any(c.code in ("erfarenhet_fran", "erfarenhet_ar") for c, _, _ in present):
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
    table: Table, existing: Sequence[StaffMember], today: date
) -> StaffImportPlan:
    """Check every row of ``table`` and say what importing it would do.

    A row whose ``personal_id`` matches a person in ``existing`` updates that person:
    the columns in the file replace the old values (an empty cell means empty, nej,
    100 % or tillsvidare), columns absent from the file keep them. Every other row
    is added. Rows with errors are neither added nor updated; the caller must store
    nothing unless :attr:`StaffImportPlan.ok`.
    """
    if len(table.rows) > MAX_ROWS:
        raise _too_many_rows(table.name)
    plan = StaffImportPlan()
    index, header_errors = _header_errors(table)
    plan.errors.extend(header_errors)
    plan.errors.extend(_headerless_errors(table))
    complete = all(c.code in index for c in COLUMNS if c.required)

    by_personal_id: dict[str, StaffMember] = {}
    for person in existing:
        if person.personal_id:
            by_personal_id.setdefault(person.personal_id, person)
    seen: dict[str, int] = {}

    present = _present_columns(index)
    for row in table.rows:
        if not any(c.strip() for c in row.cells):
            continue
        values, errors = _parse_row(row, present, today)
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
        old = by_personal_id.get(personal_id) if personal_id else None
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
        elif new == old:
            plan.unchanged += 1
        else:
            plan.updates.append((old, new))
    plan.errors.sort(key=lambda e: e.row)
    return plan

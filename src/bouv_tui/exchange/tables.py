"""Reading spreadsheet-like files (CSV or XLSX) into rows of text cells, and the checks
every import shares: headings, row errors, formulas and control characters.

Pure: no database, no Textual. The roster and assessment imports build on this.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path

from bouv_tui.domain.validation import InvalidValue, quote
from bouv_tui.errors import BouvError

_show = quote  # one line, short, no control characters

#: More data rows than this and the file is refused as a whole.
MAX_ROWS = 50_000
#: Longest accepted cell, in characters.
MAX_CELL = 1_000

_FORMULA_START = ("=", "+", "-", "@")


class ImportFileError(BouvError):
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


# --- headers -----------------------------------------------------------------


@lru_cache(maxsize=4096)
def normalize_header(text: str) -> str:
    """Fold a heading for matching: no case, accents (å→a, ä→a, ö→o, é→e), spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", "", stripped.casefold())


def column_letter(index: int) -> str:
    """Spreadsheet letter of a 0-based column index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def map_headers(table: Table, codes_by_key: dict[str, str], valid: str) -> tuple[dict[str, int], list[RowError]]:
    """Column code → position for the file's headings (matched with :func:`normalize_header`
    against ``codes_by_key``); an error for every unknown heading (with a "did you mean"
    hint, else ``valid`` as the list of what is allowed) and every heading that appears twice.
    Columns without a heading are left to :func:`headerless_errors`."""
    errors: list[RowError] = []
    index: dict[str, int] = {}
    row = table.header_row
    for i, heading in enumerate(table.headers):
        key = normalize_header(heading)
        if not key:
            continue
        code = codes_by_key.get(key)
        if code is None:
            import difflib  # only for a heading that is not known

            close = difflib.get_close_matches(key, list(codes_by_key), n=1, cutoff=0.75)
            hint = f' Menade du "{codes_by_key[close[0]]}"?' if close else f" Giltiga kolumner: {valid}."
            errors.append(RowError(row, _show(heading, 30), "Okänd kolumn. Rätta eller ta bort den." + hint))
        elif code in index:
            first = column_letter(index[code])
            errors.append(RowError(row, code, f"Kolumnen finns två gånger (kolumn {first} och {column_letter(i)})."))
        else:
            index[code] = i
    return index, errors


# --- reading files -----------------------------------------------------------


def read_table(path: Path, *, expected: Iterable[str] | None = None) -> Table:
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
        if not "".join(cells).strip():
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
                f"t.ex. {', '.join(list(expected)[:2])}."
            )
    return table


def _too_many_rows(name: str) -> ImportFileError:
    limit = f"{MAX_ROWS:,}".replace(",", "\u00a0")
    return ImportFileError(
        f'Filen "{name}" har fler än {limit} rader med data, vilket är för många. '
        "Dela upp den i mindre filer."
    )


@contextmanager
def _file_errors(path: Path):
    """What the file system says, as an ImportFileError in Swedish naming the file."""
    try:
        yield
    except FileNotFoundError:
        raise ImportFileError(f'Filen "{path.name}" finns inte.') from None
    except IsADirectoryError:
        raise ImportFileError(f'"{path.name}" är en mapp, inte en fil.') from None
    except PermissionError:
        raise ImportFileError(f'Filen "{path.name}" kunde inte läsas: behörighet saknas.') from None
    except OSError:
        raise ImportFileError(f'Filen "{path.name}" kunde inte läsas.') from None


def _read_bytes(path: Path) -> bytes:
    with _file_errors(path):
        return path.read_bytes()


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
    with _file_errors(path), path.open("rb") as f:
        return f.read(8)


# --- text cells ----------------------------------------------------------------


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
        raise InvalidValue(
            f'"{_show(value)}" ser ut som en kalkylbladsformel och tas inte emot. '
            f'Ta bort det inledande "{value[0]}".'
        )
    value = _LINE_BREAKS.sub(" ", value)
    if _CONTROL.search(value):
        raise InvalidValue(f'"{_show(value)}" innehåller otillåtna kontrolltecken.')
    return value


def headerless_errors(table: Table) -> list[RowError]:
    """Values in a column without a heading would be dropped silently: refuse them."""
    headerless = [i for i, h in enumerate(table.headers) if not normalize_header(h)]
    width = len(table.headers)
    first_seen: dict[int, int] = {}
    for row in table.rows:
        cells = row.cells
        # Only the cells past the heading's end and under empty headings can be headerless.
        for i in [*headerless, *range(width, len(cells))]:
            if i < len(cells) and i not in first_seen and cells[i].strip():
                first_seen[i] = row.number
    return [
        RowError(
            number,
            column_letter(i),
            "Kolumnen saknar rubrik men har värden. Ge den en rubrik eller ta bort värdena.",
        )
        for i, number in sorted(first_seen.items())
    ]



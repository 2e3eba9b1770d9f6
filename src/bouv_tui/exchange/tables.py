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

from bouv_tui.domain.validation import InvalidValue, quote, text_problem
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
    against ``codes_by_key``, which may hold several headings for one code); an error for every
    unknown heading (with a "did you mean" hint when one is close), one error after them that
    lists ``valid`` (what is allowed) once, and an error for every code whose column appears
    twice. Columns without a heading are left to :func:`headerless_errors`."""
    errors: list[RowError] = []
    index: dict[str, int] = {}
    headings: dict[str, str] = {}
    row = table.header_row
    unknown = 0
    for i, heading in enumerate(table.headers):
        key = normalize_header(heading)
        if not key:
            continue
        code = codes_by_key.get(key)
        if code is None:
            import difflib  # only for a heading that is not known

            unknown += 1  # pragma: no mutate (only read as true or false)
            close = difflib.get_close_matches(key, list(codes_by_key), n=1, cutoff=0.8)  # pragma: no mutate (the best match comes first: n=2 gives the same close[0])
            hint = f' Menade du "{codes_by_key[close[0]]}"?' if close else ""
            errors.append(RowError(row, _show(heading, 30), "Okänd kolumn. Rätta eller ta bort den." + hint))
        elif code in index:
            first = column_letter(index[code])
            both = (
                f': "{_show(headings[code], 30)}" och "{_show(heading, 30)}"'
                if normalize_header(headings[code]) != key
                else ""
            )
            errors.append(
                RowError(row, code, f"Kolumnen finns två gånger{both} (kolumn {first} och {column_letter(i)}).")
            )
        else:
            index[code] = i
            headings[code] = heading
    if unknown:
        errors.append(RowError(row, "", f"Giltiga kolumner: {valid}."))
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


#: A valid UTF-8 sequence of two or more bytes: what a UTF-8 file holds for å, ä, ö, é, €, –.
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}"
    rb"|\xed[\x80-\x9f][\x80-\xbf]|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}"
    rb"|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)
#: Characters other than letters that Windows-1252 text holds (besides ASCII).
_CP1252_SIGNS = frozenset("\u00a0€‚„…†‡‰‹›‘’“”•–—™¡¢£¤¥¦§¨©ª«¬\u00ad®¯°±²³´µ¶·¸¹º»¼½¾¿×÷")
_ENCODING_HINT = 'Spara filen i Excel som "CSV UTF-8 (kommaavgränsad)" och försök igen.'


def _line_of(raw: bytes, error: UnicodeDecodeError) -> int:
    """The 1-based number of the line of ``raw`` where ``error`` (from decoding it) is."""
    return raw.count(b"\n", 0, error.start) + 1  # pragma: no mutate (counting from None is counting from 0)


def _plausible_cp1252(text: str) -> bool:
    """Text as a person writes it: no control characters but line breaks and tabs, and every
    character past ASCII a letter or a sign that Windows-1252 text uses."""
    for ch in set(text):
        if ch < "\x80":
            if ch < " " and ch not in "\t\r\n":  # pragma: no mutate (only controls reach "in")
                return False
        elif ch not in _CP1252_SIGNS and not ch.isalpha():
            return False
    return True


def decode_text(name: str, raw: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1252.

    Valid UTF-8 is read as UTF-8. Anything else is read as Windows-1252 only when the whole
    file is plausible Windows-1252 text and holds no UTF-8 sequence at all: a UTF-8 file with
    a few lines saved in another encoding is refused naming the first such line, never read
    whole as Windows-1252 (which would turn every å in it into Ã¥)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        body = raw[3:]
    elif raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")  # Excel's "Unicode-text"
        except UnicodeDecodeError:
            raise ImportFileError(
                f'Filen "{name}" kunde inte läsas som text: den börjar som UTF-16 men är det inte. '
                + _ENCODING_HINT
            ) from None
    else:
        body = raw
    try:
        return body.decode("utf-8")  # pragma: no mutate ("UTF-8" names the same codec)
    except UnicodeDecodeError as not_utf8:
        error = not_utf8
    if body is not raw or _UTF8_MULTIBYTE.search(body):
        # Mostly UTF-8 (a BOM, or å/ä/ö written as UTF-8 somewhere) with lines that are not.
        line = _line_of(body, error)
        raise ImportFileError(
            f'Filen "{name}" kunde inte läsas: rad {line} är inte UTF-8 som resten av filen '
            "(troligen inklistrad från en fil med en annan teckenkodning). Rätta tecknen på raden, "
            "eller spara filen som UTF-8 och försök igen."
        )
    try:
        text = body.decode("cp1252")  # pragma: no mutate (what older Excel saves as "CSV"; "CP1252" is the same)
    except UnicodeDecodeError:
        text = None
    if text is None or not _plausible_cp1252(text):
        raise ImportFileError(
            f'Filen "{name}" kunde inte läsas som text: teckenkodningen känns inte igen '
            "(varken UTF-8 eller Windows-1252). " + _ENCODING_HINT
        )
    return text


_decode = decode_text


def _sniff_delimiter(text: str) -> str:
    """The delimiter of the header line: the most frequent of ; , and tab outside quotes."""
    counts = {";": 0, ",": 0, "\t": 0}
    quoted = False  # pragma: no mutate (None is as false)
    for ch in text.lstrip(" \r\n"):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "\r\n":
            break
        elif not quoted and ch in counts:
            counts[ch] += 1  # pragma: no mutate (+= 2 doubles every count: the same delimiter wins)
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


#: Cell texts that are not values but a mark of why a cell has none: a control character
#: first, which no cell that reaches an importer can hold (CSV with one is refused as binary,
#: and XLSX cannot store it). :func:`cell_problem` says what they mean.
_MARK = "\x00"
_MARK_ERROR = _MARK + "error:"
_MARK_FORMULA = _MARK + "formula"
_MARK_DATE = _MARK + "date:"

#: The error values Excel shows in a cell (and writes as text into a CSV file).
EXCEL_ERRORS = frozenset(
    {"#REF!", "#NAME?", "#VALUE!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!", "#SPILL!", "#CALC!",
     "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!", "#EXTERNAL!"}
)  # fmt: skip

#: Reading an XLSX sheet stops, and the file is refused, past any of these.
MAX_COLUMNS = 256  # column IV: far more than any import has columns
#: Empty rows in a row: a sheet whose data ends and then has thousands of (formatted) empty
#: rows, or a gap of a million row numbers, is not read to its end.
MAX_EMPTY_ROWS = 1_000
#: Cells past MAX_COLUMNS, over the whole sheet, even when they are empty.
MAX_WIDE_CELLS = 100_000
#: The sheet's XML, uncompressed: about ten times what 50 000 rows of a roster take.
MAX_SHEET_BYTES = 512 * 1024 * 1024


def cell_problem(raw: str) -> str | None:
    """Why a cell's text is not a value (an Excel error, a formula without a computed value,
    a date out of range), in Swedish; None for an ordinary text. Cheap for ordinary texts:
    importers call it for a text they have not seen before, before parsing it."""
    if not raw or raw[0] not in "\x00#":  # pragma: no mutate (a quick filter: texts it lets through still get None)
        return None
    if raw.startswith(_MARK_ERROR) or raw.strip() in EXCEL_ERRORS:
        shown = raw[len(_MARK_ERROR):] if raw.startswith(_MARK_ERROR) else raw.strip()
        return (
            f"Cellen innehåller felvärdet {_show(shown, 20)} från Excel, inte ett värde. "
            "Rätta formeln eller skriv in värdet i cellen."
        )
    if raw == _MARK_FORMULA:
        return (
            "Cellen innehåller en formel som aldrig har räknats ut (filen är inte sparad i Excel "
            "efter att formeln skrevs). Öppna filen i Excel och spara den, eller skriv in värdet."
        )
    if raw.startswith(_MARK_DATE):
        return (
            f"Cellen är formaterad som datum men talet {_show(raw[len(_MARK_DATE):], 20)} är inget "
            "giltigt datum. Skriv datumet som ÅÅÅÅ-MM-DD."
        )
    if raw.startswith(_MARK):
        return "Cellen kunde inte läsas."
    return None


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
    if getattr(cell, "data_type", None) == "e":  # pragma: no mutate (every openpyxl cell has a data_type)
        return _MARK_ERROR + str(value)
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
            percent = "%" in (cell.number_format or "")  # pragma: no mutate (empty cells return before; mutmut's filler text holds no %)
        except Exception:
            percent = False  # pragma: no mutate (None is as false)
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


_DATE_WARNING = re.compile(r"Cell ([A-Z]{1,3})(\d+) is marked as a date but the serial value (\S+)")


def _column_index(letters: str) -> int:
    """0-based index of a column letter: A → 0, AA → 26."""
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - ord("A") + 1
    return index - 1


#: A sheet without a <dimension> at its start is parsed whole by openpyxl when the workbook
#: is opened (to find its size), before any limit here can stop it: refused past this size.
MAX_UNSIZED_SHEET_BYTES = 16 * 1024 * 1024
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")


def _check_sheet_size(path: Path, name: str) -> None:
    """Refuse, before openpyxl reads it, a workbook whose parts unpack to more than
    MAX_SHEET_BYTES, or whose big worksheets do not say their size."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.filename.startswith("xl/"):
                    continue
                if info.file_size > MAX_SHEET_BYTES:
                    raise _too_big(name, info.file_size)
                if info.filename.startswith("xl/worksheets/") and info.file_size > MAX_UNSIZED_SHEET_BYTES:
                    with archive.open(info) as part:
                        head = part.read(64 * 1024)
                    data = _SHEET_DATA.search(head)
                    dimension = _DIMENSION.search(head)
                    if dimension is None or (data is not None and data.start() < dimension.start()):
                        raise _too_big(name, info.file_size)
    except ImportFileError:
        raise
    except Exception:
        return  # load_workbook says the file is not a workbook


def _too_big(name: str, size: int) -> ImportFileError:
    return ImportFileError(
        f'Filen "{name}" är för stor för att läsas: ett kalkylblad i den blir {size // (1024 * 1024)} MB '
        "uppackat. Kopiera datan till en ny arbetsbok (utan tomma rader och kolumner under och till "
        "höger om den), spara den i Excel och försök igen."
    )


def _stopped(name: str, why: str) -> ImportFileError:
    return ImportFileError(
        f'Filen "{name}" lästes inte till slut: {why} Ta bort de tomma raderna och kolumnerna '
        "under och till höger om datan (eller kopiera datan till en ny arbetsbok) och försök igen."
    )


def _xlsx_rows(path: Path, stats: dict | None = None) -> Iterator[tuple[int, list[str]]]:
    """The first sheet's rows as text cells, streamed with openpyxl's read-only mode.

    Reading stops, and the file is refused, at a long stretch of empty rows, at a row with a
    value past column MAX_COLUMNS, or when too many cells past it were read (empty ones too):
    a small file can describe millions of empty rows or cells. ``stats`` (for tests) gets the
    number of rows read."""
    name = path.name
    raw_head = _read_bytes_head(path)
    if not raw_head:
        raise ImportFileError(f'Filen "{name}" är tom.')
    if not raw_head.startswith(b"PK"):
        raise ImportFileError(
            f'Filen "{name}" heter .xlsx men är ingen Excel-arbetsbok. '
            "Öppna den i Excel och spara den som Excel-arbetsbok (.xlsx) eller som CSV."
        )
    _check_sheet_size(path, name)
    import warnings

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception:
        raise ImportFileError(
            f'Filen "{name}" är inte en giltig Excel-arbetsbok (.xlsx) och kunde inte läsas.'
        ) from None
    rows: list[tuple[int, list[str]]] = []
    unvalued: list[tuple[int, int]] = []  # (row, column index) of present cells without a value
    read = 0
    try:
        if not workbook.worksheets:
            raise ImportFileError(f'Filen "{name}" har inget kalkylblad.')
        sheet = workbook.worksheets[0]
        try:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                sheet.reset_dimensions()  # trust the rows, not a possibly wrong <dimension>
                count = 0
                number = 0
                empty_run = 0
                wide_cells = 0
                for cells in sheet.iter_rows():
                    read += 1
                    number = next((c.row for c in cells if hasattr(c, "row")), number + 1)
                    if len(cells) > MAX_COLUMNS:  # pragma: no mutate (a row of exactly MAX_COLUMNS cells has nothing past them)
                        wide = cells[MAX_COLUMNS:]
                        wide_cells += len(wide)
                        filled = next((c for c in wide if c.value is not None), None)
                        if filled is not None:
                            raise ImportFileError(
                                f'Filen "{name}" har ett värde i kolumn {column_letter(filled.column - 1)} '
                                f"på rad {number}, längre åt höger än de {MAX_COLUMNS} kolumner som läses. "
                                "Ta bort det eller flytta datan till de första kolumnerna."
                            )
                        if wide_cells > MAX_WIDE_CELLS:
                            raise _stopped(
                                name,
                                f"bladet har tusentals tomma celler till höger om kolumn "
                                f"{column_letter(MAX_COLUMNS - 1)} (rad {number} har {len(cells)} celler).",
                            )
                        cells = cells[:MAX_COLUMNS]
                    texts = [_xlsx_cell_text(c) for c in cells]
                    if any(t.strip() for t in texts):
                        empty_run = 0
                        count += 1
                        if count > MAX_ROWS + 1:  # + the header row
                            raise _too_many_rows(name)
                        for i, (c, t) in enumerate(zip(cells, texts)):
                            if not t and hasattr(c, "row"):
                                unvalued.append((len(rows), i))
                    else:
                        empty_run += 1
                        if empty_run > MAX_EMPTY_ROWS:
                            start = number - empty_run + 1
                            raise _stopped(
                                name,
                                f"bladet har fler än {MAX_EMPTY_ROWS:,} tomma rader i följd från rad "
                                f"{start}.".replace(",", "\u00a0"),
                            )
                        continue  # an empty row is skipped by every reader
                    rows.append((number, texts))
            if caught:
                position_of = {number: position for position, (number, _) in enumerate(rows)}
            for warning in caught:  # openpyxl's own words are not shown: the cell is named
                found = _DATE_WARNING.search(str(warning.message))
                if found:
                    position = position_of.get(int(found.group(2)))
                    column = _column_index(found.group(1))
                    if position is not None and column < len(rows[position][1]):
                        rows[position][1][column] = _MARK_DATE + found.group(3)
        except ImportFileError:
            raise
        except Exception:
            raise ImportFileError(
                f'Filen "{name}" är en skadad Excel-arbetsbok och kunde inte läsas.'
            ) from None
    finally:
        if stats is not None:
            stats["rows_read"] = read
        try:
            workbook.close()
        except Exception:
            pass
    if unvalued:
        _mark_formulas(path, rows, unvalued)
    return iter(rows)


def _mark_formulas(path: Path, rows: list[tuple[int, list[str]]], unvalued: list[tuple[int, int]]) -> None:
    """Mark the cells that are empty only because their formula was never computed.

    A second read-only pass, with formulas instead of their values, over the rows already read
    (only when some present cell had no value: a file written by Excel has a value for every
    formula, and most cells without one are formatted empty cells)."""
    import warnings

    from openpyxl import load_workbook

    wanted: dict[int, set[int]] = {}
    for position, i in unvalued:
        wanted.setdefault(rows[position][0], set()).add(i)
    position_of = {number: position for position, (number, _) in enumerate(rows)}
    last = max(wanted)  # pragma: no mutate (only stops the pass early: None reads on to the end, same marks)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(path, read_only=True, data_only=False)  # pragma: no mutate (openpyxl's default)
            try:
                sheet = workbook.worksheets[0]
                sheet.reset_dimensions()
                number = 0  # pragma: no mutate (only rows without a real cell, never marked)
                for cells in sheet.iter_rows(max_row=last, max_col=MAX_COLUMNS):  # pragma: no mutate (bounds that only stop early)
                    number = next((c.row for c in cells if hasattr(c, "row")), number + 1)  # pragma: no mutate (only rows without a real cell)
                    columns = wanted.get(number)
                    if not columns:
                        continue
                    texts = rows[position_of[number]][1]
                    for i in columns:
                        value = cells[i].value if i < len(cells) else None  # pragma: no mutate (rows are padded: always true)
                        # every openpyxl cell has a data_type: the getattr default is never used
                        if getattr(cells[i], "data_type", None) == "f" or (  # pragma: no mutate
                            isinstance(value, str) and value.startswith("=")
                        ):
                            texts[i] = _MARK_FORMULA
            finally:
                workbook.close()
    except Exception:
        return  # the first pass read the file; a formula left unmarked reads as empty


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


def read_cell(raw: str, parse, as_text: bool):
    """A cell's value by ``parse``; InvalidValue with the message for the user when the cell is
    longer than MAX_CELL, holds a formula or an error value (``cell_problem``), or ``parse``
    refuses it. ``as_text``: the text is checked as text first (``parse_text``)."""
    if len(raw) > MAX_CELL:
        raise InvalidValue(f"Värdet är för långt ({len(raw)} tecken; högst {MAX_CELL}).")
    problem = cell_problem(raw)
    if problem is not None:
        raise InvalidValue(problem)
    value = raw.strip()
    if as_text:
        value = parse_text(value).strip()
    return parse(value)


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
    problem = text_problem(value)  # control or invisible characters: refused as in the staff form
    if problem:
        raise InvalidValue(problem)
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



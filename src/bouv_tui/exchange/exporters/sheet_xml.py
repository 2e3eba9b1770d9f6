"""A large worksheet's rows written as SpreadsheetML text, for sheets too large for openpyxl's
cell objects (the plan's participant sheet has some 25 000 rows at national scale; openpyxl
spends 15–20 µs a cell, a string template about a tenth of that).

openpyxl still writes the workbook: styles, number formats, properties, column widths,
frozen panes and the autofilter. The sheets that are streamed hold only a few cells in
openpyxl (their heading and one cell of each style, so that the styles are in
``styles.xml``); after the save :func:`splice_rows` puts the rows made here in place of the
``<sheetData>`` openpyxl wrote, and :func:`cell_styles` reads the style indices openpyxl gave
those cells from what it wrote (the ``s`` of each cell), never from its private attributes.

What a cell becomes (:func:`rows_xml`):

- text: an inline string (``t="inlineStr"``), never a formula, whatever it begins with; one
  that begins with ``= + - @``, a tab or a carriage return also gets the "quoted" style
  (Excel's quote prefix, so that editing the cell does not turn it into a formula). ``& < >``
  and ``"`` are escaped, a carriage return is written as ``&#13;`` (it would be read back as
  a line feed), and the characters XML 1.0 forbids (control characters other than tab, line
  feed and carriage return, lone surrogates, U+FFFE and U+FFFF) are left out;
- ``int`` and ``float``: a number (``money`` columns with the kronor style); ``bool``: a
  boolean; ``date`` and ``datetime``: Excel's serial number with the date style;
- ``None`` and ``""``: no cell at all.

A sheet holds at most :data:`MAX_ROWS` rows (Excel's limit, the heading included):
:class:`TooManyRows` says so in Swedish before anything is made.
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import zip_longest

from bouv_tui.errors import BouvError

#: Excel's rows in one worksheet, the heading row included.
MAX_ROWS = 1_048_576
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: What XML 1.0 does not allow in a document (``Char`` in the XML 1.0 recommendation).
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\r": "&#13;"})
_SPECIAL = re.compile("[&<>\"\r]")


class TooManyRows(BouvError):
    """A sheet with more rows than Excel opens: nothing is written."""

    def __init__(self, sheet: str, rows: int):
        self.sheet, self.rows = sheet, rows
        super().__init__(
            f'Bladet "{sheet}" skulle få {_grouped(rows)} rader med rubriken, men Excel visar högst '
            f"{_grouped(MAX_ROWS)} rader i ett blad. Ingenting har sparats; välj csv-formatet för så här stora planer."
        )


def check_rows(sheet: str, count: int) -> None:
    """``TooManyRows`` when a sheet of ``count`` rows (the heading included) does not fit in Excel."""
    if count > MAX_ROWS:
        raise TooManyRows(sheet, count)


def _grouped(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")


@dataclass(frozen=True)
class Styles:
    """Indices into ``styles.xml``'s ``cellXfs``, as openpyxl wrote them."""

    heading: int
    date: int
    money: int
    quoted: int


def column_letters(count: int) -> list[str]:
    """``A``, ``B``, … for the first ``count`` columns (openpyxl's public helper)."""
    from openpyxl.utils import get_column_letter

    return [get_column_letter(i) for i in range(1, count + 1)]


def clean_text(text: str) -> str:
    """``text`` without the characters XML 1.0 forbids."""
    # The search is only a quick way past the texts without any: sub would return them as they are.
    return _FORBIDDEN.sub("", text) if _FORBIDDEN.search(text) else text  # pragma: no mutate


def text_cell_tail(text: str, quoted: int) -> str:
    """What follows ``<c r="A2"`` for a text cell: inline, escaped, never a formula; empty
    for a text that is empty without what XML forbids (no cell, as openpyxl writes "")."""
    text = clean_text(text)
    if not text:
        return ""
    style = f' s="{quoted}"' if text.startswith(FORMULA_START) else ""
    space = ' xml:space="preserve"' if text != text.strip() else ""
    if _SPECIAL.search(text):
        text = text.translate(_ESCAPES)
    return f'{style} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def rows_xml(sheet: str, headings: Sequence[str], rows: Sequence[Sequence], styles: Styles, *,
             money: Collection[int] = frozenset()) -> str:  # fmt: skip
    """The ``<row>`` elements of a sheet: ``headings`` in the heading style in row 1, then
    ``rows`` (``money``: the 0-based columns whose numbers are kronor). ``TooManyRows`` when
    the sheet would not fit in Excel."""
    check_rows(sheet, len(rows) + 1)
    width = max([len(headings), *(len(r) for r in rows)])
    letters = column_letters(width)
    from openpyxl.utils.datetime import to_excel

    texts: dict[str, str] = {}
    serials: dict[date, str] = {}
    out = ['<row r="1">']
    for letter, heading in zip(letters, headings):
        out.append(f'<c r="{letter}1" s="{styles.heading}" t="inlineStr"><is><t>{_escaped(heading)}</t></is></c>')
    out.append("</row>")
    date_style, money_style, quoted = f' s="{styles.date}"', f' s="{styles.money}"', styles.quoted
    for number, values in enumerate(rows, start=2):
        r = str(number)
        cells = [f'<row r="{r}">']
        for col, value in enumerate(values):
            kind = type(value)
            if kind is str:
                tail = texts.get(value)  # pragma: no mutate (a cache: a miss makes the same tail again)
                if tail is None:
                    tail = texts[value] = text_cell_tail(value, quoted)
                if tail:
                    cells.append(f'<c r="{letters[col]}{r}"{tail}')
            elif value is None:
                continue
            elif kind is int or kind is float:
                if kind is float and not math.isfinite(value):
                    raise ValueError(f"{sheet}!{letters[col]}{r}: {value} is not a number Excel can hold")
                style = money_style if col in money else ""
                cells.append(f'<c r="{letters[col]}{r}"{style}><v>{value!r}</v></c>')
            elif kind is bool:
                cells.append(f'<c r="{letters[col]}{r}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, date):
                serial = serials.get(value)  # pragma: no mutate (a cache: a miss makes the same serial again)
                if serial is None:
                    serial = serials[value] = _number(to_excel(value))
                cells.append(f'<c r="{letters[col]}{r}"{date_style}><v>{serial}</v></c>')
            else:
                raise TypeError(f"{sheet}!{letters[col]}{r}: a {kind.__name__} cannot be written")
        cells.append("</row>")
        out.append("".join(cells))
    return "".join(out)


def _number(value: float) -> str:
    """``46083`` for a whole day, ``46083.5`` for noon."""
    return repr(int(value)) if float(value).is_integer() else repr(value)


def _escaped(text: str) -> str:
    return clean_text(text).translate(_ESCAPES)


def column_widths(headings: Sequence[str], rows: Iterable[Sequence], *, shown, cap: int) -> list[int]:
    """Per column the widest of its heading and its values, ``shown(column, value)`` giving
    a value's width in characters, at most ``cap``; each distinct value is measured once."""
    widths = [len(h) for h in headings]
    for col, values in enumerate(zip_longest(*rows)):
        widest = max(shown(col, v) for v in set(values))  # a column of zip_longest has a value a row
        if col >= len(widths):
            widths.append(widest)
        else:
            widths[col] = max(widths[col], widest)
    return [min(w, cap) for w in widths]


def sheet_parts(entries: dict[str, bytes]) -> dict[str, str]:
    """The workbook's sheets by name, each the zip entry of its part (``xl/worksheets/…``),
    from ``xl/workbook.xml`` and its relationships."""
    import posixpath

    targets = {
        rel.get("Id"): rel.get("Target")
        # iter(None) also finds the root, which has no Id: None -> None, which no sheet names.
        for rel in ET.fromstring(entries["xl/_rels/workbook.xml.rels"]).iter(f"{{{_PKG_REL_NS}}}Relationship")  # pragma: no mutate
    }
    parts = {}
    for sheet in ET.fromstring(entries["xl/workbook.xml"]).iter(f"{{{MAIN_NS}}}sheet"):
        target = targets[sheet.get(f"{{{_REL_NS}}}id")]
        parts[sheet.get("name")] = target[1:] if target.startswith("/") else posixpath.normpath(f"xl/{target}")
    return parts


def cell_styles(part: bytes) -> dict[str, int]:
    """The style index (``s``) of every cell in a sheet part, by reference (``A1``); a cell
    without one has style 0."""
    return {c.get("r"): int(c.get("s", "0")) for c in ET.fromstring(part).iter(f"{{{MAIN_NS}}}c")}


_SHEET_DATA = re.compile(rb"<sheetData>.*?</sheetData>|<sheetData\s*/>", re.DOTALL)
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')


def splice_rows(part: bytes, rows: str, last_cell: str) -> bytes:
    """The sheet ``part`` as openpyxl wrote it, with ``rows`` (:func:`rows_xml`) in place of
    its ``<sheetData>`` and its dimension ``A1:last_cell``."""
    found = _SHEET_DATA.findall(part)
    dimensions = _DIMENSION.findall(part)
    if len(found) != 1 or len(dimensions) > 1:
        raise ValueError("the sheet part does not have one <sheetData> and at most one <dimension>")
    part = _DIMENSION.sub(f'<dimension ref="A1:{last_cell}" />'.encode(), part)
    start, end = _SHEET_DATA.search(part).span()
    return b"".join((part[:start], b"<sheetData>", rows.encode(), b"</sheetData>", part[end:]))

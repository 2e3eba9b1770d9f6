"""Writing the roster as CSV or XLSX in the import format, so an export re-imports unchanged.

Experience is written as ``erfarenhet_fran`` (a date), never as years, so that a
re-import on another day gives the same person. Files are written atomically, whole
or not at all, and leave no temporary file behind (:mod:`bouv_tui.exchange.atomic`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from bouv_tui.exchange import atomic
from bouv_tui.exchange.staff_import import COLUMNS, ROLE_WORDS
from bouv_tui.domain.roster import StaffMember

#: The columns an export writes, in order: every import column but ``erfarenhet_ar``.
EXPORT_COLUMNS: tuple[str, ...] = tuple(c.code for c in COLUMNS if c.code != "erfarenhet_ar")
_FIELDS = {c.code: c.field for c in COLUMNS}
#: A text beginning with one of these would run as a formula in a spreadsheet.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def staff_rows(staff: Sequence[StaffMember]) -> list[list[object]]:
    """One list of values a person, in :data:`EXPORT_COLUMNS` order (str, int, date or None)."""
    rows = []
    for person in staff:
        row: list[object] = []
        for code in EXPORT_COLUMNS:
            value = getattr(person, _FIELDS[code])
            if code == "roll":
                value = ROLE_WORDS[value]  # the store's roles are the catalogue's
            elif code == "sysselsattningsgrad" and value == 1:
                # A plain 1 is read back as a share of full time (100 %): the one FTE that
                # needs its unit to come back as it went out.
                value = "1 %"
            elif isinstance(value, bool):
                value = "ja" if value else "nej"
            row.append(value)
        rows.append(row)
    return rows


def csv_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text.lstrip("'").startswith(_FORMULA_START):
        return "'" + text  # shown as text by a spreadsheet; the import removes the apostrophe
    return text


def export_staff_csv(staff: Sequence[StaffMember], path: Path, today: date, *, replace_readonly: bool = False) -> None:
    """Semicolon-separated UTF-8 with BOM and CRLF line ends: what Swedish Excel opens as is.
    Written through :func:`bouv_tui.exchange.atomic.write_export` (its checks and messages)."""
    buffer = io.StringIO(newline="")
    # "\r\n" is also csv's default; said here because the format (INTERFACES.md) fixes it.
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")  # pragma: no mutate
    writer.writerow(EXPORT_COLUMNS)
    for row in staff_rows(staff):
        writer.writerow([csv_text(v) for v in row])
    data = buffer.getvalue().encode("utf-8-sig")  # pragma: no mutate ("UTF-8-SIG" names the same codec)
    write_atomically(Path(path), lambda f: f.write(data), replace_readonly=replace_readonly)


def export_staff_xlsx(staff: Sequence[StaffMember], path: Path, today: date, *, replace_readonly: bool = False) -> None:
    """One sheet "Personal": bold header, date cells, numbers as numbers, text never a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Personal"
    stamp = datetime(today.year, today.month, today.day)
    workbook.properties.created = stamp
    workbook.properties.creator = "bouv-tui"

    bold = Font(bold=True)
    widths = [len(code) for code in EXPORT_COLUMNS]
    for col, code in enumerate(EXPORT_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=col, value=code)
        cell.font = bold
    for r, row in enumerate(staff_rows(staff), start=2):
        for col, value in enumerate(row, start=1):
            if value is None:
                continue
            cell = sheet.cell(row=r, column=col)
            if isinstance(value, date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
                shown = 10  # pragma: no mutate (every date column's heading is longer than a date)
            elif isinstance(value, int):
                cell.value = value
                shown = len(str(value))
            else:
                text = str(value)
                if text.startswith("'") and text.lstrip("'").startswith(_FORMULA_START):
                    text = "'" + text  # the import removes one apostrophe before a formula sign
                cell.value = text
                cell.data_type = "s"  # never a formula, whatever the text starts with
                if text.startswith(_FORMULA_START):
                    cell.quotePrefix = True  # as Excel marks '=text; the import reads it back
                shown = len(text)
            widths[col - 1] = max(widths[col - 1], shown)
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(width, 50) + 2
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions

    def save(f) -> None:
        workbook.save(f)

    write_atomically(Path(path), save, replace_readonly=replace_readonly)


def write_atomically(path: Path, write: Callable, *, replace_readonly: bool) -> Path:
    """Call ``write(f)`` with a binary file and put what it wrote at ``path`` whole, mode
    0600, leaving no temporary file even if the process is killed: the export path of
    :func:`.atomic.write_export` (checks first, every ``OSError`` an ``ExportError``)."""
    return atomic.write_export(path, write, replace_readonly=replace_readonly)

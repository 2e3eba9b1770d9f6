"""Budget against actual for the municipality's finance department (``bouv-tui export budget
--year YEAR --format xlsx``): an XLSX workbook with a sheet per funding source of the year and
a total sheet first, each with three tables of cost type (rows) by month (columns January to
December, then another year, then the total):

- **Budget**: everything the source's expense lines come to, planned, committed and paid. A
  line moves from planned to committed to paid, so counting it under each status as it is
  now keeps it in the budget once, whatever its status (a budget that left paid lines out
  would shrink as the bills are paid, and show every paid month as overspent);
- **Utfall** (actual): what is paid;
- **Differens**: budget − utfall, what is planned and committed but not yet paid.

A line goes under the month of its date; one dated in another year than the report's (an
invoice paid in January of the year after) under "Annat år", so that every total is the sum
of its row and of its column. Amounts are numbers in whole kronor with a thousands format;
the sheets hold sums only: no name, voucher or note of an expense.

The same sources and expenses give the same bytes: the workbook carries a fixed date (1
January of the year) and its zip entries a fixed time. openpyxl is imported when the
workbook is written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bouv_tui.domain import budget, catalog
from bouv_tui.domain.budget import Expense, FundingSource
from bouv_tui.exchange.formats import BUDGET

MONTHS = ("jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec")
#: The columns after the cost type: the twelve months, another year, the total.
OTHER_YEAR, TOTAL = "Annat år", "Totalt"
COLUMNS = (*MONTHS, OTHER_YEAR, TOTAL)
BUDGET_TABLE, ACTUAL_TABLE, DIFFERENCE_TABLE = "budget", "utfall", "differens"
TABLE_HEADINGS = {
    BUDGET_TABLE: "Budget (planerat, åtaget och betalt)",
    ACTUAL_TABLE: "Utfall (betalt)",
    DIFFERENCE_TABLE: "Differens (budget − utfall: planerat och åtaget, inte betalt än)",
}
TOTAL_SHEET = "Totalt"
SUM_ROW = "Summa"
#: Excel's number format for whole kronor (shown "12 500 kr" in a Swedish Excel).
KRONOR_FORMAT = '#,##0 "kr"'
#: What Excel does not take in a sheet's name, and the longest name it takes.
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")
_SHEET_NAME_MAX = 31
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

#: A table: cost type → 14 amounts (the months, another year, the total).
Table = dict[str, list[int]]


@dataclass(frozen=True)
class SourceSheet:
    """One sheet's figures: its title, what was paid out, and the three tables."""

    title: str
    paid_out: int
    tables: Mapping[str, Table]


def _blank(cost_types: Iterable[str]) -> Table:
    return {code: [0] * len(COLUMNS) for code in cost_types}


def _column(year: int, expense: Expense) -> int:
    return expense.day.month - 1 if expense.day.year == year else len(MONTHS)


def source_tables(year: int, source: FundingSource, expenses: Iterable[Expense]) -> dict[str, Table]:
    """The three tables of ``source`` from the expenses it pays (``source_id``): every cost
    type of the catalogue in its order (0 where none), a cost type outside it after them."""
    own = [e for e in expenses if e.source_id == source.id]
    codes = catalog.COST_TYPES.codes()
    codes += sorted({e.cost_type for e in own} - set(codes))
    planned, actual = _blank(codes), _blank(codes)
    for expense in own:
        col = _column(year, expense)
        planned[expense.cost_type][col] += expense.amount
        if expense.status == budget.PAID:
            actual[expense.cost_type][col] += expense.amount
    for table in (planned, actual):
        for amounts in table.values():
            amounts[-1] = sum(amounts[:-1])
    difference = {code: [p - a for p, a in zip(planned[code], actual[code])] for code in codes}
    return {BUDGET_TABLE: planned, ACTUAL_TABLE: actual, DIFFERENCE_TABLE: difference}


def sum_row(table: Table) -> list[int]:
    """The table's column sums."""
    return [sum(amounts[col] for amounts in table.values()) for col in range(len(COLUMNS))]


def _add(total: Table, table: Table) -> None:
    for code, amounts in table.items():
        row = total.setdefault(code, [0] * len(COLUMNS))
        for i, amount in enumerate(amounts):
            row[i] += amount


def budget_sheets(year: int, sources: Sequence[FundingSource], expenses: Iterable[Expense]) -> list[SourceSheet]:
    """The total sheet (the sum of the sources'), then a sheet a source of ``year``, by name."""
    expenses = list(expenses)
    ours = sorted((s for s in sources if s.year == year), key=lambda s: (s.name.casefold(), s.name))
    sheets = [SourceSheet(s.name, s.paid_out, source_tables(year, s, expenses)) for s in ours]
    total: dict[str, Table] = {name: {} for name in TABLE_HEADINGS}
    for sheet in sheets:
        for name, table in sheet.tables.items():
            _add(total[name], table)
    if not sheets:
        total = {name: _blank(catalog.COST_TYPES.codes()) for name in TABLE_HEADINGS}
    return [SourceSheet(TOTAL_SHEET, sum(s.paid_out for s in sheets), total), *sheets]


def sheet_names(titles: Sequence[str]) -> list[str]:
    """A name Excel takes for each title: without ``[]:*?/\\``, at most 31 characters, and
    unique (case ignored, as Excel compares them) with `` (2)``, `` (3)`` … where two match."""
    names: list[str] = []
    taken: set[str] = set()
    for title in titles:
        base = _SHEET_NAME_BAD.sub(" ", title).strip().strip("'") or "Källa"
        name, n = base[:_SHEET_NAME_MAX], 1
        while name.casefold() in taken:
            n += 1
            suffix = f" ({n})"
            name = base[: _SHEET_NAME_MAX - len(suffix)] + suffix
        taken.add(name.casefold())
        names.append(name)
    return names


def budget_bytes(year: int, sources: Sequence[FundingSource], expenses: Iterable[Expense], fmt: str = "xlsx") -> bytes:
    """The budget workbook of ``year`` (``exchange.formats.BUDGET``); ``FormatError`` for another format."""
    BUDGET.check(fmt)
    return budget_xlsx(year, sources, expenses)


def export_budget(year: int, sources: Sequence[FundingSource], expenses: Iterable[Expense], fmt: str, target: Path,
                  *, replace_readonly: bool = False) -> Path:  # fmt: skip
    """Write the workbook at ``target``, whole or not at all; returns ``target``. Raises
    ``FormatError`` for another format (or name) and ``atomic.ExportError`` when it cannot be written."""
    from bouv_tui.exchange.atomic import check_target, write_export

    target = Path(target)
    BUDGET.check(fmt)  # the workbook's file ends in .xlsx: no name to refuse
    check_target(target, replace_readonly=replace_readonly)
    data = budget_xlsx(year, sources, expenses)
    return write_export(target, lambda f: f.write(data), replace_readonly=replace_readonly)


def _label(code: str) -> str:
    return catalog.COST_TYPES.label(code)


def _text(cell, text: str) -> None:
    cell.value = text
    cell.data_type = "s"
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True


def build_workbook(year: int, sources: Sequence[FundingSource], expenses: Iterable[Expense]):
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    workbook.properties.creator = "bouv-tui"
    workbook.properties.title = f"Budget mot utfall {year}"
    workbook.properties.created = _stamp(year)
    bold = Font(bold=True)
    sheets = budget_sheets(year, sources, expenses)
    for index, (data, name) in enumerate(zip(sheets, sheet_names([s.title for s in sheets]))):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = name
        title = sheet.cell(row=1, column=1)
        _text(title, f"Budget mot utfall {year}: {data.title}" if index else f"Budget mot utfall {year}: alla källor")
        title.font = bold
        _text(sheet.cell(row=2, column=1), "Utbetalt")
        paid_out = sheet.cell(row=2, column=2, value=data.paid_out)
        paid_out.number_format = KRONOR_FORMAT
        row = 4
        for table_name, heading in TABLE_HEADINGS.items():
            table = data.tables[table_name]
            cell = sheet.cell(row=row, column=1)
            _text(cell, heading)
            cell.font = bold
            row += 1
            for col, text in enumerate(("Kostnadstyp", *COLUMNS), start=1):
                cell = sheet.cell(row=row, column=col)
                _text(cell, text)
                cell.font = bold
            row += 1
            for label, amounts, strong in [*((_label(c), a, False) for c, a in table.items()),
                                           (SUM_ROW, sum_row(table), True)]:  # fmt: skip
                cell = sheet.cell(row=row, column=1)
                _text(cell, label)
                if strong:
                    cell.font = bold
                for col, amount in enumerate(amounts, start=2):
                    cell = sheet.cell(row=row, column=col, value=amount)
                    cell.number_format = KRONOR_FORMAT
                    if strong or col == len(COLUMNS) + 1:
                        cell.font = bold
                row += 1
            row += 1
        for col, width in enumerate((24, *[13] * len(COLUMNS)), start=1):  # the cost type, then the amounts
            sheet.column_dimensions[get_column_letter(col)].width = width
        sheet.freeze_panes = "B1"
    return workbook


def budget_xlsx(year: int, sources: Sequence[FundingSource], expenses: Iterable[Expense]) -> bytes:
    from bouv_tui.exchange.exporters.packing import deterministic_zip, workbook_entries

    return deterministic_zip(workbook_entries(build_workbook(year, sources, expenses), _stamp(year)).items())


def _stamp(year: int) -> datetime:
    return datetime(year, 1, 1)

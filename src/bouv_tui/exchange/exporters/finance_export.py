"""The financial report (ekonomisk redovisning) as files: JSON (``spec/INTERFACES.md``,
"Financial report as JSON", validated in the tests against ``data/finance.schema.json``), a
csv file of one figure a row, a text report in Swedish and an XLSX workbook with a sheet a part.

Each is a function of a ``domain.finance.FinanceReport`` (and, for the text and the workbook,
its problems from ``finance_problems``) returning bytes, the same bytes for the same report:
the workbook carries a fixed date (1 January of the reporting year) and its zip entries a
fixed time. Amounts are whole kronor: plain integers in JSON and csv, ``1 234 567 kr`` in the
text (``fmt``, babel's ``sv_SE``) and numbers with a thousands format in the workbook. The
report holds figures and person counts only: no name reaches any of these files.

Nothing here imports openpyxl until the workbook is written.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from bouv_tui import fmt
from bouv_tui.domain import catalog
from bouv_tui.domain.finance import PARTICIPANT_CATEGORIES, FinanceReport
from bouv_tui.domain.submission import ERROR, WARNING, Problem
from bouv_tui.exchange.formats import FINANCE

#: The format's name and version (``spec/INTERFACES.md``, "Financial report as JSON").
FORMAT, FORMAT_VERSION = "bouv-tui/ekonomisk-redovisning", 1
TITLE = "Ekonomisk redovisning"

#: The four amounts: JSON key and Swedish label.
AMOUNTS = (
    ("utbetalt", "Utbetalt"),
    ("forbrukat", "Förbrukat"),
    ("aterbetalt", "Återbetalt"),
    ("ej_redovisat", "Ej redovisat (utbetalt − förbrukat − återbetalt)"),
)
SHARE_KEY, CAP_KEY = "andel_handledning_och_kringkostnader", "tak_handledning_och_kringkostnader"
SHARE_LABEL = "Andel av utbetalt till stöd och handledning samt kringkostnader"
CAP_LABEL = "Tak för stöd och handledning samt kringkostnader (andel av utbetalt)"
#: The participant tables: JSON key, Swedish heading, the report's attribute.
PARTICIPANT_TABLES = (
    ("deltagare_utbildning", "Deltagare i utbildning (tabell 8)", "participants_training"),
    ("deltagare_stod_handledning", "Deltagare i stöd och handledning (tabell 9)", "participants_support"),
)
SEVERITY_LABELS = {ERROR: "Fel", WARNING: "Varning"}
NOTHING_TO_FIX = "Redovisningen går ihop: inga problem."


def finance_bytes(report: FinanceReport, fmt_name: str, problems: Sequence[Problem] = ()) -> bytes:
    """The file ``fmt_name`` (``exchange.formats.FINANCE``) of ``report``; ``FormatError`` for
    another format. The problems are printed in the text and the workbook (JSON and csv hold
    the figures of INTERFACES.md only)."""
    FINANCE.check(fmt_name)
    if fmt_name == "json":
        return finance_json(report)
    if fmt_name == "csv":
        return finance_csv(report)
    if fmt_name == "xlsx":
        return finance_xlsx(report, problems)
    # txt, the last of the formats ("UTF-8" names the same codec)
    return finance_text(report, problems).encode("utf-8")  # pragma: no mutate


def export_finance(report: FinanceReport, fmt_name: str, target: Path, problems: Sequence[Problem] = (), *,
                   replace_readonly: bool = False) -> Path:  # fmt: skip
    """Write ``report`` as ``fmt_name`` at ``target``, whole or not at all; returns ``target``.
    Raises ``FormatError`` for an unknown format and ``atomic.ExportError`` when the file
    cannot be written (then nothing is)."""
    from bouv_tui.exchange.atomic import check_target, write_export

    target = Path(target)
    FINANCE.check(fmt_name)  # every format's file ends in .<format>: no name to refuse
    check_target(target, replace_readonly=replace_readonly)
    data = finance_bytes(report, fmt_name, problems)
    return write_export(target, lambda f: f.write(data), replace_readonly=replace_readonly)


# --- json -------------------------------------------------------------------------------------------


def finance_document(report: FinanceReport) -> dict:
    """The JSON document as a dict, keys in the order of INTERFACES.md."""
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "redovisningsar": report.year,
        "bidrag": report.source_name,
        "utbetalt": report.paid_out,
        "forbrukat": report.used,
        "aterbetalt": report.paid_back,
        "ej_redovisat": report.not_accounted,
        "forbrukat_per_kostnadstyp": {code: report.used_by_cost_type[code] for code in catalog.COST_TYPES.codes()},
        SHARE_KEY: report.capped_share,
        CAP_KEY: report.cap_share,
        **{key: {c: getattr(report, attr)[c] for c in PARTICIPANT_CATEGORIES.codes()}
           for key, _heading, attr in PARTICIPANT_TABLES},
    }  # fmt: skip


def finance_json(report: FinanceReport) -> bytes:
    text = json.dumps(finance_document(report), ensure_ascii=False, indent=2)  # pragma: no mutate (ensure_ascii=None is falsy too)
    return (text + "\n").encode("utf-8")  # pragma: no mutate ("UTF-8" names the same codec)


# --- csv --------------------------------------------------------------------------------------------

CSV_HEADER = ("uppgift", "varde", "benamning")


def csv_rows(report: FinanceReport) -> list[tuple[str, object, str]]:
    """(key, value, Swedish label) a figure, in the JSON's order; a nested figure's key is its
    JSON path with a dot (``forbrukat_per_kostnadstyp.vikarier``)."""
    doc = finance_document(report)
    rows: list[tuple[str, object, str]] = [
        ("format", doc["format"], "Format"),
        ("format_version", doc["format_version"], "Formatets version"),
        ("redovisningsar", doc["redovisningsar"], "Redovisningsår"),
        ("bidrag", doc["bidrag"], "Bidrag"),
    ]
    rows += [(key, doc[key], label) for key, label in AMOUNTS]
    rows += [(f"forbrukat_per_kostnadstyp.{code}", value, f"Förbrukat: {catalog.COST_TYPES.label(code)}")
             for code, value in doc["forbrukat_per_kostnadstyp"].items()]  # fmt: skip
    rows += [(SHARE_KEY, doc[SHARE_KEY], SHARE_LABEL), (CAP_KEY, doc[CAP_KEY], CAP_LABEL)]
    for key, heading, _attr in PARTICIPANT_TABLES:
        rows += [(f"{key}.{code}", value, f"{heading}: {PARTICIPANT_CATEGORIES.label(code)}")
                 for code, value in doc[key].items()]  # fmt: skip
    return rows


def finance_csv(report: FinanceReport) -> bytes:
    """Semicolon-separated UTF-8 with BOM and CRLF line ends, as the other csv exports; plain
    integers, the share as the JSON writes it (``0.0753``), no cap as an empty cell."""
    import csv
    import io

    from bouv_tui.exchange.staff_export import csv_text

    buffer = io.StringIO(newline="")
    # "\r\n" is also csv's default; said here because the other exports fix it so.
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")  # pragma: no mutate
    writer.writerow(CSV_HEADER)
    writer.writerows([csv_text(v) for v in row] for row in csv_rows(report))
    return buffer.getvalue().encode("utf-8-sig")  # pragma: no mutate ("UTF-8-SIG" names the same codec)


# --- txt --------------------------------------------------------------------------------------------


def kronor(amount: int) -> str:
    """``1 234 567 kr`` (``fmt``: babel's sv_SE, no-break spaces)."""
    return f"{fmt.number(amount)}{fmt.NBSP}kr"


def share_text(share: float | None) -> str:
    """0.0753 → ``7,53 %``; no cap → ``inget tak``."""
    return "inget tak" if share is None else fmt.percent(share, 2)


def problem_summary(problems: Sequence[Problem]) -> str:
    if not problems:
        return NOTHING_TO_FIX
    errors = sum(1 for p in problems if p.severity == ERROR)
    warnings = len(problems) - errors
    parts = [f"{errors} fel"] if errors else []
    if warnings:
        parts.append(f"{warnings} {'varning' if warnings == 1 else 'varningar'}")
    return f"Att rätta före redovisningen: {' och '.join(parts)}."


def finance_text(report: FinanceReport, problems: Sequence[Problem] = ()) -> str:
    """The report to read or print, in Swedish, amounts right-aligned."""
    import textwrap

    amount_rows = [(label, kronor(value)) for (key, label), value in
                   zip(AMOUNTS, (report.paid_out, report.used, report.paid_back, report.not_accounted))]  # fmt: skip
    type_rows = [(catalog.COST_TYPES.label(code), kronor(report.used_by_cost_type[code]))
                 for code in catalog.COST_TYPES.codes()]  # fmt: skip
    type_rows.append(("Summa", kronor(report.used)))
    width = max(len(label) for label in [*(label for label, _v in amount_rows + type_rows),
                                         *(c.label for c in PARTICIPANT_CATEGORIES)])  # fmt: skip
    values = max(len(v) for _l, v in amount_rows + type_rows)

    def rows(pairs) -> list[str]:
        return [f"  {label:<{width}}  {value:>{values}}" for label, value in pairs]

    lines = [TITLE, f"Redovisningsår {report.year}", f"Bidrag: {report.source_name}", "", problem_summary(problems)]
    for problem in problems:
        lines += textwrap.wrap(f"{SEVERITY_LABELS[problem.severity]}: {problem.message}", 96,
                               initial_indent="  - ", subsequent_indent="    ")  # fmt: skip
    lines += ["", "BELOPP", *rows(amount_rows)]
    lines += ["", "FÖRBRUKAT PER KOSTNADSTYP", *rows(type_rows)]
    lines += ["", "STÖD OCH HANDLEDNING SAMT KRINGKOSTNADER"]
    lines += rows([("Förbrukat", kronor(report.capped_used)), ("Andel av utbetalt", share_text(report.capped_share))])
    if report.cap is None:  # then cap_limit is None too (domain.finance.finance_report)
        lines += rows([("Tak", share_text(None))])
    else:
        lines += rows([("Tak, andel av utbetalt", share_text(report.cap_share)), ("Tak i kronor", kronor(report.cap_limit))])
        lines += textwrap.wrap(f"Taket: {report.cap.name}", 96, initial_indent="  ", subsequent_indent="  ")
    for _key, heading, attr in PARTICIPANT_TABLES:
        counts = getattr(report, attr)
        lines += ["", f"{heading.upper()}, PERSONER"]
        pairs = [(PARTICIPANT_CATEGORIES.label(c), fmt.number(counts[c])) for c in PARTICIPANT_CATEGORIES.codes()]
        lines += rows([*pairs, ("Summa", fmt.number(sum(counts.values())))])
    return "\n".join(lines) + "\n"


# --- xlsx -------------------------------------------------------------------------------------------

#: Excel's number formats: whole kronor (shown "12 500 kr" in a Swedish Excel) and a share.
KRONOR_FORMAT = '#,##0 "kr"'
SHARE_FORMAT = "0.00%"
SUMMARY_SHEET, TYPE_SHEET, PARTICIPANT_SHEET, PROBLEM_SHEET = "Redovisning", "Per kostnadstyp", "Deltagare", "Problem"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _text(cell, text: str) -> None:
    """Text, never a formula, whatever it begins with."""
    cell.value = text
    cell.data_type = "s"
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True


def _put(sheet, row: int, values: Sequence, *, bold=None, number_format: str | None = None) -> None:
    """One row from column A: text as text, numbers as numbers (``number_format`` on them)."""
    for col, value in enumerate(values, start=1):
        if value is None:
            continue
        cell = sheet.cell(row=row, column=col)
        if isinstance(value, str):
            _text(cell, value)
        else:
            cell.value = value
            if number_format:
                cell.number_format = number_format
        if bold is not None:
            cell.font = bold


def _widths(sheet, *widths: int) -> None:
    """The widths of columns A, B, … (in characters, as Excel counts them)."""
    from openpyxl.utils import get_column_letter

    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = width


def build_workbook(report: FinanceReport, problems: Sequence[Problem]):
    """The workbook: "Redovisning" (the amounts, the capped share and its cap), "Per
    kostnadstyp", "Deltagare" (tables 8 and 9 side by side) and "Problem"."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.properties.creator = "bouv-tui"
    workbook.properties.title = f"{TITLE} {report.year}"
    workbook.properties.created = _stamp(report)
    bold = Font(bold=True)

    summary = workbook.active
    summary.title = SUMMARY_SHEET
    _put(summary, 1, [TITLE], bold=bold)
    _put(summary, 2, ["Redovisningsår", report.year])
    _put(summary, 3, ["Bidrag", report.source_name])
    amounts = (report.paid_out, report.used, report.paid_back, report.not_accounted)
    for row, ((_key, label), value) in enumerate(zip(AMOUNTS, amounts), start=5):
        _put(summary, row, [label, value], number_format=KRONOR_FORMAT)
    _put(summary, 10, ["Förbrukat till stöd och handledning samt kringkostnader", report.capped_used],
         number_format=KRONOR_FORMAT)  # fmt: skip
    _put(summary, 11, [SHARE_LABEL, report.capped_share], number_format=SHARE_FORMAT)
    _put(summary, 12, [CAP_LABEL, report.cap_share if report.cap_share is not None else share_text(None)],
         number_format=SHARE_FORMAT)  # fmt: skip
    _put(summary, 13, ["Tak i kronor", report.cap_limit], number_format=KRONOR_FORMAT)
    _widths(summary, 62, 22)

    types = workbook.create_sheet(TYPE_SHEET)
    _put(types, 1, ["Kostnadstyp", "Förbrukat"], bold=bold)
    codes = catalog.COST_TYPES.codes()
    for row, code in enumerate(codes, start=2):
        _put(types, row, [catalog.COST_TYPES.label(code), report.used_by_cost_type[code]], number_format=KRONOR_FORMAT)
    _put(types, len(codes) + 2, ["Summa", report.used], bold=bold, number_format=KRONOR_FORMAT)
    _widths(types, 30, 18)

    people = workbook.create_sheet(PARTICIPANT_SHEET)
    _put(people, 1, ["Personkategori", *(heading for _k, heading, _a in PARTICIPANT_TABLES)], bold=bold)
    tables = [getattr(report, attr) for _k, _h, attr in PARTICIPANT_TABLES]
    categories = PARTICIPANT_CATEGORIES.codes()
    for row, code in enumerate(categories, start=2):
        _put(people, row, [PARTICIPANT_CATEGORIES.label(code), *(t[code] for t in tables)])
    _put(people, len(categories) + 2, ["Summa", *(sum(t.values()) for t in tables)], bold=bold)
    _widths(people, 42, 36, 44)

    sheet = workbook.create_sheet(PROBLEM_SHEET)
    _put(sheet, 1, ["Allvar", "Meddelande"], bold=bold)
    if not problems:
        _put(sheet, 2, [None, NOTHING_TO_FIX])
    for row, problem in enumerate(problems, start=2):
        _put(sheet, row, [SEVERITY_LABELS[problem.severity], problem.message])
    _widths(sheet, 10, 120)
    for frozen in (types, people, sheet):
        frozen.freeze_panes = "A2"
    return workbook


def finance_xlsx(report: FinanceReport, problems: Sequence[Problem] = ()) -> bytes:
    from bouv_tui.exchange.exporters.packing import deterministic_zip, workbook_entries

    return deterministic_zip(workbook_entries(build_workbook(report, problems), _stamp(report)).items())


def _stamp(report: FinanceReport) -> datetime:
    return datetime(report.year, 1, 1)

"""The financial report's files (``exporters.finance_export``: json, csv, txt, xlsx) and the
budget-against-actual workbook (``exporters.budget_export``): exact content, the JSON Schema,
amounts as plain integers or as numbers with a thousands format, the same bytes every time,
written whole or not at all, and no name of anyone anywhere."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import stat
import subprocess
from dataclasses import replace
from datetime import date, datetime
from importlib import resources

import jsonschema
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from bouv_tui.domain import budget as b
from bouv_tui.domain import catalog, finance
from bouv_tui.domain.budget import Expense, FundingSource
from bouv_tui.exchange.atomic import ExportError, ReadOnlyTarget
from bouv_tui.exchange.exporters import budget_export as be
from bouv_tui.exchange.exporters import finance_export as fe
from bouv_tui.exchange.formats import BUDGET, FINANCE, FormatError
from bouv_tui.exchange.grant_file import read_grant, template_2013

NB = "\u00a0"
GRANT = replace(read_grant(template_2013()), id=7, paid_back=1_000_000)
NAME = "Zelda Öberg"  # in notes only: it must reach no file
COUNTS = {
    "utbildning": {"handlaggare_over_4_ar": 5, "handlaggare_utan_socionomexamen": 2, "ovriga_handlaggare": 7,
                   "arbetsledare": 3, "annat": 1},
    "stod_handledning": {"ovriga_handlaggare": 4, "arbetsledare": 2},
}  # fmt: skip


def spend(day, amount, cost_type, status=b.PAID, source=7, **kw):
    return Expense(day, amount, cost_type, source, status, **kw)


EXPENSES = [
    spend(date(2013, 6, 3), 12_000_000, "utbildningsplatser", voucher="VER-4711", note=f"Kursavgift {NAME}"),
    spend(date(2013, 9, 1), 7_500_000, "stod_handledning"),
    spend(date(2013, 10, 1), 1_200_000, "vikarier"),
    spend(date(2013, 11, 1), 45_678, "kurslitteratur"),
    spend(date(2013, 11, 2), 80_000, "resor"),
    spend(date(2013, 12, 31), 20_000, "administration"),
    spend(date(2014, 1, 10), 5_000, "resor", voucher="VER-0815", note=f"Tåg {NAME}"),  # outside the period
    spend(date(2013, 12, 1), 30_000, "utbildningsplatser", b.COMMITTED),
    spend(date(2013, 12, 1), 999, "resor", b.PLANNED),
    spend(date(2013, 7, 1), 444, "resor", source=8),  # another source's
]


def make_report(source=GRANT, expenses=EXPENSES, counts=COUNTS):
    return finance.finance_report(2013, source, expenses, counts)


REPORT = make_report()
PROBLEMS = finance.finance_problems(GRANT, EXPENSES, REPORT)

EXPECTED_DOCUMENT = {
    "format": "bouv-tui/ekonomisk-redovisning",
    "format_version": 1,
    "redovisningsar": 2013,
    "bidrag": "Kompetensutveckling social barn- och ungdomsvård",
    "utbetalt": 33_226_408, "forbrukat": 20_845_678, "aterbetalt": 1_000_000, "ej_redovisat": 11_380_730,
    "forbrukat_per_kostnadstyp": {"utbildningsplatser": 12_000_000, "stod_handledning": 7_500_000,
                                  "vikarier": 1_200_000, "kurslitteratur": 45_678, "resor": 80_000,
                                  "administration": 20_000},
    "andel_handledning_och_kringkostnader": 0.2662,
    "tak_handledning_och_kringkostnader": 0.5,
    "deltagare_utbildning": {"handlaggare_over_4_ar": 5, "handlaggare_utan_socionomexamen": 2,
                             "ovriga_handlaggare": 7, "arbetsledare": 3, "annat": 1},
    "deltagare_stod_handledning": {"handlaggare_over_4_ar": 0, "handlaggare_utan_socionomexamen": 0,
                                   "ovriga_handlaggare": 4, "arbetsledare": 2, "annat": 0},
}  # fmt: skip


@pytest.fixture(scope="module")
def schema() -> dict:
    text = resources.files("bouv_tui.data").joinpath("finance.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def validate(document: dict, schema: dict) -> None:
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)


def no_name_in(data: bytes) -> bool:
    return all(word.encode() not in data for word in ("Zelda", "Öberg", "VER-", "Kursavgift", "Tåg"))


# --- formats ---------------------------------------------------------------------------------------


def test_the_formats_and_their_endings():
    assert FINANCE.names == ("json", "xlsx", "csv", "txt")
    assert [FINANCE.suffix(f) for f in FINANCE.names] == [".json", ".xlsx", ".csv", ".txt"]
    assert FINANCE.of_name("redovisning.TXT") == "txt"
    assert BUDGET.names == ("xlsx",) and BUDGET.of_name("budget.xlsx") == "xlsx"


def test_an_unknown_format_is_refused_in_swedish():
    with pytest.raises(FormatError, match=r"Okänt format 'pdf': välj json, xlsx, csv eller txt\."):
        fe.finance_bytes(REPORT, "pdf")
    with pytest.raises(FormatError, match=r"Okänt format 'csv': välj xlsx\."):
        be.budget_bytes(2013, [GRANT], EXPENSES, "csv")


# --- json -------------------------------------------------------------------------------------------


def test_the_json_is_the_interfaces_document_with_plain_integers(schema):
    data = fe.finance_bytes(REPORT, "json")
    document = json.loads(data)
    assert document == EXPECTED_DOCUMENT
    assert list(document) == list(EXPECTED_DOCUMENT)  # the order of INTERFACES.md
    assert list(document["forbrukat_per_kostnadstyp"]) == catalog.COST_TYPES.codes()
    for key in ("utbetalt", "forbrukat", "aterbetalt", "ej_redovisat"):
        assert type(document[key]) is int
    assert all(type(v) is int for v in document["forbrukat_per_kostnadstyp"].values())
    assert data.endswith(b"}\n") and "vård".encode() in data and b'\n  "utbetalt": 33226408,\n' in data
    validate(document, schema)
    assert no_name_in(data)


def test_a_source_without_caps_or_money_exports_null_and_zero(schema):
    bare = FundingSource("Egna medel", b.OWN_FUNDS, 2013, id=7)
    document = json.loads(fe.finance_bytes(make_report(bare, [], {}), "json"))
    assert document["tak_handledning_och_kringkostnader"] is None
    assert document["andel_handledning_och_kringkostnader"] == 0.0
    assert document["ej_redovisat"] == 0 and set(document["deltagare_utbildning"].values()) == {0}
    validate(document, schema)


def test_more_used_than_paid_out_is_a_negative_figure_the_schema_takes(schema):
    over = replace(GRANT, paid_out=20_000_000, paid_back=0)
    document = json.loads(fe.finance_bytes(make_report(over), "json"))
    assert document["ej_redovisat"] == -845_678
    validate(document, schema)


def test_the_schema_is_strict(schema):
    jsonschema.Draft202012Validator.check_schema(schema)
    broken = [
        lambda d: d.__setitem__("namn", [NAME]),
        lambda d: d.pop("ej_redovisat"),
        lambda d: d["forbrukat_per_kostnadstyp"].pop("resor"),
        lambda d: d["forbrukat_per_kostnadstyp"].__setitem__("okand", 1),
        lambda d: d.__setitem__("utbetalt", -1),
        lambda d: d.__setitem__("forbrukat", 12.5),
        lambda d: d.__setitem__("aterbetalt", "0"),
        lambda d: d.__setitem__("format_version", 2),
        lambda d: d.__setitem__("format", "bouv-tui/inventering"),
        lambda d: d.__setitem__("tak_handledning_och_kringkostnader", 1.5),
        lambda d: d.__setitem__("andel_handledning_och_kringkostnader", -0.1),
        lambda d: d["deltagare_stod_handledning"].__setitem__("annat", -1),
        lambda d: d["deltagare_utbildning"].__setitem__("personnummer", 1),
        lambda d: d.__setitem__("bidrag", ""),
    ]
    validate(EXPECTED_DOCUMENT, schema)
    for n, spoil in enumerate(broken):
        copy = json.loads(json.dumps(EXPECTED_DOCUMENT))
        spoil(copy)
        with pytest.raises(jsonschema.ValidationError):
            validate(copy, schema)
        assert n == broken.index(spoil)


def test_the_schema_ships_as_package_data():
    assert resources.files("bouv_tui.data").joinpath("finance.schema.json").is_file()


# --- csv --------------------------------------------------------------------------------------------


def csv_document(data: bytes) -> dict:
    """The csv file read back into the JSON's shape (dotted keys nested, numbers as numbers)."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == ["uppgift", "varde", "benamning"]
    document: dict = {}
    for key, value, _label in rows[1:]:
        parsed = None if value == "" else (value if re.search(r"[^0-9.\-]", value) else json.loads(value))
        if "." in key:
            outer, inner = key.split(".")
            document.setdefault(outer, {})[inner] = parsed
        else:
            document[key] = parsed
    return document


def test_the_csv_is_one_figure_a_row_with_plain_integers(schema):
    data = fe.finance_bytes(REPORT, "csv")
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[:13] == [
        "uppgift;varde;benamning",
        "format;bouv-tui/ekonomisk-redovisning;Format",
        "format_version;1;Formatets version",
        "redovisningsar;2013;Redovisningsår",
        "bidrag;Kompetensutveckling social barn- och ungdomsvård;Bidrag",
        "utbetalt;33226408;Utbetalt",
        "forbrukat;20845678;Förbrukat",
        "aterbetalt;1000000;Återbetalt",
        "ej_redovisat;11380730;Ej redovisat (utbetalt − förbrukat − återbetalt)",
        "forbrukat_per_kostnadstyp.utbildningsplatser;12000000;Förbrukat: Utbildningsplatser",
        "forbrukat_per_kostnadstyp.stod_handledning;7500000;Förbrukat: Stöd och handledning",
        "forbrukat_per_kostnadstyp.vikarier;1200000;Förbrukat: Vikarier",
        "forbrukat_per_kostnadstyp.kurslitteratur;45678;Förbrukat: Kurslitteratur",
    ]
    assert lines[15:18] == [
        "andel_handledning_och_kringkostnader;0.2662;Andel av utbetalt till stöd och handledning samt kringkostnader",
        "tak_handledning_och_kringkostnader;0.5;Tak för stöd och handledning samt kringkostnader (andel av utbetalt)",
        "deltagare_utbildning.handlaggare_over_4_ar;5;Deltagare i utbildning (tabell 8): Handläggare med mer än 4 "
        "års erfarenhet",
    ]
    assert lines[-3:] == [
        "deltagare_stod_handledning.arbetsledare;2;Deltagare i stöd och handledning (tabell 9): Arbetsledare",
        "deltagare_stod_handledning.annat;0;Deltagare i stöd och handledning (tabell 9): Annat",
        "",
    ]
    assert len(lines) == 1 + 4 + 4 + 6 + 2 + 5 + 5 + 1
    document = csv_document(data)
    assert document == EXPECTED_DOCUMENT and list(document) == list(EXPECTED_DOCUMENT)
    validate(document, schema)
    assert no_name_in(data)


def test_the_csv_leaves_no_cap_empty_and_quotes_a_name_that_looks_like_a_formula():
    odd = FundingSource("=SUMMA(A1)", b.OWN_FUNDS, 2013, id=7)
    lines = fe.finance_bytes(make_report(odd, [], {}), "csv").decode("utf-8-sig").split("\r\n")
    assert "bidrag;'=SUMMA(A1);Bidrag" in lines
    assert "tak_handledning_och_kringkostnader;;Tak för stöd och handledning samt kringkostnader (andel av utbetalt)" in lines
    assert "andel_handledning_och_kringkostnader;0.0;Andel av utbetalt till stöd och handledning samt kringkostnader" in lines


# --- txt --------------------------------------------------------------------------------------------

EXPECTED_TEXT = """\
Ekonomisk redovisning
Redovisningsår 2013
Bidrag: Kompetensutveckling social barn- och ungdomsvård

Att rätta före redovisningen: 3 varningar.
  - Varning: 11 380 730 kr av det utbetalda är inte redovisat: varken förbrukat eller
    återbetalt.
  - Varning: 1 betald utgift på 5 000 kr är daterad utanför perioden 2013-05-16–2013-12-31 och
    räknas inte som förbrukad.
  - Varning: 1 åtagen utgift på 30 000 kr är inte betald och räknas inte som förbrukad (markera
    den som betald när fakturan är betald).

BELOPP
  Utbetalt                                          33 226 408 kr
  Förbrukat                                         20 845 678 kr
  Återbetalt                                         1 000 000 kr
  Ej redovisat (utbetalt − förbrukat − återbetalt)  11 380 730 kr

FÖRBRUKAT PER KOSTNADSTYP
  Utbildningsplatser                                12 000 000 kr
  Stöd och handledning                               7 500 000 kr
  Vikarier                                           1 200 000 kr
  Kurslitteratur                                        45 678 kr
  Resor                                                 80 000 kr
  Administration                                        20 000 kr
  Summa                                             20 845 678 kr

STÖD OCH HANDLEDNING SAMT KRINGKOSTNADER
  Förbrukat                                          8 845 678 kr
  Andel av utbetalt                                       26,62 %
  Tak, andel av utbetalt                                  50,00 %
  Tak i kronor                                      16 613 204 kr
  Taket: Stöd och handledning samt kringkostnader

DELTAGARE I UTBILDNING (TABELL 8), PERSONER
  Handläggare med mer än 4 års erfarenhet                       5
  Handläggare utan socionomexamen                               2
  Resterande handläggare                                        7
  Arbetsledare                                                  3
  Annat                                                         1
  Summa                                                        18

DELTAGARE I STÖD OCH HANDLEDNING (TABELL 9), PERSONER
  Handläggare med mer än 4 års erfarenhet                       0
  Handläggare utan socionomexamen                               0
  Resterande handläggare                                        4
  Arbetsledare                                                  2
  Annat                                                         0
  Summa                                                         6
"""


def swedish(text: str) -> str:
    """The expected text with the no-break spaces fmt writes inside amounts and before "kr" and "%"."""
    text = re.sub(r"(?<=\d) (?=\d{3}\b)", NB, text)
    return re.sub(r"(?<=\d) (?=kr\b|%)", NB, text)


def test_the_text_report_in_swedish_with_swedish_amounts():
    data = fe.finance_bytes(REPORT, "txt", PROBLEMS)
    assert data.decode("utf-8") == swedish(EXPECTED_TEXT)
    assert f"33{NB}226{NB}408{NB}kr" in data.decode("utf-8")
    assert no_name_in(data)


def test_the_text_says_so_when_there_is_nothing_to_fix_and_when_there_is_no_cap():
    bare = FundingSource("Egna medel", b.OWN_FUNDS, 2013, id=7)
    text = fe.finance_text(make_report(bare, [], {}))
    assert "\nRedovisningen går ihop: inga problem.\n" in text
    assert re.search(r"\n  Tak {2,}inget tak\n", text)
    assert "Taket:" not in text and "Tak i kronor" not in text


def test_the_caps_name_is_wrapped_at_96_characters_under_the_figures():
    long = replace(REPORT, cap=replace(REPORT.cap, name="x" * 80 + " " + "y" * 7 + " " + "z" * 10))
    lines = fe.finance_text(long).split("\n")
    at = lines.index("  Taket: " + "x" * 80)  # 89 characters: with the y's it would be 97
    assert lines[at - 1] == f"  Tak i kronor                                      16{NB}613{NB}204{NB}kr"
    assert lines[at + 1 : at + 3] == ["  " + "y" * 7 + " " + "z" * 10, ""]
    fits = replace(REPORT, cap=replace(REPORT.cap, name="x" * 80 + " " + "y" * 6))  # 96: one line
    assert "  Taket: " + "x" * 80 + " " + "y" * 6 + "\n\n" in fe.finance_text(fits)


def test_the_problem_summary_counts_errors_and_warnings():
    error = finance.Problem(finance.ERROR, "ekonomi", "x")
    warning = finance.Problem(finance.WARNING, "ekonomi", "y")
    assert fe.problem_summary([]) == "Redovisningen går ihop: inga problem."
    assert fe.problem_summary([error]) == "Att rätta före redovisningen: 1 fel."
    assert fe.problem_summary([error, warning]) == "Att rätta före redovisningen: 1 fel och 1 varning."
    assert fe.problem_summary([warning, warning, error, error]) == "Att rätta före redovisningen: 2 fel och 2 varningar."
    assert fe.finance_text(REPORT, [error]).count("\n  - Fel: x\n") == 1


# --- xlsx -------------------------------------------------------------------------------------------


def open_workbook(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def all_cells(workbook):
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


def test_the_workbook_has_a_sheet_a_part_with_amounts_as_numbers():
    workbook = open_workbook(fe.finance_bytes(REPORT, "xlsx", PROBLEMS))
    assert workbook.sheetnames == ["Redovisning", "Per kostnadstyp", "Deltagare", "Problem"]
    summary = {row[0].value: row[1] for row in workbook["Redovisning"].iter_rows() if row[0].value}
    assert summary["Redovisningsår"].value == 2013
    assert summary["Bidrag"].value == "Kompetensutveckling social barn- och ungdomsvård"
    for label, value in (("Utbetalt", 33_226_408), ("Förbrukat", 20_845_678), ("Återbetalt", 1_000_000),
                         ("Ej redovisat (utbetalt − förbrukat − återbetalt)", 11_380_730), ("Tak i kronor", 16_613_204),
                         ("Förbrukat till stöd och handledning samt kringkostnader", 8_845_678)):  # fmt: skip
        assert summary[label].value == value and type(summary[label].value) is int, label
        assert summary[label].number_format == '#,##0 "kr"', label
    share = summary["Andel av utbetalt till stöd och handledning samt kringkostnader"]
    assert (share.value, share.number_format) == (0.2662, "0.00%")
    assert summary["Tak för stöd och handledning samt kringkostnader (andel av utbetalt)"].value == 0.5

    types = [tuple(c.value for c in row) for row in workbook["Per kostnadstyp"].iter_rows()]
    assert types == [("Kostnadstyp", "Förbrukat"), ("Utbildningsplatser", 12_000_000), ("Stöd och handledning", 7_500_000),
                     ("Vikarier", 1_200_000), ("Kurslitteratur", 45_678), ("Resor", 80_000), ("Administration", 20_000),
                     ("Summa", 20_845_678)]  # fmt: skip
    assert {workbook["Per kostnadstyp"].cell(row=r, column=2).number_format for r in range(2, 9)} == {'#,##0 "kr"'}

    people = [tuple(c.value for c in row) for row in workbook["Deltagare"].iter_rows()]
    assert people == [
        ("Personkategori", "Deltagare i utbildning (tabell 8)", "Deltagare i stöd och handledning (tabell 9)"),
        ("Handläggare med mer än 4 års erfarenhet", 5, 0), ("Handläggare utan socionomexamen", 2, 0),
        ("Resterande handläggare", 7, 4), ("Arbetsledare", 3, 2), ("Annat", 1, 0), ("Summa", 18, 6),
    ]  # fmt: skip
    problems = [tuple(c.value for c in row) for row in workbook["Problem"].iter_rows()]
    assert problems == [("Allvar", "Meddelande"), *(("Varning", p.message) for p in PROBLEMS)]
    text = " ".join(str(c.value) for c in all_cells(workbook))
    assert not any(word in text for word in ("Zelda", "Öberg", "VER-", "Kursavgift", "Tåg"))


def test_the_workbook_without_problems_or_a_cap():
    bare = FundingSource("+Egna medel", b.OWN_FUNDS, 2013, id=7)
    workbook = open_workbook(fe.finance_bytes(make_report(bare, [], {}), "xlsx"))
    assert [c.value for c in workbook["Problem"]["B"]] == ["Meddelande", "Redovisningen går ihop: inga problem."]
    summary = {row[0].value: row[1].value for row in workbook["Redovisning"].iter_rows() if row[0].value}
    assert summary["Tak för stöd och handledning samt kringkostnader (andel av utbetalt)"] == "inget tak"
    assert summary["Tak i kronor"] is None
    assert summary["Bidrag"] == "+Egna medel"  # text, not a formula
    assert workbook["Redovisning"]["B3"].data_type == "s" and workbook["Redovisning"]["B3"].quotePrefix


def bold_cells(sheet) -> set[str]:
    return {c.coordinate for row in sheet.iter_rows() for c in row if c.value is not None and c.font.b}


def column_widths(sheet) -> dict[str, float]:
    """Each column's width by letter (openpyxl reads columns of one width as one range)."""
    return {get_column_letter(col): d.width for d in sheet.column_dimensions.values() for col in range(d.min, d.max + 1)}


def test_the_summary_sheet_row_by_row_with_its_number_formats():
    sheet = open_workbook(fe.finance_bytes(REPORT, "xlsx", PROBLEMS))["Redovisning"]
    assert [tuple(c.value for c in row) for row in sheet.iter_rows()] == [
        ("Ekonomisk redovisning", None), ("Redovisningsår", 2013),
        ("Bidrag", "Kompetensutveckling social barn- och ungdomsvård"), (None, None),
        ("Utbetalt", 33_226_408), ("Förbrukat", 20_845_678), ("Återbetalt", 1_000_000),
        ("Ej redovisat (utbetalt − förbrukat − återbetalt)", 11_380_730), (None, None),
        ("Förbrukat till stöd och handledning samt kringkostnader", 8_845_678),
        ("Andel av utbetalt till stöd och handledning samt kringkostnader", 0.2662),
        ("Tak för stöd och handledning samt kringkostnader (andel av utbetalt)", 0.5), ("Tak i kronor", 16_613_204),
    ]  # fmt: skip
    kronor = '#,##0 "kr"'
    assert {c.coordinate: c.number_format for c in sheet["B"] if isinstance(c.value, (int, float))} == {
        "B2": "General", "B5": kronor, "B6": kronor, "B7": kronor, "B8": kronor, "B10": kronor,
        "B11": "0.00%", "B12": "0.00%", "B13": kronor,
    }  # fmt: skip


def test_the_workbooks_bold_headings_and_sums_column_widths_frozen_headings_and_properties():
    workbook = open_workbook(fe.finance_bytes(REPORT, "xlsx", PROBLEMS))
    assert {s.title: bold_cells(s) for s in workbook.worksheets} == {
        "Redovisning": {"A1"}, "Per kostnadstyp": {"A1", "B1", "A8", "B8"},
        "Deltagare": {"A1", "B1", "C1", "A7", "B7", "C7"}, "Problem": {"A1", "B1"},
    }  # fmt: skip
    assert {s.title: column_widths(s) for s in workbook.worksheets} == {
        "Redovisning": {"A": 62, "B": 22}, "Per kostnadstyp": {"A": 30, "B": 18},
        "Deltagare": {"A": 42, "B": 36, "C": 44}, "Problem": {"A": 10, "B": 120},
    }  # fmt: skip
    assert [s.freeze_panes for s in workbook.worksheets] == [None, "A2", "A2", "A2"]
    properties = workbook.properties
    assert (properties.creator, properties.title) == ("bouv-tui", "Ekonomisk redovisning 2013")
    assert properties.created == properties.modified == datetime(2013, 1, 1)  # the year's first day, not the clock


def test_the_workbooks_figures_are_the_jsons(schema):
    workbook = open_workbook(fe.finance_bytes(REPORT, "xlsx"))
    types = {row[0].value: row[1].value for row in workbook["Per kostnadstyp"].iter_rows(min_row=2)}
    by_label = {catalog.COST_TYPES.label(c): c for c in catalog.COST_TYPES.codes()}
    assert {by_label[k]: v for k, v in types.items() if k in by_label} == EXPECTED_DOCUMENT["forbrukat_per_kostnadstyp"]
    assert types["Summa"] == EXPECTED_DOCUMENT["forbrukat"]


# --- every format ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt_name", FINANCE.names)
def test_every_format_is_the_same_bytes_every_time_and_changes_with_the_figures(fmt_name):
    first = fe.finance_bytes(REPORT, fmt_name, PROBLEMS)
    assert fe.finance_bytes(make_report(), fmt_name, PROBLEMS) == first
    changed = make_report(replace(GRANT, paid_out=GRANT.paid_out + 1))
    assert fe.finance_bytes(changed, fmt_name, PROBLEMS) != first
    assert no_name_in(first)


@pytest.mark.parametrize("fmt_name", FINANCE.names)
def test_export_writes_the_file_readable_by_its_owner_only(tmp_path, fmt_name):
    target = tmp_path / f"redovisning{FINANCE.suffix(fmt_name)}"
    assert fe.export_finance(REPORT, fmt_name, target, PROBLEMS) == target
    assert target.read_bytes() == fe.finance_bytes(REPORT, fmt_name, PROBLEMS)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


@pytest.mark.parametrize("fmt_name", FINANCE.names)
def test_a_read_only_file_is_replaced_only_when_asked_and_stays_read_only(tmp_path, fmt_name):
    tmp_path = tmp_path / "ut"
    tmp_path.mkdir()
    target = tmp_path / f"redovisning{FINANCE.suffix(fmt_name)}"
    target.write_bytes(b"gammal")
    target.chmod(0o444)
    with pytest.raises(ReadOnlyTarget, match=rf"redovisning\.{fmt_name} är skrivskyddad\. Ingenting har sparats"):
        fe.export_finance(REPORT, fmt_name, target, PROBLEMS)  # not by default
    assert target.read_bytes() == b"gammal" and list(tmp_path.iterdir()) == [target]
    assert fe.export_finance(REPORT, fmt_name, target, PROBLEMS, replace_readonly=True) == target
    assert target.read_bytes() == fe.finance_bytes(REPORT, fmt_name, PROBLEMS)
    assert stat.S_IMODE(target.stat().st_mode) == 0o400 and list(tmp_path.iterdir()) == [target]


def test_an_export_that_cannot_be_written_writes_nothing(tmp_path):
    tmp_path = tmp_path / "ut"
    tmp_path.mkdir()
    target = tmp_path / "saknas" / "redovisning.json"
    with pytest.raises(ExportError, match=r"Mappen .* finns inte, så redovisning\.json kan inte sparas\. Ingenting har sparats"):
        fe.export_finance(REPORT, "json", target)
    assert not target.parent.exists()
    folder = tmp_path / "redovisning.txt"
    folder.mkdir()
    with pytest.raises(ExportError, match="är en mapp"):
        fe.export_finance(REPORT, "txt", folder)
    assert list(folder.iterdir()) == []
    with pytest.raises(FormatError):
        fe.export_finance(REPORT, "pdf", tmp_path / "redovisning.pdf")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["redovisning.txt"]


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_both_workbooks(tmp_path):
    (tmp_path / "redovisning.xlsx").write_bytes(fe.finance_bytes(REPORT, "xlsx", PROBLEMS))
    (tmp_path / "budget.xlsx").write_bytes(be.budget_bytes(2013, [GRANT], EXPENSES))
    for name in ("redovisning.xlsx", "budget.xlsx"):
        # UTF-8 (76), and the cells as shown: the amounts in their thousands format
        subprocess.run(["soffice", "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):59,34,76,1,,0,false,true,true",
                        "--outdir", str(tmp_path / "lo"), str(tmp_path / name)],
                       check=True, capture_output=True, timeout=120)  # fmt: skip
    report = (tmp_path / "lo" / "redovisning.csv").read_text(encoding="utf-8")
    assert re.search(r"Utbetalt;33.226.408 kr", report) and "Bidrag;Kompetensutveckling social barn- och ungdomsvård" in report
    sheet = (tmp_path / "lo" / "budget.csv").read_text(encoding="utf-8")
    assert "Budget mot utfall 2013: alla källor" in sheet
    assert re.search(r"Utbildningsplatser;0 kr;0 kr;0 kr;0 kr;0 kr;12.000.000 kr;", sheet)


# --- the budget workbook ---------------------------------------------------------------------------

OWN = FundingSource("Egna medel", b.OWN_FUNDS, 2013, paid_out=500_000, id=8)
LAST_YEAR = FundingSource("Gammalt bidrag", b.GRANT, 2012, paid_out=9, id=9)
COLUMNS = 14


def months(**amounts) -> list[int]:
    """A row of the tables: ``jun=5`` → 5 in June, ``other`` another year; the total last."""
    names = [*be.MONTHS, "other"]
    row = [amounts.get(n, 0) for n in names]
    return [*row, sum(row)]


def test_a_sources_tables_by_cost_type_and_month():
    expenses = [spend(date(2013, 6, 3), 1_000, "vikarier"), spend(date(2013, 6, 30), 500, "vikarier", b.PLANNED),
                spend(date(2013, 1, 1), 70, "resor", b.COMMITTED), spend(date(2013, 12, 31), 3, "resor"),
                spend(date(2014, 1, 2), 40, "resor"), spend(date(2012, 12, 31), 6, "resor", b.PLANNED),
                spend(date(2013, 6, 1), 99, "vikarier", source=8)]  # fmt: skip
    tables = be.source_tables(2013, GRANT, expenses)
    assert list(tables) == ["budget", "utfall", "differens"]
    budget_, actual, difference = tables["budget"], tables["utfall"], tables["differens"]
    assert list(budget_) == catalog.COST_TYPES.codes()
    assert budget_["vikarier"] == months(jun=1_500) and actual["vikarier"] == months(jun=1_000)
    assert difference["vikarier"] == months(jun=500)
    assert budget_["resor"] == months(jan=70, dec=3, other=46) and actual["resor"] == months(dec=3, other=40)
    assert difference["resor"] == months(jan=70, other=6)
    assert budget_["administration"] == [0] * COLUMNS
    assert be.sum_row(budget_) == months(jan=70, jun=1_500, dec=3, other=46)


def test_a_cost_type_outside_the_catalogue_gets_its_own_row_after_them():
    tables = be.source_tables(2013, GRANT, [spend(date(2013, 3, 1), 5, "okand")])
    assert list(tables["budget"])[-1] == "okand" and tables["utfall"]["okand"] == months(mar=5)


def test_the_total_sheet_is_the_sum_of_the_years_sources_and_comes_first():
    expenses = [spend(date(2013, 6, 3), 1_000, "vikarier"), spend(date(2013, 6, 4), 200, "vikarier", source=8),
                spend(date(2013, 2, 4), 30, "resor", b.COMMITTED, source=8), spend(date(2012, 6, 4), 5, "resor", source=9)]  # fmt: skip
    sheets = be.budget_sheets(2013, [OWN, LAST_YEAR, GRANT], expenses)
    assert [s.title for s in sheets] == ["Totalt", "Egna medel", "Kompetensutveckling social barn- och ungdomsvård"]
    assert [s.paid_out for s in sheets] == [33_726_408, 500_000, 33_226_408]
    total = sheets[0].tables
    assert total["budget"]["vikarier"] == months(jun=1_200) and total["utfall"]["vikarier"] == months(jun=1_200)
    assert total["budget"]["resor"] == months(feb=30) and total["differens"]["resor"] == months(feb=30)
    for name in be.TABLE_HEADINGS:
        for code in total[name]:
            assert total[name][code] == [sum(v) for v in zip(*(s.tables[name][code] for s in sheets[1:]))]


def test_a_year_without_sources_is_a_total_sheet_of_zeros():
    (only,) = be.budget_sheets(2013, [LAST_YEAR], [spend(date(2013, 1, 1), 5, "resor", source=9)])
    assert only.title == "Totalt" and only.paid_out == 0
    assert all(row == [0] * COLUMNS for table in only.tables.values() for row in table.values())
    assert list(only.tables["budget"]) == catalog.COST_TYPES.codes()


def test_sheet_names_excel_takes():
    assert be.sheet_names(["Totalt", "totalt", "A/B: [x]?*\\", "x" * 40, "x" * 40, "''", "Kommunens egna medel 2013 nr 1",
                           "'Xtra X'"]) == [
        "Totalt", "totalt (2)", "A B   x", "x" * 31, "x" * 27 + " (2)", "Källa", "Kommunens egna medel 2013 nr 1", "Xtra X",
    ]  # fmt: skip
    names = be.sheet_names(["a" * 31] * 12)
    assert len(set(n.casefold() for n in names)) == 12 and max(map(len, names)) == 31 and names[-1].endswith(" (12)")


def test_the_budget_workbook_has_the_tables_as_numbers_and_no_names():
    data = be.budget_bytes(2013, [GRANT, OWN], EXPENSES)
    workbook = open_workbook(data)
    assert workbook.sheetnames == ["Totalt", "Egna medel", "Kompetensutveckling social barn"]
    sheet = workbook["Kompetensutveckling social barn"]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    assert rows[0][0] == "Budget mot utfall 2013: Kompetensutveckling social barn- och ungdomsvård"
    assert rows[1][:2] == ("Utbetalt", 33_226_408) and sheet["B2"].number_format == '#,##0 "kr"'
    assert rows[3][0] == "Budget (planerat, åtaget och betalt)"
    assert rows[4] == ("Kostnadstyp", *be.MONTHS, "Annat år", "Totalt")
    assert rows[5] == ("Utbildningsplatser", *months(jun=12_000_000, dec=30_000))
    assert rows[9] == ("Resor", *months(nov=80_000, dec=999, other=5_000))
    assert rows[11] == ("Summa", *months(jun=12_000_000, sep=7_500_000, okt=1_200_000, nov=125_678, dec=50_999, other=5_000))
    assert rows[13][0] == "Utfall (betalt)" and rows[15] == ("Utbildningsplatser", *months(jun=12_000_000))
    assert rows[23][0].startswith("Differens") and rows[25] == ("Utbildningsplatser", *months(dec=30_000))
    assert rows[29] == ("Resor", *months(dec=999))
    amounts = [c for row in sheet.iter_rows(min_row=6, max_row=12, min_col=2) for c in row]
    assert all(type(c.value) is int and c.number_format == '#,##0 "kr"' for c in amounts)
    total = [tuple(c.value for c in row) for row in workbook["Totalt"].iter_rows()]
    assert total[0][0] == "Budget mot utfall 2013: alla källor" and total[1][:2] == ("Utbetalt", 33_726_408)
    assert total[9] == ("Resor", *months(jul=444, nov=80_000, dec=999, other=5_000))  # with the own funds' 444
    assert no_name_in(data)
    assert not any(w in str(c.value) for c in all_cells(workbook) for w in ("Zelda", "VER-", "Tåg"))


def test_the_budget_workbooks_bold_headings_sums_and_totals_widths_frozen_column_and_properties():
    workbook = open_workbook(be.budget_bytes(2013, [GRANT, OWN], EXPENSES))
    bold = {"A1"}
    for heading in (4, 14, 24):  # the table's heading, its column headings, six cost types, its sum row
        bold |= {f"A{heading}", *(f"{get_column_letter(col)}{heading + 1}" for col in range(1, 16))}
        bold |= {f"O{row}" for row in range(heading + 2, heading + 8)}  # "Totalt", the last column
        bold |= {f"{get_column_letter(col)}{heading + 8}" for col in range(1, 16)}
    amounts = {get_column_letter(col): 13 for col in range(2, 16)}
    for sheet in workbook.worksheets:
        assert sheet["O5"].value == "Totalt" and sheet["A12"].value == "Summa" and sheet["A13"].value is None
        assert bold_cells(sheet) == bold, sheet.title
        assert column_widths(sheet) == {"A": 24, **amounts}, sheet.title
        assert sheet.freeze_panes == "B1"
    properties = workbook.properties
    assert (properties.creator, properties.title) == ("bouv-tui", "Budget mot utfall 2013")
    assert properties.created == properties.modified == datetime(2013, 1, 1)  # the year's first day, not the clock


def test_a_cost_type_that_looks_like_a_formula_is_text_in_the_budget_workbook():
    sheet = open_workbook(be.budget_bytes(2013, [GRANT], [spend(date(2013, 3, 1), 5, "=1+1")]))["Totalt"]
    assert [sheet[f"A{row}"].value for row in (11, 12, 13)] == ["Administration", "=1+1", "Summa"]
    assert (sheet["A12"].data_type, sheet["A12"].quotePrefix, sheet["D12"].value) == ("s", True, 5)
    assert not sheet["A11"].quotePrefix


def test_a_read_only_budget_file_is_replaced_only_when_asked_and_stays_read_only(tmp_path):
    tmp_path = tmp_path / "ut"
    tmp_path.mkdir()
    target = tmp_path / "budget.xlsx"
    target.write_bytes(b"gammal")
    target.chmod(0o444)
    with pytest.raises(ReadOnlyTarget, match=r"budget\.xlsx är skrivskyddad\. Ingenting har sparats"):
        be.export_budget(2013, [GRANT], EXPENSES, "xlsx", target)  # not by default
    assert target.read_bytes() == b"gammal" and list(tmp_path.iterdir()) == [target]
    assert be.export_budget(2013, [GRANT], EXPENSES, "xlsx", target, replace_readonly=True) == target
    assert target.read_bytes() == be.budget_bytes(2013, [GRANT], EXPENSES)
    assert stat.S_IMODE(target.stat().st_mode) == 0o400 and list(tmp_path.iterdir()) == [target]


def test_the_budget_workbook_is_the_same_bytes_every_time(tmp_path):
    tmp_path = tmp_path / "ut"
    tmp_path.mkdir()
    data = be.budget_bytes(2013, [GRANT, OWN], EXPENSES)
    assert be.budget_bytes(2013, [OWN, GRANT], list(EXPENSES)) == data
    assert be.budget_bytes(2013, [GRANT, OWN], EXPENSES[:-2]) != data
    target = tmp_path / "budget.xlsx"
    assert be.export_budget(2013, [GRANT, OWN], EXPENSES, "xlsx", target) == target
    assert target.read_bytes() == data and stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(FormatError):
        be.export_budget(2013, [GRANT], EXPENSES, "csv", tmp_path / "budget.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["budget.xlsx"]


AMOUNTS = st.integers(0, 10_000_000)
ANY_EXPENSES = st.lists(st.builds(
    Expense, st.dates(date(2012, 10, 1), date(2014, 3, 31)), AMOUNTS, st.sampled_from(catalog.COST_TYPES.codes()),
    st.sampled_from([7, 8]), st.sampled_from(b.EXPENSE_STATUSES.codes()),
), max_size=40)  # fmt: skip


@settings(max_examples=100, deadline=None)
@given(ANY_EXPENSES)
def test_every_total_is_the_sum_of_its_row_and_its_column(expenses):
    sheets = be.budget_sheets(2013, [GRANT, OWN], expenses)
    for sheet in sheets:
        tables = sheet.tables
        for name, table in tables.items():
            for row in table.values():
                assert row[-1] == sum(row[:-1])
            sums = be.sum_row(table)
            assert sums[-1] == sum(r[-1] for r in table.values())
        for code in tables["budget"]:
            assert [p - a for p, a in zip(tables["budget"][code], tables["utfall"][code])] == tables["differens"][code]
    ours = [e for e in expenses if e.source_id in (7, 8)]
    total = sheets[0].tables
    assert be.sum_row(total["budget"])[-1] == sum(e.amount for e in ours)
    assert be.sum_row(total["utfall"])[-1] == sum(e.amount for e in ours if e.status == b.PAID)
    assert be.sum_row(total["differens"])[-1] == sum(e.amount for e in ours if e.status != b.PAID)

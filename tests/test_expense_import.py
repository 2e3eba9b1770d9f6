"""Reading and checking an expense file (``exchange/expense_import.py``): every cell's limits on
both sides, the funding source and the training a row names, a re-import that skips what is
there, a voucher that turns a planned line into spent, the budget's rules row by row (caps
exactly at their limit and 1 kr past it, the period's first and last day and the days
outside), the summary, and hostile files (each refused with the exact message)."""

from __future__ import annotations

import csv
import re
import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hostile_checks
from bouv_tui.domain import catalog
from bouv_tui.domain.budget import COMMITTED, GRANT, OWN_FUNDS, PAID, PLANNED, STOP, WARN, Cap, Expense, FundingSource
from bouv_tui.domain.plan import CANCELLED, DONE, TRAINING, Occasion, Training
from bouv_tui.domain.validation import InvalidValue
from bouv_tui.exchange import expense_import as ei
from bouv_tui.exchange.tables import ImportFileError, Row, Table

HEADER = "datum;belopp;kostnadstyp;finansiering;ar;utbildning;status;verifikation;anteckning"
COLUMNS = HEADER.split(";")
DEFAULTS = {
    "datum": "2026-03-02", "belopp": "1 000", "kostnadstyp": "utbildningsplatser", "finansiering": "Kompetensmedel",
    "ar": "", "utbildning": "", "status": "", "verifikation": "", "anteckning": "",
}  # fmt: skip
CAPPED = ("stod_handledning", "vikarier", "kurslitteratur", "resor", "administration")
ALL_TYPES = tuple(catalog.COST_TYPES.codes())
#: The grant: 100 000 kr paid out, used in 2026, no administration; at most 50 % (50 000 kr)
#: to the capped cost types, refused past it.
SOURCE = FundingSource(
    "Kompetensmedel", GRANT, 2026, paid_out=100_000, use_from=date(2026, 1, 1), use_until=date(2026, 12, 31),
    cost_types=ALL_TYPES[:-1], caps=(Cap("Kringkostnader", 0.5, CAPPED, STOP),), id=1,
)  # fmt: skip
OWN = FundingSource("Egna medel", OWN_FUNDS, 2026, paid_out=20_000, id=2)
SOURCES = [SOURCE, OWN]

BBIC = Training("BBIC", TRAINING, 2026, id=10)
MI = Training("MI-utbildning", TRAINING, 2026, id=11)
TRAININGS = [BBIC, MI]
MARCH = Occasion(10, date(2026, 3, 2), date(2026, 3, 4), id=100)
MAY = Occasion(10, date(2026, 5, 4), date(2026, 5, 5), id=101)
OCTOBER = Occasion(10, date(2026, 10, 5), date(2026, 10, 6), status=CANCELLED, id=102)
MI_APRIL = Occasion(11, date(2026, 4, 1), date(2026, 4, 1), id=110)
OCCASIONS = [MARCH, MAY, OCTOBER, MI_APRIL]


def kr(text: str) -> str:
    """Amounts as the budget writes them (``kronor``): a no-break space between thousands and
    before "kr"."""
    return re.sub(r"(?<=\d) (?=\d{3}\b|kr\b)", "\u00a0", text)


def row(**changes: str) -> str:
    cells = dict(DEFAULTS)
    cells.update(changes)
    return ";".join(cells.values())


def write(tmp_path: Path, *lines: str, name: str = "utgifter.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def plan_of(tmp_path, *lines, sources=SOURCES, expenses=(), trainings=TRAININGS, occasions=OCCASIONS):
    return ei.plan_expense_import(write(tmp_path, *lines), sources, list(expenses), trainings, occasions)


def rows_of(tmp_path, *rows_, **kwargs):
    return plan_of(tmp_path, HEADER, *rows_, **kwargs)


def messages(plan) -> list[str]:
    return [str(e) for e in plan.errors]


def warnings(plan) -> list[str]:
    return [str(w) for w in plan.warnings]


def stored(amount, cost_type="utbildningsplatser", status=PLANNED, day=date(2026, 3, 2), **kwargs) -> Expense:
    kwargs.setdefault("source_id", 1)
    return Expense(day, amount, cost_type, status=status, **kwargs)


# --- a clean file ------------------------------------------------------------------------------


def test_a_row_is_read_into_a_new_paid_expense(tmp_path):
    plan = rows_of(tmp_path, row(belopp="12 345 kr", kostnadstyp="Resor", verifikation="V 1", anteckning="Tåg  till Umeå"))
    assert plan.ok, messages(plan)
    assert plan.adds == [Expense(date(2026, 3, 2), 12345, "resor", 1, PAID, None, "V 1", "Tåg till Umeå")]
    assert (plan.add_rows, plan.updates, plan.update_rows, plan.skipped, plan.warnings) == ([2], [], [], 0, [])
    assert plan.columns == COLUMNS
    assert plan.summary() == "1 ny utgift"
    assert not plan.nothing_to_do


def test_only_the_required_columns(tmp_path):
    plan = plan_of(tmp_path, "Datum;Belopp;Kostnadstyp;Finansiering", "2026-03-02;500;vikarier;egna medel")
    assert plan.ok, messages(plan)
    assert plan.adds == [Expense(date(2026, 3, 2), 500, "vikarier", 2, PAID)]
    assert plan.columns == ["datum", "belopp", "kostnadstyp", "finansiering"]


@pytest.mark.parametrize(
    "heading, code",
    [
        ("Bokföringsdatum", "datum"), ("Verifikationsdatum", "datum"), ("Transaktionsdatum", "datum"),
        ("Summa", "belopp"), ("Finansieringskälla", "finansiering"), ("Verifikationsnummer", "verifikation"),
        ("Ver.nr", "verifikation"), ("Text", "anteckning"), ("Beskrivning", "anteckning"), ("ÅR", "ar"),
        ("Utbildning", "utbildning"), ("STATUS", "status"), ("Kostnads typ", "kostnadstyp"),
    ],
)  # fmt: skip
def test_the_finance_systems_headings_are_known(tmp_path, heading, code):
    header = HEADER.replace(code, heading, 1)
    plan = plan_of(tmp_path, header, row(verifikation="V1", anteckning="not", ar="2026", status="atagen"))
    assert plan.ok, messages(plan)
    assert plan.adds == [Expense(date(2026, 3, 2), 1000, "utbildningsplatser", 1, COMMITTED, None, "V1", "not")]


def test_the_columns_are_listed_in_the_files_order(tmp_path):
    plan = plan_of(tmp_path, "verifikation;finansiering;belopp;datum;kostnadstyp", "V1;Egna medel;5;2026-01-01;resor")
    assert plan.ok, messages(plan)
    assert plan.columns == ["verifikation", "finansiering", "belopp", "datum", "kostnadstyp"]


def test_a_blank_row_is_skipped_and_rows_keep_the_files_numbers(tmp_path):
    plan = rows_of(tmp_path, row(), ";;;;;;;;", "", row(belopp="2"))
    assert plan.ok, messages(plan)
    assert plan.add_rows == [2, 5]  # the line as the file numbers it, blank ones counted
    assert [e.amount for e in plan.adds] == [1000, 2]


def test_a_blank_row_in_a_table_is_skipped():
    blank = Row(2, ("",) * len(COLUMNS))
    table = Table("u.csv", COLUMNS, [blank, Row(3, tuple(row().split(";")))])
    plan = ei.plan_expense_table(table, SOURCES, [], TRAININGS, OCCASIONS)
    assert plan.ok and plan.add_rows == [3]


def test_a_row_shorter_than_the_heading_has_empty_cells_at_its_end(tmp_path):
    plan = rows_of(tmp_path, "2026-03-02;7;resor;Kompetensmedel")
    assert plan.ok, messages(plan)
    assert plan.adds == [Expense(date(2026, 3, 2), 7, "resor", 1, PAID)]


# --- cells ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0", 0), ("12345", 12345), ("12 345", 12345), ("12 345 kr", 12345), ("12345,00", 12345), ("12345,0", 12345),
        ("12\u00a0345", 12345), ("12345.0", 12345), ("12345.00", 12345), ("100000000", 100_000_000),
        ("100000000.0", 100_000_000),
    ],
)  # fmt: skip
def test_amounts_accepted(text, expected):
    assert ei.parse_amount(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Belopp saknas. Skriv hela kronor, t.ex. 12 345."),
        ("-1", '"-1" är negativt. Ett belopp ska vara 0 eller mer.'),
        ("−500", '"−500" är negativt. Ett belopp ska vara 0 eller mer.'),
        ("12,50", '"12,50" har ören. Ange hela kronor (avrunda beloppet).'),
        ("12345,01", '"12345,01" har ören. Ange hela kronor (avrunda beloppet).'),
        ("12345.5", '"12345.5" har ören. Ange hela kronor (avrunda beloppet).'),
        ("12345.01", '"12345.01" har ören. Ange hela kronor (avrunda beloppet).'),
        ("1.000", '"1.000" är inget belopp. Skriv hela kronor, t.ex. 12 345 eller 12345.'),
        ("tolv", '"tolv" är inget belopp. Skriv hela kronor, t.ex. 12 345 eller 12345.'),
        ("100000001", '"100000001" är orimligt stort: ett belopp här får vara högst 100\u00a0000\u00a0000 kr.'),
        ("100000001.0", '"100000001" är orimligt stort: ett belopp här får vara högst 100\u00a0000\u00a0000 kr.'),
    ],
)  # fmt: skip
def test_amounts_refused(text, message):
    with pytest.raises(InvalidValue) as caught:
        ei.parse_amount(text)
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "text, code",
    [
        ("utbildningsplatser", "utbildningsplatser"), ("Stöd och handledning", "stod_handledning"),
        ("STÖD OCH HANDLEDNING", "stod_handledning"), ("stod_handledning", "stod_handledning"),
        ("Kurslitteratur", "kurslitteratur"), ("vikarier", "vikarier"), ("Administration", "administration"),
    ],
)  # fmt: skip
def test_cost_types_by_code_or_label(text, code):
    assert ei.parse_cost_type(text) == code


def test_cost_types_refused():
    codes = "utbildningsplatser, stod_handledning, vikarier, kurslitteratur, resor, administration"
    with pytest.raises(InvalidValue) as caught:
        ei.parse_cost_type("")
    assert str(caught.value) == f"Kostnadstyp saknas. Ange {codes}."
    with pytest.raises(InvalidValue) as caught:
        ei.parse_cost_type("Konsulter")
    assert str(caught.value) == f'"Konsulter" är ingen kostnadstyp. Ange {codes}.'


@pytest.mark.parametrize(
    "text, code",
    [("", PAID), ("betald", PAID), ("Betald", PAID), ("Åtagen", COMMITTED), ("atagen", COMMITTED),
     ("PLANERAD", PLANNED)],
)  # fmt: skip
def test_statuses_by_code_or_label_and_paid_by_default(text, code):
    assert ei.parse_expense_status(text) == code


def test_a_status_that_is_none_is_refused():
    with pytest.raises(InvalidValue) as caught:
        ei.parse_expense_status("bokförd")
    assert str(caught.value) == '"bokförd" är ingen status för en utgift. Ange planerad, atagen, betald.'


def test_vouchers_up_to_the_limit_with_their_spaces_folded():
    assert ei.parse_voucher("  A  12 ") == "A 12"
    assert ei.parse_voucher("") == ""
    assert ei.parse_voucher("v" * 100) == "v" * 100
    with pytest.raises(InvalidValue) as caught:
        ei.parse_voucher("v" * 101)
    assert str(caught.value) == "Verifikationen är för lång (101 tecken; högst 100)."


def test_required_cells_are_said_per_column(tmp_path):
    plan = rows_of(tmp_path, row(datum="", belopp="", kostnadstyp="", finansiering="", anteckning="x"))
    assert messages(plan) == [
        'Rad 2, kolumn "datum": Datum saknas. Skriv datumet som ÅÅÅÅ-MM-DD.',
        'Rad 2, kolumn "belopp": Belopp saknas. Skriv hela kronor, t.ex. 12 345.',
        'Rad 2, kolumn "kostnadstyp": Kostnadstyp saknas. Ange utbildningsplatser, stod_handledning, vikarier, '
        "kurslitteratur, resor, administration.",
        'Rad 2, kolumn "finansiering": Finansiering saknas. Ange namnet på en finansieringskälla.',
    ]
    assert plan.adds == [] and plan.summary() == "4 fel i filen: ingenting importeras förrän de är rättade"


def test_every_wrong_cell_of_a_row_is_said_and_the_row_is_not_planned(tmp_path):
    plan = rows_of(tmp_path, row(belopp="-1", status="klar", ar="1999"), row(belopp="2"))
    assert messages(plan) == [
        'Rad 2, kolumn "belopp": "-1" är negativt. Ett belopp ska vara 0 eller mer.',
        'Rad 2, kolumn "ar": "1999" är inget giltigt år. Ange ett år från 2000 till 2100, eller lämna tomt.',
        'Rad 2, kolumn "status": "klar" är ingen status för en utgift. Ange planerad, atagen, betald.',
    ]
    assert plan.add_rows == [3]  # the good row is planned (and not stored: the plan has errors)
    assert rows_of(tmp_path, row(belopp="x")).summary() == "1 fel i filen: ingenting importeras förrän de är rättade"
    assert plan.summary() == "3 fel i filen: ingenting importeras förrän de är rättade"


def test_an_amount_of_zero_is_an_expense_and_one_below_is_refused(tmp_path):
    assert [e.amount for e in rows_of(tmp_path, row(belopp="0")).adds] == [0]
    plan = rows_of(tmp_path, row(belopp="-1"))
    assert messages(plan) == ['Rad 2, kolumn "belopp": "-1" är negativt. Ett belopp ska vara 0 eller mer.']
    assert plan.adds == []


def test_whole_kronor_with_zero_ore_are_read_and_ore_refused(tmp_path):
    assert [e.amount for e in rows_of(tmp_path, row(belopp="12345,00")).adds] == [12345]
    plan = rows_of(tmp_path, row(belopp="12345,50"))
    assert messages(plan) == ['Rad 2, kolumn "belopp": "12345,50" har ören. Ange hela kronor (avrunda beloppet).']


def test_a_note_and_a_training_name_are_checked_as_text(tmp_path):
    plan = rows_of(tmp_path, row(anteckning="=1+1", utbildning="@SUM(A1)", verifikation="+A1"))
    assert messages(plan) == [
        'Rad 2, kolumn "utbildning": "@SUM(A1)" ser ut som en kalkylbladsformel och tas inte emot. Ta bort det inledande "@".',
        'Rad 2, kolumn "verifikation": "+A1" ser ut som en kalkylbladsformel och tas inte emot. Ta bort det inledande "+".',
        'Rad 2, kolumn "anteckning": "=1+1" ser ut som en kalkylbladsformel och tas inte emot. Ta bort det inledande "=".',
    ]


def test_an_escaped_formula_is_the_text_itself(tmp_path):
    plan = rows_of(tmp_path, row(anteckning="'=inte en formel", finansiering=" kompetensmedel "))
    assert plan.ok, messages(plan)
    assert plan.adds[0].note == "=inte en formel"


def test_a_date_and_an_amount_are_read_by_their_patterns_not_as_text(tmp_path):
    plan = rows_of(tmp_path, row(datum="=TODAY()", belopp="=A1"))
    assert messages(plan) == [
        'Rad 2, kolumn "datum": "=TODAY()" är inte ett giltigt datum. Skriv datum i ISO-format ÅÅÅÅ-MM-DD, t.ex. 2024-03-01.',
        'Rad 2, kolumn "belopp": "=A1" är inget belopp. Skriv hela kronor, t.ex. 12 345 eller 12345.',
    ]


def test_a_cell_of_exactly_the_longest_length_is_read_one_more_is_refused(tmp_path):
    note = "n".ljust(1000)  # spaces count: the limit is on the cell as the file has it
    plan = rows_of(tmp_path, row(anteckning=note))
    assert plan.ok and plan.adds[0].note == "n"
    plan = rows_of(tmp_path, row(anteckning=note + " "))
    assert messages(plan) == ['Rad 2, kolumn "anteckning": Värdet är för långt (1001 tecken; högst 1000).']


def test_a_control_character_is_refused(tmp_path):
    plan = rows_of(tmp_path, row(anteckning="a\x07b"))
    assert messages(plan) == ['Rad 2, kolumn "anteckning": "ab" innehåller otillåtna kontrolltecken.']


def test_an_excel_error_value_is_refused_not_taken_as_text(tmp_path):
    plan = rows_of(tmp_path, row(belopp="#REF!"))
    assert messages(plan) == [
        'Rad 2, kolumn "belopp": Cellen innehåller felvärdet #REF! från Excel, inte ett värde. Rätta formeln '
        "eller skriv in värdet i cellen."
    ]


# --- the funding source ----------------------------------------------------------------------


def test_a_source_is_named_without_case_or_spaces_mattering(tmp_path):
    plan = rows_of(tmp_path, row(finansiering="  KOMPETENS   MEDEL "), sources=[
        FundingSource("Kompetens medel", GRANT, 2026, id=5)])  # fmt: skip
    assert plan.ok, messages(plan)
    assert [e.source_id for e in plan.adds] == [5]


def test_an_unknown_source_is_refused_listing_the_known_ones(tmp_path):
    plan = rows_of(tmp_path, row(finansiering="Statsbidraget"))
    assert messages(plan) == [
        'Rad 2, kolumn "finansiering": Ingen finansieringskälla heter "Statsbidraget". Källor som finns: '
        "Egna medel, Kompetensmedel."
    ]
    assert plan.adds == []


def test_the_known_sources_are_listed_up_to_ten_then_counted(tmp_path):
    ten = [FundingSource(f"Källa {chr(ord('A') + i)}", OWN_FUNDS, 2026, id=i + 1) for i in range(10)]
    listed = ", ".join(s.name for s in ten)
    plan = rows_of(tmp_path, row(finansiering="X"), sources=ten)
    assert messages(plan) == [f'Rad 2, kolumn "finansiering": Ingen finansieringskälla heter "X". Källor som finns: {listed}.']
    eleven = [*ten, FundingSource("källa K", OWN_FUNDS, 2026, id=11), FundingSource("Källa A", OWN_FUNDS, 2025, id=12)]
    plan = rows_of(tmp_path, row(finansiering="X"), sources=eleven)
    assert messages(plan) == [
        f'Rad 2, kolumn "finansiering": Ingen finansieringskälla heter "X". Källor som finns: {listed} och 1 till.'
    ]
    plan = rows_of(tmp_path, row(finansiering="X"), sources=[])
    assert messages(plan) == ['Rad 2, kolumn "finansiering": Ingen finansieringskälla heter "X". Källor som finns: inga.']
    lower = [SOURCE, FundingSource("annat  bidrag", OWN_FUNDS, 2026, id=9)]  # listed in the alphabet's order, folded
    plan = rows_of(tmp_path, row(finansiering="X"), sources=lower)
    assert messages(plan) == [
        'Rad 2, kolumn "finansiering": Ingen finansieringskälla heter "X". Källor som finns: annat bidrag, Kompetensmedel.'
    ]


LAST_YEAR = FundingSource("Kompetensmedel", GRANT, 2025, paid_out=50_000, id=3)
NEXT_YEAR = FundingSource("Kompetensmedel", GRANT, 2027, paid_out=50_000, id=4)


def test_two_sources_of_one_name_need_the_year(tmp_path):
    plan = rows_of(tmp_path, row(), sources=[SOURCE, LAST_YEAR])
    assert messages(plan) == [
        'Rad 2, kolumn "finansiering": Det finns finansieringskällor som heter "Kompetensmedel" för flera år '
        '(2025, 2026). Ange året i kolumnen "ar".'
    ]
    sources = [NEXT_YEAR, SOURCE, LAST_YEAR]
    plan = rows_of(tmp_path, row(), sources=sources)
    assert messages(plan) == [
        'Rad 2, kolumn "finansiering": Det finns finansieringskällor som heter "Kompetensmedel" för flera år '
        '(2025, 2026, 2027). Ange året i kolumnen "ar".'
    ]
    plan = rows_of(tmp_path, row(ar="2025"), row(ar="2026"), sources=sources)
    assert plan.ok, messages(plan)
    assert [e.source_id for e in plan.adds] == [3, 1]
    plan = rows_of(tmp_path, row(ar="2024"), sources=sources)
    assert messages(plan) == [
        'Rad 2, kolumn "ar": Finansieringskällan "Kompetensmedel" finns inte för 2024, bara för 2025, 2026, 2027.'
    ]


def test_the_year_of_the_only_source_of_a_name_must_be_its_own(tmp_path):
    assert rows_of(tmp_path, row(ar="2026")).ok
    plan = rows_of(tmp_path, row(ar="2027"))
    assert messages(plan) == ['Rad 2, kolumn "ar": Finansieringskällan "Kompetensmedel" finns inte för 2027, bara för 2026.']


# --- the training and its occasion -------------------------------------------------------------


@pytest.mark.parametrize(
    "day, occasion",
    [
        ("2026-03-02", 100), ("2026-01-10", 100), ("2026-04-02", 100),  # 31 days from March, 32 from May
        ("2026-04-03", 101),  # 32 days from March, 31 from May
        ("2026-04-04", 101), ("2026-12-31", 101),  # October is cancelled: never linked
    ],
)  # fmt: skip
def test_a_new_expense_is_linked_to_the_nearest_occasion_of_its_training(tmp_path, day, occasion):
    plan = rows_of(tmp_path, row(utbildning="bbic", datum=day))
    assert plan.ok, messages(plan)
    assert [e.occasion_id for e in plan.adds] == [occasion]


def test_the_earlier_of_two_occasions_as_near_is_linked_whatever_their_order(tmp_path):
    occasions = [Occasion(10, date(2026, 3, 10), date(2026, 3, 10), id=201),
                 Occasion(10, date(2026, 3, 2), date(2026, 3, 2), id=200)]  # fmt: skip
    plan = rows_of(tmp_path, row(utbildning="BBIC", datum="2026-03-06"), occasions=occasions)
    assert [e.occasion_id for e in plan.adds] == [200]


def test_an_occasion_that_was_held_is_linked(tmp_path):
    done = [Occasion(10, date(2026, 3, 2), date(2026, 3, 2), status=DONE, id=300)]
    assert [e.occasion_id for e in rows_of(tmp_path, row(utbildning="BBIC"), occasions=done).adds] == [300]


def test_a_training_without_an_occasion_that_is_held_links_nothing_and_says_so(tmp_path):
    plan = rows_of(tmp_path, row(utbildning="BBIC"), occasions=[OCTOBER, MI_APRIL])
    assert plan.ok
    assert [e.occasion_id for e in plan.adds] == [None]
    assert warnings(plan) == [
        'Rad 2, kolumn "utbildning": Utbildningen "BBIC" har inget tillfälle som inte är inställt: utgiften '
        "kopplas inte till något tillfälle."
    ]
    assert plan.summary() == "1 ny utgift, 1 varning"


def test_an_unknown_training_is_refused(tmp_path):
    plan = rows_of(tmp_path, row(utbildning="Okänd kurs"))
    assert messages(plan) == [
        'Rad 2, kolumn "utbildning": Ingen utbildning i planen heter "Okänd kurs". Skriv namnet som det står i '
        "planen, eller lämna cellen tom."
    ]


def test_a_training_of_a_name_in_several_years_is_the_one_of_the_sources_year(tmp_path):
    old = Training("BBIC", TRAINING, 2025, id=9)
    occasions = [*OCCASIONS, Occasion(9, date(2025, 3, 2), date(2025, 3, 2), id=90)]
    plan = rows_of(tmp_path, row(utbildning="BBIC"), trainings=[old, BBIC], occasions=occasions)
    assert [e.occasion_id for e in plan.adds] == [100]
    plan = rows_of(tmp_path, row(utbildning="BBIC", ar="2025"), trainings=[BBIC, old], occasions=occasions,
                   sources=[SOURCE, LAST_YEAR])  # fmt: skip
    assert [e.occasion_id for e in plan.adds] == [90]
    later = Training("BBIC", TRAINING, 2027, id=12)
    plan = rows_of(tmp_path, row(utbildning="BBIC"), trainings=[old, later], occasions=occasions)
    assert messages(plan) == [
        'Rad 2, kolumn "utbildning": Utbildningen "BBIC" finns i planen för 2025, 2027, inte för 2026 som '
        "Kompetensmedel är för."
    ]


def test_the_only_training_of_a_name_is_found_in_any_year(tmp_path):
    old = Training("BBIC", TRAINING, 2025, id=9)
    plan = rows_of(tmp_path, row(utbildning="BBIC"), trainings=[old], occasions=[Occasion(9, date(2025, 3, 2), date(2025, 3, 2), id=90)])
    assert [e.occasion_id for e in plan.adds] == [90]


# --- a re-import: vouchers already there -------------------------------------------------------


def test_a_voucher_already_stored_skips_the_row(tmp_path):
    there = stored(1000, status=PAID, voucher="V1", id=7)
    plan = rows_of(tmp_path, row(verifikation="v1"), row(verifikation="V2"), expenses=[there])
    assert plan.ok and plan.warnings == []
    assert (plan.skipped, plan.skipped_rows, plan.add_rows) == (1, [2], [3])
    assert plan.summary() == "1 ny utgift, 1 fanns redan (samma verifikation)"


def test_a_stored_voucher_is_matched_with_its_spaces_folded(tmp_path):
    there = stored(1000, status=PAID, voucher=" A  1 ", id=7)
    plan = rows_of(tmp_path, row(verifikation="a 1"), expenses=[there])
    assert plan.skipped_rows == [2] and plan.nothing_to_do
    assert plan.summary() == "Inga nya utgifter, 1 fanns redan (samma verifikation)"


def test_a_voucher_twice_in_the_file_is_taken_once(tmp_path):
    plan = rows_of(tmp_path, row(verifikation="V1"), row(verifikation="V1"), row(verifikation="V1"))
    assert plan.ok and plan.warnings == []
    assert (plan.add_rows, plan.skipped_rows) == ([2], [3, 4])
    assert plan.summary() == "1 ny utgift, 2 fanns redan (samma verifikation)"


def test_rows_without_a_voucher_are_never_skipped(tmp_path):
    there = stored(1000, status=PAID, id=7)
    plan = rows_of(tmp_path, row(), row(), expenses=[there])
    assert plan.ok and plan.add_rows == [2, 3] and plan.skipped == 0
    assert plan.summary() == "2 nya utgifter"


@pytest.mark.parametrize(
    "changes, said",
    [
        ({"datum": "2026-03-03"}, "datum 2026-03-02 (här 2026-03-03)"),
        ({"belopp": "1001"}, kr("belopp 1 000 kr (här 1 001 kr)")),
        ({"kostnadstyp": "resor"}, "kostnadstyp utbildningsplatser (här resor)"),
        ({"belopp": "999", "kostnadstyp": "Stöd och handledning", "datum": "2026-03-01"},
         kr("datum 2026-03-02 (här 2026-03-01), belopp 1 000 kr (här 999 kr), kostnadstyp utbildningsplatser "
            "(här stöd och handledning)")),
    ],
)  # fmt: skip
def test_a_skipped_row_that_differs_from_what_has_its_voucher_is_said(tmp_path, changes, said):
    there = stored(1000, status=PAID, voucher="V1", id=7)
    plan = rows_of(tmp_path, row(verifikation="V1", **changes), expenses=[there])
    assert plan.ok and plan.skipped_rows == [2] and plan.adds == []
    assert warnings(plan) == [f'Rad 2, kolumn "verifikation": Verifikation "V1" finns redan i budgeten, men med {said}. Raden hoppas över.']
    plan = rows_of(tmp_path, row(verifikation="V1"), row(verifikation="V1", **changes))
    assert plan.ok and plan.skipped_rows == [3] and plan.add_rows == [2]
    assert warnings(plan) == [f'Rad 3, kolumn "verifikation": Verifikation "V1" finns redan på rad 2, men med {said}. Raden hoppas över.']


def test_a_skipped_row_is_not_checked_against_the_sources(tmp_path):
    there = stored(1000, status=PAID, voucher="V1", id=7)
    plan = rows_of(tmp_path, row(verifikation="V1", finansiering="Borttagen källa"), expenses=[there])
    assert plan.ok and plan.skipped == 1


def test_importing_the_same_file_twice_adds_nothing_the_second_time(tmp_path):
    lines = [row(verifikation="V1"), row(verifikation="V2", belopp="500", kostnadstyp="resor")]
    first = rows_of(tmp_path, *lines, expenses=[stored(500, "resor", id=7)])
    assert first.summary() == "1 ny utgift, 1 planerad rad blir betald"
    now = [replace_id(e, 20 + i) for i, e in enumerate(first.adds)] + [new for _, new in first.updates]
    second = rows_of(tmp_path, *lines, expenses=now)
    assert second.ok and second.nothing_to_do and second.warnings == []
    assert second.summary() == "Inga nya utgifter, 2 fanns redan (samma verifikation)"


def replace_id(expense: Expense, id: int) -> Expense:
    from dataclasses import replace

    return replace(expense, id=id, version=1)


# --- a voucher that pays a planned line -----------------------------------------------------------


def test_a_voucher_turns_the_matching_planned_line_into_spent(tmp_path):
    line = stored(1000, occasion_id=100, origin="fast", note="Lokal", id=7, version=3)
    plan = rows_of(tmp_path, row(verifikation="V1", datum="2026-03-20"), expenses=[line])
    assert plan.ok, messages(plan)
    assert plan.adds == []
    assert plan.updates == [
        (line, Expense(date(2026, 3, 20), 1000, "utbildningsplatser", 1, PAID, 100, "V1", "Lokal", "fast", 7, 3))
    ]
    assert plan.update_rows == [2]
    assert plan.summary() == "Inga nya utgifter, 1 planerad rad blir betald"


def test_the_rows_note_replaces_the_lines(tmp_path):
    line = stored(1000, note="Lokal", id=7)
    plan = rows_of(tmp_path, row(verifikation="V1", anteckning="Faktura 4711"), expenses=[line])
    assert [new.note for _, new in plan.updates] == ["Faktura 4711"]


@pytest.mark.parametrize(
    "line",
    [
        stored(1001, id=7), stored(999, id=7),  # 1 kr more or less
        stored(1000, "resor", id=7),  # another cost type
        stored(1000, source_id=2, id=7),  # another source
        stored(1000, status=PAID, id=7),  # paid already
    ],
)  # fmt: skip
def test_a_line_that_differs_is_not_matched(tmp_path, line):
    plan = rows_of(tmp_path, row(verifikation="V1"), expenses=[line])
    assert plan.ok and plan.updates == [] and plan.add_rows == [2]


def test_a_line_with_a_voucher_is_not_matched(tmp_path):
    line = stored(1000, voucher="V0", id=7)
    plan = rows_of(tmp_path, row(verifikation="V1"), expenses=[line])
    assert plan.ok and plan.updates == [] and plan.add_rows == [2]


def test_a_row_without_a_voucher_matches_nothing(tmp_path):
    line = stored(1000, id=7)
    plan = rows_of(tmp_path, row(), expenses=[line])
    assert plan.updates == [] and plan.add_rows == [2]
    assert rows_of(tmp_path, row(verifikation="V1"), expenses=[line]).update_rows == [2]


def test_a_committed_line_is_paid_and_a_planned_one_committed(tmp_path):
    lines = [stored(1000, status=COMMITTED, id=7), stored(500, id=8), stored(500, id=9)]
    plan = rows_of(tmp_path, row(verifikation="V1"), row(verifikation="V2", belopp="500", status="åtagen"),
                   row(verifikation="V3", belopp="500", status="atagen"), expenses=lines)  # fmt: skip
    assert plan.ok, messages(plan)
    assert [(old.id, new.status) for old, new in plan.updates] == [(7, PAID), (8, COMMITTED), (9, COMMITTED)]
    assert plan.summary() == "Inga nya utgifter, 2 planerade rader blir åtagna, 1 åtagen rad blir betald"


def test_a_row_never_takes_a_line_back(tmp_path):
    lines = [stored(1000, status=COMMITTED, id=7)]
    plan = rows_of(tmp_path, row(verifikation="V1", status="planerad"), expenses=lines)
    assert plan.updates == [] and plan.add_rows == [2]
    plan = rows_of(tmp_path, row(verifikation="V1", status="åtagen"), expenses=lines)
    assert [(old.id, new.status) for old, new in plan.updates] == [(7, COMMITTED)]
    assert plan.summary() == "Inga nya utgifter, 1 åtagen rad får verifikation"


def test_a_planned_row_gives_a_planned_line_its_voucher(tmp_path):
    lines = [stored(1000, id=7), stored(1000, id=8, day=date(2026, 3, 3))]
    plan = rows_of(tmp_path, row(verifikation="V1", status="planerad"), row(verifikation="V2", status="planerad"),
                   expenses=lines)  # fmt: skip
    assert [(old.id, new.status, new.voucher) for old, new in plan.updates] == [(7, PLANNED, "V1"), (8, PLANNED, "V2")]
    assert plan.summary() == "Inga nya utgifter, 2 planerade rader får verifikation"


def test_the_summary_puts_every_change_in_the_order_of_the_statuses(tmp_path):
    lines = [stored(1, status=COMMITTED, id=1), stored(2, status=COMMITTED, id=2), stored(3, id=3), stored(4, id=4),
             stored(5, id=5), stored(6, status=COMMITTED, id=6)]  # fmt: skip
    plan = rows_of(
        tmp_path,
        row(verifikation="V1", belopp="1"), row(verifikation="V2", belopp="2"), row(verifikation="V3", belopp="3"),
        row(verifikation="V4", belopp="4", status="atagen"), row(verifikation="V5", belopp="5", status="planerad"),
        row(verifikation="V6", belopp="6", status="atagen"), row(verifikation="V7", belopp="7"), row(belopp="8"),
        expenses=lines,
    )  # fmt: skip
    assert plan.ok, messages(plan)
    assert plan.summary() == (
        "2 nya utgifter, 1 planerad rad får verifikation, 1 planerad rad blir åtagen, 1 planerad rad blir betald, "
        "1 åtagen rad får verifikation, 2 åtagna rader blir betalda"
    )


def test_the_nearest_line_in_date_wins_and_each_is_matched_once(tmp_path):
    lines = [stored(1000, id=7, day=date(2026, 3, 1)), stored(1000, id=8, day=date(2026, 6, 1)),
             stored(1000, id=9, day=date(2026, 5, 1))]  # fmt: skip
    plan = rows_of(tmp_path, row(verifikation="V1", datum="2026-05-20"), row(verifikation="V2", datum="2026-05-20"),
                   row(verifikation="V3", datum="2026-05-20"), row(verifikation="V4", datum="2026-05-20"),
                   expenses=lines)  # fmt: skip
    assert plan.ok, messages(plan)
    assert [old.id for old, _ in plan.updates] == [8, 9, 7]
    assert plan.add_rows == [5]
    assert plan.summary() == "1 ny utgift, 3 planerade rader blir betalda"


def test_of_two_lines_as_near_the_earlier_is_matched(tmp_path):
    lines = [stored(1000, id=8, day=date(2026, 3, 12)), stored(1000, id=7, day=date(2026, 3, 8))]
    plan = rows_of(tmp_path, row(verifikation="V1", datum="2026-03-10"), expenses=lines)
    assert [old.id for old, _ in plan.updates] == [7]


def test_a_row_naming_a_training_matches_only_a_line_of_its_occasions(tmp_path):
    lines = [stored(1000, id=7, occasion_id=110), stored(1000, id=8, occasion_id=None, day=date(2026, 3, 3)),
             stored(1000, id=9, occasion_id=101, day=date(2026, 8, 1)), stored(1000, id=6, occasion_id=102, day=date(2026, 9, 1))]  # fmt: skip
    plan = rows_of(tmp_path, row(verifikation="V1", utbildning="BBIC"), row(verifikation="V2", utbildning="BBIC"),
                   row(verifikation="V3", utbildning="BBIC"), expenses=lines)  # fmt: skip
    assert plan.ok, messages(plan)
    # lines of BBIC's occasions (a cancelled one's too), nearest first; the third row adds one,
    # linked to BBIC's nearest occasion; the lines of MI and of no occasion are not BBIC's
    assert [old.id for old, _ in plan.updates] == [9, 6]
    assert [(e.occasion_id, e.voucher) for e in plan.adds] == [(100, "V3")]
    plan = rows_of(tmp_path, row(verifikation="V1"), expenses=lines)  # no training: any line
    assert [old.id for old, _ in plan.updates] == [7]


# --- the budget's rules, row by row -----------------------------------------------------------------


def test_a_cost_type_the_source_does_not_pay_for_is_refused(tmp_path):
    plan = rows_of(tmp_path, row(kostnadstyp="administration"), row(kostnadstyp="administration", finansiering="Egna medel"))
    assert messages(plan) == ['Rad 2, kolumn "kostnadstyp": Kompetensmedel betalar inte administration.']
    assert plan.add_rows == [3]


def capped(action: str, room_used: int = 0) -> FundingSource:
    return FundingSource("Kompetensmedel", GRANT, 2026, paid_out=100_000, caps=(Cap("Kringkostnader", 0.5, CAPPED, action),), id=1)


def test_a_stop_cap_takes_an_expense_up_to_its_limit_and_refuses_one_krona_more(tmp_path):
    used = [stored(40_000, "resor", status=PAID, id=7)]
    plan = rows_of(tmp_path, row(belopp="10 000", kostnadstyp="vikarier"), sources=[capped(STOP)], expenses=used)
    assert plan.ok and plan.warnings == [], messages(plan)
    plan = rows_of(tmp_path, row(belopp="10 001", kostnadstyp="vikarier"), sources=[capped(STOP)], expenses=used)
    assert messages(plan) == [
        kr('Rad 2, kolumn "belopp": Taket Kringkostnader (50 000 kr) skulle överskridas: 10 000 kr finns kvar '
           "under det, inte 10 001 kr.")
    ]
    assert plan.adds == []


def test_a_warn_cap_takes_an_expense_up_to_its_limit_quietly_and_warns_one_krona_more(tmp_path):
    used = [stored(40_000, "resor", status=COMMITTED, id=7)]
    plan = rows_of(tmp_path, row(belopp="10 000", kostnadstyp="vikarier"), sources=[capped(WARN)], expenses=used)
    assert plan.ok and plan.warnings == []
    plan = rows_of(tmp_path, row(belopp="10 001", kostnadstyp="vikarier"), sources=[capped(WARN)], expenses=used)
    assert plan.ok and plan.add_rows == [2]
    assert warnings(plan) == [kr('Rad 2, kolumn "belopp": Taket Kringkostnader (50 000 kr) överskrids med 1 kr.')]


def test_the_rows_count_for_the_rows_after_them(tmp_path):
    plan = rows_of(tmp_path, row(belopp="30 000", kostnadstyp="resor"), row(belopp="20 000", kostnadstyp="vikarier"),
                   row(belopp="1", kostnadstyp="kurslitteratur"), sources=[capped(STOP)])  # fmt: skip
    assert messages(plan) == [
        kr('Rad 4, kolumn "belopp": Taket Kringkostnader (50 000 kr) skulle överskridas: 0 kr finns kvar under det, '
           "inte 1 kr.")
    ]
    assert plan.add_rows == [2, 3]


def test_the_stored_expenses_and_the_rows_add_up_in_one_cost_type(tmp_path):
    used = [stored(10_000, "resor", status=PAID, id=7), stored(5_000, "resor", status=PAID, id=8)]
    plan = rows_of(tmp_path, row(belopp="25 000", kostnadstyp="resor"), row(belopp="10 000", kostnadstyp="resor"),
                   sources=[capped(STOP)], expenses=used)  # fmt: skip
    assert plan.ok, messages(plan)
    plan = rows_of(tmp_path, row(belopp="25 000", kostnadstyp="resor"), row(belopp="10 001", kostnadstyp="resor"),
                   sources=[capped(STOP)], expenses=used)  # fmt: skip
    assert messages(plan) == [
        kr('Rad 3, kolumn "belopp": Taket Kringkostnader (50 000 kr) skulle överskridas: 10 000 kr finns kvar '
           "under det, inte 10 001 kr.")
    ]


def test_a_refused_row_does_not_count_for_the_rows_after_it(tmp_path):
    plan = rows_of(tmp_path, row(belopp="50 001", kostnadstyp="resor"), row(belopp="50 000", kostnadstyp="vikarier"),
                   sources=[capped(STOP)])  # fmt: skip
    assert [e.row for e in plan.errors] == [2]
    assert plan.add_rows == [3]


def test_planned_rows_and_uncapped_cost_types_use_no_room(tmp_path):
    plan = rows_of(tmp_path, row(belopp="60 000", kostnadstyp="resor", status="planerad"),
                   row(belopp="70 000", kostnadstyp="utbildningsplatser"), row(belopp="50 000", kostnadstyp="resor"),
                   sources=[capped(STOP)])  # fmt: skip
    assert plan.ok, messages(plan)


def test_a_matched_line_is_counted_once_as_what_it_becomes(tmp_path):
    # 40 000 kr committed: paying it (the same line) leaves 10 000 kr of room, not −30 000.
    line = stored(40_000, "resor", status=COMMITTED, id=7)
    plan = rows_of(tmp_path, row(belopp="40 000", kostnadstyp="resor", verifikation="V1"),
                   row(belopp="10 000", kostnadstyp="vikarier"), sources=[capped(STOP)], expenses=[line])  # fmt: skip
    assert plan.ok, messages(plan)
    assert plan.update_rows == [2] and plan.add_rows == [3]
    plan = rows_of(tmp_path, row(belopp="40 000", kostnadstyp="resor", verifikation="V1"),
                   row(belopp="10 001", kostnadstyp="vikarier"), sources=[capped(STOP)], expenses=[line])  # fmt: skip
    assert messages(plan) == [
        kr('Rad 3, kolumn "belopp": Taket Kringkostnader (50 000 kr) skulle överskridas: 10 000 kr finns kvar '
           "under det, inte 10 001 kr.")
    ]


def test_a_planned_line_paid_starts_to_use_room(tmp_path):
    # A planned line uses no room until the row pays it: then 50 001 kr is past the cap.
    line = stored(50_001, "resor", id=7)
    assert rows_of(tmp_path, row(belopp="1", kostnadstyp="resor"), sources=[capped(STOP)], expenses=[line]).ok
    plan = rows_of(tmp_path, row(belopp="50 001", kostnadstyp="resor", verifikation="V1"), sources=[capped(STOP)],
                   expenses=[line])  # fmt: skip
    assert messages(plan) == [
        kr('Rad 2, kolumn "belopp": Taket Kringkostnader (50 000 kr) skulle överskridas: 50 000 kr finns kvar '
           "under det, inte 50 001 kr.")
    ]


def test_only_the_sources_own_expenses_use_its_room(tmp_path):
    other = stored(50_000, "resor", status=PAID, source_id=2, id=7)
    plan = rows_of(tmp_path, row(belopp="50 000", kostnadstyp="resor"), sources=[capped(STOP), OWN], expenses=[other])
    assert plan.ok, messages(plan)


@pytest.mark.parametrize("day", ["2026-01-01", "2026-12-31"])
def test_the_periods_first_and_last_day_are_in_it(tmp_path, day):
    plan = rows_of(tmp_path, row(datum=day))
    assert plan.ok and plan.warnings == []


@pytest.mark.parametrize("day", ["2025-12-31", "2027-01-01"])
def test_a_day_outside_the_period_is_a_warning(tmp_path, day):
    plan = rows_of(tmp_path, row(datum=day, status="planerad"))
    assert plan.ok and plan.add_rows == [2]
    assert warnings(plan) == [
        f'Rad 2, kolumn "datum": {day} är utanför perioden då Kompetensmedel ska användas (2026-01-01–2026-12-31).'
    ]
    assert plan.summary() == "1 ny utgift, 1 varning"


def test_a_day_outside_the_period_and_a_cap_passed_are_said_each_in_its_column(tmp_path):
    source = FundingSource("Kompetensmedel", GRANT, 2026, paid_out=100_000, use_until=date(2026, 12, 31),
                           caps=(Cap("Kringkostnader", 0.5, CAPPED, WARN),), id=1)  # fmt: skip
    plan = rows_of(tmp_path, row(datum="2027-01-01", belopp="50 001", kostnadstyp="resor"),
                   row(datum="2026-12-31", belopp="1", kostnadstyp="resor"), sources=[source])  # fmt: skip
    assert plan.ok
    assert warnings(plan) == [
        'Rad 2, kolumn "datum": 2027-01-01 är utanför perioden då Kompetensmedel ska användas (…–2026-12-31).',
        kr('Rad 2, kolumn "belopp": Taket Kringkostnader (50 000 kr) överskrids med 1 kr.'),
        kr('Rad 3, kolumn "belopp": Taket Kringkostnader (50 000 kr) överskrids med 1 kr.'),
    ]
    assert plan.summary() == "2 nya utgifter, 3 varningar"


def test_warnings_are_not_shown_with_errors(tmp_path):
    plan = rows_of(tmp_path, row(datum="2027-01-01"), row(belopp="x"))
    assert [e.row for e in plan.errors] == [3] and plan.warnings == []


# --- the file as a whole ----------------------------------------------------------------------------


def test_a_missing_required_column_is_said_and_no_row_is_read(tmp_path):
    plan = plan_of(tmp_path, "datum;anteckning", "x;y")
    assert messages(plan) == [
        'Rad 1, kolumn "belopp": Kolumnen "belopp" saknas i rubrikraden.',
        'Rad 1, kolumn "kostnadstyp": Kolumnen "kostnadstyp" saknas i rubrikraden.',
        'Rad 1, kolumn "finansiering": Kolumnen "finansiering" saknas i rubrikraden.',
    ]
    assert plan.columns == ["datum", "anteckning"]


@pytest.mark.parametrize("missing", ["datum", "belopp", "kostnadstyp", "finansiering"])
def test_each_required_column_is_required(tmp_path, missing):
    header = [c for c in COLUMNS if c != missing]
    cells = dict(zip(COLUMNS, row().split(";")))
    plan = plan_of(tmp_path, ";".join(header), ";".join(cells[c] for c in header))
    assert messages(plan) == [f'Rad 1, kolumn "{missing}": Kolumnen "{missing}" saknas i rubrikraden.']
    assert plan.adds == []


def test_an_unknown_column_is_refused_and_the_rows_still_checked(tmp_path):
    plan = plan_of(tmp_path, HEADER + ";konto", row(belopp="x") + ";4010")
    assert messages(plan) == [
        'Rad 1, kolumn "konto": Okänd kolumn. Rätta eller ta bort den.',
        f"Rad 1: Giltiga kolumner: {', '.join(COLUMNS)}.",
        'Rad 2, kolumn "belopp": "x" är inget belopp. Skriv hela kronor, t.ex. 12 345 eller 12345.',
    ]


def test_a_duplicated_heading_is_refused(tmp_path):
    plan = plan_of(tmp_path, HEADER + ";Summa", row() + ";5")
    assert messages(plan) == [
        'Rad 1, kolumn "belopp": Kolumnen finns två gånger: "belopp" och "Summa" (kolumn B och J).'
    ]


def test_values_under_no_heading_are_refused(tmp_path):
    plan = plan_of(tmp_path, HEADER, row(), row() + ";extra")
    assert messages(plan) == ['Rad 3, kolumn "J": Kolumnen saknar rubrik men har värden. Ge den en rubrik eller ta bort värdena.']


def test_errors_come_in_the_files_row_order(tmp_path):
    plan = plan_of(tmp_path, "datum;belopp;;kostnadstyp;finansiering", "2026-01-01;x;;resor;Y", "2026-01-01;1;z;resor;Egna medel")
    assert [(e.row, e.column) for e in plan.errors] == [(2, "belopp"), (3, "C")]


def test_an_empty_file_and_a_header_only_file_are_refused_naming_the_file(tmp_path):
    with pytest.raises(ImportFileError) as caught:
        plan_of(tmp_path, "")
    assert str(caught.value) == 'Filen "utgifter.csv" är tom.'
    with pytest.raises(ImportFileError) as caught:
        plan_of(tmp_path, HEADER, ";;;", "")
    assert str(caught.value) == (
        'Filen "utgifter.csv" har inga utgifter: bara en rubrikrad. Lägg till en rad för varje utgift.'
    )
    with pytest.raises(ImportFileError) as caught:
        ei.plan_expense_table(Table("u.xlsx", COLUMNS, [Row(2, ("", " "))]), SOURCES, [], [], [])
    assert str(caught.value) == 'Filen "u.xlsx" har inga utgifter: bara en rubrikrad. Lägg till en rad för varje utgift.'


def test_a_file_without_a_heading_row_is_refused(tmp_path):
    with pytest.raises(ImportFileError) as caught:
        plan_of(tmp_path, row(), row())
    assert str(caught.value).startswith('Filen "utgifter.csv" saknar rubrikrad: ingen kolumn på rad 1')


def test_a_file_in_an_unknown_encoding_is_refused_naming_it(tmp_path):
    path = tmp_path / "utgifter.csv"
    path.write_bytes((HEADER + "\n").encode() + "2026-01-01;1;resor;Egna medel;;;;;ålder\n".encode("utf-16-le"))
    with pytest.raises(ImportFileError) as caught:
        ei.plan_expense_import(path, SOURCES, [], [], [])
    assert str(caught.value).startswith('Filen "utgifter.csv" kunde inte läsas')


def test_windows_1252_is_read_as_excel_saved_it(tmp_path):
    path = write(tmp_path, HEADER, row(kostnadstyp="Stöd och handledning", anteckning="Handledning för nya"), encoding="cp1252")
    plan = ei.plan_expense_import(path, SOURCES, [], [], [])
    assert plan.ok, messages(plan)
    assert (plan.adds[0].cost_type, plan.adds[0].note) == ("stod_handledning", "Handledning för nya")


def test_too_many_rows_is_refused_whole(tmp_path, monkeypatch):
    from bouv_tui.exchange import tables

    monkeypatch.setattr(tables, "MAX_ROWS", 3)
    with pytest.raises(ImportFileError) as caught:
        rows_of(tmp_path, row(), row(), row(), row())
    assert str(caught.value) == (
        'Filen "utgifter.csv" har fler än 3 rader med data, vilket är för många. Dela upp den i mindre filer.'
    )
    assert len(rows_of(tmp_path, row(), row(), row()).adds) == 3


def test_a_table_of_exactly_the_most_rows_is_planned_one_more_is_refused(monkeypatch):
    from bouv_tui.exchange import tables

    monkeypatch.setattr(ei, "MAX_ROWS", 3)  # the check of a table not read from a file
    monkeypatch.setattr(tables, "MAX_ROWS", 3)  # the message's figure
    rows = [Row(n, tuple(row(belopp=str(n)).split(";"))) for n in range(2, 6)]
    plan = ei.plan_expense_table(Table("u.csv", COLUMNS, rows[:3]), SOURCES, [], [], [])
    assert plan.ok and plan.add_rows == [2, 3, 4]
    with pytest.raises(ImportFileError) as caught:
        ei.plan_expense_table(Table("u.csv", COLUMNS, rows), SOURCES, [], [], [])
    assert str(caught.value) == 'Filen "u.csv" har fler än 3 rader med data, vilket är för många. Dela upp den i mindre filer.'


def test_an_old_excel_file_is_refused(tmp_path):
    path = tmp_path / "utgifter.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(ImportFileError) as caught:
        ei.plan_expense_import(path, SOURCES, [], [], [])
    assert str(caught.value).startswith('Filen "utgifter.xls" är i det gamla Excel-formatet (.xls)')


# --- XLSX -------------------------------------------------------------------------------------------------


def test_an_xlsx_file_with_numbers_and_dates_as_excel_saves_them(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Bokföringsdatum", "Belopp", "Kostnadstyp", "Finansiering", "År", "Verifikationsnummer", "Text"])
    sheet.append([datetime(2026, 3, 2), 12345, "Resor", "Kompetensmedel", 2026, 4711, "Tåg"])
    sheet.append([None] * 7)
    sheet.append([date(2026, 3, 3), 12345.0, "vikarier", "Egna medel", None, "A-1", None])
    sheet.append([date(2026, 3, 4), 99.5, "vikarier", "Egna medel", None, None, None])
    sheet.append([date(2026, 3, 5), -10, "vikarier", "Egna medel", None, None, None])
    path = tmp_path / "utgifter.xlsx"
    workbook.save(path)
    plan = ei.plan_expense_import(path, SOURCES, [], [], [])
    assert messages(plan) == [
        'Rad 5, kolumn "belopp": "99.5" har ören. Ange hela kronor (avrunda beloppet).',
        'Rad 6, kolumn "belopp": "-10" är negativt. Ett belopp ska vara 0 eller mer.',
    ]
    assert plan.adds == [
        Expense(date(2026, 3, 2), 12345, "resor", 1, PAID, None, "4711", "Tåg"),
        Expense(date(2026, 3, 3), 12345, "vikarier", 2, PAID, None, "A-1", ""),
    ]
    assert plan.add_rows == [2, 4]


def test_an_xlsx_formula_without_a_value_is_refused(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["datum", "belopp", "kostnadstyp", "finansiering"])
    sheet.append(["2026-03-02", "=100*2", "resor", "Egna medel"])
    path = tmp_path / "utgifter.xlsx"
    workbook.save(path)
    plan = ei.plan_expense_import(path, SOURCES, [], [], [])
    assert messages(plan) == [
        'Rad 2, kolumn "belopp": Cellen innehåller en formel som aldrig har räknats ut (filen är inte sparad i '
        "Excel efter att formeln skrevs). Öppna filen i Excel och spara den, eller skriv in värdet."
    ]


def test_an_empty_sheet_is_refused(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "utgifter.xlsx"
    Workbook().save(path)
    with pytest.raises(ImportFileError) as caught:
        ei.plan_expense_import(path, SOURCES, [], [], [])
    assert str(caught.value) == 'Filen "utgifter.xlsx" är tom.'


# --- hostile files (hypothesis) ------------------------------------------------------------------------

HYPOTHESIS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_scratch = Path(tempfile.mkdtemp(prefix="bouv-expense-import-"))
STORED = [stored(1000, id=7), stored(500, "resor", status=PAID, voucher="V1", id=8)]


def read_and_plan(path: Path):
    """Either a plan or ImportFileError naming the file, never anything else; its errors name
    row and column, everything it would store follows the rules, and the file reads as the
    same rows as a clean CSV file with the same cells (which gives the same plan)."""
    try:
        table = ei.read_expense_table(path)
        plan = ei.plan_expense_table(table, SOURCES, STORED, TRAININGS, OCCASIONS)
    except ImportFileError as error:
        hostile_checks.file_error_names_the_file(error, path)
        return None
    hostile_checks.errors_name_row_and_column(plan.errors, table, ei.EXPENSE_COLUMNS)
    hostile_checks.errors_name_row_and_column(plan.warnings, table, ei.EXPENSE_COLUMNS)
    for expense in [*plan.adds, *(new for _, new in plan.updates)]:
        assert 0 <= expense.amount <= 100_000_000
        assert expense.cost_type in catalog.COST_TYPES
        assert expense.source_id in (1, 2)
        assert not expense.note.startswith(("=", "+", "@")) or len(expense.note) < 2
    assert len(plan.adds) + len(plan.updates) + plan.skipped <= len(table.rows)
    clean = hostile_checks.read_as_clean(table, path.with_name("ren.csv"), ei.read_expense_table)
    if clean is not None:
        hostile_checks.same_rows(table, clean)
        assert ei.plan_expense_table(clean, SOURCES, STORED, TRAININGS, OCCASIONS) == plan
    return plan


@HYPOTHESIS
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_random_bytes(data, suffix):
    path = _scratch / f"slump{suffix}"
    path.write_bytes(data)
    read_and_plan(path)


HOSTILE_VALUES = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        ["", "2026-03-02", "2025-12-31", "1/3/2026", "2026-13-01", "0", "-1", "1 000", "1000,50", "12.5", "50 001",
         "resor", "Stöd och handledning", "administration", "Kompetensmedel", "egna medel", "Okänd", "2026", "2025",
         "BBIC", "MI-utbildning", "betald", "åtagen", "planerad", "V1", "v1", "V2", "=1+1", "@SUM(A1)", "'=x",
         "#REF!", "\u00a0"]
    ),
    st.builds(lambda n: "x" * n, st.integers(990, 1010)),
)  # fmt: skip


@HYPOTHESIS
@given(
    headers=st.lists(st.sampled_from(ei.EXPENSE_COLUMNS), unique=True, min_size=1),
    rows=st.lists(st.lists(HOSTILE_VALUES, max_size=10), max_size=8),
    delimiter=st.sampled_from([";", ","]),
)
def test_random_header_subsets_and_hostile_cells_through_csv(headers, rows, delimiter):
    path = _scratch / "delmängd.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(headers)
        writer.writerows(rows)
    read_and_plan(path)


def test_a_hostile_row_and_a_good_one_with_every_check_on_both():
    path = _scratch / "blandat.csv"
    path.write_text("\n".join([HEADER, row(belopp="1000,50", anteckning="=X()"), row(verifikation="V9")]) + "\n")
    plan = read_and_plan(path)
    assert [e.row for e in plan.errors] == [2, 2] and plan.update_rows == [3]  # it pays the planned line

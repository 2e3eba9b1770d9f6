"""The budget's forms as typed (``domain/budget_input.py``): each field checked into what is
stored, every limit on both sides, and every message in Swedish beside its field."""

from __future__ import annotations

from datetime import date

import pytest

from bouv_tui.domain import budget as b
from bouv_tui.domain.budget import BudgetSettings, Expense, FundingSource
from bouv_tui.domain.budget_input import (
    MAX_DAILY_RATE,
    MAX_NOTE,
    MAX_PAYMENT_DAYS,
    MAX_VOUCHER,
    MAX_WARN_MONTHS,
    ExpenseInput,
    HypotheticalInput,
    check_expense_input,
    check_hypothetical_input,
    check_settings_input,
    parse_daily_rate,
    parse_payment_days,
    parse_warn_months,
)
from bouv_tui.domain.validation import InvalidValue

SOURCES = [FundingSource("Bidraget", b.GRANT, 2026, id=7), FundingSource("Egna", b.OWN_FUNDS, 2026, id=8)]
GOOD = ExpenseInput("2026-03-01", "12 345 kr", "resor", 7, b.PAID, " V-1 ", " Tåg till Umeå ")


def test_a_correct_form_is_the_expense_it_describes():
    expense, errors = check_expense_input(GOOD, SOURCES)
    assert errors == {}
    assert expense == Expense(date(2026, 3, 1), 12_345, "resor", 7, b.PAID, voucher="V-1", note="Tåg till Umeå")


def test_an_edited_expense_keeps_its_id_version_and_occasion():
    stored = Expense(date(2026, 1, 1), 5, "vikarier", 8, b.PLANNED, occasion_id=3, voucher="V9", note="Vik",
                     origin=b.COVER, id=11, version=4)  # fmt: skip
    assert ExpenseInput.from_expense(stored) == ExpenseInput("2026-01-01", "5", "vikarier", 8, b.PLANNED, "V9", "Vik")
    expense, _ = check_expense_input(GOOD, SOURCES, original=stored)
    assert (expense.id, expense.version, expense.occasion_id, expense.origin) == (11, 4, 3, b.COVER)
    assert (expense.amount, expense.source_id) == (12_345, 7)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("day", "", "Ange datum (ÅÅÅÅ-MM-DD)."),
    ("day", "  ", "Ange datum (ÅÅÅÅ-MM-DD)."),
    ("amount", "", "Ange beloppet i hela kronor."),
    ("amount", "12,50", '"12,50" har ören. Ange hela kronor (avrunda beloppet).'),
    ("amount", "-1", '"-1" är negativt. Ett belopp ska vara 0 eller mer.'),
    ("cost_type", None, "Välj kostnadstyp i listan."),
    ("cost_type", "mat", "Välj kostnadstyp i listan."),
    ("source_id", None, "Välj finansiering i listan."),
    ("source_id", 9, "Välj finansiering i listan."),
    ("status", None, "Välj status i listan."),
    ("status", "bokad", "Välj status i listan."),
    ("voucher", "x" * (MAX_VOUCHER + 1), f"Verifikationen får vara högst {MAX_VOUCHER} tecken ({MAX_VOUCHER + 1} nu)."),
    ("note", "x" * (MAX_NOTE + 1), f"Anteckningen får vara högst {MAX_NOTE} tecken ({MAX_NOTE + 1} nu)."),
    ("note", "rad\x07", '"rad" innehåller otillåtna kontrolltecken.'),
])  # fmt: skip
def test_each_wrong_field_is_said_beside_it_and_nothing_is_made(field, value, message):
    from dataclasses import replace

    expense, errors = check_expense_input(replace(GOOD, **{field: value}), SOURCES)
    assert expense is None
    assert errors == {field: message}


def test_a_wrong_date_says_what_the_date_reader_says():
    _, errors = check_expense_input(ExpenseInput("2026-02-30", "1", "resor", 7, b.PAID), SOURCES)
    assert set(errors) == {"day"} and "2026-02-30" in errors["day"]


def test_the_text_limits_hold_at_their_length():
    expense, errors = check_expense_input(
        ExpenseInput("2026-03-01", "0", "resor", 7, b.PLANNED, "v" * MAX_VOUCHER, "n" * MAX_NOTE), SOURCES
    )
    assert errors == {} and expense.amount == 0
    assert (len(expense.voucher), len(expense.note)) == (MAX_VOUCHER, MAX_NOTE)


def test_several_wrong_fields_are_all_said():
    _, errors = check_expense_input(ExpenseInput(), SOURCES)
    assert set(errors) == {"day", "amount", "cost_type", "source_id"}


@pytest.mark.parametrize(("parse", "high", "what"), [
    (parse_payment_days, MAX_PAYMENT_DAYS, "Betalningstiden"),
    (parse_warn_months, MAX_WARN_MONTHS, "Varningen"),
])  # fmt: skip
def test_the_settings_whole_numbers_on_both_sides_of_their_limits(parse, high, what):
    assert parse("0") == 0
    assert parse(f" {high} ") == high
    with pytest.raises(InvalidValue) as caught:
        parse(str(high + 1))
    assert str(caught.value) == f"{what}: högst {high}, inte {high + 1}."
    for wrong in ("", "-1", "1,5", "tre", "٣"):
        with pytest.raises(InvalidValue) as caught:
            parse(wrong)
        assert str(caught.value) == f"{what}: skriv ett heltal från 0 till {high}."


def test_the_daily_rate_on_both_sides_of_its_limit():
    assert parse_daily_rate("2 500 kr") == 2_500
    assert parse_daily_rate(str(MAX_DAILY_RATE)) == MAX_DAILY_RATE
    with pytest.raises(InvalidValue) as caught:
        parse_daily_rate(str(MAX_DAILY_RATE + 1))
    assert str(caught.value) == "En vikariedag får kosta högst 100\u00a0000 kr."
    with pytest.raises(InvalidValue):
        parse_daily_rate("12,50")


def test_the_settings_form():
    assert check_settings_input("1 800", "45", "3") == (BudgetSettings(1_800, 45, 3), {})
    settings, errors = check_settings_input("x", "400", "25")
    assert settings is None
    assert errors == {
        "cover_daily_rate": '"x" är inget belopp. Skriv hela kronor, t.ex. 12 345 eller 12345.',
        "payment_days": f"Betalningstiden: högst {MAX_PAYMENT_DAYS}, inte 400.",
        "warn_months": f"Varningen: högst {MAX_WARN_MONTHS}, inte 25.",
    }


def test_a_hypothetical_training():
    line, errors = check_hypothetical_input(
        HypotheticalInput(" Extra BBIC ", "2026-09-01", "40 000", "utbildningsplatser", 7), SOURCES
    )
    assert errors == {}
    assert line == ("Extra BBIC", date(2026, 9, 1), 40_000, "utbildningsplatser", 7)


def test_a_hypothetical_training_needs_a_name_and_the_expense_fields():
    line, errors = check_hypothetical_input(HypotheticalInput("  ", "", "öre", None, None), SOURCES)
    assert line is None
    assert errors == {
        "name": "Ge utbildningen ett namn.",
        "day": "Ange datum (ÅÅÅÅ-MM-DD).",
        "amount": '"öre" är inget belopp. Skriv hela kronor, t.ex. 12 345 eller 12345.',
        "cost_type": "Välj kostnadstyp i listan.",
        "source_id": "Välj finansiering i listan.",
    }
    _, errors = check_hypothetical_input(HypotheticalInput("a\u200b", "2026-09-01", "1", "resor", 7), SOURCES)
    assert list(errors) == ["name"] and "osynligt" in errors["name"]
    _, errors = check_hypothetical_input(HypotheticalInput("n" * 121, "2026-09-01", "1", "resor", 7), SOURCES)
    assert errors == {"name": "Namnet får vara högst 120 tecken (121 nu)."}
    _, errors = check_hypothetical_input(HypotheticalInput("n" * 120, "2026-09-01", "1", "resor", 7), SOURCES)
    assert errors == {}

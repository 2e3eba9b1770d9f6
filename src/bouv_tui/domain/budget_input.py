"""The budget's forms as the chef types them: an expense, the budget's settings and a
hypothetical training of a what-if, each checked field by field into what is stored, with
every message in Swedish beside its field. Nothing here reads a file or the database."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from bouv_tui.domain import budget as rules
from bouv_tui.domain import catalog
from bouv_tui.domain.budget import BudgetSettings, Expense, FundingSource
from bouv_tui.domain.validation import InvalidValue, parse_iso_date, parse_kronor, text_problem

MAX_VOUCHER = 40
MAX_NOTE = 200
#: The settings' limits: a day of cover, an invoice's days to be paid, the warning's months.
MAX_DAILY_RATE = 100_000
MAX_PAYMENT_DAYS = 365
MAX_WARN_MONTHS = 24


@dataclass(frozen=True)
class ExpenseInput:
    """An expense's fields as typed (texts) and chosen (codes and ids)."""

    day: str = ""
    amount: str = ""
    cost_type: str | None = None
    source_id: int | None = None
    status: str | None = rules.PAID
    voucher: str = ""
    note: str = ""

    @classmethod
    def from_expense(cls, e: Expense) -> ExpenseInput:
        return cls(e.day.isoformat(), str(e.amount), e.cost_type, e.source_id, e.status, e.voucher, e.note)


def _text(value: str, what: str, limit: int, errors: dict[str, str], key: str) -> str:
    value = value.strip()
    problem = text_problem(value)
    if problem:
        errors[key] = problem
    elif len(value) > limit:
        errors[key] = f"{what} får vara högst {limit} tecken ({len(value)} nu)."
    return value


def check_expense_input(data: ExpenseInput, sources: Sequence[FundingSource], *,
                        original: Expense | None = None) -> tuple[Expense | None, dict[str, str]]:  # fmt: skip
    """The expense the form describes, or the fields that are wrong with why. The source's
    rules (a cost type it does not pay, a ``stoppa`` cap) are ``budget.check_expense``'s,
    run by the caller on the expenses as they are, so that its warnings show as it is typed."""
    errors: dict[str, str] = {}
    day = amount = None  # pragma: no mutate (read only when both were parsed: there is no error then)
    if not data.day.strip():
        errors["day"] = "Ange datum (ÅÅÅÅ-MM-DD)."
    else:
        try:
            day = parse_iso_date(data.day)
        except InvalidValue as exc:
            errors["day"] = str(exc)
    if not data.amount.strip():
        errors["amount"] = "Ange beloppet i hela kronor."
    else:
        try:
            amount = parse_kronor(data.amount)
        except InvalidValue as exc:
            errors["amount"] = str(exc)
    if data.cost_type not in catalog.COST_TYPES:
        errors["cost_type"] = "Välj kostnadstyp i listan."
    if not any(s.id == data.source_id for s in sources):
        errors["source_id"] = "Välj finansiering i listan."
    if data.status not in rules.EXPENSE_STATUSES:
        errors["status"] = "Välj status i listan."
    voucher = _text(data.voucher, "Verifikationen", MAX_VOUCHER, errors, "voucher")
    note = _text(data.note, "Anteckningen", MAX_NOTE, errors, "note")
    if errors:
        return None, errors
    expense = Expense(day, amount, data.cost_type, data.source_id, data.status, voucher=voucher, note=note)
    if original is not None:
        expense = replace(expense, occasion_id=original.occasion_id, origin=original.origin, id=original.id,
                          version=original.version)  # fmt: skip
    return expense, {}


def _whole(value: str, what: str, high: int) -> int:
    text = value.strip()
    if not text.isdigit() or not text.isascii():
        raise InvalidValue(f"{what}: skriv ett heltal från 0 till {high}.")
    number = int(text)
    if number > high:
        raise InvalidValue(f"{what}: högst {high}, inte {number}.")
    return number


def parse_payment_days(value: str) -> int:
    return _whole(value, "Betalningstiden", MAX_PAYMENT_DAYS)


def parse_warn_months(value: str) -> int:
    return _whole(value, "Varningen", MAX_WARN_MONTHS)


def parse_daily_rate(value: str) -> int:
    amount = parse_kronor(value)
    if amount > MAX_DAILY_RATE:
        raise InvalidValue(f"En vikariedag får kosta högst {MAX_DAILY_RATE:,} kr.".replace(",", "\u00a0"))
    return amount


def check_settings_input(rate: str, days: str, months: str) -> tuple[BudgetSettings | None, dict[str, str]]:
    """The budget settings form's values, or the fields that are wrong with why."""
    errors: dict[str, str] = {}
    values = {}
    for key, parse, text in (("cover_daily_rate", parse_daily_rate, rate), ("payment_days", parse_payment_days, days),
                             ("warn_months", parse_warn_months, months)):  # fmt: skip
        try:
            values[key] = parse(text)
        except InvalidValue as exc:
            errors[key] = str(exc)
    if errors:
        return None, errors
    return BudgetSettings(**values), {}


@dataclass(frozen=True)
class HypotheticalInput:
    """A training that is not in the plan, tried in a what-if: a name, a day, what it costs."""

    name: str = ""
    day: str = ""
    amount: str = ""
    cost_type: str | None = "utbildningsplatser"
    source_id: int | None = None


def check_hypothetical_input(data: HypotheticalInput, sources: Sequence[FundingSource]
                             ) -> tuple[tuple[str, date, int, str, int] | None, dict[str, str]]:  # fmt: skip
    """(name, day, amount, cost type, source id) of a hypothetical training, or the errors."""
    errors: dict[str, str] = {}
    name = _text(data.name, "Namnet", 120, errors, "name")
    if not name:  # an empty name has no other fault (a control or invisible character is not stripped)
        errors["name"] = "Ge utbildningen ett namn."
    expense, more = check_expense_input(ExpenseInput(data.day, data.amount, data.cost_type, data.source_id), sources)
    errors.update(more)
    if errors:
        return None, errors
    return (name, expense.day, expense.amount, expense.cost_type, expense.source_id), {}

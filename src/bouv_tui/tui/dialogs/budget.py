"""The budget's dialogs (F9): an expense's form, with the source's rules said as it is typed
(a warning where the expense is entered, not at the year's end), the budget's settings, a
hypothetical training for a what-if, a scenario's name and the saved scenarios to open.
Each returns what was checked; nothing is stored here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, OptionList, Select, Static

from bouv_tui.domain import budget as rules
from bouv_tui.domain import catalog
from bouv_tui.domain.budget import BudgetSettings, Expense, FundingSource
from bouv_tui.domain.budget_input import (
    ExpenseInput,
    HypotheticalInput,
    check_expense_input,
    check_hypothetical_input,
    check_settings_input,
    parse_daily_rate,
    parse_payment_days,
    parse_warn_months,
)
from bouv_tui.domain.validation import parse_iso_date, parse_kronor
from bouv_tui.tui.dialogs.base import DialogScreen
from bouv_tui.tui.dialogs.form import FormDialog
from bouv_tui.tui.dialogs.plan import _row
from bouv_tui.tui.widgets.fields import Parses


class _Form(FormDialog):
    BINDINGS = [
        Binding("ctrl+s", "save", "Spara", id="budget_form.save", tooltip="Kontrollera och spara"),
        Binding("escape", "cancel", "Avbryt", id="budget_form.cancel", tooltip="Stäng utan att spara"),
    ]


def _cost_types(allowed: Sequence[str] | None = None) -> list[tuple[str, str]]:
    return [(c.label, c.code) for c in catalog.COST_TYPES if allowed is None or c.code in allowed]


class ExpenseForm(_Form):
    """Add or edit an expense; returns the checked Expense (not stored), or None. What the
    source's rules say of it — refused past a ``stoppa`` cap, a warning past a ``varna`` cap
    or outside the period — is shown under the fields as they change."""

    FIELDS = tuple(f.name for f in fields(ExpenseInput))
    DEFAULT_CSS = """
    ExpenseForm #expense-check { height: auto; max-height: 3; margin-bottom: 1; }
    """

    def __init__(self, sources: Sequence[FundingSource], expenses: Sequence[Expense],
                 expense: Expense | None = None, *, described: str = "") -> None:  # fmt: skip
        super().__init__()
        self._sources = list(sources)
        self._expenses = list(expenses)
        self._original = expense
        self._described = described
        if expense is not None:
            self._start = ExpenseInput.from_expense(expense)
        else:
            self._start = ExpenseInput(source_id=self._sources[0].id if self._sources else None)

    def compose(self) -> ComposeResult:
        s = self._start
        title = "Ändra utgiften" if self._original else "Ny utgift"
        if self._described:
            title += f": {self._described}"
        with Vertical(classes="dialog form-dialog"):
            yield Label(escape(title), classes="dialog-title")
            # What the source's rules say, above the fields: in sight at 80×24 as they change.
            yield Static("", id="expense-check")
            with VerticalScroll(id="form-fields"):
                yield _row("Datum *", Input(s.day, placeholder="ÅÅÅÅ-MM-DD", id="field-day", compact=True,
                                            validators=[Parses(parse_iso_date)]), name="day")  # fmt: skip
                yield _row("Belopp (kr) *", Input(s.amount, placeholder="Hela kronor, t.ex. 12 345", id="field-amount",
                                                  compact=True, validators=[Parses(parse_kronor)]),
                           name="amount")  # fmt: skip
                yield _row("Kostnadstyp *", Select(_cost_types(), value=s.cost_type or Select.NULL,
                                                   prompt="Välj kostnadstyp", id="field-cost_type", compact=True),
                           name="cost_type")  # fmt: skip
                yield _row("Finansiering *", Select([(f"{x.name} ({x.year})", x.id) for x in self._sources],
                                                    value=s.source_id if s.source_id is not None else Select.NULL,
                                                    prompt="Välj finansiering", id="field-source_id", compact=True),
                           name="source_id")  # fmt: skip
                yield _row("Status *", Select([(x.label, x.code) for x in rules.EXPENSE_STATUSES], value=s.status,
                                              allow_blank=False, id="field-status", compact=True),
                           name="status")  # fmt: skip
                yield _row("Verifikation", Input(s.voucher, placeholder="Verifikationsnummer i ekonomisystemet",
                                                 id="field-voucher", compact=True), name="voucher")  # fmt: skip
                yield _row("Anteckning", Input(s.note, placeholder="Vad utgiften gäller", id="field-note",
                                               compact=True), name="note")  # fmt: skip
            with Horizontal(classes="dialog-buttons"):
                yield Button("Spara", variant="primary", id="form-save")
                yield Button("Avbryt", id="form-cancel")

    def on_mount(self) -> None:
        self.query_one("#field-day").focus()
        self._show_check()

    def collect(self) -> ExpenseInput:
        return ExpenseInput(**{name: self.field_value(name) for name in self.FIELDS})

    def _checked(self) -> tuple[Expense | None, dict[str, str], rules.ExpenseCheck | None]:
        expense, errors = check_expense_input(self.collect(), self._sources, original=self._original)
        if expense is None:
            return None, errors, None
        source = next(s for s in self._sources if s.id == expense.source_id)
        return expense, errors, rules.check_expense(source, self._expenses, expense)

    @on(Input.Changed)
    @on(Select.Changed)
    def _show_check(self) -> None:
        _, _, check = self._checked()
        box = self.query_one("#expense-check", Static)
        if check is None:
            box.update("")
        elif not check.ok:
            box.update(f"[b red]Går inte:[/] {escape(check.refused)}")
        elif check.warnings:
            box.update("[b yellow]⚠[/] " + escape(" ".join(check.warnings)))
        else:
            box.update("[green]Ryms i finansieringens regler.[/]")

    def action_save(self) -> None:
        expense, errors, check = self._checked()
        if check is not None and not check.ok:
            errors = {"amount": check.refused}
        if not self.show_errors(errors):
            self.dismiss(expense)


class BudgetSettingsForm(_Form):
    """The budget's settings: a day of substitute cover, an invoice's days, the warning's months."""

    FIELDS = ("cover_daily_rate", "payment_days", "warn_months")

    def __init__(self, settings: BudgetSettings) -> None:
        super().__init__()
        self._settings = settings

    def compose(self) -> ComposeResult:
        s = self._settings
        with Vertical(classes="dialog form-dialog"):
            yield Label("Inställningar för budgeten", classes="dialog-title")
            with VerticalScroll(id="form-fields"):
                yield _row("Vikarie per dag (kr)", Input(str(s.cover_daily_rate), id="field-cover_daily_rate",
                                                         compact=True, validators=[Parses(parse_daily_rate)]),
                           name="cover_daily_rate")  # fmt: skip
                yield _row("Betalningstid (dagar)", Input(str(s.payment_days), id="field-payment_days", compact=True,
                                                          validators=[Parses(parse_payment_days)]),
                           name="payment_days")  # fmt: skip
                yield _row("Varna (månader före)", Input(str(s.warn_months), id="field-warn_months", compact=True,
                                                         validators=[Parses(parse_warn_months)]),
                           name="warn_months")  # fmt: skip
                yield Static(
                    "Vikariekostnaden för ett tillfälle är deltagare × frånvarodagar × dagskostnaden; de planerade "
                    "raderna räknas om när du sparar. Sista dag att åta sig pengar är periodens slut minus "
                    "betalningstiden. Startsidan varnar så många månader före periodens slut om pengar ser ut "
                    "att behöva betalas tillbaka.",
                    classes="dialog-body",
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Spara", variant="primary", id="form-save")
                yield Button("Avbryt", id="form-cancel")

    def on_mount(self) -> None:
        self.query_one("#field-cover_daily_rate").focus()

    def action_save(self) -> None:
        settings, errors = check_settings_input(*(self.field_value(n) for n in self.FIELDS))
        if not self.show_errors(errors):
            self.dismiss(settings)


class HypotheticalForm(_Form):
    """A training that is not in the plan, to try in a what-if: (name, day, amount, cost type,
    source id), or None."""

    FIELDS = tuple(f.name for f in fields(HypotheticalInput))

    def __init__(self, sources: Sequence[FundingSource], year: int) -> None:
        super().__init__()
        self._sources = list(sources)
        self._year = year

    def compose(self) -> ComposeResult:
        first = self._sources[0].id if self._sources else Select.NULL
        with Vertical(classes="dialog form-dialog"):
            yield Label("Lägg till en tänkt utbildning (bara i vad-händer-om)", classes="dialog-title")
            with VerticalScroll(id="form-fields"):
                yield _row("Namn *", Input("", placeholder="T.ex. Extra BBIC-kurs", id="field-name", compact=True),
                           name="name")  # fmt: skip
                yield _row("Datum *", Input(f"{self._year}-09-01", placeholder="ÅÅÅÅ-MM-DD", id="field-day",
                                            compact=True, validators=[Parses(parse_iso_date)]), name="day")  # fmt: skip
                yield _row("Kostnad (kr) *", Input("", placeholder="Hela kronor", id="field-amount", compact=True,
                                                   validators=[Parses(parse_kronor)]), name="amount")  # fmt: skip
                yield _row("Kostnadstyp *", Select(_cost_types(), value="utbildningsplatser", allow_blank=False,
                                                   id="field-cost_type", compact=True), name="cost_type")  # fmt: skip
                yield _row("Finansiering *", Select([(f"{x.name} ({x.year})", x.id) for x in self._sources],
                                                    value=first, prompt="Välj finansiering", id="field-source_id",
                                                    compact=True), name="source_id")  # fmt: skip
            with Horizontal(classes="dialog-buttons"):
                yield Button("Lägg till", variant="primary", id="form-save")
                yield Button("Avbryt", id="form-cancel")

    def on_mount(self) -> None:
        self.query_one("#field-name").focus()

    def action_save(self) -> None:
        data = HypotheticalInput(**{name: self.field_value(name) for name in self.FIELDS})
        line, errors = check_hypothetical_input(data, self._sources)
        if not self.show_errors(errors):
            self.dismiss(line)


class AmountDialog(_Form):
    """A new amount for a planned expense in a what-if: the amount, or None."""

    FIELDS = ("amount",)

    def __init__(self, what: str, amount: int) -> None:
        super().__init__()
        self._what = what
        self._amount = amount

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form-dialog"):
            yield Label(escape(f"Nytt belopp: {self._what}"), classes="dialog-title")
            yield _row("Belopp (kr)", Input(str(self._amount), id="field-amount", compact=True,
                                            validators=[Parses(parse_kronor)]), name="amount")  # fmt: skip
            with Horizontal(classes="dialog-buttons"):
                yield Button("OK", variant="primary", id="form-save")
                yield Button("Avbryt", id="form-cancel")

    def on_mount(self) -> None:
        self.query_one("#field-amount").focus()

    def action_save(self) -> None:
        from bouv_tui.domain.validation import InvalidValue

        try:
            amount = parse_kronor(self.field_value("amount"))
        except InvalidValue as exc:
            self.show_errors({"amount": str(exc)})
            return
        self.dismiss(amount)


class NameDialog(_Form):
    """A scenario's name (not empty, at most 80 characters): the name, or None."""

    FIELDS = ("name",)

    def __init__(self, title: str, name: str = "") -> None:
        super().__init__()
        self._title = title
        self._given_name = name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form-dialog"):
            yield Label(escape(self._title), classes="dialog-title")
            yield _row("Namn", Input(self._given_name, placeholder="T.ex. Utan höstens handledning", id="field-name",
                                     compact=True), name="name")  # fmt: skip
            with Horizontal(classes="dialog-buttons"):
                yield Button("Spara", variant="primary", id="form-save")
                yield Button("Avbryt", id="form-cancel")

    def on_mount(self) -> None:
        self.query_one("#field-name").focus()

    def action_save(self) -> None:
        from bouv_tui.domain.validation import text_problem

        name = self.field_value("name").strip()
        problem = text_problem(name)
        if problem:
            self.show_errors({"name": problem})
        elif not name:
            self.show_errors({"name": "Ge scenariot ett namn."})
        elif len(name) > 80:
            self.show_errors({"name": f"Namnet får vara högst 80 tecken ({len(name)} nu)."})
        else:
            self.dismiss(name)


class ChoiceDialog(DialogScreen[int | None]):
    """One of several things by its label (a saved scenario, what to import or export): its
    index, or None."""

    def __init__(self, title: str, labels: Sequence[str], note: str = "") -> None:
        super().__init__()
        self._title = title
        self._labels = list(labels)
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(escape(self._title), classes="dialog-title")
            if self._note:
                yield Static(escape(self._note), classes="dialog-body")
            yield OptionList(*[escape(label) for label in self._labels], id="choice-list")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Välj", variant="primary", id="choice-go")
                yield Button("Avbryt", id="choice-cancel")

    def on_mount(self) -> None:
        self.query_one("#choice-list", OptionList).focus()
        if self._labels:
            self.query_one("#choice-list", OptionList).highlighted = 0

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option_index)

    @on(Button.Pressed, "#choice-go")
    def _go(self) -> None:
        self.dismiss(self.query_one("#choice-list", OptionList).highlighted)

    @on(Button.Pressed, "#choice-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)

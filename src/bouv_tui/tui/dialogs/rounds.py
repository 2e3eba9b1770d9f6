"""Dialogs for inventory rounds: choose one, start one, preview an assessment import."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, OptionList, RadioButton, RadioSet
from textual.widgets.option_list import Option

from bouv_tui.domain.assessment import Round
from bouv_tui.domain.validation import InvalidValue, parse_iso_date
from bouv_tui.tui.dialogs.base import DialogScreen
from bouv_tui.tui.dialogs.exchange import PreviewDialog
from bouv_tui.tui.widgets.fields import FieldError
from bouv_tui.tui.widgets.table import Table


#: What a section that works on a round says when there is none yet.
NO_ROUND = "Det finns ingen inventeringsomgång ännu. Starta en under Bedömning (F4)."


def round_contents_text(counted) -> str:
    """What deleting a round takes with it (``repo.RoundContents``), for the confirmation."""
    def n(count: int, one: str, many: str) -> str:
        return f"{count} {one if count == 1 else many}"

    parts = [
        n(counted.levels, "bedömd nivå", "bedömda nivåer"),
        n(counted.need_scores, "valt behov", "valda behov"),
        n(counted.others, "rad ”Annat”", "rader ”Annat”"),
        n(counted.answers, "svar på frågorna", "svar på frågorna"),
    ]
    what = ", ".join(parts[:-1]) + " och " + parts[-1]
    return (
        f"Omgång {counted.year} tas bort med allt som hör till den: {what}. "
        "Personalregistret och de andra omgångarna berörs inte. Det går inte att ångra."
    )


def choose_round(screen, rounds, year: int | None, then) -> None:
    """Ask which round (reporting year) ``screen`` shows; ``then(year)`` when one is chosen.
    Without rounds, say how to start one instead."""
    if not rounds:
        screen.notify(NO_ROUND, severity="warning")
        return

    def chosen(chosen_year: int | None) -> None:
        if chosen_year is not None:
            then(chosen_year)

    screen.app.push_screen(ChooseRoundDialog(rounds, year), chosen)


class ChooseRoundDialog(DialogScreen[int | None]):
    """Pick the reporting year to work on."""

    BINDINGS = [Binding("escape", "cancel", "Avbryt", id="choose_round.cancel", tooltip="Stäng utan att byta")]

    def __init__(self, rounds: list[Round], current: int | None):
        super().__init__()
        self._rounds = rounds
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Välj inventeringsomgång", classes="dialog-title")
            yield OptionList(
                *[
                    Option(f"{r.year}   referensdatum {r.reference_date.isoformat()}", id=str(r.year))
                    for r in reversed(self._rounds)
                ],
                id="round-list",
            )

    def on_mount(self) -> None:
        options = self.query_one("#round-list", OptionList)
        years = [r.year for r in reversed(self._rounds)]
        if self._current in years:
            options.highlighted = years.index(self._current)
        options.focus()

    @on(OptionList.OptionSelected, "#round-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id))

    def action_cancel(self) -> None:
        self.dismiss(None)


class NewRoundDialog(DialogScreen[tuple[Round, int | None] | None]):
    """A new round: its year and reference date, empty or with the last round's levels."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Starta", id="new_round.save", tooltip="Starta omgången"),
        Binding("escape", "cancel", "Avbryt", id="new_round.cancel", tooltip="Stäng utan att starta"),
    ]

    def __init__(self, latest: Round | None, taken: frozenset[int], today: date):
        super().__init__()
        self._latest = latest
        self._taken = taken
        self._year = (latest.year + 1) if latest else today.year
        while self._year in taken:
            self._year += 1

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form-dialog"):
            yield Label("Ny inventeringsomgång", classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label("Redovisningsår", classes="form-label")
                with Vertical(classes="form-field"):
                    yield Input(str(self._year), id="field-year", compact=True)
                    yield FieldError(id="error-year")
            with Horizontal(classes="form-row"):
                yield Label("Referensdatum", classes="form-label")
                with Vertical(classes="form-field"):
                    yield Input("", placeholder="ÅÅÅÅ-MM-DD; tomt = 31 december", id="field-date", compact=True)
                    yield FieldError(id="error-date")
            with RadioSet(id="field-start"):
                yield RadioButton("Börja tom", value=self._latest is None, id="start-empty")
                if self._latest is not None:
                    yield RadioButton(
                        f"Kopiera nivåerna från {self._latest.year} (markeras som överförda tills du bekräftar dem)",
                        value=True,
                        id="start-copy",
                    )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Starta", variant="primary", id="round-save")
                yield Button("Avbryt", id="round-cancel")

    def on_mount(self) -> None:
        self.query_one("#field-year").focus()

    def action_save(self) -> None:
        year_text = self.query_one("#field-year", Input).value.strip()
        year_error, date_error = "", ""
        year = int(year_text) if year_text.isdigit() else None
        if year is None or not 2000 <= year <= 2100:
            year_error = "Ange ett år mellan 2000 och 2100."
        elif year in self._taken:
            year_error = f"Det finns redan en omgång för {year}."
        reference = None
        try:
            reference = parse_iso_date(self.query_one("#field-date", Input).value)
        except InvalidValue as error:
            date_error = str(error)
        if reference is not None and year is not None and reference.year not in (year, year + 1):
            date_error = f"Referensdatumet ska ligga i {year} (eller i början av {year + 1})."
        self.query_one("#error-year", FieldError).show(year_error)
        self.query_one("#error-date", FieldError).show(date_error)
        if year_error or date_error:
            return
        copy = self._latest is not None and self.query_one("#field-start", RadioSet).pressed_button.id == "start-copy"
        self.dismiss((Round.for_year(year, reference), self._latest.id if copy else None))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#round-save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#round-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class AssessmentImportPreview(PreviewDialog):
    """An assessment import: how many levels are set and cleared, whether the round is new,
    every row error."""

    def __init__(self, file: Path, plan, year: int):
        super().__init__(f"Import av bedömningar från {file.name}", plan)
        self._year = year

    def summary(self) -> str:
        plan = self._plan
        lines = [
            f"Personer: {plan.people}   Nivåer som sätts: {len(plan.sets)}   Tas bort: {len(plan.clears)}   "
            f"Oförändrade: {plan.unchanged}   Fel: {len(plan.errors)}"
        ]
        if plan.new_round:
            lines.append(f"Omgång {self._year} finns inte och skapas (referensdatum 31 december).")
        return "\n".join(lines)

    def fill_details(self) -> None:
        self.query_one("#preview-errors", Table).display = bool(self._plan.errors)

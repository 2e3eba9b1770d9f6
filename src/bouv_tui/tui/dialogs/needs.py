"""Dialogs for need scores: the reason for a score other than the suggestion, an "Annat" row.

The rules (what needs a reason, what a label may be) are the domain's: each dialog is given a
``check`` that builds the result or raises ``ChoiceError`` with a Swedish message, shown under
the field. Escape cancels, and nothing is saved.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Static

from bouv_tui.domain.needs import MAX_REASON, ChoiceError, NeedChoice, OtherNeed
from bouv_tui.tui.dialogs.base import DialogScreen
from bouv_tui.tui.widgets.fields import FieldError


class ReasonDialog(DialogScreen[NeedChoice | None]):
    """A score that differs from the suggestion: why, in a sentence."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Spara", id="need_reason.save", tooltip="Spara behovet med motiveringen"),
        Binding("escape", "cancel", "Avbryt", id="need_reason.cancel", tooltip="Stäng utan att spara"),
    ]

    def __init__(self, title: str, intro: str, reason: str, check: Callable[[str], NeedChoice]):
        super().__init__()
        self._title = title
        self._intro = intro
        self._reason = reason
        self._check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(escape(self._title), classes="dialog-title")
            yield Static(escape(self._intro), classes="dialog-body")
            yield Input(
                self._reason,
                placeholder="Varför? T.ex. ny lagstiftning, många nyanställda",
                max_length=MAX_REASON,
                id="need-reason",
            )
            yield FieldError(id="error-reason")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Spara", variant="primary", id="reason-save")
                yield Button("Avbryt", id="reason-cancel")

    def on_mount(self) -> None:
        self.query_one("#need-reason", Input).focus()

    def action_save(self) -> None:
        try:
            choice = self._check(self.query_one("#need-reason", Input).value)
        except ChoiceError as error:
            self.query_one("#error-reason", FieldError).show(str(error))
            return
        self.dismiss(choice)

    def action_cancel(self) -> None:
        self.leave(None)

    @on(Input.Submitted, "#need-reason")
    @on(Button.Pressed, "#reason-save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#reason-cancel")
    def _cancel(self) -> None:
        self.leave(None)


class OtherNeedDialog(DialogScreen[OtherNeed | None]):
    """An "Annat, ange vad" row: what it is, and its need 1–5."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Spara", id="need_other.save", tooltip="Spara raden Annat"),
        Binding("escape", "cancel", "Avbryt", id="need_other.cancel", tooltip="Stäng utan att spara"),
    ]

    def __init__(self, title: str, label: str, score: int | None, check: Callable[[str, str], OtherNeed]):
        super().__init__()
        self._title = title
        self._label = label
        self._score = score
        self._check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog form-dialog"):
            yield Label(escape(self._title), classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label("Område (ange vad)", classes="form-label")
                with Vertical(classes="form-field"):
                    yield Input(self._label, placeholder="T.ex. Hedersrelaterat våld", max_length=100,
                                id="other-label", compact=True)  # fmt: skip
            with Horizontal(classes="form-row"):
                yield Label("Behov (1–5)", classes="form-label")
                with Vertical(classes="form-field"):
                    yield Input("" if self._score is None else str(self._score), placeholder="1 = litet, 5 = stort",
                                max_length=3, id="other-score", compact=True)  # fmt: skip
                    # No ``restrict``: a 7 typed here is refused with a reason, not dropped silently.
            yield FieldError(id="error-other")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Spara", variant="primary", id="other-save")
                yield Button("Avbryt", id="other-cancel")

    def on_mount(self) -> None:
        self.query_one("#other-label", Input).focus()

    def action_save(self) -> None:
        label = self.query_one("#other-label", Input).value
        score = self.query_one("#other-score", Input).value
        try:
            other = self._check(label, score)
        except ChoiceError as error:
            self.query_one("#error-other", FieldError).show(str(error))
            return
        self.dismiss(other)

    def action_cancel(self) -> None:
        self.leave(None)

    @on(Input.Submitted, "#other-label")
    def _to_score(self) -> None:
        self.query_one("#other-score", Input).focus()

    @on(Input.Submitted, "#other-score")
    @on(Button.Pressed, "#other-save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#other-cancel")
    def _cancel(self) -> None:
        self.leave(None)

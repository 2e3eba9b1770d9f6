"""Small modal screens: confirm, error, help."""

from __future__ import annotations

from importlib import resources

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Markdown, Static
from bouv_tui.tui.dialogs.base import DialogScreen


class ConfirmDialog(DialogScreen[bool]):
    """Asks before something destructive. Returns True only for an explicit yes."""

    BINDINGS = [
        Binding("escape", "cancel", "Avbryt", id="confirm.cancel", tooltip="Stäng utan att göra något"),
    ]

    def __init__(self, title: str, message: str, confirm_label: str = "Ta bort"):
        super().__init__()
        self._title = title
        self._message = message
        self._confirm_label = confirm_label

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(escape(self._title), classes="dialog-title")
            yield Static(escape(self._message), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self._confirm_label, variant="error", id="confirm-yes")
                yield Button("Avbryt", id="confirm-no")

    def on_mount(self) -> None:
        self.query_one("#confirm-no", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "confirm-yes")

    def action_cancel(self) -> None:
        self.dismiss(False)


class ErrorDialog(DialogScreen[str | None]):
    """What stopped the work, in plain Swedish. For a damaged database it also offers to
    restore a backup (``offer_restore``): it is dismissed with ``"restore"`` then."""

    BINDINGS = [Binding("escape", "close", "Stäng", id="error.close", tooltip="Stäng meddelandet")]

    def __init__(self, title: str, message: str, *, offer_restore: bool = False):
        super().__init__()
        self._title = title
        self._message = message
        self._offer_restore = offer_restore

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog error-dialog"):
            yield Label(escape(self._title), classes="dialog-title")
            yield Static(escape(self._message), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                if self._offer_restore:
                    yield Button("Återställ en säkerhetskopia…", variant="warning", id="error-restore",
                                 tooltip="Avsluta och välj en säkerhetskopia att lägga tillbaka")  # fmt: skip
                yield Button("OK", variant="primary", id="error-ok")

    def on_mount(self) -> None:
        self.query_one("#error-ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss("restore" if event.button.id == "error-restore" else None)

    def action_close(self) -> None:
        self.dismiss(None)


def help_text(topic: str) -> str:
    return resources.files("bouv_tui.tui.help").joinpath(f"{topic}.md").read_text(encoding="utf-8")


class HelpScreen(DialogScreen[None]):
    """F1: help written for an IFO-chef, from packaged Markdown."""

    DEFAULT_CSS = """
    .help-dialog {
        width: 100;
        height: 90%;
    }
    """

    BINDINGS = [
        Binding("escape,f1,q", "close", "Stäng hjälpen", id="help.close", tooltip="Tillbaka till arbetet"),
    ]

    def __init__(self, topic: str = "roster"):
        super().__init__()
        self._topic = topic

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog help-dialog", id="help-scroll"):
            yield Markdown(help_text(self._topic))
            yield Markdown(help_text("general"))

    def on_mount(self) -> None:
        self.query_one("#help-scroll").focus()

    def action_close(self) -> None:
        self.dismiss(None)

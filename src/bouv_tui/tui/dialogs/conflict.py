"""What a save says when someone else changed the same data first: both values, and a choice.

``ConflictDialog`` answers ``MINE`` (save again, overwriting) or ``STORED`` (keep what is
stored, drop the edit); for a row that was removed only OK (``STORED``).
``StaleImportDialog`` answers True when the file is to be read again for a new preview.
"""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Static

from bouv_tui.errors import Conflict, StaleImport
from bouv_tui.tui.dialogs.base import DialogScreen
from bouv_tui.tui.widgets.table import Table

MINE = "mine"
STORED = "stored"


class ConflictDialog(DialogScreen[str]):
    """A save refused because the row changed (or went) since it was shown."""

    DEFAULT_CSS = """
    .conflict-dialog {
        width: 110;
        border: thick $warning;
    }
    #conflict-changes {
        height: auto;
        max-height: 10;
    }
    """

    BINDINGS = [
        Binding("escape", "keep", "Behåll det sparade", id="conflict.keep",
                tooltip="Spara inte; visa det som är sparat nu"),
    ]  # fmt: skip

    def __init__(self, title: str, conflict: Conflict):
        super().__init__()
        self._title = title
        self.conflict = conflict

    def compose(self) -> ComposeResult:
        c = self.conflict
        with Vertical(classes="dialog conflict-dialog"):
            yield Label(escape(self._title), classes="dialog-title")
            yield Static(escape(str(c)), id="conflict-message", classes="dialog-body")
            if c.changes:
                yield Table(id="conflict-changes", cursor_type="row", zebra_stripes=True)
            if not c.removed:
                yield Static(
                    "Spara mitt: det som står under ”ditt värde” sparas, också där du inte ändrade något. "
                    "Behåll det sparade: din ändring släpps och det sparade visas.",
                    id="conflict-hint",
                    classes="dialog-body",
                )
            with Horizontal(classes="dialog-buttons"):
                if c.removed:
                    yield Button("OK", variant="primary", id="conflict-ok")
                else:
                    yield Button("Spara mitt", variant="warning", id="conflict-mine")
                    yield Button("Behåll det sparade", variant="primary", id="conflict-keep")

    def on_mount(self) -> None:
        if self.conflict.changes:
            table = self.query_one("#conflict-changes", Table)
            table.add_column("Uppgift", key="label")
            table.add_column("Du såg", key="shown")
            table.add_column("Sparat nu", key="stored")
            table.add_column("Ditt värde", key="mine")
            # A value such as "Barn [Nord]" is shown as written (a cell is never markup).
            table.add_rows([(Text(v.label), Text(v.shown), Text(v.stored, style="bold"), Text(v.mine))
                            for v in self.conflict.changes])  # fmt: skip
        self.query_one("#conflict-ok" if self.conflict.removed else "#conflict-keep", Button).focus()

    @on(Button.Pressed, "#conflict-mine")
    def _mine(self) -> None:
        self.dismiss(MINE)

    @on(Button.Pressed, "#conflict-keep")
    @on(Button.Pressed, "#conflict-ok")
    def action_keep(self) -> None:
        self.dismiss(STORED)


class StaleImportDialog(DialogScreen[bool]):
    """An import planned against rows that changed since: nothing imported; read the file again?"""

    BINDINGS = [Binding("escape", "cancel", "Avbryt", id="stale_import.cancel", tooltip="Stäng utan att importera")]

    def __init__(self, title: str, error: StaleImport, can_reread: bool):
        super().__init__()
        self._title = title
        self._error = error
        self._can_reread = can_reread

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog conflict-dialog"):
            yield Label(escape(self._title), classes="dialog-title")
            yield Static(escape(str(self._error)), id="stale-message", classes="dialog-body")
            yield Static(
                "Ingenting importerades. Läs filen igen för en ny förhandsgranskning mot det som är sparat nu.",
                classes="dialog-body",
            )
            with Horizontal(classes="dialog-buttons"):
                if self._can_reread:
                    yield Button("Läs filen igen", variant="primary", id="stale-reread")
                yield Button("Avbryt", id="stale-cancel")

    def on_mount(self) -> None:
        self.query_one("#stale-reread" if self._can_reread else "#stale-cancel", Button).focus()

    @on(Button.Pressed, "#stale-reread")
    def _reread(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#stale-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)

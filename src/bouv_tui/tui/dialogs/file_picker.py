"""Browsing for a file to import or a folder to export to (textual-fspicker, in Swedish).

The pickers open from the import and export dialogs ("Bläddra…", Ctrl+O) and start where
the dialog's path points, else in the folder last used (``app.export_folder``). They answer
a path, which the dialog puts in its field: the field stays the one place the path is
checked, so a typed path, with ``~``, works as before. Like every dialog of ours: Ctrl+S
chooses, Esc cancels, and the key line shows the picker's keys. This module is imported
only when a picker is opened.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button
from textual_fspicker import FileOpen, Filters, SelectDirectory
from textual_fspicker.parts import DirectoryNavigation

#: The picker's own CSS: wider at 80 columns, where 80 % leaves the names too little room.
PICKER_CSS = """
FileOpen Dialog, SelectDirectory Dialog {
    width: 80%;
    height: 80%;
    min-width: 76;
    max-width: 100%;
    max-height: 100%;
}
PickFile Dialog InputBar Select {
    width: 16;
}
"""

PICKER_BINDINGS = [
    Binding("ctrl+s", "choose", "Välj", id="picker.choose", tooltip="Välj det markerade"),
    Binding("escape", "dismiss(None)", "Avbryt", id="picker.cancel", tooltip="Stäng utan att välja"),
    Binding("backspace", "up", "Upp en mapp", key_display="⌫", tooltip="Till mappen ovanför"),
    Binding("full_stop", "hidden", "Dolda filer", key_display=".", tooltip="Visa eller dölj dolda filer"),
]


def start_folder(typed: str, fallback: Path) -> Path:
    """Where a picker opens: the folder of what is typed in the dialog's field when that is a
    folder or a file in one, else ``fallback``."""
    text = typed.strip()
    if text:
        try:
            path = Path(text).expanduser()
            if path.is_dir():
                return path
            if path.parent.is_dir() and str(path.parent) not in ("", "."):
                return path.parent
        except (OSError, RuntimeError, ValueError):
            pass  # an unreadable or impossible path: open where the user was last
    return fallback


class _PickerKeys:
    """What both pickers share: the key line and Ctrl+S."""

    def compose(self) -> ComposeResult:
        from bouv_tui.tui.widgets.key_bar import KeyBar

        yield from super().compose()  # type: ignore[misc]
        yield KeyBar()

    def action_choose(self) -> None:
        self.query_one("#select", Button).press()  # type: ignore[attr-defined]

    def action_hidden(self) -> None:
        self.query_one(DirectoryNavigation).toggle_hidden()  # type: ignore[attr-defined]

    def action_up(self) -> None:
        """Backspace outside the file list (in the list, the list's own binding does this)."""
        self.query_one(DirectoryNavigation).action_navigate_up()  # type: ignore[attr-defined]


class PickFile(_PickerKeys, FileOpen):
    """Chooses an existing CSV or XLSX file."""

    DEFAULT_CSS = PICKER_CSS
    BINDINGS = PICKER_BINDINGS
    ERROR_A_FILE_MUST_EXIST = "Filen finns inte"
    ERROR_A_FILE_MUST_BE_CHOSEN = "Välj en fil"
    ERROR_PERMISSION_ERROR = "Du har inte behörighet att läsa här"

    def __init__(self, location: Path, title: str = "Välj filen att läsa in"):
        super().__init__(
            location,
            title,
            open_button="Välj",
            cancel_button="Avbryt",
            filters=Filters(
                ("CSV/XLSX", lambda p: p.suffix.lower() in (".csv", ".xlsx")),
                ("Alla", lambda _p: True),
            ),
        )


class PickFolder(_PickerKeys, SelectDirectory):
    """Chooses the folder to write an export to."""

    DEFAULT_CSS = PICKER_CSS
    BINDINGS = PICKER_BINDINGS
    ERROR_PERMISSION_ERROR = "Du har inte behörighet att läsa här"

    def __init__(self, location: Path, title: str = "Välj mappen att spara i"):
        super().__init__(location, title, select_button="Välj mappen", cancel_button="Avbryt")

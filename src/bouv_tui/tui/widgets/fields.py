"""Form pieces shared by every dialog."""

from __future__ import annotations

from rich.markup import escape
from textual.widgets import Static


class FieldError(Static):
    """The failure message under a field; takes no room while there is nothing to say."""

    DEFAULT_CLASSES = "field-error"

    def on_mount(self) -> None:
        self.display = False

    def show(self, message: str) -> None:
        self.update(escape(message))
        self.display = bool(message)

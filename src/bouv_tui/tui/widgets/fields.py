"""Form pieces shared by every dialog."""

from __future__ import annotations

from rich.markup import escape
from textual.validation import ValidationResult, Validator
from textual.widgets import Static

from bouv_tui.domain.validation import InvalidValue


class FieldError(Static):
    """The failure message under a field; takes no room while there is nothing to say."""

    DEFAULT_CLASSES = "field-error"

    def on_mount(self) -> None:
        self.display = False

    def show(self, message: str) -> None:
        self.update(escape(message))
        self.display = bool(message)


class Parses(Validator):
    """A Textual validator around one of the domain's parse functions: the field's message
    is the parse function's (``InvalidValue``), shown as the field is typed."""

    def __init__(self, parse):
        super().__init__()
        self._parse = parse

    def validate(self, value: str) -> ValidationResult:
        try:
            self._parse(value)
        except InvalidValue as exc:
            return self.failure(str(exc))
        return self.success()

"""What every form dialog shares: a field's message beside it as it is typed and on save, the
value of each kind of field, and the Spara and Avbryt buttons (Esc asks before edits are lost)."""

from __future__ import annotations

from textual import on
from textual.widgets import Button, Input, Select, SelectionList

from bouv_tui.tui.dialogs.base import DialogScreen
from bouv_tui.tui.widgets.fields import FieldError


class FormDialog(DialogScreen):
    """A form whose fields are ``#field-<name>`` with their messages in ``#error-<name>``;
    ``FIELDS`` names them in order, and a subclass checks and dismisses in ``action_save``."""

    FIELDS: tuple[str, ...] = ()

    @on(Input.Changed)
    def _show_validation(self, event: Input.Changed) -> None:
        if event.input.id and event.validation_result is not None:
            name = event.input.id.removeprefix("field-")
            message = "" if event.validation_result.is_valid else event.validation_result.failure_descriptions[0]
            for box in self.query(f"#error-{name}").results(FieldError):
                box.show(message)

    def show_errors(self, errors: dict[str, str]) -> bool:
        """Each field's message (or none); True when there were any (the first is focused)."""
        for name in self.FIELDS:
            for box in self.query(f"#error-{name}").results(FieldError):
                box.show(errors.get(name, ""))
        if not errors:
            return False
        first = next(iter(errors))
        for widget in self.query(f"#field-{first}"):
            widget.focus()
        self.notify(f"{len(errors)} fält behöver rättas.", severity="warning")
        return True

    def field_value(self, name: str):
        """A field's value: a Select's code (None when none is chosen), a SelectionList's
        chosen codes, an Input's or a Checkbox's value."""
        widget = self.query_one(f"#field-{name}")
        if isinstance(widget, Select):
            return None if widget.value is Select.NULL else widget.value
        if isinstance(widget, SelectionList):
            return tuple(widget.selected)
        return widget.value

    def field_values(self) -> dict:
        values = super().field_values()
        for widget in self.query(SelectionList):
            values[widget.id] = tuple(widget.selected)
        return values

    def action_cancel(self) -> None:
        self.leave(None)  # asks first when a field was changed

    @on(Button.Pressed, "#form-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#form-cancel")
    def _cancel_pressed(self) -> None:
        self.leave(None)

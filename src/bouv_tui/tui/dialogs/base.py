"""The base of every dialog: a centred modal box; its styles load with the first dialog opened."""

from __future__ import annotations

from typing import TypeVar

from textual import events, on
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Select, TextArea

ResultType = TypeVar("ResultType")


#: The order in which Ctrl+S looks for a dialog's confirming button (by its variant): never
#: a "warning" button (Spara mitt, Återställ …), which is a choice to make explicitly.
CONFIRM_VARIANTS = ("primary", "success", "error")


class DialogScreen(ModalScreen[ResultType]):
    """A modal dialog. Styles for boxes, titles, buttons and form rows are here, not in
    ``app.tcss``, so that they are parsed when a dialog first opens rather than at start.

    Every dialog: Ctrl+S confirms (its own ``save``/``confirm`` binding where it has one,
    else its confirming button is pressed), Esc cancels, and the key line at the bottom shows
    the dialog's keys, not the section's behind it. A dialog with fields asks before Esc or
    Avbryt throws edits away (``leave``)."""

    BINDINGS = [
        Binding("ctrl+s", "confirm_dialog", "OK", id="dialog.confirm", tooltip="Bekräfta (samma som knappen)"),
        Binding("escape", "cancel_dialog", "Avbryt", id="dialog.cancel", tooltip="Stäng utan att göra något"),
    ]

    #: Lower than 30 lines (80×24), dialogs take the whole height and lose their spacing.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    DEFAULT_CSS = """
    DialogScreen {
        align: center middle;
        background: $background 60%;
    }
    .dialog {
        width: 80;
        max-width: 95%;
        height: auto;
        max-height: 90%;
        border: thick $primary;
        background: $surface;
        padding: 1 2;
    }
    .error-dialog {
        border: thick $error;
    }
    .dialog-title {
        text-style: bold;
        width: 100%;
        margin-bottom: 1;
    }
    .dialog-body {
        margin-bottom: 1;
    }
    .dialog-buttons {
        height: auto;
        align: right middle;
        margin-top: 1;
    }
    .dialog-buttons Button {
        margin-left: 2;
    }
    .form-dialog {
        width: 96;
    }
    #form-fields {
        height: auto;
        max-height: 65vh;
    }
    .form-row {
        height: auto;
        margin-bottom: 1;
    }
    .form-label {
        width: 34;
        padding: 0 1 0 0;
    }
    .form-field {
        width: 1fr;
        height: auto;
    }
    .field-error {
        color: $error;
        height: auto;
    }
    .form-check {
        margin-left: 34;
    }
    .path-row {
        height: auto;
    }
    .path-row Input {
        width: 1fr;
    }
    .path-row Button {
        margin-left: 1;
        min-width: 12;
    }

    .preview-dialog {
        width: 110;
        height: 80%;
    }
    .preview-blocked {
        color: $error;
        text-style: bold;
    }
    #preview-tabs {
        height: 1fr;
    }
    #preview-detail {
        height: auto;
        min-height: 2;
        color: $warning;
    }
    #preview-summary {
        margin-bottom: 1;
    }
    DialogScreen.-short .dialog {
        max-height: 100%;
        padding: 0 2;
    }
    DialogScreen.-short .preview-dialog {
        height: 100%;
    }
    DialogScreen.-short .dialog-title, DialogScreen.-short #preview-summary {
        margin-bottom: 0;
    }
    DialogScreen.-short .dialog-buttons {
        margin-top: 0;
    }
    DialogScreen.-short #preview-detail {
        min-height: 1;
    }
    """

    @on(events.Mount)
    def _dialog_mounted(self) -> None:
        from bouv_tui.tui.widgets.key_bar import KeyBar

        self.mount(KeyBar())
        # What the fields held when the dialog opened: Esc asks before throwing edits away.
        self.call_after_refresh(self._remember_fields)

    def _remember_fields(self) -> None:
        self._opened_with = self.field_values()

    def field_values(self) -> dict:
        """The value of every field in the dialog, by widget id."""
        return {
            w.id: (w.text if isinstance(w, TextArea) else w.value)
            for w in self.query("Input, Select, Checkbox, TextArea")
            if isinstance(w, (Input, Select, Checkbox, TextArea)) and w.id
        }

    def edited(self) -> bool:
        """Whether a field holds something else than when the dialog opened."""
        opened = getattr(self, "_opened_with", None)
        return opened is not None and self.field_values() != opened

    def leave(self, result=None) -> None:
        """Close with ``result``; when fields were edited, ask first (the edits are lost)."""
        if not self.edited():
            self.dismiss(result)
            return
        from bouv_tui.tui.dialogs.common import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(result)

        self.app.push_screen(
            ConfirmDialog("Släng ändringarna?", "Det du har skrivit eller ändrat här sparas inte.",
                          confirm_label="Släng"),  # fmt: skip
            answered,
        )

    def action_confirm_dialog(self) -> None:
        """Ctrl+S where the dialog has no binding of its own: press its confirming button."""
        buttons = [b for b in self.query(Button) if not b.disabled and b.display]
        for variant in CONFIRM_VARIANTS:
            for button in buttons:
                if button.variant == variant:
                    button.press()
                    return
        self.app.bell()

    def action_cancel_dialog(self) -> None:
        self.leave(None)

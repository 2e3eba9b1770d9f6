"""The base of every dialog: a centred modal box; its styles load with the first dialog opened."""

from __future__ import annotations

from typing import TypeVar

from textual.screen import ModalScreen

ResultType = TypeVar("ResultType")


class DialogScreen(ModalScreen[ResultType]):
    """A modal dialog. Styles for boxes, titles, buttons and form rows are here, not in
    ``app.tcss``, so that they are parsed when a dialog first opens rather than at start."""

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
    """

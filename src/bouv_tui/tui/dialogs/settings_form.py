"""The municipality and the contact person: asked on first run, editable from the command palette."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Label, Select, Static

from bouv_tui.domain.settings import MunicipalitySettings, municipalities, municipality_by_code, settings_errors
from bouv_tui.tui.widgets.fields import FieldError
from bouv_tui.tui.dialogs.base import DialogScreen

FIELDS = [
    ("contact_name", "Uppgiftslämnare *", "Ditt namn"),
    ("email", "E-post", "namn@kommun.se"),
    ("phone", "Telefon", "08-123 456 78"),
]


class SettingsForm(DialogScreen[MunicipalitySettings | None]):
    BINDINGS = [
        Binding("ctrl+s", "save", "Spara", id="settings_form.save", tooltip="Kontrollera och spara"),
        Binding("escape", "cancel", "Senare", id="settings_form.cancel", tooltip="Stäng utan att spara"),
    ]

    def __init__(self, current: MunicipalitySettings, *, first_run: bool = False):
        super().__init__()
        self._current = current
        self._first_run = first_run

    def compose(self) -> ComposeResult:
        options = [(f"{m.name} ({m.county})", m.code) for m in municipalities()]
        known = municipality_by_code(self._current.kommunkod) is not None
        with Vertical(classes="dialog form-dialog settings-dialog"):
            yield Label(
                "Välkommen till bouv-tui" if self._first_run else "Kommun och kontaktperson",
                classes="dialog-title",
            )
            if self._first_run:
                yield Static(
                    "Börja med kommunen och den som lämnar uppgifterna till Socialstyrelsen. "
                    "Det står i inventeringens kontaktuppgifter och kan ändras senare (Ctrl+P → Inställningar).",
                    classes="dialog-body",
                )
            with Horizontal(classes="form-row"):
                yield Label("Kommun *", classes="form-label")
                with Vertical(classes="form-field"):
                    yield Select(
                        options,
                        prompt="Välj kommun (skriv för att söka)",
                        value=self._current.kommunkod if known else Select.NULL,
                        id="field-kommunkod",
                        compact=True,
                    )
                    yield FieldError(id="error-kommunkod")
            for name, label, placeholder in FIELDS:
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="form-label")
                    with Vertical(classes="form-field"):
                        yield Input(getattr(self._current, name), placeholder=placeholder, id=f"field-{name}", compact=True)
                        yield FieldError(id=f"error-{name}")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Spara", variant="primary", id="settings-save")
                yield Button("Senare" if self._first_run else "Avbryt", id="settings-cancel")

    def on_mount(self) -> None:
        self.query_one("#field-kommunkod").focus()

    def _collect(self) -> MunicipalitySettings:
        code = self.query_one("#field-kommunkod", Select).value
        code = "" if code is Select.NULL else str(code)
        found = municipality_by_code(code)
        return MunicipalitySettings(
            kommunkod=code,
            kommun=found.name if found else "",
            **{name: self.query_one(f"#field-{name}", Input).value.strip() for name, _, _ in FIELDS},
        )

    def action_save(self) -> None:
        settings = self._collect()
        errors = settings_errors(settings)
        for name in ("kommunkod", *(f for f, _, _ in FIELDS)):
            self.query_one(f"#error-{name}", FieldError).show(errors.get(name, ""))
        if errors:
            self.query_one(f"#field-{next(iter(errors))}").focus()
            return
        self.dismiss(settings)

    def action_cancel(self) -> None:
        self.leave(None)  # asks first when a field was changed

    @on(Button.Pressed, "#settings-save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#settings-cancel")
    def _cancel(self) -> None:
        self.leave(None)

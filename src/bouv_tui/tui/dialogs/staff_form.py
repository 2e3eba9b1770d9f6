"""Add or edit one person: a modal form whose fields are checked as you type and again on save."""

from __future__ import annotations

from dataclasses import fields

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Checkbox, Input, Label, Select

from bouv_tui.domain import catalog
from bouv_tui.domain.roster import StaffMember
from bouv_tui.domain.staff_input import StaffInput, check_staff_input
from bouv_tui.domain.validation import parse_fte, parse_iso_date
from bouv_tui.tui.widgets.fields import FieldError, Parses
from bouv_tui.tui.dialogs.form import FormDialog


TEXT_FIELDS = [
    # (field, label, placeholder, validator)
    ("name", "Namn *", "För- och efternamn", None),
    ("personal_id", "Personal-id", "Arbetsgivarens id (inte personnummer)", None),
    ("unit", "Enhet", "T.ex. Utredning barn", None),
    ("fte", "Sysselsättningsgrad (%)", "1–100; tomt = heltid", Parses(parse_fte)),
    ("employed_from", "Anställd från", "ÅÅÅÅ-MM-DD", Parses(parse_iso_date)),
    ("employed_until", "Sista anställningsdag", "ÅÅÅÅ-MM-DD, tomt om anställd", Parses(parse_iso_date)),
    ("experience_from", "Erfarenhet av socialt arbete från", "ÅÅÅÅ-MM-DD", Parses(parse_iso_date)),
]
CHECKS = [
    ("social_work_degree", "Socionomexamen"),
    ("qualification_certificate", "Intyg om behörighet (annan relevant examen)"),
    ("continuing_training", "Fortbildning i socialt arbete"),
    ("further_education", "Vidareutbildning på högskolenivå"),
    ("masters_degree", "Magister- eller masterexamen"),
    ("first_manager_job", "Första chefsjobbet (arbetsledare)"),
    ("needs_supervision_support", "Behöver stöd för ärendehandledning (arbetsledare)"),
]


class StaffForm(FormDialog):
    """Returns the checked person (not yet stored), or None when cancelled."""

    FIELDS = tuple(f.name for f in fields(StaffInput))

    BINDINGS = [
        Binding("ctrl+s", "save", "Spara", id="staff_form.save", tooltip="Kontrollera och spara"),
        Binding("escape", "cancel", "Avbryt", id="staff_form.cancel", tooltip="Stäng utan att spara"),
    ]

    def __init__(self, member: StaffMember | None = None, taken_ids: frozenset[str] = frozenset()):
        super().__init__()
        self._original = member
        self._taken_ids = taken_ids
        self._start = StaffInput.from_member(member) if member else StaffInput()

    def compose(self) -> ComposeResult:
        title = f"Redigera {self._original.name}" if self._original else "Ny person"
        with Vertical(classes="dialog form-dialog"):
            yield Label(title, classes="dialog-title")
            with VerticalScroll(id="form-fields"):
                with Horizontal(classes="form-row"):
                    yield Label("Roll *", classes="form-label")
                    with Vertical(classes="form-field"):
                        yield Select(
                            [(r.label, r.code) for r in catalog.ROLES],
                            value=self._start.role if self._start.role else Select.NULL,
                            prompt="Välj roll",
                            id="field-role",
                            compact=True,
                        )
                        yield FieldError(id="error-role")
                for name, label, placeholder, validator in TEXT_FIELDS:
                    with Horizontal(classes="form-row"):
                        yield Label(label, classes="form-label")
                        with Vertical(classes="form-field"):
                            yield Input(
                                value=getattr(self._start, name),
                                placeholder=placeholder,
                                validators=[validator] if validator else [],
                                validate_on=["changed", "blur"],
                                id=f"field-{name}",
                                compact=True,
                            )
                            yield FieldError(id=f"error-{name}")
                with Horizontal(classes="form-row"):
                    yield Label("Anställningsform", classes="form-label")
                    with Vertical(classes="form-field"):
                        yield Select(
                            [(e.label, e.code) for e in catalog.EMPLOYMENT_TYPES],
                            value=self._start.employment_type,
                            allow_blank=False,
                            id="field-employment_type",
                            compact=True,
                        )
                        yield FieldError(id="error-employment_type")
                for name, label in CHECKS:
                    yield Checkbox(label, getattr(self._start, name), id=f"field-{name}", classes="form-check", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Spara", variant="primary", id="form-save")
                yield Button("Avbryt", id="form-cancel")

    def on_mount(self) -> None:
        first = "#field-name" if self._original else "#field-role"
        self.query_one(first).focus()

    def _collect(self) -> StaffInput:
        return StaffInput(**{name: self.field_value(name) for name in self.FIELDS})

    def action_save(self) -> None:
        member, errors = check_staff_input(self._collect(), original=self._original, taken_ids=self._taken_ids)
        if not self.show_errors(errors):
            self.dismiss(member)

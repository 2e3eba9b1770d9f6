"""Choosing a file to import, previewing an import, choosing where to export."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.validation import ValidationResult, Validator
from textual.widgets import Button, Input, Label, Select, Static, TabbedContent, TabPane

from bouv_tui.domain import catalog
from bouv_tui.tui.dialogs.base import DialogScreen
from bouv_tui.tui.widgets.fields import FieldError
from bouv_tui.tui.widgets.table import Table

IMPORT_SUFFIXES = (".csv", ".xlsx")


class _ImportableFile(Validator):
    def __init__(self, suffixes: tuple[str, ...] = IMPORT_SUFFIXES) -> None:
        super().__init__()
        self.suffixes = suffixes

    def validate(self, value: str) -> ValidationResult:
        path = Path(value.strip()).expanduser()
        if not value.strip():
            if self.suffixes == IMPORT_SUFFIXES:
                return self.failure("Ange sökvägen till en CSV- eller XLSX-fil.")
            return self.failure(f"Ange sökvägen till filen ({', '.join(self.suffixes)}).")
        if not path.is_file():
            return self.failure(f"Filen {path} finns inte.")
        if path.suffix.lower() not in self.suffixes:
            return self.failure(f"Filen ska vara {', '.join(self.suffixes[:-1])} eller {self.suffixes[-1]}.")
        return self.success()


class ImportFileDialog(DialogScreen[Path | None]):
    """Asks for the file to import."""

    BINDINGS = [
        Binding("escape", "cancel", "Avbryt", id="import_file.cancel", tooltip="Stäng utan att importera"),
        Binding("ctrl+o", "browse", "Bläddra", id="import_file.browse", tooltip="Välj filen i en mapplista"),
    ]

    def __init__(self, title: str, hint: str, *, suffixes: tuple[str, ...] = IMPORT_SUFFIXES):
        super().__init__()
        self._title = title
        self._hint = hint
        self._suffixes = suffixes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(self._title, classes="dialog-title")
            yield Static(escape(self._hint), classes="dialog-body")
            with Horizontal(classes="path-row"):
                yield Input(placeholder="/sökväg/till/personal.xlsx", validators=[_ImportableFile(self._suffixes)], id="import-path")
                yield Button("Bläddra…", id="import-browse", tooltip="Välj filen i en mapplista (Ctrl+O)")
            yield FieldError(id="import-path-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Förhandsgranska", variant="primary", id="import-go")
                yield Button("Avbryt", id="import-cancel")

    @on(Input.Changed, "#import-path")
    def _changed(self, event: Input.Changed) -> None:
        result = event.validation_result
        self.query_one("#import-path-error", FieldError).show(
            "" if result is None or result.is_valid or not event.value else result.failure_descriptions[0]
        )

    @on(Button.Pressed, "#import-browse")
    def action_browse(self) -> None:
        """A file list starting in the typed path's folder or the last folder used; the file
        chosen goes into the field and on to the preview, checked as a typed one is."""
        from bouv_tui.tui.dialogs.file_picker import PickFile, start_folder

        field = self.query_one("#import-path", Input)

        def chosen(path: Path | None) -> None:
            if path is not None:
                field.value = str(path)
                self._go()

        self.app.push_screen(PickFile(start_folder(field.value, self.app.export_folder())), chosen)

    @on(Input.Submitted, "#import-path")
    @on(Button.Pressed, "#import-go")
    def _go(self) -> None:
        field = self.query_one("#import-path", Input)
        result = field.validate(field.value)
        if result is not None and not result.is_valid:
            self.query_one("#import-path-error", FieldError).show(result.failure_descriptions[0])
            field.focus()
            return
        self.dismiss(Path(field.value.strip()).expanduser())

    @on(Button.Pressed, "#import-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class PreviewDialog(DialogScreen[bool]):
    """What an import will do, before anything is written; confirmed only when the file has
    no errors (all or nothing). Subclasses say what the summary and the details are."""

    BINDINGS = [
        Binding("escape", "cancel", "Avbryt", id="import_preview.cancel", tooltip="Stäng utan att importera"),
        Binding("ctrl+s", "confirm", "Importera", id="import_preview.confirm", tooltip="Spara allt i filen"),
    ]

    def __init__(self, title: str, plan):
        super().__init__()
        self._title = title
        self._plan = plan

    def summary(self) -> str:
        """One line of what the import will do; subclasses add their own counts."""
        return f"Fel: {len(self._plan.errors)}"

    def compose_details(self) -> ComposeResult:
        """The error table, and whatever else the import wants to show."""
        yield Table(id="preview-errors", cursor_type="row", zebra_stripes=True)

    def fill_details(self) -> None:
        """Fill what :meth:`compose_details` made (the error table is filled already)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog preview-dialog"):
            yield Label(escape(self._title), classes="dialog-title")
            yield Static(self.summary(), id="preview-summary")
            if self._plan.errors:
                yield Static(
                    "Filen har fel. Ingenting importeras förrän alla fel är rättade i filen.",
                    classes="preview-blocked",
                )
            yield from self.compose_details()
            yield Static("", id="preview-detail")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Importera", variant="primary", id="preview-confirm", disabled=not self._plan.ok)
                yield Button("Avbryt", id="preview-cancel")

    def on_mount(self) -> None:
        errors = self.query_one("#preview-errors", Table)
        errors.add_columns("Rad", "Kolumn", "Fel")
        errors.add_rows([(e.row, e.column, e.message) for e in self._plan.errors])
        self.fill_details()
        self.query_one("#preview-confirm" if self._plan.ok else "#preview-cancel", Button).focus()

    @on(Table.RowHighlighted, "#preview-errors")
    def _error_detail(self, event: Table.RowHighlighted) -> None:
        """Long messages are cut in the table: the highlighted one is shown whole below it."""
        error = self._plan.errors[event.cursor_row]
        self.query_one("#preview-detail", Static).update(escape(str(error)))

    def action_confirm(self) -> None:
        if self._plan.ok:
            self.dismiss(True)
        else:
            self.notify("Filen har fel; rätta dem och importera igen.", severity="warning")

    @on(Button.Pressed, "#preview-confirm")
    def _confirm(self) -> None:
        self.action_confirm()

    @on(Table.RowSelected)
    @on(Table.CellSelected)
    def _enter_in_a_list(self) -> None:
        """Enter in one of the preview's lists (there is nothing to pick in them) is the same
        as Importera, as Ctrl+S is."""
        self.action_confirm()

    @on(Button.Pressed, "#preview-cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)


class ImportPreview(PreviewDialog):
    """A roster import: who is added and who is changed, with every column the file writes
    and its values as read (an FTE read from a share shows both), every row error and every
    warning (a value read in a way the file may not have meant)."""

    def __init__(self, file: Path, plan):
        super().__init__(f"Import från {file.name}", plan)

    def summary(self) -> str:
        plan = self._plan
        warnings = getattr(plan, "warnings", [])
        return (
            f"Läggs till: {len(plan.adds)}   Uppdateras: {len(plan.updates)}   "
            f"Oförändrade: {plan.unchanged}   Fel: {len(plan.errors)}"
            + (f"   Varningar: {len(warnings)}" if warnings else "")
        )

    def compose_details(self) -> ComposeResult:
        plan = self._plan
        warnings = getattr(plan, "warnings", [])
        notices = getattr(plan, "notices", [])
        for notice in notices:
            yield Static(escape(notice), classes="preview-blocked")
        with TabbedContent(initial="tab-errors" if plan.errors else "tab-adds", id="preview-tabs"):
            with TabPane(f"Fel ({len(plan.errors)})", id="tab-errors"):
                yield from super().compose_details()
            with TabPane(f"Nya ({len(plan.adds)})", id="tab-adds"):
                yield Table(id="preview-adds", cursor_type="row", zebra_stripes=True)
            with TabPane(f"Ändrade ({len(plan.updates)})", id="tab-updates"):
                yield Table(id="preview-updates", cursor_type="row", zebra_stripes=True)
            if warnings:
                with TabPane(f"Varningar ({len(warnings)})", id="tab-warnings"):
                    yield Table(id="preview-warnings", cursor_type="row", zebra_stripes=True)

    def fill_details(self) -> None:
        plan = self._plan
        columns = getattr(plan, "columns", None) or ["namn", "roll", "enhet", "personal_id"]
        columns = [c for c in columns if c in COLUMN_FIELDS]
        read_as = getattr(plan, "read_as", {})
        add_rows = getattr(plan, "add_rows", None) or [""] * len(plan.adds)
        adds = self.query_one("#preview-adds", Table)
        adds.add_columns("Rad", *(COLUMN_LABELS[c] for c in columns))
        adds.add_rows(
            [
                (row, *(_shown(member, c, read_as.get((row, c))) for c in columns))
                for row, member in zip(add_rows, plan.adds)
            ]
        )
        update_rows = getattr(plan, "update_rows", None) or [""] * len(plan.updates)
        updates = self.query_one("#preview-updates", Table)
        updates.add_columns("Rad", "Namn", "Personal-id", "Ändras")
        updates.add_rows(
            [
                (row, new.name, new.personal_id or "", _changes(old, new, read_as, row))
                for row, (old, new) in zip(update_rows, plan.updates)
            ]
        )
        warnings = getattr(plan, "warnings", [])
        if warnings:
            table = self.query_one("#preview-warnings", Table)
            table.add_columns("Rad", "Kolumn", "Varning")
            table.add_rows([(w.row, w.column, w.message) for w in warnings])


#: Roster column code → the StaffMember field it writes (erfarenhet_ar writes experience_from).
COLUMN_FIELDS = {
    "personal_id": "personal_id", "namn": "name", "roll": "role", "enhet": "unit",
    "anstalld_fran": "employed_from", "anstalld_till": "employed_until", "erfarenhet_fran": "experience_from",
    "erfarenhet_ar": "experience_from", "socionomexamen": "social_work_degree",
    "behorighetsintyg": "qualification_certificate", "sysselsattningsgrad": "fte",
    "anstallningsform": "employment_type", "fortbildning": "continuing_training",
    "vidareutbildning": "further_education", "magister_master": "masters_degree",
    "forsta_chefsjobb": "first_manager_job", "behover_handledningsstod": "needs_supervision_support",
}  # fmt: skip
COLUMN_LABELS = {
    "personal_id": "Personal-id", "namn": "Namn", "roll": "Roll", "enhet": "Enhet",
    "anstalld_fran": "Anställd från", "anstalld_till": "Anställd till", "erfarenhet_fran": "Erfarenhet från",
    "erfarenhet_ar": "Erfarenhet från", "socionomexamen": "Socionom", "behorighetsintyg": "Behörighetsintyg",
    "sysselsattningsgrad": "Syss.grad", "anstallningsform": "Anst.form", "fortbildning": "Fortbildning",
    "vidareutbildning": "Vidareutb.", "magister_master": "Magister", "forsta_chefsjobb": "Första chefsjobb",
    "behover_handledningsstod": "Handl.stöd",
}  # fmt: skip


def _value_text(field: str, value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if field == "fte":
        return f"{value} %"
    if field == "role":
        return catalog.ROLES.label(value)
    if field == "employment_type":
        try:
            return catalog.EMPLOYMENT_TYPES.label(value)
        except Exception:
            return str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _shown(member, column: str, text: str | None) -> str:
    """The value written, and the cell's text when the value is a translation of it."""
    shown = _value_text(COLUMN_FIELDS[column], getattr(member, COLUMN_FIELDS[column]))
    return f"{shown} ({text})" if text is not None and text != shown else shown


FIELD_LABELS = {
    "name": "namn", "role": "roll", "unit": "enhet", "employed_from": "anställd från",
    "employed_until": "anställd till", "experience_from": "erfarenhet från",
    "social_work_degree": "socionomexamen", "qualification_certificate": "behörighetsintyg",
    "fte": "sysselsättningsgrad", "employment_type": "anställningsform",
    "continuing_training": "fortbildning", "further_education": "vidareutbildning",
    "masters_degree": "magister/master", "first_manager_job": "första chefsjobb",
    "needs_supervision_support": "behöver handledningsstöd",
}  # fmt: skip


def _changes(old, new, read_as=None, row=None) -> str:
    """What an update changes: ``sysselsättningsgrad 75 % → 100 % (1)``, one field after another."""
    by_field = {f: c for c, f in COLUMN_FIELDS.items() if c != "erfarenhet_ar"}
    parts = []
    for f, label in FIELD_LABELS.items():
        before, after = getattr(old, f), getattr(new, f)
        if before == after:
            continue
        text = (read_as or {}).get((row, by_field.get(f)))
        shown = _value_text(f, after)
        if text is not None and text != shown:
            shown += f" ({text})"
        parts.append(f"{label} {_value_text(f, before) or '–'} → {shown or '–'}")
    return ", ".join(parts)


@dataclass(frozen=True)
class ExportChoice:
    """What the export dialog answers: where, in which format, and whether the user agreed
    to replace a read-only file there."""

    path: Path
    fmt: str
    replace_readonly: bool = False


class ExportDialog(DialogScreen[ExportChoice | None]):
    """Where to write an export and in which format.

    ``suffixes`` gives a format's file ending where it is not ``.<format>`` (the submission's
    csv is a zip of tables: ``.zip``), ``labels`` its name in the list. Before it closes the
    dialog checks the target as the export will (``services.check_export_target``): what
    cannot be written is said next to the name; a read-only file is replaced only after a
    question, and stays read-only."""

    BINDINGS = [
        Binding("escape", "cancel", "Avbryt", id="export.cancel", tooltip="Stäng utan att exportera"),
        Binding("ctrl+o", "browse", "Bläddra", id="export.browse", tooltip="Välj mappen i en mapplista"),
    ]

    def __init__(self, title: str, folder: Path, stem: str, formats: tuple[str, ...], *,
                 suffixes: dict[str, str] | None = None, labels: dict[str, str] | None = None):  # fmt: skip
        super().__init__()
        self._title = title
        self._folder = folder
        self._stem = stem
        self._formats = formats
        self._suffixes = {f: (suffixes or {}).get(f, f".{f}") for f in formats}
        self._labels = {f: (labels or {}).get(f, f.upper()) for f in formats}

    def compose(self) -> ComposeResult:
        first = self._formats[0]
        with Vertical(classes="dialog form-dialog"):
            yield Label(self._title, classes="dialog-title")
            with Horizontal(classes="form-row"):
                yield Label("Format", classes="form-label")
                yield Select([(self._labels[f], f) for f in self._formats], value=first,
                             allow_blank=False, id="export-format")  # fmt: skip
            with Horizontal(classes="form-row path-row"):
                yield Label("Mapp", classes="form-label")
                yield Input(str(self._folder), id="export-folder")
                yield Button("Bläddra…", id="export-browse", tooltip="Välj mappen i en mapplista (Ctrl+O)")
            with Horizontal(classes="form-row"):
                yield Label("Filnamn", classes="form-label")
                yield Input(f"{self._stem}{self._suffixes[first]}", id="export-name")
            yield FieldError(id="export-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Exportera", variant="primary", id="export-go")
                yield Button("Avbryt", id="export-cancel")

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        name = self.query_one("#export-name", Input)
        stem = name.value.strip()
        for suffix in (*self._suffixes.values(), *(f".{f}" for f in self._formats)):
            if stem.lower().endswith(suffix):
                stem = stem[: -len(suffix)]
                break
        name.value = f"{stem or self._stem}{self._suffixes[event.value]}"

    @on(Button.Pressed, "#export-browse")
    def action_browse(self) -> None:
        """A folder list starting in the folder typed; the folder chosen goes into the field."""
        from bouv_tui.tui.dialogs.file_picker import PickFolder, start_folder

        field = self.query_one("#export-folder", Input)

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                field.value = str(folder)
                self.query_one("#export-name", Input).focus()

        self.app.push_screen(PickFolder(start_folder(field.value, self.app.export_folder())), chosen)

    @on(Button.Pressed, "#export-go")
    @on(Input.Submitted)
    def _go(self) -> None:
        from bouv_tui.exchange.atomic import ExportError, ReadOnlyTarget
        from bouv_tui.services import check_export_target

        folder = Path(self.query_one("#export-folder", Input).value.strip()).expanduser()
        name = self.query_one("#export-name", Input).value.strip()
        fmt = self.query_one("#export-format", Select).value
        suffix = self._suffixes[fmt]
        error = self.query_one("#export-error", FieldError)
        if not folder.is_dir():
            error.show(f"Mappen {folder} finns inte.")
            return
        if suffix == ".zip" and name.lower().endswith(f".{fmt}"):
            error.show(f"{fmt.upper()}-exporten är en zip-fil med en CSV-tabell per fråga (Excel kan inte öppna "
                       f"den som .{fmt}): ge filen ändelsen .zip.")  # fmt: skip
            return
        if not name or "/" in name or "\\" in name or not name.lower().endswith(suffix):
            error.show(f"Ange ett filnamn som slutar på {suffix}.")
            return
        target = folder / name
        try:
            check_export_target(target)
        except ReadOnlyTarget:
            self._ask_replace(ExportChoice(target, fmt, replace_readonly=True))
            return
        except ExportError as exc:
            error.show(str(exc))
            return
        self.dismiss(ExportChoice(target, fmt))

    def _ask_replace(self, choice: ExportChoice) -> None:
        from bouv_tui.tui.dialogs.common import ConfirmDialog

        def answered(replace: bool | None) -> None:
            if replace:
                self.dismiss(choice)
            else:
                self.query_one("#export-error", FieldError).show(
                    f"{choice.path.name} är skrivskyddad och ersattes inte: välj ett annat filnamn.")

        self.app.push_screen(
            ConfirmDialog("Ersätta en skrivskyddad fil?",
                          f"{choice.path} är skrivskyddad. Vill du ersätta den med exporten? Den nya filen blir "
                          "också skrivskyddad: bouv-tui tar inte bort skrivskyddet.", confirm_label="Ersätt"),
            answered,
        )  # fmt: skip

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)

"""The training plan's dialogs (F8): a training's form, an occasion's form, the filters, and
choosing participants by their gaps. Each returns what was checked (nothing is stored here);
the plan screen saves it through the service."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import fields

from rich.markup import escape
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Input, Label, Select, SelectionList, Static

from bouv_tui import fmt
from bouv_tui.domain import catalog
from bouv_tui.domain import plan as rules
from bouv_tui.domain.plan import Candidate, Occasion, Participant, PlanFilter, Training
from bouv_tui.domain.plan_input import (
    OccasionInput,
    TrainingInput,
    check_occasion_input,
    check_training_input,
    parse_amount,
    parse_decimal,
    parse_seats,
)
from bouv_tui.domain.validation import InvalidValue, parse_iso_date
from bouv_tui.tui.dialogs.base import DialogScreen
from bouv_tui.tui.dialogs.exchange import PreviewDialog
from bouv_tui.tui.dialogs.form import FormDialog
from bouv_tui.tui.widgets.fields import FieldError, Parses
from bouv_tui.tui.widgets.table import Table

ROLE_SHORT = catalog.ROLE_SHORT


def _row(label: str, *widgets, name: str) -> Horizontal:
    """A form row: the label, the field(s) and the field's message under it."""
    return Horizontal(
        Label(label, classes="form-label"),
        Vertical(*widgets, FieldError(id=f"error-{name}"), classes="form-field"),
        classes="form-row",
    )


class _Form(FormDialog):
    """The plan's forms: Ctrl+S saves, Esc cancels (asking first when a field was changed)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Spara", id="plan_form.save", tooltip="Kontrollera och spara"),
        Binding("escape", "cancel", "Avbryt", id="plan_form.cancel", tooltip="Stäng utan att spara"),
    ]


class TrainingForm(_Form):
    """Add or edit a training; returns the checked Training (not stored), or None."""

    DEFAULT_CSS = """
    TrainingForm #field-areas { height: 8; }
    TrainingForm #field-groups, TrainingForm #field-tags { height: auto; max-height: 4; }
    TrainingForm .path-row Select { width: 22; margin-left: 1; }
    """

    FIELDS = tuple(f.name for f in fields(TrainingInput))

    def __init__(self, year: int, training: Training | None = None, *, areas: Sequence[str] = (),
                 taken: frozenset[str] = frozenset()) -> None:  # fmt: skip
        super().__init__()
        self._year = year
        self._taken = taken
        self._original = training
        start = TrainingInput.from_training(training) if training else TrainingInput(areas=tuple(areas))
        self._start = start

    def compose(self) -> ComposeResult:
        s = self._start
        title = f"Ändra utbildningen {self._original.name}" if self._original else f"Ny utbildning i planen för {self._year}"
        with Vertical(classes="dialog form-dialog"):
            yield Label(escape(title), classes="dialog-title")
            with VerticalScroll(id="form-fields"):
                yield _row("Namn *", Input(s.name, placeholder="T.ex. BBIC – grundutbildning", id="field-name",
                                           compact=True), name="name")  # fmt: skip
                yield _row("Typ *", Select([(k.label, k.code) for k in rules.KINDS], value=s.kind or rules.TRAINING,
                                           allow_blank=False, id="field-kind", compact=True), name="kind")  # fmt: skip
                yield _row(
                    "Områden *",
                    SelectionList(*[(a.label, a.code, a.code in s.areas) for a in catalog.AREAS], id="field-areas",
                                  compact=True),
                    name="areas",
                )  # fmt: skip
                yield _row("Annat område", Input(s.other_areas, placeholder="Eget område; flera med semikolon",
                                                 id="field-other_areas", compact=True), name="other_areas")  # fmt: skip
                yield _row("Anordnare", Input(s.provider, placeholder="T.ex. FoU Exempelby", id="field-provider",
                                              compact=True), name="provider")  # fmt: skip
                yield _row(
                    "Anordnartyp",
                    Select([(p.label, p.code) for p in catalog.PROVIDER_TYPES],
                           value=s.provider_type if s.provider_type else Select.NULL, prompt="Välj (fråga 12, 18, 21)",
                           id="field-provider_type", compact=True),
                    name="provider_type",
                )  # fmt: skip
                yield _row(
                    "Omfattning",
                    Horizontal(
                        Input(s.extent, placeholder="T.ex. 7,5", id="field-extent", compact=True,
                              validators=[Parses(lambda v: parse_decimal(v, "Omfattningen", 365))]),
                        Select([(u.label, u.code) for u in rules.EXTENT_UNITS], value=s.extent_unit or rules.DAYS,
                               allow_blank=False, id="field-extent_unit", compact=True),
                        classes="path-row",
                    ),
                    name="extent",
                )  # fmt: skip
                yield FieldError(id="error-extent_unit")
                yield _row("Målgrupp *", SelectionList(*[(g.label, g.code, g.code in s.groups) for g in rules.GROUPS],
                                                       id="field-groups", compact=True), name="groups")  # fmt: skip
                yield _row("Taggar", SelectionList(*[(t.label, t.code, t.code in s.tags) for t in rules.TAGS],
                                                   id="field-tags", compact=True), name="tags")  # fmt: skip
            with Horizontal(classes="dialog-buttons"):
                yield Button("Spara", variant="primary", id="form-save")
                yield Button("Avbryt", id="form-cancel")

    def on_mount(self) -> None:
        self.query_one("#field-name").focus()

    def collect(self) -> TrainingInput:
        return TrainingInput(**{name: self.field_value(name) for name in self.FIELDS})

    def action_save(self) -> None:
        training, errors = check_training_input(self.collect(), self._year, original=self._original,
                                                taken=self._taken)  # fmt: skip
        if not self.show_errors(errors):
            self.dismiss(training)


class OccasionForm(_Form):
    """Add or edit an occasion of a training; returns the checked Occasion, or None."""

    FIELDS = tuple(f.name for f in fields(OccasionInput))

    def __init__(self, training: Training, occasion: Occasion | None = None, *, booked: int = 0) -> None:
        super().__init__()
        self._training = training
        self._original = occasion
        self._booked = booked
        self._start = OccasionInput.from_occasion(occasion) if occasion else OccasionInput()

    def compose(self) -> ComposeResult:
        s = self._start
        title = ("Ändra tillfället" if self._original else "Nytt tillfälle") + f" av {self._training.name}"
        date_check = [Parses(parse_iso_date)]
        with Vertical(classes="dialog form-dialog"):
            yield Label(escape(title), classes="dialog-title")
            with VerticalScroll(id="form-fields"):
                yield _row("Start *", Input(s.start, placeholder="ÅÅÅÅ-MM-DD", id="field-start", compact=True,
                                            validators=date_check), name="start")  # fmt: skip
                yield _row("Slut *", Input(s.end, placeholder="ÅÅÅÅ-MM-DD", id="field-end", compact=True,
                                           validators=date_check), name="end")  # fmt: skip
                yield _row("Plats", Input(s.place, placeholder="Ort och lokal, eller distans", id="field-place",
                                          compact=True), name="place")  # fmt: skip
                yield _row("Platser", Input(s.seats, placeholder=f"Tomt = så många som bokas ({self._booked} bokade)",
                                            id="field-seats", compact=True, validators=[Parses(parse_seats)]),
                           name="seats")  # fmt: skip
                yield _row("Status", Select([(st.label, st.code) for st in rules.OCCASION_STATUSES], value=s.status,
                                            allow_blank=False, id="field-status", compact=True), name="status")  # fmt: skip
                yield _row("Finansiering", Select([(f.label, f.code) for f in rules.FUNDING], value=s.funding,
                                                  allow_blank=False, id="field-funding", compact=True),
                           name="funding")  # fmt: skip
                yield _row("Fast kostnad (kr)", Input(s.cost_fixed, placeholder="Hela kronor, t.ex. 25 000",
                                                      id="field-cost_fixed", compact=True,
                                                      validators=[Parses(parse_amount)]), name="cost_fixed")  # fmt: skip
                yield _row("Kostnad per deltagare (kr)",
                           Input(s.cost_per_participant, placeholder="Hela kronor", id="field-cost_per_participant",
                                 compact=True, validators=[Parses(parse_amount)]),
                           name="cost_per_participant")  # fmt: skip
                yield _row("Frånvarodagar per deltagare",
                           Input(s.days_away, placeholder="Dagar borta från arbetet, t.ex. 2,5",
                                 id="field-days_away", compact=True,
                                 validators=[Parses(lambda v: parse_decimal(v, "Frånvarodagarna", 365))]),
                           name="days_away")  # fmt: skip
                yield Static("", id="occasion-cost", classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Spara", variant="primary", id="form-save")
                yield Button("Avbryt", id="form-cancel")

    def on_mount(self) -> None:
        self.query_one("#field-start").focus()
        self._show_cost()

    @on(Input.Changed, "#field-cost_fixed, #field-cost_per_participant")
    def _show_cost(self) -> None:
        try:
            fixed = parse_amount(self.query_one("#field-cost_fixed", Input).value)
            per = parse_amount(self.query_one("#field-cost_per_participant", Input).value)
        except InvalidValue:
            self.query_one("#occasion-cost", Static).update("")
            return
        self.query_one("#occasion-cost", Static).update(
            f"Kostnad med {self._booked} bokade: [b]{fmt.number(fixed + per * self._booked)} kr[/b] "
            "(utan vikarier)."
        )

    def collect(self) -> OccasionInput:
        return OccasionInput(**{name: self.field_value(name) for name in self.FIELDS})

    def action_save(self) -> None:
        occasion, errors = check_occasion_input(
            self.collect(), self._training.id, self._training.year, original=self._original, booked=self._booked
        )
        if not self.show_errors(errors):
            self.dismiss(occasion)


class FilterDialog(DialogScreen[PlanFilter | None]):
    """Which trainings the table shows: by area, kind, tag, and the occasions' status and funding."""

    CHOICES = (
        ("area", "Område", [*((a.label, a.code) for a in catalog.AREAS), ("Annat (eget område)", rules.OTHER_AREA)]),
        ("kind", "Typ", [(k.label, k.code) for k in rules.KINDS]),
        ("tag", "Tagg", [(t.label, t.code) for t in rules.TAGS]),
        ("status", "Tillfällets status", [(s.label, s.code) for s in rules.OCCASION_STATUSES]),
        ("funding", "Finansiering", [(f.label, f.code) for f in rules.FUNDING]),
    )

    def __init__(self, current: PlanFilter) -> None:
        super().__init__()
        self._current = current

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Filtrera planen", classes="dialog-title")
            for name, label, options in self.CHOICES:
                value = getattr(self._current, name)
                with Horizontal(classes="form-row"):
                    yield Label(label, classes="form-label")
                    yield Select(options, value=value if value is not None else Select.NULL, prompt="Alla",
                                 id=f"filter-{name}", compact=True, classes="form-field")  # fmt: skip
            with Horizontal(classes="dialog-buttons"):
                yield Button("Visa", variant="primary", id="filter-ok")
                yield Button("Rensa", id="filter-clear")
                yield Button("Avbryt", id="filter-cancel")

    def on_mount(self) -> None:
        self.query_one("#filter-area").focus()

    def chosen(self) -> PlanFilter:
        values = {}
        for name, _label, _options in self.CHOICES:
            value = self.query_one(f"#filter-{name}", Select).value
            values[name] = None if value is Select.NULL else value
        return PlanFilter(**values)

    @on(Button.Pressed, "#filter-ok")
    def _ok(self) -> None:
        self.dismiss(self.chosen())

    @on(Button.Pressed, "#filter-clear")
    def _clear(self) -> None:
        self.dismiss(PlanFilter())

    @on(Button.Pressed, "#filter-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


def level_cell(level: str | None) -> Text:
    if level is None:
        return Text("·", style="dim", justify="center")
    style = {"saknar": "bold red", "fordjupad": "bold green"}.get(level, "")
    return Text(catalog.LEVEL_LETTER[level], style=style, justify="center")


class BookingDialog(DialogScreen[tuple[list[int], list[int]] | None]):
    """Choose who takes a seat on an occasion, filtered by role, unit and level in the
    training's areas, each person's levels shown. Returns (to book, to take off), or None."""

    BINDINGS = [
        Binding("space", "toggle", "Välj/avvälj", id="booking.toggle", tooltip="Välj eller avvälj personen"),
        Binding("ctrl+a", "all_shown", "Välj alla visade", id="booking.all",
                tooltip="Välj alla som visas, så långt platserna räcker"),
        Binding("ctrl+s", "save", "Boka", id="booking.save", tooltip="Boka de valda"),
        Binding("escape", "cancel", "Avbryt", id="booking.cancel", tooltip="Stäng utan att boka"),
    ]  # fmt: skip

    DEFAULT_CSS = """
    #booking-filters { height: auto; }
    #booking-filters Select { width: 1fr; margin-right: 1; }
    #booking-table { height: 1fr; min-height: 4; }
    .booking-dialog { width: 110; height: 90%; }
    DialogScreen.-short .booking-dialog { height: 100%; }
    #booking-seats { height: 1; }
    """

    def __init__(self, title: str, training: Training, occasion: Occasion,
                 find: Callable[..., list[Candidate]], units: Sequence[str], *,
                 level: str = rules.ANYONE, preselect: Sequence[int] = (), occasion_dates: dict[int, str] | None = None):  # fmt: skip
        super().__init__()
        self._title = title
        self._training = training
        self._occasion = occasion
        self._find = find
        self._units = units
        self._level = level
        self._dates = occasion_dates or {}
        self._shown: list[Candidate] = []
        first = find(level=rules.ANYONE)
        self._booked = {c.person.id for c in first if c.booked}
        self._chosen = set(self._booked) | set(preselect)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog booking-dialog"):
            yield Label(escape(self._title), classes="dialog-title")
            with Horizontal(id="booking-filters"):
                yield Select([(r.label, r.code) for r in catalog.ROLES], prompt="Alla roller", id="booking-role",
                             compact=True)  # fmt: skip
                yield Select([(u, u) for u in self._units], prompt="Alla enheter", id="booking-unit", compact=True)
                yield Select([(f.label, f.code) for f in rules.LEVEL_FILTERS], value=self._level, allow_blank=False,
                             id="booking-level", compact=True)  # fmt: skip
            yield Static("", id="booking-seats")
            yield Table(id="booking-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#booking-table", Table)
        table.add_column("", key="chosen", width=3)
        table.add_column("Namn", key="name")
        table.add_column("Roll", key="role")
        table.add_column("Enhet", key="unit")
        for area in self._training.areas[:6]:
            table.add_column(catalog.AREA_SHORT.get(area, area), key=f"area:{area}")
        table.add_column("Annat tillfälle", key="elsewhere")
        self.refill()
        table.focus()

    def _select(self, name: str) -> str | None:
        value = self.query_one(f"#booking-{name}", Select).value
        return None if value is Select.NULL else str(value)

    @on(Select.Changed)
    def refill(self) -> None:
        table = self.query_one("#booking-table", Table)
        level = self._select("level") or rules.ANYONE
        self._shown = self._find(role=self._select("role"), unit=self._select("unit"), level=level)
        self._shown.sort(key=lambda c: (not c.booked, c.person.name.casefold()))
        keep = table.cursor_row_key if table.row_count else None
        table.clear()
        table.add_rows([self._cells(c) for c in self._shown], keys=[c.person.id for c in self._shown])
        keys = [c.person.id for c in self._shown]
        if keep in keys:
            table.move_cursor(row=keys.index(keep))
        self._show_seats()

    def _cells(self, c: Candidate) -> list[Text]:
        mark = Text("[x]" if c.person.id in self._chosen else "[ ]", style="bold" if c.booked else "")
        elsewhere = ", ".join(self._dates.get(o, "annat") for o in c.elsewhere)
        return [
            mark, Text(c.person.name), Text(ROLE_SHORT.get(c.person.role, catalog.ROLES.label(c.person.role))),
            Text(c.person.unit), *(level_cell(level) for level in c.levels[:6]),
            Text(f"⚑ {elsewhere}" if elsewhere else "", style="yellow"),
        ]  # fmt: skip

    def seats_left(self) -> int | None:
        if self._occasion.seats is None:
            return None
        return self._occasion.seats - len(self._chosen)

    def _show_seats(self) -> None:
        left = self.seats_left()
        chosen, new = len(self._chosen), len(self._chosen - self._booked)
        off = len(self._booked - self._chosen)
        seats = "inget tak för platser" if left is None else f"{self._occasion.seats} platser, {left} kvar"
        text = f"Valda [b]{chosen}[/b] ({new} nya, {off} tas bort) – {seats}. Visas {len(self._shown)}."
        text += "  Mellanslag väljer, Ctrl+S bokar."
        self.query_one("#booking-seats", Static).update(text)

    def _redraw(self, staff_ids) -> None:
        table = self.query_one("#booking-table", Table)
        index = {c.person.id: i for i, c in enumerate(self._shown)}
        for staff_id in staff_ids:
            if staff_id in index:
                table.set_row_cells(index[staff_id], {0: self._cells(self._shown[index[staff_id]])[0]})
        self._show_seats()

    def action_toggle(self) -> None:
        table = self.query_one("#booking-table", Table)
        if not table.row_count:
            return
        staff_id = table.cursor_row_key
        if staff_id in self._chosen:
            self._chosen.discard(staff_id)
        elif self.seats_left() is not None and self.seats_left() <= 0:
            self.notify(f"Alla {self._occasion.seats} platser är valda. Avvälj någon först, eller öka platserna.",
                        severity="warning")  # fmt: skip
            return
        else:
            self._chosen.add(staff_id)
        self._redraw([staff_id])
        if table.cursor_row < table.row_count - 1:
            table.move_cursor(row=table.cursor_row + 1)

    def action_all_shown(self) -> None:
        added = []
        for c in self._shown:
            if c.person.id in self._chosen:
                continue
            left = self.seats_left()
            if left is not None and left <= 0:
                self.notify(f"Platserna räckte till {len(added)} av de visade.", severity="warning")
                break
            self._chosen.add(c.person.id)
            added.append(c.person.id)
        self._redraw(added)

    @on(Table.CellSelected, "#booking-table")
    def _clicked(self) -> None:
        self.action_toggle()

    def edited(self) -> bool:
        return self._chosen != self._booked

    def action_save(self) -> None:
        if not self.edited():
            self.dismiss(None)
            return
        self.dismiss((sorted(self._chosen - self._booked), sorted(self._booked - self._chosen)))

    def action_cancel(self) -> None:
        self.leave(None)


class ParticipantsDialog(DialogScreen[list[Participant] | None]):
    """The participants of an occasion: status (anmäld, deltog, avbröt, frånvarande) and
    completion. Returns the changed participants, or None."""

    BINDINGS = [
        *(Binding(str(i), f"set_status('{s.code}')", s.label, id=f"participants.{s.code}",
                  tooltip=f"Sätt status {s.label.lower()}") for i, s in enumerate(rules.PARTICIPANT_STATUSES, 1)),
        Binding("k", "toggle_completed", "Genomfört", id="participants.completed",
                tooltip="Växla om personen har genomfört utbildningen"),
        Binding("A", "all_attended", "Alla deltog", id="participants.all",
                tooltip="Alla anmälda: deltog och genomfört"),
        Binding("ctrl+s", "save", "Spara", id="participants.save", tooltip="Spara ändringarna"),
        Binding("escape", "cancel", "Avbryt", id="participants.cancel", tooltip="Stäng utan att spara"),
    ]  # fmt: skip

    DEFAULT_CSS = """
    .participants-dialog { width: 90; height: 80%; }
    DialogScreen.-short .participants-dialog { height: 100%; }
    #participants-table { height: 1fr; min-height: 4; }
    """

    def __init__(self, title: str, participants: Sequence[Participant], names: dict[int, tuple[str, str]]) -> None:
        super().__init__()
        self._title = title
        self._stored = {p.staff_id: p for p in participants}
        self._now = dict(self._stored)
        self._names = names
        self._order = sorted(self._stored, key=lambda i: names.get(i, ("", ""))[0].casefold())

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog participants-dialog"):
            yield Label(escape(self._title), classes="dialog-title")
            yield Static("1 anmäld · 2 deltog · 3 avbröt · 4 frånvarande · k genomfört · A alla deltog · Ctrl+S sparar",
                         classes="dialog-body")  # fmt: skip
            yield Table(id="participants-table", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        table = self.query_one("#participants-table", Table)
        table.add_column("Namn", key="name")
        table.add_column("Roll", key="role")
        table.add_column("Status", key="status")
        table.add_column("Genomfört", key="completed")
        table.add_rows([self._cells(i) for i in self._order], keys=self._order)
        table.focus()

    def _cells(self, staff_id: int) -> list[Text]:
        p = self._now[staff_id]
        name, role = self._names.get(staff_id, (f"Person {staff_id}", ""))
        changed = p != self._stored[staff_id]
        return [
            Text(name, style="bold" if changed else ""), Text(ROLE_SHORT.get(role, role)),
            Text(rules.PARTICIPANT_STATUSES.label(p.status)), Text("ja" if p.completed else "–"),
        ]  # fmt: skip

    def _change(self, staff_ids, **values) -> None:
        from dataclasses import replace

        table = self.query_one("#participants-table", Table)
        for staff_id in staff_ids:
            self._now[staff_id] = replace(self._now[staff_id], **values)
            table.set_row_cells(self._order.index(staff_id), dict(enumerate(self._cells(staff_id))))

    def _current(self) -> int | None:
        table = self.query_one("#participants-table", Table)
        return table.cursor_row_key if table.row_count else None

    def action_set_status(self, status: str) -> None:
        staff_id = self._current()
        if staff_id is None:
            return
        completed = self._now[staff_id].completed and status == rules.ATTENDED
        self._change([staff_id], status=status, completed=completed)

    def action_toggle_completed(self) -> None:
        staff_id = self._current()
        if staff_id is None:
            return
        p = self._now[staff_id]
        if not p.completed and p.status != rules.ATTENDED:
            self.notify("Bara den som deltog kan ha genomfört. Sätt status deltog (2) först.", severity="warning")
            return
        self._change([staff_id], completed=not p.completed)

    def action_all_attended(self) -> None:
        self._change([i for i in self._order if self._now[i].status == rules.BOOKED], status=rules.ATTENDED,
                     completed=True)  # fmt: skip

    def changed(self) -> list[Participant]:
        return [self._now[i] for i in self._order if self._now[i] != self._stored[i]]

    def edited(self) -> bool:
        return bool(self.changed())

    def action_save(self) -> None:
        self.dismiss(self.changed() or None)

    def action_cancel(self) -> None:
        self.leave(None)


class OccasionChooser(DialogScreen[int | None]):
    """Which occasion to book people on, when an area has several open ones."""

    def __init__(self, title: str, options: Sequence[tuple[str, int]]) -> None:
        super().__init__()
        self._title = title
        self._options = options

    def compose(self) -> ComposeResult:
        from textual.widgets import OptionList
        from textual.widgets.option_list import Option

        with Vertical(classes="dialog"):
            yield Label(escape(self._title), classes="dialog-title")
            yield OptionList(*(Option(escape(label), id=str(key)) for label, key in self._options), id="chooser")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Välj", variant="primary", id="chooser-ok")
                yield Button("Avbryt", id="chooser-cancel")

    def on_mount(self) -> None:
        self.query_one("#chooser").focus()

    def _chosen(self) -> int | None:
        from textual.widgets import OptionList

        options = self.query_one("#chooser", OptionList)
        if options.highlighted is None:
            return None
        return int(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self) -> None:
        self.dismiss(self._chosen())

    @on(Button.Pressed, "#chooser-ok")
    def _ok(self) -> None:
        self.dismiss(self._chosen())

    @on(Button.Pressed, "#chooser-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)


class TrainingImportPreview(PreviewDialog):
    """What a training import will do (``exchange.training_import.TrainingImportPlan``), before
    anything is written: every occasion of the file as new, changed or unchanged with who is
    booked, every row error and every warning. Confirmed only when the file has no errors."""

    def __init__(self, file_name: str, plan) -> None:
        super().__init__(f"Import av utbildningar från {file_name}", plan)

    def summary(self) -> str:
        plan = self._plan
        return (f"Utbildningar nya {plan.trainings_added}, ändrade {plan.trainings_updated}   "
                f"Tillfällen nya {plan.occasions_added}, ändrade {plan.occasions_updated}   "
                f"Bokas {plan.participants_booked}   Oförändrade {plan.unchanged}   Fel {len(plan.errors)}"
                + (f"   Varningar {len(plan.warnings)}" if plan.warnings else ""))  # fmt: skip

    def compose_details(self) -> ComposeResult:
        from textual.widgets import TabbedContent, TabPane

        plan = self._plan
        if plan.ok and plan.nothing_to_do:
            yield Static("Allt i filen finns redan så i planen: importen ändrar ingenting.")
        with TabbedContent(initial="tab-errors" if plan.errors else "tab-occasions", id="preview-tabs"):
            with TabPane(f"Fel ({len(plan.errors)})", id="tab-errors"):
                yield from super().compose_details()
            with TabPane("Tillfällen", id="tab-occasions"):
                yield Table(id="preview-occasions", cursor_type="row", zebra_stripes=True)
            if plan.warnings:
                with TabPane(f"Varningar ({len(plan.warnings)})", id="tab-warnings"):
                    yield Table(id="preview-warnings", cursor_type="row", zebra_stripes=True)

    def fill_details(self) -> None:
        plan = self._plan
        occasions = self.query_one("#preview-occasions", Table)
        occasions.add_columns("Rad", "Utbildning", "År", "Start", "Slut", "Vad", "Bokas")
        rows = []
        for item in plan.trainings:
            for o in item.occasions:
                what = "ny" if o.shown is None else ("ändras" if o.changed else "oförändrad")
                if item.shown is None:
                    what = "ny utbildning" if o is item.occasions[0] else "ny"
                rows.append((str(o.row), item.training.name, str(item.training.year), o.occasion.start.isoformat(),
                             o.occasion.end.isoformat(), what, str(len(o.book))))  # fmt: skip
        occasions.add_rows(rows)
        if plan.warnings:
            warnings = self.query_one("#preview-warnings", Table)
            warnings.add_columns("Rad", "Kolumn", "Varning")
            warnings.add_rows([(str(w.row), w.column or "", w.message) for w in plan.warnings])

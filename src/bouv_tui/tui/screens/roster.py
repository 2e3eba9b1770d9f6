"""Personal: the staff roster, its figures, the staff form, import and export.

Dialogs are imported when first opened, to keep them off the path to the first frame.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path

from rich.cells import cell_len
from rich.markup import escape
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Static

from bouv_tui import fmt
from bouv_tui.domain import catalog
from bouv_tui.domain.roster import COLUMNS, RosterFigures, StaffMember, list_staff, roster_figures
from bouv_tui.services import EXPORT_FORMATS, default_export_stem
from bouv_tui.tui.screens.paged import PagedScreen
from bouv_tui.tui.widgets.key_bar import KeyBar
from bouv_tui.tui.widgets.table import Table
from bouv_tui.tui.widgets.title_bar import TitleBar

#: The columns in the order they matter, which is their order on screen: what does not fit at
#: the right of a narrow terminal is what matters least (Socionomexamen is also in Behörighet).
ORDER = ("name", "role", "qualified", "unit", "fte", "experience", "employment_type",
         "social_work_degree", "employed_from")  # fmt: skip
HEADINGS = dict(COLUMNS)
#: Headings when the full ones do not all fit (the status line's "Sorterat på" has the full one).
SHORT_HEADINGS = {"name": "Namn", "role": "Roll", "qualified": "Behör.", "unit": "Enhet", "fte": "Syss.",
                  "experience": "Erf. år", "employment_type": "Anst.form", "social_work_degree": "Socionom",
                  "employed_from": "Anst. från"}  # fmt: skip
#: And shorter still, with the short cells, for an 80-column terminal.
COMPACT_HEADINGS = {**SHORT_HEADINGS, "experience": "Erf.", "employment_type": "Anst."}
#: Cell texts when even short headings are too wide (80 columns): role and form of employment.
ROLE_SHORT = catalog.ROLE_SHORT
EMPLOYMENT_SHORT = {catalog.PERMANENT: "Tillsv."}
SORT_CODES = list(ORDER)
#: Below this the table has no side margins (with the figures' narrow layout, ``-narrow``).
NARROW = 100
#: How many changes Ctrl+Z can take back, newest first.
UNDO_STEPS = 50


@dataclass(frozen=True)
class PersonChange:
    """One change of the roster, for Ctrl+Z. ``kind``: "add" (``after``: the person as added),
    "edit" (``before``: as the form was opened; ``after``: as saved, with the stored version)
    or "delete" (``before``: as deleted; ``backup``: when the backup holding their levels was taken)."""

    kind: str
    before: StaffMember | None = None
    after: StaffMember | None = None
    backup: str | None = None

    @property
    def person_id(self) -> int | None:
        return (self.after or self.before).id


class Figure(Static):
    """One of the roster's figures: a label above a number, in a box.

    The figures are counted from the whole roster, which is read after the first frame, so
    they are mounted only then: the first frame has six widgets fewer, and this CSS is read
    when they come (their row keeps its height, so nothing moves when they do)."""

    SCOPED_CSS = False
    DEFAULT_CSS = """
    Figure {
        width: 1fr;
        height: 4;
        border: round $primary 50%;
        padding: 0 1;
        content-align: left middle;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    Figure.problem {
        border: round $error;
        color: $error;
    }
    /* Below 100 columns the figures are two lines without a box, so the figure and its
       label fit in a sixth of the width and the table keeps the rows. */
    RosterScreen.-narrow Figure {
        height: 2;
        border: none;
        border-left: outer $primary 50%;
        padding: 0;
    }
    RosterScreen.-narrow Figure.problem {
        border: none;
        border-left: outer $error;
    }
    """


class RosterScreen(PagedScreen):
    """The first section: who works with children and young people."""

    DEFAULT_CSS = """
    #roster-figures {
        height: 4;
        padding: 0 1;
    }
    #roster-filters {
        height: 3;
        padding: 0 1;
    }
    #roster-filter {
        width: 2fr;
    }
    #roster-role {
        width: 1fr;
        min-width: 24;
        height: 3;
        content-align: left middle;
        padding: 0 1;
    }
    #roster-role:hover {
        background: $boost;
    }
    #roster-show-left {
        width: auto;
    }
    #roster-table {
        height: 1fr;
        margin: 0 1;
    }
    #roster-status {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    /* Below 100 columns the figures are two lines without a box (see Figure). */
    RosterScreen.-narrow #roster-figures {
        height: 2;
    }
    RosterScreen.-narrow #roster-filters {
        padding: 0;
    }
    RosterScreen.-narrow #roster-filter {
        width: 1fr;
    }
    RosterScreen.-narrow #roster-role {
        width: auto;
    }
    RosterScreen.-narrow #roster-table {
        margin: 0;
    }
    """


    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]

    TITLE = "Personal"
    HELP_TOPIC = "roster"

    BINDINGS = [
        Binding("a", "add", "Ny person", id="roster.add", tooltip="Lägg till en person i registret"),
        Binding("e,enter", "edit", "Redigera", id="roster.edit", tooltip="Ändra den markerade personen"),
        Binding("delete", "delete", "Ta bort", id="roster.delete", tooltip="Ta bort den markerade personen"),
        Binding("i", "import", "Importera", id="roster.import", tooltip="Läs in personal från CSV eller XLSX"),
        Binding("x", "export", "Exportera", id="roster.export", tooltip="Skriv registret till CSV eller XLSX"),
        Binding("slash", "focus_filter", "Sök", id="roster.filter", tooltip="Filtrera på namn eller enhet"),
        Binding("escape", "leave_filter", "Till listan", id="roster.leave_filter", show=False,
                tooltip="Lämna sökrutan (filtret står kvar)"),
        Binding("ctrl+z", "undo", "Ångra", id="roster.undo",
                tooltip="Ångra den senaste ändringen (ny, ändrad eller borttagen person) i den här körningen"),
        Binding("s", "sort_next", "Sortera", id="roster.sort", tooltip="Sortera på nästa kolumn"),
        Binding("v", "sort_reverse", "Vänd", id="roster.reverse", tooltip="Vänd sorteringsordningen"),
        Binding("r", "cycle_role", "Roll", id="roster.role",
                tooltip="Filtrera på roll: alla, handläggare, arbetsledare, annan"),  # fmt: skip
        Binding("h", "toggle_left", "Avslutade", id="roster.left", tooltip="Visa eller dölj personer som slutat"),
        Binding(
            "b", "toggle_unqualified", "Obehöriga", id="roster.unqualified",
            tooltip="Visa bara handläggare utan socionomexamen och utan behörighetsintyg",
        ),
        Binding("right_square_bracket", "page(1)", "Nästa sida", id="roster.next_page", tooltip="Nästa sida"),
        Binding("left_square_bracket", "page(-1)", "Förra sidan", id="roster.prev_page", tooltip="Förra sidan"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.staff: list[StaffMember] = []
        self.figures: RosterFigures | None = None
        self.sort = "name"
        self.descending = False
        self.only_unqualified = False
        #: The role filter (``r`` steps through "all" and the roles): a role code or None for all.
        self.role_filter: str | None = None
        #: Ctrl+Z: the changes of this run, newest last.
        self.undo_stack: deque[PersonChange] = deque(maxlen=UNDO_STEPS)
        #: The columns on screen as (code, heading) and whether cells are in their short form.
        self.column_layout: tuple[tuple[tuple[str, str], ...], bool] = ((), False)
        #: The screen width ``column_layout`` was chosen for, with the rows now in the table.
        self.fitted_width = 0

    def commands(self):
        """This section's entries in the command palette."""
        yield "Lägg till person", "Ny person i personalregistret (a)", self.action_add
        yield "Importera personal", "Läs in personal från CSV eller XLSX (i)", self.action_import
        yield "Exportera personal", "Skriv registret till CSV eller XLSX (x)", self.action_export
        yield "Visa handläggare utan behörighet", "Filtrera registret (b)", self.action_toggle_unqualified

    # --- layout -----------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Horizontal(id="roster-figures")  # the Figures, once counted (_show_figures)
        with Horizontal(id="roster-filters"):
            yield Input(placeholder="Sök namn eller enhet ( / )", id="roster-filter")
            # A label that a key (or a click) steps through, rather than a Select: the role
            # filter is one of four values, and a Select costs the first frame about 50 ms.
            yield Static(self._role_text(), id="roster-role")
            yield Checkbox("Visa avslutade", self.app.config.ui.show_left, id="roster-show-left")
        yield Table(id="roster-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="roster-status")
        yield KeyBar()

    def on_mount(self) -> None:
        table = self.query_one("#roster-table", Table)
        self._show_first_page()
        # After the first frame is painted, so the worker does not compete with it.
        self.call_after_refresh(self._load_all)
        table.focus()

    # --- data -------------------------------------------------------------------------

    def _show_first_page(self) -> None:
        """The first frame: the rows that fit, straight from the file, before the whole roster is read.

        At national scale reading everyone and computing the figures takes a noticeable
        moment; the first page is there at once and the rest follows from a worker.
        """
        today = self.app.today()
        show_left = self.query_one("#roster-show-left", Checkbox).value
        # No more rows than the terminal can show: the rest of the page comes with the rest.
        visible = min(self.app.config.ui.page_size, max(10, self.app.size.height))
        self.shown = self.app.workspace.first_page(today, visible, include_left=show_left)
        self._fill(self.shown, today)
        self.query_one("#roster-status", Static).update("Läser in hela registret …")

    def _load_all(self, keep: int | None = None) -> None:
        """Read the whole roster and its figures in a worker, then redraw (the cursor stays on
        its person, or moves to ``keep``)."""
        ws, today = self.app.workspace, self.app.today()

        def read():
            staff = ws.staff()
            return staff, roster_figures(staff, today)

        self.background("Personalregistret kunde inte läsas", read, lambda result: self._loaded(*result, keep=keep),
                        group="roster-load")  # fmt: skip

    def _loaded(self, staff: list[StaffMember], figures: RosterFigures, keep: int | None = None) -> None:
        self.staff, self.figures = staff, figures
        self._show_figures()
        self.refresh_table(keep=keep)

    def reload_data(self, keep: int | None = None) -> None:
        """Read the roster again and redraw, keeping the cursor's person (or ``keep``) in view."""
        self._load_all(keep)

    FIGURE_HELP = {
        "caseworkers": "Handläggare anställda i dag, och årsarbetare (summan av sysselsättningsgraderna).",
        "team_leaders": "Arbetsledare anställda i dag, och årsarbetare.",
        "new": "Andel av handläggarna med mindre än ett års erfarenhet av socialt arbete.",
        "consultants": "Andel av handläggarna som hyrs in via bemanningsföretag.",
        "turnover": "Handläggare och arbetsledare som slutat de senaste tolv månaderna, delat med "
        "genomsnittligt antal anställda under perioden.",
        "unqualified": "Handläggare utan socionomexamen och utan arbetsgivarens intyg om behörighet får sedan "
        "1 juli 2014 inte bedöma, utreda eller följa upp ärenden om barn och unga. Tryck b för att se vilka.",
    }

    def _show_figures(self) -> None:
        """The figures' boxes (mounted the first time) show the figures now counted."""
        f = self.figures
        n = len(f.unqualified)
        texts = {
            "caseworkers": f"Handläggare\n[b]{fmt.number(f.caseworkers)}[/b] ({fmt.number(f.caseworker_fte, 1)} åa)",
            "team_leaders": f"Arbetsledare\n[b]{fmt.number(f.team_leaders)}[/b] "
            f"({fmt.number(f.team_leader_fte, 1)} åa)",
            "new": f"Nya, < 1 år\n[b]{fmt.percent(f.share_new)}[/b]",
            "consultants": f"Konsulter\n[b]{fmt.percent(f.share_consultants)}[/b]",
            "turnover": f"Omsättning\n[b]{fmt.percent(f.turnover_12m)}[/b] ({f.departures_12m} slutat)",
            "unqualified": f"Obehöriga\n[b]{n}[/b]" + (" ⚠ (b)" if n else " ✓"),
        }
        row = self.query_one("#roster-figures", Horizontal)
        if not row.children:
            boxes = []
            for key, help_text in self.FIGURE_HELP.items():
                box = Figure(id=f"fig-{key}")
                box.tooltip = help_text
                boxes.append(box)
            row.mount_all(boxes)
        for key, text in texts.items():
            self.query_one(f"#fig-{key}", Figure).update(text)
        self.query_one("#fig-unqualified", Figure).set_class(n > 0, "problem")

    def _filtered(self) -> list[StaffMember]:
        rows = list_staff(
            self.staff,
            self.app.today(),
            text=self.query_one("#roster-filter", Input).value,
            role=self.role_filter,
            show_left=self.query_one("#roster-show-left", Checkbox).value,
            sort=self.sort,
            descending=self.descending,
        )
        if self.only_unqualified and self.figures is not None:
            unqualified = {p.id for p in self.figures.unqualified}
            rows = [p for p in rows if p.id in unqualified]
        return rows

    def refresh_table(self, keep: int | None = None, *, follow: bool = True) -> None:
        """Show the current page; with ``follow``, the page holding ``keep`` (default: the cursor's person)."""
        table = self.query_one("#roster-table", Table)
        if follow and keep is None and table.row_count and self.shown:
            keep = self._current_id()
        if not follow:
            keep = None
        self.shown = self._filtered()
        start, page = self.current_page(keep)
        today = self.app.today()
        with self.app.batch_update():
            self._fill(page, today)
            if keep is not None:
                row = next((i for i, p in enumerate(page) if p.id == keep), None)
                if row is not None:
                    table.move_cursor(row=row)
        if not self.staff:
            status = "Registret är tomt. Tryck a för att lägga till en person eller i för att importera en fil."
        elif not self.shown:
            wanted = self.query_one("#roster-filter", Input).value.strip()
            status = (f"Ingen träff för ”{escape(wanted)}”" if wanted else "Ingen träff") + " med de här filtren."
        else:
            status = self.page_status(len(page))
        status += f"   Sorterat på {dict(COLUMNS)[self.sort].lower()}"
        if self.only_unqualified:
            status += "   Bara handläggare utan behörighet (b visar alla)"
        self.query_one("#roster-status", Static).update(status)
        self.refresh_bindings()

    # --- which columns fit ----------------------------------------------------------------------

    def _arrow(self, code: str) -> str:
        return (" ▼" if self.descending else " ▲") if code == self.sort else ""

    def _fill(self, people: list[StaffMember], today) -> None:
        """Put ``people`` in the table, with the columns that fit the screen."""
        table = self.query_one("#roster-table", Table)
        self.fitted_width = self.size.width or self.app.size.width
        layout, rows = self._fit(people, today, self.fitted_width)
        columns = layout[0]
        if layout != self.column_layout:
            table.clear(columns=True)
            for code, heading in columns:
                table.add_column(Text(heading + self._arrow(code)), key=code)
            self.column_layout = layout
        else:
            # The headings first: clear() measures the columns again from them.
            for code, heading in columns:
                table.columns[table.get_column_index(code)].label = Text(heading + self._arrow(code))
            table.clear()
        table.add_rows([tuple(row[code] for code, _ in columns) for row in rows])

    def _fit(self, people: list[StaffMember], today, width: int | None = None):
        """((columns as (code, heading), short cells?), the rows' cells by code) for a screen
        ``width`` wide: every column with its full heading if all fit; else shorter headings;
        else short headings and cells, as many columns as fit in the order they matter.
        Table makes a column as wide as its widest cell or heading, plus padding."""
        width = width or self.size.width or self.app.size.width
        # The table's margins (none when narrow) and its vertical scrollbar.
        room = width - (0 if width < NARROW else 2) - 2

        def sizes(headings: dict[str, str], rows: list[dict[str, Text]]) -> list[int]:
            return [max([cell_len(headings[code] + self._arrow(code)),
                         *(cell_len(row[code].plain) for row in rows)]) + 2 for code in ORDER]  # fmt: skip

        rows = [_cell_map(p, today) for p in people]
        for headings in (HEADINGS, SHORT_HEADINGS):
            if sum(sizes(headings, rows)) <= room:
                return (tuple((code, headings[code]) for code in ORDER), False), rows
        rows = [_cell_map(p, today, short=True) for p in people]
        shown, used = [], 0
        for code, size in zip(ORDER, sizes(COMPACT_HEADINGS, rows)):
            if shown and used + size > room:
                break
            shown.append((code, COMPACT_HEADINGS[code]))
            used += size
        return (tuple(shown), True), rows

    def _page_fits(self, width: int) -> bool:
        """Whether the columns shown are the ones that fit ``width``."""
        if not self.column_layout[0] or width == self.fitted_width:
            # Chosen for this width and these rows (each change of the rows chooses again):
            # the resizes while the screen is first laid out cost nothing.
            return True
        _start, page = self.current_page(self._current_id())
        return self._fit(page, self.app.today(), width)[0] == self.column_layout

    def on_resize(self, event: events.Resize) -> None:
        if not self._page_fits(event.size.width):
            self.call_after_refresh(self.refresh_table)

    @on(events.ScreenResume)
    def _fit_when_shown(self) -> None:
        """The terminal may have been resized while another section was shown."""
        if not self._page_fits(self.app.size.width):
            self.refresh_table()

    def _current_id(self) -> int | None:
        person = self.current()
        return person.id if person else None

    def current(self) -> StaffMember | None:
        """The person under the cursor."""
        table = self.query_one("#roster-table", Table)
        return self.shown_at(table.cursor_row) if table.row_count else None

    # --- filters and sorting ---------------------------------------------------------------

    @on(Input.Changed, "#roster-filter")
    @on(Checkbox.Changed, "#roster-show-left")
    def _filters_changed(self) -> None:
        self.page = 0
        self.refresh_table()

    @on(Input.Submitted, "#roster-filter")
    def _filter_done(self) -> None:
        self.query_one("#roster-table").focus()

    @on(Table.RowSelected, "#roster-table")
    def _row_selected(self) -> None:
        """Enter (or a click on the highlighted row): the table takes the key before the
        screen's binding does, so the edit is opened from here."""
        self.action_edit()

    @on(Table.HeaderSelected, "#roster-table")
    def _header(self, event: Table.HeaderSelected) -> None:
        code = str(event.column_key)
        self.descending = not self.descending if code == self.sort else False
        self.sort = code
        self.refresh_table()

    def action_focus_filter(self) -> None:
        self.query_one("#roster-filter").focus()

    def action_leave_filter(self) -> None:
        """Esc in the filter box: back to the list, the filter kept (a later key is a command again)."""
        if self.focused is self.query_one("#roster-filter"):
            self.query_one("#roster-table").focus()

    def action_sort_next(self) -> None:
        self.sort = SORT_CODES[(SORT_CODES.index(self.sort) + 1) % len(SORT_CODES)]
        self.descending = False
        self.refresh_table()

    def action_sort_reverse(self) -> None:
        self.descending = not self.descending
        self.refresh_table()

    def _role_text(self) -> str:
        label = catalog.ROLES.label(self.role_filter) if self.role_filter else "alla roller"
        return f"Roll: [b]{label}[/b] (r)"

    def action_cycle_role(self) -> None:
        """Alla roller → each role in the catalogue's order → alla roller."""
        order = [None, *catalog.ROLES.codes()]
        self.role_filter = order[(order.index(self.role_filter) + 1) % len(order)]
        self.query_one("#roster-role", Static).update(self._role_text())
        self._filters_changed()

    def on_click(self, event) -> None:
        if event.widget is not None and event.widget.id == "roster-role":
            self.action_cycle_role()

    def action_toggle_left(self) -> None:
        box = self.query_one("#roster-show-left", Checkbox)
        box.value = not box.value

    def action_toggle_unqualified(self) -> None:
        self.only_unqualified = not self.only_unqualified
        self.page = 0
        self.refresh_table()

    def action_page(self, step: int) -> None:
        self.page += step
        self.refresh_table(follow=False)
        self.query_one("#roster-table", Table).move_cursor(row=0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page":
            return self.can_turn_page(parameters[0])
        if action in ("edit", "delete"):
            return bool(self.shown)
        return True

    # --- add, edit, delete -----------------------------------------------------------------

    def _taken_ids(self) -> frozenset[str]:
        return frozenset(p.personal_id for p in self.staff if p.personal_id)

    def action_add(self) -> None:
        from bouv_tui.tui.dialogs.staff_form import StaffForm

        self.app.push_screen(StaffForm(taken_ids=self._taken_ids()), self._save_person)

    def action_edit(self) -> None:
        from bouv_tui.tui.dialogs.staff_form import StaffForm

        person = self.current()
        if person is not None:
            self.app.push_screen(StaffForm(person, taken_ids=self._taken_ids()),
                                 lambda member: self._save_person(member, person))  # fmt: skip

    def _save_person(self, member: StaffMember | None, shown: StaffMember | None = None) -> None:
        if member is not None:
            self._write_person(member, shown)

    def _write_person(self, member: StaffMember, shown: StaffMember | None = None) -> None:
        """Store a person from the form (``shown``: the person as the form was opened with)."""
        ws = self.app.workspace
        added = member.id is None

        def written(saved: StaffMember) -> None:
            if added or shown is not None:
                self.undo_stack.append(PersonChange("add", after=saved) if added
                                       else PersonChange("edit", before=shown, after=saved))  # fmt: skip
            what = "har lagts till" if added else "är sparad"
            self._written(f"{saved.name} {what}." if added else f"Ändringarna för {saved.name} är sparade.", saved.id)

        self.run_job(
            "Personen sparades inte",
            lambda: ws.save_person(member, shown=shown),
            written,
            force=lambda: ws.save_person(member, shown=shown, force=True),
        )

    def _written(self, message: str, keep: int | None = None) -> None:
        self.reload_data(keep)
        self.notify(escape(message))

    def action_delete(self) -> None:
        from bouv_tui.tui.dialogs.common import ConfirmDialog

        person = self.current()
        if person is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._delete_person(person)

        self.app.push_screen(
            ConfirmDialog(
                f"Ta bort {person.name}?",
                f"{person.name} tas bort ur registret tillsammans med allt som hör till personen "
                "(uppgifter om utbildning och anställning, och personens bedömningar i alla omgångar). "
                "En säkerhetskopia av filen tas först: bara genom att återställa den (bouv-tui restore) "
                "går det att ångra.\n\n"
                "Om personen har slutat: ange hellre sista anställningsdag, så finns historiken kvar "
                "för personalomsättningen.",
            ),
            confirmed,
        )

    def _delete_person(self, person: StaffMember) -> None:
        ws = self.app.workspace

        def deleted(backup: str | None) -> None:
            self.undo_stack.append(PersonChange("delete", before=person, backup=backup))
            self._written(f"{person.name} är borttagen.")

        self.run_job(
            "Personen togs inte bort",
            lambda: _deleted_with_backup(ws, person),
            deleted,
            force=lambda: _deleted_with_backup(ws, person, force=True),
        )

    # --- undo ------------------------------------------------------------------------------

    def action_undo(self) -> None:
        """Ctrl+Z: take back the latest add, edit or delete of this run, version-checked like
        any save (someone's later change of the person: the conflict dialog)."""
        if not self.undo_stack:
            self.app.bell()
            self.notify("Inget att ångra.")
            return
        change = self.undo_stack.pop()
        ws = self.app.workspace
        if change.kind == "add":
            person = change.after
            self.run_job(
                "Ångringen sparades inte",
                lambda: ws.delete_person(person),
                lambda _none: self._written(f"Ångrat: {person.name} är borttagen igen."),
                force=lambda: ws.delete_person(person, force=True),
            )
        elif change.kind == "edit":
            back, saved = change.before.with_changes(version=change.after.version), change.after

            def restored(stored: StaffMember) -> None:
                self._stored_now(stored.id, stored)
                self._written(f"Ångrat: ändringarna för {stored.name}.", stored.id)

            self.run_job(
                "Ångringen sparades inte",
                lambda: ws.save_person(back, shown=saved),
                restored,
                force=lambda: ws.save_person(back, shown=saved, force=True),
            )
        else:
            person = change.before
            again = person.with_changes(id=None, version=0)

            def added(stored: StaffMember) -> None:
                self._stored_now(person.id, stored)
                levels = (f" Nivåerna finns i säkerhetskopian från {change.backup} (bouv-tui restore)."
                          if change.backup else " Nivåerna kom inte tillbaka.")  # fmt: skip
                self._written(f"Ångrat: {stored.name} är tillbaka i registret.{levels}", stored.id)

            self.run_job("Ångringen sparades inte", lambda: ws.save_person(again), added)

    def _stored_now(self, old_id: int, stored: StaffMember) -> None:
        """After an undo, older changes of the same person expect them as stored now (and by
        their new id, when they were added back)."""
        for i, older in enumerate(self.undo_stack):
            if older.person_id != old_id:
                continue
            before = older.before.with_changes(id=stored.id) if older.before else None
            after = stored if older.after is not None else None
            if older.kind == "delete":
                before = stored
            self.undo_stack[i] = PersonChange(older.kind, before, after, older.backup)

    # --- import and export -------------------------------------------------------------------

    def action_import(self) -> None:
        from bouv_tui.tui.dialogs.exchange import ImportFileDialog

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.app.remember_folder(path.parent)
                self._plan_import(path)

        self.app.push_screen(
            ImportFileDialog(
                "Importera personal",
                "CSV (komma eller semikolon) eller XLSX med en rad per person. Kolumnerna namn och roll "
                "krävs; se hjälpen (F1) för alla kolumner. Ingenting sparas förrän du har sett vad som "
                "händer och bekräftat.",
            ),
            chosen,
        )

    def _plan_import(self, path: Path) -> None:
        ws, today = self.app.workspace, self.app.today()
        self.background("Filen kunde inte läsas", lambda: ws.plan_staff_import(path, today),
                        lambda plan: self._preview(path, plan), group="roster-import")  # fmt: skip

    def _preview(self, path: Path, plan) -> None:
        from bouv_tui.tui.dialogs.exchange import ImportPreview

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._apply_import(path, plan)

        self.app.push_screen(ImportPreview(path, plan), confirmed)

    def _apply_import(self, path: Path, plan) -> None:
        ws = self.app.workspace

        def done(outcome) -> None:
            self._written(f"Importen är klar: {outcome.added} tillagda, {outcome.updated} uppdaterade, "
                          f"{outcome.unchanged} oförändrade.")  # fmt: skip

        self.run_job("Importen sparades inte", lambda: ws.apply_staff_import(plan), done,
                     reread=lambda: self._plan_import(path))  # fmt: skip

    def action_export(self) -> None:
        from bouv_tui.tui.dialogs.exchange import ExportDialog

        def chosen(choice) -> None:
            if choice is not None:
                self.app.remember_folder(choice.path.parent)
                self._export(choice)

        self.app.push_screen(
            ExportDialog(
                "Exportera personalregistret",
                self.app.export_folder(),
                default_export_stem("personal", self.app.today()),
                EXPORT_FORMATS,
            ),
            chosen,
        )

    def _export(self, choice) -> None:
        """Write the roster where the dialog said (an ``ExportChoice``); a file that cannot be
        written reaches the error dialog with the export path's message."""
        ws, today = self.app.workspace, self.app.today()
        target, fmt_code, replace = choice.path, choice.fmt, choice.replace_readonly
        self.background(
            "Exporten skrevs inte",
            lambda: ws.export_staff(fmt_code, target, today, replace_readonly=replace),
            lambda _path: self.notify(escape(f"Personalregistret är sparat i {target}"), title="Exporterat"),
            group="roster-export",
        )


def _deleted_with_backup(ws, person: StaffMember, *, force: bool = False) -> str | None:
    """Delete a person (after the workspace's backup); returns when the newest backup, which
    holds their levels, was taken ("2026-11-22 14:03"), or None. Any thread."""
    from bouv_tui.store import db

    ws.delete_person(person, force=force)
    backup = db.latest_backup(ws.path)
    return db.backup_time(backup).strftime("%Y-%m-%d %H:%M") if backup is not None else None


def _yes_no(value: bool) -> str:
    return "ja" if value else "nej"


def _cells(p: StaffMember, today) -> tuple:
    """A person's cells in the order of ``COLUMNS``, in full."""
    cells = _cell_map(p, today)
    return tuple(cells[code] for code, _ in COLUMNS)


def _cell_map(p: StaffMember, today, *, short: bool = False) -> dict[str, Text]:
    """A person's cells by column code; ``short``: role, form of employment and a departure
    abbreviated, for an 80-column terminal."""
    years = p.years_of_experience(today)
    if p.is_qualified:
        qualified = Text("ja" if p.social_work_degree else "intyg")
    elif p.is_caseworker:
        qualified = Text("SAKNAS", style="bold red")
    else:
        qualified = Text("nej")
    name = Text(p.name)
    if p.has_left(today):
        left = "slutat" if short else f"slutade {p.employed_until.isoformat()}"
        name = Text(f"{p.name} ({left})", style="dim")
    role = catalog.ROLES.label(p.role)
    employment = catalog.EMPLOYMENT_TYPES.label(p.employment_type)
    if short:
        role = ROLE_SHORT.get(p.role, role)
        employment = EMPLOYMENT_SHORT.get(p.employment_type, employment)
    # Every cell is Text: the styled ones need it, and Table draws each in one pass.
    return {
        "name": name,
        "role": Text(role),
        "qualified": qualified,
        "unit": Text(p.unit),
        "fte": Text(f"{p.fte} %", justify="right"),
        "employed_from": Text(fmt.iso(p.employed_from)),
        "experience": Text(fmt.number(years, 1) if years is not None else "–", justify="right"),
        "social_work_degree": Text(_yes_no(p.social_work_degree)),
        "employment_type": Text(employment),
    }

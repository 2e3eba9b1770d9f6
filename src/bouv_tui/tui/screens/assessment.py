"""Bedömning: each person's level in each knowledge area, for one inventory round.

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
from textual.widgets import Checkbox, Input, Select, Static

from bouv_tui import fmt
from bouv_tui.domain import catalog, national
from bouv_tui.domain.assessment import Assessment, Round, area_profiles, areas_for, people_in_round
from bouv_tui.domain.grid import RoundGrid, people_named
from bouv_tui.domain.roster import StaffMember, swedish_key
from bouv_tui.tui.screens.paged import PagedScreen
from bouv_tui.tui.widgets.key_bar import KeyBar
from bouv_tui.tui.widgets.table import Table
from bouv_tui.tui.widgets.title_bar import TitleBar

FIXED = ("name", "role")
ROLE_SHORT = {catalog.CASEWORKER: "H", catalog.TEAM_LEADER: "A"}
#: Below this the grid has no side margins, a thin scrollbar and a shorter panel (``-narrow``).
NARROW = 100
#: How the grid is drawn, widest first; the first whose columns fit is used:
#: the table's padding of one on each side with AREA_SHORT headings; one space before each
#: column instead (as in Behov); and that with catalog.AREA_TINY headings and names cut at NAME_TINY.
PADDED, TIGHT, TINY = "padded", "tight", "tiny"
UNASSESSED_LABEL, UNASSESSED_SHORT = "Bara ej färdigbedömda (u)", "Ej färdiga (u)"
NAME_TINY = 18
#: Level names in the narrow panel (as in Inlämning's question 1).
LEVEL_SHORT = {"grundlaggande": "Grundl.", "fordjupad": "Fördj.", "saknar": "Saknar"}
#: How many changes Ctrl+Z can take back, newest first.
UNDO_STEPS = 50


@dataclass(frozen=True)
class LevelChange:
    """One change of the grid, for Ctrl+Z: the cells as stored before and as written after
    (``after`` with the version the store gave them, so that an undo of a cell someone else
    changed since is a Conflict rather than an overwrite)."""

    what: str  # "Saknar för Anna Berg i Barns utveckling"
    round_id: int
    cells: tuple[tuple[tuple[int, str], Assessment | None, Assessment | None], ...]  # (cell, before, after)


class AssessmentScreen(PagedScreen):

    DEFAULT_CSS = """
    #round-summary {
        height: 2;
        padding: 0 1;
    }
    #assessment-filters {
        height: 3;
        padding: 0 1;
    }
    #assessment-role, #assessment-unit, #assessment-search {
        width: 1fr;
    }
    #assessment-unassessed {
        width: auto;
    }
    #assessment-grid {
        height: 1fr;
        margin: 0 1;
    }
    #area-panel {
        /* A fixed height: a panel that grew or shrank with each area's text would move the grid
           and make it redraw every row on a keystroke. */
        height: 6;
        overflow: hidden;
        padding: 0 1;
        border-top: solid $primary 50%;
    }
    #assessment-status {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    /* Below 100 columns: the filters without padding and the role a fixed width (a 1fr Select
       wraps "Alla roller"), the grid edge to edge with a thin scrollbar, the panel one line a
       part (figures, the country, the description cut with an ellipsis). */
    AssessmentScreen.-narrow #assessment-filters {
        padding: 0;
    }
    AssessmentScreen.-narrow #assessment-role {
        width: 19;
    }
    AssessmentScreen.-narrow #assessment-unit {
        width: 20;
    }
    AssessmentScreen.-narrow #assessment-grid {
        margin: 0;
        scrollbar-size-vertical: 1;
    }
    AssessmentScreen.-narrow #area-panel {
        height: 5;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]

    TITLE = "Bedömning"
    HELP_TOPIC = "assessment"
    FOLLOWS_YEAR = True

    BINDINGS = [
        Binding("g,1", "set_level('grundlaggande')", "Grundläggande", id="assessment.basic",
                tooltip="Grundläggande kompetens i rutan, och vidare till nästa"),
        Binding("f,2", "set_level('fordjupad')", "Fördjupad", id="assessment.advanced",
                tooltip="Fördjupad kompetens i rutan, och vidare till nästa"),
        Binding("s,3", "set_level('saknar')", "Saknar", id="assessment.lacking",
                tooltip="Saknar tillräcklig kompetens i rutan, och vidare till nästa"),
        Binding("x,0,delete", "clear_level", "Töm", id="assessment.clear", tooltip="Ta bort bedömningen i rutan"),
        Binding("c", "confirm_row", "Bekräfta", id="assessment.confirm",
                tooltip="Bekräfta personens överförda nivåer från förra omgången"),
        Binding("u", "toggle_unassessed", "Ej bedömda", id="assessment.unassessed",
                tooltip="Visa bara personer som inte är färdigbedömda"),
        Binding("o", "choose_round", "Omgång", id="assessment.round",
                tooltip="Välj inventeringsomgång (redovisningsår) för alla delar"),
        Binding("n", "new_round", "Ny omgång", id="assessment.new_round", tooltip="Starta en ny inventeringsomgång"),
        Binding("ctrl+delete", "delete_round", "Ta bort omgången", id="assessment.delete_round", show=False,
                tooltip="Ta bort omgången som visas, med dess nivåer, behov och svar (frågar först)"),
        Binding("j", "compare", "Jämför", id="assessment.compare", tooltip="Jämför två omgångar område för område"),
        Binding("i", "import", "Importera", id="assessment.import", tooltip="Läs in bedömningar från CSV eller XLSX"),
        Binding("slash", "focus_search", "Sök", id="assessment.search", tooltip="Sök person på namn"),
        Binding("escape", "leave_search", "Till rutnätet", id="assessment.leave_search", show=False,
                tooltip="Lämna sökrutan (sökningen står kvar)"),
        Binding("ctrl+z", "undo", "Ångra", id="assessment.undo",
                tooltip="Ångra den senaste nivåändringen (sätt, töm, bekräfta) i den här körningen"),
        Binding("right_square_bracket", "page(1)", "Nästa sida", id="assessment.next_page", tooltip="Nästa sida"),
        Binding("left_square_bracket", "page(-1)", "Förra sidan", id="assessment.prev_page", tooltip="Förra sidan"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.grid: RoundGrid | None = None
        self.rounds: list[Round] = []
        self.staff: list[StaffMember] = []
        self.only_unassessed = False
        #: After a training (F8, "g"): only its participants, its areas and what it was.
        self.only_people: tuple[frozenset[int], tuple[str, ...], str] | None = None
        #: (staff id, area) → trainings completed since the previous round (from the plan).
        self.completed: dict[tuple[int, str], tuple[str, ...]] = {}
        #: Ctrl+Z: the changes of this run, newest last.
        self.undo_stack: deque[LevelChange] = deque(maxlen=UNDO_STEPS)
        #: How the grid is drawn (PADDED, TIGHT or TINY) and the screen width it was chosen for.
        self.grid_style = PADDED
        self.drawn_width = 0

    def commands(self):
        """This section's entries in the command palette."""
        yield "Ny inventeringsomgång", "Tom eller med förra omgångens nivåer (n)", self.action_new_round
        yield "Ta bort omgången", "Omgången som visas, med allt i den; frågar först (Ctrl+Delete)", self.action_delete_round
        yield "Jämför omgångar", "Område för område, och vems nivå som sjunkit (j)", self.action_compare
        yield "Importera bedömningar", "Från CSV eller XLSX (i)", self.action_import

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="round-summary")
        with Horizontal(id="assessment-filters"):
            yield Select(
                [(r.label, r.code) for r in catalog.ROLES if r.code != catalog.OTHER_ROLE],
                prompt="Alla roller",
                id="assessment-role",
            )
            yield Select([], prompt="Alla enheter", id="assessment-unit")
            yield Checkbox(UNASSESSED_LABEL, id="assessment-unassessed")
            yield Input(placeholder="Sök namn ( / )", id="assessment-search")
        yield Table(id="assessment-grid", cursor_type="cell", zebra_stripes=True)
        yield Static("", id="area-panel")
        yield Static("", id="assessment-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()
        self.query_one("#assessment-grid").focus()

    # --- data ---------------------------------------------------------------------------

    def load(self, year: int | None = None, keep: tuple[int, str] | None = None) -> None:
        """Read the rounds, the staff and the round of the app's year (``year``: make that the
        app's year first), and draw."""
        if year is not None and year != self.app.year:
            self.app.year = year  # the app's watch has this screen read it, when shown
            if self.year != year and self.app.section_screen() is self:
                return
        asked = self.app.year
        data = self._read(self.app.workspace, asked, self.app.today())
        if self.shown_round(asked, data[2].year if data[2] is not None else None):
            self._show(data, keep)

    def year_changed(self) -> None:
        self.page = 0
        self.reload_data()

    def reload_data(self) -> None:
        """Read everything again in a worker and redraw, the cursor on the same person and area."""
        ws, year, today = self.app.workspace, self.app.year, self.app.today()
        person, area = self.current_person(), self.current_area()
        keep = (person.id, area) if person is not None and area is not None else None

        def shown(data) -> None:
            # Not if another round was chosen meanwhile (a read of it follows).
            if self.shown_round(year, data[2].year if data[2] is not None else None):
                self._show(data, keep)

        self.background("Bedömningen kunde inte läsas", lambda: self._read(ws, year, today), shown,
                        group="assessment-load")  # fmt: skip

    @staticmethod
    def _read(ws, year: int | None, today):
        """(rounds, staff, round, its assessments) for ``year`` (or the round the app suggests
        on ``today``); any thread."""
        rounds, round_ = ws.round_to_show(year, today)
        staff = ws.staff()
        if round_ is None:
            return rounds, staff, None, [], {}
        earlier = [r for r in rounds if r.year < round_.year]
        since = max(earlier, key=lambda r: r.year).reference_date if earlier else None
        return rounds, staff, round_, ws.assessments(round_.id), ws.completed_trainings(round_.year, since)

    def _show(self, data, keep: tuple[int, str] | None = None) -> None:
        self.rounds, self.staff, round_, assessments, self.completed = data
        if round_ is None:
            self.grid = None
        else:
            self.grid = RoundGrid(round_, people_in_round(self.staff, round_), assessments)
        units = sorted({p.unit for p in (self.grid.people if self.grid else []) if p.unit}, key=swedish_key)
        unit_select = self.query_one("#assessment-unit", Select)
        current_unit = unit_select.value
        unit_select.set_options([(u, u) for u in units])
        if current_unit in units:
            unit_select.value = current_unit
        self._build_columns()
        if keep is None and self.only_people is not None:
            keep = self._first_of_focus()
        self.refresh_grid(keep=keep)

    # --- after a training: its participants only ------------------------------------------

    def focus_people(self, staff_ids, areas, why: str) -> None:
        """Show only ``staff_ids``, the cursor on the first of ``areas`` (Esc shows everyone)."""
        self.only_people = (frozenset(staff_ids), tuple(areas), why)
        self.page = 0
        if not self.is_mounted:
            return  # the first read shows them (``_show``)
        self.query_one("#assessment-search", Input).value = ""
        if self.grid is not None:
            self.refresh_grid(keep=self._first_of_focus())
        self.query_one("#assessment-grid").focus()

    def _first_of_focus(self) -> tuple[int, str] | None:
        shown = self._filtered()
        if not shown or self.only_people is None:
            return None
        areas = [a for a in self.only_people[1] if a in self._areas()]
        return (shown[0].id, areas[0]) if areas else None

    def _role(self) -> str | None:
        value = self.query_one("#assessment-role", Select).value
        return None if value is Select.NULL else str(value)

    def _unit(self) -> str | None:
        value = self.query_one("#assessment-unit", Select).value
        return None if value is Select.NULL else str(value)

    def _areas(self) -> list[str]:
        if self.grid is None:
            return []
        return self.grid.areas(self._role())

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def _style_for(self, width: int) -> str:
        """The widest way of drawing the grid whose columns fit a screen ``width`` wide."""
        areas = self._areas()
        names = [cell_len(p.name) for p in (self.grid.people if self.grid else [])] or [4]
        longest = max(max(names), 4)
        # The grid's margins and its vertical scrollbar (both thinner when narrow).
        room = width - (2 if width >= NARROW else 0) - (2 if width >= NARROW else 1)
        padded = longest + 2 + 6 + sum(len(catalog.AREA_SHORT[a]) + 2 for a in areas) + 7
        tight = longest + 1 + 5 + sum(len(catalog.AREA_SHORT[a]) + 1 for a in areas) + 6
        if padded <= room:
            return PADDED
        return TIGHT if tight <= room else TINY

    def _build_columns(self) -> None:
        table = self.query_one("#assessment-grid", Table)
        width = self._width()
        style = self.grid_style = self._style_for(width)
        self.drawn_width = width
        narrow = width < NARROW
        self.query_one("#assessment-unassessed", Checkbox).label = UNASSESSED_SHORT if narrow else UNASSESSED_LABEL
        self.query_one("#assessment-search", Input).placeholder = "Sök namn (/)" if narrow else "Sök namn ( / )"
        table.clear(columns=True)
        # Tight: one space before each column instead of one on both sides (cells that are
        # not centred or right-aligned start with it).
        table.cell_padding = 1 if style == PADDED else 0
        lead = "" if style == PADDED else " "
        table.add_column(lead + "Namn", key="name")
        table.add_column(lead + ("R" if style == TINY else "Roll"), key="role")
        short = catalog.AREA_TINY if style == TINY else catalog.AREA_SHORT
        for area in self._areas():
            table.add_column(lead + short[area], key=area)
        table.add_column(lead + "Klart", key="done")

    def on_resize(self, event: events.Resize) -> None:
        """Another width may draw the grid another way; the panel's lines follow the width."""
        if self.drawn_width and not self._drawn_for(event.size.width):
            self.call_after_refresh(self._redraw_for_width)
        elif self.drawn_width and self.drawn_width != event.size.width:
            self.drawn_width = event.size.width
            self.call_after_refresh(self._show_texts)

    @on(events.ScreenResume)
    def _fit_when_shown(self) -> None:
        """The terminal may have been resized while another section was shown."""
        if self.drawn_width and not self._drawn_for(self.app.size.width):
            self._redraw_for_width()
        elif self.drawn_width and self.drawn_width != self.app.size.width:
            self.drawn_width = self.app.size.width
            self._show_texts()

    def _show_texts(self) -> None:
        """The lines above and under the grid, whose length follows the width."""
        self._show_summary(self.query_one("#assessment-grid", Table).row_count)
        self._show_area()

    def _drawn_for(self, width: int) -> bool:
        same_side = (width < NARROW) == (self.drawn_width < NARROW)
        return same_side and self._style_for(width) == self.grid_style

    def _redraw_for_width(self) -> None:
        person, area = self.current_person(), self.current_area()
        self._build_columns()
        self.refresh_grid(keep=(person.id, area) if person is not None and area is not None else None)

    def _group(self) -> list[StaffMember]:
        """The people of the chosen role and unit (the figures under the grid are theirs)."""
        if self.grid is None:
            return []
        role, unit = self._role(), self._unit()
        return [p for p in self.grid.people if role in (None, p.role) and unit in (None, p.unit)]

    def _filtered(self) -> list[StaffMember]:
        """The rows: the group, perhaps only those not fully assessed, by name."""
        people = people_named(self._group(), self.query_one("#assessment-search", Input).value)
        if self.only_unassessed:
            people = [p for p in people if not self.grid.progress(p.id).is_complete]
        if self.only_people is not None:
            people = [p for p in people if p.id in self.only_people[0]]
        return sorted(people, key=lambda p: swedish_key(p.name))

    def refresh_grid(self, keep: tuple[int, str] | None = None) -> None:
        table = self.query_one("#assessment-grid", Table)
        self.shown = self._filtered()
        start, page = self.current_page(keep[0] if keep is not None else None)
        areas = self._areas()
        with self.app.batch_update():
            table.clear()
            table.add_rows([self._row(p, areas) for p in page], keys=[p.id for p in page])
            row = next((i for i, p in enumerate(page) if p.id == keep[0]), None) if keep is not None else None
            if row is not None and keep[1] in areas:
                table.move_cursor(row=row, column=len(FIXED) + areas.index(keep[1]))
            elif page and table.cursor_column < len(FIXED):
                table.move_cursor(column=len(FIXED))
        self._show_summary(len(page))
        self._show_area()
        self.refresh_bindings()

    def _row(self, person: StaffMember, areas: list[str]) -> list:
        name, role = person.name, ROLE_SHORT.get(person.role, "")
        if self.grid_style == TINY and cell_len(name) > NAME_TINY:
            name = name[: NAME_TINY - 1] + "…"
        if self.grid_style != PADDED:
            name, role = " " + name, " " + role
        cells: list = [Text(name), Text(role)]
        for area in areas:
            cells.append(self._cell(person.id, area))
        cells.append(self._done_cell(person.id))
        return cells

    def _cell(self, staff_id: int, area: str) -> Text:
        if not self.grid.applies(staff_id, area):
            return Text("–", style="dim", justify="center")
        # Underlined: a training in the area completed since the last round (the plan, F8).
        trained = " underline" if (staff_id, area) in self.completed else ""
        a = self.grid.level(staff_id, area)
        if a is None:
            return Text("·", style="dim" + trained, justify="center")
        letter = catalog.LEVEL_LETTER[a.level]
        style = {"saknar": "bold red", "fordjupad": "bold green"}.get(a.level, "")
        if a.carried_over:
            return Text(letter.lower() + "*", style=f"{style} dim italic{trained}".strip(), justify="center")
        return Text(letter, style=(style + trained).strip(), justify="center")

    def _done_cell(self, staff_id: int) -> Text:
        progress = self.grid.progress(staff_id)
        text = f"{progress.done}/{progress.total}"
        style = "green" if progress.is_complete and not progress.carried_over else "yellow"
        return Text(text, style=style, justify="right")

    def _show_summary(self, count: int) -> None:
        """The round's completeness above the grid, and the page and keys below it."""
        summary = self.query_one("#round-summary", Static)
        status = self.query_one("#assessment-status", Static)
        if self.grid is None:
            summary.update("Ingen inventeringsomgång ännu. Tryck [b]n[/b] för att starta den första.")
            status.update("")
            return
        done, expected = self.grid.completeness()
        share = done / expected if expected else None
        round_ = self.grid.round
        others = ", ".join(str(r.year) for r in self.rounds if r.year != round_.year)
        summary.update(
            f"Omgång [b]{round_.year}[/b] (referensdatum {round_.reference_date.isoformat()}): "
            f"{fmt.number(done)} av {fmt.number(expected)} bedömningar klara ({fmt.percent(share)}), "
            f"{len(self.grid.unassessed_people())} personer kvar."
            + (f"  Andra omgångar: {others} (o)" if others else "")
        )
        wanted = self.query_one("#assessment-search", Input).value.strip()
        if wanted and not self.shown:
            status.update(f"Ingen träff för ”{escape(wanted)}”.")
            return
        text = self.page_status(count)
        if self.only_people is not None:
            text = f"Deltagarna i {escape(self.only_people[2])}: {count} (Esc visar alla). " + text
        # Under 100 columns the key bar is what says g/f/s and x.
        text += "   g/f/s sätter nivå, x tömmer," if self._width() >= NARROW else "  "
        text += " g* = överförd från förra omgången (c bekräftar)"
        if self.completed and self._width() >= NARROW:
            text += ", understruken = utbildning i området genomförd sedan dess"
        status.update(text)

    # --- the focused area ------------------------------------------------------------------

    def current_area(self) -> str | None:
        table = self.query_one("#assessment-grid", Table)
        areas = self._areas()
        index = table.cursor_column - len(FIXED)
        return areas[index] if 0 <= index < len(areas) else None

    def current_person(self) -> StaffMember | None:
        table = self.query_one("#assessment-grid", Table)
        return self.shown_at(table.cursor_row) if table.row_count else None

    def _show_area(self) -> None:
        panel = self.query_one("#area-panel", Static)
        area = self.current_area()
        if self.grid is None or area is None:
            panel.update("Välj en ruta i ett kunskapsområde för att se områdets beskrivning och siffror.")
            return
        unit = self._unit()
        if unit is None:  # running counts for a whole role: no recount on a keystroke
            profile = self.grid.profile(area, self._role())
        else:  # one unit: few people, counted from their cells
            group = self._group()
            cells = [self.grid.level(p.id, a) for p in group for a in areas_for(p)]
            profile = area_profiles(group, [c for c in cells if c is not None])[area]
        entry = catalog.AREAS.get(area)
        national_share = national.share_lacking(area)
        if national_share is None:
            compare = "Inga nationella siffror för området"
        elif self._role() == catalog.CASEWORKER:
            compare = f"Riket 2013 (handläggare): {fmt.percent(national_share)} saknar"
        else:  # the national figures are the handläggare's: comparing others with them would mislead
            compare = "[dim]Riket 2013 finns för handläggare: välj Handläggare för att jämföra[/dim]"
        group = catalog.ROLES.label(self._role()) if self._role() else "Alla"
        title = f"[b]{escape(entry.label)}[/b] – {group}{' i ' + escape(unit) if unit else ''}"
        share = f"[b]{fmt.percent(profile.share_lacking)}[/b]"
        counts = "   ".join(
            f"{catalog.LEVELS.label(code)}: [b]{fmt.number(profile.counts[code])}[/b]" for code in catalog.LEVELS.codes()
        )
        counts += f"   Ej bedömda: {fmt.number(profile.missing)}"
        lacking = f"Andel som saknar tillräcklig kompetens: {share}   {compare}"
        # Shorter level names (as in Inlämning's question 1) where the full ones do not fit.
        figures = "  ".join(f"{LEVEL_SHORT[code]} [b]{fmt.number(profile.counts[code])}[/b]"
                            for code in catalog.LEVELS.codes())  # fmt: skip
        figures += f"  Ej bed. [b]{fmt.number(profile.missing)}[/b]  Andel saknar {share}"
        width = self.drawn_width or self._width()
        room = width - 2
        # Figures first, each part on one line: the first layout whose lines all fit (the
        # last, at 80 columns, has its lines cut with an ellipsis by the panel's style).
        layouts = ([f"{title}: {counts}", lacking], [title, counts, lacking], [f"{title}: {figures}", compare],
                   [title, figures, compare])  # fmt: skip
        lines = next((ls for ls in layouts if all(Text.from_markup(line).cell_len <= room for line in ls)), layouts[-1])
        rows = 4 if width < NARROW else 5  # the panel's lines, less its border
        person = self.current_person()
        done = self.completed.get((person.id, area)) if person is not None else None
        if done:  # the plan's completed trainings (F8): a reason to look at this level again
            trained = (f"[green]{escape(person.name)} har genomfört sedan förra omgången: "
                       f"{escape(', '.join(done))}[/green]")  # fmt: skip
            lines = [*lines[: rows - 1], trained]  # before the comparison with the country, if need be
        # The description in the lines left (the panel's height less its border), cut with an
        # ellipsis at the end rather than in the middle of a word out of sight.
        left = rows - len(lines)
        described = [line.plain.rstrip() for line in Text(entry.help).wrap(self.app.console, room)]
        if len(described) > left:
            described = described[:left]
            if described:
                described[-1] = described[-1][: room - 1].rstrip() + "…"
        panel.update("\n".join([*lines, *(f"[dim]{escape(line)}[/dim]" for line in described)]))

    @on(Table.CellHighlighted, "#assessment-grid")
    def _cell_moved(self) -> None:
        self._show_area()

    # --- filters ----------------------------------------------------------------------------

    @on(Select.Changed, "#assessment-role")
    def _role_changed(self) -> None:
        self.page = 0
        self._build_columns()
        self.refresh_grid()

    @on(Select.Changed, "#assessment-unit")
    @on(Checkbox.Changed, "#assessment-unassessed")
    def _filters_changed(self) -> None:
        self.only_unassessed = self.query_one("#assessment-unassessed", Checkbox).value
        self.page = 0
        self.refresh_grid()

    @on(Input.Changed, "#assessment-search")
    def _search_changed(self) -> None:
        """Narrow the grid by name as typed; the cursor stays on its person and area if still shown."""
        person, area = self.current_person(), self.current_area()
        self.page = 0
        self.refresh_grid(keep=(person.id, area) if person is not None and area is not None else None)

    @on(Input.Submitted, "#assessment-search")
    def _search_done(self) -> None:
        self.query_one("#assessment-grid").focus()

    def action_focus_search(self) -> None:
        self.query_one("#assessment-search").focus()

    def action_leave_search(self) -> None:
        """Esc in the search box: back to the grid, the search kept (g/f/s set levels again);
        in the grid, after a training: everyone again."""
        if self.focused is self.query_one("#assessment-search"):
            self.query_one("#assessment-grid").focus()
        elif self.only_people is not None:
            person, area = self.current_person(), self.current_area()
            self.only_people = None
            self.refresh_grid(keep=(person.id, area) if person is not None and area is not None else None)
            self.notify("Alla visas igen.")

    def action_toggle_unassessed(self) -> None:
        box = self.query_one("#assessment-unassessed", Checkbox)
        box.value = not box.value

    def action_page(self, step: int) -> None:
        self.page += step
        self.refresh_grid()
        self.query_one("#assessment-grid", Table).move_cursor(row=0)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "page":
            return self.can_turn_page(parameters[0])
        if action in ("set_level", "clear_level", "confirm_row", "toggle_unassessed", "compare"):
            return self.grid is not None
        return True

    # --- setting levels -----------------------------------------------------------------------

    def action_set_level(self, level: str) -> None:
        person, area = self.current_person(), self.current_area()
        if person is None or area is None:
            return
        if not self.grid.applies(person.id, area):
            self.notify(f"{catalog.AREAS.label(area)} bedöms bara för arbetsledare.", severity="warning")
            return
        old = self.grid.level(person.id, area)
        new = self.grid.set(person.id, area, level, self.app.today())
        # The version the row will have once stored (an update raises it, an insert starts at 1),
        # so that the next change of this cell says it saw this one.
        self.grid.cells[(person.id, area)] = new = new._replace(version=old.version + 1 if old else 1)
        self._remember(f"{catalog.LEVELS.label(level)} för {person.name} i {catalog.AREAS.label(area)}",
                       [((person.id, area), old, new)])  # fmt: skip
        self._write([new], [], {(person.id, area): old})
        self._update_row(person)
        self._advance()

    def action_clear_level(self) -> None:
        person, area = self.current_person(), self.current_area()
        if person is None or area is None or self.grid.level(person.id, area) is None:
            return
        old = self.grid.clear(person.id, area)
        self._remember(f"Töm för {person.name} i {catalog.AREAS.label(area)}", [((person.id, area), old, None)])
        self._write([], [(person.id, area)], {(person.id, area): old})
        self._update_row(person)

    def action_confirm_row(self) -> None:
        person = self.current_person()
        if person is None:
            return
        confirmed = self.grid.confirm(person.id)
        if not confirmed:
            self.notify(f"{person.name} har inga överförda nivåer att bekräfta.")
            return
        changes = []
        for a in confirmed:  # confirming raises each row's version
            before = a._replace(carried_over=True)
            self.grid.cells[(a.staff_id, a.area)] = after = a._replace(version=a.version + 1)
            changes.append(((a.staff_id, a.area), before, after))
        self._remember(f"Bekräfta överförda nivåer för {person.name}", changes)
        ws, round_id = self.app.workspace, self.grid.round.id
        message = f"{len(confirmed)} överförda nivåer för {person.name} är bekräftade."
        self.run_job("Bekräftelsen sparades inte", lambda: ws.confirm_carried_over(round_id, person.id),
                     lambda _count: self.notify(escape(message)), reload_on_error=True)  # fmt: skip
        self._redraw_row(person)

    def _write(self, sets, clears, expected) -> None:
        """Store one change in a worker, in order after those before; the grid shows it at once.
        ``expected``: each cell as it was shown. On failure the grid is read again from the file;
        when someone else changed a cell, the conflict dialog asks first."""
        ws, round_id = self.app.workspace, self.grid.round.id
        self.run_job(
            "Bedömningen sparades inte",
            lambda: ws.save_levels(round_id, sets, clears, expected=expected),
            force=lambda: ws.save_levels(round_id, sets, clears, expected=expected, force=True),
            forced_done=lambda _none: self.reload_data(),
            reload_on_error=True,
        )

    # --- undo -----------------------------------------------------------------------------

    def _remember(self, what: str, cells) -> None:
        self.undo_stack.append(LevelChange(what, self.grid.round.id, tuple(cells)))

    def action_undo(self) -> None:
        """Ctrl+Z: put back the cells of the latest change, through the same save as a change,
        expecting them as that change left them (a colleague's later change: the conflict dialog)."""
        if self.grid is not None:  # changes of another round than the one shown wait
            while self.undo_stack and self.undo_stack[-1].round_id != self.grid.round.id:
                self.undo_stack.pop()
        if self.grid is None or not self.undo_stack:
            self.app.bell()
            self.notify("Inget att ångra.")
            return
        change = self.undo_stack.pop()
        sets = [before for _cell, before, _after in change.cells if before is not None]
        clears = [cell for cell, before, _after in change.cells if before is None]
        expected = {cell: after for cell, _before, after in change.cells}
        restored = {}
        for cell, before, after in change.cells:
            now = None if before is None else before._replace(version=after.version + 1 if after else 1)
            self.grid.restore(*cell, now)
            restored[cell] = now
        # Older changes of the same cells expect them as they are stored now.
        for i, older in enumerate(self.undo_stack):
            if any(cell in restored for cell, _b, _a in older.cells):
                self.undo_stack[i] = LevelChange(older.what, older.round_id, tuple(
                    (cell, b, restored.get(cell, a)) for cell, b, a in older.cells))  # fmt: skip
        ws, round_id = self.app.workspace, change.round_id
        self.run_job(
            "Ångringen sparades inte",
            lambda: ws.save_levels(round_id, sets, clears, expected=expected),
            lambda _none: self.notify(escape(f"Ångrat: {change.what}.")),
            force=lambda: ws.save_levels(round_id, sets, clears, expected=expected, force=True),
            forced_done=lambda _none: self.reload_data(),
            reload_on_error=True,
        )
        self._redraw_shown(cell[0] for cell in restored)

    def _redraw_shown(self, staff_ids) -> None:
        """The rows of these people on the page shown, and the figures."""
        table = self.query_one("#assessment-grid", Table)
        start = self.page * self.page_size
        page = self.shown[start : start + self.page_size]
        wanted = set(staff_ids)
        areas = self._areas()
        for row, person in enumerate(page):
            if person.id in wanted:
                cells = {len(FIXED) + i: self._cell(person.id, area) for i, area in enumerate(areas)}
                cells[len(FIXED) + len(areas)] = self._done_cell(person.id)
                table.set_row_cells(row, cells)
        self._show_summary(table.row_count)
        self._show_area()

    def _redraw_row(self, person: StaffMember) -> None:
        """The cursor row's cells again, drawing only that row."""
        table = self.query_one("#assessment-grid", Table)
        areas = self._areas()
        cells = {len(FIXED) + i: self._cell(person.id, area) for i, area in enumerate(areas)}
        cells[len(FIXED) + len(areas)] = self._done_cell(person.id)
        table.set_row_cells(table.cursor_row, cells)

    def _update_row(self, person: StaffMember) -> None:
        table = self.query_one("#assessment-grid", Table)
        self._redraw_row(person)
        self._show_summary(table.row_count)
        self._show_area()

    def _advance(self) -> None:
        """To the next cell that applies: right along the row, then to the next row."""
        table = self.query_one("#assessment-grid", Table)
        areas = self._areas()
        row, column = table.cursor_row, table.cursor_column
        while True:
            column += 1
            if column >= len(FIXED) + len(areas):
                column = len(FIXED)
                row += 1
                if row >= table.row_count:
                    return
            person = self.shown_at(row)
            if self.grid.applies(person.id, areas[column - len(FIXED)]):
                table.move_cursor(row=row, column=column)
                return

    # --- rounds ---------------------------------------------------------------------------------

    def action_choose_round(self) -> None:
        if not self.rounds:
            self.action_new_round()
            return

        self.app.action_choose_round()

    def action_new_round(self) -> None:
        from bouv_tui.tui.dialogs.rounds import NewRoundDialog

        def chosen(result) -> None:
            if result is not None:
                self._create_round(*result)

        taken = frozenset(r.year for r in self.rounds)
        self.app.push_screen(NewRoundDialog(self.rounds[-1] if self.rounds else None, taken, self.app.today()), chosen)

    def _create_round(self, round_: Round, copy_from: int | None) -> None:
        ws = self.app.workspace
        self.run_job("Omgången startades inte", lambda: ws.create_round(round_, copy_from=copy_from),
                     lambda created: self._round_created(created, copy_from is not None))  # fmt: skip

    def _round_created(self, round_: Round, copied: bool) -> None:
        self.page = 0
        self.load(round_.year)
        how = "med förra omgångens nivåer, markerade som överförda tills du bekräftar dem" if copied else "tom"
        self.notify(f"Omgång {round_.year} är startad, {how}.")

    def action_delete_round(self) -> None:
        """Count what goes with the round shown, ask, and delete it all in one transaction
        (refused when the round changed since counted)."""
        if self.grid is None:
            self.notify("Det finns ingen omgång att ta bort.", severity="warning")
            return
        ws, round_ = self.app.workspace, self.grid.round
        self.run_job("Omgången kunde inte räknas", lambda: ws.round_contents(round_.id),
                     lambda counted: self._ask_delete(round_, counted), writes=False)  # fmt: skip

    def _ask_delete(self, round_: Round, counted) -> None:
        from bouv_tui.tui.dialogs.common import ConfirmDialog
        from bouv_tui.tui.dialogs.rounds import round_contents_text

        if counted is None:  # deleted elsewhere meanwhile
            self.reload_data()
            return

        def answered(yes: bool | None) -> None:
            if yes:
                ws = self.app.workspace
                self.run_job("Omgången togs inte bort", lambda: ws.delete_round(round_.id, counted=counted),
                             lambda rounds: self._round_deleted(round_, counted, rounds))  # fmt: skip

        self.app.push_screen(
            ConfirmDialog(f"Ta bort omgång {round_.year}?", round_contents_text(counted), "Ta bort omgången"), answered
        )

    def _round_deleted(self, round_: Round, counted, rounds: list[Round]) -> None:
        from bouv_tui.domain.dashboard import nearest_round

        nearest = nearest_round(rounds, round_.year)
        self.notify(f"Omgång {round_.year} är borttagen"
                    + (f", med {counted.total} uppgifter." if counted.total else ".")
                    + (f" Du arbetar nu med {nearest.year}." if nearest else ""))  # fmt: skip
        self.page = 0
        before = self.app.year
        self.app.year = nearest.year if nearest is not None else None
        if self.app.year == before:  # the year did not change (it was not the app's): read again here
            self.reload_data()

    def action_compare(self) -> None:
        from bouv_tui.tui.screens.comparison import ComparisonScreen

        if len(self.rounds) < 2:
            self.notify("Det behövs två omgångar att jämföra. Starta en ny med n.", severity="warning")
            return
        self.app.push_screen(ComparisonScreen(self.rounds, self.year, self._role()))

    # --- import ------------------------------------------------------------------------------------

    def action_import(self) -> None:
        from bouv_tui.tui.dialogs.exchange import ImportFileDialog

        year = self.year or self.app.today().year

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.app.remember_folder(path.parent)
                self._plan_import(path, year)

        self.app.push_screen(
            ImportFileDialog(
                f"Importera bedömningar för {year}",
                "CSV eller XLSX med en rad per person (personal_id eller namn) och en kolumn per "
                "kunskapsområde (kod eller namn) med G, F, S eller tomt. Tomt tar bort en bedömning. "
                "Ingenting sparas förrän du har sett vad som händer och bekräftat.",
            ),
            chosen,
        )

    def _plan_import(self, path: Path, year: int) -> None:
        ws, today = self.app.workspace, self.app.today()
        self.background("Filen kunde inte läsas", lambda: ws.plan_assessment_import(path, year, today),
                        lambda plan: self._preview(path, plan, year), group="assessment-import")  # fmt: skip

    def _preview(self, path: Path, plan, year: int) -> None:
        from bouv_tui.tui.dialogs.rounds import AssessmentImportPreview

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._apply_import(path, plan, year)

        self.app.push_screen(AssessmentImportPreview(path, plan, year), confirmed)

    def _apply_import(self, path: Path, plan, year: int) -> None:
        ws = self.app.workspace
        self.run_job("Importen sparades inte", lambda: ws.apply_assessment_import(plan),
                     lambda _outcome: self._imported(plan, year),
                     reread=lambda: self._plan_import(path, year))  # fmt: skip

    def _imported(self, plan, year: int) -> None:
        self.load(year)
        self.notify(
            f"Importen är klar: {len(plan.sets)} nivåer satta, {len(plan.clears)} borttagna, "
            f"{plan.unchanged} oförändrade."
        )

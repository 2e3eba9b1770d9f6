"""Behov: the need of competence development per area (questions 13 and 19), for one round.

The app suggests a score per area from the assessments (``domain.needs``); the chef confirms
it or sets another with a short reason. Writes run in a worker, one at a time and in order.
Dialogs are imported when first opened, to keep them off the path to the first frame.
"""

from __future__ import annotations

from dataclasses import replace

from rich.markup import escape
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from bouv_tui.domain import catalog
from bouv_tui.domain.assessment import Round
from bouv_tui.domain.needs import (
    CONFIRMED,
    GROUP_LABELS,
    GROUP_QUESTION,
    GROUPS,
    MAX_OTHER,
    MISSING,
    SUGGESTED,
    ChoiceError,
    NeedRow,
    OtherNeed,
    make_choice,
    make_other,
)
from bouv_tui.tui.screens.base import SectionScreen
from bouv_tui.tui.widgets.key_bar import KeyBar
from bouv_tui.tui.widgets.need_view import (
    AREA_NARROW,
    AREA_WIDTH,
    MEDIUM,
    NARROW,
    STATUS_NARROW,
    STATUS_WIDTH,
    WHY_SHORT,
    WIDE,
    add_cells,
    area_cells,
    detail_text,
    gap,
    other_cells,
)
from bouv_tui.tui.widgets.table import Table
from bouv_tui.tui.widgets.title_bar import TitleBar

ADD_OTHER = "add-other"
WRITE_FAILED = "Behovet sparades inte"


class NeedsScreen(SectionScreen):

    DEFAULT_CSS = """
    #needs-summary {
        height: 2;
        padding: 0 1;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    #needs-tabs {
        height: 1;
        padding: 0 1;
    }
    #needs-table {
        height: 1fr;
    }
    #needs-detail {
        height: 5;
        overflow: hidden;
        padding: 0 1;
        border-top: solid $primary 50%;
        /* One line a part (area, suggestion, country, choice), cut with an ellipsis where the
           terminal is narrower than the line rather than wrapped out of sight. */
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    #needs-status {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    /* Below 100 columns (need_view's NARROW): a thin scrollbar. */
    NeedsScreen.-narrow #needs-table {
        scrollbar-size-vertical: 1;
    }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    TITLE = "Behov"
    HELP_TOPIC = "needs"
    LOAD_WHEN_SHOWN = True  # the suggestions come from the assessments, changed in Bedömning
    FOLLOWS_YEAR = True

    BINDINGS = [
        *(
            Binding(str(score), f"set_score({score})", f"Behov {score}", id=f"needs.score_{score}", show=False,
                    tooltip=f"Sätt behovet {score} i det markerade området (annat än förslaget kräver motivering)")
            for score in range(1, 6)
        ),
        Binding("enter", "confirm", "Bekräfta", id="needs.confirm", priority=True,
                tooltip="Bekräfta förslaget i det markerade området (på en rad Annat: ändra raden)"),
        Binding("A", "confirm_all", "Bekräfta alla", id="needs.confirm_all",
                tooltip="Bekräfta alla förslag som inte är bekräftade i gruppen som visas"),
        Binding("r", "reset", "Återställ", id="needs.reset", show=False,
                tooltip="Ta bort det valda behovet i området: förslaget gäller igen, obekräftat"),
        Binding("v", "switch_group", "Byt grupp", id="needs.group",
                tooltip="Växla mellan handläggare (fråga 13) och arbetsledare (fråga 19)"),
        Binding("n", "other", "Annat", id="needs.other",
                tooltip="Lägg till en rad Annat, ange vad (på en rad Annat: ändra den)"),
        Binding("delete", "delete_other", "Ta bort", id="needs.delete_other",
                tooltip="Ta bort den markerade raden Annat"),
        Binding("o", "choose_round", "Omgång", id="needs.round", show=False,
                tooltip="Välj inventeringsomgång (redovisningsår) för alla delar"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.rounds: list[Round] = []
        self.round: Round | None = None
        self.group = GROUPS[0]
        self.rows: dict[str, list[NeedRow]] = {}
        self.others: dict[str, list[OtherNeed]] = {}
        #: The round's choices and "Annat" rows as last read from the file: what a save says it saw.
        self.stored_choices: list = []
        self.stored_others: list[OtherNeed] = []
        self._focus_key: str | None = None
        #: How the table is drawn (need_view's WIDE, MEDIUM or NARROW) and its reason column's width.
        self.drawn: tuple[str, int] | None = None

    def commands(self):
        """This section's entries in the command palette."""
        yield "Bekräfta alla behovsförslag", "I gruppen som visas (A)", self.action_confirm_all
        yield "Behov: byt grupp", "Handläggare, fråga 13, eller arbetsledare, fråga 19 (v)", self.action_switch_group
        yield "Behov: lägg till Annat", f"Eget område med behov, högst {MAX_OTHER} per grupp (n)", self.action_other

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="needs-summary")
        yield Static("", id="needs-tabs")
        # One space before each column instead of the usual padding of one on both sides:
        # the decision (suggestion, score, status) comes right after the area, so it fits in 80
        # columns; the "why" and the country's spread follow.
        yield Table(id="needs-table", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static("", id="needs-detail")
        yield Static("", id="needs-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self._build_columns()
        self.query_one("#needs-table", Table).focus()

    # --- which columns fit --------------------------------------------------------------------

    def _fit(self, width: int | None = None) -> tuple[str, int]:
        """How to draw the table on a screen ``width`` wide: (WIDE, MEDIUM or NARROW, the
        width of the reason column when NARROW, else 0)."""
        width = width or self.size.width or self.app.size.width
        if width < 100:
            # The area, the decision and the short reason, in what the thin scrollbar leaves.
            rest = (width - 1) - (AREA_NARROW + 1) - len(" Förs.") - len(" Behov") - (STATUS_NARROW + 1)
            return NARROW, max(WHY_SHORT + 1, rest)
        reasons = [len(r.suggestion.reason()) for r in self.rows.get(self.group, []) if r.suggestion is not None]
        columns = (AREA_WIDTH + 1) + len(" Förslag") + len(" Behov") + (STATUS_WIDTH + 1) + len(" Riket 2013")
        if columns + max([35, *reasons]) + 1 <= width - 2:
            return WIDE, 0
        return MEDIUM, 0

    def _build_columns(self) -> None:
        table = self.query_one("#needs-table", Table)
        self.drawn = fit = self._fit()
        table.clear(columns=True)
        if fit[0] == NARROW:
            table.add_column(" Område", key="area", width=AREA_NARROW + 1)
            table.add_column(" Förs.", key="suggested")
            table.add_column(" Behov", key="score")
            table.add_column(" Status", key="status", width=STATUS_NARROW + 1)
            table.add_column(" Varför", key="why", width=fit[1])
            return
        table.add_column(" Område", key="area", width=AREA_WIDTH + 1)
        table.add_column(" Förslag", key="suggested")
        table.add_column(" Behov", key="score")
        table.add_column(" Status", key="status", width=STATUS_WIDTH + 1)
        table.add_column(" Varför", key="why")
        table.add_column(" Riket 2013", key="national")

    def _redraw_if_refit(self, width: int) -> None:
        if self.drawn is not None and self._fit(width) != self.drawn:
            self.redraw()  # which builds the columns again, the cursor on its row
        elif self.drawn is not None:
            self._show_summary()  # its lines are chosen by the width

    def on_resize(self, event: events.Resize) -> None:
        if self.drawn is not None:
            self.call_after_refresh(self._redraw_if_refit, event.size.width)

    @on(events.ScreenResume)
    def _fit_when_shown(self) -> None:
        """The terminal may have been resized while another section was shown."""
        self._redraw_if_refit(self.app.size.width)

    def reload_data(self) -> None:
        self.load()

    # --- data ---------------------------------------------------------------------------------

    def load(self) -> None:
        """Read the rounds and the need rows of the app's round (in a worker: at national scale
        the round's assessments take a moment), then draw."""
        model, today = self.app.config.need_model, self.app.today()

        def read(ws):
            # Jobs run one at a time, each after the one before was shown: the app's year as it
            # is when this one runs.
            asked = self.app.year
            rounds, round_ = ws.round_to_show(asked, today)
            if round_ is None:
                return asked, (rounds, None, {}, [], [])
            rows = ws.need_rows(round_, model)
            return asked, (rounds, round_, rows, ws.need_others(round_.id), ws.need_choices(round_.id))

        ws = self.app.workspace
        self.run_job("Behoven kunde inte läsas", lambda: read(ws), self._loaded, writes=False)

    def _loaded(self, read) -> None:
        asked, result = read
        if not self.shown_round(asked, result[1].year if result[1] is not None else None):
            return  # another round was chosen meanwhile: its read follows
        self.rounds, self.round, self.rows, stored, self.stored_choices = result
        self.stored_others = list(stored)
        self.others = {group: [o for o in stored if o.group == group] for group in GROUPS} if self.round else {}
        self.redraw()

    def shown_keys(self) -> list[str]:
        """The table's row keys in order: the areas, the "Annat" rows, a row to add one."""
        if self.round is None:
            return []
        keys = [row.area for row in self.rows[self.group]]
        keys += [f"other:{o.position}" for o in self.others[self.group]]
        if len(self.others[self.group]) < MAX_OTHER:
            keys.append(ADD_OTHER)
        return keys

    def redraw(self, to_top: bool = False) -> None:
        """The table again from ``rows`` and ``others``, the cursor on the row it was on."""
        table = self.query_one("#needs-table", Table)
        keep, row_index = None, 0
        if table.row_count and not to_top:
            row_index = table.cursor_row
            keep = table.cursor_row_key
        keys = self.shown_keys()
        if self.drawn is not None and self._fit() != self.drawn:  # resized, or the group's reasons are longer
            self._build_columns()
        width = self.drawn[0] if self.drawn else WIDE
        with self.app.batch_update():
            table.clear()
            rows = {row.area: row for row in self.rows.get(self.group, [])}
            others = {f"other:{o.position}": o for o in self.others.get(self.group, [])}
            lines = []
            for key in keys:
                if key in rows:
                    cells = area_cells(rows[key], self.group, width)
                elif key in others:
                    cells = other_cells(others[key], width)
                else:
                    cells = add_cells(width)
                lines.append([gap(cell) for cell in cells])
            table.add_rows(lines, keys=keys)
            if keys:
                target = keys.index(keep) if keep in keys else min(row_index, len(keys) - 1)
                table.move_cursor(row=target)
        self._show_summary()
        self._show_detail()
        self.refresh_bindings()

    def _show_summary(self) -> None:
        summary = self.query_one("#needs-summary", Static)
        tabs = self.query_one("#needs-tabs", Static)
        if self.round is None:
            summary.update(
                "Ingen inventeringsomgång ännu. Starta den första i Bedömning ([b]F4[/b], sedan [b]n[/b]);\n"
                "behovsförslagen bygger på bedömningarna."
            )
            tabs.update("")
            return
        others = ", ".join(str(r.year) for r in self.rounds if r.year != self.round.year)
        room = (self.size.width or self.app.size.width) - 2

        def fits(text: str) -> bool:
            return Text.from_markup(text).cell_len <= room

        groups, short_groups = [], []
        for group in GROUPS:
            rows = self.rows[group]
            done = sum(1 for r in rows if r.is_confirmed)
            open_ = sum(1 for r in rows if r.status == SUGGESTED)
            missing = sum(1 for r in rows if r.status == MISSING)
            text = f"{GROUP_LABELS[group]}: {done} av {len(rows)} bekräftade"
            short = f"{GROUP_LABELS[group]}: {done}/{len(rows)} bekräftade"
            if open_:
                text += f", [b]{open_}[/b] förslag att bekräfta"
                short += f", [b]{open_}[/b] förslag"
            if missing:
                text += f", [b]{missing}[/b] saknas"
                short += f", [b]{missing}[/b] saknas"
            groups.append(text)
            short_groups.append(short)
        first = (
            f"Omgång [b]{self.round.year}[/b] (referensdatum {self.round.reference_date.isoformat()}): "
            "behov av kompetensutveckling inom tre år, 1 = litet … 5 = stort."
            + (f"  Andra omgångar: {others} (o)" if others else "")
        )
        if not fits(first):  # without the reference date (the title and Bedömning have the round)
            first = (f"Omgång [b]{self.round.year}[/b]: behov inom tre år, 1 = litet … 5 = stort."
                     + (f"  Andra: {others} (o)" if others else ""))  # fmt: skip
        second = ".   ".join(groups) + "."
        if not fits(second):
            second = ".  ".join(short_groups) + "."
        # Two lines, each cut with an ellipsis by its style rather than wrapped out of sight.
        summary.update(f"{first}\n{second}")
        parts = []
        for group in GROUPS:
            label = f" {GROUP_LABELS[group]} – fråga {GROUP_QUESTION[group]} "
            parts.append(f"[reverse b]{label}[/]" if group == self.group else f"[dim]{label}[/]")
        tabs.update("  ".join(parts) + "   [dim](v byter grupp)[/]")

    # --- the focused row --------------------------------------------------------------------------

    def current_key(self) -> str | None:
        return self.query_one("#needs-table", Table).cursor_row_key

    def current_row(self) -> NeedRow | None:
        key = self.current_key()
        return next((r for r in self.rows.get(self.group, []) if r.area == key), None)

    def current_other(self) -> OtherNeed | None:
        key = self.current_key()
        return next((o for o in self.others.get(self.group, []) if f"other:{o.position}" == key), None)

    def _show_detail(self) -> None:
        panel = self.query_one("#needs-detail", Static)
        status = self.query_one("#needs-status", Static)
        keys = ("1–5 väljer behov · Enter bekräftar förslaget · A bekräftar alla · "
                "r återställer till förslaget · n Annat · v byter grupp · o omgång")  # fmt: skip
        if len(keys) > (self.size.width or self.app.size.width) - 2:
            keys = "1–5 behov · Enter bekräftar · A alla · r återställer · n Annat · o omgång"
        status.update(keys)
        if self.round is None:
            panel.update("")
            status.update("")
            return
        row, other = self.current_row(), self.current_other()
        if other is not None:
            panel.update(
                f"[b]Annat: {escape(other.label)}[/b] – ett eget område i fråga {GROUP_QUESTION[self.group]},\n"
                "utan förslag och utan riksjämförelse.\n"
                "1–5 sätter behovet, n eller Enter ändrar raden, Delete tar bort den."
            )
            return
        if row is None:
            left = MAX_OTHER - len(self.others[self.group])
            panel.update(
                f"Egna områden (”Annat, ange vad”): högst {MAX_OTHER} i fråga {GROUP_QUESTION[self.group]},\n"
                f"{left} till går att lägga till.\nTryck [b]n[/b] eller Enter för att lägga till ett."
            )
            return
        width = self.drawn[0] if self.drawn else WIDE
        panel.update(detail_text(row, self.group, self.round.year, self.app.config.need_model, width))

    @on(Table.RowHighlighted, "#needs-table")
    def _row_moved(self) -> None:
        self._show_detail()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("set_score", "confirm", "confirm_all", "reset", "switch_group", "other"):
            return self.round is not None
        if action == "delete_other":
            return self.round is not None and self.current_other() is not None
        return True

    # --- setting scores ------------------------------------------------------------------------------

    def action_set_score(self, score: int) -> None:
        other = self.current_other()
        if other is not None:
            self._save_others(self._replace_other(make_other(self.group, other.position, other.label, score)),
                              f"{other.label}: behov {score}.")  # fmt: skip
            return
        row = self.current_row()
        if row is None:
            return
        label = catalog.AREAS.label(row.area)
        try:
            choice = make_choice(row, score)
        except ChoiceError:
            self._ask_reason(row, score)
            return
        self._save_choices([choice], [], f"{label}: behov {score}, förslaget bekräftat.")

    def _ask_reason(self, row: NeedRow, score: int) -> None:
        from bouv_tui.tui.dialogs.needs import ReasonDialog

        label = catalog.AREAS.label(row.area)
        if row.suggestion is None:
            intro = (f"Det finns inget förslag: ingen i gruppen är bedömd i området. "
                     f"Skriv kort varför behovet är {score}.")  # fmt: skip
        else:
            intro = (
                f"Förslaget är {row.suggestion.score} ({row.suggestion.reason()}). "
                f"Skriv kort varför du väljer {score}; motiveringen sparas med behovet."
            )
        previous = row.choice.reason if row.choice is not None else ""

        def chosen(choice) -> None:
            if choice is not None:
                self._save_choices([choice], [], f"{label}: behov {score}, ändrat från förslaget.")

        self.app.push_screen(
            ReasonDialog(f"{label}: behov {score}", intro, previous, lambda reason: make_choice(row, score, reason)),
            chosen,
        )

    def action_confirm(self) -> None:
        key = self.current_key()
        if key == ADD_OTHER or self.current_other() is not None:
            self.action_other()
            return
        row = self.current_row()
        if row is None:
            return
        label = catalog.AREAS.label(row.area)
        if row.suggestion is None:
            self.notify(f"{label}: det finns inget förslag att bekräfta. Välj behov med 1–5.", severity="warning")
            return
        if row.status == CONFIRMED:
            self.notify(f"{label}: förslaget {row.score} är redan bekräftat.")
            return
        self._save_choices([make_choice(row, row.suggestion.score)], [],
                           f"{label}: förslaget {row.suggestion.score} är bekräftat.")  # fmt: skip

    def action_confirm_all(self) -> None:
        rows = self.rows.get(self.group, [])
        choices = [make_choice(r, r.suggestion.score) for r in rows if not r.is_confirmed and r.suggestion is not None]
        missing = sum(1 for r in rows if r.status == MISSING)
        tail = f" {missing} områden saknar förslag: välj behov med 1–5." if missing else ""
        group = GROUP_LABELS[self.group].lower()
        if not choices:
            self.notify(f"Inga obekräftade förslag för {group}.{tail}")
            return
        self._save_choices(choices, [], f"{len(choices)} förslag för {group} är bekräftade.{tail}")

    def action_reset(self) -> None:
        row = self.current_row()
        if row is None:
            return
        label = catalog.AREAS.label(row.area)
        if row.choice is None:
            self.notify(f"{label}: inget valt behov att återställa.")
            return
        what = f"förslaget {row.suggestion.score} gäller igen, obekräftat" if row.suggestion else "behov saknas"
        self._save_choices([], [(row.group, row.area)], f"{label}: återställt, {what}.")

    def action_switch_group(self) -> None:
        self.group = GROUPS[(GROUPS.index(self.group) + 1) % len(GROUPS)]
        self.redraw(to_top=True)

    # --- "Annat" rows ------------------------------------------------------------------------------------

    def _replace_other(self, new: OtherNeed) -> list[OtherNeed]:
        rows = [o for o in self.others[self.group] if o.position != new.position]
        return sorted([*rows, new], key=lambda o: o.position)

    def action_other(self) -> None:
        from bouv_tui.tui.dialogs.needs import OtherNeedDialog

        other = self.current_other()
        existing = self.others.get(self.group, [])
        if other is None and len(existing) >= MAX_OTHER:
            self.notify(f"Högst {MAX_OTHER} rader Annat per grupp. Ändra eller ta bort en.", severity="warning")
            return
        position = other.position if other is not None else len(existing) + 1
        group = self.group

        def check(label: str, score_text: str) -> OtherNeed:
            score = None if not score_text.strip() else (int(score_text) if score_text.strip().isdigit() else 0)
            return make_other(group, position, label, score)

        def chosen(new: OtherNeed | None) -> None:
            if new is not None:
                self._focus_key = f"other:{new.position}"
                self._save_others(self._replace_other(new), f"Annat: {new.label} är sparat.")

        title = (f"Annat i fråga {GROUP_QUESTION[group]} ({GROUP_LABELS[group].lower()})"
                 if other is None else f"Ändra Annat: {other.label}")  # fmt: skip
        self.app.push_screen(
            OtherNeedDialog(title, other.label if other else "", other.score if other else None, check), chosen
        )

    def action_delete_other(self) -> None:
        from bouv_tui.tui.dialogs.common import ConfirmDialog

        other = self.current_other()
        if other is None:
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                rest = [o for o in self.others[self.group] if o.position != other.position]
                renumbered = [make_other(o.group, i, o.label, o.score) for i, o in enumerate(rest, start=1)]
                self._save_others(renumbered, f"Annat: {other.label} är borttaget.")

        self.app.push_screen(
            ConfirmDialog(f"Ta bort Annat: {other.label}?",
                          f"Raden och dess behov tas bort ur fråga {GROUP_QUESTION[self.group]} "
                          f"för {self.round.year}."),
            confirmed,
        )  # fmt: skip

    # --- reads and writes: one worker at a time, in the order they were asked for -------------------------

    def _save_choices(self, choices, clears, message: str) -> None:
        # ``shown`` is taken when the job runs: after the saves queued before it were read back.
        self._write(lambda ws, round_id, force: ws.save_need_choices(
            round_id, choices, clears, shown=self.stored_choices, force=force), message)  # fmt: skip

    def _save_others(self, others: list[OtherNeed], message: str) -> None:
        group = self.group
        self._write(lambda ws, round_id, force: ws.save_need_others(
            round_id, group, others, shown=[o for o in self.stored_others if o.group == group], force=force),
            message)  # fmt: skip

    def _write(self, write, message: str) -> None:
        """Store, then read back this round's choices and "Annat" rows (not the assessments,
        which a write here does not change). One job at a time, in the order asked for."""
        round_id, ws = self.round.id, self.app.workspace

        def job(force: bool = False):
            write(ws, round_id, force)
            return round_id, ws.need_choices(round_id), ws.need_others(round_id)

        self.run_job(WRITE_FAILED, job, lambda result: self._written(result, message),
                     force=lambda: job(force=True), reload_on_error=True)  # fmt: skip

    def _written(self, result, message: str) -> None:
        round_id, stored, others = result
        if self.round is not None and self.round.id == round_id:
            self.stored_choices, self.stored_others = list(stored), list(others)
            chosen = {(c.group, c.area): c for c in stored}
            self.rows = {group: [replace(r, choice=chosen.get((group, r.area))) for r in rows]
                         for group, rows in self.rows.items()}  # fmt: skip
            self.others = {group: [o for o in others if o.group == group] for group in GROUPS}
            self.redraw()
            if self._focus_key in self.shown_keys():
                self.query_one("#needs-table", Table).move_cursor(row=self.shown_keys().index(self._focus_key))
        self._focus_key = None
        self.notify(escape(message))

    # --- rounds -----------------------------------------------------------------------------------------------

    def action_choose_round(self) -> None:
        self.app.action_choose_round()

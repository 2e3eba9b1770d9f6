"""Budget (F9): how much money is left, how much of it may still go to supervision and side
costs, and what will be paid back if the year ends as it is going.

Four views of one read (``v`` switches): the funding sources with their caps; every expense
line (a training occasion's cost is its own lines, made by the plan); month by month, planned,
committed and spent against the grant and its caps; and the effect per krona per area. ``w``
opens what-if: lines switched in and out, amounts changed and trainings added change every
figure at once, and nothing is stored until the chef applies the scenario. Every write goes
through the service on the one writer; the budget is read again after it, in a worker.
"""

from __future__ import annotations

from dataclasses import replace

from rich.markup import escape
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from bouv_tui import fmt
from bouv_tui.domain import budget as rules
from bouv_tui.domain import catalog
from bouv_tui.domain.budget import MONTH_NAMES, Expense
from bouv_tui.fmt import clip
from bouv_tui.tui.screens.base import SectionScreen
from bouv_tui.tui.widgets.key_bar import KeyBar
from bouv_tui.tui.widgets.table import Table
from bouv_tui.tui.widgets.title_bar import TitleBar

SOURCES, EXPENSES, MONTHS, EFFECT = "kallor", "utgifter", "manader", "effekt"
VIEWS = ((SOURCES, "Källor och tak"), (EXPENSES, "Utgifter"), (MONTHS, "Månad för månad"), (EFFECT, "Effekt per krona"))
VIEW_SHORT = {SOURCES: "Källor", EXPENSES: "Utg.", MONTHS: "Mån.", EFFECT: "Effekt"}
STATUS_SHORT = {rules.PLANNED: "Planerad", rules.COMMITTED: "Åtagen", rules.PAID: "Betald"}
STATUS_STYLE = {rules.PLANNED: "dim", rules.COMMITTED: "yellow", rules.PAID: "green"}
COST_SHORT = {"utbildningsplatser": "Utb.platser", "stod_handledning": "Handledning", "vikarier": "Vikarier",
              "kurslitteratur": "Litteratur", "resor": "Resor", "administration": "Admin."}  # fmt: skip
WRITE_FAILED = "Budgeten sparades inte"
WIDE = 120


def kr(amount: int) -> str:
    return f"{fmt.number(amount)} kr"


class BudgetScreen(SectionScreen):
    DEFAULT_CSS = """
    #budget-summary { height: auto; max-height: 4; padding: 0 1; }
    #budget-tabs { height: 1; padding: 0 1; }
    #budget-table { height: 1fr; }
    #budget-detail {
        height: 5; overflow: hidden; padding: 0 1; border-top: solid $primary 50%;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    #budget-status { height: 1; padding: 0 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    BudgetScreen.-whatif #budget-summary { background: $warning 15%; }
    """

    TITLE = "Budget"
    HELP_TOPIC = "budget"
    LOAD_WHEN_SHOWN = True  # the plan's writes change the lines
    FOLLOWS_YEAR = True

    BINDINGS = [
        Binding("v", "switch_view", "Byt vy", id="budget.view",
                tooltip="Källor och tak, utgifter, månad för månad, effekt per krona"),
        Binding("n", "add_expense", "Ny utgift", id="budget.add", tooltip="Lägg till en utgift"),
        Binding("enter,e", "edit", "Ändra", id="budget.edit", priority=True, tooltip="Ändra den markerade utgiften"),
        Binding("c", "commit", "Åta", id="budget.commit",
                tooltip="Bekräfta: planerade rader (tillfällets alla) blir åtagna"),
        Binding("p", "pay", "Betald", id="budget.pay", tooltip="Markera raden (tillfällets alla) betald"),
        Binding("w", "whatif", "Vad händer om", id="budget.whatif",
                tooltip="Prova ändringar utan att spara: slå av och på, ändra belopp, lägg till"),
        Binding("f", "filter", "Filter", id="budget.filter", show=False,
                tooltip="Utgifter: visa alla, planerade, åtagna eller betalda"),
        Binding("space", "toggle", "Av/på", id="budget.toggle", show=False,
                tooltip="Vad händer om: slå av eller på den planerade raden (tillfällets alla)"),
        Binding("b", "change_amount", "Belopp", id="budget.amount", show=False,
                tooltip="Vad händer om: ändra beloppet på den planerade raden"),
        Binding("h", "hypothetical", "Tänkt utbildning", id="budget.hypothetical", show=False,
                tooltip="Vad händer om: lägg till en utbildning som inte finns i planen"),
        Binding("s", "save_scenario", "Spara scenario", id="budget.save_scenario", show=False,
                tooltip="Vad händer om: spara ändringarna under ett namn"),
        Binding("l", "open_scenario", "Öppna scenario", id="budget.open_scenario", show=False,
                tooltip="Öppna ett sparat scenario"),
        Binding("a", "apply_scenario", "Genomför", id="budget.apply", show=False,
                tooltip="Vad händer om: gör ändringarna på riktigt (frågar först)"),
        Binding("escape", "leave_whatif", "Lämna", id="budget.leave", show=False,
                tooltip="Lämna vad-händer-om utan att ändra något"),
        Binding("j", "adjust", "Justera", id="budget.adjust", show=False,
                tooltip="Sätt tillfällets åtagna rader till vad det kostar nu"),
        Binding("delete", "delete", "Ta bort", id="budget.delete", show=False,
                tooltip="Ta bort den markerade utgiften (frågar först)"),
        Binding("i", "import", "Importera", id="budget.import", show=False,
                tooltip="Läs in en bidragsfil (TOML) eller en utgiftslista (CSV, XLSX)"),
        Binding("x", "export", "Exportera", id="budget.export", show=False,
                tooltip="Ekonomisk redovisning, budget mot utfall eller bidragsfil"),
        Binding("ctrl+t", "settings", "Inställningar", id="budget.settings", show=False,
                tooltip="Vikariekostnad per dag, betalningstid, varning"),
        Binding("o", "choose_round", "År", id="budget.round", show=False, tooltip="Välj år"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.view_data = None  # services.budget.BudgetView
        self.view = SOURCES
        #: The expenses shown: every status (None), or one.
        self.status_filter: str | None = None
        self.drawn: tuple[str, bool] | None = None
        #: The what-if being tried (``domain.budget_whatif.Scenario``), None outside what-if.
        self.scenario = None
        self.scenario_saved_as: tuple[int, str, int] | None = None  # (id, name, version)
        #: The effect per krona of a read (``effect_of``), read when its view is first shown.
        self.effect_of = None
        self.effect = None
        #: The figures of the read, or of the what-if on it: worked out once per change.
        #: The read and the what-if (the objects themselves) ``_derived`` was worked out for.
        self._derived_for: tuple | None = None
        self._derived = None

    def commands(self):
        yield "Ny utgift", "Lägg till en utgift (n)", self.action_add_expense
        yield "Budget: byt vy", "Källor, utgifter, månader, effekt per krona (v)", self.action_switch_view
        yield "Budget: vad händer om", "Prova ändringar utan att spara (w)", self.action_whatif
        yield "Budget: öppna scenario", "Ett sparat vad-händer-om-scenario (l)", self.action_open_scenario
        yield "Importera bidragsfil eller utgifter", "TOML, CSV eller XLSX (i)", self.action_import
        yield "Exportera ekonomisk redovisning", "JSON, XLSX, CSV, text; budget mot utfall; bidragsfil (x)", \
            self.action_export
        yield "Budget: inställningar", "Vikariekostnad, betalningstid, varning (Ctrl+T)", self.action_settings

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="budget-summary")
        yield Static("", id="budget-tabs")
        yield Table(id="budget-table", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static("", id="budget-detail")
        yield Static("", id="budget-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#budget-table", Table).focus()

    # --- reading ----------------------------------------------------------------------------------

    def reload_data(self) -> None:
        ws, asked, today = self.app.workspace, self.app.year, self.app.today()
        year = asked if asked is not None else today.year
        first = self.view_data is None or self.view_data.year != year
        ahead = ws.budget_read_ahead(year) if self.view_data is None else None
        if ahead is not None:  # read while the UI was imported: shown in the first frame
            self._loaded((asked, ahead, self._work_out(ahead, None)))
            return

        def read():
            # The first frame waits for the figures alone (the lines folded into sums in SQL);
            # every line and the occasions whose committed lines differ from their cost follow.
            view = ws.budget_first_view(year) if first else ws.budget_view(year)
            return asked, view, self._work_out(view, None)

        self.background("Budgeten kunde inte läsas", read, self._loaded, group="budget-read")

    def _loaded(self, result) -> None:
        asked, view, derived = result
        if not self.shown_round(asked, view.year):
            return
        shown = self.view_data
        if view.expenses is None and shown is not None and shown.expenses is not None and shown.year == view.year:
            return  # the whole read came first
        self.view_data = view
        self._derived_for, self._derived = (view, None), derived
        self.redraw()
        if view.expenses is None:
            ws, year, now = self.app.workspace, view.year, self.app.year  # the year the first read showed
            self.background("Budgeten kunde inte läsas", lambda: (now, ws.budget_view(year)), self._whole,
                            group="budget-whole")  # fmt: skip

    def _whole(self, result) -> None:
        asked, view = result
        self._loaded((asked, view, self._work_out(view, None)))

    # --- the figures, real or what-if ---------------------------------------------------------------

    def _work_out(self, view, scenario):
        """(lines, figures per source, forecast per source) of ``view`` under ``scenario``
        (None: as stored). The lines are the ones the figures are made from: the paid ones
        folded into sums (``view.folded``: a scenario never changes them), the others with the
        scenario applied."""
        if scenario is None:
            lines = view.folded
        else:
            from bouv_tui.domain.budget_whatif import apply_scenario

            lines = apply_scenario(view.folded, scenario)
        figures = [rules.figures(s, lines) for s in view.sources]
        if view.expenses is None:  # the first frame's sums: the forecast follows with every line
            return lines, figures, [None] * len(figures)
        today = self.app.today()
        return lines, figures, [rules.forecast(f, lines, today, view.settings) for f in figures]

    def derived(self):
        """(lines, figures per source, forecast per source) of what is shown, worked out once
        per read or what-if change (every repaint and cursor move reuses them)."""
        view, scenario = self.view_data, self.scenario
        done = self._derived_for
        if done is None or done[0] is not view or done[1] is not scenario:
            self._derived_for, self._derived = (view, scenario), self._work_out(view, scenario)
        return self._derived

    # --- drawing ----------------------------------------------------------------------------------

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def _build_columns(self) -> None:
        table = self.query_one("#budget-table", Table)
        wide = self._width() >= WIDE
        self.drawn = (self.view, wide)
        table.clear(columns=True)
        if self.view == SOURCES:
            numbers = [(" Beviljat", "granted", 14), (" Utbetalt", "paid_out", 14), (" Planerat", "planned", 13),
                       (" Åtaget", "committed", 13), (" Betalt", "spent", 13), (" Kvar", "left", 14)]  # fmt: skip
            if not wide:
                numbers = [(label, key, 12) for label, key, _ in numbers if key not in ("planned", "granted")]
            name = max(18, self._width() - sum(w for *_, w in numbers) - 2)
            table.add_column(" Källa / tak (dess kostnadstyper)" if wide else " Källa / tak", key="name", width=name)
            for label, key, width in numbers:
                table.add_column(label, key=key, width=width)
        elif self.view == EXPENSES:
            columns = [(" Datum", "day", 11), (" Typ", "type", 12), (" Status", "status", 9), (" Belopp", "amount", 13)]
            if wide:
                columns += [(" Källa", "source", 24), (" Verif.", "voucher", 14)]
            name = max(18, self._width() - sum(w for *_, w in columns) - 2)
            table.add_column(" Utgift", key="what", width=name)
            for label, key, width in columns:
                table.add_column(label, key=key, width=width)
        elif self.view == MONTHS:
            columns = [(" Månad", "month", 10), (" Planerat", "planned", 12), (" Åtaget", "committed", 12),
                       (" Betalt", "spent", 12)]  # fmt: skip
            for label, key, width in columns:
                table.add_column(label, key=key, width=width)
            table.add_column(" Använt hittills mot bidraget (│ tak, ┃ bidraget)", key="bar",
                             width=max(14, self._width() - 48))
        else:
            columns = [(" Område", "area", 26 if wide else 16), (" Kostnad", "cost", 13), (" Delt.", "people", 6),
                       (" Ur saknar", "left", 10), (" Till förd.", "reached", 11)]  # fmt: skip
            columns += [(" Kr per lyft", "per", max(12, self._width() - sum(w for *_, w in columns) - 2))]
            for label, key, width in columns:
                table.add_column(label, key=key, width=width)

    def on_resize(self, event: events.Resize) -> None:
        if self.drawn is not None and (event.size.width >= WIDE) != self.drawn[1]:
            self.call_after_refresh(self.redraw)

    def redraw(self) -> None:
        table = self.query_one("#budget-table", Table)
        keep = table.cursor_row_key if table.row_count else None
        row_index = table.cursor_row if table.row_count else 0
        if self.drawn != (self.view, self._width() >= WIDE):
            self._build_columns()
        rows, keys = [], []
        if self.view_data is not None:
            rows, keys = {SOURCES: self._source_rows, EXPENSES: self._expense_rows, MONTHS: self._month_rows,
                          EFFECT: self._effect_rows}[self.view]()  # fmt: skip
        with self.app.batch_update():
            table.clear()
            table.add_rows(rows, keys=keys)
            if keys:
                table.move_cursor(row=keys.index(keep) if keep in keys else min(row_index, len(keys) - 1))
        self.set_class(self.scenario is not None, "-whatif")
        self._show_summary()
        self._show_tabs()
        self._show_detail()
        self.refresh_bindings()

    def _source_rows(self):
        _, figures, _ = self.derived()
        wide = self._width() >= WIDE
        rows, keys = [], []
        for f in figures:
            s = f.source
            cells = [Text(f" {s.name}", style="bold")]
            if wide:
                cells.append(Text(f" {fmt.number(s.requisitioned)}"))
            cells.append(Text(f" {fmt.number(s.paid_out)}"))
            if wide:
                cells.append(Text(f" {fmt.number(f.planned)}"))
            cells += [Text(f" {fmt.number(f.committed)}"), Text(f" {fmt.number(f.spent)}"),
                      Text(f" {fmt.number(f.left)}", style="bold red" if f.left < 0 else "bold")]  # fmt: skip
            rows.append(cells)
            keys.append(("s", s.id))
            for i, c in enumerate(f.caps):
                share = c.used / s.paid_out if s.paid_out else 0.0
                over = c.room < 0
                style = "bold red" if over else ("yellow" if c.room < c.limit * 0.1 else "")
                stop = ", stoppar" if c.cap.action == rules.STOP else ""
                label = f"   └ {c.cap.name} ({fmt.percent(share)} av högst {fmt.percent(c.cap.share, 0)}{stop})"
                planned, committed, spent = self._cap_parts(s, c.cap)
                # The same columns, for the cap's cost types: its limit in place of what was paid out.
                cells = [Text(label)]
                if wide:
                    cells.append(Text(""))
                cells.append(Text(f" {fmt.number(c.limit)}", style="italic"))
                if wide:
                    cells.append(Text(f" {fmt.number(planned)}"))
                cells += [Text(f" {fmt.number(committed)}"), Text(f" {fmt.number(spent)}"),
                          Text(f" {fmt.number(c.room)}", style=style)]  # fmt: skip
                rows.append(cells)
                keys.append(("cap", s.id, i))
        return rows, keys

    def _cap_parts(self, source, cap) -> tuple[int, int, int]:
        """Planned, committed and spent in the cap's cost types, of what is shown."""
        sums = dict.fromkeys(rules.EXPENSE_STATUSES.codes(), 0)
        for e in self.derived()[0]:
            if e.source_id == source.id and e.cost_type in cap.cost_types:
                sums[e.status] += e.amount
        return sums[rules.PLANNED], sums[rules.COMMITTED], sums[rules.PAID]

    def _shown_lines(self) -> list[tuple[tuple, Expense]]:
        """(row key, line) of every line the expense view lists, by date: the stored ones (in
        what-if those switched off too, struck through) and the what-if's hypothetical ones."""
        view = self.view_data
        found = [(("e", e.id), e) for e in view.expenses or ()]
        if self.scenario is not None:
            from bouv_tui.domain.budget_whatif import apply_scenario

            hypothetical = apply_scenario([], self.scenario)
            found += [(("h", i), e) for i, e in enumerate(hypothetical)]
        found.sort(key=lambda pair: (pair[1].day, pair[0][0] == "h", pair[1].id or pair[0][1]))
        if self.status_filter is not None:
            found = [pair for pair in found if pair[1].status == self.status_filter]
        return found

    def _line_cells(self, key, e: Expense, wide: bool, names: dict) -> list[Text]:
        """A line's cells; in what-if struck through when switched off, at its new amount."""
        from bouv_tui.domain.budget_whatif import switched_off

        scenario = self.scenario
        off = scenario is not None and key[0] == "e" and switched_off(e, scenario)
        amount = e.amount
        if scenario is not None and key[0] == "e" and e.status != rules.PAID:
            amount = scenario.amounts.get(e.id, e.amount)
        style = "dim strike" if off else ("italic" if key[0] == "h" or amount != e.amount else "")
        what = self.view_data.describe(e) if key[0] == "e" else f"Tänkt: {e.note}"
        cells = [Text(" " + what, style=style), Text(f" {e.day.isoformat()}"),
                 Text(f" {COST_SHORT.get(e.cost_type, e.cost_type)}"),
                 Text(f" {STATUS_SHORT[e.status]}", style=STATUS_STYLE[e.status]),
                 Text(f" {fmt.number(amount)}", style=style)]  # fmt: skip
        if wide:
            cells += [Text(" " + clip(names.get(e.source_id, "–"), 23)), Text(" " + clip(e.voucher, 13))]
        return cells

    def _expense_rows(self):
        wide = self._width() >= WIDE
        names = {s.id: s.name for s in self.view_data.sources}
        rows, keys = [], []
        for key, e in self._shown_lines():
            rows.append(self._line_cells(key, e, wide, names))
            keys.append(key)
        return rows, keys

    def _restyle(self, lines: list[Expense]) -> bool:
        """After a what-if change that adds or removes no row: only ``lines``' rows drawn again
        (at national scale the view lists some 17 000 lines). False when the table must be
        drawn whole."""
        table = self.query_one("#budget-table", Table)
        if self.view != EXPENSES or self.drawn != (self.view, self._width() >= WIDE):
            return False
        wide = self._width() >= WIDE
        names = {s.id: s.name for s in self.view_data.sources}
        keys = set(table.row_keys)
        for e in lines:
            key = ("e", e.id)
            if key in keys:
                table.set_row_cells(table.get_row_index(key), dict(enumerate(self._line_cells(key, e, wide, names))))
        return True

    def _grant(self):
        """The figures and forecast of the year's first state grant (else the first source)."""
        _, figures, forecasts = self.derived()
        pairs = list(zip(figures, forecasts))
        if not pairs:
            return None, None
        return next(((f, fc) for f, fc in pairs if f.source.kind == rules.GRANT), pairs[0])

    def _months(self) -> list:
        f, _ = self._grant()
        if f is None or self.view_data.expenses is None:  # the first frame's sums have no dates
            return []
        return rules.months(f.source, self.derived()[0], self.view_data.year)

    def _month_rows(self):
        f, _ = self._grant()
        shown = self._months()
        if f is None or not shown:
            return [], []
        table = self.query_one("#budget-table", Table)
        width = max(6, table.column_width(table.get_column_index("bar")) - 2)
        scale = max([f.source.paid_out, 1, *(m.used_total + m.planned_total for m in shown)])
        limits = [c.limit for c in f.caps]
        rows, keys = [], []
        for i, m in enumerate(shown):
            line = _month_bar(m.used_total, m.planned_total, scale, width, limits, f.source.paid_out)
            label = MONTH_NAMES[m.first.month - 1][:9]
            if m.first.year != self.view_data.year:
                label = f"{label[:3]} {m.first.year}"
            rows.append([Text(" " + label), Text(f" {fmt.number(m.planned)}"),
                         Text(f" {fmt.number(m.committed)}"), Text(f" {fmt.number(m.spent)}"),
                         Text.assemble(" ", line)])  # fmt: skip
            keys.append(("m", i))
        return rows, keys

    def _effects(self) -> list:
        """The effect per krona of the read, asked for when the view is first shown (it reads
        two rounds of levels and the whole plan)."""
        if self.view_data.expenses is None:
            return []
        if self.effect_of is not self.view_data:
            self.effect_of = self.view_data
            self.effect = None
            ws, year = self.app.workspace, self.view_data.year
            view = self.view_data

            def read():
                return view, ws.effect(year)

            self.background("Effekten kunde inte räknas", read, self._effect_read, group="budget-effect")
        return self.effect or []

    def _effect_read(self, result) -> None:
        view, effect = result
        if view is self.view_data:
            self.effect = effect
            if self.view == EFFECT:
                self.redraw()

    def _effect_rows(self):
        rows, keys = [], []
        wide = self._width() >= WIDE
        for a in self._effects():
            per = "–" if a.cost_per_lifted is None else kr(a.cost_per_lifted)
            rows.append([Text(" " + clip(catalog.AREAS.label(a.area), 25 if wide else 15)),
                         Text(f" {fmt.number(a.cost)}"), Text(f" {a.attended}"), Text(f" {a.left_missing}"),
                         Text(f" {a.reached_advanced}"), Text(f" {per}")])  # fmt: skip
            keys.append(("area", a.area))
        return rows, keys

    def _show_summary(self) -> None:
        summary = self.query_one("#budget-summary", Static)
        view = self.view_data
        if view is None:
            summary.update("Läser budgeten …")
            return
        f, fc = self._grant()
        if f is None:
            summary.update(f"Budget [b]{view.year}[/b]: ingen finansieringskälla för året.\n"
                           "Tryck [b]i[/b] för att läsa in en bidragsfil (en mall för 2013 finns i hjälpen, F1).")
            return
        prefix = "[b reverse] VAD HÄNDER OM [/] " if self.scenario is not None else ""
        first = prefix + escape(rules.headline(f)) + "."
        second = self._forecast_line(f, fc, short=self._width() < WIDE)
        summary.update(f"{first}\n{second}")

    def _forecast_line(self, f, fc, *, short: bool = False) -> str:
        if fc is None:
            return "[dim]Prognosen räknas …[/]"
        parts = []
        if fc.paid_back > 0:
            due = f" senast {fc.due.isoformat()}" if fc.due else ""
            parts.append(f"[b yellow]⚠ Prognos: {kr(fc.paid_back)} betalas tillbaka{due}[/]")
        elif f.source.unspent == rules.PAID_BACK:
            parts.append("[green]Prognos: allt används[/]")
        else:
            parts.append(f"Prognos: {kr(fc.unspent)} oanvänt, får sparas")
        if short:
            first = (f"[b yellow]⚠ Prognos: {kr(fc.paid_back)} betalas tillbaka[/]" if fc.paid_back > 0
                     else parts[0])  # fmt: skip
            return first + ("" if not fc.days_left else f" · åta senast {fc.last_day_to_commit.isoformat()}")
        if fc.days_left:
            parts.append(f"sista dag att åta sig: {fc.last_day_to_commit.isoformat()}")
        if fc.late_lines:
            rows = "planerad rad" if fc.late_lines == 1 else "planerade rader"
            parts.append(f"{fc.late_lines} {rows} efter den ({kr(fc.late)})")
        if self.view_data.unfunded:
            parts.append(f"{self.view_data.unfunded} tillfällen utan finansieringskälla")
        return " · ".join(parts)

    def _show_tabs(self) -> None:
        def line(short: bool) -> str:
            parts = []
            for code, label in VIEWS:
                if short and code != self.view:
                    label = VIEW_SHORT[code]
                parts.append(f"[reverse b] {label} [/]" if code == self.view else f"[dim] {label} [/]")
            shown = ""
            if self.view == EXPENSES:
                word = "alla" if self.status_filter is None else rules.EXPENSE_STATUSES.label(self.status_filter).lower()
                shown = f"  [b]{word}[/b] [dim](f)[/]"
            return " ".join(parts) + shown + ("" if short else "   [dim](v byter vy)[/]")

        text = line(False)
        if Text.from_markup(text).cell_len > self._width() - 2:
            text = line(True)
        self.query_one("#budget-tabs", Static).update(text)

    # --- the row under the cursor ------------------------------------------------------------------

    def current_key(self):
        table = self.query_one("#budget-table", Table)
        return table.cursor_row_key if table.row_count else None

    def current_expense(self) -> Expense | None:
        key = self.current_key()
        if self.view_data is None or key is None or key[0] != "e" or not isinstance(key[1], int):
            return None
        return self.view_data.expense(key[1])

    def _lines_of(self, e: Expense) -> list[Expense]:
        """An occasion's line stands for all its lines (confirmed, paid, switched together)."""
        if e.occasion_id is None or e.origin is None:
            return [e]
        return [x for x in self.view_data.expenses if x.occasion_id == e.occasion_id and x.origin is not None]

    def _show_detail(self) -> None:
        panel = self.query_one("#budget-detail", Static)
        status = self.query_one("#budget-status", Static)
        if self.view_data is None:
            panel.update("")
            status.update("")
            return
        if self.scenario is not None:
            sc = self.scenario  # counted from its sets: describing it line by line reads every line
            changes = len(sc.off_occasions) + len(sc.off_expenses) + len(sc.amounts) + len(sc.trainings)
            status.update(f"Vad händer om ({changes} ändr.): mellanslag av/på · b belopp · h tänkt utbildning · "
                          "f planerade · s spara · a genomför · Esc lämnar")  # fmt: skip
        else:
            status.update({
                SOURCES: "n ny utgift · i importera (bidragsfil, utgifter) · x exportera · w vad händer om · Ctrl+T inställningar",
                EXPENSES: "n ny · Enter ändra · c åta · p betald · f filter · Delete ta bort · w vad händer om",
                MONTHS: "staplarna: betalt och åtaget (█) och planerat (░) hittills, mot bidraget",
                EFFECT: "kostnad per person som lyfts: ur saknar eller upp till fördjupad",
            }[self.view])  # fmt: skip
        key = self.current_key()
        panel.update(self._detail_text(key) if key is not None else self._empty_text())

    def _empty_text(self) -> str:
        if self.view != SOURCES and self.view_data.expenses is None:
            return "Läser utgifterna …"
        if self.view == EXPENSES:
            return "Inga utgifter för året ännu. [b]n[/b] lägger till en, [b]i[/b] läser in en utgiftslista."
        if self.view == EFFECT:
            return ("Ingen effekt att visa: det behövs utbildningar med kostnad och deltagare, och bedömningar "
                    "i två omgångar (året före och året).")  # fmt: skip
        return ""

    def _detail_text(self, key) -> str:
        view = self.view_data
        expenses, figures, forecasts = self.derived()
        if key[0] in ("s", "cap"):
            f, fc = next((f, fc) for f, fc in zip(figures, forecasts) if f.source.id == key[1])
            s = f.source
            period = f"{s.use_from or '…'}–{s.use_until or '…'}"
            lines = [
                f"[b]{escape(s.name)}[/b] – {rules.SOURCE_KINDS.label(s.kind).lower()} {s.year}, ska användas {period}"
                + (f", redovisas senast {s.report_by}" if s.report_by else ""),
                f"Rekvirerat {kr(s.requisitioned)}, utbetalt {kr(s.paid_out)}, återbetalt {kr(s.paid_back)}. "
                f"Kvar efter det planerade: {kr(f.left_after_plans)}.",
            ]
            if key[0] == "cap":
                c = f.caps[key[2]]
                share = c.used / s.paid_out if s.paid_out else 0.0
                lines.append(
                    f"Tak [b]{escape(c.cap.name)}[/b]: högst {fmt.percent(c.cap.share)} av bidraget = {kr(c.limit)}; "
                    f"använt {kr(c.used)} ({fmt.percent(share)}), kvar {kr(c.room)}. "
                    + ("Utgifter över taket stoppas." if c.cap.action == rules.STOP else "Varnar när det passeras.")
                )
                lines.append("Kostnadstyper: " + ", ".join(catalog.COST_TYPES.label(t).lower() for t in c.cap.cost_types))
            else:
                lines.append(self._forecast_line(f, fc))
            return "\n".join(lines)
        if key[0] == "h":
            t = self.scenario.trainings[key[1]] if self.scenario and key[1] < len(self.scenario.trainings) else None
            if t is None:
                return ""
            return (f"[b]Tänkt utbildning: {escape(t.name)}[/b] – {kr(t.amount)}, "
                    f"{catalog.COST_TYPES.label(t.cost_type).lower()}, {t.day.isoformat()}\n"
                    "Bara i vad-händer-om: a genomför scenariot och gör den till en planerad utgift.")  # fmt: skip
        if key[0] == "e":
            e = self.current_expense()
            if e is None:
                return ""
            source = view.source(e.source_id)
            lines = [
                f"[b]{escape(view.describe(e))}[/b] – {kr(e.amount)}, {catalog.COST_TYPES.label(e.cost_type).lower()}, "
                f"{rules.EXPENSE_STATUSES.label(e.status).lower()}",
                f"Datum {e.day.isoformat()}, {escape(source.name if source else 'ingen källa')}"
                + (f", verifikation {escape(e.voucher)}" if e.voucher else ""),
            ]
            if e.origin is not None:
                lines.append("Rad ur ett tillfälle i planen: planerade rader följer bokningarna; c åtar, p betalar "
                             "alla tillfällets rader.")  # fmt: skip
                diff = next((d for d in view.differences or () if d.occasion_id == e.occasion_id), None)
                if diff is not None:
                    lines.append(f"[yellow]⚠ Åtaget {kr(diff.committed)}, men tillfället kostar nu "
                                 f"{kr(diff.planned_now)}: j justerar de åtagna raderna.[/]")  # fmt: skip
            elif e.note:
                lines.append(escape(e.note))
            return "\n".join(lines)
        if key[0] == "m":
            f, _ = self._grant()
            m = self._months()[key[1]]
            return "\n".join([
                f"[b]{MONTH_NAMES[m.first.month - 1].capitalize()} {m.first.year}[/b]: planerat {kr(m.planned)}, "
                f"åtaget {kr(m.committed)}, betalt {kr(m.spent)}",
                f"Hittills: använt {kr(m.used_total)} av {kr(f.source.paid_out)}, "
                f"med det planerade {kr(m.used_total + m.planned_total)}",
                "Taken: " + ", ".join(f"{escape(c.cap.name)} {kr(c.limit)}" for c in f.caps) if f.caps else "Inga tak.",
            ])  # fmt: skip
        if key[0] == "area":
            a = next(x for x in self._effects() if x.area == key[1])
            per = "ingen lyftes" if a.cost_per_lifted is None else f"{kr(a.cost_per_lifted)} per person som lyftes"
            return "\n".join([
                f"[b]{escape(catalog.AREAS.label(a.area))}[/b]: {kr(a.cost)} för {a.trainings} "
                f"{'utbildning' if a.trainings == 1 else 'utbildningar'}, "
                f"{a.attended} deltog",
                f"{a.left_missing} lämnade 'saknar', {a.reached_advanced} nådde 'fördjupad' ({a.lifted} lyftes): {per}",
                "Nivåerna jämförs mellan förra årets och årets inventering, för dem som deltog.",
            ])  # fmt: skip
        return ""

    @on(Table.RowHighlighted, "#budget-table")
    def _row_moved(self) -> None:
        self._show_detail()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        whatif_only = ("toggle", "change_amount", "hypothetical", "save_scenario", "apply_scenario", "leave_whatif")
        if action in whatif_only:
            return self.scenario is not None
        if (self.view_data is None or self.view_data.expenses is None) and action not in (
                "switch_view", "choose_round", "export", "settings"):  # fmt: skip
            return False
        if self.scenario is not None and action in ("add_expense", "edit", "commit", "pay", "delete", "adjust",
                                                    "import", "settings"):  # fmt: skip
            return False
        if action in ("edit", "commit", "pay", "delete"):
            return self.current_expense() is not None
        if action == "adjust":
            e = self.current_expense()
            return e is not None and any(d.occasion_id == e.occasion_id for d in self.view_data.differences or ())
        if action == "add_expense":
            return bool(self.view_data.sources)
        return True

    # --- writes -----------------------------------------------------------------------------------

    def _write(self, title: str, job, done=None, *, force=None) -> None:
        ws, year = self.app.workspace, self.view_data.year

        def run(fn):
            def inner():
                result = fn()
                view = ws.budget_view(year)
                return result, view, self._work_out(view, None)  # the figures in the worker too

            return inner

        def finished(result) -> None:
            value, view, derived = result
            self.view_data = view
            self._derived_for, self._derived = (view, None), derived
            self.redraw()
            if done is not None:
                done(value)

        self.run_job(title, run(job), finished, force=run(force) if force else None, reload_on_error=True)

    def action_add_expense(self) -> None:
        from bouv_tui.tui.dialogs.budget import ExpenseForm

        view = self.view_data
        ws = self.app.workspace

        def saved(expense) -> None:
            if expense is not None:
                self._write(WRITE_FAILED, lambda: ws.save_expense(expense), self._saved_notice)

        self.app.push_screen(ExpenseForm(view.sources, view.expenses), saved)

    def _saved_notice(self, expense: Expense) -> None:
        source = self.view_data.source(expense.source_id)
        if source is None:
            return
        check = rules.check_expense(source, [e for e in self.view_data.expenses if e.id != expense.id], expense)
        if check.warnings:
            self.notify(escape(" ".join(check.warnings)), title="Sparad, med varning", severity="warning", timeout=12)
        else:
            self.notify(f"{kr(expense.amount)} sparat.", title="Sparad")

    def action_edit(self) -> None:
        from bouv_tui.tui.dialogs.budget import ExpenseForm

        e = self.current_expense()
        if e is None:
            return
        view, ws = self.view_data, self.app.workspace

        def saved(expense) -> None:
            if expense is not None:
                self._write(WRITE_FAILED, lambda: ws.save_expense(expense, shown=e), self._saved_notice,
                            force=lambda: ws.save_expense(expense, shown=e, force=True))  # fmt: skip

        self.app.push_screen(ExpenseForm(view.sources, view.expenses, e, described=view.describe(e)), saved)

    def _move(self, status: str) -> None:
        e = self.current_expense()
        if e is None:
            return
        lines = [x for x in self._lines_of(e) if x.status != status and x.status != rules.PAID]
        if not lines:
            self.notify(f"Raden är redan {rules.EXPENSE_STATUSES.label(e.status).lower()}.")
            return
        ws = self.app.workspace
        word = "åtagna" if status == rules.COMMITTED else "betalda"
        self._write(WRITE_FAILED, lambda: ws.move_lines(lines, status),
                    lambda n: self.notify(f"{n} {'rad' if n == 1 else 'rader'} {word}."))  # fmt: skip

    def action_commit(self) -> None:
        self._move(rules.COMMITTED)

    def action_pay(self) -> None:
        self._move(rules.PAID)

    def action_adjust(self) -> None:
        e = self.current_expense()
        if e is None or e.occasion_id is None:
            return
        ws = self.app.workspace
        self._write(WRITE_FAILED, lambda: ws.adjust_committed(e.occasion_id),
                    lambda n: self.notify(f"{n} åtagna rader justerade."))  # fmt: skip

    def action_delete(self) -> None:
        from bouv_tui.tui.dialogs.common import ConfirmDialog

        e = self.current_expense()
        if e is None:
            return
        ws = self.app.workspace
        extra = (" Raden kommer ur ett tillfälle i planen: en planerad rad görs om när tillfället ändras."
                 if e.origin else "")  # fmt: skip

        def answered(yes: bool | None) -> None:
            if yes:
                self._write(WRITE_FAILED, lambda: ws.delete_expense(e.id, version=e.version),
                            lambda _: self.notify("Utgiften är borttagen."))  # fmt: skip

        self.app.push_screen(ConfirmDialog(
            "Ta bort utgiften?",
            f"{self.view_data.describe(e)}, {kr(e.amount)} ({rules.EXPENSE_STATUSES.label(e.status).lower()}).{extra}",
        ), answered)  # fmt: skip

    def action_settings(self) -> None:
        from bouv_tui.tui.dialogs.budget import BudgetSettingsForm

        ws = self.app.workspace

        def saved(settings) -> None:
            if settings is not None:
                self._write(WRITE_FAILED, lambda: ws.save_budget_settings(settings),
                            lambda _: self.notify("Inställningarna är sparade; vikarieraderna är omräknade."))  # fmt: skip

        self.app.push_screen(BudgetSettingsForm(self.view_data.settings), saved)

    # --- import and export --------------------------------------------------------------------------

    def action_import(self) -> None:
        from bouv_tui.tui.dialogs.exchange import ImportFileDialog

        def chosen(path) -> None:
            if path is None:
                return
            self.app.remember_folder(path.parent)
            if path.suffix.lower() == ".toml":
                self._import_grant(path)
            else:
                self._plan_expense_import(path)

        self.app.push_screen(
            ImportFileDialog(
                "Importera till budgeten",
                "En bidragsfil (.toml) lägger till en finansieringskälla med dess regler, eller uppdaterar den med "
                "samma namn och år. En utgiftslista (CSV eller XLSX, t.ex. från ekonomisystemet) visas först; "
                "ingenting sparas förrän du har bekräftat.",
                suffixes=(".toml", ".csv", ".xlsx"),
            ),
            chosen,
        )  # fmt: skip

    def _import_grant(self, path) -> None:
        ws = self.app.workspace

        def done(result) -> None:
            source, added = result
            self.notify(escape(f"{source.name} {source.year} {'tillagd' if added else 'uppdaterad'}."),
                        title="Bidragsfilen är inläst")  # fmt: skip

        self._write("Bidragsfilen lästes inte in", lambda: ws.import_grant(path), done)

    def _plan_expense_import(self, path) -> None:
        ws = self.app.workspace
        self.background("Filen kunde inte läsas", lambda: ws.plan_expense_import(path),
                        lambda plan: self._preview(path, plan), group="budget-import")  # fmt: skip

    def _preview(self, path, plan) -> None:
        from bouv_tui.tui.dialogs.budget_import import ExpenseImportPreview

        ws = self.app.workspace

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._write("Utgifterna lästes inte in", lambda: ws.apply_expense_import(plan),
                            lambda outcome: self.notify(escape(outcome), title="Importerat"))  # fmt: skip

        self.app.push_screen(ExpenseImportPreview(path.name, plan), confirmed)

    def action_export(self) -> None:
        from bouv_tui.tui.dialogs.budget import ChoiceDialog

        choices = ["Ekonomisk redovisning (JSON, XLSX, CSV, text)", "Budget mot utfall för ekonomienheten (XLSX)"]
        sources = self.view_data.sources
        choices += [f"Bidragsfil: {s.name} (TOML)" for s in sources]

        def chosen(index) -> None:
            if index is None:
                return
            if index == 0:
                self._export_dialog("finance")
            elif index == 1:
                self._export_dialog("budget")
            else:
                self._export_dialog("grant", sources[index - 2])

        self.app.push_screen(ChoiceDialog(f"Exportera budgeten för {self.view_data.year}", choices), chosen)

    def _export_dialog(self, kind: str, source=None) -> None:
        from bouv_tui.services import default_export_stem
        from bouv_tui.tui.dialogs.exchange import ExportDialog

        year, ws = self.view_data.year, self.app.workspace
        if kind == "finance":
            from bouv_tui.services.budget import FINANCE_FORMATS

            formats, title, stem = FINANCE_FORMATS, f"Exportera den ekonomiska redovisningen för {year}", "ekonomi"
            labels = {"json": "JSON", "xlsx": "XLSX", "csv": "CSV", "txt": "Text"}
        elif kind == "budget":
            formats, title, stem, labels = ("xlsx",), f"Exportera budget mot utfall {year}", "budget", None
        else:
            formats, title, stem, labels = ("toml",), f"Exportera bidragsfilen {source.name}", "bidrag", None

        def run(choice):
            if kind == "finance":
                return ws.export_finance(year, choice.fmt, choice.path, replace_readonly=choice.replace_readonly)
            if kind == "budget":
                return ws.export_budget(year, choice.path, replace_readonly=choice.replace_readonly)
            return ws.export_grant(source.name, year, choice.path, replace_readonly=choice.replace_readonly)

        def chosen(choice) -> None:
            if choice is None:
                return
            self.app.remember_folder(choice.path.parent)
            self.background("Exporten skrevs inte", lambda: run(choice),
                            lambda path: self.notify(escape(f"Sparad i {path}"), title="Exporterat"),
                            group="budget-export")  # fmt: skip

        self.app.push_screen(ExportDialog(title, self.app.export_folder(),
                                          default_export_stem(stem, self.app.today(), year=year), formats,
                                          labels=labels), chosen)  # fmt: skip

    # --- what-if ------------------------------------------------------------------------------------

    def action_whatif(self) -> None:
        from bouv_tui.domain.budget_whatif import Scenario

        if self.scenario is not None:
            self.action_leave_whatif()
            return
        self.scenario = Scenario("", self.view_data.year)
        self.scenario_saved_as = None
        if self.view == SOURCES:
            self.view = EXPENSES
        self.redraw()
        self.notify("Ingenting sparas förrän du väljer Genomför (a). Esc lämnar utan att ändra något.",
                    title="Vad händer om")  # fmt: skip

    def action_leave_whatif(self) -> None:
        if self.scenario is None:
            return
        self.scenario = None
        self.scenario_saved_as = None
        self.redraw()

    def _change(self, scenario, lines: list[Expense] | None = None) -> None:
        """A new what-if: the figures again, and the rows of ``lines`` (a toggle or a new
        amount adds or removes no row), or the whole table (a hypothetical training)."""
        self.scenario = scenario
        if lines is None or not self._restyle(lines):
            self.redraw()
            return
        self._show_summary()
        self._show_detail()
        self.refresh_bindings()

    def action_toggle(self) -> None:
        key = self.current_key()
        if self.scenario is None or key is None or key[0] != "e" or not isinstance(key[1], int):
            return
        e = self.view_data.expense(key[1])
        if e is None or e.status != rules.PLANNED:
            self.notify("Bara planerade rader kan slås av: det åtagna och betalda är redan gjort.",
                        severity="warning")  # fmt: skip
            return
        if e.occasion_id is not None and e.origin in rules.ORIGINS:
            lines = [x for x in self.view_data.expenses if x.occasion_id == e.occasion_id and x.status == rules.PLANNED]
            self._change(self.scenario.toggle_occasion(e.occasion_id), lines)
        else:
            self._change(self.scenario.toggle_expense(e.id), [e])

    def action_change_amount(self) -> None:
        from bouv_tui.tui.dialogs.budget import AmountDialog

        e = self.current_expense()
        if self.scenario is None or e is None:
            return
        if e.status != rules.PLANNED or e.origin is not None:
            self.notify("Belopp ändras på planerade rader som inte kommer ur ett tillfälle (ändra tillfällets "
                        "kostnad i Plan, F8, eller slå av det här).", severity="warning")  # fmt: skip
            return
        def chosen(amount) -> None:
            if amount is not None:
                self._change(self.scenario.with_amount(e.id, None if amount == e.amount else amount), [e])

        self.app.push_screen(AmountDialog(self.view_data.describe(e), self.scenario.amounts.get(e.id, e.amount)),
                             chosen)  # fmt: skip

    def action_hypothetical(self) -> None:
        from bouv_tui.domain.budget_whatif import HypotheticalTraining
        from bouv_tui.tui.dialogs.budget import HypotheticalForm

        if self.scenario is None or not self.view_data.sources:
            return

        def chosen(line) -> None:
            if line is not None:
                self._change(self.scenario.with_training(HypotheticalTraining(*line)))

        self.app.push_screen(HypotheticalForm(self.view_data.sources, self.view_data.year), chosen)

    def action_save_scenario(self) -> None:
        from bouv_tui.domain.budget_whatif import scenario_to_json
        from bouv_tui.tui.dialogs.budget import NameDialog

        if self.scenario is None:
            return
        ws, year = self.app.workspace, self.view_data.year
        saved = self.scenario_saved_as

        def named(name) -> None:
            if name is None:
                return
            scenario = replace(self.scenario, name=name)
            body = scenario_to_json(scenario)
            same = saved is not None and saved[1] == name

            def done(result) -> None:
                self.scenario = scenario
                self.scenario_saved_as = (result[0], name, result[1])
                self.redraw()
                self.notify(escape(f"Scenariot {name} är sparat. Inget av det är gjort på riktigt."),
                            title="Sparat")  # fmt: skip

            self.run_job("Scenariot sparades inte",
                         lambda: ws.save_scenario(year, name, body, scenario_id=saved[0] if same else None,
                                                  version=saved[2] if same else 0), done)  # fmt: skip

        self.app.push_screen(NameDialog("Spara scenariot", saved[1] if saved else ""), named)

    def action_open_scenario(self) -> None:
        from bouv_tui.domain.budget_whatif import scenario_from_json
        from bouv_tui.tui.dialogs.budget import ChoiceDialog

        ws, year = self.app.workspace, self.view_data.year

        def listed(found) -> None:
            if not found:
                self.notify(f"Inga sparade scenarier för {year}. w öppnar vad-händer-om, s sparar.")
                return

            def chosen(index) -> None:
                if index is None:
                    return
                scenario_id, name, body, version = found[index]
                try:
                    scenario = scenario_from_json(body)
                except ValueError as exc:
                    self.app.report_error("Scenariot kunde inte öppnas", exc)
                    return
                self.scenario = replace(scenario, name=name)
                self.scenario_saved_as = (scenario_id, name, version)
                if self.view == SOURCES:
                    self.view = EXPENSES
                self.redraw()

            self.app.push_screen(ChoiceDialog(f"Öppna ett scenario för {year}", [f[1] for f in found]), chosen)

        self.background("Scenarierna kunde inte läsas", lambda: ws.scenarios(year), listed, group="budget-scenarios")

    def action_apply_scenario(self) -> None:
        from bouv_tui.tui.dialogs.common import ConfirmDialog

        if self.scenario is None:
            return
        lines = self._scenario_lines()
        if self.scenario.is_empty:
            self.notify("Scenariot ändrar ingenting ännu.")
            return
        ws, view, scenario = self.app.workspace, self.view_data, self.scenario

        def answered(yes: bool | None) -> None:
            if not yes:
                return

            def done(_result) -> None:
                self.scenario = None
                self.scenario_saved_as = None
                self.redraw()
                self.notify("Scenariot är genomfört.", title="Sparat")

            self._write(WRITE_FAILED, lambda: ws.apply_scenario(scenario, view), done)

        text = "\n".join(lines[:12]) + (f"\n… och {len(lines) - 12} till" if len(lines) > 12 else "")
        self.app.push_screen(ConfirmDialog("Genomföra scenariot på riktigt?", text, "Genomför"), answered)

    def _scenario_lines(self) -> list[str]:
        from bouv_tui.domain.budget_whatif import describe_scenario

        plan = self.view_data.plan
        names = {o.id: f"{plan.training(o.training_id).name} {o.start.isoformat()}" for o in plan.occasions}
        return describe_scenario(self.scenario, self.view_data.expenses, names)

    # --- views ------------------------------------------------------------------------------------

    def action_switch_view(self) -> None:
        codes = [code for code, _ in VIEWS]
        self.view = codes[(codes.index(self.view) + 1) % len(codes)]
        self.redraw()

    def action_filter(self) -> None:
        order = [None, *rules.EXPENSE_STATUSES.codes()]
        self.status_filter = order[(order.index(self.status_filter) + 1) % len(order)]
        if self.view != EXPENSES:
            self.view = EXPENSES
        self.redraw()

    def action_choose_round(self) -> None:
        from bouv_tui.tui.dialogs.rounds import choose_round

        ws = self.app.workspace
        self.background("Åren kunde inte läsas", ws.rounds,
                        lambda rounds: choose_round(self, rounds, self.year, self._year_chosen), group="budget-rounds")

    def _year_chosen(self, year: int | None) -> None:
        if year is not None and year != self.app.year:
            self.scenario = None
            self.app.year = year


def _month_bar(used: int, planned: int, scale: int, width: int, limits, grant: int) -> Text:
    """Used to date (█) and planned to date (░) against ``scale``, the caps as │ and the grant as ┃."""
    cells = [" "] * width
    styles = [""] * width

    def at(amount: int) -> int:
        return min(width - 1, max(0, round(amount / scale * width) - 1)) if scale else 0

    used_cells = round(min(used, scale) / scale * width) if scale else 0
    planned_cells = round(min(used + planned, scale) / scale * width) if scale else 0
    for i in range(width):
        if i < used_cells:
            cells[i], styles[i] = "█", "green" if used <= grant else "red"
        elif i < planned_cells:
            cells[i], styles[i] = "░", "cyan"
    for limit in limits:
        i = at(limit)
        cells[i], styles[i] = "│", "yellow"
    if grant:
        i = at(grant)
        cells[i], styles[i] = "┃", "bold"
    text = Text()
    for c, s in zip(cells, styles):
        text.append(c, style=s)
    return text

"""Plan (F8): the year's trainings and their occasions, who is booked, and how the plan
meets the needs.

Three views of one read (``v`` switches): the trainings with a row per occasion beneath
each; need against plan per area for one group at a time (``m``), with bars for the need
and the seats and the people who lack competence and have no seat, one key (``b``) from
booking them; and who is away on training month by month. Every write goes through the
service on the one writer; the plan is read again after it, in a worker.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.markup import escape
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from bouv_tui import fmt
from bouv_tui.domain import catalog
from bouv_tui.domain import plan as rules
from bouv_tui.domain.plan import AreaPlan, Occasion, PlanFilter, Training
from bouv_tui.domain.roster import swedish_key
from bouv_tui.tui.screens.base import SectionScreen
from bouv_tui.tui.widgets.key_bar import KeyBar
from bouv_tui.tui.widgets.table import Table
from bouv_tui.tui.widgets.title_bar import TitleBar

TRAININGS, NEEDS, MONTHS = "utbildningar", "behov", "manader"
VIEWS = ((TRAININGS, "Utbildningar"), (NEEDS, "Behov mot plan"), (MONTHS, "Frånvaro per månad"))
VIEW_SHORT = {TRAININGS: "Utb.", NEEDS: "Behov", MONTHS: "Frånvaro"}
MONTH_NAMES = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
               "november", "december")  # fmt: skip
KIND_SHORT = {rules.TRAINING: "Utb.", rules.SUPPORT: "Handl."}
STATUS_SHORT = {rules.PLANNED: "Planerad", rules.ONGOING: "Pågår", rules.DONE: "Genomförd", rules.CANCELLED: "Inställd"}
FUNDING_SHORT = {rules.GRANT: "Statsb.", rules.OWN_FUNDS: "Egna"}
NEW_STAFF, UNQUALIFIED = "nya", "obehoriga"
WRITE_FAILED = "Planen sparades inte"
#: Below this width the tables drop their less needed columns.
WIDE = 120


clip = fmt.clip


def bar(value: float, scale: float, width: int, style: str) -> Text:
    """``value`` of ``scale`` as a bar of block characters ``width`` wide (eighths)."""
    if scale <= 0 or value <= 0:
        return Text(" " * width)
    eighths = round(min(value, scale) / scale * width * 8)
    full, part = divmod(eighths, 8)
    text = "█" * full + (" ▏▎▍▌▋▊▉"[part] if part else "")
    return Text(text.ljust(width), style=style)


def committed_note(difference) -> str:
    """What a booking says when the occasion's cost was committed in the budget and differs now:
    the committed lines are never changed without asking (Budget, F9, j)."""
    if difference is None:
        return ""
    return (f" Obs: i budgeten är {fmt.number(difference.committed)} kr åtaget för tillfället, men det kostar nu "
            f"{fmt.number(difference.planned_now)} kr: justera i Budget (F9, j).")


def areas_short(training: Training) -> str:
    names = [catalog.AREA_SHORT.get(a, a) for a in training.areas] + [f"Annat: {o}" for o in training.other_areas]
    return ", ".join(names)


def dates_text(o: Occasion) -> str:
    if o.start == o.end:
        return o.start.isoformat()
    if o.start.year == o.end.year:
        return f"{o.start.isoformat()}–{o.end.strftime('%m-%d')}"
    return f"{o.start.isoformat()}–{o.end.isoformat()}"


class PlanScreen(SectionScreen):
    DEFAULT_CSS = """
    #plan-summary { height: 2; padding: 0 1; text-wrap: nowrap; text-overflow: ellipsis; }
    #plan-tabs { height: 1; padding: 0 1; }
    #plan-table { height: 1fr; }
    #plan-detail {
        height: 5; overflow: hidden; padding: 0 1; border-top: solid $primary 50%;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    #plan-status { height: 1; padding: 0 1; color: $text-muted; text-wrap: nowrap; text-overflow: ellipsis; }
    """

    TITLE = "Plan"
    HELP_TOPIC = "plan"
    LOAD_WHEN_SHOWN = True  # the overview reads the assessments and needs, changed elsewhere
    FOLLOWS_YEAR = True

    BINDINGS = [
        Binding("v", "switch_view", "Byt vy", id="plan.view",
                tooltip="Utbildningar, behov mot plan, frånvaro per månad"),
        Binding("a", "add_training", "Ny utbildning", id="plan.add", tooltip="Lägg till en utbildning i årets plan"),
        Binding("t", "add_occasion", "Nytt tillfälle", id="plan.add_occasion",
                tooltip="Lägg till ett tillfälle av den markerade utbildningen"),
        Binding("enter,e", "edit", "Ändra", id="plan.edit", priority=True,
                tooltip="Ändra den markerade utbildningen eller tillfället"),
        Binding("b", "book", "Boka", id="plan.book",
                tooltip="Välj deltagare (i Behov mot plan: de som saknar kompetens och plats)"),
        Binding("d", "participants", "Deltagare", id="plan.participants",
                tooltip="Deltagarnas status och om de genomfört"),
        Binding("g", "finish", "Genomförd", id="plan.finish",
                tooltip="Markera tillfället genomfört och öppna bedömningen av deltagarna"),
        Binding("c", "copy", "Kopiera till nästa år", id="plan.copy", show=False,
                tooltip="Kopiera den markerade utbildningen och dess tillfällen till nästa år"),
        Binding("f", "filter", "Filter", id="plan.filter", tooltip="Visa utbildningar efter område, status, typ, finansiering, tagg"),
        Binding("m", "switch_group", "Målgrupp", id="plan.group", show=False,
                tooltip="Behov mot plan: växla mellan handläggare och arbetsledare"),
        Binding("delete", "delete", "Ta bort", id="plan.delete", show=False,
                tooltip="Ta bort den markerade utbildningen eller tillfället (frågar först)"),
        Binding("i", "import", "Importera", id="plan.import", show=False,
                tooltip="Läs in utbildningar och tillfällen från CSV eller XLSX"),
        Binding("x", "export", "Exportera", id="plan.export", show=False,
                tooltip="Skriv årets plan som XLSX, CSV eller kalender (ICS)"),
        Binding("o", "choose_round", "Omgång", id="plan.round", show=False, tooltip="Välj år (inventeringsomgång)"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.view_data = None  # services.plan.PlanView
        self.view = TRAININGS
        self.group = rules.CASEWORKERS
        self.filter = PlanFilter()
        self.drawn: tuple[str, bool] | None = None  # (view, wide) the columns were built for
        self._focus: object = None
        #: The read the warnings and the months were worked out for, and them.
        self._derived_of = None
        self._derived_from: tuple = ({}, [])

    def commands(self):
        yield "Ny utbildning", "Lägg till en utbildning i årets plan (a)", self.action_add_training
        yield "Plan: byt vy", "Utbildningar, behov mot plan, frånvaro per månad (v)", self.action_switch_view
        yield "Plan: filtrera", "Efter område, status, typ, finansiering och tagg (f)", self.action_filter
        yield ("Plan: kopiera utbildning till nästa år", "Den markerade, med tillfällena ett år senare (c)",
               self.action_copy)  # fmt: skip
        yield "Importera utbildningar", "Utbildningar och tillfällen från CSV eller XLSX (i)", self.action_import
        yield "Exportera planen", "Som arbetsbok (XLSX), CSV eller kalender för Outlook (ICS) (x)", self.action_export

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="plan-summary")
        yield Static("", id="plan-tabs")
        yield Table(id="plan-table", cursor_type="row", zebra_stripes=True, cell_padding=0)
        yield Static("", id="plan-detail")
        yield Static("", id="plan-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#plan-table", Table).focus()

    # --- reading ----------------------------------------------------------------------------------

    def reload_data(self) -> None:
        ws, asked, today = self.app.workspace, self.app.year, self.app.today()
        year = asked if asked is not None else today.year
        first = self.view_data is None or self.view_data.year != year

        def read():
            if first:
                # The plan alone first (the table of trainings, at once), then the round's
                # people, levels and needs for the need against plan.
                self.app.call_from_thread(self._loaded, (asked, ws.plan_first_view(year)))
            return asked, ws.plan_view(year)

        self.background("Planen kunde inte läsas", read, self._loaded, group="plan-read")

    def _loaded(self, result) -> None:
        asked, view = result
        if not self.shown_round(asked, view.year if asked is not None or view.round is not None else None):
            return
        shown = self.view_data
        if not view.complete and shown is not None and shown.complete and shown.year == view.year:
            return  # the whole read came first
        self.year = view.year
        self.view_data = view
        self.redraw()

    # --- drawing ----------------------------------------------------------------------------------

    def _width(self) -> int:
        return self.size.width or self.app.size.width

    def _build_columns(self) -> None:
        table = self.query_one("#plan-table", Table)
        wide = self._width() >= WIDE
        self.drawn = (self.view, wide)
        table.clear(columns=True)
        if self.view == TRAININGS:
            columns = [(" Typ", "kind", 7)] if wide else []
            columns += [(" Områden", "areas", 22 if wide else 12), (" Datum", "dates", 17 if wide else 11),
                        (" Status", "status", 10), (" Bokade", "seats", 8)]  # fmt: skip
            columns += [(" Kostnad", "cost", 11)] if wide else []
            columns += [(" Finans.", "funding", 8)]
            # The name takes what the others leave, less the scrollbar.
            name = max(20, self._width() - sum(width for *_, width in columns) - 2)
            table.add_column(" Utbildning / tillfälle", key="name", width=name)
            for label, key, width in columns:
                table.add_column(label, key=key, width=width)
        elif self.view == NEEDS:
            before = [(" Område", "area", 26 if wide else 17), (" Behov", "need", 12 if wide else 8),
                      (" Saknar", "lacking", 7)]  # fmt: skip
            if wide:
                before += [(" Förd.", "advanced", 6), (" Plan.", "planned", 6), (" Pågår", "ongoing", 6),
                           (" Klara", "done", 6)]  # fmt: skip
            after = [(" Utan plats", "uncovered", 11), (" ", "warn", 3)]
            # The bars take what the figures leave, less the scrollbar.
            bars = max(14, self._width() - sum(width for *_, width in before + after) - 2)
            for label, key, width in [*before, (" Platser mot saknar", "bars", bars), *after]:
                table.add_column(label, key=key, width=width)
        else:
            table.add_column(" Månad", key="month", width=11)
            table.add_column(" Tillfällen", key="occasions", width=11)
            table.add_column(" Borta", key="people", width=7)
            table.add_column(" Dagar", key="days", width=8)
            table.add_column(" Frånvaro", key="bar", width=max(12, self._width() - 42))

    def on_resize(self, event: events.Resize) -> None:
        if self.drawn is not None and (event.size.width >= WIDE) != self.drawn[1]:
            self.call_after_refresh(self.redraw)

    def redraw(self) -> None:
        table = self.query_one("#plan-table", Table)
        keep = self._focus if self._focus is not None else (table.cursor_row_key if table.row_count else None)
        row_index = table.cursor_row if table.row_count else 0
        self._focus = None
        if self.drawn != (self.view, self._width() >= WIDE):
            self._build_columns()
        rows, keys = [], []
        if self.view_data is not None:
            if self.view == TRAININGS:
                rows, keys = self._training_rows()
            elif self.view == NEEDS:
                rows, keys = self._need_rows()
            else:
                rows, keys = self._month_rows()
        with self.app.batch_update():
            table.clear()
            table.add_rows(rows, keys=keys)
            if keys:
                table.move_cursor(row=keys.index(keep) if keep in keys else min(row_index, len(keys) - 1))
        self._show_summary()
        self._show_tabs()
        self._show_detail()
        self.refresh_bindings()

    def _training_rows(self):
        view, wide = self.view_data, self._width() >= WIDE
        rows, keys = [], []
        shown = sorted(rules.filtered(view.plan, self.filter), key=lambda pair: swedish_key(pair[0].name))
        for training, occasions in shown:
            all_occasions = view.plan.occasions_of(training.id)
            live = [o for o in all_occasions if o.counts]
            seated = sum(len(view.plan.seated(o.id)) for o in live)
            seats = [o.seats for o in live]
            capacity = "" if not live or None in seats else f"/{sum(seats)}"
            cost = sum(o.cost(len(view.plan.seated(o.id))) for o in live)
            status = f"{len(all_occasions)} tillf." if all_occasions else "inget tillf."
            cells = [Text(" " + training.name, style="bold")]
            if wide:
                cells.append(Text(" " + KIND_SHORT[training.kind]))
            intro = " ★" if training.is_introduction else ""
            cells += [Text(" " + areas_short(training) + intro), Text(""), Text(" " + status),
                      Text(f" {seated}{capacity}")]  # fmt: skip
            if wide:
                cells.append(Text(f" {fmt.number(cost)}"))
            cells.append(Text(""))
            rows.append(cells)
            keys.append(("t", training.id))
            for o in occasions:
                rows.append(self._occasion_cells(o, wide))
                keys.append(("o", o.id))
        return rows, keys

    def _occasion_cells(self, o: Occasion, wide: bool) -> list[Text]:
        plan = self.view_data.plan
        seated = len(plan.seated(o.id))
        place = o.place or "–"
        style = "dim strike" if o.status == rules.CANCELLED else ("green" if o.status == rules.DONE else "")
        cells = [Text("   └ " + place, style="dim" if o.status == rules.CANCELLED else "")]
        if wide:
            cells.append(Text(""))
        cells.append(Text(""))
        cells.append(Text(" " + (dates_text(o) if wide else o.start.isoformat())))
        cells.append(Text(" " + STATUS_SHORT[o.status], style=style))
        full = o.seats is not None and seated >= o.seats
        cells.append(Text(f" {seated}" + (f"/{o.seats}" if o.seats is not None else ""), style="bold" if full else ""))
        if wide:
            cells.append(Text(" –" if not o.counts else f" {fmt.number(o.cost(seated))}"))
        cells.append(Text(" " + FUNDING_SHORT.get(o.funding, o.funding)))
        return cells

    def _warnings(self, group: str) -> list:
        """The group's warnings (``domain.plan.plan_warnings``), worked out once a read."""
        return self._derived()[0].get(group, [])

    def _months(self) -> list:
        """Who is away per month (``domain.plan.away_by_month``), worked out once a read."""
        return self._derived()[1]

    def _derived(self):
        view = self.view_data
        if self._derived_of is not view:
            warnings = {group: rules.plan_warnings(rows) for group, rows in view.overview.by_group.items()}
            self._derived_from = (warnings, rules.away_by_month(view.plan, view.year))
            self._derived_of = view
        return self._derived_from

    def _area_rows(self) -> list[AreaPlan]:
        return self.view_data.overview.by_group.get(self.group, []) if self.view_data else []

    def _need_rows(self):
        wide = self._width() >= WIDE
        rows, keys = [], []
        area_rows = self._area_rows()
        warned = {w.area: w for w in self._warnings(self.group)}
        scale = max([1, *(max(r.seats, r.lacking) for r in area_rows)])
        table = self.query_one("#plan-table", Table)
        width = table.column_width(table.get_column_index("bars")) - 8
        for r in area_rows:
            need = "–" if r.need is None else str(r.need)
            need_bar = Text.assemble(" ", bar(r.need or 0, 5, 5 if wide else 3, "yellow"), f" {need}")
            short = r.seats < r.lacking
            seats_bar = Text.assemble(" ", bar(r.seats, scale, max(4, width), "red" if short else "green"),
                                      f" {r.seats}/{r.lacking}")  # fmt: skip
            label = clip(catalog.AREAS.label(r.area), 25 if wide else 16)
            cells = [Text(" " + label), need_bar, Text(f" {r.lacking}")]
            if wide:
                cells += [Text(f" {r.advanced}"), Text(f" {r.planned}"), Text(f" {r.ongoing}"), Text(f" {r.done}")]
            warning = warned.get(r.area)
            cells += [seats_bar, Text(f" {len(r.uncovered)}", style="bold red" if r.uncovered else ""),
                      Text(" ⚠" if warning else "", style="yellow")]  # fmt: skip
            rows.append(cells)
            keys.append(("area", r.area))
        if self.group == rules.CASEWORKERS and self.view_data is not None:
            overview = self.view_data.overview
            unqualified_without = [p for p, booked in overview.unqualified if not booked]
            for key, label, count in (
                (NEW_STAFF, "Nya utan introduktion", len(overview.no_introduction)),
                (UNQUALIFIED, "Utan behörighet", len(overview.unqualified)),
            ):
                extra = f" ({len(unqualified_without)} utan plan)" if key == UNQUALIFIED else ""
                cells = [Text(" " + label, style="italic"), Text(""), Text(f" {count}")]
                if wide:
                    cells += [Text("")] * 4
                cells += [Text(extra), Text(""), Text("")]
                rows.append(cells)
                keys.append(("list", key))
        return rows, keys

    def _month_rows(self):
        months = self._months()
        scale = max([1.0, *(m.days for m in months)])
        table = self.query_one("#plan-table", Table)
        width = table.column_width(table.get_column_index("bar")) - 2
        rows, keys = [], []
        for m in months:
            rows.append([
                Text(" " + MONTH_NAMES[m.month - 1]), Text(f" {len(m.occasions)}"), Text(f" {len(m.people)}"),
                Text(" " + fmt.number(m.days, 1)), Text.assemble(" ", bar(m.days, scale, max(4, width), "cyan")),
            ])  # fmt: skip
            keys.append(("month", m.month))
        return rows, keys

    def _show_summary(self) -> None:
        summary = self.query_one("#plan-summary", Static)
        view = self.view_data
        if view is None:
            summary.update("Läser planen …")
            return
        if not view.complete:  # the first trainings only: no totals yet
            summary.update(f"Plan [b]{view.year}[/b]: läser hela planen, behov och nivåer …")
            return
        t = view.overview.totals
        q21 = len(view.overview.question_21)
        first = (f"Plan [b]{view.year}[/b]: {t.trainings} utbildningar ({t.trainings_listed} listade under områden), "
                 f"{fmt.number(t.people)} personer ({fmt.number(t.seats_listed)} platser listade).  "
                 f"Fråga 21: {q21} rader.")  # fmt: skip
        if Text.from_markup(first).cell_len > self._width() - 2:
            first = (f"Plan [b]{view.year}[/b]: {t.trainings} utbildningar ({t.trainings_listed} under områden), "
                     f"{fmt.number(t.people)} personer ({fmt.number(t.seats_listed)} platser)")  # fmt: skip
        warnings = [w for group in view.overview.by_group for w in self._warnings(group)]
        parts = []
        if self.filter.is_set:
            parts.append("Filter: " + self._filter_words() + " (f ändrar)")
        if warnings:
            parts.append(f"[yellow]⚠ {len(warnings)} {'varning' if len(warnings) == 1 else 'varningar'}[/] i Behov mot plan")
        if view.round is None:
            parts.append(f"Ingen inventeringsomgång {view.year}: behov och nivåer saknas")
        second = "   ".join(parts) if parts else "Inget filter (f filtrerar)."
        summary.update(f"{first}\n{second}")

    def _filter_words(self) -> str:
        f = self.filter
        words = []
        if f.area:
            words.append("Annat" if f.area == rules.OTHER_AREA else catalog.AREA_SHORT.get(f.area, f.area))
        if f.kind:
            words.append(rules.KINDS.label(f.kind).lower())
        if f.tag:
            words.append(rules.TAGS.label(f.tag).lower())
        if f.status:
            words.append(rules.OCCASION_STATUSES.label(f.status).lower())
        if f.funding:
            words.append(rules.FUNDING.label(f.funding).lower())
        return ", ".join(words)

    def _show_tabs(self) -> None:
        def line(short: bool) -> str:
            parts = []
            for code, label in VIEWS:
                if code == NEEDS and self.view == NEEDS:
                    label = f"{label}: {rules.GROUPS.label(self.group).lower()}"
                elif short and code != self.view:
                    label = VIEW_SHORT[code]
                parts.append(f"[reverse b] {label} [/]" if code == self.view else f"[dim] {label} [/]")
            hint = "(v byter vy, m målgrupp)" if self.view == NEEDS else "(v byter vy)"
            return " ".join(parts) + ("" if short else f"   [dim]{hint}[/]")

        text = line(False)
        if Text.from_markup(text).cell_len > self._width() - 2:
            text = line(True)  # the views not shown by a word each, and no hint (the key bar has v)
        self.query_one("#plan-tabs", Static).update(text)

    # --- the row under the cursor ------------------------------------------------------------------

    def current_key(self):
        table = self.query_one("#plan-table", Table)
        return table.cursor_row_key if table.row_count else None

    def current_training(self) -> Training | None:
        key = self.current_key()
        if self.view_data is None or key is None or self.view != TRAININGS:
            return None
        plan = self.view_data.plan
        if key[0] == "t":
            return plan.training(key[1])
        occasion = self.current_occasion()
        return plan.training(occasion.training_id) if occasion else None

    def current_occasion(self) -> Occasion | None:
        key = self.current_key()
        if self.view_data is None or key is None or key[0] != "o":
            return None
        return next((o for o in self.view_data.plan.occasions if o.id == key[1]), None)

    def _names(self, ids: Sequence[int], limit: int = 8) -> str:
        by_id = {p.id: p.name for p in self.view_data.people}
        names = [by_id.get(i, f"#{i}") for i in ids]
        text = ", ".join(names[:limit])
        return text + (f" och {len(names) - limit} till" if len(names) > limit else "")

    def _show_detail(self) -> None:
        panel = self.query_one("#plan-detail", Static)
        status = self.query_one("#plan-status", Static)
        if self.view_data is None:
            panel.update("")
            status.update("")
            return
        key = self.current_key()
        keys = {
            TRAININGS: "a ny · t tillfälle · Enter ändra · b boka · d deltagare · g genomförd · c kopiera · f filter",
            NEEDS: "b bokar dem utan plats · m byter målgrupp · v byter vy",
            MONTHS: "v byter vy · frånvaro räknas på tillfällen som inte är inställda",
        }[self.view]
        status.update(keys)
        if key is None:
            if self.view == TRAININGS:
                panel.update("Inga utbildningar " + ("som passar filtret (f ändrar)." if self.filter.is_set else
                             f"i planen för {self.view_data.year} ännu. Tryck [b]a[/b] för att lägga till en."))  # fmt: skip
            else:
                panel.update("")
            return
        panel.update(self._detail_text(key))

    def _detail_text(self, key) -> str:
        view = self.view_data
        plan = view.plan
        if key[0] == "t":
            t = plan.training(key[1])
            extent = "" if t.extent is None else f", {fmt.number(t.extent, 1).removesuffix(',0')} {t.extent_unit}"
            groups = " och ".join(rules.GROUPS.label(g).lower() for g in t.groups)
            provider = catalog.PROVIDER_TYPES.label(t.provider_type) if t.provider_type else "anordnartyp saknas"
            return "\n".join([
                f"[b]{escape(t.name)}[/b] – {rules.KINDS.label(t.kind).lower()}{extent}, för {groups}",
                f"Områden: {escape(', '.join(t.area_labels()))}",
                f"Anordnare: {escape(t.provider or '–')} ({provider})"
                + (f"   Taggar: {', '.join(rules.TAGS.label(x) for x in t.tags)}" if t.tags else ""),
                "t lägger till ett tillfälle, c kopierar till nästa år, Delete tar bort.",
            ])  # fmt: skip
        if key[0] == "o":
            o = self.current_occasion()
            t = plan.training(o.training_id)
            people = plan.participants_of(o.id)
            seated = plan.seated(o.id)
            counts = ", ".join(
                f"{rules.PARTICIPANT_STATUSES.label(s).lower()} {n}"
                for s in rules.PARTICIPANT_STATUSES.codes() if (n := sum(1 for p in people if p.status == s))
            )  # fmt: skip
            completed = sum(1 for p in people if p.completed)
            away = o.days_away * len(seated)
            lines = [
                f"[b]{escape(t.name)}[/b] {dates_text(o)}, {escape(o.place or 'plats saknas')} – "
                f"{rules.OCCASION_STATUSES.label(o.status).lower()}, {rules.FUNDING.label(o.funding).lower()}",
                f"Deltagare: {counts or 'inga'}" + (f", {completed} genomfört" if completed else ""),
                f"Kostnad {fmt.number(o.cost(len(seated)))} kr ({fmt.number(o.cost_fixed)} fast + "
                f"{fmt.number(o.cost_per_participant)} per deltagare), frånvaro {fmt.number(away, 1)} dagar",
                escape(self._names(sorted(seated, key=lambda i: 0))) if seated else "Ingen bokad: b väljer deltagare.",
            ]
            return "\n".join(lines)
        if key[0] == "area":
            r = next(x for x in self._area_rows() if x.area == key[1])
            warnings = [w.text for w in self._warnings(self.group) if w.area == r.area]
            need = "inget valt behov" if r.need is None else f"behov {r.need}"
            lines = [
                f"[b]{escape(catalog.AREAS.label(r.area))}[/b] – {rules.GROUPS.label(self.group).lower()}, {need}: "
                f"{r.lacking} saknar, {r.advanced} fördjupade; platser {r.planned} planerade, {r.ongoing} pågår, "
                f"{r.done} genomförda",
            ]
            if warnings:
                lines.append("[yellow]⚠ " + escape(" ".join(warnings)) + "[/]")
            if r.uncovered:
                lines.append(f"Saknar kompetens och har ingen plats ({len(r.uncovered)}): "
                             + escape(self._names(r.uncovered)))  # fmt: skip
                lines.append("[b]b[/b] bokar dem på ett tillfälle i området.")
            else:
                lines.append("Alla som saknar kompetens i området har en plats." if r.lacking else
                             "Ingen i gruppen saknar kompetens i området.")  # fmt: skip
            return "\n".join(lines)
        if key[0] == "list":
            overview = view.overview
            if key[1] == NEW_STAFF:
                people = overview.no_introduction
                return (f"[b]Nyanställda (under ett år) utan introduktion[/b]: {len(people)}\n"
                        + (escape(self._names([p.id for p in people])) + "\n[b]b[/b] bokar dem på en introduktion."
                           if people else "Alla nyanställda har en plats på en introduktion."))  # fmt: skip
            lines = [f"[b]Handläggare utan behörighet[/b]: {len(overview.unqualified)}"]
            for person, trainings in overview.unqualified[:3]:
                planned = ", ".join(trainings) if trainings else "inget planerat"
                lines.append(f"{escape(person.name)}: {escape(planned)}")
            if len(overview.unqualified) > 3:
                lines.append(f"… och {len(overview.unqualified) - 3} till")
            return "\n".join(lines)
        month = self._months()[key[1] - 1]
        if not month.occasions:
            return f"[b]{MONTH_NAMES[month.month - 1].capitalize()}[/b]: ingen är borta på utbildning."
        names = sorted({plan.training(o.training_id).name for o in plan.occasions if o.id in month.occasions})
        return "\n".join([
            f"[b]{MONTH_NAMES[month.month - 1].capitalize()} {view.year}[/b]: {len(month.people)} personer borta, "
            f"{fmt.number(month.days, 1)} frånvarodagar att täcka",
            "Utbildningar: " + escape(", ".join(names)),
            "Borta: " + escape(self._names(month.people, 10)),
        ])  # fmt: skip

    @on(Table.RowHighlighted, "#plan-table")
    def _row_moved(self) -> None:
        self._show_detail()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.view_data is None or (not self.view_data.complete and action not in ("switch_view", "choose_round",
                                                                                    "filter", "export")):
            return action in ("switch_view", "choose_round")
        key = self.current_key()
        on_training = self.view == TRAININGS
        if action in ("add_training", "filter", "import"):
            return on_training
        if action in ("add_occasion", "edit", "copy", "delete"):
            return on_training and key is not None
        if action in ("participants", "finish"):
            return on_training and key is not None and key[0] == "o"
        if action == "book":
            return (on_training and key is not None and key[0] == "o") or (self.view == NEEDS and key is not None)
        if action == "switch_group":
            return self.view == NEEDS
        return True

    # --- in and out -----------------------------------------------------------------------------

    def action_import(self) -> None:
        from bouv_tui.tui.dialogs.exchange import ImportFileDialog

        def chosen(path) -> None:
            if path is not None:
                self.app.remember_folder(path.parent)
                self._plan_import(path)

        self.app.push_screen(
            ImportFileDialog(
                "Importera utbildningar",
                "CSV (komma eller semikolon) eller XLSX med en rad per tillfälle. Kolumnerna utbildning, typ, "
                "omraden, anordnare, anordnartyp, start och slut krävs; se hjälpen (F1). Ingenting sparas "
                "förrän du har sett vad som händer och bekräftat.",
            ),
            chosen,
        )  # fmt: skip

    def _plan_import(self, path) -> None:
        ws = self.app.workspace
        self.background("Filen kunde inte läsas", lambda: ws.plan_training_import(path),
                        lambda plan: self._preview(path, plan), group="plan-import")  # fmt: skip

    def _preview(self, path, plan) -> None:
        from bouv_tui.tui.dialogs.plan import TrainingImportPreview

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._apply_import(path, plan)

        self.app.push_screen(TrainingImportPreview(path.name, plan), confirmed)

    def _apply_import(self, path, plan) -> None:
        ws, view = self.app.workspace, self.view_data

        def job():
            return ws.apply_training_import(plan), view.again(ws.plan(view.year))

        def done(result) -> None:
            outcome, view = result
            self.view_data = view
            self.redraw()
            self.notify(f"Importen är klar: {outcome.trainings_added} nya utbildningar, {outcome.occasions_added} nya "
                        f"tillfällen, {outcome.participants_booked} bokade.")  # fmt: skip

        self.run_job("Importen sparades inte", job, done, reread=lambda: self._plan_import(path))

    def action_export(self) -> None:
        from bouv_tui.services import PLAN_EXPORT_KIND, PLAN_FORMATS, default_export_stem
        from bouv_tui.tui.dialogs.exchange import ExportDialog

        year = self.view_data.year if self.view_data else self.app.year

        def chosen(choice) -> None:
            if choice is not None:
                self.app.remember_folder(choice.path.parent)
                self._export(choice, year)

        self.app.push_screen(
            ExportDialog(f"Exportera planen för {year}", self.app.export_folder(),
                         default_export_stem(PLAN_EXPORT_KIND, self.app.today(), year=year), PLAN_FORMATS,
                         labels={"xlsx": "XLSX (arbetsbok)", "csv": "CSV (samma kolumner som importen)",
                                 "ics": "ICS (kalender, utan namn)"}),
            chosen,
        )  # fmt: skip

    def _export(self, choice, year: int) -> None:
        ws, target = self.app.workspace, choice.path
        self.background(
            "Exporten skrevs inte",
            lambda: ws.export_plan(year, choice.fmt, target, replace_readonly=choice.replace_readonly),
            lambda _path: self.notify(escape(f"Planen för {year} är sparad i {target}"), title="Exporterat"),
            group="plan-export",
        )  # fmt: skip

    # --- views ------------------------------------------------------------------------------------

    def action_switch_view(self) -> None:
        codes = [code for code, _ in VIEWS]
        self.view = codes[(codes.index(self.view) + 1) % len(codes)]
        self.redraw()

    def action_switch_group(self) -> None:
        codes = rules.GROUPS.codes()
        self.group = codes[(codes.index(self.group) + 1) % len(codes)]
        self.redraw()

    def action_choose_round(self) -> None:
        self.app.action_choose_round()

    def action_filter(self) -> None:
        from bouv_tui.tui.dialogs.plan import FilterDialog

        def chosen(new: PlanFilter | None) -> None:
            if new is not None:
                self.filter = new
                self.redraw()

        self.app.push_screen(FilterDialog(self.filter), chosen)

    # --- writes ------------------------------------------------------------------------------------

    def _write(self, title: str, job, message, *, focus=None, force=None, then=None) -> None:
        """Run ``job`` on the writer, then read the plan again and show it; ``message`` (a
        text, or a function of the job's result) is said after."""
        ws, view = self.app.workspace, self.view_data

        def run(write):
            result = write()
            # The plan read again; the overview recomputed from the people, levels and needs
            # already read (a change to those made elsewhere is followed by a whole read).
            return result, view.again(ws.plan(view.year))

        def done(outcome) -> None:
            result, view = outcome
            self.view_data = view
            self._focus = focus(result) if callable(focus) else focus
            self.redraw()
            text = message(result) if callable(message) else message
            if text:
                self.notify(escape(text))
            if then is not None:
                then(result)

        self.run_job(title, lambda: run(job), done, force=(lambda: run(force)) if force else None,
                     reload_on_error=True)  # fmt: skip

    def action_add_training(self, areas: Sequence[str] = ()) -> None:
        from bouv_tui.tui.dialogs.plan import TrainingForm

        ws = self.app.workspace

        def chosen(training: Training | None) -> None:
            if training is not None:
                self._write("Utbildningen sparades inte", lambda: ws.save_training(training),
                            f"{training.name} är tillagd. Lägg till ett tillfälle.",
                            focus=lambda t: ("t", t.id), then=self._first_occasion)  # fmt: skip

        self.app.push_screen(TrainingForm(self.view_data.year, areas=areas, taken=self._names_taken()), chosen)

    def _names_taken(self) -> frozenset[str]:
        return frozenset(t.name for t in self.view_data.plan.trainings)

    def _first_occasion(self, training: Training) -> None:
        self._open_occasion_form(training, None)

    def action_add_occasion(self) -> None:
        training = self.current_training()
        if training is not None:
            self._open_occasion_form(training, None)

    def _open_occasion_form(self, training: Training, occasion: Occasion | None) -> None:
        from bouv_tui.tui.dialogs.plan import OccasionForm

        ws = self.app.workspace
        booked = len(self.view_data.plan.seated(occasion.id)) if occasion else 0

        def chosen(new: Occasion | None) -> None:
            if new is None:
                return
            became_done = occasion is not None and new.status == rules.DONE and occasion.status != rules.DONE
            self._write(
                "Tillfället sparades inte", lambda: ws.save_occasion(new, shown=occasion),
                f"Tillfället {dates_text(new)} av {training.name} är sparat.", focus=lambda o: ("o", o.id),
                force=lambda: ws.save_occasion(new, shown=occasion, force=True),
                then=(lambda o: self._offer_reassessment(o)) if became_done else None,
            )  # fmt: skip

        self.app.push_screen(OccasionForm(training, occasion, booked=booked), chosen)

    def action_edit(self) -> None:
        from bouv_tui.tui.dialogs.plan import TrainingForm

        key = self.current_key()
        if key is None or self.view != TRAININGS:
            return
        if key[0] == "o":
            occasion = self.current_occasion()
            self._open_occasion_form(self.view_data.plan.training(occasion.training_id), occasion)
            return
        training = self.view_data.plan.training(key[1])
        ws = self.app.workspace

        def chosen(new: Training | None) -> None:
            if new is not None:
                self._write("Utbildningen sparades inte", lambda: ws.save_training(new, shown=training),
                            f"{new.name} är sparad.", focus=("t", training.id),
                            force=lambda: ws.save_training(new, shown=training, force=True))  # fmt: skip

        self.app.push_screen(TrainingForm(self.view_data.year, training, taken=self._names_taken()), chosen)

    def action_delete(self) -> None:
        from bouv_tui.tui.dialogs.common import ConfirmDialog

        key = self.current_key()
        if key is None or self.view != TRAININGS:
            return
        ws, plan = self.app.workspace, self.view_data.plan
        if key[0] == "t":
            t = plan.training(key[1])
            occasions = plan.occasions_of(t.id)
            booked = len({i for o in occasions for i in plan.seated(o.id)})
            title, body = f"Ta bort {t.name}?", (f"Utbildningen tas bort ur planen för {t.year} med "
                                               f"{len(occasions)} tillfällen och {booked} bokade personer.")  # fmt: skip

            def job():
                ws.delete_training(t.id, version=t.version)

            message = f"{t.name} är borttagen."
        else:
            o = self.current_occasion()
            t = plan.training(o.training_id)
            title = f"Ta bort tillfället {dates_text(o)}?"
            body = f"Tillfället av {t.name} tas bort med {len(plan.participants_of(o.id))} deltagare."

            def job():
                ws.delete_occasion(o.id, version=o.version)

            message = f"Tillfället {dates_text(o)} av {t.name} är borttaget."

        def answered(yes: bool | None) -> None:
            if yes:
                self._write("Det togs inte bort", job, message)

        self.app.push_screen(ConfirmDialog(title, body, confirm_label="Ta bort"), answered)

    def action_copy(self) -> None:
        training = self.current_training()
        if training is None:
            return
        ws = self.app.workspace
        occasions = self.view_data.plan.occasions_of(training.id)
        moved = [o for o in occasions if o.counts]
        self._write(
            "Utbildningen kopierades inte", lambda: ws.copy_training(training, occasions),
            f"{training.name} är kopierad till planen för {training.year + 1} med {len(moved)} tillfällen "
            "(ett år senare, utan deltagare).",
        )  # fmt: skip

    # --- booking ------------------------------------------------------------------------------------

    def action_book(self) -> None:
        key = self.current_key()
        if key is None:
            return
        if key[0] == "o":
            self._open_booking(self.current_occasion())
        elif key[0] == "area":
            row = next(r for r in self._area_rows() if r.area == key[1])
            self._book_for(lambda t: t.has_area(row.area) and self.group in t.groups, row.uncovered,
                           catalog.AREAS.label(row.area), areas=[row.area])  # fmt: skip
        elif key[0] == "list" and key[1] == NEW_STAFF:
            people = [p.id for p in self.view_data.overview.no_introduction]
            self._book_for(lambda t: t.is_introduction, people, "introduktion", level=rules.NEW_NO_INTRO)
        elif key[0] == "list":
            people = [p.id for p, booked in self.view_data.overview.unqualified if not booked]
            self._book_for(lambda t: rules.CASEWORKERS in t.groups, people, "handläggare utan behörighet")

    def _book_for(self, fits, people: Sequence[int], what: str, *, areas: Sequence[str] = (),
                  level: str = rules.LACKING) -> None:  # fmt: skip
        """Book ``people`` on an open occasion of a training that ``fits``: one occasion is
        opened at once, several are offered to choose from, none offers a new training."""
        from bouv_tui.tui.dialogs.plan import OccasionChooser

        plan = self.view_data.plan
        open_ = [o for o in plan.occasions if o.status in (rules.PLANNED, rules.ONGOING) and fits(plan.training(o.training_id))]
        if not open_:
            self.notify(f"Inget planerat tillfälle för {what}. Lägg till en utbildning (a) – området är förvalt.",
                        severity="warning")  # fmt: skip
            if areas:
                self.view = TRAININGS
                self.redraw()
                self.action_add_training(areas)
            return
        if len(open_) == 1:
            self._open_booking(open_[0], preselect=people, level=level)
            return

        def chosen(occasion_id: int | None) -> None:
            if occasion_id is not None:
                self._open_booking(next(o for o in open_ if o.id == occasion_id), preselect=people, level=level)

        options = []
        for o in open_:
            free = "" if o.seats is None else f", {max(0, o.seats - len(plan.seated(o.id)))} lediga"
            options.append((f"{plan.training(o.training_id).name} {dates_text(o)}{free}", o.id))
        self.app.push_screen(OccasionChooser(f"Boka {len(people)} på vilket tillfälle ({what})?", options), chosen)

    def _open_booking(self, occasion: Occasion, *, preselect: Sequence[int] = (), level: str = rules.ANYONE) -> None:
        from bouv_tui.tui.dialogs.plan import BookingDialog

        view = self.view_data
        training = view.plan.training(occasion.training_id)
        check = rules.check_booking(view.plan, occasion, [])
        if not check.ok:
            self.notify(check.refused, severity="warning")
            return
        seated = view.plan.seated(occasion.id)
        if occasion.seats is not None and preselect:
            room = max(0, occasion.seats - len(seated))
            wanted = [i for i in preselect if i not in seated]
            if len(wanted) > room:
                self.notify(f"{len(wanted)} att boka men {room} lediga platser: de första {room} är förvalda.",
                            severity="warning")  # fmt: skip
                preselect = wanted[:room]

        def find(**filters):
            return rules.candidates(view.plan, occasion, view.people, view.levels, on=view.on, **filters)

        units = sorted({p.unit for p in view.people if p.unit}, key=str.casefold)
        dates = {o.id: o.start.isoformat() for o in view.plan.occasions_of(training.id)}
        ws = self.app.workspace

        def chosen(result) -> None:
            if result is None:
                return
            book, off = result

            def job():
                if off:
                    ws.unbook(occasion.id, off)
                check = ws.book(occasion.id, book) if book else rules.BookingCheck(None)
                return check, ws.committed_difference(occasion.id)

            def said(result) -> str:
                check, difference = result
                if not check.ok:
                    return f"Ingen bokades: {check.refused}"
                text = f"{len(book)} bokade, {len(off)} borttagna på {training.name} {dates_text(occasion)}."
                if check.booked_elsewhere:
                    text += f" Obs: {self._names(check.booked_elsewhere)} är också bokade på ett annat tillfälle."
                return text + committed_note(difference)

            self._write("Bokningen sparades inte", job, said, focus=("o", occasion.id))

        title = f"Boka: {training.name} {dates_text(occasion)}"
        self.app.push_screen(
            BookingDialog(title, training, occasion, find, units, level=level if preselect else rules.ANYONE,
                          preselect=preselect, occasion_dates=dates),
            chosen,
        )  # fmt: skip

    def action_participants(self) -> None:
        from bouv_tui.tui.dialogs.plan import ParticipantsDialog

        occasion = self.current_occasion()
        if occasion is None:
            return
        plan, ws = self.view_data.plan, self.app.workspace
        participants = plan.participants_of(occasion.id)
        if not participants:
            self.notify("Ingen är bokad på tillfället: b väljer deltagare.")
            return
        staff = {p.id: (p.name, p.role) for p in self.view_data.people}
        training = plan.training(occasion.training_id)

        def chosen(changed) -> None:
            if changed:
                def save(force: bool = False):
                    ws.save_participants(changed, force=force)
                    return ws.committed_difference(occasion.id)

                self._write("Deltagarna sparades inte", save,
                            lambda difference: f"{len(changed)} deltagare ändrade." + committed_note(difference),
                            focus=("o", occasion.id), force=lambda: save(True))  # fmt: skip

        self.app.push_screen(ParticipantsDialog(f"Deltagare: {training.name} {dates_text(occasion)}", participants,
                                                staff), chosen)  # fmt: skip

    def action_finish(self) -> None:
        from bouv_tui.tui.dialogs.common import ConfirmDialog

        occasion = self.current_occasion()
        if occasion is None:
            return
        if occasion.status in (rules.DONE, rules.CANCELLED):
            if occasion.status == rules.DONE:
                self._offer_reassessment(occasion)
            else:
                self.notify("Tillfället är inställt.", severity="warning")
            return
        ws, plan = self.app.workspace, self.view_data.plan
        booked = sum(1 for p in plan.participants_of(occasion.id) if p.status == rules.BOOKED)

        def answered(yes: bool | None) -> None:
            if yes:
                self._write("Tillfället sparades inte", lambda: ws.finish_occasion(occasion),
                            "Tillfället är genomfört.", focus=("o", occasion.id),
                            force=lambda: ws.finish_occasion(occasion, force=True),
                            then=self._offer_reassessment)  # fmt: skip

        self.app.push_screen(
            ConfirmDialog("Markera tillfället genomfört?",
                          f"De {booked} som är anmälda markeras som deltog och genomfört; ändra sedan den som "
                          "inte var där (d).", confirm_label="Genomförd"),
            answered,
        )  # fmt: skip

    def _offer_reassessment(self, occasion: Occasion) -> None:
        from bouv_tui.tui.dialogs.common import ConfirmDialog

        view = self.view_data
        training = view.plan.training(occasion.training_id)
        people = [p.staff_id for p in view.plan.participants_of(occasion.id) if p.status == rules.ATTENDED]
        if not people or not training.areas:
            return
        areas = ", ".join(catalog.AREAS.label(a) for a in training.areas)

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.open_reassessment(people, list(training.areas), f"{training.name} {dates_text(occasion)}")

        self.app.push_screen(
            ConfirmDialog("Bedöm deltagarna igen?",
                          f"{len(people)} deltog i {training.name}. Öppna bedömningen för dem i {areas}? "
                          "Ingen nivå ändras av sig själv: du sätter den nya nivån.", confirm_label="Öppna bedömningen"),
            answered,
        )  # fmt: skip

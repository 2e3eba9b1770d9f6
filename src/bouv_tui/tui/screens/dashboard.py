"""Start: where the team stands, and what to do next, each with the key that goes there."""

from __future__ import annotations

from rich.markup import escape
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.widgets import Static

from bouv_tui import fmt
from bouv_tui.domain import catalog
from bouv_tui.domain.dashboard import Dashboard
from bouv_tui.tui.screens.base import SectionScreen
from bouv_tui.tui.widgets.key_bar import KeyBar
from bouv_tui.tui.widgets.title_bar import TitleBar

MAX_NAMES = 6


class DashboardScreen(SectionScreen):

    DEFAULT_CSS = """
    #dashboard-scroll {
        height: 1fr;
    }
    #dashboard {
        grid-size: 2;
        grid-rows: auto;
        grid-gutter: 1 2;
        padding: 1 2;
        height: auto;
    }
    /* Below 100 columns one panel a row, and the page scrolls (the next steps come last). */
    DashboardScreen.-narrow #dashboard {
        grid-size: 1;
        grid-gutter: 0;
        padding: 0 1;
    }
    .dash-panel {
        height: auto;
        border: round $primary 50%;
        padding: 0 1;
    }
    .dash-panel.problem {
        border: round $error;
    }
    .dash-panel.wide {
        column-span: 2;
    }
    DashboardScreen.-narrow .dash-panel.wide {
        column-span: 1;
    }
    """

    #: Narrower than this, the panels stand one a row (``-narrow`` on the screen).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]

    TITLE = "Start"
    HELP_TOPIC = "dashboard"
    LOAD_WHEN_SHOWN = True  # a summary of every other section
    FOLLOWS_YEAR = True

    BINDINGS = [
        Binding("o", "choose_round", "Omgång", id="dashboard.round",
                tooltip="Välj inventeringsomgång (redovisningsår) för alla delar"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self._shown_once = False

    def compose(self) -> ComposeResult:
        yield TitleBar()
        with VerticalScroll(id="dashboard-scroll"), Grid(id="dashboard"):
            yield Static("", id="dash-kommun", classes="dash-panel")
            yield Static("", id="dash-round", classes="dash-panel")
            yield Static("", id="dash-gaps", classes="dash-panel")
            yield Static("", id="dash-qualification", classes="dash-panel")
            yield Static("", id="dash-budget", classes="dash-panel wide")
            yield Static("", id="dash-next", classes="dash-panel wide")
        yield KeyBar()

    def reload_data(self) -> None:
        """Shown (first time or coming back), or the file changed: show what is there now."""
        self.refresh_dashboard()

    def refresh_dashboard(self) -> None:
        """The first time at once (the count made while the UI was built is ready, and the first
        frame shows it); after that counted in a worker."""
        ws, today, year = self.app.workspace, self.app.today(), self.app.year
        title = "Startsidan kunde inte läsas"
        if not self._shown_once:
            self._shown_once = True
            try:
                dashboard = ws.dashboard(today, year)
            except Exception as error:  # noqa: BLE001 - the one error path
                self.handle_error(title, error)
                return
            self._counted(year, dashboard)
            return
        self.background(title, lambda: ws.dashboard(today, year), lambda d: self._counted(year, d),
                        group="dashboard-load")  # fmt: skip

    def _counted(self, year: int | None, d: Dashboard) -> None:
        if self.shown_round(year, d.round.year if d.round is not None else None):
            self.show(d)
            self._read_budget()

    def _read_budget(self) -> None:
        """The budget's panel, read after the first frame (it reads the year's expenses)."""
        ws, today = self.app.workspace, self.app.today()
        year = self.year if self.year is not None else today.year
        self.background("Budgeten kunde inte läsas", lambda: (year, ws.budget_outlook(year, today)),
                        self._show_budget, group="dashboard-budget")  # fmt: skip

    def _show_budget(self, result) -> None:
        from bouv_tui.domain import budget as rules

        year, outlook = result
        panel = self.query_one("#dash-budget", Static)
        if not outlook:
            panel.set_class(False, "problem")
            panel.update(f"[b]Budget {year}[/b]\nIngen finansieringskälla för året.\n"
                         "[dim]Budget: F9, sedan i för att läsa in en bidragsfil[/dim]")  # fmt: skip
            return
        grants = [pair for pair in outlook if pair[0].source.kind == rules.GRANT] or outlook
        warnings = [fc.warning() for _f, fc in outlook if fc.warn]
        panel.set_class(bool(warnings), "problem")
        f, fc = grants[0]
        lines = [f"[b]Budget {year}: {escape(f.source.name)}[/b]", escape(rules.headline(f)) + "."]
        if warnings:
            lines += [f"[b red]⚠ {escape(w)}[/b red]" for w in warnings]
            lines.append(f"Sista dag att åta sig pengar: {rules.day_text(fc.last_day_to_commit)}.")
        elif fc.paid_back:
            lines.append(f"Prognos: {escape(rules.kronor(fc.paid_back))} betalas tillbaka om inget ändras.")
        else:
            lines.append("Prognos: inget behöver betalas tillbaka.")
        lines.append("[dim]Budget: F9, sedan w för att pröva vad som händer om[/dim]")
        panel.update("\n".join(lines))

    def action_choose_round(self) -> None:
        self.app.action_choose_round()

    def show(self, d: Dashboard) -> None:
        s = d.settings
        kommun = escape(s.kommun) if s.kommun else "[i]ingen kommun vald[/i]"
        contact = escape(s.contact_name) if s.contact_name else "[i]ingen kontaktperson[/i]"
        f = d.figures
        self.query_one("#dash-kommun", Static).update(
            f"[b]{kommun}[/b]\nUppgiftslämnare: {contact}\n"
            f"Handläggare: {fmt.number(f.caseworkers)} ({fmt.number(f.caseworker_fte, 1)} åa)   Arbetsledare: {fmt.number(f.team_leaders)}\n"
            f"Nya (< 1 år): {fmt.percent(f.share_new)}   Konsulter: {fmt.percent(f.share_consultants)}   "
            f"Omsättning/år: {fmt.percent(f.turnover_12m)}\n[dim]Personal: F3[/dim]"
        )
        round_panel = self.query_one("#dash-round", Static)
        if d.round is None:
            round_panel.update("[b]Inventering[/b]\nIngen omgång startad ännu.\n[dim]Bedömning: F4, sedan n[/dim]")
        else:
            names = ", ".join(escape(p.name) for p in d.missing[:MAX_NAMES])
            more = f" och {len(d.missing) - MAX_NAMES} till" if len(d.missing) > MAX_NAMES else ""
            missing = f"Inte färdigbedömda: {names}{more}" if d.missing else "Alla är färdigbedömda."
            carried = f"\nÖverförda, ej bekräftade nivåer: {d.carried_over}" if d.carried_over else ""
            round_panel.update(
                f"[b]Inventering {d.round.year}[/b] (referensdatum {d.round.reference_date.isoformat()})\n"
                f"{fmt.number(d.done)} av {fmt.number(d.expected)} bedömningar klara ({fmt.percent(d.share_done)})\n"
                f"{missing}{carried}\n[dim]Bedömning: F4   Byt omgång: o[/dim]"
            )
        gaps = self.query_one("#dash-gaps", Static)
        if d.gaps:
            lines = [
                f"{escape(catalog.AREAS.label(g.area))}: [b]{fmt.percent(g.profile.share_lacking)}[/b] saknar"
                + (f" (riket 2013: {fmt.percent(g.national_share)})" if g.national_share is not None else "")
                for g in d.gaps
            ]
            gaps.update("[b]Störst andel som saknar kompetens[/b] (handläggare)\n" + "\n".join(lines)
                        + "\n[dim]Bedömning: F4, sedan j för att jämföra omgångar[/dim]")  # fmt: skip
        else:
            gaps.update("[b]Störst andel som saknar kompetens[/b]\nInga bedömningar ännu.")
        qualification = self.query_one("#dash-qualification", Static)
        qualification.set_class(bool(f.unqualified), "problem")
        if f.unqualified:
            names = ", ".join(escape(p.name) for p in f.unqualified[:MAX_NAMES])
            more = f" och {len(f.unqualified) - MAX_NAMES} till" if len(f.unqualified) > MAX_NAMES else ""
            qualification.update(
                f"[b]Behörighet: {len(f.unqualified)} handläggare utan socionomexamen eller intyg[/b]\n"
                f"{names}{more}\nDe får inte bedöma, utreda eller följa upp ärenden om barn och unga "
                "(sedan 1 juli 2014).\n[dim]Personal: F3, sedan b[/dim]"
            )
        elif f.caseworkers == 0:
            qualification.update("[b]Behörighet[/b]\nDet finns inga handläggare i registret än.\n[dim]Personal: F3[/dim]")
        else:
            qualification.update("[b]Behörighet[/b]\nAlla handläggare har socionomexamen eller intyg om behörighet.")
        steps = "\n".join(f"• {escape(step.text)}  [dim]({escape(step.keys)})[/dim]" for step in d.steps)
        self.query_one("#dash-next", Static).update(
            "[b]Att göra härnäst[/b]\n" + (steps or "Inget som brådskar. Bra jobbat!")
        )

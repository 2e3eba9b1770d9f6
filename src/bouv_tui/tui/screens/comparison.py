"""Two inventory rounds side by side, area by area, and the people whose level went down."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Label, Select, Static

from bouv_tui import fmt
from bouv_tui.domain import catalog
from bouv_tui.domain.assessment import Round, compare_rounds, declines, people_in_round
from bouv_tui.tui.screens.base import HelpTopic
from bouv_tui.tui.widgets.key_bar import KeyBar
from bouv_tui.tui.widgets.table import Table
from bouv_tui.tui.widgets.title_bar import TitleBar

LETTERS = catalog.LEVEL_LETTER


class ComparisonScreen(HelpTopic, Screen):

    DEFAULT_CSS = """
    #comparison-choice {
        height: 3;
        padding: 0 1;
    }
    #compare-role {
        width: 1fr;
    }
    .choice-label {
        padding: 1 1 0 1;
    }
    #compare-before, #compare-after {
        width: 16;
    }
    #comparison-table {
        height: 2fr;
        margin: 0 1;
    }
    #declines-title {
        height: auto;
        padding: 1 1 0 1;
    }
    #declines-table {
        height: 1fr;
        margin: 0 1;
    }
    """

    TITLE = "Jämförelse mellan omgångar"
    HELP_TOPIC = "assessment"

    BINDINGS = [Binding("escape,q", "close", "Tillbaka", id="comparison.close", tooltip="Tillbaka till bedömningen")]

    def __init__(self, rounds: list[Round], current: int | None, role: str | None):
        super().__init__()
        self._rounds = rounds
        years = [r.year for r in rounds]
        after = current if current in years else years[-1]
        earlier = [y for y in years if y < after]
        self._after = after
        self._before = earlier[-1] if earlier else years[0]
        self._role = role

    def compose(self) -> ComposeResult:
        years = [(str(r.year), r.year) for r in self._rounds]
        yield TitleBar()
        with Horizontal(id="comparison-choice"):
            yield Label("Före", classes="choice-label")
            yield Select(years, value=self._before, allow_blank=False, id="compare-before")
            yield Label("Efter", classes="choice-label")
            yield Select(years, value=self._after, allow_blank=False, id="compare-after")
            yield Select(
                [(r.label, r.code) for r in catalog.ROLES if r.code != catalog.OTHER_ROLE],
                prompt="Alla roller",
                value=self._role if self._role else Select.NULL,
                id="compare-role",
            )
        yield Table(id="comparison-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="declines-title")
        yield Table(id="declines-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.refresh_comparison()
        self.query_one("#comparison-table").focus()
        # "Efter" is the app's round: another chosen (the palette's "Byt inventeringsomgång") moves it.
        self.watch(self.app, "year", self._app_year_changed, init=False)

    def _app_year_changed(self, year: int | None) -> None:
        years = [r.year for r in self._rounds]
        if year not in years:
            return
        before = self.query_one("#compare-before", Select)
        if before.value >= year:  # "Före" stays before "Efter" where there is a round before it
            before.value = max((y for y in years if y < year), default=years[0])
        self.query_one("#compare-after", Select).value = year

    @on(Select.Changed)
    def _changed(self) -> None:
        self.refresh_comparison()

    def _round(self, selector: str) -> Round:
        year = self.query_one(selector, Select).value
        return next(r for r in self._rounds if r.year == year)

    def refresh_comparison(self) -> None:
        ws = self.app.workspace
        before, after = self._round("#compare-before"), self._round("#compare-after")
        role_value = self.query_one("#compare-role", Select).value
        role = None if role_value is Select.NULL else role_value
        staff = ws.staff()
        people_before = [p for p in people_in_round(staff, before) if role in (None, p.role)]
        people_after = [p for p in people_in_round(staff, after) if role in (None, p.role)]
        assessed_before, assessed_after = ws.assessments(before.id), ws.assessments(after.id)
        changes = compare_rounds(people_before, assessed_before, people_after, assessed_after)
        table = self.query_one("#comparison-table", Table)
        table.clear(columns=True)
        table.add_columns(
            "Område",
            f"{before.year} G/F/S", f"{before.year} saknar",
            f"{after.year} G/F/S", f"{after.year} saknar",
            "Förändring", f"{after.year} fördjupad",
        )  # fmt: skip
        for change in changes:
            delta = change.change_in_share_lacking
            delta_text = Text("–")
            if delta is not None:
                points = delta * 100
                style = "red" if points > 0.05 else "green" if points < -0.05 else ""
                delta_text = Text(f"{'+' if points > 0 else ''}{fmt.number(points, 1)} procentenheter", style=style)
            table.add_row(
                catalog.AREAS.label(change.area),
                _counts(change.before), fmt.percent(change.before.share_lacking if change.before else None),
                _counts(change.after), fmt.percent(change.after.share_lacking if change.after else None),
                delta_text,
                fmt.percent(change.after.share_advanced if change.after else None),
            )  # fmt: skip
        ids = {p.id for p in people_before} & {p.id for p in people_after}
        names = {p.id: p.name for p in staff}
        down = [d for d in declines(assessed_before, assessed_after) if d.staff_id in ids]
        self.query_one("#declines-title", Static).update(
            f"[b]Personer vars nivå har sjunkit[/b] från {before.year} till {after.year}: {len(down)}"
        )
        lower = self.query_one("#declines-table", Table)
        lower.clear(columns=True)
        rows = [
            (names.get(d.staff_id, "?"), catalog.AREAS.label(d.area),
             catalog.LEVELS.label(d.before), catalog.LEVELS.label(d.after))
            for d in down
        ]  # fmt: skip
        lower.add_columns("Namn", "Område", str(before.year), str(after.year))
        lower.add_rows(rows)

    def action_close(self) -> None:
        self.app.pop_screen()


def _counts(profile) -> str:
    if profile is None:
        return "–"
    return " / ".join(str(profile.counts[code]) for code in ("grundlaggande", "fordjupad", "saknar"))

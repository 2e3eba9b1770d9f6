"""Inlämning: the whole submission for one reporting year in the form's order, every answer
with where it came from, what keeps it from being complete, and the export.

The submission and its checks are the domain's (``domain.submission``); the export is the
same function the CLI calls (``Workspace.export_submission``).
"""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button, Label, Static

from bouv_tui import fmt
from bouv_tui.domain import catalog, questionnaire
from bouv_tui.domain.needs import GROUP_QUESTION, GROUPS
from bouv_tui.domain.roster import swedish_key
from bouv_tui.domain.submission import (
    CHOSEN,
    DERIVED,
    ERROR,
    FIGURE_LABELS,
    SUGGESTED,
    TYPED,
    Problem,
    Submission,
    check,
)
from bouv_tui.tui.screens.base import SectionScreen
from bouv_tui.tui.dialogs.base import DialogScreen
from bouv_tui.tui.widgets.key_bar import KeyBar
from bouv_tui.tui.widgets.table import Table
from bouv_tui.tui.widgets.title_bar import TitleBar

SOURCE_STYLE = {DERIVED: "cyan", SUGGESTED: "yellow", CHOSEN: "green", TYPED: ""}
LEVEL_SHORT = {"grundlaggande": "Grundl.", "fordjupad": "Fördj.", "saknar": "Saknar"}
#: What the tables' columns other than the area (question 1) and the task (2–20) take, padding
#: included: three levels, "23 av 24", "Ej bed."; "Fråga", "föreslaget", an answer cut at 20.
Q1_FIGURES = 9 + 8 + 8 + 10 + 9
ANSWER_OTHERS = 7 + 12 + 22
#: The area's and the task's widths: in full (160 columns) down to what 80 columns leave.
AREA_MAX, TASK_MAX, TEXT_MIN = 36, 46, 24
#: Below this the problems stand under the form (``-narrow``).
NARROW = 100


class SubmissionScreen(SectionScreen):

    DEFAULT_CSS = """
    #sub-summary {
        height: auto;
        padding: 0 1;
    }
    #sub-body {
        height: 1fr;
    }
    #sub-form {
        width: 2fr;
        height: 1fr;
    }
    #sub-contact {
        height: auto;
        padding: 0 1;
    }
    .sub-heading {
        text-style: bold;
        color: $primary;
        padding: 0 1;
        margin-top: 1;
    }
    #sub-q1 {
        height: auto;
        margin: 0 1;
    }
    #sub-answers {
        height: 1fr;
        margin: 0 1;
    }
    #sub-detail {
        height: 4;
        padding: 0 1;
        border-top: solid $primary 50%;
    }
    #sub-problems {
        width: 1fr;
        height: 1fr;
        border-left: solid $primary 50%;
        padding: 0 1;
    }
    #sub-status {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    /* Below 100 columns the list of problems goes under the form, which gets the whole
       width (question 1's levels side by side); each table scrolls in the rows it has. */
    SubmissionScreen.-narrow #sub-body {
        layout: vertical;
    }
    SubmissionScreen.-narrow #sub-form {
        width: 1fr;
    }
    SubmissionScreen.-narrow .sub-heading {
        margin-top: 0;
    }
    SubmissionScreen.-narrow #sub-q1 {
        height: 1fr;
        margin: 0;
    }
    SubmissionScreen.-narrow #sub-answers {
        margin: 0;
    }
    SubmissionScreen.-narrow #sub-q1, SubmissionScreen.-narrow #sub-answers {
        scrollbar-size-vertical: 1;
    }
    SubmissionScreen.-narrow #sub-detail {
        height: 3;
    }
    SubmissionScreen.-narrow #sub-problems {
        width: 1fr;
        height: 4;
        border-left: none;
        border-top: solid $primary 50%;
    }
    """

    #: Narrower than this, the problems stand under the form (``-narrow`` on the screen).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (NARROW, "-wide")]

    TITLE = "Inlämning"
    HELP_TOPIC = "submission"
    LOAD_WHEN_SHOWN = True  # everything shown here is made in the other sections
    FOLLOWS_YEAR = True

    BINDINGS = [
        Binding("x", "export", "Exportera", id="submission.export",
                tooltip="Skriv inlämningen till JSON, XLSX, CSV eller TXT"),
        Binding("o", "choose_round", "Omgång", id="submission.round",
                tooltip="Välj inventeringsomgång (redovisningsår) för alla delar"),
        Binding("p", "people", "Personer", id="submission.people",
                tooltip="Visa personerna bakom den markerade siffran"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.rounds = []
        self.submission: Submission | None = None
        self.problems: list[Problem] = []
        self._details: dict[str, tuple[str, str, str]] = {}
        #: The widths the area and the task were cut to, for the screen width they were drawn at.
        self.text_widths: tuple[int, int] | None = None

    def commands(self):
        """This section's entries in the command palette."""
        yield "Exportera inlämningen", "JSON, XLSX, CSV eller TXT till en mapp (x)", self.action_export
        yield "Visa personerna bakom en siffra", "För den markerade raden i fråga 1–9 (Enter eller p)", self.action_people

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("Läser inlämningen …", id="sub-summary")
        with Horizontal(id="sub-body"):
            with Vertical(id="sub-form"):
                yield Static("", id="sub-contact")
                yield Label("A. Befintlig kompetens – fråga 1 (härlett): handläggare per område och nivå",
                            classes="sub-heading")  # fmt: skip
                yield Table(id="sub-q1", cursor_type="row", zebra_stripes=True, show_cursor=True)
                yield Label("Fråga 2–20 och statsbidraget", classes="sub-heading")
                yield Table(id="sub-answers", cursor_type="row", zebra_stripes=True)
                yield Static("", id="sub-detail")
            with VerticalScroll(id="sub-problems"):
                yield Static("", id="sub-problem-list")
        yield Static("", id="sub-status")
        yield KeyBar()

    def on_mount(self) -> None:
        q1 = self.query_one("#sub-q1", Table)
        q1.add_column("Kunskapsområde", key="area")
        for code in catalog.LEVELS.codes():
            q1.add_column(LEVEL_SHORT[code], key=code)
        q1.add_column("Bedömda", key="assessed")
        q1.add_column("Ej bed.", key="missing")
        answers = self.query_one("#sub-answers", Table)
        answers.add_column("Fråga", key="q")
        answers.add_column("Uppgift", key="what")
        answers.add_column("Källa", key="source")
        answers.add_column("Svar", key="answer")
        self.query_one("#sub-answers").focus()

    def reload_data(self) -> None:
        self.load()

    # --- data -----------------------------------------------------------------------------------

    def load(self) -> None:
        """The submission of the app's round (without rounds: this year's, empty)."""
        self.rounds, round_ = self.app.workspace.round_to_show(self.app.year, self.app.today())
        self.shown_round(self.app.year, round_.year if round_ is not None else None)
        self._build(round_.year if round_ is not None else self.app.today().year)

    def _build(self, year: int) -> None:
        ws, model = self.app.workspace, self.app.config.need_model

        def build():
            submission = ws.submission(year, model)
            return submission, check(submission)

        self.background("Inlämningen kunde inte läsas", build, lambda result: self.show(*result),
                        group="submission-load")  # fmt: skip

    def show(self, submission: Submission, problems: list[Problem]) -> None:
        self.submission, self.problems = submission, problems
        self.text_widths = self._text_widths()
        self._show_summary()
        self._show_contact()
        self._fill_q1()
        self._fill_answers()
        self._show_problems()

    # --- what fits -------------------------------------------------------------------------------

    def _text_widths(self, width: int | None = None) -> tuple[int, int]:
        """How wide the area (question 1) and the task (2–20) may be on a screen ``width``
        wide, so that every column is on screen: the form takes the width under 100 columns
        (with a thin scrollbar), else two thirds of it (with margins and a scrollbar)."""
        width = width or self.size.width or self.app.size.width
        room = width - 1 if width < NARROW else width * 2 // 3 - 4
        return (max(TEXT_MIN, min(AREA_MAX, room - Q1_FIGURES - 2)),
                max(TEXT_MIN, min(TASK_MAX, room - ANSWER_OTHERS - 2)))  # fmt: skip

    def _refit(self, width: int) -> None:
        if self.submission is None:
            return
        if self._text_widths(width) != self.text_widths:
            self.text_widths = self._text_widths(width)
            # clear() sizes the columns to their labels again, so that the cells cut anew size them.
            q1 = self.query_one("#sub-q1", Table)
            row = q1.cursor_row
            self._fill_q1()
            self._fill_answers()
            if q1.row_count:
                q1.move_cursor(row=min(row, q1.row_count - 1))
        self._show_summary()

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._refit, event.size.width)

    @on(events.ScreenResume)
    def _fit_when_shown(self) -> None:
        """The terminal may have been resized while another section was shown."""
        self._refit(self.app.size.width)

    def _show_summary(self) -> None:
        s = self.submission
        errors = sum(p.severity == ERROR for p in self.problems)
        warnings = len(self.problems) - errors
        state = (
            "[green]inga fel – klar att exportera och skicka[/green]"
            if not errors
            else f"[red][b]{errors} fel[/b][/red] – en export blir ett utkast"
        )
        others = ", ".join(str(r.year) for r in self.rounds if r.year != s.year)
        self.query_one("#sub-summary", Static).update(
            f"Inlämning för redovisningsår [b]{s.year}[/b] (referensdatum {s.reference_date.isoformat()}): "
            f"{state}, {warnings} {'varning' if warnings == 1 else 'varningar'}."
            + (f"  Andra omgångar: {others} (o)" if others else "")
        )
        keys = ("Enter visar personerna bakom en siffra.  Källa: härlett = personal/bedömning, "
                "föreslaget/valt = Behov (F5), ifyllt = Frågor (F6)")  # fmt: skip
        if len(keys) > (self.size.width or self.app.size.width) - 2:
            keys = "Enter: personerna bakom en siffra.  Källa: härlett F3/F4, valt F5, ifyllt F6"
        self.query_one("#sub-status", Static).update(keys)

    def _show_contact(self) -> None:
        c = self.submission.contact

        def value(text: str) -> str:
            return f"[b]{escape(text)}[/b]" if text else "[red]saknas[/red]"

        self.query_one("#sub-contact", Static).update(
            f"Kontaktuppgifter – kommun: {value(c.kommun)}, uppgiftslämnare: {value(c.contact_name)}, "
            f"e-post: {value(c.email)}, telefon: {value(c.phone)}"
        )

    def _fill_q1(self) -> None:
        s = self.submission
        table = self.query_one("#sub-q1", Table)
        area_width = (self.text_widths or self._text_widths())[0]
        rows = []
        for area in catalog.CASEWORKER_AREAS.codes():
            counts = s.q1[area]
            missing = len(s.q1_missing[area])
            rows.append(
                (
                    Text(_short(catalog.AREAS.label(area), area_width)),
                    *(Text(fmt.number(counts.get(code, 0)), justify="right") for code in catalog.LEVELS.codes()),
                    Text(f"{fmt.number(sum(counts.values()))} av {fmt.number(s.q1_expected[area])}", justify="right"),
                    Text(fmt.number(missing), style="bold red" if missing else "", justify="right"),
                )
            )
        with self.app.batch_update():
            table.clear()
            table.add_rows(rows, keys=list(catalog.CASEWORKER_AREAS.codes()))

    def _fill_answers(self) -> None:
        table = self.query_one("#sub-answers", Table)
        row = table.cursor_row
        keep = table.cursor_row_key
        self._details = {}
        task_width = (self.text_widths or self._text_widths())[1]
        with self.app.batch_update():
            table.clear()
            keys, rows = [], []
            for key, (number, what, source, answer) in self._answer_rows():
                self._details[key] = (number, what, answer.plain)
                rows.append((number, Text(_short(what, task_width)), source, _cut(answer)))
                keys.append(key)
            table.add_rows(rows, keys=keys)
            if table.row_count:  # the same row (by key) when it is still there
                table.move_cursor(row=keys.index(keep) if keep in keys else min(row, table.row_count - 1))

    def _answer_rows(self):
        """(row key, cells) for questions 2–20 and the box, in the form's order."""
        s = self.submission
        for key in FIGURE_LABELS:
            number = key.removeprefix("fraga_").split("_")[0]
            figure = s.figures[key]
            yield key, (number, FIGURE_LABELS[key], _source(s, key), Text(fmt.number(figure.value)))
        by_number = {q.number: q for q in questionnaire.QUESTIONS if q.number is not None}
        for number in range(10, 21):
            if number in by_number:
                q = by_number[number]
                yield q.key, (str(number), q.text, _source(s, q.key), _answer_text(q, s.answers))
            elif number in GROUP_QUESTION.values():
                group = next(g for g in GROUPS if GROUP_QUESTION[g] == number)
                yield from self._need_rows(group, number)
        box = questionnaire.BY_KEY["ej_rekvirerat_utbildningsmedel"]
        ticked = s.answers.get(box.key)
        yield box.key, ("", box.text, _source(s, box.key), Text("Ja, ikryssad" if ticked else "Nej"))

    def _need_rows(self, group: str, number: int):
        s = self.submission
        key = f"fraga_{number}"
        need = s.needs[group]
        who = "handläggare" if group == "handlaggare" else "arbetsledare"
        for row in need.rows:
            score = Text(f"{row.score}" if row.score is not None else "saknas",
                         style="" if row.score is not None else "bold red")  # fmt: skip
            score.append(f"  ({row.status})", style="dim")
            yield f"{key}:{row.area}", (str(number), f"Behov {who}: {catalog.AREAS.label(row.area)}",
                                        _source(s, key), score)  # fmt: skip
        for other in need.other:
            score = Text(str(other.score) if other.score is not None else "saknas")
            yield f"{key}:annat{other.position}", (str(number), f"Behov {who}: Annat – {other.label or '?'}",
                                                   _source(s, key), score)  # fmt: skip

    def _show_problems(self) -> None:
        widget = self.query_one("#sub-problem-list", Static)
        if not self.problems:
            widget.update(
                "[b]Att rätta[/b]\n\n[green]Inga fel eller varningar. Inlämningen är klar att exportera.[/green]"
            )
            return
        errors = sum(p.severity == ERROR for p in self.problems)
        warnings = len(self.problems) - errors
        lines = [f"[b]Att rätta[/b] ({errors} fel, {warnings} {'varning' if warnings == 1 else 'varningar'})", ""]
        for p in self.problems:
            tag = "[bold red]FEL[/bold red]" if p.severity == ERROR else "[bold yellow]VARNING[/bold yellow]"
            lines.append(f"{tag} [b]{escape(p.label)}[/b]: {escape(p.shown())}")
        widget.update("\n".join(lines))

    @on(Table.RowHighlighted, "#sub-answers")
    def _answer_highlighted(self, event: Table.RowHighlighted) -> None:
        """Long questions and answers are cut in the table: the highlighted one is shown whole."""
        number, what, answer = self._details.get(event.row_key, ("", "", ""))
        head = f"Fråga {number}: " if number else ""
        self.query_one("#sub-detail", Static).update(f"[b]{escape(head + what)}[/b]\n{escape(answer)}")

    @on(Table.RowHighlighted, "#sub-q1")
    def _area_highlighted(self, event: Table.RowHighlighted) -> None:
        area = catalog.AREAS.get(event.row_key)
        self.query_one("#sub-detail", Static).update(
            f"[b]Fråga 1: {escape(area.label)}[/b] – Enter visar vilka som inte är bedömda\n"
            f"[dim]{escape(area.help)}[/dim]"
        )

    # --- the people behind a figure -------------------------------------------------------------

    @on(Table.RowSelected)
    def _row_selected(self, event: Table.RowSelected) -> None:
        self._open_people(event.table, event.row_key)

    def action_people(self) -> None:
        focused = self.focused if isinstance(self.focused, Table) else self.query_one("#sub-answers", Table)
        self._open_people(focused, focused.cursor_row_key)

    def _open_people(self, table: Table, key: str | None) -> None:
        s = self.submission
        if s is None or key is None:
            return
        if table.id == "sub-q1":
            ids = s.q1_missing.get(key, ())
            title = f"Fråga 1, {catalog.AREAS.label(key)}: handläggare som inte är bedömda"
            hint = "Bedöm dem under Bedömning (F4), så räknas de med."
        elif key in s.figures:
            ids = s.figures[key].people
            number = key.removeprefix("fraga_").split("_")[0]
            title = f"Fråga {number}: {FIGURE_LABELS[key]} ({fmt.number(s.figures[key].value)})"
            hint = (
                "Siffran räknas ur personalregistret för dem som är anställda på referensdatumet. "
                "Stämmer den inte, rätta uppgifterna om personen under Personal (F3)."
            )
        else:
            self.notify("Personer visas för fråga 1–9, som räknas fram ur personalregistret.")
            return
        names = sorted((s.names.get(i, "?") for i in ids), key=swedish_key)
        self.app.push_screen(PeopleDialog(title, names, hint))

    # --- year and export ---------------------------------------------------------------------------

    def action_choose_round(self) -> None:
        self.app.action_choose_round()

    def action_export(self) -> None:
        from bouv_tui.exchange.exporters import SUFFIXES
        from bouv_tui.services import SUBMISSION_FORMATS, default_export_stem
        from bouv_tui.tui.dialogs.exchange import ExportDialog

        if self.submission is None:
            return
        year = self.submission.year
        errors = sum(p.severity == ERROR for p in self.problems)
        draft = f" – utkast med {errors} fel" if errors else ""

        def chosen(choice) -> None:
            if choice is not None:
                self.app.remember_folder(choice.path.parent)
                self._export(year, choice, errors)

        stem = default_export_stem("inventering", self.app.today(), year=year)
        title = f"Exportera inlämningen för {year}{draft}"
        # csv is a zip of CSV tables: named .zip, as on the command line
        dialog = ExportDialog(title, self.app.export_folder(), stem, SUBMISSION_FORMATS, suffixes=SUFFIXES,
                              labels={"csv": "CSV (zip med tabeller)"})  # fmt: skip
        self.app.push_screen(dialog, chosen)

    def _export(self, year: int, choice, errors: int) -> None:
        """Write the submission where the dialog said (an ``ExportChoice``); a file that cannot
        be written reaches the error dialog with the export path's message."""
        ws, model = self.app.workspace, self.app.config.need_model
        target, fmt_code, replace = choice.path, choice.fmt, choice.replace_readonly

        def exported(written: Path) -> None:
            message = f"Inlämningen för {year} är sparad i {written}"
            if errors:
                message += f". Den har {errors} fel och är ett utkast: rätta felen innan du skickar den."
            self.notify(escape(message), title="Exporterat", severity="warning" if errors else "information",
                        timeout=12)  # fmt: skip

        def write() -> Path:
            return ws.export_submission(year, fmt_code, target, model, replace_readonly=replace)

        self.background("Inlämningen exporterades inte", write, exported, group="submission-export")


def _source(s: Submission, key: str) -> Text:
    source = s.source(key)
    return Text(source, style=SOURCE_STYLE.get(source, ""))


def _short(text: str, width: int = 46) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _cut(answer: Text, width: int = 20) -> Text:
    if len(answer.plain) <= width:
        return answer
    cut = answer[: width - 1]
    cut.rstrip()
    cut.append("…")
    return cut


def _answer_text(q: questionnaire.Question, answers: dict) -> Text:
    answer = answers.get(q.key) or {}
    if questionnaire.is_skipped(q.key, answers):
        return Text("hoppas över (fråga 15 = Nej)", style="dim")
    if not questionnaire.is_answered(q, answer):
        return Text("ej besvarad", style="bold red")
    chosen = answer.get("val") if q.kind == "multi" else [answer.get("svar")]
    text = "; ".join(q.options.label(code) for code in chosen)
    free = answer.get(q.text_field) if q.text_field else None
    if free:
        text += f": {free}"
    return Text(text)


class PeopleDialog(DialogScreen[None]):
    """The people behind a derived figure (names are shown here, never exported)."""

    DEFAULT_CSS = """
    #people-list {
        height: auto;
        max-height: 20;
    }
    """

    BINDINGS = [Binding("escape,enter", "close", "Stäng", id="people.close", tooltip="Tillbaka till inlämningen")]

    def __init__(self, title: str, names: list[str], hint: str):
        super().__init__()
        self._title = title
        self._names = names
        self._hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(escape(self._title), classes="dialog-title")
            body = "\n".join(f"• {escape(n)}" for n in self._names) if self._names else "Ingen."
            with VerticalScroll(id="people-list", classes="dialog-body"):
                yield Static(body, id="people-names")
            yield Static(escape(self._hint), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Stäng", variant="primary", id="people-close")

    def on_mount(self) -> None:
        self.query_one("#people-close", Button).focus()

    def on_button_pressed(self, _event: Button.Pressed) -> None:
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)

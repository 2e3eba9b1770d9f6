"""Frågor: the typed questions of the inventory (10–12, 14–18, 20 and the grant box) for one
reporting year, with the form's logic followed live and every change saved at once.

The questions, their options and their logic are the domain's (``domain.questionnaire``);
this screen draws them and sends what the chef chose to ``Workspace.save_answers``.
"""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from bouv_tui.domain import questionnaire
from bouv_tui.domain.assessment import Round
from bouv_tui.domain.plan import QUESTION_OF_GROUP
from bouv_tui.domain.questionnaire import BY_KEY, QUESTIONS, AnswerError, Question
from bouv_tui.tui.screens.base import SectionScreen
from bouv_tui.tui.widgets.key_bar import KeyBar
from bouv_tui.tui.widgets.title_bar import TitleBar

#: Seconds of quiet after the last keystroke in a text before it is saved.
TEXT_SAVE_DELAY_S = 0.8

GROUP_HEADINGS = {
    "handlaggare": "B. Kompetensutveckling – handläggare",
    "arbetsledare": "B. Kompetensutveckling – arbetsledare",
    "bidrag": "Utbildningsinsatser med statsbidrag",
}


#: Widget messages that setting a value from the program must not turn into a save.
VALUE_MESSAGES = (RadioButton.Changed, RadioSet.Changed, Checkbox.Changed, Input.Changed)


def _id(key: str, part: str) -> str:
    return f"{key}--{part}"


class QuestionnaireScreen(SectionScreen):

    DEFAULT_CSS = """
    #q-summary {
        height: auto;
        padding: 0 1;
    }
    #q-form {
        height: 1fr;
        padding: 0 1;
    }
    #q-contact {
        height: auto;
        border: round $primary 50%;
        padding: 0 1;
    }
    #q-contact-text {
        width: 1fr;
    }
    #q-contact-edit {
        margin-left: 2;
        min-width: 0;  /* as wide as its label: the contact lines keep the room */
    }
    .q-note {
        color: $text-muted;
        margin: 1 0 0 0;
    }
    .q-group {
        text-style: bold;
        color: $primary;
        margin: 1 0 0 0;
    }
    .question {
        height: auto;
        margin: 1 0 0 0;
    }
    .question:disabled {
        opacity: 60%;
    }
    .question-title {
        text-style: bold;
        width: 1fr;
    }
    .question-title.-unanswered {
        color: $warning;
    }
    .question.-skipped .question-title {
        color: $text-muted;
    }
    .question RadioSet {
        layout: horizontal;
        width: auto;
    }
    .question RadioSet > RadioButton {
        width: auto;
        margin-right: 3;
    }
    .q-options {
        height: auto;
        padding: 0 0 0 2;
    }
    .q-text-row {
        height: auto;
        padding: 0 0 0 2;
    }
    .q-text-label {
        width: auto;
        padding: 0 1 0 0;
    }
    .q-text-row Input {
        width: 1fr;
    }
    .q-skip {
        color: $text-muted;
        text-style: italic;
        padding: 0 0 0 2;
    }
    #q-status {
        height: 1;
        padding: 0 1;
        color: $text-muted;
    }
    """

    TITLE = "Frågor"
    HELP_TOPIC = "questionnaire"
    LOAD_WHEN_SHOWN = True  # the contact block is edited elsewhere too
    FOLLOWS_YEAR = True

    BINDINGS = [
        Binding("ctrl+s", "save", "Spara", id="questionnaire.save", tooltip="Spara alla svar nu"),
        Binding("o", "choose_round", "Omgång", id="questionnaire.round",
                tooltip="Välj inventeringsomgång (redovisningsår) för alla delar"),
        Binding("k", "edit_contact", "Kontakt", id="questionnaire.contact",
                tooltip="Ändra kommun, uppgiftslämnare, e-post och telefon"),
        Binding("p", "use_plan", "Ta planens förslag", id="questionnaire.use_plan",
                tooltip="Fråga 12 eller 18 (den du står i): svara som årets utbildningar i Plan (F8) föreslår"),
    ]  # fmt: skip

    def __init__(self) -> None:
        super().__init__()
        self.rounds: list[Round] = []
        self.round: Round | None = None
        self.answers: dict = questionnaire.empty_answers()  # as last stored
        self._pending: tuple[int, dict] | None = None
        self._text_timer: Timer | None = None
        self._saved_notice = False
        #: The contact block as last shown (drawn again for another width).
        self._contact_settings = None
        #: The file changed elsewhere while a change here waited to be saved: read it after.
        self._stale = False
        #: A change shown here is not stored (its save failed): a reload keeps it on screen.
        self._unsaved = False
        #: Questions 12 and 18 as the year's plan (F8) suggests them (None: the plan is empty).
        self.suggestions: dict[str, tuple[str, ...] | None] = {}

    def commands(self):
        """This section's entries in the command palette."""
        yield "Ändra kontaktuppgifter", "Kommun, uppgiftslämnare, e-post, telefon (k)", self.action_edit_contact
        yield "Spara svaren", "Sparar alla svar på frågorna nu (Ctrl+S)", self.action_save

    # --- layout -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static("", id="q-summary")
        with VerticalScroll(id="q-form"):
            with Horizontal(id="q-contact"):
                yield Static("", id="q-contact-text")
                yield Button("Ändra (k)", id="q-contact-edit", compact=True)
            yield Static(
                "Frågorna 1–9 räknas fram ur personalregistret och bedömningen, och 13 och 19 ur Behov: "
                "de skrivs aldrig in här. Se dem med siffror och personer under Inlämning (F7). "
                "En siffra ändras genom att rätta personalregistret (F3) eller bedömningen (F4).",
                classes="q-note",
            )
            group = None
            for q in QUESTIONS:
                if q.group != group:
                    group = q.group
                    yield Label(GROUP_HEADINGS[group], classes="q-group")
                yield from self._compose_question(q)
        yield Static("", id="q-status")
        yield KeyBar()

    def _compose_question(self, q: Question) -> ComposeResult:
        with Vertical(id=f"block-{q.key}", classes="question"):
            if q.kind == "flag":
                yield Checkbox(q.text, id=q.key, compact=True)
                return
            yield Label(f"{q.number}. {escape(q.text)}", id=_id(q.key, "title"), classes="question-title")
            if q.key in questionnaire.SKIPPED_WHEN_NO_PLAN:
                yield Static("Hoppas över: fråga 15 är besvarad med Nej.", id=_id(q.key, "skip"), classes="q-skip")
            if q.kind == "single":
                yield RadioSet(*[RadioButton(e.label, id=_id(q.key, e.code)) for e in q.options], id=q.key)
            else:
                with Vertical(classes="q-options"):
                    for e in q.options:
                        yield Checkbox(e.label, id=_id(q.key, e.code), compact=True)
            if q.key in SUGGESTED_GROUP:
                yield Static("", id=_id(q.key, "suggestion"), classes="q-skip")
            if q.text_field:
                with Horizontal(id=_id(q.key, "textrow"), classes="q-text-row"):
                    yield Label(escape(q.text_label), classes="q-text-label")
                    yield Input(placeholder="Skriv här", id=_id(q.key, "text"), compact=True)

    def on_mount(self) -> None:
        self.query_one(f"#{_id(QUESTIONS[0].key, QUESTIONS[0].options[0].code)}").focus()

    def drop_edits(self) -> None:
        self._unsaved = False

    def reload_data(self) -> None:
        """Shown again, or the file changed: read the year's answers and the contact block again,
        but not over a change still being typed or saved (it is read once that is stored)."""
        if self._text_timer is not None or self._saving():
            self._stale = True
            return
        self._stale = False
        self.load()

    def on_screen_suspend(self) -> None:
        self._flush_text()

    # --- data ---------------------------------------------------------------------------------

    def year_changed(self) -> None:
        """Another round chosen: what is being typed is saved to the round it was typed in first."""
        self._flush_text()
        self.load()

    def load(self) -> None:
        """Read the answers of the app's round (and the contact block) and show them."""
        ws = self.app.workspace
        self.rounds, round_ = ws.round_to_show(self.app.year, self.app.today())
        year = round_.year if round_ is not None else None
        same_year = year == self.year and self.round is not None
        self.shown_round(self.app.year, year)
        self.round = round_
        self._show_contact(ws.settings())
        if same_year and (self._saving() or self._unsaved):
            # Coming back while a change is still being written: the widgets hold the newest
            # answers, and the file would show them a moment too early.
            self._show_state()
            return
        self.answers = ws.answers(self.round.id) if self.round is not None else questionnaire.empty_answers()
        self.suggestions = ws.organisation_suggestions(year) if year is not None else {}
        self._show_answers(self.answers)
        for block in self.query(".question"):
            block.disabled = self.round is None
        self._show_state()

    def _show_contact(self, settings=None, width: int | None = None) -> None:
        """The contact block: two fields a line where they fit, else one, so that no value is
        broken across lines (``settings``: as last shown when None; ``width``: the screen's)."""
        if settings is None:
            settings = self._contact_settings
        if settings is None:
            return
        self._contact_settings = settings

        def value(text: str) -> str:
            return f"[b]{escape(text)}[/b]" if text else "[red]saknas[/red]"

        fields = [f"Kommun: {value(settings.kommun)}", f"Uppgiftslämnare: {value(settings.contact_name)}",
                  f"E-post: {value(settings.email)}", f"Telefon: {value(settings.phone)}"]  # fmt: skip
        width = width or self.size.width or self.app.size.width
        # The form's padding and scrollbar, the box's border and padding, the button and its margin.
        room = width - 2 - 2 - 2 - 2 - (len("Ändra (k)") + 2)
        lines = []
        for first, second in (fields[0:2], fields[2:4]):  # kommun and uppgiftslämnare, e-post and telefon
            pair = f"{first}   {second}"
            lines += [pair] if Text.from_markup(pair).cell_len <= room else [first, second]
        self.query_one("#q-contact-text", Static).update("\n".join(lines))

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._show_contact, None, event.size.width)

    def _show_answers(self, answers: dict) -> None:
        """Set every widget from ``answers`` without saving anything."""
        with self.prevent(*VALUE_MESSAGES):
            for q in QUESTIONS:
                answer = answers.get(q.key)
                if q.kind == "flag":
                    self.query_one(f"#{q.key}", Checkbox).value = bool(answer)
                    continue
                chosen = (answer.get("val") or []) if q.kind == "multi" else [answer.get("svar")]
                for e in q.options:
                    widget = self.query_one(f"#{_id(q.key, e.code)}", RadioButton if q.kind == "single" else Checkbox)
                    widget.value = e.code in chosen
                if q.text_field:
                    self.query_one(f"#{_id(q.key, 'text')}", Input).value = answer.get(q.text_field) or ""
        self._follow_logic()

    def answer_of(self, q: Question):
        """The answer as the widgets show it, in the stored shape."""
        if q.kind == "flag":
            return self.query_one(f"#{q.key}", Checkbox).value
        kind = RadioButton if q.kind == "single" else Checkbox
        chosen = [e.code for e in q.options if self.query_one(f"#{_id(q.key, e.code)}", kind).value]
        answer: dict = {"val": chosen} if q.kind == "multi" else {"svar": chosen[0] if chosen else None}
        if q.text_field:
            answer[q.text_field] = self.query_one(f"#{_id(q.key, 'text')}", Input).value.strip() or None
        return answer

    def shown_answers(self) -> dict:
        return {q.key: self.answer_of(q) for q in QUESTIONS}

    # --- the form's logic, live ------------------------------------------------------------------

    def _follow_logic(self) -> None:
        """Texts shown only when their option applies; 16–17 off (and emptied) when 15 is Nej."""
        answers = self.shown_answers()
        for q in QUESTIONS:
            if not q.text_field:
                continue
            self.query_one(f"#{_id(q.key, 'textrow')}").display = questionnaire.text_applies(q, answers[q.key])
        skipped = questionnaire.is_skipped("fraga_16", answers)
        for key in questionnaire.SKIPPED_WHEN_NO_PLAN:
            q = BY_KEY[key]
            block = self.query_one(f"#block-{key}")
            if skipped:
                with self.prevent(*VALUE_MESSAGES):
                    for e in q.options:
                        self.query_one(f"#{_id(key, e.code)}", RadioButton).value = False
                    if q.text_field:
                        self.query_one(f"#{_id(key, 'text')}", Input).value = ""
                if q.text_field:
                    self.query_one(f"#{_id(key, 'textrow')}").display = False
            self.query_one(f"#{_id(key, 'skip')}").display = skipped
            self.query_one(f"#{key}", RadioSet).disabled = skipped
            block.set_class(skipped, "-skipped")

    def _show_state(self) -> None:
        """What is still to answer: in the summary line and as the colour of each question."""
        summary = self.query_one("#q-summary", Static)
        status = self.query_one("#q-status", Static)
        if self.round is None:
            summary.update(
                "Det finns ingen inventeringsomgång ännu. Starta en under Bedömning (F4); "
                "frågorna besvaras för omgångens redovisningsår."
            )
            status.update("")
            return
        try:
            answers = questionnaire.clean_answers(self.shown_answers())
        except AnswerError:
            answers = self.answers
        open_ = questionnaire.unanswered(answers)
        texts = questionnaire.missing_texts(answers)
        for q in QUESTIONS:
            if q.number is not None:
                self.query_one(f"#{_id(q.key, 'title')}").set_class(q in open_, "-unanswered")
        others = ", ".join(str(r.year) for r in self.rounds if r.year != self.year)
        parts = [f"Redovisningsår [b]{self.year}[/b] (referensdatum {self.round.reference_date.isoformat()})"]
        if open_:
            parts.append("Obesvarade frågor: [b]" + ", ".join(_number(q) for q in open_) + "[/b]")
        else:
            parts.append("[green]Alla frågor är besvarade[/green]")
        if texts:
            parts.append("Text saknas i fråga " + ", ".join(_number(q) for q in texts))
        summary.update(". ".join(parts) + "." + (f"  Andra omgångar: {others} (o)" if others else ""))
        self._show_suggestions(answers)
        status.update("Varje ändring sparas direkt. Tab flyttar mellan frågorna, mellanslag väljer.")

    @on(RadioSet.Changed)
    def _radio_changed(self, event: RadioSet.Changed) -> None:
        if event.radio_set.id not in BY_KEY:
            return
        # One option on: a value set from the stored answers is not known to the RadioSet.
        with self.prevent(*VALUE_MESSAGES):
            for button in event.radio_set.query(RadioButton):
                if button is not event.pressed:
                    button.value = False
        self._changed()

    @on(Checkbox.Changed)
    def _box_changed(self, event: Checkbox.Changed) -> None:
        key, _, code = (event.checkbox.id or "").partition("--")
        q = BY_KEY.get(key)
        if q is None:
            return
        if q.exclusive and event.value:
            # "Ingen kompetensutveckling har genomförts" goes alone: ticking it unticks the
            # others, and ticking another unticks it.
            others = [e.code for e in q.options if e.code != code] if code == q.exclusive else [q.exclusive]
            with self.prevent(*VALUE_MESSAGES):
                for other in others:
                    self.query_one(f"#{_id(key, other)}", Checkbox).value = False
        self._changed()

    @on(Input.Changed)
    def _text_changed(self, event: Input.Changed) -> None:
        if (event.input.id or "").endswith("--text"):
            if self._text_timer is not None:
                self._text_timer.stop()
            self._text_timer = self.set_timer(TEXT_SAVE_DELAY_S, self._text_quiet)

    @on(Input.Submitted)
    @on(Input.Blurred)
    def _text_done(self) -> None:
        self._flush_text()

    def _text_quiet(self) -> None:
        self._text_timer = None
        self._changed()

    def _flush_text(self) -> None:
        if self._text_timer is not None:
            self._text_timer.stop()
            self._text_timer = None
            self._changed()

    def _changed(self) -> None:
        self._follow_logic()
        self._show_state()
        self._queue_save()

    # --- saving ---------------------------------------------------------------------------------

    def action_save(self) -> None:
        if self._text_timer is not None:
            self._text_timer.stop()
            self._text_timer = None
        if self._queue_save():
            self._saved_notice = True

    def _saving(self) -> bool:
        return self._pending is not None or self.jobs_pending()

    def _queue_save(self) -> bool:
        """Save what the widgets show; the newest state is what is written last."""
        if self.round is None:
            self.notify("Starta en inventeringsomgång under Bedömning (F4) först.", severity="warning")
            return False
        self._pending = (self.round.id, self.shown_answers())
        self._unsaved = True
        ws = self.app.workspace
        taken: list = []  # what the job took, for "Spara mitt" after a Conflict

        def save(force: bool = False):
            if not force:
                pending, self._pending = self._pending, None
                if pending is None:
                    return None  # a later save already wrote the newest state
                # What the screen last read or stored: the job before this one is shown already.
                taken[:] = [(*pending, self.answers)]
            round_id, answers, shown = taken[0]
            return round_id, ws.save_answers(round_id, answers, shown=shown, force=force)

        self.run_job("Svaren sparades inte", save, self._saved, force=lambda: save(force=True))
        return True

    def _saved(self, result) -> None:
        if result is None:
            return
        round_id, stored = result
        if self._pending is None:
            self._unsaved = False
        if self.round is not None and self.round.id == round_id:
            self.answers = stored
            self._show_state()
        if self._saved_notice:
            self._saved_notice = False
            self.notify(f"Svaren för {self.year} är sparade.")
        if self._stale and self._pending is None:
            self.call_after_refresh(self.reload_data)

    # --- the plan's suggestions for questions 12 and 18 ----------------------------------------------

    def _show_suggestions(self, answers: dict) -> None:
        for key in SUGGESTED_GROUP:
            line = self.query_one(f"#{_id(key, 'suggestion')}", Static)
            suggested = self.suggestions.get(key)
            if self.round is None:
                line.update("")
            elif suggested is None:
                line.update(f"Inget förslag: planen (F8) för {self.year} har inga utbildningar för gruppen.")
            elif set(suggested) == set(answers[key].get("val") or []):
                line.update("✓ Svaret stämmer med årets utbildningar i planen (F8).")
            else:
                words = ", ".join(BY_KEY[key].options.label(code) for code in suggested)
                line.update(escape(f"Förslag ur planen (F8): {words}.") + " [b]p[/b] tar förslaget.")

    def action_use_plan(self) -> None:
        """Answer question 12 or 18 (the one the focus is in) as the plan suggests; a
        suggestion the chef confirms, like the need scores."""
        focused = self.focused
        key = next((k for k in SUGGESTED_GROUP if focused is not None and
                    any(a.id == f"block-{k}" for a in focused.ancestors_with_self)), None)  # fmt: skip
        if key is None:
            self.notify("Gå till fråga 12 eller 18 först (Tab), sedan p.", severity="warning")
            return
        suggested = self.suggestions.get(key)
        if suggested is None:
            self.notify(f"Planen (F8) för {self.year} har inga utbildningar att föreslå svar från.", severity="warning")
            return
        q = BY_KEY[key]
        with self.prevent(*VALUE_MESSAGES):
            for e in q.options:
                self.query_one(f"#{_id(key, e.code)}", Checkbox).value = e.code in suggested
        self._changed()
        self.notify(f"Fråga {q.number}: svarat som planen föreslår. Lägg till I egen regi om ni höll någon "
                    "utbildning själva.")  # fmt: skip

    # --- round and contact ------------------------------------------------------------------------

    def action_choose_round(self) -> None:
        self.app.action_choose_round()

    def action_edit_contact(self) -> None:
        """The app's settings form; the contact block shows what it stored."""
        self.app.edit_settings(after_save=self._show_contact)

    @on(Button.Pressed, "#q-contact-edit")
    def _edit_contact_pressed(self) -> None:
        self.action_edit_contact()


#: The questions the plan suggests answers to, and the group each is about.
SUGGESTED_GROUP = {key: group for group, key in QUESTION_OF_GROUP.items()}


def _number(q: Question) -> str:
    return str(q.number) if q.number is not None else "statsbidragsrutan"

"""The submission as an XLSX workbook laid out like the form: one sheet a part ("Kontakt",
"A Befintlig kompetens", "B Kompetensutveckling", "Problem"), question numbers and the
form's Swedish texts, numbers as numbers.

Two exports of the same submission are the same bytes: the document properties carry a
fixed date (the round's reference date) and the zip entries a fixed timestamp.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bouv_tui.domain import catalog, questionnaire
from bouv_tui.domain.needs import GROUP_LABELS
from bouv_tui.domain.submission import FIGURE_LABELS, Problem, Submission
from bouv_tui.exchange.exporters import common
from bouv_tui.exchange.exporters.packing import workbook_entries

#: Column widths: question number, text, then values.
_WIDTHS = {"A": 8, "B": 70, "C": 16, "D": 16, "E": 16, "F": 12}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class _Sheet:
    """Writes rows top to bottom, text never as a formula."""

    def __init__(self, sheet, bold, wrap):
        self.sheet, self.bold, self.wrap = sheet, bold, wrap
        self.row = 1
        for column, width in _WIDTHS.items():
            sheet.column_dimensions[column].width = width

    def write(self, *values, bold: bool = False) -> None:
        for col, value in enumerate(values, start=1):
            if value is None or value == "":
                continue
            cell = self.sheet.cell(row=self.row, column=col)
            if isinstance(value, bool):
                cell.value = "Ja" if value else "Nej"
            elif isinstance(value, int):
                cell.value = value
            else:
                text = str(value)
                cell.value = text
                cell.data_type = "s"
                if text.startswith(_FORMULA_START):
                    cell.quotePrefix = True
            if bold:
                cell.font = self.bold
            if col == 2:
                cell.alignment = self.wrap
        self.row += 1

    def blank(self) -> None:
        self.row += 1


def build_workbook(submission: Submission, problems: Sequence[Problem]):
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    stamp = _stamp(submission)
    workbook.properties.created = stamp  # and modified: workbook_bytes, after openpyxl's save stamps it
    workbook.properties.creator = "bouv-tui"
    workbook.properties.title = f"{common.TITLE} {submission.year}"
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    safe = common.export_problems(submission, problems)

    contact = workbook.active
    contact.title = "Kontakt"
    s = _Sheet(contact, bold, wrap)
    s.write(None, common.TITLE, bold=True)
    s.write(None, "Redovisningsår", submission.year)
    s.write(None, common.problem_summary(safe))
    s.blank()
    s.write(None, "Kontaktuppgifter", bold=True)
    for _key, label, attr in common.CONTACT_FIELDS:
        s.write(None, label, getattr(submission.contact, attr) or "")

    s = _Sheet(workbook.create_sheet("A Befintlig kompetens"), bold, wrap)
    s.write(None, "A. Befintlig kompetens", bold=True)
    s.blank()
    s.write(None, "Handläggare", bold=True)
    s.write("Fråga 1", common.QUESTION_TEXTS[1], bold=True)
    levels = common.Q1_LEVELS
    s.write(None, "Kunskapsområde", *(catalog.LEVELS.label(level) for level in levels), "Summa", bold=True)
    for area in common.q1_areas():
        counts = [int(submission.q1[area][level]) for level in levels]
        s.write(None, catalog.AREAS.label(area), *counts, sum(counts))
    for number, key, part in common.FIGURE_QUESTIONS:
        s.blank()
        if number == 4:
            s.write(None, "Arbetsledare", bold=True)
        s.write(f"Fråga {number}", common.QUESTION_TEXTS[number], bold=True)
        s.write(None, FIGURE_LABELS[key], submission.figure(key))
        if part is not None:
            s.write(None, FIGURE_LABELS[part], submission.figure(part))

    s = _Sheet(workbook.create_sheet("B Kompetensutveckling"), bold, wrap)
    s.write(None, "B. Kompetensutveckling", bold=True)
    answers = submission.answers
    for number in range(10, 21):
        key = f"fraga_{number}"
        s.blank()
        if number == 10:
            s.write(None, "Handläggare", bold=True)
        if number == 15:
            s.write(None, "Arbetsledare", bold=True)
        if number in (13, 19):
            group = "handlaggare" if number == 13 else "arbetsledare"
            need = submission.needs[group]
            s.write(f"Fråga {number}", common.QUESTION_TEXTS[number], bold=True)
            s.write(None, f"Kunskapsområde ({GROUP_LABELS[group].lower()})", "Behov 1–5", bold=True)
            scores = need.scores
            for area in (row.area for row in need.rows):
                s.write(None, catalog.AREAS.label(area), scores.get(area))
            for other in need.other:
                s.write(None, f"Annat: {other.label}", other.score)
            continue
        question = questionnaire.BY_KEY[key]
        s.write(f"Fråga {number}", question.text, bold=True)
        _write_answer(s, question, answers[key])
    s.blank()
    s.write(None, "Statsbidrag", bold=True)
    flag = questionnaire.BY_KEY["ej_rekvirerat_utbildningsmedel"]
    s.write(None, flag.text, bool(answers[flag.key]))  # cleaned answers hold every key
    s.blank()
    s.write("Fråga 21", common.QUESTION_TEXTS[21], bold=True)
    entries = common.q21_entries(submission)
    if answers[flag.key]:
        s.write(None, "Besvaras inte: statsbidrag för utbildningsinsatser har inte rekvirerats.")
    elif not entries:
        s.write(None, "Inga utbildningar finansierade med årets statsbidrag i planen.")
    else:
        s.write(None, "Kunskapsområde", "Utbildning", "Deltagare", "Personalkategori", "Anordnare", "Omfattning",
                bold=True)
        for entry in entries:
            s.write(None, common.q21_area_words(entry), entry["utbildning"], entry["antal_deltagare"],
                    common.q21_category_words(entry), common.q21_provider_words(entry), common.q21_extent_words(entry))  # fmt: skip

    s = _Sheet(workbook.create_sheet("Problem"), bold, wrap)
    # openpyxl writes a column's letter in capitals whatever the key: mutmut's "a" is an equivalent.
    s.sheet.column_dimensions["A"].width = 10  # pragma: no mutate
    s.sheet.column_dimensions["B"].width = 18  # pragma: no mutate
    s.sheet.column_dimensions["C"].width = 90  # pragma: no mutate
    s.write("Allvar", "Fråga", "Meddelande", bold=True)
    for problem in safe:
        s.write(common.SEVERITY_LABELS.get(problem.severity, problem.severity), problem.label, problem.message)
    if not safe:
        s.write(None, None, "Inga problem.")
    return workbook


def _write_answer(s: _Sheet, question: questionnaire.Question, answer) -> None:
    if question.kind == "multi":
        chosen = answer.get("val") or []
        for entry in question.options:
            s.write(None, entry.label, "X" if entry.code in chosen else "")
    else:
        code = answer.get("svar")
        s.write(None, "Svar", question.options.label(code) if code else "(inte besvarad)")
    if question.text_field:
        s.write(None, question.text_label, answer.get(question.text_field) or "")


def _stamp(submission: Submission) -> datetime:
    day = submission.reference_date  # the round's reference date (domain.submission.build)
    return datetime(day.year, day.month, day.day)


def workbook_bytes(workbook, stamp: datetime) -> bytes:
    """The saved workbook, re-packed so that it is the same bytes every time: openpyxl stamps
    the save time into docProps/core.xml and the time of day into every zip entry."""
    return common.deterministic_zip(workbook_entries(workbook, stamp).items())


def submission_xlsx(submission: Submission, problems: Sequence[Problem]) -> bytes:
    return workbook_bytes(build_workbook(submission, problems), _stamp(submission))

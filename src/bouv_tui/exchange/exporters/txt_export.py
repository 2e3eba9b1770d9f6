"""The submission as plain text: the form's questions in order with their Swedish texts and
the answers in Swedish (labels, Swedish number formatting), ready to type into
Socialstyrelsen's web form. What is left to fix stands at the top.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from bouv_tui import fmt
from bouv_tui.domain import catalog, questionnaire
from bouv_tui.domain.needs import GROUP_LABELS
from bouv_tui.domain.submission import FIGURE_LABELS, Problem, Submission
from bouv_tui.exchange.exporters import common

WIDTH = 96
UNANSWERED = "(inte besvarad)"


def _wrap(text: str, indent: str, rest: str | None = None) -> list[str]:
    """``text`` in lines of at most WIDTH, the first after ``indent``, the others after ``rest``."""
    rest = " " * len(indent) if rest is None else rest
    return textwrap.wrap(text, WIDTH, initial_indent=indent, subsequent_indent=rest) or [indent]


def _question(number: int, text: str) -> list[str]:
    return ["", *_wrap(f"{number}. {text}", "", " " * len(f"{number}. "))]


def _number(value: int | None) -> str:
    return UNANSWERED if value is None else fmt.number(value)


def submission_text(submission: Submission, problems: Sequence[Problem]) -> str:
    safe = common.export_problems(submission, problems)
    lines = [f"{common.TITLE}", f"Redovisningsår {submission.year}", ""]
    lines.append(common.problem_summary(safe))
    for problem in safe:
        severity = common.SEVERITY_LABELS.get(problem.severity, problem.severity)
        lines += _wrap(f"{severity}, {problem.label.lower()} – {problem.message}", "  - ")

    lines += ["", "KONTAKTUPPGIFTER"]
    for _key, label, attr in common.CONTACT_FIELDS:
        lines.append(f"  {label}: {getattr(submission.contact, attr) or UNANSWERED}")

    lines += ["", "A. BEFINTLIG KOMPETENS", "", "Handläggare"]
    lines += _question(1, common.QUESTION_TEXTS[1])
    headings = [catalog.LEVELS.label(level).split()[0] for level in common.Q1_LEVELS]  # Grundläggande, Fördjupad, Saknar
    width = max(len(catalog.AREAS.label(a)) for a in common.q1_areas())
    lines.append(f"   {'Kunskapsområde':<{width}}" + "".join(f"{h:>15}" for h in headings))
    for area in common.q1_areas():
        counts = [fmt.number(int(submission.q1[area][level])) for level in common.Q1_LEVELS]
        lines.append(f"   {catalog.AREAS.label(area):<{width}}" + "".join(f"{c:>15}" for c in counts))
    for number, key, part in common.FIGURE_QUESTIONS:
        if number == 4:
            lines += ["", "Arbetsledare"]
        lines += _question(number, common.QUESTION_TEXTS[number])
        lines.append(f"   {FIGURE_LABELS[key]}: {_number(submission.figure(key))}")
        if part is not None:
            lines.append(f"   {FIGURE_LABELS[part]}: {_number(submission.figure(part))}")

    lines += ["", "B. KOMPETENSUTVECKLING", "", "Handläggare"]
    answers = submission.answers
    for number in range(10, 21):
        if number == 15:
            lines += ["", "Arbetsledare"]
        if number in (13, 19):
            lines += _needs(submission, "handlaggare" if number == 13 else "arbetsledare", number)
            continue
        question = questionnaire.BY_KEY[f"fraga_{number}"]
        lines += _question(number, question.text)
        lines += _answer(question, answers[question.key], answers)

    flag = questionnaire.BY_KEY["ej_rekvirerat_utbildningsmedel"]
    ticked = bool(answers[flag.key])  # cleaned answers hold every key
    lines += ["", "STATSBIDRAG", f"   [{'x' if ticked else ' '}] {flag.text}"]
    lines += _question(21, common.QUESTION_TEXTS[21])
    lines += _q21(submission, ticked)
    lines.append("")
    return "\n".join(line.rstrip() for line in lines)


def _q21(submission: Submission, ticked: bool) -> list[str]:
    """Question 21's rows, one training under one area a row, as they are typed into the form."""
    if ticked:
        return ["   (besvaras inte: statsbidrag för utbildningsinsatser har inte rekvirerats)"]
    entries = common.q21_entries(submission)
    if not entries:
        return ["   (inga utbildningar finansierade med årets statsbidrag i planen)"]
    lines = []
    for entry in entries:
        categories = common.q21_category_words(entry)
        lines += _wrap(f"{common.q21_area_words(entry)}: {entry['utbildning']}", "   ")
        lines.append(f"      Deltagare: {fmt.number(entry['antal_deltagare'])}" + (f" ({categories})" if categories else ""))
        lines.append(f"      Anordnare: {common.q21_provider_words(entry, UNANSWERED)}")
        lines.append(f"      Omfattning: {common.q21_extent_words(entry) or UNANSWERED}")
    return lines


def _needs(submission: Submission, group: str, number: int) -> list[str]:
    need = submission.needs[group]
    scores = need.scores
    lines = _question(number, common.QUESTION_TEXTS[number])
    labels = [catalog.AREAS.label(row.area) for row in need.rows] + [f"Annat: {o.label}" for o in need.other]
    width = max(len(label) for label in labels)
    lines.append(f"   {'Kunskapsområde (' + GROUP_LABELS[group].lower() + ')':<{width}}  Behov")
    for row in need.rows:
        lines.append(f"   {catalog.AREAS.label(row.area):<{width}}  {_number(scores.get(row.area))}")
    for other in need.other:
        lines.append(f"   {'Annat: ' + other.label:<{width}}  {_number(other.score)}")
    return lines


def _answer(question: questionnaire.Question, answer, answers) -> list[str]:
    if questionnaire.is_skipped(question.key, answers):
        return ["   (hoppas över: fråga 15 är besvarad med Nej)"]
    lines = []
    if question.kind == "multi":
        chosen = answer.get("val") or []
        for entry in question.options:
            lines.append(f"   [{'x' if entry.code in chosen else ' '}] {entry.label}")
    else:
        code = answer.get("svar")
        lines.append(f"   Svar: {question.options.label(code) if code else UNANSWERED}")
    if question.text_field:
        text = answer.get(question.text_field)
        applies = questionnaire.text_applies(question, answer)
        if text or applies:
            lines += _wrap(f"{question.text_label}: {text or UNANSWERED}", "   ")
    return lines

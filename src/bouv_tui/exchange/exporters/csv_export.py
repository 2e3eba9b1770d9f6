"""The submission as CSV tables in one zip file: ``fraga_1.csv``, ``fraga_13.csv``,
``fraga_19.csv``, ``svar.csv`` (every other answer and figure, one row a field) and
``problem.csv``. Semicolon-separated UTF-8 with BOM and CRLF, as Swedish Excel opens it;
codes and plain numbers, as the JSON has them, with the Swedish label beside each code.

The zip's entries carry a fixed timestamp: the same submission gives the same bytes.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from bouv_tui.domain import catalog, questionnaire
from bouv_tui.domain.submission import FIGURE_LABELS, Problem, Submission
from bouv_tui.exchange.exporters import common


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> bytes:
    buffer = io.StringIO(newline="")
    # "\r\n" is also csv's default; said here because the format (INTERFACES.md) fixes it.
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")  # pragma: no mutate
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return buffer.getvalue().encode("utf-8-sig")  # pragma: no mutate ("UTF-8-SIG" names the same codec)


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "ja" if value else "nej"
    return common.csv_text(value)


def tables(submission: Submission, problems: Sequence[Problem]) -> list[tuple[str, bytes]]:
    """(file name, CSV bytes) for each table, in the form's order."""
    q1 = [
        (area, catalog.AREAS.label(area), *(int(submission.q1[area][level]) for level in common.Q1_LEVELS))
        for area in common.q1_areas()
    ]
    files = [("fraga_1.csv", _table(("omrade", "benamning", *common.Q1_LEVELS), q1))]
    needs = {}
    for group, number, _areas in common.need_groups():
        need = submission.needs[group]
        scores = need.scores
        rows = [(row.area, catalog.AREAS.label(row.area), scores.get(row.area)) for row in need.rows]
        rows += [("annat", other.label, other.score) for other in need.other]
        needs[number] = (f"fraga_{number}.csv", _table(("omrade", "benamning", "behov"), rows))
    files.append(("svar.csv", _table(("fraga", "uppgift", "varde", "benamning"), _answer_rows(submission))))
    files.append(("fraga_21.csv", _table(Q21_COLUMNS, [_q21_row(e) for e in common.q21_entries(submission)])))
    files.insert(1, needs[13])
    files.insert(2, needs[19])
    safe = common.export_problems(submission, problems)
    files.append(
        ("problem.csv", _table(("allvar", "fraga", "meddelande"), [(p.severity, p.question, p.message) for p in safe]))
    )
    return files


#: Question 21's table: one training under one area a row (the JSON's keys, the extent in two columns).
Q21_COLUMNS = ("omrade", "annat_omrade", "utbildning", "antal_deltagare", "personalkategori", "anordnare",
               "anordnartyp", "omfattning_enhet", "omfattning_varde")  # fmt: skip


def _q21_row(entry: dict) -> tuple:
    extent = entry["omfattning"] or {"enhet": None, "varde": None}
    return (
        entry["omrade"], entry["annat_omrade"], entry["utbildning"], entry["antal_deltagare"],
        ",".join(entry["personalkategori"]), entry["anordnare"], entry["anordnartyp"], extent["enhet"], extent["varde"],
    )  # fmt: skip


def _answer_rows(submission: Submission) -> list[tuple]:
    rows: list[tuple] = [("redovisningsar", "", submission.year, "Redovisningsår")]
    for key, label, attr in common.CONTACT_FIELDS:
        rows.append(("kontakt", key, getattr(submission.contact, attr) or "", label))
    for _number, key, part in common.FIGURE_QUESTIONS:
        rows.append((key, "antal", submission.figure(key), FIGURE_LABELS[key]))
        if part is not None:
            rows.append((key, "varav_magister_master", submission.figure(part), FIGURE_LABELS[part]))
    answers = submission.answers
    for question in questionnaire.QUESTIONS:
        answer = answers[question.key]  # cleaned: every question is there
        if question.kind == "flag":
            rows.append((question.key, "", bool(answer), question.text))
            continue  # pragma: no mutate (the flag is the last question: break ends the same)
        if question.kind == "multi":
            chosen = answer.get("val") or []
            for entry in question.options:
                rows.append((question.key, entry.code, entry.code in chosen, entry.label))
        else:
            code = answer.get("svar")
            rows.append((question.key, "svar", code or "", question.options.label(code) if code else "(inte besvarad)"))
        if question.text_field:
            rows.append((question.key, question.text_field, answer.get(question.text_field) or "", question.text_label))
    return rows


def submission_csv_zip(submission: Submission, problems: Sequence[Problem]) -> bytes:
    return common.deterministic_zip(tables(submission, problems))

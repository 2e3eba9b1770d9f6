"""The submission as JSON (``spec/INTERFACES.md``, "Submission as JSON"), validated in the
tests against ``data/submission.schema.json``.

Counts, scores, option codes and free text only; problems with counts, never names.
Question 21 (``fraga_21``) lists the training plan's grant-funded trainings of the year.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from bouv_tui.domain.needs import group_areas
from bouv_tui.domain.submission import Problem, Submission
from bouv_tui.exchange.exporters import common


def submission_document(submission: Submission, problems: Sequence[Problem]) -> dict:
    """The JSON document as a dict, keys in the form's order."""
    contact = submission.contact
    doc: dict = {
        "format": common.FORMAT,
        "format_version": common.FORMAT_VERSION,
        "redovisningsar": submission.year,
        "kontakt": {key: getattr(contact, attr) or "" for key, _label, attr in common.CONTACT_FIELDS},
        "fraga_1": {
            area: {level: int(submission.q1[area][level]) for level in common.Q1_LEVELS}
            for area in common.q1_areas()
        },
    }
    for _number, key, part in common.FIGURE_QUESTIONS:
        if part is None:
            doc[key] = submission.figure(key)
        else:
            doc[key] = {"antal": submission.figure(key), "varav_magister_master": submission.figure(part)}
    answers = submission.answers  # cleaned (questionnaire.clean_answers): every key is there
    needs = {common.need_question(group): group for group, _n, _areas in common.need_groups()}
    for number in (10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20):
        key = f"fraga_{number}"
        if key in needs:
            need = submission.needs[needs[key]]
            scores = need.scores
            doc[key] = {
                "omraden": {area: scores.get(area) for area in group_areas(need.group)},
                "annat": [{"omrade": other.label, "behov": other.score} for other in need.other],
            }
        else:
            doc[key] = _answer(key, answers)
    doc["ej_rekvirerat_utbildningsmedel"] = bool(answers["ej_rekvirerat_utbildningsmedel"])
    doc["fraga_21"] = common.q21_entries(submission)
    doc["problem"] = [
        {"allvar": p.severity, "fraga": p.question, "meddelande": p.message}
        for p in common.export_problems(submission, problems)
    ]
    return doc


def _answer(key: str, answers) -> dict:
    """The stored shape of a typed answer (``domain.questionnaire``), unanswered as null."""
    value = answers[key]
    return {field: (list(v) if isinstance(v, (list, tuple)) else v) for field, v in value.items()}


def submission_json(submission: Submission, problems: Sequence[Problem]) -> bytes:
    # ensure_ascii=None is falsy like False; every other change here fails the byte-for-byte golden test.
    text = json.dumps(submission_document(submission, problems), ensure_ascii=False, indent=2)  # pragma: no mutate
    return (text + "\n").encode("utf-8")  # pragma: no mutate ("UTF-8" names the same codec)

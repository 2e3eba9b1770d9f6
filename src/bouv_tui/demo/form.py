"""The demo's needs (questions 13 and 19) and questionnaire answers.

Last year's round is answered and every need score confirmed, with one override. This
year's is half done, as in the middle of the year: the handläggare's scores are
confirmed (one overridden, with its reason, and an "Annat" row), the arbetsledare's are
still suggestions, and the questionnaire lacks its arbetsledare part.
"""

from __future__ import annotations

from bouv_tui.domain import needs as need_model
from bouv_tui.domain.assessment import Assessment, Round, people_in_round
from bouv_tui.domain.roster import StaffMember

#: Last year's answers, complete.
ANSWERS_PREVIOUS = {
    "fraga_10": {"val": ["medarbetarsamtal"], "annan_text": None},
    "fraga_11": {"svar": "ja_delvis", "varfor_inte": None},
    "fraga_12": {"val": ["egen_regi", "universitet_hogskola", "fou"], "annat_text": None},
    "fraga_14": {"svar": "ja_till_viss_del", "annat_satt": "Ärendedragningar där nya metoder prövas"},
    "fraga_15": {"svar": "ja_hela_gruppen"},
    "fraga_16": {"svar": "arligen"},
    "fraga_17": {"svar": "nej", "varfor_inte": "Vakanser i chefsgruppen under hösten"},
    "fraga_18": {"val": ["narliggande_kommun", "skr_forbund"], "annat_text": None},
    "fraga_20": {"svar": "ja", "annat_satt": None},
    "ej_rekvirerat_utbildningsmedel": False,
}

#: This year's answers so far: the handläggare part only.
ANSWERS_CURRENT = {
    "fraga_10": {"val": ["medarbetarsamtal", "annan"], "annan_text": "Kollegial granskning av utredningar"},
    "fraga_11": {"svar": "ja_helt", "varfor_inte": None},
    "fraga_12": {"val": ["egen_regi", "fou", "annat"], "annat_text": "Webbutbildning från Socialstyrelsen"},
    "fraga_14": {"svar": "ja", "annat_satt": None},
}

OVERRIDE_REASON = "Ny lagstiftning under året kräver mer utbildning än bedömningarna visar"


def _confirm(rows, override_area: str | None):
    choices = []
    for row in rows:
        if row.suggestion is None:
            continue
        if row.area == override_area:
            score = min(5, row.suggestion.score + 1)
            choices.append(need_model.make_choice(row, score, OVERRIDE_REASON))
        else:
            choices.append(need_model.make_choice(row, row.suggestion.score))
    return choices


def write_form(
    repo,
    staff: list[StaffMember],
    rounds: tuple[Round, Round],
    assessments: dict[int, list[Assessment]],
    model,
) -> None:
    previous, current = rounds
    for round_, answers, groups in (
        (previous, ANSWERS_PREVIOUS, ("handlaggare", "arbetsledare")),
        (current, ANSWERS_CURRENT, ("handlaggare",)),
    ):
        with repo.transaction():
            rows = need_model.need_rows_by_group(people_in_round(staff, round_), assessments[round_.id], (), model)
            choices = []
            for group in groups:
                override = "regelverk" if group == "handlaggare" else None
                choices += _confirm(rows[group], override)
            repo.save_need_choices(round_.id, choices)
            repo.save_need_others(
                round_.id, "handlaggare", [need_model.make_other("handlaggare", 1, "Hedersrelaterat våld och förtryck", 4)]
            )
            repo.save_answers(round_.id, answers)

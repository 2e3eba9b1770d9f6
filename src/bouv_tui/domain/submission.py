"""The submission to Socialstyrelsen for one reporting year (``spec/FORM.md``): questions
1–20, the contact block and the box about the grant, each answer with where it came from,
and the checks that say what keeps it from being complete or consistent.

Questions 1–9 are derived from the roster and the round (people employed on the round's
reference date); 13 and 19 from the need rows; the rest are typed in the questionnaire.
A ``Submission`` holds counts, scores and answers only; the people behind a derived figure
are kept by id in ``people`` for the screens, and never reach an export.
Question 21 and the financial report come with the training plan and the budget; they will
be further fields of ``Submission`` and further sections of the exports.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bouv_tui.domain import catalog, questionnaire
from bouv_tui.domain.assessment import (
    Assessment,
    Round,
    area_profiles,
    missing_by_area,
    people_in_round,
    valid_cells,
)
from bouv_tui.domain.needs import GROUP_QUESTION, GROUPS, MISSING, NeedChoice, NeedRow, OtherNeed, need_rows_by_group
from bouv_tui.domain.roster import StaffMember, years_before
from bouv_tui.domain.settings import MunicipalitySettings

#: Where an answer came from, as the submission screen shows it.
DERIVED, SUGGESTED, CHOSEN, TYPED = "härlett", "föreslaget", "valt", "ifyllt"

#: Team leaders with less than this many years of experience count in question 7.
Q7_YEARS = 3

ERROR, WARNING = "fel", "varning"


@dataclass(frozen=True, slots=True)
class Problem:
    """Something that keeps the submission from being complete or consistent."""

    severity: str  # ERROR or WARNING
    question: str  # "fraga_1", "kontakt", …
    message: str  # Swedish, counts only: never a name (exports print it as it is)
    #: The names of the people concerned (the handläggare not assessed in question 1), for
    #: the chef on screen and at the command line (``shown``); never exported.
    names: tuple[str, ...] = ()

    def shown(self, limit: int = 8) -> str:
        """The message with the names of the people concerned, for the chef."""
        if not self.names:
            return self.message
        listed = ", ".join(self.names[:limit])
        more = f" och {len(self.names) - limit} till" if len(self.names) > limit else ""
        return f"{self.message.removesuffix('.')} ({listed}{more})."

    @property
    def label(self) -> str:
        if self.question.startswith("fraga_"):
            return f"Fråga {self.question.removeprefix('fraga_')}"
        return {"kontakt": "Kontaktuppgifter", "omgang": "Inventering", "ekonomi": "Ekonomisk redovisning"}.get(
            self.question, self.question
        )


@dataclass(frozen=True, slots=True)
class Figure:
    """A derived count (questions 2–9) and the ids of the people behind it."""

    value: int
    people: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class NeedAnswer:
    """Question 13 or 19: one score per area (None when missing) and the "Annat" rows."""

    group: str
    rows: tuple[NeedRow, ...]
    other: tuple[OtherNeed, ...]

    @property
    def scores(self) -> dict[str, int | None]:
        return {row.area: row.score for row in self.rows}


@dataclass(frozen=True)
class Submission:
    year: int
    reference_date: object  # date
    contact: MunicipalitySettings
    #: Question 1: area → level code → count, for the 11 areas, of handläggare employed on the reference date.
    q1: dict[str, dict[str, int]]
    #: Question 1: area → how many handläggare should be assessed in it.
    q1_expected: dict[str, int]
    #: Question 1: area → ids of handläggare not assessed in it.
    q1_missing: dict[str, tuple[int, ...]]
    figures: dict[str, Figure]  # "fraga_2", "fraga_3", "fraga_3_varav", "fraga_4" … "fraga_9_varav"
    needs: dict[str, NeedAnswer]  # "handlaggare" (13), "arbetsledare" (19)
    answers: dict  # the questionnaire, cleaned (questionnaire.clean_answers)
    names: dict[int, str] = field(default_factory=dict, repr=False)  # for messages on screen only
    round_saved: bool = True  # False: there is no inventory round for the year yet
    #: Question 21: the training plan's rows (``domain.plan.question_21``); none when the
    #: grant for training was not requisitioned (the form's box).
    q21: tuple = ()

    def figure(self, key: str) -> int:
        return self.figures[key].value

    def source(self, key: str) -> str:
        """Where the answer to ``key`` comes from: derived, suggested, chosen or typed."""
        number = question_number(key)
        if number is not None and number <= 9:
            return DERIVED
        if number in GROUP_QUESTION.values():
            group = next(g for g, q in GROUP_QUESTION.items() if q == number)
            rows = self.needs[group].rows
            return CHOSEN if rows and all(r.is_confirmed for r in rows) else SUGGESTED
        return TYPED


def question_number(key: str) -> int | None:
    """12 for "fraga_12", 3 for "fraga_3_varav"; None for "kontakt" and other keys."""
    return int(key.removeprefix("fraga_").split("_")[0]) if key.startswith("fraga_") else None


def _count(people: Iterable[StaffMember], test) -> Figure:
    chosen = tuple(p.id for p in people if test(p))
    return Figure(len(chosen), chosen)


def derived_figures(caseworkers: Sequence[StaffMember], leaders: Sequence[StaffMember], on) -> dict[str, Figure]:
    """Questions 2–9 from the roster, for the people employed on ``on``."""

    # Less than three years as a leader, in calendar years: a start exactly three years before
    # the reference date is three years (days / 365,25 would make 2024-12-31 → 2027-12-31
    # 2,998 years and count it).
    since = years_before(on, Q7_YEARS)

    def new_leader(p: StaffMember) -> bool:
        start = p.experience_start
        return start is not None and start > since

    return {
        "fraga_2": _count(caseworkers, lambda p: p.continuing_training),
        "fraga_3": _count(caseworkers, lambda p: p.further_education),
        "fraga_3_varav": _count(caseworkers, lambda p: p.further_education and p.masters_degree),
        "fraga_4": _count(leaders, lambda p: True),
        "fraga_5": _count(leaders, lambda p: p.first_manager_job),
        "fraga_6": _count(leaders, lambda p: p.needs_supervision_support),
        "fraga_7": _count(leaders, new_leader),
        "fraga_8": _count(leaders, lambda p: p.continuing_training),
        "fraga_9": _count(leaders, lambda p: p.further_education),
        "fraga_9_varav": _count(leaders, lambda p: p.further_education and p.masters_degree),
    }


#: The form's texts for the questions the app derives (1–9) or scores (13, 19); the typed
#: ones (10–12, 14–18, 20) have theirs in ``domain.questionnaire``.
QUESTION_TEXTS = {
    1: "Hur många handläggare har grundläggande kompetens, fördjupad kompetens respektive saknar "
    "tillräcklig kompetens inom följande kunskapsområden?",
    2: "Hur många handläggare har fortbildning i socialt arbete?",
    3: "Hur många handläggare har vidareutbildning i socialt arbete på högskolenivå? "
    "Varav hur många har magister- eller masterexamen i socialt arbete?",
    4: "Hur många arbetsledare är i dag anställda inom den sociala barn- och ungdomsvården?",
    5: "För hur många av dessa är detta det första chefsjobbet?",
    6: "Hur många av dessa behöver kompetensutveckling för att kunna ge god ärendehandledning "
    "i det dagliga arbetet?",
    7: "Hur många av dessa har mindre än 3 års erfarenhet av socialt arbete?",
    8: "Hur många arbetsledare har fortbildning i socialt arbete på högskolenivå?",
    9: "Hur många arbetsledare har vidareutbildning i socialt arbete på högskolenivå? "
    "Varav hur många har magister- eller masterexamen i socialt arbete?",
    13: "Hur stort behov av kompetensutveckling har handläggarna inom de närmaste tre åren, per kunskapsområde? "
    "(1 = litet behov, 5 = stort behov)",
    19: "Hur stort behov av kompetensutveckling har arbetsledarna inom de närmaste tre åren, per kunskapsområde? "
    "(1 = litet behov, 5 = stort behov)",
    21: "Vilka utbildningsinsatser som helt eller delvis finansierats med årets statsbidrag har genomförts, "
    "per kunskapsområde? Ange utbildningens namn, antal deltagare, deltagarnas personalkategori, "
    "utbildningsanordnare och omfattning (högskolepoäng eller antal dagar).",
}

FIGURE_LABELS = {
    "fraga_2": "Handläggare med fortbildning i socialt arbete",
    "fraga_3": "Handläggare med vidareutbildning i socialt arbete på högskolenivå",
    "fraga_3_varav": "varav med magister- eller masterexamen",
    "fraga_4": "Arbetsledare anställda",
    "fraga_5": "varav i sitt första chefsjobb",
    "fraga_6": "varav behöver kompetensutveckling för att ge ärendehandledning",
    "fraga_7": "varav med mindre än 3 års erfarenhet av socialt arbete",
    "fraga_8": "Arbetsledare med fortbildning i socialt arbete på högskolenivå",
    "fraga_9": "Arbetsledare med vidareutbildning i socialt arbete på högskolenivå",
    "fraga_9_varav": "varav med magister- eller masterexamen",
}


def build(
    round_: Round,
    contact: MunicipalitySettings,
    staff: Sequence[StaffMember],
    assessments: Iterable[Assessment],
    choices: Iterable[NeedChoice],
    others: Iterable[OtherNeed],
    answers: Mapping,
    model,
    *,
    round_saved: bool = True,
    q21: Iterable = (),
) -> Submission:
    """The submission for ``round_`` from everything the app holds about that year
    (``q21``: question 21's rows from the training plan)."""
    people = people_in_round(staff, round_)
    caseworkers = [p for p in people if p.is_caseworker]
    leaders = [p for p in people if p.is_team_leader]
    cells = valid_cells(people, assessments)  # once: tens of thousands at national scale
    q1_areas = catalog.CASEWORKER_AREAS.codes()
    cw_profiles = area_profiles(caseworkers, cells=cells)
    missing = missing_by_area(caseworkers, cells=cells)
    others = sorted(others, key=lambda o: o.position)
    needs = {
        group: NeedAnswer(group, tuple(rows), tuple(o for o in others if o.group == group))
        for group, rows in need_rows_by_group(people, choices=choices, model=model, cells=cells).items()
    }
    cleaned = questionnaire.clean_answers(answers)
    return Submission(
        year=round_.year,
        reference_date=round_.reference_date,
        contact=contact,
        q1={area: dict(cw_profiles[area].counts) for area in q1_areas},
        q1_expected={area: cw_profiles[area].expected for area in q1_areas},
        q1_missing={area: tuple(p.id for p in missing.get(area, ())) for area in q1_areas},
        figures=derived_figures(caseworkers, leaders, round_.reference_date),
        needs=needs,
        answers=cleaned,
        names={p.id: p.name for p in people},
        round_saved=round_saved,
        q21=() if cleaned["ej_rekvirerat_utbildningsmedel"] else tuple(q21),
    )


def check(submission: Submission) -> list[Problem]:
    """Everything that keeps the submission from being complete or consistent, in question order."""
    problems: list[Problem] = []
    contact = submission.contact
    for value, what in (
        (contact.kommun, "kommunens namn"),
        (contact.contact_name, "uppgiftslämnarens namn"),
        (contact.email, "e-post"),
        (contact.phone, "telefon"),
    ):
        if not value:
            problems.append(Problem(ERROR, "kontakt", f"Kontaktuppgifterna saknar {what} (ändras under Inställningar)."))

    if not submission.round_saved:
        problems.append(
            Problem(ERROR, "omgang", f"Det finns ingen inventeringsomgång för {submission.year} (Bedömning, F4).")
        )
    if not any(submission.q1_expected.values()):
        problems.append(Problem(ERROR, "fraga_1", "Inga handläggare är anställda på inventeringens referensdatum."))
    for area, ids in submission.q1_missing.items():
        if ids:
            label = catalog.AREAS.label(area)
            problems.append(
                Problem(
                    ERROR,
                    "fraga_1",
                    f"{label}: {len(ids)} av {submission.q1_expected[area]} handläggare är inte bedömda.",
                    tuple(sorted(submission.names.get(i, "?") for i in ids)),
                )
            )

    for total, part in (("fraga_3", "fraga_3_varav"), ("fraga_9", "fraga_9_varav")):
        if submission.figure(part) > submission.figure(total):
            problems.append(Problem(ERROR, total, "Varav-uppgiften är större än totalen."))
    for key in ("fraga_5", "fraga_6", "fraga_7", "fraga_8", "fraga_9"):
        if submission.figure(key) > submission.figure("fraga_4"):
            problems.append(Problem(ERROR, key, "Uppgiften är större än antalet arbetsledare (fråga 4)."))

    for question in questionnaire.QUESTIONS:
        if question.number is not None:  # the grant box is always an answer
            problems.extend(_answer_problems(question, submission.answers))
    for group in GROUPS:
        problems.extend(_need_problems(submission.needs[group]))
    problems.extend(_q21_problems(submission.q21))
    return sorted(problems, key=_order)  # stable: in question order, each question's as found


def _q21_problems(rows) -> list[Problem]:
    """A warning for each training in question 21 whose provider type or extent is not known
    (the form asks for both): once a training, however many areas it is listed under."""
    problems = []
    seen = set()
    for row in rows:
        if row.training in seen:
            continue
        seen.add(row.training)
        missing = [what for what, known in (("anordnartyp", row.provider_type), ("omfattning", row.extent)) if not known]
        if missing:
            problems.append(
                Problem(WARNING, "fraga_21", f"”{row.training}” saknar {' och '.join(missing)} (utbildningsplanen, F8).")
            )
    return problems


def _order(problem: Problem) -> tuple:
    # Only the order of the keys counts, not their values: mutmut's 1 -> 2 in a rank, or 99 ->
    # 100 for a key without a number (questions go up to 21), are equivalents.
    if problem.question in ("omgang", "kontakt"):
        return (0, 0 if problem.question == "omgang" else 1)  # pragma: no mutate
    number = question_number(problem.question)
    rank = number if number is not None else _AFTER_THE_QUESTIONS
    return (1, rank)  # pragma: no mutate


#: Where a problem of a key without a question number goes: after question 21.
_AFTER_THE_QUESTIONS = 99  # pragma: no mutate (any number above 21 sorts the same)


def _answer_problems(question: questionnaire.Question, answers: Mapping) -> list[Problem]:
    answer = answers.get(question.key)
    if questionnaire.is_skipped(question.key, answers):
        return []
    if not questionnaire.is_answered(question, answer):
        return [Problem(ERROR, question.key, "Frågan är inte besvarad.")]
    if question in questionnaire.missing_texts(answers):
        return [Problem(WARNING, question.key, f"”{question.text_label}” är inte ifyllt.")]
    return []


def _need_problems(need: NeedAnswer) -> list[Problem]:
    key = f"fraga_{GROUP_QUESTION[need.group]}"
    problems = []
    missing = [r for r in need.rows if r.status == MISSING]
    if missing:
        areas = ", ".join(catalog.AREAS.label(r.area) for r in missing)
        problems.append(Problem(ERROR, key, f"Behov saknas för {areas}."))
    unconfirmed = [r for r in need.rows if r.score is not None and not r.is_confirmed]
    if unconfirmed:
        problems.append(
            Problem(
                WARNING,
                key,
                f"{len(unconfirmed)} behov är förslag som inte är bekräftade (Behov, F5: A bekräftar alla förslag).",
            )
        )
    for other in need.other:
        if not other.label:
            problems.append(Problem(ERROR, key, f"Raden ”Annat” {other.position} saknar område."))
        if other.score is None:
            problems.append(Problem(ERROR, key, f"”{other.label}” saknar behov."))
    return problems


def has_errors(problems: Iterable[Problem]) -> bool:
    return any(p.severity == ERROR for p in problems)

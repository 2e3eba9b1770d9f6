"""The typed questions of the form (10, 11, 12, 14–18, 20 and the "not requisitioned" box)
and the form's logic between them (``spec/FORM.md``).

Answers are kept as one plain mapping per reporting year, question key → value, so the
store keeps them as JSON and the exports write them as they are:

- ``fraga_10``: ``{"val": [codes], "annan_text": str | None}``
- ``fraga_11``, ``fraga_17``: ``{"svar": code | None, "varfor_inte": str | None}``
- ``fraga_12``, ``fraga_18``: ``{"val": [codes], "annat_text": str | None}``
- ``fraga_14``, ``fraga_20``: ``{"svar": code | None, "annat_satt": str | None}``
- ``fraga_15``, ``fraga_16``: ``{"svar": code | None}``
- ``ej_rekvirerat_utbildningsmedel``: bool
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from bouv_tui.domain.catalog import Catalogue, Entry


@dataclass(frozen=True, slots=True)
class Question:
    key: str  # "fraga_11"
    number: int | None  # 11, or None for the box
    text: str  # the question as the form asks it
    kind: str  # "single" (one option), "multi" (checkboxes) or "flag" (one box)
    options: Catalogue
    #: The free-text field beside the options, and when it applies: "always", or an option
    #: code that must be chosen for the text to be asked (e.g. "nej" for "why not").
    text_field: str | None = None
    text_label: str = ""
    text_when: str = "always"
    #: An option that excludes all the others ("Ingen kompetensutveckling har genomförts").
    exclusive: str | None = None
    group: str = "handlaggare"  # whose part of the form: "handlaggare", "arbetsledare" or "bidrag"


ORGANISED = Catalogue(
    [
        Entry("egen_regi", "I egen regi"),
        Entry("narliggande_kommun", "I samverkan med närliggande kommun/-er"),
        Entry("universitet_hogskola", "I samverkan med universitet/högskola"),
        Entry("fou", "Genom FoU-enheter"),
        Entry("konsult", "Genom konsultinsatser"),
        Entry("skr_forbund", "Genom SKR (tidigare SKL), region- eller kommunalförbund"),
        Entry("annat", "På annat sätt"),
        Entry("ingen", "Ingen kompetensutveckling har genomförts"),
    ]
)

PUT_TO_USE = Catalogue([Entry("ja", "Ja"), Entry("ja_till_viss_del", "Ja, till viss del"), Entry("nej", "Nej")])

QUESTIONS: tuple[Question, ...] = (
    Question(
        "fraga_10",
        10,
        "Hur följer ni upp att handläggarna har tillräckliga kunskaper och färdigheter inom "
        "kunskapsområdena i SOSFS 2006:14?",
        "multi",
        Catalogue(
            [
                Entry("medarbetarsamtal", "Genom minst årliga medarbetar- eller utvecklingssamtal"),
                Entry("annan", "På annat sätt"),
            ]
        ),
        text_field="annan_text",
        text_label="På annat sätt, nämligen",
        text_when="annan",
    ),
    Question(
        "fraga_11",
        11,
        "Har kompetensutvecklingen för handläggare kunnat genomföras som planerat under året?",
        "single",
        Catalogue(
            [
                Entry("ja_helt", "Ja, helt"),
                Entry("ja_delvis", "Ja, delvis"),
                Entry("nej", "Nej"),
                Entry("vet_ej", "Vet ej"),
            ]
        ),
        text_field="varfor_inte",
        text_label="Om nej, varför inte?",
        text_when="nej",
    ),
    Question(
        "fraga_12",
        12,
        "Hur har kompetensutvecklingen för handläggare organiserats under året? (flera svar möjliga)",
        "multi",
        ORGANISED,
        text_field="annat_text",
        text_label="På annat sätt, nämligen",
        text_when="annat",
        exclusive="ingen",
    ),
    Question(
        "fraga_14",
        14,
        "Tas genomförd kompetensutveckling för handläggare tillvara, t.ex. genom avsatt tid för att "
        "öva, läsa in och tillämpa?",
        "single",
        PUT_TO_USE,
        text_field="annat_satt",
        text_label="Andra sätt att ta tillvara kompetensutvecklingen",
    ),
    Question(
        "fraga_15",
        15,
        "Finns det den 31 december en gemensam plan för arbetsledarnas kompetensutveckling?",
        "single",
        Catalogue(
            [
                Entry("ja_varje_chef", "Ja, för varje chef"),
                Entry("ja_hela_gruppen", "Ja, för hela chefsgruppen"),
                Entry("nej", "Nej"),
            ]
        ),
        group="arbetsledare",
    ),
    Question(
        "fraga_16",
        16,
        "Hur ofta följs planerna upp?",
        "single",
        Catalogue(
            [
                Entry("arligen", "Årligen"),
                Entry("vartannat_ar", "Vartannat år"),
                Entry("mer_sallan", "Mer sällan"),
                Entry("vet_ej", "Vet ej"),
            ]
        ),
        group="arbetsledare",
    ),
    Question(
        "fraga_17",
        17,
        "Har planerad kompetensutveckling för arbetsledare kunnat genomföras under året?",
        "single",
        Catalogue([Entry("ja", "Ja"), Entry("nej", "Nej"), Entry("vet_ej", "Vet ej")]),
        text_field="varfor_inte",
        text_label="Om nej, varför inte?",
        text_when="nej",
        group="arbetsledare",
    ),
    Question(
        "fraga_18",
        18,
        "Hur har kompetensutvecklingen för arbetsledare organiserats under året? (flera svar möjliga)",
        "multi",
        ORGANISED,
        text_field="annat_text",
        text_label="På annat sätt, nämligen",
        text_when="annat",
        exclusive="ingen",
        group="arbetsledare",
    ),
    Question(
        "fraga_20",
        20,
        "Tas genomförd kompetensutveckling för arbetsledare tillvara?",
        "single",
        PUT_TO_USE,
        text_field="annat_satt",
        text_label="Andra sätt att ta tillvara kompetensutvecklingen",
        group="arbetsledare",
    ),
    Question(
        "ej_rekvirerat_utbildningsmedel",
        None,
        "Vi har inte rekvirerat statsbidrag för utbildningsinsatser",
        "flag",
        Catalogue([]),
        group="bidrag",
    ),
)

BY_KEY: dict[str, Question] = {q.key: q for q in QUESTIONS}

#: Questions 16 and 17 are skipped when question 15 is answered Nej.
SKIPPED_WHEN_NO_PLAN = ("fraga_16", "fraga_17")

#: Longest free text kept in an answer (the web form's fields are short).
MAX_TEXT = 500


def empty_answer(question: Question):
    if question.kind == "flag":
        return False
    if question.kind == "multi":
        return {"val": [], question.text_field: None}
    answer: dict = {"svar": None}
    if question.text_field:
        answer[question.text_field] = None
    return answer


def empty_answers() -> dict:
    return {q.key: empty_answer(q) for q in QUESTIONS}


def chosen_codes(question: Question, answer) -> list:
    """The options chosen in an answer (one or none for a single-choice question)."""
    if not answer:
        return []
    return list(answer.get("val") or []) if question.kind == "multi" else [answer.get("svar")]


def text_applies(question: Question, answer) -> bool:
    """Whether the question's free text is asked with this answer: always, or only when its
    option is chosen ("Nej" → why not, "På annat sätt" → how)."""
    return bool(question.text_field) and (
        question.text_when == "always" or question.text_when in chosen_codes(question, answer)
    )


class AnswerError(ValueError):
    """A value that no answer to the question can have; the message is Swedish and names the question."""


def _text(value, question: Question) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise AnswerError(f"Fråga {question.number}: {question.text_label.lower()} ska vara text.")
    value = " ".join(value.split())  # one line, no control characters
    if len(value) > MAX_TEXT:
        raise AnswerError(f"Fråga {question.number}: texten är längre än {MAX_TEXT} tecken.")
    return value or None


def clean_answer(question: Question, value):
    """The answer in its stored shape, with the form's logic applied inside the question:
    a text that does not apply is dropped, and an exclusive option ("Ingen …") is kept only
    on its own. Raises ``AnswerError`` for a value the question cannot have."""
    if question.kind == "flag":
        if not isinstance(value, bool):
            raise AnswerError("Rutan om statsbidrag ska vara ja eller nej.")
        return value
    if not isinstance(value, Mapping):
        raise AnswerError(f"Fråga {question.number}: okänt svar.")
    codes = question.options.codes()
    # Equivalent when mutated to always read: a question without a text field reads None.
    text = _text(value.get(question.text_field), question) if question.text_field else None  # pragma: no mutate
    if question.kind == "multi":
        chosen = value.get("val") or []
        if isinstance(chosen, str) or not all(isinstance(c, str) for c in chosen):
            raise AnswerError(f"Fråga {question.number}: okänt svar.")
        unknown = [c for c in chosen if c not in codes]
        if unknown:
            raise AnswerError(f"Fråga {question.number}: okänt alternativ {unknown[0]!r}.")
        chosen = [c for c in codes if c in chosen]  # form order, each once
        if question.exclusive in chosen and len(chosen) > 1:
            raise AnswerError(
                f"Fråga {question.number}: ”{question.options.label(question.exclusive)}” "
                "kan inte kombineras med andra alternativ."
            )
        if not text_applies(question, {"val": chosen}):
            text = None
        return {"val": chosen, question.text_field: text}
    answer = value.get("svar")
    if answer is not None and answer not in codes:
        raise AnswerError(f"Fråga {question.number}: okänt alternativ {answer!r}.")
    cleaned: dict = {"svar": answer}
    if question.text_field:
        cleaned[question.text_field] = text if text_applies(question, cleaned) else None
    return cleaned


def clean_answers(answers: Mapping) -> dict:
    """Every question's answer in its stored shape (missing ones empty), with the logic
    between questions applied: 16 and 17 are emptied when 15 is Nej."""
    cleaned = empty_answers()
    for key, value in answers.items():
        question = BY_KEY.get(key)
        if question is None:
            continue  # an answer to a question this version does not ask
        cleaned[key] = clean_answer(question, value)
    if is_skipped("fraga_16", cleaned):
        for key in SKIPPED_WHEN_NO_PLAN:
            cleaned[key] = empty_answer(BY_KEY[key])
    return cleaned


def is_skipped(key: str, answers: Mapping) -> bool:
    """True when the form's logic skips the question (16–17 when 15 is Nej)."""
    if key in SKIPPED_WHEN_NO_PLAN:
        return (answers.get("fraga_15") or {}).get("svar") == "nej"
    return False


def is_answered(question: Question, answer) -> bool:
    if question.kind == "flag":
        return True  # an unticked box is an answer
    if question.kind == "multi":
        return bool(answer and answer.get("val"))
    return bool(answer and answer.get("svar"))


def unanswered(answers: Mapping) -> list[Question]:
    """The questions still to answer (skipped ones do not count)."""
    return [
        q for q in QUESTIONS if not is_skipped(q.key, answers) and not is_answered(q, answers.get(q.key))
    ]


def missing_texts(answers: Mapping) -> list[Question]:
    """Questions where an option that asks for a text ("Nej" → why, "På annat sätt" → how)
    was chosen without the text."""
    missing = []
    for q in QUESTIONS:
        answer = answers.get(q.key)
        if q.text_when == "always" or is_skipped(q.key, answers):
            continue
        if text_applies(q, answer) and not answer.get(q.text_field):
            missing.append(q)
    return missing

"""The typed questions and the form's logic (FORM.md, questions 10–20)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bouv_tui.domain import questionnaire as q


def test_every_question_of_the_form_is_there_once_in_order():
    numbers = [question.number for question in q.QUESTIONS if question.number is not None]
    assert numbers == [10, 11, 12, 14, 15, 16, 17, 18, 20]
    assert "ej_rekvirerat_utbildningsmedel" in q.BY_KEY


def test_empty_answers_are_all_unanswered_except_the_box():
    answers = q.empty_answers()
    assert [x.key for x in q.unanswered(answers)] == [f"fraga_{n}" for n in (10, 11, 12, 14, 15, 16, 17, 18, 20)]


def test_why_not_is_kept_only_with_nej():
    question = q.BY_KEY["fraga_11"]
    assert q.clean_answer(question, {"svar": "ja_helt", "varfor_inte": "x"}) == {"svar": "ja_helt", "varfor_inte": None}
    assert q.clean_answer(question, {"svar": "nej", "varfor_inte": " Brist på\nvikarier "}) == {
        "svar": "nej",
        "varfor_inte": "Brist på vikarier",
    }


def test_nej_without_why_is_a_missing_text():
    answers = {**q.empty_answers(), "fraga_11": {"svar": "nej", "varfor_inte": None}}
    assert q.BY_KEY["fraga_11"] in q.missing_texts(answers)


def test_ingen_excludes_the_other_options():
    question = q.BY_KEY["fraga_12"]
    with pytest.raises(q.AnswerError, match="Fråga 12"):
        q.clean_answer(question, {"val": ["ingen", "egen_regi"]})
    assert q.clean_answer(question, {"val": ["ingen"]})["val"] == ["ingen"]


def test_options_come_back_in_form_order_once_and_the_other_text_only_with_annat():
    question = q.BY_KEY["fraga_18"]
    cleaned = q.clean_answer(question, {"val": ["fou", "egen_regi", "fou"], "annat_text": "x"})
    assert cleaned == {"val": ["egen_regi", "fou"], "annat_text": None}
    cleaned = q.clean_answer(question, {"val": ["annat"], "annat_text": "Nätverksträffar"})
    assert cleaned["annat_text"] == "Nätverksträffar"


def test_no_plan_skips_16_and_17_and_empties_them():
    answers = q.clean_answers(
        {"fraga_15": {"svar": "nej"}, "fraga_16": {"svar": "arligen"}, "fraga_17": {"svar": "nej", "varfor_inte": "x"}}
    )
    assert answers["fraga_16"] == {"svar": None}
    assert answers["fraga_17"] == {"svar": None, "varfor_inte": None}
    assert q.is_skipped("fraga_16", answers) and q.is_skipped("fraga_17", answers)
    assert "fraga_16" not in [x.key for x in q.unanswered(answers)]


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("fraga_11", {"svar": "kanske"}, "okänt alternativ"),
        ("fraga_12", {"val": ["x"]}, "okänt alternativ"),
        ("fraga_12", {"val": "egen_regi"}, "okänt svar"),
        ("fraga_14", "ja", "okänt svar"),
        ("fraga_14", {"svar": "ja", "annat_satt": 5}, "text"),
        ("fraga_14", {"svar": "ja", "annat_satt": "x" * 501}, "500"),
        ("ej_rekvirerat_utbildningsmedel", "ja", "ja eller nej"),
    ],
)
def test_impossible_answers_are_refused_in_swedish(key, value, message):
    with pytest.raises(q.AnswerError, match=message):
        q.clean_answer(q.BY_KEY[key], value)


def test_answers_to_unknown_questions_are_dropped():
    assert "fraga_99" not in q.clean_answers({"fraga_99": {"svar": "ja"}})


@given(
    st.dictionaries(
        st.sampled_from([x.key for x in q.QUESTIONS]),
        st.one_of(
            st.fixed_dictionaries(
                {"svar": st.one_of(st.none(), st.sampled_from(["ja", "nej", "ja_helt", "vet_ej", "arligen"]))},
                optional={"varfor_inte": st.one_of(st.none(), st.text(max_size=20))},
            ),
            st.fixed_dictionaries({"val": st.lists(st.sampled_from(q.ORGANISED.codes()), max_size=3)}),
            st.booleans(),
        ),
    )
)
def test_cleaning_is_stable_or_refuses(raw):
    try:
        cleaned = q.clean_answers(raw)
    except q.AnswerError as exc:
        assert str(exc)
        return
    assert q.clean_answers(cleaned) == cleaned
    assert set(cleaned) == set(q.BY_KEY)


@pytest.mark.parametrize("key, field", [("fraga_14", "annat_satt"), ("fraga_11", "varfor_inte")])
def test_a_free_text_of_500_characters_is_kept_and_one_of_501_refused(key, field):
    question = q.BY_KEY[key]
    answer = "nej" if key == "fraga_11" else "ja"
    assert q.clean_answer(question, {"svar": answer, field: "x" * 500})[field] == "x" * 500
    with pytest.raises(q.AnswerError, match=f"Fråga {question.number}: texten är längre än 500 tecken"):
        q.clean_answer(question, {"svar": answer, field: "x" * 501})
    # The length is counted after spaces and line breaks are folded.
    assert q.clean_answer(question, {"svar": answer, field: "  " + "x\n" * 250})[field] == " ".join("x" * 250)


# --- what the user reads, whole, and the logic's order (mutation survivors) ---------------


def _refusal(key, value) -> str:
    with pytest.raises(q.AnswerError) as caught:
        q.clean_answer(q.BY_KEY[key], value)
    return str(caught.value)


def test_each_refusal_is_the_whole_swedish_sentence():
    assert _refusal("ej_rekvirerat_utbildningsmedel", "ja") == "Rutan om statsbidrag ska vara ja eller nej."
    assert _refusal("fraga_14", {"svar": "ja", "annat_satt": 5}) == (
        "Fråga 14: andra sätt att ta tillvara kompetensutvecklingen ska vara text."
    )
    assert _refusal("fraga_12", {"val": ["ingen", q.BY_KEY["fraga_12"].options.codes()[0]]}) == (
        "Fråga 12: ”Ingen kompetensutveckling har genomförts” kan inte kombineras med andra alternativ."
    )


def test_an_answer_to_an_unknown_question_does_not_stop_the_ones_after_it():
    cleaned = q.clean_answers({"fraga_99": {"svar": "ja"}, "fraga_11": {"svar": "ja_helt"}})
    assert cleaned["fraga_11"] == {"svar": "ja_helt", "varfor_inte": None}


def test_a_missing_text_is_found_after_questions_that_always_have_one():
    """Question 17 comes after 14–16, whose text is always optional: Nej without why is missing."""
    answers = q.clean_answers({"fraga_15": {"svar": "ja_varje_chef"}, "fraga_17": {"svar": "nej"}})
    assert [x.key for x in q.missing_texts(answers)] == ["fraga_17"]
    answers = q.clean_answers({"fraga_15": {"svar": "ja_varje_chef"}, "fraga_18": {"val": ["annat"]}})
    assert [x.key for x in q.missing_texts(answers)] == ["fraga_18"]


def test_a_skipped_question_never_misses_its_text():
    """Question 17 is skipped when 15 is Nej: its Nej without why is not asked for (raw answers,
    before clean_answers empties it)."""
    raw = {**q.empty_answers(), "fraga_15": {"svar": "nej"}, "fraga_17": {"svar": "nej", "varfor_inte": None}}
    assert "fraga_17" not in [x.key for x in q.missing_texts(raw)]
    raw["fraga_15"] = {"svar": "ja_varje_chef"}
    assert "fraga_17" in [x.key for x in q.missing_texts(raw)]

"""The need-score suggestion (questions 13 and 19) against the national 2013 figures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bouv_tui.config import NeedModel
from bouv_tui.domain import national
from bouv_tui.domain.assessment import AreaProfile
from bouv_tui.domain.needs import model_value, suggest, whole_score

MODEL = NeedModel()


def profile(basic: int, advanced: int, lacking: int, area: str = "utredning") -> AreaProfile:
    counts = {"grundlaggande": basic, "fordjupad": advanced, "saknar": lacking}
    return AreaProfile(area, counts, sum(counts.values()))


@pytest.mark.parametrize("area", national.competence_areas())
def test_the_model_on_each_areas_national_shares_lands_near_the_national_mean(area):
    # Table 3's counts give the shares; table 6's mean is what municipalities scored.
    national_profile = national.caseworker_profile(area)
    suggestion = suggest(national_profile, MODEL)
    _shares, mean = national.need_distribution(area, "handlaggare")
    assert abs(suggestion.value - mean) <= 0.3, (area, suggestion.value, mean)


def test_more_lacking_means_more_need_and_more_advanced_less():
    low = suggest(profile(8, 2, 0), MODEL)
    high = suggest(profile(4, 0, 6), MODEL)
    assert high.value > low.value
    assert high.score >= 4 and low.score <= 3


def test_nobody_assessed_gives_no_suggestion():
    assert suggest(profile(0, 0, 0), MODEL) is None


def test_the_coefficients_come_from_the_configuration():
    flat = NeedModel(intercept=2.0, lacking=0.0, advanced=0.0)
    assert suggest(profile(1, 1, 8), flat).score == 2


def test_the_reason_says_what_the_suggestion_rests_on():
    text = suggest(profile(6, 2, 4), MODEL).reason()
    assert text.startswith("12 bedömda")
    assert "33,3\u00a0% saknar" in text and "16,7\u00a0% fördjupad" in text


@given(
    st.integers(0, 500), st.integers(0, 500), st.integers(0, 500),
    st.floats(-10, 10), st.floats(-10, 10), st.floats(-10, 10),
)  # fmt: skip
def test_a_suggestion_is_always_a_whole_score_from_1_to_5(basic, advanced, lacking, a, b, c):
    suggestion = suggest(profile(basic, advanced, lacking), NeedModel(a, b, c))
    if basic + advanced + lacking == 0:
        assert suggestion is None
    else:
        assert suggestion.score in {1, 2, 3, 4, 5}
        assert 1.0 <= suggestion.value <= 5.0
        assert abs(suggestion.score - suggestion.value) <= 0.5


def test_whole_scores_round_half_up_and_stay_on_the_scale():
    assert [whole_score(v) for v in (1.0, 1.49, 2.5, 4.6, 5.0)] == [1, 1, 3, 5, 5]
    assert model_value(1.0, 0.0, MODEL) == 5.0 and model_value(0.0, 1.0, MODEL) == 1.32


# --- need rows and the chef's choices --------------------------------------------------------

from bouv_tui.domain.needs import (  # noqa: E402
    CONFIRMED,
    MISSING,
    OVERRIDDEN,
    SUGGESTED,
    ChoiceError,
    group_areas,
    make_choice,
    make_other,
    need_rows,
)


def test_the_groups_have_the_forms_areas_in_its_order():
    assert len(group_areas("handlaggare")) == 11
    assert group_areas("arbetsledare")[:2] == ("ledarskap", "grupprocesser")
    assert group_areas("arbetsledare")[2:] == group_areas("handlaggare")
    with pytest.raises(ValueError, match="unknown group: chefer"):
        group_areas("chefer")


def test_a_row_is_a_suggestion_until_the_chef_sets_it():
    profiles = {"utredning": profile(6, 2, 2)}
    rows = {r.area: r for r in need_rows("handlaggare", profiles, [], MODEL)}
    assert rows["utredning"].status == SUGGESTED
    assert rows["utredning"].score == rows["utredning"].suggestion.score
    assert not rows["utredning"].is_confirmed
    # No assessments in an area: no suggestion, no score.
    assert rows["samtal"].status == MISSING and rows["samtal"].score is None


def test_confirming_keeps_no_reason_and_overriding_needs_one():
    row = need_rows("handlaggare", {"utredning": profile(6, 2, 2)}, [], MODEL)[1]
    suggested = row.suggestion.score
    confirmed = make_choice(row, suggested, "ignored when it agrees")
    assert confirmed.reason == "" and confirmed.suggested == suggested
    other = 5 if suggested != 5 else 1
    with pytest.raises(ChoiceError, match="varför"):
        make_choice(row, other)
    with pytest.raises(ChoiceError, match="1 till 5"):
        make_choice(row, 6, "x")
    with pytest.raises(ChoiceError, match="1 till 5"):
        make_choice(row, True, "x")
    chosen = make_choice(row, other, "  Ny  lag\n i år ")
    assert chosen.reason == "Ny lag i år"
    (after,) = [r for r in need_rows("handlaggare", {"utredning": profile(6, 2, 2)}, [chosen], MODEL) if r.area == "utredning"]
    assert after.status == OVERRIDDEN and after.score == other
    (again,) = [r for r in need_rows("handlaggare", {"utredning": profile(6, 2, 2)}, [confirmed], MODEL) if r.area == "utredning"]
    assert again.status == CONFIRMED and not again.suggestion_changed


def test_a_score_set_without_a_suggestion_needs_a_reason():
    row = need_rows("arbetsledare", {}, [], MODEL)[0]
    assert row.status == MISSING
    with pytest.raises(ChoiceError):
        make_choice(row, 3)
    assert make_choice(row, 3, "Ingen arbetsledare är bedömd ännu").score == 3


def test_a_changed_suggestion_is_noticed():
    profiles = {"utredning": profile(6, 2, 2)}
    row = [r for r in need_rows("handlaggare", profiles, [], MODEL) if r.area == "utredning"][0]
    choice = make_choice(row, row.suggestion.score)
    worse = {"utredning": profile(1, 0, 9)}
    (later,) = [r for r in need_rows("handlaggare", worse, [choice], MODEL) if r.area == "utredning"]
    assert later.suggestion_changed and later.status == OVERRIDDEN


def test_other_rows_are_checked():
    assert make_other("handlaggare", 1, "  Hedersrelaterat   våld ", 4).label == "Hedersrelaterat våld"
    for position, label, score in ((0, "x", 3), (5, "x", 3), (1, "", 3), (1, "x", 0), (1, "x" * 101, 3)):
        with pytest.raises(ChoiceError):
            make_other("handlaggare", position, label, score)


def test_a_reason_of_200_characters_is_kept_and_one_of_201_refused():
    row = need_rows("arbetsledare", {}, [], MODEL)[0]  # no suggestion: any score needs a reason
    assert make_choice(row, 3, "x" * 200).reason == "x" * 200
    with pytest.raises(ChoiceError, match="högst 200 tecken"):
        make_choice(row, 3, "x" * 201)
    # Spaces are folded before the length is counted.
    assert len(make_choice(row, 3, "  " + "x " * 99 + "x  ").reason) == 199


def test_four_annat_rows_are_allowed_and_a_fifth_is_refused():
    assert [make_other("arbetsledare", p, f"Område {p}", 3).position for p in (1, 2, 3, 4)] == [1, 2, 3, 4]
    for position in (0, 5):
        with pytest.raises(ChoiceError, match="Högst 4 rader"):
            make_other("arbetsledare", position, "Område", 3)


def test_an_annat_label_of_100_characters_is_kept_and_one_of_101_refused():
    assert make_other("handlaggare", 1, "x" * 100, None).label == "x" * 100
    with pytest.raises(ChoiceError, match="högst 100 tecken"):
        make_other("handlaggare", 1, "x" * 101, None)


@pytest.mark.parametrize("score", [1, 5, None])
def test_an_annat_score_on_the_scale_or_none_is_kept(score):
    assert make_other("handlaggare", 1, "x", score).score == score


@pytest.mark.parametrize("score", [0, 6, True])
def test_an_annat_score_off_the_scale_is_refused(score):
    with pytest.raises(ChoiceError, match="1 till 5"):
        make_other("handlaggare", 1, "x", score)


# --- what the user reads: every message whole, and the reason's figures (mutation survivors) ---


def _message(call) -> str:
    with pytest.raises(ChoiceError) as caught:
        call()
    return str(caught.value)


def test_each_refusal_says_in_full_what_to_do():
    row = need_rows("arbetsledare", {}, [], MODEL)[0]  # no suggestion
    suggested = need_rows("handlaggare", {"utredning": profile(6, 2, 2)}, [], MODEL)
    suggested = next(r for r in suggested if r.area == "utredning")
    other_score = 5 if suggested.suggestion.score != 5 else 4
    assert _message(lambda: make_choice(row, 0)) == "Behovet ska vara ett heltal från 1 till 5."
    assert _message(lambda: make_choice(suggested, other_score)) == (
        "Skriv kort varför du väljer ett annat behov än förslaget."
    )
    assert _message(lambda: make_other("handlaggare", 1, "  ", 3)) == "Ange vad området ”Annat” gäller."
    assert _message(lambda: make_other("handlaggare", 1, "x" * 101, 3)) == "Området ”Annat” får vara högst 100 tecken."
    assert _message(lambda: make_other("handlaggare", 1, "x", 6)) == "Behovet ska vara ett heltal från 1 till 5."
    assert _message(lambda: make_other("handlaggare", 5, "x", 3)) == "Högst 4 rader ”Annat” per grupp."


def test_the_reason_gives_the_models_value_with_one_decimal():
    s = suggest(profile(6, 2, 4), MODEL)
    assert s.area == "utredning"
    value = MODEL.intercept + MODEL.lacking * 4 / 12 + MODEL.advanced * 2 / 12
    expected = f"{value:.1f}".replace(".", ",")
    assert s.reason() == f"12 bedömda: 33,3\u00a0% saknar, 16,7\u00a0% fördjupad → {expected}"


def test_a_profile_without_one_of_its_shares_gives_no_suggestion():
    """Both shares are needed: one known and the other not is no suggestion either."""

    class Half:
        area = "utredning"
        assessed = 3

        def __init__(self, lacking, advanced):
            self.share_lacking, self.share_advanced = lacking, advanced

    assert suggest(Half(0.5, None), MODEL) is None
    assert suggest(Half(None, 0.5), MODEL) is None
    assert suggest(Half(0.5, 0.25), MODEL) is not None


def test_a_group_without_members_has_rows_but_no_suggestions():
    from bouv_tui.domain.needs import need_rows_by_group
    from bouv_tui.domain.roster import StaffMember

    people = [StaffMember("Ada", "handlaggare", id=1)]
    rows = need_rows_by_group(people, [], [], MODEL, cells={})
    assert [r.suggestion for r in rows["arbetsledare"]] == [None] * len(group_areas("arbetsledare"))
    assert len(rows["handlaggare"]) == 11

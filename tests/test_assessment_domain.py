"""The team profile of question 1, completeness, who is missing, and round-to-round change."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bouv_tui.domain import catalog
from bouv_tui.domain.assessment import (
    LEVEL_ORDER,
    AreaProfile,
    Assessment,
    Decline,
    Round,
    area_profiles,
    areas_for,
    compare_rounds,
    completeness,
    declines,
    missing_by_area,
    missing_people,
    people_in_round,
    progress,
)
from bouv_tui.domain.roster import StaffMember

AREAS = catalog.AREAS.codes()
CW_AREAS = catalog.CASEWORKER_AREAS.codes()
LEVELS = catalog.LEVELS.codes()


def cw(id_: int, name: str, **changes) -> StaffMember:
    return StaffMember(name=name, role=catalog.CASEWORKER, id=id_, **changes)


def tl(id_: int, name: str, **changes) -> StaffMember:
    return StaffMember(name=name, role=catalog.TEAM_LEADER, id=id_, **changes)


def a(staff_id: int, area: str, level: str, *, carried_over: bool = False) -> Assessment:
    return Assessment(staff_id, area, level, 1, carried_over=carried_over)


def everything(person: StaffMember, level: str = "grundlaggande") -> list[Assessment]:
    return [a(person.id, area, level) for area in areas_for(person)]


ADA, BO, CIA, DAN = cw(1, "Ada"), cw(2, "Bo"), tl(3, "Cia"), cw(4, "Dan")


# --- profiles ------------------------------------------------------------------------------


def test_profile_counts_and_shares_of_one_area():
    people = [ADA, BO, DAN]
    assessments = [a(1, "ebp", "saknar"), a(2, "ebp", "fordjupad"), a(4, "ebp", "saknar"), a(1, "samtal", "grundlaggande")]

    profile = area_profiles(people, assessments)["ebp"]

    assert profile.counts == {"grundlaggande": 0, "fordjupad": 1, "saknar": 2}
    assert profile.assessed == 3 and profile.expected == 3 and profile.missing == 0
    assert profile.share_lacking == pytest.approx(2 / 3)
    assert profile.share_advanced == pytest.approx(1 / 3)
    assert profile.is_complete


def test_profile_with_nobody_assessed_has_no_shares_and_is_not_complete():
    profile = area_profiles([ADA, BO], [])["utredning"]
    assert profile.counts == {"grundlaggande": 0, "fordjupad": 0, "saknar": 0}
    assert profile.share_lacking is None and profile.share_advanced is None
    assert profile.missing == 2 and not profile.is_complete


def test_an_empty_group_is_never_complete():
    profile = area_profiles([], [])["utredning"]
    assert profile.expected == 0 and profile.missing == 0
    assert not profile.is_complete


def test_caseworkers_only_have_the_eleven_areas():
    profiles = area_profiles([ADA, BO], [a(1, "ledarskap", "fordjupad")])
    assert list(profiles) == CW_AREAS
    assert "ledarskap" not in profiles and "grupprocesser" not in profiles


def test_team_leader_areas_count_only_team_leaders():
    people = [ADA, BO, CIA]
    assessments = [
        a(3, "ledarskap", "saknar"),
        a(1, "ledarskap", "fordjupad"),  # a caseworker is not assessed in ledarskap: ignored
        a(1, "utredning", "grundlaggande"),
        a(3, "utredning", "fordjupad"),
    ]

    profiles = area_profiles(people, assessments)

    assert list(profiles) == AREAS  # catalogue order, all 13
    assert profiles["ledarskap"].expected == 1
    assert profiles["ledarskap"].counts == {"grundlaggande": 0, "fordjupad": 0, "saknar": 1}
    assert profiles["ledarskap"].is_complete
    assert profiles["grupprocesser"].missing == 1
    assert profiles["utredning"].expected == 3
    assert profiles["utredning"].assessed == 2 and profiles["utredning"].missing == 1


def test_assessments_of_people_outside_the_group_are_ignored():
    assessments = [a(1, "samverkan", "saknar"), a(99, "samverkan", "saknar"), a(4, "samverkan", "saknar")]
    profile = area_profiles([ADA, BO], assessments)["samverkan"]
    assert profile.assessed == 1
    assert profile.share_lacking == 1.0
    assert profile.missing == 1


def test_missing_is_never_negative():
    profile = AreaProfile("ebp", {"grundlaggande": 3, "fordjupad": 0, "saknar": 0}, expected=2)
    assert profile.missing == 0


# --- who is in a round -----------------------------------------------------------------


def test_people_in_round_are_those_employed_on_the_reference_date():
    round_ = Round.for_year(2026)
    assert round_.reference_date == date(2026, 12, 31)
    staff = [
        cw(1, "Stannar", employed_from=date(2020, 1, 1)),
        cw(2, "Slutade", employed_from=date(2020, 1, 1), employed_until=date(2026, 12, 30)),
        cw(3, "Sista dagen", employed_from=date(2020, 1, 1), employed_until=date(2026, 12, 31)),
        cw(4, "Börjar 2027", employed_from=date(2027, 1, 1)),
        tl(5, "Chef", employed_from=date(2026, 12, 31)),
        StaffMember(name="Annan", role=catalog.OTHER_ROLE, id=6),
    ]

    names = [p.name for p in people_in_round(staff, round_)]

    assert names == ["Stannar", "Sista dagen", "Chef"]
    earlier = Round.for_year(2026, date(2026, 6, 30))
    assert [p.name for p in people_in_round(staff, earlier)] == ["Stannar", "Slutade", "Sista dagen"]


# --- progress, completeness, who is missing -------------------------------------------------


def test_progress_counts_done_and_carried_over():
    assessments = [
        *everything(ADA),
        a(2, "utredning", "saknar", carried_over=True),
        a(2, "samtal", "saknar", carried_over=True),
        a(2, "ebp", "fordjupad"),
        a(2, "ledarskap", "saknar", carried_over=True),  # not Bo's area
        a(3, "ledarskap", "fordjupad", carried_over=True),
    ]

    result = progress([ADA, BO, CIA], assessments)

    assert set(result) == {1, 2, 3}
    assert result[1].done == 11 and result[1].total == 11 and result[1].is_complete
    assert result[1].carried_over == 0
    assert (result[2].done, result[2].total, result[2].carried_over) == (3, 11, 2)
    assert not result[2].is_complete
    assert (result[3].done, result[3].total, result[3].carried_over) == (1, 13, 1)


def test_completeness_over_everyone():
    assessments = everything(ADA) + everything(CIA)[:5] + [a(99, "ebp", "saknar")]
    assert completeness([ADA, BO, CIA], assessments) == (11 + 5, 11 + 11 + 13)
    assert completeness([], assessments) == (0, 0)


def test_missing_people_sorted_by_name_in_swedish_order():
    people = [cw(1, "Östen"), cw(2, "Åsa"), cw(3, "Zoran"), cw(4, "Anna"), cw(5, "Bertil")]
    assessments = everything(people[4]) + [a(4, "ebp", "saknar")]

    assert [p.name for p in missing_people(people, assessments)] == ["Anna", "Zoran", "Åsa", "Östen"]


def test_missing_by_area_names_the_people_and_only_areas_with_someone_missing():
    assessments = everything(ADA) + everything(BO)[:-1] + everything(CIA)
    assessments = [x for x in assessments if not (x.staff_id == 3 and x.area == "grupprocesser")]

    result = missing_by_area([BO, ADA, CIA], assessments)

    assert result == {"placerade_barn": [BO], "grupprocesser": [CIA]}
    assert list(result) == ["placerade_barn", "grupprocesser"]  # catalogue order


def test_missing_by_area_lists_people_by_name():
    result = missing_by_area([DAN, BO, ADA], [])
    assert list(result) == CW_AREAS
    assert [p.name for p in result["utredning"]] == ["Ada", "Bo", "Dan"]


# --- round to round ---------------------------------------------------------------------


def test_compare_rounds_gives_change_in_shares():
    before = [a(1, "ebp", "saknar"), a(2, "ebp", "saknar"), a(4, "ebp", "grundlaggande"), a(1, "samtal", "fordjupad")]
    after = [a(1, "ebp", "grundlaggande"), a(2, "ebp", "saknar"), a(4, "ebp", "fordjupad"), a(3, "ledarskap", "saknar")]

    changes = compare_rounds([ADA, BO, DAN], before, [ADA, BO, DAN, CIA], after)

    assert [c.area for c in changes] == AREAS  # ledarskap exists only after: still listed
    ebp = next(c for c in changes if c.area == "ebp")
    assert ebp.change_in_share_lacking == pytest.approx(1 / 3 - 2 / 3)
    assert ebp.change_in_share_advanced == pytest.approx(1 / 3)
    ledarskap = next(c for c in changes if c.area == "ledarskap")
    assert ledarskap.before is None and ledarskap.after is not None
    assert ledarskap.change_in_share_lacking is None
    samtal = next(c for c in changes if c.area == "samtal")
    assert samtal.before.share_advanced == 1.0 and samtal.after.share_advanced is None
    assert samtal.change_in_share_advanced is None


def test_declines_are_only_downward_moves_in_both_rounds():
    before = [
        a(2, "ebp", "fordjupad"),
        a(2, "utredning", "fordjupad"),
        a(1, "samtal", "grundlaggande"),
        a(1, "insatser", "saknar"),
        a(1, "regelverk", "grundlaggande"),  # removed later: not a decline
        a(3, "ledarskap", "grundlaggande"),  # unchanged
    ]
    after = [
        a(2, "ebp", "saknar"),
        a(2, "utredning", "grundlaggande"),
        a(1, "samtal", "saknar"),
        a(1, "insatser", "fordjupad"),  # up
        a(1, "uppfoljning", "saknar"),  # new: not a decline
        a(3, "ledarskap", "grundlaggande"),
    ]

    assert declines(before, after) == [
        Decline(1, "samtal", "grundlaggande", "saknar"),
        Decline(2, "utredning", "fordjupad", "grundlaggande"),
        Decline(2, "ebp", "fordjupad", "saknar"),
    ]


def test_level_order_runs_weakest_to_strongest():
    assert LEVEL_ORDER == ("saknar", "grundlaggande", "fordjupad")
    assert set(LEVEL_ORDER) == set(LEVELS)


# --- property: counts never exceed what is expected -------------------------------------


PEOPLE = [cw(1, "Ada"), cw(2, "Bo"), tl(3, "Cia"), cw(4, "Dan"), tl(5, "Eva")]

assessment_strategy = st.builds(
    Assessment,
    staff_id=st.integers(min_value=1, max_value=7),  # 6 and 7 are not in the group
    area=st.sampled_from(AREAS),
    level=st.sampled_from(LEVELS),
    carried_over=st.booleans(),
)


@settings(max_examples=200, deadline=None)
@given(
    group=st.lists(st.sampled_from(PEOPLE), unique_by=lambda p: p.id),
    assessments=st.lists(assessment_strategy, max_size=80),
)
def test_counts_add_up_and_never_exceed_expected(group, assessments):
    profiles = area_profiles(group, assessments)
    by_id = {p.id: p for p in group}
    valid = {(x.staff_id, x.area) for x in assessments if x.staff_id in by_id and x.area in areas_for(by_id[x.staff_id])}

    for area, profile in profiles.items():
        assert sum(profile.counts.values()) == profile.assessed <= profile.expected
        assert set(profile.counts) == set(LEVELS)
        assert profile.assessed == sum(1 for _, ar in valid if ar == area)
    done, expected = completeness(group, assessments)
    assert done == len(valid)
    assert expected == sum(len(areas_for(p)) for p in group)
    assert done == sum(p.done for p in progress(group, assessments).values())
    assert {p.id for p in missing_people(group, assessments)} == {
        p.id for p in group if any((p.id, ar) not in valid for ar in areas_for(p))
    }


# --- any iterable of people (issue 13: every caller passed a list) ------------------------


def test_people_can_be_given_as_a_generator():
    people = [ADA, BO, CIA, DAN]
    assessments = [*everything(ADA), a(2, "ebp", "saknar", carried_over=True), *everything(CIA, "fordjupad")]

    def once():
        return (p for p in people)

    profiles = area_profiles(once(), assessments)
    assert profiles == area_profiles(people, assessments)
    assert profiles["ebp"].counts == {"grundlaggande": 1, "fordjupad": 1, "saknar": 1}
    assert profiles["ebp"].expected == 4 and profiles["ledarskap"].expected == 1
    assert area_profiles(once(), cells={}) == area_profiles(people, cells={})

    assert progress(once(), assessments) == progress(people, assessments)
    assert progress(once(), assessments)[2].done == 1 and progress(once(), assessments)[2].carried_over == 1
    expected = 3 * len(CW_AREAS) + len(AREAS)
    assert completeness(once(), assessments) == (len(CW_AREAS) + 1 + len(AREAS), expected)
    assert [p.name for p in missing_people(once(), assessments)] == ["Bo", "Dan"]
    missing = missing_by_area(once(), assessments)
    assert missing == missing_by_area(people, assessments)
    assert [p.name for p in missing["samtal"]] == ["Bo", "Dan"] and [p.name for p in missing["ebp"]] == ["Dan"]


# --- mutation survivors: ties, one round alone, whose progress -----------------------------


def test_people_of_the_same_name_are_listed_by_id():
    twins = [cw(7, "Ada Berg"), cw(3, "Ada Berg"), cw(5, "Aron Ek")]
    assert [p.id for p in missing_people(twins, [])] == [3, 7, 5]


def test_an_area_only_the_earlier_round_has_is_compared_too():
    """Ledarskap exists in a round only when it has team leaders: the later round has none."""
    people = [tl(1, "Ada")]
    changes = {c.area: c for c in compare_rounds(people, [Assessment(1, "ledarskap", "saknar", 1)], [], [])}
    assert set(changes) == set(catalog.AREAS.codes())
    assert changes["ledarskap"].before is not None and changes["ledarskap"].after is None


def test_progress_is_each_persons_own():
    shown = progress([cw(4, "Dan"), tl(9, "Eva")], [Assessment(9, "ledarskap", "fordjupad", 1)])
    assert {k: (v.staff_id, v.done, v.total) for k, v in shown.items()} == {
        4: (4, 0, len(catalog.CASEWORKER_AREAS.codes())),
        9: (9, 1, len(areas_for(tl(9, "Eva")))),
    }

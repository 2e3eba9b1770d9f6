"""The in-memory grid keeps its running counts equal to counting from scratch."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bouv_tui.domain import catalog
from bouv_tui.domain.assessment import Assessment, Round, area_profiles
from bouv_tui.domain.grid import RoundGrid
from bouv_tui.domain.roster import StaffMember

DAY = date(2026, 11, 22)
ROUND = Round(2026, date(2026, 12, 31), id=1)
PEOPLE = [
    StaffMember(name="Ada", role="handlaggare", id=1),
    StaffMember(name="Bo", role="handlaggare", id=2),
    StaffMember(name="Cia", role="arbetsledare", id=3),
]
LEVELS = catalog.LEVELS.codes()
AREAS = catalog.AREAS.codes()


def test_counts_and_progress_follow_set_and_clear():
    grid = RoundGrid(ROUND, PEOPLE, [Assessment(1, "utredning", "saknar", 1)])
    assert grid.profile("utredning").counts["saknar"] == 1
    grid.set(1, "utredning", "grundlaggande", DAY)
    grid.set(2, "utredning", "fordjupad", DAY)
    profile = grid.profile("utredning", "handlaggare")
    assert profile.counts == {"grundlaggande": 1, "fordjupad": 1, "saknar": 0}
    assert profile.expected == 2 and profile.share_lacking == 0
    assert grid.progress(1).done == 1 and grid.progress(1).total == 11
    assert grid.progress(1).staff_id == 1 and grid.progress(3).staff_id == 3
    assert grid.progress(3).total == 13
    grid.clear(2, "utredning")
    assert grid.profile("utredning").missing == 2
    assert grid.completeness() == (1, 11 + 11 + 13)


def test_team_leader_areas_do_not_apply_to_caseworkers():
    grid = RoundGrid(ROUND, PEOPLE, [Assessment(1, "ledarskap", "fordjupad", 1)])
    assert grid.level(1, "ledarskap") is None  # ignored: not an area for a caseworker
    with pytest.raises(ValueError, match="ledarskap gäller inte för den här personen"):
        grid.set(1, "ledarskap", "saknar", DAY)
    assert grid.areas("handlaggare") == catalog.CASEWORKER_AREAS.codes()
    assert grid.areas() == AREAS


def test_setting_confirms_a_carried_over_level():
    grid = RoundGrid(ROUND, PEOPLE, [Assessment(2, "ebp", "saknar", 1, carried_over=True)])
    assert grid.progress(2).carried_over == 1
    grid.set(2, "ebp", "saknar", DAY)
    assert grid.progress(2).carried_over == 0
    grid2 = RoundGrid(ROUND, PEOPLE, [Assessment(2, "ebp", "saknar", 1, carried_over=True)])
    assert [a.area for a in grid2.confirm(2)] == ["ebp"]
    assert grid2.progress(2).carried_over == 0


operations = st.lists(
    st.tuples(st.sampled_from([1, 2, 3]), st.sampled_from(AREAS), st.sampled_from([*LEVELS, None])),
    max_size=60,
)


@settings(max_examples=60, deadline=None)
@given(operations)
def test_running_counts_equal_a_recount(ops):
    grid = RoundGrid(ROUND, PEOPLE, [])
    for staff_id, area, level in ops:
        if not grid.applies(staff_id, area):
            continue
        if level is None:
            grid.clear(staff_id, area)
        else:
            grid.set(staff_id, area, level, DAY)
    recount = area_profiles(PEOPLE, list(grid.cells.values()))
    for area in AREAS:
        assert grid.profile(area) == recount[area]
    done, expected = grid.completeness()
    assert done == len(grid.cells) and expected == 35


def test_confirming_marks_the_level_as_this_rounds_own():
    grid = RoundGrid(ROUND, PEOPLE, [Assessment(2, "ebp", "saknar", 1, carried_over=True),
                                     Assessment(2, "samtal", "fordjupad", 1)])  # fmt: skip
    assert grid.level(2, "ebp").carried_over is True and grid.level(2, "samtal").level == "fordjupad"
    [confirmed] = grid.confirm(2)
    assert confirmed.carried_over is False and grid.level(2, "ebp").carried_over is False
    assert grid.level(2, "ebp").level == "saknar" and grid.level(1, "ebp") is None


def test_restore_puts_a_cell_back_as_it_was_and_the_counts_follow():
    carried = Assessment(2, "ebp", "saknar", 1, carried_over=True)
    grid = RoundGrid(ROUND, PEOPLE, [carried])
    grid.set(2, "ebp", "fordjupad", DAY)
    assert grid.progress(2).carried_over == 0 and grid.profile("ebp").counts["fordjupad"] == 1
    grid.restore(2, "ebp", carried)  # undo: carried over again, and the count of "saknar" back
    assert grid.level(2, "ebp") == carried and grid.progress(2).carried_over == 1
    assert grid.profile("ebp").counts == {"grundlaggande": 0, "fordjupad": 0, "saknar": 1}
    grid.restore(2, "ebp", None)  # undo of a first level: the cell is empty again
    assert grid.level(2, "ebp") is None and grid.progress(2).done == 0 and grid.progress(2).carried_over == 0


def test_people_named_searches_names_only_and_keeps_a_and_a_ring_apart():
    from bouv_tui.domain.grid import people_named

    people = [StaffMember(name=n, role="handlaggare", unit="Åby") for n in ["Åsa Ek", "Asa Berg", "Bo Åström"]]
    assert [p.name for p in people_named(people, " å ")] == ["Åsa Ek", "Bo Åström"]
    assert [p.name for p in people_named(people, "ASA")] == ["Asa Berg"]
    assert people_named(people, "åby") == []  # the unit is not searched
    assert people_named(iter(people), "  ") == people  # no text: everyone, as a list


def test_a_set_level_is_this_rounds_stored_on_the_day_without_a_note():
    grid = RoundGrid(ROUND, PEOPLE, [])
    grid.set(1, "samtal", "fordjupad", DAY)
    assert grid.level(1, "samtal") == Assessment(1, "samtal", "fordjupad", ROUND.id, DAY, False, "")
    with pytest.raises(ValueError, match="^okänd nivå: bra$"):
        grid.set(1, "samtal", "bra", DAY)
    assert not grid.applies(99, "samtal")  # nobody of that id in the round
    assert grid.applies(3, "ledarskap") and not grid.applies(1, "ledarskap")

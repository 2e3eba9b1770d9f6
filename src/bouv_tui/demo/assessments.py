"""The demo's two inventory rounds: levels near the national 2013 shares, with visible
change between the rounds."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import date, timedelta

from bouv_tui.domain import national
from bouv_tui.domain.assessment import Assessment, Round, areas_for, people_in_round
from bouv_tui.domain.roster import StaffMember

# --- assessments ----------------------------------------------------------------------

SAKNAR, GRUNDLAGGANDE, FORDJUPAD = "saknar", "grundlaggande", "fordjupad"

#: Level shares (saknar, grundläggande, fördjupad) in the two areas only team leaders are
#: assessed in; the national inventory has no figure for them.
TEAM_LEADER_AREA_SHARES = {"ledarskap": (0.12, 0.60, 0.28), "grupprocesser": (0.15, 0.60, 0.25)}

#: Experience tilts the national shares: (below so many years, weight on saknar, weight on
#: fördjupad). The weights average about 1 over the roster's experience mix, so the
#: demo's shares stay near the national ones.
EXPERIENCE_WEIGHTS = (
    (1.0, 2.5, 0.15),
    (3.0, 1.0, 0.55),
    (10.0, 0.7, 1.0),
    (math.inf, 0.45, 1.9),
)
#: Spread of a person's overall strength (log-normal), so one person's levels hang together.
PERSON_SPREAD = 0.35
#: In the current round, the share of people not yet assessed in some areas (at least
#: one from five people), and of people whose levels are still carried over (at least two).
SHARE_NOT_YET_ASSESSED = 0.10
SHARE_CARRIED_OVER = 0.01
#: The change between rounds the demo makes sure of: the share lacking in ebp falls and
#: in placerade_barn rises by at least this much (5 points promised, 1 point of margin).
TARGET_CHANGE = 0.06
TRAINED_AREA = "ebp"
WEAKENED_AREA = "placerade_barn"


def national_level_shares(area: str) -> tuple[float, float, float] | None:
    """The national 2013 shares (saknar, grundläggande, fördjupad) of handläggare in an area,
    from the counts of report table 3; None for the team leaders' areas."""
    profile = national.caseworker_profile(area)
    if profile is None:
        return None
    total = profile.assessed
    return tuple(profile.counts[level] / total for level in (SAKNAR, GRUNDLAGGANDE, FORDJUPAD))


def _level_shares(area: str) -> tuple[float, float, float]:
    return national_level_shares(area) or TEAM_LEADER_AREA_SHARES[area]


def _experience_weights(years: float | None) -> tuple[float, float]:
    years = 5.0 if years is None else years
    for below, lacking, advanced in EXPERIENCE_WEIGHTS:
        if years < below:
            return lacking, advanced
    return 1.0, 1.0  # not reached: the last row has no upper bound


def _draw_level(rng: random.Random, shares: tuple[float, float, float], lacking: float, advanced: float) -> str:
    s, g, f = shares[0] * lacking, shares[1], shares[2] * advanced
    u = rng.random() * (s + g + f)
    if u < s:
        return SAKNAR
    return GRUNDLAGGANDE if u < s + g else FORDJUPAD


def _assessed_on(rng: random.Random, person: StaffMember, low: date, high: date) -> date:
    """A day in ``low``–``high`` on which the person was employed."""
    day = high - timedelta(days=rng.randint(0, max(0, (high - low).days)))
    if person.employed_from is not None and day < person.employed_from:
        day = min(high, person.employed_from)
    return day


def _share_lacking(levels: dict[tuple[int, str], str], area: str) -> tuple[int, int]:
    """(lacking, assessed) in ``area``."""
    values = [lv for (_, a), lv in levels.items() if a == area]
    return sum(lv == SAKNAR for lv in values), len(values)


def _adjust(
    current: dict[tuple[int, str], str], area: str, before: float, candidates: list[int], old: str, new: str, rise: bool
) -> None:
    """Move candidates' level in ``area`` from ``old`` to ``new`` (in the given order) until
    the share lacking has risen (or fallen) by TARGET_CHANGE from ``before``."""
    lacking, assessed = _share_lacking(current, area)
    if not assessed:
        return
    step = 1 if new == SAKNAR else -1
    for staff_id in candidates:
        share = lacking / assessed
        if (share - before >= TARGET_CHANGE) if rise else (before - share >= TARGET_CHANGE):
            return
        if current.get((staff_id, area)) == old:
            current[(staff_id, area)] = new
            lacking += step


def build_assessments(
    rng: random.Random, staff: Sequence[StaffMember], previous: Round, current: Round, today: date
) -> tuple[list[Assessment], list[Assessment]]:
    """The levels of two rounds a year apart, for stored people (with ids).

    Levels are drawn per person and area near the national 2013 shares, tilted by the
    person's experience on the round's reference date and by their overall strength.
    Between the rounds most levels stay, a few grow; ebp grows a lot (a training), while
    placerade_barn loses the experienced people who left and gains new hires who lack it.
    """
    before_people = people_in_round(staff, previous)
    now_people = people_in_round(staff, current)
    before_ids = {p.id for p in before_people}
    now_ids = {p.id for p in now_people}
    leavers = [p for p in before_people if p.id not in now_ids]
    leaver_ids = {p.id for p in leavers}
    in_rounds = before_ids | now_ids
    strength = {p.id: math.exp(rng.gauss(0.0, PERSON_SPREAD)) for p in staff if p.id in in_rounds}

    def draw(person: StaffMember, on: date, *, new_hire: bool = False) -> dict[str, str]:
        lacking, advanced = _experience_weights(person.years_of_experience(on))
        k = strength[person.id]
        levels = {}
        for area in areas_for(person):
            w_s, w_f = lacking / k, advanced * k
            if area == WEAKENED_AREA and person.id in leaver_ids:
                w_f *= 2.5  # the experienced familjehemssekreterare who left
            if area == WEAKENED_AREA and new_hire:
                w_s, w_f = w_s * 2.5, w_f * 0.5  # new to the municipality's placements
            if area == TRAINED_AREA and new_hire:
                w_s *= 0.4  # recent graduates learnt it, and the year's training took the others
            levels[area] = _draw_level(rng, _level_shares(area), w_s, w_f)
        return levels

    # The previous round.
    prev: dict[tuple[int, str], str] = {}
    prev_on: dict[int, date] = {}
    ref = previous.reference_date
    for person in before_people:
        prev_on[person.id] = _assessed_on(rng, person, ref - timedelta(days=100), ref - timedelta(days=14))
        for area, level in draw(person, ref).items():
            prev[(person.id, area)] = level
    if leavers and not any(prev[(p.id, WEAKENED_AREA)] == FORDJUPAD for p in leavers):
        veteran = max(leavers, key=lambda p: (p.years_of_experience(ref) or 0.0, p.id))
        prev[(veteran.id, WEAKENED_AREA)] = FORDJUPAD
    # A small office where nobody lacked ebp has nothing to improve: its least experienced
    # stayers lacked it last year (and take the training).
    stayers = [p for p in now_people if p.id in before_ids]
    lacking, assessed = _share_lacking(prev, TRAINED_AREA)
    for person in sorted(stayers, key=lambda p: (p.years_of_experience(ref) or 0.0, p.id)):
        if not assessed or lacking / assessed >= TARGET_CHANGE:
            break
        if prev[(person.id, TRAINED_AREA)] != SAKNAR:
            prev[(person.id, TRAINED_AREA)] = SAKNAR
            lacking += 1

    # The current round: stayers keep most levels, new hires are drawn.
    cur: dict[tuple[int, str], str] = {}
    cur_on: dict[int, date] = {}
    low = max(date(current.year, 1, 1), today - timedelta(days=80))
    high = min(today, current.reference_date)
    new_hires = [p for p in now_people if p.id not in before_ids]
    for person in now_people:
        cur_on[person.id] = _assessed_on(rng, person, min(low, high), high)
        if person.id not in before_ids:
            for area, level in draw(person, current.reference_date, new_hire=True).items():
                cur[(person.id, area)] = level
            continue
        novice = (person.years_of_experience(ref) or 0.0) < 2.0
        for area in areas_for(person):
            level = prev[(person.id, area)]
            u = rng.random()
            if area == TRAINED_AREA:
                if level == SAKNAR and u < 0.7:
                    level = GRUNDLAGGANDE
                elif level == GRUNDLAGGANDE and u < 0.15:
                    level = FORDJUPAD
            elif area == WEAKENED_AREA:
                if level == SAKNAR and u < 0.05:
                    level = GRUNDLAGGANDE
            elif level == SAKNAR and u < (0.35 if novice else 0.15):
                level = GRUNDLAGGANDE
            elif level == GRUNDLAGGANDE and u < 0.05:
                level = FORDJUPAD
            elif level == FORDJUPAD and u < 0.01:
                level = GRUNDLAGGANDE
            cur[(person.id, area)] = level

    # A couple of people whose levels are still carried over from last year.
    carried_count = min(len(stayers), max(2, round(SHARE_CARRIED_OVER * len(now_people))))
    carried = {p.id for p in rng.sample(stayers, carried_count)}
    for person in stayers:
        if person.id in carried:
            for area in areas_for(person):
                cur[(person.id, area)] = prev[(person.id, area)]

    # Some people not yet assessed in some areas.
    open_people = [p for p in now_people if p.id not in carried]
    minimum = 1 if len(now_people) >= 5 else 0
    pending = min(len(open_people), max(minimum, round(SHARE_NOT_YET_ASSESSED * len(now_people))))
    for person in rng.sample(open_people, pending):
        areas = list(areas_for(person))
        for area in rng.sample(areas, rng.randint(1, len(areas))):
            del cur[(person.id, area)]

    # Make sure the change shows: ebp improves, placerade_barn gets worse.
    before_ebp = _share_lacking(prev, TRAINED_AREA)
    before_placed = _share_lacking(prev, WEAKENED_AREA)
    movable_stayers = [p for p in stayers if p.id not in carried]
    trained = [p.id for p in movable_stayers] + [p.id for p in new_hires]
    rng.shuffle(trained)
    trained.sort(key=lambda i: i not in before_ids)  # stayers (who took the training) first
    if before_ebp[1]:
        _adjust(cur, TRAINED_AREA, before_ebp[0] / before_ebp[1], trained, SAKNAR, GRUNDLAGGANDE, rise=False)

    def inexperience(p: StaffMember) -> tuple[bool, float, int]:
        return (p.id in before_ids, p.years_of_experience(current.reference_date) or 0.0, p.id)

    unsure = [p.id for p in sorted(new_hires + movable_stayers, key=inexperience)]
    if before_placed[1]:
        _adjust(cur, WEAKENED_AREA, before_placed[0] / before_placed[1], unsure, GRUNDLAGGANDE, SAKNAR, rise=True)

    previous_sets = [
        Assessment(staff_id, area, level, previous.id, prev_on[staff_id]) for (staff_id, area), level in prev.items()
    ]
    current_sets = [
        Assessment(staff_id, area, level, current.id, prev_on[staff_id], carried_over=True)
        if staff_id in carried
        else Assessment(staff_id, area, level, current.id, cur_on[staff_id])
        for (staff_id, area), level in cur.items()
    ]
    return previous_sets, current_sets



"""A demo database of a made-up municipality, "Exempelby kommun".

``write_demo`` builds a whole database from a seed: the same seed (and ``today``) gives
the same content, so screenshots, snapshot tests and benchmarks can rely on it. All
names are obviously invented (common Swedish first names with surnames such as
Exempelsson or Påhittad); nothing here describes a real person.

The database is made by a list of *steps* (:data:`STEPS`). Each step is a function of
a :class:`DemoContext` (its own random generator, the open repository, the day the
demo is seen from, and what earlier steps produced) and writes its part in one
transaction. To extend the demo (needs, trainings, budget), write a step
and append it to ``STEPS``: every step draws from a generator seeded with the seed
*and the step's name*, so adding a step never changes what the others produce.

``staff`` counts the handläggare employed on ``today``. Team leaders come on top in
the national ratio (766 arbetsledare to 5 113 handläggare in the 2013 inventory), a
couple of ``annan`` from ten handläggare up, and about one person in ten of the roster
has left within the last two years, so that turnover is visible.

Two inventory rounds a year apart (``today.year - 1`` and ``today.year``) assess everyone
employed on each reference date. Between them, Evidensbaserad praktik improves (as after
a training) and Placerade barn gets worse (experienced staff left, new hires lack it);
the current round is not quite complete and a couple of people's levels are still
carried over from last year.
"""

from __future__ import annotations

import math
import os
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bouv_tui.domain import catalog, national
from bouv_tui.domain.assessment import Assessment, Round, areas_for, people_in_round
from bouv_tui.domain.roster import StaffMember, experience_from_years
from bouv_tui.domain.settings import MunicipalitySettings

#: The day the demo is seen from when no ``today`` is given (keeps the file reproducible).
DEFAULT_TODAY = date(2026, 11, 22)

#: The 2013 inventory: 5 113 handläggare and 766 arbetsledare in the country.
NATIONAL_CASEWORKERS = 5113
NATIONAL_TEAM_LEADERS = 766

SETTINGS = MunicipalitySettings(
    kommunkod="0000",
    kommun="Exempelby kommun",
    contact_name="Demo Demosson",
    email="demo@exempelby.example",
    phone="010-000 00 00",
)

FIRST_NAMES = (
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Kerstin", "Ingrid", "Malin",
    "Linda", "Johanna", "Elin", "Sofia", "Hanna", "Ida", "Amanda", "Julia", "Frida", "Maja",
    "Ebba", "Lisa", "Camilla", "Jenny", "Helena", "Annika", "Susanne", "Therese", "Nadia", "Leila",
    "Erik", "Lars", "Anders", "Johan", "Per", "Karl", "Mikael", "Peter", "Fredrik", "Daniel",
    "Jonas", "Magnus", "Oskar", "Emil", "Viktor", "Ali", "Ahmed", "Mattias", "Niklas", "Henrik",
    "Sven", "Björn", "Åsa", "Ulla", "Birgitta", "Marie", "Josefin", "Alva", "Elsa", "Omar",
)  # fmt: skip

SURNAMES = (
    "Exempelsson", "Testberg", "Demoqvist", "Påhittad", "Låtsasson", "Fiktivsson", "Provander",
    "Skissberg", "Modellius", "Utkastsson", "Exempelström", "Testlund", "Demodahl", "Låtsasberg",
    "Fiktivander", "Provqvist", "Skissén", "Modellsson", "Utkastberg", "Påhittsson", "Övningsson",
    "Mallberg", "Attrappsson", "Exempelgren",
)  # fmt: skip

MIDDLE_INITIALS = "ABCDEFGHIJKLMNOPRSTUVÅÄÖ"

TEAM_NAMES = ("Mottagning", "Utredning barn", "Utredning ungdom", "Familjehem", "Uppföljning")

# Years of experience of active handläggare: (share, lowest, highest). About one in six
# is a new graduate, one in twenty a veteran of twenty years or more.
CASEWORKER_EXPERIENCE = (
    (0.17, 0.05, 0.95),
    (0.23, 1.0, 3.0),
    (0.25, 3.0, 7.0),
    (0.20, 7.0, 15.0),
    (0.10, 15.0, 20.0),
    (0.05, 20.0, 35.0),
)
SHARE_CONSULTANT = 0.06
SHARE_FIXED_TERM = 0.08
SHARE_NO_DEGREE = 0.05
#: Of those without socionomexamen, the share that has no certificate either.
SHARE_UNCERTIFIED = 0.15
#: People who left within two years, as a share of the whole roster.
SHARE_LEFT = 0.10
PART_TIME_FTE = (50, 60, 75, 80, 90)
SHARE_PART_TIME = 0.18


class DemoExists(FileExistsError):
    """The demo would overwrite a file that already holds something."""


@dataclass
class DemoContext:
    """What a step gets: its generator, the repository to write through, and the day."""

    rng: random.Random
    repo: Any  # bouv_tui.store.repo.Repository (imported lazily: it pulls in SQLAlchemy)
    today: date
    staff: int
    #: What earlier steps produced, by name (e.g. ``"staff"``: the stored StaffMembers).
    results: dict[str, Any] = field(default_factory=dict)


Step = Callable[[DemoContext], Any]


# --- helpers --------------------------------------------------------------------


def team_leader_count(caseworkers: int) -> int:
    """Team leaders for ``caseworkers`` handläggare in the national ratio, at least two."""
    return max(2, round(caseworkers * NATIONAL_TEAM_LEADERS / NATIONAL_CASEWORKERS))


def _quota(rng: random.Random, n: int, shares: Sequence[float], *, at_least_one: bool = False) -> list[int]:
    """``n`` category indices in shuffled order, each category as close to its share as can be.

    Counts are found by largest remainder, so small rosters still get every category
    (with ``at_least_one``, every category with a positive share gets one when ``n`` allows).
    """
    exact = [s * n for s in shares]
    counts = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(shares)), key=lambda i: exact[i] - counts[i], reverse=True)
    for i in by_remainder[: n - sum(counts)]:
        counts[i] += 1
    if at_least_one and n >= len(shares):
        for i, share in enumerate(shares):
            if share > 0 and counts[i] == 0:
                donor = max(range(len(counts)), key=lambda j: counts[j])
                counts[donor] -= 1
                counts[i] += 1
    slots = [i for i, c in enumerate(counts) for _ in range(c)]
    rng.shuffle(slots)
    return slots


def _flags(rng: random.Random, n: int, share: float, *, minimum: int = 0) -> list[bool]:
    """``n`` booleans, ``round(share × n)`` (at least ``minimum``) of them true, shuffled."""
    k = min(n, max(minimum, round(share * n)))
    flags = [True] * k + [False] * (n - k)
    rng.shuffle(flags)
    return flags


def _years_between(rng: random.Random, low: float, high: float) -> float:
    return rng.uniform(low, high)


class _Names:
    """Unique, clearly fictional names."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.taken: set[str] = set()

    def __call__(self) -> str:
        rng = self.rng
        first, last = rng.choice(FIRST_NAMES), rng.choice(SURNAMES)
        name = f"{first} {last}"
        tries = 0
        while name in self.taken:
            tries += 1
            if tries <= 8:
                name = f"{first} {rng.choice(MIDDLE_INITIALS)}. {last}"
            else:
                name = f"{first} {last} {tries - 7}"
        self.taken.add(name)
        return name


def _units(caseworkers: int) -> list[str]:
    """Team names: the five classic teams for a small office, numbered teams at scale."""
    if caseworkers <= 40:
        count = max(1, min(len(TEAM_NAMES), math.ceil(caseworkers / 5)))
        return list(TEAM_NAMES[:count])
    count = math.ceil(caseworkers / 8)
    names = list(TEAM_NAMES)
    k = 2
    while len(names) < count:
        names.extend(f"{base} {k}" for base in TEAM_NAMES)
        k += 1
    return names[:count]


# --- the roster ---------------------------------------------------------------------


def build_staff(rng: random.Random, caseworkers: int, today: date) -> list[StaffMember]:
    """The roster of Exempelby: ``caseworkers`` active handläggare, team leaders, others, leavers."""
    names = _Names(rng)
    units = _units(caseworkers)
    people: list[dict[str, Any]] = []

    # Active handläggare.
    experience = _quota(rng, caseworkers, [s for s, _, _ in CASEWORKER_EXPERIENCE], at_least_one=True)
    employment = _quota(
        rng,
        caseworkers,
        [1 - SHARE_CONSULTANT - SHARE_FIXED_TERM, SHARE_FIXED_TERM, SHARE_CONSULTANT],
        at_least_one=caseworkers >= 10,
    )
    types = (catalog.PERMANENT, catalog.FIXED_TERM, catalog.CONSULTANT)
    no_degree = _flags(rng, caseworkers, SHARE_NO_DEGREE, minimum=2 if caseworkers >= 5 else 0)
    without = [i for i, flag in enumerate(no_degree) if flag]
    uncertified = set(without[: max(1 if caseworkers >= 5 else 0, round(SHARE_UNCERTIFIED * len(without)))])
    for i in range(caseworkers):
        _, low, high = CASEWORKER_EXPERIENCE[experience[i]]
        years = _years_between(rng, low, high)
        kind = types[employment[i]]
        people.append(
            _caseworker(rng, names(), rng.choice(units), years, kind, today,
                        degree=not no_degree[i], certificate=no_degree[i] and i not in uncertified)
        )  # fmt: skip

    # Active team leaders: seven in ten have led for less than three years.
    leaders = team_leader_count(caseworkers)
    for i in range(leaders):
        people.append(_team_leader(rng, names(), units[i % len(units)], today))

    # Others (administrators, family therapists): not counted in the inventory.
    others = 0 if caseworkers < 10 else max(2, caseworkers // 100)
    for _ in range(others):
        people.append(_other(rng, names(), rng.choice(units), today))

    # People who left within the last two years, so that turnover shows.
    active = len(people)
    left = max(1, round(active * SHARE_LEFT / (1 - SHARE_LEFT)))
    for i in range(left):
        if i % 7 == 6:
            person = _team_leader(rng, names(), rng.choice(units), today)
        else:
            years = _years_between(rng, 0.3, 12.0)
            kind = rng.choices(types, weights=(0.75, 0.12, 0.13))[0]
            person = _caseworker(rng, names(), rng.choice(units), years, kind, today,
                                 degree=rng.random() > 0.04, certificate=True)  # fmt: skip
        until = today - timedelta(days=rng.randint(1, 730))
        person["employed_until"] = until
        # Seen from the day they left: their employment started before it.
        start = person["employed_from"]
        if start >= until:
            person["employed_from"] = until - timedelta(days=rng.randint(90, 1500))
        if person["experience_from"] > person["employed_from"]:
            person["experience_from"] = person["employed_from"]
        people.append(person)

    return [
        StaffMember(personal_id=f"D{number:05d}", **fields)
        for number, fields in enumerate(people, start=1)
    ]


def _fte(rng: random.Random) -> int:
    return rng.choice(PART_TIME_FTE) if rng.random() < SHARE_PART_TIME else 100


def _caseworker(
    rng: random.Random,
    name: str,
    unit: str,
    years: float,
    kind: str,
    today: date,
    *,
    degree: bool,
    certificate: bool,
) -> dict[str, Any]:
    experience_from = experience_from_years(years, today)
    if kind == catalog.CONSULTANT:
        # Hired through an agency for a while, often experienced.
        in_unit = min(years, rng.uniform(0.1, 2.0))
    elif years < 1:
        in_unit = years
    else:
        in_unit = rng.uniform(0.1, min(years, 10.0))
    further = years >= 3 and rng.random() < 0.12 + min(years, 20) * 0.01
    return dict(
        name=name,
        role=catalog.CASEWORKER,
        unit=unit,
        employed_from=experience_from_years(in_unit, today),
        experience_from=experience_from,
        social_work_degree=degree,
        qualification_certificate=(not degree) and certificate,
        fte=_fte(rng),
        employment_type=kind,
        continuing_training=rng.random() < (0.15 if years < 1 else 0.4),
        further_education=further,
        masters_degree=further and rng.random() < 0.35,
    )


def _team_leader(rng: random.Random, name: str, unit: str, today: date) -> dict[str, Any]:
    years = rng.uniform(4.0, 30.0)
    in_role = rng.uniform(0.1, 3.0) if rng.random() < 0.7 else rng.uniform(3.0, min(years, 15.0))
    further = rng.random() < 0.35
    first_job = in_role < 3 and rng.random() < 0.55
    return dict(
        name=name,
        role=catalog.TEAM_LEADER,
        unit=unit,
        employed_from=experience_from_years(in_role, today),
        experience_from=experience_from_years(years, today),
        social_work_degree=rng.random() > 0.03,
        qualification_certificate=False,
        fte=100 if rng.random() < 0.92 else 80,
        employment_type=catalog.PERMANENT if rng.random() < 0.9 else catalog.FIXED_TERM,
        continuing_training=rng.random() < 0.5,
        further_education=further,
        masters_degree=further and rng.random() < 0.4,
        first_manager_job=first_job,
        needs_supervision_support=rng.random() < (0.45 if first_job else 0.15),
    )


def _other(rng: random.Random, name: str, unit: str, today: date) -> dict[str, Any]:
    years = rng.uniform(1.0, 20.0)
    return dict(
        name=name,
        role=catalog.OTHER_ROLE,
        unit=unit,
        employed_from=experience_from_years(rng.uniform(0.5, years), today),
        experience_from=experience_from_years(years, today),
        social_work_degree=rng.random() < 0.3,
        fte=_fte(rng),
        employment_type=catalog.PERMANENT,
    )


# --- steps --------------------------------------------------------------------------


def step_settings(ctx: DemoContext) -> MunicipalitySettings:
    ctx.repo.save_settings(SETTINGS)
    return SETTINGS


def step_staff(ctx: DemoContext) -> list[StaffMember]:
    """The roster, in one transaction; the stored people (with ids) for later steps."""
    return ctx.repo.save_staff(build_staff(ctx.rng, ctx.staff, ctx.today), [])


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


def step_assessments(ctx: DemoContext) -> tuple[Round, Round]:
    """Two inventory rounds a year apart, each saved in one transaction; the stored rounds."""
    staff = ctx.results["staff"]
    previous = ctx.repo.create_round(Round.for_year(ctx.today.year - 1))
    current = ctx.repo.create_round(Round.for_year(ctx.today.year))
    previous_sets, current_sets = build_assessments(ctx.rng, staff, previous, current, ctx.today)
    ctx.repo.save_assessments(previous.id, previous_sets)
    ctx.repo.save_assessments(current.id, current_sets)
    return previous, current


#: The demo's steps in order: (name, function). The name also seeds the step's generator.
STEPS: list[tuple[str, Step]] = [
    ("settings", step_settings),
    ("staff", step_staff),
    ("assessments", step_assessments),
]


# --- writing the file -------------------------------------------------------------------


def _sidecars(path: Path) -> list[Path]:
    return [Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")]


def write_demo(
    path: Path,
    *,
    staff: int = 24,
    seed: int = 1,
    today: date | None = None,
    overwrite: bool = False,
) -> Path:
    """Write a new demo database at ``path`` and return the path.

    Refuses (``DemoExists``, a ``FileExistsError``) when ``path`` holds something, unless
    ``overwrite`` is true; then the file is replaced whole: the demo is built in a
    temporary file in the same folder and moved into place, so a failure leaves the
    old file as it was.
    """
    from bouv_tui.store.db import connect, open_database
    from bouv_tui.store.repo import Repository

    path = Path(path)
    if staff < 1:
        raise ValueError("Demodatabasen behöver minst en handläggare (--staff 1 eller fler).")
    if path.is_dir():
        raise DemoExists(f"{path} är en mapp. Ange ett filnamn för demodatabasen.")
    if path.exists() and path.stat().st_size > 0 and not overwrite:
        raise DemoExists(
            f"{path} finns redan och är inte tom. Demodatabasen skriver inte över en befintlig fil; "
            "välj ett annat filnamn eller ta bort filen först."
        )
    today = today or DEFAULT_TODAY
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temp = path.parent / f".{path.name}.{os.getpid()}.demo-tmp"
    for stale in [temp, *_sidecars(temp)]:
        stale.unlink(missing_ok=True)
    try:
        open_database(temp, backup=False)
        repo = Repository(temp)
        try:
            ctx = DemoContext(rng=random.Random(), repo=repo, today=today, staff=staff)
            for name, step in STEPS:
                ctx.rng = random.Random(f"bouv-tui demo {seed} {name}")
                ctx.results[name] = step(ctx)
        finally:
            repo.close()
        # Fold the write-ahead log into the file so the one file is the whole database.
        conn = connect(temp)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        for stale in _sidecars(path):
            stale.unlink(missing_ok=True)
        os.chmod(temp, 0o600)
        os.replace(temp, path)
    finally:
        for leftover in [temp, *_sidecars(temp)]:
            leftover.unlink(missing_ok=True)
    return path

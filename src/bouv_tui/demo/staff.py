"""The demo's roster: made-up people with a realistic spread of experience, contracts,
degrees and departures."""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from bouv_tui.domain import catalog
from bouv_tui.domain.roster import StaffMember, experience_from_years
from bouv_tui.domain.settings import MunicipalitySettings

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



"""The demo's training plan (F8): this year's trainings and occasions with who is booked, and a
few of last year's, written in one transaction by the plan's bulk write
(``PlanWrites.add_plan``: the writes a row at a time took ten seconds at national scale).

The plan is made to show, at the default size (24 handläggare, ten trainings this year):

- a **covered** area: Risker och skydd (need 4 for handläggare in the demo's needs), where every
  handläggare lacking competence has a seat on one of the two occasions of "Signs of Safety –
  grundkurs", the spring one finished (``genomford``: its participants ``deltog`` and completed,
  waiting for re-assessment; one stayed away) and the winter one planned;
- an **uncovered** area with high need: Regelverk (need 4, raised for the new law, see
  ``demo/form.py``), in which no training is planned at any size, so everyone lacking it is
  listed as having no training;
- a **multi-area** training (BBIC: Utredning, Barns utveckling, Uppföljning), ongoing;
- an **introduction** (tag ``introduktion``) on which all but the latest of the new handläggare
  are booked, so that one is left without;
- a **cancelled** occasion (MI – motiverande samtal in May, too few applicants) beside the
  planned one in December;
- **support and supervision** (``stod_handledning``): external case supervision for a team of
  handläggare, the spring term finished and the autumn one ongoing, and process supervision
  for the arbetsledare;
- two trainings paid by **own funds** (the introduction and the university course in
  leadership), the rest by the year's state grant (so question 21 has rows, one of them an
  "Annat" area), every provider type set (questions 12 and 18 get suggestions).

An occasion's status follows from its dates and the demo's ``today`` (finished before it,
ongoing over it, planned after it), except the cancelled one. At a larger roster generated
trainings are added in proportion to the national scale: ``--staff 5113`` gives about 600
trainings, 1 200 occasions and 25 000 participant rows, drawn from the same catalogue of made-up
trainings and providers, with participants chosen mostly among those who lack competence in
the training's areas. Every draw comes from the step's own generator: the same seed gives the
same plan.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from bouv_tui.domain import plan as rules
from bouv_tui.domain.assessment import Round
from bouv_tui.domain.plan import Occasion, Participant, Plan, Training
from bouv_tui.domain.roster import StaffMember

#: The national scale the generated part is proportioned to (the 2013 inventory's handläggare).
NATIONAL_CASEWORKERS = 5113
NATIONAL_TRAININGS = 600
#: The area in which nothing is planned at any size: the uncovered one with high need.
UNCOVERED_AREA = "regelverk"
COVERED_AREA = "risk_skydd"

HP, DAYS = rules.HP, rules.DAYS
U, S = rules.TRAINING, rules.SUPPORT
CW, TL = (rules.CASEWORKERS,), (rules.LEADERS,)


@dataclass(frozen=True)
class Template:
    """A made-up training as a municipality would buy it: its name, areas and provider."""

    name: str
    kind: str
    areas: tuple[str, ...]
    provider: str
    provider_type: str
    extent: float
    unit: str
    place: str
    tags: tuple[str, ...] = ()
    groups: tuple[str, ...] = CW
    other_areas: tuple[str, ...] = ()
    #: Kronor: fixed, per participant; days away per participant.
    cost_fixed: int = 0
    cost_per_participant: int = 0
    days_away: float = 0.0
    #: How often the generated part picks it (the national finding: evidence-based practice
    #: and follow-up get the fewest trainings).
    weight: int = 3

    def training(self, year: int, name: str | None = None) -> Training:
        return Training(
            name or self.name, self.kind, year, self.areas, self.other_areas, self.provider, self.provider_type,
            self.extent, self.unit, self.tags, self.groups,
        )  # fmt: skip


#: The catalogue, by key. No training is in Regelverk (``UNCOVERED_AREA``).
TEMPLATES: dict[str, Template] = {
    "sos": Template("Signs of Safety – grundkurs", U, ("risk_skydd",), "Trygghetsakademin Exempel AB", "privat",
                    4, DAYS, "Kommunhuset, Exempelby", ("teori_metod",), cost_fixed=60_000,
                    cost_per_participant=2_500, days_away=4, weight=8),
    "sos_plus": Template("Signs of Safety – fördjupning", U, ("risk_skydd", "samtal"), "Trygghetsakademin Exempel AB",
                         "privat", 2, DAYS, "Kommunhuset, Exempelby", ("teori_metod",), cost_fixed=30_000,
                         cost_per_participant=2_000, days_away=2, weight=4),
    "bbic": Template("BBIC-utbildning", U, ("utredning", "barns_utveckling", "uppfoljning"), "FoU Exempelby", "fou",
                     3, DAYS, "FoU Exempelby, Storgatan 12", ("teori_metod",), cost_per_participant=1_800,
                     days_away=3, weight=6),
    "barnsamtal": Template("Barnsamtal", U, ("samtal",), "Exempelby universitet", "universitet_hogskola", 7.5, HP,
                           "Exempelby universitet", days_away=6, weight=4),
    "mi": Template("MI – motiverande samtal", U, ("samtal", "forhallningssatt"), "Samtalsverkstaden i Exempelby AB",
                   "privat", 3, DAYS, "distans", ("teori_metod",), cost_fixed=24_000, cost_per_participant=1_500,
                   days_away=3, weight=4),
    "utredning": Template("Utredningsmetodik för barn och unga", U, ("utredning",), "Påhittade högskolan",
                          "universitet_hogskola", 7.5, HP, "Påhittade högskolan", days_away=8),
    "risk": Template("Strukturerade risk- och skyddsbedömningar", U, ("risk_skydd", "ebp"), "FoU Exempelregionen",
                     "fou", 2, DAYS, "distans", cost_per_participant=1_200, days_away=2, weight=5),
    "ebp": Template("Evidensbaserad praktik i socialtjänsten", U, ("ebp",), "FoU Exempelby", "fou", 3, DAYS,
                    "FoU Exempelby, Storgatan 12", ("teori_metod",), cost_per_participant=1_500, days_away=3, weight=1),
    "uppfoljning": Template("Systematisk uppföljning av insatser", U, ("uppfoljning", "ebp"), "FoU Exempelregionen",
                            "fou", 1, DAYS, "distans", cost_per_participant=900, days_away=1, weight=1),
    "placerade": Template("Placerade barns hälsa och skolgång", U, ("placerade_barn",), "Kunskapscentrum Exempelland",
                          "stat_kommun_landsting", 2, DAYS, "Länshuset, Exempelstad", cost_fixed=8_000,
                          days_away=2, weight=3),
    "familjehem": Template("Familjehemsvård – grundkurs", U, ("placerade_barn", "insatser"), "Region Exempelland",
                           "stat_kommun_landsting", 3, DAYS, "Regionhuset, Exempelstad", cost_per_participant=2_200,
                           days_away=3),
    "samverkan": Template("Samverkan kring barn – skola, hälso- och sjukvård och polis", U, ("samverkan",),
                          "Region Exempelland", "stat_kommun_landsting", 1, DAYS, "Regionhuset, Exempelstad",
                          days_away=1, weight=2),
    "trauma": Template("Traumamedvetet förhållningssätt", U, ("forhallningssatt", "barns_utveckling"),
                       "Metodkonsult Påhittad AB", "privat", 2, DAYS, "distans", cost_fixed=18_000,
                       cost_per_participant=1_000, days_away=2),
    "foraldraskap": Template("Föräldraskapsstöd som insats", U, ("insatser",), "Föreningen Barnrätt Exempel",
                             "ideell_forening", 2, DAYS, "Föreningshuset, Exempelby", cost_per_participant=800,
                             days_away=2, weight=2),
    "heder": Template("Hedersrelaterat våld och förtryck – fördjupning", U, (), "Kunskapscentrum Exempelland",
                      "stat_kommun_landsting", 1, DAYS, "distans", other_areas=("Hedersrelaterat våld och förtryck",),
                      days_away=1, weight=2),
    "anknytning": Template("Barns utveckling och anknytning", U, ("barns_utveckling",), "Exempelby universitet",
                           "universitet_hogskola", 7.5, HP, "Exempelby universitet", days_away=8, weight=2),
    "intro": Template("Introduktion för nya medarbetare", U, ("utredning", "samverkan"), "Exempelby kommun, IFO",
                      "stat_kommun_landsting", 2, DAYS, "Kommunhuset, Exempelby", (rules.INTRODUCTION,),
                      days_away=2, weight=3),
    "yrkesresan": Template("Yrkesresan – ny som socialsekreterare", U, ("utredning", "samtal", "forhallningssatt"),
                           "Regionförbundet Exempelland", "skr", 4, DAYS, "distans",
                           (rules.INTRODUCTION, "yrkesresan"), cost_per_participant=1_000, days_away=4, weight=2),
    "handledning": Template("Extern ärendehandledning", S, ("forhallningssatt",), "Handledarhuset Exempel",
                            "enskild_person", 10, DAYS, "Kommunhuset, Exempelby", cost_fixed=96_000, days_away=5,
                            weight=4),
    "metodhandledning": Template("Metodhandledning i Signs of Safety", S, ("risk_skydd",),
                                 "Trygghetsakademin Exempel AB", "privat", 4, DAYS, "distans", cost_fixed=40_000,
                                 days_away=2, weight=2),
    "ledarskap": Template("Ledarskap i socialtjänsten", U, ("ledarskap",), "Exempelby universitet",
                          "universitet_hogskola", 7.5, HP, "Exempelby universitet", groups=TL, days_away=8, weight=2),
    "grupp": Template("Att leda grupper i förändring", U, ("grupprocesser", "ledarskap"), "Metodkonsult Påhittad AB",
                      "privat", 2, DAYS, "Konferensgården Exempelsjön", groups=TL, cost_fixed=20_000,
                      cost_per_participant=3_000, days_away=2, weight=2),
    "processhandledning": Template("Processhandledning för arbetsledare", S, ("ledarskap", "grupprocesser"),
                                   "Regionförbundet Exempelland", "skr", 6, DAYS, "Regionhuset, Exempelstad",
                                   groups=TL, cost_fixed=36_000, days_away=3, weight=2),
}  # fmt: skip

#: Districts that tell apart the generated copies of a training at national scale.
DISTRICTS = ("Norra", "Södra", "Östra", "Västra", "Centrala", "Kustområdet", "Inlandet", "Dalarna i Exempelland")


# --- what a step writes: trainings with their occasions and the people on them ---------------


@dataclass
class Seat:
    staff_id: int
    status: str = rules.BOOKED
    completed: bool = False


@dataclass
class PlannedOccasion:
    occasion: Occasion  # training_id is filled in when the training is stored
    seats: list[Seat] = field(default_factory=list)


@dataclass
class PlannedTraining:
    training: Training
    occasions: list[PlannedOccasion] = field(default_factory=list)


def status_on(start: date, end: date, today: date) -> str:
    """An occasion's status from its dates: finished before ``today``, ongoing over it."""
    if end < today:
        return rules.DONE
    if start <= today:
        return rules.ONGOING
    return rules.PLANNED


def _occasion(t: Template, start: date, end: date, today: date, *, seats: int, funding: str = rules.GRANT,
              status: str | None = None, place: str | None = None) -> Occasion:  # fmt: skip
    return Occasion(
        0, start, end, status or status_on(start, end, today), place or t.place, seats, funding, t.cost_fixed,
        t.cost_per_participant, t.days_away,
    )  # fmt: skip


def _seats(occasion: Occasion, people: Sequence[int], *, stayed_away: Sequence[int] = ()) -> list[Seat]:
    """Seats for ``people``: on a finished occasion they attended and completed it (those in
    ``stayed_away`` were absent); otherwise booked."""
    if occasion.status == rules.DONE:
        return [
            Seat(i, rules.ABSENT, False) if i in stayed_away else Seat(i, rules.ATTENDED, True) for i in people
        ]  # fmt: skip
    return [Seat(i) for i in people]


class _People:
    """The roster as the plan chooses from it: who is in a group, available for an occasion,
    lacking in an area (current round), new on the round's reference date."""

    def __init__(self, staff: Sequence[StaffMember], levels: Mapping[tuple[int, str], str], reference: date):
        self.staff = [p for p in staff if p.id is not None]
        self.by_group = {
            group: [p for p in self.staff if p.role == role] for group, role in rules.ROLE_OF_GROUP.items()
        }
        self.lacking: dict[str, set[int]] = {}
        for (staff_id, area), level in levels.items():
            if level == "saknar":
                self.lacking.setdefault(area, set()).add(staff_id)
        self.reference = reference

    def available(self, group: str, start: date, end: date) -> list[StaffMember]:
        """The group's people employed over the whole occasion."""
        return [p for p in self.by_group[group] if _employed_over(p, start, end)]

    def lacking_in(self, areas: Sequence[str]) -> set[int]:
        return set().union(*(self.lacking.get(a, set()) for a in areas))


def _pick(rng: random.Random, pool: Sequence[StaffMember], n: int, prefer: set[int], share: float = 0.7) -> list[int]:
    """``n`` distinct people of ``pool`` (fewer if it is small), about ``share`` of them among
    ``prefer`` while there are any."""
    wanted = [p.id for p in pool if p.id in prefer]
    others = [p.id for p in pool if p.id not in prefer]
    rng.shuffle(wanted)
    rng.shuffle(others)
    first = min(len(wanted), round(n * share))
    chosen = wanted[:first] + others[: n - first]
    if len(chosen) < n:
        chosen += wanted[first : first + n - len(chosen)]
    return sorted(chosen)


# --- the showcase: what the default demo shows -------------------------------------------


def showcase(rng: random.Random, people: _People, year: int, today: date) -> list[PlannedTraining]:
    """This year's trainings of the default demo (see the module's docstring)."""
    t = TEMPLATES
    d = date
    plan: list[PlannedTraining] = []

    def add(key: str, *occasions: tuple[Occasion, list[Seat]]) -> None:
        plan.append(PlannedTraining(t[key].training(year), [PlannedOccasion(o, s) for o, s in occasions]))

    # Covered: every handläggare lacking in Risker och skydd has a seat, spring or winter.
    sos = t["sos"]
    spring = _occasion(sos, d(year, 3, 10), d(year, 4, 14), today, seats=12)
    winter = _occasion(sos, d(year, 12, 1), d(year, 12, 10), today, seats=12)
    lacking = sorted(people.lacking.get(COVERED_AREA, set()) & {p.id for p in people.by_group[rules.CASEWORKERS]})
    could_go = {p.id for p in people.available(rules.CASEWORKERS, spring.start, spring.end)}
    early = [i for i in lacking if i in could_go][: max(1, len(lacking) // 2)][:10]
    late = [i for i in lacking if i not in early][:22]
    others = [p.id for p in people.available(rules.CASEWORKERS, spring.start, spring.end) if p.id not in lacking]
    rng.shuffle(others)
    fill = sorted(others[: max(0, min(3, spring.seats - len(early)))])
    spring_people = sorted(early + fill)
    absent = fill[-1:] if fill else []
    spring = replace(spring, seats=max(spring.seats, len(spring_people)))
    winter = replace(winter, seats=max(winter.seats, len(late) + 2))
    add("sos", (spring, _seats(spring, spring_people, stayed_away=absent)), (winter, _seats(winter, late)))

    # Multi-area, ongoing: BBIC for those lacking in Utredning first.
    bbic = _occasion(t["bbic"], d(year, 11, 5), d(year, 12, 3), today, seats=16)
    pool = people.available(rules.CASEWORKERS, bbic.start, bbic.end)
    add("bbic", (bbic, _seats(bbic, _pick(rng, pool, 10, people.lacking_in(("utredning", "uppfoljning"))))))

    # A university course in the spring, finished.
    barnsamtal = _occasion(t["barnsamtal"], d(year, 1, 20), d(year, 6, 5), today, seats=4)
    pool = people.available(rules.CASEWORKERS, barnsamtal.start, barnsamtal.end)
    add("barnsamtal", (barnsamtal, _seats(barnsamtal, _pick(rng, pool, 3, people.lacking_in(("samtal",))))))

    # Cancelled in May (too few applicants), planned again in December.
    mi = t["mi"]
    may = _occasion(mi, d(year, 5, 12), d(year, 5, 14), today, seats=14, status=rules.CANCELLED)
    december = _occasion(mi, d(year, 12, 8), d(year, 12, 10), today, seats=10)
    pool = people.available(rules.CASEWORKERS, december.start, december.end)
    add("mi", (may, []), (december, _seats(december, _pick(rng, pool, 7, people.lacking_in(("samtal",))))))

    # The introduction, own funds: the new handläggare but the latest one are booked.
    intro = _occasion(t["intro"], d(year, 12, 14), d(year, 12, 15), today, seats=6, funding=rules.OWN_FUNDS)
    new = sorted(
        (p for p in people.by_group[rules.CASEWORKERS] if p.is_new(people.reference) and p.is_active(today)),
        key=lambda p: (p.experience_start or today, p.id),
    )
    booked = [p.id for p in new[:-1]][: intro.seats]
    add("intro", (intro, _seats(intro, sorted(booked))))

    # Support and supervision: one team of handläggare a term at a time, all arbetsledare.
    spring_term = _occasion(t["handledning"], d(year, 1, 15), d(year, 6, 10), today, seats=12)
    autumn_term = _occasion(t["handledning"], d(year, 8, 19), d(year, 12, 16), today, seats=12)
    pool = people.available(rules.CASEWORKERS, spring_term.start, autumn_term.end)
    team = sorted({p.unit for p in pool})
    members = [p.id for p in pool if team and p.unit == team[0]][:12]
    add("handledning", (spring_term, _seats(spring_term, members)), (autumn_term, _seats(autumn_term, members)))
    process = _occasion(t["processhandledning"], d(year, 2, 1), d(year, 11, 30), today, seats=12)
    leaders = [p.id for p in people.available(rules.LEADERS, process.start, process.end)][:12]
    add("processhandledning", (process, _seats(process, leaders)))

    # Own funds: a leader at the university (into next year).
    ledarskap = _occasion(t["ledarskap"], d(year, 9, 1), d(year + 1, 1, 20), today, seats=2, funding=rules.OWN_FUNDS)
    first_job = sorted(
        people.available(rules.LEADERS, ledarskap.start, ledarskap.end), key=lambda p: (not p.first_manager_job, p.id)
    )
    add("ledarskap", (ledarskap, _seats(ledarskap, sorted(p.id for p in first_job[:1]))))

    # An "Annat" area in question 21; and placed children, which got worse this year.
    heder = _occasion(t["heder"], d(year, 10, 15), d(year, 10, 15), today, seats=8)
    pool = people.available(rules.CASEWORKERS, heder.start, heder.end)
    add("heder", (heder, _seats(heder, _pick(rng, pool, 5, set()))))
    placerade = _occasion(t["placerade"], d(year, 11, 24), d(year, 11, 25), today, seats=10)
    pool = people.available(rules.CASEWORKERS, placerade.start, placerade.end)
    add("placerade", (placerade, _seats(placerade, _pick(rng, pool, 6, people.lacking_in(("placerade_barn",))))))
    return plan


def last_year(rng: random.Random, people: _People, year: int, today: date) -> list[PlannedTraining]:
    """Last year's plan, all finished: evidence-based practice (which then improved, see
    ``demo/assessments.py``), Signs of Safety, an introduction and a term of supervision."""
    t = TEMPLATES
    lacking_ebp = people.lacking.get("ebp", set())
    plan = []
    for key, start, end, seats, funding, prefer in (
        ("ebp", date(year, 3, 3), date(year, 5, 19), 12, rules.GRANT, lacking_ebp),
        ("sos", date(year, 10, 6), date(year, 10, 9), 10, rules.GRANT, set()),
        ("intro", date(year, 9, 15), date(year, 9, 16), 6, rules.OWN_FUNDS, set()),
        ("handledning", date(year, 8, 20), date(year, 12, 10), 8, rules.GRANT, set()),
    ):
        occasion = _occasion(t[key], start, end, today, seats=seats, funding=funding)
        pool = people.available(rules.CASEWORKERS, start, end)
        if key == "intro":
            pool = [p for p in pool if p.is_new(start + timedelta(days=1))]
        chosen = _pick(rng, pool, min(seats, 8), prefer, share=1.0)
        plan.append(PlannedTraining(t[key].training(year), [PlannedOccasion(occasion, _seats(occasion, chosen))]))
    return plan


# --- the generated part, in proportion to the national scale --------------------------------

#: Occasions per generated training and their shares (about two on average).
OCCASIONS_PER_TRAINING = ((1, 0.3), (2, 0.4), (3, 0.3))
SHARE_CANCELLED = 0.04
SHARE_OWN_FUNDS = 0.15
#: Seats on a generated occasion, and how full it is.
SEATS = (16, 34)
LEADER_SEATS = (6, 14)
FULL = (0.85, 1.0)


def generated(rng: random.Random, people: _People, year: int, today: date, count: int) -> list[PlannedTraining]:
    """``count`` trainings drawn from the catalogue (by weight), each in a district, with one
    to three occasions over the year and their participants."""
    keys = list(TEMPLATES)
    weights = [TEMPLATES[k].weight for k in keys]
    copies: dict[str, int] = {}
    preferred: dict[str, list[StaffMember]] = {}
    plan = []
    for _ in range(count):
        key = rng.choices(keys, weights)[0]
        template = TEMPLATES[key]
        copies[key] = copies.get(key, 0) + 1
        district = DISTRICTS[(copies[key] - 1) % len(DISTRICTS)]
        round_ = (copies[key] - 1) // len(DISTRICTS) + 1
        name = f"{template.name} – {district} distriktet" + (f", grupp {round_}" if round_ > 1 else "")
        group = template.groups[0]
        members = people.by_group[group]
        if key not in preferred:
            if rules.INTRODUCTION in template.tags:
                preferred[key] = [p for p in members if p.is_new(people.reference)]
            else:
                lacking = people.lacking_in(template.areas)
                preferred[key] = [p for p in members if p.id in lacking]
        funding = rules.OWN_FUNDS if rng.random() < SHARE_OWN_FUNDS else rules.GRANT
        n = rng.choices([k for k, _ in OCCASIONS_PER_TRAINING], [w for _, w in OCCASIONS_PER_TRAINING])[0]
        months = sorted(rng.sample(range(1, 13), n))
        booked: set[int] = set()
        occasions = []
        for month in months:
            start = date(year, month, rng.randint(1, 28))
            end = _end(rng, template, start)
            seats = rng.randint(*SEATS) if group == rules.CASEWORKERS else rng.randint(*LEADER_SEATS)
            place = "distans" if rng.random() < 0.2 else template.place
            status = rules.CANCELLED if rng.random() < SHARE_CANCELLED else None
            occasion = _occasion(template, start, end, today, seats=seats, funding=funding, status=status, place=place)
            if occasion.status == rules.CANCELLED:
                occasions.append(PlannedOccasion(occasion))
                continue

            def free(p: StaffMember, start: date = start, end: date = end) -> bool:
                return p.id not in booked and _employed_over(p, start, end)

            wanted = round(seats * rng.uniform(*FULL))
            chosen = _draw(rng, preferred[key], round(wanted * 0.7), free)
            booked.update(chosen)
            chosen += _draw(rng, members, wanted - len(chosen), free)
            booked.update(chosen)
            away = {i for i in chosen if rng.random() < 0.05}
            occasions.append(PlannedOccasion(occasion, _seats(occasion, sorted(chosen), stayed_away=away)))
        plan.append(PlannedTraining(template.training(year, name), occasions))
    return plan


def _employed_over(p: StaffMember, start: date, end: date) -> bool:
    return (p.employed_from is None or p.employed_from <= start) and (p.employed_until is None or p.employed_until >= end)


def _draw(rng: random.Random, candidates: Sequence[StaffMember], k: int, ok) -> list[int]:
    """Up to ``k`` ids of ``candidates`` for whom ``ok`` holds, at random: a sample a little
    larger than ``k`` first (at national scale a pool is thousands), all of them if that was
    not enough."""
    if k <= 0 or not candidates:
        return []
    got = [p.id for p in rng.sample(candidates, min(len(candidates), 2 * k + 8)) if ok(p)][:k]
    if len(got) < k:
        rest = [p.id for p in candidates if ok(p) and p.id not in got]
        got += rng.sample(rest, min(k - len(got), len(rest)))
    return got


def _end(rng: random.Random, template: Template, start: date) -> date:
    if template.unit == HP:
        return start + timedelta(weeks=rng.randint(10, 20))
    if template.kind == rules.SUPPORT:
        return start + timedelta(weeks=rng.randint(12, 40))
    return start + timedelta(days=max(0, math.ceil(template.extent) - 1))


def generated_count(caseworkers: int, showcase_count: int) -> int:
    """How many trainings to generate so that the year holds about ``NATIONAL_TRAININGS`` at
    the national scale, in proportion below it; none at the default size."""
    return max(0, round(NATIONAL_TRAININGS * caseworkers / NATIONAL_CASEWORKERS) - showcase_count)


# --- writing -----------------------------------------------------------------------------


def as_plan(planned: Sequence[PlannedTraining]) -> Plan:
    """``planned`` as a domain ``Plan``, its rows tied together by provisional ids (1, 2, …)."""
    trainings, occasions, participants = [], [], []
    for item in planned:
        training = replace(item.training, id=len(trainings) + 1)
        trainings.append(training)
        for entry in item.occasions:
            occasion = replace(entry.occasion, training_id=training.id, id=len(occasions) + 1)
            occasions.append(occasion)
            participants += [Participant(occasion.id, s.staff_id, s.status, s.completed) for s in entry.seats]
    return Plan(trainings, occasions, participants)


def write_plan(repo, planned: Sequence[PlannedTraining]) -> Plan:
    """Store ``planned`` in one transaction (``PlanWrites.add_plan``, which refuses an occasion
    with more people than seats) and return the stored plan. A call a row (``save_training``,
    ``save_occasion``, ``book``, ``save_participants``) took ten seconds at national scale."""
    return repo.add_plan(as_plan(planned))


def build_plan(
    rng: random.Random,
    staff: Sequence[StaffMember],
    rounds: tuple[Round, Round],
    levels: Mapping[int, Mapping[tuple[int, str], str]],
    today: date,
    caseworkers: int,
) -> tuple[list[PlannedTraining], list[PlannedTraining]]:
    """Last year's and this year's plan (``levels``: round id → (staff id, area) → level)."""
    previous, current = rounds
    people = _People(staff, levels[current.id], current.reference_date)
    this_year = showcase(rng, people, current.year, today)
    this_year += generated(rng, people, current.year, today, generated_count(caseworkers, len(this_year)))
    before = last_year(rng, _People(staff, levels[previous.id], previous.reference_date), previous.year, today)
    return before, this_year

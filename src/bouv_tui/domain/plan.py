"""The training plan (F8): trainings and their occasions, who is booked, and how the plan
meets the needs; question 21 and the person counts of the financial report come from here.

Counting rules (``spec/FORM.md``, the 2013 report's double-counting problem): a training in
several areas is listed under each of them, but counts once in every total; seats count
distinct people. Nothing here reads a file or the database.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bouv_tui.domain import catalog
from bouv_tui.domain.catalog import Catalogue, Entry
from bouv_tui.domain.roster import StaffMember, years_before

TRAINING, SUPPORT = "utbildning", "stod_handledning"
KINDS = Catalogue([Entry(TRAINING, "Utbildning"), Entry(SUPPORT, "Stöd och handledning")])

PLANNED, ONGOING, DONE, CANCELLED = "planerad", "pagar", "genomford", "installd"
OCCASION_STATUSES = Catalogue(
    [Entry(PLANNED, "Planerad"), Entry(ONGOING, "Pågår"), Entry(DONE, "Genomförd"), Entry(CANCELLED, "Inställd")]
)

BOOKED, ATTENDED, DROPPED, ABSENT = "anmald", "deltog", "avbrot", "franvarande"
#: The participant statuses that hold a seat: booked, or there (not dropped out, not absent).
SEAT_STATUSES = (BOOKED, ATTENDED)
PARTICIPANT_STATUSES = Catalogue(
    [Entry(BOOKED, "Anmäld"), Entry(ATTENDED, "Deltog"), Entry(DROPPED, "Avbröt"), Entry(ABSENT, "Frånvarande")]
)

INTRODUCTION = "introduktion"
TAGS = Catalogue(
    [
        Entry(INTRODUCTION, "Introduktion", "För nyanställda."),
        Entry("teori_metod", "Teori/metod"),
        Entry("yrkesresan", "Yrkesresan"),
    ]
)

HP, DAYS = "hp", "dagar"
EXTENT_UNITS = Catalogue([Entry(HP, "högskolepoäng"), Entry(DAYS, "dagar")])

CASEWORKERS, LEADERS = "handlaggare", "arbetsledare"
GROUPS = Catalogue([Entry(CASEWORKERS, "Handläggare"), Entry(LEADERS, "Arbetsledare")])
ROLE_OF_GROUP = {CASEWORKERS: catalog.CASEWORKER, LEADERS: catalog.TEAM_LEADER}

#: Funding until the budget (F9) has its sources: the year's state grant, or own funds.
GRANT, OWN_FUNDS = "statsbidrag", "egna_medel"
FUNDING = Catalogue([Entry(GRANT, "Årets statsbidrag"), Entry(OWN_FUNDS, "Egna medel")])

#: Question 21's staff categories (``FORM.md``).
Q21_CASEWORKER, Q21_NO_DEGREE, Q21_MANAGER = "handlaggare", "handlaggare_utan_socionomexamen", "chefer"
Q21_CATEGORIES = (Q21_CASEWORKER, Q21_NO_DEGREE, Q21_MANAGER)

#: The financial report's person categories (report tables 8 and 9), in their order: each
#: person is counted once, in the first category that fits.
OVER_4_YEARS, NO_DEGREE, OTHER_CASEWORKERS, TEAM_LEADERS, OTHERS = (
    "handlaggare_over_4_ar", "handlaggare_utan_socionomexamen", "ovriga_handlaggare", "arbetsledare", "annat",
)  # fmt: skip
REPORT_CATEGORIES = (OVER_4_YEARS, NO_DEGREE, OTHER_CASEWORKERS, TEAM_LEADERS, OTHERS)
REPORT_EXPERIENCE_YEARS = 4  # "mer än 4 års erfarenhet"


@dataclass(frozen=True)
class Training:
    """A training or a course of support and supervision, run as one or more occasions."""

    name: str
    kind: str
    year: int
    areas: tuple[str, ...] = ()  # knowledge-area codes, in the catalogue's order
    other_areas: tuple[str, ...] = ()  # labels of "Annat" areas
    provider: str = ""
    provider_type: str | None = None  # catalog.PROVIDER_TYPES
    extent: float | None = None
    extent_unit: str | None = None  # HP or DAYS
    tags: tuple[str, ...] = ()
    groups: tuple[str, ...] = (CASEWORKERS,)
    id: int | None = None
    version: int = 0

    def has_area(self, area: str) -> bool:
        return area in self.areas

    @property
    def is_introduction(self) -> bool:
        return INTRODUCTION in self.tags

    def area_labels(self) -> list[str]:
        """Every area the training is listed under, as the form names them."""
        return [catalog.AREAS.label(a) for a in self.areas] + [f"Annat: {label}" for label in self.other_areas]


@dataclass(frozen=True)
class Occasion:
    """One run of a training (tillfälle): dates, seats, cost and who pays."""

    training_id: int
    start: date
    end: date
    status: str = PLANNED
    place: str = ""  # a place, or "distans"
    seats: int | None = None  # None: as many as are booked
    funding: str = GRANT
    cost_fixed: int = 0  # whole kronor
    cost_per_participant: int = 0
    days_away: float = 0.0  # per participant: the substitute cover the budget prices
    id: int | None = None
    version: int = 0

    @property
    def counts(self) -> bool:
        """An occasion that is not cancelled counts in every figure."""
        return self.status != CANCELLED

    def cost(self, participants: int) -> int:
        """What the occasion costs with ``participants`` booked (no substitute cover)."""
        return self.cost_fixed + self.cost_per_participant * participants


@dataclass(frozen=True)
class Participant:
    """A person booked on an occasion, with how it went."""

    occasion_id: int
    staff_id: int
    status: str = BOOKED
    completed: bool = False
    version: int = 0

    @property
    def takes_a_seat(self) -> bool:
        """Booked, or there: a person who dropped out or stayed away does not hold a seat."""
        return self.status in SEAT_STATUSES


_NOBODY: frozenset[int] = frozenset()


def _seated(participants: Iterable[Participant]) -> frozenset[int]:
    return frozenset([p.staff_id for p in participants if p.status in SEAT_STATUSES])  # as Participant.takes_a_seat


class Plan:
    """A year's trainings, their occasions and the participants, indexed once (at national
    scale some 600 trainings, 1 200 occasions and 25 000 participants)."""

    def __init__(
        self,
        trainings: Iterable[Training] = (),
        occasions: Iterable[Occasion] = (),
        participants: Iterable[Participant] = (),
    ) -> None:
        self.trainings = tuple(trainings)
        self.occasions = tuple(occasions)
        self.participants = tuple(participants)
        self._trainings = {t.id: t for t in self.trainings}
        self._occasions: dict[int | None, list[Occasion]] = {}
        for occasion in self.occasions:
            if occasion.training_id not in self._trainings:
                raise ValueError(f"occasion {occasion.id} of unknown training {occasion.training_id}")
            self._occasions.setdefault(occasion.training_id, []).append(occasion)
        self._participants: dict[int | None, list[Participant]] = {}
        for participant in self.participants:
            found = self._participants.get(participant.occasion_id)
            if found is None:
                self._participants[participant.occasion_id] = [participant]
            else:
                found.append(participant)
        # Who holds a seat, once: every figure asks it for every occasion (at national scale
        # the overview asked 6 000 times, and recounted 25 000 participants each time).
        self._seated = {occasion_id: _seated(found) for occasion_id, found in self._participants.items()}

    def with_participants(self, participants: Iterable[Participant]) -> Plan:
        """This plan with ``participants`` added after its own, as ``Plan(trainings, occasions,
        participants + added)`` would make it, without indexing its rows again: only the
        occasions they are on are looked at (what a screen does after a booking)."""
        added = tuple(participants)
        plan = Plan.__new__(Plan)
        plan.trainings, plan.occasions, plan.participants = self.trainings, self.occasions, self.participants + added
        plan._trainings, plan._occasions = self._trainings, self._occasions  # never changed after __init__
        plan._participants, plan._seated = dict(self._participants), dict(self._seated)
        for occasion_id in dict.fromkeys(p.occasion_id for p in added):
            found = [*self._participants.get(occasion_id, ()), *(p for p in added if p.occasion_id == occasion_id)]
            plan._participants[occasion_id] = found
            plan._seated[occasion_id] = _seated(found)
        return plan

    def training(self, training_id: int | None) -> Training:
        return self._trainings[training_id]

    def occasions_of(self, training_id: int | None) -> list[Occasion]:
        return list(self._occasions.get(training_id, ()))

    def participants_of(self, occasion_id: int | None) -> list[Participant]:
        return list(self._participants.get(occasion_id, ()))

    def seated(self, occasion_id: int | None) -> frozenset[int]:
        """The people holding a seat on the occasion (booked or attended)."""
        return self._seated.get(occasion_id, _NOBODY)


# --- booking ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BookingCheck:
    """What booking people on an occasion would do: refused (with why), or allowed, with the
    people already booked on another occasion of the same training (a flag, not a refusal)."""

    refused: str | None
    booked_elsewhere: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        return self.refused is None


def check_booking(plan: Plan, occasion: Occasion, staff_ids: Iterable[int]) -> BookingCheck:
    """Whether ``staff_ids`` may be booked on ``occasion`` in ``plan``: a cancelled or finished
    occasion takes no one, and the seats, when set, may not be exceeded (people booked already
    keep their seat and are not counted twice)."""
    wanted = list(dict.fromkeys(staff_ids))
    if occasion.status == CANCELLED:
        return BookingCheck("Tillfället är inställt: ingen kan bokas på det.")
    if occasion.status == DONE:
        return BookingCheck("Tillfället är genomfört: ändra deltagarnas status i stället för att boka nya.")
    seated = plan.seated(occasion.id)
    new = [i for i in wanted if i not in seated]
    if occasion.seats is not None and len(seated) + len(new) > occasion.seats:
        free = max(0, occasion.seats - len(seated))
        return BookingCheck(
            f"Tillfället har {occasion.seats} platser och {len(seated)} är bokade: "
            f"{_people(free)} till kan bokas, inte {len(new)}."
        )
    others = set().union(
        *(plan.seated(o.id) for o in plan.occasions_of(occasion.training_id) if o.id != occasion.id and o.counts)
    )
    return BookingCheck(None, tuple(i for i in new if i in others))


def _people(n: int) -> str:
    return "ingen" if n == 0 else ("en" if n == 1 else str(n))


# --- need against plan ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaPlan:
    """One area for one group: the need, the gap and the seats planned against it."""

    area: str
    group: str
    need: int | None  # the chosen need score (1–5), None when not chosen
    lacking: int  # people of the group lacking sufficient competence in the area
    advanced: int
    planned: int  # distinct people with a seat on a planned occasion in the area
    ongoing: int
    done: int
    uncovered: tuple[int, ...]  # ids of people lacking competence with no seat in the area

    @property
    def seats(self) -> int:
        return self.planned + self.ongoing + self.done


def seats_by_area(plan: Plan, group_ids: set[int]) -> dict[str, dict[str, set[int]]]:
    """Area → occasion status → the distinct people of ``group_ids`` holding a seat in it."""
    found: dict[str, dict[str, set[int]]] = {}
    for occasion in plan.occasions:
        if not occasion.counts:
            continue
        training = plan.training(occasion.training_id)
        people = plan.seated(occasion.id) & group_ids
        for area in training.areas:
            found.setdefault(area, {}).setdefault(occasion.status, set()).update(people)
    return found


def need_against_plan(
    plan: Plan,
    group: str,
    people: Sequence[StaffMember],
    levels: Mapping[tuple[int, str], str],
    needs: Mapping[str, int | None],
    areas: Sequence[str],
) -> list[AreaPlan]:
    """Per area of ``group``: the need score chosen for it, how many of the group lack
    competence or are advanced (``levels``: (staff id, area) → level), the distinct people
    with a seat by the occasion's status, and who lacks competence and has no seat at all."""
    return _need_against_plan(plan, group, people, _by_level(levels), needs, areas)


class Levels(Mapping):
    """A round's levels ((staff id, area) → level) that cannot change, with who lacks
    competence and who is advanced in each area found once: the overview takes them as any
    mapping, and recomputed after a booking (the levels the same, the plan one person more) it
    does not go through the round's 60 000 levels again."""

    def __init__(self, levels: Mapping[tuple[int, str], str]) -> None:
        self._levels = dict(levels)
        self.by_level = _by_level(self._levels)

    def __getitem__(self, key: tuple[int, str]) -> str:
        return self._levels[key]

    def __iter__(self):
        return iter(self._levels)

    def __len__(self) -> int:
        return len(self._levels)


def _by_level(levels: Mapping[tuple[int, str], str]) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """Area → who lacks competence in it, and area → who is advanced: one pass over the levels
    (at national scale 60 000), for every group and area to look up."""
    if isinstance(levels, Levels):
        return levels.by_level
    lacking: dict[str, set[int]] = {}
    advanced: dict[str, set[int]] = {}
    for (staff_id, area), level in levels.items():
        if level == "saknar":
            lacking.setdefault(area, set()).add(staff_id)
        elif level == "fordjupad":
            advanced.setdefault(area, set()).add(staff_id)
    return lacking, advanced


def _need_against_plan(
    plan: Plan,
    group: str,
    people: Sequence[StaffMember],
    by_level: tuple[dict[str, set[int]], dict[str, set[int]]],
    needs: Mapping[str, int | None],
    areas: Sequence[str],
) -> list[AreaPlan]:
    role = ROLE_OF_GROUP[group]
    member_ids = [p.id for p in people if p.role == role and p.id is not None]
    seats = seats_by_area(plan, set(member_ids))
    lacking_in, advanced_in = by_level
    listed = Counter(member_ids)  # a person listed twice counts twice
    rows = []
    for area in areas:
        lacking_here = lacking_in.get(area, _NOBODY)
        lacking = [i for i in member_ids if i in lacking_here]
        advanced = sum(listed[i] for i in advanced_in.get(area, _NOBODY) if i in listed)
        by_status = seats.get(area, {})
        seated = set().union(*by_status.values())
        rows.append(
            AreaPlan(
                area, group, needs.get(area), len(lacking), advanced,
                len(by_status.get(PLANNED, ())), len(by_status.get(ONGOING, ())), len(by_status.get(DONE, ())),
                tuple(i for i in lacking if i not in seated),
            )
        )  # fmt: skip
    return rows


@dataclass(frozen=True)
class Totals:
    """The plan's totals both ways: listed under areas (a training in three areas three times)
    and distinct (each training, occasion and person once)."""

    trainings_listed: int
    trainings: int
    seats_listed: int
    people: int


def totals(plan: Plan) -> Totals:
    live = [o for o in plan.occasions if o.counts]
    trainings = {o.training_id for o in live}
    listed = sum(_listings(plan.training(t)) for t in trainings)
    seats_listed = 0
    people: set[int] = set()
    for occasion in live:
        seated = plan.seated(occasion.id)
        seats_listed += len(seated) * _listings(plan.training(occasion.training_id))
        people |= seated
    return Totals(listed, len(trainings), seats_listed, len(people))


def _listings(training: Training) -> int:
    return len(training.areas) + len(training.other_areas)


def without_introduction(plan: Plan, people: Sequence[StaffMember], on: date) -> list[StaffMember]:
    """New staff (under a year of experience on ``on``) with no seat on a training tagged
    introduktion that is not cancelled."""
    introduced = set().union(
        *(plan.seated(o.id) for o in plan.occasions if o.counts and plan.training(o.training_id).is_introduction)
    )
    return [p for p in people if p.is_new(on) and p.id not in introduced]


# --- question 21 and the financial report's person counts ------------------------------------------


@dataclass(frozen=True)
class Q21Row:
    """One row of question 21: a training under one of its areas."""

    area: str | None  # an area code, or None for an "Annat" row
    other_area: str | None
    training: str
    participants: int
    categories: tuple[str, ...]  # Q21_CATEGORIES present among the participants
    provider: str
    provider_type: str | None
    extent: float | None
    extent_unit: str | None


def grant_occasions(plan: Plan, year: int) -> list[Occasion]:
    """The occasions question 21 reports: paid fully or partly by the year's state grant,
    started within the year, not cancelled."""
    return [o for o in plan.occasions if o.counts and o.funding == GRANT and o.start.year == year]


def question_21(plan: Plan, year: int, people: Mapping[int, StaffMember]) -> list[Q21Row]:
    """Each training with a grant-funded occasion in ``year``, listed under each of its areas
    in the catalogue's order and then its "Annat" areas: distinct participants who attended
    or are booked, and the staff categories among them."""
    occasions = grant_occasions(plan, year)
    by_training: dict[int, set[int]] = {}
    for occasion in occasions:
        by_training.setdefault(occasion.training_id, set()).update(plan.seated(occasion.id))
    rows = []
    order = catalog.AREAS.codes()
    among = _q21_people(people.items())
    for training_id, ids in by_training.items():
        training = plan.training(training_id)
        categories = tuple(c for c in Q21_CATEGORIES if not ids.isdisjoint(among[c]))
        listed = [(a, None) for a in training.areas] + [(None, label) for label in training.other_areas]
        for area, other in listed:
            rows.append(
                Q21Row(area, other, training.name, len(ids), categories, training.provider,
                       training.provider_type, training.extent, training.extent_unit)
            )  # fmt: skip
    rows.sort(key=lambda r: (order.index(r.area), r.training) if r.area else (len(order), r.other_area, r.training))
    return rows


def q21_categories(people: Iterable[StaffMember]) -> tuple[str, ...]:
    found = _q21_people(enumerate(people))
    return tuple(c for c in Q21_CATEGORIES if found[c])


def _q21_people(people: Iterable[tuple[object, StaffMember]]) -> dict[str, set]:
    """Question 21's category → the keys of the people in it (a handläggare without
    socionomexamen is in two), for each training's participants to be looked up in once."""
    found: dict[str, set] = {c: set() for c in Q21_CATEGORIES}
    for key, person in people:
        if person.role == catalog.CASEWORKER:
            found[Q21_CASEWORKER].add(key)
            if not person.social_work_degree:
                found[Q21_NO_DEGREE].add(key)
        elif person.role == catalog.TEAM_LEADER:
            found[Q21_MANAGER].add(key)
    return found


def report_category(person: StaffMember, on: date) -> str:
    """The financial report's category of ``person`` on ``on``: the first of
    REPORT_CATEGORIES that fits (more than four years' experience comes before no degree)."""
    if person.role == catalog.CASEWORKER:
        start = person.experience_start
        if start is not None and start < years_before(on, REPORT_EXPERIENCE_YEARS):
            return OVER_4_YEARS
        if not person.social_work_degree:
            return NO_DEGREE
        return OTHER_CASEWORKERS
    if person.role == catalog.TEAM_LEADER:
        return TEAM_LEADERS
    return OTHERS


def report_person_counts(plan: Plan, year: int, people: Mapping[int, StaffMember], on: date) -> dict[str, dict[str, int]]:
    """Report tables 8 (utbildning) and 9 (stöd och handledning): per category, the distinct
    people who attended an occasion of that kind that started in ``year`` (each person once
    per table, in their category on ``on``)."""
    attended: dict[str, set[int]] = {TRAINING: set(), SUPPORT: set()}
    for occasion in plan.occasions:
        if not occasion.counts or occasion.start.year != year:
            continue
        kind = plan.training(occasion.training_id).kind
        attended[kind].update(p.staff_id for p in plan.participants_of(occasion.id) if p.status == ATTENDED)
    tables = {}
    for kind, ids in attended.items():
        counts = dict.fromkeys(REPORT_CATEGORIES, 0)
        for staff_id in ids:
            if staff_id in people:
                counts[report_category(people[staff_id], on)] += 1
        tables[kind] = counts
    return tables


# --- the plan screen's overview ------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    """What the plan screen shows beside the trainings: need against plan per group, the
    totals both ways, new staff without an introduction, caseworkers without behörighet
    (with the trainings they are booked on), and question 21's rows."""

    by_group: dict[str, list[AreaPlan]]
    totals: Totals
    no_introduction: tuple[StaffMember, ...]
    unqualified: tuple[tuple[StaffMember, tuple[str, ...]], ...]
    question_21: tuple[Q21Row, ...]


def overview(
    plan: Plan,
    year: int,
    people: Sequence[StaffMember],
    levels: Mapping[tuple[int, str], str],
    needs: Mapping[tuple[str, str], int],
    areas_by_group: Mapping[str, Sequence[str]],
    on: date,
) -> Overview:
    """The overview of ``plan`` for ``people`` active in the year (``needs``: (group, area) → score)."""
    by_level = _by_level(levels)
    by_group = {
        group: _need_against_plan(plan, group, people, by_level, {a: needs.get((group, a)) for a in areas}, areas)
        for group, areas in areas_by_group.items()
    }
    without_behorighet = [person for person in people if person.is_caseworker and not person.is_qualified]
    booked_on: dict[int, list[str]] = {person.id: [] for person in without_behorighet}
    for occasion in plan.occasions:
        if occasion.counts:
            for staff_id in plan.seated(occasion.id) & booked_on.keys():
                booked_on[staff_id].append(plan.training(occasion.training_id).name)
    unqualified = tuple((person, tuple(dict.fromkeys(booked_on[person.id]))) for person in without_behorighet)
    by_id = {person.id: person for person in people if person.id is not None}
    return Overview(
        by_group, totals(plan), tuple(without_introduction(plan, people, on)), unqualified,
        tuple(question_21(plan, year, by_id)),
    )  # fmt: skip


# --- suggested answers to questions 12 and 18 -----------------------------------------------------

#: A provider type (``catalog.PROVIDER_TYPES``) → the way of organising it that questions 12 and
#: 18 ask about. A suggestion the chef confirms: a training the municipality gave itself is
#: "I egen regi", which no provider type says.
ORGANISED_BY = {
    "privat": "konsult",
    "enskild_person": "konsult",
    "stat_kommun_landsting": "narliggande_kommun",
    "fou": "fou",
    "universitet_hogskola": "universitet_hogskola",
    "skr": "skr_forbund",
    "ideell_forening": "annat",
}
QUESTION_OF_GROUP = {CASEWORKERS: "fraga_12", LEADERS: "fraga_18"}


def suggested_organisation(plan: Plan, year: int, group: str) -> tuple[str, ...]:
    """The answer options of question 12 (``handlaggare``) or 18 (``arbetsledare``) that the
    year's trainings for the group suggest, in the form's order: each provider type's way of
    organising, from occasions started in the year and not cancelled; "ingen" when there is
    none. Trainings without a provider type suggest nothing."""
    from bouv_tui.domain import questionnaire

    order = questionnaire.BY_KEY[QUESTION_OF_GROUP[group]].options.codes()
    ran = [
        plan.training(o.training_id)
        for o in plan.occasions
        if o.counts and o.start.year == year and group in plan.training(o.training_id).groups
    ]
    if not ran:
        return ("ingen",)
    found = {ORGANISED_BY[t.provider_type] for t in ran if t.provider_type in ORGANISED_BY}
    return tuple(code for code in order if code in found)


# --- the plan screen's table: filters ----------------------------------------------------------------


@dataclass(frozen=True)
class PlanFilter:
    """What the table of trainings shows: each set filter must match (None: any). The area,
    kind and tag are the training's; the status and funding its occasions'."""

    area: str | None = None  # an area code, or OTHER_AREA for the trainings with an "Annat" area
    kind: str | None = None
    tag: str | None = None
    status: str | None = None
    funding: str | None = None

    @property
    def is_set(self) -> bool:
        return any(v is not None for v in (self.area, self.kind, self.tag, self.status, self.funding))

    def training_matches(self, training: Training) -> bool:
        if self.area == OTHER_AREA:
            area_ok = bool(training.other_areas)
        else:
            area_ok = self.area is None or self.area in training.areas
        return (
            area_ok
            and (self.kind is None or training.kind == self.kind)
            and (self.tag is None or self.tag in training.tags)
        )

    def occasion_matches(self, occasion: Occasion) -> bool:
        return (self.status is None or occasion.status == self.status) and (
            self.funding is None or occasion.funding == self.funding
        )


OTHER_AREA = "annat"


def filtered(plan: Plan, what: PlanFilter) -> list[tuple[Training, list[Occasion]]]:
    """The trainings ``what`` lets through, each with its occasions that match; a filter on
    the occasions (status, funding) hides a training none of whose occasions match."""
    shown = []
    for training in plan.trainings:
        if not what.training_matches(training):
            continue
        occasions = [o for o in plan.occasions_of(training.id) if what.occasion_matches(o)]
        if occasions or (what.status is None and what.funding is None):
            shown.append((training, occasions))
    return shown


# --- choosing participants by their gaps -------------------------------------------------------------

#: The level filters of the participant picker: everyone; lacking in at least one of the
#: training's areas; lacking or not assessed in one; not advanced in one; new without an
#: introduction.
ANYONE, LACKING, LACKING_OR_UNKNOWN, NOT_ADVANCED, NEW_NO_INTRO = "alla", "saknar", "saknar_ej_bedomd", "ej_fordjupad", "ny_utan_intro"  # fmt: skip
LEVEL_FILTERS = Catalogue(
    [
        Entry(ANYONE, "Alla"),
        Entry(LACKING, "Saknar tillräcklig kompetens i ett område"),
        Entry(LACKING_OR_UNKNOWN, "Saknar eller är inte bedömd i ett område"),
        Entry(NOT_ADVANCED, "Inte fördjupad i ett område"),
        Entry(NEW_NO_INTRO, "Nyanställd utan introduktion"),
    ]
)


@dataclass(frozen=True)
class Candidate:
    """A person the picker lists for an occasion: their level in each of the training's
    areas (None: not assessed), whether they hold a seat on it, and the other occasions of
    the training they hold a seat on."""

    person: StaffMember
    levels: tuple[str | None, ...]
    booked: bool
    elsewhere: tuple[int, ...]  # occasion ids


def candidates(
    plan: Plan,
    occasion: Occasion,
    people: Sequence[StaffMember],
    levels: Mapping[tuple[int, str], str],
    *,
    role: str | None = None,
    unit: str | None = None,
    level: str = ANYONE,
    on: date | None = None,
) -> list[Candidate]:
    """The people who may be chosen for ``occasion``, filtered by role, unit and their level
    in the training's areas (``levels``: (staff id, area) → level); those booked on it always
    stay in the list, so that they can be seen and taken off."""
    training = plan.training(occasion.training_id)
    seated = plan.seated(occasion.id)
    others = [o for o in plan.occasions_of(training.id) if o.id != occasion.id and o.counts]
    seated_elsewhere = {o.id: plan.seated(o.id) for o in others}
    introduced: set[int] = set()
    if level == NEW_NO_INTRO:
        introduced = {p.id for p in without_introduction(plan, people, on or occasion.start)}
    found = []
    for person in people:
        if person.id is None:
            continue
        own = tuple(levels.get((person.id, a)) for a in training.areas)
        booked = person.id in seated
        if not booked:
            if role is not None and person.role != role:
                continue
            if unit is not None and person.unit != unit:
                continue
            if not _level_fits(level, own, person.id in introduced):
                continue
        elsewhere = tuple(o for o, ids in seated_elsewhere.items() if person.id in ids)
        found.append(Candidate(person, own, booked, elsewhere))
    return found


def _level_fits(level: str, own: tuple[str | None, ...], new_without_intro: bool) -> bool:
    if level == LACKING:
        return "saknar" in own
    if level == LACKING_OR_UNKNOWN:
        return "saknar" in own or None in own
    if level == NOT_ADVANCED:
        return any(value != "fordjupad" for value in own)
    if level == NEW_NO_INTRO:
        return new_without_intro
    return True


# --- warnings ------------------------------------------------------------------------------------------

HIGH_NEED = 4  # a need score from here up is high
LOW_NEED = 2  # and up to here low


@dataclass(frozen=True)
class PlanWarning:
    area: str
    group: str
    kind: str  # FEW_SEATS or LOW_NEED_SEATS
    text: str


FEW_SEATS, LOW_NEED_SEATS = "fa_platser", "lagt_behov"


def plan_warnings(rows: Sequence[AreaPlan]) -> list[PlanWarning]:
    """Where the plan does not follow the need: a high need (HIGH_NEED or more) with fewer
    seats than people lacking competence, and seats in an area of low need (LOW_NEED or
    less) while an area of high need has people without a seat."""
    found = []
    short = [r for r in rows if r.need is not None and r.need >= HIGH_NEED and r.lacking and r.seats < r.lacking]
    for r in short:
        found.append(PlanWarning(r.area, r.group, FEW_SEATS,
                                 f"Behov {r.need} men {r.seats} platser för {r.lacking} som saknar kompetens."))  # fmt: skip
    if short:
        for r in rows:
            if r.need is not None and r.need <= LOW_NEED and r.seats:
                found.append(PlanWarning(r.area, r.group, LOW_NEED_SEATS,
                                         f"{r.seats} platser trots lågt behov ({r.need}), medan områden med "
                                         "stort behov saknar platser."))  # fmt: skip
    return found


# --- who is away when ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthAway:
    """One month of the year: the occasions that run in it, the distinct people with a seat
    on them, and the days away (each occasion's days away per participant × its participants,
    spread over its calendar days)."""

    month: int
    occasions: tuple[int, ...]
    people: tuple[int, ...]
    days: float


def away_by_month(plan: Plan, year: int) -> list[MonthAway]:
    """The twelve months of ``year``: who is away on training, for the chef planning cover.
    Cancelled occasions are left out."""
    live = [o for o in plan.occasions if o.counts]
    months = []
    for month in range(1, 13):
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        ids: list[int] = []
        people: set[int] = set()
        days = 0.0
        for occasion in live:
            inside = (min(occasion.end, last) - max(occasion.start, first)).days + 1
            if inside <= 0:
                continue
            seated = plan.seated(occasion.id)
            ids.append(occasion.id)
            people |= seated
            days += occasion.days_away * len(seated) * inside / ((occasion.end - occasion.start).days + 1)
        months.append(MonthAway(month, tuple(ids), tuple(sorted(people)), days))
    return months


# --- what the assessment grid shows ------------------------------------------------------------------------


def completed_since(plans: Iterable[Plan], since: date | None) -> dict[tuple[int, str], tuple[str, ...]]:
    """(staff id, area) → the names of the trainings in the area the person completed on an
    occasion that ended after ``since`` (the previous round's reference date; None: any)."""
    found: dict[tuple[int, str], list[str]] = {}
    for plan in plans:
        for occasion in plan.occasions:
            if not occasion.counts or (since is not None and occasion.end <= since):
                continue
            training = plan.training(occasion.training_id)
            for participant in plan.participants_of(occasion.id):
                if not participant.completed:
                    continue
                for area in training.areas:
                    names = found.setdefault((participant.staff_id, area), [])
                    if training.name not in names:
                        names.append(training.name)
    return {key: tuple(names) for key, names in found.items()}

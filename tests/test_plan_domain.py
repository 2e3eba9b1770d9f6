"""The training plan's rules (``domain.plan``): booking against seats, need against plan,
the totals both ways, introductions, question 21 and the financial report's person counts,
each limit on both sides."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bouv_tui.domain import catalog
from bouv_tui.domain import plan as p
from bouv_tui.domain.plan import Occasion, Participant, Plan, Training
from bouv_tui.domain.roster import StaffMember

CW, TL = catalog.CASEWORKER, catalog.TEAM_LEADER
ON = date(2026, 12, 31)


def person(i: int, role: str = CW, *, degree: bool = True, since: date | None = date(2015, 1, 1)) -> StaffMember:
    return StaffMember(f"Person {i}", role, i, social_work_degree=degree, experience_from=since)


def training(i: int, areas=("utredning",), *, kind=p.TRAINING, other=(), tags=(), name=None, **kw) -> Training:
    return Training(name or f"Kurs {i}", kind, 2026, tuple(areas), tuple(other), tags=tuple(tags), id=i, **kw)


def occasion(i: int, training_id: int, *, start=date(2026, 3, 1), status=p.PLANNED, seats=None, **kw) -> Occasion:
    return Occasion(training_id, start, start, status=status, seats=seats, id=i, **kw)


def seats(occasion_id: int, *ids: int, status: str = p.BOOKED) -> list[Participant]:
    return [Participant(occasion_id, i, status) for i in ids]


# --- booking -------------------------------------------------------------------------------------


def test_the_last_seat_can_be_booked_and_one_more_is_refused():
    course = training(1)
    full = occasion(10, 1, seats=3)
    plan = Plan([course], [full], seats(10, 1, 2))
    assert plan.seated(10) == {1, 2}
    assert p.check_booking(plan, full, [3]) == p.BookingCheck(None, ())
    refused = p.check_booking(plan, full, [3, 4])
    assert refused.refused == "Tillfället har 3 platser och 2 är bokade: en till kan bokas, inte 2."
    assert not refused.ok and p.check_booking(plan, full, [3]).ok
    assert p.check_booking(Plan([course], [full], seats(10, 1, 2, 3)), full, [4]).refused == (
        "Tillfället har 3 platser och 3 är bokade: ingen till kan bokas, inte 1."
    )  # fmt: skip
    assert p.check_booking(Plan([course], [full], []), full, [1, 2, 3, 4, 5]).refused == (
        "Tillfället har 3 platser och 0 är bokade: 3 till kan bokas, inte 5."
    )  # fmt: skip


def test_people_already_booked_keep_their_seat_and_are_not_counted_twice():
    course, full = training(1), occasion(10, 1, seats=2)
    plan = Plan([course], [full], seats(10, 1, 2))
    assert p.check_booking(plan, full, [1, 2, 2]).ok  # nothing new
    # Someone who dropped out or stayed away frees the seat; someone who attended holds it.
    dropped = Plan([course], [full], [*seats(10, 1), *seats(10, 2, status=p.DROPPED)])
    assert p.check_booking(dropped, full, [3]).ok
    absent = Plan([course], [full], [*seats(10, 1), *seats(10, 2, status=p.ABSENT)])
    assert p.check_booking(absent, full, [3]).ok
    attended = Plan([course], [full], [*seats(10, 1), *seats(10, 2, status=p.ATTENDED)])
    assert not p.check_booking(attended, full, [3]).ok
    assert p.check_booking(Plan([course], [occasion(11, 1)], seats(11, *range(1, 200))), occasion(11, 1), [500]).ok


def test_a_cancelled_or_finished_occasion_takes_no_booking():
    course = training(1)
    cancelled, done = occasion(10, 1, status=p.CANCELLED), occasion(11, 1, status=p.DONE)
    plan = Plan([course], [cancelled, done])
    assert p.check_booking(plan, cancelled, [1]).refused == "Tillfället är inställt: ingen kan bokas på det."
    assert p.check_booking(plan, done, [1]).refused.startswith("Tillfället är genomfört")
    assert p.check_booking(plan, occasion(12, 1, status=p.ONGOING), [1]).ok


def test_a_person_booked_on_another_occasion_of_the_same_training_is_flagged():
    course, other_course = training(1), training(2)
    spring, autumn, cancelled = occasion(10, 1), occasion(11, 1), occasion(12, 1, status=p.CANCELLED)
    elsewhere = occasion(20, 2)
    booked = [*seats(10, 1), *seats(10, 2, status=p.DROPPED), *seats(12, 3), *seats(20, 4), *seats(11, 5)]
    plan = Plan([course, other_course], [spring, autumn, cancelled, elsewhere], booked)
    check = p.check_booking(plan, autumn, [1, 2, 3, 4, 5, 6])
    # 1 holds a seat in spring; 2 dropped out, 3 is on a cancelled occasion, 4 on another
    # training, 5 already on this one: only 1 is flagged.
    assert check == p.BookingCheck(None, (1,))


# --- need against plan --------------------------------------------------------------------------


def _levels(**by_person):
    return {(i, area): level for i, areas in by_person.items() for area, level in areas.items()}


def test_need_against_plan_counts_distinct_people_per_area_and_status():
    staff = [person(1), person(2), person(3), person(4, TL)]
    levels = {(1, "utredning"): "saknar", (2, "utredning"): "saknar", (3, "utredning"): "fordjupad",
              (1, "ebp"): "saknar", (4, "utredning"): "saknar"}  # fmt: skip
    multi = training(1, ("utredning", "ebp"))
    occasions = [occasion(10, 1), occasion(11, 1, status=p.ONGOING), occasion(12, 1, status=p.DONE),
                 occasion(13, 1, status=p.CANCELLED)]  # fmt: skip
    booked = [*seats(10, 1, 4), *seats(11, 1), *seats(12, 3), *seats(13, 2)]  # 4 is a team leader
    plan = Plan([multi], occasions, booked)
    rows = p.need_against_plan(plan, p.CASEWORKERS, staff, levels, {"utredning": 4}, ["utredning", "ebp", "samtal"])
    assert {r.group for r in rows} == {p.CASEWORKERS}
    assert [(r.area, r.need, r.lacking, r.advanced, r.planned, r.ongoing, r.done, r.seats, r.uncovered) for r in rows] == [
        ("utredning", 4, 2, 1, 1, 1, 1, 3, (2,)),  # 2 is only on the cancelled occasion
        ("ebp", None, 1, 0, 1, 1, 1, 3, ()),
        ("samtal", None, 0, 0, 0, 0, 0, 0, ()),
    ]  # fmt: skip
    leaders = p.need_against_plan(plan, p.LEADERS, staff, levels, {}, ["utredning"])
    assert [(r.lacking, r.planned, r.uncovered) for r in leaders] == [(1, 1, ())]


def test_a_training_in_several_areas_is_listed_under_each_and_counted_once():
    staff = [person(1), person(2)]
    plan = Plan(
        [training(1, ("utredning", "ebp", "samtal")), training(2, ("ebp",), other=("Hedersrelaterat våld",)),
         training(3, ("risk_skydd",))],
        [occasion(10, 1), occasion(11, 1), occasion(20, 2), occasion(30, 3, status=p.CANCELLED)],
        [*seats(10, 1, 2), *seats(11, 1), *seats(20, 2), *seats(30, 1)],
    )  # fmt: skip
    # Listed: training 1 under 3 areas, training 2 under 2; seats listed: occasion 10's two
    # people three times, 11's one three times, 20's one twice. Distinct: 2 trainings, 2 people.
    assert p.totals(plan) == p.Totals(trainings_listed=5, trainings=2, seats_listed=11, people=2)
    assert p.totals(Plan()) == p.Totals(0, 0, 0, 0)


def test_new_staff_without_an_introduction():
    on = date(2026, 12, 1)
    just_new = person(1, since=date(2025, 12, 2))  # under a year on 1 December 2026
    a_year = person(2, since=date(2025, 12, 1))  # exactly a year: not new
    booked_new = person(3, since=date(2026, 9, 1))
    dropped_new = person(4, since=date(2026, 9, 1))
    unknown = person(5, since=None)
    intro = training(1, tags=(p.INTRODUCTION,))
    other = training(2)
    plan = Plan(
        [intro, other, training(3, tags=(p.INTRODUCTION,))],
        [occasion(10, 1), occasion(20, 2), occasion(30, 3, status=p.CANCELLED)],
        [*seats(10, 3), *seats(10, 4, status=p.DROPPED), *seats(20, 1), *seats(30, 1)],
    )
    assert p.without_introduction(plan, [just_new, a_year, booked_new, dropped_new, unknown], on) == [just_new, dropped_new]
    assert intro.is_introduction and not other.is_introduction


# --- question 21 ------------------------------------------------------------------------------


def test_question_21_lists_grant_funded_occasions_of_the_year_under_each_area():
    people = {1: person(1), 2: person(2, degree=False), 3: person(3, TL), 4: person(4)}
    multi = training(1, ("samtal", "barns_utveckling"), other=("Hedersrelaterat våld",), provider="Högskolan",
                     provider_type="universitet_hogskola", extent=7.5, extent_unit=p.HP, name="Samtal med barn")  # fmt: skip
    own = training(2, ("utredning",), name="Egen kurs")
    late = training(3, ("ebp",), name="Nästa år")
    plan = Plan(
        [multi, own, late],
        [occasion(10, 1, start=date(2026, 1, 1)), occasion(11, 1, start=date(2026, 12, 31)),
         occasion(12, 1, status=p.CANCELLED), occasion(20, 2, funding=p.OWN_FUNDS),
         occasion(30, 3, start=date(2027, 1, 1)), occasion(31, 3, start=date(2025, 12, 31))],
        [*seats(10, 1, 2), *seats(11, 2, 3), *seats(11, 4, status=p.ABSENT), *seats(12, 4), *seats(20, 1),
         *seats(30, 1), *seats(31, 1)],
    )  # fmt: skip
    rows = p.question_21(plan, 2026, people)
    assert [(r.area, r.other_area, r.training) for r in rows] == [
        ("barns_utveckling", None, "Samtal med barn"),
        ("samtal", None, "Samtal med barn"),
        (None, "Hedersrelaterat våld", "Samtal med barn"),
    ]  # the catalogue's order, then "Annat"
    first = rows[0]
    assert (first.participants, first.categories) == (3, (p.Q21_CASEWORKER, p.Q21_NO_DEGREE, p.Q21_MANAGER))
    assert (first.provider, first.provider_type, first.extent, first.extent_unit) == (
        "Högskolan", "universitet_hogskola", 7.5, p.HP
    )  # fmt: skip
    assert [o.id for o in p.grant_occasions(plan, 2026)] == [10, 11]
    assert p.question_21(plan, 2024, people) == []


@pytest.mark.parametrize(("people", "expected"), [
    ([], ()),
    ([person(1)], (p.Q21_CASEWORKER,)),
    ([person(1, degree=False)], (p.Q21_CASEWORKER, p.Q21_NO_DEGREE)),
    ([person(1, TL)], (p.Q21_MANAGER,)),
    ([person(1, catalog.OTHER_ROLE)], ()),
    ([person(1, TL, degree=False), person(2)], (p.Q21_CASEWORKER, p.Q21_MANAGER)),  # a leader's degree: not asked
])  # fmt: skip
def test_question_21s_staff_categories(people, expected):
    assert p.q21_categories(people) == expected


# --- the financial report's person counts --------------------------------------------------------


@pytest.mark.parametrize(("who", "category"), [
    (person(1, since=date(2022, 12, 30)), p.OVER_4_YEARS),  # four years and a day on 31 December 2026
    (person(1, since=date(2022, 12, 31)), p.OTHER_CASEWORKERS),  # exactly four years: not more
    (person(1, since=date(2022, 12, 31), degree=False), p.NO_DEGREE),
    (person(1, since=date(2010, 1, 1), degree=False), p.OVER_4_YEARS),  # experience comes first
    (person(1, since=None, degree=False), p.NO_DEGREE),
    (person(1, since=None), p.OTHER_CASEWORKERS),
    (person(1, TL, degree=False), p.TEAM_LEADERS),
    (person(1, catalog.OTHER_ROLE), p.OTHERS),
])  # fmt: skip
def test_the_report_category_of_a_person(who, category):
    assert p.report_category(who, ON) == category


def test_report_tables_8_and_9_count_each_attending_person_once_per_table():
    people = {1: person(1), 2: person(2, degree=False, since=date(2025, 1, 1)), 3: person(3, TL),
              4: person(4, catalog.OTHER_ROLE), 5: person(5, TL)}  # fmt: skip
    course, other_course = training(1), training(2)
    support = training(3, kind=p.SUPPORT)
    plan = Plan(
        [course, other_course, support],
        [occasion(31, 3, start=date(2025, 6, 1)), occasion(10, 1), occasion(11, 1), occasion(20, 2), occasion(30, 3),
         occasion(32, 3, status=p.CANCELLED), occasion(33, 3)],
        [*seats(10, 1, 2, status=p.ATTENDED), *seats(11, 1, status=p.ATTENDED), *seats(20, 1, 3, status=p.ATTENDED),
         *seats(20, 4, status=p.BOOKED), *seats(30, 3, 4, status=p.ATTENDED), *seats(30, 2, status=p.DROPPED),
         *seats(31, 1, status=p.ATTENDED), *seats(32, 2, status=p.ATTENDED), *seats(33, 5, status=p.ATTENDED)],
    )  # fmt: skip
    tables = p.report_person_counts(plan, 2026, people, ON)
    assert tables[p.TRAINING] == {p.OVER_4_YEARS: 1, p.NO_DEGREE: 1, p.OTHER_CASEWORKERS: 0, p.TEAM_LEADERS: 1, p.OTHERS: 0}
    assert tables[p.SUPPORT] == {p.OVER_4_YEARS: 0, p.NO_DEGREE: 0, p.OTHER_CASEWORKERS: 0, p.TEAM_LEADERS: 2, p.OTHERS: 1}
    assert list(tables[p.TRAINING]) == list(p.REPORT_CATEGORIES)


def test_a_plan_without_occasions_or_participants_answers_empty():
    plan = Plan([training(1)], [occasion(10, 1)])
    assert (plan.occasions_of(2), plan.participants_of(10), plan.participants_of(99), plan.seated(10)) == ([], [], [], set())
    assert plan.occasions_of(1) == [occasion(10, 1)] and plan.training(1).name == "Kurs 1"


def test_a_plan_refuses_an_occasion_of_a_training_it_does_not_hold():
    with pytest.raises(ValueError, match="occasion 10 of unknown training 2"):
        Plan([training(1)], [occasion(10, 2)])


def test_labels_costs_and_seats_of_the_records():
    multi = training(1, ("ebp", "utredning"), other=("Digitalt arbete",))
    labels = [catalog.AREAS.label("ebp"), catalog.AREAS.label("utredning"), "Annat: Digitalt arbete"]
    assert multi.area_labels() == labels and labels[0] != "ebp"
    assert multi.has_area("ebp") and not multi.has_area("samtal")
    paid = occasion(10, 1, cost_fixed=10_000, cost_per_participant=2_500)
    assert (paid.cost(0), paid.cost(4)) == (10_000, 20_000)
    assert occasion(11, 1).counts and not occasion(12, 1, status=p.CANCELLED).counts
    assert [Participant(1, 1, s).takes_a_seat for s in (p.BOOKED, p.ATTENDED, p.DROPPED, p.ABSENT)] == [
        True, True, False, False
    ]  # fmt: skip


# --- the counting rules for any plan -------------------------------------------------------------

AREAS = ("utredning", "ebp", "samtal", "uppfoljning")


@st.composite
def plans(draw):
    trainings = [
        training(i, draw(st.lists(st.sampled_from(AREAS), min_size=1, max_size=4, unique=True)),
                 other=draw(st.lists(st.sampled_from(["Annat A", "Annat B"]), max_size=2, unique=True)))
        for i in range(1, draw(st.integers(1, 4)) + 1)
    ]  # fmt: skip
    occasions = [
        occasion(i, draw(st.sampled_from([t.id for t in trainings])),
                 status=draw(st.sampled_from(p.OCCASION_STATUSES.codes())))
        for i in range(1, draw(st.integers(0, 6)) + 1)
    ]  # fmt: skip
    participants = []
    for o in occasions:
        for staff_id in draw(st.lists(st.integers(1, 8), max_size=6, unique=True)):
            participants.append(Participant(o.id, staff_id, draw(st.sampled_from(p.PARTICIPANT_STATUSES.codes()))))
    return Plan(trainings, occasions, participants)


@settings(max_examples=150, deadline=None)
@given(plans(), st.dictionaries(st.tuples(st.integers(1, 8), st.sampled_from(AREAS)),
                                st.sampled_from(["grundlaggande", "fordjupad", "saknar"])))  # fmt: skip
def test_counting_rules_hold_for_any_plan(plan, levels):
    staff = [person(i, CW if i <= 6 else TL) for i in range(1, 9)]
    totals = p.totals(plan)
    assert totals.people <= totals.seats_listed and totals.trainings <= totals.trainings_listed
    live = {o.training_id for o in plan.occasions if o.counts}
    assert totals.trainings == len(live)
    for row in p.need_against_plan(plan, p.CASEWORKERS, staff, levels, {}, list(AREAS)):
        in_area = set().union(
            *(plan.seated(o.id) for o in plan.occasions if o.counts and row.area in plan.training(o.training_id).areas)
        )
        caseworkers_in_area = {i for i in in_area if i <= 6}
        # Each person counts once per status, so no status exceeds the people with a seat.
        assert max(row.planned, row.ongoing, row.done) <= len(caseworkers_in_area) <= row.seats
        lacking = {i for i in range(1, 7) if levels.get((i, row.area)) == "saknar"}
        assert set(row.uncovered) == lacking - caseworkers_in_area and row.lacking == len(lacking)


def test_question_21_rows_go_in_the_forms_area_order_then_annat_by_label():
    people = {1: person(1)}
    late_name = training(1, ("utredning", "ebp"), other=("Öppenvård",), name="Ö-kurs")
    early_name = training(2, ("samtal",), other=("Digitalt",), name="A-kurs")
    plan = Plan([late_name, early_name], [occasion(10, 1), occasion(20, 2)], [*seats(10, 1), *seats(20, 1)])
    assert [(r.area, r.other_area, r.training) for r in p.question_21(plan, 2026, people)] == [
        ("utredning", None, "Ö-kurs"), ("samtal", None, "A-kurs"), ("ebp", None, "Ö-kurs"),
        (None, "Digitalt", "A-kurs"), (None, "Öppenvård", "Ö-kurs"),
    ]  # fmt: skip


def test_the_overview_puts_the_plan_against_the_needs_of_both_groups():
    on = date(2026, 12, 1)
    new_caseworker = person(1, degree=False, since=date(2026, 6, 1))
    experienced = person(2)
    leader = person(3, TL)
    people = [new_caseworker, experienced, leader]
    levels = {(1, "utredning"): "saknar", (2, "utredning"): "saknar", (3, "ledarskap"): "saknar"}
    needs = {("handlaggare", "utredning"): 5, ("arbetsledare", "ledarskap"): 2}
    course = training(1, ("utredning",), name="Utredning")
    lead = training(2, ("ledarskap",), name="Ledarskap", kind=p.SUPPORT)
    plan = Plan([course, lead], [occasion(10, 1), occasion(20, 2, funding=p.OWN_FUNDS)], [*seats(10, 1), *seats(20, 3)])
    view = p.overview(plan, 2026, people, levels, needs, {p.CASEWORKERS: ["utredning"], p.LEADERS: ["ledarskap"]}, on)
    (caseworkers,) = view.by_group[p.CASEWORKERS]
    (leaders,) = view.by_group[p.LEADERS]
    assert (caseworkers.area, caseworkers.need, caseworkers.lacking, caseworkers.planned, caseworkers.uncovered) == (
        "utredning", 5, 2, 1, (2,)
    )  # fmt: skip
    assert (leaders.area, leaders.group, leaders.need, leaders.planned, leaders.uncovered) == (
        "ledarskap", p.LEADERS, 2, 1, ()
    )  # fmt: skip
    assert view.totals == p.Totals(2, 2, 2, 2)
    assert view.no_introduction == (new_caseworker,)
    assert view.unqualified == ((new_caseworker, ("Utredning",)),)
    assert [(r.area, r.training, r.participants, r.categories) for r in view.question_21] == [
        ("utredning", "Utredning", 1, (p.Q21_CASEWORKER, p.Q21_NO_DEGREE))
    ]
    unbooked = person(4, degree=False)
    alone = p.overview(plan, 2026, [*people, unbooked], levels, needs, {}, on)
    assert alone.unqualified == ((new_caseworker, ("Utredning",)), (unbooked, ()))
    twice = Plan([course], [occasion(10, 1), occasion(11, 1), occasion(12, 1, status=p.CANCELLED)],
                 [*seats(10, 1), *seats(11, 1), *seats(12, 2)])  # fmt: skip
    assert p.overview(twice, 2026, people, levels, {}, {}, on).unqualified == ((new_caseworker, ("Utredning",)),)


def test_questions_12_and_18_are_suggested_from_the_years_providers_for_each_group():
    from bouv_tui.domain import questionnaire

    both = (p.CASEWORKERS, p.LEADERS)
    plan = Plan(
        [training(1, provider_type="universitet_hogskola"), training(2, provider_type="privat"),
         training(3, provider_type="fou", groups=(p.LEADERS,)), training(4, provider_type="skr", groups=both),
         training(5, provider_type=None), training(6, provider_type="ideell_forening")],
        [occasion(10, 1), occasion(20, 2), occasion(30, 3), occasion(40, 4, start=date(2027, 1, 1)),
         occasion(50, 5), occasion(60, 6, status=p.CANCELLED)],
    )  # fmt: skip
    assert p.suggested_organisation(plan, 2026, p.CASEWORKERS) == ("universitet_hogskola", "konsult")  # the form's order
    assert p.suggested_organisation(plan, 2026, p.LEADERS) == ("fou",)
    assert p.suggested_organisation(plan, 2027, p.CASEWORKERS) == ("skr_forbund",)
    assert p.suggested_organisation(plan, 2025, p.LEADERS) == ("ingen",)
    assert p.suggested_organisation(Plan([training(1)], [occasion(10, 1)]), 2026, p.CASEWORKERS) == ()  # no type
    codes = set(questionnaire.BY_KEY["fraga_12"].options.codes())
    assert set(p.ORGANISED_BY.values()) <= codes and set(p.ORGANISED_BY) == set(catalog.PROVIDER_TYPES.codes())
    assert questionnaire.BY_KEY["fraga_18"].options.codes() == questionnaire.BY_KEY["fraga_12"].options.codes()


# --- the forms (domain.plan_input) --------------------------------------------------------------

from bouv_tui.domain import plan_input as pi  # noqa: E402 - the forms' half of this file
from bouv_tui.domain.validation import InvalidValue  # noqa: E402


@pytest.mark.parametrize(
    "typed, amount",
    [("", 0), ("0", 0), ("12500", 12500), ("12 500", 12500), ("12\u00a0500 kr", 12500), ("1 234 567", 1234567),
     (" 7 kr ", 7), ("12500,00", 12500), ("100000000", 100_000_000)],
)  # fmt: skip
def test_amounts_in_the_form_are_read_as_in_a_file(typed, amount):
    assert pi.parse_amount(typed) == amount


@pytest.mark.parametrize(
    "typed, message",
    [
        ("-5", 'Beloppet: "-5" är negativt. Ett belopp ska vara 0 eller mer.'),
        ("12,50", 'Beloppet: "12,50" har ören. Ange hela kronor (avrunda beloppet).'),
        ("tolv", 'Beloppet: "tolv" är inget belopp. Skriv hela kronor, t.ex. 12 345 eller 12345.'),
        ("12 50", 'Beloppet: "12 50" är inget belopp. Skriv hela kronor, t.ex. 12 345 eller 12345.'),
        ("100000001", 'Beloppet: "100000001" är orimligt stort: ett belopp här får vara högst 100\u00a0000\u00a0000 kr.'),
    ],
)
def test_amounts_that_are_refused_say_why_and_name_the_field(typed, message):
    with pytest.raises(InvalidValue) as caught:
        pi.parse_amount(typed)
    assert str(caught.value) == message


def test_an_amounts_message_names_the_field():
    with pytest.raises(InvalidValue, match="^Kostnaden per deltagare: "):
        pi.parse_amount("-1", "Kostnaden per deltagare")


def test_decimals_take_a_comma_or_a_point_up_to_their_maximum():
    assert pi.parse_decimal("", "Omfattningen", 10) is None
    assert pi.parse_decimal("7,5", "Omfattningen", 10) == 7.5
    assert pi.parse_decimal("7.5", "Omfattningen", 10) == 7.5
    assert pi.parse_decimal("10", "Omfattningen", 10) == 10.0
    with pytest.raises(InvalidValue) as too_big:
        pi.parse_decimal("10,5", "Omfattningen", 10)
    assert str(too_big.value) == "Omfattningen: högst 10."
    with pytest.raises(InvalidValue) as too_big:
        pi.parse_decimal("8", "Omfattningen", 7.5)
    assert str(too_big.value) == "Omfattningen: högst 7,5."
    for bad in ("-1", "7,5 hp", "1e3", ",5"):
        with pytest.raises(InvalidValue) as caught:
            pi.parse_decimal(bad, "Omfattningen", 10)
        assert str(caught.value) == f'Omfattningen: "{bad}" är inte ett tal. Skriv t.ex. 7,5.'


def test_seats_are_one_to_the_maximum_or_empty():
    assert pi.parse_seats("") is None and pi.parse_seats(" 1 ") == 1 and pi.parse_seats("10000") == pi.MAX_SEATS
    for bad in ("0", "10001", "-1", "2,5", "tio"):
        with pytest.raises(InvalidValue) as caught:
            pi.parse_seats(bad)
        assert str(caught.value) == (f'"{bad}" är inget giltigt antal platser. Ange ett heltal från 1 till 10000, '
                                     "eller lämna tomt.")  # fmt: skip


GOOD_TRAINING = pi.TrainingInput(
    "  BBIC   grund ", p.TRAINING, ("utredning", "barns_utveckling"), "Heder; heder ;; Våld", "FoU  Exempelby", "fou",
    "7,5", p.HP, ("yrkesresan", p.INTRODUCTION), (p.LEADERS, p.CASEWORKERS),
)  # fmt: skip


def test_a_training_form_gives_a_training_in_the_catalogues_order():
    made, errors = pi.check_training_input(GOOD_TRAINING, 2026)
    assert errors == {}
    assert made == Training(
        "BBIC grund", p.TRAINING, 2026, ("barns_utveckling", "utredning"), ("Heder", "heder", "Våld"),
        "FoU Exempelby", "fou", 7.5, p.HP, (p.INTRODUCTION, "yrkesresan"), (p.CASEWORKERS, p.LEADERS),
    )  # fmt: skip


def test_an_edited_training_keeps_its_id_and_version_and_round_trips_through_the_form():
    stored = Training("Kurs", p.SUPPORT, 2026, ("ebp",), ("Annat",), "X", None, 2.0, p.DAYS, (), (p.CASEWORKERS,),
                      id=7, version=3)  # fmt: skip
    again, errors = pi.check_training_input(pi.TrainingInput.from_training(stored), 2026, original=stored)
    assert errors == {} and again == stored
    assert pi.TrainingInput.from_training(stored).extent == "2"
    assert pi.TrainingInput.from_training(replace_(stored, extent=7.5)).extent == "7,5"
    assert pi.TrainingInput.from_training(replace_(stored, extent=None, extent_unit=None)).extent == ""


def replace_(record, **values):
    from dataclasses import replace

    return replace(record, **values)


def test_a_training_without_extent_has_no_unit_and_no_provider_type_is_allowed():
    made, errors = pi.check_training_input(replace_(GOOD_TRAINING, extent=" ", provider_type=None), 2026)
    assert errors == {} and made.extent is None and made.extent_unit is None and made.provider_type is None


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"name": "  "}, "name", "Namn måste anges."),
        ({"name": "x" * 201}, "name", "Namnet är för långt (högst 200 tecken)."),
        ({"provider": "x" * 201}, "provider", "Anordnaren är för lång (högst 200 tecken)."),
        ({"kind": None}, "kind", "Välj typ: utbildning eller stöd och handledning."),
        ({"provider_type": "okand"}, "provider_type", "Välj anordnartyp i listan."),
        ({"areas": (), "other_areas": " ; "}, "areas", "Välj minst ett område (eller skriv ett under Annat)."),
        ({"areas": ("hittepa",)}, "areas", "Okänt område: hittepa."),
        ({"other_areas": "a;b;c;d"}, "other_areas", "Högst 3 egna områden (Annat), åtskilda med semikolon."),
        ({"other_areas": "x" * 101}, "other_areas", "Ett eget område får vara högst 100 tecken."),
        ({"extent": "0"}, "extent", "Omfattningen ska vara större än 0, eller tom."),
        ({"extent": "120,5"}, "extent", "Omfattningen: högst 120."),
        ({"extent": "366", "extent_unit": p.DAYS}, "extent", "Omfattningen: högst 365."),
        ({"extent_unit": None}, "extent_unit", "Välj enhet: högskolepoäng eller dagar."),
        ({"tags": ("okand",)}, "tags", "Okänd tagg: okand."),
        ({"groups": ()}, "groups", "Välj minst en målgrupp: handläggare, arbetsledare eller båda."),
        ({"name": "Kurs\u200b"}, "name", None),
    ],
)
def test_a_training_form_names_each_problem(changes, field, message):
    made, errors = pi.check_training_input(replace_(GOOD_TRAINING, **changes), 2026)
    assert made is None and list(errors) == [field]
    if message is not None:
        assert errors[field] == message


def test_a_name_is_one_training_a_year():
    made, errors = pi.check_training_input(GOOD_TRAINING, 2026, taken=frozenset({"BBIC grund"}))
    assert made is None and errors == {"name": "Planen för 2026 har redan en utbildning som heter BBIC grund."}
    stored = replace_(pi.check_training_input(GOOD_TRAINING, 2026)[0], id=3, version=1)
    again, errors = pi.check_training_input(GOOD_TRAINING, 2026, original=stored, taken=frozenset({"BBIC grund"}))
    assert errors == {} and again.id == 3  # its own name
    renamed = replace_(stored, name="Annan")
    _, errors = pi.check_training_input(GOOD_TRAINING, 2026, original=renamed, taken=frozenset({"BBIC grund"}))
    assert list(errors) == ["name"]


def test_a_training_forms_limits_are_accepted_at_the_limit():
    at_limits = replace_(GOOD_TRAINING, name="x" * 200, provider="y" * 200, other_areas="a;b;" + "c" * 100,
                         extent="120")  # fmt: skip
    made, errors = pi.check_training_input(at_limits, 2026)
    assert errors == {} and len(made.name) == 200 and made.other_areas == ("a", "b", "c" * 100) and made.extent == 120
    only_other, errors = pi.check_training_input(replace_(GOOD_TRAINING, areas=(), other_areas="Heder"), 2026)
    assert errors == {} and only_other.areas == () and only_other.other_areas == ("Heder",)
    days, errors = pi.check_training_input(replace_(GOOD_TRAINING, extent="365", extent_unit=p.DAYS), 2026)
    assert errors == {} and days.extent == 365


GOOD_OCCASION = pi.OccasionInput("2026-03-10", "2026-03-12", "  Distans ", "12", p.PLANNED, p.GRANT, "25 000", "1500",
                                 "2,5")  # fmt: skip


def test_an_occasion_form_gives_an_occasion():
    made, errors = pi.check_occasion_input(GOOD_OCCASION, 4, 2026)
    assert errors == {}
    assert made == Occasion(4, date(2026, 3, 10), date(2026, 3, 12), p.PLANNED, "Distans", 12, p.GRANT, 25000, 1500,
                            2.5)  # fmt: skip
    stored = replace_(made, id=9, version=2)
    again, errors = pi.check_occasion_input(pi.OccasionInput.from_occasion(stored), 4, 2026, original=stored)
    assert errors == {} and again == stored
    bare = Occasion(4, date(2026, 1, 1), date(2026, 1, 1))
    assert pi.OccasionInput.from_occasion(bare) == pi.OccasionInput("2026-01-01", "2026-01-01", "", "", p.PLANNED,
                                                                    p.GRANT, "", "", "")  # fmt: skip
    made, errors = pi.check_occasion_input(pi.OccasionInput.from_occasion(bare), 4, 2026)
    assert errors == {} and made == bare


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"start": ""}, "start", "Startdatum måste anges (ÅÅÅÅ-MM-DD)."),
        ({"end": " "}, "end", "Slutdatum måste anges (ÅÅÅÅ-MM-DD)."),
        ({"start": "10/3"}, "start", None),
        ({"end": "2026-03-09"}, "end", "Slutdatum kan inte vara före startdatum."),
        ({"start": "2025-03-10", "end": "2026-03-11"}, "end", "Ett tillfälle kan vara högst 366 dagar."),
        ({"start": "2025-03-10", "end": "2025-03-12"}, "start", "Tillfället ska börja eller sluta under 2026, planens år."),
        ({"start": "2027-01-10", "end": "2027-01-12"}, "start", "Tillfället ska börja eller sluta under 2026, planens år."),
        ({"place": "x" * 201}, "place", "Platsen är för lång (högst 200 tecken)."),
        ({"place": "Rum\x07"}, "place", None),
        ({"seats": "0"}, "seats", None),
        ({"seats": "4"}, "seats", "5 är bokade: platserna kan inte bli färre än så."),
        ({"status": None}, "status", "Välj status i listan."),
        ({"funding": "okand"}, "funding", "Välj finansiering i listan."),
        ({"cost_fixed": "-1"}, "cost_fixed", 'Den fasta kostnaden: "-1" är negativt. Ett belopp ska vara 0 eller mer.'),
        ({"cost_per_participant": "1,5"}, "cost_per_participant",
         'Kostnaden per deltagare: "1,5" har ören. Ange hela kronor (avrunda beloppet).'),
        ({"days_away": "366"}, "days_away", "Frånvarodagarna: högst 365."),
    ],
)
def test_an_occasion_form_names_each_problem(changes, field, message):
    made, errors = pi.check_occasion_input(replace_(GOOD_OCCASION, **changes), 4, 2026, booked=5)
    assert made is None and list(errors) == [field]
    if message is not None:
        assert errors[field] == message


def test_an_occasion_forms_limits_are_accepted_at_the_limit():
    for changes in ({"seats": "5"}, {"start": "2025-12-30", "end": "2026-01-02"}, {"start": "2026-12-30", "end": "2027-01-02"},
                    {"start": "2026-01-01", "end": "2026-12-31"}, {"start": "2026-03-10", "end": "2026-03-10"},
                    {"place": "x" * 200}, {"days_away": "365"}):  # fmt: skip
        made, errors = pi.check_occasion_input(replace_(GOOD_OCCASION, **changes), 4, 2026, booked=5)
        assert errors == {}, changes
    longest, _ = pi.check_occasion_input(replace_(GOOD_OCCASION, start="2025-06-01", end="2026-06-01"), 4, 2026)
    assert (longest.end - longest.start).days == 365


def test_a_copy_goes_to_the_next_year_planned_and_without_cancelled_occasions():
    course = replace_(training(1), version=4)
    occasions = [
        occasion(1, 1, start=date(2026, 3, 1), status=p.DONE, seats=8, cost_fixed=100),
        occasion(2, 1, start=date(2026, 5, 1), status=p.CANCELLED),
        replace_(occasion(3, 1, start=date(2024, 2, 29)), end=date(2024, 3, 1)),
    ]
    copy, moved = pi.copied_to_next_year(course, occasions)
    assert copy == replace_(course, year=2027, id=None, version=0)
    assert [(o.start, o.end, o.status, o.seats, o.cost_fixed, o.id, o.version) for o in moved] == [
        (date(2027, 3, 1), date(2027, 3, 1), p.PLANNED, 8, 100, None, 0),
        (date(2025, 2, 28), date(2025, 3, 1), p.PLANNED, None, 0, None, 0),
    ]
    assert pi.shift_year(date(2024, 2, 29), 4) == date(2028, 2, 29)


# --- the plan screen's filters, picker, warnings and months ---------------------------------------


def test_filters_match_the_trainings_fields_and_the_occasions_fields():
    a = training(1, ("utredning",), tags=(p.INTRODUCTION,))
    b = training(2, ("ebp",), kind=p.SUPPORT, other=("Heder",))
    c = training(3, ("ebp",))
    occasions = [occasion(10, 1, status=p.DONE), occasion(11, 1, funding=p.OWN_FUNDS), occasion(20, 2)]
    plan = Plan([a, b, c], occasions)

    def shown(**what):
        return [(t.id, [o.id for o in os]) for t, os in p.filtered(plan, p.PlanFilter(**what))]

    assert shown() == [(1, [10, 11]), (2, [20]), (3, [])]
    assert not p.PlanFilter().is_set and p.PlanFilter(funding=p.GRANT).is_set
    assert shown(area="ebp") == [(2, [20]), (3, [])]
    assert shown(area=p.OTHER_AREA) == [(2, [20])]
    assert shown(kind=p.SUPPORT) == [(2, [20])]
    assert shown(tag=p.INTRODUCTION) == [(1, [10, 11])]
    assert shown(status=p.DONE) == [(1, [10])]
    assert shown(funding=p.OWN_FUNDS) == [(1, [11])]
    assert shown(funding=p.GRANT) == [(1, [10]), (2, [20])]
    assert shown(status=p.PLANNED, area="ebp") == [(2, [20])]
    for name in ("area", "kind", "tag", "status", "funding"):
        assert p.PlanFilter(**{name: "x"}).is_set


def test_the_picker_filters_by_role_unit_and_level_and_keeps_the_booked():
    course = training(1, ("utredning", "ebp"))
    on_it, other_run, cancelled = occasion(10, 1), occasion(11, 1), occasion(12, 1, status=p.CANCELLED)
    people = [
        StaffMember("Ingen", CW, None), StaffMember("A", CW, 1, unit="Nord"), StaffMember("B", CW, 2, unit="Syd"),
        StaffMember("C", TL, 3, unit="Nord"), StaffMember("D", CW, 4, unit="Syd"),
    ]  # fmt: skip
    levels = {(1, "utredning"): "saknar", (1, "ebp"): "fordjupad", (2, "utredning"): "fordjupad",
              (2, "ebp"): "fordjupad", (3, "utredning"): "grundlaggande"}  # fmt: skip
    plan = Plan([course], [on_it, other_run, cancelled], seats(10, 4) + seats(11, 1) + seats(12, 2))

    def ids(**kw):
        return [c.person.id for c in p.candidates(plan, on_it, people, levels, **kw)]

    everyone = p.candidates(plan, on_it, people, levels)
    assert [(c.person.id, c.levels, c.booked, c.elsewhere) for c in everyone] == [
        (1, ("saknar", "fordjupad"), False, (11,)), (2, ("fordjupad", "fordjupad"), False, ()),
        (3, ("grundlaggande", None), False, ()), (4, (None, None), True, ()),
    ]  # fmt: skip
    assert ids(role=TL) == [3, 4] and ids(unit="Nord") == [1, 3, 4] and ids(role=CW, unit="Syd") == [2, 4]
    assert ids(level=p.LACKING) == [1, 4]
    assert ids(level=p.LACKING_OR_UNKNOWN) == [1, 3, 4]
    assert ids(level=p.NOT_ADVANCED) == [1, 3, 4]
    assert ids(level=p.ANYONE) == [1, 2, 3, 4]


def test_the_picker_finds_new_staff_without_an_introduction():
    intro = training(1, tags=(p.INTRODUCTION,))
    run = occasion(10, 1, start=date(2026, 9, 1))
    people = [StaffMember("Ny", CW, 1, employed_from=date(2026, 1, 1)), StaffMember("Ny bokad", CW, 2, employed_from=date(2026, 1, 1)),
              StaffMember("Gammal", CW, 3, employed_from=date(2010, 1, 1))]  # fmt: skip
    plan = Plan([intro], [run, occasion(11, 1)], seats(11, 2))
    found = p.candidates(plan, run, people, {}, level=p.NEW_NO_INTRO)
    assert [c.person.id for c in found] == [1]
    later = p.candidates(plan, run, people, {}, level=p.NEW_NO_INTRO, on=date(2027, 6, 1))
    assert [c.person.id for c in later] == []


def area_plan(area: str, need, lacking: int, seats_: int) -> p.AreaPlan:
    return p.AreaPlan(area, p.CASEWORKERS, need, lacking, 0, seats_, 0, 0, ())


def test_warnings_where_need_is_high_and_seats_few_and_seats_go_to_low_need():
    rows = [area_plan("utredning", 4, 3, 2), area_plan("ebp", 5, 3, 3), area_plan("samtal", 3, 5, 0),
            area_plan("insatser", 2, 0, 4), area_plan("samverkan", 3, 0, 4), area_plan("regelverk", None, 9, 0),
            area_plan("risk_skydd", 1, 0, 0), area_plan("uppfoljning", 4, 0, 0)]  # fmt: skip
    found = p.plan_warnings(rows)
    assert [(w.area, w.kind) for w in found] == [("utredning", p.FEW_SEATS), ("insatser", p.LOW_NEED_SEATS)]
    assert found[0].text == "Behov 4 men 2 platser för 3 som saknar kompetens."
    assert found[1].text == "4 platser trots lågt behov (2), medan områden med stort behov saknar platser."
    assert found[0].group == p.CASEWORKERS and found[1].group == p.CASEWORKERS
    # No high-need area short of seats: seats in a low-need area are no warning.
    assert p.plan_warnings([area_plan("ebp", 5, 3, 3), area_plan("insatser", 2, 0, 4)]) == []


def test_who_is_away_per_month_spreads_the_days_over_the_occasions_calendar_days():
    course = training(1)
    over_a_month = replace_(occasion(10, 1, start=date(2026, 1, 30), days_away=4.0), end=date(2026, 2, 2))
    over_the_year = replace_(occasion(11, 1, start=date(2026, 12, 30), days_away=4.0), end=date(2027, 1, 2))
    cancelled = occasion(12, 1, start=date(2026, 5, 5), status=p.CANCELLED, days_away=1.0)
    one_day = occasion(13, 1, start=date(2026, 5, 31), days_away=1.0)
    same_may = occasion(14, 1, start=date(2026, 5, 2), days_away=2.0)
    plan = Plan([course], [over_a_month, over_the_year, cancelled, one_day, same_may],
                seats(10, 1, 2) + seats(11, 1) + seats(12, 3) + seats(13, 4) + seats(10, 9, status=p.DROPPED)
                + seats(14, 5))  # fmt: skip
    months = p.away_by_month(plan, 2026)
    assert [m.month for m in months] == list(range(1, 13))
    got = {m.month: (m.occasions, m.people, m.days) for m in months if m.occasions}
    assert got == {1: ((10,), (1, 2), 4.0), 2: ((10,), (1, 2), 4.0), 5: ((13, 14), (4, 5), 3.0),
                   12: ((11,), (1,), 2.0)}  # fmt: skip
    assert months[5] == p.MonthAway(6, (), (), 0.0)


def test_completed_trainings_since_the_last_round():
    a, b = training(1, ("utredning", "ebp"), name="A"), training(2, ("utredning",), name="B")
    before = replace_(occasion(10, 1, start=date(2025, 3, 1)), end=date(2025, 3, 31))
    after = occasion(11, 2, start=date(2025, 4, 1))
    cancelled = occasion(12, 2, start=date(2025, 5, 1), status=p.CANCELLED)
    plan = Plan([a, b], [before, after, cancelled], [
        Participant(10, 1, p.ATTENDED, True), Participant(11, 2, p.ATTENDED, False), Participant(11, 1, p.ATTENDED, True),
        Participant(12, 3, p.ATTENDED, True),
    ])  # fmt: skip
    assert p.completed_since([plan], date(2025, 3, 31)) == {(1, "utredning"): ("B",)}
    assert p.completed_since([plan], date(2025, 3, 30)) == {(1, "utredning"): ("A", "B"), (1, "ebp"): ("A",)}
    assert p.completed_since([plan, plan], None) == {(1, "utredning"): ("A", "B"), (1, "ebp"): ("A",)}

# --- the overview recomputed after a booking (Plan.with_participants, Levels) ---------------------


def _same_plan(first: Plan, second: Plan) -> None:
    assert (first.trainings, first.occasions, first.participants) == (second.trainings, second.occasions,
                                                                      second.participants)  # fmt: skip
    for o in first.occasions:
        assert first.participants_of(o.id) == second.participants_of(o.id)
        assert first.seated(o.id) == second.seated(o.id)
        assert first.training(o.training_id) == second.training(o.training_id)
    for t in first.trainings:
        assert first.occasions_of(t.id) == second.occasions_of(t.id)


@settings(max_examples=150, deadline=None)
@given(plans(), st.lists(st.tuples(st.integers(0, 7), st.integers(1, 9), st.sampled_from(p.PARTICIPANT_STATUSES.codes())),
                         max_size=5))  # fmt: skip
def test_a_plan_with_participants_added_is_the_plan_made_afresh(plan, added):
    ids = [o.id for o in plan.occasions] + [99]  # 99: an occasion the plan does not hold
    extra = [Participant(ids[k % len(ids)], staff_id, status) for k, staff_id, status in added]
    before = [(o.id, plan.seated(o.id), plan.participants_of(o.id)) for o in plan.occasions]
    grown = plan.with_participants(extra)
    _same_plan(grown, Plan(plan.trainings, plan.occasions, [*plan.participants, *extra]))
    assert grown.participants_of(99) == [x for x in extra if x.occasion_id == 99]
    assert [(o.id, plan.seated(o.id), plan.participants_of(o.id)) for o in plan.occasions] == before, "unchanged"


def test_one_booking_more_takes_a_seat_and_one_who_stayed_away_does_not():
    plan = Plan([training(1)], [occasion(10, 1), occasion(20, 1)], seats(10, 1))
    grown = plan.with_participants([Participant(10, 2), Participant(20, 3, p.ABSENT), Participant(20, 4, p.ATTENDED)])
    assert (grown.seated(10), grown.seated(20), plan.seated(10), plan.seated(20)) == ({1, 2}, {4}, {1}, set())
    assert [x.staff_id for x in grown.participants_of(20)] == [3, 4]
    assert len(grown.participants) == 4 and len(plan.participants) == 1


def test_levels_read_as_the_mapping_they_were_made_of_and_give_the_same_overview():
    levels = {(1, "utredning"): "saknar", (2, "utredning"): "fordjupad", (2, "ebp"): "saknar", (3, "ebp"): "grundlaggande"}
    kept = p.Levels(levels)
    assert dict(kept) == levels and len(kept) == 4 and kept[(2, "ebp")] == "saknar" and kept.get((9, "ebp")) is None
    levels[(3, "ebp")] = "saknar"  # the one it was made of changes: it does not
    assert kept[(3, "ebp")] == "grundlaggande"
    people = [person(1), person(2), person(3)]
    plan = Plan([training(1, ("utredning", "ebp"))], [occasion(10, 1)], seats(10, 2))
    areas = {p.CASEWORKERS: ["utredning", "ebp"]}
    assert p.overview(plan, 2026, people, kept, {}, areas, ON) == p.overview(plan, 2026, people, dict(kept), {}, areas, ON)
    utredning, ebp = p.overview(plan, 2026, people, kept, {}, areas, ON).by_group[p.CASEWORKERS]
    assert (utredning.lacking, utredning.advanced, utredning.uncovered) == (1, 1, (1,))
    assert (ebp.lacking, ebp.advanced, ebp.uncovered) == (1, 0, ())


def test_a_person_listed_twice_counts_twice_as_before():
    people = [person(1), person(2), person(1)]
    levels = {(1, "utredning"): "saknar", (2, "utredning"): "fordjupad", (1, "ebp"): "fordjupad"}
    plan = Plan([training(1)], [occasion(10, 1)], ())
    utredning, ebp, samtal = p.need_against_plan(plan, p.CASEWORKERS, people, levels, {}, ["utredning", "ebp", "samtal"])
    assert (utredning.lacking, utredning.advanced, utredning.uncovered) == (2, 1, (1, 1))
    assert (ebp.lacking, ebp.advanced) == (0, 2)
    assert (samtal.lacking, samtal.advanced) == (0, 0)
    again = p.need_against_plan(plan, p.CASEWORKERS, people, levels, {}, ["ebp", "ebp"])
    assert [(r.area, r.advanced) for r in again] == [("ebp", 2), ("ebp", 2)]


# --- the forms' details (each a mutant that lived) -------------------------------------------------


def test_a_training_in_the_form_keeps_every_field():
    stored = Training("Kurs", p.SUPPORT, 2026, ("ebp",), ("Heder", "Våld"), "X", "fou", None, None, ("yrkesresan",),
                      (p.LEADERS,), id=7, version=3)  # fmt: skip
    assert pi.TrainingInput.from_training(stored) == pi.TrainingInput(
        "Kurs", p.SUPPORT, ("ebp",), "Heder; Våld", "X", "fou", "", p.DAYS, ("yrkesresan",), (p.LEADERS,)
    )
    assert pi.TrainingInput.from_training(replace_(stored, extent=3.0, extent_unit=p.HP)).extent_unit == p.HP


def test_hidden_characters_are_refused_in_each_text_field_with_the_fields_name():
    from bouv_tui.domain.validation import text_problem

    hidden = "Kurs\u200b"
    for field in ("provider", "other_areas"):
        made, errors = pi.check_training_input(replace_(GOOD_TRAINING, **{field: hidden}), 2026)
        assert made is None and errors == {field: text_problem(hidden)}
    # A hidden character and too many labels: the hidden character is said.
    _, errors = pi.check_training_input(replace_(GOOD_TRAINING, other_areas="a;b;c;d\u200b"), 2026)
    assert errors == {"other_areas": text_problem("a;b;c;d\u200b")}
    _, errors = pi.check_occasion_input(replace_(GOOD_OCCASION, place="Rum\u200b"), 4, 2026)
    assert errors == {"place": text_problem("Rum\u200b")}


def test_spaces_inside_labels_and_places_are_one_space():
    made, _ = pi.check_training_input(replace_(GOOD_TRAINING, other_areas=" Heder   och  våld "), 2026)
    assert made.other_areas == ("Heder och våld",)
    made, _ = pi.check_occasion_input(replace_(GOOD_OCCASION, place=" Rum   1 "), 4, 2026)
    assert made.place == "Rum 1"


def test_an_extent_below_one_is_an_extent_and_areas_go_in_the_catalogues_order():
    made, errors = pi.check_training_input(replace_(GOOD_TRAINING, extent="0,5"), 2026)
    assert errors == {} and made.extent == 0.5
    made, _ = pi.check_training_input(replace_(GOOD_TRAINING, areas=("ebp", "samtal", "ebp")), 2026)
    assert made.areas == ("samtal", "ebp")  # Samtal comes before Evidensbaserad praktik in the form


def test_each_date_says_its_own_problem_and_both_are_said():
    from bouv_tui.domain.validation import parse_iso_date

    def message(text):
        try:
            parse_iso_date(text)
        except InvalidValue as exc:
            return str(exc)

    _, errors = pi.check_occasion_input(replace_(GOOD_OCCASION, start="10/3", end="2026-02-30"), 4, 2026)
    assert errors == {"start": message("10/3"), "end": message("2026-02-30")}
    assert errors["start"] and errors["end"]
    _, errors = pi.check_occasion_input(replace_(GOOD_OCCASION, seats="0"), 4, 2026)
    assert errors == {"seats": '"0" är inget giltigt antal platser. Ange ett heltal från 1 till 10000, eller lämna tomt.'}


def test_a_copy_of_a_stored_occasion_is_a_new_row():
    run = replace_(occasion(3, 1, start=date(2026, 5, 4)), version=5)
    _, moved = pi.copied_to_next_year(replace_(training(1), version=2), [run])
    assert moved[0].version == 0 and moved[0].id is None

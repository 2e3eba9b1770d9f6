"""The demo's training plan (``demo/plan.py``): each situation the plan section is there to show
is in the default demo, seen through the domain's own figures (need against plan, totals,
question 21, the suggested answers); the national scale reaches its size; the same seed gives
the same plan; and the bulk write it goes through (``PlanWrites.add_plan``) keeps the seats."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bouv_tui import demo
from bouv_tui.config import Config
from bouv_tui.demo import DEFAULT_TODAY, write_demo
from bouv_tui.domain import catalog
from bouv_tui.domain import plan as rules
from bouv_tui.domain.assessment import Round
from bouv_tui.domain.plan import Occasion, Participant, Plan, Training
from bouv_tui.domain.roster import StaffMember
from bouv_tui.services import Workspace
from bouv_tui.store import db
from bouv_tui.store.db import StoreError
from bouv_tui.store.plans import read_plan
from bouv_tui.store.read import read_assessments, read_rounds, read_staff
from bouv_tui.store.repo import Repository

TODAY = DEFAULT_TODAY
YEAR, LAST_YEAR = TODAY.year, TODAY.year - 1
REFERENCE = Round.for_year(YEAR).reference_date


@pytest.fixture(autouse=True)
def private_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture(scope="module")
def demo24(tmp_path_factory) -> Path:
    return write_demo(tmp_path_factory.mktemp("demo") / "demo.sqlite", staff=24, seed=1)


@pytest.fixture(scope="module")
def seen(demo24):
    """This year's plan and its overview, as the plan section reads them."""
    ws = Workspace(demo24)
    try:
        yield ws.plan_overview(YEAR)
    finally:
        ws.close()


@pytest.fixture(scope="module")
def plan(seen) -> Plan:
    return seen[0]


@pytest.fixture(scope="module")
def overview(seen) -> rules.Overview:
    return seen[1]


def row(overview, group: str, area: str) -> rules.AreaPlan:
    return next(r for r in overview.by_group[group] if r.area == area)


def lacking_in(path: Path, area: str, role: str) -> set[int]:
    """Who lacks competence in ``area`` in this year's round, from the stored levels (not from
    the code under test)."""
    current = read_rounds(path)[-1]
    roles = {p.id: p.role for p in read_staff(path)}
    return {a.staff_id for a in read_assessments(path, current.id)
            if a.area == area and a.level == "saknar" and roles[a.staff_id] == role}  # fmt: skip


def seated_in(plan: Plan, area: str) -> set[int]:
    return {
        p.staff_id for o in plan.occasions if o.status != rules.CANCELLED and area in plan.training(o.training_id).areas
        for p in plan.participants_of(o.id) if p.status in (rules.BOOKED, rules.ATTENDED)
    }  # fmt: skip


# --- the default demo: what the plan section shows ------------------------------------------


def test_this_year_is_small_enough_to_read_and_last_year_has_a_little(demo24, plan):
    assert 8 <= len(plan.trainings) <= 14
    before = read_plan(demo24, LAST_YEAR)
    assert 1 <= len(before.trainings) <= 5
    assert before.participants, "last year's trainings had people on them"
    assert {o.status for o in before.occasions} == {rules.DONE}, "last year is over"


def test_a_covered_area_has_high_need_and_a_seat_for_everyone_lacking(demo24, plan, overview):
    covered = row(overview, rules.CASEWORKERS, "risk_skydd")
    lacking = lacking_in(demo24, "risk_skydd", catalog.CASEWORKER)
    assert covered.need is not None and covered.need >= 4
    assert covered.lacking == len(lacking) >= 5
    assert covered.uncovered == ()
    assert lacking <= seated_in(plan, "risk_skydd")
    assert covered.seats >= covered.lacking


def test_an_area_with_high_need_has_no_training_at_all(demo24, plan, overview):
    uncovered = row(overview, rules.CASEWORKERS, "regelverk")
    lacking = lacking_in(demo24, "regelverk", catalog.CASEWORKER)
    assert uncovered.need is not None and uncovered.need >= 4
    assert uncovered.lacking == len(lacking) >= 1
    assert (uncovered.planned, uncovered.ongoing, uncovered.done) == (0, 0, 0)
    assert set(uncovered.uncovered) == lacking
    assert not any("regelverk" in t.areas for t in plan.trainings)


def test_a_training_in_several_areas_counts_once_in_the_totals(plan, overview):
    multi = [t for t in plan.trainings if len(t.areas) + len(t.other_areas) >= 3]
    assert multi and any(plan.seated(o.id) for t in multi for o in plan.occasions_of(t.id))
    totals = overview.totals
    live = {o.training_id for o in plan.occasions if o.status != rules.CANCELLED}
    assert totals.trainings == len(live)
    assert totals.trainings_listed > totals.trainings
    assert totals.seats_listed > totals.people


def test_an_introduction_has_some_new_staff_booked_and_leaves_one_without(demo24, plan, overview):
    intro = [t for t in plan.trainings if rules.INTRODUCTION in t.tags]
    assert intro
    on_intro = {i for t in intro for o in plan.occasions_of(t.id) for i in plan.seated(o.id)}
    new = {p.id for p in read_staff(demo24) if p.is_caseworker and p.is_active(REFERENCE) and p.is_new(REFERENCE)}
    assert new & on_intro, "some new handläggare are booked on the introduction"
    without = {p.id for p in overview.no_introduction}
    assert without and without <= new and not without & on_intro
    assert without == new - on_intro


def test_a_cancelled_occasion_beside_one_that_runs(plan):
    cancelled = [o for o in plan.occasions if o.status == rules.CANCELLED]
    assert cancelled
    for o in cancelled:
        siblings = [s for s in plan.occasions_of(o.training_id) if s.id != o.id]
        assert any(s.status != rules.CANCELLED for s in siblings)


def test_a_finished_occasion_waits_for_re_assessment(plan):
    done = [o for o in plan.occasions if o.status == rules.DONE and o.start.year == YEAR]
    assert done
    completed = [p for o in done for p in plan.participants_of(o.id) if p.status == rules.ATTENDED and p.completed]
    assert len(completed) >= 5
    assert any(p.status == rules.ABSENT and not p.completed for o in done for p in plan.participants_of(o.id))
    finished_covered = [o for o in done if "risk_skydd" in plan.training(o.training_id).areas]
    assert finished_covered, "the covered area's spring course is finished"


def test_statuses_follow_the_dates(plan):
    for o in plan.occasions:
        if o.status == rules.DONE:
            assert o.end < TODAY
        elif o.status == rules.ONGOING:
            assert o.start <= TODAY <= o.end
        elif o.status == rules.PLANNED:
            assert o.start > TODAY
    assert {rules.PLANNED, rules.ONGOING, rules.DONE, rules.CANCELLED} == {o.status for o in plan.occasions}


def test_support_and_supervision_for_both_groups(plan):
    support = [t for t in plan.trainings if t.kind == rules.SUPPORT]
    assert {g for t in support for g in t.groups} == {rules.CASEWORKERS, rules.LEADERS}


def test_a_couple_paid_by_own_funds_most_by_the_grant(plan):
    funding = {t.id: {o.funding for o in plan.occasions_of(t.id)} for t in plan.trainings}
    own = [t for t, f in funding.items() if f == {rules.OWN_FUNDS}]
    grant = [t for t, f in funding.items() if rules.GRANT in f]
    assert len(own) == 2
    assert len(grant) > len(own)


def test_question_21_lists_the_grant_funded_trainings_under_each_area(demo24, plan, overview):
    expected = {
        plan.training(o.training_id).name for o in plan.occasions
        if o.funding == rules.GRANT and o.start.year == YEAR and o.status != rules.CANCELLED
    }  # fmt: skip
    rows = overview.question_21
    assert {r.training for r in rows} == expected
    for name in expected:
        training = next(t for t in plan.trainings if t.name == name)
        assert len([r for r in rows if r.training == name]) == len(training.areas) + len(training.other_areas)
    assert any(r.area is None and r.other_area for r in rows), "an 'Annat' area"
    assert any(rules.Q21_MANAGER in r.categories for r in rows)
    assert all(r.participants >= 1 for r in rows)
    # Last year's submission has its rows too.
    ws = Workspace(demo24)
    try:
        built, problems = ws.check_submission(LAST_YEAR, Config().need_model)
        assert built.q21
        this_year, problems_now = ws.check_submission(YEAR, Config().need_model)
        assert len(this_year.q21) == len(rows)
    finally:
        ws.close()
    assert not [x for x in problems + problems_now if x.question == "fraga_21"], "every provider type and extent set"


def test_questions_12_and_18_get_suggestions_from_the_provider_types(plan):
    assert all(t.provider_type in catalog.PROVIDER_TYPES.codes() for t in plan.trainings)
    for group in (rules.CASEWORKERS, rules.LEADERS):
        suggested = rules.suggested_organisation(plan, YEAR, group)
        assert suggested and suggested != ("ingen",)
    assert len(rules.suggested_organisation(plan, YEAR, rules.CASEWORKERS)) >= 3


def test_names_and_providers_are_realistic_and_made_up(plan):
    names = {t.name for t in plan.trainings}
    assert {"Signs of Safety – grundkurs", "BBIC-utbildning", "Barnsamtal", "MI – motiverande samtal"} <= names
    for t in plan.trainings:
        assert any(word in t.provider for word in ("Exempel", "Påhittad")), t.provider
        assert t.extent and t.extent > 0 and t.extent_unit in (rules.HP, rules.DAYS)


def test_occasions_have_seats_costs_and_days_away(plan):
    for o in plan.occasions:
        assert o.seats is not None and len(plan.seated(o.id)) <= o.seats
        assert o.days_away > 0
        assert o.place
    assert sum(o.cost(len(plan.seated(o.id))) for o in plan.occasions if o.counts) > 100_000


def test_participants_were_employed_over_their_occasion_and_in_its_group(demo24, plan):
    people = {p.id: p for p in read_staff(demo24)}
    for o in plan.occasions:
        training = plan.training(o.training_id)
        for participant in plan.participants_of(o.id):
            person = people[participant.staff_id]
            assert person.employed_from is None or person.employed_from <= o.start
            assert person.employed_until is None or person.employed_until >= o.end
            assert person.role in {rules.ROLE_OF_GROUP[g] for g in training.groups}


def test_both_tables_of_the_financial_report_have_people(demo24, plan):
    people = {p.id: p for p in read_staff(demo24)}
    tables = rules.report_person_counts(plan, YEAR, people, REFERENCE)
    assert sum(tables[rules.TRAINING].values()) >= 5
    assert sum(tables[rules.SUPPORT].values()) >= 1


# --- reproducible, and independent of the other steps --------------------------------------


def _everything(path: Path) -> list[tuple]:
    return [(p.trainings, p.occasions, p.participants) for p in (read_plan(path, LAST_YEAR), read_plan(path, YEAR))]


def test_the_same_seed_gives_the_same_plan(tmp_path, demo24):
    again = write_demo(tmp_path / "again.sqlite", staff=24, seed=1)
    assert _everything(again) == _everything(demo24)


def test_another_seed_gives_other_participants(tmp_path, demo24):
    other = write_demo(tmp_path / "other.sqlite", staff=24, seed=2)
    first, second = read_plan(demo24, YEAR), read_plan(other, YEAR)
    assert [t.name for t in first.trainings] == [t.name for t in second.trainings]
    assert first.participants != second.participants


def test_the_plan_step_changes_nothing_the_other_steps_write(tmp_path, demo24, monkeypatch):
    monkeypatch.setattr(demo, "STEPS", [s for s in demo.STEPS if s[0] != "plan"])
    without = write_demo(tmp_path / "without.sqlite", staff=24, seed=1)
    assert read_plan(without, YEAR).trainings == ()
    assert read_staff(without) == read_staff(demo24)
    for first, second in zip(read_rounds(without), read_rounds(demo24), strict=True):
        assert sorted(read_assessments(without, first.id), key=lambda a: (a.staff_id, a.area)) == sorted(
            read_assessments(demo24, second.id), key=lambda a: (a.staff_id, a.area)
        )


@pytest.mark.parametrize("staff", [1, 5])
def test_a_tiny_roster_still_gets_a_plan(tmp_path, staff):
    path = write_demo(tmp_path / "tiny.sqlite", staff=staff, seed=3)
    plan = read_plan(path, YEAR)
    assert len(plan.trainings) == 10
    assert all(len(plan.seated(o.id)) <= o.seats for o in plan.occasions)


def test_the_national_scale_reaches_its_size(tmp_path):
    path = write_demo(tmp_path / "national.sqlite", staff=5113, seed=2013)  # speed: benchmarks/
    plan = read_plan(path, YEAR)
    assert 550 <= len(plan.trainings) <= 650
    assert 1_100 <= len(plan.occasions) <= 1_300
    assert 23_000 <= len(plan.participants) <= 27_000
    assert len({t.name for t in plan.trainings}) == len(plan.trainings), "names tell the trainings apart"
    assert all(len(plan.seated(o.id)) <= o.seats for o in plan.occasions)
    assert not any("regelverk" in t.areas for t in plan.trainings)
    by_training: dict[int, list[int]] = {}
    for o in plan.occasions:
        for p in plan.participants_of(o.id):
            by_training.setdefault(o.training_id, []).append(p.staff_id)
    # A course is taken once (supervision runs a term an occasion, the same team each term).
    courses = [ids for t, ids in by_training.items() if plan.training(t).kind == rules.TRAINING]
    assert all(len(ids) == len(set(ids)) for ids in courses), "no one twice on one course"


# --- the bulk write (PlanWrites.add_plan) ---------------------------------------------------


@pytest.fixture
def repo(tmp_path):
    repository = Repository(db.open_database(tmp_path / "kommun.sqlite", backup=False))
    yield repository
    repository.close()


@pytest.fixture
def people(repo) -> list[StaffMember]:
    return repo.save_staff([StaffMember(f"Person {i}", catalog.CASEWORKER) for i in range(1, 5)], [])


COURSE = Training("Barnsamtal", rules.TRAINING, YEAR, ("samtal", "barns_utveckling"), ("Hedersrelaterat våld",),
                  "Exempelby universitet", "universitet_hogskola", 7.5, rules.HP, id=-1)  # fmt: skip


def _plan(people, booked: int, *, absent: int = 0, seats: int = 2) -> Plan:
    spring = Occasion(-1, date(YEAR, 3, 2), date(YEAR, 3, 4), rules.DONE, "Exempelby", seats, rules.GRANT, 1_000, 200,
                      2.0, id=-7)  # fmt: skip
    autumn = Occasion(-1, date(YEAR, 9, 1), date(YEAR, 9, 1), funding=rules.OWN_FUNDS, id=-8)
    on_spring = [Participant(-7, p.id, rules.ATTENDED, True) for p in people[:booked]]
    on_spring += [Participant(-7, p.id, rules.ABSENT) for p in people[booked : booked + absent]]
    return Plan([COURSE], [spring, autumn], [*on_spring, Participant(-8, people[0].id)])


def table_counts(path: Path) -> tuple[int, ...]:
    conn = sqlite3.connect(path)
    try:
        return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                     for t in ("training", "training_area", "occasion", "participant"))  # fmt: skip
    finally:
        conn.close()


def test_a_bulk_plan_reads_back_as_stored_with_new_ids(repo, people):
    stored = repo.add_plan(_plan(people, 2, absent=1))
    back = read_plan(repo.path, YEAR)
    assert back.trainings == stored.trainings and back.occasions == stored.occasions
    assert sorted(back.participants, key=lambda p: (p.occasion_id, p.staff_id)) == sorted(
        stored.participants, key=lambda p: (p.occasion_id, p.staff_id)
    )
    (training,) = back.trainings
    assert training.id > 0 and training.version == 1
    assert replace(training, id=-1, version=0) == COURSE
    spring, autumn = back.occasions
    assert {spring.training_id, autumn.training_id} == {training.id}
    assert (spring.status, spring.seats, spring.cost_fixed, spring.cost_per_participant, spring.days_away) == (
        rules.DONE, 2, 1_000, 200, 2.0)  # fmt: skip
    assert [(p.staff_id, p.status, p.completed, p.version) for p in back.participants_of(spring.id)] == [
        (people[0].id, rules.ATTENDED, True, 1), (people[1].id, rules.ATTENDED, True, 1),
        (people[2].id, rules.ABSENT, False, 1),
    ]  # fmt: skip
    assert table_counts(repo.path) == (1, 3, 2, 4)
    # The stored rows take the one-row writes as any other: a booking checks the seats.
    assert not repo.book(autumn.id, [people[3].id]).booked_elsewhere
    assert repo.book(spring.id, [people[3].id]).refused


def test_seats_exactly_full_are_accepted_one_more_is_refused_and_nothing_written(repo, people):
    before = table_counts(repo.path)
    with pytest.raises(StoreError) as refused:
        repo.add_plan(_plan(people, 3))
    assert "3 bokade men 2 platser" in str(refused.value) and "Barnsamtal" in str(refused.value)
    assert "Ingenting sparades" in str(refused.value)
    assert table_counts(repo.path) == before
    repo.add_plan(_plan(people, 2, absent=2))  # the absent hold no seat
    assert table_counts(repo.path) == (1, 3, 2, 5)


def test_a_participant_of_an_unknown_occasion_or_twice_the_same_id_is_refused(repo, people):
    good = _plan(people, 1)
    stray = Plan(good.trainings, good.occasions, [*good.participants, Participant(-99, people[1].id)])
    with pytest.raises(StoreError, match="inte finns"):
        repo.add_plan(stray)
    twice = Plan(good.trainings, [*good.occasions, replace(good.occasions[0], start=date(YEAR, 5, 1))], ())
    with pytest.raises(StoreError, match="samma id"):
        repo.add_plan(twice)
    assert table_counts(repo.path) == (0, 0, 0, 0)


def test_an_empty_plan_writes_nothing(repo):
    assert repo.add_plan(Plan()).trainings == ()
    assert table_counts(repo.path) == (0, 0, 0, 0)


# --- the overview recomputed in memory after a booking, as the screen will ----------------------


def test_an_overview_recomputed_in_memory_is_the_one_read_after_the_booking_is_stored(tmp_path):
    path = write_demo(tmp_path / "demo.sqlite", staff=24, seed=1)
    ws = Workspace(path)
    try:
        plan, shown = ws.plan_overview(YEAR)
        inputs = ws.overview_inputs(YEAR)
        assert rules.overview(plan, YEAR, *inputs) == shown
        row = next(r for r in shown.by_group[rules.CASEWORKERS] if r.area == "placerade_barn")
        person = row.uncovered[0]
        occasion = next(o for o in plan.occasions if o.status == rules.PLANNED
                        and "placerade_barn" in plan.training(o.training_id).areas)  # fmt: skip
        assert ws.book(occasion.id, [person]).ok
        in_memory = rules.overview(plan.with_participants([Participant(occasion.id, person, version=1)]), YEAR, *inputs)
        _, stored = ws.plan_overview(YEAR)
    finally:
        ws.close()
    assert in_memory == stored
    after = next(r for r in stored.by_group[rules.CASEWORKERS] if r.area == "placerade_barn")
    assert person not in after.uncovered and len(after.uncovered) == len(row.uncovered) - 1
    assert after.planned == row.planned + 1

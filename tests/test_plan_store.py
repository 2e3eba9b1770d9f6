"""The training plan in the file (``store/plans.py``, migration 0005): what is saved is read
back the same, each write is one transaction, a row changed by another window is not
overwritten, and the seats hold when two windows book the last one."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bouv_tui.domain import catalog
from bouv_tui.domain import plan as p
from bouv_tui.domain.plan import Occasion, Participant, Training
from bouv_tui.domain.roster import StaffMember
from bouv_tui.errors import BouvError, Conflict
from bouv_tui.store import db
from bouv_tui.store.db import StoreError
from bouv_tui.store.plans import read_plan
from bouv_tui.store.repo import Repository


@pytest.fixture
def path(tmp_path) -> Path:
    return db.open_database(tmp_path / "kommun.sqlite", backup=False)


@pytest.fixture
def repo(path):
    repository = Repository(path)
    yield repository
    repository.close()


@pytest.fixture
def other(path):
    """Another window or program on the same file."""
    repository = Repository(path)
    yield repository
    repository.close()


@pytest.fixture
def staff(repo) -> list[StaffMember]:
    return repo.save_staff([StaffMember(f"Person {i}", catalog.CASEWORKER) for i in range(1, 6)], [])


COURSE = Training(
    "Barnsamtal", p.TRAINING, 2026, ("samtal", "barns_utveckling"), ("Hedersrelaterat våld",),
    "Högskolan Väst", "universitet_hogskola", 7.5, p.HP, (p.INTRODUCTION,), (p.CASEWORKERS, p.LEADERS),
)  # fmt: skip


def rows(path: Path, table: str) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT * FROM {table}").fetchall()
    finally:
        conn.close()


def test_a_training_with_occasions_and_participants_reads_back_the_same(repo, path, staff):
    course = repo.save_training(COURSE)
    assert course.id is not None and course.version == 1 and replace(course, id=None, version=0) == COURSE
    spring = repo.save_occasion(Occasion(course.id, date(2026, 3, 2), date(2026, 3, 4), place="Göteborg", seats=2,
                                         cost_fixed=12_000, cost_per_participant=3_500, days_away=2.5))  # fmt: skip
    autumn = repo.save_occasion(Occasion(course.id, date(2026, 9, 1), date(2026, 9, 1), funding=p.OWN_FUNDS))
    assert repo.book(spring.id, [staff[0].id, staff[1].id]) == p.BookingCheck(None, ())
    plan = read_plan(path, 2026)
    assert plan.trainings == (course,)
    assert plan.occasions == (spring, autumn)
    assert plan.participants == (Participant(spring.id, staff[0].id, p.BOOKED, False, 1),
                                 Participant(spring.id, staff[1].id, p.BOOKED, False, 1))  # fmt: skip
    assert read_plan(path, 2025).trainings == ()


def test_saving_a_training_again_replaces_its_areas_and_raises_its_version(repo, path):
    course = repo.save_training(COURSE)
    changed = repo.save_training(replace(course, areas=("ebp",), other_areas=(), tags=()))
    assert changed.version == 2
    assert read_plan(path, 2026).trainings == (changed,)
    assert [r[2:] for r in rows(path, "training_area")] == [("ebp", "")]


def test_a_training_changed_in_another_window_is_not_overwritten(repo, other):
    course = repo.save_training(COURSE)
    other.save_training(replace(course, provider="Annan anordnare"))
    with pytest.raises(Conflict) as refused:
        repo.save_training(replace(course, name="Barnsamtal 2"), shown=course)
    assert [(c.label, c.shown, c.stored, c.mine) for c in refused.value.changes] == [
        ("Anordnare", "Högskolan Väst", "Annan anordnare", "Högskolan Väst")
    ]
    saved = repo.save_training(replace(course, name="Barnsamtal 2"), force=True)
    assert saved.version == 3
    other.delete_training(course.id)
    with pytest.raises(Conflict) as gone:
        repo.save_training(saved, force=True)
    assert gone.value.removed


def test_deleting_a_training_takes_its_occasions_and_bookings(repo, path, staff):
    course = repo.save_training(COURSE)
    occasion = repo.save_occasion(Occasion(course.id, date(2026, 3, 2), date(2026, 3, 2)))
    repo.book(occasion.id, [staff[0].id])
    with pytest.raises(Conflict):
        repo.delete_training(course.id, version=course.version + 1)  # shown an older or newer row
    repo.delete_training(course.id, version=course.version)
    assert rows(path, "training") == rows(path, "occasion") == rows(path, "participant") == rows(path, "training_area") == []
    repo.delete_training(course.id)  # already gone: no error


def test_the_last_seat_goes_to_one_window_only(repo, other, path, staff):
    course = repo.save_training(COURSE)
    occasion = repo.save_occasion(Occasion(course.id, date(2026, 3, 2), date(2026, 3, 2), seats=2))
    assert repo.book(occasion.id, [staff[0].id]).ok
    assert other.book(occasion.id, [staff[1].id]).ok  # the last seat
    late = repo.book(occasion.id, [staff[2].id])
    assert late.refused == "Tillfället har 2 platser och 2 är bokade: ingen till kan bokas, inte 1."
    assert len(rows(path, "participant")) == 2


def test_seats_cannot_become_fewer_than_the_people_booked(repo, staff):
    course = repo.save_training(COURSE)
    occasion = repo.save_occasion(Occasion(course.id, date(2026, 3, 2), date(2026, 3, 2), seats=3))
    repo.book(occasion.id, [s.id for s in staff[:3]])
    with pytest.raises(Conflict, match="platserna kan inte bli färre"):
        repo.save_occasion(replace(occasion, seats=2))
    assert repo.save_occasion(replace(occasion, seats=3)).version == 2


def test_booking_flags_people_on_another_occasion_and_rebooks_who_dropped_out(repo, path, staff):
    course = repo.save_training(COURSE)
    spring = repo.save_occasion(Occasion(course.id, date(2026, 3, 2), date(2026, 3, 2)))
    autumn = repo.save_occasion(Occasion(course.id, date(2026, 9, 2), date(2026, 9, 2)))
    repo.book(spring.id, [staff[0].id])
    assert repo.book(autumn.id, [staff[0].id, staff[1].id]).booked_elsewhere == (staff[0].id,)
    booked = read_plan(path, 2026).participants_of(autumn.id)
    repo.save_participants([replace(booked[1], status=p.DROPPED)])
    assert repo.book(autumn.id, [staff[1].id]).ok
    assert [x.status for x in read_plan(path, 2026).participants_of(autumn.id)] == [p.BOOKED, p.BOOKED]
    repo.unbook(autumn.id, [staff[0].id])
    assert [x.staff_id for x in read_plan(path, 2026).participants_of(autumn.id)] == [staff[1].id]


def test_a_participant_changed_elsewhere_is_not_overwritten(repo, other, path, staff):
    course = repo.save_training(COURSE)
    occasion = repo.save_occasion(Occasion(course.id, date(2026, 3, 2), date(2026, 3, 2)))
    repo.book(occasion.id, [staff[0].id, staff[1].id])
    first, second = read_plan(path, 2026).participants_of(occasion.id)
    other.save_participants([replace(second, status=p.ABSENT)])
    with pytest.raises(Conflict):
        repo.save_participants([replace(first, status=p.ATTENDED, completed=True), replace(second, status=p.ATTENDED)])
    assert [x.status for x in read_plan(path, 2026).participants_of(occasion.id)] == [p.BOOKED, p.ABSENT]  # all or nothing
    repo.save_participants([replace(first, status=p.ATTENDED, completed=True)])
    assert read_plan(path, 2026).participants_of(occasion.id)[0] == replace(first, status=p.ATTENDED, completed=True,
                                                                            version=2)  # fmt: skip


def test_the_schema_refuses_what_the_domain_never_writes(repo, path):
    course = repo.save_training(COURSE)
    with pytest.raises(StoreError):
        repo.save_occasion(Occasion(course.id, date(2026, 3, 2), date(2026, 3, 1)))  # ends before it starts
    with pytest.raises(StoreError):
        repo.save_occasion(Occasion(course.id, date(2026, 3, 2), date(2026, 3, 2), seats=0))
    with pytest.raises(StoreError):
        repo.save_training(replace(COURSE, name="Annan", kind="kurs"))
    with pytest.raises(StoreError):
        repo.save_training(replace(COURSE))  # the same name the same year
    assert len(rows(path, "training")) == 1 and rows(path, "occasion") == []


def test_an_occasion_changed_or_removed_elsewhere_is_not_overwritten(repo, other):
    course = repo.save_training(COURSE)
    occasion = repo.save_occasion(Occasion(course.id, date(2026, 3, 2), date(2026, 3, 2), seats=10))
    other.save_occasion(replace(occasion, place="Borås"))
    with pytest.raises(Conflict) as refused:
        repo.save_occasion(replace(occasion, seats=12), shown=occasion)
    assert str(refused.value) == "Tillfället har ändrats i ett annat fönster sedan du öppnade det. Ingenting sparades."
    assert [(c.label, c.shown, c.stored, c.mine) for c in refused.value.changes] == [("Plats", "", "Borås", "")]
    other.delete_occasion(occasion.id)
    with pytest.raises(Conflict) as gone:
        repo.save_occasion(replace(occasion, seats=12), force=True)
    assert gone.value.removed and str(gone.value).startswith("Tillfället har tagits bort")


def test_copying_to_next_year_stores_the_training_and_its_occasions_in_one_transaction(repo, path, staff):
    course = repo.save_training(COURSE)
    done = repo.save_occasion(Occasion(course.id, date(2026, 3, 2), date(2026, 3, 4), p.DONE, "Göteborg", 12,
                                       cost_fixed=9_000, days_away=2.0))  # fmt: skip
    repo.save_occasion(Occasion(course.id, date(2026, 5, 2), date(2026, 5, 2), p.CANCELLED))
    repo.book(repo.save_occasion(Occasion(course.id, date(2026, 9, 1), date(2026, 9, 1))).id, [staff[0].id])
    before = read_plan(path, 2026)
    copy = repo.copy_training(course, before.occasions_of(course.id))
    later = read_plan(path, 2027)
    assert copy.year == 2027 and copy.id != course.id and replace(copy, id=None, version=0) == replace(COURSE, year=2027)
    assert later.trainings == (copy,)
    assert [(o.start, o.end, o.status, o.place, o.seats, o.cost_fixed, o.days_away) for o in later.occasions] == [
        (date(2027, 3, 2), date(2027, 3, 4), p.PLANNED, "Göteborg", 12, 9_000, 2.0),
        (date(2027, 9, 1), date(2027, 9, 1), p.PLANNED, "", None, 0, 0.0),
    ]
    assert later.participants == () and read_plan(path, 2026).occasions == before.occasions
    assert done.id in {o.id for o in before.occasions}
    with pytest.raises(BouvError, match="^Utbildningen Barnsamtal finns redan i planen för 2027. Ingenting kopierades.$"):
        repo.copy_training(course, before.occasions_of(course.id))
    assert len(read_plan(path, 2027).occasions) == 2  # the refused copy wrote nothing


def test_a_copy_that_fails_half_way_writes_nothing(repo, path):
    course = repo.save_training(COURSE)
    bad = Occasion(course.id, date(2026, 3, 2), date(2026, 3, 4), seats=0)  # the schema refuses it, after the training
    with pytest.raises(StoreError):
        repo.copy_training(course, [bad])
    assert read_plan(path, 2027).trainings == ()
    assert [r for r in rows(path, "training") if r[1] == 2027] == []


def test_finishing_an_occasion_marks_the_booked_as_attended_and_completed(repo, other, path, staff):
    course = repo.save_training(COURSE)
    run = repo.save_occasion(Occasion(course.id, date(2026, 3, 2), date(2026, 3, 4), seats=4))
    repo.book(run.id, [s.id for s in staff[:3]])
    dropped = next(x for x in read_plan(path, 2026).participants if x.staff_id == staff[2].id)
    repo.save_participants([replace(dropped, status=p.DROPPED)])
    finished = repo.finish_occasion(run)
    plan = read_plan(path, 2026)
    assert finished.status == p.DONE and plan.occasions[0].status == p.DONE and finished.version == run.version + 1
    assert {(x.staff_id, x.status, x.completed) for x in plan.participants} == {
        (staff[0].id, p.ATTENDED, True), (staff[1].id, p.ATTENDED, True), (staff[2].id, p.DROPPED, False),
    }  # fmt: skip
    # Finished again from a stale read (another window finished it first): refused, nothing changed.
    with pytest.raises(Conflict):
        other.finish_occasion(run)
    assert read_plan(path, 2026).participants == plan.participants

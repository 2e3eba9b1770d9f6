"""Inventory rounds and assessments in the database: migration 0002, writes, copies, cascades."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from store_helpers import alembic
from sqlalchemy import event

from bouv_tui.domain import catalog
from bouv_tui.domain.assessment import Assessment, Round
from bouv_tui.domain.roster import StaffMember
from bouv_tui.store import db, read
from bouv_tui.store.db import StoreError, open_database
from bouv_tui.store.repo import Repository

DAY = date(2026, 11, 22)


@pytest.fixture
def opened(tmp_path: Path) -> Path:
    return open_database(tmp_path / "kommun.sqlite")


@pytest.fixture
def repo(opened: Path):
    repository = Repository(opened)
    yield repository
    repository.close()


@pytest.fixture
def people(repo: Repository) -> list[StaffMember]:
    return repo.save_staff(
        [
            StaffMember(name="Ada", role=catalog.CASEWORKER),
            StaffMember(name="Bo", role=catalog.CASEWORKER),
            StaffMember(name="Cia", role=catalog.TEAM_LEADER),
        ],
        [],
    )


def levels(path: Path, round_id: int) -> dict[tuple[int, str], tuple[str, bool]]:
    return {(a.staff_id, a.area): (a.level, a.carried_over) for a in read.read_assessments(path, round_id)}


def count_rows(path: Path, table: str) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        conn.close()


# --- schema ------------------------------------------------------------------------------


def test_new_file_has_rounds_and_assessments(opened: Path):
    conn = sqlite3.connect(opened)
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        columns = {r[1] for r in conn.execute("PRAGMA table_info(assessment)")}
    finally:
        conn.close()
    assert {"inventory_round", "assessment"} <= tables
    assert {"round_id", "staff_id", "area", "level", "carried_over", "assessed_on", "note"} <= columns


def test_a_0001_file_with_staff_is_upgraded_and_keeps_its_staff(opened: Path, repo: Repository):
    repo.add_staff(StaffMember(name="Ada", role=catalog.CASEWORKER))
    repo.close()
    alembic(opened, "downgrade", "0001")
    assert db.inspect(opened).revision == "0001"
    assert "assessment" not in db.inspect(opened).tables

    open_database(opened, backup=False)

    found = db.inspect(opened)
    assert found.revision == db.HEAD_REVISION
    assert {"inventory_round", "assessment"} <= set(found.tables)
    assert [p.name for p in read.read_staff(opened)] == ["Ada"]
    assert read.read_rounds(opened) == []


# --- rounds ------------------------------------------------------------------------------


def test_create_round_stores_year_and_reference_date(repo: Repository, opened: Path):
    created = repo.create_round(Round.for_year(2026))
    other = repo.create_round(Round.for_year(2025, date(2025, 11, 30)))

    assert created.id is not None and created.year == 2026
    assert read.read_rounds(opened) == [
        Round(2025, date(2025, 11, 30), other.id),
        Round(2026, date(2026, 12, 31), created.id),
    ]


def test_a_second_round_for_the_same_year_is_refused_in_swedish(repo: Repository, opened: Path):
    repo.create_round(Round.for_year(2026))
    with pytest.raises(StoreError, match="Det finns redan en inventeringsomgång för 2026"):
        repo.create_round(Round.for_year(2026, date(2026, 6, 30)))
    assert [r.reference_date for r in read.read_rounds(opened)] == [date(2026, 12, 31)]


# --- saving levels ----------------------------------------------------------------------


def test_save_sets_replaces_and_clears(repo: Repository, opened: Path, people):
    ada, bo, cia = (p.id for p in people)
    round_id = repo.create_round(Round.for_year(2026)).id
    repo.save_assessments(
        round_id,
        [
            Assessment(ada, "ebp", "saknar", round_id, DAY),
            Assessment(bo, "ebp", "fordjupad", round_id, DAY, note="Handleder kollegor"),
            Assessment(cia, "ledarskap", "grundlaggande", round_id, DAY),
        ],
    )
    assert levels(opened, round_id) == {
        (ada, "ebp"): ("saknar", False),
        (bo, "ebp"): ("fordjupad", False),
        (cia, "ledarskap"): ("grundlaggande", False),
    }
    stored = {(a.staff_id, a.area): a for a in read.read_assessments(opened, round_id)}
    assert stored[(bo, "ebp")].note == "Handleder kollegor"
    assert stored[(ada, "ebp")].assessed_on == DAY

    repo.save_assessments(round_id, [Assessment(ada, "ebp", "grundlaggande", round_id, DAY)], [(bo, "ebp")])

    assert levels(opened, round_id) == {
        (ada, "ebp"): ("grundlaggande", False),
        (cia, "ledarskap"): ("grundlaggande", False),
    }


def test_clearing_what_is_not_there_changes_nothing(repo: Repository, opened: Path, people):
    round_id = repo.create_round(Round.for_year(2026)).id
    repo.save_assessments(round_id, [Assessment(people[0].id, "samtal", "saknar", round_id)])
    repo.save_assessments(round_id, [], [(people[1].id, "samtal"), (people[0].id, "ebp")])
    assert levels(opened, round_id) == {(people[0].id, "samtal"): ("saknar", False)}


def test_levels_of_one_round_do_not_touch_another(repo: Repository, opened: Path, people):
    first = repo.create_round(Round.for_year(2025)).id
    second = repo.create_round(Round.for_year(2026)).id
    ada = people[0].id
    repo.save_assessments(first, [Assessment(ada, "ebp", "saknar", first)])
    repo.save_assessments(second, [Assessment(ada, "ebp", "fordjupad", second)])
    repo.save_assessments(second, [], [(ada, "ebp")])
    assert levels(opened, first) == {(ada, "ebp"): ("saknar", False)}
    assert levels(opened, second) == {}


def test_an_unknown_level_is_refused_and_nothing_is_stored(repo: Repository, opened: Path, people):
    round_id = repo.create_round(Round.for_year(2026)).id
    ada, bo = people[0].id, people[1].id
    repo.save_assessments(round_id, [Assessment(ada, "ebp", "saknar", round_id)])

    with pytest.raises(StoreError, match="Ingenting sparades"):
        repo.save_assessments(
            round_id,
            [Assessment(ada, "ebp", "fordjupad", round_id), Assessment(bo, "ebp", "expert", round_id)],
            [(ada, "samtal")],
        )

    assert levels(opened, round_id) == {(ada, "ebp"): ("saknar", False)}


def test_a_level_for_someone_not_in_the_roster_is_refused(repo: Repository, opened: Path, people):
    round_id = repo.create_round(Round.for_year(2026)).id
    with pytest.raises(StoreError):
        repo.save_assessments(round_id, [Assessment(9999, "ebp", "saknar", round_id)])
    assert levels(opened, round_id) == {}


# --- carried over ------------------------------------------------------------------------


def test_a_new_round_copied_from_an_old_one_carries_the_levels_over(repo: Repository, opened: Path, people):
    ada, bo, cia = (p.id for p in people)
    old = repo.create_round(Round.for_year(2025)).id
    repo.save_assessments(
        old,
        [
            Assessment(ada, "ebp", "saknar", old, date(2025, 11, 1)),
            Assessment(bo, "utredning", "fordjupad", old, date(2025, 11, 2)),
            Assessment(cia, "grupprocesser", "grundlaggande", old, date(2025, 11, 3)),
        ],
    )

    new = repo.create_round(Round.for_year(2026), copy_from=old)

    assert new.id != old
    assert levels(opened, new.id) == {
        (ada, "ebp"): ("saknar", True),
        (bo, "utredning"): ("fordjupad", True),
        (cia, "grupprocesser"): ("grundlaggande", True),
    }
    assert levels(opened, old) == {
        (ada, "ebp"): ("saknar", False),
        (bo, "utredning"): ("fordjupad", False),
        (cia, "grupprocesser"): ("grundlaggande", False),
    }
    copied = {a.staff_id: a for a in read.read_assessments(opened, new.id)}
    assert copied[ada].assessed_on == date(2025, 11, 1)  # when it was last actually assessed
    assert copied[ada].round_id == new.id


def test_setting_a_carried_over_level_confirms_it(repo: Repository, opened: Path, people):
    ada = people[0].id
    old = repo.create_round(Round.for_year(2025)).id
    repo.save_assessments(old, [Assessment(ada, "ebp", "saknar", old), Assessment(ada, "samtal", "saknar", old)])
    new = repo.create_round(Round.for_year(2026), copy_from=old).id

    repo.save_assessments(new, [Assessment(ada, "ebp", "grundlaggande", new, DAY)])

    assert levels(opened, new) == {(ada, "ebp"): ("grundlaggande", False), (ada, "samtal"): ("saknar", True)}


def test_confirm_carried_over_for_one_person_or_everyone(repo: Repository, opened: Path, people):
    ada, bo, cia = (p.id for p in people)
    old = repo.create_round(Round.for_year(2025)).id
    repo.save_assessments(
        old,
        [Assessment(ada, "ebp", "saknar", old), Assessment(ada, "samtal", "saknar", old),
         Assessment(bo, "ebp", "fordjupad", old), Assessment(cia, "ledarskap", "saknar", old)],
    )  # fmt: skip
    new = repo.create_round(Round.for_year(2026), copy_from=old).id

    assert repo.confirm_carried_over(new, ada) == 2
    after_one = levels(opened, new)
    assert after_one[(ada, "ebp")] == ("saknar", False) and after_one[(ada, "samtal")] == ("saknar", False)
    assert after_one[(bo, "ebp")] == ("fordjupad", True)

    assert repo.confirm_carried_over(new) == 2
    assert all(not carried for _, carried in levels(opened, new).values())
    assert repo.confirm_carried_over(new) == 0
    assert all(not carried for _, carried in levels(opened, old).values())


# --- deleting a person ---------------------------------------------------------------------


def test_deleting_a_person_deletes_their_assessments_and_nothing_else(repo: Repository, opened: Path, people):
    ada, bo, _ = (p.id for p in people)
    first = repo.create_round(Round.for_year(2025)).id
    repo.save_assessments(first, [Assessment(ada, "ebp", "saknar", first), Assessment(bo, "ebp", "fordjupad", first)])
    second = repo.create_round(Round.for_year(2026), copy_from=first).id

    repo.delete_staff(ada)

    assert levels(opened, first) == {(bo, "ebp"): ("fordjupad", False)}
    assert levels(opened, second) == {(bo, "ebp"): ("fordjupad", True)}
    assert [r.year for r in read.read_rounds(opened)] == [2025, 2026]
    assert [p.name for p in read.read_staff(opened)] == ["Bo", "Cia"]
    assert count_rows(opened, "assessment") == 2


# --- national scale ---------------------------------------------------------------------------


def test_sixty_thousand_levels_are_saved_in_one_transaction(repo: Repository, opened: Path):
    areas = catalog.CASEWORKER_AREAS.codes()[:10]
    staff = repo.save_staff([StaffMember(name=f"Person {i:04d}", role=catalog.CASEWORKER) for i in range(6000)], [])
    round_id = repo.create_round(Round.for_year(2026)).id
    levels_ = catalog.LEVELS.codes()
    sets = [
        Assessment(p.id, area, levels_[(i + j) % 3], round_id, DAY)
        for i, p in enumerate(staff)
        for j, area in enumerate(areas)
    ]
    assert len(sets) == 60_000
    commits: list[int] = []
    event.listen(repo.engine, "commit", lambda conn: commits.append(1))

    repo.save_assessments(round_id, sets)

    assert len(commits) == 1
    stored = read.read_assessments(opened, round_id)
    assert len(stored) == 60_000
    assert {(a.staff_id, a.area, a.level) for a in stored} == {(a.staff_id, a.area, a.level) for a in sets}


def test_a_bulk_save_with_one_bad_level_stores_none_of_it(repo: Repository, opened: Path):
    areas = catalog.CASEWORKER_AREAS.codes()
    staff = repo.save_staff([StaffMember(name=f"Person {i:04d}", role=catalog.CASEWORKER) for i in range(500)], [])
    round_id = repo.create_round(Round.for_year(2026)).id
    sets = [Assessment(p.id, area, "grundlaggande", round_id) for p in staff for area in areas]
    sets[-1] = Assessment(staff[-1].id, areas[-1], "Grundläggande", round_id)

    with pytest.raises(StoreError):
        repo.save_assessments(round_id, sets)

    assert count_rows(opened, "assessment") == 0


def test_an_unknown_area_is_refused_in_swedish(repo: Repository, opened: Path, people):
    round_ = repo.create_round(Round.for_year(2026))
    with pytest.raises(StoreError, match="okänt kunskapsområde"):
        repo.save_assessments(round_.id, [Assessment(people[0].id, "astrologi", "saknar")])
    assert count_rows(opened, "assessment") == 0


def test_the_last_word_on_a_cell_in_one_save_wins(repo: Repository, opened: Path, people):
    round_ = repo.create_round(Round.for_year(2026))
    pid = people[0].id
    repo.save_assessments(round_.id, [Assessment(pid, "ebp", "saknar"), Assessment(pid, "ebp", "fordjupad")])
    assert levels(opened, round_.id) == {(pid, "ebp"): ("fordjupad", False)}


def test_copying_from_a_round_that_is_gone_creates_nothing(repo: Repository, opened: Path):
    with pytest.raises(StoreError, match="finns inte"):
        repo.create_round(Round.for_year(2027), copy_from=999)
    assert count_rows(opened, "inventory_round") == 0

"""The SQLite store: opening, backups, refusing bad files, the write path, two writers."""

from __future__ import annotations

import random
import re
import sqlite3
import stat
import threading
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from store_helpers import alembic

from bouv_tui.errors import Conflict

from bouv_tui.domain.roster import StaffMember
from bouv_tui.domain.settings import MunicipalitySettings
from bouv_tui.store import db, read
from bouv_tui.store.repo import Repository

MIGRATIONS = Path(db.__file__).parent / "migrations"


# --- fixtures and helpers ------------------------------------------------------


@pytest.fixture
def repo(opened: Path):
    repository = Repository(opened)
    yield repository
    repository.close()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def person(name: str, **changes) -> StaffMember:
    return StaffMember(name=name, role="handlaggare", **changes)


def add_people(path: Path, count: int, prefix: str = "Person") -> None:
    repository = Repository(path)
    try:
        repository.save_staff([person(f"{prefix} {i:03d}", personal_id=f"{prefix}-{i}") for i in range(count)], [])
    finally:
        repository.close()


def names(path: Path) -> list[str]:
    return [p.name for p in read.read_staff(path)]


def integrity(path: Path) -> str:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


# --- a new file ------------------------------------------------------------------


def test_new_file_is_private_wal_with_foreign_keys_and_current_schema(db_path: Path):
    db.open_database(db_path)

    assert mode(db_path) == 0o600
    conn = db.connect(db_path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == db.BUSY_TIMEOUT_MS
        assert conn.execute("PRAGMA application_id").fetchone()[0] == db.APPLICATION_ID
        assert conn.execute("SELECT version_num FROM alembic_version").fetchall() == [(db.HEAD_REVISION,)]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()
    assert {"settings", "staff"} <= tables
    assert not db.backup_dir(db_path).exists()  # nothing to back up yet


def test_write_path_has_foreign_keys_on(repo: Repository):
    with repo.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_wal_and_shm_files_are_private_too(opened: Path):
    db.open_database(opened)  # reopening leaves -wal/-shm behind
    add_people(opened, 3)
    for p in (opened, Path(f"{opened}-wal"), Path(f"{opened}-shm")):
        if p.exists():
            assert mode(p) == 0o600, p


def test_missing_parent_folder_is_created(tmp_path: Path):
    path = tmp_path / "ny" / "mapp" / "kommun.sqlite"
    db.open_database(path)
    assert names(path) == []


def test_empty_file_is_initialised_as_new(db_path: Path):
    db_path.touch()
    db.open_database(db_path)
    assert db.inspect(db_path).revision == db.HEAD_REVISION
    assert read.read_settings(db_path) == MunicipalitySettings()
    assert names(db_path) == []


def test_head_revision_matches_the_migration_scripts():
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory(str(MIGRATIONS))
    head = scripts.get_current_head()
    assert db.HEAD_REVISION == head
    assert db.KNOWN_REVISIONS[-1] == head
    chain = [s.revision for s in reversed(list(scripts.walk_revisions()))]  # oldest first
    assert [r for r in chain if r in db.KNOWN_REVISIONS] == list(db.KNOWN_REVISIONS)


def test_old_schema_is_backed_up_then_upgraded(opened: Path):
    """An older file (here: migrated down to nothing) is copied before Alembic upgrades it."""
    alembic(opened, "downgrade", "base")
    assert db.inspect(opened).revision is None

    db.open_database(opened, backup=False)

    assert db.inspect(opened).revision == db.HEAD_REVISION
    backups = db.list_backups(opened)
    assert len(backups) == 1
    conn = sqlite3.connect(backups[0])
    try:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()
    assert "staff" not in tables  # the backup is the file as it was before the upgrade
    assert names(opened) == []


# --- backups ---------------------------------------------------------------------


def test_reopening_after_a_change_makes_a_dated_private_backup(opened: Path):
    db.open_database(opened)
    assert len(db.list_backups(opened)) == 1
    add_people(opened, 2)

    before = datetime.now().replace(microsecond=0)
    db.open_database(opened)
    after = datetime.now()

    backups = db.list_backups(opened)
    assert len(backups) == 2
    newest = backups[0]
    assert newest.parent == opened.parent / "kommun-backups"
    found = re.fullmatch(r"kommun-(\d{8}-\d{6})(-\d+)?\.sqlite", newest.name)
    assert found, newest.name
    assert before <= datetime.strptime(found[1], "%Y%m%d-%H%M%S") <= after
    assert mode(newest) == 0o600
    assert mode(newest.parent) == 0o700
    assert len(read.read_staff(newest)) == 2


def test_reopening_without_a_change_makes_no_backup(opened: Path):
    db.open_database(opened)
    first = db.list_backups(opened)
    db.open_database(opened)
    db.open_database(opened)
    assert db.list_backups(opened) == first
    assert len(first) == 1


def test_open_without_backup_flag_makes_none_when_schema_is_current(opened: Path):
    add_people(opened, 1)
    db.open_database(opened, backup=False)
    assert db.list_backups(opened) == []


def test_only_the_ten_newest_backups_are_kept(opened: Path):
    repository = Repository(opened)
    try:
        made = []
        for i in range(12):
            repository.add_staff(person(f"Person {i:02d}"))
            made.append(db.make_backup(opened, now=datetime(2030, 1, 1, 12, 0, i)))
    finally:
        repository.close()

    kept = db.list_backups(opened)
    assert kept == list(reversed(made[2:]))
    assert len(list(db.backup_dir(opened).iterdir())) == db.KEEP_BACKUPS
    assert db.latest_backup(opened) == made[-1]
    assert len(read.read_staff(made[-1])) == 12


def test_backups_within_the_same_second_are_ordered_newest_first(opened: Path):
    stamp = datetime(2030, 1, 1, 12, 0, 0)
    made = []
    for i in range(11):
        add_people(opened, 1, prefix=f"P{i}")
        made.append(db.make_backup(opened, now=stamp))
    assert len({p.name for p in made}) == 11
    assert db.latest_backup(opened) == made[-1]
    # pruning drops the oldest, not the newest
    assert db.list_backups(opened) == list(reversed(made[1:]))
    assert len(read.read_staff(db.latest_backup(opened))) == 11


def test_backup_is_a_bouv_database_with_the_same_rows(opened: Path):
    add_people(opened, 5)
    repository = Repository(opened)
    try:
        repository.save_settings(MunicipalitySettings("0180", "Stockholm", "Eva Ek", "eva@ex.se", "08-123 45"))
        repository.add_staff(person("Inte incheckad ännu"))  # still in the -wal file
        backup = db.make_backup(opened, now=datetime(2030, 1, 1))
    finally:
        repository.close()

    found = db.inspect(backup)
    assert found.exists and found.revision == db.HEAD_REVISION
    assert read.read_staff(backup) == read.read_staff(opened)
    assert read.read_settings(backup) == read.read_settings(opened)
    assert integrity(backup) == "ok"


# --- files that must not be touched ------------------------------------------------


def write_text_file(path: Path) -> None:
    path.write_text("Det här är en anteckning, ingen databas.\n", encoding="utf-8")


def write_random_bytes(path: Path) -> None:
    path.write_bytes(random.Random(1).randbytes(8192))


def write_sqlite_header_and_garbage(path: Path) -> None:
    path.write_bytes(db.SQLITE_HEADER + random.Random(2).randbytes(8192))


def write_foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE recept (namn TEXT)")
    conn.execute("INSERT INTO recept VALUES ('kanelbullar')")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "make, expected",
    [
        (write_text_file, db.NotBouvDatabase),
        (write_random_bytes, db.NotBouvDatabase),
        (write_sqlite_header_and_garbage, (db.CorruptDatabase, db.NotBouvDatabase)),
        (write_foreign_sqlite, db.NotBouvDatabase),
    ],
    ids=["text", "random-bytes", "header-and-garbage", "foreign-sqlite"],
)
def test_a_file_that_is_not_ours_is_refused_and_left_alone(db_path: Path, make, expected):
    make(db_path)
    content = db_path.read_bytes()

    with pytest.raises(expected) as raised:
        db.open_database(db_path)

    message = str(raised.value)
    assert str(db_path) in message
    assert "Ingenting har ändrats" in message
    assert "Senaste säkerhetskopia" not in message  # there is none to point to
    assert db_path.read_bytes() == content
    assert not db.backup_dir(db_path).exists()


def test_a_folder_is_refused(tmp_path: Path):
    folder = tmp_path / "kommun.sqlite"
    folder.mkdir()
    (folder / "fil.txt").write_text("x")
    with pytest.raises(db.NotBouvDatabase, match="mapp"):
        db.open_database(folder)


def test_overwritten_database_points_to_the_latest_backup(opened: Path):
    add_people(opened, 3)
    db.open_database(opened)
    backup = db.latest_backup(opened)
    write_text_file(opened)
    content = opened.read_bytes()

    with pytest.raises(db.NotBouvDatabase) as raised:
        db.open_database(opened)

    assert raised.value.backup == backup
    assert f"Senaste säkerhetskopia: {backup}" in str(raised.value)
    assert opened.read_bytes() == content
    assert db.list_backups(opened) == [backup]


def set_revision(path: Path, revision: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    conn.commit()
    conn.close()


def test_database_from_a_newer_version_is_refused_and_left_alone(opened: Path):
    add_people(opened, 2)
    set_revision(opened, "9999")
    content = opened.read_bytes()

    with pytest.raises(db.NewerDatabase) as raised:
        db.open_database(opened)

    message = str(raised.value)
    assert "nyare version" in message and "9999" in message
    assert "Ingenting har ändrats" in message
    assert opened.read_bytes() == content
    assert not db.backup_dir(opened).exists()


def test_newer_database_message_names_the_latest_backup(opened: Path):
    add_people(opened, 2)
    db.open_database(opened)
    backup = db.latest_backup(opened)
    set_revision(opened, "9999")
    content = opened.read_bytes()

    with pytest.raises(db.NewerDatabase) as raised:
        db.open_database(opened)

    assert str(backup) in str(raised.value)
    assert opened.read_bytes() == content
    assert db.list_backups(opened) == [backup]


def corrupt_middle(path: Path) -> None:
    """Overwrite several whole pages in the middle of the file with garbage."""
    data = bytearray(path.read_bytes())
    page = 4096
    pages = len(data) // page
    assert pages >= 10, "the file should span many pages"
    start, end = (pages // 3) * page, (2 * pages // 3) * page
    data[start:end] = random.Random(3).randbytes(end - start)
    path.write_bytes(bytes(data))


def test_corrupt_database_is_refused_and_left_alone(opened: Path):
    add_people(opened, 500)
    corrupt_middle(opened)
    content = opened.read_bytes()

    with pytest.raises((db.CorruptDatabase, db.NotBouvDatabase)) as raised:
        db.open_database(opened)

    message = str(raised.value)
    assert "skadad" in message or "inte" in message
    assert "Ingenting har ändrats" in message
    assert opened.read_bytes() == content
    assert not db.backup_dir(opened).exists()


def test_corrupt_database_message_names_the_latest_backup(opened: Path):
    add_people(opened, 500)
    db.open_database(opened)
    backup = db.latest_backup(opened)
    corrupt_middle(opened)
    content = opened.read_bytes()

    with pytest.raises(db.CorruptDatabase) as raised:
        db.open_database(opened)

    assert raised.value.backup == backup
    assert f"Senaste säkerhetskopia: {backup}" in str(raised.value)
    assert opened.read_bytes() == content
    assert db.list_backups(opened) == [backup]
    # the way back works: the backup opens and holds the rows
    assert len(read.read_staff(backup)) == 500


def _checks_run(monkeypatch) -> list[str]:
    """The integrity checks the store runs from now on (SQL traced on every connection)."""
    seen: list[str] = []
    real_connect = db.connect

    def traced(path, **kwargs):
        conn = real_connect(path, **kwargs)
        conn.set_trace_callback(lambda sql: seen.append(sql) if "quick_check" in sql else None)
        return conn

    monkeypatch.setattr(db, "connect", traced)
    return seen


def test_a_file_unchanged_since_its_backup_is_not_read_whole_again(opened: Path, monkeypatch):
    add_people(opened, 50)
    db.open_database(opened)  # changed since the last backup: checked, then copied
    checks = _checks_run(monkeypatch)

    db.open_database(opened)
    assert checks == []  # unchanged since that (checked) backup: start without reading it all

    add_people(opened, 1, prefix="Ny")
    db.open_database(opened)
    assert len(checks) == 1  # changed again: checked before the new backup


def test_corruption_after_the_last_backup_is_still_found(opened: Path):
    add_people(opened, 500)
    db.open_database(opened)
    db.open_database(opened)  # the fast path on an unchanged file
    corrupt_middle(opened)

    with pytest.raises(db.CorruptDatabase):
        db.open_database(opened)


def test_truncated_database_is_refused_and_left_alone(opened: Path):
    add_people(opened, 500)
    data = opened.read_bytes()
    opened.write_bytes(data[: len(data) // 2])
    content = opened.read_bytes()

    with pytest.raises((db.CorruptDatabase, db.NotBouvDatabase)) as raised:
        db.open_database(opened)

    assert "Ingenting har ändrats" in str(raised.value)
    assert opened.read_bytes() == content
    assert not db.backup_dir(opened).exists()


# --- where the database is ---------------------------------------------------------


def test_resolve_default_path_and_sqlite_url(tmp_path: Path):
    default = tmp_path / "standard.sqlite"
    assert db.resolve(None, default) == default
    assert db.resolve("", default) == default
    assert db.resolve(str(tmp_path / "a.sqlite"), default) == tmp_path / "a.sqlite"
    assert db.resolve(tmp_path / "b.sqlite", default) == tmp_path / "b.sqlite"
    assert db.resolve(f"sqlite:///{tmp_path}/c.sqlite", default) == tmp_path / "c.sqlite"
    assert db.resolve("sqlite:///relativ/d.sqlite", default) == Path("relativ/d.sqlite")
    assert db.resolve("~/e.sqlite", default) == Path.home() / "e.sqlite"


def test_resolve_refuses_a_server_database():
    with pytest.raises(db.UnsupportedLocation) as raised:
        db.resolve("postgresql+psycopg://bouv@server/kommun", Path("x.sqlite"))
    message = str(raised.value)
    assert "postgresql+psycopg://" in message
    assert "stöds inte" in message


# --- the write path -----------------------------------------------------------------


def full_person() -> StaffMember:
    return StaffMember(
        name="Åsa Öberg",
        role="arbetsledare",
        personal_id="19800101-1234",
        unit="Barn och unga Norr",
        employed_from=date(2015, 3, 1),
        employed_until=date(2027, 12, 31),
        experience_from=date(2010, 8, 15),
        social_work_degree=True,
        qualification_certificate=False,
        fte=75,
        employment_type="visstid",
        continuing_training=True,
        further_education=False,
        masters_degree=True,
        first_manager_job=True,
        needs_supervision_support=True,
    )


def test_add_update_delete_staff_round_trip(repo: Repository, opened: Path):
    added = repo.add_staff(full_person())
    assert added.id is not None
    assert read.read_staff(opened) == [added]

    changed = added.with_changes(
        name="Åsa Berg", unit="", employed_until=None, fte=100, social_work_degree=False, employment_type="konsult"
    )
    saved = repo.update_staff(changed)
    assert saved == changed.with_changes(version=2)  # every update raises the version
    assert read.read_staff(opened) == [saved]

    other = repo.add_staff(person("Bo Ek"))
    assert [p.name for p in read.read_staff(opened)] == ["Bo Ek", "Åsa Berg"]
    repo.delete_staff(added.id)
    assert read.read_staff(opened) == [other]
    assert [p.id for p in read.read_staff(opened)] == [other.id]


def test_save_staff_adds_and_updates_together(repo: Repository, opened: Path):
    first = repo.add_staff(person("Anna"))
    added = repo.save_staff([person("Bertil"), person("Cecilia")], [first.with_changes(fte=50)])
    assert [p.name for p in added] == ["Bertil", "Cecilia"]
    assert all(p.id is not None for p in added)
    stored = {p.name: p for p in read.read_staff(opened)}
    assert stored["Anna"].fte == 50
    assert stored["Bertil"] == added[0]


def test_updating_a_deleted_person_fails_in_swedish(repo: Repository, opened: Path):
    gone = repo.add_staff(person("Borta"))
    repo.delete_staff(gone.id)
    with pytest.raises(Conflict, match="Borta har tagits bort ur registret i ett annat fönster. Ingenting sparades.") as raised:
        repo.update_staff(gone.with_changes(fte=50))
    assert raised.value.removed
    with pytest.raises(Conflict):  # not even when told to overwrite: there is nothing to overwrite
        repo.update_staff(gone.with_changes(fte=50), force=True)
    assert read.read_staff(opened) == []


def test_settings_round_trip(repo: Repository, opened: Path):
    assert read.read_settings(opened) == MunicipalitySettings()
    repo.save_settings(MunicipalitySettings("1480", " Göteborg ", "Karin Lund", "karin@goteborg.se", "031-123 45"))
    assert read.read_settings(opened) == MunicipalitySettings(
        "1480", "Göteborg", "Karin Lund", "karin@goteborg.se", "031-123 45"
    )
    repo.save_settings(MunicipalitySettings("1280", "Malmö", "Per Ek"))
    assert read.read_settings(opened) == MunicipalitySettings("1280", "Malmö", "Per Ek")


def test_duplicate_personal_id_is_refused_in_swedish(repo: Repository, opened: Path):
    repo.add_staff(person("Anna", personal_id="A1"))
    before = read.read_staff(opened)

    with pytest.raises(db.StoreError) as raised:
        repo.add_staff(person("Annika", personal_id="A1"))
    assert "personal-id" in str(raised.value)
    assert "Ingenting sparades" in str(raised.value)
    assert read.read_staff(opened) == before


def test_people_without_personal_id_are_not_duplicates(repo: Repository, opened: Path):
    repo.save_staff([person("Anna"), person("Bertil")], [])
    assert names(opened) == ["Anna", "Bertil"]


def test_a_failing_batch_stores_nothing(repo: Repository, opened: Path):
    existing = repo.add_staff(person("Anna", personal_id="A1"))

    with pytest.raises(db.StoreError):
        repo.save_staff(
            [
                person("Bertil", personal_id="B1"),
                person("Cecilia", personal_id="C1"),
                person("Dubblett", personal_id="A1"),
            ],
            [existing.with_changes(name="Anna Ändrad")],
        )

    assert read.read_staff(opened) == [existing]


def test_update_to_an_existing_personal_id_is_refused(repo: Repository, opened: Path):
    repo.add_staff(person("Anna", personal_id="A1"))
    bertil = repo.add_staff(person("Bertil", personal_id="B1"))
    before = read.read_staff(opened)
    with pytest.raises(db.StoreError, match="personal-id"):
        repo.update_staff(bertil.with_changes(personal_id="A1"))
    assert read.read_staff(opened) == before


@pytest.mark.parametrize("fte", [0, 101, -5])
def test_fte_outside_one_to_hundred_is_refused(repo: Repository, opened: Path, fte: int):
    with pytest.raises(db.StoreError) as raised:
        repo.save_staff([person("Anna"), person("Bertil", fte=fte)], [])
    assert "Ingenting sparades" in str(raised.value)
    assert read.read_staff(opened) == []


def test_unknown_role_is_refused(repo: Repository, opened: Path):
    with pytest.raises(db.StoreError, match="Ingenting sparades"):
        repo.add_staff(StaffMember(name="Anna", role="chef"))
    assert read.read_staff(opened) == []


# --- two writers ---------------------------------------------------------------------


def test_a_write_that_waits_too_long_gets_store_busy(opened: Path, monkeypatch):
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    repository = Repository(opened)
    other = sqlite3.connect(opened, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO staff (name, role) VALUES ('Annat fönster', 'annan')")

        # readers are not blocked while the other window writes
        assert names(opened) == []

        started = time.monotonic()
        with pytest.raises(db.StoreBusy) as raised:
            repository.add_staff(person("Anna"))
        waited = time.monotonic() - started
        assert "upptagen" in str(raised.value)
        assert "Ingenting sparades" in str(raised.value)
        assert 0.15 <= waited < 3, waited

        other.execute("COMMIT")
        repository.add_staff(person("Anna"))
    finally:
        other.close()
        repository.close()

    assert names(opened) == ["Anna", "Annat fönster"]
    assert integrity(opened) == "ok"


def test_a_short_wait_for_another_writer_succeeds(opened: Path):
    repository = Repository(opened)
    anna = repository.add_staff(person("Anna"))
    other = sqlite3.connect(opened, isolation_level=None, check_same_thread=False)
    try:
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO staff (name, role) VALUES ('Annat fönster', 'annan')")
        release = threading.Timer(0.2, lambda: other.execute("COMMIT"))
        release.start()
        try:
            repository.update_staff(anna.with_changes(fte=60))
            repository.add_staff(person("Bertil"))
        finally:
            release.join()
    finally:
        other.close()
        repository.close()

    stored = {p.name: p for p in read.read_staff(opened)}
    assert set(stored) == {"Anna", "Annat fönster", "Bertil"}
    assert stored["Anna"].fte == 60
    assert integrity(opened) == "ok"


def test_two_repositories_on_one_file_interleave_without_damage(opened: Path):
    first, second = Repository(opened), Repository(opened)
    try:
        for i in range(20):
            (first if i % 2 else second).add_staff(person(f"Person {i:02d}", personal_id=str(i)))
        with pytest.raises(db.StoreError):
            first.add_staff(person("Dubblett", personal_id="3"))
    finally:
        first.close()
        second.close()
    assert len(read.read_staff(opened)) == 20
    assert integrity(opened) == "ok"
    db.open_database(opened)  # still opens, and is backed up
    assert len(read.read_staff(db.latest_backup(opened))) == 20


def test_first_page_is_the_same_people_as_the_domain_listing(demo_db):
    """The first frame's page from SQL agrees with domain.roster.list_staff (who has left, order)."""
    from conftest import TODAY

    from bouv_tui.domain.roster import list_staff

    staff = read.read_staff(demo_db)
    for include_left in (False, True):
        page = read.read_first_page(demo_db, TODAY, 1000, include_left=include_left)
        listed = list_staff(staff, TODAY, show_left=include_left)
        assert {p.id for p in page} == {p.id for p in listed}
        plain = [p for p in listed if p.name.isascii()]
        assert [p for p in page if p.name.isascii()] == plain
    assert len(read.read_first_page(demo_db, TODAY, 5)) == 5

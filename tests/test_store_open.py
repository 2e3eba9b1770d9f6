"""Opening a file: a full check whenever it changed since its last clean check, refusing
empty or inconsistent files, where --db points, read-only files and folders, and the CLI
turning every database and file-system error into a Swedish message (exit 1, no traceback)."""

from __future__ import annotations

import os
import random
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from bouv_tui.cli import main
from bouv_tui.store import db, read
from store_helpers import add_people, alembic, mode



def corrupt_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    pages = len(data) // 4096
    assert pages >= 10
    start, end = (pages // 3) * 4096, (2 * pages // 3) * 4096
    data[start:end] = random.Random(3).randbytes(end - start)
    path.write_bytes(bytes(data))


def checkpoint(path: Path) -> None:
    """Fold the -wal into the file and let SQLite remove -wal and -shm (last connection)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    for sidecar in ("-wal", "-shm"):
        p = Path(f"{path}{sidecar}")
        if p.exists():
            assert p.stat().st_size == 0 or sidecar == "-shm"
            p.unlink()


def checks_run(monkeypatch) -> list[str]:
    seen: list[str] = []
    real = db.connect

    def traced(path, **kwargs):
        conn = real(path, **kwargs)
        conn.set_trace_callback(lambda sql: seen.append(sql) if "quick_check" in sql else None)
        return conn

    monkeypatch.setattr(db, "connect", traced)
    return seen


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` and its bytes; leaving out what a SQLite reader makes and
    that holds no data (the -shm index and an empty -wal)."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith("-shm") and not (p.name.endswith("-wal") and p.stat().st_size == 0)
    }


# --- 2. every change is checked --------------------------------------------------------------


def damage_keeping_the_mtime(path: Path) -> None:
    """Damage the file the way a tool that restores times would: mtime as before, and
    older than the newest backup (the old rule then skipped the check)."""
    checkpoint(path)
    st = path.stat()
    corrupt_middle(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    newest = db.latest_backup(path)
    later = st.st_mtime + 60
    os.utime(newest, (later, later))


@pytest.fixture
def damaged(opened: Path) -> Path:
    add_people(opened, 500)
    db.open_database(opened)  # checked clean and backed up
    damage_keeping_the_mtime(opened)
    return opened


def test_a_damaged_file_with_its_old_mtime_is_still_found(damaged: Path):
    content = damaged.read_bytes()
    with pytest.raises(db.CorruptDatabase) as raised:
        db.open_database(damaged, backup=False)
    message = str(raised.value)
    assert "skadad" in message and str(damaged) in message
    assert f"restore {db.latest_backup(damaged).name}" in message
    assert damaged.read_bytes() == content


@pytest.mark.parametrize(
    "command",
    [
        ["check", "--year", "2026"],
        ["import", "staff", "{csv}", "--dry-run"],
        ["export", "staff", "--output", "{out}/personal.csv"],
        ["export", "submission", "--year", "2026", "--output", "{out}/inlamning.json"],
    ],
    ids=["check", "import-dry-run", "export-staff", "export-submission"],
)
def test_the_commands_on_a_damaged_file_say_so_without_a_traceback(damaged: Path, tmp_path: Path, capsys, command):
    csv = tmp_path / "p.csv"
    csv.write_text("namn,roll\nAda,handläggare\n", encoding="utf-8")
    out = tmp_path / "ut"
    out.mkdir()
    argv = ["--db", str(damaged), *(part.format(csv=csv, out=out) for part in command)]

    assert main(argv) == 1

    err = capsys.readouterr().err
    assert "skadad" in err and "Traceback" not in err
    assert f"bouv-tui --db {damaged} restore {db.latest_backup(damaged).name}" in err
    assert list(out.iterdir()) == []


def test_a_touched_file_is_checked_again_an_untouched_one_is_not(opened: Path, monkeypatch):
    add_people(opened, 20)
    db.open_database(opened)
    checks = checks_run(monkeypatch)

    db.open_database(opened)
    assert checks == []  # unchanged since its clean check

    st = opened.stat()
    os.utime(opened, ns=(st.st_atime_ns, st.st_mtime_ns))  # same mtime, new ctime
    db.open_database(opened)
    assert len(checks) == 1
    db.open_database(opened)
    assert len(checks) == 1  # clean again, and recorded


def test_the_state_file_is_private_and_beside_the_backups(opened: Path):
    add_people(opened, 2)
    db.open_database(opened)
    state = db.state_file(opened)
    assert state.parent == db.backup_dir(opened)
    assert mode(state) == 0o600
    assert state.name not in [p.name for p in db.all_backups(opened)]


def test_a_garbled_state_file_only_means_a_check(opened: Path, monkeypatch):
    add_people(opened, 2)
    db.open_database(opened)
    db.state_file(opened).write_text("{inte json", encoding="utf-8")
    checks = checks_run(monkeypatch)
    db.open_database(opened)
    assert len(checks) == 1


def test_a_zero_byte_file_with_backups_is_refused(opened: Path):
    add_people(opened, 3)
    db.open_database(opened)
    newest = db.latest_backup(opened)
    checkpoint(opened)
    opened.write_bytes(b"")

    with pytest.raises(db.CorruptDatabase) as raised:
        db.open_database(opened)

    message = str(raised.value)
    assert "0 byte" in message and str(opened) in message
    assert f"bouv-tui --db {opened} restore {newest.name}" in message
    assert opened.stat().st_size == 0
    assert db.list_backups(opened) == [newest]


def test_a_zero_byte_file_without_backups_becomes_a_new_database(db_path: Path):
    db_path.write_bytes(b"")
    db.open_database(db_path)
    assert db.inspect(db_path).revision == db.HEAD_REVISION


def test_an_empty_sqlite_file_with_backups_is_refused(opened: Path):
    add_people(opened, 3)
    db.open_database(opened)
    checkpoint(opened)
    opened.unlink()
    conn = sqlite3.connect(opened)
    conn.execute("PRAGMA user_version = 1")  # a SQLite file with no tables
    conn.close()
    content = opened.read_bytes()
    assert content.startswith(db.SQLITE_HEADER)
    with pytest.raises(db.CorruptDatabase) as raised:
        db.open_database(opened)
    assert "tom SQLite-fil" in str(raised.value) and "restore" in str(raised.value)
    assert opened.read_bytes() == content


def drop(path: Path, table: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute(f"DROP TABLE {table}")
    conn.commit()
    conn.close()


@pytest.mark.parametrize("table, said", [("staff", "saknar tabellen staff"), ("alembic_version", "ingen schemaversion")])
def test_an_inconsistent_schema_is_refused_not_upgraded(opened: Path, table: str, said: str):
    add_people(opened, 3)
    db.open_database(opened)
    newest = db.latest_backup(opened)
    drop(opened, table)
    checkpoint(opened)
    before = snapshot(opened.parent)

    with pytest.raises(db.InconsistentSchema) as raised:
        db.open_database(opened)

    message = str(raised.value)
    assert said in message and str(opened) in message and "Ingenting har ändrats" in message
    assert f"restore {newest.name}" in message
    assert snapshot(opened.parent) == before


def test_a_file_at_an_older_revision_with_its_tables_is_upgraded(opened: Path):
    """The other side: a consistent older file is not refused."""
    alembic(opened, "downgrade", "0002")
    db.open_database(opened)
    assert db.inspect(opened).revision == db.HEAD_REVISION


def test_the_tables_of_each_revision_match_the_migrations(tmp_path: Path):
    for revision in db.KNOWN_REVISIONS:
        path = tmp_path / f"r{revision}.sqlite"
        alembic(path, "upgrade", revision)
        conn = sqlite3.connect(path)
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        conn.close()
        assert tables - {"alembic_version", "sqlite_sequence"} == db.expected_tables(revision), revision


# --- 4. where --db points -------------------------------------------------------------------------


def test_resolve_reads_a_sqlite_url_as_a_url_and_a_path_literally(tmp_path: Path):
    default = tmp_path / "standard.sqlite"
    assert db.resolve("sqlite:///Min%20mapp/k%C3%A5.sqlite", default) == Path("Min mapp/kå.sqlite")
    assert db.resolve("sqlite:////srv/bouv/kommun.sqlite", default) == Path("/srv/bouv/kommun.sqlite")
    assert db.resolve("sqlite:///relativ.sqlite", default) == Path("relativ.sqlite")
    literal = f"{tmp_path}/Min%20mapp?a#b.sqlite"
    assert db.resolve(literal, default) == Path(literal)
    assert db.resolve(Path("sqlite:/x"), default) == Path("sqlite:/x")


@pytest.mark.parametrize(
    "url, said",
    [
        ("sqlite:///kommun.sqlite?mode=ro", "parametrar"),
        ("sqlite:///kommun.sqlite#del", "parametrar"),
        ("sqlite://", "ingen fil"),
        ("sqlite://server/kommun.sqlite", "ingen fil"),
        ("postgresql://server/kommun", "stöds inte"),
    ],
)
def test_a_url_that_is_no_file_is_refused_as_wrong_usage(tmp_path: Path, capsys, monkeypatch, url, said):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "p.csv").write_text("namn,roll\nAda,handläggare\n", encoding="utf-8")
    before = snapshot(tmp_path)
    assert main(["--db", url, "import", "staff", "p.csv"]) == 2
    assert said in capsys.readouterr().err
    assert snapshot(tmp_path) == before


@pytest.mark.parametrize("name", ["Min%20mapp?a#b.sqlite", "Kommun åäö 100% #1?.sqlite"])
def test_db_takes_any_file_name_literally(tmp_path: Path, name: str):
    folder = tmp_path / "x"
    folder.mkdir()
    csv = tmp_path / "p.csv"
    csv.write_text("namn,roll\nAda,handläggare\n", encoding="utf-8")

    assert main(["--db", str(folder / name), "import", "staff", str(csv)]) == 0

    assert (folder / name).is_file()
    assert [p.name for p in read.read_staff(folder / name)] == ["Ada"]
    assert all(p.name.startswith(name) for p in folder.iterdir()), list(folder.iterdir())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["documents", "p.csv", "x"]


def test_a_sqlite_url_is_percent_decoded(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    csv = tmp_path / "p.csv"
    csv.write_text("namn,roll\nAda,handläggare\n", encoding="utf-8")
    assert main(["--db", "sqlite:///Min%20kommun.sqlite", "import", "staff", str(csv)]) == 0
    assert (tmp_path / "Min kommun.sqlite").is_file()
    assert not (tmp_path / "Min%20kommun.sqlite").exists()


# --- 5. read-only files and folders ---------------------------------------------------------------


@pytest.fixture
def restore_modes():
    changed: list[Path] = []

    def chmod(path: Path, new_mode: int) -> None:
        changed.append((path, mode(path)))
        os.chmod(path, new_mode)

    yield chmod
    for path, old in reversed(changed):
        os.chmod(path, old)


def test_is_writable_follows_the_owner_bits(tmp_path: Path, restore_modes):
    f = tmp_path / "k.sqlite"
    f.write_bytes(b"")
    os.chmod(f, 0o600)
    assert db.is_writable(f)
    assert db.is_writable(tmp_path / "ny" / "mapp" / "k.sqlite")
    restore_modes(f, 0o400)
    assert not db.is_writable(f)
    os.chmod(f, 0o600)
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "k.sqlite").write_bytes(b"")
    restore_modes(folder, 0o500)
    assert not db.is_writable(folder / "k.sqlite")
    assert not db.is_writable(folder / "ny.sqlite")
    assert not db.is_writable(folder / "under" / "ny.sqlite")


def test_private_only_ever_removes_group_and_other_bits(tmp_path: Path):
    for before, after in [(0o644, 0o600), (0o640, 0o600), (0o600, 0o600), (0o400, 0o400), (0o444, 0o400)]:
        f = tmp_path / f"f{before:o}"
        f.write_bytes(b"")
        os.chmod(f, before)
        db._private(f)
        assert mode(f) == after, (oct(before), oct(mode(f)))


def test_a_read_only_file_is_opened_read_only_and_left_as_it_is(opened: Path, restore_modes):
    add_people(opened, 3)
    checkpoint(opened)
    restore_modes(opened, 0o400)
    before = snapshot(opened.parent)

    assert db.open_database(opened) == opened

    assert mode(opened) == 0o400
    assert not db.backup_dir(opened).exists()  # no backup, no state
    assert len(read.read_staff(opened)) == 3
    assert {k: v for k, v in snapshot(opened.parent).items() if not k.endswith(("-wal", "-shm"))} == before


def test_a_read_only_folder_is_read_without_making_anything_in_it(opened: Path, restore_modes):
    add_people(opened, 3)
    checkpoint(opened)
    names = sorted(p.name for p in opened.parent.iterdir())
    restore_modes(opened.parent, 0o500)

    db.open_database(opened)
    assert len(read.read_staff(opened)) == 3
    conn = db.connect(opened, readonly=True)
    assert conn.execute("SELECT count(*) FROM staff").fetchone()[0] == 3
    conn.close()

    assert sorted(p.name for p in opened.parent.iterdir()) == names  # no -shm, -wal, backups


def test_a_read_only_file_needing_an_upgrade_is_refused(opened: Path, restore_modes):
    alembic(opened, "downgrade", "0002")
    checkpoint(opened)
    restore_modes(opened, 0o400)
    content = opened.read_bytes()
    with pytest.raises(db.ReadOnlyDatabase, match="skrivskyddad"):
        db.open_database(opened)
    assert opened.read_bytes() == content


def test_check_and_export_work_on_a_read_only_file_import_is_refused(opened: Path, tmp_path: Path, capsys, restore_modes):
    add_people(opened, 3)
    checkpoint(opened)
    restore_modes(opened, 0o400)
    content = opened.read_bytes()
    csv = tmp_path / "p.csv"
    csv.write_text("namn,roll\nAda,handläggare\n", encoding="utf-8")

    main(["--db", str(opened), "check", "--year", "2026"])
    assert main(["--db", str(opened), "export", "staff", "--output", str(tmp_path / "ut.csv")]) == 0
    assert "Person 000" in (tmp_path / "ut.csv").read_text(encoding="utf-8-sig")
    assert main(["--db", str(opened), "import", "staff", str(csv), "--dry-run"]) == 0
    capsys.readouterr()

    assert main(["--db", str(opened), "import", "staff", str(csv)]) == 1

    err = capsys.readouterr().err
    assert "skrivskyddad" in err and "Ingenting" in err and "Traceback" not in err
    assert opened.read_bytes() == content
    assert not db.backup_dir(opened).exists()


def test_a_new_database_in_a_read_only_folder_is_refused(tmp_path: Path, capsys, restore_modes):
    folder = tmp_path / "skrivskyddad"
    folder.mkdir()
    restore_modes(folder, 0o500)
    csv = tmp_path / "p.csv"
    csv.write_text("namn,roll\nAda,handläggare\n", encoding="utf-8")

    assert main(["--db", str(folder / "ny.sqlite"), "import", "staff", str(csv)]) == 1

    err = capsys.readouterr().err
    assert "skrivskyddad" in err and str(folder) in err and "Traceback" not in err
    assert list(folder.iterdir()) == []


# --- 3. every database and file error reaches the user as a message -------------------------------


@pytest.fixture
def ready(opened: Path) -> Path:
    add_people(opened, 2)
    db.open_database(opened)
    return opened


def raise_from_check(monkeypatch, error: BaseException) -> None:
    from bouv_tui.services import Workspace

    def fail(self, *args, **kwargs):
        raise error

    monkeypatch.setattr(Workspace, "check_submission", fail)


def test_a_sqlite_error_becomes_a_swedish_message_with_the_way_back(ready: Path, capsys, monkeypatch):
    raise_from_check(monkeypatch, sqlite3.DatabaseError("database disk image is malformed"))
    assert main(["--db", str(ready), "check", "--year", "2026"]) == 1
    err = capsys.readouterr().err
    assert "kunde inte läsas" in err and str(ready) in err
    assert f"restore {db.latest_backup(ready).name}" in err
    assert "Traceback" not in err


def test_a_busy_database_says_try_again(ready: Path, capsys, monkeypatch):
    holder = sqlite3.connect(ready, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(ready, timeout=0)
    try:
        with pytest.raises(sqlite3.OperationalError) as busy:
            other.execute("INSERT INTO staff (name, role) VALUES ('x', 'annan')")
    finally:
        other.close()
        holder.close()
    raise_from_check(monkeypatch, busy.value)
    assert main(["--db", str(ready), "check", "--year", "2026"]) == 1
    assert "upptagen" in capsys.readouterr().err


def test_a_sqlalchemy_error_becomes_a_message_too(ready: Path, capsys, monkeypatch):
    import sqlalchemy.exc

    wrapped = sqlalchemy.exc.OperationalError("INSERT …", {}, sqlite3.OperationalError("disk I/O error"))
    raise_from_check(monkeypatch, wrapped)
    assert main(["--db", str(ready), "check", "--year", "2026"]) == 1
    err = capsys.readouterr().err
    assert "disk I/O error" in err and "Traceback" not in err
    raise_from_check(monkeypatch, sqlalchemy.exc.InvalidRequestError("något annat"))
    assert main(["--db", str(ready), "check", "--year", "2026"]) == 1
    assert "något annat" in capsys.readouterr().err


def test_a_permission_error_becomes_a_message(ready: Path, tmp_path: Path, capsys, monkeypatch):
    raise_from_check(monkeypatch, PermissionError(13, "Permission denied", str(tmp_path / "låst")))
    assert main(["--db", str(ready), "check", "--year", "2026"]) == 1
    err = capsys.readouterr().err
    assert "åtkomst nekad" in err and "låst" in err and "Traceback" not in err


def test_other_errors_are_not_swallowed(ready: Path, monkeypatch):
    raise_from_check(monkeypatch, ZeroDivisionError("en bugg"))
    with pytest.raises(ZeroDivisionError):
        main(["--db", str(ready), "check", "--year", "2026"])


def test_errors_are_matched_by_class_not_by_name(tmp_path: Path, capsys, monkeypatch):
    class ServerNotYet(db.UnsupportedLocation):
        pass

    def refuse(location, default):
        raise ServerNotYet("Serverdatabaser stöds inte ännu.")

    monkeypatch.setattr(db, "resolve", refuse)
    assert main(["--db", "x", "check", "--year", "2026"]) == 2
    assert "stöds inte" in capsys.readouterr().err


def test_the_error_path_does_not_import_sqlalchemy(tmp_path: Path):
    bad = tmp_path / "inte.sqlite"
    bad.write_text("hej\n", encoding="utf-8")
    code = (
        "import sys\nfrom bouv_tui.cli import main\n"
        f"rc = main(['--db', {str(bad)!r}, 'check', '--year', '2026'])\n"
        "print(rc, 'sqlalchemy' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path)
    assert result.stdout.split() == ["1", "False"], result.stderr
    assert "ingen bouv-tui-databas" in result.stderr


def test_a_backup_made_now_still_passes(opened: Path):
    """The clean check is recorded for the file as it is after a backup."""
    add_people(opened, 2)
    db.make_backup(opened, now=datetime(2030, 1, 1))
    db.open_database(opened)
    assert db.inspect(opened).clean == db.fingerprint(opened)

"""Backups: private per-process temporary files, publishing that never replaces another
process's copy, stale temporaries, retention, and the `backups` and `restore` commands."""

from __future__ import annotations

import os
import random
import shlex
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bouv_tui.cli import main
from bouv_tui.fmt import size as swedish_size
from bouv_tui.store import db, read
from store_helpers import add_people, mode

#: A pid no process can have (above Linux's largest pid_max, 2**22).
DEAD_PID = 4_999_999


def people(path: Path) -> int:
    return len(read.read_staff(path))


def corrupt_middle(path: Path) -> None:
    data = bytearray(path.read_bytes())
    pages = len(data) // 4096
    assert pages >= 10
    start, end = (pages // 3) * 4096, (2 * pages // 3) * 4096
    data[start:end] = random.Random(3).randbytes(end - start)
    path.write_bytes(bytes(data))


def backup_files(path: Path) -> list[str]:
    return sorted(p.name for p in db.backup_dir(path).iterdir() if p.suffix == ".sqlite")


# --- retention: a pure function, both sides of every limit ------------------------------------


NOW = datetime(2030, 6, 15, 12, 0, 0)


def ten_today() -> list[datetime]:
    return [NOW - timedelta(seconds=i) for i in range(10)]


def test_retention_keeps_the_ten_newest_and_not_an_eleventh():
    old = datetime(2020, 1, 1)  # far outside the days and months kept
    stamps = [old - timedelta(seconds=i) for i in range(11)]
    assert db.retention(stamps[:10], NOW) == set(range(10))
    assert db.retention(stamps, NOW) == set(range(10))  # the eleventh goes
    assert db.retention([], NOW) == set()


def test_retention_keeps_one_a_day_for_seven_days():
    stamps = ten_today() + [
        datetime(2030, 6, 10, 18, 0),  # 10: the newest of five days ago
        datetime(2030, 6, 10, 9, 0),  # 11: an older one the same day
        datetime(2030, 6, 9, 0, 0),  # 12: six days ago, at midnight: kept
        datetime(2030, 6, 8, 23, 59, 59),  # 13: seven days ago: not
    ]
    assert db.retention(stamps, NOW) == set(range(10)) | {10, 12}


def test_retention_keeps_one_a_month_for_twelve_months():
    stamps = ten_today() + [
        datetime(2029, 8, 20),  # 10: the newest of August
        datetime(2029, 8, 1),  # 11: an older one in August
        datetime(2029, 7, 1, 0, 0),  # 12: eleven months back: kept
        datetime(2029, 6, 30, 23, 59, 59),  # 13: twelve months back: not
    ]
    assert db.retention(stamps, NOW) == set(range(10)) | {10, 12}


def test_retention_months_count_across_a_new_year():
    now = datetime(2030, 1, 5)
    stamps = [now - timedelta(seconds=i) for i in range(10)] + [datetime(2029, 2, 28), datetime(2029, 1, 31)]
    assert db.retention(stamps, now) == set(range(11))


def test_make_backup_rotates_by_the_retention_rule(opened: Path):
    made = {}
    moments = [
        datetime(2029, 6, 15, 8),  # twelve months back: goes
        datetime(2029, 7, 15, 8),  # eleven months back: kept
        datetime(2030, 6, 8, 8),  # seven days back (not the newest of June): goes
        datetime(2030, 6, 9, 8),  # six days back: kept
    ] + [datetime(2030, 6, 15, 10, 0, i) for i in range(12)]  # today: the ten newest stay
    for i, moment in enumerate(moments):
        add_people(opened, 1, prefix=f"P{i}")
        made[moment] = db.make_backup(opened, now=moment)
    kept = set(db.list_backups(opened))
    expected = {made[m] for m in moments[-10:]} | {made[datetime(2029, 7, 15, 8)], made[datetime(2030, 6, 9, 8)]}
    assert kept == expected
    assert not made[datetime(2029, 6, 15, 8)].exists()
    assert not made[datetime(2030, 6, 8, 8)].exists()


# --- temporary files --------------------------------------------------------------------------


def test_the_temporary_copy_is_private_and_this_process_only_before_sqlite_opens_it(opened: Path, monkeypatch):
    add_people(opened, 2)
    seen = []
    real = sqlite3.connect

    def watched(database, *args, **kwargs):
        name = os.fspath(database)
        if name.endswith(".part"):
            seen.append((Path(name).name, Path(name).exists() and mode(Path(name))))
        return real(database, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", watched)
    db.make_backup(opened, now=datetime(2030, 1, 1))
    assert seen, "the copy is made in a .part file"
    for name, file_mode in seen:
        assert file_mode == 0o600, (name, file_mode)  # exists, 0600, before SQLite writes to it
        assert f".{os.getpid()}." in name
    assert len({db._new_private_file(db.backup_dir(opened), ".kommun", ".part").name for _ in range(20)}) == 20


def test_another_process_s_temporary_file_with_the_same_time_stamp_is_left_alone(opened: Path):
    add_people(opened, 2)
    folder = db.backup_dir(opened)
    folder.mkdir()
    theirs = [folder / "kommun-20300101-120000.part", folder / ".kommun.1.0123abcd.part"]  # older version, pid 1
    for p in theirs:
        p.write_bytes(b"someone else's copy in progress")

    made = db.make_backup(opened, now=datetime(2030, 1, 1, 12, 0, 0))

    assert made.name == "kommun-20300101-120000.sqlite"
    for p in theirs:
        assert p.read_bytes() == b"someone else's copy in progress"
    assert people(made) == 2


def test_a_backup_published_meanwhile_by_another_process_is_not_replaced(opened: Path, monkeypatch):
    add_people(opened, 2)
    folder = db.backup_dir(opened)
    folder.mkdir()
    theirs = folder / "kommun-20300101-120000.sqlite"
    real = db.connect

    def other_process_publishes(path, **kwargs):
        if not theirs.exists():
            theirs.write_bytes(b"the other process's backup")
        return real(path, **kwargs)

    monkeypatch.setattr(db, "connect", other_process_publishes)
    made = db.make_backup(opened, now=datetime(2030, 1, 1, 12, 0, 0))

    assert theirs.read_bytes() == b"the other process's backup"
    assert made.name == "kommun-20300101-120000-2.sqlite"
    assert people(made) == 2


def test_processes_backing_up_one_file_in_the_same_second_each_publish_a_whole_copy(opened: Path, tmp_path: Path):
    add_people(opened, 200)
    go = tmp_path / "go"
    code = (
        "import sys, time\nfrom datetime import datetime\nfrom pathlib import Path\nfrom bouv_tui.store import db\n"
        "Path(sys.argv[1]).touch()\n"
        f"while not Path({str(go)!r}).exists(): time.sleep(0.001)\n"
        f"print(db.make_backup(Path({str(opened)!r}), now=datetime(2030, 1, 1, 12, 0, 0)).name)\n"
    )
    ready = [tmp_path / f"ready-{i}" for i in range(4)]
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(r)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for r in ready
    ]
    deadline = time.monotonic() + 30
    while not all(r.exists() for r in ready) and time.monotonic() < deadline:
        time.sleep(0.01)
    go.touch()
    results = [(p.communicate(timeout=60), p.returncode) for p in procs]

    assert [code for _, code in results] == [0] * 4, [err for (_, err), _ in results]
    backups = db.list_backups(opened)
    assert {out.strip() for (out, _), _ in results} <= {p.name for p in backups}
    assert all(p.name.startswith("kommun-20300101-120000") for p in backups)
    for backup in backups:
        conn = sqlite3.connect(f"{backup.as_uri()}?mode=ro", uri=True)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
        assert people(backup) == 200
        assert mode(backup) == 0o600
    assert not [p for p in db.backup_dir(opened).iterdir() if ".part" in p.name]


def test_a_backup_is_one_file_in_rollback_mode_with_nothing_beside_it(opened: Path):
    add_people(opened, 3)
    made = db.make_backup(opened, now=datetime(2030, 1, 1))
    header = made.read_bytes()[:20]
    assert (header[18], header[19]) == (1, 1)  # not WAL (2, 2): opening it makes no -wal
    assert sorted(p.name for p in db.backup_dir(opened).iterdir()) == [".kommun.state.json", made.name]
    assert mode(made) == 0o600
    assert mode(db.state_file(opened)) == 0o600
    conn = sqlite3.connect(made)
    assert conn.execute("SELECT count(*) FROM staff").fetchone()[0] == 3
    conn.close()
    assert sorted(p.name for p in db.backup_dir(opened).iterdir()) == [".kommun.state.json", made.name]


def test_an_existing_backup_folder_is_made_private(opened: Path):
    folder = db.backup_dir(opened)
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    add_people(opened, 1)
    db.open_database(opened)
    assert mode(folder) == 0o700
    assert [mode(p) for p in folder.iterdir()] == [0o600] * len(list(folder.iterdir()))


def old_backups(path: Path, count: int) -> list[Path]:
    """Backups from 2020: outside the days and months kept, so a new one rotates the oldest away."""
    made = []
    for i in range(count):
        add_people(path, 1, prefix=f"Gammal{i}")
        made.append(db.make_backup(path, now=datetime(2020, 1, 1, 12, 0, i)))
    return made


def test_a_copy_that_fails_its_check_is_not_published_and_nothing_is_rotated(opened: Path, monkeypatch):
    made = old_backups(opened, 10)
    add_people(opened, 1, prefix="Ny")
    monkeypatch.setattr(db, "_copy_database", lambda source, temp: "*** in database main ***\nPage 7: bad")

    with pytest.raises(db.CorruptDatabase) as raised:
        db.make_backup(opened, now=datetime(2030, 1, 1))

    assert "inga äldre togs bort" in str(raised.value)
    assert db.list_backups(opened) == list(reversed(made))
    assert sorted(p.name for p in db.backup_dir(opened).iterdir()) == sorted([".kommun.state.json", *(p.name for p in made)])


def test_a_failed_publish_rotates_nothing_and_leaves_no_temporary(opened: Path, monkeypatch):
    made = old_backups(opened, 10)
    add_people(opened, 1, prefix="Ny")

    def broken_link(src, dst):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "link", broken_link)
    with pytest.raises(OSError):
        db.make_backup(opened, now=datetime(2030, 1, 1))

    assert db.list_backups(opened) == list(reversed(made))
    assert not [p for p in db.backup_dir(opened).iterdir() if ".part" in p.name]


def test_a_good_backup_rotates_the_oldest_away(opened: Path):
    """The other side of the two tests above: with the new copy published, the oldest goes."""
    made = old_backups(opened, 10)
    add_people(opened, 1, prefix="Ny")
    new = db.make_backup(opened, now=datetime(2030, 1, 1))
    assert db.list_backups(opened) == [new, *reversed(made[1:])]


def test_stale_rule_both_sides_of_the_hour_and_of_the_pid():
    alive = {1: True, DEAD_PID: False}.get
    live = ".kommun.1.0123abcd.part"
    dead = f".kommun.{DEAD_PID}.0123abcd.part"
    assert not db.is_stale_temp(live, 3599, alive)
    assert db.is_stale_temp(live, 3601, alive)
    assert db.is_stale_temp(dead, 0, alive)
    assert db.is_stale_temp(f"{dead}-journal", 0, alive)
    assert not db.is_stale_temp("kommun-20300101-120000.part", 3599, alive)  # no pid: age alone
    assert db.is_stale_temp("kommun-20300101-120000.part", 3601, alive)
    assert not db._pid_alive(DEAD_PID)
    assert db._pid_alive(os.getpid())


def test_opening_removes_what_killed_processes_left_behind(opened: Path):
    folder = db.backup_dir(opened)
    folder.mkdir()
    now = time.time()

    def temp(p: Path, age: float) -> Path:
        p.write_bytes(b"x")
        os.utime(p, (now - age, now - age))
        return p

    gone = [
        temp(folder / f".kommun.{DEAD_PID}.0123abcd.part", 0),
        temp(folder / f".kommun.{DEAD_PID}.0123abcd.part-journal", 0),
        temp(folder / ".kommun.1.0123abcd.part", 3700),
        temp(folder / "kommun-20300101-120000.part", 7200),
        temp(opened.parent / f".kommun.sqlite.{DEAD_PID}.0123abcd.restore", 0),
    ]
    stay = [
        temp(folder / ".kommun.1.89abcdef.part", 3500),
        temp(folder / "kommun-20300101-130000.part", 60),
        temp(folder / "anteckning.txt", 9000),
        temp(opened.parent / ".kommun.sqlite.1.0123abcd.restore", 60),
    ]

    db.open_database(opened)

    assert [p for p in gone if p.exists()] == []
    assert [p for p in stay if not p.exists()] == []


# --- bouv-tui backups --------------------------------------------------------------------------


def test_backups_lists_newest_first_with_size_people_rounds_and_check(opened: Path, capsys):
    add_people(opened, 3)
    first = db.make_backup(opened, now=datetime(2030, 1, 1, 9, 0, 0))
    add_people(opened, 2, prefix="Fler")
    second = db.make_backup(opened, now=datetime(2030, 1, 2, 9, 30, 5))
    damaged = db.backup_dir(opened) / "kommun-20291231-080000.sqlite"
    damaged.write_bytes(db.SQLITE_HEADER + random.Random(4).randbytes(8192))

    assert main(["--db", str(opened), "backups"]) == 0

    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("  20")]
    assert [line.split()[-1] for line in lines] == [second.name, first.name, damaged.name]
    assert lines[0].split()[:2] == ["2030-01-02", "09:30:05"]
    assert lines[0].split()[4:7] == ["5", "0", "ok"]
    assert lines[1].split()[4:7] == ["3", "0", "ok"]
    assert "skadad" in lines[2]
    assert swedish_size(second.stat().st_size) in lines[0]
    assert f"bouv-tui --db {opened} restore" in out
    # listing reads without writing: nothing appears beside the copies
    assert sorted(p.name for p in db.backup_dir(opened).iterdir()) == sorted(
        [".kommun.state.json", first.name, second.name, damaged.name]
    )


def test_backups_reads_an_old_wal_mode_backup_without_making_files_beside_it(opened: Path, capsys):
    add_people(opened, 4)
    folder = db.backup_dir(opened)
    folder.mkdir()
    legacy = folder / "kommun-20200101-120000.sqlite"
    src, dst = db.connect(opened, readonly=True), sqlite3.connect(legacy)
    src.backup(dst)  # what older versions wrote: the WAL flag copied into the header
    src.close()
    dst.close()
    assert legacy.read_bytes()[18] == 2

    assert main(["--db", str(opened), "backups"]) == 0

    assert "4" in capsys.readouterr().out.split(legacy.name)[0].splitlines()[-1]
    assert sorted(p.name for p in folder.iterdir()) == [legacy.name]


def test_backups_without_any_says_so(opened: Path, capsys):
    assert main(["--db", str(opened), "backups"]) == 0
    assert "inga säkerhetskopior" in capsys.readouterr().out


def test_backups_works_on_a_damaged_database(opened: Path, capsys):
    add_people(opened, 300)
    made = db.make_backup(opened, now=datetime(2030, 1, 1))
    corrupt_middle(opened)
    assert main(["--db", str(opened), "backups"]) == 0
    assert made.name in capsys.readouterr().out


# --- bouv-tui restore --------------------------------------------------------------------------


@pytest.fixture
def with_backup(opened: Path) -> tuple[Path, Path]:
    """A database of five people whose newest backup holds three."""
    add_people(opened, 3)
    backup = db.make_backup(opened, now=datetime(2030, 1, 1, 9, 0, 0))
    add_people(opened, 2, prefix="Sen")
    return opened, backup


def test_restore_puts_the_backup_in_place_after_a_copy_of_the_current_file(with_backup, capsys):
    database, backup = with_backup

    assert main(["--db", str(database), "restore", backup.name]) == 0

    out = capsys.readouterr().out
    assert people(database) == 3
    assert mode(database) == 0o600
    kept = db.kept_copies(database)
    assert len(kept) == 1 and people(kept[0]) == 5
    assert mode(kept[0]) == 0o600
    assert str(kept[0]) in out and backup.name in out and "3 personer" in out
    conn = sqlite3.connect(database)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # as every bouv-tui file
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert not [p for p in database.parent.iterdir() if p.name.endswith(".restore")]
    # backups lists the kept copy
    assert main(["--db", str(database), "backups"]) == 0
    assert kept[0].name in capsys.readouterr().out
    # the restored file opens without a new check or a new backup (it is the backup)
    before = db.list_backups(database)
    db.open_database(database)
    assert db.list_backups(database) == before


def test_restore_takes_a_path_too(with_backup, tmp_path: Path):
    database, backup = with_backup
    elsewhere = tmp_path / "annan plats" / "kopia 1.sqlite"
    elsewhere.parent.mkdir()
    elsewhere.write_bytes(backup.read_bytes())
    assert main(["--db", str(database), "restore", str(elsewhere)]) == 0
    assert people(database) == 3


def test_the_kept_copy_is_never_rotated_away(with_backup):
    database, backup = with_backup
    assert main(["--db", str(database), "restore", backup.name]) == 0
    kept = db.kept_copies(database)
    for i in range(12):
        add_people(database, 1, prefix=f"Efter{i}")
        db.make_backup(database, now=datetime(2031, 1, 1, 12, 0, i))
    assert len(db.list_backups(database)) == 10
    assert db.kept_copies(database) == kept


def test_restore_does_not_apply_the_old_write_ahead_log(with_backup, tmp_path: Path):
    """A file left by a crash, with committed rows still only in its -wal: that -wal must
    not be replayed onto the restored file."""
    database, backup = with_backup
    conn = sqlite3.connect(database)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.executemany("INSERT INTO staff (name, role) VALUES (?, 'annan')", [(f"Bara i wal {i}",) for i in range(200)])
    conn.commit()
    crash = tmp_path / "krasch"
    crash.mkdir()
    for suffix in ("", "-wal"):
        (crash / f"x{suffix}").write_bytes(Path(f"{database}{suffix}").read_bytes())
    conn.close()
    for suffix in ("", "-wal"):
        Path(f"{database}{suffix}").write_bytes((crash / f"x{suffix}").read_bytes())
    Path(f"{database}-shm").unlink(missing_ok=True)
    assert Path(f"{database}-wal").stat().st_size > 0

    assert main(["--db", str(database), "restore", backup.name]) == 0

    assert people(database) == 3
    conn = sqlite3.connect(database)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert people(db.kept_copies(database)[0]) == 205  # the copy kept what the -wal held


def test_restore_onto_a_damaged_file_keeps_its_bytes(opened: Path, capsys):
    add_people(opened, 300)
    backup = db.make_backup(opened, now=datetime(2030, 1, 1))
    corrupt_middle(opened)
    damaged = opened.read_bytes()

    assert main(["--db", str(opened), "restore", backup.name]) == 0

    assert people(opened) == 300
    assert db.kept_copies(opened)[0].read_bytes() == damaged


def test_restore_when_the_database_is_gone(with_backup):
    database, backup = with_backup
    database.unlink()
    for sidecar in ("-wal", "-shm"):
        Path(f"{database}{sidecar}").unlink(missing_ok=True)
    assert main(["--db", str(database), "restore", backup.name]) == 0
    assert people(database) == 3
    assert db.kept_copies(database) == []


def test_the_damage_message_s_restore_command_works(opened: Path, capsys):
    add_people(opened, 300)
    db.open_database(opened)
    corrupt_middle(opened)

    assert main(["--db", str(opened), "check", "--year", "2026"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    command = err.split("Återställ den senaste säkerhetskopian med: ", 1)[1].split(" (alla kopior", 1)[0]
    argv = shlex.split(command)
    assert argv[:3] == ["bouv-tui", "--db", str(opened)] and argv[3] == "restore"

    assert main(argv[1:]) == 0
    assert people(opened) == 300


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def write_newer(backup: Path) -> None:
    conn = sqlite3.connect(backup)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()


def write_damaged(backup: Path) -> None:
    data = bytearray(backup.read_bytes())
    data[4096 * 3 : 4096 * 6] = random.Random(5).randbytes(4096 * 3)
    backup.write_bytes(bytes(data))


def write_foreign(backup: Path) -> None:
    backup.unlink()
    conn = sqlite3.connect(backup)
    conn.execute("CREATE TABLE recept (namn TEXT)")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    "spoil, said",
    [(write_newer, "nyare version"), (write_damaged, "kan inte återställas"), (write_foreign, "inte en bouv-tui-fil")],
    ids=["newer", "damaged", "foreign"],
)
def test_a_backup_that_is_not_whole_or_too_new_is_refused_and_nothing_changes(with_backup, capsys, spoil, said):
    database, backup = with_backup
    spoil(backup)
    before = snapshot(database.parent)

    assert main(["--db", str(database), "restore", backup.name]) == 1

    err = capsys.readouterr().err
    assert said in err and "Ingenting har ändrats" in err and "Traceback" not in err
    assert snapshot(database.parent) == before
    assert db.kept_copies(database) == []


def test_restore_of_a_backup_that_does_not_exist_is_wrong_usage(with_backup, capsys):
    database, _backup = with_backup
    before = snapshot(database.parent)
    assert main(["--db", str(database), "restore", "kommun-19990101-000000.sqlite"]) == 2
    assert "finns inte" in capsys.readouterr().err
    assert snapshot(database.parent) == before
    with pytest.raises(SystemExit) as exited:
        main(["--db", str(database), "restore"])
    assert exited.value.code == 2


def test_restore_is_refused_while_another_program_has_the_file_open(with_backup, capsys):
    database, backup = with_backup
    other = sqlite3.connect(database)
    try:
        assert other.execute("SELECT count(*) FROM staff").fetchone()[0] == 5  # open, idle, in WAL mode
        content = database.read_bytes()

        assert main(["--db", str(database), "restore", backup.name]) == 1

        err = capsys.readouterr().err
        assert "används av ett annat program" in err and "Ingenting har ändrats" in err
        assert database.read_bytes() == content
        assert db.kept_copies(database) == []
    finally:
        other.close()
    assert main(["--db", str(database), "restore", backup.name]) == 0  # once it is closed


def test_restore_onto_a_read_only_file_is_refused(with_backup, capsys):
    database, backup = with_backup
    os.chmod(database, 0o400)
    try:
        content = database.read_bytes()
        assert main(["--db", str(database), "restore", backup.name]) == 1
        err = capsys.readouterr().err
        assert "skrivskyddad" in err and "Ingenting har ändrats" in err
        assert database.read_bytes() == content
        assert db.kept_copies(database) == []
    finally:
        os.chmod(database, 0o600)

"""Faults with real processes (issue 10, "Done means").

`kill -9` at random moments (a seeded generator; delays spread over the command's measured
duration) of an `import staff`, an `import assessments`, an export and a backup. After each
kill: the database passes `PRAGMA integrity_check`; its staff and assessments are wholly the
state before or wholly the state after (digests computed once); and once the NEXT command has
run (a killed process cannot clean up after itself, the next open must) no temporary file is
left in the database's folder, its backup folder or the export folder, and every file there
is 0600. Also two importers at once (never both done with one change lost) and readers beside
a writer (never a traceback, always old or new data whole).

Every process gets its own HOME and XDG folders under tmp: nothing touches the user's files.
"""

from __future__ import annotations

import csv
import hashlib
import os
import random
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

SEED = 20261123
TRIALS = 20
WORKERS = 3
YEAR = "2026"
LEVEL_LETTER = {"grundlaggande": "G", "fordjupad": "F", "saknar": "S"}
FLIP = {"G": "F", "F": "S", "S": "G"}
ROLE_WORD = {"handlaggare": "handläggare", "arbetsledare": "arbetsledare", "annan": "annan"}
#: A backup of <stem>.sqlite, or the copy `restore` keeps of the file it replaced.
BACKUP_NAME = r"-(?:fore-aterstallning-)?\d{8}-\d{6}(?:-\d+)?\.sqlite"
#: What the store remembers of its last check and backup (not a temporary file).
STATE_FILE = ".{stem}.state.json"


def command() -> list[str]:
    """The installed `bouv-tui` beside this Python, else `python -m bouv_tui` (its __main__)."""
    script = Path(sys.executable).parent / "bouv-tui"
    return [str(script)] if script.exists() else [sys.executable, "-m", "bouv_tui"]


def run(env: dict, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([*command(), *args], env=env, capture_output=True, text=True, timeout=timeout)


# --- what a database holds ---------------------------------------------------------------------


def digest(db: Path) -> str:
    """The staff table and the assessments, without time stamps (a run at another moment
    writes other ones): equal digests, equal data."""
    conn = sqlite3.connect(db)
    try:
        h = hashlib.sha256()
        for table, order in (("staff", "id"), ("assessment", "round_id, staff_id, area")):
            cols = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if not r[1].endswith("_at")]
            h.update(f"{table}:{cols}".encode())
            for row in conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY {order}"):
                h.update(repr(row).encode())
        return h.hexdigest()
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return " ".join(r[0] for r in conn.execute("PRAGMA integrity_check"))
    finally:
        conn.close()


def file_mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _mode_note(path: Path) -> str:
    return f" (mode {oct(file_mode(path))})" if path.is_file() else ""


def leftovers(db: Path, export_folder: Path | None = None, exports: tuple[str, ...] = ()) -> list[str]:
    """What should not be there: files other than the database (and SQLite's own -wal and
    -shm beside it), whole backups (and the store's state file) and the exports; and any
    file there that is not 0600."""
    found = []
    backups = db.parent / f"{db.stem}-backups"
    allowed = {db.name, f"{db.name}-wal", f"{db.name}-shm", backups.name}
    for p in sorted(db.parent.iterdir()):
        if p.name not in allowed:
            found.append(f"database folder: {p.name}{_mode_note(p)}")
        elif p.is_file() and file_mode(p) != 0o600:
            found.append(f"database folder: {p.name} has mode {oct(file_mode(p))}")
    if backups.is_dir():
        for p in sorted(backups.iterdir()):
            backup = re.fullmatch(re.escape(db.stem) + BACKUP_NAME, p.name)
            if not backup and p.name != STATE_FILE.format(stem=db.stem):
                found.append(f"backup folder: {p.name}{_mode_note(p)}")
            elif file_mode(p) != 0o600:
                found.append(f"backup folder: {p.name} has mode {oct(file_mode(p))}")
            elif backup and (result := integrity(p)) != "ok":
                found.append(f"backup folder: {p.name} fails its integrity check: {result}")
    if export_folder is not None:
        for p in sorted(export_folder.iterdir()):
            if p.name not in exports:
                found.append(f"export folder: {p.name}{_mode_note(p)}")
            elif file_mode(p) != 0o600:
                found.append(f"export folder: {p.name} has mode {oct(file_mode(p))}")
    return found


# --- the databases and files, made once --------------------------------------------------------


@dataclass
class World:
    root: Path
    env: dict
    small: Path  # --staff 300: imports and exports
    big: Path  # --staff 2000: backups, where size is needed to hit the middle of one
    staff_new: Path  # every person's unit changed
    assessments_new: Path  # every level of the 2026 round changed
    assessments_old: Path  # the levels as the demo has them
    big_dry_run: Path  # one unchanged person: a dry run that only takes the backup
    people: list[tuple[str, str, str, str, int]]  # personal_id, name, role, unit, fte


def _write_csv(path: Path, header: list[str], rows: list[list[object]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _assessment_files(db: Path, folder: Path) -> tuple[Path, Path]:
    conn = sqlite3.connect(db)
    try:
        (round_id,) = conn.execute("SELECT id FROM inventory_round WHERE year = ?", (int(YEAR),)).fetchone()
        rows = conn.execute(
            "SELECT s.personal_id, a.area, a.level FROM assessment a JOIN staff s ON s.id = a.staff_id "
            "WHERE a.round_id = ? ORDER BY s.personal_id, a.area",
            (round_id,),
        ).fetchall()
    finally:
        conn.close()
    areas = sorted({area for _, area, _ in rows})
    levels: dict[str, dict[str, str]] = {}
    for pid, area, level in rows:
        levels.setdefault(pid, {})[area] = LEVEL_LETTER[level]
    old = [[pid, *(cells.get(a, "") for a in areas)] for pid, cells in levels.items()]
    new = [[pid, *(FLIP.get(cells.get(a, ""), "") for a in areas)] for pid, cells in levels.items()]
    header = ["personal_id", *areas]
    return _write_csv(folder / "bedomning-ny.csv", header, new), _write_csv(folder / "bedomning-gammal.csv", header, old)


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> World:
    root = tmp_path_factory.mktemp("faults")
    env = dict(os.environ, HOME=str(root / "home"))
    for name, sub in [("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config"), ("XDG_CACHE_HOME", "cache")]:
        env[name] = str(root / sub)
    env.pop("BOUV_DB", None)
    pristine = root / "pristine"
    pristine.mkdir()
    inputs = root / "in"
    inputs.mkdir()
    small, big = pristine / "small.sqlite", pristine / "big.sqlite"
    for db, staff in ((small, "300"), (big, "2000")):
        done = run(env, "demo", str(db), "--staff", staff)
        assert done.returncode == 0, done.stderr

    conn = sqlite3.connect(small)
    people = conn.execute(
        "SELECT personal_id, name, role, unit, fte FROM staff WHERE personal_id IS NOT NULL ORDER BY personal_id"
    ).fetchall()
    conn.close()
    staff_new = _write_csv(
        inputs / "personal-ny.csv",
        ["personal_id", "namn", "roll", "enhet"],
        [[pid, name, ROLE_WORD[role], f"{unit} ny"] for pid, name, role, unit, _ in people],
    )
    assessments_new, assessments_old = _assessment_files(small, inputs)
    conn = sqlite3.connect(big)
    one = conn.execute("SELECT personal_id, name, role FROM staff WHERE personal_id IS NOT NULL LIMIT 1").fetchone()
    conn.close()
    big_dry_run = _write_csv(inputs / "en-person.csv", ["personal_id", "namn", "roll"], [[one[0], one[1], ROLE_WORD[one[2]]]])
    return World(root, env, small, big, staff_new, assessments_new, assessments_old, big_dry_run, people)


def fresh_copy(pristine: Path, folder: Path) -> Path:
    """The pristine database alone in a folder of its own (no backups yet: the first open
    that may back up will)."""
    (folder / "db").mkdir(parents=True)
    db = folder / "db" / pristine.name
    shutil.copy2(pristine, db)
    os.chmod(db, 0o600)
    return db


# --- kill -9 at random moments -----------------------------------------------------------------


@dataclass
class Kind:
    pristine: str  # "small" or "big"
    args: callable  # (world, db, out_folder) -> list[str]
    export: str | None = None  # the export's file name, if the command writes one


KINDS = {
    "import-staff": Kind("small", lambda w, db, out: ["--db", str(db), "import", "staff", str(w.staff_new)]),
    "import-assessments": Kind(
        "small", lambda w, db, out: ["--db", str(db), "import", "assessments", str(w.assessments_new), "--year", YEAR]
    ),
    # The submission holds counts, not people: a bigger roster would not make the file bigger.
    "export-submission": Kind(
        "small",
        lambda w, db, out: ["--db", str(db), "export", "submission", "--year", YEAR, "--format", "xlsx",
                            "--output", str(out / "inventering.xlsx")],  # fmt: skip
        export="inventering.xlsx",
    ),
    # A database that changed since its last backup (here: never backed up) gets one when it
    # is opened for writing; a dry run writes nothing else. (`check` opens without a backup.)
    "backup": Kind("big", lambda w, db, out: ["--db", str(db), "import", "staff", str(w.big_dry_run), "--dry-run"]),
}

OLD_EXPORT = b"en tidigare export, ska vara kvar hel eller ersatt hel\n" * 50


@pytest.mark.parametrize("kind", list(KINDS))
def test_kill_9_leaves_old_or_new_data_and_the_next_command_leaves_no_temporary(world, tmp_path, kind):
    spec = KINDS[kind]
    pristine = getattr(world, spec.pristine)
    before = digest(pristine)

    # The whole command once: how long it takes, and what it leaves.
    ref = tmp_path / "reference"
    db = fresh_copy(pristine, ref)
    (ref / "out").mkdir()
    started = time.perf_counter()
    done = run(world.env, *spec.args(world, db, ref / "out"))
    duration = time.perf_counter() - started
    assert done.returncode == 0, done.stderr
    after = digest(db)
    new_export = (ref / "out" / spec.export).read_bytes() if spec.export else None
    if kind.startswith("import"):
        assert after != before
    else:
        assert after == before

    rng = random.Random(f"{SEED} {kind}")
    delays = [rng.uniform(0, duration) for _ in range(TRIALS)]

    def trial(i: int) -> list[str]:
        folder = tmp_path / f"trial{i:02}"
        db = fresh_copy(pristine, folder)
        out = folder / "out"
        out.mkdir()
        if spec.export:
            (out / spec.export).write_bytes(OLD_EXPORT)
            os.chmod(out / spec.export, 0o600)
        args = spec.args(world, db, out)
        proc = subprocess.Popen([*command(), *args], env=world.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        time.sleep(delays[i])
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
        where = f"trial {i} (killed after {delays[i]:.3f} s of {duration:.3f} s, exit {proc.returncode})"
        problems = []
        if b"Traceback" in err:
            problems.append(f"{where}: traceback before the kill:\n{err.decode(errors='replace')}")
        if (result := integrity(db)) != "ok":
            problems.append(f"{where}: integrity_check: {result}")
        state = digest(db)
        if state not in (before, after):
            problems.append(f"{where}: the data is neither the old nor the new")
        if spec.export:
            data = (out / spec.export).read_bytes()
            if data not in (OLD_EXPORT, new_export):
                problems.append(f"{where}: the export is neither the old file nor the new one ({len(data)} bytes)")

        # The next command must clean up what the kill left: for the database and its backups
        # any command that opens it (here `check`, which reads only); for an export folder the
        # next write into it (the same export, run whole).
        if spec.export:
            again = run(world.env, *args)
            ok = again.returncode == 0
        else:
            again = run(world.env, "--db", str(db), "check", "--year", YEAR)
            ok = again.returncode in (0, 1)  # 1: the demo's inventory has errors left
        if not ok or "Traceback" in again.stderr:
            problems.append(f"{where}: the next command exited {again.returncode}: {again.stderr.strip()}")
        problems += [f"{where}, after the next command: {p}" for p in leftovers(db, out, (spec.export,) if spec.export else ())]
        return problems

    with ThreadPoolExecutor(WORKERS) as pool:
        problems = [p for found in pool.map(trial, range(TRIALS)) for p in found]
    assert not problems, f"{len(problems)} problems in {TRIALS} trials:\n" + "\n".join(problems)


# --- two writers at once -----------------------------------------------------------------------


def _person(db: Path, pid: str) -> tuple[str, int]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT unit, fte FROM staff WHERE personal_id = ?", (pid,)).fetchone()
    finally:
        conn.close()


ROSTER_CHANGED = re.compile(r"ändra", re.IGNORECASE)
RUN_AGAIN = re.compile(r"igen", re.IGNORECASE)


@pytest.mark.parametrize("case", ["different-people", "same-person-different-columns"])
def test_two_importers_at_once_never_lose_a_change(world, tmp_path, case):
    # Two people with full time and a unit, so that both changes are visible.
    (p1, n1, r1, u1, f1), (p2, n2, r2, u2, f2) = [p for p in world.people if p[4] == 100 and p[3]][:2]
    a = _write_csv(tmp_path / "a.csv", ["personal_id", "namn", "roll", "enhet"], [[p1, n1, ROLE_WORD[r1], "Ändrad av A"]])
    if case == "different-people":
        b = _write_csv(tmp_path / "b.csv", ["personal_id", "namn", "roll", "enhet"], [[p2, n2, ROLE_WORD[r2], "Ändrad av B"]])
        changed_by_b = (p2, lambda unit, fte: unit == "Ändrad av B")
    else:
        b = _write_csv(tmp_path / "b.csv", ["personal_id", "namn", "roll", "sysselsattningsgrad"], [[p1, n1, ROLE_WORD[r1], 50]])
        changed_by_b = (p1, lambda unit, fte: fte == 50)
    changed_by_a = (p1, lambda unit, fte: unit == "Ändrad av A")

    for attempt in range(2):
        db = fresh_copy(world.small, tmp_path / f"attempt{attempt}")
        holder = sqlite3.connect(db, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # a third writer holds the database for a moment
        procs = [
            subprocess.Popen([*command(), "--db", str(db), "import", "staff", str(f)], env=world.env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
            for f in (a, b)
        ]
        time.sleep(1.0)
        holder.execute("ROLLBACK")
        holder.close()
        streams = [p.communicate(timeout=60) for p in procs]
        results = [(p.returncode, out, err) for p, (out, err) in zip(procs, streams)]
        in_db = [check(*_person(db, pid)) for pid, check in (changed_by_a, changed_by_b)]

        shown = "\n".join(f"{name}: exit {rc}\n{out}{err}" for name, (rc, out, err) in zip("AB", results))
        for rc, _out, err in results:
            assert rc in (0, 1), shown
            assert "Traceback" not in err, shown
        codes = [rc for rc, _, _ in results]
        assert codes != [1, 1], f"both importers gave up:\n{shown}"
        for (rc, _out, err), present, name in zip(results, in_db, "AB"):
            if rc == 0:
                assert present, f"{name} exited 0 but its change is not in the database (a lost update):\n{shown}"
            else:
                assert ROSTER_CHANGED.search(err) and RUN_AGAIN.search(err), (
                    f"{name} exited 1 without saying (in Swedish) that the roster changed and to run the import again:\n{shown}"
                )
        assert integrity(db) == "ok"
        assert leftovers(db) == []


# --- readers beside a writer -------------------------------------------------------------------


def test_readers_beside_a_writer_see_old_or_new_data_whole(world, tmp_path):
    # The two states the writer moves between, and what each reader prints or writes in each.
    expected: dict[str, tuple[str, bytes]] = {}
    for state, levels in (("old", None), ("new", world.assessments_new)):
        db = fresh_copy(world.small, tmp_path / f"expected-{state}")
        if levels is not None:
            assert run(world.env, "--db", str(db), "import", "assessments", str(levels), "--year", YEAR).returncode == 0
        checked = run(world.env, "--db", str(db), "check", "--year", YEAR)
        out = db.parent / "inventering.json"
        exported = run(world.env, "--db", str(db), "export", "submission", "--year", YEAR, "--format", "json", "--output", str(out))
        assert exported.returncode == 0, exported.stderr
        expected[state] = (checked.stdout, out.read_bytes())
    assert expected["old"][1] != expected["new"][1]

    db = fresh_copy(world.small, tmp_path / "shared")
    out_folder = tmp_path / "shared" / "out"
    out_folder.mkdir()
    writing = threading.Event()
    writing.set()
    problems: list[str] = []
    seen: dict[str, set[str]] = {"check": set(), "export": set()}

    def writer() -> None:
        try:
            for i in range(4):
                levels = world.assessments_new if i % 2 == 0 else world.assessments_old
                done = run(world.env, "--db", str(db), "import", "assessments", str(levels), "--year", YEAR)
                if done.returncode != 0:
                    problems.append(f"import {i} exited {done.returncode}: {done.stderr}")
        finally:
            writing.clear()

    def check_reader() -> None:
        while writing.is_set():
            done = run(world.env, "--db", str(db), "check", "--year", YEAR)
            if done.returncode not in (0, 1) or "Traceback" in done.stderr:
                problems.append(f"check exited {done.returncode}: {done.stderr}")
            states = [s for s, (text, _) in expected.items() if text == done.stdout]
            if not states:
                problems.append(f"check printed neither the old nor the new state:\n{done.stdout}")
            seen["check"].update(states)

    def export_reader(n: int) -> None:
        i = 0
        while writing.is_set():
            out = out_folder / f"inventering-{n}-{i}.json"
            done = run(world.env, "--db", str(db), "export", "submission", "--year", YEAR, "--format", "json", "--output", str(out))
            i += 1
            if done.returncode != 0 or "Traceback" in done.stderr:
                problems.append(f"export exited {done.returncode}: {done.stderr}")
                continue
            states = [s for s, (_, data) in expected.items() if data == out.read_bytes()]
            if not states:
                problems.append(f"export {out.name} is neither the old nor the new state")
            seen["export"].update(states)
            out.unlink()

    threads = [threading.Thread(target=f, args=args) for f, args in ((writer, ()), (check_reader, ()), (export_reader, (1,)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not problems, "\n".join(problems)
    assert seen["export"], "no export finished while the imports ran"
    assert integrity(db) == "ok"
    assert leftovers(db, out_folder) == []


# --- an import into a file from the previous version ------------------------------------------


def _downgrade_one(db: Path) -> str:
    """Take ``db`` back to the schema revision before the newest, as the previous version of
    the app left it; return that revision."""
    from alembic import command as alembic
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from bouv_tui.store import db as store

    migrations = Path(store.__file__).parent / "migrations"
    previous = ScriptDirectory(str(migrations)).get_revision(store.HEAD_REVISION).down_revision
    assert isinstance(previous, str)
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations))
    engine = store.sqlalchemy_engine(db)
    try:
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            alembic.downgrade(cfg, previous)
    finally:
        engine.dispose()
    return previous


@pytest.mark.parametrize("kind", ["staff", "assessments"])
def test_an_import_into_a_file_from_the_previous_version_upgrades_it_without_a_traceback(world, tmp_path, kind):
    """The first import after an update meets a file with the older schema: the upgrade
    (Alembic, which imports SQLAlchemy) runs while the import loads SQLAlchemy in the
    background; the two must not trip over each other."""
    db = fresh_copy(world.small, tmp_path / "old")
    _downgrade_one(db)
    args = ["import", "staff", str(world.staff_new)] if kind == "staff" else [
        "import", "assessments", str(world.assessments_new), "--year", YEAR]  # fmt: skip
    done = run(world.env, "--db", str(db), *args)
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 0, done.stderr
    assert digest(db) != digest(world.small)
    assert integrity(db) == "ok"
    assert leftovers(db) == []

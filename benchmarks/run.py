"""bouv-tui's performance goals, measured against baselines taken in the same run.

    python benchmarks/run.py [--repeat N] [--output benchmarks/out/results.json]

Builds, in a temporary folder, the national-scale demo (5 113 handläggare, 766 team
leaders, as in the 2013 inventory: ``write_demo(path, staff=5113, seed=2013)``) and
the same roster as a CSV file, then times each command as the median of N fresh
subprocesses (after one untimed warm-up run each; the baseline's and the command's runs
interleaved, so that both meet the machine in the same state) and prints the ratio to its
baseline:

a) ``import staff`` of the national CSV into a fresh, empty database, against
   ``python -c "import sqlmodel"``.                                   Target ≤ 2×.
b) the app on the national database until the roster table shows rows, against a
   bare Textual app reaching its first frame (``first_frame.py``).   Target ≤ 1.5×.
c) ``import assessments`` of the current round's ~60 000 levels (from the national demo)
   into a fresh copy of the national database without them, against
   ``python -c "import sqlmodel"``.                                  Target ≤ 2×.
d) the app with its default start until the start screen (dashboard) shows the round
   panel, against the bare Textual app (``first_frame.py``).         Target ≤ 1.5×.
e) one keystroke (g/f/s) in the assessment grid, p95 over 450 keystrokes, median of 3
   runs of ``keystrokes.py``: not a ratio.                           Target ≤ 50 ms.
f) ``export submission --format json`` of the current round on the national database,
   against ``python -c "import sqlmodel"``.                          Target ≤ 1.5×.
g) the same as ``--format xlsx``, against the same baseline.         Target ≤ 2×.
h) switching sections (F3 → F4 → F5 → F6 → F7 → F2, 10 times) until the section is shown,
   p95 over the switches after each section's first visit, median of 3 runs of
   ``switch.py``: not a ratio.                                       Target ≤ 150 ms.
i) ``export plan --format xlsx`` of the current year's training plan on a copy of the
   national database (the demo's plan, or one of ~600 trainings, 1 200 occasions and
   25 000 participants added when the demo has none), against
   ``python -c "import sqlmodel"``.                                  Target ≤ 2×.
j) the need-against-plan figures recomputed after a booking (in memory, the plan one
   person more), p95 over 300 bookings, median of 3 runs of ``plan_booking.py``: not a
   ratio.                                                            Target ≤ 50 ms.
k) the app opened on the budget (F9) until ``#budget-table`` shows rows, against the bare
   Textual app (``first_frame.py budget``).                          Target ≤ 1.5×.
l) a what-if toggle in the budget (``space`` on a planned line), from the key to the screen
   repainted, p95 over 200 toggles, median of 3 runs of ``budget_whatif.py``: not a
   ratio.                                                            Target ≤ 50 ms.
m) ``export finance --format json`` of the current year on the national database, against
   ``python -c "import sqlmodel"``.                                  Target ≤ 1.5×.

Not part of pytest. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIRST_FRAME = HERE / "first_frame.py"
KEYSTROKES = HERE / "keystrokes.py"
SWITCH = HERE / "switch.py"
SWITCH_RUNS = 3
SWITCH_TARGET_MS = 150.0
PLAN_BOOKING = HERE / "plan_booking.py"
PLAN_BOOKING_RUNS = 3
PLAN_BOOKING_TARGET_MS = 50.0
BUDGET_WHATIF = HERE / "budget_whatif.py"
BUDGET_WHATIF_RUNS = 3
BUDGET_WHATIF_TARGET_MS = 50.0
#: keystrokes.py runs (no warm-up; each run presses g, f, s in turn 50 times: 150 keystrokes).
KEYSTROKE_RUNS = 3
KEYSTROKE_TARGET_MS = 50.0
DEFAULT_OUTPUT = HERE / "out" / "results.json"
NATIONAL_STAFF = 5113
NATIONAL_SEED = 2013
SUBPROCESS_TIMEOUT = 120
#: The national plan (issue 14): trainings, occasions (two a training) and participant rows.
PLAN_TRAININGS, PLAN_OCCASIONS_EACH, PLAN_PARTICIPANTS = 600, 2, 25_000


@dataclass
class Command:
    """A command to time; ``prepare`` runs untimed before each run and returns the argv."""

    label: str
    prepare: Callable[[int], list[str]]
    #: Runs untimed after each run; returns an error message when the run did not do its job.
    verify: Callable[[int], str | None] = lambda run: None


@dataclass
class Timing:
    label: str
    command: list[str] = field(default_factory=list)
    runs: list[float] = field(default_factory=list)
    #: What the subprocess reported itself (first_frame.py: ready_s, exited_s), per run.
    reported: list[dict] = field(default_factory=list)
    error: str | None = None

    @property
    def median(self) -> float | None:
        return statistics.median(self.runs) if self.runs and self.error is None else None

    def reported_median(self, key: str) -> float | None:
        values = [r[key] for r in self.reported if key in r]
        return statistics.median(values) if values and self.error is None else None

    def as_json(self) -> dict:
        data = {
            "label": self.label,
            "command": self.command,
            "median_s": self.median,
            "runs_s": self.runs,
            "error": self.error,
        }
        for key in sorted({k for r in self.reported for k, v in r.items() if isinstance(v, (int, float))}):
            data[f"median_{key}"] = self.reported_median(key)
        return data


def tail(text: str, lines: int = 12) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


def _run_once(command: Command, run: int, env: dict[str, str], timing: Timing) -> bool:
    """One run of ``command`` (run -1: the warm-up, not counted). False when it failed
    (``timing.error`` says why)."""
    argv = command.prepare(run)
    timing.command = argv
    start = time.perf_counter()
    spawned = time.time()
    try:
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=SUBPROCESS_TIMEOUT)
    except subprocess.TimeoutExpired:
        timing.error = f"timed out after {SUBPROCESS_TIMEOUT} s"
        return False
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        timing.error = f"exit code {done.returncode}\n{tail(done.stderr or done.stdout)}"
        return False
    problem = command.verify(run)
    if problem:
        timing.error = problem
        return False
    if run >= 0:
        last = (done.stdout.strip().splitlines() or [""])[-1]
        reported = {}
        if last.startswith("{"):
            try:
                reported = json.loads(last)
            except ValueError:
                pass
        if "ready_epoch" in reported:
            # First-frame runs: from spawning the process to the frame, not to its exit.
            elapsed = reported.pop("ready_epoch") - spawned
        timing.runs.append(elapsed)
        if reported:
            timing.reported.append(reported)
    return True


def measure(command: Command, repeat: int, env: dict[str, str], *, warm_up: bool = True) -> Timing:
    timing = Timing(command.label)
    for run in range(-1 if warm_up else 0, repeat):  # run -1 is the warm-up, not counted
        if not _run_once(command, run, env, timing):
            break
    return timing


def measure_pair(baseline: Command, measured: Command, repeat: int, env: dict[str, str]) -> tuple[Timing, Timing]:
    """Both commands, interleaved: a warm-up of each, then baseline and measured in turns,
    the order swapped every round. A machine whose speed drifts during the run (this kind
    of virtual machine does) then slows both sides alike, instead of whichever ran in the
    slow stretch."""
    base, meas = Timing(baseline.label), Timing(measured.label)
    pairs = ((baseline, base), (measured, meas))
    for run in range(-1, repeat):
        for command, timing in (pairs if run % 2 == 0 else pairs[::-1]):
            if not _run_once(command, run, env, timing):
                return base, meas
    return base, meas


# --- preparing the data ------------------------------------------------------------------


def write_national_csv(staff, path: Path, today) -> str | None:
    """The roster in the import format; a note when the project's exporter was not there."""
    try:
        from bouv_tui.exchange.staff_export import export_staff_csv
    except ImportError as exc:
        _write_csv_fallback(staff, path)
        return f"bouv_tui.exchange.staff_export not available ({exc}); CSV written by run.py's fallback"
    export_staff_csv(staff, path, today)
    return None


def _write_csv_fallback(staff, path: Path) -> None:
    """The roster file of INTERFACES.md, semicolon separated, written with the csv module."""
    roles = {"handlaggare": "handläggare", "arbetsledare": "arbetsledare", "annan": "annan"}

    def yn(value: bool) -> str:
        return "ja" if value else "nej"

    def iso(value) -> str:
        return value.isoformat() if value else ""

    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow([
            "personal_id", "namn", "roll", "enhet", "anstalld_fran", "anstalld_till", "erfarenhet_fran",
            "socionomexamen", "behorighetsintyg", "sysselsattningsgrad", "anstallningsform", "fortbildning",
            "vidareutbildning", "magister_master", "forsta_chefsjobb", "behover_handledningsstod",
        ])  # fmt: skip
        for p in staff:
            writer.writerow([
                p.personal_id or "", p.name, roles[p.role], p.unit, iso(p.employed_from), iso(p.employed_until),
                iso(p.experience_from), yn(p.social_work_degree), yn(p.qualification_certificate), p.fte,
                p.employment_type, yn(p.continuing_training), yn(p.further_education), yn(p.masters_degree),
                yn(p.first_manager_job), yn(p.needs_supervision_support),
            ])  # fmt: skip


def write_assessments_csv(national: Path, path: Path) -> tuple[int, int, int, int]:
    """The current (latest) round's levels as an import file: ``personal_id`` and one
    column per area code, G/F/S or empty. Returns (year, round id, people, levels)."""
    from bouv_tui.domain import catalog
    from bouv_tui.store.read import read_assessments, read_rounds, read_staff

    current = read_rounds(national)[-1]
    personal_id = {p.id: p.personal_id for p in read_staff(national)}
    rows: dict[int, dict[str, str]] = {}
    for a in read_assessments(national, current.id):
        rows.setdefault(a.staff_id, {})[a.area] = catalog.LEVEL_LETTER[a.level]
    codes = catalog.AREAS.codes()
    levels = 0
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["personal_id", *codes])
        for staff_id in sorted(rows, key=lambda s: personal_id[s]):
            cells = [rows[staff_id].get(code, "") for code in codes]
            levels += sum(1 for c in cells if c)
            writer.writerow([personal_id[staff_id], *cells])
    return current.year, current.id, len(rows), levels


def copy_sqlite(source: Path, target: Path) -> None:
    """Copy a database file with its -wal/-shm (if any); stale sidecars at ``target`` go."""
    for suffix in ("", "-wal", "-shm"):
        src, dst = Path(f"{source}{suffix}"), Path(f"{target}{suffix}")
        if src.exists():
            shutil.copy2(src, dst)
        elif dst.exists():
            dst.unlink()


def without_round(national: Path, template: Path, round_id: int) -> int:
    """``template``: a copy of ``national`` with one round's assessments deleted (checkpointed,
    no -wal left). Returns the rows deleted."""
    copy_sqlite(national, template)
    conn = sqlite3.connect(template)
    try:
        deleted = conn.execute("DELETE FROM assessment WHERE round_id = ?", (round_id,)).rowcount
        conn.commit()
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
    return deleted


def assessment_count(path: Path, round_id: int) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM assessment WHERE round_id = ?", (round_id,)).fetchone()[0]
    finally:
        conn.close()


def staff_count(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute("SELECT count(*) FROM staff").fetchone()[0]
    finally:
        conn.close()


def plan_size(path: Path, year: int) -> tuple[int, int, int]:
    """Trainings, occasions and participant rows of ``year``'s plan in ``path``."""
    with sqlite3.connect(path) as conn:
        trainings = conn.execute("SELECT count(*) FROM training WHERE year = ?", (year,)).fetchone()[0]
        occasions, participants = conn.execute(
            "SELECT count(DISTINCT o.id), count(p.staff_id) FROM occasion o JOIN training t ON t.id = o.training_id "
            "LEFT JOIN participant p ON p.occasion_id = o.id WHERE t.year = ?",
            (year,),
        ).fetchone()
    return trainings, occasions, participants


def ensure_plan(path: Path, year: int) -> str:
    """Give ``path`` a national-scale plan for ``year`` unless it has one (the demo's, when the
    demo makes one): PLAN_TRAININGS trainings in one to three areas, PLAN_OCCASIONS_EACH
    occasions each (about one in twenty cancelled), about PLAN_PARTICIPANTS participants,
    written through the repository as the app writes them, reproducibly (a fixed seed)."""
    import random
    from datetime import date, timedelta

    from bouv_tui.domain import catalog
    from bouv_tui.domain import plan as rules
    from bouv_tui.domain.plan import Occasion, Participant, Training
    from bouv_tui.store.read import read_staff
    from bouv_tui.store.repo import Repository

    found = plan_size(path, year)
    if found[0]:
        return f"the demo's plan: {found[0]} trainings, {found[1]} occasions, {found[2]} participants"
    rng = random.Random(NATIONAL_SEED)
    people = [p.id for p in read_staff(path) if p.role in (catalog.CASEWORKER, catalog.TEAM_LEADER)]
    areas = catalog.AREAS.codes()
    per_occasion = PLAN_PARTICIPANTS // (PLAN_TRAININGS * PLAN_OCCASIONS_EACH)
    extra = PLAN_PARTICIPANTS - per_occasion * PLAN_TRAININGS * PLAN_OCCASIONS_EACH
    repo = Repository(path)
    try:
        n = 0
        for i in range(PLAN_TRAININGS):
            training = repo.save_training(Training(
                f"Utbildning {i + 1:03d}", rng.choice(rules.KINDS.codes()), year, tuple(rng.sample(areas, rng.randint(1, 3))),
                ("Hedersrelaterat våld",) if i % 25 == 0 else (), f"Anordnare {i % 40 + 1}",
                rng.choice(catalog.PROVIDER_TYPES.codes()), rng.choice((1.0, 2.0, 3.0, 7.5)), rng.choice((rules.HP, rules.DAYS)),
                (rules.INTRODUCTION,) if i % 10 == 0 else (),
            ))  # fmt: skip
            for _ in range(PLAN_OCCASIONS_EACH):
                start = date(year, 1, 8) + timedelta(days=rng.randrange(330))
                status = rules.CANCELLED if rng.random() < 0.05 else rng.choice((rules.PLANNED, rules.ONGOING, rules.DONE))
                occasion = repo.save_occasion(Occasion(
                    training.id, start, start + timedelta(days=rng.randrange(3)), rules.PLANNED, f"Plats {i % 30}",
                    None, rules.GRANT if rng.random() < 0.7 else rules.OWN_FUNDS, rng.randrange(0, 50_000, 500),
                    rng.randrange(0, 5_000, 100), float(rng.randint(1, 3)),
                ))  # fmt: skip
                count = per_occasion + (1 if n < extra else 0)
                n += 1
                booked = rng.sample(people, count)
                repo.book(occasion.id, booked)
                if status != rules.PLANNED:
                    from dataclasses import replace

                    if status == rules.DONE:
                        repo.save_participants([Participant(occasion.id, s, rules.ATTENDED, True, 1) for s in booked])
                    repo.save_occasion(replace(occasion, status=status))
    finally:
        repo.close()
    found = plan_size(path, year)
    return f"added by run.py (the demo has no plan): {found[0]} trainings, {found[1]} occasions, {found[2]} participants"


def machine() -> dict:
    def version(name: str) -> str | None:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            return None

    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor() or None,
        "cpu_count": os.cpu_count(),
        "python": sys.version.split()[0],
        "python_implementation": platform.python_implementation(),
        "textual": version("textual"),
        "sqlmodel": version("sqlmodel"),
        "sqlalchemy": version("SQLAlchemy"),
        "bouv_tui": version("bouv-tui"),
    }


# --- the benchmarks ---------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed runs of each command (median; default 5)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="where to write the JSON results")
    parser.add_argument(
        "--only", action="append", metavar="NAME",
        help="run only this benchmark (repeatable, or several separated by commas): import_staff_national, "
             "first_frame_national, import_assessments_national, first_frame_dashboard, first_frame_plan, "
             "first_frame_budget, keystroke_grid_p95, switch_sections_p95, export_submission_json, "
             "export_submission_xlsx, export_plan_xlsx, export_finance_json, plan_recompute_p95, budget_whatif_p95",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.only:
        args.only = [name.strip() for names in args.only for name in names.split(",") if name.strip()]
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    from bouv_tui.demo import DEFAULT_TODAY, write_demo
    from bouv_tui.store.db import open_database
    from bouv_tui.store.read import read_staff

    python = sys.executable
    notes: list[str] = []
    info = machine()
    print("Machine:", ", ".join(f"{k} {v}" for k, v in info.items() if v is not None))

    with tempfile.TemporaryDirectory(prefix="bouv-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = dict(os.environ)
        env.pop("BOUV_DB", None)
        # The warm-up run is there to leave .pyc files for both sides, as a user's installed
        # copy has them; a shell that forbids writing them would make every run of an
        # editable install recompile bouv-tui while the baseline's libraries are precompiled.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["XDG_DATA_HOME"] = str(tmp / "xdg-data")
        env["XDG_CONFIG_HOME"] = str(tmp / "xdg-config")
        env["XDG_CACHE_HOME"] = str(tmp / "xdg-cache")

        start = time.perf_counter()
        national = write_demo(tmp / "national.sqlite", staff=NATIONAL_STAFF, seed=NATIONAL_SEED)
        demo_seconds = time.perf_counter() - start
        staff = read_staff(national)
        csv_path = tmp / "national.csv"
        note = write_national_csv(staff, csv_path, DEFAULT_TODAY)
        if note:
            notes.append(note)
        empty = open_database(tmp / "empty" / "x.sqlite", backup=False)
        assessments_csv = tmp / "national_assessments.csv"
        year, round_id, assessed_people, levels = write_assessments_csv(national, assessments_csv)
        template = tmp / "without-current-round" / "national.sqlite"
        template.parent.mkdir()
        deleted = without_round(national, template, round_id)
        print(f"Setup: national demo with {len(staff)} people written in {demo_seconds:.2f} s; CSV {csv_path.stat().st_size // 1024} KiB; "
              f"assessments {year}: {assessed_people} people, {levels} levels, {assessments_csv.stat().st_size // 1024} KiB "
              f"({deleted} deleted from the import's template)")  # fmt: skip

        def fresh_db(run: int) -> Path:
            folder = tmp / f"import-{run + 1}"
            folder.mkdir()
            for suffix in ("", "-wal", "-shm"):
                source = Path(f"{empty}{suffix}")
                if source.exists():
                    shutil.copy2(source, folder / f"x.sqlite{suffix}")
            return folder / "x.sqlite"

        import_dbs: dict[int, Path] = {}

        def prepare_import(run: int) -> list[str]:
            import_dbs[run] = fresh_db(run)
            return [python, "-m", "bouv_tui", "--db", str(import_dbs[run]), "import", "staff", str(csv_path)]

        def verify_import(run: int) -> str | None:
            try:
                found = staff_count(import_dbs[run])
            except sqlite3.Error as exc:
                return f"the imported database could not be read: {exc}"
            if found != len(staff):
                return f"the import stored {found} people, expected {len(staff)}"
            return None

        assessment_dbs: dict[int, Path] = {}

        def prepare_assessment_import(run: int) -> list[str]:
            folder = tmp / f"import-assessments-{run + 1}"
            folder.mkdir()
            assessment_dbs[run] = folder / "national.sqlite"
            copy_sqlite(template, assessment_dbs[run])
            return [python, "-m", "bouv_tui", "--db", str(assessment_dbs[run]),
                    "import", "assessments", str(assessments_csv), "--year", str(year)]  # fmt: skip

        def verify_assessment_import(run: int) -> str | None:
            try:
                found = assessment_count(assessment_dbs[run], round_id)
            except sqlite3.Error as exc:
                return f"the imported database could not be read: {exc}"
            finally:
                shutil.rmtree(assessment_dbs[run].parent, ignore_errors=True)  # 15 MB a run
            if found != levels:
                return f"the import left {found} assessments in round {year}, expected {levels}"
            return None

        exports = tmp / "exports"
        exports.mkdir()

        def prepare_export(fmt: str) -> Callable[[int], list[str]]:
            def prepare(run: int) -> list[str]:
                target = exports / f"inventering-{run + 1}.{fmt}"
                target.unlink(missing_ok=True)
                return [python, "-m", "bouv_tui", "--db", str(national), "export", "submission",
                        "--year", str(year), "--format", fmt, "--output", str(target)]  # fmt: skip

            return prepare

        # The plan's export gets its own copy: plan rows added here must not change what the
        # other benchmarks read.
        planned = tmp / "with-plan" / "national.sqlite"
        planned.parent.mkdir()
        copy_sqlite(national, planned)
        start = time.perf_counter()
        plan_note = ensure_plan(planned, year)
        print(f"Setup: plan {year}, {plan_note} ({time.perf_counter() - start:.1f} s)")
        notes.append(f"export plan: {plan_note}")

        def prepare_plan_export(run: int) -> list[str]:
            target = exports / f"utbildningsplan-{run + 1}.xlsx"
            target.unlink(missing_ok=True)
            return [python, "-m", "bouv_tui", "--db", str(planned), "export", "plan",
                    "--year", str(year), "--format", "xlsx", "--output", str(target)]  # fmt: skip

        def verify_plan_export(run: int) -> str | None:
            target = exports / f"utbildningsplan-{run + 1}.xlsx"
            if not target.is_file():
                return f"the export wrote no file at {target}"
            if not target.read_bytes().startswith(b"PK"):
                return "the XLSX export is not a zip file"
            return None

        def verify_export(fmt: str) -> Callable[[int], str | None]:
            def verify(run: int) -> str | None:
                target = exports / f"inventering-{run + 1}.{fmt}"
                if not target.is_file():
                    return f"the export wrote no file at {target}"
                data = target.read_bytes()
                if fmt == "json":
                    try:
                        document = json.loads(data)
                    except ValueError as exc:
                        return f"the export is not JSON: {exc}"
                    if document.get("redovisningsar") != year or "fraga_1" not in document:
                        return "the JSON export does not hold the year's submission"
                elif not data.startswith(b"PK"):
                    return "the XLSX export is not a zip file"
                return None

            return verify

        def prepare_finance_export(run: int) -> list[str]:
            target = exports / f"ekonomisk-redovisning-{run + 1}.json"
            target.unlink(missing_ok=True)
            return [python, "-m", "bouv_tui", "--db", str(national), "export", "finance",
                    "--year", str(year), "--format", "json", "--output", str(target)]  # fmt: skip

        def verify_finance_export(run: int) -> str | None:
            target = exports / f"ekonomisk-redovisning-{run + 1}.json"
            if not target.is_file():
                return f"the export wrote no file at {target}"
            try:
                document = json.loads(target.read_bytes())
            except ValueError as exc:
                return f"the export is not JSON: {exc}"
            if document.get("format") != "bouv-tui/ekonomisk-redovisning" or document.get("redovisningsar") != year:
                return "the JSON export does not hold the year's financial report"
            if not document.get("forbrukat"):
                return "the financial report has nothing used (forbrukat): the demo's budget is missing"
            return None

        benchmarks = [
            {
                "name": "import_staff_national",
                "title": f"import staff ({len(staff)} rows)",
                "target": 2.0,
                "baseline": Command('python -c "import sqlmodel"', lambda run: [python, "-c", "import sqlmodel"]),
                "measured": Command("bouv-tui --db fresh.sqlite import staff national.csv", prepare_import, verify_import),
            },
            {
                "name": "first_frame_national",
                "title": "first frame with roster",
                "target": 1.5,
                "baseline": Command("bare Textual app, first frame", lambda run: [python, str(FIRST_FRAME), "bare"]),
                "measured": Command(
                    "bouv-tui on the national db, roster rows shown",
                    lambda run: [python, str(FIRST_FRAME), "bouv", str(national)],
                ),
            },
            {
                "name": "import_assessments_national",
                "title": f"import assessments ({levels})",
                "target": 2.0,
                "baseline": Command('python -c "import sqlmodel"', lambda run: [python, "-c", "import sqlmodel"]),
                "measured": Command(
                    f"bouv-tui --db fresh.sqlite import assessments national_assessments.csv --year {year}",
                    prepare_assessment_import,
                    verify_assessment_import,
                ),
            },
            {
                "name": "first_frame_dashboard",
                "title": "first frame with dashboard",
                "target": 1.5,
                "baseline": Command("bare Textual app, first frame", lambda run: [python, str(FIRST_FRAME), "bare"]),
                "measured": Command(
                    "bouv-tui on the national db, default start, #dash-round shown",
                    lambda run: [python, str(FIRST_FRAME), "dashboard", str(national)],
                ),
            },
            {
                "name": "first_frame_plan",
                "title": "first frame with plan",
                "target": 1.5,
                "baseline": Command("bare Textual app, first frame", lambda run: [python, str(FIRST_FRAME), "bare"]),
                "measured": Command(
                    "bouv-tui on the national db, opened on Plan (F8), #plan-table with rows",
                    lambda run: [python, str(FIRST_FRAME), "plan", str(national)],
                ),
            },
            {
                "name": "first_frame_budget",
                "title": "first frame with budget",
                "target": 1.5,
                "baseline": Command("bare Textual app, first frame", lambda run: [python, str(FIRST_FRAME), "bare"]),
                "measured": Command(
                    "bouv-tui on the national db, opened on Budget (F9), #budget-table with rows",
                    lambda run: [python, str(FIRST_FRAME), "budget", str(national)],
                ),
            },
            {
                "name": "export_submission_json",
                "title": "export submission json",
                "target": 1.5,
                "baseline": Command('python -c "import sqlmodel"', lambda run: [python, "-c", "import sqlmodel"]),
                "measured": Command(
                    f"bouv-tui --db national.sqlite export submission --year {year} --format json",
                    prepare_export("json"),
                    verify_export("json"),
                ),
            },
            {
                "name": "export_submission_xlsx",
                "title": "export submission xlsx",
                "target": 2.0,
                "baseline": Command('python -c "import sqlmodel"', lambda run: [python, "-c", "import sqlmodel"]),
                "measured": Command(
                    f"bouv-tui --db national.sqlite export submission --year {year} --format xlsx",
                    prepare_export("xlsx"),
                    verify_export("xlsx"),
                ),
            },
            {
                "name": "export_plan_xlsx",
                "title": "export plan xlsx",
                "target": 2.0,
                "baseline": Command('python -c "import sqlmodel"', lambda run: [python, "-c", "import sqlmodel"]),
                "measured": Command(
                    f"bouv-tui --db with-plan/national.sqlite export plan --year {year} --format xlsx",
                    prepare_plan_export,
                    verify_plan_export,
                ),
            },
            {
                "name": "export_finance_json",
                "title": "export finance json",
                "target": 1.5,
                "baseline": Command('python -c "import sqlmodel"', lambda run: [python, "-c", "import sqlmodel"]),
                "measured": Command(
                    f"bouv-tui --db national.sqlite export finance --year {year} --format json",
                    prepare_finance_export,
                    verify_finance_export,
                ),
            },
            {
                "name": "keystroke_grid_p95",
                "title": "keystroke in grid, p95",
                "unit": "ms",
                "target_ms": KEYSTROKE_TARGET_MS,
                "runs": KEYSTROKE_RUNS,
                "metric": "key_to_paint_p95_ms",
                "measured": Command(
                    "keystrokes.py national.sqlite (g/f/s × 150 in the assessment grid)",
                    lambda run: [python, str(KEYSTROKES), str(national), "--presses", "50"],
                ),
            },
            {
                "name": "switch_sections_p95",
                "title": "switch section, p95",
                "unit": "ms",
                "target_ms": SWITCH_TARGET_MS,
                "runs": SWITCH_RUNS,
                "metric": "shown_p95_ms",
                "measured": Command(
                    "switch.py national.sqlite (F3 … F7, F2 × 10)",
                    lambda run: [python, str(SWITCH), str(national), "--rounds", "10"],
                ),
            },
            {
                "name": "plan_recompute_p95",
                "title": "plan figures after booking",
                "unit": "ms",
                "target_ms": PLAN_BOOKING_TARGET_MS,
                "runs": PLAN_BOOKING_RUNS,
                "metric": "recompute_p95_ms",
                "measured": Command(
                    "plan_booking.py national.sqlite (300 bookings, overview recomputed)",
                    lambda run: [python, str(PLAN_BOOKING), str(national), "--bookings", "300"],
                ),
            },
            {
                "name": "budget_whatif_p95",
                "title": "budget what-if toggle, p95",
                "unit": "ms",
                "target_ms": BUDGET_WHATIF_TARGET_MS,
                "runs": BUDGET_WHATIF_RUNS,
                "metric": "toggle_to_paint_p95_ms",
                "measured": Command(
                    "budget_whatif.py national.sqlite (200 toggles in what-if)",
                    lambda run: [python, str(BUDGET_WHATIF), str(national), "--toggles", "200"],
                ),
            },
        ]

        if args.only:
            unknown = set(args.only) - {b["name"] for b in benchmarks}
            if unknown:
                parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
            benchmarks = [b for b in benchmarks if b["name"] in args.only]
        results = []
        for bench in benchmarks:
            print(f"Measuring {bench['title']} …", flush=True)
            if bench.get("unit") == "ms":
                # An absolute figure: the median over runs of each run's p95 of the app's own
                # latency, from handling the key to the screen painted (no baseline, no warm-up).
                meas = measure(bench["measured"], bench["runs"], env, warm_up=False)
                value = meas.reported_median(bench["metric"])
                if meas.error is None and value is None:
                    meas.error = f"{bench['measured'].label} reported no {bench['metric']}"
                results.append(
                    {
                        "name": bench["name"],
                        "title": bench["title"],
                        "unit": "ms",
                        "target_ms": bench["target_ms"],
                        "value_ms": value,
                        "target_ratio": None,
                        "ratio": None,
                        "meets_target": None if value is None else value <= bench["target_ms"],
                        "baseline": None,
                        "measured": meas.as_json(),
                        "reported_runs": meas.reported,
                    }
                )
                continue
            base, meas = measure_pair(bench["baseline"], bench["measured"], args.repeat, env)
            ratio = meas.median / base.median if base.median and meas.median is not None else None
            results.append(
                {
                    "name": bench["name"],
                    "title": bench["title"],
                    "unit": "ratio",
                    "target_ratio": bench["target"],
                    "ratio": ratio,
                    "meets_target": None if ratio is None else ratio <= bench["target"],
                    "baseline": base.as_json(),
                    "measured": meas.as_json(),
                }
            )

    print()
    header = f"{'benchmark':<28} {'baseline s':>10} {'measured s':>10} {'ratio':>7} {'target':>7}  result"
    print(header)
    print("-" * len(header))
    for r in results:
        verdict = {True: "ok", False: "MISSED", None: "not available"}[r["meets_target"]]
        if r["unit"] == "ms":
            m = f"{r['value_ms']:.1f} ms" if r["value_ms"] is not None else "not available"
            target = f"≤ {r['target_ms']:g} ms"
            print(f"{r['title']:<28} {'—':>10} {m:>10} {'—':>7} {target:>7}  {verdict}")
            continue
        base, meas = r["baseline"], r["measured"]
        b = f"{base['median_s']:.3f}" if base["median_s"] is not None else "n/a"
        m = f"{meas['median_s']:.3f}" if meas["median_s"] is not None else "not available"
        ratio = f"{r['ratio']:.2f}×" if r["ratio"] is not None else "n/a"
        print(f"{r['title']:<28} {b:>10} {m:>10} {ratio:>7} {'≤' + format(r['target_ratio'], 'g') + '×':>7}  {verdict}")
    for r in results:
        if r["name"] == "switch_sections_p95":
            meas = r["measured"]
            if meas["error"] is None and meas.get("median_shown_p95_ms") is not None:
                runs = ", ".join(f"{x['shown_p95_ms']:.0f}" for x in r["reported_runs"])
                firsts = r["reported_runs"][0].get("first_visit_ms", {})
                print(
                    f"  {r['title']}: medians of {len(r['reported_runs'])} runs of {meas['median_n']:.0f} switches: "
                    f"shown p50 {meas['median_shown_p50_ms']:.1f} ms, p95 {meas['median_shown_p95_ms']:.1f} ms "
                    f"(runs: {runs}), max {meas['median_shown_max_ms']:.1f} ms; until its data is read "
                    f"p50 {meas['median_ready_p50_ms']:.1f} ms, p95 {meas['median_ready_p95_ms']:.1f} ms; "
                    "first visits (shown, read) in the first run: "
                    + ", ".join(f"{k} {v[0]:.0f}/{v[1]:.0f} ms" for k, v in firsts.items())
                )
            continue
        if r["name"] == "plan_recompute_p95":
            meas = r["measured"]
            if meas["error"] is None and meas.get("median_recompute_p95_ms") is not None:
                runs = ", ".join(f"{x['recompute_p95_ms']:.0f}" for x in r["reported_runs"])
                print(
                    f"  {r['title']}: medians of {len(r['reported_runs'])} runs of {meas['median_n']:.0f} bookings on "
                    f"{meas['median_trainings']:.0f} trainings, {meas['median_occasions']:.0f} occasions and "
                    f"{meas['median_participants']:.0f} participants: p50 {meas['median_recompute_p50_ms']:.1f} ms, "
                    f"p95 {meas['median_recompute_p95_ms']:.1f} ms (runs: {runs}), "
                    f"max {meas['median_recompute_max_ms']:.1f} ms; with the Plan made afresh from all its rows "
                    f"p50 {meas['median_rebuilt_p50_ms']:.1f} ms, p95 {meas['median_rebuilt_p95_ms']:.1f} ms; "
                    f"the first overview {meas['median_first_ms']:.1f} ms"
                )
            continue
        if r["name"] == "budget_whatif_p95":
            meas = r["measured"]
            if meas["error"] is None and meas.get("median_toggle_to_paint_p95_ms") is not None:
                runs = ", ".join(f"{x['toggle_to_paint_p95_ms']:.0f}" for x in r["reported_runs"])
                print(
                    f"  {r['title']}: medians of {len(r['reported_runs'])} runs of {meas['median_n']:.0f} toggles on "
                    f"{meas['median_lines']:.0f} expense lines ({meas['median_planned']:.0f} planned): toggle to "
                    f"screen painted p50 {meas['median_toggle_to_paint_p50_ms']:.1f} ms, "
                    f"p95 {meas['median_toggle_to_paint_p95_ms']:.1f} ms (runs: {runs}), "
                    f"max {meas['median_toggle_to_paint_max_ms']:.1f} ms; the screen's action alone "
                    f"p50 {meas['median_action_p50_ms']:.1f} ms, p95 {meas['median_action_p95_ms']:.1f} ms; "
                    f"through the pilot p50 {meas['median_pilot_p50_ms']:.1f} ms; the first toggle "
                    f"{meas['median_first_ms']:.1f} ms"
                    + ("; STOPPED EARLY at budget_whatif.py's time limit (fewer toggles than asked)"
                       if any(x.get("stopped_early") for x in r["reported_runs"]) else "")
                )
            continue
        if r["unit"] == "ms":
            meas = r["measured"]
            if meas["error"] is None and meas.get("median_p95_ms") is not None:
                runs = ", ".join(f"{x['key_to_paint_p95_ms']:.0f}" for x in r["reported_runs"])
                print(
                    f"  {r['title']}: medians of {len(r['reported_runs'])} runs of {meas['median_n']:.0f} keystrokes: "
                    f"key to screen painted p50 {meas['median_key_to_paint_p50_ms']:.1f} ms, "
                    f"p95 {meas['median_key_to_paint_p95_ms']:.1f} ms (runs: {runs}), "
                    f"max {meas['median_key_to_paint_max_ms']:.1f} ms; through the pilot (with its idle waits) "
                    f"p50 {meas['median_p50_ms']:.1f} ms, p95 {meas['median_p95_ms']:.1f} ms, "
                    f"max {meas['median_max_ms']:.1f} ms; CPU per keystroke p50 {meas['median_cpu_p50_ms']:.1f} ms, "
                    f"p95 {meas['median_cpu_p95_ms']:.1f} ms; the pilot's floor (a key that does nothing) "
                    f"{meas['median_floor_p50_ms']:.1f} ms"
                )
            continue
        inside = [
            f"{side} ready after {r[side]['median_ready_s']:.3f} s, app.run returned after {r[side]['median_exited_s']:.3f} s"
            for side in ("baseline", "measured")
            if r[side].get("median_ready_s") is not None
        ]
        if inside:
            print(f"  {r['title']} (inside the subprocess, from script start): " + "; ".join(inside))
    for r in results:
        for side in ("baseline", "measured"):
            if r[side] and r[side]["error"]:
                print(f"\n{r['title']} — {side} ({r[side]['label']}) not available:\n{r[side]['error']}")
    for note in notes:
        print(f"\nNote: {note}")

    args.output.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "machine": info,
        "repeat": args.repeat,
        "national_staff": NATIONAL_STAFF,
        "seed": NATIONAL_SEED,
        "demo_write_s": demo_seconds,
        "notes": notes,
        "results": results,
    }
    args.output.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nResults written to {args.output}")
    return 0 if all(r["meets_target"] is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())

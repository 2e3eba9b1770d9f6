"""Bulk writes for imports on the standard library's ``sqlite3``: no SQLAlchemy.

A roster or assessment import at national scale is a few thousand or tens of thousands
of rows written with ``executemany`` in one transaction: all of it is stored, or none.
The values are stored exactly as the SQLModel write path (``repo.py``) stores them (ISO
dates, 0/1, UTC timestamps as ``YYYY-MM-DD HH:MM:SS.ffffff``), and a broken rule or a
busy database is reported with the same Swedish messages.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from bouv_tui.domain import catalog
from bouv_tui.domain.assessment import Assessment, Round
from bouv_tui.domain.roster import StaffMember
from bouv_tui.store import db
from bouv_tui.store.db import StoreBusy, StoreError
from bouv_tui.store.read import STAFF_FIELDS

#: SQLite's words for a broken rule → what the user is told (shared with ``repo.py``).
CONSTRAINT_MESSAGES = (
    ("personal_id", "Det finns redan en person med samma personal-id."),
    ("assessment_level", "En bedömning har en okänd nivå (ska vara grundläggande, fördjupad eller saknar)."),
    ("assessment_area", "En bedömning gäller ett okänt kunskapsområde."),
    ("assessment_once", "Samma person har bedömts två gånger i samma område och omgång."),
    ("round_year", "Redovisningsåret ska vara mellan 2000 och 2100."),
    ("inventory_round.year", "Det finns redan en inventeringsomgång för det året."),
    ("staff_fte", "Sysselsättningsgraden ska vara 1–100 procent."),
    ("staff_role", "Okänd roll (ska vara handläggare, arbetsledare eller annan)."),
    ("FOREIGN KEY", "Uppgiften hänvisar till en person eller omgång som inte finns (längre)."),
)


def busy_error() -> StoreBusy:
    return StoreBusy(
        "Databasen är upptagen av ett annat fönster eller program och blev inte ledig "
        f"inom {db.BUSY_TIMEOUT_MS / 1000:g} sekunder. Ingenting sparades; försök igen."
    )


def integrity_error(message: str) -> StoreError:
    """A broken rule (SQLite's message) as the Swedish error the user sees."""
    for marker, swedish in CONSTRAINT_MESSAGES:
        if marker in message:
            return StoreError(f"{swedish} Ingenting sparades.")
    return StoreError(f"Uppgifterna bryter mot en regel i databasen ({message}). Ingenting sparades.")


def timestamp(now: datetime | None = None) -> str:
    """A UTC time as SQLAlchemy stores a ``DateTime`` in SQLite."""
    return (now or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M:%S.%f")


@contextmanager
def transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """One write transaction on a connection of its own, committed when the block ends and
    rolled back on any error. Waits for the write lock up to ``db.BUSY_TIMEOUT_MS``."""
    conn = db.connect(path)
    conn.isolation_level = None  # explicit BEGIN / COMMIT below
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except sqlite3.IntegrityError as exc:
            raise integrity_error(str(exc)) from exc
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise busy_error() from exc
            raise StoreError(f"Databasen kunde inte skrivas: {exc}. Ingenting sparades.") from exc
    finally:
        conn.close()


#: Rows written by one run of a multi-row INSERT: measured at national scale, a few hundred
#: rows a statement write 60 000 levels in about half the time ``executemany`` of one row does.
ROWS_PER_STATEMENT = 500


def insert_rows(conn: sqlite3.Connection, head: str, rows: Sequence[tuple], tail: str = "") -> None:
    """``head VALUES (…), (…), … tail`` for all ``rows``, up to ROWS_PER_STATEMENT rows (and
    no more parameters than SQLite takes) a statement, the same statement run for every
    full group: far fewer statement runs than ``executemany`` of one row."""
    if not rows:
        return
    width = len(rows[0])
    per = max(1, min(ROWS_PER_STATEMENT, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width))
    one = f"({', '.join('?' * width)})"

    def statement(count: int) -> str:
        return f"{head} VALUES {', '.join([one] * count)}{tail}"

    full = len(rows) // per * per
    if full:
        conn.executemany(statement(per), [[v for row in rows[k : k + per] for v in row] for k in range(0, full, per)])
    if full < len(rows):
        rest = rows[full:]
        conn.execute(statement(len(rest)), [v for row in rest for v in row])


@contextmanager
def checks_done_here(conn: sqlite3.Connection) -> Iterator[None]:
    """Statements prepared inside the block skip the tables' CHECK constraints.

    Only for rows whose values the caller has checked against the same rules first: SQLite
    builds a small table for every ``IN (…)`` list of a CHECK constraint for every row it
    writes, which at national scale costs more than the writing itself. NOT NULL, UNIQUE
    and foreign keys are still enforced by SQLite.
    """
    conn.execute("PRAGMA ignore_check_constraints = ON")
    try:
        yield
    finally:
        conn.execute("PRAGMA ignore_check_constraints = OFF")


# --- staff ------------------------------------------------------------------------------

#: The staff columns written, in order: those the read path reads, but the id (the time stamps are added).
STAFF_COLUMNS = tuple(f for f in STAFF_FIELDS if f != "id")

_INSERT_STAFF = (
    f"INSERT INTO staff ({', '.join(STAFF_COLUMNS)}, created_at, updated_at) "
    f"VALUES ({', '.join('?' * (len(STAFF_COLUMNS) + 2))})"
)
_UPDATE_STAFF = f"UPDATE staff SET {', '.join(f'{c} = ?' for c in STAFF_COLUMNS)}, updated_at = ? WHERE id = ?"


def _iso(value):
    return value.isoformat() if value is not None else None


def _staff_values(m: StaffMember) -> tuple:
    """A person's stored values in STAFF_COLUMNS order (kept flat: it runs per row)."""
    return (
        m.personal_id, m.name, m.role, m.unit, _iso(m.employed_from), _iso(m.employed_until),
        _iso(m.experience_from), int(m.social_work_degree), int(m.qualification_certificate), m.fte,
        m.employment_type, int(m.continuing_training), int(m.further_education), int(m.masters_degree),
        int(m.first_manager_job), int(m.needs_supervision_support),
    )  # fmt: skip


def save_staff(path: Path, adds: Sequence[StaffMember], updates: Iterable[StaffMember]) -> None:
    """Add and update people in one transaction (an import: no ids are returned).

    An update of a person who is no longer stored refuses the whole batch, as
    ``Repository.save_staff`` does.
    """
    updates = list(updates)
    stamp = timestamp()
    with transaction(path) as conn:
        if updates:
            stored = {row[0] for row in conn.execute("SELECT id FROM staff")}
            missing = next((m for m in updates if m.id not in stored), None)
            if missing is not None:
                raise StoreError(f"{missing.name} finns inte längre i registret. Ingenting sparades.")
            conn.executemany(_UPDATE_STAFF, [(*_staff_values(m), stamp, m.id) for m in updates])
        if adds:
            conn.executemany(_INSERT_STAFF, [(*_staff_values(m), stamp, stamp) for m in adds])


# --- assessments ------------------------------------------------------------------------

#: The values the assessment table's CHECK constraints allow (a test compares them with the schema).
LEVEL_CODES = frozenset(catalog.LEVELS.codes())
AREA_CODES = frozenset(catalog.AREAS.codes())

UPSERT_ASSESSMENT = (
    "INSERT INTO assessment (round_id, staff_id, area, level, assessed_on, carried_over, note, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (round_id, staff_id, area) DO UPDATE SET "
    "level = excluded.level, assessed_on = excluded.assessed_on, carried_over = excluded.carried_over, "
    "note = excluded.note, updated_at = excluded.updated_at"
)
_INSERT_ASSESSMENTS = (
    "INSERT INTO assessment (round_id, staff_id, area, level, assessed_on, carried_over, note, updated_at)"
)
_ON_CONFLICT = UPSERT_ASSESSMENT[UPSERT_ASSESSMENT.index(" ON CONFLICT") :]
_DELETE_ASSESSMENT = "DELETE FROM assessment WHERE round_id = ? AND staff_id = ? AND area = ?"


def import_assessments(
    path: Path, round_: Round, sets: Sequence[Assessment], clears: Iterable[tuple[int, str]] = ()
) -> Round:
    """Create the round if it has no id yet (nothing copied into it), then set and clear
    levels in it, all in one transaction; returns the round with its id.

    The same rules as ``Repository.import_assessments``: a round without an id whose year
    is stored by now (the file was checked against an older state) is refused, and so is
    a round with an id that is no longer stored. The last level given for a cell wins; a
    set level is no longer carried over.
    """
    stamp = timestamp()
    by_cell = {(a.staff_id, a.area): a for a in sets}  # the last word on a cell wins
    clears = list(dict.fromkeys(clears))
    with transaction(path) as conn:
        if round_.id is None:
            if conn.execute("SELECT 1 FROM inventory_round WHERE year = ?", (round_.year,)).fetchone():
                raise StoreError(f"Det finns redan en inventeringsomgång för {round_.year}. Ingenting sparades.")
            cursor = conn.execute(
                "INSERT INTO inventory_round (year, reference_date, created_at) VALUES (?, ?, ?)",
                (round_.year, round_.reference_date.isoformat(), stamp),
            )
            round_ = Round(round_.year, round_.reference_date, cursor.lastrowid)
        elif not conn.execute("SELECT 1 FROM inventory_round WHERE id = ?", (round_.id,)).fetchone():
            raise StoreError(f"Inventeringsomgången för {round_.year} finns inte längre. Ingenting sparades.")
        round_id = round_.id
        if clears:
            conn.executemany(_DELETE_ASSESSMENT, [(round_id, s, a) for s, a in clears])
        if by_cell:
            # The CHECK constraints' rules, checked here once instead of by SQLite for every row.
            if not {a.level for a in by_cell.values()} <= LEVEL_CODES:
                raise integrity_error("CHECK constraint failed: assessment_level")
            if not {a.area for a in by_cell.values()} <= AREA_CODES:
                raise integrity_error("CHECK constraint failed: assessment_area")
            iso = {on: _iso(on) for on in {a.assessed_on for a in by_cell.values()}}  # mostly one date
            rows = [
                (round_id, staff_id, area, level, iso[on], 1 if carried else 0, note or "", stamp)
                for staff_id, area, level, _round, on, carried, note in by_cell.values()
            ]  # fmt: skip
            with checks_done_here(conn):
                insert_rows(conn, _INSERT_ASSESSMENTS, rows, _ON_CONFLICT)
    return round_

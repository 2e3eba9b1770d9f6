"""The write path: one implementation of each write, on SQLAlchemy Core over the SQLModel
tables (``models.py``), each call one transaction: all of it is stored, or none.

The CLI, every screen and the demo write through here (through ``services.Workspace``,
on its one writer thread). Every transaction begins ``IMMEDIATE`` (``db.sqlalchemy_engine``):
what a write reads to decide — a row's version, the rows an import was planned against —
cannot change before it commits.

No silent overwrite: rows carry a ``version`` that every update raises. A save says which
version it was shown (``StaffMember.version``, ``Assessment.version``, or the values it
was shown); when the stored row is another, nothing is written and ``errors.Conflict``
says what differs, unless the caller saves again with ``force=True`` after asking the user.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from itertools import chain
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import and_, bindparam, delete, func, insert, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError

from bouv_tui.domain import catalog
from bouv_tui.domain.assessment import Assessment as AssessmentData
from bouv_tui.domain.assessment import Round
from bouv_tui.domain.needs import NeedChoice, OtherNeed
from bouv_tui.domain.roster import StaffMember
from bouv_tui.domain.settings import MunicipalitySettings
from bouv_tui.errors import ChangedValue, Conflict, StaleImport
from bouv_tui.store import db
from bouv_tui.store.db import StoreBusy, StoreError, sqlalchemy_engine
from bouv_tui.store.budget import BudgetWrites
from bouv_tui.store.plan_import import PlanImportWrites
from bouv_tui.store.plans import PlanWrites

#: SQLite's words for a broken rule → what the user is told.
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

#: The values the assessment table's CHECK constraints allow (a test compares them with the schema).
LEVEL_CODES = frozenset(catalog.LEVELS.codes())
AREA_CODES = frozenset(catalog.AREAS.codes())

#: Rows of one multi-row INSERT in a bulk write: measured at national scale, a few hundred
#: rows a statement write 60 000 levels in about half the time of ``executemany`` of one row.
ROWS_PER_STATEMENT = 500

#: The staff columns a save writes, in order (everything but the id, the version and the time stamps).
STAFF_COLUMNS = (
    "personal_id", "name", "role", "unit", "employed_from", "employed_until", "experience_from",
    "social_work_degree", "qualification_certificate", "fte", "employment_type", "continuing_training",
    "further_education", "masters_degree", "first_manager_job", "needs_supervision_support",
)  # fmt: skip

STALE_ROSTER = "Personalregistret har ändrats sedan filen lästes – kör importen igen. Ingenting sparades."
STALE_ROUND = "Bedömningarna eller personalen har ändrats sedan filen lästes – kör importen igen. Ingenting sparades."


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


def _table(name: str):
    """The SQLModel table ``name`` (``models.py``, the one description of the schema).

    The models are imported when a write first needs one: SQLModel (with pydantic) takes
    about a quarter of a second to import, and the bulk writes of an import — the columns
    in ``STAFF_COLUMNS`` and ``_ASSESSMENT_COLUMNS``, which a test compares with the models
    — go to the driver as they are and do not need it."""
    from sqlmodel import SQLModel

    from bouv_tui.store import models  # noqa: F401 - registers the tables

    return SQLModel.metadata.tables[name]


def load_tables() -> None:
    """Import the models now (the app does it in the background after start)."""
    _table("staff")


class Repository(BudgetWrites, PlanImportWrites, PlanWrites):
    """The write path to one database file (already opened with ``db.open_database``); the
    training plan's writes are in ``store/plans.py``."""

    def __init__(self, path: Path):
        self.path = path
        self.engine = sqlalchemy_engine(path)
        self._open = threading.local()  # the transaction open in this thread, if any

    def close(self) -> None:
        self.engine.dispose()

    def data_version(self) -> int:
        """SQLite's ``PRAGMA data_version`` on the write connection: it changes when another
        connection (another window or program) commits, and not for this one's own writes."""
        raw = self.engine.raw_connection()  # no SQLAlchemy transaction: that would BEGIN IMMEDIATE
        try:
            return raw.driver_connection.execute("PRAGMA data_version").fetchone()[0]
        finally:
            raw.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction (``BEGIN IMMEDIATE``); a call made while one is open in the same
        thread joins it, so that several writes can be made all or nothing together."""
        joined = getattr(self._open, "conn", None)
        if joined is not None:
            yield joined
            return
        try:
            with self.engine.begin() as conn:
                self._open.conn = conn
                try:
                    yield conn
                finally:
                    self._open.conn = None
        except OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise busy_error() from exc
            raise StoreError(f"Databasen kunde inte skrivas: {exc.orig}. Ingenting sparades.") from exc
        except IntegrityError as exc:
            raise integrity_error(str(exc.orig)) from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"Databasen kunde inte skrivas: {getattr(exc, 'orig', exc)}. Ingenting sparades.") from exc

    # --- settings -------------------------------------------------------------

    def save_settings(self, settings: MunicipalitySettings, *, shown: MunicipalitySettings | None = None,
                      force: bool = False) -> None:  # fmt: skip
        """Store the contact block. ``shown`` is what the form was opened with: when the stored
        settings differ from it (someone else saved meanwhile), nothing is written and
        ``Conflict`` lists what differs, unless ``force``."""
        table = _table("settings")
        values = {key: value.strip() for key, value in asdict(settings).items()}
        with self.transaction() as conn:
            row = conn.execute(select(*(table.c[k] for k in values)).where(table.c.id == 1)).first()
            stored = MunicipalitySettings(*row) if row is not None else MunicipalitySettings()
            if shown is not None and not force and stored != shown:
                changes = [
                    ChangedValue(SETTINGS_LABELS[f.name], getattr(shown, f.name), getattr(stored, f.name), values[f.name])
                    for f in fields(MunicipalitySettings)
                    if getattr(shown, f.name) != getattr(stored, f.name)
                ]
                raise Conflict(
                    "Kontaktuppgifterna har ändrats i ett annat fönster sedan du öppnade dem. Ingenting sparades.",
                    what="Inställningar", changes=changes,
                )  # fmt: skip
            now = datetime.now(timezone.utc)
            if row is None:
                conn.execute(insert(table).values(id=1, updated_at=now, version=1, **values))
            else:
                conn.execute(
                    update(table).where(table.c.id == 1).values(updated_at=now, version=table.c.version + 1, **values)
                )

    # --- staff ------------------------------------------------------------------

    def add_staff(self, member: StaffMember) -> StaffMember:
        return self.save_staff([member], [])[0]

    def update_staff(self, member: StaffMember, *, shown: StaffMember | None = None,
                     force: bool = False) -> StaffMember:  # fmt: skip
        """Save a stored person. ``shown`` is the person as the form showed them (by default
        ``member``): when the stored row is no longer at ``shown.version`` — someone else saved
        or removed them — nothing is written and ``Conflict`` lists what they changed, unless
        ``force`` (a removed person is refused even then). Returns the person at their new version."""
        if member.id is None:
            raise ValueError("update_staff needs a stored person")
        shown = shown or member
        table = _table("staff")
        with self.transaction() as conn:
            stored = conn.execute(select(table).where(table.c.id == member.id)).mappings().first()
            if stored is None:
                raise Conflict(
                    f"{member.name} har tagits bort ur registret i ett annat fönster. Ingenting sparades.",
                    what=member.name, removed=True,
                )  # fmt: skip
            if not force and shown.version and stored["version"] != shown.version:
                raise Conflict(
                    f"{member.name} har ändrats i ett annat fönster sedan du öppnade personen. Ingenting sparades.",
                    what=member.name, changes=_staff_changes(shown, stored, member),
                )  # fmt: skip
            self._update_staff_rows(conn, [member])
        return member.with_changes(version=stored["version"] + 1)

    def save_staff(self, adds: Sequence[StaffMember], updates: Iterable[StaffMember], *,
                   with_ids: bool = True) -> list[StaffMember]:  # fmt: skip
        """Add and update people in one transaction; returns the added people with their ids
        (or, with ``with_ids=False``, an empty list, which saves a bulk import the round trip).
        Updates are not version-checked here: a single person goes through ``update_staff``,
        an import through ``import_staff`` (which checks what it was planned against)."""
        updates = list(updates)
        with self.transaction() as conn:
            if updates:
                wanted = {m.id for m in updates}
                found = {row[0] for row in conn.exec_driver_sql("SELECT id FROM staff")} & wanted
                missing = next((m for m in updates if m.id not in found), None)
                if missing is not None:
                    raise StoreError(f"{missing.name} finns inte längre i registret. Ingenting sparades.")
                self._update_staff_rows(conn, updates)
            if not adds:
                return []
            if not with_ids:
                stamp = timestamp()
                rows = [(*_staff_values(m), stamp, stamp) for m in adds]
                _insert_rows(conn, "staff", (*STAFF_COLUMNS, "created_at", "updated_at"), rows)
                return []
            table = _table("staff")
            now = datetime.now(timezone.utc)
            statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            values = [{**{c: getattr(m, c) for c in STAFF_COLUMNS}, "created_at": now, "updated_at": now} for m in adds]
            ids = list(conn.execute(statement, values).scalars())
        return [m.with_changes(id=i, version=1) for m, i in zip(adds, ids)]

    def _update_staff_rows(self, conn: Connection, members: Sequence[StaffMember]) -> None:
        stamp = timestamp()
        sets = ", ".join(f"{c} = ?" for c in STAFF_COLUMNS)
        conn.exec_driver_sql(
            f"UPDATE staff SET {sets}, updated_at = ?, version = version + 1 WHERE id = ?",
            [(*_staff_values(m), stamp, m.id) for m in members],
        )

    def import_staff(self, adds: Sequence[StaffMember], updates: Iterable[StaffMember],
                     basis: Mapping[int, tuple[int, str]] | None) -> None:  # fmt: skip
        """An import's adds and updates, in one transaction, refused whole (``StaleImport``)
        when the roster is no longer what the import was planned against (``basis``, from
        :func:`roster_basis`): another window or program changed it since the file was read."""
        with self.transaction() as conn:
            if basis is not None:
                if _stored_roster(conn) != dict(basis):
                    raise StaleImport(STALE_ROSTER, what="Personalregistret")
            self.save_staff(adds, updates, with_ids=False)

    def delete_staff(self, staff_id: int, *, version: int = 0, force: bool = False) -> None:
        """Delete a person and, through foreign keys with ON DELETE CASCADE, all about them.
        Refused with ``Conflict`` when the person was changed since read at ``version``."""
        table = _table("staff")
        with self.transaction() as conn:
            stored = conn.execute(select(table).where(table.c.id == staff_id)).mappings().first()
            if stored is None:
                return
            if not force and version and stored["version"] != version:
                raise Conflict(
                    f"{stored['name']} har ändrats i ett annat fönster sedan du såg personen. Ingenting togs bort.",
                    what=stored["name"],
                )  # fmt: skip
            conn.execute(delete(table).where(table.c.id == staff_id))

    # --- rounds and assessments -------------------------------------------------------------

    def create_round(self, round_: Round, *, copy_from: int | None = None) -> Round:
        """A new round; with ``copy_from``, every level of that round is copied, marked as carried over."""
        table, assessments = _table("inventory_round"), _table("assessment")
        with self.transaction() as conn:
            if conn.execute(select(table.c.id).where(table.c.year == round_.year)).first():
                raise StoreError(f"Det finns redan en inventeringsomgång för {round_.year}. Ingenting sparades.")
            new_id = conn.execute(
                insert(table).returning(table.c.id),
                {"year": round_.year, "reference_date": round_.reference_date, "created_at": datetime.now(timezone.utc)},
            ).scalar_one()
            if copy_from is not None:
                if not conn.execute(select(table.c.id).where(table.c.id == copy_from)).first():
                    raise StoreError("Omgången att kopiera från finns inte längre. Ingenting sparades.")
                stamp = timestamp()
                source = select(
                    assessments.c.staff_id, assessments.c.area, assessments.c.level, assessments.c.assessed_on
                ).where(assessments.c.round_id == copy_from)
                rows = [(new_id, s, a, lv, on, 1, "", stamp) for s, a, lv, on in conn.execute(source)]
                _insert_rows(conn, "assessment", _ASSESSMENT_COLUMNS, rows)
        return Round(round_.year, round_.reference_date, new_id)

    def round_contents(self, round_id: int) -> RoundContents | None:
        """What is stored in a round (None: there is no such round)."""
        with self.transaction() as conn:
            return _round_contents(conn, round_id)

    def delete_round(self, round_id: int, *, counted: RoundContents | None = None) -> None:
        """Delete a round and, through its foreign keys (ON DELETE CASCADE), its levels, need
        scores, "Annat" rows and answers, in one transaction. ``counted`` is what the user was
        told would go: when the round holds anything else now (added, changed or removed since),
        nothing is deleted and ``Conflict`` lists what differs. A round already gone is no error."""
        with self.transaction() as conn:
            now = _round_contents(conn, round_id)
            if now is None:
                return
            if counted is not None and now != counted:
                raise Conflict(
                    f"Omgång {now.year} har ändrats i ett annat fönster sedan innehållet räknades. "
                    "Ingenting togs bort; titta på omgången och ta bort den igen om den ska bort.",
                    what=f"Omgång {now.year}", changes=_contents_changes(counted, now), removed=True,
                )  # fmt: skip
            conn.exec_driver_sql("DELETE FROM inventory_round WHERE id = ?", (round_id,))

    def save_assessments(self, round_id: int, sets: Sequence[AssessmentData],
                         clears: Iterable[tuple[int, str]] = (), *,
                         expected: Mapping[tuple[int, str], AssessmentData | None] | None = None,
                         force: bool = False) -> None:  # fmt: skip
        """Set levels (insert or replace; a set level is no longer carried over) and clear
        others, in one transaction; the last word on a cell wins.

        ``expected`` maps each cell to what the screen showed (the stored assessment it read,
        or None for an empty cell): when a cell is stored otherwise now, nothing is written
        and ``Conflict`` lists the cells, unless ``force``."""
        by_cell = {(a.staff_id, a.area): a for a in sets}
        clears = list(dict.fromkeys(clears))
        with self.transaction() as conn:
            if not conn.exec_driver_sql("SELECT 1 FROM inventory_round WHERE id = ?", (round_id,)).first():
                raise StoreError("Inventeringsomgången finns inte längre. Ingenting sparades.")
            if expected and not force:
                self._check_cells(conn, round_id, expected, by_cell)
            self._write_levels(conn, round_id, by_cell, clears)

    def _check_cells(self, conn: Connection, round_id: int, expected: Mapping, by_cell: Mapping) -> None:
        staff_ids = json.dumps(sorted({s for s, _a in expected}))
        rows = conn.exec_driver_sql(
            "SELECT staff_id, area, level, version FROM assessment "
            "WHERE round_id = ? AND staff_id IN (SELECT value FROM json_each(?))",
            (round_id, staff_ids),
        ).fetchall()
        stored = {(s, a): (lv, v) for s, a, lv, v in rows}
        changed = [
            cell for cell, shown in expected.items()
            if stored.get(cell) != (None if shown is None else (shown.level, shown.version))
        ]  # fmt: skip
        if changed:
            # The names only for the message: read when there is one.
            names = dict(conn.exec_driver_sql(
                "SELECT id, name FROM staff WHERE id IN (SELECT value FROM json_each(?))", (staff_ids,)
            ).fetchall())  # fmt: skip

            def label(assessment_or_level) -> str:
                level = getattr(assessment_or_level, "level", assessment_or_level)
                return catalog.LEVELS.label(level) if level is not None else "–"

            changes = [
                ChangedValue(f"{names.get(cell[0], cell[0])}: {catalog.AREAS.label(cell[1])}",
                             label(expected[cell]), label(stored.get(cell, (None,))[0]), label(by_cell.get(cell)))
                for cell in changed
            ]  # fmt: skip
            raise Conflict(
                "Bedömningen har ändrats i ett annat fönster eller av en import sedan den visades. Ingenting sparades.",
                what="Bedömning", changes=changes,
            )  # fmt: skip

    def _write_levels(self, conn: Connection, round_id: int, by_cell: Mapping, clears: Sequence) -> None:
        if clears:
            conn.exec_driver_sql(
                "DELETE FROM assessment WHERE round_id = ? AND staff_id = ? AND area = ?",
                [(round_id, s, a) for s, a in clears],
            )
        if not by_cell:
            return
        # The CHECK constraints' rules, checked here once instead of by SQLite for every row.
        if not {a.level for a in by_cell.values()} <= LEVEL_CODES:
            raise integrity_error("CHECK constraint failed: assessment_level")
        if not {a.area for a in by_cell.values()} <= AREA_CODES:
            raise integrity_error("CHECK constraint failed: assessment_area")
        stamp = timestamp()
        iso = {on: _iso(on) for on in {a.assessed_on for a in by_cell.values()}}  # mostly one date
        rows = [
            (round_id, a.staff_id, a.area, a.level, iso[a.assessed_on], 1 if a.carried_over else 0, a.note or "", stamp)
            for a in by_cell.values()
        ]  # fmt: skip
        _insert_rows(conn, "assessment", _ASSESSMENT_COLUMNS, rows, _ASSESSMENT_UPSERT, skip_checks=True)

    def confirm_carried_over(self, round_id: int, staff_id: int | None = None) -> int:
        """Confirm carried-over levels (of one person, or all); returns how many."""
        table = _table("assessment")
        condition = and_(table.c.round_id == round_id, table.c.carried_over.is_(True))
        if staff_id is not None:
            condition = and_(condition, table.c.staff_id == staff_id)
        with self.transaction() as conn:
            result = conn.execute(
                update(table).where(condition).values(
                    carried_over=False, updated_at=datetime.now(timezone.utc), version=table.c.version + 1
                )
            )
        return result.rowcount

    def import_assessments(self, round_: Round, sets: Sequence[AssessmentData],
                           clears: Iterable[tuple[int, str]] = (), *,
                           basis: tuple[Mapping, Mapping] | None = None) -> Round:  # fmt: skip
        """Create the round if it has no id yet (nothing copied) and set and clear levels in it,
        all in one transaction: when the levels can't be saved, the round isn't created either.
        Returns the round with its id.

        ``basis`` is what the import was planned against (:func:`roster_basis` of the roster,
        :func:`levels_basis` of the round's stored levels): when either changed since, the
        import is refused whole (``StaleImport``). A round without an id whose year is stored
        by now is refused the same way, as ``create_round`` refuses a second round for a year.
        """
        by_cell = {(a.staff_id, a.area): a for a in sets}
        clears = list(dict.fromkeys(clears))
        with self.transaction() as conn:
            if basis is not None:
                roster, levels = basis
                if _stored_roster(conn) != dict(roster):
                    raise StaleImport(STALE_ROUND, what="Bedömning")
                if round_.id is not None:
                    stored = conn.exec_driver_sql(
                        "SELECT staff_id, area, level, version, carried_over FROM assessment WHERE round_id = ?",
                        (round_.id,),
                    ).fetchall()
                    if {(s, a): (lv, v, bool(c)) for s, a, lv, v, c in stored} != dict(levels):
                        raise StaleImport(STALE_ROUND, what="Bedömning")
            if round_.id is None:
                if conn.exec_driver_sql("SELECT 1 FROM inventory_round WHERE year = ?", (round_.year,)).first():
                    raise StaleImport(
                        f"Det finns redan en inventeringsomgång för {round_.year} (den skapades efter att filen "
                        "lästes) – kör importen igen. Ingenting sparades.",
                        what="Bedömning",
                    )  # fmt: skip
                round_ = self.create_round(round_)
            elif not conn.exec_driver_sql("SELECT 1 FROM inventory_round WHERE id = ?", (round_.id,)).first():
                raise StoreError(f"Inventeringsomgången för {round_.year} finns inte längre. Ingenting sparades.")
            self._write_levels(conn, round_.id, by_cell, clears)
        return round_

    # --- needs and the questionnaire ----------------------------------------------------------

    def save_need_choices(self, round_id: int, choices: Sequence[NeedChoice],
                          clears: Iterable[tuple[str, str]] = (), *,
                          shown: Sequence[NeedChoice] | None = None, force: bool = False) -> None:  # fmt: skip
        """Set need scores (insert or replace) and clear others ((group, area) back to the
        suggestion), in one transaction. ``shown`` is the round's stored choices as the screen
        read them: when a (group, area) being saved is stored otherwise now, nothing is
        written and ``Conflict`` says so, unless ``force``."""
        table = _table("need_score")
        keys = list(dict.fromkeys([(c.group, c.area) for c in choices] + list(clears)))
        with self.transaction() as conn:
            if shown is not None and not force:
                now_rows = conn.execute(
                    select(table.c.grp, table.c.area, table.c.score, table.c.reason, table.c.suggested)
                    .where(table.c.round_id == round_id)
                ).all()  # fmt: skip
                stored = {(g, a): NeedChoice(g, a, s, r or "", sg) for g, a, s, r, sg in now_rows}
                before = {(c.group, c.area): c for c in shown}
                mine = {(c.group, c.area): c for c in choices}
                changes = [
                    ChangedValue(
                        f"{catalog.AREAS.label(a)} ({'handläggare' if g == 'handlaggare' else 'arbetsledare'})",
                        _score(before.get((g, a))), _score(stored.get((g, a))), _score(mine.get((g, a))),
                    )
                    for g, a in keys
                    if stored.get((g, a)) != before.get((g, a))
                ]  # fmt: skip
                if changes:
                    raise Conflict(
                        "Behovet har ändrats i ett annat fönster sedan det visades. Ingenting sparades.",
                        what="Behov", changes=changes,
                    )  # fmt: skip
            versions = dict(
                ((g, a), v)
                for g, a, v in conn.execute(
                    select(table.c.grp, table.c.area, table.c.version).where(table.c.round_id == round_id)
                )
            )
            if keys:
                conn.execute(
                    delete(table).where(
                        and_(table.c.round_id == round_id, table.c.grp == bindparam("g"), table.c.area == bindparam("a"))
                    ),
                    [{"g": g, "a": a} for g, a in keys],
                )
            if choices:
                now = datetime.now(timezone.utc)
                conn.execute(
                    insert(table),
                    [
                        {"round_id": round_id, "grp": c.group, "area": c.area, "score": c.score, "reason": c.reason,
                         "suggested": c.suggested, "updated_at": now, "version": versions.get((c.group, c.area), 0) + 1}
                        for c in {(c.group, c.area): c for c in choices}.values()
                    ],
                )  # fmt: skip

    def save_need_others(self, round_id: int, group: str, others: Sequence[OtherNeed], *,
                         shown: Sequence[OtherNeed] | None = None, force: bool = False) -> None:  # fmt: skip
        """Replace the "Annat" rows of one group in one round; refused with ``Conflict`` when
        they are no longer the ``shown`` ones, unless ``force``."""
        table = _table("need_other")
        with self.transaction() as conn:
            if shown is not None and not force:
                stored = [
                    OtherNeed(g, p, lb, s)
                    for g, p, lb, s in conn.execute(
                        select(table.c.grp, table.c.position, table.c.label, table.c.score)
                        .where(and_(table.c.round_id == round_id, table.c.grp == group))
                        .order_by(table.c.position)
                    )
                ]  # fmt: skip
                if stored != sorted((o for o in shown if o.group == group), key=lambda o: o.position):
                    raise Conflict(
                        "Raderna ”Annat” har ändrats i ett annat fönster sedan de visades. Ingenting sparades.",
                        what="Behov", changes=[ChangedValue("Annat", _others(shown), _others(stored), _others(others))],
                    )  # fmt: skip
            version = conn.execute(
                select(func.coalesce(func.max(table.c.version), 0)).where(
                    and_(table.c.round_id == round_id, table.c.grp == group)
                )
            ).scalar_one()
            conn.execute(delete(table).where(and_(table.c.round_id == round_id, table.c.grp == group)))
            if others:
                now = datetime.now(timezone.utc)
                conn.execute(
                    insert(table),
                    [
                        {"round_id": round_id, "grp": group, "position": o.position, "label": o.label,
                         "score": o.score, "updated_at": now, "version": version + 1}
                        for o in others
                    ],
                )  # fmt: skip

    def save_answers(self, round_id: int, answers: dict, *, shown: Mapping | None = None,
                     force: bool = False) -> None:  # fmt: skip
        """Store questionnaire answers (question key → value, already cleaned), replacing what
        was stored for those questions. ``shown`` is the stored answers the screen read (key →
        value): a question being saved whose stored answer is another now is not overwritten
        (``Conflict``), unless ``force``."""
        table = _table("form_answer")
        if not answers:
            return
        with self.transaction() as conn:
            stored = {
                q: (json.loads(v), ver)
                for q, v, ver in conn.execute(
                    select(table.c.question, table.c.value, table.c.version).where(table.c.round_id == round_id)
                )
            }
            if shown is not None and not force:
                changes = [
                    ChangedValue(f"Fråga {key.removeprefix('fraga_')}", _answer(key, shown.get(key)),
                                 _answer(key, stored[key][0]), _answer(key, answers[key]))
                    for key in answers
                    if key in stored and stored[key][0] != shown.get(key) and stored[key][0] != answers[key]
                ]  # fmt: skip
                if changes:
                    raise Conflict(
                        "Svaren har ändrats i ett annat fönster sedan de visades. Ingenting sparades.",
                        what="Frågor", changes=changes,
                    )  # fmt: skip
            changed = {k: v for k, v in answers.items() if k not in stored or stored[k][0] != v}
            if not changed:
                return
            conn.execute(
                delete(table).where(and_(table.c.round_id == round_id, table.c.question == bindparam("q"))),
                [{"q": key} for key in changed],
            )
            now = datetime.now(timezone.utc)
            conn.execute(
                insert(table),
                [
                    {"round_id": round_id, "question": key, "value": json.dumps(value, ensure_ascii=False),
                     "updated_at": now, "version": stored.get(key, (None, 0))[1] + 1}
                    for key, value in changed.items()
                ],
            )  # fmt: skip


# --- a round's contents, counted before it is deleted ----------------------------------------------


@dataclass(frozen=True)
class RoundContents:
    """What a round holds: the counts a deletion asks about, and a stamp of every row's
    version and time (a level changed in place changes the stamp, not the counts)."""

    round_id: int
    year: int
    levels: int
    need_scores: int
    others: int
    answers: int
    stamp: tuple = ()

    @property
    def total(self) -> int:
        return self.levels + self.need_scores + self.others + self.answers


#: The tables that hang on a round, by RoundContents field.
_ROUND_TABLES = (("levels", "assessment"), ("need_scores", "need_score"), ("others", "need_other"),
                 ("answers", "form_answer"))  # fmt: skip
_CONTENT_LABELS = {"levels": "Nivåer", "need_scores": "Valda behov", "others": "Rader ”Annat”",
                   "answers": "Svar på frågorna"}  # fmt: skip


def _round_contents(conn: Connection, round_id: int) -> RoundContents | None:
    row = conn.exec_driver_sql("SELECT year FROM inventory_round WHERE id = ?", (round_id,)).first()
    if row is None:
        return None
    counts, stamp = {}, []
    for field_name, table in _ROUND_TABLES:
        n, versions, latest = conn.exec_driver_sql(
            f"SELECT count(*), coalesce(sum(version), 0), max(updated_at) FROM {table} WHERE round_id = ?",
            (round_id,),
        ).one()
        counts[field_name] = n
        stamp.append((versions, latest))
    return RoundContents(round_id, row[0], stamp=tuple(stamp), **counts)


def _contents_changes(counted: RoundContents, now: RoundContents) -> list[ChangedValue]:
    changes = [
        ChangedValue(label, str(getattr(counted, name)), str(getattr(now, name)), "tas bort")
        for name, label in _CONTENT_LABELS.items()
        if getattr(counted, name) != getattr(now, name)
    ]
    return changes or [ChangedValue("Ändrade rader", "–", "ändrade sedan", "tas bort")]


def _stored_roster(conn: Connection) -> dict[int, tuple[int, str]]:
    """The stored roster in the form of ``basis.roster_basis``: id → (version, name)."""
    return {i: (v, n) for i, v, n in conn.exec_driver_sql("SELECT id, version, name FROM staff")}


# --- bulk rows: a few hundred a statement ------------------------------------------------------------

_ASSESSMENT_COLUMNS = ("round_id", "staff_id", "area", "level", "assessed_on", "carried_over", "note", "updated_at")
_ASSESSMENT_UPSERT = (
    " ON CONFLICT (round_id, staff_id, area) DO UPDATE SET level = excluded.level, "
    "assessed_on = excluded.assessed_on, carried_over = excluded.carried_over, note = excluded.note, "
    "updated_at = excluded.updated_at, version = assessment.version + 1"
)


def _insert_rows(conn: Connection, table: str, columns: Sequence[str], rows: Sequence[tuple], tail: str = "",
                 *, skip_checks: bool = False) -> None:  # fmt: skip
    """``INSERT INTO table (columns) VALUES (…), (…), … tail`` for all ``rows``, up to
    ROWS_PER_STATEMENT rows (and no more parameters than the database takes) a statement,
    the same statement run for every full group: far fewer statement runs than
    ``executemany`` of one row. The values are already as stored (ISO dates, 0/1, UTC time
    stamps), so they go to the driver as they are: at national scale (60 000 levels)
    SQLAlchemy's per-value type processing would cost more than the writing itself.

    ``skip_checks``: the rows' values were checked against the table's CHECK rules by the
    caller, and SQLite need not check them again row by row (it builds a small table for
    every ``IN (…)`` list of a CHECK for every row it writes). NOT NULL, UNIQUE and foreign
    keys are still enforced.
    """
    if not rows:
        return
    width = len(columns)
    raw = conn.connection.driver_connection
    limit = raw.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(ROWS_PER_STATEMENT, limit // width))
    one = f"({', '.join('?' * width)})"
    head = f"INSERT INTO {table} ({', '.join(columns)})"

    def statement(count: int) -> str:
        return f"{head} VALUES {', '.join([one] * count)}{tail}"

    if skip_checks:
        conn.exec_driver_sql("PRAGMA ignore_check_constraints = ON")
    try:
        flat = chain.from_iterable
        full = len(rows) // per * per
        if full:
            conn.exec_driver_sql(statement(per), [tuple(flat(rows[k : k + per])) for k in range(0, full, per)])
        if full < len(rows):
            conn.exec_driver_sql(statement(len(rows) - full), tuple(flat(rows[full:])))
    finally:
        if skip_checks:
            conn.exec_driver_sql("PRAGMA ignore_check_constraints = OFF")


SETTINGS_LABELS = {
    "kommunkod": "Kommunkod", "kommun": "Kommun", "contact_name": "Uppgiftslämnare", "email": "E-post",
    "phone": "Telefon",
}  # fmt: skip

#: The Swedish names of a person's columns, for the values a conflict shows.
STAFF_LABELS = {
    "personal_id": "Personal-id", "name": "Namn", "role": "Roll", "unit": "Enhet",
    "employed_from": "Anställd från", "employed_until": "Anställd till", "experience_from": "Erfarenhet från",
    "social_work_degree": "Socionomexamen", "qualification_certificate": "Behörighetsintyg",
    "fte": "Sysselsättningsgrad", "employment_type": "Anställningsform", "continuing_training": "Fortbildning",
    "further_education": "Vidareutbildning", "masters_degree": "Magister/master",
    "first_manager_job": "Första chefsjobbet", "needs_supervision_support": "Behöver handledningsstöd",
}  # fmt: skip


def _staff_changes(shown: StaffMember, stored: Mapping, mine: StaffMember) -> list[ChangedValue]:
    """The columns someone else changed: stored now otherwise than ``shown``."""
    from bouv_tui.store.read import STAFF_FIELDS, member_from_row

    now = member_from_row(tuple(stored[f] for f in STAFF_FIELDS))
    return [
        ChangedValue(label, _shown(getattr(shown, name)), _shown(getattr(now, name)), _shown(getattr(mine, name)))
        for name, label in STAFF_LABELS.items()
        if getattr(now, name) != getattr(shown, name)
    ]


def _shown(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def _score(choice: NeedChoice | None) -> str:
    return "förslaget" if choice is None else str(choice.score)


def _others(rows: Sequence[OtherNeed]) -> str:
    return "; ".join(f"{o.label} ({o.score if o.score is not None else '–'})" for o in rows) or "inga"


def _answer(key: str, value) -> str:
    """A stored answer as a person reads it: its options' labels and texts, or "obesvarad"."""
    from bouv_tui.domain.questionnaire import BY_KEY

    question = BY_KEY.get(key)

    def shown(v) -> str:
        if isinstance(v, dict):
            parts = [shown(x) for x in v.values()]
            return "; ".join(p for p in parts if p != "obesvarad") or "obesvarad"
        if v is None or v == [] or v == "":
            return "obesvarad"
        if isinstance(v, list):
            return ", ".join(shown(x) for x in v)
        if isinstance(v, bool):
            return "ja" if v else "nej"
        if question is not None and isinstance(v, str) and v in question.options.codes():
            return question.options.label(v)
        return str(v)

    return shown(value)

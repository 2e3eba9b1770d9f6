"""Writes through SQLModel, each call one transaction: all of it is stored, or none."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import and_, bindparam, delete, insert, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, select

from bouv_tui.domain.assessment import Assessment as AssessmentData
from bouv_tui.domain.assessment import Round
from bouv_tui.domain.needs import NeedChoice, OtherNeed
from bouv_tui.domain.roster import StaffMember
from bouv_tui.domain.settings import MunicipalitySettings
from bouv_tui.store.db import StoreError, sqlalchemy_engine
from bouv_tui.store.models import Assessment, FormAnswer, InventoryRound, NeedOther, NeedScore, Settings, Staff
from bouv_tui.store.read import STAFF_FIELDS
from bouv_tui.store.write import UPSERT_ASSESSMENT, busy_error, integrity_error, timestamp


class Repository:
    """The write path to one database file (already opened with ``db.open_database``)."""

    def __init__(self, path: Path):
        self.path = path
        self.engine = sqlalchemy_engine(path)
        self._open = threading.local()  # the transaction open in this thread, if any

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self):
        """One transaction; a call made while one is open in the same thread joins it, so
        that several writes can be made all or nothing together."""
        joined = getattr(self._open, "session", None)
        if joined is not None:
            yield joined
            return
        try:
            with Session(self.engine) as session, session.begin():
                self._open.session = session
                try:
                    yield session
                finally:
                    self._open.session = None
        except OperationalError as exc:
            if "locked" in str(exc):
                raise busy_error() from exc
            raise StoreError(f"Databasen kunde inte skrivas: {exc.orig}. Ingenting sparades.") from exc
        except IntegrityError as exc:
            raise integrity_error(str(exc.orig)) from exc

    # --- settings -------------------------------------------------------------

    def save_settings(self, settings: MunicipalitySettings) -> None:
        with self.transaction() as session:
            row = session.get(Settings, 1) or Settings(id=1)
            for key, value in asdict(settings).items():
                setattr(row, key, value.strip())
            row.updated_at = datetime.now(timezone.utc)
            session.add(row)

    # --- staff ------------------------------------------------------------------

    def add_staff(self, member: StaffMember) -> StaffMember:
        return self.save_staff([member], [])[0]

    def update_staff(self, member: StaffMember) -> StaffMember:
        if member.id is None:
            raise ValueError("update_staff needs a stored person")
        self.save_staff([], [member])
        return member

    def save_staff(
        self, adds: Sequence[StaffMember], updates: Iterable[StaffMember], *, with_ids: bool = True
    ) -> list[StaffMember]:
        """Add and update people in one transaction; returns the added people with their ids
        (or, with ``with_ids=False``, an empty list, which saves a bulk import the round trip).

        Uses Core executemany statements (INSERT … RETURNING in parameter order, UPDATE by
        primary key): a national roster is a few batched statements, not an ORM object per
        person (the ORM bulk path with RETURNING runs one statement per row on SQLite).
        """
        now = datetime.now(timezone.utc)
        updates = list(updates)
        table = Staff.__table__
        with self.transaction() as session:
            conn = session.connection()
            if updates:
                wanted = {m.id for m in updates}
                found = set(conn.execute(select(table.c.id).where(table.c.id.in_(wanted))).scalars())
                missing = [m for m in updates if m.id not in found]
                if missing:
                    raise StoreError(f"{missing[0].name} finns inte längre i registret. Ingenting sparades.")
                statement = update(table).where(table.c.id == bindparam("staff_id"))
                conn.execute(statement, [{**_values(m), "staff_id": m.id, "updated_at": now} for m in updates])
            ids: list[int] = []
            if adds:
                rows = [{**_values(m), "created_at": now, "updated_at": now} for m in adds]
                if not with_ids:
                    conn.execute(insert(table), rows)
                    return []
                statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
                ids = list(conn.execute(statement, rows).scalars())
        return [m.with_changes(id=i) for m, i in zip(adds, ids)]

    def delete_staff(self, staff_id: int) -> None:
        """Delete a person and, through foreign keys with ON DELETE CASCADE, all about them."""
        with self.transaction() as session:
            row = session.get(Staff, staff_id)
            if row is not None:
                session.delete(row)

    # --- rounds and assessments -------------------------------------------------------------

    def create_round(self, round_: Round, *, copy_from: int | None = None) -> Round:
        """A new round; with ``copy_from``, every level of that round is copied, marked as carried over."""
        table, assessments = InventoryRound.__table__, Assessment.__table__
        with self.transaction() as session:
            conn = session.connection()
            if conn.execute(select(table.c.id).where(table.c.year == round_.year)).first():
                raise StoreError(f"Det finns redan en inventeringsomgång för {round_.year}. Ingenting sparades.")
            new_id = conn.execute(
                insert(table).returning(table.c.id),
                {"year": round_.year, "reference_date": round_.reference_date, "created_at": datetime.now(timezone.utc)},
            ).scalar_one()
            if copy_from is not None:
                if not conn.execute(select(table.c.id).where(table.c.id == copy_from)).first():
                    raise StoreError("Omgången att kopiera från finns inte längre. Ingenting sparades.")
                source = select(
                    assessments.c.staff_id, assessments.c.area, assessments.c.level, assessments.c.assessed_on
                ).where(assessments.c.round_id == copy_from)
                rows = [
                    {"round_id": new_id, "staff_id": s, "area": a, "level": lv, "assessed_on": on, "carried_over": True}
                    for s, a, lv, on in conn.execute(source)
                ]
                if rows:
                    conn.execute(insert(assessments), rows)
        return Round(round_.year, round_.reference_date, new_id)

    def save_assessments(
        self, round_id: int, sets: Sequence[AssessmentData], clears: Iterable[tuple[int, str]] = ()
    ) -> None:
        """Set levels (insert or replace; a set level is no longer carried over) and clear
        others, in one transaction."""
        table = Assessment.__table__
        now = datetime.now(timezone.utc)
        sets = list({(a.staff_id, a.area): a for a in sets}.values())  # the last word on a cell wins
        clears = list(dict.fromkeys(clears))
        with self.transaction() as session:
            conn = session.connection()
            if clears:
                statement = delete(table).where(
                    and_(table.c.round_id == round_id, table.c.staff_id == bindparam("s"), table.c.area == bindparam("a"))
                )
                conn.execute(statement, [{"s": s, "a": a} for s, a in clears])
            if sets:
                # One upsert for all of them: insert, or replace the level where the cell is set.
                # Plain parameters through the driver: at national scale (60 000 levels) SQLAlchemy's
                # per-value type processing would cost more than the writing itself. The values
                # are stored exactly as the ORM stores them (ISO dates, 0/1, UTC timestamps).
                stamp = timestamp(now)
                conn.exec_driver_sql(
                    UPSERT_ASSESSMENT,
                    [
                        (round_id, a.staff_id, a.area, a.level, a.assessed_on.isoformat() if a.assessed_on else None,
                         int(bool(a.carried_over)), a.note or "", stamp)
                        for a in sets
                    ],
                )  # fmt: skip

    def confirm_carried_over(self, round_id: int, staff_id: int | None = None) -> int:
        """Confirm carried-over levels (of one person, or all); returns how many."""
        table = Assessment.__table__
        condition = and_(table.c.round_id == round_id, table.c.carried_over.is_(True))
        if staff_id is not None:
            condition = and_(condition, table.c.staff_id == staff_id)
        with self.transaction() as session:
            result = session.connection().execute(
                update(table).where(condition).values(carried_over=False, updated_at=datetime.now(timezone.utc))
            )
        return result.rowcount

    # --- needs and the questionnaire ----------------------------------------------------------

    def save_need_choices(self, round_id: int, choices: Sequence[NeedChoice], clears: Iterable[tuple[str, str]] = ()) -> None:
        """Set need scores (insert or replace) and clear others ((group, area) back to the
        suggestion), in one transaction."""
        table = NeedScore.__table__
        now = datetime.now(timezone.utc)
        with self.transaction() as session:
            conn = session.connection()
            keys = [(c.group, c.area) for c in choices] + list(clears)
            if keys:
                conn.execute(
                    delete(table).where(
                        and_(table.c.round_id == round_id, table.c.grp == bindparam("g"), table.c.area == bindparam("a"))
                    ),
                    [{"g": g, "a": a} for g, a in dict.fromkeys(keys)],
                )
            if choices:
                conn.execute(
                    insert(table),
                    [
                        {"round_id": round_id, "grp": c.group, "area": c.area, "score": c.score, "reason": c.reason,
                         "suggested": c.suggested, "updated_at": now}
                        for c in {(c.group, c.area): c for c in choices}.values()
                    ],
                )  # fmt: skip

    def save_need_others(self, round_id: int, group: str, others: Sequence[OtherNeed]) -> None:
        """Replace the "Annat" rows of one group in one round."""
        table = NeedOther.__table__
        now = datetime.now(timezone.utc)
        with self.transaction() as session:
            conn = session.connection()
            conn.execute(delete(table).where(and_(table.c.round_id == round_id, table.c.grp == group)))
            if others:
                conn.execute(
                    insert(table),
                    [
                        {"round_id": round_id, "grp": group, "position": o.position, "label": o.label,
                         "score": o.score, "updated_at": now}
                        for o in others
                    ],
                )  # fmt: skip

    def save_answers(self, round_id: int, answers: dict) -> None:
        """Store questionnaire answers (question key → value, already cleaned), replacing
        what was stored for those questions."""
        import json

        table = FormAnswer.__table__
        now = datetime.now(timezone.utc)
        with self.transaction() as session:
            conn = session.connection()
            if answers:
                conn.execute(
                    delete(table).where(and_(table.c.round_id == round_id, table.c.question == bindparam("q"))),
                    [{"q": key} for key in answers],
                )
                conn.execute(
                    insert(table),
                    [
                        {"round_id": round_id, "question": key, "value": json.dumps(value, ensure_ascii=False),
                         "updated_at": now}
                        for key, value in answers.items()
                    ],
                )  # fmt: skip

    def staff_ids(self) -> list[int]:
        with Session(self.engine) as session:
            return list(session.exec(select(Staff.id)))

    def import_assessments(
        self, round_: Round, sets: Sequence[AssessmentData], clears: Iterable[tuple[int, str]] = ()
    ) -> Round:
        """Create the round if it has no id yet (nothing copied) and set and clear levels in it,
        all in one transaction: when the levels can't be saved, the round isn't created either.
        Returns the round with its id.

        Runs :meth:`create_round` and :meth:`save_assessments` inside this one transaction
        (their ``self.transaction()`` joins it). A round
        without an id whose year is already stored means the import was checked against an
        older state: it is refused, as ``create_round`` refuses a second round for a year.
        """
        with self.transaction() as session:
            if round_.id is None:
                round_ = self.create_round(round_)
            elif session.get(InventoryRound, round_.id) is None:
                raise StoreError(
                    f"Inventeringsomgången för {round_.year} finns inte längre. Ingenting sparades."
                )
            self.save_assessments(round_.id, sets, clears)
        return round_


_WRITTEN = tuple(name for name in STAFF_FIELDS if name != "id")


def _values(member: StaffMember) -> dict:
    return {name: getattr(member, name) for name in _WRITTEN}

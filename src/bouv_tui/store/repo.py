"""Writes through SQLModel, each call one transaction: all of it is stored, or none."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import bindparam, insert, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, select

from bouv_tui.domain.roster import StaffMember
from bouv_tui.domain.settings import MunicipalitySettings
from bouv_tui.store import db
from bouv_tui.store.db import StoreBusy, StoreError, sqlalchemy_engine
from bouv_tui.store.models import Settings, Staff
from bouv_tui.store.read import STAFF_FIELDS


class Repository:
    """The write path to one database file (already opened with ``db.open_database``)."""

    def __init__(self, path: Path):
        self.path = path
        self.engine = sqlalchemy_engine(path)

    def close(self) -> None:
        self.engine.dispose()

    @contextmanager
    def transaction(self):
        try:
            with Session(self.engine) as session, session.begin():
                yield session
        except OperationalError as exc:
            if "locked" in str(exc):
                raise StoreBusy(
                    "Databasen är upptagen av ett annat fönster eller program och blev inte ledig "
                    f"inom {db.BUSY_TIMEOUT_MS / 1000:g} sekunder. Ingenting sparades; försök igen."
                ) from exc
            raise StoreError(f"Databasen kunde inte skrivas: {exc.orig}. Ingenting sparades.") from exc
        except IntegrityError as exc:
            message = str(exc.orig)
            if "personal_id" in message:
                raise StoreError("Det finns redan en person med samma personal-id. Ingenting sparades.") from exc
            raise StoreError(f"Uppgifterna bryter mot en regel i databasen ({message}). Ingenting sparades.") from exc

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

    def staff_ids(self) -> list[int]:
        with Session(self.engine) as session:
            return list(session.exec(select(Staff.id)))


_WRITTEN = tuple(name for name in STAFF_FIELDS if name != "id")


def _values(member: StaffMember) -> dict:
    return {name: getattr(member, name) for name in _WRITTEN}

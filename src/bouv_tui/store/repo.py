"""Writes through SQLModel, each call one transaction: all of it is stored, or none."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

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

    def save_staff(self, adds: Sequence[StaffMember], updates: Iterable[StaffMember]) -> list[StaffMember]:
        """Add and update people in one transaction; returns the added people with their ids."""
        now = datetime.now(timezone.utc)
        added: list[Staff] = []
        with self.transaction() as session:
            for member in updates:
                row = session.get(Staff, member.id)
                if row is None:
                    raise StoreError(f"{member.name} finns inte längre i registret. Ingenting sparades.")
                _copy_into(row, member)
                row.updated_at = now
                session.add(row)
            for member in adds:
                row = Staff(created_at=now, updated_at=now)
                _copy_into(row, member)
                session.add(row)
                added.append(row)
            session.flush()
            ids = [row.id for row in added]
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


def _copy_into(row: Staff, member: StaffMember) -> None:
    for name in STAFF_FIELDS:
        if name != "id":
            setattr(row, name, getattr(member, name))

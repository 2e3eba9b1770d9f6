"""Helpers the store's tests share (imported by name: pytest puts this folder on the path)."""

from __future__ import annotations

import stat
from pathlib import Path

from bouv_tui.domain.roster import StaffMember
from bouv_tui.store.repo import Repository


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def add_people(path: Path, count: int, prefix: str = "Person") -> None:
    repository = Repository(path)
    try:
        repository.save_staff(
            [StaffMember(name=f"{prefix} {i:03d}", role="handlaggare", personal_id=f"{prefix}-{i}") for i in range(count)],
            [],
        )
    finally:
        repository.close()



def alembic(path: Path, direction: str, revision: str) -> None:
    """``alembic upgrade|downgrade REVISION`` on the database at ``path`` (as ``db.migrate`` runs it)."""
    from alembic import command
    from alembic.config import Config

    from bouv_tui.store import db

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(db.__file__).parent / "migrations"))
    engine = db.sqlalchemy_engine(path)
    try:
        with engine.begin() as connection:
            cfg.attributes["connection"] = connection
            getattr(command, direction)(cfg, revision)
    finally:
        engine.dispose()

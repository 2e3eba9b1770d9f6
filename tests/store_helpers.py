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

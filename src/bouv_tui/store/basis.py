"""What an import was planned against, to tell at write time whether it still holds.

Pure functions over what the read path returned (no SQL here, so a dry run does not load
the write path): ``repo.import_staff`` and ``repo.import_assessments`` compare them with
what is stored inside their write transaction, and refuse the import when they differ.
"""

from __future__ import annotations

from collections.abc import Iterable

from bouv_tui.domain.assessment import Assessment
from bouv_tui.domain.roster import StaffMember


def roster_basis(staff: Iterable[StaffMember]) -> dict[int, tuple[int, str]]:
    """Each stored person's version and name (the name too, since a removed person's id
    can be given to a new one)."""
    return {m.id: (m.version, m.name) for m in staff if m.id is not None}


def levels_basis(existing: Iterable[Assessment]) -> dict[tuple[int, str], tuple[str, int, bool]]:
    """Each stored cell's level, version and carried-over flag (the level too: a cleared
    and set again cell starts at version 1 again)."""
    return {(a.staff_id, a.area): (a.level, a.version, bool(a.carried_over)) for a in existing}


def training_basis(plans, staff_ids: Iterable[int] = ()) -> tuple:
    """The stored plans (year → ``domain.plan.Plan``) a training import was planned against:
    the years, each training's year, name and version, each occasion's training and version,
    each booking's status, and the staff ids it books (they must still be there)."""
    trainings, occasions, participants = {}, {}, {}
    for year, plan in plans.items():
        for t in plan.trainings:
            trainings[t.id] = (year, t.name, t.version)
        for o in plan.occasions:
            occasions[o.id] = (o.training_id, o.version)
        for p in plan.participants:
            participants[p.occasion_id, p.staff_id] = p.status
    return frozenset(plans), trainings, occasions, participants, frozenset(staff_ids)

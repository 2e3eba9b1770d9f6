"""The training import's write (``bouv-tui import trainings``): every training, occasion and
booking of a checked file in ONE transaction, through the plan's own writes
(``store.plans.PlanWrites``: ``save_training``, ``save_occasion``), which join it. A failure
anywhere, or a plan no longer true of the stored rows, writes nothing."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timezone

from sqlalchemy import insert, select

from bouv_tui.errors import StaleImport
from bouv_tui.store.plans import _tables

STALE_PLAN = (
    "Utbildningsplanen eller personalregistret har ändrats sedan filen lästes – kör importen igen. "
    "Ingenting sparades."
)


class PlanImportWrites:
    """Mixed into ``store.repo.Repository`` (``self.transaction()``, ``save_training``, ``save_occasion``)."""

    def import_trainings(self, trainings: Iterable, basis=None) -> None:
        """Store ``trainings`` (``exchange.training_import.TrainingItem``\\ s: a training as it
        is to be stored and the stored one it was planned against, or None; its occasions
        likewise, each with the staff ids to book and their status), all or nothing.

        Refused whole (``StaleImport``) when the stored plan of the file's years, or the people
        it books, are no longer what ``basis`` (``store.basis.training_basis``) says."""
        _, _, _, participants = _tables()
        items = list(trainings)
        with self.transaction() as conn:
            if basis is not None and _stored_basis(conn, basis) != basis:
                raise StaleImport(STALE_PLAN, what="Utbildningsplanen")
            now = datetime.now(timezone.utc)
            for item in items:
                training = item.training
                if item.shown is None:
                    training = self.save_training(training)
                elif item.changed:
                    training = self.save_training(training, shown=item.shown)
                for occ in item.occasions:
                    occasion = replace(occ.occasion, training_id=training.id)
                    if occ.shown is None:
                        occasion = self.save_occasion(occasion)
                    elif occ.changed:
                        occasion = self.save_occasion(occasion, shown=occ.shown)
                    if occ.book:
                        conn.execute(
                            insert(participants),
                            [{"occasion_id": occasion.id, "staff_id": staff_id, "status": occ.status,
                              "completed": False, "version": 1, "updated_at": now} for staff_id in occ.book],
                        )  # fmt: skip


def _stored_basis(conn, basis) -> tuple:
    """What ``training_basis`` says of the rows as they are stored now (read in the write's
    transaction): the years and the staff ids that ``basis`` names."""
    from bouv_tui.store.repo import _table

    training, _, occasion, participant = _tables()
    staff = _table("staff")
    years, _, _, _, staff_ids = basis
    trainings = {
        r.id: (r.year, r.name, r.version)
        for r in conn.execute(select(training.c.id, training.c.year, training.c.name, training.c.version)
                              .where(training.c.year.in_(sorted(years))))
    }  # fmt: skip
    occasions = {
        r.id: (r.training_id, r.version)
        for r in conn.execute(select(occasion.c.id, occasion.c.training_id, occasion.c.version)
                              .where(occasion.c.training_id.in_(list(trainings))))
    }  # fmt: skip
    participants = {
        (r.occasion_id, r.staff_id): r.status
        for r in conn.execute(select(participant.c.occasion_id, participant.c.staff_id, participant.c.status)
                              .where(participant.c.occasion_id.in_(list(occasions))))
    }  # fmt: skip
    present = frozenset(r.id for r in conn.execute(select(staff.c.id).where(staff.c.id.in_(sorted(staff_ids)))))
    return years, trainings, occasions, participants, present

"""The assessment's service: the rounds (create, what deleting one takes, delete), the levels
of a round, carried-over levels confirmed, and the assessment import.

Which round a section shows is the core's rule (``WorkspaceCore.round_to_show``)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from bouv_tui.services.roster import RosterSection
from bouv_tui.store import db, read

if TYPE_CHECKING:
    from bouv_tui.domain.assessment import Assessment, Round


class AssessmentImportOutcome(NamedTuple):
    round: Round  # with its id
    set: int
    cleared: int
    unchanged: int
    created_round: bool


class AssessmentSection(RosterSection):  # an import checks its rows against the roster
    # --- reads --------------------------------------------------------------------

    def assessments(self, round_id: int) -> list[Assessment]:
        return read.read_assessments(self.path, round_id)

    # --- rounds -----------------------------------------------------------------------

    def create_round(self, round_: Round, *, copy_from: int | None = None) -> Round:
        return self.write(lambda repo: repo.create_round(round_, copy_from=copy_from))

    def round_contents(self, round_id: int):
        """What deleting the round would take with it (``repo.RoundContents``: levels, need
        scores, "Annat" rows, answers), counted on the writer thread."""
        return self.write(lambda repo: repo.round_contents(round_id))

    def delete_round(self, round_id: int, *, counted=None) -> list[Round]:
        """Delete a round and everything in it, in one transaction; refused with ``Conflict``
        when its contents are no longer ``counted`` (what the user was asked about). Returns
        the rounds left. A backup is taken first (when the file changed since the last one), so
        that the deletion can be undone with ``bouv-tui restore``."""

        def delete(repo):
            db.make_backup(self.path)
            repo.delete_round(round_id, counted=counted)

        self.write(delete)
        return self.rounds()

    # --- levels -----------------------------------------------------------------------

    def save_levels(self, round_id: int, sets, clears=(), *, expected=None, force: bool = False) -> None:
        """Set and clear levels in one transaction; ``expected``: each cell as the screen showed
        it (its stored assessment, or None), so a cell someone else changed is not overwritten."""
        self.write(lambda repo: repo.save_assessments(round_id, list(sets), list(clears), expected=expected, force=force))

    def confirm_carried_over(self, round_id: int, staff_id: int | None = None) -> int:
        return self.write(lambda repo: repo.confirm_carried_over(round_id, staff_id))

    # --- import -------------------------------------------------------------------------

    def plan_assessment_import(self, file: Path, year: int, today: date | None = None):
        """Read and check an assessment file for the round of ``year``: the stored round, or
        a new one (``Round.for_year``, reference date 31 December) that applying creates."""
        from bouv_tui.domain.assessment import Round
        from bouv_tui.exchange.assessment_import import plan_assessment_import, read_assessment_table
        from bouv_tui.store.basis import levels_basis, roster_basis

        table = read_assessment_table(file)
        round_ = self.round_for_year(year) or Round.for_year(year)
        existing = self.assessments(round_.id) if round_.id is not None else []
        staff = self.staff()
        plan = plan_assessment_import(table, staff, existing, round_, today or date.today())
        plan.basis = (roster_basis(staff), levels_basis(existing))
        return plan

    def apply_assessment_import(self, plan) -> AssessmentImportOutcome:
        """Store a checked plan in one transaction, creating its round first if needed (nothing
        copied into it). A plan with errors is refused whole."""
        if not plan.ok:
            raise ValueError("an import plan with errors cannot be applied")
        stored = self.write(lambda repo: repo.import_assessments(plan.round, plan.sets, plan.clears, basis=plan.basis))
        return AssessmentImportOutcome(stored, len(plan.sets), len(plan.clears), plan.unchanged, plan.new_round)

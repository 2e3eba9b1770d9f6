"""What the CLI and the TUI both call, in one place: open, read, import, export, write.

One module a section, each a class over the shared core, and ``Workspace`` all of them:

- ``workspace``: ``WorkspaceCore``, the open file, its write path and its one writer thread
  (``write``, ``changed_elsewhere``), the settings, and which round a section shows;
- ``dashboard``: the start screen's figures;
- ``roster``: the staff, a person saved or deleted, the staff import and export;
- ``assessment``: the rounds, their levels, the assessment import;
- ``needs``: the need scores and "Annat" rows of a round;
- ``plan``: the training plan's trainings, occasions and bookings, and need against plan;
- ``submission``: the questionnaire's answers, the submission built, checked and exported;
- ``exports``: what every export shares (its default name, the check of its target).

A new section (the training plan, the budget) is a module with a ``WorkspaceCore`` subclass
(or a subclass of the sections it reads, as ``NeedsSection`` reads the roster) and one more
base of ``Workspace`` below. Callers import from here only: ``from bouv_tui.services import …``.

No silent overwrite: a save says what it was shown (a version, or the values), and the
store refuses with ``errors.Conflict`` when someone else changed the row since; the caller
asks the user and saves again with ``force=True``.
"""

from __future__ import annotations

from bouv_tui.services.assessment import AssessmentImportOutcome, AssessmentSection
from bouv_tui.services.budget import BudgetSection
from bouv_tui.services.dashboard import DashboardSection
from bouv_tui.services.exports import check_export_target, default_export_name, default_export_stem
from bouv_tui.services.needs import NeedsSection
from bouv_tui.services.plan import PLAN_EXPORT_KIND, PLAN_FORMATS, PlanSection
from bouv_tui.services.roster import EXPORT_FORMATS, ImportOutcome, RosterSection
from bouv_tui.services.submission import SUBMISSION_FORMATS, SubmissionExport, SubmissionSection
from bouv_tui.services.workspace import WorkspaceCore, preload_write_path

__all__ = [
    "EXPORT_FORMATS", "PLAN_EXPORT_KIND", "PLAN_FORMATS", "SUBMISSION_FORMATS", "AssessmentImportOutcome", "ImportOutcome", "SubmissionExport",
    "Workspace", "WorkspaceCore", "check_export_target", "default_export_name", "default_export_stem",
    "preload_write_path",
]  # fmt: skip


class Workspace(DashboardSection, SubmissionSection, BudgetSection, PlanSection, NeedsSection, AssessmentSection, RosterSection):
    """One open database file, its write path and its one writer thread, with every
    section's service (``WorkspaceCore`` and the sections' classes)."""

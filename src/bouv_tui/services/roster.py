"""The roster's service: the staff, one person's save and deletion, the staff import and export."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import NamedTuple

from bouv_tui.domain.roster import StaffMember
from bouv_tui.exchange.formats import STAFF
from bouv_tui.services.exports import check_export_target
from bouv_tui.services.workspace import WorkspaceCore
from bouv_tui.store import db, read

#: The roster's export formats (``exchange.formats.STAFF``).
EXPORT_FORMATS = STAFF.names


class ImportOutcome(NamedTuple):  # not a dataclass: cheaper to import on the start path
    added: int
    updated: int
    unchanged: int


class RosterSection(WorkspaceCore):
    # --- reads --------------------------------------------------------------------

    def staff(self) -> list[StaffMember]:
        return read.read_staff(self.path)

    def first_page(self, on: date, size: int, *, include_left: bool = False) -> list[StaffMember]:
        return read.read_first_page(self.path, on, size, include_left=include_left)

    # --- writes ---------------------------------------------------------------------

    def save_person(self, member: StaffMember, *, shown: StaffMember | None = None,
                    force: bool = False) -> StaffMember:  # fmt: skip
        """Add a person (no id) or save a stored one (``shown``: the person as the form showed
        them; ``Conflict`` when someone changed them since). Returns them as stored."""
        if member.id is None:
            return self.write(lambda repo: repo.add_staff(member))
        return self.write(lambda repo: repo.update_staff(member, shown=shown, force=force))

    def delete_person(self, member: StaffMember, *, force: bool = False) -> None:
        """Delete a person and all about them (``Conflict`` when changed since ``member.version``),
        after a backup of the file (when it changed since the last one): ``bouv-tui restore``
        brings them back."""

        def delete(repo):
            db.make_backup(self.path)
            repo.delete_staff(member.id, version=member.version, force=force)

        self.write(delete)

    # --- import / export -------------------------------------------------------

    def plan_staff_import(self, file: Path, today: date | None = None):
        from bouv_tui.exchange.staff_import import plan_staff_import, read_table
        from bouv_tui.store.basis import roster_basis

        table = read_table(file)
        staff = self.staff()
        plan = plan_staff_import(table, staff, today or date.today())
        plan.basis = roster_basis(staff)
        return plan

    def apply_staff_import(self, plan) -> ImportOutcome:
        """Store a checked plan in one transaction. A plan with errors is refused whole, and so
        is one whose roster changed since it was planned (``errors.StaleImport``)."""
        if not plan.ok:
            raise ValueError("an import plan with errors cannot be applied")
        self.write(lambda repo: repo.import_staff(plan.adds, [new for _old, new in plan.updates], plan.basis))
        return ImportOutcome(len(plan.adds), len(plan.updates), plan.unchanged)

    def export_staff(self, fmt: str, target: Path, today: date | None = None, *,
                     replace_readonly: bool = False) -> Path:  # fmt: skip
        """Write the roster as ``fmt`` (one of ``EXPORT_FORMATS``; else ``FormatError``) at
        ``target`` through the one export path (``exchange.atomic.write_export``):
        ``ExportError`` with a Swedish message when it cannot; a read-only file is replaced
        only with ``replace_readonly``."""
        from bouv_tui.exchange import staff_export

        STAFF.check(fmt, target)
        check_export_target(target, replace_readonly=replace_readonly)  # before reading the roster
        writer = staff_export.export_staff_csv if fmt == "csv" else staff_export.export_staff_xlsx
        writer(self.staff(), target, today or date.today(), replace_readonly=replace_readonly)
        return target

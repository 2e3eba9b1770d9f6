"""The preview of an expense file (F9): what the import will do before anything is written."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from bouv_tui import fmt
from bouv_tui.domain import budget as rules
from bouv_tui.domain import catalog
from bouv_tui.tui.dialogs.exchange import PreviewDialog
from bouv_tui.tui.widgets.table import Table


class ExpenseImportPreview(PreviewDialog):
    """Every row of the file as a new expense, a planned line turned into spent, or skipped
    (its voucher is there already); every row error and every warning. Confirmed only when the
    file has no errors."""

    def __init__(self, file_name: str, plan) -> None:
        super().__init__(f"Import av utgifter från {file_name}", plan)

    def summary(self) -> str:
        return self._plan.summary() + "."

    def compose_details(self) -> ComposeResult:
        from textual.widgets import TabbedContent, TabPane

        plan = self._plan
        if plan.ok and plan.nothing_to_do:
            yield Static("Allt i filen finns redan (samma verifikation): importen ändrar ingenting.")
        with TabbedContent(initial="tab-errors" if plan.errors else "tab-rows", id="preview-tabs"):
            with TabPane(f"Fel ({len(plan.errors)})", id="tab-errors"):
                yield from super().compose_details()
            with TabPane("Rader", id="tab-rows"):
                yield Table(id="preview-rows", cursor_type="row", zebra_stripes=True)
            if plan.warnings:
                with TabPane(f"Varningar ({len(plan.warnings)})", id="tab-warnings"):
                    yield Table(id="preview-warnings", cursor_type="row", zebra_stripes=True)

    def fill_details(self) -> None:
        plan = self._plan
        table = self.query_one("#preview-rows", Table)
        table.add_columns("Rad", "Datum", "Belopp", "Kostnadstyp", "Vad")
        found = [(row, e, "ny") for row, e in zip(plan.add_rows, plan.adds)]
        found += [(row, new, f"{rules.EXPENSE_STATUSES.label(old.status).lower()} rad blir "
                             f"{rules.EXPENSE_STATUSES.label(new.status).lower()}")
                  for row, (old, new) in zip(plan.update_rows, plan.updates)]  # fmt: skip
        rows = [
            (str(row), e.day.isoformat(), fmt.number(e.amount), catalog.COST_TYPES.label(e.cost_type), what)
            for row, e, what in sorted(found, key=lambda item: item[0])
        ]
        rows += [(str(row), "", "", "", "finns redan (samma verifikation)") for row in plan.skipped_rows]
        table.add_rows(rows)
        if plan.warnings:
            warnings = self.query_one("#preview-warnings", Table)
            warnings.add_columns("Rad", "Kolumn", "Varning")
            warnings.add_rows([(str(w.row), w.column or "", w.message) for w in plan.warnings])

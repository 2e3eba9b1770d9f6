"""The start screen's service: its figures, counted in SQL, and counted ahead while the UI
is imported (``prefetch_dashboard``)."""

from __future__ import annotations

from datetime import date

from bouv_tui.services.workspace import WorkspaceCore, in_background
from bouv_tui.store import read


class DashboardSection(WorkspaceCore):
    def prefetch_dashboard(self, today: date) -> None:
        """Start counting the start screen's figures in a background thread, so that the
        count (SQLite, which lets other Python code run meanwhile) overlaps with importing
        and building the UI. The next ``dashboard(today)`` takes the result, once; anything
        that writes before then discards it."""
        from bouv_tui.domain import dashboard as _dash  # noqa: F401 - imported here, not in the thread

        self._prefetch = (today, in_background("bouv-tui: start screen", lambda: self._count_dashboard(today)))

    def dashboard(self, today: date, year: int | None = None):
        """The start screen's figures for the round of ``year`` (by default, or when there is no
        such round, ``current_round``), counted in SQL rather than by reading every person and
        level of the round (tens of thousands at national scale): the first frame waits for it."""
        prefetch, self._prefetch = self._prefetch, None
        if prefetch is not None and prefetch[0] == today:
            counted = prefetch[1].result()
            if year is None or (counted.round is not None and counted.round.year == year):
                return counted
        return self._count_dashboard(today) if year is None else self._count_dashboard(today, year)

    def _count_dashboard(self, today: date, year: int | None = None):
        from bouv_tui.domain import dashboard as dash

        rounds, round_ = self.round_to_show(year, today)
        staff = read.read_staff_counts(self.path, today, **dash.staff_count_rules(today))
        counts, form = self._round_progress(round_)
        return dash.build_dashboard_from_counts(self.settings(), staff, rounds, counts, today, form, shown=round_)

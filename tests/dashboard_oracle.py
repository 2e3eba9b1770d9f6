"""The start screen built the slow way, from every person and every level: the oracle that
``tests/test_dashboard_fast.py`` checks ``domain.dashboard.build_dashboard_from_counts``
(what the app uses, from the store's aggregates) against. A rule kept only as a test's
oracle lives with the tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from bouv_tui.domain import catalog
from bouv_tui.domain.assessment import Assessment, Round, people_in_round
from bouv_tui.domain.dashboard import (
    ROUND_AREAS,
    Dashboard,
    FormProgress,
    NextStep,
    _first_steps,
    _with_round,
    current_round,
)
from bouv_tui.domain.grid import RoundGrid
from bouv_tui.domain.roster import StaffMember, roster_figures
from bouv_tui.domain.settings import MunicipalitySettings


def build_dashboard(
    settings: MunicipalitySettings,
    staff: Sequence[StaffMember],
    rounds: Sequence[Round],
    assessments: Sequence[Assessment],
    today: date,
    form: FormProgress | None = None,
) -> Dashboard:
    """``assessments`` are those of ``current_round(rounds, today)``, and ``form`` that round's
    needs and answers (no steps about them without it)."""
    figures = roster_figures(staff, today)
    round_ = current_round(rounds, today)
    steps = _first_steps(settings, bool(staff), figures)
    if round_ is None:
        if staff:
            steps.append(NextStep(f"Starta inventeringsomgången för {today.year}", "F4, sedan n"))
        return Dashboard(settings, figures, None, steps=tuple(steps))

    # One pass over the round's assessments (tens of thousands at national scale).
    grid = RoundGrid(round_, people_in_round(staff, round_), assessments)
    done, expected = grid.completeness()
    carried = sum(grid.progress(p.id).carried_over for p in grid.people)
    profiles = {area: grid.profile(area, catalog.CASEWORKER) for area in grid.areas(catalog.CASEWORKER)}
    roles = {role: sum(p.role == role for p in grid.people) for role in ROUND_AREAS}
    return _with_round(settings, figures, round_, steps, today, done, expected, grid.unassessed_people(),
                       carried, profiles, roles, form)  # fmt: skip

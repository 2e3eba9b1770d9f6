"""The plan's service (``services/plan.py``) on the demo's roster and round: writes on the
writer thread, and the overview of need against plan from what is stored."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bouv_tui.domain import catalog
from bouv_tui.domain import plan as p
from bouv_tui.domain.needs import NeedChoice
from bouv_tui.domain.plan import Occasion, Training
from bouv_tui.services import Workspace


@pytest.fixture
def ws(demo_db):
    workspace = Workspace(demo_db)
    yield workspace
    workspace.close()


def test_the_overview_finds_who_lacks_competence_and_has_no_seat(ws):
    for training in ws.plan(2026).trainings:  # the demo's own plan out: the figures below are this test's
        ws.delete_training(training.id)
    round_ = ws.round_for_year(2026)
    levels = {(a.staff_id, a.area): a.level for a in ws.read_levels(round_.id)}
    caseworkers = [s for s in ws.staff() if s.role == catalog.CASEWORKER and s.is_active(round_.reference_date)]
    lacking = sorted(s.id for s in caseworkers if levels.get((s.id, "utredning")) == "saknar")
    assert len(lacking) >= 2, "the demo should have caseworkers lacking competence in utredning"
    ws.save_need_choices(round_.id, [NeedChoice("handlaggare", "utredning", 5)])
    course = ws.save_training(Training("Utredning fördjupning", p.TRAINING, 2026, ("utredning",), provider="FoU Väst",
                                       provider_type="fou", extent=3, extent_unit=p.DAYS))  # fmt: skip
    occasion = ws.save_occasion(Occasion(course.id, date(2026, 4, 1), date(2026, 4, 3), seats=10))
    assert ws.book(occasion.id, lacking[:1]).ok

    plan, overview = ws.plan_overview(2026)
    assert [t.name for t in plan.trainings] == ["Utredning fördjupning"]
    row = next(r for r in overview.by_group[p.CASEWORKERS] if r.area == "utredning")
    assert (row.need, row.lacking, row.planned, row.ongoing, row.done) == (5, len(lacking), 1, 0, 0)
    assert sorted(row.uncovered) == lacking[1:]  # the one booked is covered
    assert [(q.area, q.training, q.participants) for q in overview.question_21] == [
        ("utredning", "Utredning fördjupning", 1)
    ]
    assert overview.totals == p.Totals(1, 1, 1, 1)
    leaders = {r.area for r in overview.by_group[p.LEADERS]}
    assert {"ledarskap", "grupprocesser"} <= leaders


def test_writes_go_through_the_writer_and_conflicts_reach_the_caller(ws, other):
    from bouv_tui.errors import Conflict

    course = ws.save_training(Training("Handledning", p.SUPPORT, 2026, ("samtal",)))
    other.save_training(replace(course, provider="Någon"))
    with pytest.raises(Conflict):
        ws.save_training(replace(course, name="Handledning grupp"), shown=course)
    before = len(ws.plan(2026).trainings)
    ws.delete_training(course.id)
    after = ws.plan(2026).trainings
    assert len(after) == before - 1 and course.id not in {t.id for t in after}


def test_a_year_without_a_round_still_counts_the_bookings(ws):
    course = ws.save_training(Training("Introduktion", p.TRAINING, 2030, ("regelverk",), tags=(p.INTRODUCTION,)))
    occasion = ws.save_occasion(Occasion(course.id, date(2030, 2, 1), date(2030, 2, 1)))
    someone = ws.staff()[0]
    ws.book(occasion.id, [someone.id])
    plan, overview = ws.plan_overview(2030)
    assert overview.totals.people == 1
    assert all(r.need is None and r.lacking == 0 for rows in overview.by_group.values() for r in rows)


def test_the_first_view_is_the_plan_without_the_round_and_the_whole_view_follows(ws):
    first, whole = ws.plan_first_view(2026), ws.plan_view(2026)
    assert not first.complete and whole.complete
    assert first.plan.trainings == whole.plan.trainings and first.plan.participants == whole.plan.participants
    assert first.overview.totals == whole.overview.totals  # the totals need only the plan
    assert first.people == () and len(first.levels) == 0 and whole.people and len(whole.levels)
    assert all(r.lacking == 0 for rows in first.overview.by_group.values() for r in rows)
    assert any(r.lacking for rows in whole.overview.by_group.values() for r in rows)


def test_a_prefetched_first_view_is_taken_once_and_a_write_discards_it(ws):
    ws.prefetch_plan(2026)
    fetched = ws.plan_first_view(2026)
    assert fetched.plan.trainings == ws.plan_first_view(2026).plan.trainings  # the second is read again
    ws.prefetch_plan(2025)
    assert ws.plan_first_view(2026).year == 2026  # another year: not the prefetched one
    ws.prefetch_plan(2026)
    training = ws.plan(2026).trainings[0]
    ws.delete_training(training.id)  # a write between: the prefetched plan no longer holds
    assert training.id not in {t.id for t in ws.plan_first_view(2026).plan.trainings}

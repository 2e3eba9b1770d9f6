"""The start screen's figures counted in SQL (store.read) are exactly those the domain counts
from every person and level (domain.dashboard.build_dashboard): same numbers, same names,
same next steps."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bouv_tui.domain import catalog
from bouv_tui.domain.dashboard import FormProgress, current_round
from dashboard_oracle import build_dashboard
from bouv_tui.services import Workspace
from bouv_tui.store import read

TODAY = date(2026, 11, 22)


def both(path: Path, today: date = TODAY):
    """(the domain's Dashboard from everything read, the start screen's: from the store's counts)."""
    settings_ = read.read_settings(path)
    rounds = read.read_rounds(path)
    round_ = current_round(rounds, today)
    assessments = read.read_assessments(path, round_.id) if round_ else []
    form = FormProgress(read.read_need_counts(path, round_.id), read.read_answers(path, round_.id)) if round_ else None
    slow = build_dashboard(settings_, read.read_staff(path), rounds, assessments, today, form)
    return slow, Workspace(path).dashboard(today)


def test_demo_municipality(demo_db):
    slow, fast = both(demo_db)
    assert slow.round is not None and slow.done and slow.gaps  # the demo has something to count
    assert fast == slow


def test_a_larger_demo_with_people_left_and_unfinished(tmp_path):
    from bouv_tui.demo import write_demo

    path = write_demo(tmp_path / "demo300.sqlite", staff=300, seed=7, today=TODAY)
    slow, fast = both(path)
    assert slow.missing and slow.carried_over and slow.figures.unqualified and slow.figures.departures_12m
    assert fast == slow
    # Last year's round, seen a year later: the steps say to start a new one.
    slow, fast = both(path, TODAY + timedelta(days=400))
    assert any("Starta" in step.text for step in slow.steps)
    assert fast == slow


def test_empty_file(empty_db):
    slow, fast = both(empty_db)
    assert fast == slow
    assert fast.round is None and fast.steps


# --- generated edge cases ---------------------------------------------------------------

REF = date(2026, 12, 31)
ROLES = [catalog.CASEWORKER, catalog.TEAM_LEADER, catalog.OTHER_ROLE]
AREAS = catalog.AREAS.codes()
# Dates around the ones the rules turn on: the reference date, today, a year before today.
PIVOTS = [REF, TODAY, TODAY - timedelta(days=365), TODAY - timedelta(days=366)]
dates = st.one_of(
    st.none(),
    st.builds(lambda d, k: d + timedelta(days=k), st.sampled_from(PIVOTS), st.integers(-2, 2)),
    st.dates(date(2000, 1, 1), date(2030, 12, 31)),
)
names = st.sampled_from(["Åsa Ek", "Anna Berg", "Östen Ås", "anna berg", "Zoran Öz", "Émile Ek", "Ängla Al"])
person = st.fixed_dictionaries(
    {
        "name": names,
        "role": st.sampled_from(ROLES),
        "employed_from": dates,
        "employed_until": dates,
        "experience_from": dates,
        "social_work_degree": st.booleans(),
        "qualification_certificate": st.booleans(),
        "fte": st.integers(1, 100),
        "employment_type": st.sampled_from(["tillsvidare", "visstid", "konsult"]),
    }
)
cell = st.tuples(st.sampled_from(AREAS), st.sampled_from(catalog.LEVELS.codes()), st.booleans())


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    from bouv_tui.store.db import open_database

    return open_database(tmp_path_factory.mktemp("dash") / "template.sqlite", backup=False)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    people=st.lists(st.tuples(person, st.lists(cell, max_size=len(AREAS) + 2)), max_size=12),
    with_round=st.booleans(),
    last_year=st.booleans(),
    kommun=st.sampled_from(["", "Ekby"]),
)
def test_generated_rosters_and_rounds(template, tmp_path, people, with_round, last_year, kommun):
    path = tmp_path / "gen.sqlite"
    shutil.copyfile(template, path)
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("DELETE FROM assessment")
        conn.execute("DELETE FROM inventory_round")
        conn.execute("DELETE FROM staff")
        conn.execute("DELETE FROM settings")
        if kommun:
            conn.execute(
                "INSERT INTO settings (id, kommunkod, kommun, contact_name, email, phone) VALUES (1, '0000', ?, 'K', 'k@x.se', '1')",
                (kommun,),
            )
        year = REF.year - 1 if last_year else REF.year
        if with_round:
            conn.execute("INSERT INTO inventory_round (id, year, reference_date) VALUES (1, ?, ?)",
                         (year, date(year, 12, 31).isoformat()))  # fmt: skip
        for i, (p, cells) in enumerate(people, start=1):
            iso = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in p.items()}
            conn.execute(
                "INSERT INTO staff (id, name, role, employed_from, employed_until, experience_from, "
                "social_work_degree, qualification_certificate, fte, employment_type) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (i, iso["name"], iso["role"], iso["employed_from"], iso["employed_until"], iso["experience_from"],
                 iso["social_work_degree"], iso["qualification_certificate"], iso["fte"], iso["employment_type"]),
            )  # fmt: skip
            if with_round:
                # One level per area (the table's rule); leader areas for caseworkers and levels
                # for 'annan' or people who left are stored but must not count.
                for area, level, carried in {a: (a, lv, c) for a, lv, c in cells}.values():
                    conn.execute(
                        "INSERT INTO assessment (round_id, staff_id, area, level, carried_over) VALUES (1, ?, ?, ?, ?)",
                        (i, area, level, carried),
                    )
    conn.close()
    slow, fast = both(path)
    assert fast == slow


def test_the_prefetched_start_screen_is_the_counted_one_and_is_used_once(demo_db, monkeypatch):
    from datetime import date

    from bouv_tui.services import Workspace

    today = date(2026, 11, 22)
    ws = Workspace.open(demo_db)
    expected = ws.dashboard(today)
    ws.prefetch_dashboard(today)
    counted = []
    original = ws._count_dashboard
    monkeypatch.setattr(ws, "_count_dashboard", lambda day: counted.append(day) or original(day))
    assert ws.dashboard(today) == expected
    assert counted == []  # taken from the prefetch
    assert ws.dashboard(today) == expected
    assert counted == [today]  # once only: the next call counts again


def test_a_write_discards_the_prefetched_start_screen(demo_db):
    from datetime import date

    from bouv_tui.services import Workspace

    today = date(2026, 11, 22)
    ws = Workspace.open(demo_db)
    ws.prefetch_dashboard(today)
    before = ws._prefetch[1].result()
    ws.delete_person(ws.staff()[0])
    after = ws.dashboard(today)
    assert after.figures != before.figures


def test_a_failed_prefetch_fails_where_the_count_is_asked_for(tmp_path):
    from datetime import date

    import pytest

    from bouv_tui.services import Workspace
    from bouv_tui.store.db import open_database

    path = open_database(tmp_path / "x.sqlite")
    ws = Workspace(path)
    path.unlink()  # gone before the count runs
    ws.prefetch_dashboard(date(2026, 11, 22))
    failed = ws._prefetch[1].exception(timeout=30)  # the thread's own error, kept for the caller
    assert isinstance(failed, sqlite3.OperationalError)
    with pytest.raises(sqlite3.OperationalError, match="unable to open database file") as raised:
        ws.dashboard(date(2026, 11, 22))
    assert raised.value is failed  # raised where the count is asked for, not counted again


def test_the_steps_lead_through_needs_and_questions_to_the_export(demo_db):
    slow, fast = both(demo_db)
    assert fast == slow
    texts = [step.text for step in fast.steps]
    assert "Bekräfta behoven för arbetsledare i 2026 (0 av 13 klara)" in texts
    assert "Svara på frågorna 15, 16, 17, 18, 20 för 2026" in texts
    assert not any("exportera" in t for t in texts)
    # Last year, seen from last year: everything is done but sending it in.
    slow, fast = both(demo_db, date(2025, 11, 22))
    assert fast == slow
    assert [(s.text, s.keys) for s in fast.steps if "Granska" in s.text] == [
        ("Granska och exportera inlämningen för 2025", "F7, sedan x")
    ]

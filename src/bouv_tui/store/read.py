"""Reads on the standard library's ``sqlite3``: what the first screens show, without SQLAlchemy."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bouv_tui.domain.counts import RoundCounts, StaffCounts
from bouv_tui.domain.roster import StaffMember
from bouv_tui.domain.settings import MunicipalitySettings
from bouv_tui.store.db import connect

if TYPE_CHECKING:  # built where read: the roster's first frame does not need the assessment model
    from bouv_tui.domain.assessment import Assessment, Round

STAFF_FIELDS = (
    "id", "personal_id", "name", "role", "unit", "employed_from", "employed_until",
    "experience_from", "social_work_degree", "qualification_certificate", "fte",
    "employment_type", "continuing_training", "further_education", "masters_degree",
    "first_manager_job", "needs_supervision_support", "version",
)  # fmt: skip


def _date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def member_from_row(row) -> StaffMember:
    """A StaffMember from a row whose values are in STAFF_FIELDS order (kept flat: it runs per row)."""
    (id_, personal_id, name, role, unit, employed_from, employed_until, experience_from, degree,
     certificate, fte, employment_type, continuing, further, masters, first_job, needs_support, version) = row  # fmt: skip
    return StaffMember(
        name, role, id_, personal_id, unit or "", _date(employed_from), _date(employed_until),
        _date(experience_from), bool(degree), bool(certificate), fte, employment_type, bool(continuing),
        bool(further), bool(masters), bool(first_job), bool(needs_support), version,
    )  # fmt: skip


def read_staff(path: Path) -> list[StaffMember]:
    conn = connect(path, readonly=True)
    try:
        rows = conn.execute(f"SELECT {', '.join(STAFF_FIELDS)} FROM staff ORDER BY name, id").fetchall()
    finally:
        conn.close()
    return [member_from_row(r) for r in rows]


def read_first_page(path: Path, on: date, size: int, *, include_left: bool = False) -> list[StaffMember]:
    """The roster's first page by name, for the first frame, without reading everyone.

    The same people and, for names in plain letters, the same order as
    ``domain.roster.list_staff`` (who has left, and Swedish name order, are the domain's
    rules; the screen replaces this page with the domain's as soon as all is read).
    """
    where = "" if include_left else "WHERE employed_until IS NULL OR employed_until >= ?"
    params = () if include_left else (on.isoformat(),)
    conn = connect(path, readonly=True)
    try:
        rows = conn.execute(
            f"SELECT {', '.join(STAFF_FIELDS)} FROM staff {where} ORDER BY name COLLATE NOCASE, id LIMIT ?",
            (*params, size),
        ).fetchall()
    finally:
        conn.close()
    return [member_from_row(r) for r in rows]


def read_settings(path: Path) -> MunicipalitySettings:
    conn = connect(path, readonly=True)
    try:
        row = conn.execute(
            "SELECT kommunkod, kommun, contact_name, email, phone FROM settings WHERE id = 1"
        ).fetchone()
    finally:
        conn.close()
    if row is None:
        return MunicipalitySettings()
    return MunicipalitySettings(*row)


def read_rounds(path: Path) -> list[Round]:
    """Every inventory round, oldest first."""
    from bouv_tui.domain.assessment import Round

    conn = connect(path, readonly=True)
    try:
        rows = conn.execute("SELECT year, reference_date, id FROM inventory_round ORDER BY year").fetchall()
    finally:
        conn.close()
    return [Round(year, date.fromisoformat(ref), id_) for year, ref, id_ in rows]


def read_need_choices(path: Path, round_id: int) -> list:
    """The need scores the chef set in one round (questions 13 and 19), as ``NeedChoice``."""
    from bouv_tui.domain.needs import NeedChoice  # not on the path to the first screen

    conn = connect(path, readonly=True)
    try:
        rows = conn.execute(
            "SELECT grp, area, score, reason, suggested FROM need_score WHERE round_id = ? ORDER BY id",
            (round_id,),
        ).fetchall()
    finally:
        conn.close()
    return [NeedChoice(grp, area, score, reason or "", suggested) for grp, area, score, reason, suggested in rows]


def read_need_others(path: Path, round_id: int) -> list:
    """The "Annat" rows of questions 13 and 19 in one round, as ``OtherNeed``."""
    from bouv_tui.domain.needs import OtherNeed

    conn = connect(path, readonly=True)
    try:
        rows = conn.execute(
            "SELECT grp, position, label, score FROM need_other WHERE round_id = ? ORDER BY grp, position",
            (round_id,),
        ).fetchall()
    finally:
        conn.close()
    return [OtherNeed(grp, position, label, score) for grp, position, label, score in rows]


def read_need_counts(path: Path, round_id: int) -> dict[str, int]:
    """How many areas have a chosen need score in one round, per group."""
    conn = connect(path, readonly=True)
    try:
        rows = conn.execute("SELECT grp, count(*) FROM need_score WHERE round_id = ? GROUP BY grp", (round_id,)).fetchall()
    finally:
        conn.close()
    return dict(rows)


def read_answers(path: Path, round_id: int) -> dict:
    """The questionnaire's stored answers of one round: question key → value (as stored)."""
    conn = connect(path, readonly=True)
    try:
        rows = conn.execute("SELECT question, value FROM form_answer WHERE round_id = ?", (round_id,)).fetchall()
    finally:
        conn.close()
    return {question: json.loads(value) for question, value in rows}


def read_levels(path: Path, round_id: int) -> list[Assessment]:
    """The levels of one round without dates and notes (what counting needs; cheaper to read)."""
    from bouv_tui.domain.assessment import Assessment

    conn = connect(path, readonly=True)
    try:
        rows = conn.execute(
            "SELECT staff_id, area, level, carried_over FROM assessment WHERE round_id = ?", (round_id,)
        ).fetchall()
    finally:
        conn.close()
    return [Assessment(staff_id, area, level, round_id, None, bool(carried)) for staff_id, area, level, carried in rows]


def read_assessments(path: Path, round_id: int) -> list[Assessment]:
    """Every assessment of one round."""
    from bouv_tui.domain.assessment import Assessment

    conn = connect(path, readonly=True)
    try:
        rows = conn.execute(
            "SELECT staff_id, area, level, round_id, assessed_on, carried_over, note, version "
            "FROM assessment WHERE round_id = ?",
            (round_id,),
        ).fetchall()
    finally:
        conn.close()
    return [
        Assessment(staff_id, area, level, rid, _date(on), bool(carried), note or "", version)
        for staff_id, area, level, rid, on, carried, note, version in rows
    ]


# --- the start screen's figures: aggregates in SQL, not tens of thousands of rows in Python ---


def _active(alias: str) -> str:
    """SQL for "employed on the day given by the next two parameters" (the last day counts;
    ``StaffMember.is_active``). Dates are stored as ISO text, which orders as dates do."""
    return (f"({alias}.employed_from IS NULL OR {alias}.employed_from <= ?) "
            f"AND ({alias}.employed_until IS NULL OR {alias}.employed_until >= ?)")  # fmt: skip


def read_staff_counts(
    path: Path,
    on: date,
    *,
    year_ago: date,
    new_since: date,
    caseworker: str,
    team_leader: str,
    consultant: str,
) -> StaffCounts:
    """The roster figures' raw counts in one pass over ``staff`` (``domain.dashboard`` turns
    them into ``RosterFigures``; the rules' dates and codes come from there)."""
    d, y, n = on.isoformat(), year_ago.isoformat(), new_since.isoformat()
    active = _active("s")  # twice below: on the day, and a year before
    sql = f"""
        SELECT count(*),
               coalesce(sum(cw AND now), 0), coalesce(sum(CASE WHEN cw AND now THEN fte END), 0),
               coalesce(sum(tl AND now), 0), coalesce(sum(CASE WHEN tl AND now THEN fte END), 0),
               coalesce(sum(cw AND now AND coalesce(experience_from, employed_from) >= ?), 0),
               coalesce(sum(cw AND now AND employment_type = ?), 0),
               coalesce(sum((cw OR tl) AND employed_until IS NOT NULL
                            AND employed_until >= ? AND employed_until < ?), 0),
               coalesce(sum((cw OR tl) AND before), 0),
               coalesce(sum((cw OR tl) AND now), 0)
        FROM (SELECT s.*, s.role = ? AS cw, s.role = ? AS tl,
                     ({active}) AS now, ({active}) AS before
              FROM staff s)
    """
    params = (n, consultant, y, d, caseworker, team_leader, d, d, y, y)
    conn = connect(path, readonly=True)
    try:
        counts = conn.execute(sql, params).fetchone()
        rows = _packed_rows(
            conn,
            f"SELECT {', '.join(STAFF_FIELDS)} FROM staff s WHERE role = ? AND {_active('s')} "
            "AND NOT social_work_degree AND NOT qualification_certificate ORDER BY name, id",
            (caseworker, d, d),
            STAFF_FIELDS,
        )
    finally:
        conn.close()
    rows.sort(key=lambda r: (r[2], r[0]))  # name, id (packed rows keep no order of their own)
    return StaffCounts(*counts, [member_from_row(r) for r in rows])


def read_round_counts(
    path: Path,
    round_id: int,
    reference_date: date,
    areas_by_role: Mapping[str, Sequence[str]],
    levels: Sequence[str],
) -> RoundCounts:
    """Count one round for the people of ``areas_by_role``'s roles employed on ``reference_date``.

    A stored level counts when its area is one of the person's role's areas and its level one
    of ``levels`` (the domain's rules, passed in). SQLite does all of it in one statement: per
    person it sums one bit per area into a mask for each level and one for carried-over levels
    (a person has at most one level per area, so the sum is the union), keeps the bits of the
    person's own areas, and then sums, per role, each area's bit of each level's mask, the
    carried-over bits among the person's levels, and the ids of people whose levels do not
    cover all their areas. Two rows come back. The whole count runs inside SQLite, which lets
    other Python threads run meanwhile: the start screen counts while the UI is imported.
    """
    areas = list(dict.fromkeys(a for role_areas in areas_by_role.values() for a in role_areas))
    roles = list(areas_by_role)
    applies = {role: sum(1 << areas.index(a) for a in set(role_areas)) for role, role_areas in areas_by_role.items()}
    bit = "(1 << CASE a.area " + " ".join(f"WHEN ? THEN {i}" for i in range(len(areas))) + " END)"
    level_range = range(len(levels))
    per_person = (
        "SELECT s.id AS id, s.role AS role, "
        + ", ".join(f"coalesce(sum(CASE a.level WHEN ? THEN {bit} END), 0) AS m{i}" for i in level_range)
        + f", coalesce(sum(CASE WHEN a.carried_over THEN {bit} END), 0) AS mc "
        "FROM staff s LEFT JOIN assessment a ON a.round_id = ? AND a.staff_id = s.id "
        f"WHERE s.role IN ({', '.join('?' for _ in roles)}) AND {_active('s')} GROUP BY s.id"
    )
    # Each role's own areas as a mask (computed here from the domain's rules: integers only).
    own = "CASE p.role " + " ".join(f"WHEN ? THEN {applies[role]}" for role in roles) + " ELSE 0 END"
    owned = (
        f"SELECT p.id AS id, p.role AS role, ({own}) AS own, p.mc AS mc, "
        + ", ".join(f"(p.m{i} & ({own})) AS l{i}" for i in level_range)
        + f" FROM ({per_person}) p"
    )
    union = "(" + " | ".join(f"l{i}" for i in level_range) + ")"
    cell_sums = [f"sum((l{i} >> {b}) & 1)" for i in level_range for b in range(len(areas))]
    carried_sums = [f"sum(((mc & {union}) >> {b}) & 1)" for b in range(len(areas))]
    sql = (
        "SELECT role, count(*), "
        + ", ".join([*cell_sums, *carried_sums])
        + f", json_group_array(CASE WHEN {union} != own THEN id END) FROM ({owned}) GROUP BY role"
    )
    person_params = [*(x for level in levels for x in (level, *areas)), *areas, round_id, *roles]
    person_params += [reference_date.isoformat()] * 2
    own_params = [*roles] * (1 + len(levels))
    people = dict.fromkeys(roles, 0)
    cells: dict[tuple[str, str, str], int] = {}
    carried = 0
    unfinished: list[int] = []
    conn = connect(path, readonly=True)
    try:
        # Parameters in the order their placeholders appear: ``own`` once for the column and
        # once per level mask, each time before the per-person query they wrap.
        for role, n, *sums in conn.execute(sql, [*own_params, *person_params]).fetchall():
            people[role] = n
            for i, level in enumerate(levels):
                for b, area in enumerate(areas):
                    count = sums[i * len(areas) + b]
                    if count:
                        cells[(role, area, level)] = count
            carried += sum(sums[len(levels) * len(areas): -1])
            unfinished += [staff_id for staff_id in json.loads(sums[-1]) if staff_id is not None]
        members = _members_by_id(conn, unfinished)  # in id order: it sorts what it reads
    finally:
        conn.close()
    return RoundCounts(people, cells, carried, members)


def _members_by_id(conn, ids: Sequence[int]) -> list[StaffMember]:
    if not ids:
        return []
    rows = _packed_rows(
        conn,
        f"SELECT {', '.join(STAFF_FIELDS)} FROM staff WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id",
        (json.dumps(list(ids)),),
        STAFF_FIELDS,
    )
    rows.sort(key=lambda r: r[0])  # by id
    return [member_from_row(r) for r in rows]


def _packed_rows(conn, sql: str, params: Sequence, columns: Sequence[str]) -> list[list]:
    """The rows of ``sql`` (whose result has ``columns``), handed over as one JSON value.

    The start screen is counted in a background thread while the UI thread imports and
    builds. ``sqlite3`` lets go of Python's lock for every row it steps to, and a thread
    that lets go waits for its turn to get it back (up to the interpreter's switch interval,
    5 ms) while the UI thread works: hundreds of rows became hundreds of waits. One value
    is one wait. Values come back as JSON has them: text, numbers and null, as stored."""
    wrapped = (
        f"SELECT json_group_array(json_array({', '.join(columns)})) "
        f"FROM ({sql})"
    )
    (packed,) = conn.execute(wrapped, params).fetchone()
    return json.loads(packed) if packed else []

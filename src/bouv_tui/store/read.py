"""Reads on the standard library's ``sqlite3``: what the first screens show, without SQLAlchemy."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bouv_tui.domain.assessment import Assessment, Round
from bouv_tui.domain.roster import StaffMember
from bouv_tui.domain.settings import MunicipalitySettings
from bouv_tui.store.db import connect

STAFF_FIELDS = (
    "id", "personal_id", "name", "role", "unit", "employed_from", "employed_until",
    "experience_from", "social_work_degree", "qualification_certificate", "fte",
    "employment_type", "continuing_training", "further_education", "masters_degree",
    "first_manager_job", "needs_supervision_support",
)  # fmt: skip


def _date(value):
    return date.fromisoformat(value) if isinstance(value, str) else value


def member_from_row(row) -> StaffMember:
    """A StaffMember from a row whose values are in STAFF_FIELDS order (kept flat: it runs per row)."""
    (id_, personal_id, name, role, unit, employed_from, employed_until, experience_from, degree,
     certificate, fte, employment_type, continuing, further, masters, first_job, needs_support) = row  # fmt: skip
    return StaffMember(
        name, role, id_, personal_id, unit or "", _date(employed_from), _date(employed_until),
        _date(experience_from), bool(degree), bool(certificate), fte, employment_type, bool(continuing),
        bool(further), bool(masters), bool(first_job), bool(needs_support),
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
    conn = connect(path, readonly=True)
    try:
        rows = conn.execute("SELECT year, reference_date, id FROM inventory_round ORDER BY year").fetchall()
    finally:
        conn.close()
    return [Round(year, date.fromisoformat(ref), id_) for year, ref, id_ in rows]


def read_assessments(path: Path, round_id: int) -> list[Assessment]:
    """Every assessment of one round."""
    conn = connect(path, readonly=True)
    try:
        rows = conn.execute(
            "SELECT staff_id, area, level, round_id, assessed_on, carried_over, note "
            "FROM assessment WHERE round_id = ?",
            (round_id,),
        ).fetchall()
    finally:
        conn.close()
    return [
        Assessment(staff_id, area, level, rid, _date(on), bool(carried), note or "")
        for staff_id, area, level, rid, on, carried, note in rows
    ]

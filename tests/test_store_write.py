"""The one write path (``store/repo.py``, SQLAlchemy Core over the SQLModel tables) in bulk:
all or nothing, with Swedish messages; and what the import commands load."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bouv_tui.domain import catalog
from bouv_tui.domain.assessment import Assessment, Round
from bouv_tui.domain.roster import StaffMember
from bouv_tui.errors import StaleImport
from bouv_tui.store import db, read, repo as store_repo
from bouv_tui.store.repo import Repository

#: How SQLAlchemy stores a DateTime in SQLite.
STAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{6}")
#: More than one multi-row statement and a remainder.
MANY = 2 * store_repo.ROWS_PER_STATEMENT + 37


def new_db(path: Path) -> Path:
    return db.open_database(path, backup=False)


class _Writes:
    """``write.save_staff(path, …)`` and ``write.import_assessments(path, …)`` on the one
    write path: a Repository per call, closed after it."""

    @staticmethod
    def save_staff(path, adds, updates):
        repo = Repository(path)
        try:
            repo.save_staff(adds, updates, with_ids=False)
        finally:
            repo.close()

    @staticmethod
    def import_assessments(path, round_, sets, clears=()):
        repo = Repository(path)
        try:
            return repo.import_assessments(round_, sets, clears)
        finally:
            repo.close()


write = _Writes()


def raw_rows(path: Path, table: str, stamps: tuple[str, ...]) -> list[tuple]:
    """Every stored value and its SQLite type, in id order; time stamps only checked for form."""
    conn = sqlite3.connect(path)
    try:
        cursor = conn.execute(f"SELECT * FROM {table} ORDER BY id")
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
    finally:
        conn.close()
    out = []
    for row in rows:
        values = []
        for name, value in zip(names, row):
            if name in stamps:
                assert value is not None and STAMP.fullmatch(value), (name, value)
                value = "<stamp>"
            values.append((value, type(value).__name__))
        out.append(tuple(values))
    return out


def people(count: int, prefix: str = "P") -> list[StaffMember]:
    """Every kind of value a person can have: dates or none, yes and no, part time, roles."""
    roles = (catalog.CASEWORKER, catalog.TEAM_LEADER, catalog.OTHER_ROLE)
    kinds = tuple(catalog.EMPLOYMENT_TYPES.codes())
    return [
        StaffMember(
            name=f"Person {prefix}{i:04d} Åström",
            role=roles[i % 3],
            personal_id=f"{prefix}{i:04d}" if i % 5 else None,
            unit=f"Enhet {i % 7}" if i % 4 else "",
            employed_from=date(2010 + i % 10, 1 + i % 12, 1 + i % 28),
            employed_until=date(2027, 6, 30) if i % 9 == 0 else None,
            experience_from=date(2005, 3, 1) if i % 2 else None,
            social_work_degree=bool(i % 2),
            qualification_certificate=bool(i % 3 == 0),
            fte=100 - i % 60,
            employment_type=kinds[i % len(kinds)],
            continuing_training=bool(i % 5 == 0),
            further_education=bool(i % 6 == 0),
            masters_degree=bool(i % 7 == 0),
            first_manager_job=bool(i % 8 == 0),
            needs_supervision_support=bool(i % 11 == 0),
        )
        for i in range(count)
    ]


def levels_for(staff: list[StaffMember], count: int, on: date | None = date(2026, 11, 22)) -> list[Assessment]:
    areas = tuple(catalog.CASEWORKER_AREAS.codes())
    codes = tuple(catalog.LEVELS.codes())
    cells = [(p.id, a) for p in staff for a in areas][:count]
    return [
        Assessment(s, a, codes[i % 3], assessed_on=on, note="anteckning" if i % 13 == 0 else "")
        for i, (s, a) in enumerate(cells)
    ]


# --- all or nothing -----------------------------------------------------------------------------


def test_a_failing_person_in_the_middle_leaves_nothing_written(tmp_path):
    path = new_db(tmp_path / "a.sqlite")
    write.save_staff(path, people(10, prefix="A"), [])
    before = read.read_staff(path)
    batch = people(MANY, prefix="B")
    batch[MANY // 2] = batch[MANY // 2].with_changes(personal_id="A0001")  # already stored
    with pytest.raises(db.StoreError) as raised:
        write.save_staff(path, batch, [before[0].with_changes(name="Ändrad")])
    assert str(raised.value) == "Det finns redan en person med samma personal-id. Ingenting sparades."
    assert read.read_staff(path) == before


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"fte": 0}, "Sysselsättningsgraden ska vara 1–100 procent. Ingenting sparades."),
        ({"role": "chef"}, "Okänd roll (ska vara handläggare, arbetsledare eller annan). Ingenting sparades."),
    ],
)
def test_a_broken_rule_is_refused_in_swedish_as_before(tmp_path, change, message):
    path = new_db(tmp_path / "a.sqlite")
    batch = people(30)
    batch[17] = batch[17].with_changes(**change)
    with pytest.raises(db.StoreError) as raised:
        write.save_staff(path, batch, [])
    assert str(raised.value) == message
    assert read.read_staff(path) == []


def test_updating_someone_no_longer_stored_refuses_the_import(tmp_path):
    path = new_db(tmp_path / "a.sqlite")
    write.save_staff(path, people(3), [])
    stored = read.read_staff(path)
    gone = stored[0].with_changes(id=9999)
    with pytest.raises(db.StoreError, match="finns inte längre i registret. Ingenting sparades."):
        write.save_staff(path, people(5, prefix="N"), [stored[1].with_changes(fte=40), gone])
    assert read.read_staff(path) == stored


def _assessed(tmp_path) -> tuple[Path, list[StaffMember]]:
    path = new_db(tmp_path / "a.sqlite")
    write.save_staff(path, people(200), [])
    return path, read.read_staff(path)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"staff_id": 999_999}, "Uppgiften hänvisar till en person eller omgång som inte finns (längre)."),
        ({"level": "utmarkt"}, "En bedömning har en okänd nivå (ska vara grundläggande, fördjupad eller saknar)."),
        ({"area": "matlagning"}, "En bedömning gäller ett okänt kunskapsområde."),
    ],
)
def test_a_failing_level_in_the_middle_leaves_nothing_written(tmp_path, bad, message):
    path, staff = _assessed(tmp_path)
    sets = levels_for(staff, MANY)
    sets[MANY // 2] = sets[MANY // 2]._replace(**bad)
    with pytest.raises(db.StoreError) as raised:
        write.import_assessments(path, Round.for_year(2030), sets)
    assert str(raised.value) == f"{message} Ingenting sparades."
    assert read.read_rounds(path) == []  # the round is not created either

    round_ = write.import_assessments(path, Round.for_year(2030), sets[:10])
    before = read.read_assessments(path, round_.id)
    with pytest.raises(db.StoreError):
        write.import_assessments(path, round_, sets, clears=[(a.staff_id, a.area) for a in sets[:10]])
    assert read.read_assessments(path, round_.id) == before


def test_the_bulk_writes_columns_are_the_models():
    """The imports' bulk statements name their columns; the SQLModel tables stay the one
    description of the schema: every column named is the models', and every column of
    the models that a bulk write leaves out has a default."""
    from bouv_tui.store import models

    for table, named in (
        (models.Staff.__table__, {*store_repo.STAFF_COLUMNS, "created_at", "updated_at"}),
        (models.Assessment.__table__, set(store_repo._ASSESSMENT_COLUMNS)),
    ):
        columns = {c.name: c for c in table.columns}
        assert named <= set(columns), named - set(columns)
        for name in set(columns) - named:
            column = columns[name]
            assert column.primary_key or column.nullable or name == "version", (table.name, name)


#: What the modules a real start imports weigh means nothing in mutmut's instrumented copy of
#: the store (its trampolines reach the models), so these two are left out of a mutation run.
NOT_UNDER_MUTMUT = pytest.mark.skipif("MUTANT_UNDER_TEST" in os.environ, reason="measures the real import path")


@NOT_UNDER_MUTMUT
def test_an_import_does_not_load_sqlmodel(tmp_path, demo_db):
    """The bulk write needs SQLAlchemy's engine, not the models (SQLModel and pydantic take a
    quarter of a second to import)."""
    roster = tmp_path / "personal.csv"
    roster.write_text("personal_id;namn;roll\nZ9;Zorro Test;handläggare\n", encoding="utf-8")
    rc, heavy = _modules_after(["--db", str(demo_db), "import", "staff", str(roster)])
    assert (rc, "sqlmodel" in heavy, "sqlalchemy" in heavy) == (0, False, True)


def test_the_checks_skipped_by_sqlite_are_the_schemas(tmp_path):
    """The bulk write checks levels and areas itself instead of the CHECK constraints: the same lists."""
    path = new_db(tmp_path / "a.sqlite")
    conn = sqlite3.connect(path)
    schema = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'assessment'").fetchone()[0]
    conn.close()

    def allowed(name: str) -> frozenset[str]:
        listed = re.search(rf"CONSTRAINT {name} CHECK \(\w+ IN \(([^)]*)\)\)", schema)[1]
        return frozenset(re.findall(r"'(\w+)'", listed))

    assert allowed("assessment_level") == store_repo.LEVEL_CODES
    assert allowed("assessment_area") == store_repo.AREA_CODES


def test_rounds_refused_as_by_the_sqlmodel_path(tmp_path):
    path, staff = _assessed(tmp_path)
    sets = levels_for(staff, 3)
    stored = write.import_assessments(path, Round.for_year(2030), sets)
    with pytest.raises(StaleImport, match=r"Det finns redan en inventeringsomgång för 2030 \(den skapades efter att "
                       r"filen lästes\) – kör importen igen. Ingenting sparades."):  # fmt: skip
        write.import_assessments(path, Round.for_year(2030), sets)
    with pytest.raises(db.StoreError, match="Inventeringsomgången för 2031 finns inte längre. Ingenting sparades."):
        write.import_assessments(path, Round(2031, date(2031, 12, 31), stored.id + 1), sets)
    assert read.read_rounds(path) == [stored]


def test_a_busy_database_is_reported_as_before(tmp_path, monkeypatch):
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    path = new_db(tmp_path / "a.sqlite")
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(db.StoreBusy) as raised:
            write.save_staff(path, people(3), [])
        assert str(raised.value) == (
            "Databasen är upptagen av ett annat fönster eller program och blev inte ledig "
            "inom 0.2 sekunder. Ingenting sparades; försök igen."
        )
        other.execute("ROLLBACK")
    finally:
        other.close()
    write.save_staff(path, people(3), [])
    assert len(read.read_staff(path)) == 3


# --- what the import commands load ----------------------------------------------------------------

HEAVY = ("sqlalchemy", "sqlmodel", "alembic", "openpyxl", "babel", "textual")


def _modules_after(argv: list[str]) -> tuple[int, list[str]]:
    code = (
        "import sys, json; from bouv_tui.cli import main; rc = main(sys.argv[1:]); "
        f"print(json.dumps([rc, sorted({{m.split('.')[0] for m in sys.modules}} & set({list(HEAVY)!r}))]))"
    )
    done = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True)
    rc, heavy = json.loads(done.stdout.strip().splitlines()[-1])
    return rc, heavy


@NOT_UNDER_MUTMUT
def test_importing_a_csv_roster_and_levels_loads_only_the_write_path(tmp_path, demo_db):
    """A dry run loads no heavy library; an import loads the write path's engine (SQLAlchemy),
    never the models, the UI, the spreadsheet reader, the migrations or babel."""
    roster = tmp_path / "personal.csv"
    roster.write_text("personal_id;namn;roll\nZ1;Zelda Test;handläggare\n", encoding="utf-8")
    assert _modules_after(["--db", str(demo_db), "import", "staff", str(roster), "--dry-run"]) == (0, [])
    assert _modules_after(["--db", str(demo_db), "import", "staff", str(roster)]) == (0, ["sqlalchemy"])
    stored = {p.personal_id: p for p in read.read_staff(demo_db)}
    assert stored["Z1"].name == "Zelda Test"

    levels = tmp_path / "bedomning.csv"
    levels.write_text("personal_id;samtal\nZ1;F\n", encoding="utf-8")
    assert _modules_after(["--db", str(demo_db), "import", "assessments", str(levels), "--year", "2026"]) == (
        0, ["sqlalchemy"],
    )
    round_ = next(r for r in read.read_rounds(demo_db) if r.year == 2026)
    assert {(a.staff_id, a.area): a.level for a in read.read_assessments(demo_db, round_.id)}[
        (stored["Z1"].id, "samtal")
    ] == "fordjupad"

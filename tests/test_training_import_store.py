"""``bouv-tui import trainings``: from the file through the service to the database and back,
all or nothing — a file with an error, a failure in the middle of the write, and another
window writing between the check and the write each leave the database as it was."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

import hostile_checks
from bouv_tui.cli import main
from bouv_tui.errors import StaleImport
from bouv_tui.store.db import StoreError
from bouv_tui.store.plan_import import STALE_PLAN
from bouv_tui.services import Workspace

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data" / "utbildningar.csv"
HEADER = "utbildning;typ;omraden;anordnare;anordnartyp;start;slut;platser;status;deltagare"


@pytest.fixture
def demo_db(tmp_path, monkeypatch):
    """The demo without its own training plan: this file's trainings are the only ones."""
    from conftest import write_demo_without_plan

    return write_demo_without_plan(tmp_path / "demo.sqlite", monkeypatch)


def write(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "utb.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def plan_rows(db: Path) -> dict[str, list[tuple]]:
    """The plan's tables without their time stamps."""
    conn = sqlite3.connect(db)
    try:
        return {
            "training": conn.execute("SELECT id, year, name, kind, provider, provider_type, extent, extent_unit, "
                                     "tags, groups, version FROM training ORDER BY id").fetchall(),
            "training_area": conn.execute("SELECT * FROM training_area ORDER BY training_id, position").fetchall(),
            "occasion": conn.execute("SELECT id, training_id, start_date, end_date, status, place, seats, funding, "
                                     "cost_fixed, cost_per_participant, days_away, version FROM occasion "
                                     "ORDER BY id").fetchall(),
            "participant": conn.execute("SELECT o.start_date, s.personal_id, p.status FROM participant p "
                                        "JOIN occasion o ON o.id = p.occasion_id JOIN staff s ON s.id = p.staff_id "
                                        "ORDER BY 1, 2").fetchall(),
        }  # fmt: skip
    finally:
        conn.close()


def test_the_sample_imports_into_the_demo_and_a_second_import_changes_nothing(demo_db, capsys):
    assert main(["--db", str(demo_db), "import", "trainings", str(SAMPLE)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "utbildningar.csv: utbildningar läggs till 5, uppdateras 0; tillfällen läggs till 7, uppdateras 0; "
        "deltagare bokas 13; oförändrade 0, fel 0.",
        "Klart: 5 utbildningar tillagda, 0 uppdaterade; 7 tillfällen tillagda, 0 uppdaterade; 13 deltagare bokade.",
    ]
    stored = plan_rows(demo_db)
    names = {row[0]: row[2] for row in stored["training"]}
    assert sorted(names.values()) == [
        "Evidensbaserad praktik och uppföljning", "Hedersrelaterat våld och förtryck",
        "Introduktion för nya socialsekreterare", "Samtal med barn", "Ärendehandledning för arbetsledare",
    ]  # fmt: skip
    by_name = {row[2]: row for row in stored["training"]}
    assert by_name["Ärendehandledning för arbetsledare"][3:] == (
        "stod_handledning", "Handledning i Exempelby AB", "privat", 6.0, "dagar", "", "arbetsledare", 1
    )
    assert by_name["Introduktion för nya socialsekreterare"][8] == "introduktion"
    areas = {(names[t], pos): (area, label) for t, pos, area, label in stored["training_area"]}
    assert areas[("Hedersrelaterat våld och förtryck", 0)] == ("risk_skydd", "")
    assert areas[("Hedersrelaterat våld och förtryck", 1)] == (None, "Hedersrelaterat våld")
    assert [a for (n, _), a in areas.items() if n == "Evidensbaserad praktik och uppföljning"] == [
        ("uppfoljning", ""), ("ebp", "")
    ]
    statuses = sorted(row[4] for row in stored["occasion"])
    assert statuses == ["genomford", "installd", "pagar", "pagar", "planerad", "planerad", "planerad"]
    ebp = next(row for row in stored["occasion"] if row[2] == "2026-03-02")
    assert ebp[5:] == ("distans", 20, "statsbidrag", 0, 9500, 6.0, 1)
    # People on the finished introduction attended; the others are booked.
    assert [r for r in stored["participant"] if r[0] == "2026-02-09"] == [
        ("2026-02-09", "D00001", "deltog"), ("2026-02-09", "D00012", "deltog"), ("2026-02-09", "D00019", "deltog"),
    ]  # fmt: skip
    assert len(stored["participant"]) == 13
    assert {r[2] for r in stored["participant"] if r[0] != "2026-02-09"} == {"anmald"}

    assert main(["--db", str(demo_db), "import", "trainings", str(SAMPLE)]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "utbildningar.csv: utbildningar läggs till 0, uppdateras 0; tillfällen läggs till 0, uppdateras 0; "
        "deltagare bokas 0; oförändrade 7, fel 0.",
        "Klart: ingenting att ändra, alla 7 tillfällen i filen finns redan så.",
    ]
    assert plan_rows(demo_db) == stored


def test_a_changed_file_updates_and_adds_and_unbooks_no_one(demo_db, tmp_path, capsys):
    first = write(tmp_path, HEADER, "Kurs;utbildning;utredning;A;privat;2026-03-02;2026-03-02;5;planerad;D00001, D00002")
    assert main(["--db", str(demo_db), "import", "trainings", str(first)]) == 0
    again = write(
        tmp_path, HEADER,
        "Kurs;utbildning;utredning;B;privat;2026-03-02;2026-03-02;5;genomford;D00003",
        "Kurs;utbildning;utredning;B;privat;2026-05-02;2026-05-02;;planerad;",
    )  # fmt: skip
    capsys.readouterr()
    assert main(["--db", str(demo_db), "import", "trainings", str(again)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Klart: 0 utbildningar tillagda, 1 uppdaterade; 1 tillfällen tillagda, 1 uppdaterade; 1 deltagare bokade."
    )
    stored = plan_rows(demo_db)
    assert [row[4] for row in stored["training"]] == ["B"] and stored["training"][0][10] == 2
    assert [(row[2], row[4], row[11]) for row in stored["occasion"]] == [
        ("2026-03-02", "genomford", 2), ("2026-05-02", "planerad", 1)
    ]
    assert stored["participant"] == [
        ("2026-03-02", "D00001", "anmald"), ("2026-03-02", "D00002", "anmald"), ("2026-03-02", "D00003", "deltog")
    ]


def test_a_file_with_an_error_writes_nothing_and_names_row_and_column(demo_db, tmp_path, capsys):
    before = hostile_checks.stored_rows(demo_db)
    bad = write(
        tmp_path, HEADER,
        "Kurs;utbildning;utredning;A;privat;2026-03-02;2026-03-02;5;planerad;D00001",
        "Kurs;utbildning;utredning, trädgård;A;privat;2026-04-02;2026-04-02;5;planerad;D99999",
    )  # fmt: skip
    assert main(["--db", str(demo_db), "import", "trainings", str(bad)]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [
        '  Rad 3, kolumn "omraden": "trädgård" är inget kunskapsområde. Ange områdets kod eller namn '
        "(barns_utveckling, utredning, samtal, samverkan, regelverk, insatser, uppfoljning, forhallningssatt, "
        'ebp, risk_skydd, placerade_barn, ledarskap, grupprocesser), eller "annat:Benämning".',
        '  Rad 3, kolumn "deltagare": Ingen person i personalregistret har personal_id "D99999".',
        "Ingenting har importerats. Rätta felen i filen och försök igen.",
    ]
    assert captured.out.endswith("fel 2.\n")
    assert hostile_checks.stored_rows(demo_db) == before


def test_a_dry_run_writes_nothing(demo_db, capsys):
    before = hostile_checks.stored_rows(demo_db)
    assert main(["--db", str(demo_db), "import", "trainings", str(SAMPLE), "--dry-run"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "Provkörning: ingenting har sparats."
    assert hostile_checks.stored_rows(demo_db) == before


@pytest.mark.parametrize(
    "content, said",
    [
        (b"", 'bouv-tui: Filen "utb.csv" är tom.'),
        (HEADER.encode() + b"\nKurs;utbildning;utr\xe4\x00dning\n",
         'bouv-tui: Filen "utb.csv" kunde inte läsas som text: teckenkodningen känns inte igen (varken UTF-8 '
         'eller Windows-1252). Spara filen i Excel som "CSV UTF-8 (kommaavgränsad)" och försök igen.'),
        (b"PK\x03\x04 not a csv", 'bouv-tui: Filen "utb.csv" heter .csv men är en Excel-arbetsbok. Byt '
                                  "filändelsen till .xlsx eller spara den som CSV."),
    ],
)  # fmt: skip
def test_a_file_that_cannot_be_read_writes_nothing(demo_db, tmp_path, capsys, content, said):
    before = hostile_checks.stored_rows(demo_db)
    path = tmp_path / "utb.csv"
    path.write_bytes(content)
    assert main(["--db", str(demo_db), "import", "trainings", str(path)]) == 1
    assert capsys.readouterr().err.strip() == said
    assert hostile_checks.stored_rows(demo_db) == before


def test_a_formula_in_the_file_is_refused_and_nothing_written(demo_db, tmp_path, capsys):
    before = hostile_checks.stored_rows(demo_db)
    path = write(tmp_path, HEADER, "@SUM(1);utbildning;utredning;A;privat;2026-03-02;2026-03-02;5;planerad;")
    assert main(["--db", str(demo_db), "import", "trainings", str(path)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        '  Rad 2, kolumn "utbildning": "@SUM(1)" ser ut som en kalkylbladsformel och tas inte emot. '
        'Ta bort det inledande "@".'
    )
    assert hostile_checks.stored_rows(demo_db) == before


# --- all or nothing in the store ---------------------------------------------------------------


def _fail_at(db: Path, table: str, n: int) -> None:
    """Make the ``n``th insert into ``table`` (counting from an empty table) fail in SQLite."""
    conn = sqlite3.connect(db)
    conn.execute(
        f"CREATE TRIGGER fail_{table} BEFORE INSERT ON {table} "
        f"WHEN (SELECT count(*) FROM {table}) >= {n - 1} BEGIN SELECT RAISE(ABORT, 'stop at {n}'); END"
    )
    conn.commit()
    conn.close()


@pytest.mark.parametrize("table, n", [("training", 1), ("training", 5), ("occasion", 4), ("occasion", 7),
                                      ("participant", 1), ("participant", 13)])  # fmt: skip
def test_a_failure_at_the_nth_insert_writes_nothing(demo_db, table, n):
    _fail_at(demo_db, table, n)
    before = hostile_checks.stored_rows(demo_db)
    workspace = Workspace.open(demo_db, backup=False)
    try:
        plan = workspace.plan_training_import(SAMPLE)
        assert plan.ok
        with pytest.raises(StoreError) as caught:
            workspace.apply_training_import(plan)
    finally:
        workspace.close()
    assert str(caught.value) == f"Uppgifterna bryter mot en regel i databasen (stop at {n}). Ingenting sparades."
    assert hostile_checks.stored_rows(demo_db) == before


def test_the_last_insert_succeeding_is_what_the_nth_failure_tests_against(demo_db):
    """The sample has exactly 5 trainings, 7 occasions and 13 bookings: a trigger one past each
    lets the import through (so the failures above were at the last insert, not past it)."""
    for table, n in (("training", 6), ("occasion", 8), ("participant", 14)):
        _fail_at(demo_db, table, n)
    workspace = Workspace.open(demo_db, backup=False)
    try:
        outcome = workspace.apply_training_import(workspace.plan_training_import(SAMPLE))
    finally:
        workspace.close()
    assert outcome[:5] == (5, 0, 7, 0, 13)


def _other_window(db: Path, change) -> None:
    other = Workspace.open(db, backup=False)
    try:
        change(other)
    finally:
        other.close()


def _add_training(ws):
    from bouv_tui.domain.plan import Training

    ws.save_training(Training("Samtal med barn", "utbildning", 2026, ("samtal",)))


def _delete_person(ws):
    person = next(p for p in ws.staff() if p.personal_id == "D00002")
    ws.delete_person(person)


def _change_unrelated_person(ws):
    from dataclasses import replace

    person = next(p for p in ws.staff() if p.personal_id == "D00004")  # booked on nothing
    ws.save_person(replace(person, unit="Ny enhet"), shown=person)


@pytest.mark.parametrize("change, stale", [(_add_training, True), (_delete_person, True),
                                           (_change_unrelated_person, False)])  # fmt: skip
def test_another_window_writing_between_check_and_write(demo_db, change, stale):
    workspace = Workspace.open(demo_db, backup=False)
    try:
        plan = workspace.plan_training_import(SAMPLE)
        _other_window(demo_db, change)
        before = plan_rows(demo_db)
        if stale:
            with pytest.raises(StaleImport) as caught:
                workspace.apply_training_import(plan)
            assert str(caught.value) == STALE_PLAN
            assert plan_rows(demo_db) == before
        else:
            workspace.apply_training_import(plan)
            assert len(plan_rows(demo_db)["occasion"]) == 7
    finally:
        workspace.close()


def test_a_stale_plan_of_an_existing_training_is_refused(demo_db, tmp_path):
    """A stored training changed by another window after the file was checked is not
    overwritten with the file's values."""
    shutil.copy(SAMPLE, tmp_path / "utb.csv")
    assert main(["--db", str(demo_db), "import", "trainings", str(tmp_path / "utb.csv")]) == 0
    text = SAMPLE.read_text(encoding="utf-8").replace("Samtalsakademin", "Samtalsakademin AB")
    (tmp_path / "utb.csv").write_text(text, encoding="utf-8")
    workspace = Workspace.open(demo_db, backup=False)
    try:
        plan = workspace.plan_training_import(tmp_path / "utb.csv")
        assert plan.trainings_updated == 1

        def rename(ws):
            from dataclasses import replace

            stored = next(t for t in ws.plan(2026).trainings if t.name == "Samtal med barn")
            ws.save_training(replace(stored, provider="Någon annan"), shown=stored)

        _other_window(demo_db, rename)
        with pytest.raises(StaleImport):
            workspace.apply_training_import(plan)
    finally:
        workspace.close()
    providers = {row[2]: row[4] for row in plan_rows(demo_db)["training"]}
    assert providers["Samtal med barn"] == "Någon annan"

"""`bouv-tui import assessments`: what it stores, what it refuses, and that a refusal stores nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bouv_tui.errors import StaleImport

from bouv_tui.cli import main
from bouv_tui.domain import catalog
from bouv_tui.domain.assessment import Assessment, Round, people_in_round
from bouv_tui.services import Workspace
from bouv_tui.store.db import StoreError
from bouv_tui.store.read import read_assessments, read_rounds, read_staff


def write(tmp_path: Path, text: str, name: str = "bedomning.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), "import", "assessments", *args])


def snapshot(db: Path):
    """Everything an import could change: the rounds and every level in them."""
    return [(r, sorted(read_assessments(db, r.id), key=lambda a: (a.staff_id, a.area))) for r in read_rounds(db)]


def levels(db: Path, year: int) -> dict[tuple[int, str], Assessment]:
    round_ = next(r for r in read_rounds(db) if r.year == year)
    return {(a.staff_id, a.area): a for a in read_assessments(db, round_.id)}


@pytest.fixture
def demo(demo_db):
    """The demo database with names for the people the tests use."""
    staff = read_staff(demo_db)
    round_ = next(r for r in read_rounds(demo_db) if r.year == 2026)
    current = people_in_round(staff, round_)
    caseworker = next(p for p in current if p.is_caseworker)
    leader = next(p for p in current if p.is_team_leader)
    other = next(p for p in staff if p.role == catalog.OTHER_ROLE)
    left = next(p for p in staff if p.role == catalog.CASEWORKER and p.has_left(round_.reference_date))
    return demo_db, round_, caseworker, leader, other, left


def test_import_sets_changes_and_clears_in_an_existing_round(tmp_path, demo, capsys):
    db, round_, caseworker, leader, _, _ = demo
    before = levels(db, 2026)
    assert (caseworker.id, "samtal") in before  # the demo has assessed everyone in 2026
    changed = "fordjupad" if before[(caseworker.id, "utredning")].level != "fordjupad" else "saknar"
    src = write(
        tmp_path,
        "personal_id;namn;Samtal och relationer;utredning;ledarskap\n"
        f"{caseworker.personal_id};{caseworker.name};;{catalog.LEVEL_LETTER[changed]};\n"
        f";{leader.name.upper()};G;F;S\n",
    )
    assert run(db, str(src), "--year", "2026") == 0
    out = capsys.readouterr().out
    assert "personer 2" in out and "Klart:" in out and "skapas" not in out
    after = levels(db, 2026)
    assert (caseworker.id, "samtal") not in after  # the empty cell cleared it
    assert after[(caseworker.id, "utredning")].level == changed
    assert after[(caseworker.id, "utredning")].assessed_on == date.today()
    assert [after[(leader.id, a)].level for a in ("samtal", "utredning", "ledarskap")] == [
        "grundlaggande", "fordjupad", "saknar"
    ]  # fmt: skip
    assert not any(after[(leader.id, a)].carried_over for a in ("samtal", "utredning", "ledarskap"))
    # every other level of the round is as it was
    untouched = {k: v for k, v in before.items() if k[0] not in (caseworker.id, leader.id)}
    assert {k: v for k, v in after.items() if k[0] not in (caseworker.id, leader.id)} == untouched
    assert [r.year for r in read_rounds(db)] == [2025, 2026]


def test_import_into_a_new_round_creates_it_without_copying(tmp_path, demo, capsys):
    db, _, caseworker, _, _, _ = demo
    src = write(tmp_path, f"namn;barns_utveckling\n{caseworker.name};S\n")
    assert run(db, str(src), "--year", "2027") == 0
    assert "Inventeringsomgången 2027 finns inte och skapas (referensdatum 2027-12-31)" in capsys.readouterr().out
    new = next(r for r in read_rounds(db) if r.year == 2027)
    assert new.reference_date == date(2027, 12, 31)
    assert [(a.staff_id, a.area, a.level, a.carried_over) for a in read_assessments(db, new.id)] == [
        (caseworker.id, "barns_utveckling", "saknar", False)
    ]


def test_reimport_of_the_same_file_changes_nothing(tmp_path, demo, capsys):
    db, _, caseworker, _, _, _ = demo
    src = write(tmp_path, f"namn;samtal;utredning\n{caseworker.name};G;F\n")
    assert run(db, str(src), "--year", "2026") == 0
    first = snapshot(db)
    capsys.readouterr()
    assert run(db, str(src), "--year", "2026") == 0
    assert "nivåer som sätts 0, töms 0, oförändrade 2" in capsys.readouterr().out
    assert snapshot(db) == first


def test_errors_exit_1_and_import_nothing(tmp_path, demo, capsys):
    db, _, caseworker, leader, other, left = demo
    before = snapshot(db)
    src = write(
        tmp_path,
        "namn;samtal;ledarskap\n"
        f"{leader.name};F;G\n"  # good on its own
        f"{caseworker.name};G;F\n"  # ledarskap for a caseworker
        f"{other.name};G;\n"  # role annan
        f"{left.name};G;\n"  # left before the reference date
        "Ingen Alls;G;\n",
    )
    assert run(db, str(src), "--year", "2026") == 1
    captured = capsys.readouterr()
    err = captured.err
    assert "fel 4" in captured.out
    assert f'Rad 3, kolumn "ledarskap"' in err and "har rollen annan" in err
    assert f"{left.name} var inte anställd den 2026-12-31" in err and "Ingen Alls" in err
    assert err.strip().endswith("Ingenting har importerats. Rätta felen i filen och försök igen.")
    assert len([line for line in err.splitlines() if line.startswith("  Rad ")]) == 4
    assert snapshot(db) == before


def test_errors_create_no_round(tmp_path, demo, capsys):
    db, _, caseworker, _, _, _ = demo
    before = snapshot(db)
    src = write(tmp_path, f"namn;samtal\n{caseworker.name};G\n{caseworker.name};F\n")
    assert run(db, str(src), "--year", "2030") == 1
    assert "finns redan på rad 2" in capsys.readouterr().err
    assert snapshot(db) == before and 2030 not in [r.year for r in read_rounds(db)]


def test_dry_run_writes_nothing(tmp_path, demo, capsys):
    db, _, caseworker, _, _, _ = demo
    before = snapshot(db)
    for year in ("2026", "2031"):
        src = write(tmp_path, f"namn;samtal;utredning\n{caseworker.name};;S\n")
        assert run(db, str(src), "--year", year, "--dry-run") == 0
        assert "Provkörning: ingenting har sparats." in capsys.readouterr().out
    assert snapshot(db) == before


def test_unreadable_file_exits_1(tmp_path, demo, capsys):
    db = demo[0]
    src = tmp_path / "bedomning.xls"
    src.write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    assert run(db, str(src), "--year", "2026") == 1
    assert ".xls" in capsys.readouterr().err


@pytest.mark.parametrize("year", ["1999", "2101", "-5"])
def test_year_out_of_range_is_a_usage_error(tmp_path, year, capsys):
    db = tmp_path / "k.sqlite"
    src = write(tmp_path, "namn;samtal\nAda;G\n")
    assert run(str(db), str(src), f"--year={year}") == 2
    assert "--year" in capsys.readouterr().err
    assert not db.exists()


def test_missing_file_is_a_usage_error(tmp_path, capsys):
    assert run(tmp_path / "k.sqlite", str(tmp_path / "finns-inte.csv"), "--year", "2026") == 2
    assert "finns inte" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--year", "tjugo"], []])
def test_year_missing_or_not_a_number_is_a_usage_error(tmp_path, args, capsys):
    src = write(tmp_path, "namn;samtal\nAda;G\n")
    with pytest.raises(SystemExit) as exit_:
        run(tmp_path / "k.sqlite", str(src), *args)
    assert exit_.value.code == 2
    assert "--year" in capsys.readouterr().err


def test_empty_database_names_every_unknown_person(tmp_path, capsys):
    db = tmp_path / "tom.sqlite"
    src = write(tmp_path, "namn;samtal\nAda Ek;G\nBo Lind;F\n")
    assert run(db, str(src), "--year", "2026") == 1
    assert capsys.readouterr().err.count("Ingen person i personalregistret") == 2
    assert read_rounds(db) == []


def test_xlsx_file(tmp_path, demo):
    from openpyxl import Workbook

    db, _, caseworker, _, _, _ = demo
    workbook = Workbook()
    workbook.active.append(["personal_id", "Evidensbaserad praktik"])
    workbook.active.append([caseworker.personal_id, "Fördjupad"])
    path = tmp_path / "bedomning.xlsx"
    workbook.save(path)
    assert run(db, str(path), "--year", "2026") == 0
    assert levels(db, 2026)[(caseworker.id, "ebp")].level == "fordjupad"


# --- the write path: one transaction -----------------------------------------------------------


def test_round_creation_is_undone_when_the_levels_cannot_be_saved(tmp_path, demo):
    db = demo[0]
    workspace = Workspace.open(db, backup=False)
    before = snapshot(db)
    bad = [Assessment(999_999, "samtal", "grundlaggande")]  # nobody has this id: a foreign-key error
    with pytest.raises(StoreError):
        workspace.repo.import_assessments(Round.for_year(2032), bad, [])
    workspace.close()
    assert snapshot(db) == before and 2032 not in [r.year for r in read_rounds(db)]


def test_a_round_created_after_the_check_is_not_silently_reused(tmp_path, demo):
    db, _, caseworker, _, _, _ = demo
    workspace = Workspace.open(db, backup=False)
    plan = workspace.plan_assessment_import(write(tmp_path, f"namn;samtal\n{caseworker.name};G\n"), 2033)
    assert plan.ok and plan.new_round
    workspace.create_round(Round.for_year(2033))  # e.g. in the app, while the file was checked
    with pytest.raises(StaleImport, match="2033.*kör importen igen"):
        workspace.apply_assessment_import(plan)
    stored = next(r for r in read_rounds(db) if r.year == 2033)
    assert read_assessments(db, stored.id) == []
    workspace.close()


def test_workspace_outcome_and_refused_plan(tmp_path, demo):
    db, _, caseworker, _, _, _ = demo
    workspace = Workspace.open(db, backup=False)
    plan = workspace.plan_assessment_import(write(tmp_path, f"namn;samtal\n{caseworker.name};F\n"), 2034, date(2026, 1, 2))
    outcome = workspace.apply_assessment_import(plan)
    assert (outcome.set, outcome.cleared, outcome.created_round, outcome.round.year) == (1, 0, True, 2034)
    assert outcome.round.id == next(r.id for r in read_rounds(db) if r.year == 2034)
    assert levels(db, 2034)[(caseworker.id, "samtal")].assessed_on == date(2026, 1, 2)
    bad = workspace.plan_assessment_import(write(tmp_path, "namn;samtal\nIngen;F\n"), 2034)
    with pytest.raises(ValueError, match="an import plan with errors cannot be applied"):
        workspace.apply_assessment_import(bad)
    workspace.close()

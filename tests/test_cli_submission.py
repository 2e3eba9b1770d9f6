"""`bouv-tui check` and `bouv-tui export submission`: exit codes, messages, and that the CLI
writes byte for byte the file the app writes through ``Workspace.export_submission``."""

from __future__ import annotations

from pathlib import Path

import pytest

from bouv_tui.cli import main
from bouv_tui.config import Config
from bouv_tui.domain.submission import WARNING, Problem
from bouv_tui.exchange.exporters import FORMATS, SUFFIXES
from bouv_tui.services import Workspace


def check(db: Path, *args: str) -> int:
    return main(["--db", str(db), "check", *args])


def export(db: Path, *args: str) -> int:
    return main(["--db", str(db), "export", "submission", *args])


# --- check -------------------------------------------------------------------------------------


def test_check_of_a_complete_year_exits_0(demo_db, capsys):
    assert check(demo_db, "--year", "2025") == 0
    assert "Inventeringen 2025 är komplett: inga problem." in capsys.readouterr().out


def test_check_with_errors_lists_them_with_names_and_exits_1(demo_db, capsys):
    submission = Workspace.open(demo_db, backup=False).submission(2026, Config().need_model)
    missing = submission.names[submission.q1_missing["utredning"][0]]
    assert check(demo_db, "--year", "2026") == 1
    out = capsys.readouterr().out
    assert out.splitlines()[0] == "Inventeringen 2026: 13 fel och 1 varning."
    assert f"Utredning: 1 av 24 handläggare är inte bedömda ({missing})." in out  # the chef's own screen
    assert "Fråga 15: Frågan är inte besvarad." in out
    lines = out.splitlines()
    finance = lines.index("Ekonomisk redovisning 2026: 2 varningar.")  # the year's grant: tests/test_cli_budget.py
    assert len([line for line in lines[:finance] if line.startswith("  ")]) == 14


def test_check_with_warnings_only_exits_0(demo_db, capsys, monkeypatch):
    def warnings_only(self, year, model):
        return None, [Problem(WARNING, "fraga_19", "2 behov är förslag som inte är bekräftade.")]

    monkeypatch.setattr(Workspace, "check_submission", warnings_only)
    assert check(demo_db, "--year", "2026") == 0
    assert "Inventeringen 2026: 1 varning." in capsys.readouterr().out


def test_check_of_a_year_without_a_round_exits_1(demo_db, capsys):
    assert check(demo_db, "--year", "2030") == 1
    assert "Det finns ingen inventeringsomgång för 2030" in capsys.readouterr().out


@pytest.mark.parametrize("args", [[], ["--year", "tjugo"]])
def test_check_without_a_year_is_a_usage_error(demo_db, args, capsys):
    with pytest.raises(SystemExit) as exit_:
        check(demo_db, *args)
    assert exit_.value.code == 2
    assert "--year" in capsys.readouterr().err


def test_check_with_a_year_out_of_range_is_a_usage_error(demo_db, capsys):
    assert check(demo_db, "--year", "1999") == 2
    assert "--year ska vara ett år från 2000 till 2100" in capsys.readouterr().err


# --- export submission ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_cli_and_workspace_write_the_same_bytes(demo_db, tmp_path, fmt, capsys):
    cli_out = tmp_path / f"cli{SUFFIXES[fmt]}"
    assert export(demo_db, "--year", "2026", "--format", fmt, "--output", str(cli_out)) == 0
    out = capsys.readouterr().out
    assert f"Inventeringen 2026 är sparad som {fmt} i {cli_out}" in out
    assert "Utkast: 14 problem kvar (13 fel och 1 varning)" in out  # a draft is written, exit 0
    app_out = tmp_path / f"app{SUFFIXES[fmt]}"
    Workspace.open(demo_db, backup=False).export_submission(2026, fmt, app_out, Config().need_model)
    assert cli_out.read_bytes() == app_out.read_bytes()


def test_export_of_a_complete_year_says_so(demo_db, tmp_path, capsys):
    assert export(demo_db, "--year", "2025", "--format", "json", "--output", str(tmp_path / "s.json")) == 0
    assert "Inga problem: inventeringen är komplett." in capsys.readouterr().out


@pytest.mark.parametrize(("name", "fmt"), [("s.json", "json"), ("s.xlsx", "xlsx"), ("s.zip", "csv"), ("s.TXT", "txt")])
def test_the_format_follows_the_file_ending(demo_db, tmp_path, name, fmt, capsys):
    assert export(demo_db, "--year", "2025", "--output", str(tmp_path / name)) == 0
    assert f"sparad som {fmt}" in capsys.readouterr().out


def test_unknown_format_is_a_usage_error_and_writes_nothing(demo_db, tmp_path, capsys):
    target = tmp_path / "s.pdf"
    assert export(demo_db, "--year", "2026", "--format", "pdf", "--output", str(target)) == 2
    assert "Okänt format 'pdf': välj json, xlsx, csv eller txt." in capsys.readouterr().err
    assert export(demo_db, "--year", "2026", "--output", str(target)) == 2
    assert "Formatet framgår inte av filnamnet s.pdf: ange --format json, xlsx, csv eller txt, eller en fil som " \
        "slutar på .json, .xlsx, .zip eller .txt." in capsys.readouterr().err
    assert not target.exists()


def test_missing_output_folder_is_a_data_error_naming_it(demo_db, tmp_path, capsys):
    """The export path's message (tests/test_cli.py has every case, for both exports)."""
    target = tmp_path / "finns-inte" / "s.json"
    assert export(demo_db, "--year", "2026", "--format", "json", "--output", str(target)) == 1
    assert f"Mappen {target.parent} finns inte" in capsys.readouterr().err
    assert not target.parent.exists()


def test_output_that_is_a_folder_is_a_data_error(demo_db, tmp_path, capsys):
    assert export(demo_db, "--year", "2026", "--format", "json", "--output", str(tmp_path)) == 1
    assert f"{tmp_path} är en mapp" in capsys.readouterr().err


@pytest.mark.parametrize("args", [["--format", "csv"], []], ids=["format-csv", "no-format"])
def test_a_csv_export_named_csv_is_refused_it_is_a_zip(demo_db, tmp_path, capsys, args):
    target = tmp_path / "ut" / "inventering.csv"
    target.parent.mkdir()
    assert export(demo_db, "--year", "2026", *args, "--output", str(target)) == 2
    err = capsys.readouterr().err
    assert "csv-formatet är en zip-fil med en CSV-tabell per fråga" in err
    assert "ge filen ändelsen .zip, till exempel inventering.zip. Ingenting har sparats." in err
    assert list(target.parent.iterdir()) == []


def test_a_zip_name_means_csv_tables(demo_db, tmp_path, capsys):
    import zipfile

    target = tmp_path / "inventering.zip"
    assert export(demo_db, "--year", "2026", "--output", str(target)) == 0
    assert f"sparad som csv i {target}" in capsys.readouterr().out
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() and all(name.endswith(".csv") for name in archive.namelist())


@pytest.mark.parametrize("args", [["--format", "json", "--output", "x.json"], ["--year", "2026", "--format", "json"]])
def test_missing_year_or_output_is_a_usage_error(demo_db, args, capsys):
    with pytest.raises(SystemExit) as exit_:
        export(demo_db, *args)
    assert exit_.value.code == 2


def test_export_uses_the_configured_need_model(demo_db, tmp_path, capsys):
    """A need model from the config changes the suggested (unconfirmed) scores of question 19."""
    import json

    from bouv_tui import paths

    default = tmp_path / "default.json"
    assert export(demo_db, "--year", "2026", "--format", "json", "--output", str(default)) == 0
    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[need_model]\nintercept = 5.0\nlacking = 0.0\nadvanced = 0.0\n", encoding="utf-8")
    tuned = tmp_path / "tuned.json"
    assert export(demo_db, "--year", "2026", "--format", "json", "--output", str(tuned)) == 0
    scores = json.loads(tuned.read_text(encoding="utf-8"))["fraga_19"]["omraden"]
    assert set(scores.values()) == {5}
    assert json.loads(default.read_text(encoding="utf-8"))["fraga_19"]["omraden"] != scores

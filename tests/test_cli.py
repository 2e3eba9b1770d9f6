"""The command line: exit codes, messages, and that failed commands write nothing."""

from __future__ import annotations

import stat
import subprocess
import sys

import pytest

from bouv_tui import cli
from bouv_tui.cli import main
from bouv_tui.store.db import StoreError
from bouv_tui.store.read import read_staff

from conftest import TODAY


def test_demo_writes_a_reproducible_private_file(tmp_path, capsys):
    a, b = tmp_path / "a.sqlite", tmp_path / "b.sqlite"
    assert main(["demo", str(a), "--staff", "12", "--seed", "7"]) == 0
    assert main(["demo", str(b), "--staff", "12", "--seed", "7"]) == 0
    assert read_staff(a) == read_staff(b)
    # --staff counts the handläggare employed today; people who left come on top, for turnover
    assert sum(p.is_caseworker and p.is_active(TODAY) for p in read_staff(a)) == 12
    assert stat.S_IMODE(a.stat().st_mode) == 0o600
    assert "Demodatabasen är skriven" in capsys.readouterr().out
    # an existing file is not overwritten without --overwrite
    assert main(["demo", str(a)]) == 1


def test_import_staff_then_reimport_updates(tmp_path, capsys):
    db = tmp_path / "k.sqlite"
    src = tmp_path / "p.csv"
    src.write_text("personal_id;namn;roll\nA1;Ada Ek;handläggare\nA2;Bo Ek;arbetsledare\n", encoding="utf-8")
    assert main(["--db", str(db), "import", "staff", str(src)]) == 0
    assert sorted(p.name for p in read_staff(db)) == ["Ada Ek", "Bo Ek"]
    src.write_text("personal_id;namn;roll;enhet\nA1;Ada Ek;handläggare;Mottagning\n", encoding="utf-8")
    assert main(["--db", str(db), "import", "staff", str(src)]) == 0
    staff = {p.personal_id: p for p in read_staff(db)}
    assert len(staff) == 2 and staff["A1"].unit == "Mottagning"
    assert "uppdateras 1" in capsys.readouterr().out


def test_import_with_errors_exits_1_and_writes_nothing(tmp_path, capsys):
    db = tmp_path / "k.sqlite"
    src = tmp_path / "p.csv"
    src.write_text("namn,roll,anstalld_fran\nAda,handläggare,2024-01-01\nBo,handläggare,1/3/2024\n", encoding="utf-8")
    assert main(["--db", str(db), "import", "staff", str(src)]) == 1
    err = capsys.readouterr().err
    assert "Rad 3" in err and "anstalld_fran" in err and "Ingenting har importerats" in err
    assert read_staff(db) == []


def test_dry_run_writes_nothing(tmp_path, capsys):
    db = tmp_path / "k.sqlite"
    src = tmp_path / "p.csv"
    src.write_text("namn,roll\nAda,handläggare\n", encoding="utf-8")
    assert main(["--db", str(db), "import", "staff", str(src), "--dry-run"]) == 0
    assert read_staff(db) == []
    assert "Provkörning" in capsys.readouterr().out


def test_bouv_db_environment_variable(tmp_path, monkeypatch):
    db = tmp_path / "env.sqlite"
    src = tmp_path / "p.csv"
    src.write_text("namn,roll\nAda,handläggare\n", encoding="utf-8")
    monkeypatch.setenv("BOUV_DB", str(db))
    assert main(["import", "staff", str(src)]) == 0
    assert [p.name for p in read_staff(db)] == ["Ada"]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_staff_round_trips(tmp_path, demo_db, fmt):
    out = tmp_path / f"personal.{fmt}"
    assert main(["--db", str(demo_db), "export", "staff", "--output", str(out)]) == 0
    copy = tmp_path / "copy.sqlite"
    assert main(["--db", str(copy), "import", "staff", str(out)]) == 0
    strip = lambda people: sorted((p.personal_id, p.name, p.role, p.unit, p.fte) for p in people)  # noqa: E731
    assert strip(read_staff(copy)) == strip(read_staff(demo_db))


def test_not_a_database_exits_1_and_leaves_the_file(tmp_path, capsys):
    bad = tmp_path / "inte.sqlite"
    bad.write_bytes(b"hej hej\n" * 100)
    before = bad.read_bytes()
    src = tmp_path / "p.csv"
    src.write_text("namn,roll\nAda,handläggare\n", encoding="utf-8")
    assert main(["--db", str(bad), "import", "staff", str(src)]) == 1
    assert "ingen bouv-tui-databas" in capsys.readouterr().err
    assert bad.read_bytes() == before


def test_usage_errors_exit_2_in_swedish(tmp_path, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["import", "staff"])
    assert exc.value.code == 2
    assert "saknas" in capsys.readouterr().err
    assert main(["--db", "postgresql+psycopg://server/db", "import", "staff", str(tmp_path / "x.csv")]) == 2
    assert main(["--db", str(tmp_path / "k.sqlite"), "import", "staff", str(tmp_path / "finns-inte.csv")]) == 2
    assert main(["--db", str(tmp_path / "k.sqlite"), "export", "staff", "--output", str(tmp_path / "x.pdf")]) == 2


def test_console_script_runs_as_module(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bouv_tui", "demo", str(tmp_path / "m.sqlite"), "--staff", "3"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr


async def test_the_app_starts_with_the_garbage_collector_paused_and_resumes_it(demo_db, monkeypatch):
    """``bouv-tui`` pauses Python's cyclic collector while the UI is imported and the first
    screen built, and the app freezes what the start made and resumes it on Textual's Ready
    (the first frame is on screen), not on a timer."""
    import gc

    from bouv_tui.tui import app as app_module

    monkeypatch.setattr(app_module, "WARM_UP_AFTER_S", 60)  # the warm-up has nothing to do with it
    frozen_before = gc.get_freeze_count()
    try:
        app = cli.start_app(demo_db, start="roster")
        assert not gc.isenabled()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
            assert gc.get_freeze_count() > frozen_before
        app.workspace.close()
    finally:
        gc.unfreeze()
        gc.enable()


def test_a_start_that_fails_after_the_file_is_open_resumes_the_collector_and_closes_the_file(
    demo_db, monkeypatch
):
    import gc

    from bouv_tui.services import Workspace
    from bouv_tui.tui import app as app_module

    closed = []
    monkeypatch.setattr(Workspace, "close", lambda self: closed.append(self))

    def broken(*_args, **_kwargs):
        raise RuntimeError("trasig")

    monkeypatch.setattr(app_module, "BouvApp", broken)
    with pytest.raises(RuntimeError):
        cli.start_app(demo_db, start="roster")
    assert gc.isenabled()
    assert len(closed) == 1


def test_finish_app_resumes_the_collector_when_the_app_ended_before_its_first_frame(demo_db):
    import gc

    app = cli.start_app(demo_db, start="roster")
    try:
        assert not gc.isenabled()  # never run: no first frame, no Ready
        cli.finish_app(app)
        assert gc.isenabled()
    finally:
        gc.enable()


def test_a_file_that_cannot_be_opened_leaves_the_collector_running(tmp_path):
    import gc

    bad = tmp_path / "inte-en-databas.sqlite"
    bad.write_bytes(b"detta ar ingen databas" * 100)
    with pytest.raises(StoreError):
        cli.start_app(bad)
    assert gc.isenabled()


def test_output_into_a_closed_pipe_ends_quietly(demo_db):
    """`bouv-tui check | head`: the reader closes the pipe before the output is written."""
    process = subprocess.Popen(
        [sys.executable, "-m", "bouv_tui", "--db", str(demo_db), "check", "--year", str(TODAY.year)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    process.stdout.close()  # before the interpreter has even started
    _out, err = process.communicate(timeout=60)
    assert b"Traceback" not in err and b"BrokenPipeError" not in err, err.decode()
    assert process.returncode == 1


# --- export staff / export submission: one path for a target that cannot be written -----------
#
# The tests run as root here, where the kernel lets every write through: read-only-ness is the
# owner's permission bits, as the export path (exchange.atomic.check_target) reads them.


EXPORTS = {
    "staff": lambda db, out: ["--db", str(db), "export", "staff", "--format", "csv", "--output", str(out)],
    "submission": lambda db, out: ["--db", str(db), "export", "submission", "--year", "2026", "--format", "json",
                                   "--output", str(out)],
}  # fmt: skip


def listing(folder):
    return sorted((p.name, p.stat().st_mode) for p in folder.iterdir())


@pytest.fixture(params=sorted(EXPORTS))
def export_args(request, demo_db):
    return lambda out: EXPORTS[request.param](demo_db, out)


def test_export_to_a_folder_says_so_and_writes_nothing(export_args, tmp_path, capsys):
    out = tmp_path / "ut"
    out.mkdir()
    assert main(export_args(out)) == 1
    err = capsys.readouterr().err
    assert f"{out} är en mapp. Ingenting har sparats; ange ett filnamn i mappen" in err
    assert "Traceback" not in err and list(out.iterdir()) == []


def test_export_to_a_missing_folder_names_it_and_creates_nothing(export_args, tmp_path, capsys):
    out = tmp_path / "finns-inte" / "fil.json"
    assert main(export_args(out)) == 1
    err = capsys.readouterr().err
    assert f"Mappen {out.parent} finns inte, så fil.json kan inte sparas. Ingenting har sparats; skapa mappen" in err
    assert not out.parent.exists()


def test_export_below_a_file_says_it_is_no_folder(export_args, tmp_path, capsys):
    file = tmp_path / "fil"
    file.write_text("x")
    assert main(export_args(file / "ut.json")) == 1
    assert f"{file} är ingen mapp" in capsys.readouterr().err
    assert file.read_text() == "x"


def test_export_into_a_read_only_folder_is_refused(export_args, tmp_path, capsys):
    folder = tmp_path / "skyddad"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert main(export_args(folder / "ut.json")) == 1
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)
    assert f"Mappen {folder} är skrivskyddad, så ut.json kan inte sparas där" in capsys.readouterr().err


def test_export_over_a_read_only_file_is_refused_and_the_file_kept(export_args, tmp_path, capsys):
    (tmp_path / "ut").mkdir()
    out = tmp_path / "ut" / "ut.json"
    out.write_text("gammalt")
    out.chmod(0o444)
    before = listing(out.parent)
    assert main(export_args(out)) == 1
    err = capsys.readouterr().err
    assert f"{out} är skrivskyddad. Ingenting har sparats; välj ett annat filnamn, eller ta bort skrivskyddet (chmod u+w" in err
    assert out.read_text() == "gammalt" and listing(out.parent) == before  # mode too


def test_export_over_something_that_is_not_a_file_is_refused(export_args, tmp_path, capsys):
    import os

    fifo = tmp_path / "ror"
    os.mkfifo(fifo)
    assert main(export_args(fifo)) == 1
    assert f"{fifo} är ingen vanlig fil och ersätts inte" in capsys.readouterr().err
    assert stat.S_ISFIFO(fifo.stat().st_mode)


@pytest.mark.parametrize(("code", "said"), [
    (28, "disken är full. Ingenting har sparats; frigör utrymme"),
    (13, "du får inte skriva där. Ingenting har sparats; välj en annan mapp"),
    (30, "filsystemet är skrivskyddat"),
    (5, "Input/output error. Ingenting har sparats; försök igen"),
])  # fmt: skip
def test_a_write_that_fails_is_a_message_not_a_traceback(export_args, tmp_path, capsys, monkeypatch, code, said):
    import os

    (tmp_path / "ut").mkdir()
    out = tmp_path / "ut" / "ut.json"
    out.write_text("gammalt")
    before = listing(out.parent)

    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "replace", fail)
    assert main(export_args(out)) == 1
    err = capsys.readouterr().err
    assert f"{out} kunde inte sparas: {said}" in err
    assert out.read_text() == "gammalt" and listing(out.parent) == before  # no temporary file either

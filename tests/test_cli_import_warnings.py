"""The import commands print what the file's values were read as, not only the errors."""

from __future__ import annotations

from bouv_tui.cli import main
from bouv_tui.store import read


def test_a_share_of_full_time_is_said_on_the_command_line(tmp_path, empty_db, capsys):
    roster = tmp_path / "personal.csv"
    roster.write_text(
        "personal_id;namn;roll;sysselsattningsgrad\nW1;Wilma Test;handläggare;0,75\nW2;Walter Test;handläggare;80\n",
        encoding="utf-8",
    )
    assert main(["--db", str(empty_db), "import", "staff", str(roster)]) == 0
    out = capsys.readouterr().out
    assert "Varningar (1), importeras ändå:" in out
    assert 'Rad 2, kolumn "sysselsattningsgrad": 0,75 lästes som andel av heltid: 75 %.' in out
    assert "Rad 3" not in out  # 80 is a percent: nothing to say
    assert {p.personal_id: p.fte for p in read.read_staff(empty_db)} == {"W1": 75, "W2": 80}


def test_a_file_without_warnings_prints_none(tmp_path, empty_db, capsys):
    roster = tmp_path / "personal.csv"
    roster.write_text("personal_id;namn;roll\nW1;Wilma Test;handläggare\n", encoding="utf-8")
    assert main(["--db", str(empty_db), "import", "staff", str(roster), "--dry-run"]) == 0
    assert "Varningar" not in capsys.readouterr().out

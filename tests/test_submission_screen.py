"""Pilot tests: Inlämning (F7) shows the form with its sources and problems, the people behind
a figure, follows changes made elsewhere, and exports."""

from __future__ import annotations

import json

from textual.widgets import Input, Select

from bouv_tui.domain.submission import ERROR
from bouv_tui.tui.screens.submission import PeopleDialog, SubmissionScreen
from bouv_tui.tui.dialogs.exchange import ExportDialog
from bouv_tui.tui.widgets.table import Table

from conftest import settle

SIZE = (140, 45)


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def test_lists_problems_with_the_people_not_assessed(demo_db, make_app):
    app = make_app(demo_db, start="submission")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, SubmissionScreen) and screen.submission.year == 2026
        problems = text(app, "#sub-problem-list")
        assert "FEL" in problems and "VARNING" in problems
        assert "Fråga 15: Frågan är inte besvarad." in problems
        assert "Kerstin Demoqvist" in problems  # question 1 names who is not assessed
        errors = sum(p.severity == ERROR for p in screen.problems)
        assert f"{errors} fel" in text(app, "#sub-summary")
        answers = app.screen.query_one("#sub-answers", Table)
        row = answers.get_row("fraga_2")
        assert str(row[2]) == "härlett" and str(row[3]) == "6"
        assert str(answers.get_row("fraga_15")[3]) == "ej besvarad"
        assert str(answers.get_row("fraga_11")[2]) == "ifyllt"


async def test_enter_on_a_figure_shows_the_people_behind_it(demo_db, make_app):
    app = make_app(demo_db, start="submission")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        answers = screen.query_one("#sub-answers", Table)
        answers.focus()
        answers.move_cursor(row=answers.get_row_index("fraga_4"))
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, PeopleDialog)
        names = text(app, "#people-names")
        expected = [screen.submission.names[i] for i in screen.submission.figures["fraga_4"].people]
        assert len(expected) == 4 and all(name in names for name in expected)
        assert "Personal (F3)" in str(dialog.query(".dialog-body").last().render())
        await pilot.press("escape")
        await pilot.pause()

        q1 = screen.query_one("#sub-q1", Table)
        q1.focus()
        q1.move_cursor(row=q1.get_row_index("samtal"))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PeopleDialog)
        names = text(app, "#people-names")
        assert all(n in names for n in ("Kerstin Demoqvist", "Niklas Låtsasson", "Omar Påhittad"))


async def test_answers_from_the_questionnaire_show_when_coming_back(demo_db, make_app):
    app = make_app(demo_db, start="submission")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "Fråga 15: Frågan är inte besvarad" in text(app, "#sub-problem-list")
        round_id = next(r.id for r in app.workspace.rounds() if r.year == 2026)
        app.workspace.save_answers(round_id, {"fraga_15": {"svar": "nej"}})
        app.data_changed()  # as every save made in a section tells the app
        await pilot.press("f6")
        await settle(app, pilot)
        await pilot.press("f7")
        await settle(app, pilot)
        problems = text(app, "#sub-problem-list")
        assert "Fråga 15" not in problems and "Fråga 16" not in problems
        row = app.screen.query_one("#sub-answers", Table).get_row("fraga_16")
        assert "hoppas över" in str(row[3])


async def test_switching_back_without_a_change_reads_nothing_again(demo_db, make_app, monkeypatch):
    """A summary reads again only when something changed since it was shown (switching
    sections back and forth at national scale cost 0,5 s a time)."""
    from bouv_tui.services import Workspace

    app = make_app(demo_db, start="submission")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        reads = []
        real = Workspace.submission
        monkeypatch.setattr(Workspace, "submission", lambda self, *a, **k: reads.append(1) or real(self, *a, **k))
        await pilot.press("f6")
        await settle(app, pilot)
        await pilot.press("f7")
        await settle(app, pilot)
        assert reads == []
        app.data_changed()
        await pilot.press("f6")
        await settle(app, pilot)
        await pilot.press("f7")
        await settle(app, pilot)
        assert reads == [1]


async def test_x_exports_a_draft_and_says_where(demo_db, make_app, tmp_path):
    app = make_app(demo_db, start="submission")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert "utkast" in str(dialog.query_one(".dialog-title").render())
        assert dialog.query_one("#export-folder", Input).value == str(tmp_path / "documents")
        dialog.query_one("#export-name", Input).value = "inventering.json"
        dialog.query_one("#export-folder", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        written = tmp_path / "documents" / "inventering.json"
        assert written.is_file()
        data = json.loads(written.read_text(encoding="utf-8"))
        assert "Kerstin Demoqvist" not in written.read_text(encoding="utf-8")
        assert data  # the exporter's content is tested with the exporter
        messages = list(app.shown_notices)
        assert any(str(written) in m and "utkast" in m for m in messages)


async def test_export_formats_are_the_submission_formats(demo_db, make_app, tmp_path):
    app = make_app(demo_db, start="submission")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("x")
        await pilot.pause()
        dialog = app.screen
        select = dialog.query_one("#export-format", Select)
        select.value = "txt"
        await pilot.pause()
        assert dialog.query_one("#export-name", Input).value.endswith(".txt")
        dialog.query_one("#export-folder", Input).focus()
        await pilot.press("enter")
        await settle(app, pilot)
        files = list((tmp_path / "documents").glob("*.txt"))
        assert len(files) == 1 and "2026" in files[0].read_text(encoding="utf-8")
    # The screen and the command line write the same file, byte for byte.
    from bouv_tui.cli import main

    from_cli = tmp_path / "cli.txt"
    argv = ["--db", str(demo_db), "export", "submission", "--year", "2026", "--format", "txt", "--output", str(from_cli)]
    assert main(argv) == 0
    assert from_cli.read_bytes() == files[0].read_bytes()


async def test_without_a_round_the_submission_says_so(empty_db, make_app):
    app = make_app(empty_db, start="submission")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.screen.submission.year == 2026  # the fixed clock's year
        assert "Det finns ingen inventeringsomgång för 2026" in text(app, "#sub-problem-list")


# --- snapshots (update: pytest tests/test_submission_screen.py --snapshot-update, then look) ---


async def _loaded(pilot) -> None:
    await settle(pilot.app, pilot)


def test_snapshot_submission_2026(demo_db, make_app, snap_compare):
    assert snap_compare(make_app(demo_db, start="submission"), terminal_size=SIZE, run_before=_loaded)


def test_snapshot_people_behind_a_figure(demo_db, make_app, snap_compare):
    async def people(pilot) -> None:
        await _loaded(pilot)
        answers = pilot.app.screen.query_one("#sub-answers", Table)
        answers.move_cursor(row=answers.get_row_index("fraga_2"))
        await pilot.pause()

    app = make_app(demo_db, start="submission")
    assert snap_compare(app, terminal_size=SIZE, run_before=people, press=["enter"])

"""Every failed save, read or export reaches the user: on each section a busy database
(StoreBusy) and a file error (OSError) end in the app's error dialog, with the message."""

from __future__ import annotations

from pathlib import Path

import pytest

from bouv_tui.store.db import StoreBusy
from bouv_tui.tui.dialogs.common import ErrorDialog
from bouv_tui.tui.dialogs.exchange import ExportChoice
from bouv_tui.tui.widgets.table import Table

from conftest import settle

SIZE = (140, 45)
BUSY = "Databasen är upptagen av ett annat fönster. Ingenting sparades; försök igen."
MISSING = Path("/finns-inte/mapp")


@pytest.fixture(autouse=True)
def no_timers(monkeypatch):
    monkeypatch.setattr("bouv_tui.tui.app.WARM_UP_AFTER_S", 1000)
    monkeypatch.setattr("bouv_tui.tui.app.FOLLOW_EVERY_S", 0)


def failing(error: BaseException):
    def fail(*_args, **_kwargs):
        raise error

    return fail


def disk_error() -> OSError:
    return OSError(5, "Input/output error", "/media/usb/demo.sqlite")


async def dialog_text(app, pilot) -> str:
    await settle(app, pilot)
    assert isinstance(app.screen, ErrorDialog), app.screen
    text = str(app.screen.query_one(".dialog-body").render())
    await pilot.press("escape")
    await settle(app, pilot)
    return text


async def test_start_screen(demo_db, make_app, monkeypatch):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(app.workspace, "dashboard", failing(StoreBusy(BUSY)))
        app.data_changed()  # what the timer does when the file changed
        assert "upptagen" in await dialog_text(app, pilot)
        monkeypatch.setattr(app.workspace, "dashboard", failing(disk_error()))
        app.data_changed()
        assert "/media/usb/demo.sqlite" in await dialog_text(app, pilot)


async def test_settings_form(demo_db, make_app, monkeypatch):
    from bouv_tui.domain.settings import municipalities

    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for error, expected in ((StoreBusy(BUSY), "upptagen"), (disk_error(), "Input/output error")):
            monkeypatch.setattr(app.workspace, "save_settings", failing(error))
            app.action_settings()
            await pilot.pause()
            app.screen.query_one("#field-kommunkod").value = municipalities()[0].code
            await pilot.press("ctrl+s")
            assert expected in await dialog_text(app, pilot)


async def test_roster(demo_db, make_app, monkeypatch):
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        monkeypatch.setattr(app.workspace, "save_person", failing(StoreBusy(BUSY)))
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("ctrl+s")
        assert "upptagen" in await dialog_text(app, pilot)
        app.screen._export(ExportChoice(MISSING / "personal.csv", "csv"))  # what the export dialog hands on
        assert str(MISSING) in await dialog_text(app, pilot)


async def test_assessment(demo_db, make_app, monkeypatch):
    from bouv_tui.store.read import read_assessments

    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        person, area = screen.current_person(), screen.current_area()
        before = {(a.staff_id, a.area): a.level for a in read_assessments(demo_db, screen.grid.round.id)}
        monkeypatch.setattr(app.workspace, "save_levels", failing(StoreBusy(BUSY)))
        await pilot.press("s")
        assert "upptagen" in await dialog_text(app, pilot)
        # The grid shows what is stored, not the level that was not saved.
        assert screen.grid.level(person.id, area) is None or screen.grid.level(person.id, area).level == before.get(
            (person.id, area)
        )
        monkeypatch.setattr(app.workspace, "save_levels", failing(disk_error()))
        await pilot.press("g")
        assert "Input/output error" in await dialog_text(app, pilot)
        screen._plan_import(MISSING / "bedomning.csv", 2026)  # the file went between choosing and reading
        assert "bedomning.csv" in await dialog_text(app, pilot)


async def test_needs(demo_db, make_app, monkeypatch):
    app = make_app(demo_db, start="needs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("v")  # arbetsledare: unconfirmed suggestions
        for error, expected in ((StoreBusy(BUSY), "upptagen"), (disk_error(), "Input/output error")):
            monkeypatch.setattr(app.workspace, "save_need_choices", failing(error))
            await pilot.press("A")
            assert expected in await dialog_text(app, pilot)


async def test_questionnaire(demo_db, make_app, monkeypatch):
    app = make_app(demo_db, start="questionnaire")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        box = app.screen.query_one("#ej_rekvirerat_utbildningsmedel")
        for error, expected in ((StoreBusy(BUSY), "upptagen"), (disk_error(), "Input/output error")):
            monkeypatch.setattr(app.workspace, "save_answers", failing(error))
            box.focus()
            await pilot.press("space")
            wanted = box.value
            assert expected in await dialog_text(app, pilot)
            assert box.value == wanted  # what was chosen stays on screen, to save again (Ctrl+S)


async def test_submission(demo_db, make_app, monkeypatch):
    app = make_app(demo_db, start="submission")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.screen._export(2026, ExportChoice(MISSING / "inventering.json", "json"), 0)
        assert str(MISSING) in await dialog_text(app, pilot)
        monkeypatch.setattr(app.workspace, "submission", failing(StoreBusy(BUSY)))
        app.data_changed()
        assert "upptagen" in await dialog_text(app, pilot)
        table = app.screen.query_one("#sub-answers", Table)
        assert table.row_count  # what was shown before stays


async def test_the_app_keeps_the_last_notices_it_showed(demo_db, make_app):
    from bouv_tui.tui.app import NOTICES_KEPT

    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.shown_notices.clear()
        for n in range(NOTICES_KEPT):
            app.screen.notify(f"Notis {n}")  # from a screen as from the app
        assert len(app.shown_notices) == NOTICES_KEPT and app.shown_notices[0] == "Notis 0"
        app.notify("En till", severity="warning")
        assert len(app.shown_notices) == NOTICES_KEPT
        assert (app.shown_notices[0], app.shown_notices[-1]) == ("Notis 1", "En till")

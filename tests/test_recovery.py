"""A database that cannot be opened: the app shows the error and the backups, and restores
one after asking (the same as `bouv-tui restore`)."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from bouv_tui.domain.roster import StaffMember
from bouv_tui.services import Workspace
from bouv_tui.store import db, read
from bouv_tui.tui.recovery import RecoveryApp


def damaged_with_backup(tmp_path: Path) -> tuple[Path, db.StoreError]:
    path = tmp_path / "kommun.sqlite"
    ws = Workspace.open(path)
    ws.save_person(StaffMember(name="Ada Berg", role="handlaggare"))
    ws.close()
    db.make_backup(path)
    assert db.all_backups(path)
    path.write_bytes(b"")  # emptied, e.g. by a failed copy: refused, with backups beside it
    with pytest.raises(db.StoreError) as raised:
        db.open_database(path)
    return path, raised.value


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_backups_are_listed_and_one_is_restored_after_asking(tmp_path):
    path, error = damaged_with_backup(tmp_path)
    app = RecoveryApp(path, error)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert str(error) in str(app.query_one("#recovery-error", Static).render())
        options = app.query_one("#recovery-list", OptionList)
        assert options.option_count == 1 and "1 personer" in str(options.get_option_at_index(0).prompt)
        await pilot.press("enter")  # asks first
        await pilot.pause()
        assert path.read_bytes() == b""  # nothing yet
        await pilot.click("#confirm-yes")
        await settle(pilot)
        assert "databasen är återställd" in str(app.query_one("#recovery-result", Static).render())
        await pilot.press("enter")
    assert app.return_value == "open"
    assert [p.name for p in read.read_staff(path)] == ["Ada Berg"]


async def test_cancelling_changes_nothing(tmp_path):
    path, error = damaged_with_backup(tmp_path)
    app = RecoveryApp(path, error)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        await pilot.click("#confirm-no")
        await pilot.pause()
        await pilot.press("q")
    assert app.return_value is None
    assert path.read_bytes() == b""


async def test_a_damaged_backup_cannot_be_chosen(tmp_path):
    path, error = damaged_with_backup(tmp_path)
    (backup,) = db.all_backups(path)
    backup.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)
    app = RecoveryApp(path, error)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.query_one("#recovery-list", OptionList).get_option_at_index(0).disabled
        assert "Ingen av säkerhetskopiorna är hel" in str(app.query_one("#recovery-result", Static).render())
        await pilot.press("enter")
        await pilot.press("q")
    assert path.read_bytes() == b""


async def test_damage_found_while_working_offers_the_backups(tmp_path, make_app):
    """A page found damaged while the app works (a read fails "malformed"): the error dialog
    says so in Swedish, names the restore command, and offers the backups; choosing that
    ends the app with "restore", which `bouv-tui` answers with the recovery screen."""
    import sqlite3

    from textual.widgets import Button

    from bouv_tui.tui.app import RESTORE
    from bouv_tui.tui.dialogs.common import ErrorDialog

    path = tmp_path / "kommun.sqlite"
    Workspace.open(path).close()
    db.make_backup(path)
    app = make_app(path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.report_error("Personalen kunde inte läsas", sqlite3.DatabaseError("database disk image is malformed"))
        await pilot.pause()
        assert isinstance(app.screen, ErrorDialog)
        body = " ".join(str(s.render()) for s in app.screen.query(Static))
        assert "är skadad och kan inte läsas (database disk image is malformed)" in body
        assert "restore" in body and "Traceback" not in body
        app.screen.query_one("#error-restore", Button).press()
        await pilot.pause()
    assert app.return_value == RESTORE


async def test_a_store_error_that_is_not_damage_offers_no_restore(tmp_path, make_app):
    from textual.widgets import Button

    from bouv_tui.tui.dialogs.common import ErrorDialog

    path = tmp_path / "kommun.sqlite"
    Workspace.open(path).close()
    db.make_backup(path)
    app = make_app(path, demo=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.report_error("Sparades inte", db.StoreBusy("Databasen är upptagen."))
        await pilot.pause()
        assert isinstance(app.screen, ErrorDialog)
        assert not app.screen.query("#error-restore")
        app.screen.query_one("#error-ok", Button).press()
        await pilot.pause()
        assert not isinstance(app.screen, ErrorDialog)

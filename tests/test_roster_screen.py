"""Pilot tests: keystrokes in the roster screen change what is stored and shown."""

from __future__ import annotations

from dataclasses import replace

from textual.widgets import Button, Input, Select

from bouv_tui.config import Config, UiPreferences
from bouv_tui.domain.roster import roster_figures
from bouv_tui.store.read import read_settings, read_staff
from bouv_tui.tui.screens.roster import RosterScreen
from bouv_tui.tui.dialogs.common import ConfirmDialog, ErrorDialog, HelpScreen
from bouv_tui.tui.dialogs.exchange import ImportPreview
from bouv_tui.tui.dialogs.settings_form import SettingsForm
from bouv_tui.tui.dialogs.staff_form import StaffForm
from bouv_tui.tui.widgets.table import Table

from conftest import TODAY, settle

SIZE = (140, 45)


def table(app) -> Table:
    return app.screen.query_one("#roster-table", Table)


async def type_into(pilot, selector: str, text: str) -> None:
    await pilot.click(selector)
    widget = pilot.app.screen.query_one(selector, Input)
    widget.value = ""
    await pilot.press(*text)


async def test_roster_shows_active_staff_and_figures(demo_db, make_app):
    app = make_app(demo_db, start="roster")
    staff = read_staff(demo_db)
    active = [p for p in staff if not p.has_left(TODAY)]
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the whole roster is read by a worker
        assert isinstance(app.screen, RosterScreen)
        assert table(app).row_count == len(active)
        figures = roster_figures(staff, TODAY)
        text = str(app.screen.query_one("#fig-caseworkers").render())
        assert str(figures.caseworkers) in text
        unqualified = app.screen.query_one("#fig-unqualified")
        assert unqualified.has_class("problem") == bool(figures.unqualified)
        # h shows the people who left too
        await pilot.press("h")
        await pilot.pause()
        assert table(app).row_count == len(staff)
        # b narrows to caseworkers without degree and certificate
        await pilot.press("h", "b")
        await pilot.pause()
        assert table(app).row_count == len(figures.unqualified) >= 1


async def test_adding_a_person_with_keystrokes_stores_them(demo_db, make_app):
    app = make_app(demo_db, start="roster")
    before = len(read_staff(demo_db))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the whole roster is read by a worker
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, StaffForm)
        # Roll: the select has focus; open it and take the first role (Handläggare).
        await pilot.press("enter", "down", "enter")
        await type_into(pilot, "#field-name", "Tova Nyansson")
        await type_into(pilot, "#field-fte", "75")
        await type_into(pilot, "#field-employed_from", "2026-09-01")
        await pilot.click("#field-social_work_degree")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, RosterScreen)
    stored = {p.name: p for p in read_staff(demo_db)}
    assert len(stored) == before + 1
    tova = stored["Tova Nyansson"]
    assert (tova.role, tova.fte, tova.employed_from.isoformat(), tova.social_work_degree) == (
        "handlaggare", 75, "2026-09-01", True
    )


async def test_form_refuses_bad_values_and_saves_nothing(demo_db, make_app):
    app = make_app(demo_db, start="roster")
    before = read_staff(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the whole roster is read by a worker
        await pilot.press("a")
        await pilot.pause()
        await type_into(pilot, "#field-employed_from", "1/3/2024")
        await type_into(pilot, "#field-fte", "140")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StaffForm)
        errors = {e.id: str(e.render()) for e in app.screen.query(".field-error") if e.display}
        assert "ÅÅÅÅ-MM-DD" in errors["error-employed_from"]
        assert "1 till 100" in errors["error-fte"]
        assert "roll" in errors["error-role"].lower()
        assert "Namn" in errors["error-name"]
        await pilot.press("escape")
        await pilot.pause()
    assert read_staff(demo_db) == before


async def test_a_pasted_invisible_character_is_refused_as_an_import_refuses_it(demo_db, make_app):
    app = make_app(demo_db, start="roster")
    before = read_staff(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, StaffForm)
        await pilot.click("#field-unit")
        app.screen.query_one("#field-unit", Input).value = "Mottag\u200bning"  # as a paste puts it
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, StaffForm)
        errors = {e.id: str(e.render()) for e in app.screen.query(".field-error") if e.display}
        assert errors == {"error-unit": '"Mottagning" innehåller ett osynligt tecken (U+200B, nollbreddsmellanslag) '
                                        "på plats 7. Ta bort det (skriv om värdet för hand om du inte ser var det är)."}
        await pilot.press("escape")
        await pilot.pause()
    assert read_staff(demo_db) == before


async def test_editing_changes_the_database(demo_db, make_app):
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the whole roster is read by a worker
        screen = app.screen
        first = screen.current()
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, StaffForm)
        await type_into(pilot, "#field-unit", "Nya teamet")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
    changed = next(p for p in read_staff(demo_db) if p.id == first.id)
    assert changed.unit == "Nya teamet"
    assert replace(changed, unit=first.unit, version=first.version) == first


async def test_delete_asks_first_and_cancel_keeps_the_person(demo_db, make_app):
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the whole roster is read by a worker
        victim = app.screen.current()
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert victim.id in {p.id for p in read_staff(demo_db)}
        await pilot.press("delete")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await settle(app, pilot)
        assert victim.name not in [row.cells[0].plain for row in table(app).rows]
    assert victim.id not in {p.id for p in read_staff(demo_db)}


async def test_filter_as_you_type_and_sort(demo_db, make_app):
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the whole roster is read by a worker
        total = table(app).row_count
        await pilot.press("slash", *"mottag")
        await pilot.pause()
        shown = app.screen.shown
        assert 0 < len(shown) < total
        assert all("mottag" in (p.unit + p.name).lower() for p in shown)
        await pilot.press("enter", "v")
        await pilot.pause()
        names = [p.name.casefold() for p in app.screen.shown]
        assert names == sorted(names, reverse=True)


async def test_enter_on_a_row_opens_the_form_for_that_person(demo_db, make_app):
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "down")
        await pilot.pause()
        person = app.screen.current()
        assert person is not None and person.id == app.screen.shown[2].id
        await pilot.press("enter")  # as the help says: e or Enter edits
        await pilot.pause()
        assert isinstance(app.screen, StaffForm)
        assert app.screen.query_one("#field-name", Input).value == person.name


async def test_sorting_by_key_and_by_heading_shows_the_arrow_whole(demo_db, make_app):
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s", "s", "v")  # name → role → qualification, then reversed
        await pilot.pause()
        assert (app.screen.sort, app.screen.descending) == ("qualified", True)
        column = table(app).columns[table(app).get_column_index("qualified")]
        assert column.label.plain.endswith(" ▼")
        # The heading with its arrow fits its column (the old table cut the arrow off).
        assert column.width >= len(column.label.plain)
        assert column.label.plain in table(app).render_line(0).text
        # A click on a heading sorts by it; a second click turns the order round.
        role_x = table(app).column_width(0) + 1
        await pilot.click("#roster-table", offset=(role_x, 0))
        await pilot.pause()
        assert (app.screen.sort, app.screen.descending) == ("role", False)
        await pilot.click("#roster-table", offset=(role_x, 0))
        await pilot.pause()
        assert (app.screen.sort, app.screen.descending) == ("role", True)
        roles = [p.role for p in app.screen.shown]
        assert roles == sorted(roles, reverse=True)


async def test_paging_when_the_roster_is_long(demo_db, make_app):
    app = make_app(demo_db, config=Config(ui=UiPreferences(page_size=20)), start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the whole roster is read by a worker
        shown = len(app.screen.shown)
        assert shown > 20
        assert table(app).row_count == 20
        await pilot.press("right_square_bracket")
        await pilot.pause()
        assert table(app).row_count == shown - 20
        assert "sida 2 av 2" in str(app.screen.query_one("#roster-status").render())


async def test_first_run_asks_for_kommun_and_contact(empty_db, make_app):
    app = make_app(empty_db, demo=False, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the whole roster is read by a worker
        await pilot.pause()
        assert isinstance(app.screen, SettingsForm)
        app.screen.query_one("#field-kommunkod", Select).value = "0180"
        await type_into(pilot, "#field-contact_name", "Kim Kontakt")
        await type_into(pilot, "#field-email", "inte-en-adress")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SettingsForm)  # bad e-mail keeps the form open
        await type_into(pilot, "#field-email", "kim@kommun.se")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, RosterScreen)
        assert "Stockholm" in app.title
    saved = read_settings(empty_db)
    assert (saved.kommun, saved.contact_name, saved.email) == ("Stockholm", "Kim Kontakt", "kim@kommun.se")


async def test_import_from_the_screen_previews_then_writes(empty_db, make_app, tmp_path):
    source = tmp_path / "personal.csv"
    source.write_text("namn;roll;enhet\nAda Import;handläggare;Mottagning\nBo Import;arbetsledare;\n", encoding="utf-8")
    app = make_app(empty_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the whole roster is read by a worker
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*str(source), "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ImportPreview)
        assert "Läggs till: 2" in str(app.screen.query_one("#preview-summary").render())
        assert read_staff(empty_db) == []  # nothing written before the user confirms
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert table(app).row_count == 2
    assert sorted(p.name for p in read_staff(empty_db)) == ["Ada Import", "Bo Import"]


async def test_import_with_errors_cannot_be_confirmed(empty_db, make_app, tmp_path):
    source = tmp_path / "trasig.csv"
    source.write_text("namn,roll,anstalld_fran\nAda,handläggare,2024-01-01\nBo,chef,1/3/2024\n", encoding="utf-8")
    app = make_app(empty_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the whole roster is read by a worker
        await pilot.press("i")
        await pilot.pause()
        await pilot.press(*str(source), "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ImportPreview)
        assert app.screen.query_one("#preview-confirm", Button).disabled
        errors = app.screen.query_one("#preview-errors", Table)
        assert {row.cells[0].plain for row in errors.rows} == {"3"}  # the file's line 3
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ImportPreview)
    assert read_staff(empty_db) == []


async def test_export_from_the_screen_writes_the_file(demo_db, make_app, tmp_path):
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the whole roster is read by a worker
        await pilot.press("x")
        await pilot.pause()
        folder = app.screen.query_one("#export-folder", Input)
        folder.value = str(tmp_path)
        await pilot.click("#export-go")
        await settle(app, pilot)
    written = tmp_path / f"personal-{TODAY.isoformat()}.csv"
    assert written.exists()
    lines = written.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("personal_id")
    assert len(lines) - 1 == len(read_staff(demo_db))  # everyone, also people who left


async def test_help_and_key_remap_and_config_notice(demo_db, make_app):
    app = make_app(demo_db, config=Config(keys={"roster.add": "n"}), notices=["config.toml har ett fel på rad 3"], start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)  # the whole roster is read by a worker
        assert any("rad 3" in message for message in app.shown_notices)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape", "n")
        await pilot.pause()
        assert isinstance(app.screen, StaffForm)


async def test_a_failed_write_opens_the_error_dialog(demo_db, make_app, monkeypatch):
    """Another program holds the write lock: the save fails with a dialog, not a traceback."""
    import sqlite3

    from bouv_tui.store import db

    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        person = app.screen.current()
        blocker = sqlite3.connect(demo_db)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            app.screen._write_person(replace(person, unit="Annat"))
            await settle(app, pilot)
            assert isinstance(app.screen, ErrorDialog)
            assert "upptagen" in str(app.screen.query_one(".dialog-body").render())
        finally:
            blocker.rollback()
            blocker.close()
    assert next(p for p in read_staff(demo_db) if p.id == person.id).unit == person.unit


async def test_r_steps_the_role_filter_through_the_roles(demo_db, make_app):
    from bouv_tui.domain import catalog

    app = make_app(demo_db, start="roster")
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        everyone = len(screen.shown)
        seen = []
        for _ in range(len(catalog.ROLES) + 1):
            await pilot.press("r")
            await pilot.pause()
            seen.append(screen.role_filter)
            if screen.role_filter is not None:
                assert screen.shown and all(p.role == screen.role_filter for p in screen.shown)
                label = str(screen.query_one("#roster-role").render())
                assert catalog.ROLES.label(screen.role_filter) in label
        assert seen == [*catalog.ROLES.codes(), None]
        assert len(screen.shown) == everyone
        await pilot.click("#roster-role")  # the label steps too
        await pilot.pause()
        assert screen.role_filter == catalog.ROLES.codes()[0]


def test_roster_cells_show_brackets_as_written_not_as_markup():
    from datetime import date

    from rich.text import Text

    from bouv_tui.domain import catalog
    from bouv_tui.domain.roster import StaffMember
    from bouv_tui.tui.screens.roster import _cells

    person = StaffMember(name="Ada [b]Exempel[/b]", role=catalog.CASEWORKER, unit="Barn [Nord]",
                         employed_from=date(2020, 1, 1))  # fmt: skip
    cells = _cells(person, TODAY)
    assert all(isinstance(cell, Text) for cell in cells)
    assert cells[0].plain == "Ada [b]Exempel[/b]"
    from bouv_tui.domain.roster import COLUMNS

    assert cells[[code for code, _ in COLUMNS].index("unit")].plain == "Barn [Nord]"

"""What every dialog shares: Ctrl+S confirms, Esc cancels, the key line shows the dialog's
keys, and a form asks before Esc throws edits away."""

from __future__ import annotations

from textual.app import App
from textual.widgets import Input, Static

from bouv_tui.domain.needs import make_other
from bouv_tui.domain.roster import StaffMember
from bouv_tui.tui.dialogs.common import ConfirmDialog, ErrorDialog
from bouv_tui.tui.widgets.key_bar import KeyBar
from bouv_tui.tui.dialogs.needs import OtherNeedDialog
from bouv_tui.tui.dialogs.staff_form import StaffForm

ADA = StaffMember(name="Ada Berg", role="handlaggare", id=1, unit="Nord", version=1)


class Host(App):
    """An app that opens one dialog and keeps what it answered."""

    def __init__(self, dialog):
        super().__init__()
        self.dialog = dialog
        self.answers: list = []

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.answers.append)


async def opened(pilot) -> None:
    await pilot.pause()
    await pilot.pause()


async def test_ctrl_s_confirms_a_dialog_without_a_binding_of_its_own():
    app = Host(ConfirmDialog("Ta bort?", "Allt om personen försvinner."))
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.answers == [True]


async def test_ctrl_s_in_an_error_dialog_is_ok_never_the_restore_choice():
    app = Host(ErrorDialog("Fel", "Filen är skadad.", offer_restore=True))
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert app.answers == [None]


async def test_the_key_line_shows_the_dialogs_keys():
    app = Host(ConfirmDialog("Ta bort?", "Allt om personen försvinner."))
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        bar = app.screen.query_one(KeyBar)
        line = str(bar.render_line(0).text) if hasattr(bar, "render_line") else ""
        assert "Avbryt" in line and "OK" in line


async def test_esc_in_an_unchanged_form_closes_it_at_once():
    app = Host(StaffForm(ADA))
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await pilot.press("escape")
        await pilot.pause()
    assert app.answers == [None]


async def test_esc_in_an_edited_form_asks_and_keeps_the_edit_until_told():
    app = Host(StaffForm(ADA))
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        unit = app.screen.query_one("#field-unit", Input)
        unit.value = "Syd"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)  # asks
        await pilot.press("escape")  # "no": back in the form, the edit still there
        await pilot.pause()
        assert isinstance(app.screen, StaffForm) and app.screen.query_one("#field-unit", Input).value == "Syd"
        assert app.answers == []
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#confirm-yes")  # "Släng"
        await pilot.pause()
    assert app.answers == [None]


async def test_a_need_of_7_in_annat_is_refused_with_the_reason():
    def check(label: str, score: str):
        return make_other("handlaggare", 1, label, int(score) if score.isdigit() else 0)

    app = Host(OtherNeedDialog("Annat", "", None, check))
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        await pilot.press(*"Hedersvåld")
        await pilot.press("enter")  # to the score
        await pilot.press("7")
        assert app.screen.query_one("#other-score", Input).value == "7"  # not dropped silently
        await pilot.press("enter")
        await pilot.pause()
        shown = str(app.screen.query_one("#error-other", Static).render())
        assert "Behovet ska vara ett heltal från 1 till 5." in shown
        assert app.answers == []


async def test_enter_in_the_import_previews_list_imports(tmp_path):
    from datetime import date

    from bouv_tui.exchange.staff_import import plan_staff_import, read_table
    from bouv_tui.tui.dialogs.exchange import ImportPreview
    from bouv_tui.tui.widgets.table import Table

    file = tmp_path / "p.csv"
    file.write_text("namn;roll\nAda Berg;handläggare\n", encoding="utf-8")
    plan = plan_staff_import(read_table(file), [], date(2026, 12, 1))
    app = Host(ImportPreview(file, plan))
    async with app.run_test(size=(80, 24)) as pilot:
        await opened(pilot)
        app.screen.query_one("#preview-adds", Table).focus()  # after Tab: the list of new people
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
    assert app.answers == [True]

"""The import and export dialogs' file pickers: where they open, what they answer, their keys,
and that a typed path (with ``~``) still works beside them."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Input, Static
from textual_fspicker.parts import DirectoryNavigation

from bouv_tui.tui.dialogs.exchange import ExportChoice, ExportDialog, ImportFileDialog
from bouv_tui.tui.dialogs.file_picker import PickFile, PickFolder, start_folder
from bouv_tui.tui.widgets.key_bar import KeyBar


class Host(App):
    """Opens one dialog; the folder last used is ``last`` (the app keeps it in its cache)."""

    def __init__(self, dialog, last: Path):
        super().__init__()
        self.dialog = dialog
        self.last = last
        self.answers: list = []

    def export_folder(self) -> Path:
        return self.last

    def on_mount(self) -> None:
        self.push_screen(self.dialog, self.answers.append)


def listed(navigation: DirectoryNavigation) -> list[str]:
    """The names the file list offers, its way up (``..``) left out."""
    entries = [navigation.get_option_at_index(i) for i in range(navigation.option_count)]
    return [e.location.name for e in entries if e.location.name != ".."]


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.pause()


def importing(last: Path) -> Host:
    return Host(ImportFileDialog("Importera personal", "CSV eller XLSX"), last)


async def browse(pilot):
    """Ctrl+O in the dialog that is open: the picker it opened."""
    await settle(pilot)
    await pilot.press("ctrl+o")
    await settle(pilot)
    return pilot.app.screen


@pytest.fixture
def folders(tmp_path):
    last = tmp_path / "senast"
    other = tmp_path / "annan"
    for folder in (last, other):
        folder.mkdir()
    (other / "personal.csv").write_text("namn;roll\nAda Berg;handläggare\n", encoding="utf-8")
    (other / "anteckning.txt").write_text("inte en import", encoding="utf-8")
    return last, other


def test_start_folder_is_the_typed_folder_or_the_typed_files_folder_else_the_last(folders, monkeypatch, tmp_path):
    last, other = folders
    assert start_folder(str(other), last) == other
    assert start_folder(f"  {other / 'personal.csv'}  ", last) == other
    assert start_folder(str(other / "finns-inte.csv"), last) == other  # a new name in a real folder
    assert start_folder(str(tmp_path / "saknas" / "x.csv"), last) == last
    assert start_folder("", last) == last
    assert start_folder("   ", last) == last
    assert start_folder("personal.csv", last) == last  # no folder typed: not the working directory
    monkeypatch.setenv("HOME", str(tmp_path))
    assert start_folder("~/annan/personal.csv", last) == other
    assert start_folder("~/annan", last) == other
    assert start_folder("\x00", last) == last  # an impossible path is not an error here


async def test_import_picker_opens_in_the_last_folder_and_the_chosen_file_goes_to_the_preview(folders):
    last, other = folders
    app = importing(last)
    async with app.run_test(size=(80, 24)) as pilot:
        picker = await browse(pilot)
        assert isinstance(picker, PickFile)
        navigation = picker.query_one(DirectoryNavigation)
        assert navigation.location == last
        navigation.location = other
        await settle(pilot)
        # Only CSV and XLSX files are listed at first: the text file is not offered.
        assert listed(navigation) == ["personal.csv"]  # not the text file
        picker.query_one(Input).value = "personal.csv"
        await pilot.press("ctrl+s")  # Ctrl+S chooses, as in every dialog
        await settle(pilot)
    assert app.answers == [other / "personal.csv"]


async def test_import_picker_opens_where_the_typed_path_points(folders):
    last, other = folders
    app = importing(last)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#import-path", Input).value = str(other / "person")
        await pilot.click("#import-browse")
        await settle(pilot)
        assert isinstance(app.screen, PickFile)
        assert app.screen.query_one(DirectoryNavigation).location == other


async def test_esc_in_the_picker_goes_back_to_the_dialog_with_the_field_as_it_was(folders):
    last, other = folders
    app = importing(last)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        app.screen.query_one("#import-path", Input).value = "~/något.csv"
        await pilot.press("ctrl+o")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ImportFileDialog)
        assert app.screen.query_one("#import-path", Input).value == "~/något.csv"
    assert app.answers == []


async def test_a_file_that_is_not_csv_or_xlsx_picked_with_all_files_is_refused_by_the_dialog(folders):
    last, other = folders
    app = importing(last)
    async with app.run_test(size=(80, 24)) as pilot:
        picker = await browse(pilot)
        picker.query_one(DirectoryNavigation).location = other
        await settle(pilot)
        picker.query_one(Input).value = "anteckning.txt"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ImportFileDialog)  # back, with the reason next to the field
        assert app.screen.query_one("#import-path", Input).value == str(other / "anteckning.txt")
        error = str(app.screen.query_one("#import-path-error", Static).render())
        assert "Filen ska vara .csv eller .xlsx." in error
    assert app.answers == []


async def test_the_picker_asks_for_a_file_that_does_not_exist_in_swedish(folders):
    last, _other = folders
    app = importing(last)
    async with app.run_test(size=(80, 24)) as pilot:
        picker = await browse(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert picker.query_one("Dialog").border_subtitle == "Välj en fil"
        picker.query_one(Input).value = "saknas.csv"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is picker
        assert picker.query_one("Dialog").border_subtitle == "Filen finns inte"


async def test_the_pickers_key_line_shows_the_pickers_keys(folders):
    last, _other = folders
    app = importing(last)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+o")
        await settle(pilot)
        line = str(app.screen.query_one(KeyBar).render())
        assert "Välj" in line and "Avbryt" in line
        assert "Bläddra" not in line  # not the import dialog's keys behind it


async def test_export_picker_puts_the_chosen_folder_in_the_field(folders):
    last, other = folders
    dialog = ExportDialog("Exportera personal", last, "personal", ("csv", "xlsx"))
    app = Host(dialog, last)
    async with app.run_test(size=(80, 24)) as pilot:
        picker = await browse(pilot)
        assert isinstance(picker, PickFolder)
        navigation = picker.query_one(DirectoryNavigation)
        assert navigation.location == last
        navigation.location = other
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        assert dialog.query_one("#export-folder", Input).value == str(other)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert app.answers == [ExportChoice(other / "personal.csv", "csv")]


async def test_a_typed_folder_with_a_tilde_still_exports_there(folders, monkeypatch, tmp_path):
    last, other = folders
    monkeypatch.setenv("HOME", str(tmp_path))
    dialog = ExportDialog("Exportera personal", last, "personal", ("csv", "xlsx"))
    app = Host(dialog, last)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        dialog.query_one("#export-folder", Input).value = "~/annan"
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert app.answers == [ExportChoice(other / "personal.csv", "csv")]


async def test_the_picker_fits_at_80_by_24_and_lists_the_files(folders):
    last, other = folders
    app = importing(other)
    async with app.run_test(size=(80, 24)) as pilot:
        picker = await browse(pilot)
        box = picker.query_one("Dialog").region
        assert box.right <= 80 and box.bottom <= 23  # above the key line
        for button in picker.query("Button"):
            assert button.region.right <= box.right and button.region.bottom <= box.bottom
        navigation = picker.query_one(DirectoryNavigation)
        assert navigation.region.height >= 5
        assert listed(navigation) == ["personal.csv"]

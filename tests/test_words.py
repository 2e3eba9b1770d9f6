"""Words a chef reads: what the screens say in the cases that used to read wrong."""

from __future__ import annotations

from textual.widgets import Select, Static

from bouv_tui.domain import catalog
from conftest import TODAY, settle


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def test_f4_compares_with_the_nation_only_for_handlaggare(demo_db, make_app):
    app = make_app(demo_db, start="assessment")
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        role = app.screen.query_one("#assessment-role", Select)
        role.value = Select.NULL  # Alla: team leaders too
        await settle(app, pilot)
        assert "välj Handläggare för att jämföra" in text(app, "#area-panel")
        assert "Riket 2013 (handläggare):" not in text(app, "#area-panel")
        role.value = catalog.CASEWORKER
        await settle(app, pilot)
        assert "Riket 2013 (handläggare):" in text(app, "#area-panel")


async def test_the_start_screen_does_not_praise_a_roster_without_handlaggare(empty_db, make_app):
    app = make_app(empty_db, demo=True)
    async with app.run_test(size=(160, 48)) as pilot:
        await settle(app, pilot)
        shown = text(app, "#dash-qualification")
        assert "Det finns inga handläggare i registret än." in shown
        assert "Alla handläggare har socionomexamen" not in shown


def test_the_next_step_names_the_round_for_its_year():
    import dashboard_oracle
    from bouv_tui.domain.assessment import Round
    from bouv_tui.domain.roster import StaffMember
    from bouv_tui.domain.settings import MunicipalitySettings

    staff = [StaffMember("Ada Berg", catalog.CASEWORKER, id=1)]
    round_ = Round(TODAY.year, Round.for_year(TODAY.year).reference_date, 1)
    board = dashboard_oracle.build_dashboard(MunicipalitySettings("0180", "Stockholm", "Eva"), staff, [round_], [], TODAY)
    texts = [s.text for s in board.steps]
    assert f"Bedöm de 1 personer som inte är färdigbedömda för {TODAY.year}" in texts, texts


async def test_the_roster_filter_says_no_match_and_esc_leaves_the_box(demo_db, make_app):
    from textual.widgets import Input

    from bouv_tui.tui.widgets.table import Table

    app = make_app(demo_db, start="roster")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        await pilot.press(*"zzz")
        await settle(app, pilot)
        assert "Ingen träff för ”zzz” med de här filtren." in text(app, "#roster-status")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, Table)
        await pilot.press("r")  # a command again, not typed into the box
        await settle(app, pilot)
        assert app.screen.query_one("#roster-filter", Input).value == "zzz"
        assert app.screen.role_filter is not None


async def test_the_palette_imports_staff_from_the_start_screen(demo_db, make_app):
    """The help says to type "importera" in the palette: that works from every section."""
    from textual.command import CommandPalette
    from textual.widgets import Input

    from bouv_tui.tui.dialogs.exchange import ImportFileDialog

    app = make_app(demo_db)  # the start screen
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(Input).placeholder.startswith("Skriv vad du vill göra")
        await pilot.press(*"importera personal")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ImportFileDialog)
        assert app.current_mode == "roster"


async def test_the_palette_on_a_section_does_not_offer_its_own_command_twice(demo_db, make_app):
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles.count("Importera personal") == 1
        assert "Importera bedömningar" in titles and "Exportera inlämningen" in titles


async def test_the_export_dialog_starts_in_the_folder_last_used(demo_db, make_app, tmp_path):
    from bouv_tui import paths

    elsewhere = tmp_path / "rapporter"
    elsewhere.mkdir()
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert app.export_folder() == paths.documents_dir()  # nothing used yet: Dokument
        app.remember_folder(elsewhere)
        assert app.export_folder() == elsewhere.resolve()
    again = make_app(demo_db, start="roster")  # kept between runs
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(again, pilot)
        assert again.export_folder() == elsewhere.resolve()
        elsewhere.rmdir()  # gone since: Dokument again
        assert again.export_folder() == paths.documents_dir()

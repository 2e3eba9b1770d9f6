"""One round for the whole app (issue 11): choosing another in any section, and deleting a
round started by mistake. The rule that picks the round is tested in test_dashboard_rules.py,
the store's recount before a deletion in test_store_conflicts.py."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from textual.widgets import Button, OptionList, Static

from bouv_tui.config import Config, LoadedConfig
from bouv_tui.domain.assessment import Assessment
from bouv_tui.services import Workspace
from bouv_tui.tui.app import BouvApp
from bouv_tui.tui.dialogs.conflict import ConflictDialog
from bouv_tui.tui.dialogs.common import ConfirmDialog
from bouv_tui.tui.dialogs.rounds import ChooseRoundDialog

from conftest import TODAY, settle

SIZE = (140, 45)

# --- one year in every section ----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def no_timers(monkeypatch):
    monkeypatch.setattr("bouv_tui.tui.app.WARM_UP_AFTER_S", 1000)
    monkeypatch.setattr("bouv_tui.tui.app.FOLLOW_EVERY_S", 0)


def text(app, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def choose(app, pilot, year: int) -> None:
    await pilot.press("o")
    await pilot.pause()
    assert isinstance(app.screen, ChooseRoundDialog)
    options = app.screen.query_one("#round-list", OptionList)
    options.highlighted = options.get_option_index(str(year))
    await pilot.press("enter")
    await settle(app, pilot)


async def go(app, pilot, key: str) -> None:
    await pilot.press(key)
    await settle(app, pilot)


SHOWN_YEAR = {  # section key → (the line that names the round, how it names it)
    "f2": ("#dash-round", "Inventering {}"),
    "f4": ("#round-summary", "Omgång {}"),
    "f5": ("#needs-summary", "Omgång {}"),
    "f6": ("#q-summary", "Redovisningsår {}"),
    "f7": ("#sub-summary", "redovisningsår {}"),
}


async def test_every_section_opens_this_years_round_when_next_years_exists(with_2027, make_app):
    app = make_app(with_2027)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for key, (selector, words) in SHOWN_YEAR.items():
            await go(app, pilot, key)
            assert words.format(2026) in text(app, selector), key
        assert app.year == 2026 and "Omgång 2026" in app.sub_title


async def test_the_round_chosen_in_f4_is_the_one_f5_f6_f7_and_f2_show(with_2027, make_app):
    app = make_app(with_2027, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        for key in ("f5", "f6", "f7", "f2", "f4"):  # each shown once on 2026, then hidden
            await go(app, pilot, key)
        assert "Omgång 2026" in text(app, "#round-summary")
        await choose(app, pilot, 2027)
        assert "Omgång 2027" in text(app, "#round-summary")
        assert app.year == 2027 and "Omgång 2027" in app.sub_title
        for key in ("f5", "f6", "f7", "f2"):
            await go(app, pilot, key)
            selector, words = SHOWN_YEAR[key]
            assert words.format(2027) in text(app, selector), key
        # And back to 2026 from F6: F4, shown again, follows.
        await go(app, pilot, "f6")
        await choose(app, pilot, 2026)
        assert "Redovisningsår 2026" in text(app, "#q-summary")
        await go(app, pilot, "f4")
        assert "Omgång 2026" in text(app, "#round-summary")
        assert app.screen.grid.round.year == 2026


async def test_the_palette_command_changes_the_round_of_the_section_shown(with_2027, make_app):
    app = make_app(with_2027, start="needs")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert titles.count("Byt inventeringsomgång") == 1
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Byt inventeringsomgång")
        command.callback()
        await pilot.pause()
        assert isinstance(app.screen, ChooseRoundDialog)
        options = app.screen.query_one("#round-list", OptionList)
        options.highlighted = options.get_option_index("2027")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Omgång 2027" in text(app, "#needs-summary")
        assert app.screen.round.year == 2027


async def test_the_key_and_its_dialog_say_the_same(with_2027, make_app):
    for section in ("start", "assessment", "needs", "questionnaire", "submission"):
        app = make_app(with_2027, start=section)
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            binding = next(b for b in app.screen.BINDINGS if b.key == "o")
            assert binding.description == "Omgång", section
            await pilot.press("o")
            await pilot.pause()
            assert "Välj inventeringsomgång" in str(app.screen.query_one(".dialog-title").render())


async def test_the_comparison_follows_the_round_chosen(with_2027, make_app):
    from textual.widgets import Select

    app = make_app(with_2027, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await go(app, pilot, "j")
        assert app.screen.query_one("#compare-after", Select).value == 2026
        app.year = 2027
        await settle(app, pilot)
        assert app.screen.query_one("#compare-after", Select).value == 2027
        assert app.screen.query_one("#compare-before", Select).value == 2025  # still before it
        app.year = 2025
        await settle(app, pilot)
        assert app.screen.query_one("#compare-after", Select).value == 2025
        assert app.screen.query_one("#compare-before", Select).value == 2025  # no round before 2025


def december_app(db, today: date) -> BouvApp:
    loaded = LoadedConfig(Config(), [], db.parent / "config.toml")
    return BouvApp(db, loaded_config=loaded, demo=True, today=lambda: today, workspace=Workspace.open(db),
                   start="assessment")  # fmt: skip


async def test_in_december_the_app_opens_this_years_round_unless_it_is_finished(with_2027):
    app = december_app(with_2027, date(2026, 12, 5))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.year == 2026  # 2026 is not fully assessed
    # 2025 is finished in the demo: in December 2025, with 2026 started, 2026 opens.
    assert Workspace(with_2027).round_finished(Workspace(with_2027).round_for_year(2025))
    app = december_app(with_2027, date(2025, 12, 5))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.year == 2026
    app = december_app(with_2027, date(2025, 11, 30))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.year == 2025


# --- deleting a round ------------------------------------------------------------------------------


def rows_by_round(db) -> dict[str, dict[int, int]]:
    conn = sqlite3.connect(db)
    try:
        return {
            table: dict(conn.execute(f"SELECT round_id, count(*) FROM {table} GROUP BY round_id").fetchall())
            for table in ("assessment", "need_score", "need_other", "form_answer")
        }
    finally:
        conn.close()


def round_ids(db) -> dict[int, int]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT year, id FROM inventory_round").fetchall())
    finally:
        conn.close()


async def test_deleting_a_round_counts_what_goes_and_removes_exactly_that(with_2027, make_app):
    before = rows_by_round(with_2027)
    ids = round_ids(with_2027)
    app = make_app(with_2027, start="assessment")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await choose(app, pilot, 2027)
        await pilot.press("ctrl+delete")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        message = str(app.screen.query_one(".dialog-body", Static).render())
        levels = before["assessment"][ids[2027]]
        assert levels == before["assessment"][ids[2026]]  # copied from 2026
        assert f"{levels} bedömda nivåer" in message
        answers = before["form_answer"][ids[2027]]
        assert "1 valt behov" in message and "0 rader ”Annat”" in message
        assert f"{answers} svar på frågorna" in message
        app.screen.query_one("#confirm-yes", Button).press()
        await settle(app, pilot)
        assert app.year == 2026 and "Omgång 2026" in text(app, "#round-summary")
        assert "Omgång 2026" in app.sub_title
    after = rows_by_round(with_2027)
    assert set(round_ids(with_2027)) == {2025, 2026}
    expected = {table: {r: n for r, n in counts.items() if r != ids[2027]} for table, counts in before.items()}
    assert after == expected


async def test_a_round_changed_between_count_and_delete_is_not_deleted(with_2027, make_app):
    app = make_app(with_2027, start="assessment")
    other = Workspace(with_2027)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await settle(app, pilot)
            await choose(app, pilot, 2027)
            await pilot.press("ctrl+delete")
            await settle(app, pilot)
            assert isinstance(app.screen, ConfirmDialog)
            # Another window sets a level in 2027 while the question is open.
            r2027 = other.round_for_year(2027)
            person = other.staff()[0]
            other.save_levels(r2027.id, [Assessment(person.id, "barns_utveckling", "fordjupad", r2027.id, TODAY)])
            app.screen.query_one("#confirm-yes", Button).press()
            await settle(app, pilot)
            assert isinstance(app.screen, ConflictDialog)
            assert "Ingenting togs bort" in str(app.screen.query_one("#conflict-message", Static).render())
        assert 2027 in round_ids(with_2027)
    finally:
        other.close()

"""Pilot and snapshot tests of Behov (questions 13 and 19): keys change the stored need scores.

In the demo's round 2026 the handläggare scores are confirmed (regelverk changed with a reason,
one "Annat" row) and the arbetsledare scores are unconfirmed suggestions.
Update the snapshots after an intended change: ``pytest tests/test_needs_screen.py --snapshot-update``.
"""

from __future__ import annotations

from textual.widgets import Input

from bouv_tui.store.read import read_need_choices, read_need_others, read_rounds
from bouv_tui.tui.screens.needs import NeedsScreen
from bouv_tui.tui.dialogs.common import ConfirmDialog, HelpScreen
from bouv_tui.tui.dialogs.needs import OtherNeedDialog, ReasonDialog
from bouv_tui.tui.widgets.table import Table

from conftest import settle

SIZE = (140, 45)


def round_id(db, year: int = 2026) -> int:
    return next(r.id for r in read_rounds(db) if r.year == year)


def choices(db, group: str, year: int = 2026) -> dict:
    return {c.area: c for c in read_need_choices(db, round_id(db, year)) if c.group == group}


def others(db, group: str, year: int = 2026) -> list:
    return [o for o in read_need_others(db, round_id(db, year)) if o.group == group]


def move_to(app, key: str) -> None:
    screen = app.screen
    screen.query_one("#needs-table", Table).move_cursor(row=screen.shown_keys().index(key))


async def open_needs(app, pilot, group: str = "handlaggare") -> NeedsScreen:
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, NeedsScreen)
    if screen.group != group:
        await pilot.press("v")
        await pilot.pause()
    assert screen.group == group
    return screen


async def test_f5_opens_the_latest_round_and_v_switches_group(demo_db, make_app):
    app = make_app(demo_db)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, NeedsScreen)
        assert screen.year == 2026 and screen.group == "handlaggare"
        keys = screen.shown_keys()
        assert keys[:2] == ["barns_utveckling", "utredning"] and len([k for k in keys if ":" not in k]) == 12
        assert "other:1" in keys
        await pilot.press("v")
        await pilot.pause()
        assert screen.group == "arbetsledare"
        assert screen.shown_keys()[:2] == ["ledarskap", "grupprocesser"]
        assert "fråga 19" in str(screen.query_one("#needs-tabs").render())


async def test_capital_a_confirms_every_suggestion_of_the_group(demo_db, make_app):
    app = make_app(demo_db, start="needs")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_needs(app, pilot, "arbetsledare")
        assert choices(demo_db, "arbetsledare") == {}
        suggested = {r.area: r.suggestion.score for r in screen.rows["arbetsledare"]}
        await pilot.press("A")
        await settle(app, pilot)
        stored = choices(demo_db, "arbetsledare")
        assert {area: c.score for area, c in stored.items()} == suggested
        assert all(c.reason == "" and c.suggested == c.score for c in stored.values())
        assert all(r.status == "bekräftad" for r in screen.rows["arbetsledare"])
        # the handläggare choices, the other question, are untouched
        assert choices(demo_db, "handlaggare")["regelverk"].score == 4


async def test_a_score_other_than_the_suggestion_is_stored_with_its_reason(demo_db, make_app):
    app = make_app(demo_db, start="needs")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_needs(app, pilot, "arbetsledare")
        move_to(app, "ledarskap")
        assert screen.current_row().suggestion.score == 3
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, ReasonDialog)
        await pilot.press(*"Ny chefsgrupp")
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is screen
        stored = choices(demo_db, "arbetsledare")["ledarskap"]
        assert (stored.score, stored.reason, stored.suggested) == (2, "Ny chefsgrupp", 3)
        row = screen.current_row()
        assert row.area == "ledarskap" and row.status == "ändrad"
        assert "Ny chefsgrupp" in str(screen.query_one("#needs-detail").render())


async def test_an_override_without_a_reason_is_refused_and_nothing_is_stored(demo_db, make_app):
    app = make_app(demo_db, start="needs")
    async with app.run_test(size=SIZE) as pilot:
        await open_needs(app, pilot, "arbetsledare")
        move_to(app, "grupprocesser")
        await pilot.press("5")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ReasonDialog)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog
        assert "Skriv kort varför" in str(dialog.query_one("#error-reason").render())
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, NeedsScreen)
        assert choices(demo_db, "arbetsledare") == {}


async def test_enter_confirms_and_r_resets_to_the_suggestion(demo_db, make_app):
    app = make_app(demo_db, start="needs")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_needs(app, pilot, "handlaggare")
        move_to(app, "regelverk")
        assert choices(demo_db, "handlaggare")["regelverk"].score == 4
        await pilot.press("r")
        await settle(app, pilot)
        assert "regelverk" not in choices(demo_db, "handlaggare")
        row = screen.current_row()
        assert row.area == "regelverk" and row.status == "förslag" and row.score == row.suggestion.score
        await pilot.press("enter")
        await settle(app, pilot)
        stored = choices(demo_db, "handlaggare")["regelverk"]
        assert (stored.score, stored.reason) == (row.suggestion.score, "")
        # the score equal to the suggestion confirms it without asking for a reason
        await pilot.press("r", str(row.suggestion.score))
        await settle(app, pilot)
        assert isinstance(app.screen, NeedsScreen)
        assert choices(demo_db, "handlaggare")["regelverk"].score == row.suggestion.score


async def test_annat_rows_are_added_scored_and_removed(demo_db, make_app):
    app = make_app(demo_db, start="needs")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_needs(app, pilot, "arbetsledare")
        assert others(demo_db, "arbetsledare") == []
        await pilot.press("n")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, OtherNeedDialog)
        await pilot.press("enter", "enter")  # no label: refused
        await pilot.pause()
        assert app.screen is dialog and "Ange vad" in str(dialog.query_one("#error-other").render())
        dialog.query_one("#other-label", Input).value = "Digitalisering"
        dialog.query_one("#other-score", Input).value = "4"
        await pilot.press("enter")
        await settle(app, pilot)
        stored = others(demo_db, "arbetsledare")
        assert [(o.position, o.label, o.score) for o in stored] == [(1, "Digitalisering", 4)]
        assert screen.current_key() == "other:1"
        await pilot.press("2")
        await settle(app, pilot)
        assert others(demo_db, "arbetsledare")[0].score == 2
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.click("#confirm-yes")
        await settle(app, pilot)
        assert others(demo_db, "arbetsledare") == []
        # the handläggare's own row is still there
        assert [o.label for o in others(demo_db, "handlaggare")] == ["Hedersrelaterat våld och förtryck"]


async def test_the_round_is_chosen_with_o_and_f1_opens_the_needs_help(demo_db, make_app):
    app = make_app(demo_db, start="needs")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_needs(app, pilot)
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert screen.year == 2025
        assert "Omgång [b]2025" in str(screen.query_one("#needs-summary").content)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen) and app.screen._topic == "needs"


async def test_a_failed_write_reaches_the_error_dialog(demo_db, make_app, monkeypatch):
    from bouv_tui.store.db import StoreError
    from bouv_tui.tui.dialogs.common import ErrorDialog

    app = make_app(demo_db, start="needs")
    async with app.run_test(size=SIZE) as pilot:
        await open_needs(app, pilot, "arbetsledare")

        def fail(*_args, **_kwargs):
            raise StoreError("Databasen är låst av ett annat fönster.")

        monkeypatch.setattr(app.workspace, "save_need_choices", fail)
        await pilot.press("A")
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorDialog)
        assert choices(demo_db, "arbetsledare") == {}


def test_needs_handlaggare(demo_db, make_app, snap_compare):
    async def ready(pilot):
        await settle(pilot.app, pilot)
        move_to(pilot.app, "regelverk")
        await pilot.pause()

    assert snap_compare(make_app(demo_db, start="needs"), terminal_size=SIZE, run_before=ready)


def test_needs_arbetsledare(demo_db, make_app, snap_compare):
    async def ready(pilot):
        await settle(pilot.app, pilot)
        await pilot.press("v")
        await pilot.pause()

    assert snap_compare(make_app(demo_db, start="needs"), terminal_size=SIZE, run_before=ready)

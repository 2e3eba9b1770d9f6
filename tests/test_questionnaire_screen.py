"""Pilot tests: answering in Frågor (F6) changes the stored answers, and the form's logic is followed live."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, RadioButton, RadioSet

from bouv_tui.store.read import read_answers, read_rounds
from bouv_tui.tui.screens.questionnaire import QuestionnaireScreen

from conftest import settle

SIZE = (140, 45)


def stored(db, year: int) -> dict:
    round_ = next(r for r in read_rounds(db) if r.year == year)
    return read_answers(db, round_.id)


async def click_option(app, pilot, key: str, code: str) -> None:
    """Choose an option the way the keyboard does: focus the question, move to it, space."""
    widget = app.screen.query_one(f"#{key}--{code}")
    if isinstance(widget, RadioButton):
        radio_set = app.screen.query_one(f"#{key}", RadioSet)
        radio_set.focus()
        await pilot.pause()
        radio_set._selected = list(radio_set.query(RadioButton)).index(widget)
    else:
        widget.focus()
    await pilot.pause()
    await pilot.press("space")
    await settle(app, pilot)


async def test_choosing_in_question_11_and_typing_why_not_is_saved(demo_db, make_app):
    app = make_app(demo_db, start="questionnaire")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, QuestionnaireScreen) and screen.year == 2026
        why = screen.query_one("#fraga_11--textrow")
        assert not why.display  # "Om nej, varför inte?" only after Nej

        await click_option(app, pilot, "fraga_11", "ja_delvis")
        assert stored(demo_db, 2026)["fraga_11"]["svar"] == "ja_delvis"

        await click_option(app, pilot, "fraga_11", "nej")
        assert stored(demo_db, 2026)["fraga_11"]["svar"] == "nej"
        assert why.display
        assert not screen.query_one("#fraga_11--ja_delvis", RadioButton).value
        assert "Text saknas i fråga 11" in str(screen.query_one("#q-summary").render())

        screen.query_one("#fraga_11--text", Input).focus()
        await pilot.press(*"Vakanser", "enter")
        await settle(app, pilot)
        assert stored(demo_db, 2026)["fraga_11"] == {"svar": "nej", "varfor_inte": "Vakanser"}
        assert "Text saknas" not in str(screen.query_one("#q-summary").render())

        # Back to "Ja, helt": the why-not text does not apply and is not kept
        await click_option(app, pilot, "fraga_11", "ja_helt")
        assert stored(demo_db, 2026)["fraga_11"] == {"svar": "ja_helt", "varfor_inte": None}
        assert not why.display


async def test_no_plan_in_15_disables_and_clears_16_and_17(demo_db, make_app):
    app = make_app(demo_db, start="questionnaire")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await click_option(app, pilot, "fraga_15", "ja_varje_chef")
        await click_option(app, pilot, "fraga_16", "arligen")
        await click_option(app, pilot, "fraga_17", "ja")
        answers = stored(demo_db, 2026)
        assert (answers["fraga_16"]["svar"], answers["fraga_17"]["svar"]) == ("arligen", "ja")
        summary = str(screen.query_one("#q-summary").render())
        assert "15" not in summary.split("Obesvarade frågor:")[1].split(".")[0]

        await click_option(app, pilot, "fraga_15", "nej")
        answers = stored(demo_db, 2026)
        assert answers["fraga_15"]["svar"] == "nej"
        assert answers["fraga_16"]["svar"] is None and answers["fraga_17"]["svar"] is None
        assert screen.query_one("#fraga_16", RadioSet).disabled
        assert screen.query_one("#fraga_17", RadioSet).disabled
        assert screen.query_one("#fraga_16--skip").display
        assert not screen.query_one("#fraga_16--arligen", RadioButton).value
        # 16 and 17 no longer count as unanswered
        assert "16" not in str(screen.query_one("#q-summary").render())

        await click_option(app, pilot, "fraga_15", "ja_hela_gruppen")
        assert not screen.query_one("#fraga_16", RadioSet).disabled
        assert not screen.query_one("#fraga_16--skip").display


async def test_none_excludes_the_other_ways_of_organising(demo_db, make_app):
    app = make_app(demo_db, start="questionnaire")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert stored(demo_db, 2026)["fraga_12"]["val"] == ["egen_regi", "fou", "annat"]

        await click_option(app, pilot, "fraga_12", "ingen")
        assert stored(demo_db, 2026)["fraga_12"] == {"val": ["ingen"], "annat_text": None}
        assert not screen.query_one("#fraga_12--egen_regi", Checkbox).value
        assert not screen.query_one("#fraga_12--textrow").display

        await click_option(app, pilot, "fraga_12", "konsult")
        assert stored(demo_db, 2026)["fraga_12"]["val"] == ["konsult"]
        assert not screen.query_one("#fraga_12--ingen", Checkbox).value

        # 18 is empty in the demo's 2026: ticking "Ingen" answers it
        await click_option(app, pilot, "fraga_18", "ingen")
        assert stored(demo_db, 2026)["fraga_18"]["val"] == ["ingen"]


async def test_an_answer_the_form_cannot_take_is_not_saved_and_names_the_question(demo_db, make_app):
    app = make_app(demo_db, start="questionnaire")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        before = stored(demo_db, 2026)
        field = app.screen.query_one("#fraga_10--text", Input)
        field.value = "x" * 600
        field.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert stored(demo_db, 2026) == before
        messages = list(app.shown_notices)
        assert any("Fråga 10" in m and "500 tecken" in m for m in messages)


async def test_the_year_is_chosen_with_o_and_ctrl_s_saves(demo_db, make_app):
    app = make_app(demo_db, start="questionnaire")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("down", "enter")  # the list is newest first: 2026, 2025
        await settle(app, pilot)
        assert screen.year == 2025
        assert screen.query_one("#fraga_17--nej", RadioButton).value
        assert screen.query_one("#fraga_17--text", Input).value == "Vakanser i chefsgruppen under hösten"
        assert "Alla frågor är besvarade" in str(screen.query_one("#q-summary").render())
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert any("2025 är sparade" in message for message in app.shown_notices)


async def test_the_grant_box_is_saved(demo_db, make_app):
    app = make_app(demo_db, start="questionnaire")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert stored(demo_db, 2026).get("ej_rekvirerat_utbildningsmedel") in (None, False)
        app.screen.query_one("#ej_rekvirerat_utbildningsmedel", Checkbox).focus()
        await pilot.press("space")
        await settle(app, pilot)
        assert stored(demo_db, 2026)["ej_rekvirerat_utbildningsmedel"] is True


async def test_k_edits_the_contact_block_through_the_settings_form(demo_db, make_app):
    from textual.widgets import Select

    from bouv_tui.domain.settings import municipalities
    from bouv_tui.store.read import read_settings
    from bouv_tui.tui.dialogs.settings_form import SettingsForm

    app = make_app(demo_db, start="questionnaire")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "010-000 00 00" in str(app.screen.query_one("#q-contact-text").render())
        await pilot.press("k")
        await pilot.pause()
        assert isinstance(app.screen, SettingsForm)
        # the demo's kommun is made up: choose a real one, as the form requires
        app.screen.query_one("#field-kommunkod", Select).value = municipalities()[0].code
        app.screen.query_one("#field-phone", Input).value = "08-123 456 78"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, QuestionnaireScreen)
        assert read_settings(demo_db).phone == "08-123 456 78"
        contact = str(app.screen.query_one("#q-contact-text").render())
        assert "08-123 456 78" in contact and municipalities()[0].name in contact


async def test_without_a_round_the_questions_wait_for_one(empty_db, make_app):
    app = make_app(empty_db, start="questionnaire")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "ingen inventeringsomgång" in str(app.screen.query_one("#q-summary").render())
        assert app.screen.query_one("#block-fraga_11").disabled


# --- snapshots (update: pytest tests/test_questionnaire_screen.py --snapshot-update, then look) ---


async def _loaded(pilot) -> None:
    await settle(pilot.app, pilot)


def test_snapshot_questionnaire_2026(demo_db, make_app, snap_compare):
    assert snap_compare(make_app(demo_db, start="questionnaire"), terminal_size=SIZE, run_before=_loaded)


def test_snapshot_questionnaire_no_plan(demo_db, make_app, snap_compare):
    async def no_plan(pilot) -> None:
        await _loaded(pilot)
        await click_option(pilot.app, pilot, "fraga_11", "nej")
        await click_option(pilot.app, pilot, "fraga_15", "nej")
        pilot.app.screen.query_one("#block-fraga_17").scroll_visible(animate=False)
        await pilot.pause()

    assert snap_compare(make_app(demo_db, start="questionnaire"), terminal_size=SIZE, run_before=no_plan)


async def test_questions_12_and_18_are_suggested_from_the_plan_and_p_takes_the_suggestion(demo_db, make_app):
    from datetime import date

    from bouv_tui.domain import plan as p
    from bouv_tui.domain.plan import Occasion, Training
    from bouv_tui.services import Workspace

    from conftest import notices

    ws = Workspace(demo_db)
    for training in ws.plan(2026).trainings:  # the demo's own plan: this test's instead
        ws.delete_training(training.id)
    for name, provider_type in (("Kurs FoU", "fou"), ("Kurs konsult", "privat"), ("Kurs utan typ", None)):
        t = ws.save_training(Training(name, p.TRAINING, 2026, ("utredning",), provider_type=provider_type))
        ws.save_occasion(Occasion(t.id, date(2026, 3, 1), date(2026, 3, 1)))
    ws.close()
    app = make_app(demo_db, start="questionnaire")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        line12 = str(screen.query_one("#fraga_12--suggestion").render())
        assert line12 == "Förslag ur planen (F8): Genom FoU-enheter, Genom konsultinsatser. p tar förslaget."
        assert str(screen.query_one("#fraga_18--suggestion").render()) == (
            "Inget förslag: planen (F8) för 2026 har inga utbildningar för gruppen."
        )
        before = stored(demo_db, 2026)
        screen.query_one("#fraga_11", RadioSet).focus()
        await pilot.pause()
        await pilot.press("p")  # not in question 12 or 18: nothing changes
        await settle(app, pilot)
        assert stored(demo_db, 2026) == before
        screen.query_one("#fraga_18--fou", Checkbox).focus()
        await pilot.press("p")  # 18: the plan has nothing for arbetsledare
        await settle(app, pilot)
        assert "inga utbildningar att föreslå svar från" in notices(app) and stored(demo_db, 2026) == before
        screen.query_one("#fraga_12--egen_regi", Checkbox).focus()
        await pilot.press("p")
        await settle(app, pilot)
        assert stored(demo_db, 2026)["fraga_12"]["val"] == ["fou", "konsult"]
        assert str(screen.query_one("#fraga_12--suggestion").render()) == (
            "✓ Svaret stämmer med årets utbildningar i planen (F8)."
        )

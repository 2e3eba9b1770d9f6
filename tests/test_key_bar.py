"""The key line: what it shows, what a click on a key does, narrow terminals, tooltips."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from bouv_tui.tui.widgets.key_bar import KeyBar


class KeysScreen(Screen):
    BINDINGS = [
        Binding("a", "add", "Lägg till", tooltip="Ny person i registret"),
        Binding("x", "locked", "Låst"),
        Binding("z", "hidden", "Dold", show=False),
        Binding("q", "toggle", "Växla"),
        Binding("w", "toggle", "Växla igen"),  # the same action: shown once
    ]

    def __init__(self) -> None:
        super().__init__()
        self.added = 0
        self.locked = True

    def compose(self) -> ComposeResult:
        yield Static("innehåll")
        yield KeyBar()

    def action_add(self) -> None:
        self.added += 1

    def action_locked(self) -> None:
        raise AssertionError("a key that is not available ran its action")

    def action_toggle(self) -> None:
        self.locked = not self.locked
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "locked" and self.locked:
            return None  # shown, dimmed
        return True


class KeysApp(App):
    def __init__(self) -> None:
        super().__init__()
        self.bells = 0

    def on_mount(self) -> None:
        self.push_screen(KeysScreen())

    def bell(self) -> None:
        self.bells += 1


def line(app) -> str:
    return app.screen.query_one(KeyBar).render().plain


async def test_shows_the_screens_keys_once_each_and_the_palette_on_the_right():
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        text = line(app)
        assert len(text) == 100
        assert " a Lägg till " in text and " x Låst " in text and " q Växla " in text
        assert "Dold" not in text and "Växla igen" not in text
        assert text.rstrip().endswith("▏ ^p Kommandon")


async def test_a_key_that_is_not_available_is_dimmed_and_answers_a_click_with_the_bell():
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        rendered = bar.render()
        at = rendered.plain.index("Låst")
        assert rendered.get_style_at_offset(app.console, at).dim
        assert not rendered.get_style_at_offset(app.console, rendered.plain.index("Lägg till")).dim
        await pilot.click(KeyBar, offset=(at, 0))
        await pilot.pause()
        assert app.bells == 1


async def test_a_click_on_a_key_presses_it():
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        at = line(app).index("Lägg till")
        await pilot.click(KeyBar, offset=(at, 0))
        await pilot.click(KeyBar, offset=(at - 2, 0))  # the key itself
        await pilot.pause()
        assert app.screen.added == 2


async def test_the_line_follows_when_the_keys_change():
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        at = line(app).index("Låst")
        assert bar.render().get_style_at_offset(app.console, at).dim
        await pilot.press("q")  # unlocks: the screen refreshes its bindings
        await pilot.pause()
        assert not bar.render().get_style_at_offset(app.console, at).dim


async def test_a_narrow_terminal_cuts_at_a_key_and_keeps_the_palette_key():
    app = KeysApp()
    async with app.run_test(size=(40, 10)) as pilot:
        await pilot.pause()
        text = line(app)
        assert len(text) == 40
        assert "…" in text and text.rstrip().endswith("▏ ^p Kommandon")
        assert " a Lägg till " in text and "Växla" not in text


async def test_the_mouse_over_a_key_highlights_it_and_shows_its_tooltip():
    app = KeysApp()
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        bar = app.screen.query_one(KeyBar)
        at = line(app).index("Lägg till")
        await pilot.hover(KeyBar, offset=(at, 0))
        await pilot.pause()
        assert bar.tooltip == "Ny person i registret"
        hover = bar.get_component_rich_style("key-bar--hover")
        assert bar.render().get_style_at_offset(app.console, at).bgcolor == hover.bgcolor
        await pilot.hover(Static)
        await pilot.pause()
        assert bar.tooltip is None


def test_the_help_lists_every_sections_key():
    """F1's table of keys names every section the app has, with its key."""
    from bouv_tui.tui.app import SECTIONS
    from bouv_tui.tui.dialogs.common import help_text

    rows = {line.split("|")[1].strip(): line.split("|")[2].strip() for line in help_text("general").splitlines()
            if line.startswith("| F")}  # fmt: skip
    for key, label in ((s.key, s.label) for s in SECTIONS.values()):
        assert rows.get(key.upper()) == label, (key, label)

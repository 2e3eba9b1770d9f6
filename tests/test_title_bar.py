"""The title line (``TitleBar``) shows what Textual's one-line ``Header`` showed, and does what it did."""

from __future__ import annotations

import asyncio

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.app import App
from textual.command import CommandPalette
from textual.widgets import Header, Static

from bouv_tui.tui.widgets.title_bar import ICON_TOOLTIP, ICON_WIDTH, TitleBar
from svg_cells import visible_cells


class TitleApp(App):
    def __init__(self, bar_class, title: str, sub_title: str) -> None:
        super().__init__()
        self.bar_class = bar_class
        self.title = title
        self.sub_title = sub_title

    def compose(self):
        yield self.bar_class()
        yield Static("innehåll")


async def screenshot(bar_class, title: str, sub_title: str, width: int) -> dict:
    app = TitleApp(bar_class, title, sub_title)
    async with app.run_test(size=(width, 3)) as pilot:
        await pilot.pause()
        return visible_cells(app.export_screenshot())


def first_line(cells: dict) -> str:
    """The first line as text, without the spaces at its end."""
    return "".join(cells[(0, column)][1] for column in range(max(c for r, c in cells if r == 0) + 1)).rstrip()


#: Titles as the app makes them ("bouv-tui", the section's name, "DEMO · Omgång 2026 · …").
words = st.text(alphabet="abcåäöÖ ·-0123456789", min_size=0, max_size=60)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=words, sub_title=words, width=st.integers(min_value=12, max_value=120))
def test_the_line_is_the_one_header_drew(title, sub_title, width):
    ours = asyncio.run(screenshot(TitleBar, title, sub_title, width))
    theirs = asyncio.run(screenshot(Header, title, sub_title, width))
    assert ours == theirs


@pytest.mark.parametrize(("width", "expected"), [
    # 62 cells between the icon (8) and the right space (10): 15 + 31 + 16.
    (80, " ⭘" + " " * 21 + "Behörighet — DEMO · Omgång 2026"),
    # 22 cells: the title is cut to 21 and "…".
    (40, " ⭘" + " " * 6 + "Behörighet — DEMO · O…"),
])  # fmt: skip
async def test_a_long_title_is_cut_with_an_ellipsis(width, expected):
    cells = await screenshot(TitleBar, "Behörighet", "DEMO · Omgång 2026", width)
    assert first_line(cells) == expected


async def test_the_title_follows_the_screen_and_the_app():
    app = TitleApp(TitleBar, "bouv-tui", "")
    async with app.run_test(size=(60, 3)) as pilot:
        bar = app.query_one(TitleBar)
        assert bar.title_content().plain == "bouv-tui"
        app.sub_title = "demo.sqlite"
        await pilot.pause()
        assert "bouv-tui — demo.sqlite" in first_line(visible_cells(app.export_screenshot()))
        app.screen.title = "Personal"
        await pilot.pause()
        assert "Personal — demo.sqlite" in first_line(visible_cells(app.export_screenshot()))


async def test_the_icon_lights_up_under_the_mouse_and_opens_the_palette():
    app = TitleApp(TitleBar, "bouv-tui", "")
    async with app.run_test(size=(60, 3)) as pilot:
        bar = app.query_one(TitleBar)
        plain = visible_cells(app.export_screenshot())[(0, 1)][0]
        await pilot.hover(TitleBar, offset=(ICON_WIDTH, 0))
        assert not bar.icon_hover and bar.tooltip is None
        await pilot.hover(TitleBar, offset=(ICON_WIDTH - 1, 0))
        await pilot.pause()
        assert bar.icon_hover and bar.tooltip == ICON_TOOLTIP
        assert visible_cells(app.export_screenshot())[(0, 1)][0] != plain
        await pilot.click(TitleBar, offset=(ICON_WIDTH + 5, 0))
        await pilot.pause()
        assert not isinstance(app.screen, CommandPalette)
        await pilot.click(TitleBar, offset=(1, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)

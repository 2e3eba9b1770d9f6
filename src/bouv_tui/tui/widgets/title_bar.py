"""The title line at the top of every screen: the palette icon, the title, the sub-title.

It shows what Textual's ``Header`` shows in its one-line form (the "⭘" icon on the left,
which opens the command palette when clicked, and the screen's title and sub-title
centred and cut with "…" when the line is short), drawn by one widget. ``Header`` mounts
four widgets (the header, its icon, its title and the clock's space) and styles each of
them as the first frame is built; at national scale that was a measurable part of the
start (see ``benchmarks/README.md``). Here the line is one ``render``.

The title follows ``App.title``/``App.sub_title`` and the screen's own ``title`` and
``sub_title`` (a screen's value wins when it is set), formatted by ``App.format_title``
as ``Header`` does.
"""

from __future__ import annotations

from textual import events
from textual.content import Content
from textual.reactive import Reactive
from textual.style import Style
from textual.widget import Widget

#: The cells the icon takes on the left (``Header``'s icon: width 8, padding 0 1).
ICON_WIDTH = 8
#: The cells kept free on the right (``Header``'s clock space: width 10).
RIGHT_WIDTH = 10
#: What the icon's tooltip says.
ICON_TOOLTIP = "Öppna kommandopaletten"


class TitleBar(Widget, can_focus=False):
    COMPONENT_CLASSES = {"title-bar--icon-hover"}

    DEFAULT_CSS = """
    TitleBar {
        dock: top;
        width: 100%;
        height: 1;
        background: $panel;
        color: $foreground;
    }
    TitleBar > .title-bar--icon-hover {
        background: $foreground 10%;
    }
    """

    icon: Reactive[str] = Reactive("⭘")
    #: The mouse is over the icon (drawn highlighted, as ``Header``'s icon on hover).
    icon_hover: Reactive[bool] = Reactive(False)

    def on_mount(self) -> None:
        self.watch(self.app, "title", self._title_changed, init=False)
        self.watch(self.app, "sub_title", self._title_changed, init=False)
        self.watch(self.screen, "title", self._title_changed, init=False)
        self.watch(self.screen, "sub_title", self._title_changed, init=False)

    def _title_changed(self) -> None:
        self.refresh()

    @property
    def screen_title(self) -> str:
        """The screen's title, or the app's when the screen has none."""
        title = self.screen.title
        return title if title is not None else self.app.title

    @property
    def screen_sub_title(self) -> str:
        """The screen's sub-title, or the app's when the screen has none."""
        sub_title = self.screen.sub_title
        return sub_title if sub_title is not None else self.app.sub_title

    def title_content(self) -> Content:
        """The title and sub-title as ``App.format_title`` formats them."""
        return self.app.format_title(self.screen_title, self.screen_sub_title)

    def render(self) -> Content:
        width = self.size.width
        icon = Content(f" {self.icon}").truncate(ICON_WIDTH, pad=True).truncate(width)
        if self.icon_hover:
            hover = self.get_component_styles("title-bar--icon-hover").background
            icon = icon.stylize(Style(background=self.styles.background + hover))
        middle = max(0, width - ICON_WIDTH - RIGHT_WIDTH)
        title = self.title_content().first_line
        if title.cell_length > middle:
            title = title.truncate(middle, ellipsis=True)
        left = (middle - title.cell_length) // 2
        line = Content.assemble(icon, " " * left, title)
        return line.truncate(width, pad=True)

    def _over_icon(self, x: int) -> bool:
        return 0 <= x < ICON_WIDTH and self.app.ENABLE_COMMAND_PALETTE

    def on_mouse_move(self, event: events.MouseMove) -> None:
        over = self._over_icon(event.x)
        self.icon_hover = over
        self.tooltip = ICON_TOOLTIP if over else None

    def on_leave(self, event: events.Leave) -> None:
        self.icon_hover = False
        self.tooltip = None

    def watch_icon_hover(self) -> None:
        self.refresh()

    async def on_click(self, event: events.Click) -> None:
        if self._over_icon(event.x):
            event.stop()
            await self.run_action("app.command_palette")

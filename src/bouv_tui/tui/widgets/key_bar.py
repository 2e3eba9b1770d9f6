"""The key line at the bottom of every section: the keys that work here, each one clickable.

It shows what Textual's ``Footer`` shows (the screen's active bindings that are marked
``show``, one per action, dimmed when not available now, the command palette's key on the
right), but as one widget drawing one line. ``Footer`` mounts a widget per key and styles
each of them several times as it starts; on a section with twenty keys that was the
largest single cost of the first frame (about 40 ms), and it came again whenever the keys
changed. Here a change of keys is one repaint.

A click on a key presses it (``app.simulate_key``, as ``Footer`` does); the mouse over a
key highlights it and shows the binding's tooltip.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.reactive import Reactive
from textual.widget import Widget

#: The command palette's key, labelled in Swedish (Textual's own label is "palette").
PALETTE_LABEL = "Kommandon"
#: The ids of the app's section keys (``app.section.<mode>``), kept on a short line.
SECTION_ID = "app.section."
#: What the section keys say when they are drawn as one piece ("f2–f7 Delar").
SECTIONS_LABEL = "Delar"


class KeyItem(NamedTuple):
    """One key on the line: what it shows and what a click or the tooltip does."""

    key: str
    display: str
    description: str
    enabled: bool
    tooltip: str
    #: A section key (the app's F2–F7): drawn as one compact piece when the line is short.
    section: bool = False


class KeyBar(Widget, can_focus=False):
    COMPONENT_CLASSES = {
        "key-bar--key",
        "key-bar--description",
        "key-bar--hover",
        "key-bar--separator",
    }

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: 1;
        width: 1fr;
        color: $footer-foreground;
        background: $footer-background;
        .key-bar--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        .key-bar--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        .key-bar--hover {
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        .key-bar--separator {
            color: $foreground 20%;
        }
    }
    """

    ALLOW_SELECT = False
    #: The keys carry click actions, but are drawn as keys, not as links: no link colours or
    #: underline (the hover is the bar's own, per key).
    auto_links = Reactive(False)

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        #: Index of the key under the mouse (into ``items()``, the palette key last), or None.
        self._hover: int | None = None

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen) -> None:
        self.refresh()

    # --- what to show -------------------------------------------------------------------

    def items(self) -> tuple[list[KeyItem], KeyItem | None]:
        """The keys to show, in the screen's order (one per action), and the palette's key."""
        active = self.screen.active_bindings
        seen: set[str] = set()
        keys: list[KeyItem] = []
        for _node, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            item = self._item(binding, enabled, tooltip)
            keys.append(item._replace(section=(binding.id or "").startswith(SECTION_ID)))
        palette = None
        if self.app.ENABLE_COMMAND_PALETTE and self.app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, tooltip = active[self.app.COMMAND_PALETTE_BINDING]
            palette = self._item(binding, enabled, tooltip or binding.tooltip or "Sök bland kommandona",
                                 description=PALETTE_LABEL)  # fmt: skip
        return keys, palette

    def _item(self, binding: Binding, enabled: bool, tooltip: str, description: str | None = None) -> KeyItem:
        description = binding.description if description is None else description
        return KeyItem(binding.key, self.app.get_key_display(binding), description, enabled,
                       tooltip or binding.tooltip or description)  # fmt: skip

    # --- drawing ------------------------------------------------------------------------

    def _piece(self, index: int, item: KeyItem, styles: dict[str, Style]) -> Text:
        """`` key description `` with the key's styles, a click action and its index as meta."""
        hover = index == self._hover and item.enabled
        key_style = styles["key-bar--hover" if hover else "key-bar--key"]
        description_style = styles["key-bar--hover" if hover else "key-bar--description"]
        # A key that is not available now answers a click with the bell, as Footer does.
        action = f"app.simulate_key({item.key!r})" if item.enabled else "app.bell()"
        meta = Style(meta={"@click": action, "key_index": index})
        dim = Style(dim=True) if not item.enabled else Style()
        piece = Text()
        piece.append(f" {item.display} ", key_style + dim + meta)
        if item.description:
            piece.append(item.description + " ", description_style + dim + meta)
        return piece

    def _sections_piece(self, sections: list[KeyItem], styles: dict[str, Style]) -> Text:
        """The section keys as one piece, ``f2–f7 Delar``; the tooltip names each of them."""
        key_style, description_style = styles["key-bar--key"], styles["key-bar--description"]
        tooltip = " · ".join(f"{item.display} {item.description}" for item in sections)
        meta = Style(meta={"key_index": -1, "tooltip": tooltip})
        piece = Text()
        piece.append(f" {sections[0].display}–{sections[-1].display} ", key_style + meta)
        piece.append(SECTIONS_LABEL + " ", description_style + meta)
        return piece

    def render(self) -> Text:
        keys, palette = self.items()
        styles = {name: self.get_component_rich_style(name) for name in self.COMPONENT_CLASSES}
        width = self.size.width
        right = Text()
        if palette is not None:
            right.append("▏", styles["key-bar--separator"])
            right.append_text(self._piece(len(keys), palette, styles))
            right.append(" ")
        room = max(0, width - right.cell_len)
        pieces = [(item, self._piece(index, item, styles)) for index, item in enumerate(keys)]
        sections = [item for item in keys if item.section]
        if sum(piece.cell_len for _item, piece in pieces) > room and len(sections) > 1:
            # A short line keeps the way to every section: the section keys become one piece
            # ("f2–f7 Delar") right of the screen's own keys, and those are cut first.
            compact = self._sections_piece(sections, styles)
            if compact.cell_len + 1 <= room:
                right = Text.assemble(compact, right)
                room -= compact.cell_len
                pieces = [(item, piece) for item, piece in pieces if not item.section]
        left = Text()
        for _item, piece in pieces:
            if left.cell_len + piece.cell_len > room:
                # What does not fit is cut at a key's edge rather than in the middle of a word,
                # and an ellipsis says that there is more (the keys still work; F1 lists them).
                if left.cell_len >= room and left.plain:
                    left.right_crop(left.cell_len - room + 1)
                left.append("…")
                break
            left.append_text(piece)
        left.append(" " * max(0, room - cell_len(left.plain)))
        left.append_text(right)
        left.no_wrap = True
        left.overflow = "crop"
        return left

    # --- the mouse ----------------------------------------------------------------------

    def _index_at(self, event: events.MouseEvent) -> int | None:
        index = event.style.meta.get("key_index") if event.style else None
        return index if isinstance(index, int) else None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        index = self._index_at(event)
        if index != self._hover:
            self._hover = index
            keys, palette = self.items()
            everything = [*keys, *([palette] if palette else [])]
            if index == -1:  # the section keys drawn as one piece
                self.tooltip = event.style.meta.get("tooltip")
            else:
                self.tooltip = everything[index].tooltip if index is not None and index < len(everything) else None
            self.refresh()

    def on_leave(self, _event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()

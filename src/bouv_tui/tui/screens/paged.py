"""What the roster and the assessment grid share: a list of people shown a page at a time."""

from __future__ import annotations

from bouv_tui.tui.screens.base import SectionScreen


class PagedScreen(SectionScreen):
    """``shown`` is the filtered, sorted list; the table holds page ``page`` of it."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: list = []
        self.page = 0

    @property
    def page_size(self) -> int:
        return self.app.config.ui.page_size

    def page_count(self) -> int:
        return max(1, -(-len(self.shown) // self.page_size))

    def current_page(self, keep_id: int | None = None) -> tuple[int, list]:
        """The page to show (the one holding ``keep_id`` when given and shown): (start, rows)."""
        self.page = min(self.page, self.page_count() - 1)
        if keep_id is not None:
            index = next((i for i, p in enumerate(self.shown) if p.id == keep_id), None)
            if index is not None:
                self.page = index // self.page_size
        start = self.page * self.page_size
        return start, self.shown[start : start + self.page_size]

    def shown_at(self, row: int):
        """The person in table row ``row`` of the current page, or None."""
        index = self.page * self.page_size + row
        return self.shown[index] if 0 <= index < len(self.shown) else None

    def page_status(self, count: int) -> str:
        """"Visar 1–200 av 5 879", and which page when there are several."""
        start = self.page * self.page_size
        text = f"Visar {start + 1 if count else 0}–{start + count} av {len(self.shown)}"
        if self.page_count() > 1:
            text += f"   sida {self.page + 1} av {self.page_count()}  ( [ ] byter sida )"
        return text

    def can_turn_page(self, step: int) -> bool:
        return 0 <= self.page + step < self.page_count()

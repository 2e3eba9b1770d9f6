"""A DataTable whose cell updates redraw only the changed row.

Textual's ``DataTable.update_cell`` invalidates the render caches of every cell, so at
national scale each keystroke in the assessment grid re-rendered every visible cell
(about 100 ms). This subclass replaces one row's cells and drops only that row's cached
renders. It relies on DataTable's private caches (Textual is pinned in pyproject.toml);
the pilot and snapshot tests of the grid fail if a Textual upgrade changes them.
"""

from __future__ import annotations

from collections.abc import Mapping

from bouv_tui.tui.widgets.fast_table import FastTable


class GridTable(FastTable):
    def set_row_cells(self, row_index: int, values: Mapping[int, object]) -> None:
        """Replace cells of one row (column index → value) and redraw that row only."""
        row_key = self._row_locations.get_key(row_index)
        data = self._data[row_key]
        for column_index, value in values.items():
            data[self._column_locations.get_key(column_index)] = value
        self._forget_row(row_key, row_index)
        self.refresh_row(row_index)

    def _forget_row(self, row_key, row_index: int) -> None:
        for key in list(self._row_renderable_cache.keys()):
            if key[1] == row_index:
                self._row_renderable_cache.discard(key)
        for cache in (self._cell_render_cache, self._row_render_cache):
            for key in list(cache.keys()):
                if key[0] == row_key:
                    cache.discard(key)
        for key in list(self._line_cache.keys()):
            try:
                line_row, _offset = self._get_offsets(key[0])
            except LookupError:
                continue
            if line_row == row_key:
                self._line_cache.discard(key)

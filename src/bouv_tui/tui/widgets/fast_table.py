"""A DataTable that draws one-line text cells without Rich's general layout machinery.

Textual's ``DataTable._render_cell`` renders every cell through
``console.render_lines(Styled(Padding(cell)))``: several renderables, option copies and
line splits per cell. For a single line of text that already fits its column the result
is simply the text's segments, padded, with the row's styles applied. ``FastTable``
builds exactly that for body cells whose value is one line of ``Text`` (or a string)
no wider than the column, and leaves every other cell (headers, labels, fixed cells,
wrapped or too-wide text, other renderables) to DataTable. On the roster's first frame
this is most of the table's drawing time.

It overrides a private method (Textual is pinned in pyproject.toml); ``tests/test_fast_table.py``
checks, cell by cell, that it draws exactly what DataTable draws, so a Textual upgrade that
changes the method fails there.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable

_NULL = Style.null()


class FastTable(DataTable):
    def _render_cell(
        self,
        row_index: int,
        column_index: int,
        base_style: Style,
        width: int,
        cursor: bool = False,
        hover: bool = False,
    ):
        if row_index < self.fixed_rows or column_index < self.fixed_columns:  # also header (-1) and labels (-1)
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)
        row_key = self._row_locations.get_key(row_index)
        column_key = self._column_locations.get_key(column_index)
        cache_key = (
            row_key,
            column_key,
            base_style,
            cursor,
            hover,
            self._show_hover_cursor,
            self._update_count,
            self._pseudo_class_state,
        )
        cached = self._cell_render_cache.get(cache_key)
        if cached is not None:
            return cached
        row = self.rows.get(row_key)
        cell = self._get_row_renderables(row_index).cells[column_index]
        line = None
        if row is not None and row.height == 1 and isinstance(cell, Text):
            line = _one_line(self.app.console, cell, width - 2 * self.cell_padding)
        if line is None:
            return super()._render_cell(row_index, column_index, base_style, width, cursor, hover)

        component_style, post_style = self._get_styles_to_render_cell(
            False,
            False,
            False,
            hover,
            cursor,
            self.show_cursor,
            self._show_hover_cursor,
            self.cursor_foreground_priority == "css",
            self.cursor_background_priority == "css",
        )
        pre_style = base_style + Style.from_meta({"row": row_index, "column": column_index}) + component_style
        if self.cell_padding:
            padding = Segment(" " * self.cell_padding, _NULL)
            line = [padding, *line, padding]
        segments = []
        for text, style, control in line:
            style = pre_style + style
            if post_style:
                style = style + post_style if style else post_style
            segments.append(Segment(text, style, control))
        lines = [segments]
        self._cell_render_cache[cache_key] = lines
        return lines


def _one_line(console, cell: Text, width: int) -> list[Segment] | None:
    """The segments Rich draws for ``cell`` in ``width`` cells without wrapping, or None
    when the cell is not one line that fits (DataTable then draws it)."""
    plain = cell.plain
    if width <= 0 or "\n" in plain or "\t" in plain or cell_len(plain) > width:
        return None
    justify = cell.justify or "default"
    if justify == "full":
        return None
    line = cell.copy()
    line.end = ""
    if justify != "default":
        # What Rich's Lines.justify does to a line that fits.
        if justify == "left":
            line.truncate(width, overflow=cell.overflow or "fold", pad=True)
        elif justify == "center":
            line.rstrip()
            line.pad_left((width - cell_len(line.plain)) // 2)
            line.pad_right(width - cell_len(line.plain))
        elif justify == "right":
            line.rstrip()
            line.pad_left(width - cell_len(line.plain))
    # Text.__rich_console__ renders the line through Text("\n").join, which turns the
    # line's own style into a span.
    segments = list(Text("\n").join([line]).render(console))
    used = sum(cell_len(text) for text, _style, _control in segments)
    if used < width:
        segments.append(Segment(" " * (width - used), _NULL))
    return segments

"""A DataTable that draws one-line text cells without Rich's general layout machinery.

Textual's ``DataTable._render_cell`` renders every cell through
``console.render_lines(Styled(Padding(cell)))``: several renderables, option copies and
line splits per cell. For a single line of text that already fits its column the result
is simply the text's segments, padded, with the row's styles applied. ``FastTable``
builds exactly that for body cells whose value is one line of ``Text`` (or a string)
no wider than the column, and leaves every other cell (headers, labels, fixed cells,
wrapped or too-wide text, other renderables) to DataTable. On the roster's first frame
this is most of the table's drawing time.

A row whose cells are all such cells is drawn in one pass (``_render_line_in_row``): the
row's styles are worked out once per row rather than per cell, and a cell of plain text
becomes one segment. Rows with anything else go to DataTable's own code.

It overrides private methods (Textual is pinned in pyproject.toml); ``tests/test_fast_table.py``
checks, cell by cell and line by line, that it draws exactly what DataTable draws, so a
Textual upgrade that changes them fails there.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.color import Color
from textual.coordinate import Coordinate
from textual.widgets import DataTable

_NULL = Style.null()


class FastTable(DataTable):
    def _update_dimensions(self, new_rows) -> None:
        widths = [column.content_width for column in self.columns.values()]
        super()._update_dimensions(new_rows)
        if [column.content_width for column in self.columns.values()] != widths:
            # DataTable keys the lines it has drawn by the widget's width, not by its
            # columns': lines drawn in a frame painted after rows were added and before they
            # were measured (when idle) would keep the old, too narrow columns.
            self._clear_caches()
            self.refresh()

    def render_lines(self, crop):
        # Row styles (zebra stripes) are the same for every row of a kind within one pass.
        self._row_styles: dict = {}
        try:
            return super().render_lines(crop)
        finally:
            self._row_styles = {}

    def _get_row_style(self, row_index: int, base_style: Style) -> Style:
        cache = getattr(self, "_row_styles", None)
        if cache is None or row_index < self.fixed_rows:
            return super()._get_row_style(row_index, base_style)
        key = (row_index % 2 if self.zebra_stripes else None, base_style)
        style = cache.get(key)
        if style is None:
            style = cache[key] = super()._get_row_style(row_index, base_style)
        return style

    def _render_line_in_row(self, row_key, line_no, base_style, cursor_location, hover_location):
        if (
            line_no
            or self.fixed_columns
            or (self._labelled_row_exists and self.show_row_labels)
            or row_key is self._header_row_key
        ):
            return super()._render_line_in_row(row_key, line_no, base_style, cursor_location, hover_location)
        cursor_type = self.cursor_type
        show_cursor = self.show_cursor
        show_hover = self._show_hover_cursor
        cache_key = (row_key, line_no, base_style, cursor_location, hover_location, cursor_type,
                     show_cursor, show_hover, self._update_count, self._pseudo_class_state)  # fmt: skip
        cached = self._row_render_cache.get(cache_key)
        if cached is not None:
            return cached
        row = self.rows.get(row_key)
        row_index = self._row_locations.get(row_key)
        columns = self.ordered_columns
        if row is None or row_index is None or row.height != 1 or row_index < self.fixed_rows:
            return super()._render_line_in_row(row_key, line_no, base_style, cursor_location, hover_location)
        cells = self._get_row_renderables(row_index).cells
        widths = [column.get_render_width(self) for column in columns]
        pad = self.cell_padding
        console = self.app.console
        texts = []
        for cell, width in zip(cells, widths):
            drawn = _plain_cell(console, cell, width - 2 * pad) if isinstance(cell, Text) else None
            if drawn is None:  # anything else: DataTable's own code, for the whole row
                return super()._render_line_in_row(row_key, line_no, base_style, cursor_location, hover_location)
            texts.append(drawn)

        row_style = self._get_row_style(row_index, base_style)
        should_highlight = self._should_highlight
        fg_css = self.cursor_foreground_priority == "css"
        bg_css = self.cursor_background_priority == "css"
        side = " " * pad
        scrollable_row = []
        for column_index, ((text, own_style, fill), width) in enumerate(zip(texts, widths)):
            location = Coordinate(row_index, column_index)
            component_style, post_style = self._get_styles_to_render_cell(
                False, False, False,
                should_highlight(hover_location, location, cursor_type),
                should_highlight(cursor_location, location, cursor_type),
                show_cursor, show_hover, fg_css, bg_css,
            )  # fmt: skip
            pre_style = row_style + Style.from_meta({"row": row_index, "column": column_index}) + component_style
            plain_style = pre_style + post_style if post_style else pre_style
            if own_style is None:
                segments = [Segment(side + text + fill + side, plain_style)]
            else:
                text_style = pre_style + own_style
                if post_style:
                    text_style = text_style + post_style
                segments = [Segment(side, plain_style)] if pad else []
                segments.append(Segment(text, text_style))
                if fill or pad:
                    segments.append(Segment(fill + side, plain_style))
            scrollable_row.append(segments)

        # What DataTable adds after the last column, to fill the width.
        remaining_space = max(0, self.size.width - sum(widths) - self._row_label_column_width)
        if cursor_type == "row":
            extend_style, _ = self._get_styles_to_render_cell(
                False, False, False,
                should_highlight(hover_location, Coordinate(row_index or 0, 0), cursor_type),
                row_index == cursor_location.row,
                show_cursor, show_hover, False, False,
            )  # fmt: skip
            extend_style = row_style + extend_style
        elif row_style.bgcolor is not None:
            faded = Color.from_rich_color(row_style.bgcolor).blend(self.background_colors[1], factor=0.25)
            extend_style = Style.from_color(color=row_style.color, bgcolor=faded.rich_color)
        else:
            extend_style = Style.from_color(row_style.color, row_style.bgcolor)
        extend_style += Style.from_meta({"row": row_index, "column": 0, "out_of_bounds": True})
        scrollable_row.append([Segment(" " * remaining_space, extend_style)])
        row_pair = ([], scrollable_row)
        self._row_render_cache[cache_key] = row_pair
        return row_pair

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


def _plain_cell(console, cell: Text, width: int) -> tuple[str, Style | None, str] | None:
    """A cell of text without spans that fits ``width`` as DataTable draws it: the text (with
    any justification's spaces), the text's own style (None for none) and the spaces after it
    that take the row's style only. None for anything else."""
    if cell._spans:
        return None
    plain = cell.plain
    if width <= 0 or "\n" in plain or "\t" in plain:
        return None
    used = cell_len(plain)
    if used > width:
        return None
    justify = cell.justify or "default"
    if justify == "full":
        return None
    if justify in ("left", "center", "right"):
        # Rich's Lines.justify pads inside the text, so the padding takes the text's style.
        if justify == "left":
            plain = plain + " " * (width - used)
        else:
            stripped = plain.rstrip()
            used = cell_len(stripped)
            before = (width - used) // 2 if justify == "center" else width - used
            after = width - used - before if justify == "center" else 0
            plain = " " * before + stripped + " " * after
        fill = ""
    else:
        fill = " " * (width - used)
    style = console.get_style(cell.style) if cell.style else None
    if style is not None and not style:
        style = None
    if style is None:
        return plain + fill, None, ""
    return plain, style, fill

"""The app's one table widget, on Textual's Line API and nothing private.

Every table in bouv-tui (the roster, the assessment grid, the needs, the submission, the
comparison, the import previews, and next the plan and the budget) is a :class:`Table`. It
is a ``ScrollView`` that draws a line at a time (``render_line(y) -> Strip``):

- a row is one line of cells; a cell is a ``Text`` (a string is plain text, never markup:
  a unit called ``[b]`` stays ``[b]``) and a newline in it is drawn as a space;
- columns are measured when rows are added or changed (widest cell or heading), or have a
  width given; a cell too wide for a given width ends in ``…``;
- a drawn row is kept, keyed by the row's version (bumped by every change of its cells)
  and by what else decides its look (cursor, hover, stripe, focus, widths, theme), so a
  key in the grid redraws one or two rows and a change of a cell redraws only its row;
- the header stays on top and the first ``fixed_columns`` stay on the left when the table
  scrolls.

It keeps what the screens used of ``DataTable``: a cell or row cursor that the screen can
move, zebra stripes, a hover highlight, clicks on headings and cells, Enter, the arrow, page
and Home/End keys, and the messages ``RowHighlighted``, ``CellHighlighted``,
``RowSelected``, ``CellSelected`` and ``HeaderSelected``. Its look comes from the component
classes ``table--header``, ``table--cursor`` … with the same defaults as ``DataTable``'s.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.color import Color
from textual.coordinate import Coordinate
from textual.geometry import Region, Size, Spacing
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

CursorType = Literal["cell", "row", "none"]
CellValue = Text | str | int | float | None


def as_text(value: CellValue) -> Text:
    """A cell's value as the one line of text it is drawn as."""
    if isinstance(value, Text):
        text = value
    elif value is None:
        return Text("")
    elif isinstance(value, float):
        return Text(f"{value:.2f}")
    else:
        text = Text(str(value))
    if "\n" in text.plain:  # (a Text never holds "\r": Rich drops control codes as it is made)
        text = Text(" ").join(text.split("\n", allow_blank=True))
    return text


@dataclass
class Column:
    """One column: its key, its heading and its width (of the content, without padding)."""

    key: Hashable
    label: Text
    #: A width the screen asked for, or None: as wide as the widest cell or the heading.
    fixed_width: int | None = None
    content_width: int = 0

    @property
    def width(self) -> int:
        return self.fixed_width if self.fixed_width is not None else self.content_width


@dataclass
class Row:
    key: Hashable
    cells: list[Text]
    #: Bumped by every change of the row's cells: a drawn row is kept under its version.
    version: int = 0
    data: Any = field(default=None, compare=False)


class DuplicateKey(KeyError):
    """A row or column key that the table already has."""


class Table(ScrollView, can_focus=True):
    """A table of one-line rows drawn a line at a time (see the module's documentation)."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "table--header",
        "table--header-hover",
        "table--header-cursor",
        "table--fixed",
        "table--fixed-cursor",
        "table--even-row",
        "table--odd-row",
        "table--cursor",
        "table--hover",
    }

    DEFAULT_CSS = """
    Table {
        background: $surface;
        color: $foreground;
        height: auto;
        max-height: 100%;

        &:focus {
            background-tint: $foreground 5%;
            & > .table--cursor {
                background: $block-cursor-background;
                color: $block-cursor-foreground;
                text-style: $block-cursor-text-style;
            }
            & > .table--header {
                background-tint: $foreground 5%;
            }
            & > .table--fixed-cursor {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
            }
        }
        &:dark {
            & > .table--even-row {
                background: $surface-darken-1 40%;
            }
        }
        & > .table--header {
            text-style: bold;
            background: $panel;
            color: $foreground;
        }
        &:ansi > .table--header {
            background: ansi_bright_blue;
            color: ansi_default;
        }
        & > .table--fixed {
            background: $secondary-muted;
            color: $foreground;
        }
        & > .table--odd-row {
        }
        & > .table--even-row {
            background: $surface-lighten-1 50%;
        }
        & > .table--cursor {
            background: $block-cursor-blurred-background;
            color: $block-cursor-blurred-foreground;
            text-style: $block-cursor-blurred-text-style;
        }
        & > .table--fixed-cursor {
            background: $block-cursor-blurred-background;
            color: $foreground;
        }
        & > .table--header-cursor {
            background: $accent-darken-1;
            color: $foreground;
        }
        & > .table--header-hover {
            background: $accent 30%;
        }
        & > .table--hover {
            background: $block-hover-background;
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "select_cursor", "Välj", show=False),
        Binding("up", "cursor_up", "Upp", show=False),
        Binding("down", "cursor_down", "Ned", show=False),
        Binding("right", "cursor_right", "Höger", show=False),
        Binding("left", "cursor_left", "Vänster", show=False),
        Binding("pageup", "page_up", "Sida upp", show=False),
        Binding("pagedown", "page_down", "Sida ned", show=False),
        Binding("ctrl+home", "first_row", "Första raden", show=False),
        Binding("ctrl+end", "last_row", "Sista raden", show=False),
        Binding("home", "first_row", "Första raden", show=False),
        Binding("end", "last_row", "Sista raden", show=False),
    ]

    zebra_stripes = reactive(False)
    show_header = reactive(True)
    show_cursor = reactive(True)
    fixed_columns = reactive(0)
    cell_padding = reactive(1)
    cursor_type: reactive[CursorType] = reactive[CursorType]("cell")

    # ----------------------------------------------------------------- messages

    class RowHighlighted(Message):
        """The row cursor moved to a row (also when rows were replaced under it)."""

        def __init__(self, table: Table, cursor_row: int, row_key: Hashable) -> None:
            super().__init__()
            self.table = table
            self.cursor_row = cursor_row
            self.row_key = row_key

        @property
        def control(self) -> Table:
            return self.table

    class RowSelected(RowHighlighted):
        """Enter, or a click on the row the cursor is on, with a row cursor."""

    class CellHighlighted(Message):
        """The cell cursor moved to a cell (also when rows were replaced under it)."""

        def __init__(self, table: Table, value: Text, coordinate: Coordinate, row_key: Hashable,
                     column_key: Hashable) -> None:  # fmt: skip
            super().__init__()
            self.table = table
            self.value = value
            self.coordinate = coordinate
            self.row_key = row_key
            self.column_key = column_key

        @property
        def control(self) -> Table:
            return self.table

    class CellSelected(CellHighlighted):
        """Enter, or a click on the cell the cursor is on, with a cell cursor."""

    class HeaderSelected(Message):
        """A click on a column's heading."""

        def __init__(self, table: Table, column_key: Hashable, column_index: int, label: Text) -> None:
            super().__init__()
            self.table = table
            self.column_key = column_key
            self.column_index = column_index
            self.label = label

        @property
        def control(self) -> Table:
            return self.table

    # ----------------------------------------------------------------- set-up

    def __init__(
        self,
        *,
        cursor_type: CursorType = "cell",
        zebra_stripes: bool = False,
        show_header: bool = True,
        show_cursor: bool = True,
        fixed_columns: int = 0,
        cell_padding: int = 1,
        name: str | None = None,
        id: str | None = None,  # noqa: A002 - Textual's name
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.columns: list[Column] = []
        self.rows: list[Row] = []
        self._rows_by_key: dict[Hashable, int] = {}
        self._columns_by_key: dict[Hashable, int] = {}
        self._cursor_at = Coordinate(0, 0)
        self._hover_at: Coordinate | None = None
        self._next_key = 0
        #: Bumped when anything that decides every row's look changes (widths, theme, focus).
        self._look_generation = 0
        self._drawn: LRUCache[tuple, Strip] = LRUCache(1024)
        self._table_styles: dict[str, Style] = {}
        self._highlight_due = False
        self.set_reactive(Table.cursor_type, cursor_type)
        self.set_reactive(Table.zebra_stripes, zebra_stripes)
        self.set_reactive(Table.show_header, show_header)
        self.set_reactive(Table.show_cursor, show_cursor)
        self.set_reactive(Table.fixed_columns, fixed_columns)
        self.set_reactive(Table.cell_padding, cell_padding)

    # ----------------------------------------------------------------- columns and rows

    def add_column(self, label: CellValue, *, key: Hashable | None = None, width: int | None = None) -> Hashable:
        """Adds a column at the right; answers its key (its position as text when none is given)."""
        key = str(len(self.columns)) if key is None else key
        if key in self._columns_by_key:
            raise DuplicateKey(key)
        text = as_text(label)
        column = Column(key, text, width, cell_len(text.plain))
        for row in self.rows:
            row.cells.append(Text(""))
            row.version += 1
        self._columns_by_key[key] = len(self.columns)
        self.columns.append(column)
        self._layout_changed()
        return key

    def add_columns(self, *labels: CellValue) -> list[Hashable]:
        return [self.add_column(label) for label in labels]

    def add_row(self, *cells: CellValue, key: Hashable | None = None, data: Any = None) -> Hashable:
        """Adds a row at the bottom; answers its key (a running number when none is given)."""
        return self.add_rows([cells], keys=None if key is None else [key], data=None if data is None else [data])[0]

    def add_rows(self, rows: Iterable[Sequence[CellValue]], *, keys: Sequence[Hashable] | None = None,
                 data: Sequence[Any] | None = None) -> list[Hashable]:  # fmt: skip
        """Adds rows at the bottom, measuring the columns once for all of them."""
        added: list[Hashable] = []
        width = len(self.columns)
        widths = [c.content_width for c in self.columns]
        for n, values in enumerate(rows):
            if keys is not None:
                key = keys[n]
            else:
                key = self._next_key
                self._next_key += 1
                while key in self._rows_by_key:
                    key = self._next_key
                    self._next_key += 1
            if key in self._rows_by_key:
                raise DuplicateKey(key)
            cells = [as_text(v) for v in values[:width]]
            cells += [Text("")] * (width - len(cells))
            for i, cell in enumerate(cells):
                used = cell_len(cell.plain)
                if used > widths[i]:
                    widths[i] = used
            self._rows_by_key[key] = len(self.rows)
            self.rows.append(Row(key, cells, data=None if data is None else data[n]))
            added.append(key)
        self._set_widths(widths)
        self._rows_changed()
        return added

    def clear(self, columns: bool = False) -> None:
        """Removes every row (and every column with ``columns``); the cursor goes to the top."""
        self.rows = []
        self._rows_by_key = {}
        self._next_key = 0
        self._cursor_at = Coordinate(0, 0)
        self._hover_at = None
        if columns:
            self.columns = []
            self._columns_by_key = {}
        else:
            for column in self.columns:
                column.content_width = cell_len(column.label.plain)
        self._layout_changed()

    def remove_row(self, key: Hashable) -> None:
        index = self.get_row_index(key)
        del self.rows[index]
        self._reindex()
        self._rows_changed()
        if self.rows:
            self.move_cursor(row=min(self._cursor_at.row, len(self.rows) - 1), scroll=False)

    def update_cell(self, row_key: Hashable, column_key: Hashable, value: CellValue) -> None:
        self.set_row_cells(self.get_row_index(row_key), {self.get_column_index(column_key): value})

    def update_cell_at(self, coordinate: Coordinate, value: CellValue) -> None:
        self.set_row_cells(coordinate.row, {coordinate.column: value})

    def set_row_cells(self, row_index: int, values: Mapping[int, CellValue]) -> None:
        """Replaces cells of one row (column index → value); only that row is drawn again
        (all rows only when a column had to grow)."""
        row = self.rows[row_index]
        widths = [c.content_width for c in self.columns]
        for column_index, value in values.items():
            cell = as_text(value)
            row.cells[column_index] = cell
            widths[column_index] = max(widths[column_index], cell_len(cell.plain))
        row.version += 1
        if not self._set_widths(widths):
            self._refresh_row(row_index)
        if row_index == self._cursor_at.row:
            self._announce_soon()

    def sort(self, *column_keys: Hashable, reverse: bool = False,
             key: Callable[[Row], Any] | None = None) -> None:  # fmt: skip
        """Orders the rows by the plain text of the given columns (or by ``key(row)``); the
        cursor stays on the row it was on."""
        current = self.cursor_row_key
        if key is None:
            indexes = [self.get_column_index(k) for k in column_keys]

            def key(row: Row) -> tuple:
                return tuple(row.cells[i].plain for i in indexes)

        self.rows.sort(key=key, reverse=reverse)
        self._reindex()
        self._rows_changed()
        if current is not None:
            self.move_cursor(row=self.get_row_index(current))

    # ----------------------------------------------------------------- reading

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def row_keys(self) -> list[Hashable]:
        return [row.key for row in self.rows]

    @property
    def column_keys(self) -> list[Hashable]:
        return [column.key for column in self.columns]

    def get_row_index(self, key: Hashable) -> int:
        try:
            return self._rows_by_key[key]
        except KeyError:
            raise KeyError(f"no row {key!r}") from None

    def get_column_index(self, key: Hashable) -> int:
        try:
            return self._columns_by_key[key]
        except KeyError:
            raise KeyError(f"no column {key!r}") from None

    def has_row(self, key: Hashable) -> bool:
        return key in self._rows_by_key

    def get_row(self, key: Hashable) -> list[Text]:
        return list(self.rows[self.get_row_index(key)].cells)

    def get_row_at(self, index: int) -> list[Text]:
        return list(self.rows[index].cells)

    def get_cell(self, row_key: Hashable, column_key: Hashable) -> Text:
        return self.rows[self.get_row_index(row_key)].cells[self.get_column_index(column_key)]

    def get_cell_at(self, coordinate: Coordinate) -> Text:
        return self.rows[coordinate.row].cells[coordinate.column]

    def row_key_at(self, index: int) -> Hashable:
        return self.rows[index].key

    # ----------------------------------------------------------------- the cursor

    @property
    def cursor_coordinate(self) -> Coordinate:
        return self._cursor_at

    @cursor_coordinate.setter
    def cursor_coordinate(self, coordinate: Coordinate) -> None:
        self.move_cursor(row=coordinate.row, column=coordinate.column)

    @property
    def cursor_row(self) -> int:
        return self._cursor_at.row

    @property
    def cursor_column(self) -> int:
        return self._cursor_at.column

    @property
    def cursor_row_key(self) -> Hashable | None:
        """The key of the row the cursor is on; None in an empty table."""
        return self.rows[self._cursor_at.row].key if self.rows else None

    def move_cursor(self, *, row: int | None = None, column: int | None = None,
                    animate: bool = False, scroll: bool = True) -> None:  # fmt: skip
        """Moves the cursor (kept inside the table) and tells the screen where it is."""
        old = self._cursor_at
        new = self._clamp(Coordinate(old.row if row is None else row, old.column if column is None else column))
        self._cursor_at = new
        if new != old:
            self._refresh_row(old.row)
            self._refresh_row(new.row)
        if scroll:
            self._scroll_to_cursor(animate)
        self._announce()

    def _clamp(self, coordinate: Coordinate) -> Coordinate:
        row = min(max(coordinate.row, 0), max(len(self.rows) - 1, 0))
        column = min(max(coordinate.column, 0), max(len(self.columns) - 1, 0))
        return Coordinate(row, column)

    def _announce(self) -> None:
        """Posts the highlighted message for where the cursor is now."""
        self._highlight_due = False
        self._post_at_cursor(Table.RowHighlighted, Table.CellHighlighted)

    def _post_at_cursor(self, row_message: type[RowHighlighted], cell_message: type[CellHighlighted]) -> None:
        """Posts the row or the cell message (by the cursor's kind) for where the cursor is."""
        if not self.rows or not self.columns or self.cursor_type == "none":
            return
        row, column = self._cursor_at
        key = self.rows[row].key
        if self.cursor_type == "row":
            self.post_message(row_message(self, row, key))
        else:
            self.post_message(cell_message(self, self.rows[row].cells[column], self._cursor_at, key,
                                           self.columns[column].key))  # fmt: skip

    def _announce_soon(self) -> None:
        """After rows changed: one highlighted message once the changes of this turn are done
        (before the table is mounted: when it is)."""
        if not self._highlight_due:
            self._highlight_due = True
            if self.is_mounted:
                self.call_later(self._announce_if_due)

    def on_mount(self) -> None:
        if self._highlight_due:
            self.call_later(self._announce_if_due)

    def _announce_if_due(self) -> None:
        if self._highlight_due:
            self._cursor_at = self._clamp(self._cursor_at)
            self._announce()

    def _scroll_to_cursor(self, animate: bool = False) -> None:
        if not self.rows or not self.columns:
            return
        header = self.header_height
        row, column = self._cursor_at
        fixed = self.fixed_width
        if self.cursor_type == "cell" and column >= self.fixed_columns:
            x = sum(self.column_width(i) for i in range(column))
            region = Region(x, row + header, self.column_width(column), 1)
            x_axis = True
        else:
            region = Region(int(self.scroll_x) + fixed, row + header, 1, 1)
            x_axis = False
        self.scroll_to_region(region, spacing=Spacing(header, 0, 0, fixed), animate=animate, force=True,
                              x_axis=x_axis, immediate=True)  # fmt: skip

    # ----------------------------------------------------------------- keys

    def action_cursor_up(self) -> None:
        self._hover_at = None
        self.move_cursor(row=self._cursor_at.row - 1)

    def action_cursor_down(self) -> None:
        self._hover_at = None
        self.move_cursor(row=self._cursor_at.row + 1)

    def action_cursor_left(self) -> None:
        self._hover_at = None
        if self.cursor_type == "cell":
            self.move_cursor(column=self._cursor_at.column - 1)
        else:
            self.scroll_left(animate=False)

    def action_cursor_right(self) -> None:
        self._hover_at = None
        if self.cursor_type == "cell":
            self.move_cursor(column=self._cursor_at.column + 1)
        else:
            self.scroll_right(animate=False)

    @property
    def page_rows(self) -> int:
        """How many rows one screenful shows."""
        return max(1, self.scrollable_content_region.height - self.header_height)

    def action_page_up(self) -> None:
        self._hover_at = None
        self.move_cursor(row=self._cursor_at.row - self.page_rows)

    def action_page_down(self) -> None:
        self._hover_at = None
        self.move_cursor(row=self._cursor_at.row + self.page_rows)

    def action_first_row(self) -> None:
        self.move_cursor(row=0)

    def action_last_row(self) -> None:
        self.move_cursor(row=len(self.rows) - 1)

    def action_select_cursor(self) -> None:
        self._post_at_cursor(Table.RowSelected, Table.CellSelected)

    # ----------------------------------------------------------------- the mouse

    def cell_at(self, offset_x: int, offset_y: int) -> tuple[int, int] | None:
        """The (row, column) under a point of the widget's content (row -1 is the header),
        or None where there is no cell."""
        header = self.header_height
        if offset_y < header:
            row = -1
        else:
            row = int(self.scroll_y) + offset_y - header
            if row >= len(self.rows):
                return None
        fixed = self.fixed_width
        x = offset_x if offset_x < fixed else offset_x + int(self.scroll_x)
        start = 0
        for index in range(len(self.columns)):
            width = self.column_width(index)
            if start <= x < start + width:
                return row, index
            start += width
        return None

    def on_mouse_move(self, event: events.MouseMove) -> None:
        offset = event.get_content_offset(self)
        place = None if offset is None else self.cell_at(offset.x, offset.y)
        hover = None if place is None else Coordinate(*place)
        if hover != self._hover_at:
            old = self._hover_at
            self._hover_at = hover
            for spot in (old, hover):
                if spot is not None:
                    self._refresh_row(spot.row) if spot.row >= 0 else self._refresh_header()

    def on_leave(self, _event: events.Leave) -> None:
        if self._hover_at is not None:
            old, self._hover_at = self._hover_at, None
            self._refresh_row(old.row) if old.row >= 0 else self._refresh_header()

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        place = None if offset is None else self.cell_at(offset.x, offset.y)
        if place is None:
            return
        row, column = place
        if row < 0:
            self.post_message(Table.HeaderSelected(self, self.columns[column].key, column, self.columns[column].label))
            return
        same = row == self._cursor_at.row and (self.cursor_type == "row" or column == self._cursor_at.column)
        if same:
            self.action_select_cursor()
        else:
            self.move_cursor(row=row, column=column if self.cursor_type == "cell" else None)

    # ----------------------------------------------------------------- drawing

    @property
    def header_height(self) -> int:
        return 1 if self.show_header else 0

    def column_width(self, index: int) -> int:
        """A column's width on screen, padding included."""
        return self.columns[index].width + 2 * self.cell_padding

    @property
    def fixed_width(self) -> int:
        return sum(self.column_width(i) for i in range(min(self.fixed_columns, len(self.columns))))

    @property
    def total_width(self) -> int:
        return sum(self.column_width(i) for i in range(len(self.columns)))

    def _set_widths(self, widths: list[int]) -> bool:
        """Stores measured widths; answers whether any changed (then every line is redrawn)."""
        changed = False
        for column, width in zip(self.columns, widths):
            if width != column.content_width:
                column.content_width = width
                changed = column.fixed_width is None or changed
        if changed:
            self._layout_changed()
        return changed

    def _layout_changed(self) -> None:
        self._look_generation += 1
        self._update_virtual_size()
        self._announce_soon()
        self.refresh()

    def _rows_changed(self) -> None:
        self._update_virtual_size()
        self._announce_soon()
        self.refresh()

    def _reindex(self) -> None:
        self._rows_by_key = {row.key: i for i, row in enumerate(self.rows)}

    def _update_virtual_size(self) -> None:
        self.virtual_size = Size(self.total_width, len(self.rows) + self.header_height)

    def _refresh_row(self, index: int) -> None:
        y = index + self.header_height - int(self.scroll_y)
        if 0 <= index < len(self.rows) and 0 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def _refresh_header(self) -> None:
        if self.show_header:
            self.refresh(Region(0, 0, self.size.width, 1))

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._table_styles.clear()
        self._look_generation += 1

    def _look_changed(self) -> None:
        """Something every row's look depends on changed (focus, stripes, the cursor's kind or
        whether it shows): every row is drawn again."""
        self._look_generation += 1
        self.refresh()

    on_focus = on_blur = watch_zebra_stripes = watch_cursor_type = watch_show_cursor = _look_changed
    #: A change of the header, the padding or the fixed columns moves the columns.
    watch_show_header = watch_cell_padding = watch_fixed_columns = _layout_changed

    def _style(self, name: str) -> Style:
        style = self._table_styles.get(name)
        if style is None:
            style = self._table_styles[name] = self.get_component_rich_style(name)
        return style

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_x, scroll_y = int(self.scroll_x), int(self.scroll_y)
        header = self.header_height
        if y < header:
            line = self._header_line(width)
        else:
            index = scroll_y + y - header
            if index >= len(self.rows):
                return Strip.blank(width, self.rich_style)
            line = self._row_line(index, width)
        fixed = self.fixed_width
        if scroll_x == 0:
            strip = line.crop(0, width)
        elif fixed:
            strip = Strip.join([line.crop(0, fixed), line.crop(fixed + scroll_x, scroll_x + width)])
        else:
            strip = line.crop(scroll_x, scroll_x + width)
        return strip.extend_cell_length(width, self.rich_style)

    def _header_line(self, width: int) -> Strip:
        hover = self._hover_at.column if self._hover_at is not None and self._hover_at.row == -1 else None
        key = ("header", self._look_generation, hover, width)
        line = self._drawn.get(key)
        if line is None:
            base = self.rich_style + self._style("table--header")
            segments: list[Segment] = []
            for index, column in enumerate(self.columns):
                style = base
                if index == hover:
                    style = style + self._style("table--hover") + self._style("table--header-hover")
                segments += self._cell_segments(column.label, column.width, style, None)
            fill = base if self.cursor_type == "row" else self._faded(base)
            line = Strip(segments).extend_cell_length(max(width, self.total_width), fill)
            self._drawn[key] = line
        return line

    def _faded(self, style: Style) -> Style:
        """What fills a line after the last column: the row's colours, without its text style
        and with a coloured background faded towards the table's (as DataTable fills it)."""
        if style.bgcolor is None:
            return Style.from_color(style.color, None)
        faded = Color.from_rich_color(style.bgcolor).blend(self.background_colors[1], factor=0.25)
        return Style.from_color(style.color, faded.rich_color)

    def _row_line(self, index: int, width: int) -> Strip:
        row = self.rows[index]
        show = self.show_cursor and self.cursor_type != "none"
        cursor_here = show and index == self._cursor_at.row
        cursor_column = (-1 if self.cursor_type == "row" else self._cursor_at.column) if cursor_here else None
        hover_here = show and self._hover_at is not None and self._hover_at.row == index
        hover_column = (-1 if self.cursor_type == "row" else self._hover_at.column) if hover_here else None
        stripe = index % 2 if self.zebra_stripes else None
        key = (row.key, row.version, self._look_generation, stripe, cursor_column, hover_column, width)
        line = self._drawn.get(key)
        if line is not None:
            return line
        base = self.rich_style
        if stripe is not None:
            base = base + self._style("table--odd-row" if stripe else "table--even-row")
        cursor = self._style("table--cursor")
        hover = self._style("table--hover")
        segments: list[Segment] = []
        fixed = self.fixed_columns
        for column_index, (cell, column) in enumerate(zip(row.cells, self.columns)):
            style = base
            if column_index < fixed:
                style = style + self._style("table--fixed")
            over = None
            if hover_column is not None and hover_column in (-1, column_index):
                style = style + hover
                over = hover
            if cursor_column is not None and cursor_column in (-1, column_index):
                style = style + cursor
                if column_index < fixed:
                    style = style + self._style("table--fixed-cursor")
                over = cursor if over is None else over + cursor
            segments += self._cell_segments(cell, column.width, style, over)
        if self.cursor_type == "row":  # the cursor and the hover go on to the right edge
            fill = base + (hover if hover_column == -1 else Style()) + (cursor if cursor_column == -1 else Style())
        else:
            fill = self._faded(base)
        line = Strip(segments).extend_cell_length(max(width, self.total_width), fill)
        self._drawn[key] = line
        return line

    def _cell_segments(self, cell: Text, width: int, style: Style, over: Style | None) -> list[Segment]:
        """One cell, padded on both sides: the cell's own styles over ``style``, and the
        cursor's or hover's colours over those (as DataTable draws a cursor)."""
        pad = " " * self.cell_padding
        plain = cell.plain
        used = cell_len(plain)
        post = None if over is None else Style.from_color(over.color, over.bgcolor)
        if used > width:
            cell = cell.copy()
            cell.truncate(width, overflow="ellipsis")
            plain = cell.plain
            used = cell_len(plain)
        justify = cell.justify
        before = after = 0
        if justify in ("right", "center"):
            stripped = plain.rstrip()
            if stripped != plain:  # Rich drops trailing spaces before it justifies a line
                cell = cell.copy()
                cell.rstrip()
                plain, used = stripped, cell_len(stripped)
        if justify == "right":
            before = width - used
        elif justify == "center":
            before = (width - used) // 2
            after = width - used - before
        else:
            after = width - used
        if justify in ("left", "center", "right") and plain and (cell.style or cell.spans) and (before or after):
            # Rich justifies inside the text: the spaces it adds take the text's own style.
            cell = cell.copy()
            cell.pad_left(before)
            cell.pad_right(after)
            plain, before, after = cell.plain, 0, 0
        if not cell.spans and not cell.style:
            own = style if post is None else style + post
            return [Segment(pad + " " * before + plain + " " * after + pad, own)]
        console = self.app.console
        # Text.render gives the spans' styles; the text's own style goes under them.
        text_style = style + console.get_style(cell.style) if cell.style else style
        text_segments = list(cell.render(console, end=""))
        plain_style = style if post is None else style + post
        segments = [Segment(pad + " " * before, plain_style)]
        segments += Segment.apply_style(text_segments, text_style, post)
        segments.append(Segment(" " * after + pad, plain_style))
        return segments

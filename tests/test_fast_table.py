"""FastTable draws exactly what Textual's DataTable draws, cell by cell."""

from __future__ import annotations

import asyncio
from contextlib import contextmanager

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.text import Text
from textual.app import App, ComposeResult
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from bouv_tui.tui.widgets.fast_table import FastTable

STYLES = ["", "bold", "dim", "bold red", "italic green", "reverse", "on blue", "dim italic", "underline"]
JUSTIFY = [None, "default", "left", "center", "right", "full"]

words = st.text(alphabet=st.sampled_from(list("abcåäöÅÄÖ éü–·*%0123456789[]\\日")), max_size=14)


@st.composite
def cells(draw):
    kind = draw(st.sampled_from(["str", "text", "spans", "number", "none"]))
    if kind == "str":
        return draw(words)
    if kind == "number":
        return draw(st.one_of(st.integers(-1000, 100000), st.floats(-1e4, 1e4, allow_nan=False)))
    if kind == "none":
        return None
    text = Text(draw(words), style=draw(st.sampled_from(STYLES)), justify=draw(st.sampled_from(JUSTIFY)))
    if kind == "spans" and len(text.plain) > 1:
        start = draw(st.integers(0, len(text.plain) - 1))
        end = draw(st.integers(start, len(text.plain)))
        text.stylize(draw(st.sampled_from(STYLES[1:])), start, end)
    return text


@contextmanager
def counting(owner, name: str, *, active: bool = True):
    """Count the calls of ``owner.name`` (DataTable's own drawing code) inside the block:
    how often FastTable handed a cell or a row back to it. Yields a one-item list."""
    calls = [0]
    original = getattr(owner, name)

    def counted(*args, **kwargs):
        calls[0] += 1
        return original(*args, **kwargs)

    if active:
        setattr(owner, name, counted)
    try:
        yield calls
    finally:
        setattr(owner, name, original)


class Pair(App):
    def compose(self) -> ComposeResult:
        yield DataTable(id="slow", zebra_stripes=True)
        yield FastTable(id="fast", zebra_stripes=True)


def _lines(lines):
    """What is drawn: each character with its style (how it is split into segments does not show)."""
    return [[(char, segment.style) for segment in line for char in segment.text] for line in lines]


def _compare(rows, widths, cursor_type):
    async def run():
        app = Pair()
        async with app.run_test(size=(100, 30)) as pilot:
            tables = [app.query_one("#slow", DataTable), app.query_one("#fast", DataTable)]
            drawn = []
            for table in tables:
                table.cursor_type = cursor_type
                for index, width in enumerate(widths):
                    table.add_column(f"k{index}", key=f"k{index}", width=width)
                table.add_rows(rows)
                table.focus()  # the cursor's colours depend on focus
                await pilot.pause()
                cells = {}
                with counting(DataTable, "_render_cell", active=isinstance(table, FastTable)) as calls:
                    for row in range(len(rows)):
                        base = table._get_row_style(row, table.rich_style)
                        for column, column_info in enumerate(table.ordered_columns):
                            width = column_info.get_render_width(table)
                            for cursor, hover in ((False, False), (True, False), (False, True)):
                                lines = table._render_cell(row, column, base, width, cursor, hover)
                                cells[row, column, cursor, hover] = _lines(lines)
                if isinstance(table, FastTable):
                    fallbacks = calls[0]
                drawn.append(cells)
            expected, got = drawn
            for key, lines in expected.items():
                assert got[key] == lines, (rows[key[0]][key[1]], key)
            return fallbacks

    return asyncio.run(run())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(cells(), cells(), cells()), min_size=1, max_size=8),
    widths=st.tuples(*(st.one_of(st.none(), st.integers(1, 12)) for _ in range(3))),
    cursor_type=st.sampled_from(["row", "cell", "none"]),
)
def test_fast_cells_match_datatable(rows, widths, cursor_type):
    _compare(rows, list(widths), cursor_type)


def test_the_roster_kinds_of_cells_match():
    rows = [
        (Text("Ada Exempel"), "Handläggare", "Barn 1", Text("100 %", justify="right"), "2020-01-01",
         Text("4,5", justify="right"), "ja", Text("SAKNAS", style="bold red"), "Tillsvidare"),
        (Text("Bo Prov (slutade 2025-01-01)", style="dim"), "Arbetsledare", "", Text("75 %", justify="right"),
         "2019-05-05", Text("–", justify="right"), "nej", Text("intyg"), "Konsult"),
        (Text("g*", style="green dim italic", justify="center"), Text("·", style="dim", justify="center"),
         "a [b]c[/b]", Text("12 %", justify="right"), "", Text(""), "x", Text("ja"), "y"),
    ]
    # Every one of these cells takes the fast path (none is handed back to DataTable).
    assert _compare(rows, [None] * 9, "row") == 0


def _compare_lines(rows, widths, cursor_type, *, size=(100, 30)):
    """Whole lines as the table draws them (``render_line``), for several cursor and hover
    positions: what the row-at-once path draws must be what DataTable draws."""

    async def run():
        app = Pair()
        async with app.run_test(size=size) as pilot:
            tables = [app.query_one("#slow", DataTable), app.query_one("#fast", DataTable)]
            for table in tables:
                table.cursor_type = cursor_type
                for index, width in enumerate(widths):
                    table.add_column(f"k{index}", key=f"k{index}", width=width)
                table.add_rows(rows)
            await pilot.pause()
            positions = [(0, 0), (len(rows) - 1, len(widths) - 1), (len(rows) // 2, 1)]
            for cursor in positions:
                for hover in ((0, 0), cursor, (len(rows) - 1, 0)):
                    for focused in (True, False):
                        drawn = []
                        for table in tables:
                            table.cursor_coordinate = Coordinate(*cursor)
                            table._set_hover_cursor(True)
                            table.hover_coordinate = Coordinate(*hover)
                            (table.focus() if focused else app.set_focus(None))
                            await pilot.pause()
                            table._pseudo_class_state = table.get_pseudo_class_state()
                            table._row_styles = {}
                            drawn.append([_lines([list(table.render_line(y))]) for y in range(table.size.height)])
                            table._row_styles = None
                        assert drawn[0] == drawn[1], (cursor, hover, focused)

    asyncio.run(run())


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.lists(st.tuples(cells(), cells(), cells()), min_size=1, max_size=6),
    widths=st.tuples(*(st.one_of(st.none(), st.integers(1, 12)) for _ in range(3))),
    cursor_type=st.sampled_from(["row", "cell", "column", "none"]),
)
def test_fast_lines_match_datatable(rows, widths, cursor_type):
    _compare_lines(rows, list(widths), cursor_type)


def test_the_roster_kinds_of_lines_match_and_take_the_row_path():
    rows = [
        (Text("Ada Exempel"), Text("Handläggare"), Text("Barn 1"), Text("100 %", justify="right"),
         Text("2020-01-01"), Text("12,5", justify="right"), Text("ja"), Text("SAKNAS", style="bold red"),
         Text("Tillsvidare")),
        (Text("Bo Prov (slutade 2025-01-01)", style="dim"), "Arbetsledare", "", Text("75 %", justify="right"),
         "2019-05-05", Text("–", justify="center"), "nej", Text("intyg", justify="left"), "Konsult"),
        (Text("Ce", style="italic", justify="center"), "x", "Enhet", Text("5 %", justify="right"), "",
         Text("1", justify="center", style="dim"), "ja", Text("ja", justify="right"), Text("")),
    ] * 3
    _compare_lines(rows, [None] * 9, "row")

    async def row_path_only():
        app = Pair()
        async with app.run_test(size=(140, 20)) as pilot:
            table = app.query_one("#fast", FastTable)
            for index in range(9):
                table.add_column(f"k{index}", key=f"k{index}")
            table.add_rows(rows)
            await pilot.pause()
            with counting(DataTable, "_render_line_in_row") as calls:
                table._row_render_cache.clear()
                table._line_cache.clear()
                for y in range(table.size.height):
                    table.render_line(y)
            assert calls[0] == 1  # the header only; every body row is drawn at once

    asyncio.run(row_path_only())


def test_lines_drawn_before_new_rows_are_measured_are_forgotten():
    """DataTable measures new rows when idle and keys the lines it has drawn by the widget's
    width only: lines from a frame painted in between (as on the submission screen, filled
    by a worker) kept columns as narrow as their headings. FastTable forgets them once the
    measurement changes a column's width."""

    async def run():
        app = Pair()
        async with app.run_test(size=(100, 30)) as pilot:
            table = app.query_one("#fast", FastTable)
            table.add_column("k", key="k")
            await pilot.pause()
            table.add_row(Text("en lång cell"))
            table._pseudo_class_state = table.get_pseudo_class_state()
            before = "".join(segment.text for segment in table.render_line(1))  # not yet measured
            assert "en lång cell" not in before and len(table._line_cache) > 0
            new_rows = table._new_rows.copy()
            table._new_rows.clear()
            table._require_update_dimensions = False
            table._update_dimensions(new_rows)  # what DataTable does when idle
            assert len(table._line_cache) == 0 and len(table._row_render_cache) == 0
            after = "".join(segment.text for segment in table.render_line(1))
            assert "en lång cell" in after

    asyncio.run(run())

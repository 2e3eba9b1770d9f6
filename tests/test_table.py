"""Our table widget (tui/widgets/table.py): it shows what DataTable showed for the same rows,
redraws only what changed, and keeps the cursor, keys, clicks and messages the screens use."""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from rich.text import Text
from textual.app import App, ComposeResult
from textual.coordinate import Coordinate
from textual.widgets import DataTable

from bouv_tui.tui.widgets.table import Table, as_text

LETTERS = string.ascii_letters + "åäöÅÄÖéü0123456789 -,.%()"
CELL = st.text(alphabet=LETTERS, max_size=14)
STYLE = st.sampled_from(["", "bold", "red", "italic", "bold green"])
#: A cell as the screens make them: plain, styled as a whole, or with a styled part.
def _cell(plain: str, style: str, part: str, where: int, justify) -> Text:
    text = Text(plain, style=style) if not part else Text.assemble(plain[:where], (plain[where:], part))
    text.justify = justify
    return text


STYLED_CELL = st.builds(_cell, CELL, STYLE, STYLE, st.integers(0, 14),
                        st.sampled_from([None, "left", "center", "right"]))  # fmt: skip


class Both(App):
    """A DataTable above one of ours, with the same rows."""

    CSS = "DataTable, Table { height: 12; }"
    AUTO_FOCUS = None

    def __init__(self, headings, rows, cursor_type="cell", zebra=False):
        super().__init__()
        self.headings, self.table_rows = headings, rows
        self.cursor_type, self.zebra = cursor_type, zebra

    def compose(self) -> ComposeResult:
        yield DataTable(cursor_type=self.cursor_type, zebra_stripes=self.zebra, id="theirs")
        yield Table(cursor_type=self.cursor_type, zebra_stripes=self.zebra, id="ours")

    def on_mount(self) -> None:
        for table in (self.query_one(DataTable), self.query_one(Table)):
            table.add_columns(*(Text(h) for h in self.headings))
            table.add_rows([[c.copy() if isinstance(c, Text) else Text(c) for c in row] for row in self.table_rows])


def lines(widget, height: int) -> list[str]:
    return [widget.render_line(y).text for y in range(height)]


def looks(widget, height: int) -> list[list[tuple]]:
    """Each line as (character, colour, background, bold) per cell of the screen."""
    drawn = []
    for y in range(height):
        cells = []
        for segment in widget.render_line(y):
            style = segment.style
            look = (None, None, None) if style is None else (style.color, style.bgcolor, bool(style.bold))
            cells += [(char, *look) for char in segment.text]
        drawn.append(cells)
    return drawn


@settings(max_examples=25, deadline=None, phases=[Phase.explicit, Phase.reuse, Phase.generate], suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    headings=st.lists(st.text(alphabet=LETTERS, min_size=1, max_size=10), min_size=1, max_size=5),
    data=st.data(),
    cursor_type=st.sampled_from(["cell", "row"]),
    zebra=st.booleans(),
)
async def test_it_shows_what_datatable_showed_for_the_same_rows(headings, data, cursor_type, zebra):
    rows = data.draw(st.lists(st.lists(STYLED_CELL, min_size=len(headings), max_size=len(headings)), max_size=15))
    app = Both(headings, rows, cursor_type, zebra)
    async with app.run_test(size=(70, 30)) as pilot:
        await pilot.pause()
        theirs, ours = app.query_one(DataTable), app.query_one(Table)
        assert lines(ours, 12) == lines(theirs, 12)
        theirs.move_cursor(row=2, column=1)
        ours.move_cursor(row=2, column=1)
        await pilot.pause()
        assert lines(ours, 12) == lines(theirs, 12)
        assert looks(ours, 12) == looks(theirs, 12)  # the same colours: cursor, header, stripes
        ours.focus()
        await pilot.pause()
        ours_focused = looks(ours, 12)
        theirs.focus()
        await pilot.pause()
        assert looks(theirs, 12) == ours_focused


async def test_a_long_table_scrolls_under_a_header_that_stays_and_page_keys_move_a_screenful():
    app = Both(["Namn", "Enhet"], [[f"Person {i:03}", "Nord"] for i in range(200)], "row")
    async with app.run_test(size=(70, 30)) as pilot:
        ours = app.query_one(Table)
        ours.focus()
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        assert ours.cursor_row == 11  # 12 lines, one of them the header
        await pilot.press("pagedown", "pagedown")
        await pilot.pause()
        shown = lines(ours, 12)
        assert shown[0].split() == ["Namn", "Enhet"]
        assert f"Person {ours.cursor_row:03}" in "".join(shown[1:])
        await pilot.press("end")
        await pilot.pause()
        assert ours.cursor_row == 199
        assert "Person 199" in lines(ours, 12)[-1]
        await pilot.press("home")
        await pilot.pause()
        assert ours.cursor_row == 0 and int(ours.scroll_y) == 0
        await pilot.press("up")  # at the top: stays
        assert ours.cursor_row == 0


class One(App):
    def __init__(self, **kwargs):
        super().__init__()
        self.kwargs = kwargs
        self.seen: list = []

    def compose(self) -> ComposeResult:
        yield Table(id="t", **self.kwargs)

    def on_table_row_highlighted(self, event: Table.RowHighlighted) -> None:
        self.seen.append(("row", event.cursor_row, event.row_key))

    def on_table_cell_highlighted(self, event: Table.CellHighlighted) -> None:
        self.seen.append(("cell", tuple(event.coordinate), event.row_key, event.column_key, event.value.plain))

    def on_table_row_selected(self, event: Table.RowSelected) -> None:
        self.seen.append(("row-selected", event.row_key))

    def on_table_cell_selected(self, event: Table.CellSelected) -> None:
        self.seen.append(("cell-selected", event.row_key, event.column_key))

    def on_table_header_selected(self, event: Table.HeaderSelected) -> None:
        self.seen.append(("header", event.column_key, event.column_index))


async def test_messages_name_the_row_and_cell_the_cursor_is_on():
    app = One(cursor_type="cell")
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(Table)
        table.add_column("Namn", key="name")
        table.add_column("Enhet", key="unit")
        table.add_rows([("Ada", "Nord"), ("Bo", "Syd")], keys=["a", "b"])
        table.focus()
        await pilot.pause()
        assert app.seen == [("cell", (0, 0), "a", "name", "Ada")]  # once, after the rows came
        await pilot.press("down", "right")
        await pilot.pause()
        assert app.seen[-1] == ("cell", (1, 1), "b", "unit", "Syd")
        await pilot.press("enter")
        await pilot.pause()
        assert app.seen[-1] == ("cell-selected", "b", "unit")
        await pilot.click(Table, offset=(2, 0))  # the first heading
        await pilot.pause()
        assert app.seen[-1] == ("header", "name", 0)
        await pilot.click(Table, offset=(2, 1))  # Ada's name: moves the cursor there
        await pilot.pause()
        assert table.cursor_coordinate == Coordinate(0, 0)
        assert app.seen[-1] == ("cell", (0, 0), "a", "name", "Ada")
        await pilot.click(Table, offset=(2, 1))  # again: selects it
        await pilot.pause()
        assert app.seen[-1] == ("cell-selected", "a", "name")


async def test_a_row_cursor_selects_rows_and_a_click_past_the_last_row_does_nothing():
    app = One(cursor_type="row")
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(Table)
        table.add_columns("Namn")
        table.add_rows([("Ada",), ("Bo",)], keys=[1, 2])
        await pilot.pause()
        await pilot.click(Table, offset=(2, 2))
        await pilot.pause()
        assert app.seen[-1] == ("row", 1, 2)
        await pilot.click(Table, offset=(2, 2))
        await pilot.pause()
        assert app.seen[-1] == ("row-selected", 2)
        before = list(app.seen)
        await pilot.click(Table, offset=(2, 6))  # no row there
        await pilot.pause()
        assert app.seen == before


async def test_changing_one_cell_redraws_its_row_and_keeps_the_others():
    app = One(cursor_type="cell")
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(Table)
        table.add_columns("Namn", "Nivå")
        table.add_rows([(f"P{i}", "G") for i in range(5)])
        await pilot.pause()
        drawn = [table.render_line(y) for y in range(6)]
        table.set_row_cells(3, {1: Text("F", style="bold")})
        again = [table.render_line(y) for y in range(6)]
        assert again[4].text.split() == ["P3", "F"]
        for y in (0, 1, 2, 3, 5):
            assert again[y] is drawn[y]  # the same line object: not drawn again
        assert again[4] is not drawn[4]
        assert table.get_cell_at(Coordinate(3, 1)).plain == "F"


async def test_a_wider_cell_widens_its_column_and_a_given_width_cuts_with_an_ellipsis():
    app = One(cursor_type="row")
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(Table)
        table.add_column("A", key="a")
        table.add_column("Kort", key="b", width=5)
        table.add_rows([("x", "helt för lång")])
        await pilot.pause()
        assert table.render_line(1).text.rstrip() == " x  helt…"
        table.update_cell(0, "a", "mycket bredare")
        await pilot.pause()
        assert table.render_line(1).text.startswith(" mycket bredare  helt…")
        assert table.render_line(0).text.startswith(" A               Kort ")


async def test_fixed_columns_stay_when_the_table_scrolls_sideways():
    app = One(cursor_type="cell", fixed_columns=1)
    async with app.run_test(size=(30, 8)) as pilot:
        table = app.query_one(Table)
        table.add_columns("Namn", *(f"Område{i}" for i in range(8)))
        table.add_rows([("Ada", *(f"v{i}" for i in range(8)))])
        table.focus()
        await pilot.pause()
        for _ in range(8):
            await pilot.press("right")
        await pilot.pause()
        assert table.cursor_column == 8
        line = table.render_line(1).text
        assert line.startswith(" Ada ") and "v7" in line
        assert "v0" not in line


async def test_strings_are_plain_text_not_markup_and_newlines_are_spaces():
    assert as_text("[b]Nord[/b]").plain == "[b]Nord[/b]"
    assert as_text("två\nrader").plain == "två rader"
    assert as_text(Text("a\nb", style="bold")).plain == "a b"
    assert as_text(None).plain == ""
    assert as_text(3).plain == "3"
    assert as_text(2.5).plain == "2.50"


async def test_sort_keeps_the_cursor_on_its_row_and_clear_empties_the_table():
    app = One(cursor_type="row")
    async with app.run_test(size=(60, 12)) as pilot:
        table = app.query_one(Table)
        table.add_column("Namn", key="name")
        table.add_rows([("Cecilia",), ("Ada",), ("Bo",)], keys=["c", "a", "b"])
        table.move_cursor(row=2)
        table.sort("name")
        await pilot.pause()
        assert table.row_keys == ["a", "b", "c"]
        assert table.cursor_row_key == "b"
        table.sort("name", reverse=True)
        assert table.row_keys == ["c", "b", "a"]
        table.clear()
        await pilot.pause()
        assert table.row_count == 0 and table.cursor_row_key is None
        assert table.render_line(1).text.strip() == ""


async def test_a_duplicate_key_is_refused():
    from bouv_tui.tui.widgets.table import DuplicateKey

    table = Table()
    table.add_column("A", key="a")
    with pytest.raises(DuplicateKey):
        table.add_column("B", key="a")
    table.add_row("x", key=1)
    with pytest.raises(DuplicateKey):
        table.add_row("y", key=1)
    assert table.row_count == 1


def test_no_private_textual_or_rich_name_is_used_here():
    import ast
    from pathlib import Path

    import bouv_tui.tui.widgets.table as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    own = {"_rows_by_key", "_columns_by_key", "_cursor_at", "_hover_at", "_next_key", "_look_generation", "_drawn",
           "_table_styles", "_highlight_due"}  # fmt: skip
    own |= {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            on_self = isinstance(node.value, ast.Name) and node.value.id == "self"
            assert on_self and node.attr in own, node.attr
    # Our own private names must not be Textual's: writing one of those would break the widget.
    from textual.scroll_view import ScrollView

    plain = ScrollView()
    private = {name for name in own if name.startswith("_") and not name.startswith("__")}
    assert not [name for name in private if hasattr(plain, name) or hasattr(ScrollView, name)]

"""The streamed sheet rows (``exchange/exporters/sheet_xml.py``): what each value becomes in
SpreadsheetML (text escaped and never a formula, what XML forbids left out, numbers, dates
as Excel serials, no cell for nothing), Excel's row limit on both sides, the column widths,
and putting the rows into a sheet part openpyxl wrote; and the fixed-time zip's level."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
import zipfile
from datetime import date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bouv_tui.exchange.exporters import sheet_xml as sx
from bouv_tui.exchange.exporters.packing import deterministic_zip

NS = {"m": sx.MAIN_NS}
STYLES = sx.Styles(heading=1, date=2, money=3, quoted=4)


def cells(headings, rows, *, money=frozenset()) -> dict[str, ET.Element]:
    """The cells :func:`rows_xml` makes, parsed (so the text is also well-formed XML), by reference."""
    xml = sx.rows_xml("Blad", headings, rows, STYLES, money=money)
    root = ET.fromstring(f'<sheetData xmlns="{sx.MAIN_NS}">{xml}</sheetData>')
    return {c.get("r"): c for c in root.iter(f"{{{sx.MAIN_NS}}}c")}


def text_of(cell: ET.Element) -> str:
    assert cell.get("t") == "inlineStr"
    assert cell.find("m:f", NS) is None
    return "".join(t.text or "" for t in cell.iter(f"{{{sx.MAIN_NS}}}t"))


def test_the_heading_row_is_row_one_in_the_heading_style():
    found = cells(("Namn", "Start & slut"), [])
    assert set(found) == {"A1", "B1"}
    assert [found[r].get("s") for r in ("A1", "B1")] == ["1", "1"]
    assert text_of(found["B1"]) == "Start & slut"


@pytest.mark.parametrize("text", ['Bo & Co', "a<b>c", 'sa "hej"', "&amp; redan", "]]>", "</t></is></c><c><f>1+1</f>"])
def test_markup_characters_are_escaped_and_read_back_as_written(text):
    xml = sx.rows_xml("Blad", ("A",), [[text]], STYLES)
    assert "<f>" not in xml and '"hej"' not in xml
    assert text_of(cells(("A",), [[text]])["A2"]) == text


def test_the_escapes_are_the_xml_entities():
    xml = sx.rows_xml("Blad", ("A",), [['& < > "']], STYLES)
    assert "<t>&amp; &lt; &gt; &quot;</t>" in xml


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("a\x00b\x01c\x08d", "abcd"),
        ("x\x0by\x0cz\x1f", "xyz"),
        ("rad 1\nrad 2\tflik", "rad 1\nrad 2\tflik"),  # line feed and tab are allowed
        ("a\rb", "a\rb"),  # written as &#13;: read back as a carriage return, not a line feed
        ("hal\ud800v", "halv"),  # a lone surrogate cannot be encoded
        ("x\ufffey\uffff", "xy"),
        ("åäö – é €", "åäö – é €"),
    ],
)
def test_characters_xml_forbids_are_left_out_and_the_rest_kept(text, kept):
    xml = sx.rows_xml("Blad", ("A",), [[text]], STYLES)
    xml.encode("utf-8")  # no lone surrogate left
    assert text_of(cells(("A",), [[text]])["A2"]) == kept


def test_a_text_of_only_forbidden_characters_is_no_cell():
    found = cells(("A", "B"), [["\x01\x02", "kvar"]])
    assert "A2" not in found and text_of(found["B2"]) == "kvar"


@pytest.mark.parametrize("text", ["=SUM(A1:A9)", "+46701234567", "-1", "@foo", "\tflik", "\rretur", "\x01=dolt"])
def test_text_that_looks_like_a_formula_is_quoted_text(text):
    cell = cells(("A",), [[text]])["A2"]
    assert text_of(cell) == sx.clean_text(text)
    assert cell.get("s") == "4", "the quote prefix: editing the cell keeps it text"


@pytest.mark.parametrize("text", ["a=b", " =x", "Anna", "1+1"])
def test_other_text_has_no_style(text):
    cell = cells(("A",), [[text]])["A2"]
    assert cell.get("s") is None
    assert text_of(cell) == text


def test_spaces_at_the_ends_are_preserved():
    found = cells(("A", "B", "C"), [["  indrag", "slut ", "i mitten"]])
    space = "{http://www.w3.org/XML/1998/namespace}space"
    assert found["A2"].find("m:is/m:t", NS).get(space) == "preserve"
    assert found["B2"].find("m:is/m:t", NS).get(space) == "preserve"
    assert found["C2"].find("m:is/m:t", NS).get(space) is None
    assert text_of(found["A2"]) == "  indrag" and text_of(found["B2"]) == "slut "


def test_dates_are_excel_serials_in_the_date_style():
    found = cells(("A", "B", "C", "D"), [[date(2026, 3, 2), datetime(2026, 3, 2, 12), date(1900, 3, 1), date(1900, 2, 28)]])
    assert (date(2026, 3, 2) - date(1899, 12, 30)).days == 46083
    assert found["A2"].find("m:v", NS).text == "46083"
    assert float(found["B2"].find("m:v", NS).text) == 46083.5
    # Excel counts a 29 February 1900 that never was: 1 March 1900 is 61, the day before 59.
    assert [found[r].find("m:v", NS).text for r in ("C2", "D2")] == ["61", "59"]
    assert {found[r].get("s") for r in ("A2", "B2", "C2", "D2")} == {"2"}
    assert all(found[r].get("t") is None for r in ("A2", "B2"))


def test_numbers_are_numbers_and_kronor_only_in_the_money_columns():
    found = cells(("A", "B", "C", "D"), [[12_500, 1.5, 7, True]], money={0, 2})
    assert [found[r].find("m:v", NS).text for r in ("A2", "B2", "C2")] == ["12500", "1.5", "7"]
    assert [found[r].get("s") for r in ("A2", "B2", "C2")] == ["3", None, "3"]
    assert found["D2"].get("t") == "b" and found["D2"].find("m:v", NS).text == "1"
    assert all(found[r].get("t") is None for r in ("A2", "B2", "C2"))


def test_nothing_and_empty_text_are_no_cell_and_the_next_cell_keeps_its_column():
    found = cells(("A", "B", "C", "D"), [[None, "", "tredje", 4], ["x"]])
    assert set(found) - {"A1", "B1", "C1", "D1"} == {"C2", "D2", "A3"}
    assert text_of(found["C2"]) == "tredje" and found["D2"].find("m:v", NS).text == "4"


def test_rows_are_numbered_from_two():
    xml = sx.rows_xml("Blad", ("A",), [[1], [2], [3]], STYLES)
    root = ET.fromstring(f'<sheetData xmlns="{sx.MAIN_NS}">{xml}</sheetData>')
    assert [r.get("r") for r in root] == ["1", "2", "3", "4"]
    assert [c.get("r") for c in root.iter(f"{{{sx.MAIN_NS}}}c")] == ["A1", "A2", "A3", "A4"]


def test_a_value_that_cannot_be_a_cell_is_refused():
    with pytest.raises(ValueError, match="Blad!A2"):
        sx.rows_xml("Blad", ("A",), [[float("nan")]], STYLES)
    with pytest.raises(ValueError, match="Blad!B2"):
        sx.rows_xml("Blad", ("A", "B"), [[1, float("inf")]], STYLES)
    with pytest.raises(TypeError, match="Blad!A3"):
        sx.rows_xml("Blad", ("A",), [[1], [object()]], STYLES)


def test_a_sheet_may_have_excels_rows_and_not_one_more():
    assert sx.MAX_ROWS == 1_048_576
    sx.check_rows("Deltagare", sx.MAX_ROWS)
    with pytest.raises(sx.TooManyRows) as refused:
        sx.check_rows("Deltagare", sx.MAX_ROWS + 1)
    message = str(refused.value)
    assert 'Bladet "Deltagare"' in message and "1\u00a0048\u00a0577 rader" in message
    assert "högst 1\u00a0048\u00a0576 rader" in message and "Ingenting har sparats" in message


def test_rows_up_to_the_limit_are_written_and_one_more_is_refused_before_any():
    fits = [[]] * (sx.MAX_ROWS - 1)  # with the heading: exactly the limit
    xml = sx.rows_xml("Deltagare", ("A",), fits, STYLES)
    assert xml.endswith(f'<row r="{sx.MAX_ROWS}"></row>')
    with pytest.raises(sx.TooManyRows, match="1\u00a0048\u00a0577"):
        sx.rows_xml("Deltagare", ("A",), fits + [[]], STYLES)


def test_column_widths_are_the_widest_value_or_heading_capped():
    rows = [["kort", 5], ["mycket längre text", 123456], [None, None]]
    shown = lambda col, value: 0 if value is None else len(str(value))  # noqa: E731
    assert sx.column_widths(("Rubrik", "B"), rows, shown=shown, cap=50) == [18, 6]
    assert sx.column_widths(("Rubrik", "B"), rows, shown=shown, cap=10) == [10, 6]
    assert sx.column_widths(("En lång rubrik", "B"), [], shown=shown, cap=50) == [14, 1]
    assert sx.column_widths(("A",), [["x"], ["x", "längst"]], shown=shown, cap=50) == [1, 6]  # ragged rows


PART = (
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:C2" />'
    b'<sheetData><row r="1"><c r="A1" s="1" t="inlineStr"><is><t>X</t></is></c></row></sheetData>'
    b'<autoFilter ref="A1:C9" /></worksheet>'
)


def test_the_rows_replace_the_sheet_data_and_the_dimension():
    rows = sx.rows_xml("Blad", ("A", "B"), [["å", 1]], STYLES)
    spliced = sx.splice_rows(PART, rows, "B2")
    root = ET.fromstring(spliced)
    assert root.find("m:dimension", NS).get("ref") == "A1:B2"
    assert [c.get("r") for c in root.iter(f"{{{sx.MAIN_NS}}}c")] == ["A1", "B1", "A2", "B2"]
    assert root.find("m:autoFilter", NS).get("ref") == "A1:C9", "the rest of the part as it was"
    assert spliced.count(b"<sheetData>") == 1 and "å".encode() in spliced


def test_a_part_without_one_sheet_data_is_refused():
    with pytest.raises(ValueError, match="sheetData"):
        sx.splice_rows(PART.replace(b"sheetData", b"other"), "", "A1")
    doubled = PART.replace(b"</worksheet>", b"<sheetData></sheetData></worksheet>")
    with pytest.raises(ValueError, match="sheetData"):
        sx.splice_rows(doubled, "", "A1")
    empty = PART.replace(b'<sheetData><row r="1"><c r="A1" s="1" t="inlineStr"><is><t>X</t></is></c></row></sheetData>',
                         b"<sheetData />")  # fmt: skip
    assert b'<row r="1">' in sx.splice_rows(empty, '<row r="1"></row>', "A1")


def test_the_sheet_parts_are_found_through_the_workbooks_relationships():
    entries = {
        "xl/workbook.xml": (
            b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            b'<sheet name="Tillf\xc3\xa4llen" sheetId="1" r:id="rId2"/><sheet name="B" sheetId="2" r:id="rId1"/>'
            b"</sheets></workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            b'<Relationship Id="rId1" Target="worksheets/sheet9.xml" Type="x"/>'
            b'<Relationship Id="rId2" Target="/xl/worksheets/sheet1.xml" Type="x"/></Relationships>'
        ),
    }
    assert sx.sheet_parts(entries) == {"Tillfällen": "xl/worksheets/sheet1.xml", "B": "xl/worksheets/sheet9.xml"}


def test_cell_styles_are_read_from_the_part():
    assert sx.cell_styles(PART.replace(b"<row ", b'<row><c r="B1" /></row><row ')) == {"B1": 0, "A1": 1}


def test_the_zip_level_is_the_one_asked_for_and_the_default_is_zlibs():
    data = b"".join(f"<row r='{i}'><c><v>{i * 7919 % 1000}</v></c></row>".encode() for i in range(20_000))

    def packed(level):
        zipped = deterministic_zip([("a.xml", data)], level=level)
        with zipfile.ZipFile(io.BytesIO(zipped)) as archive:
            assert archive.read("a.xml") == data
            return zipped, archive.infolist()[0].compress_size

    fastest, smallest, default, six = packed(1), packed(9), packed(None), packed(6)
    assert fastest[1] > smallest[1]
    assert default[0] == six[0] != fastest[0]
    assert packed(1)[0] == fastest[0], "the same bytes again"


@given(st.lists(st.text(), min_size=1, max_size=4))
@settings(max_examples=200, deadline=None)
def test_any_text_is_well_formed_and_reads_back_without_what_xml_forbids(texts):
    headings = tuple(f"K{i}" for i in range(len(texts)))
    found = cells(headings, [texts])
    for letter, text in zip("ABCD", texts):
        kept = sx.clean_text(text)
        if not kept:
            assert f"{letter}2" not in found
            continue
        cell = found[f"{letter}2"]
        assert text_of(cell) == kept
        assert (cell.get("s") == "4") == kept.startswith(sx.FORMULA_START)


def test_the_rows_are_exactly_the_spreadsheetml_elements():
    xml = sx.rows_xml("Blad", ("A", "B"), [[1, "x"]], STYLES)
    assert xml == (
        '<row r="1"><c r="A1" s="1" t="inlineStr"><is><t>A</t></is></c><c r="B1" s="1" t="inlineStr"><is><t>B</t></is></c></row>'
        '<row r="2"><c r="A2"><v>1</v></c><c r="B2" t="inlineStr"><is><t>x</t></is></c></row>'
    )


def test_a_row_wider_than_the_headings_keeps_its_cells():
    found = cells(("A",), [[1, "andra", 3]])
    assert found["B2"] is not None and text_of(found["B2"]) == "andra" and found["C2"].find("m:v", NS).text == "3"


def test_a_sheet_over_the_limit_is_refused_by_its_name(monkeypatch):
    monkeypatch.setattr(sx, "MAX_ROWS", 3)
    assert sx.rows_xml("Deltagare", ("A",), [[1], [2]], STYLES).endswith('<row r="3"><c r="A3"><v>2</v></c></row>')
    with pytest.raises(sx.TooManyRows) as refused:
        sx.rows_xml("Deltagare", ("A",), [[1], [2], [3]], STYLES)
    assert str(refused.value).startswith('Bladet "Deltagare" skulle få 4 rader med rubriken')


def test_the_width_measure_is_told_the_column():
    rows = [["abc", 12], ["a", 1234]]
    shown = lambda col, value: len(str(value)) + (3 if col == 1 else 0)  # noqa: E731  (column 1: " kr" and spaces)
    assert sx.column_widths(("A", "B"), rows, shown=shown, cap=50) == [3, 7]


def test_the_splice_gives_exactly_the_part_with_the_rows():
    spliced = sx.splice_rows(PART, '<row r="1"><c r="A1"><v>1</v></c></row>', "A1")
    assert spliced == (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:A1" />'
        b'<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData><autoFilter ref="A1:C9" /></worksheet>'
    )


def test_a_part_with_two_dimensions_is_refused_and_one_or_none_taken():
    message = "the sheet part does not have one <sheetData> and at most one <dimension>"
    twice = PART.replace(b"<sheetData>", b'<dimension ref="A1:B2" /><sheetData>')
    with pytest.raises(ValueError) as refused:
        sx.splice_rows(twice, "", "A1")
    assert str(refused.value) == message
    none = PART.replace(b'<dimension ref="A1:C2" />', b"")
    assert b"<dimension" not in sx.splice_rows(none, "", "A1")
    assert b'<dimension ref="A1:B7" />' in sx.splice_rows(PART, "", "B7")

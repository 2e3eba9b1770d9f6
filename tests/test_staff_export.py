"""Exporting the roster: files Excel opens, that can't run formulas, and that re-import unchanged."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bouv_tui.domain import catalog
from bouv_tui.domain.roster import StaffMember
from bouv_tui.exchange.atomic import ExportError, ReadOnlyTarget
from bouv_tui.exchange.staff_export import EXPORT_COLUMNS, export_staff_csv, export_staff_xlsx
from bouv_tui.exchange.staff_import import plan_staff_import, read_table
from bouv_tui.domain.validation import hidden_character
from bouv_tui.exchange.tables import EXCEL_ERRORS

TODAY = date(2025, 3, 1)

STAFF = [
    StaffMember(
        name="Åsa Öberg",
        role=catalog.CASEWORKER,
        id=1,
        personal_id="1001",
        unit="Mottagning; norr",
        employed_from=date(2020, 1, 15),
        experience_from=date(2015, 6, 1),
        social_work_degree=True,
        fte=75,
        continuing_training=True,
    ),
    StaffMember(
        name="Erik Lind",
        role=catalog.TEAM_LEADER,
        id=2,
        personal_id="1002",
        employed_from=date(2019, 2, 1),
        employed_until=date(2024, 12, 31),
        qualification_certificate=True,
        employment_type=catalog.CONSULTANT,
        first_manager_job=True,
        needs_supervision_support=True,
    ),
    StaffMember(name="=1+1", role=catalog.OTHER_ROLE, id=3, personal_id="@1003", unit="-Team"),
]


def test_csv_is_semicolon_utf8_with_bom_and_the_import_columns(tmp_path):
    path = tmp_path / "personal.csv"
    export_staff_csv(STAFF, path, TODAY)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert "erfarenhet_ar" not in rows[0] and "erfarenhet_fran" in rows[0]
    asa = dict(zip(rows[0], rows[1]))
    assert asa["namn"] == "Åsa Öberg"
    assert asa["roll"] == "handläggare"
    assert asa["enhet"] == "Mottagning; norr"
    assert asa["anstalld_fran"] == "2020-01-15" and asa["anstalld_till"] == ""
    assert asa["erfarenhet_fran"] == "2015-06-01"
    assert asa["socionomexamen"] == "ja" and asa["behorighetsintyg"] == "nej"
    assert asa["sysselsattningsgrad"] == "75"
    assert asa["anstallningsform"] == "tillsvidare"


def test_csv_escapes_formulas_with_an_apostrophe(tmp_path):
    path = tmp_path / "personal.csv"
    export_staff_csv(STAFF, path, TODAY)
    rows = list(csv.reader(io.StringIO(path.read_text("utf-8-sig"), newline=""), delimiter=";"))
    third = dict(zip(rows[0], rows[3]))
    assert (third["namn"], third["personal_id"], third["enhet"]) == ("'=1+1", "'@1003", "'-Team")
    assert not any(cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_xlsx_has_bold_header_dates_numbers_widths_and_no_formulas(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "personal.xlsx"
    export_staff_xlsx(STAFF, path, TODAY)
    workbook = load_workbook(path)  # not data_only: a formula would show as one
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    assert tuple(header) == EXPORT_COLUMNS
    assert all(c.font.bold for c in sheet[1])
    col = {code: i + 1 for i, code in enumerate(header)}
    started = sheet.cell(row=2, column=col["anstalld_fran"])
    assert started.is_date and started.value == datetime(2020, 1, 15)
    fte = sheet.cell(row=2, column=col["sysselsattningsgrad"])
    assert fte.value == 75 and fte.data_type == "n"
    formula_name = sheet.cell(row=4, column=col["namn"])
    assert formula_name.value == "=1+1" and formula_name.data_type == "s"
    assert formula_name.quotePrefix
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert sheet.column_dimensions["B"].width >= len("Åsa Öberg")
    assert sheet.freeze_panes == "A2"


def test_xlsx_sheet_name_creator_date_format_widths_and_filter(tmp_path):
    from openpyxl import load_workbook

    long_unit = StaffMember("Lång Enhet", catalog.CASEWORKER, id=4, personal_id="1004", unit="E" * 60)
    path = tmp_path / "personal.xlsx"
    export_staff_xlsx([*STAFF, long_unit], path, TODAY)
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    assert (sheet.title, workbook.properties.creator) == ("Personal", "bouv-tui")
    dates = [c for row in sheet.iter_rows(min_row=2) for c in row if c.is_date]
    assert len(dates) == 4 and {c.number_format for c in dates} == {"yyyy-mm-dd"}
    # Each column as wide as its longest heading or value, at most 50, plus 2.
    widths = {letter: sheet.column_dimensions[letter].width for letter in "ABCDEJP"}
    assert widths == {"A": 13, "B": 12, "C": 14, "D": 52, "E": 15, "J": 21, "P": 26}
    assert sheet.auto_filter.ref == "A1:P5"  # the heading and every row


@pytest.mark.parametrize("export", [export_staff_csv, export_staff_xlsx], ids=["csv", "xlsx"])
def test_apostrophes_before_a_formula_sign_survive_the_round_trip(tmp_path, export):
    """Excel hides one apostrophe before a formula sign and the import removes it: the export
    adds one where the text itself starts with an apostrophe and a formula sign."""
    names = ["'=1+1", "''+46", "'vanlig", "' =mellanslag"]
    people = [
        StaffMember(name, catalog.OTHER_ROLE, id=i, personal_id=f"A{i}", version=1)
        for i, name in enumerate(names, start=1)
    ]
    path = tmp_path / ("p.csv" if export is export_staff_csv else "p.xlsx")
    export(people, path, TODAY)
    plan = plan_staff_import(read_table(path), people, TODAY)
    assert plan.ok and (plan.updates, plan.unchanged) == ([], 4), [str(e) for e in plan.errors]
    if export is export_staff_xlsx:
        from openpyxl import load_workbook

        cells = [row[1].value for row in load_workbook(path).worksheets[0].iter_rows(min_row=2)]
        assert cells == ["'" + names[0], "'" + names[1], names[2], names[3]]


@pytest.mark.parametrize("export", [export_staff_csv, export_staff_xlsx], ids=["csv", "xlsx"])
def test_round_trip_changes_nothing(tmp_path, export):
    path = tmp_path / ("personal.csv" if export is export_staff_csv else "personal.xlsx")
    export(STAFF, path, TODAY)
    plan = plan_staff_import(read_table(path), STAFF, date(2026, 1, 1))
    assert plan.ok, [str(e) for e in plan.errors]
    assert (plan.adds, plan.updates, plan.unchanged) == ([], [], len(STAFF))


@pytest.mark.parametrize("export", [export_staff_csv, export_staff_xlsx], ids=["csv", "xlsx"])
@pytest.mark.parametrize("fte", [1, 2, 100])
def test_a_person_at_one_percent_comes_back_at_one_percent(tmp_path, export, fte):
    """An import reads a plain 1 as a share of full time (100 %): the export writes "1 %"."""
    person = StaffMember("Ett Procent", catalog.CASEWORKER, id=7, personal_id="E1", fte=fte, version=1)
    path = tmp_path / ("personal.csv" if export is export_staff_csv else "personal.xlsx")
    export([person], path, TODAY)
    plan = plan_staff_import(read_table(path), [person], date(2026, 1, 1))
    assert plan.ok and (plan.updates, plan.unchanged) == ([], 1), [str(e) for e in plan.errors]


@pytest.mark.parametrize("export", [export_staff_csv, export_staff_xlsx], ids=["csv", "xlsx"])
def test_people_without_personal_id_are_added_again(tmp_path, export):
    """Documented behaviour: only personal_id matches; a re-import adds people without one."""
    person = StaffMember("Utan Id", catalog.CASEWORKER, id=9, fte=50)
    path = tmp_path / ("p.csv" if export is export_staff_csv else "p.xlsx")
    export([person], path, TODAY)
    plan = plan_staff_import(read_table(path), [person], TODAY)
    assert plan.adds == [person.with_changes(id=None)]


@pytest.mark.parametrize("export", [export_staff_csv, export_staff_xlsx], ids=["csv", "xlsx"])
def test_export_replaces_the_file_and_leaves_no_temporary_files(tmp_path, export):
    folder = tmp_path / "ut"
    folder.mkdir()
    path = folder / "personal.out"
    path.write_text("gammalt")
    export(STAFF, path, TODAY)
    assert path.read_bytes() != b"gammalt"
    assert sorted(p.name for p in folder.iterdir()) == ["personal.out"]


def test_a_failed_export_keeps_the_old_file(tmp_path, monkeypatch):
    folder = tmp_path / "ut"
    folder.mkdir()
    path = folder / "personal.csv"
    path.write_text("gammalt")

    def fail(*args):
        raise OSError("disken är full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(ExportError, match=f"{path} kunde inte sparas: disken är full. Ingenting har sparats"):
        export_staff_csv(STAFF, path, TODAY)
    assert path.read_text() == "gammalt"
    assert [p.name for p in folder.iterdir()] == ["personal.csv"]


def test_empty_roster_exports_just_the_header(tmp_path):
    path = tmp_path / "tom.csv"
    export_staff_csv([], path, TODAY)
    assert path.read_bytes() == b"\xef\xbb\xbf" + ";".join(EXPORT_COLUMNS).encode() + b"\r\n"


# --- round trip of any roster (hypothesis) ---------------------------------------------------

_scratch = Path(tempfile.mkdtemp(prefix="bouv-export-"))

# Text the import accepts back: no control or invisible format characters (the import
# refuses a soft hyphen or a zero-width space with a message), no surrounding spaces, and
# not one of Excel's error values (#REF!, #BLOCKED! …), which the import refuses as a cell.
_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp")), max_size=30
).map(str.strip).filter(lambda t: t not in EXCEL_ERRORS and hidden_character(t) is None)
# (the import refuses invisible characters, noncharacters such as U+FDD0 among them)
_dates = st.one_of(st.none(), st.dates(min_value=date(1950, 1, 1), max_value=date(2040, 12, 31)))


@st.composite
def rosters(draw):
    count = draw(st.integers(0, 6))
    ids = draw(st.lists(_text.filter(bool), min_size=count, max_size=count, unique=True))
    staff = []
    for i, personal_id in enumerate(ids, start=1):
        start, end = draw(_dates), draw(_dates)
        if start and end and end < start:
            start, end = end, start
        staff.append(
            StaffMember(
                name=draw(_text.filter(bool)),
                role=draw(st.sampled_from(catalog.ROLES.codes())),
                id=i,
                personal_id=personal_id,
                unit=draw(_text),
                employed_from=start,
                employed_until=end,
                experience_from=draw(_dates),
                social_work_degree=draw(st.booleans()),
                qualification_certificate=draw(st.booleans()),
                fte=draw(st.integers(1, 100)),  # 1 goes out as "1 %": not read back as a share (100 %)
                employment_type=draw(st.sampled_from(catalog.EMPLOYMENT_TYPES.codes())),
                continuing_training=draw(st.booleans()),
                further_education=draw(st.booleans()),
                masters_degree=draw(st.booleans()),
                first_manager_job=draw(st.booleans()),
                needs_supervision_support=draw(st.booleans()),
            )
        )
    return staff


@settings(max_examples=40, deadline=None)
@given(staff=rosters(), xlsx=st.booleans())
def test_any_roster_round_trips(staff, xlsx):
    path = _scratch / ("roster.xlsx" if xlsx else "roster.csv")
    (export_staff_xlsx if xlsx else export_staff_csv)(staff, path, TODAY)
    plan = plan_staff_import(read_table(path), staff, TODAY)
    assert plan.ok, [str(e) for e in plan.errors]
    assert (plan.adds, plan.updates, plan.unchanged) == ([], [], len(staff))


# --- a read-only file: refused unless asked, and replaced it stays read-only ------------------


@pytest.mark.parametrize("export", [export_staff_csv, export_staff_xlsx], ids=["csv", "xlsx"])
def test_a_read_only_file_is_replaced_only_when_asked_and_stays_read_only(tmp_path, export):
    import stat

    tmp_path = tmp_path / "ut"
    tmp_path.mkdir()
    path = tmp_path / "personal.out"
    path.write_text("gammalt")
    path.chmod(0o444)
    with pytest.raises(ReadOnlyTarget, match=f"{path} är skrivskyddad. Ingenting har sparats"):
        export(STAFF, path, TODAY)
    assert path.read_text() == "gammalt" and stat.S_IMODE(path.stat().st_mode) == 0o444
    export(STAFF, path, TODAY, replace_readonly=True)
    assert path.read_bytes() != b"gammalt"
    assert stat.S_IMODE(path.stat().st_mode) == 0o400  # never looser than it was; group and others lose reading
    assert [p.name for p in tmp_path.iterdir()] == ["personal.out"]


def test_a_writable_file_is_replaced_private(tmp_path):
    import stat

    path = tmp_path / "personal.csv"
    path.write_text("gammalt")
    path.chmod(0o664)
    export_staff_csv(STAFF, path, TODAY)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_the_named_fallback_keeps_a_read_only_mode_too(tmp_path, monkeypatch):
    import stat

    from bouv_tui.exchange import atomic

    monkeypatch.setattr(atomic, "USE_O_TMPFILE", False)
    tmp_path = tmp_path / "ut"
    tmp_path.mkdir()
    path = tmp_path / "personal.csv"
    path.write_text("gammalt")
    path.chmod(0o440)
    export_staff_csv(STAFF, path, TODAY, replace_readonly=True)
    assert path.read_bytes().startswith("personal_id".encode("utf-8-sig"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o400
    assert [p.name for p in tmp_path.iterdir()] == ["personal.csv"]


# --- the export dialog of the roster -------------------------------------------------------------


async def _roster_export_dialog(app, pilot, folder: Path, name: str):
    from textual.widgets import Input

    from conftest import settle

    await settle(app, pilot)
    await pilot.press("x")
    await pilot.pause()
    app.screen.query_one("#export-folder", Input).value = str(folder)
    app.screen.query_one("#export-name", Input).value = name
    await pilot.click("#export-go")
    await pilot.pause()


async def test_the_app_asks_before_replacing_a_read_only_file(demo_db, make_app, tmp_path):
    import stat

    from conftest import settle
    from bouv_tui.tui.dialogs.common import ConfirmDialog
    from bouv_tui.tui.dialogs.exchange import ExportDialog

    folder = tmp_path / "ut"
    folder.mkdir()
    path = folder / "personal.csv"
    path.write_text("gammalt")
    path.chmod(0o444)
    app = make_app(demo_db, start="roster")
    async with app.run_test(size=(120, 40)) as pilot:
        await _roster_export_dialog(app, pilot, folder, "personal.csv")
        assert isinstance(app.screen, ConfirmDialog)
        assert f"{path} är skrivskyddad. Vill du ersätta den" in str(app.screen.query_one(".dialog-body").render())
        await pilot.click("#confirm-no")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)  # choose another name, or cancel
        assert "ersattes inte" in str(app.screen.query_one("#export-error").render())
        assert path.read_text() == "gammalt"
        await pilot.click("#export-go")
        await pilot.pause()
        await pilot.click("#confirm-yes")
        await settle(app, pilot)
        assert path.read_text(encoding="utf-8-sig").startswith("personal_id")
        assert stat.S_IMODE(path.stat().st_mode) == 0o400  # still read-only
        assert any(str(path) in message for message in app.shown_notices)


@pytest.mark.parametrize(("setup", "said"), [
    ("folder", "är en mapp. Ingenting har sparats"),
    ("read-only-folder", "är skrivskyddad, så personal.csv kan inte sparas där"),
])  # fmt: skip
async def test_the_dialog_says_what_cannot_be_written(demo_db, make_app, tmp_path, setup, said):
    from bouv_tui.tui.dialogs.exchange import ExportDialog

    folder = tmp_path / "ut"
    folder.mkdir()
    if setup == "folder":
        (folder / "personal.csv").mkdir()
    else:
        folder.chmod(0o500)
    app = make_app(demo_db, start="roster")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await _roster_export_dialog(app, pilot, folder, "personal.csv")
            assert isinstance(app.screen, ExportDialog)
            assert said in str(app.screen.query_one("#export-error").render())
    finally:
        folder.chmod(0o700)
    assert [p.name for p in folder.iterdir()] == (["personal.csv"] if setup == "folder" else [])


async def test_a_write_that_fails_in_the_app_reaches_the_error_dialog(demo_db, make_app, tmp_path, monkeypatch):
    from conftest import settle
    from bouv_tui.tui.dialogs.common import ErrorDialog

    folder = tmp_path / "ut"
    folder.mkdir()

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    app = make_app(demo_db, start="roster")
    async with app.run_test(size=(120, 40)) as pilot:
        monkeypatch.setattr(os, "replace", fail)
        await _roster_export_dialog(app, pilot, folder, "personal.csv")
        await settle(app, pilot)
        assert isinstance(app.screen, ErrorDialog)
        body = str(app.screen.query_one(".dialog-body").render())
        assert f"{folder / 'personal.csv'} kunde inte sparas: disken är full" in body
    assert list(folder.iterdir()) == []


def test_only_text_that_a_spreadsheet_would_take_for_a_formula_gets_an_apostrophe(tmp_path):
    from openpyxl import load_workbook

    from bouv_tui.exchange.staff_export import csv_text

    assert [csv_text(t) for t in ("=1", "'=1", "X=1", "'X=1", "XX'=1", "-Team", "vanlig")] == [
        "'=1", "''=1", "X=1", "'X=1", "XX'=1", "'-Team", "vanlig"
    ]  # fmt: skip
    people = [StaffMember(name, catalog.OTHER_ROLE, id=i, personal_id=f"B{i}", version=1)
              for i, name in enumerate(["'X=1", "X'=1"], start=1)]  # fmt: skip
    path = tmp_path / "p.xlsx"
    export_staff_xlsx(people, path, TODAY)
    assert [row[1].value for row in load_workbook(path).worksheets[0].iter_rows(min_row=2)] == ["'X=1", "X'=1"]

"""Reading and checking roster files (CSV/XLSX): what a user sees when a file is good or bad."""

from __future__ import annotations

import tempfile
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hostile_checks
from bouv_tui.domain import catalog
from bouv_tui.domain.validation import InvalidValue
from bouv_tui.exchange import tables
from bouv_tui.exchange.tables import (
    MAX_COLUMNS,
    MAX_WIDE_CELLS,
    cell_problem,
    decode_text,
    headerless_errors,
    looks_like_formula,
    map_headers,
    parse_text,
)
from bouv_tui.domain.roster import StaffMember, experience_from_years
from bouv_tui.exchange.staff_import import (
    MAX_ROWS,
    STAFF_COLUMNS,
    ImportFileError,
    Row,
    RowError,
    StaffImportPlan,
    Table,
    normalize_header,
    plan_staff_import,
    read_table,
)

TODAY = date(2025, 3, 1)


def write(tmp_path: Path, text: str, name: str = "personal.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def write_xlsx(tmp_path: Path, rows, name: str = "personal.xlsx", formats=None) -> Path:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                cell = sheet.cell(row=r, column=c, value=value)
                if formats and (r, c) in formats:
                    cell.number_format = formats[(r, c)]
    path = tmp_path / name
    workbook.save(path)
    return path


def plan_of(tmp_path: Path, text: str, existing=(), **kw) -> StaffImportPlan:
    return plan_staff_import(read_table(write(tmp_path, text, **kw)), list(existing), TODAY)


def only_error(plan: StaffImportPlan) -> RowError:
    assert len(plan.errors) == 1, [str(e) for e in plan.errors]
    return plan.errors[0]


def one_cell(tmp_path: Path, column: str, value: str) -> StaffImportPlan:
    """A file with one person and one extra column set to ``value``."""
    return plan_of(tmp_path, f'namn;roll;{column}\nAnna Ek;handläggare;"{value}"\n')


# --- good files ----------------------------------------------------------------

GOOD_SEMICOLON = (
    "personal_id;namn;roll;enhet;anstalld_fran;anstalld_till;erfarenhet_fran;socionomexamen;"
    "behorighetsintyg;sysselsattningsgrad;anstallningsform;fortbildning;vidareutbildning;"
    "magister_master;forsta_chefsjobb;behover_handledningsstod\n"
    "1001;Åsa Öberg;handläggare;Mottagning;2020-01-15;;2015-06-01;ja;nej;75;tillsvidare;j;n;0;;\n"
    "1002;Erik Lind;Arbetsledare;Utredning;2019-02-01;2024-12-31;;nej;ja;100;konsult;x;1;ja;ja;ja\n"
)


def test_good_semicolon_csv_gives_every_field(tmp_path):
    plan = plan_of(tmp_path, GOOD_SEMICOLON)
    assert plan.ok, [str(e) for e in plan.errors]
    assert plan.updates == [] and plan.unchanged == 0
    asa, erik = plan.adds
    assert asa == StaffMember(
        name="Åsa Öberg",
        role=catalog.CASEWORKER,
        personal_id="1001",
        unit="Mottagning",
        employed_from=date(2020, 1, 15),
        experience_from=date(2015, 6, 1),
        social_work_degree=True,
        fte=75,
        continuing_training=True,
    )
    assert erik.role == catalog.TEAM_LEADER
    assert erik.employed_until == date(2024, 12, 31)
    assert erik.employment_type == catalog.CONSULTANT
    assert erik.qualification_certificate and not erik.social_work_degree
    assert erik.further_education and erik.masters_degree
    assert erik.first_manager_job and erik.needs_supervision_support


def test_good_comma_csv(tmp_path):
    plan = plan_of(tmp_path, GOOD_SEMICOLON.replace(";", ","))
    assert plan.ok
    assert [p.name for p in plan.adds] == ["Åsa Öberg", "Erik Lind"]
    assert plan.adds[0].fte == 75


def test_quoted_cells_keep_delimiters(tmp_path):
    plan = plan_of(tmp_path, 'namn,roll,enhet\n"Ek, Anna",annan,"Team 1, norr"\n')
    assert plan.ok
    assert plan.adds[0].name == "Ek, Anna"
    assert plan.adds[0].unit == "Team 1, norr"


def test_utf8_bom_is_ignored(tmp_path):
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "namn;roll\nÅsa;handläggare\n".encode())
    table = read_table(path)
    assert table.headers == ["namn", "roll"]
    plan = plan_staff_import(table, [], TODAY)
    assert plan.ok and plan.adds[0].name == "Åsa"


def test_cp1252_from_old_excel_is_read_silently(tmp_path):
    plan = plan_of(tmp_path, "Namn;Roll;Enhet\nÅsa Öberg;handläggare;Söder\n", encoding="cp1252")
    assert plan.ok
    assert plan.adds[0].name == "Åsa Öberg"
    assert plan.adds[0].unit == "Söder"
    assert plan.adds[0].role == catalog.CASEWORKER


def test_undecodable_bytes_give_a_swedish_error_naming_the_file(tmp_path):
    path = tmp_path / "trasig.csv"
    path.write_bytes(b"namn;roll\n\x81\x8d\x8f;annan\n")  # neither UTF-8 nor cp1252
    with pytest.raises(ImportFileError) as info:
        read_table(path)
    assert "trasig.csv" in str(info.value)
    assert "teckenkodning" in str(info.value)


def test_xlsx_with_dates_numbers_and_percent(tmp_path):
    path = write_xlsx(
        tmp_path,
        [
            ["Personal-ID", "Namn", "Roll", "Anställd från", "Sysselsättningsgrad", "Erfarenhet år",
             "Socionomexamen"],
            [1001, "Åsa Öberg", "handläggare", datetime(2020, 1, 15), 75.0, 2.5, True],
            ["1002", "Erik Lind", "annan", date(2019, 2, 1), 0.5, 3, "nej"],
        ],
        formats={(3, 5): "0%"},
    )
    table = read_table(path)
    assert table.rows[0].cells[:5] == ("1001", "Åsa Öberg", "handläggare", "2020-01-15", "75")
    assert table.rows[1].cells[4] == "50"
    plan = plan_staff_import(table, [], TODAY)
    assert plan.ok, [str(e) for e in plan.errors]
    asa, erik = plan.adds
    assert asa.personal_id == "1001" and asa.fte == 75 and asa.social_work_degree
    assert asa.employed_from == date(2020, 1, 15)
    assert asa.experience_from == experience_from_years(2.5, TODAY)
    assert erik.fte == 50 and erik.employed_from == date(2019, 2, 1)


def test_xlsx_numbers_too_big_for_a_float_are_read_as_written_and_refused(tmp_path):
    import zipfile

    path = write_xlsx(
        tmp_path, [["Namn", "Roll", "Sysselsättningsgrad"], ["Åsa Öberg", "annan", 111.5], ["Erik Lind", "annan", 222.5]]
    )
    with zipfile.ZipFile(path) as archive:  # what Excel cannot write but a file can hold
        members = {i: archive.read(i) for i in archive.infolist()}
    with zipfile.ZipFile(path, "w") as archive:
        for info, data in members.items():
            archive.writestr(info, data.replace(b"<v>111.5</v>", b"<v>1E999</v>").replace(b"<v>222.5</v>", b"<v>-1E999</v>"))
    table = read_table(path)
    assert [row.cells[2] for row in table.rows] == ["inf", "-inf"]
    plan = plan_staff_import(table, [], TODAY)
    assert not plan.adds and [(e.row, e.column) for e in plan.errors] == [(2, "sysselsattningsgrad"), (3, "sysselsattningsgrad")]


def test_xlsx_row_numbers_are_the_sheet_rows(tmp_path):
    path = write_xlsx(
        tmp_path,
        [["namn", "roll"], ["Anna", "annan"], [None, None], ["Bo", "chef"]],
    )
    plan = plan_staff_import(read_table(path), [], TODAY)
    error = only_error(plan)
    assert (error.row, error.column) == (4, "roll")
    assert [p.name for p in plan.adds] == ["Anna"]


def test_xlsx_reads_only_the_first_sheet(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.append(["namn", "roll"])
    workbook.active.append(["Anna", "annan"])
    other = workbook.create_sheet("Annat")
    other.append(["namn", "roll"])
    other.append(["Bo", "annan"])
    path = tmp_path / "två.xlsx"
    workbook.save(path)
    plan = plan_staff_import(read_table(path), [], TODAY)
    assert [p.name for p in plan.adds] == ["Anna"]


@pytest.mark.parametrize(
    "heading, code",
    [
        ("Sysselsättningsgrad", "sysselsattningsgrad"),
        ("Anställd från", "anstalld_fran"),
        ("ANSTÄLLD_TILL", "anstalld_till"),
        (" Personal-ID ", "personal_id"),
        ("Behörighetsintyg", "behorighetsintyg"),
        ("Magister master", "magister_master"),
        ("Första chefsjobb", "forsta_chefsjobb"),
        ("Behöver handledningsstöd", "behover_handledningsstod"),
        ("Anställningsform", "anstallningsform"),
        ("Erfarenhet år", "erfarenhet_ar"),
        ("Erfarenhet-från", "erfarenhet_fran"),
    ],
)
def test_header_variants_match_the_column(tmp_path, heading, code):
    assert normalize_header(heading) == normalize_header(code)
    plan = plan_of(tmp_path, f"Namn;ROLL;{heading}\nAnna;annan;\n")
    assert plan.ok, [str(e) for e in plan.errors]


def test_empty_rows_are_skipped_and_row_numbers_kept(tmp_path):
    plan = plan_of(tmp_path, "namn;roll\nAnna;annan\n;\n\nBo;chef\n")
    error = only_error(plan)
    assert error.row == 5
    assert [p.name for p in plan.adds] == ["Anna"]


# --- whole-file errors -----------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("personal.pdf", b"%PDF-1.4", ["personal.pdf", "okänt format"]),
        ("personal", b"namn;roll\n", ["personal", "okänt format"]),
        ("gammal.xls", b"\xd0\xcf\x11\xe0", ["gammal.xls", ".xls"]),
        ("tom.csv", b"", ["tom.csv", "tom"]),
        ("bom.csv", b"\xef\xbb\xbf", ["bom.csv", "tom"]),
        ("blank.csv", b"\n;;\n  \n", ["blank.csv", "tom"]),
        ("data.csv", b"Anna;handl\xc3\xa4ggare\nBo;annan\n", ["data.csv", "rubrikrad"]),
        ("excel.csv", b"PK\x03\x04rest", ["excel.csv", "Excel"]),
        ("binär.csv", b"namn;roll\n\x00\x00\x00", ["binär.csv", "binära"]),
        ("text.xlsx", b"namn;roll\nAnna;annan\n", ["text.xlsx", "Excel"]),
        ("trasig.xlsx", b"PK\x03\x04trasig zip", ["trasig.xlsx", "Excel"]),
        ("tom.xlsx", b"", ["tom.xlsx", "tom"]),
    ],
)
def test_unreadable_files_raise_import_file_error(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as info:
        read_table(path)
    for word in words:
        assert word in str(info.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ImportFileError, match="finns inte"):
        read_table(tmp_path / "saknas.csv")
    folder = tmp_path / "mapp.csv"
    folder.mkdir()
    with pytest.raises(ImportFileError, match="mapp"):
        read_table(folder)


def test_empty_xlsx_sheet(tmp_path):
    with pytest.raises(ImportFileError, match="tom"):
        read_table(write_xlsx(tmp_path, []))


def test_more_than_max_rows_is_refused(tmp_path):
    ok = write(tmp_path, "namn;roll\n" + "Anna;annan\n" * MAX_ROWS, name="max.csv")
    assert len(read_table(ok).rows) == MAX_ROWS
    too_many = write(tmp_path, "namn;roll\n" + "Anna;annan\n" * (MAX_ROWS + 1), name="stor.csv")
    with pytest.raises(ImportFileError, match="stor.csv"):
        read_table(too_many)
    table = Table("hand.csv", ["namn", "roll"], [Row(i, ("A", "annan")) for i in range(MAX_ROWS + 1)])
    with pytest.raises(ImportFileError):
        plan_staff_import(table, [], TODAY)


# --- header errors ------------------------------------------------------------------


@pytest.mark.parametrize("missing", ["namn", "roll"])
def test_missing_required_column(tmp_path, missing):
    other = "roll" if missing == "namn" else "namn"
    plan = plan_of(tmp_path, f"{other};enhet\nannan;Söder\n")
    error = only_error(plan)
    assert (error.row, error.column) == (1, missing)
    assert missing in error.message
    assert plan.adds == []


def test_unknown_column_is_named_with_a_suggestion(tmp_path):
    plan = plan_of(tmp_path, "namn;roll;sysselsatningsgrad;favoritfärg\nAnna;annan;50;blå\n")
    assert not plan.ok
    columns = {e.column: e for e in plan.errors}
    assert set(columns) == {"sysselsatningsgrad", "favoritfärg", ""}
    assert all(e.row == 1 for e in plan.errors)
    assert 'Menade du "sysselsattningsgrad"?' in columns["sysselsatningsgrad"].message
    assert str(columns["favoritfärg"]) == 'Rad 1, kolumn "favoritfärg": Okänd kolumn. Rätta eller ta bort den.'
    # The valid columns are listed once, after the unknown ones, not after each of them.
    assert [e.message for e in plan.errors].count(columns[""].message) == 1
    assert columns[""].message.startswith("Giltiga kolumner: personal_id, namn, roll")
    assert sum("anstallningsform" in e.message for e in plan.errors) == 1


def test_same_column_twice(tmp_path):
    error = only_error(plan_of(tmp_path, "namn;roll;Enhet;enhet\nAnna;annan;A;B\n"))
    assert (error.row, error.column) == (1, "enhet")
    assert "C och D" in error.message


def test_values_under_no_heading_are_refused(tmp_path):
    plan = plan_of(tmp_path, "namn;roll\nAnna;annan\nBo;annan;extra\n")
    error = only_error(plan)
    assert (error.row, error.column) == (3, "C")
    assert "rubrik" in error.message


def test_empty_heading_over_empty_column_is_fine(tmp_path):
    assert plan_of(tmp_path, "namn;roll;;\nAnna;annan;;\n").ok


# --- cell errors ------------------------------------------------------------------------


def test_bad_role_message_as_the_user_sees_it(tmp_path):
    plan = plan_of(tmp_path, "namn;roll\nAnna;annan\nBo;handläggare\nCilla;chef\n")
    assert [str(e) for e in plan.errors] == [
        'Rad 4, kolumn "roll": "chef" är varken en roll (handläggare, arbetsledare eller annan) eller '
        "en känd befattning. Lägg till titeln i config.toml "
        f'({tmp_path / "xdg-config" / "bouv-tui" / "config.toml"}) under [roller], t.ex. "chef" = '
        '"handläggare", eller skriv handläggare, arbetsledare eller annan i filen.'
    ]


@pytest.mark.parametrize(
    "value, code",
    [
        ("handläggare", catalog.CASEWORKER),
        ("Handlaggare", catalog.CASEWORKER),
        ("HANDLÄGGARE", catalog.CASEWORKER),
        ("arbetsledare", catalog.TEAM_LEADER),
        ("Annan", catalog.OTHER_ROLE),
    ],
)
def test_roles_are_accepted_in_any_case(tmp_path, value, code):
    plan = plan_of(tmp_path, f"namn;roll\nAnna;{value}\n")
    assert plan.adds[0].role == code


def test_empty_role_and_empty_name(tmp_path):
    plan = plan_of(tmp_path, "namn;roll\n;annan\nBo;\n")
    assert [(e.row, e.column) for e in plan.errors] == [(2, "namn"), (3, "roll")]
    assert "saknas" in plan.errors[0].message and "saknas" in plan.errors[1].message


@pytest.mark.parametrize(
    "value, slash",
    [
        ("1/3/2024", True),
        ("2024/03/01", True),
        ("2024-13-01", False),
        ("2024-02-30", False),
        ("01.03.2024", False),
        ("2024-3-1", False),
        ("igår", False),
        ("2024-03-01 12:00", False),
        ("1850-01-01", False),
    ],
)
def test_dates_must_be_iso(tmp_path, value, slash):
    error = only_error(one_cell(tmp_path, "anstalld_fran", value))
    assert (error.row, error.column) == (2, "anstalld_fran")
    if value == "1850-01-01":
        assert "orimligt" in error.message
    else:
        assert "ISO" in error.message
    if slash:
        assert "dag" in error.message and "månad" in error.message


@pytest.mark.parametrize("column", ["anstalld_fran", "sysselsattningsgrad", "roll"])
def test_control_characters_in_a_cell_do_not_reach_the_message(tmp_path, column):
    error = only_error(one_cell(tmp_path, column, "x\x1b[31my\x07z\x9b"))
    assert error.column == column
    assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in error.message), repr(error.message)


def test_end_before_start(tmp_path):
    error = only_error(
        plan_of(tmp_path, "namn;roll;anstalld_fran;anstalld_till\nA;annan;2024-05-01;2024-04-30\n")
    )
    assert (error.row, error.column) == (2, "anstalld_till")
    assert "2024-04-30" in error.message and "2024-05-01" in error.message


def test_end_on_start_day_is_fine(tmp_path):
    assert plan_of(
        tmp_path, "namn;roll;anstalld_fran;anstalld_till\nA;annan;2024-05-01;2024-05-01\n"
    ).ok


def test_experience_date_and_years_both_given(tmp_path):
    plan = plan_of(
        tmp_path,
        "namn;roll;erfarenhet_fran;erfarenhet_ar\nA;annan;2020-01-01;\nB;annan;;3\nC;annan;2020-01-01;3\n",
    )
    error = only_error(plan)
    assert (error.row, error.column) == (4, "erfarenhet_ar")
    assert "erfarenhet_fran" in error.message
    assert [p.experience_from for p in plan.adds] == [
        date(2020, 1, 1),
        experience_from_years(3, TODAY),
    ]


@pytest.mark.parametrize("value, years", [("0", 0), ("2,5", 2.5), ("2.5", 2.5), ("60", 60)])
def test_years_of_experience(tmp_path, value, years):
    plan = one_cell(tmp_path, "erfarenhet_ar", value)
    assert plan.ok
    assert plan.adds[0].experience_from == experience_from_years(years, TODAY)
    assert plan.adds[0].years_of_experience(TODAY) == pytest.approx(years, abs=0.01)


@pytest.mark.parametrize("value", ["61", "-1", "tre", "2,5,1", "1e3"])
def test_bad_years_of_experience(tmp_path, value):
    error = only_error(one_cell(tmp_path, "erfarenhet_ar", value))
    assert (error.row, error.column) == (2, "erfarenhet_ar")
    assert "0 till 60" in error.message


@pytest.mark.parametrize(
    "value, expected",
    [("ja", True), ("JA", True), ("j", True), ("1", True), ("x", True), ("X", True),
     ("nej", False), ("Nej", False), ("n", False), ("0", False), ("", False)],
)
def test_yes_no_cells(tmp_path, value, expected):
    plan = one_cell(tmp_path, "socionomexamen", value)
    assert plan.ok
    assert plan.adds[0].social_work_degree is expected


@pytest.mark.parametrize("value", ["kanske", "yes", "2", "ja!"])
def test_bad_yes_no(tmp_path, value):
    error = only_error(one_cell(tmp_path, "fortbildning", value))
    assert (error.row, error.column) == (2, "fortbildning")
    assert "ja eller nej" in error.message


@pytest.mark.parametrize(
    "value, fte",
    [("75", 75), ("75 %", 75), ("75%", 75), ("75,0", 75), ("100", 100), ("100,00", 100), ("1 %", 1),
     ("5", 5), ("", 100)],
)  # fmt: skip
def test_fte_in_percent(tmp_path, value, fte):
    plan = one_cell(tmp_path, "sysselsattningsgrad", value)
    assert plan.ok
    assert plan.adds[0].fte == fte
    assert plan.warnings == []


@pytest.mark.parametrize(
    "value, fte, warning",
    [
        ("1", 100, "1 lästes som andel av heltid: 100 %. Skriv 1 % om det betyder en procent."),
        ("1,00", 100, "1,00 lästes som andel av heltid: 100 %."),
        ("1.0", 100, "1.0 lästes som andel av heltid: 100 %."),
        ("0,75", 75, "0,75 lästes som andel av heltid: 75 %."),
        ("0.5", 50, "0.5 lästes som andel av heltid: 50 %."),
        ("0,625", 63, "0,625 lästes som andel av heltid: 62,5 %; 62,5 % avrundas till 63 %."),
        ("62,5", 63, "62,5 % avrundas till 63 %."),
        ("33,3 %", 33, "33,3 % avrundas till 33 %."),
        ("99,5", 100, "99,5 % avrundas till 100 %."),
    ],
)
def test_fte_as_a_share_or_with_decimals_is_read_and_warned_about(tmp_path, value, fte, warning):
    plan = one_cell(tmp_path, "sysselsattningsgrad", value)
    assert plan.ok, [str(e) for e in plan.errors]
    assert plan.adds[0].fte == fte
    assert [str(w) for w in plan.warnings] == [f'Rad 2, kolumn "sysselsattningsgrad": {warning}']
    assert plan.read_as == {(2, "sysselsattningsgrad"): value}


def test_a_warning_on_every_row_read_as_a_share_even_when_the_text_repeats(tmp_path):
    plan = plan_of(tmp_path, "namn;roll;Tjänstgöringsgrad\nA;annan;1\nB;annan;75\nC;annan;1\nD;annan;0,5\n")
    assert plan.ok
    assert [p.fte for p in plan.adds] == [100, 75, 100, 50]
    assert [(w.row, w.column) for w in plan.warnings] == [(2, "sysselsattningsgrad"), (4, "sysselsattningsgrad"),
                                                          (5, "sysselsattningsgrad")]  # fmt: skip
    assert plan.add_rows == [2, 3, 4, 5]


@pytest.mark.parametrize(
    "value, says",
    [("0", "ingen möjlig sysselsättningsgrad"), ("0,0", "läst som andel: 0 %"), ("101", "ingen möjlig"),
     ("100,5", "ingen möjlig"), ("0,5 %", "ingen möjlig"), ("0,004", "läst som andel: 0,4 %"),
     ("heltid", "inte en giltig"), ("-50", "inte en giltig"), ("75,5,5", "inte en giltig"), ("1/2", "inte en giltig")],
)  # fmt: skip
def test_bad_fte(tmp_path, value, says):
    plan = one_cell(tmp_path, "sysselsattningsgrad", value)
    error = only_error(plan)
    assert (error.row, error.column) == (2, "sysselsattningsgrad")
    assert says in error.message
    assert "1 till 100 % av heltid" in error.message or "andel av heltid (t.ex. 0,75" in error.message
    assert plan.adds == [] and plan.warnings == []


@pytest.mark.parametrize(
    "value, code",
    [("", catalog.PERMANENT), ("Tillsvidare", catalog.PERMANENT), ("visstid", catalog.FIXED_TERM),
     ("KONSULT", catalog.CONSULTANT)],
)
def test_employment_type(tmp_path, value, code):
    assert one_cell(tmp_path, "anstallningsform", value).adds[0].employment_type == code


def test_bad_employment_type(tmp_path):
    error = only_error(one_cell(tmp_path, "anstallningsform", "praktikant"))
    assert (error.row, error.column) == (2, "anstallningsform")
    assert "tillsvidare, visstid eller konsult" in error.message


def test_name_length(tmp_path):
    assert plan_of(tmp_path, f"namn;roll\n{'A' * 200};annan\n").ok
    error = only_error(plan_of(tmp_path, f"namn;roll\n{'A' * 201};annan\n"))
    assert (error.row, error.column) == (2, "namn")
    assert "201" in error.message and "200" in error.message


def test_huge_cell_is_an_error_not_a_crash(tmp_path):
    plan = plan_of(tmp_path, f"namn;roll;enhet\nA;annan;{'x' * 5000}\nB;annan;{'y' * 1000}\n")
    error = only_error(plan)
    assert (error.row, error.column) == (2, "enhet")
    assert "5000" in error.message and "1000" in error.message
    assert len(str(error)) < 200  # the value itself is not repeated
    assert [p.name for p in plan.adds] == ["B"]


def test_cell_beyond_csv_field_limit_is_a_file_error(tmp_path):
    path = write(tmp_path, f"namn;roll\nA;{'x' * 200_000}\n", name="jätte.csv")
    try:
        plan = plan_staff_import(read_table(path), [], TODAY)
    except ImportFileError as error:
        assert "jätte.csv" in str(error)
    else:
        assert (plan.errors[0].row, plan.errors[0].column) == (2, "roll")


@pytest.mark.parametrize(
    "column, value",
    [
        ("namn", '=HYPERLINK(""http://evil.example"",""Klicka"")'),
        ("namn", "=1+1"),
        ("enhet", "+A1"),
        ("enhet", "-2+3"),
        ("personal_id", "@SUM(A1:A9)"),
        ("personal_id", "=cmd|' /C calc'!A0"),
    ],
)
def test_formulas_in_text_columns_are_refused(tmp_path, column, value):
    text = f'namn;roll;{column}\nAnna;annan;"{value}"\n' if column != "namn" else f'namn;roll\n"{value}";annan\n'
    error = only_error(plan_of(tmp_path, text))
    assert (error.row, error.column) == (2, column)
    assert "formel" in error.message


def test_harmless_leading_signs_and_escaped_formulas_are_text(tmp_path):
    plan = plan_of(tmp_path, "namn;roll;enhet\nAnna;annan;-\nBo;annan;'=Team 1\n")
    assert plan.ok
    assert [p.unit for p in plan.adds] == ["-", "=Team 1"]


def test_line_breaks_in_text_become_spaces_and_control_characters_are_refused(tmp_path):
    plan = plan_of(tmp_path, 'namn;roll;enhet\nAnna;annan;"Team\nNorr"\nBo;annan;"a\x07b"\n')
    assert plan.adds[0].unit == "Team Norr"
    error = only_error(plan)
    assert (error.row, error.column) == (3, "enhet")  # a quoted line break stays in its row


def test_same_personal_id_twice(tmp_path):
    plan = plan_of(tmp_path, "personal_id;namn;roll\n7;Anna;annan\n8;Bo;annan\n7;Cilla;annan\n")
    error = only_error(plan)
    assert (error.row, error.column) == (4, "personal_id")
    assert "rad 2" in error.message
    assert [p.name for p in plan.adds] == ["Anna", "Bo"]


def test_errors_refuse_the_plan_but_good_rows_are_still_reported(tmp_path):
    plan = plan_of(tmp_path, "namn;roll;sysselsattningsgrad\nAnna;annan;50\nBo;annan;500\nCilla;annan;\n")
    assert not plan.ok
    assert [p.name for p in plan.adds] == ["Anna", "Cilla"]
    assert [(e.row, e.column) for e in plan.errors] == [(3, "sysselsattningsgrad")]


def test_several_errors_come_in_row_order(tmp_path):
    plan = plan_of(
        tmp_path, "namn;roll;anstalld_fran;fortbildning\nA;chef;1/2/2024;kanske\nB;annan;;\n;x;;\n"
    )
    assert [(e.row, e.column) for e in plan.errors] == [
        (2, "roll"), (2, "anstalld_fran"), (2, "fortbildning"), (4, "namn"), (4, "roll")
    ]


def test_row_error_without_column():
    assert str(RowError(3, "", "Fel.")) == "Rad 3: Fel."


# --- updates --------------------------------------------------------------------------------

EXISTING = StaffMember(
    name="Anna Ek",
    role=catalog.CASEWORKER,
    id=7,
    personal_id="1001",
    unit="Mottagning",
    employed_from=date(2020, 1, 1),
    social_work_degree=True,
    fte=80,
    employment_type=catalog.FIXED_TERM,
)


def test_personal_id_updates_and_absent_columns_keep_their_values(tmp_path):
    plan = plan_of(tmp_path, "personal_id;namn;roll;enhet\n1001;Anna Ek;handläggare;Utredning\n",
                   existing=[EXISTING])
    assert plan.ok and plan.adds == []
    [(old, new)] = plan.updates
    assert old == EXISTING
    assert new == EXISTING.with_changes(unit="Utredning")
    assert new.id == 7
    assert new.social_work_degree and new.fte == 80 and new.employment_type == catalog.FIXED_TERM


def test_columns_in_the_file_replace_old_values_even_when_empty(tmp_path):
    plan = plan_of(
        tmp_path,
        "personal_id;namn;roll;sysselsattningsgrad;socionomexamen;anstallningsform;anstalld_fran\n"
        "1001;Anna Ek;handläggare;;;;\n",
        existing=[EXISTING],
    )
    [(_, new)] = plan.updates
    assert new.fte == 100 and not new.social_work_degree
    assert new.employment_type == catalog.PERMANENT and new.employed_from is None


def test_update_that_changes_nothing_is_counted_unchanged(tmp_path):
    other = StaffMember("Bo", catalog.OTHER_ROLE, id=8, personal_id="1002")
    plan = plan_of(
        tmp_path,
        "personal_id;namn;roll;enhet\n1001;Anna Ek;Handläggare;Mottagning\n1002;Bo;annan;\n",
        existing=[EXISTING, other],
    )
    assert plan.ok
    assert (plan.adds, plan.updates, plan.unchanged) == ([], [], 2)


def test_unknown_personal_id_and_no_personal_id_are_adds(tmp_path):
    plan = plan_of(tmp_path, "personal_id;namn;roll\n2002;Anna Ek;handläggare\n;Anna Ek;handläggare\n",
                   existing=[EXISTING])
    assert plan.updates == []
    assert [(p.personal_id, p.id) for p in plan.adds] == [("2002", None), (None, None)]


def test_update_checks_end_date_against_the_kept_start_date(tmp_path):
    plan = plan_of(tmp_path, "personal_id;namn;roll;anstalld_till\n1001;Anna Ek;handläggare;2019-12-31\n",
                   existing=[EXISTING])
    error = only_error(plan)
    assert (error.row, error.column) == (2, "anstalld_till")
    assert plan.updates == []


def test_a_person_imported_without_an_fte_column_works_full_time(tmp_path):
    plan = plan_of(tmp_path, "namn;roll\nAnna Ek;handläggare\n")
    assert plan.ok and [p.fte for p in plan.adds] == [100]
    empty = plan_of(tmp_path, "namn;roll;sysselsattningsgrad\nAnna Ek;handläggare;\n")
    assert empty.ok and [p.fte for p in empty.adds] == [100]


LEFT_2022 = EXISTING.with_changes(employed_until=date(2022, 6, 30))


def test_an_update_of_the_start_only_is_checked_against_the_kept_end_date(tmp_path):
    # The file has anstalld_fran but no anstalld_till: the stored end is kept, and a start
    # after it is the same error as in a file with both columns.
    plan = plan_of(tmp_path, "personal_id;namn;roll;anstalld_fran\n1001;Anna Ek;handläggare;2022-07-01\n",
                   existing=[LEFT_2022])
    error = only_error(plan)
    assert str(error) == (
        'Rad 2, kolumn "anstalld_till": Anställd till (2022-06-30) är före anställd från (2022-07-01).'
    )
    assert plan.updates == [] and plan.adds == []
    on_the_day = plan_of(tmp_path, "personal_id;namn;roll;anstalld_fran\n1001;Anna Ek;handläggare;2022-06-30\n",
                         existing=[LEFT_2022])
    assert on_the_day.ok and [new.employed_from for _, new in on_the_day.updates] == [date(2022, 6, 30)]


# --- hostile files (hypothesis) -----------------------------------------------------------

HYPOTHESIS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_scratch = Path(tempfile.mkdtemp(prefix="bouv-import-"))


def read_and_plan(path: Path, existing=()):
    """Either a plan or ImportFileError naming the file, never anything else; the plan keeps
    its promises, its errors name row and column, and the file reads as the same rows as a
    clean CSV file with the same cells (which gives the same plan)."""
    try:
        table = read_table(path)
    except ImportFileError as error:
        hostile_checks.file_error_names_the_file(error, path)
        return None
    plan = plan_staff_import(table, list(existing), TODAY)
    hostile_checks.errors_name_row_and_column(plan.errors, table, STAFF_COLUMNS)
    for error in plan.errors:
        assert len(str(error)) < 600
    clean = hostile_checks.read_as_clean(table, path.with_name("ren.csv"))
    if clean is not None:
        hostile_checks.same_rows(table, clean)
        assert plan_staff_import(clean, list(existing), TODAY) == plan
    for person in [*plan.adds, *(new for _, new in plan.updates)]:
        assert person.role in catalog.ROLES
        assert person.employment_type in catalog.EMPLOYMENT_TYPES
        assert 1 <= person.fte <= 100
        assert 0 < len(person.name) <= 200
        assert not person.name.startswith("=")
        if person.employed_from and person.employed_until:
            assert person.employed_from <= person.employed_until
    return plan


@HYPOTHESIS
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_random_bytes(data, suffix):
    path = _scratch / f"slump{suffix}"
    path.write_bytes(data)
    read_and_plan(path)


@HYPOTHESIS
@given(
    data=st.binary(max_size=400),
    prefix=st.sampled_from([b"namn;roll\n", b"\xef\xbb\xbfnamn,roll\n", b"PK\x03\x04", b""]),
)
def test_random_bytes_after_a_plausible_start(data, prefix):
    path = _scratch / "start.csv"
    path.write_bytes(prefix + data)
    read_and_plan(path)


HOSTILE_VALUES = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", "ja", "nej", "x", "2024-03-01", "1/3/2024", "2024-13-01", "01.03.2024", "75 %", "75,0",
         "handläggare", "arbetsledare", "annan", "konsult", "=1+1", '=HYPERLINK("x")', "@SUM(A1)",
         "+A1", "-", "'=x", "3,5", "61", "-1", "\u00a0", "0", "1", "100", "101"]
    ),
    st.builds(lambda n: "x" * n, st.integers(900, 1500)),
)


@HYPOTHESIS
@given(
    headers=st.lists(st.sampled_from(STAFF_COLUMNS), unique=True, max_size=len(STAFF_COLUMNS)),
    rows=st.lists(st.lists(HOSTILE_VALUES, min_size=0, max_size=20), max_size=8),
    delimiter=st.sampled_from([";", ","]),
)
def test_random_header_subsets_and_hostile_cells_through_csv(headers, rows, delimiter):
    import csv

    path = _scratch / "delmängd.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(headers)
        writer.writerows(rows)
    plan = read_and_plan(path, existing=[EXISTING])
    if plan is not None and not {"namn", "roll"} <= set(headers):
        assert not plan.ok and plan.adds == [] and plan.updates == []
    # Through the store: the same plan, and a refused one writes nothing.
    ws = _store()
    before = hostile_checks.stored_rows(ws.path)
    try:
        stored = ws.plan_staff_import(path, TODAY)
    except ImportFileError as error:
        assert plan is None
        hostile_checks.file_error_names_the_file(error, path)
    else:
        unversioned = [(old.with_changes(version=0), new.with_changes(version=0)) for old, new in stored.updates]
        assert (stored.adds, unversioned, stored.errors) == (plan.adds, plan.updates, plan.errors)
        if not stored.ok:
            with pytest.raises(ValueError, match="cannot be applied"):
                ws.apply_staff_import(stored)
    assert hostile_checks.stored_rows(ws.path) == before


_stores: list = []


def _store():
    """One database for the hypothesis examples, holding EXISTING (with its id)."""
    if not _stores:
        from bouv_tui.services import Workspace
        from bouv_tui.store.db import open_database

        ws = Workspace(open_database(_scratch / "personal.sqlite"))
        for person_id in range(1, EXISTING.id + 1):  # ids 1–7: the last one is EXISTING's
            ws.save_person(EXISTING.with_changes(id=None, personal_id=str(2000 + person_id), name=f"P{person_id}"))
        last = max(ws.staff(), key=lambda p: p.id)
        ws.save_person(EXISTING.with_changes(version=last.version), shown=last)
        assert [p for p in ws.staff() if p.id == EXISTING.id] == [EXISTING.with_changes(version=last.version + 1)]
        _stores.append(ws)
    return _stores[0]


@HYPOTHESIS
@given(
    headers=st.lists(st.text(max_size=25), min_size=1, max_size=6),
    rows=st.lists(st.lists(st.text(max_size=40), max_size=8), max_size=6),
)
def test_random_unicode_headers_and_cells(headers, rows):
    table = Table("slump.csv", headers, [Row(i + 2, tuple(r)) for i, r in enumerate(rows)])
    plan = plan_staff_import(table, [EXISTING], TODAY)
    assert plan.ok == (not plan.errors)


@settings(max_examples=25, deadline=None)
@given(
    rows=st.lists(
        st.tuples(st.text(max_size=20), st.sampled_from(["annan", "chef", ""]), HOSTILE_VALUES,
                  st.one_of(st.none(), st.integers(-5, 200), st.floats(allow_nan=True),
                            st.dates(min_value=date(1, 1, 1)), st.booleans())),
        max_size=6,
    )
)
def test_hostile_xlsx_cells(rows):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["namn", "roll", "enhet", "sysselsattningsgrad"])
    for row in rows:
        sheet.append([_xlsx_safe(v) for v in row])
    path = _scratch / "slump.xlsx"
    workbook.save(path)
    plan = read_and_plan(path)
    # The cells come back as the texts a person would type for them in a CSV file.
    table = read_table(path)
    written = [[_xlsx_safe(v) for v in row] for row in rows]
    read = {r.number: r.cells for r in table.rows}
    for number, row in enumerate(written, start=2):
        texts = [_typed_text(v) for v in row]
        if number not in read:
            assert not "".join(t for t in texts if t is not None).strip()
            continue
        cells = read[number] + ("",) * (len(texts) - len(read[number]))
        for value, text, cell in zip(row, texts, cells):
            if text is not None:
                assert cell == text, (value, cell)
    assert plan is not None  # a workbook openpyxl wrote is always read


def _typed_text(value) -> str | None:
    """The text read from an XLSX cell holding ``value``, or None where it is not plain
    (a formula, a float's rounding, a date before Excel's calendar)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):
        return value.isoformat() if value >= date(1900, 1, 1) else None
    if isinstance(value, str):
        from openpyxl.cell.cell import ERROR_CODES

        if value in ERROR_CODES:
            return None  # openpyxl writes "#NULL!" as an error value, which the reader marks to refuse
        # XML keeps a line break as \n, however it was written.
        return None if value.startswith("=") else value.replace("\r\n", "\n").replace("\r", "\n")
    return None


def _xlsx_safe(value):
    """openpyxl refuses control characters in strings; a real file can't hold them either."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")
    return value


# --- issue 11: files from the HR and finance systems ------------------------------------

HR_HEADINGS = "Anställningsnummer;Namn;Befattning;Avdelning;Anställningsdatum;Tjänstgöringsgrad;Slutdatum"


def test_hr_headings_are_the_roster_columns(tmp_path):
    plan = plan_of(
        tmp_path,
        f"{HR_HEADINGS}\n"
        "1001;Åsa Öberg;Socialsekreterare;Barn och unga;2019-08-01;1;\n"
        "1002;Bo Ek;Enhetschef;Barn och unga;2015-01-12;0,8;2025-01-31\n",
    )
    assert plan.errors == []
    assert plan.columns == ["personal_id", "namn", "roll", "enhet", "anstalld_fran", "sysselsattningsgrad",
                            "anstalld_till"]  # fmt: skip
    asa, bo = plan.adds
    assert (asa.personal_id, asa.role, asa.unit, asa.employed_from, asa.fte, asa.employed_until) == (
        "1001", catalog.CASEWORKER, "Barn och unga", date(2019, 8, 1), 100, None)  # fmt: skip
    assert (bo.role, bo.fte, bo.employed_until) == (catalog.TEAM_LEADER, 80, date(2025, 1, 31))
    assert plan.read_as[(2, "roll")] == "Socialsekreterare" and plan.read_as[(3, "sysselsattningsgrad")] == "0,8"


@pytest.mark.parametrize(
    "heading, code",
    [("Anst.nr", "personal_id"), ("AnstNr", "personal_id"), ("Titel", "roll"), ("Enhet", "enhet"),
     ("Arbetsplats", "enhet"), ("Sysselsättningsgrad (%)", "sysselsattningsgrad"), ("Slutdatum", "anstalld_till"),
     ("Anställd från", "anstalld_fran")],
)  # fmt: skip
def test_other_hr_headings(tmp_path, heading, code):
    plan = plan_of(tmp_path, f"namn;{'roll;' if code != 'roll' else ''}{heading}\nAnna;"
                   f"{'annan;' if code != 'roll' else ''}{'2020-01-01' if 'datum' in heading.lower() or 'från' in heading else 'annan' if code == 'roll' else '50' if code == 'sysselsattningsgrad' else 'X'}\n")  # fmt: skip
    assert plan.errors == [] and code in plan.columns


def test_two_headings_for_one_column_name_both(tmp_path):
    error = only_error(plan_of(tmp_path, "namn;roll;Befattning\nAnna;annan;utredare\n"))
    assert str(error) == 'Rad 1, kolumn "roll": Kolumnen finns två gånger: "roll" och "Befattning" (kolumn B och C).'


def test_the_issue_headings_get_no_wrong_suggestions(tmp_path):
    plan = plan_of(tmp_path, f"{HR_HEADINGS};Kostnadsställe;Lönekod\nA;B;utredare;C;2020-01-01;1;;1;2\n")
    messages = [str(e) for e in plan.errors]
    assert messages == [
        'Rad 1, kolumn "Kostnadsställe": Okänd kolumn. Rätta eller ta bort den.',
        'Rad 1, kolumn "Lönekod": Okänd kolumn. Rätta eller ta bort den.',
        "Rad 1: Giltiga kolumner: " + ", ".join(STAFF_COLUMNS) + " (eller HR-systemens rubriker som "
        "Anställningsnummer, Befattning, Avdelning, Anställningsdatum, Slutdatum och Tjänstgöringsgrad).",
    ]
    assert not any("Menade du" in m for m in messages)


@pytest.mark.parametrize(
    "title, code",
    [("socialsekreterare", catalog.CASEWORKER), ("Utredare", catalog.CASEWORKER),
     ("FAMILJEBEHANDLARE", catalog.CASEWORKER), ("Enhetschef", catalog.TEAM_LEADER),
     ("Biträdande enhetschef", catalog.TEAM_LEADER), ("1:e socialsekreterare", catalog.TEAM_LEADER),
     ("handläggare", catalog.CASEWORKER)],
)  # fmt: skip
def test_job_titles_are_roles(tmp_path, title, code):
    plan = plan_of(tmp_path, f"namn;Befattning\nAnna;{title}\n")
    assert plan.errors == [] and plan.adds[0].role == code


def test_a_title_added_in_config_toml_is_a_role(tmp_path):
    config = tmp_path / "xdg-config" / "bouv-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[roller]\n"Socialsekreterare mottagning" = "handläggare"\n"Utredare" = "annan"\n', encoding="utf-8")
    plan = plan_of(tmp_path, "namn;Befattning\nA;Socialsekreterare Mottagning\nB;utredare\nC;Enhetschef\n")
    assert plan.errors == [] and plan.notices == []
    assert [p.role for p in plan.adds] == [catalog.CASEWORKER, catalog.OTHER_ROLE, catalog.TEAM_LEADER]


def test_a_broken_title_in_config_toml_is_a_notice_with_key_and_line(tmp_path):
    config = tmp_path / "xdg-config" / "bouv-tui" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[ui]\ntheme = "x"\n\n[roller]\n"Kurator" = "chef"\n', encoding="utf-8")
    plan = plan_of(tmp_path, "namn;Befattning\nA;Kurator\n")
    assert plan.notices == [
        'config.toml på rad 5: roller."Kurator" = "chef" är ingen roll; skriv "handläggare", '
        '"arbetsledare" eller "annan". Titeln hoppas över.'
    ]
    error = only_error(plan)
    assert (error.row, error.column) == (2, "roll") and error.message.startswith(
        '"Kurator" är varken en roll (handläggare, arbetsledare eller annan) eller en känd befattning. '
        "Lägg till titeln i config.toml"
    )
    assert '[roller], t.ex. "Kurator" = "handläggare"' in error.message


def test_titles_given_by_the_caller_replace_the_config(tmp_path):
    table = read_table(write(tmp_path, "namn;titel\nA;Kurator\nB;utredare\n"))
    plan = plan_staff_import(table, [], TODAY, titles={"kurator": "annan"})
    assert [str(e) for e in plan.errors] == [
        'Rad 3, kolumn "roll": ' + plan.errors[0].message
    ] and plan.errors[0].message.startswith('"utredare" är varken en roll')
    assert not plan.ok and [p.role for p in plan.adds] == [catalog.OTHER_ROLE]  # nothing is stored


# --- encodings ---------------------------------------------------------------------------

_SWEDISH = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöÅÄÖéABCXYZ -", min_size=1, max_size=20).map(
    lambda s: " ".join(s.split()).lstrip("-")
).filter(bool)


def _roster(names: list[str]) -> str:
    return "namn;roll\n" + "".join(f"{n};annan\n" for n in names)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.lists(_SWEDISH, min_size=1, max_size=8), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_a_file_in_one_encoding_reads_back_its_names(tmp_path, names, encoding):
    plan = plan_of(tmp_path, _roster(names), encoding=encoding)
    assert plan.errors == []
    assert [p.name for p in plan.adds] == names


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    names=st.lists(_SWEDISH, min_size=2, max_size=10),
    data=st.data(),
)
def test_utf8_with_some_cp1252_lines_is_refused_naming_the_first(tmp_path, names, data):
    names = [*names, "Åsa Öberg"]  # one UTF-8 line with å/ö at least
    bad = sorted(data.draw(st.sets(st.integers(0, len(names) - 2), min_size=1, max_size=3)))
    for i in bad:
        names[i] = names[i] + " Ärlig"  # a non-ASCII letter on every line saved in cp1252
    lines = [b"namn;roll\n"] + [
        f"{n};annan\n".encode("cp1252" if i in bad else "utf-8") for i, n in enumerate(names)
    ]
    path = tmp_path / "blandad.csv"
    path.write_bytes(b"".join(lines))
    with pytest.raises(ImportFileError) as raised:
        read_table(path)
    assert str(raised.value).startswith(f'Filen "blandad.csv" kunde inte läsas: rad {bad[0] + 2} är inte UTF-8')
    assert "spara filen som UTF-8" in str(raised.value)


def test_the_issue_file_utf8_with_one_cp1252_line_is_refused(tmp_path):
    text = "namn;roll;enhet\n" + "".join(f"Åsa Öberg {i};annan;Söder\n" for i in range(10))
    raw = text.encode("utf-8").replace("Åsa Öberg 5".encode("utf-8"), "Åsa Öberg 5".encode("cp1252"))
    path = tmp_path / "personal.csv"
    path.write_bytes(raw)
    with pytest.raises(ImportFileError, match="rad 7 är inte UTF-8"):
        read_table(path)
    # The first line (the headings) and the last, with no line break after it, are counted too.
    path.write_bytes("namn;roll;område\n".encode("cp1252") + "Åsa;annan;Söder\n".encode("utf-8"))
    with pytest.raises(ImportFileError, match="rad 1 är inte UTF-8"):
        read_table(path)
    path.write_bytes("namn;roll\nÅsa;annan\n".encode("utf-8") + "Östen;annan".encode("cp1252"))
    with pytest.raises(ImportFileError, match="rad 3 är inte UTF-8"):
        read_table(path)


@settings(max_examples=80, deadline=None)
@given(raw=st.binary(min_size=1, max_size=200))
def test_any_bytes_are_read_as_utf8_or_cp1252_whole_or_refused(raw):
    from bouv_tui.exchange.tables import decode_text

    try:
        text = decode_text("x.csv", raw)
    except ImportFileError as exc:
        assert "kunde inte läsas" in str(exc)
        return
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        assert text == raw.decode("utf-16")
        return
    try:
        assert text == body.decode("utf-8")
    except UnicodeDecodeError:
        # Read as cp1252 only when no byte sequence in it was UTF-8: never mojibake.
        from bouv_tui.exchange.tables import _UTF8_MULTIBYTE

        assert text == body.decode("cp1252")
        assert _UTF8_MULTIBYTE.search(body) is None


def test_a_file_that_is_neither_is_refused(tmp_path):
    path = tmp_path / "personal.csv"
    path.write_bytes("namn;roll\nÅsa\x01;annan\n".encode("cp1252"))
    with pytest.raises(ImportFileError, match="varken UTF-8 eller Windows-1252"):
        read_table(path)


# --- XLSX that is not what it seems ------------------------------------------------------

_CT = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
       '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
       '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
       '</Types>')  # fmt: skip
_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
         '</Relationships>')  # fmt: skip
_WB = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
       'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
       '<sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>')  # fmt: skip
_WB_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            '</Relationships>')  # fmt: skip
_STYLES = ('<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           '<fonts count="1"><font><sz val="11"/></font></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
           '<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
           '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs></styleSheet>')  # fmt: skip


def _inline(ref: str, text: str) -> str:
    from xml.sax.saxutils import escape

    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'


def raw_xlsx(path: Path, rows, dimension: str | None = "A1:C5") -> Path:
    """A workbook written as raw XML, the sheet's rows streamed into the zip: a bomb of
    millions of rows or cells stays a few hundred kB on disk (style 1 is a date format)."""
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("[Content_Types].xml", _CT), ("_rels/.rels", _RELS), ("xl/workbook.xml", _WB),
                           ("xl/_rels/workbook.xml.rels", _WB_RELS), ("xl/styles.xml", _STYLES)):  # fmt: skip
            archive.writestr(name, text)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            dim = f'<dimension ref="{dimension}"/>' if dimension else ""
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                        f'spreadsheetml/2006/main">{dim}<sheetData>'.encode())  # fmt: skip
            chunk: list[str] = []
            for row in rows:
                chunk.append(row)
                if len(chunk) >= 10_000:
                    sheet.write("".join(chunk).encode())
                    chunk = []
            sheet.write("".join(chunk).encode() + b"</sheetData></worksheet>")
    return path


_HEAD = '<row r="1">' + _inline("A1", "namn") + _inline("B1", "roll") + _inline("C1", "anstalld_fran") + "</row>"


def _read_counting(path: Path) -> tuple[str, int]:
    """The refusal's message and the rows openpyxl handed over before reading stopped (how
    early it stops is counted in rows, not timed: benchmarks/ measures time)."""
    from bouv_tui.exchange import tables

    stats: dict = {}
    with pytest.raises(ImportFileError) as raised:
        tables._table_from_rows(path.name, tables._xlsx_rows(path, stats), None)
    return str(raised.value), stats.get("rows_read", 0)


_CLEAN_UP = (" Ta bort de tomma raderna och kolumnerna under och till höger om datan (eller kopiera datan "
             "till en ny arbetsbok) och försök igen.")  # fmt: skip


def test_xlsx_of_wide_empty_rows_is_refused_early(tmp_path):
    empty = "<c/>" * 16_384
    rows = [_HEAD, *(f'<row r="{r}">{empty}</row>' for r in range(2, 3_002))]
    path = raw_xlsx(tmp_path / "bred.xlsx", rows, dimension="A1:XFD3001")
    assert path.stat().st_size < 1_000_000
    message, read = _read_counting(path)
    assert message.startswith('Filen "bred.xlsx" lästes inte till slut: bladet har tusentals tomma celler '
                              "till höger om kolumn IV (rad ")  # fmt: skip
    assert message.endswith(" celler)." + _CLEAN_UP)
    assert read < 20


def test_xlsx_of_millions_of_empty_rows_is_refused_early(tmp_path):
    rows = [_HEAD, '<row r="2">' + _inline("A2", "Anna") + _inline("B2", "annan") + "</row>", *(["<row/>"] * 2_000_000)]
    path = raw_xlsx(tmp_path / "lang.xlsx", rows, dimension="A1:C2000002")
    message, read = _read_counting(path)
    assert message == ('Filen "lang.xlsx" lästes inte till slut: bladet har fler än 1\u00a0000 tomma rader '
                       "i följd från rad 3." + _CLEAN_UP)  # fmt: skip
    assert read == 2 + 1_001


def test_xlsx_with_a_row_number_far_below_is_not_read_row_by_row(tmp_path):
    rows = [_HEAD, '<row r="1048576">' + _inline("A1048576", "Anna") + _inline("B1048576", "annan") + "</row>"]
    message, read = _read_counting(raw_xlsx(tmp_path / "glapp.xlsx", rows))
    assert "fler än 1\u00a0000 tomma rader i följd från rad 2" in message and read == 1 + 1_001


def test_xlsx_with_a_value_far_to_the_right_is_refused(tmp_path):
    rows = [_HEAD, '<row r="2">' + _inline("A2", "Anna") + _inline("B2", "annan") + _inline("ZZ2", "x") + "</row>"]
    message, _ = _read_counting(raw_xlsx(tmp_path / "hoger.xlsx", rows))
    assert message == ('Filen "hoger.xlsx" har ett värde i kolumn ZZ på rad 2, längre åt höger än de 256 kolumner '
                       "som läses. Ta bort det eller flytta datan till de första kolumnerna.")  # fmt: skip


@pytest.mark.parametrize("shape", ["rows", "cells"])
def test_a_big_xlsx_that_does_not_say_its_size_is_refused_before_openpyxl_reads_it(tmp_path, shape):
    body = ["<row/>"] * 3_000_000 if shape == "rows" else [f"<row>{'<c/>' * 16_384}</row>"] * 300
    path = raw_xlsx(tmp_path / "utan.xlsx", [_HEAD, *body], dimension=None)
    with pytest.raises(ImportFileError) as raised:
        read_table(path)
    assert str(raised.value).startswith('Filen "utan.xlsx" är för stor för att läsas: ett kalkylblad i den blir ')


def test_xlsx_cells_that_are_not_values_are_named(tmp_path, recwarn, capsys):
    rows = [
        _HEAD,
        '<row r="2"><c r="A2" t="e"><v>#REF!</v></c>' + _inline("B2", "annan") + "</row>",
        '<row r="3"><c r="A3"><f>B3&amp;C3</f></c>' + _inline("B3", "annan") + "</row>",
        '<row r="4">' + _inline("A4", "Bo Ek") + _inline("B4", "annan") + '<c r="C4" s="1"><v>99999999</v></c></row>',
        '<row r="5">' + _inline("A5", "Cia Ek") + '<c r="B5" t="e"><v>#N/A</v></c>' + '<c r="C5" s="1"><v>45000</v></c></row>',
    ]
    plan = plan_staff_import(read_table(raw_xlsx(tmp_path / "celler.xlsx", rows)), [], TODAY)
    assert [str(e) for e in plan.errors] == [
        'Rad 2, kolumn "namn": Cellen innehåller felvärdet #REF! från Excel, inte ett värde. Rätta formeln '
        "eller skriv in värdet i cellen.",
        'Rad 3, kolumn "namn": Cellen innehåller en formel som aldrig har räknats ut (filen är inte sparad i '
        "Excel efter att formeln skrevs). Öppna filen i Excel och spara den, eller skriv in värdet.",
        'Rad 4, kolumn "anstalld_fran": Cellen är formaterad som datum men talet 99999999 är inget giltigt '
        "datum. Skriv datumet som ÅÅÅÅ-MM-DD.",
        'Rad 5, kolumn "roll": Cellen innehåller felvärdet #N/A från Excel, inte ett värde. Rätta formeln '
        "eller skriv in värdet i cellen.",
    ]
    assert plan.adds == []
    assert len(recwarn) == 0  # openpyxl's warning (with its site-packages path) is not shown
    out = capsys.readouterr()
    assert "site-packages" not in out.out + out.err


def test_a_formula_with_its_value_is_read_as_the_value(tmp_path):
    rows = [_HEAD, '<row r="2"><c r="A2" t="str"><f>"Anna"&amp;" Ek"</f><v>Anna Ek</v></c>' + _inline("B2", "annan")
            + '<c r="C2" s="1"/></row>']  # fmt: skip
    plan = plan_staff_import(read_table(raw_xlsx(tmp_path / "formel.xlsx", rows)), [], TODAY)
    assert plan.errors == [] and [p.name for p in plan.adds] == ["Anna Ek"]


@pytest.mark.parametrize("value", ["#REF!", "#N/A", "#DIV/0!", "#NAME?"])
def test_excel_error_values_in_csv_are_refused(tmp_path, value):
    error = only_error(plan_of(tmp_path, f"namn;roll;enhet\nAnna;annan;{value}\n"))
    assert str(error) == (f'Rad 2, kolumn "enhet": Cellen innehåller felvärdet {value} från Excel, inte ett värde. '
                          "Rätta formeln eller skriv in värdet i cellen.")  # fmt: skip


@pytest.mark.parametrize(
    "char, name",
    [("\u202e", "U+202E, höger-till-vänster-åsidosättning"), ("\u200b", "U+200B, nollbreddsmellanslag"),
     ("\u2028", "U+2028, radavgränsare"), ("\u2029", "U+2029, styckeavgränsare"), ("\u200f", "U+200F, höger-till-vänster-markering"),
     ("\ufeff", "U+FEFF, byte order mark"), ("\u2066", "U+2066, vänster-till-höger-isolering")],
)  # fmt: skip
def test_invisible_characters_in_a_name_are_refused(tmp_path, char, name):
    plan = plan_of(tmp_path, f"namn;roll\nAnna{char} Ek;annan\n")
    assert [str(e) for e in plan.errors] == [
        f'Rad 2, kolumn "namn": "Anna Ek" innehåller ett osynligt tecken ({name}) på plats 5. '
        "Ta bort det (skriv om värdet för hand om du inte ser var det är)."
    ]
    assert plan.adds == []


# --- the preview -------------------------------------------------------------------------


async def test_the_preview_shows_every_column_with_the_values_as_read_and_the_warnings(tmp_path):
    from textual.app import App

    from bouv_tui.tui.dialogs.exchange import ImportPreview
    from bouv_tui.tui.widgets.table import Table

    path = write(tmp_path, f"{HR_HEADINGS}\n1001;Åsa Öberg;Socialsekreterare;Nord;2019-08-01;1;\n"
                           "1002;Bo Ek;handläggare;Syd;2020-01-01;62,5;\n")  # fmt: skip
    old = StaffMember("Bo Ek", catalog.CASEWORKER, id=7, personal_id="1002", unit="Syd",
                      employed_from=date(2020, 1, 1), fte=50)  # fmt: skip
    plan = plan_staff_import(read_table(path), [old], TODAY)
    assert plan.ok

    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(ImportPreview(path, plan))

    app = Host()
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()

        def rows(table_id: str):
            table = app.screen.query_one(table_id, Table)
            header = [str(c.label) for c in table.columns]
            return header, [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]

        assert rows("#preview-adds") == (
            ["Rad", "Personal-id", "Namn", "Roll", "Enhet", "Anställd från", "Syss.grad", "Anställd till"],
            [["2", "1001", "Åsa Öberg", "Handläggare (Socialsekreterare)", "Nord", "2019-08-01", "100 % (1)", ""]],
        )
        assert rows("#preview-updates") == (
            ["Rad", "Namn", "Personal-id", "Ändras"], [["3", "Bo Ek", "1002", "sysselsättningsgrad 50 % → 63 % (62,5)"]]
        )
        assert rows("#preview-warnings")[1] == [
            ["2", "sysselsattningsgrad", "1 lästes som andel av heltid: 100 %. Skriv 1 % om det betyder en procent."],
            ["3", "sysselsattningsgrad", "62,5 % avrundas till 63 %."],
        ]
        assert "Varningar: 2" in str(app.screen.query_one("#preview-summary").render())


# --- limits and messages the mutation run found untested ------------------------------


def test_an_update_from_a_file_without_experience_columns_keeps_the_experience(tmp_path):
    seasoned = EXISTING.with_changes(experience_from=date(2010, 1, 1))
    plan = plan_of(tmp_path, "personal_id;namn;roll;enhet\n1001;Anna Ek;handläggare;Utredning\n", existing=[seasoned])
    [(_, new)] = plan.updates
    assert new.experience_from == date(2010, 1, 1)
    # With the column present and empty, the file says "unknown".
    plan = plan_of(tmp_path, "personal_id;namn;roll;erfarenhet_ar\n1001;Anna Ek;handläggare;\n", existing=[seasoned])
    [(_, new)] = plan.updates
    assert new.experience_from is None


@pytest.mark.parametrize("first", ["x" * 1001, "#REF!"])
def test_a_bad_cell_does_not_hide_the_errors_of_the_cells_after_it(tmp_path, first):
    # personal_id is read first, before the role and the dates.
    plan = plan_of(tmp_path, f"personal_id;namn;roll;anstalld_fran\n{first};A;chef;igår\n")
    assert [(e.row, e.column) for e in plan.errors] == [(2, "personal_id"), (2, "roll"), (2, "anstalld_fran")]


def test_rows_after_an_end_before_start_are_still_checked(tmp_path):
    plan = plan_of(tmp_path, "namn;roll;anstalld_fran;anstalld_till\nA;annan;2024-05-01;2024-04-30\nB;chef;;\nC;annan;;\n")
    assert [(e.row, e.column) for e in plan.errors] == [(2, "anstalld_till"), (3, "roll")]
    assert [p.name for p in plan.adds] == ["C"]


def test_a_number_between_1_and_2_is_a_percent_not_a_share(tmp_path):
    plan = one_cell(tmp_path, "sysselsattningsgrad", "1,5")
    assert plan.ok and plan.adds[0].fte == 2
    assert [w.message for w in plan.warnings] == ["1,5 % avrundas till 2 %."]


def test_the_whole_message_of_an_impossible_percent_and_share(tmp_path):
    hint = "Ange procent av heltid (1–100, t.ex. 75 eller 62,5) eller andel av heltid (t.ex. 0,75 eller 1)."
    percent = only_error(one_cell(tmp_path, "sysselsattningsgrad", "150"))
    assert percent.message == f'"150" är ingen möjlig sysselsättningsgrad: den ska vara från 1 till 100 % av heltid. {hint}'
    share = only_error(one_cell(tmp_path, "sysselsattningsgrad", "0,001"))
    assert share.message == (
        f'"0,001" är ingen möjlig sysselsättningsgrad (läst som andel: 0,1 %): den ska vara från 1 till 100 % av heltid. {hint}'
    )


def test_the_whole_message_of_an_empty_role(tmp_path):
    error = only_error(plan_of(tmp_path, "namn;roll\nBo;\n"))
    assert error.message == "Roll saknas. Ange handläggare, arbetsledare eller annan, eller en befattning."


@pytest.mark.parametrize(("letters", "index"), [("A", 0), ("Z", 25), ("AA", 26), ("AZ", 51), ("BA", 52), ("IV", 255)])
def test_column_letters_to_indexes(letters, index):
    from bouv_tui.exchange.tables import _column_index, column_letter

    assert _column_index(letters) == index and column_letter(index) == letters


def test_the_whole_message_of_too_many_rows_and_too_big_a_sheet():
    from bouv_tui.exchange.tables import _too_big, _too_many_rows

    limit = f"{MAX_ROWS:,}".replace(",", "\u00a0")
    assert len(limit) > 3 and "," not in limit  # a thousands space, not a comma
    assert str(_too_many_rows("stor.csv")) == (
        f'Filen "stor.csv" har fler än {limit} rader med data, vilket är för många. Dela upp den i mindre filer.')  # fmt: skip
    # The size in whole MiB, rounded down: 3 MiB less one byte is 2 MB.
    assert str(_too_big("stor.xlsx", 3 * 1024 * 1024 - 1)) == (
        'Filen "stor.xlsx" är för stor för att läsas: ett kalkylblad i den blir 2 MB uppackat. Kopiera datan till en '
        "ny arbetsbok (utan tomma rader och kolumner under och till höger om den), spara den i Excel och försök igen.")  # fmt: skip
    assert "blir 3000 MB" in str(_too_big("x.xlsx", 3000 * 1024 * 1024))


@pytest.mark.parametrize(("text", "plausible"), [
    ("Åsa;Öberg\r\n", True), ("a\tb\n", True), ("\x7f", True), ("\x80", False),  # U+0080 is a C1 control
    ("a\x01b", False), ("a\x1fb", False), ("– 5 €", True), ("½ §", True), ("a\x81b", False), ("ü", True),
    ("[x]{~}^_`|", True),  # ASCII signs above "X" are ASCII, not letters that must be Windows-1252
])  # fmt: skip
def test_what_plausible_windows_1252_text_is(text, plausible):
    from bouv_tui.exchange.tables import _plausible_cp1252

    assert _plausible_cp1252(text) is plausible


def test_the_import_tells_only_the_config_notices_that_touch_job_titles():
    from bouv_tui import paths
    from bouv_tui.exchange.staff_import import configured_titles

    config = paths.config_file()
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[okand]\nx = 1\n\n[roller]\n"Familjebehandlare" = "annan"\n"Konstig" = "chef"\n', encoding="utf-8")
    titles, notices = configured_titles()
    assert titles["familjebehandlare"] == catalog.OTHER_ROLE and "konstig" not in titles
    assert len(notices) == 1 and 'roller."Konstig" = "chef" är ingen roll' in notices[0]  # not the unknown section
    config.write_text("[roller\n", encoding="utf-8")  # not TOML: the whole file is set aside
    titles, notices = configured_titles()
    assert len(notices) == 1 and "har ett fel" in notices[0] and "standardinställningar används" in notices[0]


def test_a_roster_of_exactly_max_rows_is_planned_and_one_more_is_refused_by_name():
    rows = [Row(i + 2, (f"Person {i}", "annan")) for i in range(MAX_ROWS)]
    plan = plan_staff_import(Table("hand.csv", ["namn", "roll"], rows), [], TODAY)
    assert plan.ok and len(plan.adds) == MAX_ROWS
    with pytest.raises(ImportFileError, match='"hand.csv"'):
        plan_staff_import(Table("hand.csv", ["namn", "roll"], [*rows, Row(MAX_ROWS + 2, ("En Till", "annan"))]), [], TODAY)


def test_a_row_without_a_name_says_so_in_the_name_column(tmp_path):
    from bouv_tui.exchange.staff_import import MAX_NAME

    table = read_table(write(tmp_path, f"namn;roll\n;annan\n{'Å' * MAX_NAME};annan\n{'Å' * (MAX_NAME + 1)};annan\n"))
    plan = plan_staff_import(table, [], TODAY)
    assert [(e.row, e.column, e.message) for e in plan.errors] == [
        (2, "namn", "Namn saknas."),
        (4, "namn", f"Namnet är för långt ({MAX_NAME + 1} tecken; högst {MAX_NAME})."),
    ]
    assert [p.name for p in plan.adds] == ["Å" * MAX_NAME] and not plan.ok  # the longest name is read; nothing is saved


# --- the shared table reader (exchange/tables.py) at its limits and in its corners -----------
# The exact cells, headings and row numbers read from CSV and XLSX, every whole-file refusal in
# its exact Swedish words, and each limit just inside and just outside it. Limits too big to
# reach in a fast test (512 MiB and 16 MiB of sheet XML) are lowered with monkeypatch to the
# size of a small workbook's parts; the rest are reached for real.

_HINT = 'Spara filen i Excel som "CSV UTF-8 (kommaavgränsad)" och försök igen.'
_TOO_BIG_END = (
    "uppackat. Kopiera datan till en ny arbetsbok (utan tomma rader och kolumner under och till "
    "höger om den), spara den i Excel och försök igen."
)
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def cells_of(table: Table) -> list[tuple[int, tuple[str, ...]]]:
    return [(row.number, row.cells) for row in table.rows]


def refusal(path: Path, **kw) -> str:
    with pytest.raises(ImportFileError) as raised:
        tables.read_table(path, **kw)
    return str(raised.value)


def workbook(path: Path, sheet_xml: bytes) -> Path:
    """A workbook whose first sheet's XML is exactly ``sheet_xml``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in (("[Content_Types].xml", _CT), ("_rels/.rels", _RELS), ("xl/workbook.xml", _WB),
                           ("xl/_rels/workbook.xml.rels", _WB_RELS), ("xl/styles.xml", _STYLES)):  # fmt: skip
            archive.writestr(name, text)
        archive.writestr("xl/worksheets/sheet1.xml", sheet_xml)
    return path


def sheet_xml(before: str = "", dimension: str | None = "A1:B2") -> bytes:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    data = (
        '<row r="1">' + _inline("A1", "namn") + _inline("B1", "roll") + "</row>"
        '<row r="2">' + _inline("A2", "Anna") + _inline("B2", "annan") + "</row>"
    )
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}">{before}{dim}<sheetData>{data}</sheetData></worksheet>'.encode()


def part_sizes(path: Path) -> dict[str, int]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: info.file_size for info in archive.infolist()}


# --- whole-file refusals, in their exact words ---------------------------------------------


def test_every_refusal_of_a_file_by_its_name_or_first_bytes_is_given_whole(tmp_path):
    assert refusal(write(tmp_path, "namn;roll\n", name="personal")) == (
        'Filen "personal" har ett okänt format (utan filändelse). Använd CSV (.csv) eller Excel (.xlsx).'
    )
    assert refusal(write(tmp_path, "%PDF-1.4", name="personal.pdf")) == (
        'Filen "personal.pdf" har ett okänt format (.pdf). Använd CSV (.csv) eller Excel (.xlsx).'
    )
    old_excel = tmp_path / "gammal.csv"
    old_excel.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 8)
    assert refusal(old_excel) == (
        'Filen "gammal.csv" heter .csv men är en gammal Excel-fil (.xls). '
        "Spara den som CSV eller Excel-arbetsbok (.xlsx)."
    )
    assert refusal(write(tmp_path, "namn;roll\nAnna;annan\n", name="text.xlsx")) == (
        'Filen "text.xlsx" heter .xlsx men är ingen Excel-arbetsbok. '
        "Öppna den i Excel och spara den som Excel-arbetsbok (.xlsx) eller som CSV."
    )


def test_text_that_is_not_utf16_utf8_or_windows_1252_is_refused_in_whole_words():
    with pytest.raises(ImportFileError) as raised:
        decode_text("u.csv", b"\xff\xfea")  # a UTF-16 BOM and half a character
    assert str(raised.value) == (
        'Filen "u.csv" kunde inte läsas som text: den börjar som UTF-16 men är det inte. ' + _HINT
    )
    neither = (
        'Filen "x.csv" kunde inte läsas som text: teckenkodningen känns inte igen '
        "(varken UTF-8 eller Windows-1252). " + _HINT
    )
    for raw in (b"namn;roll\n\xc5sa\x01;annan\n", b"namn;roll\n\x81;annan\n"):  # a control; no cp1252 byte
        with pytest.raises(ImportFileError) as raised:
            decode_text("x.csv", raw)
        assert str(raised.value) == neither
    assert decode_text("x.csv", "namn;roll\n\u00c5sa;annan\n".encode("cp1252")) == "namn;roll\nÅsa;annan\n"


def test_the_line_not_in_utf8_is_counted_from_the_first_byte(tmp_path):
    # The file starts with an empty line: the line break at byte 0 is a line too.
    path = tmp_path / "personal.csv"
    path.write_bytes(b"\nnamn;roll\n" + "Åsa;annan\n".encode() + "Östen;annan\n".encode("cp1252"))
    assert refusal(path) == (
        'Filen "personal.csv" kunde inte läsas: rad 4 är inte UTF-8 som resten av filen (troligen inklistrad '
        "från en fil med en annan teckenkodning). Rätta tecknen på raden, eller spara filen som UTF-8 och försök igen."
    )


# --- CSV: the delimiter of the heading line ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "headers", "rows"),
    [
        # The most frequent of ; , and tab wins, even with another one in a heading.
        ("namn,roll,enhet;avdelning\nAnna,annan,Syd\n", ["namn", "roll", "enhet;avdelning"], [(2, ("Anna", "annan", "Syd"))]),
        ("namn\troll\nAnna\tannan\n", ["namn", "roll"], [(2, ("Anna", "annan"))]),
        # No delimiter in the heading line: comma.
        ("namn\nEk, Anna\n", ["namn"], [(2, ("Ek", " Anna"))]),
        # A tab-separated file whose first heading is empty: the leading tab counts.
        ("\tnamn\n1\tAnna\n", ["", "namn"], [(2, ("1", "Anna"))]),
        # Only spaces and line breaks before the heading line are skipped, not its first letters.
        ("X\nX;Y\n", ["X"], [(2, ("X;Y",))]),
        (" \r\n\nnamn;roll\nAnna;annan\n", ["namn", "roll"], [(4, ("Anna", "annan"))]),
        # A delimiter inside quotes is not counted.
        ('namn,"roll; befattning"\nAnna,annan\n', ["namn", "roll; befattning"], [(2, ("Anna", "annan"))]),
        # Only the heading line counts, not the rows under it.
        ("namn;roll\nEk, Anna, Maria, Sofia;annan\n", ["namn", "roll"], [(2, ("Ek, Anna, Maria, Sofia", "annan"))]),
        # A line break inside quotes does not end the heading line (nor the row: Excel shows one row).
        ('"namn\noch efternamn";roll\nAnna;annan\n', ["namn\noch efternamn", "roll"], [(2, ("Anna", "annan"))]),
        # Letters are letters: no "X", "\r" or "n" in a heading ends the line.
        ("TEXT;namn\nx;Anna\n", ["TEXT", "namn"], [(2, ("x", "Anna"))]),
    ],
)  # fmt: skip
def test_the_delimiter_is_the_most_frequent_one_in_the_heading_line(tmp_path, text, headers, rows):
    table = tables.read_table(write(tmp_path, text, name="lista.csv"))
    assert (table.name, table.headers, cells_of(table)) == ("lista.csv", headers, rows)


def test_a_file_without_a_known_heading_is_refused_naming_at_most_200_characters_of_its_headings(tmp_path):
    headings = [f"kolumn nummer {i:02} av tjugo" for i in range(1, 11)]  # 25 characters each
    shown = ", ".join(headings)
    assert len(shown) > 201
    path = write(tmp_path, ";".join(headings) + "\n" + ";".join("x" * 10) + "\n", name="utan.csv")
    assert refusal(path, expected=["namn", "roll", "enhet"]) == (
        f'Filen "utan.csv" saknar rubrikrad: ingen kolumn på rad 1 ({shown[:200]}) har ett känt kolumnnamn. '
        "Första raden ska innehålla kolumnnamnen, t.ex. namn, roll."
    )
    table = tables.read_table(path, expected=["enhet", "kolumn nummer 03 av tjugo"])
    assert (table.name, table.header_row, table.headers) == ("utan.csv", 1, headings)


# --- XLSX: cells as text ----------------------------------------------------------------


def test_xlsx_cells_with_errors_big_integers_and_styles_that_are_not_there(tmp_path):
    rows = [
        '<row r="1">' + "".join(_inline(f"{c}1", c.lower()) for c in "ABCDE") + "</row>",
        '<row r="2"><c r="A2" t="e"><v>#FOO!</v></c><c r="B2" t="e"><v>#REF!</v></c>'
        '<c r="C2"><v>12345678901234567890</v></c>'
        # Style 9 is not in the workbook: no percent, no quote prefix.
        '<c r="D2" s="9"><v>0.5</v></c><c r="E2" s="9" t="inlineStr"><is><t>=abc</t></is></c></row>',
    ]
    table = tables.read_table(raw_xlsx(tmp_path / "celler.xlsx", rows, dimension="A1:E2"))
    assert cells_of(table) == [(2, ("\x00error:#FOO!", "\x00error:#REF!", "12345678901234567890", "0.5", "=abc"))]
    assert cell_problem(table.rows[0].cells[0]) == (
        "Cellen innehåller felvärdet #FOO! från Excel, inte ett värde. Rätta formeln eller skriv in värdet i cellen."
    )
    path = write_xlsx(tmp_path, [["namn", "tid"], ["Anna", timedelta(hours=30, minutes=5)]], name="tid.xlsx")
    assert cells_of(tables.read_table(path)) == [(2, ("Anna", "1 day, 6:05:00"))]


def test_an_array_formula_without_a_value_is_marked_as_a_formula(tmp_path):
    rows = [_HEAD, '<row r="2"><c r="A2"><f t="array" ref="A2">B2&amp;C2</f></c>' + _inline("B2", "annan") + "</row>"]
    table = tables.read_table(raw_xlsx(tmp_path / "matris.xlsx", rows))
    assert cells_of(table) == [(2, ("\x00formula", "annan"))]


def test_xlsx_row_numbers_across_gaps_and_from_the_cells_own_references(tmp_path):
    gaps = [
        _HEAD,
        '<row r="2">' + _inline("A2", "Anna") + _inline("B2", "annan") + "</row>",
        '<row r="5"><c r="A5"><f>B5&amp;C5</f></c>' + _inline("B5", "annan") + "</row>",  # rows 3 and 4 missing
    ]
    table = tables.read_table(raw_xlsx(tmp_path / "glapp.xlsx", gaps))
    assert (table.header_row, cells_of(table)) == (1, [(2, ("Anna", "annan")), (5, ("\x00formula", "annan"))])
    # Rows without an r: the number is the one in the cells' references, as Excel shows them.
    unnumbered = [
        "<row>" + _inline("A1", "namn") + _inline("B1", "roll") + "</row>",
        "<row>" + _inline("A4", "Anna") + _inline("B4", "annan") + "</row>",
        '<row><c r="A6"><f>1+1</f></c>' + _inline("B6", "annan") + "</row>",
    ]
    table = tables.read_table(raw_xlsx(tmp_path / "utan_r.xlsx", unnumbered))
    assert (table.header_row, cells_of(table)) == (1, [(4, ("Anna", "annan")), (6, ("\x00formula", "annan"))])
    # A sheet that starts with empty rows: the headings are on the first row with a value.
    late = [
        '<row r="2"><c r="A2"/></row>',
        '<row r="3">' + _inline("A3", "namn") + _inline("B3", "roll") + "</row>",
        '<row r="4">' + _inline("A4", "Anna") + _inline("B4", "annan") + "</row>",
    ]
    table = tables.read_table(raw_xlsx(tmp_path / "sent.xlsx", late))
    assert (table.header_row, table.headers, cells_of(table)) == (3, ["namn", "roll"], [(4, ("Anna", "annan"))])


def test_a_date_warning_for_a_cell_outside_the_rows_read_leaves_the_error_mark(tmp_path):
    rows = [
        _HEAD,
        # The cell says it is in row 7, inside row 2: the warning names row 7, which was not read.
        '<row r="2">' + _inline("A2", "Anna") + '<c r="C7" s="1"><v>99999999</v></c></row>',
        '<row r="3">' + _inline("A3", "Bo") + '<c r="C3" s="1"><v>99999999</v></c></row>',
    ]
    table = tables.read_table(raw_xlsx(tmp_path / "datum.xlsx", rows))
    assert cells_of(table) == [(2, ("Anna", "", "\x00error:#VALUE!")), (3, ("Bo", "", "\x00date:99999999"))]


# --- XLSX: limits -----------------------------------------------------------------------


def test_an_xlsx_of_exactly_max_rows_is_read_and_one_more_is_refused_by_name(tmp_path):
    def sheet(data_rows: int, name: str) -> Path:
        body = (f'<row r="{r}"><c r="A{r}"><v>{r}</v></c></row>' for r in range(2, data_rows + 2))
        return raw_xlsx(tmp_path / name, [_HEAD, *body], dimension=None)

    table = tables.read_table(sheet(MAX_ROWS, "max.xlsx"))
    assert len(table.rows) == MAX_ROWS
    assert (table.rows[0], table.rows[-1]) == (Row(2, ("2",)), Row(MAX_ROWS + 1, (str(MAX_ROWS + 1),)))
    message, _ = _read_xlsx_refusal(sheet(MAX_ROWS + 1, "stor.xlsx"))
    assert message == (
        'Filen "stor.xlsx" har fler än 50\u00a0000 rader med data, vilket är för många. Dela upp den i mindre filer.'
    )


def _read_xlsx_refusal(path: Path) -> tuple[str, int]:
    """The refusal from reading the sheet alone (before any row reaches the table), and the rows read."""
    stats: dict = {}
    with pytest.raises(ImportFileError) as raised:
        tables._xlsx_rows(path, stats)
    return str(raised.value), stats["rows_read"]


def test_exactly_max_wide_cells_past_column_iv_are_read_and_one_more_is_refused(tmp_path):
    per_row = MAX_WIDE_CELLS // 10

    def sheet(last_extra: int, name: str) -> Path:
        rows = [_HEAD]
        for r in range(2, 12):
            extra = per_row + (last_extra if r == 11 else 0)
            rows.append(f'<row r="{r}">' + _inline(f"A{r}", f"P{r}") + "<c/>" * (MAX_COLUMNS - 1 + extra) + "</row>")
        return raw_xlsx(tmp_path / name, rows, dimension="A1:XFD11")

    table = tables.read_table(sheet(0, "bred.xlsx"))
    assert [row.number for row in table.rows] == list(range(2, 12))
    assert table.rows[0].cells == ("P2",) + ("",) * (MAX_COLUMNS - 1)
    message, read = _read_xlsx_refusal(sheet(1, "bredare.xlsx"))
    assert message == (
        'Filen "bredare.xlsx" lästes inte till slut: bladet har tusentals tomma celler till höger om kolumn IV '
        f"(rad 11 har {MAX_COLUMNS + per_row + 1} celler)." + _CLEAN_UP
    )
    assert read == 11


def test_a_part_of_exactly_max_sheet_bytes_is_read_and_one_byte_more_is_refused(tmp_path, monkeypatch):
    path = workbook(tmp_path / "stor.xlsx", sheet_xml())
    biggest = max(size for name, size in part_sizes(path).items() if name.startswith("xl/"))
    monkeypatch.setattr(tables, "MAX_SHEET_BYTES", biggest)
    assert cells_of(tables.read_table(path)) == [(2, ("Anna", "annan"))]
    monkeypatch.setattr(tables, "MAX_SHEET_BYTES", biggest - 1)
    assert refusal(path) == f'Filen "stor.xlsx" är för stor för att läsas: ett kalkylblad i den blir 0 MB {_TOO_BIG_END}'


def test_a_sheet_without_a_dimension_is_read_up_to_max_unsized_bytes_and_refused_past_it(tmp_path, monkeypatch):
    path = workbook(tmp_path / "utan.xlsx", sheet_xml(dimension=None))
    size = part_sizes(path)["xl/worksheets/sheet1.xml"]
    monkeypatch.setattr(tables, "MAX_UNSIZED_SHEET_BYTES", size)
    assert cells_of(tables.read_table(path)) == [(2, ("Anna", "annan"))]
    monkeypatch.setattr(tables, "MAX_UNSIZED_SHEET_BYTES", size - 1)
    assert refusal(path) == f'Filen "utan.xlsx" är för stor för att läsas: ett kalkylblad i den blir 0 MB {_TOO_BIG_END}'
    # Only worksheets must say their size: the workbook's other parts have no <dimension>.
    monkeypatch.setattr(tables, "MAX_UNSIZED_SHEET_BYTES", 0)
    sized = workbook(tmp_path / "med.xlsx", sheet_xml())
    assert cells_of(tables.read_table(sized)) == [(2, ("Anna", "annan"))]


@pytest.mark.parametrize(("end", "refused"), [(64 * 1024, False), (64 * 1024 + 1, True)])
def test_a_big_sheets_dimension_is_looked_for_in_its_first_64_kib(tmp_path, monkeypatch, end, refused):
    start = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_NS}">'
    tag = "<dimension"
    padding = end - len(start) - len(tag) - len("<!---->")
    path = workbook(tmp_path / "lang.xlsx", sheet_xml(before="<!--" + "x" * padding + "-->"))
    with zipfile.ZipFile(path) as archive:
        assert archive.read("xl/worksheets/sheet1.xml").index(tag.encode()) + len(tag) == end
    monkeypatch.setattr(tables, "MAX_UNSIZED_SHEET_BYTES", 0)
    if refused:
        assert refusal(path).startswith('Filen "lang.xlsx" är för stor för att läsas: ett kalkylblad i den blir 0 MB ')
    else:
        assert cells_of(tables.read_table(path)) == [(2, ("Anna", "annan"))]


# --- headings -------------------------------------------------------------------------


def test_headings_after_an_empty_one_are_still_mapped_and_checked():
    table = Table("x.csv", ["", "Namnn", "", "namn", "roll"], header_row=3)
    index, errors = map_headers(table, {"namn": "namn", "roll": "roll"}, "namn, roll")
    assert index == {"namn": 3, "roll": 4}
    assert errors == [
        RowError(3, "Namnn", 'Okänd kolumn. Rätta eller ta bort den. Menade du "namn"?'),
        RowError(3, "", "Giltiga kolumner: namn, roll."),
    ]


def test_a_column_twice_names_both_headings_up_to_30_characters_each():
    def twice(first: str, second: str) -> str:
        codes = {"namn": "namn", tables.normalize_header(first): "namn", tables.normalize_header(second): "namn"}
        index, errors = map_headers(Table("x.csv", [first, second]), codes, "namn")
        assert index == {"namn": 0} and [(e.row, e.column) for e in errors] == [(1, "namn")]
        return errors[0].message

    assert twice("Namn", "NAMN") == "Kolumnen finns två gånger (kolumn A och B)."
    a30, b30 = "Namn a" + "x" * 24, "Namn b" + "x" * 24
    assert len(a30) == len(b30) == 30
    assert twice(a30, b30) == f'Kolumnen finns två gånger: "{a30}" och "{b30}" (kolumn A och B).'
    a31, b31 = a30 + "y", b30 + "z"
    assert twice(a31, b31) == f'Kolumnen finns två gånger: "{a30[:29]}…" och "{b30[:29]}…" (kolumn A och B).'


def test_values_under_no_heading_get_the_whole_message():
    table = Table("x.csv", ["namn", ""], [Row(2, ("Anna", "")), Row(3, ("Bo", "v", "w"))])
    assert headerless_errors(table) == [
        RowError(3, "B", "Kolumnen saknar rubrik men har värden. Ge den en rubrik eller ta bort värdena."),
        RowError(3, "C", "Kolumnen saknar rubrik men har värden. Ge den en rubrik eller ta bort värdena."),
    ]


# --- text cells ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "formula"),
    [
        ("", False), ("=", False), ("+", False), ("=1", True), ("+1", True), ("-5", True), ("@A", True),
        ("=-", True), ("= ", True), ("==", True), ("-(", True), ("--", False), ("+-", False), ("+=", False),
        ("- ", False), ("ab", False), ("1=", False), ("+ 1", True), ("-  ", False),
    ],
)  # fmt: skip
def test_what_looks_like_a_formula(value, formula):
    assert looks_like_formula(value) is formula


def test_escaped_formulas_are_text_and_formulas_are_refused_naming_their_first_sign():
    assert parse_text("'=1+1") == "=1+1"
    assert parse_text("''=1") == "'=1"
    assert parse_text("'X=1") == "'X=1"  # not escaped: the quote is the text's own
    assert parse_text("--") == "--"
    for value, sign in (("+A1", "+"), ("=1+1", "="), ("@SUM(A1)", "@")):
        with pytest.raises(InvalidValue) as raised:
            parse_text(value)
        assert str(raised.value) == (
            f'"{value}" ser ut som en kalkylbladsformel och tas inte emot. Ta bort det inledande "{sign}".'
        )


def test_what_a_marked_cell_means_with_the_serial_shown_up_to_20_characters():
    serial20 = "1234567890" * 2
    assert cell_problem("\x00date:" + serial20) == (
        f"Cellen är formaterad som datum men talet {serial20} är inget giltigt datum. Skriv datumet som ÅÅÅÅ-MM-DD."
    )
    assert cell_problem("\x00date:" + serial20 + "1") == (
        f"Cellen är formaterad som datum men talet {serial20[:19]}… är inget giltigt datum. Skriv datumet som ÅÅÅÅ-MM-DD."
    )
    assert cell_problem("\x00något annat") == "Cellen kunde inte läsas."
    assert [cell_problem(text) for text in ("", "X", "XX", "#", "Anna")] == [None] * 5

"""Reading and checking roster files (CSV/XLSX): what a user sees when a file is good or bad."""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bouv_tui.domain import catalog
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


# --- hostile files (hypothesis) -----------------------------------------------------------

HYPOTHESIS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
_scratch = Path(tempfile.mkdtemp(prefix="bouv-import-"))


def read_and_plan(path: Path, existing=()):
    """Either a plan or ImportFileError, never anything else; the plan keeps its promises."""
    try:
        table = read_table(path)
    except ImportFileError as error:
        assert str(error)
        return None
    plan = plan_staff_import(table, list(existing), TODAY)
    for error in plan.errors:
        assert isinstance(error.row, int) and error.row >= 1
        assert str(error).startswith(f"Rad {error.row}")
        assert len(str(error)) < 600
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
    read_and_plan(path)


def _xlsx_safe(value):
    """openpyxl refuses control characters in strings; a real file can't hold them either."""
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n\r")
    return value

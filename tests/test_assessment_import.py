"""Reading and checking assessment files (CSV/XLSX): what a user sees when a file is good or bad."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hostile_checks
from bouv_tui.domain import catalog
from bouv_tui.domain.assessment import Assessment, Round
from bouv_tui.domain.roster import StaffMember
from bouv_tui.exchange.assessment_import import (
    ASSESSMENT_COLUMNS,
    AssessmentImportPlan,
    ImportFileError,
    parse_level,
    plan_assessment_import,
    read_assessment_table,
)
from bouv_tui.exchange.staff_import import Row, RowError, Table

TODAY = date(2026, 11, 22)
ROUND = Round(2026, date(2026, 12, 31), id=7)
NEW_ROUND = Round.for_year(2026)

ADA = StaffMember("Ada Ek", catalog.CASEWORKER, id=1, personal_id="1001", unit="Mottagning")
BO = StaffMember("Bo Lind", catalog.TEAM_LEADER, id=2, personal_id="1002", unit="Utredning")
# two people called Cia Berg, in different units
CIA_1 = StaffMember("Cia Berg", catalog.CASEWORKER, id=3, personal_id="1003", unit="Mottagning")
CIA_2 = StaffMember("Cia Berg", catalog.CASEWORKER, id=4, personal_id="1004", unit="Familjehem")
OTHER = StaffMember("Dan Ohlsson", catalog.OTHER_ROLE, id=5, personal_id="1005")
LEFT = StaffMember("Eva Sund", catalog.CASEWORKER, id=6, personal_id="1006", employed_until=date(2026, 6, 30))
LATER = StaffMember("Fia Holm", catalog.CASEWORKER, id=7, employed_from=date(2027, 1, 15))
# the name of someone who left long ago is shared with someone employed now
GUS_OLD = StaffMember("Gus Nyberg", catalog.CASEWORKER, id=8, employed_until=date(2020, 1, 31))
GUS = StaffMember("Gus Nyberg", catalog.CASEWORKER, id=9, unit="Familjehem")
STAFF = [ADA, BO, CIA_1, CIA_2, OTHER, LEFT, LATER, GUS_OLD, GUS]


def write(tmp_path: Path, text: str, name: str = "bedomning.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def plan_of(tmp_path: Path, text: str, existing=(), round_: Round = ROUND, staff=STAFF) -> AssessmentImportPlan:
    table = read_assessment_table(write(tmp_path, text))
    return plan_assessment_import(table, list(staff), list(existing), round_, TODAY)


def only_error(plan: AssessmentImportPlan) -> RowError:
    assert len(plan.errors) == 1, [str(e) for e in plan.errors]
    return plan.errors[0]


def levels(plan: AssessmentImportPlan) -> dict[tuple[int, str], str]:
    return {(a.staff_id, a.area): a.level for a in plan.sets}


def old(staff_id: int, area: str, level: str, carried_over: bool = False, note: str = "") -> Assessment:
    return Assessment(staff_id, area, level, ROUND.id, date(2025, 12, 1), carried_over, note)


# --- matching people ---------------------------------------------------------------------


def test_matched_by_personal_id_with_codes_in_headers(tmp_path):
    plan = plan_of(tmp_path, "personal_id;namn;barns_utveckling;utredning;ledarskap\n1001;Ada Ek;G;F;\n1002;;S;g;f\n")
    assert plan.ok and plan.people == 2 and plan.unchanged == 0 and plan.clears == []
    assert levels(plan) == {
        (1, "barns_utveckling"): "grundlaggande",
        (1, "utredning"): "fordjupad",
        (2, "barns_utveckling"): "saknar",
        (2, "utredning"): "grundlaggande",
        (2, "ledarskap"): "fordjupad",
    }
    assert all(a.assessed_on == TODAY and not a.carried_over and a.round_id == ROUND.id for a in plan.sets)
    assert not plan.new_round


def test_matched_by_name_ignoring_case_and_spaces(tmp_path):
    plan = plan_of(tmp_path, "namn,samtal\n  ada   EK ,F\nbo lind,G\n")
    assert plan.ok, [str(e) for e in plan.errors]
    assert levels(plan) == {(1, "samtal"): "fordjupad", (2, "samtal"): "grundlaggande"}


def test_empty_personal_id_falls_back_to_the_name(tmp_path):
    plan = plan_of(tmp_path, "personal_id;namn;samtal\n;Bo Lind;G\n")
    assert plan.ok and levels(plan) == {(2, "samtal"): "grundlaggande"}


def test_personal_id_that_belongs_to_someone_else_is_refused(tmp_path):
    error = only_error(plan_of(tmp_path, "personal_id;namn;samtal\n1001;Bo Lind;G\n"))
    assert error.row == 2 and "tillhör Ada Ek, inte Bo Lind" in str(error)


def test_unknown_personal_id(tmp_path):
    error = only_error(plan_of(tmp_path, "personal_id;samtal\n9999;G\n"))
    assert str(error) == 'Rad 2, kolumn "personal_id": Ingen person i personalregistret har personal_id "9999".'


def test_ambiguous_name_names_both_people(tmp_path):
    plan = plan_of(tmp_path, "namn;samtal\nCia Berg;G\nAda Ek;F\n")
    error = only_error(plan)
    assert error.row == 2 and error.column == "namn"
    assert "personal_id 1003, Mottagning" in error.message and "personal_id 1004, Familjehem" in error.message
    assert "personal_id" in error.message.rsplit(".", 2)[-2]  # tells how to fix it
    assert not plan.ok


def test_ambiguous_name_is_resolved_by_personal_id(tmp_path):
    plan = plan_of(tmp_path, "personal_id;namn;samtal\n1004;Cia Berg;G\n")
    assert plan.ok and levels(plan) == {(4, "samtal"): "grundlaggande"}


def test_someone_who_left_long_ago_does_not_make_a_name_ambiguous(tmp_path):
    plan = plan_of(tmp_path, "namn;samtal\nGus Nyberg;S\n")
    assert plan.ok and levels(plan) == {(9, "samtal"): "saknar"}


def test_unknown_person(tmp_path):
    error = only_error(plan_of(tmp_path, "namn;samtal\nOkänd Person;G\n"))
    assert str(error) == 'Rad 2, kolumn "namn": Ingen person i personalregistret heter "Okänd Person".'


def test_same_person_twice_by_name_and_id(tmp_path):
    plan = plan_of(tmp_path, "personal_id;namn;samtal\n1001;Ada Ek;G\n;ada ek;F\n")
    error = only_error(plan)
    assert str(error) == "Rad 3: Ada Ek finns redan på rad 2."


def test_row_without_name_or_id(tmp_path):
    error = only_error(plan_of(tmp_path, "personal_id;namn;enhet;samtal\n;;Mottagning;G\n"))
    assert error.row == 2 and "Namn och personal_id saknas" in error.message


def test_role_annan_is_not_assessed(tmp_path):
    error = only_error(plan_of(tmp_path, "namn;samtal\nDan Ohlsson;G\n"))
    assert error.row == 2 and "Dan Ohlsson har rollen annan" in error.message


@pytest.mark.parametrize("name", ["Eva Sund", "Fia Holm"])
def test_person_not_employed_on_the_reference_date(tmp_path, name):
    error = only_error(plan_of(tmp_path, f"namn;samtal\n{name};G\n"))
    assert f"{name} var inte anställd den 2026-12-31" in str(error)


def test_reference_date_of_the_round_decides_who_is_employed(tmp_path):
    early = Round(2026, date(2026, 6, 1), id=7)
    assert plan_of(tmp_path, "namn;samtal\nEva Sund;G\n", round_=early).ok


# --- headers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "heading, area",
    [
        ("barns_utveckling", "barns_utveckling"),
        ("Barns och ungas utveckling och behov", "barns_utveckling"),
        ("BARNS OCH UNGAS UTVECKLING OCH BEHOV", "barns_utveckling"),
        ("Regelverk och rättslig utveckling", "regelverk"),
        ("Regelverk och rättslig prövning", "regelverk"),
        ("Förhållningssätt och bemötande", "forhallningssatt"),
        ("forhallningssatt", "forhallningssatt"),
        ("Risk- och skyddsfaktorer", "risk_skydd"),
        ("Uppföljning och utvärdering", "uppfoljning"),
        ("Evidensbaserad praktik", "ebp"),
        ("Grupprocesser", "grupprocesser"),
    ],
)
def test_area_heading_by_code_or_label(tmp_path, heading, area):
    plan = plan_of(tmp_path, f'namn;"{heading}"\nBo Lind;G\n')
    assert plan.ok, [str(e) for e in plan.errors]
    assert levels(plan) == {(2, area): "grundlaggande"}


def test_every_area_label_is_a_heading(tmp_path):
    header = ";".join(a.label for a in catalog.AREAS)
    plan = plan_of(tmp_path, f"namn;{header}\nBo Lind;" + ";".join("F" for _ in catalog.AREAS) + "\n")
    assert plan.ok and len(plan.sets) == len(catalog.AREAS)


def test_unknown_column_with_a_suggestion(tmp_path):
    error, columns = plan_of(tmp_path, "namn;samtal;utredningg\nAda Ek;G;F\n").errors
    assert error.row == 1 and error.column == "utredningg"
    assert 'Menade du "utredning"?' in error.message
    assert columns.column == "" and columns.message.startswith("Giltiga kolumner: personal_id, namn")


def test_unknown_columns_list_the_valid_columns_once(tmp_path):
    errors = plan_of(tmp_path, "namn;samtal;skostorlek;hårfärg\nAda Ek;G;43;blond\n").errors
    assert [str(e) for e in errors[:2]] == [
        'Rad 1, kolumn "skostorlek": Okänd kolumn. Rätta eller ta bort den.',
        'Rad 1, kolumn "hårfärg": Okänd kolumn. Rätta eller ta bort den.',
    ]
    assert len(errors) == 3 and errors[2].column == ""
    assert "barns_utveckling" in errors[2].message and "(eller områdenas namn)" in errors[2].message


def test_roll_and_enhet_are_read_back_but_ignored(tmp_path):
    plan = plan_of(tmp_path, "personal_id;namn;roll;enhet;samtal\n1001;Ada Ek;arbetsledare;Fel enhet;G\n")
    assert plan.ok and levels(plan) == {(1, "samtal"): "grundlaggande"}


def test_same_area_as_code_and_label(tmp_path):
    error = only_error(plan_of(tmp_path, "namn;samtal;Samtal och relationer\nAda Ek;G;F\n"))
    assert error.column == "samtal" and "två gånger" in error.message


def test_no_name_column(tmp_path):
    plan = plan_of(tmp_path, "enhet;samtal\nMottagning;G\n")
    assert not plan.ok and plan.sets == []
    assert any('"namn" saknas' in str(e) for e in plan.errors)


def test_no_area_column(tmp_path):
    error = only_error(plan_of(tmp_path, "namn;enhet\nAda Ek;Mottagning\n"))
    assert "ingen kolumn för något kunskapsområde" in error.message


def test_a_roster_file_is_not_an_assessment_file(tmp_path):
    with pytest.raises(ImportFileError, match="saknar rubrikrad"):
        read_assessment_table(write(tmp_path, "anstalld_fran;socionomexamen\n2024-01-01;ja\n"))


# --- cells ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, level",
    [
        ("G", "grundlaggande"), ("g", "grundlaggande"), ("grundläggande", "grundlaggande"),
        ("Grundlaggande", "grundlaggande"), ("Grundläggande kompetens", "grundlaggande"),
        ("F", "fordjupad"), ("fördjupad", "fordjupad"), ("FÖRDJUPAD", "fordjupad"), ("fordjupad", "fordjupad"),
        ("S", "saknar"), ("s", "saknar"), ("saknar", "saknar"),
        ("Saknar tillräcklig kompetens", "saknar"), (" saknar  tillräcklig kompetens ", "saknar"),
        ("", None), ("  ", None), ("–", None), ("-", None), ("·", None),
    ],
)  # fmt: skip
def test_level_spellings(value, level):
    assert parse_level(value) == level


@pytest.mark.parametrize("value", ["X", "GF", "grund", "1", "=G", "bra", "G*"])
def test_bad_level_says_what_to_write(tmp_path, value):
    error = only_error(plan_of(tmp_path, f'namn;samtal\nAda Ek;"{value}"\n'))
    assert error.row == 2 and error.column == "samtal"
    assert "ingen kompetensnivå" in error.message and "G (grundläggande)" in error.message


def test_team_leader_area_for_a_caseworker_is_an_error(tmp_path):
    error = only_error(plan_of(tmp_path, "namn;samtal;ledarskap\nAda Ek;G;F\n"))
    assert error.row == 2 and error.column == "ledarskap"
    assert "bara för arbetsledare" in error.message and "Ada Ek är handläggare" in error.message


def test_empty_team_leader_area_for_a_caseworker_is_fine(tmp_path):
    plan = plan_of(tmp_path, "namn;samtal;ledarskap;grupprocesser\nAda Ek;G;;–\n")
    assert plan.ok and levels(plan) == {(1, "samtal"): "grundlaggande"}


def test_cell_and_person_errors_are_all_reported(tmp_path):
    plan = plan_of(tmp_path, "namn;samtal;utredning\nOkänd;X;G\nAda Ek;Y;Z\n")
    assert [(e.row, e.column) for e in plan.errors] == [(2, "namn"), (2, "samtal"), (3, "samtal"), (3, "utredning")]


def test_huge_cell_is_an_error_not_a_crash(tmp_path):
    error = only_error(plan_of(tmp_path, "namn;samtal\nAda Ek;" + "G" * 5000 + "\n"))
    assert "för långt" in error.message


# --- against what is stored -------------------------------------------------------------------


def test_empty_cell_clears_an_existing_level_and_absent_columns_keep_theirs(tmp_path):
    existing = [old(1, "samtal", "saknar"), old(1, "utredning", "fordjupad"), old(1, "insatser", "saknar")]
    plan = plan_of(tmp_path, "namn;samtal;utredning;ebp\nAda Ek;;F;\n", existing)
    assert plan.ok
    assert plan.clears == [(1, "samtal")]  # ebp was never assessed: nothing to clear; insatser not in the file
    assert plan.sets == [] and plan.unchanged == 1


def test_changed_level_keeps_the_note(tmp_path):
    plan = plan_of(tmp_path, "namn;samtal\nAda Ek;F\n", [old(1, "samtal", "saknar", note="Mentor från mars")])
    assert [(a.level, a.note, a.assessed_on) for a in plan.sets] == [("fordjupad", "Mentor från mars", TODAY)]


def test_carried_over_level_repeated_counts_as_a_change_that_confirms_it(tmp_path):
    existing = [old(1, "samtal", "grundlaggande", carried_over=True), old(1, "utredning", "grundlaggande")]
    plan = plan_of(tmp_path, "namn;samtal;utredning\nAda Ek;G;G\n", existing)
    assert plan.ok and plan.unchanged == 1
    assert [(a.area, a.level, a.carried_over) for a in plan.sets] == [("samtal", "grundlaggande", False)]


def test_unchanged_counts_cells(tmp_path):
    existing = [old(1, "samtal", "grundlaggande"), old(2, "samtal", "fordjupad"), old(2, "ledarskap", "saknar")]
    plan = plan_of(tmp_path, "namn;samtal;ledarskap\nAda Ek;G;\nBo Lind;F;S\n", existing)
    assert plan.ok and plan.unchanged == 3 and plan.sets == [] and plan.clears == [] and plan.people == 2


def test_new_round_has_no_id(tmp_path):
    plan = plan_of(tmp_path, "namn;samtal\nAda Ek;G\n", round_=NEW_ROUND)
    assert plan.ok and plan.new_round and plan.round == NEW_ROUND
    assert plan.sets[0].round_id is None


def test_errors_refuse_the_plan_but_good_rows_are_still_counted(tmp_path):
    plan = plan_of(tmp_path, "namn;samtal\nAda Ek;G\nOkänd;F\n")
    assert not plan.ok and plan.people == 1 and len(plan.sets) == 1


# --- XLSX ------------------------------------------------------------------------------------


def test_xlsx_with_labels_and_numeric_personal_id(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["personal_id", "namn", "roll", "Barns och ungas utveckling och behov", "Ledarskap"])
    sheet.append([1002, "Bo Lind", "arbetsledare", "fördjupad", "S"])
    sheet.append([None, None, None, None, None])
    sheet.append([None, "Ada Ek", "handläggare", "g", None])
    path = tmp_path / "bedomning.xlsx"
    workbook.save(path)
    plan = plan_assessment_import(read_assessment_table(path), STAFF, [], ROUND, TODAY)
    assert plan.ok, [str(e) for e in plan.errors]
    assert levels(plan) == {
        (2, "barns_utveckling"): "fordjupad",
        (2, "ledarskap"): "saknar",
        (1, "barns_utveckling"): "grundlaggande",
    }


def test_xlsx_error_rows_are_the_sheet_rows(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["namn", "samtal"])
    sheet.append(["Ada Ek", "G"])
    sheet.append([None, None])
    sheet.append(["Ada Ek", "F"])
    path = tmp_path / "b.xlsx"
    workbook.save(path)
    error = only_error(plan_assessment_import(read_assessment_table(path), STAFF, [], ROUND, TODAY))
    assert str(error) == "Rad 4: Ada Ek finns redan på rad 2."


# --- hostile files (hypothesis) -------------------------------------------------------------

HYPOTHESIS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
_scratch = Path(tempfile.mkdtemp(prefix="bouv-assessment-import-"))
EXISTING = [old(1, "samtal", "saknar"), old(2, "ledarskap", "fordjupad", carried_over=True)]


def read_and_plan(path: Path):
    """Either a plan or ImportFileError naming the file, never anything else; the plan keeps
    its promises, its errors name row and column, and the file reads as the same rows as a
    clean CSV file with the same cells (which gives the same plan)."""
    try:
        table = read_assessment_table(path)
    except ImportFileError as error:
        hostile_checks.file_error_names_the_file(error, path)
        return None
    plan = check(plan_assessment_import(table, STAFF, EXISTING, ROUND, TODAY))
    hostile_checks.errors_name_row_and_column(plan.errors, table, COLUMN_NAMES)
    clean = hostile_checks.read_as_clean(table, path.with_name("ren.csv"), read_assessment_table)
    if clean is not None:
        hostile_checks.same_rows(table, clean)
        assert plan_assessment_import(clean, STAFF, EXISTING, ROUND, TODAY) == plan
    return plan


#: What an error below the heading row may name: a column of an assessment file.
COLUMN_NAMES = {*ASSESSMENT_COLUMNS, *catalog.AREAS.codes()}


def check(plan: AssessmentImportPlan) -> AssessmentImportPlan:
    assert plan.ok == (not plan.errors)
    for error in plan.errors:
        assert isinstance(error.row, int) and error.row >= 1
        assert str(error).startswith(f"Rad {error.row}")
        assert len(str(error)) < 600
        assert not any(ch in str(error) for ch in "\x00\x1b\r\n")
    allowed = {p.id: set(catalog.AREAS.codes() if p.is_team_leader else catalog.CASEWORKER_AREAS.codes())
               for p in STAFF if p.role != catalog.OTHER_ROLE}  # fmt: skip
    keys = [(a.staff_id, a.area) for a in plan.sets] + plan.clears
    assert len(keys) == len(set(keys))
    for a in plan.sets:
        assert a.area in allowed[a.staff_id] and a.level in catalog.LEVELS and a.round_id == ROUND.id
    stored = {(a.staff_id, a.area) for a in EXISTING}
    assert set(plan.clears) <= stored
    return plan


@HYPOTHESIS
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_random_bytes(data, suffix):
    path = _scratch / f"slump{suffix}"
    path.write_bytes(data)
    read_and_plan(path)


HEADINGS = st.one_of(
    st.sampled_from([*ASSESSMENT_COLUMNS, *(a.label for a in catalog.AREAS), "Regelverk och rättslig prövning"]),
    st.text(max_size=25),
)
CELLS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        ["", "G", "f", "S", "grundläggande", "fördjupad", "saknar", "–", "Ada Ek", "ada ek", "Cia Berg", "Bo Lind",
         "Dan Ohlsson", "Eva Sund", "1001", "1002", "1004", "9999", "=G", "\x00", "\x1b[31m", "\u00a0", "x" * 1200]
    ),
)  # fmt: skip


@HYPOTHESIS
@given(
    headers=st.lists(HEADINGS, min_size=1, max_size=8),
    rows=st.lists(st.lists(CELLS, max_size=10), max_size=8),
    delimiter=st.sampled_from([";", ","]),
)
def test_hostile_headers_and_cells_through_csv(headers, rows, delimiter):
    import csv

    path = _scratch / "fientlig.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(headers)
        writer.writerows(rows)
    plan = read_and_plan(path)
    # Through the store: the same plan, and a refused one writes nothing.
    ws = _store()
    before = hostile_checks.stored_rows(ws.path)
    try:
        stored = ws.plan_assessment_import(path, ROUND.year, TODAY)
    except ImportFileError as error:
        assert plan is None
        hostile_checks.file_error_names_the_file(error, path)
    else:
        if not stored.ok:
            with pytest.raises(ValueError, match="cannot be applied"):
                ws.apply_assessment_import(stored)
    assert hostile_checks.stored_rows(ws.path) == before


_stores: list = []


def _store():
    """One database for the hypothesis examples: STAFF, no round yet."""
    if not _stores:
        from bouv_tui.services import Workspace
        from bouv_tui.store.db import open_database

        ws = Workspace(open_database(_scratch / "bedomning.sqlite"))
        for person in STAFF:
            ws.save_person(person.with_changes(id=None))
        _stores.append(ws)
    return _stores[0]


@HYPOTHESIS
@given(
    headers=st.lists(HEADINGS, min_size=1, max_size=8),
    rows=st.lists(st.lists(CELLS, max_size=10), max_size=8),
    round_=st.sampled_from([ROUND, NEW_ROUND, Round(2026, date(2026, 6, 1), id=7)]),
)
def test_hostile_tables_give_a_plan(headers, rows, round_):
    table = Table("slump.csv", headers, [Row(i + 2, tuple(r)) for i, r in enumerate(rows)])
    existing = EXISTING if round_.id is not None else []
    plan = plan_assessment_import(table, STAFF, existing, round_, TODAY)
    assert plan.ok == (not plan.errors)
    assert plan.new_round == (round_.id is None)


def test_an_ambiguous_name_describes_a_person_without_personal_id_or_unit(tmp_path):
    first = StaffMember("Dan Ek", catalog.CASEWORKER, id=20)
    second = StaffMember("Dan Ek", catalog.CASEWORKER, id=21, personal_id="2021")
    error = only_error(plan_of(tmp_path, "namn;samtal\nDan Ek;G\n", staff=[first, second]))
    assert "Dan Ek (utan personal_id), Dan Ek (personal_id 2021)" in error.message


def test_the_whole_messages_of_people_who_cannot_be_assessed_from_a_row(tmp_path):
    twice = only_error(plan_of(tmp_path, "personal_id;namn;samtal\n1001;Ada Ek;G\n;ada ek;F\n"))
    assert (twice.row, twice.column) == (3, "")
    other = only_error(plan_of(tmp_path, "namn;samtal\nDan Ohlsson;G\n"))
    assert (other.row, other.column, other.message) == (2, "", "Dan Ohlsson har rollen annan och bedöms inte i "
                                                        "inventeringen. Ta bort raden eller ändra rollen i personalregistret.")
    # A role the catalogue does not know (a file edited by hand) is named as it is stored.
    odd = StaffMember("Ola Udda", "praktikant", id=30)
    error = only_error(plan_of(tmp_path, "namn;samtal\nOla Udda;G\n", staff=[odd]))
    assert error.message.startswith("Ola Udda har rollen praktikant och bedöms inte")
    left = only_error(plan_of(tmp_path, "namn;samtal\nEva Sund;G\n"))
    assert (left.row, left.column, left.message) == (2, "", "Eva Sund var inte anställd den 2026-12-31 (referensdatum "
                                                     "för inventeringen 2026). Ta bort raden eller rätta "
                                                     "anställningsdatumen i personalregistret.")

"""Assessment files at their limits: the whole error a user sees for every refused cell,
heading and row, cells just inside and just outside MAX_CELL, and the exact plan."""

from __future__ import annotations

import pytest
from test_assessment_import import ROUND, TODAY, only_error, plan_of

from bouv_tui.domain import catalog
from bouv_tui.domain.assessment import Assessment
from bouv_tui.domain.roster import StaffMember
from bouv_tui.exchange.staff_import import RowError
from bouv_tui.exchange.tables import MAX_CELL

TOO_LONG = f"Värdet är för långt (högst {MAX_CELL} tecken)."
NOT_A_LEVEL = (
    "är ingen kompetensnivå. Skriv G (grundläggande), F (fördjupad) "
    "eller S (saknar tillräcklig kompetens), eller lämna cellen tom."
)
EXCEL_REF = (
    "Cellen innehåller felvärdet #REF! från Excel, inte ett värde. Rätta formeln eller skriv in värdet i cellen."
)
ADA_NOT_A_LEADER = "Ledarskap bedöms bara för arbetsledare, och Ada Ek är handläggare. Lämna cellen tom."
HIDDEN = (
    "innehåller ett osynligt tecken (U+200B, nollbreddsmellanslag) på plats {}. "
    "Ta bort det (skriv om värdet för hand om du inte ser var det är)."
)


def padded(text: str, length: int) -> str:
    """``text`` followed by spaces up to ``length`` characters (spaces the importer strips)."""
    assert len(text) <= length
    return text + " " * (length - len(text))


def new(staff_id: int, area: str, level: str) -> Assessment:
    """A level the plan sets for a cell that had none."""
    return Assessment(staff_id, area, level, ROUND.id, TODAY, False, "", 0)


# --- headings --------------------------------------------------------------------------------


def test_the_list_of_valid_columns_is_given_whole(tmp_path):
    errors = plan_of(tmp_path, "namn;samtal;skostorlek\nAda Ek;G;43\n").errors
    assert errors == [
        RowError(1, "skostorlek", "Okänd kolumn. Rätta eller ta bort den."),
        RowError(
            1,
            "",
            "Giltiga kolumner: personal_id, namn, roll, enhet, barns_utveckling, utredning, samtal, samverkan, "
            "regelverk, insatser, uppfoljning, forhallningssatt, ebp, risk_skydd, placerade_barn, ledarskap, "
            "grupprocesser (eller områdenas namn).",
        ),
    ]


def test_a_file_without_a_name_or_personal_id_column_gets_the_whole_error_on_the_heading_row(tmp_path):
    plan = plan_of(tmp_path, "enhet;samtal\nMottagning;G\n")
    assert plan.errors == [
        RowError(1, "namn", 'Kolumnen "namn" saknas i rubrikraden (eller "personal_id", som räcker).')
    ]
    assert plan.sets == [] and plan.clears == [] and plan.people == 0


def test_a_file_without_an_area_column_gets_the_whole_error_without_a_column(tmp_path):
    plan = plan_of(tmp_path, "namn;enhet\nAda Ek;Mottagning\n")
    assert plan.errors == [
        RowError(
            1,
            "",
            "Filen har ingen kolumn för något kunskapsområde. Rubriken ska vara områdets kod "
            "(t.ex. barns_utveckling) eller dess namn (t.ex. Barns och ungas utveckling och behov).",
        )
    ]


def test_levels_and_cell_errors_come_in_the_order_of_the_columns_not_of_the_area_codes(tmp_path):
    # utredning is left of samtal in the file, and after it in the alphabet
    plan = plan_of(tmp_path, "namn;utredning;samtal\nAda Ek;F;G\n")
    assert plan.ok and plan.sets == [new(1, "utredning", "fordjupad"), new(1, "samtal", "grundlaggande")]
    errors = plan_of(tmp_path, "namn;utredning;samtal\nAda Ek;X;Y\n").errors
    assert errors == [
        RowError(2, "utredning", f'"X" {NOT_A_LEVEL}'),
        RowError(2, "samtal", f'"Y" {NOT_A_LEVEL}'),
    ]


# --- level cells -----------------------------------------------------------------------------


def test_a_bad_level_gets_the_whole_message(tmp_path):
    assert only_error(plan_of(tmp_path, "namn;samtal\nAda Ek;X\n")) == RowError(2, "samtal", f'"X" {NOT_A_LEVEL}')


def test_a_level_cell_of_exactly_max_cell_characters_is_read(tmp_path):
    plan = plan_of(tmp_path, f"namn;samtal\nAda Ek;{padded('S', MAX_CELL)}\n")
    assert plan.ok, [str(e) for e in plan.errors]
    assert plan.sets == [new(1, "samtal", "saknar")] and plan.people == 1


def test_a_level_cell_one_character_over_max_cell_is_refused_with_its_length(tmp_path):
    error = only_error(plan_of(tmp_path, f"namn;samtal\nAda Ek;{padded('S', MAX_CELL + 1)}\n"))
    assert error == RowError(2, "samtal", f"Värdet är för långt ({MAX_CELL + 1} tecken; högst {MAX_CELL}).")


def test_an_excel_error_in_a_level_cell_names_its_area_and_the_next_cells_are_still_read(tmp_path):
    plan = plan_of(tmp_path, "namn;samtal;utredning;insatser\nAda Ek;#REF!;X;#REF!\n")
    assert plan.errors == [
        RowError(2, "samtal", EXCEL_REF),
        RowError(2, "utredning", f'"X" {NOT_A_LEVEL}'),
        RowError(2, "insatser", EXCEL_REF),
    ]
    assert plan.sets == [] and plan.people == 0


def test_the_cells_after_a_too_long_or_bad_one_are_still_read(tmp_path):
    long = padded("G", MAX_CELL + 1)
    plan = plan_of(tmp_path, f"namn;samtal;utredning;insatser\nAda Ek;{long};X;Y\n")
    assert plan.errors == [
        RowError(2, "samtal", f"Värdet är för långt ({MAX_CELL + 1} tecken; högst {MAX_CELL})."),
        RowError(2, "utredning", f'"X" {NOT_A_LEVEL}'),
        RowError(2, "insatser", f'"Y" {NOT_A_LEVEL}'),
    ]


def test_a_team_leader_area_for_a_caseworker_gets_the_whole_message(tmp_path):
    error = only_error(plan_of(tmp_path, "namn;samtal;ledarskap\nAda Ek;G;F\n"))
    assert error == RowError(2, "ledarskap", ADA_NOT_A_LEADER)


def test_rows_after_a_row_with_cell_errors_are_still_planned(tmp_path):
    # row 2: a team leader area for a caseworker; row 3: a bad level; row 4 is good
    plan = plan_of(tmp_path, "personal_id;samtal;ledarskap\n1001;G;F\n1003;X;\n1002;F;S\n")
    assert plan.errors == [
        RowError(2, "ledarskap", ADA_NOT_A_LEADER),
        RowError(3, "samtal", f'"X" {NOT_A_LEVEL}'),
    ]
    assert plan.sets == [new(2, "samtal", "fordjupad"), new(2, "ledarskap", "saknar")]
    assert plan.people == 1 and plan.clears == [] and plan.unchanged == 0


# --- the person's cells ------------------------------------------------------------------------


def test_a_name_of_exactly_max_cell_characters_is_read(tmp_path):
    plan = plan_of(tmp_path, f"namn;samtal\n{padded('Ada Ek', MAX_CELL)};G\n")
    assert plan.ok, [str(e) for e in plan.errors]
    assert plan.sets == [new(1, "samtal", "grundlaggande")]


def test_a_name_one_character_over_max_cell_is_refused(tmp_path):
    error = only_error(plan_of(tmp_path, f"namn;samtal\n{padded('Ada Ek', MAX_CELL + 1)};G\n"))
    assert error == RowError(2, "namn", TOO_LONG)


def test_a_personal_id_of_exactly_max_cell_characters_is_read(tmp_path):
    plan = plan_of(tmp_path, f"personal_id;namn;samtal\n{padded('1001', MAX_CELL)};{padded('Ada Ek', MAX_CELL)};G\n")
    assert plan.ok, [str(e) for e in plan.errors]
    assert plan.sets == [new(1, "samtal", "grundlaggande")]


def test_a_personal_id_one_character_over_max_cell_is_refused(tmp_path):
    error = only_error(plan_of(tmp_path, f"personal_id;namn;samtal\n{padded('1001', MAX_CELL + 1)};Ada Ek;G\n"))
    assert error == RowError(2, "personal_id", TOO_LONG)


def test_a_too_long_name_beside_a_personal_id_of_max_cell_characters_names_the_name(tmp_path):
    text = f"personal_id;namn;samtal\n{padded('1001', MAX_CELL)};{padded('Ada Ek', MAX_CELL + 1)};G\n"
    assert only_error(plan_of(tmp_path, text)) == RowError(2, "namn", TOO_LONG)


def test_an_excel_error_as_name_or_personal_id_names_its_column(tmp_path):
    assert only_error(plan_of(tmp_path, "namn;samtal\n#REF!;G\n")) == RowError(2, "namn", EXCEL_REF)
    assert only_error(plan_of(tmp_path, "personal_id;samtal\n#REF!;G\n")) == RowError(2, "personal_id", EXCEL_REF)


def test_a_hidden_character_in_a_name_or_personal_id_names_its_column(tmp_path):
    name = only_error(plan_of(tmp_path, "personal_id;namn;samtal\n1001;Ada\u200bEk;G\n"))
    assert name == RowError(2, "namn", '"AdaEk" ' + HIDDEN.format(4))
    personal_id = only_error(plan_of(tmp_path, "personal_id;namn;samtal\n10\u200b01;Ada Ek;G\n"))
    assert personal_id == RowError(2, "personal_id", '"1001" ' + HIDDEN.format(3))


def test_a_name_that_is_not_the_personal_ids_gets_the_whole_message(tmp_path):
    error = only_error(plan_of(tmp_path, "personal_id;namn;samtal\n1001;Bo Lind;G\n"))
    assert error == RowError(
        2, "namn", 'personal_id "1001" tillhör Ada Ek, inte Bo Lind. Rätta namnet eller personal_id.'
    )


def test_a_short_row_whose_name_cell_is_missing_says_the_name_is_missing(tmp_path):
    # namn is the file's last column and the row ends before it
    assert only_error(plan_of(tmp_path, "samtal;namn\nG\n")) == RowError(2, "namn", "Namn saknas.")


def test_a_row_without_name_or_personal_id_names_the_column_the_file_has(tmp_path):
    with_both = only_error(plan_of(tmp_path, "personal_id;namn;samtal\n;;G\n"))
    assert with_both == RowError(2, "namn", "Namn och personal_id saknas.")
    only_id = only_error(plan_of(tmp_path, "personal_id;samtal\n;G\n"))
    assert only_id == RowError(2, "personal_id", "Namn och personal_id saknas.")


# --- one name, several people ----------------------------------------------------------------


def namesakes(count: int) -> list[StaffMember]:
    return [
        StaffMember("Dan Ek", catalog.CASEWORKER, id=40 + n, personal_id=f"40{n}", unit=f"Enhet {n}")
        for n in range(1, count + 1)
    ]


def described(count: int) -> str:
    return ", ".join(f"Dan Ek (personal_id 40{n}, Enhet {n})" for n in range(1, count + 1))


def ambiguous(tmp_path, count: int) -> RowError:
    return only_error(plan_of(tmp_path, "namn;samtal\nDan Ek;G\n", staff=namesakes(count)))


def test_two_people_with_the_same_name_are_both_described(tmp_path):
    assert ambiguous(tmp_path, 2) == RowError(
        2,
        "namn",
        f'Namnet "Dan Ek" passar flera personer: {described(2)}. Lägg till kolumnen personal_id och ange den.',
    )


def test_five_people_with_the_same_name_are_all_described_without_a_count(tmp_path):
    assert ambiguous(tmp_path, 5) == RowError(
        2,
        "namn",
        f'Namnet "Dan Ek" passar flera personer: {described(5)}. Lägg till kolumnen personal_id och ange den.',
    )


@pytest.mark.parametrize("count", [6, 7])
def test_past_five_people_with_the_same_name_the_rest_are_counted(tmp_path, count):
    assert ambiguous(tmp_path, count) == RowError(
        2,
        "namn",
        f'Namnet "Dan Ek" passar flera personer: {described(5)} och {count - 5} till. '
        "Lägg till kolumnen personal_id och ange den.",
    )


# --- a person on several rows -------------------------------------------------------------------


def test_a_person_refused_on_one_row_is_refused_for_the_same_reason_on_the_next(tmp_path):
    plan = plan_of(tmp_path, "namn;samtal\nDan Ohlsson;G\nDan Ohlsson;F\n")
    assert [(e.row, e.column, e.message) for e in plan.errors] == [
        (row, "", "Dan Ohlsson har rollen annan och bedöms inte i inventeringen. "
                  "Ta bort raden eller ändra rollen i personalregistret.")
        for row in (2, 3)
    ]  # fmt: skip

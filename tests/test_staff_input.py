"""The staff form's check (``domain.staff_input``) and the value parsing it shares with the
roster import (``domain.validation``): every refusal, its message and field, and the limits
on both sides."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from bouv_tui.domain import catalog
from bouv_tui.domain.roster import StaffMember
from bouv_tui.domain.staff_input import MAX_NAME, TICKS, StaffInput, check_staff_input
from bouv_tui.domain.validation import (
    DATE_HINT,
    InvalidValue,
    hidden_character,
    invisible_name,
    parse_fte,
    parse_iso_date,
    quote,
    text_problem,
)

VALID = StaffInput(name="Anna Berg", role=catalog.CASEWORKER)


def check(**changes):
    return check_staff_input(replace(VALID, **changes))


# --- the whole form -----------------------------------------------------------------


def test_a_valid_form_gives_the_person_with_every_value():
    ticks = {name: True for name in TICKS}
    member, errors = check(
        name="  Anna   Berg ", personal_id=" A-17 ", unit=" Barn  och unga ", fte="75 %",
        employed_from="2020-01-01", employed_until="2026-12-31", experience_from="2015-06-01",
        employment_type=catalog.FIXED_TERM, **ticks,
    )  # fmt: skip
    assert errors == {}
    assert member == StaffMember(
        id=None, name="Anna Berg", role=catalog.CASEWORKER, personal_id="A-17", unit="Barn och unga", fte=75,
        employment_type=catalog.FIXED_TERM, employed_from=date(2020, 1, 1), employed_until=date(2026, 12, 31),
        experience_from=date(2015, 6, 1), **ticks,
    )  # fmt: skip


def test_the_defaults_are_full_time_permanent_without_dates():
    member, errors = check()
    assert errors == {}
    assert (member.fte, member.employment_type, member.personal_id, member.unit) == (100, catalog.PERMANENT, None, "")
    assert (member.employed_from, member.employed_until, member.experience_from) == (None, None, None)
    assert not any(getattr(member, name) for name in TICKS)


def test_each_tick_is_copied_on_its_own():
    for name in TICKS:
        member, _ = check(**{name: True})
        assert [t for t in TICKS if getattr(member, t)] == [name]


def test_every_problem_is_named_at_once_and_nothing_is_made():
    member, errors = check(name=" ", role=None, employment_type="fast", fte="0", employed_from="2020-13-01",
                           employed_until="1/2/2020", experience_from="igår")  # fmt: skip
    assert member is None
    assert errors == {
        "name": "Namn måste anges.",
        "role": "Välj roll.",
        "employment_type": "Välj anställningsform.",
        "fte": '"0" är inte en giltig sysselsättningsgrad. Ange procent av heltid som ett heltal från 1 till 100, t.ex. 75.',
        "employed_from": f'"2020-13-01" är inte ett giltigt datum: månaden eller dagen finns inte. {DATE_HINT}',
        "employed_until": f'"1/2/2020" är inte ett giltigt datum. {DATE_HINT} I datum med snedstreck går det inte '
        "att avgöra vad som är dag och vad som är månad.",
        "experience_from": f'"igår" är inte ett giltigt datum. {DATE_HINT}',
    }


@pytest.mark.parametrize("role", [catalog.CASEWORKER, catalog.TEAM_LEADER, catalog.OTHER_ROLE])
def test_every_role_is_accepted(role):
    member, errors = check(role=role)
    assert errors == {} and member.role == role


@pytest.mark.parametrize("kind", [catalog.PERMANENT, catalog.FIXED_TERM, catalog.CONSULTANT])
def test_every_employment_type_is_accepted(kind):
    member, errors = check(employment_type=kind)
    assert errors == {} and member.employment_type == kind


def test_the_name_limit_on_both_sides():
    member, errors = check(name="a" * MAX_NAME)
    assert errors == {} and member.name == "a" * MAX_NAME
    # The limit counts the name as stored: spaces around and between words are folded first.
    assert check(name="  " + "a" * MAX_NAME + "  ")[1] == {}
    assert check(name="a" * (MAX_NAME + 1)) == (None, {"name": f"Namnet är för långt (högst {MAX_NAME} tecken)."})


def test_the_last_day_may_be_the_first_but_not_before_it():
    assert check(employed_from="2024-03-01", employed_until="2024-03-01")[1] == {}
    assert check(employed_from="2024-03-01", employed_until="2024-02-29") == (
        None, {"employed_until": "Sista dagen ligger före anställningens början."})  # fmt: skip
    # With only one of the two dates there is nothing to compare.
    assert check(employed_until="1990-01-01")[1] == {}
    assert check(employed_from="2030-01-01")[1] == {}


def test_a_wrong_start_date_is_not_also_compared_with_the_end():
    assert check(employed_from="x", employed_until="2020-01-01")[1] == {
        "employed_from": f'"x" är inte ett giltigt datum. {DATE_HINT}'}  # fmt: skip


# --- personal id ------------------------------------------------------------------------


def test_a_personal_id_another_person_has_is_refused():
    data = replace(VALID, personal_id=" 17 ")
    assert check_staff_input(data, taken_ids=frozenset({"17"})) == (
        None, {"personal_id": "Personal-id 17 används redan av en annan person."})  # fmt: skip
    assert check_staff_input(data, taken_ids=frozenset({"18"}))[1] == {}


def test_a_person_keeps_their_own_personal_id_and_id():
    original = StaffMember(id=5, name="Anna Berg", role=catalog.CASEWORKER, personal_id="17")
    member, errors = check_staff_input(replace(VALID, personal_id="17"), original=original, taken_ids=frozenset({"17"}))
    assert errors == {} and (member.id, member.personal_id) == (5, "17")
    # Taking someone else's id while editing is still refused.
    other = check_staff_input(replace(VALID, personal_id="18"), original=original, taken_ids=frozenset({"17", "18"}))
    assert other[1] == {"personal_id": "Personal-id 18 används redan av en annan person."}


def test_an_empty_personal_id_is_none_even_if_empty_ids_were_taken():
    member, errors = check_staff_input(replace(VALID, personal_id="  "), taken_ids=frozenset({""}))
    assert errors == {} and member.personal_id is None


def test_from_member_and_back_gives_the_same_person():
    original = StaffMember(
        id=3, name="Bo Ek", role=catalog.TEAM_LEADER, personal_id="B1", unit="Enhet 2", fte=80,
        employed_from=date(2019, 2, 1), employed_until=date(2027, 1, 31), experience_from=date(2010, 8, 15),
        employment_type=catalog.CONSULTANT, masters_degree=True, first_manager_job=True,
    )  # fmt: skip
    data = StaffInput.from_member(original)
    assert (data.fte, data.employed_from, data.employed_until, data.experience_from, data.personal_id) == (
        "80", "2019-02-01", "2027-01-31", "2010-08-15", "B1")  # fmt: skip
    assert check_staff_input(data, original=original, taken_ids=frozenset({"B1"})) == (original, {})
    blank = StaffInput.from_member(StaffMember(name="C", role=catalog.OTHER_ROLE))
    assert (blank.personal_id, blank.employed_from, blank.employed_until, blank.experience_from) == ("", "", "", "")


# --- what a file would be refused for -----------------------------------------------------


@pytest.mark.parametrize("field", ["name", "unit", "personal_id"])
def test_invisible_and_control_characters_are_refused_in_text_fields(field):
    hidden = check(**{field: "Anna\u200bBerg"})
    assert hidden == (None, {field: '"AnnaBerg" innehåller ett osynligt tecken (U+200B, nollbreddsmellanslag) på '
                                    "plats 5. Ta bort det (skriv om värdet för hand om du inte ser var det är)."})
    assert check(**{field: "Anna\x00Berg"}) == (None, {field: '"AnnaBerg" innehåller otillåtna kontrolltecken.'})
    # A tab or a line break is a space, as in a file.
    assert check(**{field: "Anna\tBerg"})[1] == {}
    # The message shows the value as folded: runs of spaces, tabs and line breaks as one space.
    assert check(**{field: "Anna \t\x00 Berg"}) == (None, {field: '"Anna  Berg" innehåller otillåtna kontrolltecken.'})


def test_an_empty_name_is_said_once_even_with_a_hidden_character():
    assert check(name="\u200b")[1] == {"name": hidden_character("\u200b")}
    assert check(name="  ")[1] == {"name": "Namn måste anges."}


# --- the shared parsers ------------------------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("", 100), ("  ", 100), ("1", 1), ("100", 100), ("75", 75), ("75 %", 75), ("75%", 75), ("75,0", 75),
    ("75.00", 75), (" 50 ", 50), ("075", 75),
])  # fmt: skip
def test_fte_accepted(text, expected):
    assert parse_fte(text) == expected


@pytest.mark.parametrize("text", ["0", "101", "1000", "-5", "75,5", "0,75", "sju", "75 %%", "%", "1e2"])
def test_fte_refused_with_the_value_and_the_range(text):
    with pytest.raises(InvalidValue) as caught:
        parse_fte(text)
    assert str(caught.value) == (
        f'"{text}" är inte en giltig sysselsättningsgrad. Ange procent av heltid som ett heltal från 1 till 100, t.ex. 75.'
    )


@pytest.mark.parametrize(("text", "expected"), [
    ("", None), ("   ", None), ("2024-02-29", date(2024, 2, 29)), (" 2024-03-01 ", date(2024, 3, 1)),
    ("1900-01-01", date(1900, 1, 1)), ("2100-12-31", date(2100, 12, 31)),
])  # fmt: skip
def test_dates_accepted_up_to_the_limits(text, expected):
    assert parse_iso_date(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ("1899-12-31", '"1899-12-31" är ett orimligt datum (tillåtet är 1900-01-01 till 2100-12-31).'),
    ("2101-01-01", '"2101-01-01" är ett orimligt datum (tillåtet är 1900-01-01 till 2100-12-31).'),
    ("2023-02-29", f'"2023-02-29" är inte ett giltigt datum: månaden eller dagen finns inte. {DATE_HINT}'),
    ("2024-1-01", f'"2024-1-01" är inte ett giltigt datum. {DATE_HINT}'),
    ("20240101", f'"20240101" är inte ett giltigt datum. {DATE_HINT}'),
    ("2024-01-01T10:00", f'"2024-01-01T10:00" är inte ett giltigt datum. {DATE_HINT}'),
    ("01/02/2024", f'"01/02/2024" är inte ett giltigt datum. {DATE_HINT} I datum med snedstreck går det inte att '
                   "avgöra vad som är dag och vad som är månad."),
])  # fmt: skip
def test_dates_refused_with_their_reason(text, message):
    with pytest.raises(InvalidValue) as caught:
        parse_iso_date(text)
    assert str(caught.value) == message


def test_quote_keeps_one_short_line_without_control_characters():
    assert quote("a\tb\n c") == "a b c"
    assert quote("a\x00b\x01c\x7fd\x9fe") == "abcde"
    assert quote("a\x1fb") == "a b"  # Python counts the separators \x1c-\x1f as white space
    assert quote("x" * 40) == "x" * 40
    assert quote("x" * 41) == "x" * 39 + "…"
    assert quote("abcdef", limit=5) == "abcd…"
    assert quote("abcde", limit=5) == "abcde"


def test_text_problem_names_the_first_kind_found():
    assert text_problem("Anna Berg") is None and text_problem("Åsa Öberg") is None
    assert text_problem("a\x07b") == '"ab" innehåller otillåtna kontrolltecken.'
    assert text_problem("a\x7fb") == '"ab" innehåller otillåtna kontrolltecken.'
    assert text_problem("a\x9fb") == '"ab" innehåller otillåtna kontrolltecken.'
    assert text_problem("a\xa0b") is None  # a no-break space is seen as a space: allowed


@pytest.mark.parametrize(("character", "name"), [
    ("\u202e", "U+202E, höger-till-vänster-åsidosättning"),
    ("\ufeff", "U+FEFF, byte order mark"),
    ("\u00ad", "U+00AD, mjukt bindestreck"),
    ("\u2060", "U+2060, ordbindare"),
    ("\u061c", "U+061C, arabic letter mark"),  # no Swedish name: Unicode's, in lower case
    ("\ufdd0", "U+FDD0, osynligt tecken"),  # a noncharacter has no name at all
    ("\U000e0041", "U+E0041, tag latin capital letter a"),
])  # fmt: skip
def test_invisible_characters_are_named(character, name):
    assert invisible_name(character) == name
    message = hidden_character(f"ab{character}c")
    assert message == (f'"abc" innehåller ett osynligt tecken ({name}) på plats 3. '
                       "Ta bort det (skriv om värdet för hand om du inte ser var det är).")  # fmt: skip


def test_visible_text_has_no_hidden_character():
    assert hidden_character("") is None
    assert hidden_character("plain ascii") is None
    assert hidden_character("Åsa Öberg-Ünal, 北京") is None
    # The first one found is the one named, at its place in the text as typed.
    assert "plats 2" in hidden_character("a\u200bb\u200cc") and "U+200B" in hidden_character("a\u200bb\u200cc")


def test_a_hidden_character_is_placed_in_the_text_as_it_is_stored():
    # Runs of spaces are one space first, so the place counts the name as it would be saved.
    assert check(name="Anna   \u200bBerg")[1] == {"name": '"Anna Berg" innehåller ett osynligt tecken (U+200B, '
                                                         "nollbreddsmellanslag) på plats 6. Ta bort det (skriv om "
                                                         "värdet för hand om du inte ser var det är)."}

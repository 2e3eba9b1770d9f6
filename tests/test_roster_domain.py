"""The roster domain (who is active, experience, the figures, listing) and the municipality settings."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bouv_tui.domain import catalog
from bouv_tui.domain.roster import (
    COLUMNS,
    StaffMember,
    experience_from_years,
    list_staff,
    roster_figures,
)
from bouv_tui.domain.settings import (
    MunicipalitySettings,
    municipalities,
    municipality_by_code,
    settings_errors,
)

ON = date(2026, 6, 30)
YEAR_AGO = ON - timedelta(days=365)


def cw(name: str, **changes) -> StaffMember:
    return StaffMember(name=name, role=catalog.CASEWORKER, **changes)


def tl(name: str, **changes) -> StaffMember:
    return StaffMember(name=name, role=catalog.TEAM_LEADER, **changes)


def other(name: str, **changes) -> StaffMember:
    return StaffMember(name=name, role=catalog.OTHER_ROLE, **changes)


def years_before(years: float, on: date = ON) -> date:
    return on - timedelta(days=round(years * 365.25))


# --- active, left -------------------------------------------------------------------


def test_without_dates_a_person_is_active_and_has_not_left():
    p = cw("Anna")
    assert p.is_active(ON)
    assert not p.has_left(ON)


def test_first_day_counts_as_active():
    assert cw("Anna", employed_from=ON).is_active(ON)
    starts_tomorrow = cw("Anna", employed_from=ON + timedelta(days=1))
    assert not starts_tomorrow.is_active(ON)
    assert not starts_tomorrow.has_left(ON)


def test_last_day_counts_as_active_and_the_day_after_as_left():
    p = cw("Anna", employed_from=date(2020, 1, 1), employed_until=ON)
    assert p.is_active(ON)
    assert not p.has_left(ON)
    next_day = ON + timedelta(days=1)
    assert not p.is_active(next_day)
    assert p.has_left(next_day)


# --- experience ------------------------------------------------------------------------


def test_experience_from_beats_employed_from():
    p = cw("Anna", employed_from=years_before(2), experience_from=years_before(10))
    assert p.years_of_experience(ON) == pytest.approx(10, abs=0.01)


def test_employed_from_is_used_when_experience_from_is_unknown():
    p = cw("Anna", employed_from=years_before(3))
    assert p.years_of_experience(ON) == pytest.approx(3, abs=0.01)


def test_experience_is_unknown_without_dates():
    assert cw("Anna").years_of_experience(ON) is None


def test_experience_starting_in_the_future_is_zero():
    assert cw("Anna", experience_from=ON + timedelta(days=30)).years_of_experience(ON) == 0.0


@pytest.mark.parametrize("years", [0, 0.5, 1, 2.5, 12, 40])
def test_experience_from_years_gives_back_the_years(years: float):
    start = experience_from_years(years, ON)
    assert start <= ON
    assert cw("Anna", experience_from=start).years_of_experience(ON) == pytest.approx(years, abs=1 / 365)


def test_experience_from_years_examples():
    assert experience_from_years(0, ON) == ON
    assert experience_from_years(1, date(2026, 1, 1)) == date(2025, 1, 1)  # 365.25 rounds to 365 days
    assert experience_from_years(4, date(2026, 1, 1)) == date(2022, 1, 1)


# --- roster figures ---------------------------------------------------------------------


def staff_for_figures() -> list[StaffMember]:
    return [
        # active handläggare
        cw("Anna", employed_from=years_before(5), social_work_degree=True, fte=100),
        cw("Bertil", employed_from=years_before(0.5), qualification_certificate=True, fte=50,
           employment_type=catalog.CONSULTANT),
        cw("Cecilia", fte=75),  # no dates: active since always, experience unknown, unqualified
        cw("Karl", employed_from=ON - timedelta(days=400), employed_until=ON, fte=100),  # last day today
        # active arbetsledare and annan, both unqualified: not in the unqualified list
        tl("Fredrik", fte=80),
        other("Greta"),
        # left within the last twelve months: departures, never in the unqualified list
        cw("David", employed_from=years_before(3), employed_until=ON - timedelta(days=90)),
        tl("Ingrid", employed_from=date(2020, 1, 1), employed_until=ON - timedelta(days=1)),
        other("Jan", employed_from=date(2020, 1, 1), employed_until=ON - timedelta(days=10)),  # not counted
        # left long ago; starts in the future
        cw("Erik", employed_from=date(2015, 1, 1), employed_until=ON - timedelta(days=800)),
        cw("Hanna", employed_from=ON + timedelta(days=10)),
    ]  # fmt: skip


def test_roster_figures_head_count_and_fte():
    f = roster_figures(staff_for_figures(), ON)
    assert f.on == ON
    assert f.caseworkers == 4  # Anna, Bertil, Cecilia, Karl
    assert f.caseworker_fte == pytest.approx(3.25)
    assert f.team_leaders == 1
    assert f.team_leader_fte == pytest.approx(0.8)


def test_roster_figures_share_new_and_consultants():
    f = roster_figures(staff_for_figures(), ON)
    assert f.new_caseworkers == 1  # Bertil; Cecilia's experience is unknown, so not new
    assert f.share_new == pytest.approx(0.25)
    assert f.consultant_caseworkers == 1
    assert f.share_consultants == pytest.approx(0.25)


def test_roster_figures_turnover():
    f = roster_figures(staff_for_figures(), ON)
    assert f.departures_12m == 2  # David and Ingrid; not Jan (annan), Erik (long ago) or Karl (still here)
    # active a year ago: Anna, Cecilia, Karl, Fredrik, David, Ingrid = 6
    # active today: Anna, Bertil, Cecilia, Karl, Fredrik = 5
    assert f.turnover_12m == pytest.approx(2 / 5.5)


def test_roster_figures_unqualified_lists_only_active_handlaggare_by_name():
    f = roster_figures(staff_for_figures(), ON)
    assert [p.name for p in f.unqualified] == ["Cecilia", "Karl"]


def test_departure_window_boundaries():
    staff = [
        cw("Kvar", employed_from=date(2020, 1, 1)),
        cw("Slutade för ett år sedan", employed_from=date(2020, 1, 1), employed_until=YEAR_AGO),
        cw("Slutade dagen innan", employed_from=date(2020, 1, 1), employed_until=YEAR_AGO - timedelta(days=1)),
        cw("Slutar idag", employed_from=date(2020, 1, 1), employed_until=ON),
    ]
    f = roster_figures(staff, ON)
    assert f.departures_12m == 1
    # a year ago: Kvar, Slutade för ett år sedan, Slutar idag = 3; today: Kvar, Slutar idag = 2
    assert f.turnover_12m == pytest.approx(1 / 2.5)


def test_roster_figures_of_an_empty_roster_are_unknown_not_zero_division():
    f = roster_figures([], ON)
    assert (f.caseworkers, f.team_leaders, f.departures_12m) == (0, 0, 0)
    assert f.share_new is None
    assert f.share_consultants is None
    assert f.turnover_12m is None
    assert f.unqualified == ()


def test_only_others_give_no_caseworker_shares():
    f = roster_figures([other("Greta"), other("Jan", employed_until=ON - timedelta(days=5))], ON)
    assert f.caseworkers == 0 and f.departures_12m == 0
    assert f.share_new is None and f.turnover_12m is None


# --- listing ----------------------------------------------------------------------------


def staff_for_listing() -> list[StaffMember]:
    return [
        cw("bo Ek", unit="Mottagning", fte=50, employed_from=date(2019, 5, 1), social_work_degree=True,
           employment_type=catalog.FIXED_TERM),
        cw("Anna Berg", unit="Utredning Norr", fte=100, employed_from=date(2021, 1, 1),
           experience_from=date(2010, 1, 1), qualification_certificate=True),
        tl("Cecilia Dahl", unit="Utredning Söder", fte=80, employment_type=catalog.CONSULTANT),
        other("David Ek", unit="Administration", fte=60, employed_from=date(2022, 3, 1)),
        cw("Erik Norrman", unit="Familjehem", fte=75, employed_from=date(2015, 2, 1),
           employed_until=date(2025, 12, 31)),  # left
        cw("Frida Lind", unit="", fte=100, social_work_degree=True),
    ]  # fmt: skip


def listed(**kwargs) -> list[str]:
    return [p.name for p in list_staff(staff_for_listing(), ON, **kwargs)]


def test_listing_hides_people_who_left_unless_asked():
    assert "Erik Norrman" not in listed()
    assert len(listed()) == 5
    assert "Erik Norrman" in listed(show_left=True)
    assert len(listed(show_left=True)) == 6


def test_listing_filters_on_name_and_unit_ignoring_case():
    assert listed(text="ANNA") == ["Anna Berg"]
    assert listed(text="ek") == ["bo Ek", "David Ek"]
    assert listed(text="  utredning ") == ["Anna Berg", "Cecilia Dahl"]
    assert listed(text="söder") == ["Cecilia Dahl"]
    assert listed(text="norr") == ["Anna Berg"]  # Erik Norrman has left
    assert listed(text="norr", show_left=True) == ["Anna Berg", "Erik Norrman"]
    assert listed(text="finns inte") == []


def test_listing_filters_on_role():
    assert listed(role=catalog.TEAM_LEADER) == ["Cecilia Dahl"]
    assert listed(role=catalog.OTHER_ROLE) == ["David Ek"]
    assert listed(role=catalog.CASEWORKER) == ["Anna Berg", "bo Ek", "Frida Lind"]
    assert listed(role=catalog.CASEWORKER, text="mottagning") == ["bo Ek"]


def column_value(column: str, p: StaffMember):
    return {
        "name": p.name.casefold(),
        "role": catalog.ROLES.label(p.role),
        "unit": p.unit.casefold(),
        "fte": p.fte,
        "employed_from": p.employed_from,
        "experience": p.years_of_experience(ON),
        "social_work_degree": p.social_work_degree,
        "qualified": p.is_qualified,
        "employment_type": catalog.EMPLOYMENT_TYPES.label(p.employment_type),
    }[column]


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("column", [code for code, _ in COLUMNS])
def test_listing_sorts_by_every_column_with_unknown_values_last(column: str, descending: bool):
    rows = list_staff(staff_for_listing(), ON, show_left=True, sort=column, descending=descending)
    assert sorted(p.name for p in rows) == sorted(p.name for p in staff_for_listing())
    values = [column_value(column, p) for p in rows]
    known = [v for v in values if v is not None]
    assert values[: len(known)] == known, "unknown values must come last"
    assert known == sorted(known, reverse=descending)
    assert len(set(map(str, known))) > 1, "the example should have different values in every column"


def test_listing_sort_examples():
    assert listed(sort="name") == ["Anna Berg", "bo Ek", "Cecilia Dahl", "David Ek", "Frida Lind"]
    assert listed(sort="name", descending=True) == ["Frida Lind", "David Ek", "Cecilia Dahl", "bo Ek", "Anna Berg"]
    assert listed(sort="fte") == ["bo Ek", "David Ek", "Cecilia Dahl", "Anna Berg", "Frida Lind"]
    # role by its Swedish label: Annan, Arbetsledare, Handläggare
    assert listed(sort="role")[:2] == ["David Ek", "Cecilia Dahl"]
    # employment type by label: Konsult, Tillsvidare, Visstid
    assert listed(sort="employment_type")[0] == "Cecilia Dahl"
    assert listed(sort="employment_type")[-1] == "bo Ek"


def test_unknown_dates_sort_last_in_both_directions():
    up = listed(sort="employed_from")
    down = listed(sort="employed_from", descending=True)
    assert up[:3] == ["bo Ek", "Anna Berg", "David Ek"]
    assert down[:3] == ["David Ek", "Anna Berg", "bo Ek"]
    assert up[3:] == down[3:] == ["Cecilia Dahl", "Frida Lind"]  # no start date, by name


def test_experience_sort_uses_experience_from():
    # Anna's experience (since 2010) beats bo's (employed 2019) though she was employed later
    assert listed(sort="experience", descending=True)[:3] == ["Anna Berg", "bo Ek", "David Ek"]


def test_equal_values_keep_a_name_order():
    rows = listed(sort="fte")
    assert rows.index("Anna Berg") < rows.index("Frida Lind")  # both 100 %


def test_unknown_sort_column_is_an_error():
    with pytest.raises(ValueError, match="okänd kolumn: lön"):
        list_staff(staff_for_listing(), ON, sort="lön")


def test_listing_does_not_change_the_input():
    staff = staff_for_listing()
    copy = list(staff)
    list_staff(staff, ON, sort="fte", descending=True)
    assert staff == copy


# --- municipality settings ------------------------------------------------------------------


def test_there_are_290_municipalities_with_unique_codes_in_code_order():
    found = municipalities()
    assert len(found) == 290
    codes = [m.code for m in found]
    assert len(set(codes)) == 290
    assert codes == sorted(codes)
    assert all(len(c) == 4 and c.isdigit() for c in codes)
    assert len({m.county for m in found}) == 21
    assert all(m.name and m.county.endswith("län") for m in found)


@pytest.mark.parametrize(
    "code, name, county",
    [
        ("0114", "Upplands Väsby", "Stockholms län"),
        ("0180", "Stockholm", "Stockholms län"),
        ("0980", "Gotland", "Gotlands län"),
        ("1280", "Malmö", "Skåne län"),
        ("1480", "Göteborg", "Västra Götalands län"),
        ("2584", "Kiruna", "Norrbottens län"),
    ],
)
def test_municipality_lookup(code: str, name: str, county: str):
    m = municipality_by_code(code)
    assert m is not None
    assert (m.name, m.county) == (name, county)


@pytest.mark.parametrize("code", ["", "9999", "180", "Stockholm"])
def test_unknown_municipality_code(code: str):
    assert municipality_by_code(code) is None


def valid_settings(**changes) -> MunicipalitySettings:
    values = dict(kommunkod="0180", kommun="Stockholm", contact_name="Eva Ek", email="eva.ek@stockholm.se",
                  phone="+46 8-508 000 00")  # fmt: skip
    values.update(changes)
    return MunicipalitySettings(**values)


def test_valid_settings_have_no_errors():
    assert settings_errors(valid_settings()) == {}
    assert settings_errors(valid_settings(email="", phone="")) == {}  # both optional
    assert settings_errors(valid_settings(email=" eva@ex.se ", phone="08-123 45")) == {}


def test_empty_settings_ask_for_municipality_and_contact():
    errors = settings_errors(MunicipalitySettings())
    assert errors == {"kommunkod": "Välj kommun i listan.", "contact_name": "Ange uppgiftslämnarens namn."}
    assert not MunicipalitySettings().is_complete


def test_blank_contact_name_is_an_error():
    assert settings_errors(valid_settings(contact_name="   ")) == {"contact_name": "Ange uppgiftslämnarens namn."}


def test_unknown_municipality_code_is_an_error():
    assert set(settings_errors(valid_settings(kommunkod="9999"))) == {"kommunkod"}


@pytest.mark.parametrize("email", ["eva", "eva@", "eva@stockholm", "eva ek@stockholm.se", "@stockholm.se"])
def test_bad_email_is_an_error(email: str):
    errors = settings_errors(valid_settings(email=email))
    assert errors == {"email": "E-postadressen ser inte giltig ut (namn@exempel.se)."}


@pytest.mark.parametrize("phone", ["08", "telefon", "08/123 45", "+", "0812345678901234567890123"])
def test_bad_phone_is_an_error(phone: str):
    errors = settings_errors(valid_settings(phone=phone))
    assert errors == {"phone": "Telefonnumret får bara innehålla siffror, mellanslag, bindestreck och inledande +."}


def test_is_complete_needs_municipality_name_and_contact():
    assert valid_settings().is_complete
    assert not valid_settings(kommun="").is_complete
    assert not valid_settings(contact_name="").is_complete


def test_names_sort_in_swedish_order_both_directions():
    from datetime import date

    from bouv_tui.domain.roster import StaffMember, list_staff

    people = [StaffMember(name=n, role="handlaggare") for n in ["Östen", "Ängla", "Zoran", "Åsa", "Adam"]]
    day = date(2026, 11, 22)
    assert [p.name for p in list_staff(people, day)] == ["Adam", "Zoran", "Åsa", "Ängla", "Östen"]
    assert [p.name for p in list_staff(people, day, descending=True)] == ["Östen", "Ängla", "Åsa", "Zoran", "Adam"]


def test_descending_sort_breaks_ties_by_name_a_to_o():
    from datetime import date

    from bouv_tui.domain.roster import StaffMember, list_staff

    people = [StaffMember(name=n, role="handlaggare", fte=f) for n, f in [("Bo", 50), ("Ada", 50), ("Cia", 100)]]
    shown = list_staff(people, date(2026, 11, 22), sort="fte", descending=True)
    assert [p.name for p in shown] == ["Cia", "Ada", "Bo"]


def test_a_person_without_an_fte_works_full_time():
    person = cw("Anna")
    assert person.fte == 100
    figures = roster_figures([person, tl("Bo")], ON)
    assert (figures.caseworker_fte, figures.team_leader_fte) == (1.0, 1.0)


def test_people_with_the_same_name_and_value_keep_their_order():
    # Two "Anna Berg" in the same unit, two with unknown start dates: the listing sorts by name
    # (and the column) only, so equal people stay in the order the store gave them.
    first, second = cw("Anna Berg", id=1, unit="Ekby"), cw("Anna Berg", id=2, unit="Ekby")
    assert list_staff([first, second], ON, sort="unit") == [first, second]
    assert list_staff([second, first], ON, sort="unit", descending=True) == [second, first]
    assert list_staff([second, first], ON, sort="employed_from") == [second, first]


@pytest.mark.parametrize(("start", "new"), [
    (date(2025, 6, 30), False),  # exactly one calendar year on 30 June 2026: no longer new
    (date(2025, 7, 1), True),  # one day short of a year
    (date(2026, 6, 30), True),  # started today
])  # fmt: skip
def test_new_means_under_one_calendar_year(start: date, new: bool):
    by_employment, by_experience = cw("A", employed_from=start), cw("B", employed_from=ON, experience_from=start)
    assert by_employment.is_new(ON) is new and by_experience.is_new(ON) is new
    assert roster_figures([by_employment], ON).new_caseworkers == int(new)
    assert cw("C").is_new(ON) is None and roster_figures([cw("C")], ON).new_caseworkers == 0


def test_new_over_a_leap_day():
    # On 28 February 2029, a year back is 28 February 2028; on 29 February 2028, the 28th of 2027.
    assert cw("A", employed_from=date(2028, 2, 28)).is_new(date(2029, 2, 28)) is False
    assert cw("A", employed_from=date(2028, 2, 29)).is_new(date(2029, 2, 28)) is True
    assert cw("A", employed_from=date(2027, 2, 28)).is_new(date(2028, 2, 29)) is False
    assert cw("A", employed_from=date(2027, 3, 1)).is_new(date(2028, 2, 29)) is True


def test_the_short_role_words_of_narrow_tables():
    from bouv_tui.domain import catalog

    assert catalog.ROLE_SHORT == {catalog.CASEWORKER: "Handl.", catalog.TEAM_LEADER: "Arb.led."}

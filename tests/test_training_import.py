"""Reading and checking a training file (``exchange/training_import.py``): every cell's limits
on both sides, the rule that one training's rows agree, what a second import of the same
file does, and hostile files (each refused with the exact message)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bouv_tui.domain import catalog
from bouv_tui.domain import plan as rules
from bouv_tui.domain.plan import Occasion, Participant, Plan, Training
from bouv_tui.domain.roster import StaffMember
from bouv_tui.domain.validation import InvalidValue
from bouv_tui.exchange import training_import as ti
from bouv_tui.exchange.tables import ImportFileError, RowError

HEADER = (
    "utbildning;typ;omraden;anordnare;anordnartyp;omfattning;malgrupp;taggar;start;slut;plats;platser;"
    "status;finansiering;kostnad_fast;kostnad_per_deltagare;franvarodagar_per_deltagare;deltagare"
)
ROW = (
    "BBIC;utbildning;utredning, samtal;Socialstyrelsen;stat_kommun_landsting;3 dagar;handlaggare;introduktion;"
    "2026-03-02;2026-03-04;Stadshuset;12;planerad;statsbidrag;12 000;1 500;3;P1, P2"
)
STAFF = [
    StaffMember("Anna A", catalog.CASEWORKER, personal_id="P1", id=1),
    StaffMember("Bo B", catalog.CASEWORKER, personal_id="P2", id=2),
    StaffMember("Cia C", catalog.TEAM_LEADER, personal_id="P3", id=3, employed_until=date(2025, 12, 31)),
]


def write(tmp_path: Path, *lines: str, name: str = "utb.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def plan_of(tmp_path: Path, *lines: str, stored=None, staff=STAFF) -> ti.TrainingImportPlan:
    table = ti.read_training_table(write(tmp_path, *lines))
    return ti.plan_training_import(table, staff, stored or {})


def row(**changes: str) -> str:
    cells = dict(zip(HEADER.split(";"), ROW.split(";")))
    cells.update(changes)
    return ";".join(cells.values())


def messages(plan) -> list[str]:
    return [str(e) for e in plan.errors]


# --- a clean file ------------------------------------------------------------------------------


def test_a_row_is_read_into_a_training_an_occasion_and_its_bookings(tmp_path):
    plan = plan_of(tmp_path, HEADER, ROW)
    assert plan.ok, messages(plan)
    [item] = plan.trainings
    assert item.training == Training(
        "BBIC", rules.TRAINING, 2026, ("utredning", "samtal"), (), "Socialstyrelsen", "stat_kommun_landsting",
        3.0, rules.DAYS, (rules.INTRODUCTION,), (rules.CASEWORKERS,),
    )  # fmt: skip
    [occ] = item.occasions
    assert occ.occasion == Occasion(0, date(2026, 3, 2), date(2026, 3, 4), rules.PLANNED, "Stadshuset", 12,
                                    rules.GRANT, 12000, 1500, 3.0)  # fmt: skip
    assert (occ.book, occ.status, occ.row) == ((1, 2), rules.BOOKED, 2)
    assert (plan.trainings_added, plan.occasions_added, plan.participants_booked, plan.unchanged) == (1, 1, 2, 0)


def test_headers_are_matched_without_case_spaces_or_swedish_letters(tmp_path):
    header = HEADER.replace("omraden", "Områden").replace("franvarodagar_per_deltagare", "Frånvarodagar per deltagare")
    plan = plan_of(tmp_path, header.replace("utbildning;", "UTBILDNING;", 1), ROW)
    assert plan.ok, messages(plan)
    assert plan.trainings[0].occasions[0].occasion.days_away == 3.0


def test_rows_of_one_name_and_year_are_occasions_of_one_training(tmp_path):
    plan = plan_of(
        tmp_path, HEADER, ROW,
        row(start="2026-09-01", slut="2026-09-01", deltagare="P3"),
        row(start="2027-01-10", slut="2027-01-11", deltagare=""),  # another year: another training
    )  # fmt: skip
    assert plan.ok, messages(plan)
    assert [(t.training.name, t.training.year, len(t.occasions)) for t in plan.trainings] == [
        ("BBIC", 2026, 2), ("BBIC", 2027, 1)
    ]
    # P3 left on 2025-12-31, before the occasion: a warning, not an error.
    assert [str(w) for w in plan.warnings] == [
        'Rad 3, kolumn "deltagare": P3 slutade 2025-12-31, före tillfällets start 2026-09-01.'
    ]


def test_one_person_on_two_occasions_of_one_training_is_flagged(tmp_path):
    plan = plan_of(tmp_path, HEADER, ROW, row(start="2026-09-01", slut="2026-09-02", deltagare="P2"))
    assert plan.ok
    assert [str(w) for w in plan.warnings] == [
        'Rad 3, kolumn "deltagare": P2 står också på tillfället på rad 2 av samma utbildning.'
    ]


# --- the agreement rule --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "column, other",
    [
        ("typ", "stod_handledning"), ("omraden", "utredning"), ("anordnare", "Annan"),
        ("anordnartyp", "privat"), ("omfattning", "4 dagar"), ("malgrupp", "arbetsledare"), ("taggar", ""),
    ],
)  # fmt: skip
def test_the_training_columns_must_agree_between_its_rows(tmp_path, column, other):
    first = dict(zip(HEADER.split(";"), ROW.split(";")))[column]
    plan = plan_of(tmp_path, HEADER, ROW, row(**{column: other, "start": "2026-05-01", "slut": "2026-05-01"}))
    assert messages(plan) == [
        f'Rad 3, kolumn "{column}": Utbildningen "BBIC" (2026) har "{other}" här men "{first}" på rad 2. '
        "Alla rader för samma utbildning ska ha samma värde i den kolumnen."
    ]
    assert plan.trainings == []


def test_values_that_mean_the_same_agree(tmp_path):
    plan = plan_of(
        tmp_path, HEADER, ROW,
        row(omraden="\"Samtal och relationer; UTREDNING\"", omfattning="3 dag", typ="Utbildning",
            anordnartyp="Stat/kommun/landsting", start="2026-05-01", slut="2026-05-01"),
    )  # fmt: skip
    assert plan.ok, messages(plan)
    assert len(plan.trainings) == 1 and len(plan.trainings[0].occasions) == 2


def test_the_same_occasion_twice_is_an_error(tmp_path):
    plan = plan_of(tmp_path, HEADER, ROW, row(deltagare=""))
    assert messages(plan) == ['Rad 3, kolumn "start": Tillfället 2026-03-02–2026-03-04 av "BBIC" finns redan på rad 2.']


# --- cells: both sides of every limit ----------------------------------------------------------------


def test_areas_codes_labels_and_annat():
    assert ti.parse_areas("samtal, Utredning; ebp") == (("utredning", "samtal", "ebp"), ())
    assert ti.parse_areas("Annat: Hedersrelaterat  våld;barns_utveckling") == (
        ("barns_utveckling",), ("Hedersrelaterat våld",)
    )
    assert ti.parse_areas("Regelverk och rättslig prövning") == (("regelverk",), ())
    with pytest.raises(InvalidValue, match='^"annat:" saknar en benämning'):
        ti.parse_areas("annat:")
    with pytest.raises(InvalidValue, match='^"Trädgård" är inget kunskapsområde'):
        ti.parse_areas("utredning, Trädgård")
    with pytest.raises(InvalidValue, match="^Områden saknas"):
        ti.parse_areas(" ; ")


def test_a_row_with_an_unknown_area_is_refused_naming_it(tmp_path):
    plan = plan_of(tmp_path, HEADER, row(omraden="utredning, budget"))
    assert messages(plan) == [
        'Rad 2, kolumn "omraden": "budget" är inget kunskapsområde. Ange områdets kod eller namn '
        f'({", ".join(catalog.AREAS.codes())}), eller "annat:Benämning".'
    ]
    assert plan.trainings == []


@pytest.mark.parametrize(
    "text, expected",
    [("7,5 hp", (7.5, "hp")), ("7.5 högskolepoäng", (7.5, "hp")), ("1 dag", (1.0, "dagar")),
     ("0,01 hp", (0.01, "hp")), ("120 hp", (120.0, "hp")), ("365 dagar", (365.0, "dagar")), ("", (None, None))],
)  # fmt: skip
def test_extent_accepted(text, expected):
    assert ti.parse_extent(text) == expected


@pytest.mark.parametrize("text", ["0 hp", "120,01 hp", "366 dagar", "0 dagar"])
def test_extent_out_of_range(text):
    with pytest.raises(InvalidValue, match="är ingen möjlig omfattning"):
        ti.parse_extent(text)


@pytest.mark.parametrize("text", ["7,5", "3 veckor", "hp", "7,555 hp", "-1 dagar"])
def test_extent_not_an_extent(text):
    with pytest.raises(InvalidValue, match="är ingen omfattning"):
        ti.parse_extent(text)


@pytest.mark.parametrize(
    "text, expected",
    [("", ("handlaggare",)), ("Handläggare", ("handlaggare",)), ("arbetsledare", ("arbetsledare",)),
     ("arbetsledare, handlaggare", ("handlaggare", "arbetsledare")), ("båda", ("handlaggare", "arbetsledare")),
     ("handläggare och arbetsledare", ("handlaggare", "arbetsledare"))],
)  # fmt: skip
def test_groups(text, expected):
    assert ti.parse_groups(text) == expected


def test_groups_and_tags_refuse_other_words():
    with pytest.raises(InvalidValue, match='^"chefer" är ingen målgrupp'):
        ti.parse_groups("handlaggare, chefer")
    assert ti.parse_tags("Yrkesresan, introduktion, Teori/metod") == ("introduktion", "teori_metod", "yrkesresan")
    assert ti.parse_tags("") == ()
    with pytest.raises(InvalidValue, match='^"nyanställda" är ingen tagg'):
        ti.parse_tags("nyanställda")


def test_seats_from_one_to_the_limit():
    assert ti.MAX_SEATS == 10_000
    assert ti.parse_seats("1") == 1 and ti.parse_seats("10000") == 10_000 and ti.parse_seats("") is None
    for text in ("0", "10001", "-1", "2,5", "tolv", "1e3"):
        with pytest.raises(InvalidValue, match="är inget giltigt antal platser. Ange ett heltal från 1 till 10\u00a0000"):
            ti.parse_seats(text)


@pytest.mark.parametrize(
    "text, expected",
    [("0", 0), ("", 0), ("12345", 12345), ("12 345", 12345), ("12\u00a0345 kr", 12345), ("12345,00", 12345),
     ("1 234 567", 1234567), ("100 000 000", 100_000_000), ("12 345,0 kr", 12345)],
)  # fmt: skip
def test_kronor_accepted(text, expected):
    assert ti.parse_kronor(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("12,50", '"12,50" har ören. Ange hela kronor (avrunda beloppet).'),
        ("0,01", '"0,01" har ören. Ange hela kronor (avrunda beloppet).'),
        ("-1", '"-1" är negativt. Ett belopp ska vara 0 eller mer.'),
        ("100 000 001", '"100 000 001" är orimligt stort: ett belopp här får vara högst 100\u00a0000\u00a0000 kr.'),
        ("tusen", '"tusen" är inget belopp. Skriv hela kronor, t.ex. 12 345 eller 12345.'),
        ("12 34", '"12 34" är inget belopp. Skriv hela kronor, t.ex. 12 345 eller 12345.'),
        ("=1+1", '"=1+1" är inget belopp. Skriv hela kronor, t.ex. 12 345 eller 12345.'),
    ],
)
def test_kronor_refused(text, message):
    with pytest.raises(InvalidValue) as caught:
        ti.parse_kronor(text)
    assert str(caught.value) == message


def test_days_away_from_zero_to_the_limit():
    assert ti.parse_days("") == 0.0 and ti.parse_days("0") == 0.0 and ti.parse_days("1,5") == 1.5
    assert ti.parse_days("365") == 365.0
    with pytest.raises(InvalidValue, match="^\"365,5\" är för många dagar: högst 365"):
        ti.parse_days("365,5")
    with pytest.raises(InvalidValue, match='^"-0,5" är negativt'):
        ti.parse_days("-0,5")
    with pytest.raises(InvalidValue, match='^"två" är inget antal dagar'):
        ti.parse_days("två")


def test_codes_and_labels_of_kind_provider_status_and_funding():
    assert ti.parse_kind("Stöd och handledning") == rules.SUPPORT and ti.parse_kind("utbildning") == rules.TRAINING
    assert ti.parse_provider_type("Universitet/högskola") == "universitet_hogskola"
    assert ti.parse_status("") == rules.PLANNED and ti.parse_status("Inställd") == rules.CANCELLED
    assert ti.parse_status("pagar") == rules.ONGOING and ti.parse_status("genomförd") == rules.DONE
    assert ti.parse_funding("") == rules.GRANT and ti.parse_funding("Årets statsbidrag") == rules.GRANT
    assert ti.parse_funding("egna_medel") == rules.OWN_FUNDS and ti.parse_funding("Egna medel") == rules.OWN_FUNDS
    with pytest.raises(InvalidValue, match='^"Kommunförbundet" är ingen finansiering som finns'):
        ti.parse_funding("Kommunförbundet")
    with pytest.raises(InvalidValue, match='^"avbokad" är inte en status. Ange planerad, pagar, genomford, installd.$'):
        ti.parse_status("avbokad")


def test_dates_end_before_start_and_years(tmp_path):
    plan = plan_of(
        tmp_path, HEADER,
        row(start="2026-03-04", slut="2026-03-03"),
        row(start="2026-03-04", slut="2026-03-04"),  # one day: fine
        row(start="1999-12-31", slut="2000-01-01"),
        row(start="2000-01-01", slut="2000-01-01", deltagare=""),
        row(start="4/3/2026"),
    )  # fmt: skip
    assert messages(plan) == [
        'Rad 2, kolumn "slut": Slutdatum (2026-03-03) är före startdatum (2026-03-04).',
        'Rad 4, kolumn "start": Startåret ska vara från 2000 till 2100.',
        'Rad 6, kolumn "start": "4/3/2026" är inte ett giltigt datum. Skriv datum i ISO-format ÅÅÅÅ-MM-DD, '
        "t.ex. 2024-03-01. I datum med snedstreck går det inte att avgöra vad som är dag och vad som är månad.",
    ]


def test_participants_must_be_in_the_roster_fit_the_seats_and_not_be_on_a_cancelled_occasion(tmp_path):
    plan = plan_of(
        tmp_path, HEADER,
        row(deltagare="P1, X9"),
        row(platser="1", start="2026-04-01", slut="2026-04-01"),
        row(platser="2", start="2026-04-02", slut="2026-04-02"),  # two for two seats: fine
        row(status="installd", start="2026-04-03", slut="2026-04-03"),
        row(deltagare="\"P1; P1\"", start="2026-04-04", slut="2026-04-04"),
    )  # fmt: skip
    assert messages(plan) == [
        'Rad 2, kolumn "deltagare": Ingen person i personalregistret har personal_id "X9".',
        'Rad 3, kolumn "deltagare": 2 deltagare men bara 1 platser på tillfället.',
        'Rad 5, kolumn "deltagare": Tillfället är inställt: ingen kan bokas på det. Töm deltagare eller ändra status.',
        'Rad 6, kolumn "deltagare": personal_id "P1" står två gånger.',
    ]


def test_required_columns_and_cells(tmp_path):
    plan = plan_of(tmp_path, HEADER.replace(";anordnartyp", ""), ROW.replace(";stat_kommun_landsting", ""))
    assert messages(plan) == ['Rad 1, kolumn "anordnartyp": Kolumnen "anordnartyp" saknas i rubrikraden.']
    plan = plan_of(tmp_path, HEADER, row(utbildning="", typ="", anordnare=""))
    assert messages(plan) == [
        'Rad 2, kolumn "utbildning": Utbildningens namn saknas.',
        'Rad 2, kolumn "typ": En typ saknas. Ange utbildning, stod_handledning.',
        'Rad 2, kolumn "anordnare": Anordnare saknas.',
    ]


def test_names_up_to_the_limit(tmp_path):
    assert plan_of(tmp_path, HEADER, row(utbildning="x" * ti.MAX_NAME)).ok
    plan = plan_of(tmp_path, HEADER, row(utbildning="x" * (ti.MAX_NAME + 1)))
    assert messages(plan) == ['Rad 2, kolumn "utbildning": Namnet är för långt (201 tecken; högst 200).']


# --- against what is stored: the second import ------------------------------------------------------


def stored_plan(tmp_path) -> dict[int, Plan]:
    """What storing ROW gave: the training id 7, its occasion id 70, P1 and P2 booked."""
    first = plan_of(tmp_path, HEADER, ROW).trainings[0]
    training = Training(**{**first.training.__dict__, "id": 7, "version": 1})
    occ = first.occasions[0].occasion
    occasion = Occasion(7, occ.start, occ.end, occ.status, occ.place, occ.seats, occ.funding, occ.cost_fixed,
                        occ.cost_per_participant, occ.days_away, id=70, version=1)  # fmt: skip
    return {2026: Plan([training], [occasion], [Participant(70, 1), Participant(70, 2)])}


def test_importing_the_same_file_again_changes_nothing_and_says_so(tmp_path):
    plan = plan_of(tmp_path, HEADER, ROW, stored=stored_plan(tmp_path))
    assert plan.ok
    assert (plan.trainings_added, plan.trainings_updated, plan.occasions_added, plan.occasions_updated,
            plan.participants_booked, plan.unchanged, plan.nothing_to_do) == (0, 0, 0, 0, 0, 1, True)  # fmt: skip


def test_a_changed_file_updates_the_stored_training_and_adds_what_is_new(tmp_path):
    stored = stored_plan(tmp_path)
    plan = plan_of(
        tmp_path, HEADER,
        row(anordnare="Socialstyrelsen Kurs", deltagare="P1, P3"),  # the stored occasion: one more booked
        row(start="2026-10-01", slut="2026-10-02", anordnare="Socialstyrelsen Kurs", status="pagar"),
        stored=stored,
    )  # fmt: skip
    assert plan.ok, messages(plan)
    [item] = plan.trainings
    assert item.shown == stored[2026].trainings[0] and item.training.provider == "Socialstyrelsen Kurs"
    assert item.training.id == 7 and item.training.version == 1  # saved as the version it was planned against
    assert [(o.shown is not None, o.book) for o in item.occasions] == [(True, (3,)), (False, (1, 2))]
    assert (plan.trainings_updated, plan.occasions_added, plan.occasions_updated, plan.participants_booked,
            plan.unchanged) == (1, 1, 0, 3, 0)  # fmt: skip


def test_a_changed_occasion_is_updated_and_its_seats_hold_the_stored_bookings(tmp_path):
    stored = stored_plan(tmp_path)
    plan = plan_of(tmp_path, HEADER, row(status="genomford", deltagare="P1, P2, P3", platser="3"), stored=stored)
    assert plan.ok
    [occ] = plan.trainings[0].occasions
    assert occ.changed and occ.occasion.status == rules.DONE and occ.book == (3,) and occ.status == rules.ATTENDED
    plan = plan_of(tmp_path, HEADER, row(deltagare="P3", platser="2"), stored=stored)
    assert messages(plan) == [
        'Rad 2, kolumn "platser": Tillfället har 2 platser, men 2 är redan bokade och 1 till står i deltagare.'
    ]


def test_absent_columns_keep_what_is_stored(tmp_path):
    stored = stored_plan(tmp_path)
    keep = ("utbildning", "typ", "omraden", "anordnare", "anordnartyp", "start", "slut")
    header = HEADER.split(";")
    cells = dict(zip(header, ROW.split(";")))
    plan = plan_of(tmp_path, ";".join(keep), ";".join(cells[c] for c in keep), stored=stored)
    assert plan.ok and plan.nothing_to_do and plan.unchanged == 1


# --- hostile files -------------------------------------------------------------------------------------


def test_a_formula_is_refused_not_run(tmp_path):
    plan = plan_of(tmp_path, HEADER, row(anordnare='=HYPERLINK("http://x";"y")'.replace(";", ","), omraden="=utredning"))
    assert messages(plan) == [
        'Rad 2, kolumn "omraden": "=utredning" ser ut som en kalkylbladsformel och tas inte emot. Ta bort det inledande "=".',
        'Rad 2, kolumn "anordnare": "=HYPERLINK("http://x","y")" ser ut som en kalkylbladsformel och tas inte '
        'emot. Ta bort det inledande "=".',
    ]


def test_a_file_in_an_unknown_encoding_is_refused_naming_it(tmp_path):
    path = tmp_path / "utb.csv"
    path.write_bytes((HEADER + "\n").encode() + "Kurs;ålder\n".encode("utf-16-le"))
    with pytest.raises(ImportFileError) as caught:
        ti.read_training_table(path)
    assert str(caught.value).startswith('Filen "utb.csv" kunde inte läsas')


def test_windows_1252_is_read_as_excel_saved_it(tmp_path):
    table = ti.read_training_table(write(tmp_path, HEADER, row(anordnare="Länsstyrelsen"), encoding="cp1252"))
    plan = ti.plan_training_import(table, STAFF, {})
    assert plan.ok and plan.trainings[0].training.provider == "Länsstyrelsen"


def test_an_empty_file_and_a_header_only_file(tmp_path):
    with pytest.raises(ImportFileError, match='^Filen "utb.csv" är tom.$'):
        ti.read_training_table(write(tmp_path, ""))
    plan = plan_of(tmp_path, HEADER)
    assert plan.ok and plan.nothing_to_do and plan.trainings == []
    with pytest.raises(ImportFileError, match='^Filen "utb.csv" saknar rubrikrad'):
        ti.read_training_table(write(tmp_path, row(typ="stod_handledning")))


def test_an_empty_sheet_is_refused(tmp_path):
    from openpyxl import Workbook

    path = tmp_path / "utb.xlsx"
    Workbook().save(path)
    with pytest.raises(ImportFileError, match='^Filen "utb.xlsx" är tom.$'):
        ti.read_training_table(path)


def test_a_huge_cell_and_an_unknown_column(tmp_path):
    plan = plan_of(tmp_path, HEADER + ";budget", row(anordnare="x" * 1001) + ";5")
    assert messages(plan) == [
        'Rad 1, kolumn "budget": Okänd kolumn. Rätta eller ta bort den.',
        f"Rad 1: Giltiga kolumner: {', '.join(ti.TRAINING_COLUMNS)}.",
        'Rad 2, kolumn "anordnare": Värdet är för långt (1001 tecken; högst 1000).',
    ]


def test_too_many_rows_is_refused_whole(tmp_path, monkeypatch):
    from bouv_tui.exchange import tables

    monkeypatch.setattr(tables, "MAX_ROWS", 3)
    lines = [row(start=f"2026-04-0{d}", slut=f"2026-04-0{d}") for d in range(1, 5)]
    with pytest.raises(ImportFileError, match='^Filen "utb.csv" har fler än 3 rader med data'):
        ti.read_training_table(write(tmp_path, HEADER, *lines))
    assert ti.read_training_table(write(tmp_path, HEADER, *lines[:3])).rows  # three: fine


def test_every_error_is_a_row_error_with_the_file_row(tmp_path):
    plan = plan_of(tmp_path, HEADER, "", row(platser="0"))
    assert plan.errors == [RowError(3, "platser", plan.errors[0].message)]


# --- the plan's year (``ar``) ---------------------------------------------------------------------


def test_the_plans_year_is_the_start_year_unless_ar_says_otherwise(tmp_path):
    over_new_year = row(start="2026-12-28", slut="2027-01-08")
    assert [t.training.year for t in plan_of(tmp_path, HEADER, over_new_year).trainings] == [2026]
    header = HEADER.replace("utbildning;", "utbildning;ar;", 1)
    with_year = over_new_year.replace("BBIC;", "BBIC;2027;", 1)
    planned = plan_of(tmp_path, header, with_year)
    assert planned.errors == [] and [t.training.year for t in planned.trainings] == [2027]
    empty_year = over_new_year.replace("BBIC;", "BBIC;;", 1)
    assert [t.training.year for t in plan_of(tmp_path, header, empty_year).trainings] == [2026]


@pytest.mark.parametrize("value", ["2000", "2100"])
def test_ar_at_its_limits_is_accepted(value):
    assert ti.parse_year(value) == int(value)


@pytest.mark.parametrize("value", ["1999", "2101", "26", "år 2026", "-2026"])
def test_ar_outside_its_limits_is_refused(value):
    with pytest.raises(InvalidValue) as caught:
        ti.parse_year(value)
    assert str(caught.value) == f'"{value}" är inget giltigt år. Ange ett år från 2000 till 2100, eller lämna tomt.'


def test_an_occasion_outside_the_year_of_ar_is_refused(tmp_path):
    header = HEADER.replace("utbildning;", "utbildning;ar;", 1)
    planned = plan_of(tmp_path, header, ROW.replace("BBIC;", "BBIC;2027;", 1))
    assert messages(planned) == [
        'Rad 2, kolumn "ar": Tillfället (2026-03-02–2026-03-04) ska börja eller sluta under 2027, planens år.'
    ]
    assert planned.trainings == []


# --- every message whole, every limit on both sides (what the mutation run left alive) ---------------

AREA_CHOICES = ", ".join(catalog.AREAS.codes())
PROVIDER_CHOICES = ", ".join(catalog.PROVIDER_TYPES.codes())


@pytest.mark.parametrize(
    "parse, text, message",
    [
        (ti.parse_kind, "", "En typ saknas. Ange utbildning, stod_handledning."),
        (ti.parse_kind, "kurs", '"kurs" är inte en typ. Ange utbildning, stod_handledning.'),
        (ti.parse_provider_type, "", f"En anordnartyp saknas. Ange {PROVIDER_CHOICES}."),
        (ti.parse_provider_type, "kommunen", f'"kommunen" är inte en anordnartyp. Ange {PROVIDER_CHOICES}.'),
        (ti.parse_status, "avbokad", '"avbokad" är inte en status. Ange planerad, pagar, genomford, installd.'),
        (ti.parse_funding, "Kommunförbundet", '"Kommunförbundet" är ingen finansiering som finns. Ange "Årets '
                                              'statsbidrag" (statsbidrag) eller "Egna medel" (egna_medel).'),
        (ti.parse_seats, "0", '"0" är inget giltigt antal platser. Ange ett heltal från 1 till 10\u00a0000, '
                              "eller lämna cellen tom."),
        (ti.parse_days, "−1", '"−1" är negativt. Ange 0 eller fler dagar.'),  # a typographic minus
        (ti.parse_days, "-1", '"-1" är negativt. Ange 0 eller fler dagar.'),
        (ti.parse_date, "", "Datum saknas. Skriv datumet som ÅÅÅÅ-MM-DD."),
        (ti.parse_areas, "annat: ", '"annat:" saknar en benämning. Skriv t.ex. "annat:Hedersrelaterat våld".'),
        (ti.parse_areas, "Hem:barn", f'"Hem:barn" är inget kunskapsområde. Ange områdets kod eller namn '
                                     f'({AREA_CHOICES}), eller "annat:Benämning".'),
        (ti.parse_areas, "annat", f'"annat" är inget kunskapsområde. Ange områdets kod eller namn ({AREA_CHOICES}), '
                                  'eller "annat:Benämning".'),
        (ti.parse_areas, "annat:" + "x" * 201, "Benämningen är för lång (201 tecken; högst 200)."),
    ],
)  # fmt: skip
def test_each_cell_is_refused_with_its_whole_message(parse, text, message):
    with pytest.raises(InvalidValue) as caught:
        parse(text)
    assert str(caught.value) == message


def test_a_free_area_keeps_a_colon_in_its_label_and_may_be_as_long_as_a_name():
    assert ti.parse_areas("annat:Våld: heder, samtal") == (("samtal",), ("Våld: heder",))
    assert ti.parse_areas("annat:" + "x" * 200) == ((), ("x" * 200,))


def test_an_empty_part_of_the_target_groups_is_skipped_not_the_end():
    assert ti.parse_groups(", arbetsledare") == ("arbetsledare",)
    assert ti.parse_groups("handlaggare;;arbetsledare") == ("handlaggare", "arbetsledare")


def test_missing_dates_are_said_per_column(tmp_path):
    plan = plan_of(tmp_path, HEADER, row(start="", slut=""))
    assert messages(plan) == [
        'Rad 2, kolumn "start": Datum saknas. Skriv datumet som ÅÅÅÅ-MM-DD.',
        'Rad 2, kolumn "slut": Datum saknas. Skriv datumet som ÅÅÅÅ-MM-DD.',
    ]


def test_provider_and_place_up_to_the_limit_with_their_spaces_folded(tmp_path):
    plan = plan_of(tmp_path, HEADER, row(anordnare="Social  styrelsen ", plats=" Stads   huset"))
    assert plan.ok, messages(plan)
    [item] = plan.trainings
    assert (item.training.provider, item.occasions[0].occasion.place) == ("Social styrelsen", "Stads huset")
    plan = plan_of(tmp_path, HEADER, row(anordnare="a" * 200, plats="p" * 200))
    assert plan.ok, messages(plan)
    assert (plan.trainings[0].training.provider, plan.trainings[0].occasions[0].occasion.place) == ("a" * 200, "p" * 200)
    plan = plan_of(tmp_path, HEADER, row(anordnare="a" * 201, plats="p" * 201))
    assert messages(plan) == [
        'Rad 2, kolumn "anordnare": Anordnaren är för lång (201 tecken; högst 200).',
        'Rad 2, kolumn "plats": Platsen är för lång (201 tecken; högst 200).',
    ]


def test_a_cell_of_exactly_the_longest_length_is_read(tmp_path):
    tags = "introduktion".ljust(1000)  # spaces count: the limit is on the cell as the file has it
    plan = plan_of(tmp_path, HEADER, row(taggar=tags))
    assert plan.ok, messages(plan)
    assert plan.trainings[0].training.tags == (rules.INTRODUCTION,)
    plan = plan_of(tmp_path, HEADER, row(taggar=tags + " "))
    assert messages(plan) == ['Rad 2, kolumn "taggar": Värdet är för långt (1001 tecken; högst 1000).']


def test_an_excel_error_value_is_refused_not_taken_as_text(tmp_path):
    plan = plan_of(tmp_path, HEADER, row(anordnare="#REF!"))
    assert messages(plan) == [
        'Rad 2, kolumn "anordnare": Cellen innehåller felvärdet #REF! från Excel, inte ett värde. Rätta formeln '
        "eller skriv in värdet i cellen."
    ]
    assert plan.trainings == []


def test_a_table_of_exactly_the_most_rows_is_planned_one_more_is_refused(monkeypatch):
    from bouv_tui.exchange import tables
    from bouv_tui.exchange.tables import Row, Table

    monkeypatch.setattr(ti, "MAX_ROWS", 3)  # the check of a table not read from a file
    monkeypatch.setattr(tables, "MAX_ROWS", 3)  # the message's figure
    lines = [row(start=f"2026-04-0{d}", slut=f"2026-04-0{d}", deltagare="") for d in range(1, 5)]
    rows = [Row(n, tuple(line.split(";"))) for n, line in enumerate(lines, start=2)]
    plan = ti.plan_training_import(Table("utb.csv", HEADER.split(";"), rows[:3]), STAFF, {})
    assert plan.ok and len(plan.trainings[0].occasions) == 3
    with pytest.raises(ImportFileError) as caught:
        ti.plan_training_import(Table("utb.csv", HEADER.split(";"), rows), STAFF, {})
    assert str(caught.value) == (
        'Filen "utb.csv" har fler än 3 rader med data, vilket är för många. Dela upp den i mindre filer.'
    )


def test_a_blank_row_is_skipped_and_the_rows_after_it_read():
    from bouv_tui.exchange.tables import Row, Table

    blank = Row(2, ("",) * len(HEADER.split(";")))
    plan = ti.plan_training_import(Table("utb.csv", HEADER.split(";"), [blank, Row(3, tuple(ROW.split(";")))]), STAFF, {})
    assert plan.ok, messages(plan)
    assert [(t.row, [o.row for o in t.occasions]) for t in plan.trainings] == [(3, [3])]


def test_the_columns_are_listed_in_the_files_order(tmp_path):
    header = HEADER.split(";")
    order = [header[i] for i in (9, 0, 1, 2, 3, 4, 8, 10)]  # slut first: not the catalogue's order, nor the alphabet's
    cells = dict(zip(header, ROW.split(";")))
    plan = plan_of(tmp_path, ";".join(order), ";".join(cells[c] for c in order))
    assert plan.ok, messages(plan)
    assert plan.columns == order


def test_errors_before_the_rows_are_read_come_in_the_files_row_order(tmp_path):
    header = "utbildning;;typ;omraden;anordnare;start;slut"  # no anordnartyp; the second heading empty
    plan = plan_of(
        tmp_path, header,
        "BBIC;;utbildning;utredning;SoS;2026-03-02;2026-03-02;över",  # a value right of the last heading
        "BBIC;under;utbildning;utredning;SoS;2026-03-03;2026-03-03",  # a value under the empty heading
    )  # fmt: skip
    assert messages(plan) == [
        'Rad 1, kolumn "anordnartyp": Kolumnen "anordnartyp" saknas i rubrikraden.',
        'Rad 2, kolumn "H": Kolumnen saknar rubrik men har värden. Ge den en rubrik eller ta bort värdena.',
        'Rad 3, kolumn "B": Kolumnen saknar rubrik men har värden. Ge den en rubrik eller ta bort värdena.',
    ]


def test_a_person_not_yet_stored_cannot_be_booked(tmp_path):
    staff = [*STAFF, StaffMember("Dan D", catalog.CASEWORKER, personal_id="P4", id=None)]
    plan = plan_of(tmp_path, HEADER, row(deltagare="P1, P4"), staff=staff)
    assert messages(plan) == ['Rad 2, kolumn "deltagare": Ingen person i personalregistret har personal_id "P4".']


def test_a_row_shorter_than_the_heading_has_empty_cells_at_its_end(tmp_path):
    short = ROW.rsplit(";", 1)[0]  # no deltagare cell at all
    plan = plan_of(tmp_path, HEADER, short)
    assert plan.ok, messages(plan)
    assert plan.trainings[0].occasions[0].book == ()
    short = ROW.rsplit(";", 2)[0]  # nor franvarodagar_per_deltagare
    assert plan_of(tmp_path, HEADER, short).trainings[0].occasions[0].occasion.days_away == 0.0


def test_a_year_without_a_stored_plan_is_planned_against_an_empty_one(tmp_path):
    plan = plan_of(tmp_path, HEADER, ROW, stored={2025: stored_plan(tmp_path)[2026]})
    assert plan.ok and list(plan.stored) == [2026]
    assert isinstance(plan.stored[2026], Plan) and plan.stored[2026].trainings == ()
    assert plan.trainings[0].shown is None


def test_the_start_year_up_to_2100(tmp_path):
    plan = plan_of(
        tmp_path, HEADER,
        row(start="2100-12-31", slut="2100-12-31", deltagare=""),
        row(start="2101-01-01", slut="2101-01-01", deltagare=""),
    )  # fmt: skip
    assert messages(plan) == [  # a date after 2100 is no date at all (domain.validation)
        'Rad 3, kolumn "start": "2101-01-01" är ett orimligt datum (tillåtet är 1900-01-01 till 2100-12-31).',
        'Rad 3, kolumn "slut": "2101-01-01" är ett orimligt datum (tillåtet är 1900-01-01 till 2100-12-31).',
    ]
    plan = plan_of(tmp_path, HEADER, row(start="2100-12-31", slut="2100-12-31", deltagare=""))
    assert plan.ok and plan.trainings[0].training.year == 2100


def test_each_training_remembers_its_first_row(tmp_path):
    plan = plan_of(
        tmp_path, HEADER, ROW,
        row(start="2027-01-10", slut="2027-01-11", deltagare=""),
        row(start="2026-09-01", slut="2026-09-01", deltagare=""),
    )  # fmt: skip
    assert [(t.training.year, t.row, [o.row for o in t.occasions]) for t in plan.trainings] == [
        (2026, 2, [2, 4]), (2027, 3, [3])
    ]


def test_an_occasion_added_to_a_stored_training_is_of_that_training(tmp_path):
    plan = plan_of(tmp_path, HEADER, ROW, row(start="2026-10-01", slut="2026-10-02"), stored=stored_plan(tmp_path))
    assert plan.ok, messages(plan)
    assert [(o.shown is None, o.occasion.training_id) for o in plan.trainings[0].occasions] == [(False, 7), (True, 7)]


def _stored_with_a_cancelled_occasion(tmp_path) -> dict[int, Plan]:
    """stored_plan's, with a cancelled occasion 71 on 2026-04-01 that nobody is on."""
    stored = stored_plan(tmp_path)[2026]
    cancelled = Occasion(7, date(2026, 4, 1), date(2026, 4, 1), rules.CANCELLED, id=71, version=1)
    return {2026: Plan(stored.trainings, [*stored.occasions, cancelled], stored.participants)}


NO_STATUS = "utbildning;typ;omraden;anordnare;anordnartyp;start;slut;platser;deltagare"
FULL = "BBIC;utbildning;utredning, samtal;Socialstyrelsen;stat_kommun_landsting;2026-03-02;2026-03-04;2;P3"
ON_CANCELLED = "BBIC;utbildning;utredning, samtal;Socialstyrelsen;stat_kommun_landsting;2026-04-01;2026-04-01;;P3"


@pytest.mark.parametrize("lines", [(FULL, ON_CANCELLED), (ON_CANCELLED, FULL)])
def test_every_occasion_is_checked_against_what_is_stored_after_one_that_is_refused(tmp_path, lines):
    plan = plan_of(tmp_path, NO_STATUS, *lines, stored=_stored_with_a_cancelled_occasion(tmp_path))
    full, cancelled = (2, 3) if lines[0] == FULL else (3, 2)
    assert sorted(messages(plan)) == sorted([
        f'Rad {full}, kolumn "platser": Tillfället har 2 platser, men 2 är redan bokade och 1 till står i deltagare.',
        # The stored occasion is cancelled: the file (without status) cannot book on it.
        f'Rad {cancelled}, kolumn "status": Tillfället är inställt: ingen kan bokas på det.',
    ])  # fmt: skip
    assert [e.row for e in plan.errors] == [2, 3]


def test_a_warning_for_a_person_who_left_before_the_start_not_on_the_first_day(tmp_path):
    staff = [
        StaffMember("Anna A", catalog.CASEWORKER, personal_id="P1", id=1, employed_until=date(2026, 3, 1)),
        StaffMember("Bo B", catalog.CASEWORKER, personal_id="P2", id=2, employed_until=date(2026, 3, 2)),
    ]
    plan = plan_of(tmp_path, HEADER, ROW, staff=staff)
    assert plan.ok
    assert [str(w) for w in plan.warnings] == [
        'Rad 2, kolumn "deltagare": P1 slutade 2026-03-01, före tillfällets start 2026-03-02.'
    ]


def test_an_empty_provider_is_said_by_its_column(tmp_path):
    planned = plan_of(tmp_path, HEADER, row(anordnare=" "))
    assert messages(planned) == ['Rad 2, kolumn "anordnare": Anordnare saknas.'] and planned.trainings == []

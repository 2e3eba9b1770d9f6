"""`bouv-tui export plan`: the year's plan as a workbook (read back with openpyxl), as the
training file's csv (the import's columns), and as an iCalendar file (parsed back with
icalendar): the figures, the dates, the UIDs, no names in the calendar unless asked, the
same bytes twice, and the command's exit codes and messages (nothing written on a refusal)."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from bouv_tui.cli import main
from bouv_tui.domain import plan as p
from bouv_tui.domain.plan import Occasion, Participant, Plan, Training
from bouv_tui.domain.roster import StaffMember
from bouv_tui.exchange.exporters import plan_export as pe
from bouv_tui.exchange.formats import PLAN, FormatError
from bouv_tui.services import PLAN_FORMATS, Workspace

#: The training file's columns as ``spec/INTERFACES.md`` lists them ("Training file").
INTERFACES_COLUMNS = (
    "utbildning", "typ", "omraden", "anordnare", "anordnartyp", "omfattning", "malgrupp", "taggar", "start",
    "slut", "platser", "status", "finansiering", "kostnad_fast", "kostnad_per_deltagare",
    "franvarodagar_per_deltagare", "deltagare",
)  # fmt: skip

ANNA = StaffMember("Anna Andersson", "handlaggare", 1, "P-001", "Team Nord")
BO = StaffMember("Bo Berg", "arbetsledare", 2, "P-002", "Ledning")
CECILIA = StaffMember("Cecilia Carlsson", "handlaggare", 3, None, "Team Syd")  # no personal_id
PEOPLE = {m.id: m for m in (ANNA, BO, CECILIA)}
NAMES = [m.name for m in PEOPLE.values()]


@pytest.fixture
def demo_db(tmp_path, monkeypatch):
    """The demo without its own training plan: this file's trainings are the only ones."""
    from conftest import write_demo_without_plan

    return write_demo_without_plan(tmp_path / "demo.sqlite", monkeypatch)


def hand_plan() -> Plan:
    """A multi-area training with an "Annat" area (two occasions, one cancelled), and a course
    of supervision paid by own funds, finished, with someone no longer in the roster (id 9)."""
    multi = Training(
        "Utredning och samtal", p.TRAINING, 2026, ("utredning", "samtal"), ("Hedersrelaterat våld",),
        "FoU Väst", "fou", 7.5, p.HP, (p.INTRODUCTION,), (p.CASEWORKERS, p.LEADERS), id=1, version=2,
    )  # fmt: skip
    support = Training("Handledning i grupp", p.SUPPORT, 2026, ("barns_utveckling",), (), "=Konsult AB",
                       "privat", 3, p.DAYS, (), (p.CASEWORKERS,), id=2)  # fmt: skip
    occasions = [
        Occasion(1, date(2026, 3, 2), date(2026, 3, 4), p.PLANNED, "Göteborg", 20, p.GRANT, 10_000, 1_500, 3.0,
                 id=11, version=4),
        Occasion(1, date(2026, 9, 1), date(2026, 9, 1), p.CANCELLED, "distans", 10, p.GRANT, 5_000, 0, 1.0,
                 id=12, version=1),
        Occasion(2, date(2026, 5, 10), date(2026, 6, 20), p.DONE, "", None, p.OWN_FUNDS, 0, 800, 1.5,
                 id=21, version=3),
    ]  # fmt: skip
    participants = [
        Participant(11, 1, p.ATTENDED, True),
        Participant(11, 2, p.BOOKED),
        Participant(11, 3, p.DROPPED),  # no seat
        Participant(12, 1, p.BOOKED),
        Participant(21, 1, p.ATTENDED, True),
        Participant(21, 9, p.ATTENDED),
        Participant(21, 2, p.ABSENT),  # no seat: not in the csv's deltagare
    ]
    return Plan([support, multi], occasions, participants)


# --- csv ------------------------------------------------------------------------------------------


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, as Swedish Excel opens it"
    text = data.decode("utf-8-sig")
    assert "\r\n" in text
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_the_csv_has_the_import_files_columns_and_one_row_an_occasion():
    rows = read_csv(pe.plan_csv(hand_plan(), PEOPLE))
    header, body = rows[0], rows[1:]
    assert [c for c in header if c not in ("ar", "plats")] == list(INTERFACES_COLUMNS)
    assert set(header) - set(INTERFACES_COLUMNS) == {"ar", "plats"}
    assert len(body) == 3
    by = [dict(zip(header, row)) for row in body]
    support, first, cancelled = by  # trainings in the plan's order (as read: by name), occasions by start
    assert first == {
        "utbildning": "Utredning och samtal", "ar": "2026", "typ": "utbildning",
        "omraden": "utredning;samtal;annat:Hedersrelaterat våld", "anordnare": "FoU Väst", "anordnartyp": "fou",
        "omfattning": "7,5 hp", "malgrupp": "handlaggare;arbetsledare", "taggar": "introduktion",
        "start": "2026-03-02", "slut": "2026-03-04", "plats": "Göteborg", "platser": "20", "status": "planerad",
        "finansiering": "statsbidrag", "kostnad_fast": "10000", "kostnad_per_deltagare": "1500",
        "franvarodagar_per_deltagare": "3", "deltagare": "P-001;P-002",  # Cecilia has no personal_id
    }  # fmt: skip
    assert cancelled["status"] == "installd" and cancelled["deltagare"] == "P-001" and cancelled["plats"] == "distans"
    assert support == {
        **support, "utbildning": "Handledning i grupp", "typ": "stod_handledning", "omraden": "barns_utveckling",
        "anordnare": "'=Konsult AB", "omfattning": "3 dagar", "platser": "", "finansiering": "egna_medel",
        "kostnad_fast": "0", "kostnad_per_deltagare": "800", "franvarodagar_per_deltagare": "1,5",
        "deltagare": "P-001", "taggar": "", "plats": "",  # Bo stayed away: no seat
    }  # fmt: skip


def test_the_csv_rows_follow_the_trainings_and_their_starts():
    plan = hand_plan()
    rows = read_csv(pe.plan_csv(plan, PEOPLE))[1:]
    assert [(r[0], r[9]) for r in rows] == [
        ("Handledning i grupp", "2026-05-10"), ("Utredning och samtal", "2026-03-02"),
        ("Utredning och samtal", "2026-09-01"),
    ]  # fmt: skip


def test_the_csv_names_no_one():
    data = pe.plan_csv(hand_plan(), PEOPLE)
    assert not any(name.encode() in data for name in NAMES)


@pytest.mark.parametrize(("value", "text"), [(7.5, "7,5"), (3.0, "3"), (7.25, "7,25"), (0.5, "0,5"), (12.0, "12")])
def test_numbers_of_days_and_credits_keep_every_decimal(value, text):
    assert pe.days_text(value) == text
    training = Training("X", p.TRAINING, 2026, extent=value, extent_unit=p.HP)
    assert pe.extent_text(training) == f"{text} hp"
    assert pe.extent_text(Training("X", p.TRAINING, 2026, extent=value)) == text
    assert pe.extent_text(Training("X", p.TRAINING, 2026)) == ""


def test_the_csv_reads_back_with_the_import_table_reader(tmp_path):
    from bouv_tui.exchange.tables import read_table

    target = tmp_path / "plan.csv"
    target.write_bytes(pe.plan_csv(hand_plan(), PEOPLE))
    table = read_table(target)
    assert list(table.headers) == list(pe.CSV_COLUMNS)
    assert len(table.rows) == 3


# --- xlsx -----------------------------------------------------------------------------------------


def workbook(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def sheet_rows(sheet) -> list[tuple]:
    return [tuple(c.value for c in row) for row in sheet.iter_rows()]


def test_the_workbook_has_occasions_participants_and_areas():
    book = workbook(pe.plan_xlsx(hand_plan(), PEOPLE, 2026))
    assert book.sheetnames == ["Tillfällen", "Deltagare", "Områden"]
    assert book.properties.title == "Utbildningsplan 2026"


def test_the_occasion_sheet_has_swedish_labels_real_dates_and_amounts_in_kronor():
    sheet = workbook(pe.plan_xlsx(hand_plan(), PEOPLE, 2026))["Tillfällen"]
    rows = sheet_rows(sheet)
    assert rows[0] == pe.OCCASION_HEADINGS
    support, first, cancelled = rows[1:]
    assert first == (
        "Utredning och samtal", "Utbildning", "Utredning, Samtal och relationer, Annat: Hedersrelaterat våld",
        "FoU Väst", "FoU", "7,5 hp", "Handläggare, Arbetsledare", "Introduktion",
        datetime(2026, 3, 2), datetime(2026, 3, 4), "Göteborg", 20, 2, "Planerad", "Årets statsbidrag",
        10_000, 1_500, 3, 13_000,  # 10 000 + 2 seats × 1 500: the one who dropped out holds no seat
    )  # fmt: skip
    assert cancelled[9:] == (datetime(2026, 9, 1), "Distans", 10, 1, "Inställd", "Årets statsbidrag", 5_000, 0, 1, 0)
    assert support[:6] == ("Handledning i grupp", "Stöd och handledning", "Barns och ungas utveckling och behov",
                           "=Konsult AB", "Privat", "3 dagar")  # fmt: skip
    assert support[11:] == (None, 2, "Genomförd", "Egna medel", 0, 800, 1.5, 1_600)
    provider = sheet.cell(row=2, column=4)
    assert provider.data_type == "s", "a text beginning with = is never a formula"
    start, cost = sheet.cell(row=3, column=9), sheet.cell(row=3, column=19)
    assert start.is_date and start.number_format == pe.DATE_FORMAT
    assert cost.number_format == pe.KRONOR
    assert sheet.cell(row=3, column=12).number_format == "General"  # seats: a plain number
    assert sheet.freeze_panes == "A2"


def test_column_widths_follow_what_is_written():
    sheet = workbook(pe.plan_xlsx(hand_plan(), PEOPLE, 2026))["Tillfällen"]
    areas = len("Utredning, Samtal och relationer, Annat: Hedersrelaterat våld")
    assert sheet.column_dimensions["C"].width == min(areas, 50) + 2  # capped at 50
    assert sheet.column_dimensions["A"].width == len("Utredning och samtal") + 2
    assert sheet.column_dimensions["I"].width == len("2026-03-02") + 2
    assert sheet.column_dimensions["L"].width == len("Platser") + 2  # the heading is wider than "20"


def test_the_participant_sheet_names_the_booked_people():
    rows = sheet_rows(workbook(pe.plan_xlsx(hand_plan(), PEOPLE, 2026))["Deltagare"])
    assert rows[0] == pe.PARTICIPANT_HEADINGS
    assert rows[1:] == [
        ("Handledning i grupp", datetime(2026, 5, 10), "(okänd person)", None, None,
         "Deltog", "Nej"),
        ("Handledning i grupp", datetime(2026, 5, 10), "Anna Andersson", "Handläggare",
         "Team Nord", "Deltog", "Ja"),
        ("Handledning i grupp", datetime(2026, 5, 10), "Bo Berg", "Arbetsledare", "Ledning", "Frånvarande", "Nej"),
        ("Utredning och samtal", datetime(2026, 3, 2), "Anna Andersson", "Handläggare",
         "Team Nord", "Deltog", "Ja"),
        ("Utredning och samtal", datetime(2026, 3, 2), "Bo Berg", "Arbetsledare", "Ledning",
         "Anmäld", "Nej"),
        ("Utredning och samtal", datetime(2026, 3, 2), "Cecilia Carlsson", "Handläggare",
         "Team Syd", "Avbröt", "Nej"),
        ("Utredning och samtal", datetime(2026, 9, 1), "Anna Andersson", "Handläggare",
         "Team Nord", "Anmäld", "Nej"),
    ]  # fmt: skip


def test_the_area_sheet_lists_under_areas_and_counts_distinct():
    rows = sheet_rows(workbook(pe.plan_xlsx(hand_plan(), PEOPLE, 2026))["Områden"])
    assert rows[0] == pe.AREA_HEADINGS
    # The cancelled occasion counts nowhere; occasion 11 (2 seats) is under three areas.
    assert rows[1:5] == [
        ("Barns och ungas utveckling och behov", 1, 1, 2), ("Utredning", 1, 1, 2),
        ("Samtal och relationer", 1, 1, 2), ("Annat: Hedersrelaterat våld", 1, 1, 2),
    ]  # fmt: skip
    assert rows[5] == (None, None, None, None)
    totals = p.totals(hand_plan())
    assert totals == p.Totals(4, 2, 8, 3)  # Anna, Bo and id 9: three people
    assert rows[6] == ("Listat under områden", 4, 4, 8)
    assert rows[7] == ("Unika (varje utbildning, tillfälle och person en gång)", 2, 2, 3)


def test_the_area_rows_add_up_to_the_listed_totals():
    plan = hand_plan()
    rows = pe.area_rows(plan)
    totals = p.totals(plan)
    assert sum(r[1] for r in rows) == totals.trainings_listed
    assert sum(r[3] for r in rows) == totals.seats_listed


def test_the_same_plan_gives_the_same_bytes():
    for fmt in PLAN_FORMATS:
        first = pe.plan_bytes(hand_plan(), PEOPLE, fmt, 2026, with_names=True, municipality_code="0180")
        assert first == pe.plan_bytes(hand_plan(), PEOPLE, fmt, 2026, with_names=True, municipality_code="0180"), fmt


def test_a_changed_figure_changes_the_bytes():
    from dataclasses import replace

    plan = hand_plan()
    changed = Plan(plan.trainings, [replace(o, cost_fixed=o.cost_fixed + 1, place=o.place + "x") for o in plan.occasions],
                   plan.participants)  # fmt: skip
    for fmt in PLAN_FORMATS:
        assert pe.plan_bytes(plan, PEOPLE, fmt, 2026) != pe.plan_bytes(changed, PEOPLE, fmt, 2026), fmt


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_workbook(tmp_path):
    source = tmp_path / "plan.xlsx"
    source.write_bytes(pe.plan_xlsx(hand_plan(), PEOPLE, 2026))
    subprocess.run(["soffice", "--headless", "--convert-to", "csv", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=120)  # fmt: skip
    text = (tmp_path / "plan.csv").read_text(encoding="utf-8", errors="replace")
    assert "Utredning och samtal" in text and "2026-03-02" in text


HOSTILE = {
    "training": '=HYPERLINK("http://x.example","klicka")',
    "provider": 'Bo & <Co> "AB"',
    "place": "\x01@Plats\x02",
    "person": "-Eva\x0bEk",
    "unit": "  +46 Team ",
}


def hostile_plan() -> tuple[Plan, dict[int, StaffMember]]:
    """Text that is markup, a formula, control characters, spaces at the ends, in every sheet."""
    people = {4: StaffMember(HOSTILE["person"], "handlaggare", 4, "P-4", HOSTILE["unit"]), **PEOPLE}
    training = Training(HOSTILE["training"], p.TRAINING, 2026, ("utredning",), ("<script>&",), HOSTILE["provider"],
                        "privat", 1, p.DAYS, id=7)  # fmt: skip
    occasion = Occasion(7, date(2026, 2, 2), date(2026, 2, 3), p.PLANNED, HOSTILE["place"], 5, p.GRANT, 100, 10, 1.0,
                        id=70)  # fmt: skip
    plan = hand_plan()
    return Plan([*plan.trainings, training], [*plan.occasions, occasion],
                [*plan.participants, Participant(70, 4), Participant(70, 1, p.DROPPED)]), people  # fmt: skip


def expected_cell(value):
    """What openpyxl reads back for a value the plan's sheets hold."""
    from bouv_tui.exchange.exporters.sheet_xml import clean_text

    if isinstance(value, str):
        return clean_text(value) or None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    return value


@pytest.mark.parametrize("make", [hand_plan, hostile_plan])
def test_every_cell_of_the_large_sheets_reads_back_as_the_values_with_their_formats(make):
    made = make()
    plan, people = made if isinstance(made, tuple) else (made, PEOPLE)
    data = pe.plan_xlsx(plan, people, 2026)
    book = workbook(data)
    sheets = {
        "Tillfällen": (pe.OCCASION_HEADINGS, [pe.occasion_values(plan, t, o) for t, o in pe.ordered(plan)], {15, 16, 18}),
        "Deltagare": (pe.PARTICIPANT_HEADINGS, pe.participant_values(plan, people), set()),
    }
    for name, (headings, rows, money) in sheets.items():
        sheet = book[name]
        assert sheet_rows(sheet) == [tuple(headings)] + [tuple(expected_cell(v) for v in row) for row in rows]
        assert sheet.max_row == len(rows) + 1 and sheet.auto_filter.ref == f"A1:{'S' if money else 'G'}{len(rows) + 1}"
        assert all(c.font.b for c in sheet[1]) and not any(c.font.b for row in sheet.iter_rows(min_row=2) for c in row)
        for row, values in zip(sheet.iter_rows(min_row=2), rows, strict=True):
            for col, (cell, value) in enumerate(zip(row, values)):
                wanted = pe.DATE_FORMAT if isinstance(value, date) else pe.KRONOR if col in money else "General"
                assert cell.number_format == wanted, (name, cell.coordinate)
                text = expected_cell(value) if isinstance(value, str) else None
                assert cell.quotePrefix == bool(text and text.startswith(pe._FORMULA_START)), (name, cell.coordinate)
                if text:
                    assert cell.data_type == "s", (name, cell.coordinate)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for entry in archive.namelist():
            if entry.endswith((".xml", ".rels")):
                ET.fromstring(archive.read(entry))  # well-formed, every part
        sheet_xml_text = b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in sheet_xml_text and b"<f " not in sheet_xml_text, "no formula anywhere"


def test_the_hostile_texts_read_back_without_what_xml_forbids():
    plan, people = hostile_plan()
    book = workbook(pe.plan_xlsx(plan, people, 2026))
    occasion = next(r for r in sheet_rows(book["Tillfällen"]) if r[0] == HOSTILE["training"])
    assert occasion[3] == 'Bo & <Co> "AB"' and occasion[10] == "@Plats"
    assert occasion[2] == "Utredning, Annat: <script>&"
    eva = next(r for r in sheet_rows(book["Deltagare"]) if r[2] == "-EvaEk")
    assert eva[4] == "  +46 Team " and eva[5] == "Anmäld"
    provider = book["Tillfällen"].cell(row=occasion_row(book, HOSTILE["training"]), column=1)
    assert provider.data_type == "s" and provider.quotePrefix, "a text beginning with = is never a formula"


def occasion_row(book, training: str) -> int:
    return next(i for i, r in enumerate(sheet_rows(book["Tillfällen"]), start=1) if r[0] == training)


def test_the_large_sheets_widths_come_from_every_row():
    plan, people = hostile_plan()
    sheet = workbook(pe.plan_xlsx(plan, people, 2026))["Deltagare"]
    assert sheet.column_dimensions["C"].width == len("Cecilia Carlsson") + 2
    assert sheet.column_dimensions["E"].width == len("  +46 Team ") + 2
    assert sheet.column_dimensions["B"].width == 10 + 2 and sheet.column_dimensions["G"].width == len("Genomförd") + 2


def test_a_sheet_above_excels_rows_is_refused_and_nothing_written(planned_db, tmp_path, monkeypatch, capsys):
    from bouv_tui.exchange.exporters import sheet_xml

    target = tmp_path / "plan.xlsx"
    # planned_db: two occasions (3 rows with the heading) and three participants (4 rows).
    monkeypatch.setattr(sheet_xml, "MAX_ROWS", 4)
    assert export(planned_db, "--year", "2026", "--output", str(target)) == 0
    assert len(sheet_rows(workbook(target.read_bytes())["Deltagare"])) == 4
    target.unlink()
    monkeypatch.setattr(sheet_xml, "MAX_ROWS", 3)
    assert export(planned_db, "--year", "2026", "--output", str(target)) == 1
    err = capsys.readouterr().err
    assert 'Bladet "Deltagare" skulle få 4 rader' in err and "högst 3 rader" in err and "Ingenting har sparats" in err
    assert "Traceback" not in err
    assert not target.exists() and sorted(x.name for x in tmp_path.iterdir() if x.name.startswith(".")) == []


# --- ics ------------------------------------------------------------------------------------------


def events(data: bytes) -> list:
    from icalendar import Calendar

    return [c for c in Calendar.from_ical(data).walk("VEVENT")]


def test_the_calendar_has_an_all_day_event_an_occasion():
    data = pe.plan_ics(hand_plan(), PEOPLE, 2026, municipality_code="0180")
    found = {str(e["uid"]): e for e in events(data)}
    assert set(found) == {"occasion-11-0180@bouv-tui", "occasion-12-0180@bouv-tui", "occasion-21-0180@bouv-tui"}
    first = found["occasion-11-0180@bouv-tui"]
    assert first.decoded("dtstart") == date(2026, 3, 2)
    assert first.decoded("dtend") == date(2026, 3, 5)  # exclusive: the day after the last
    assert b"DTSTART;VALUE=DATE:20260302" in data
    assert str(first["summary"]) == "Utredning och samtal"
    assert str(first["location"]) == "Göteborg"
    assert str(first["status"]) == "CONFIRMED"
    assert first["sequence"] == 4  # the occasion's version: an edit replaces the imported event
    assert first.decoded("dtstamp") == datetime(2026, 1, 1, tzinfo=timezone.utc)
    description = str(first["description"])
    assert "Anordnare: FoU Väst (FoU)" in description
    assert "Områden: Utredning, Samtal och relationer, Annat: Hedersrelaterat våld" in description
    assert "Typ: Utbildning" in description and "Bokade: 2 av 20 platser" in description
    one_day = found["occasion-21-0180@bouv-tui"]
    assert (one_day.decoded("dtstart"), one_day.decoded("dtend")) == (date(2026, 5, 10), date(2026, 6, 21))
    assert "location" not in one_day  # no place given


def test_a_cancelled_occasion_is_in_the_calendar_as_cancelled():
    cancelled = next(e for e in events(pe.plan_ics(hand_plan(), PEOPLE, 2026)) if str(e["uid"]) == "occasion-12@bouv-tui")
    assert str(cancelled["status"]) == "CANCELLED"
    assert str(cancelled["summary"]) == "INSTÄLLT: Utredning och samtal"
    assert str(cancelled["transp"]) == "TRANSPARENT"
    assert str(cancelled["location"]) == "Distans"
    assert (cancelled.decoded("dtstart"), cancelled.decoded("dtend")) == (date(2026, 9, 1), date(2026, 9, 2))


def test_the_calendar_names_no_one_unless_asked():
    without = pe.plan_ics(hand_plan(), PEOPLE, 2026)
    text = without.decode("utf-8")
    unfolded = text.replace("\r\n ", "")
    for name in NAMES:
        assert name not in unfolded
    assert "Deltagare" not in unfolded
    with_names = pe.plan_ics(hand_plan(), PEOPLE, 2026, with_names=True)
    first = next(e for e in events(with_names) if str(e["uid"]) == "occasion-11@bouv-tui")
    assert str(first["description"]).endswith(
        "Deltagare:\n- Anna Andersson (deltog)\n- Bo Berg (anmäld)\n- Cecilia Carlsson (avbröt)"
    )
    assert "ATTENDEE" not in with_names.decode()


def test_the_uid_names_the_occasion_and_the_municipality():
    occasion = hand_plan().occasions[0]
    assert pe.occasion_uid(occasion) == "occasion-11@bouv-tui"
    assert pe.occasion_uid(occasion, "1480") == "occasion-11-1480@bouv-tui"


def test_an_empty_plan_is_an_empty_calendar_and_a_heading_only_csv():
    assert events(pe.plan_ics(Plan(), {}, 2026)) == []
    assert read_csv(pe.plan_csv(Plan(), {})) == [list(pe.CSV_COLUMNS)]
    assert sheet_rows(workbook(pe.plan_xlsx(Plan(), {}, 2026))["Tillfällen"]) == [pe.OCCASION_HEADINGS]


def test_an_unknown_format_is_refused():
    with pytest.raises(FormatError, match="välj xlsx, csv eller ics"):
        pe.plan_bytes(hand_plan(), PEOPLE, "pdf", 2026)
    assert PLAN.of_name("plan.ICS") == "ics" and PLAN.of_name("plan.txt") is None


# --- the service and the command line --------------------------------------------------------------


@pytest.fixture
def planned_db(demo_db) -> Path:
    """The demo with one training of 2026 (two areas and an Annat area), two occasions (one
    cancelled) and three of the demo's people booked."""
    ws = Workspace(demo_db)
    try:
        course = ws.save_training(Training("Samtal med barn", p.TRAINING, 2026, ("samtal", "utredning"),
                                           ("Hedersrelaterat våld",), "FoU Väst", "fou", 3, p.DAYS))  # fmt: skip
        first = ws.save_occasion(Occasion(course.id, date(2026, 4, 1), date(2026, 4, 3), place="Malmö", seats=10,
                                          cost_fixed=9_000, cost_per_participant=500))  # fmt: skip
        ws.save_occasion(Occasion(course.id, date(2026, 10, 5), date(2026, 10, 5), status=p.CANCELLED))
        staff = [s for s in ws.staff() if s.personal_id][:3]
        assert ws.book(first.id, [s.id for s in staff]).ok
    finally:
        ws.close()
    return demo_db


def export(db: Path, *args: str) -> int:
    return main(["--db", str(db), "export", "plan", *args])


def booked_names(db: Path) -> list[str]:
    ws = Workspace(db)
    try:
        plan = ws.plan(2026)
        people = {s.id: s.name for s in ws.staff()}
        return [people[x.staff_id] for x in plan.participants]
    finally:
        ws.close()


@pytest.mark.parametrize("fmt", PLAN_FORMATS)
def test_cli_and_workspace_write_the_same_bytes(planned_db, tmp_path, fmt, capsys):
    target = tmp_path / f"cli.{fmt}"
    assert export(planned_db, "--year", "2026", "--output", str(target)) == 0
    assert f"Utbildningsplanen 2026 är sparad som {fmt} i {target}" in capsys.readouterr().out
    ws = Workspace(planned_db)
    try:
        other = ws.export_plan(2026, fmt, tmp_path / f"ws.{fmt}")
    finally:
        ws.close()
    assert target.read_bytes() == other.read_bytes()
    assert target.stat().st_mode & 0o777 == 0o600


def test_the_calendar_from_the_database_names_people_only_with_names(planned_db, tmp_path, capsys):
    names = booked_names(planned_db)
    assert len(names) == 3
    plain, named = tmp_path / "plan.ics", tmp_path / "named.ics"
    assert export(planned_db, "--year", "2026", "--output", str(plain)) == 0
    assert "Utan deltagarnas namn" in capsys.readouterr().out
    assert export(planned_db, "--year", "2026", "--output", str(named), "--with-names") == 0
    assert "Med deltagarnas namn." in capsys.readouterr().out
    plain_text = plain.read_bytes().decode().replace("\r\n ", "")
    named_text = named.read_bytes().decode().replace("\r\n ", "")
    assert not any(n in plain_text for n in names)
    assert all(n in named_text for n in names)
    assert [str(e["summary"]) for e in events(plain.read_bytes())] == ["Samtal med barn", "INSTÄLLT: Samtal med barn"]


def test_the_csv_from_the_database_lists_the_booked_personal_ids(planned_db, tmp_path):
    target = tmp_path / "plan.csv"
    assert export(planned_db, "--year", "2026", "--format", "csv", "--output", str(target)) == 0
    rows = read_csv(target.read_bytes())
    header = rows[0]
    first = dict(zip(header, rows[1]))
    ws = Workspace(planned_db)
    try:
        people = {s.id: s.personal_id for s in ws.staff()}
        expected = [people[x.staff_id] for x in ws.plan(2026).participants]
    finally:
        ws.close()
    assert first["deltagare"].split(";") == expected
    assert first["omraden"] == "samtal;utredning;annat:Hedersrelaterat våld"
    assert (first["kostnad_fast"], first["kostnad_per_deltagare"], first["plats"]) == ("9000", "500", "Malmö")


def test_another_year_is_an_empty_plan(planned_db, tmp_path):
    target = tmp_path / "plan.csv"
    assert export(planned_db, "--year", "2027", "--output", str(target)) == 0
    assert read_csv(target.read_bytes()) == [list(pe.CSV_COLUMNS)]


@pytest.mark.parametrize(("year", "ok"), [("1999", False), ("2000", True), ("2100", True), ("2101", False)])
def test_the_year_is_checked_on_both_sides_of_its_range(planned_db, tmp_path, year, ok, capsys):
    target = tmp_path / "plan.xlsx"
    assert export(planned_db, "--year", year, "--output", str(target)) == (0 if ok else 2)
    assert target.exists() is ok
    if not ok:
        assert f"--year ska vara ett år från 2000 till 2100, inte {year}." in capsys.readouterr().err


def test_an_unknown_format_is_a_usage_error_and_writes_nothing(planned_db, tmp_path, capsys):
    target = tmp_path / "plan.xlsx"
    assert export(planned_db, "--year", "2026", "--format", "pdf", "--output", str(target)) == 2
    assert "Okänt format 'pdf': välj xlsx, csv eller ics." in capsys.readouterr().err
    assert list(tmp_path.glob("plan*")) == []


def test_a_name_that_says_no_format_is_a_usage_error(planned_db, tmp_path, capsys):
    target = tmp_path / "plan.txt"
    assert export(planned_db, "--year", "2026", "--output", str(target)) == 2
    err = capsys.readouterr().err
    assert "Formatet framgår inte av filnamnet plan.txt: ange --format xlsx, csv eller ics" in err
    assert not target.exists()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_with_names_is_only_for_the_calendar(planned_db, tmp_path, fmt, capsys):
    target = tmp_path / f"plan.{fmt}"
    assert export(planned_db, "--year", "2026", "--output", str(target), "--with-names") == 2
    assert "--with-names gäller bara ics" in capsys.readouterr().err
    assert not target.exists()


def test_a_missing_folder_is_a_data_error_naming_it(planned_db, tmp_path, capsys):
    target = tmp_path / "saknas" / "plan.xlsx"
    assert export(planned_db, "--year", "2026", "--output", str(target)) == 1
    err = capsys.readouterr().err
    assert f"Mappen {tmp_path / 'saknas'} finns inte" in err and "Ingenting har sparats" in err
    assert "Traceback" not in err
    assert not target.parent.exists()


def test_a_read_only_folder_is_a_data_error_and_leaves_nothing(planned_db, tmp_path, capsys):
    folder = tmp_path / "låst"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        assert export(planned_db, "--year", "2026", "--output", str(folder / "plan.ics")) == 1
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)
    assert f"Mappen {folder} är skrivskyddad, så plan.ics kan inte sparas där" in capsys.readouterr().err


def test_a_read_only_file_is_kept(planned_db, tmp_path, capsys):
    target = tmp_path / "plan.csv"
    target.write_text("gammalt")
    target.chmod(0o444)
    assert export(planned_db, "--year", "2026", "--output", str(target)) == 1
    assert f"{target} är skrivskyddad. Ingenting har sparats" in capsys.readouterr().err
    assert target.read_text() == "gammalt"


def test_a_failed_write_leaves_the_old_file_and_no_temporary(planned_db, tmp_path, monkeypatch, capsys):
    import errno

    from bouv_tui.exchange import atomic

    target = tmp_path / "plan.xlsx"
    target.write_bytes(b"old")
    target.chmod(0o600)

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic, "write_atomically", full)
    assert export(planned_db, "--year", "2026", "--output", str(target)) == 1
    assert "disken är full" in capsys.readouterr().err
    assert target.read_bytes() == b"old"
    assert sorted(x.name for x in tmp_path.iterdir() if x.name.startswith(".")) == []


def test_the_export_reads_no_textual_and_no_sqlalchemy(planned_db, tmp_path):
    import sys

    code = (
        "import sys; from bouv_tui.cli import main; "
        f"rc = main(['--db', {str(planned_db)!r}, 'export', 'plan', '--year', '2026', '--output', "
        f"{str(tmp_path / 'p.xlsx')!r}]); "
        "print(rc, 'textual' in sys.modules, 'sqlalchemy' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.split()[-3:] == ["0", "False", "False"], done.stderr


SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "utbildningar.csv"


def test_the_exported_csv_imports_back_into_another_database_as_the_same_plan(demo_db, tmp_path, capsys):
    from bouv_tui.demo import write_demo

    from conftest import TODAY

    assert main(["--db", str(demo_db), "import", "trainings", str(SAMPLE)]) == 0
    first = tmp_path / "plan.csv"
    assert main(["--db", str(demo_db), "export", "plan", "--year", "2026", "--format", "csv", "--output", str(first)]) == 0
    # Into the same file: nothing to change.
    capsys.readouterr()
    assert main(["--db", str(demo_db), "import", "trainings", str(first)]) == 0
    assert "Klart: ingenting att ändra" in capsys.readouterr().out
    # Into another municipality's copy of the demo (same roster): the same plan, byte for byte.
    fresh = write_demo(tmp_path / "fresh.sqlite", staff=24, seed=1, today=TODAY)  # without its plan, as demo_db
    assert main(["--db", str(fresh), "import", "trainings", str(first)]) == 0
    again = tmp_path / "again.csv"
    assert main(["--db", str(fresh), "export", "plan", "--year", "2026", "--format", "csv", "--output", str(again)]) == 0
    assert again.read_bytes() == first.read_bytes()


# --- what the checks above leave open (mutation testing) -------------------------------------------


def test_plan_bytes_passes_the_calendars_options_and_names_no_one_by_default():
    plan = hand_plan()
    assert pe.plan_bytes(plan, PEOPLE, "ics", 2026) == pe.plan_ics(plan, PEOPLE, 2026)
    uids = {str(e["uid"]) for e in events(pe.plan_bytes(plan, PEOPLE, "ics", 2026))}
    assert uids == {"occasion-11@bouv-tui", "occasion-12@bouv-tui", "occasion-21@bouv-tui"}
    coded = pe.plan_bytes(plan, PEOPLE, "ics", 2026, municipality_code="0180", with_names=True)
    assert coded == pe.plan_ics(plan, PEOPLE, 2026, municipality_code="0180", with_names=True)
    assert b"occasion-11-0180@bouv-tui" in coded and "Anna Andersson" in coded.decode().replace("\r\n ", "")


def test_occasions_on_the_same_start_come_by_id_an_unsaved_one_first():
    course = Training("Kurs", p.TRAINING, 2026, ("utredning",), id=1)
    day = date(2026, 4, 1)
    occasions = [Occasion(1, day, day, id=5), Occasion(1, day, day, id=1), Occasion(1, day, day),
                 Occasion(1, day, day, id=3), Occasion(1, date(2026, 3, 1), date(2026, 3, 1), id=9)]  # fmt: skip
    assert [o.id for _, o in pe.ordered(Plan([course], occasions, []))] == [9, None, 1, 3, 5]


def test_a_training_without_provider_type_or_extent_has_them_empty():
    course = Training("Kurs", p.TRAINING, 2026, ("utredning",), (), "Region", id=1)
    occasion = Occasion(1, date(2026, 4, 1), date(2026, 4, 1), place="", seats=None, id=1)
    plan = Plan([course], [occasion], [])
    row = dict(zip(pe.CSV_COLUMNS, read_csv(pe.plan_csv(plan, {}))[1]))
    assert (row["anordnartyp"], row["omfattning"], row["platser"]) == ("", "", "")
    assert pe.event_description(plan, course, occasion, {}, False) == (
        "Anordnare: Region\nOmråden: Utredning\nTyp: Utbildning\nStatus: Planerad\nBokade: 0"
    )


def test_the_event_description_has_every_line():
    plan = hand_plan()
    multi, support = plan.training(1), plan.training(2)
    first, done = (next(o for o in plan.occasions if o.id == i) for i in (11, 21))
    assert pe.event_description(plan, multi, first, PEOPLE, False) == (
        "Anordnare: FoU Väst (FoU)\nOmråden: Utredning, Samtal och relationer, Annat: Hedersrelaterat våld\n"
        "Typ: Utbildning\nStatus: Planerad\nOmfattning: 7,5 hp\nBokade: 2 av 20 platser"
    )
    assert pe.event_description(plan, support, done, PEOPLE, False) == (
        "Anordnare: =Konsult AB (Privat)\nOmråden: Barns och ungas utveckling och behov\n"
        "Typ: Stöd och handledning\nStatus: Genomförd\nOmfattning: 3 dagar\nBokade: 2"  # no seats given
    )


def test_the_calendar_says_what_it_is_and_each_event_its_kind_and_busy_time():
    data = pe.plan_ics(hand_plan(), PEOPLE, 2026)
    for line in (b"PRODID:-//bouv-tui//Utbildningsplan//SV", b"VERSION:2.0", b"CALSCALE:GREGORIAN",
                 b"METHOD:PUBLISH", b"X-WR-CALNAME:Utbildningsplan 2026", b"DTSTAMP:20260101T000000Z"):  # fmt: skip
        assert line + b"\r\n" in data, line
    found = {str(e["uid"]): e for e in events(data)}
    first, done = found["occasion-11@bouv-tui"], found["occasion-21@bouv-tui"]
    assert [str(c) for c in first["categories"].cats] == ["Utbildning"]
    assert [str(c) for c in done["categories"].cats] == ["Stöd och handledning"]
    assert str(first["transp"]) == "OPAQUE" and str(done["transp"]) == "OPAQUE"


def test_participants_of_an_occasion_come_by_name_and_namesakes_as_booked():
    course = Training("Kurs", p.TRAINING, 2026, ("utredning",), id=1)
    occasion = Occasion(1, date(2026, 4, 1), date(2026, 4, 1), id=1)
    people = {
        1: StaffMember("Örjan Ek", "handlaggare", 1, "P-1", "Team Nord"),
        2: StaffMember("Anna Ek", "handlaggare", 2, "P-2", "Team Syd"),
        3: StaffMember("Anna Ek", "handlaggare", 3, "P-3", "Team Alfa"),
    }
    plan = Plan([course], [occasion], [Participant(1, 1), Participant(1, 2), Participant(1, 3)])
    assert [(r[2], r[4]) for r in pe.participant_values(plan, people)] == [
        ("Anna Ek", "Team Syd"), ("Anna Ek", "Team Alfa"), ("Örjan Ek", "Team Nord"),  # by name only, not by unit
    ]  # fmt: skip


def test_a_participant_is_named_and_labelled_each_row_and_an_unknown_status_shows_its_code():
    course = Training("Kurs", p.TRAINING, 2026, ("utredning",), id=1)
    days = [Occasion(1, date(2026, 4, d), date(2026, 4, d), id=d) for d in (1, 2)]
    plan = Plan([course], days, [Participant(1, 1, p.BOOKED), Participant(2, 1, "okand"), Participant(2, 9, p.ATTENDED)])
    assert [r[2:] for r in pe.participant_values(plan, PEOPLE)] == [
        ["Anna Andersson", "Handläggare", "Team Nord", "Anmäld", "Nej"],
        ["(okänd person)", "", "", "Deltog", "Nej"],
        ["Anna Andersson", "Handläggare", "Team Nord", "okand", "Nej"],
    ]


def test_an_area_counts_each_of_its_trainings_and_occasions_and_adds_their_seats():
    first = Training("Första", p.TRAINING, 2026, ("utredning",), id=1)
    second = Training("Andra", p.TRAINING, 2026, ("utredning", "samtal"), id=2)
    occasions = [Occasion(1, date(2026, 4, 1), date(2026, 4, 1), id=1), Occasion(1, date(2026, 5, 1), date(2026, 5, 1), id=2),
                 Occasion(2, date(2026, 6, 1), date(2026, 6, 1), id=3)]  # fmt: skip
    participants = [Participant(1, 1), Participant(1, 2), Participant(2, 3), Participant(3, 1)]
    assert pe.area_rows(Plan([first, second], occasions, participants)) == [
        ("Utredning", 2, 3, 4), ("Samtal och relationer", 1, 1, 1),
    ]  # fmt: skip


def test_the_row_limit_is_checked_before_the_workbook_is_made(monkeypatch):
    from bouv_tui.exchange.exporters import sheet_xml

    def made(*args):
        raise AssertionError("the workbook was made")

    monkeypatch.setattr(pe, "build_workbook", made)
    plan = hand_plan()  # "Deltagare": 7 rows and the heading
    monkeypatch.setattr(sheet_xml, "MAX_ROWS", 7)
    with pytest.raises(sheet_xml.TooManyRows, match='"Deltagare" skulle få 8 rader'):
        pe.plan_xlsx(plan, PEOPLE, 2026)
    monkeypatch.setattr(sheet_xml, "MAX_ROWS", 8)
    with pytest.raises(AssertionError, match="the workbook was made"):
        pe.plan_xlsx(plan, PEOPLE, 2026)


def test_a_number_excel_cannot_hold_is_refused_naming_the_sheet_and_cell():
    plan = hand_plan()
    broken = Plan(plan.trainings, [*plan.occasions[:2], Occasion(2, date(2026, 5, 10), date(2026, 5, 10), days_away=float("inf"), id=21)],
                  plan.participants)  # fmt: skip
    with pytest.raises(ValueError, match=r"^Tillfällen!R2: inf "):
        pe.plan_xlsx(broken, PEOPLE, 2026)


def test_the_large_sheets_dimension_is_their_last_cell():
    with zipfile.ZipFile(io.BytesIO(pe.plan_xlsx(hand_plan(), PEOPLE, 2026))) as archive:
        refs = [ET.fromstring(archive.read(f"xl/worksheets/sheet{i}.xml")).find(f"{{{NS}}}dimension").get("ref")
                for i in (1, 2)]  # fmt: skip
    assert refs == ["A1:S4", "A1:G8"]


NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def test_the_workbooks_entries_are_packed_at_zlibs_fastest_level():
    from bouv_tui.exchange.exporters.packing import deterministic_zip

    plan, people = many_occasions(200)
    data = pe.plan_xlsx(plan, people, 2026)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = [(i.filename, archive.read(i)) for i in archive.infolist()]
    assert data == deterministic_zip(entries, level=1)
    assert data != deterministic_zip(entries, level=None) and data != deterministic_zip(entries, level=9)


def many_occasions(count: int) -> tuple[Plan, dict[int, StaffMember]]:
    course = Training("Kurs", p.TRAINING, 2026, ("utredning",), id=1)
    occasions = [Occasion(1, date(2026, 1, 1 + i % 28), date(2026, 1, 1 + i % 28), place=f"Plats {i * 7919 % 97}",
                          cost_fixed=i * 131, id=i + 1) for i in range(count)]  # fmt: skip
    return Plan([course], occasions, [Participant(o.id, 1) for o in occasions]), PEOPLE


def test_the_workbooks_properties_say_who_made_it_and_when():
    book = workbook(pe.plan_xlsx(hand_plan(), PEOPLE, 2026))
    assert book.properties.creator == "bouv-tui"
    assert book.properties.created == datetime(2026, 1, 1) and book.properties.modified == datetime(2026, 1, 1)


def test_amount_and_number_columns_are_as_wide_as_their_widest_value():
    plan = hand_plan()
    big = Occasion(2, date(2026, 5, 10), date(2026, 5, 10), seats=12_345_678, cost_fixed=123_456_789, id=21)
    sheet = workbook(pe.plan_xlsx(Plan(plan.trainings, [*plan.occasions[:2], big], plan.participants), PEOPLE, 2026))
    columns = sheet["Tillfällen"].column_dimensions
    assert columns["P"].width == len("123 456 789 kr") + 2  # kronor as shown: spaces and " kr"
    assert columns["L"].width == len("12345678") + 2


def test_the_area_sheets_headings_and_totals_are_bold_and_the_note_under_them():
    sheet = workbook(pe.plan_xlsx(hand_plan(), PEOPLE, 2026))["Områden"]
    assert all(c.font.b for c in sheet[1]) and not any(c.font.b for row in sheet.iter_rows(min_row=2, max_row=5) for c in row)
    assert all(c.font.b for row in sheet.iter_rows(min_row=7, max_row=8) for c in row)
    assert sheet.max_row == 9 and sheet.cell(row=9, column=2).value is None
    assert sheet.cell(row=9, column=1).value == (
        "Inställda tillfällen räknas inte. I raden Unika är sista talet personer (varje person en gång), inte platser."
    )


def test_a_text_cell_is_text_whatever_it_begins_with():
    from openpyxl import Workbook

    cell = Workbook().active["A1"]
    pe._text_cell(cell, "=1+1")
    assert (cell.value, cell.data_type, cell.quotePrefix) == ("=1+1", "s", True)
    pe._text_cell(cell, "Anna")
    assert (cell.value, cell.data_type) == ("Anna", "s")

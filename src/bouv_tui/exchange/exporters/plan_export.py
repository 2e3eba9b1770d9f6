"""The year's training plan as files: an XLSX workbook for the staff, a CSV file in the
training file's import format (``spec/INTERFACES.md``, "Training file"), and an iCalendar
file of the occasions for a calendar such as Outlook.

Each is a function of a domain ``Plan`` and the people (``StaffMember`` by id) returning
bytes, the same bytes for the same input: the workbook carries a fixed date (1 January of
the plan's year) and its zip entries a fixed time, the calendar a fixed ``DTSTAMP``.

- **xlsx** (an internal workbook, with names): "Tillfällen" (one row an occasion, Swedish
  headings, dates as dates, amounts as numbers in kronor), "Deltagare" (one row a participant,
  whatever their status) and "Områden" (per area, and the totals both ways: listed under areas and distinct,
  ``domain.plan.totals``).
- **csv**: one row an occasion with the import file's column codes, semicolon-separated
  UTF-8 with BOM and CRLF like the roster's export (what Swedish Excel opens as is), so
  ``bouv-tui import trainings`` reads it back. ``deltagare`` holds the ``personal_id``s of
  those holding a seat (booked or attended; the file has no participant status); a
  participant without one cannot be named there and is left out.
- **ics**: one all-day event an occasion (the end exclusive, as iCalendar wants it), with a
  stable ``UID`` so that a calendar updates an imported event instead of adding a second
  one, and ``SEQUENCE`` the occasion's version so that an edited occasion replaces the old.
  A cancelled occasion stays in the file, ``STATUS:CANCELLED`` and its title beginning with
  "INSTÄLLT:", so that a calendar that had it shows it as cancelled. Participants' names are
  in the description only when asked (``with_names``); ``ATTENDEE`` needs an e-mail address,
  which the roster does not hold.

Nothing here imports openpyxl or icalendar until the format that needs it is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone

from bouv_tui.domain import catalog
from bouv_tui.domain import plan as rules
from bouv_tui.domain.plan import Occasion, Plan, Training
from bouv_tui.domain.roster import StaffMember
from bouv_tui.exchange.formats import PLAN
from bouv_tui.fmt import number

People = Mapping[int, StaffMember]

#: The csv file's columns, in order: the training file's (``INTERFACES.md``), with ``ar``
#: (named in its text: occasions of one training share ``utbildning`` and ``ar``) and
#: ``plats`` (the occasion's place or "distans") beside them.
CSV_COLUMNS = (
    "utbildning", "ar", "typ", "omraden", "anordnare", "anordnartyp", "omfattning", "malgrupp", "taggar",
    "start", "slut", "plats", "platser", "status", "finansiering", "kostnad_fast", "kostnad_per_deltagare",
    "franvarodagar_per_deltagare", "deltagare",
)  # fmt: skip
#: Inside a cell of the csv file: several codes or ids ("," or ";" are both read back; ";"
#: because an "Annat" area's label may hold a comma).
CELL_SEPARATOR = ";"
OTHER_AREA_PREFIX = "annat:"

#: The workbook's occasion sheet: heading, width hint (characters) for what is not measured.
OCCASION_HEADINGS = (
    "Utbildning", "Typ", "Områden", "Anordnare", "Anordnartyp", "Omfattning", "Målgrupp", "Taggar", "Start",
    "Slut", "Plats", "Platser", "Bokade", "Status", "Finansiering", "Kostnad fast", "Per deltagare",
    "Frånvarodagar per deltagare", "Total kostnad",
)  # fmt: skip
#: The occasion by its training and start (its end is on "Tillfällen"; a cell less a row of 25 000).
PARTICIPANT_HEADINGS = ("Utbildning", "Start", "Namn", "Roll", "Enhet", "Status", "Genomförd")
AREA_HEADINGS = ("Område", "Utbildningar", "Tillfällen", "Bokade platser")
#: Excel's number format for whole kronor (shown "12 500 kr" in a Swedish Excel).
KRONOR = '#,##0 "kr"'
DATE_FORMAT = "yyyy-mm-dd"
UNKNOWN_PERSON = "(okänd person)"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MAX_WIDTH = 50


def plan_bytes(plan: Plan, people: People, fmt: str, year: int, *, with_names: bool = False,
               municipality_code: str = "") -> bytes:  # fmt: skip
    """The plan of ``year`` as ``fmt`` (``exchange.formats.PLAN``); ``FormatError`` otherwise.
    ``with_names`` puts participants' names in the calendar (the workbook always has them,
    the csv file never: it names people by ``personal_id``)."""
    PLAN.check(fmt)
    if fmt == "xlsx":
        return plan_xlsx(plan, people, year)
    if fmt == "csv":
        return plan_csv(plan, people)
    return plan_ics(plan, people, year, with_names=with_names, municipality_code=municipality_code)


# --- what every format shows ---------------------------------------------------------------------


def ordered(plan: Plan) -> list[tuple[Training, Occasion]]:
    """Every occasion with its training: trainings by name (as read), occasions by start."""
    return [(t, o) for t in plan.trainings for o in sorted(plan.occasions_of(t.id), key=lambda o: (o.start, o.id or 0))]


def extent_text(training: Training) -> str:
    """``7,5 hp``, ``3 dagar``; empty without an extent (the import reads both back)."""
    if training.extent is None:
        return ""
    shown = days_text(training.extent)
    return f"{shown} {training.extent_unit}" if training.extent_unit else shown


def days_text(days: float) -> str:
    """A number of days or credits as the files write them: ``2``, ``1,5``, ``7,25``."""
    return str(int(days)) if float(days).is_integer() else repr(float(days)).replace(".", ",")


def _place(occasion: Occasion) -> str:
    return "Distans" if occasion.place.strip().lower() == "distans" else occasion.place


def _labels(catalogue, codes) -> str:
    return ", ".join(catalogue.label(c) for c in codes)


# --- csv --------------------------------------------------------------------------------------------


def csv_rows(plan: Plan, people: People) -> list[list[str]]:
    """The csv file's rows after the heading, in :data:`CSV_COLUMNS` order, as text."""
    from bouv_tui.exchange.staff_export import csv_text

    rows = []
    for training, occasion in ordered(plan):
        # Those holding a seat: the file has no participant status, and someone who dropped out
        # read back as booked would take a seat again.
        ids = [people[p.staff_id].personal_id for p in plan.participants_of(occasion.id)
               if p.takes_a_seat and p.staff_id in people]  # fmt: skip
        areas = list(training.areas) + [f"{OTHER_AREA_PREFIX}{label}" for label in training.other_areas]
        values = [
            training.name, str(training.year), training.kind, CELL_SEPARATOR.join(areas), training.provider,
            training.provider_type or "", extent_text(training), CELL_SEPARATOR.join(training.groups),
            CELL_SEPARATOR.join(training.tags), occasion.start.isoformat(), occasion.end.isoformat(),
            occasion.place, "" if occasion.seats is None else str(occasion.seats), occasion.status,
            occasion.funding, str(occasion.cost_fixed), str(occasion.cost_per_participant),
            days_text(occasion.days_away), CELL_SEPARATOR.join(i for i in ids if i),
        ]  # fmt: skip
        rows.append([csv_text(v) for v in values])
    return rows


def plan_csv(plan: Plan, people: People) -> bytes:
    """Semicolon-separated UTF-8 with BOM and CRLF line ends, as the roster's export."""
    import csv
    import io

    buffer = io.StringIO(newline="")
    # "\r\n" is also csv's default; said here because the format (INTERFACES.md) fixes it.
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")  # pragma: no mutate
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(plan, people))
    return buffer.getvalue().encode("utf-8-sig")  # pragma: no mutate ("UTF-8-SIG" names the same codec)


# --- xlsx -------------------------------------------------------------------------------------------


def occasion_values(plan: Plan, training: Training, occasion: Occasion) -> list:
    """One row of the "Tillfällen" sheet, in :data:`OCCASION_HEADINGS` order."""
    seated = len(plan.seated(occasion.id))
    return [
        training.name, rules.KINDS.label(training.kind), ", ".join(training.area_labels()), training.provider,
        catalog.PROVIDER_TYPES.label(training.provider_type), extent_text(training),
        _labels(rules.GROUPS, training.groups), _labels(rules.TAGS, training.tags), occasion.start, occasion.end,
        _place(occasion), occasion.seats, seated, rules.OCCASION_STATUSES.label(occasion.status),
        rules.FUNDING.label(occasion.funding), occasion.cost_fixed, occasion.cost_per_participant,
        occasion.days_away, occasion.cost(seated) if occasion.counts else 0,  # a cancelled occasion costs nothing
    ]  # fmt: skip


#: The "Tillfällen" columns written as kronor (0-based).
_MONEY_COLUMNS = {15, 16, 18}


def participant_values(plan: Plan, people: People) -> list[list]:
    """The "Deltagare" sheet's rows: every participant of every occasion (any status), by occasion and name."""
    shown: dict[int, tuple[str, str, str]] = {}  # a person's name, role and unit, found once
    # The labels by code, looked up once (25 000 rows at national scale). label(None) is "":
    # a dict of those is all misses, each labelled below with the same label.
    statuses = {code: rules.PARTICIPANT_STATUSES.label(code) for code in rules.PARTICIPANT_STATUSES.codes()}  # pragma: no mutate
    rows = []
    for training, occasion in ordered(plan):
        booked = []
        for p in plan.participants_of(occasion.id):
            person = shown.get(p.staff_id)  # pragma: no mutate (a cache: a miss looks the same person up again)
            if person is None:
                member = people.get(p.staff_id)
                person = shown[p.staff_id] = (
                    (member.name, catalog.ROLES.label(member.role), member.unit) if member else (UNKNOWN_PERSON, "", "")
                )
            status = statuses.get(p.status)  # pragma: no mutate (a cache: a miss is labelled below, the same label)
            if not status:
                status = rules.PARTICIPANT_STATUSES.label(p.status)
            booked.append([training.name, occasion.start, *person, status, "Ja" if p.completed else "Nej"])
        rows.extend(sorted(booked, key=lambda r: r[2]))
    return rows


def area_rows(plan: Plan) -> list[tuple[str, int, int, int]]:
    """Per area the plan lists (catalogue order, then "Annat" areas by label): the trainings,
    the occasions and the seats held, of occasions that are not cancelled. A training in
    three areas is in three rows: the rows add up to the totals "listed under areas"."""
    found: dict[tuple[int, str], tuple[set, set, list]] = {}
    order = {code: i for i, code in enumerate(catalog.AREAS.codes())}
    for occasion in plan.occasions:
        if not occasion.counts:
            continue
        training = plan.training(occasion.training_id)
        seats = len(plan.seated(occasion.id))
        keys = [(order[a], a) for a in training.areas] + [(len(order), label) for label in training.other_areas]
        for key in keys:
            trainings, occasions, held = found.setdefault(key, (set(), set(), [0]))
            trainings.add(training.id)
            occasions.add(occasion.id)
            held[0] += seats
    rows = []
    for (rank, area), (trainings, occasions, held) in sorted(found.items()):
        label = catalog.AREAS.label(area) if rank < len(order) else f"Annat: {area}"
        rows.append((label, len(trainings), len(occasions), held[0]))
    return rows


OCCASION_SHEET, PARTICIPANT_SHEET, AREA_SHEET = "Tillfällen", "Deltagare", "Områden"
#: zlib's fastest level: at national scale 0.04 s against the default's 0.13 s, for a file of
#: 1.1 MB instead of 0.95 MB.
_ZIP_LEVEL = 1


def plan_xlsx(plan: Plan, people: People, year: int) -> bytes:
    """The workbook. openpyxl writes it with the two large sheets ("Tillfällen", "Deltagare")
    holding their heading and a row of one cell each style; their rows are then written as
    XML in place of that (``sheet_xml``): some 200 000 cells at national scale, which openpyxl's
    cell objects and serialiser take ten times as long to write."""
    from bouv_tui.exchange.exporters import sheet_xml
    from bouv_tui.exchange.exporters.packing import deterministic_zip, workbook_entries

    large = {
        OCCASION_SHEET: (OCCASION_HEADINGS, [occasion_values(plan, t, o) for t, o in ordered(plan)], _MONEY_COLUMNS),
        PARTICIPANT_SHEET: (PARTICIPANT_HEADINGS, participant_values(plan, people), frozenset()),
    }
    for name, (_headings, rows, _money) in large.items():
        sheet_xml.check_rows(name, len(rows) + 1)  # before any work
    entries = workbook_entries(build_workbook(plan, year, large), _stamp(year))
    parts = sheet_xml.sheet_parts(entries)
    found = sheet_xml.cell_styles(entries[parts[OCCASION_SHEET]])
    styles = sheet_xml.Styles(heading=found["A1"], date=found["A2"], money=found["B2"], quoted=found["C2"])
    for name, (headings, rows, money) in large.items():
        letters = sheet_xml.column_letters(len(headings))
        xml = sheet_xml.rows_xml(name, headings, rows, styles, money=money)
        entries[parts[name]] = sheet_xml.splice_rows(entries[parts[name]], xml, f"{letters[-1]}{len(rows) + 1}")
    return deterministic_zip(entries.items(), level=_ZIP_LEVEL)


def build_workbook(plan: Plan, year: int, large: Mapping[str, tuple]):
    """The workbook as openpyxl writes it: properties, the area sheet whole, and the large
    sheets (``large``: name to headings, rows, money columns) with their widths, frozen
    heading and autofilter for all their rows, but only their heading in cells, and on
    "Tillfällen" a row of one cell each style the rows need (a date, kronor, a quoted text),
    which :func:`plan_xlsx` replaces with the rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.properties.creator = "bouv-tui"
    workbook.properties.title = f"Utbildningsplan {year}"
    workbook.properties.created = _stamp(year)
    bold = Font(bold=True)

    for index, (name, (headings, rows, money)) in enumerate(large.items()):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        sheet.title = name
        _frame(sheet, headings, rows, bold, money=money)
    styled = workbook[OCCASION_SHEET]
    styled.cell(row=2, column=1).number_format = DATE_FORMAT  # openpyxl writes a styled cell without a value
    styled.cell(row=2, column=2).number_format = KRONOR
    _text_cell(styled.cell(row=2, column=3), "=")

    areas = workbook.create_sheet(AREA_SHEET)
    area_table = [list(r) for r in area_rows(plan)]
    _frame(areas, AREA_HEADINGS, area_table, bold)
    for values in area_table:
        areas.append(values)
        for cell in areas[areas.max_row]:
            if isinstance(cell.value, str):
                _text_cell(cell, cell.value)
    totals = rules.totals(plan)
    live = sum(1 for o in plan.occasions if o.counts)
    below = len(area_table) + 3
    summary = [
        ("Listat under områden", totals.trainings_listed, sum(r[2] for r in area_table), totals.seats_listed),
        ("Unika (varje utbildning, tillfälle och person en gång)", totals.trainings, live, totals.people),
    ]
    for offset, (label, trainings, occasions, seats) in enumerate(summary):
        for col, value in enumerate((label, trainings, occasions, seats), start=1):
            cell = areas.cell(row=below + offset, column=col, value=value)
            cell.font = bold
    areas.cell(row=below + 2, column=1, value="Inställda tillfällen räknas inte. I raden Unika är sista talet "
               "personer (varje person en gång), inte platser.")  # fmt: skip
    return workbook


def _text_cell(cell, text: str) -> None:
    """Text, never a formula, whatever it begins with (quoted as Excel does when it does)."""
    cell.value = text
    cell.data_type = "s"
    if text.startswith(_FORMULA_START):
        cell.quotePrefix = True


def _frame(sheet, headings, rows, bold, *, money=frozenset()) -> None:
    """Headings in bold; the columns as wide as what ``rows`` show; the heading frozen and
    an autofilter over the heading and ``rows``."""
    from bouv_tui.exchange.exporters.sheet_xml import column_letters, column_widths

    letters = column_letters(len(headings))
    for letter, heading in zip(letters, headings):
        cell = sheet[f"{letter}1"]
        cell.value = heading
        cell.font = bold

    def shown(col: int, value) -> int:
        if isinstance(value, date):
            return 10
        if col in money:
            return len(number(value)) + 3
        if isinstance(value, str):
            return len(value)
        if value is None:
            return 0  # pragma: no mutate (every heading is wider than 1, and than len("None"))
        return len(str(value))

    for letter, width in zip(letters, column_widths(headings, rows, shown=shown, cap=_MAX_WIDTH)):
        sheet.column_dimensions[letter].width = width + 2
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{letters[-1]}{len(rows) + 1}"


def _stamp(year: int) -> datetime:
    return datetime(year, 1, 1)


# --- ics --------------------------------------------------------------------------------------------

PRODID = "-//bouv-tui//Utbildningsplan//SV"
CANCELLED_PREFIX = "INSTÄLLT: "


def occasion_uid(occasion: Occasion, municipality_code: str = "") -> str:
    """``occasion-12-0180@bouv-tui``: the same occasion has the same UID in every export, so
    a calendar updates it; the municipality code keeps two municipalities' ids apart."""
    code = f"-{municipality_code}" if municipality_code else ""
    return f"occasion-{occasion.id}{code}@bouv-tui"


def event_description(plan: Plan, training: Training, occasion: Occasion, people: People, with_names: bool) -> str:
    lines = [
        f"Anordnare: {training.provider}"
        + (f" ({catalog.PROVIDER_TYPES.label(training.provider_type)})" if training.provider_type else ""),
        f"Områden: {', '.join(training.area_labels())}",
        f"Typ: {rules.KINDS.label(training.kind)}",
        f"Status: {rules.OCCASION_STATUSES.label(occasion.status)}",
    ]
    if training.extent is not None:
        lines.append(f"Omfattning: {extent_text(training)}")
    seated = len(plan.seated(occasion.id))
    lines.append(f"Bokade: {seated}" + (f" av {occasion.seats} platser" if occasion.seats is not None else ""))
    if with_names:
        names = sorted(
            (people[p.staff_id].name if p.staff_id in people else UNKNOWN_PERSON, p.status)
            for p in plan.participants_of(occasion.id)
        )
        if names:
            lines.append("Deltagare:")
            lines.extend(f"- {name} ({rules.PARTICIPANT_STATUSES.label(status).lower()})" for name, status in names)
    return "\n".join(lines)


def plan_ics(plan: Plan, people: People, year: int, *, with_names: bool = False, municipality_code: str = "") -> bytes:
    from icalendar import Calendar, Event

    calendar = Calendar()
    # icalendar keeps a component's properties by name in any case and writes the names in
    # capitals: "PRODID" is "prodid", so the lines that name them are marked (the values, on
    # the next lines are mutated).
    calendar.add("prodid",  # pragma: no mutate (icalendar takes the name in any case)
                 PRODID)
    calendar.add("version",  # pragma: no mutate (icalendar takes the name in any case)
                 "2.0")
    calendar.add("calscale",  # pragma: no mutate (icalendar takes the name in any case)
                 "GREGORIAN")
    calendar.add("method",  # pragma: no mutate (icalendar takes the name in any case)
                 "PUBLISH")
    calendar.add("x-wr-calname",  # pragma: no mutate (icalendar takes the name in any case)
                 f"Utbildningsplan {year}")
    stamp = datetime(year, 1, 1, tzinfo=timezone.utc)  # pragma: no mutate (icalendar writes a DTSTAMP without a zone as UTC)
    for training, occasion in ordered(plan):
        event = Event()
        event.add("uid",  # pragma: no mutate (icalendar takes the name in any case)
                  occasion_uid(occasion, municipality_code))
        event.add("dtstamp",  # pragma: no mutate (icalendar takes the name in any case)
                  stamp)
        event.add("sequence",  # pragma: no mutate (icalendar takes the name in any case)
                  occasion.version)
        event.add("dtstart",  # pragma: no mutate (icalendar takes the name in any case)
                  occasion.start)
        event.add("dtend",  # pragma: no mutate (icalendar takes the name in any case)
                  occasion.end + timedelta(days=1))  # exclusive: the day after the last
        cancelled = occasion.status == rules.CANCELLED
        event.add("summary",  # pragma: no mutate (icalendar takes the name in any case)
                  (CANCELLED_PREFIX if cancelled else "") + training.name)
        if occasion.place:
            event.add("location",  # pragma: no mutate (icalendar takes the name in any case)
                      _place(occasion))
        event.add("description",  # pragma: no mutate (icalendar takes the name in any case)
                  event_description(plan, training, occasion, people, with_names))
        event.add("categories",  # pragma: no mutate (icalendar takes the name in any case)
                  [rules.KINDS.label(training.kind)])
        event.add("status",  # pragma: no mutate (icalendar takes the name in any case)
                  "CANCELLED" if cancelled else "CONFIRMED")
        event.add("transp",  # pragma: no mutate (icalendar takes the name in any case)
                  "TRANSPARENT" if cancelled else "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()

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


def total_cost(plan: Plan, occasion: Occasion) -> int:
    """What the occasion costs with the people holding a seat; a cancelled one costs nothing."""
    return occasion.cost(len(plan.seated(occasion.id))) if occasion.counts else 0


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
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_rows(plan, people))
    return buffer.getvalue().encode("utf-8-sig")


# --- xlsx -------------------------------------------------------------------------------------------


def occasion_values(plan: Plan, training: Training, occasion: Occasion) -> list:
    """One row of the "Tillfällen" sheet, in :data:`OCCASION_HEADINGS` order."""
    return [
        training.name, rules.KINDS.label(training.kind), ", ".join(training.area_labels()), training.provider,
        catalog.PROVIDER_TYPES.label(training.provider_type), extent_text(training),
        _labels(rules.GROUPS, training.groups), _labels(rules.TAGS, training.tags), occasion.start, occasion.end,
        _place(occasion), occasion.seats, len(plan.seated(occasion.id)), rules.OCCASION_STATUSES.label(occasion.status),
        rules.FUNDING.label(occasion.funding), occasion.cost_fixed, occasion.cost_per_participant,
        occasion.days_away, total_cost(plan, occasion),
    ]  # fmt: skip


#: The "Tillfällen" columns written as kronor (0-based).
_MONEY_COLUMNS = {15, 16, 18}


def participant_values(plan: Plan, people: People) -> list[list]:
    """The "Deltagare" sheet's rows: every participant of every occasion (any status), by occasion and name."""
    rows = []
    for training, occasion in ordered(plan):
        booked = []
        for p in plan.participants_of(occasion.id):
            person = people.get(p.staff_id)
            booked.append([
                training.name, occasion.start, person.name if person else UNKNOWN_PERSON,
                catalog.ROLES.label(person.role) if person else "", person.unit if person else "",
                rules.PARTICIPANT_STATUSES.label(p.status), "Ja" if p.completed else "Nej",
            ])  # fmt: skip
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


def build_workbook(plan: Plan, people: People, year: int):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.properties.creator = "bouv-tui"
    workbook.properties.title = f"Utbildningsplan {year}"
    workbook.properties.created = _stamp(year)
    bold = Font(bold=True)

    sheet = workbook.active
    sheet.title = "Tillfällen"
    rows = [occasion_values(plan, t, o) for t, o in ordered(plan)]
    _fill(sheet, OCCASION_HEADINGS, rows, bold, money=_MONEY_COLUMNS)

    _fill(workbook.create_sheet("Deltagare"), PARTICIPANT_HEADINGS, participant_values(plan, people), bold)

    areas = workbook.create_sheet("Områden")
    area_table = [list(r) for r in area_rows(plan)]
    _fill(areas, AREA_HEADINGS, area_table, bold)
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


def _fill(sheet, headings, rows, bold, *, money=frozenset()) -> None:
    """Headings in bold, then ``rows``: dates as dates, numbers as numbers (``money``: the
    columns shown as kronor), text never a formula; widths from what is written."""
    from openpyxl.utils import get_column_letter

    widths = [len(h) for h in headings]
    sheet.append(headings)
    for cell in sheet[1]:
        cell.font = bold
    for r, values in enumerate(rows, start=2):
        sheet.append(values)
        for col, value in enumerate(values):
            if isinstance(value, date):
                sheet.cell(row=r, column=col + 1).number_format = DATE_FORMAT
                shown = 10
            elif col in money:
                sheet.cell(row=r, column=col + 1).number_format = KRONOR
                shown = len(number(value)) + 3
            elif isinstance(value, str):
                if value.startswith(_FORMULA_START):
                    cell = sheet.cell(row=r, column=col + 1)
                    cell.data_type = "s"  # never a formula, whatever the text starts with
                    cell.quotePrefix = True
                shown = len(value)
            else:
                shown = 0 if value is None else len(str(value))
            if shown > widths[col]:
                widths[col] = shown
    for col, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(col)].width = min(width, _MAX_WIDTH) + 2
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions


def _stamp(year: int) -> datetime:
    return datetime(year, 1, 1)


def plan_xlsx(plan: Plan, people: People, year: int) -> bytes:
    from bouv_tui.exchange.exporters.xlsx_export import workbook_bytes

    return workbook_bytes(build_workbook(plan, people, year), _stamp(year))


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
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", f"Utbildningsplan {year}")
    stamp = datetime(year, 1, 1, tzinfo=timezone.utc)
    for training, occasion in ordered(plan):
        event = Event()
        event.add("uid", occasion_uid(occasion, municipality_code))
        event.add("dtstamp", stamp)
        event.add("sequence", occasion.version)
        event.add("dtstart", occasion.start)
        event.add("dtend", occasion.end + timedelta(days=1))  # exclusive: the day after the last
        cancelled = occasion.status == rules.CANCELLED
        event.add("summary", (CANCELLED_PREFIX if cancelled else "") + training.name)
        if occasion.place:
            event.add("location", _place(occasion))
        event.add("description", event_description(plan, training, occasion, people, with_names))
        event.add("categories", [rules.KINDS.label(training.kind)])
        event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()

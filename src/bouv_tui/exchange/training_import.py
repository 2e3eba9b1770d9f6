"""Reading and checking a training file (CSV or XLSX) before anything is stored.

Pure: no database, no Textual. One row an occasion (tillfälle) of a training; rows with the
same ``utbildning`` whose ``start`` falls in the same year are occasions of one training, and
the training's own columns (typ, omraden, anordnare, anordnartyp, omfattning, malgrupp,
taggar) must then agree. The columns are in ``spec/INTERFACES.md`` ("Training file").

:func:`plan_training_import` checks every cell and says what an import would do against the
trainings already stored for the file's years:

- a training is matched by its name (as written, spaces at the ends and doubled spaces
  ignored) and the year of its occasions; a stored one gets the file's values for the
  columns the file has (absent columns keep what is stored);
- an occasion is the same as a stored one of that training when its start and end are the
  same; it gets the file's values for the columns the file has; any other is added;
- the people in ``deltagare`` who are not on the occasion yet are booked (``anmäld``, or
  ``deltog`` on an occasion that is ``genomford``); no one is ever unbooked, and a person
  whose status is stored keeps it.

So a second import of the same file changes nothing (every row is "oförändrad"). The caller
stores the plan only when it has no errors (all or nothing).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path

from bouv_tui.domain import catalog
from bouv_tui.domain import plan as rules
from bouv_tui.domain.plan import Occasion, Plan, Training
from bouv_tui.domain.roster import StaffMember
from bouv_tui.domain import plan_input, validation
from bouv_tui.domain.validation import InvalidValue, parse_iso_date, parse_kronor, quote
from bouv_tui.exchange import tables
from bouv_tui.exchange.tables import (
    MAX_ROWS,
    ImportFileError,
    Row,
    RowError,
    Table,
    _too_many_rows,
    headerless_errors,
    map_headers,
    normalize_header,
    read_cell,
)

__all__ = [
    "TRAINING_COLUMNS", "ImportFileError", "TrainingImportPlan", "TrainingItem", "OccasionItem",
    "parse_kronor", "parse_extent", "parse_areas", "parse_seats", "parse_days", "plan_training_import",
    "read_training_table",
]  # fmt: skip

_show = quote

#: Longest accepted name of a training, provider or place, in characters.
MAX_NAME = 200
#: Most seats an occasion may have (a whole county's staff at one conference is fewer): the
#: occasion form's limit (``domain.plan_input``), as the file's.
MAX_SEATS = plan_input.MAX_SEATS
#: Highest cost accepted in a cost column, in whole kronor (``validation.MAX_KRONOR``).
MAX_KRONOR = validation.MAX_KRONOR
#: Longest extent accepted: högskolepoäng (a two-year master's) and days (a year).
MAX_EXTENT = {rules.HP: plan_input.MAX_HP, rules.DAYS: plan_input.MAX_DAYS}
#: Most days away a participant can be from work for one occasion.
MAX_DAYS_AWAY = plan_input.MAX_DAYS
#: The years an occasion may start in (the reporting years the app accepts).
MIN_YEAR, MAX_YEAR = 2000, 2100

NAME, YEAR, KIND, AREAS, PROVIDER, PROVIDER_TYPE, EXTENT, GROUPS, TAGS = (
    "utbildning", "ar", "typ", "omraden", "anordnare", "anordnartyp", "omfattning", "malgrupp", "taggar",
)  # fmt: skip
START, END, PLACE, SEATS, STATUS, FUNDING, COST_FIXED, COST_PER, DAYS_AWAY, PARTICIPANTS = (
    "start", "slut", "plats", "platser", "status", "finansiering", "kostnad_fast", "kostnad_per_deltagare",
    "franvarodagar_per_deltagare", "deltagare",
)  # fmt: skip

#: The columns of a training file, in the order INTERFACES lists them (``plats``, the
#: occasion's place or "distans", is the one column beyond them; ``ar``, the plan's year, is
#: optional: without it a training is in the year its occasion starts).
TRAINING_COLUMNS: tuple[str, ...] = (
    NAME, YEAR, KIND, AREAS, PROVIDER, PROVIDER_TYPE, EXTENT, GROUPS, TAGS, START, END, PLACE, SEATS, STATUS,
    FUNDING, COST_FIXED, COST_PER, DAYS_AWAY, PARTICIPANTS,
)  # fmt: skip
REQUIRED = (NAME, KIND, AREAS, PROVIDER, PROVIDER_TYPE, START, END)
#: The training's own columns: every row of one training must say the same in them.
TRAINING_OWN = (KIND, AREAS, PROVIDER, PROVIDER_TYPE, EXTENT, GROUPS, TAGS)

#: Other headings for a column (matched like the codes).
HEADING_ALIASES: dict[str, tuple[str, ...]] = {
    NAME: ("utbildningens namn", "kurs"),
    AREAS: ("område", "kunskapsområden", "kunskapsområde"),
    START: ("startdatum", "från"),
    END: ("slutdatum", "till"),
    STATUS: ("tillfällets status",),
}

_CODES_BY_KEY = {normalize_header(code): code for code in TRAINING_COLUMNS}
_CODES_BY_KEY.update({normalize_header(a): code for code, aliases in HEADING_ALIASES.items() for a in aliases})
_VALID = ", ".join(TRAINING_COLUMNS)


def _words(catalogue, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """Folded code or label → code."""
    # Run only at import, to build the tables below: mutmut forks after the import, before it
    # picks a mutant, so no test can reach a mutant of these lines (equivalents by mechanism).
    found = {}  # pragma: no mutate
    for entry in catalogue:
        found[normalize_header(entry.code)] = entry.code  # pragma: no mutate
        found[normalize_header(entry.label)] = entry.code  # pragma: no mutate
    found.update({normalize_header(word): code for word, code in (extra or {}).items()})  # pragma: no mutate
    return found


_KIND_WORDS = _words(rules.KINDS)
_AREA_WORDS = _words(catalog.AREAS, {"Regelverk och rättslig prövning": "regelverk"})
_PROVIDER_WORDS = _words(catalog.PROVIDER_TYPES, {"SKR": "skr", "SKL": "skr"})
_GROUP_WORDS = _words(rules.GROUPS)
_TAG_WORDS = _words(rules.TAGS)
_STATUS_WORDS = _words(rules.OCCASION_STATUSES)
_FUNDING_WORDS = _words(rules.FUNDING)
_UNIT_WORDS = {"hp": rules.HP, "hogskolepoang": rules.HP, "dagar": rules.DAYS, "dag": rules.DAYS}
_BOTH = frozenset({"bada", "alla", "bagge"})
_AREA_ORDER = {code: i for i, code in enumerate(catalog.AREAS.codes())}


def _choices(catalogue) -> str:
    return ", ".join(entry.code for entry in catalogue)


# --- cells ----------------------------------------------------------------------------------


def _split(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[,;]", value) if part.strip()]


def _parse_name(value: str) -> str:
    if not value:
        raise InvalidValue("Utbildningens namn saknas.")
    return _limited(" ".join(value.split()), "Namnet är för långt")


def _limited(value: str, too_long: str) -> str:
    if len(value) > MAX_NAME:
        raise InvalidValue(f"{too_long} ({len(value)} tecken; högst {MAX_NAME}).")
    return value


def _coded(words: Mapping[str, str], what: str, catalogue, value: str) -> str:
    """The code a cell names (``what`` is e.g. "en typ"); empty or unknown: InvalidValue."""
    if not value:
        raise InvalidValue(f"{what.capitalize()} saknas. Ange {_choices(catalogue)}.")
    code = words.get(normalize_header(value))
    if code is None:
        raise InvalidValue(f'"{_show(value)}" är inte {what}. Ange {_choices(catalogue)}.')
    return code


parse_kind = partial(_coded, _KIND_WORDS, "en typ", rules.KINDS)
parse_provider_type = partial(_coded, _PROVIDER_WORDS, "en anordnartyp", catalog.PROVIDER_TYPES)


def parse_status(value: str) -> str:
    if not value:
        return rules.PLANNED
    return _coded(_STATUS_WORDS, "en status", rules.OCCASION_STATUSES, value)


def parse_funding(value: str) -> str:
    if not value:
        return rules.GRANT
    code = _FUNDING_WORDS.get(normalize_header(value))
    if code is None:
        raise InvalidValue(
            f'"{_show(value)}" är ingen finansiering som finns. Ange "Årets statsbidrag" (statsbidrag) '
            'eller "Egna medel" (egna_medel).'
        )
    return code


def parse_areas(value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Area codes or labels, and ``annat:Label`` for a free area, separated by , or ;: the
    codes in the catalogue's order, the labels in the file's (each once)."""
    codes: set[str] = set()
    others: list[str] = []
    for part in _split(value):
        head, colon, label = part.partition(":")
        if colon and normalize_header(head) == "annat":
            label = " ".join(label.split())
            if not label:
                raise InvalidValue('"annat:" saknar en benämning. Skriv t.ex. "annat:Hedersrelaterat våld".')
            _limited(label, "Benämningen är för lång")
            if label not in others:
                others.append(label)
            continue
        code = _AREA_WORDS.get(normalize_header(part))
        if code is None:
            raise InvalidValue(
                f'"{_show(part)}" är inget kunskapsområde. Ange områdets kod eller namn '
                f'({_choices(catalog.AREAS)}), eller "annat:Benämning".'
            )
        codes.add(code)
    if not codes and not others:
        raise InvalidValue('Områden saknas. Ange minst ett kunskapsområde eller "annat:Benämning".')
    return tuple(sorted(codes, key=_AREA_ORDER.__getitem__)), tuple(others)


_DECIMAL = re.compile(r"\d{1,6}(?:[.,]\d{1,2})?")
_EXTENT = re.compile(r"(\d{1,6}(?:[.,]\d{1,2})?)\s*([^\W\d_]+)")


def parse_extent(value: str) -> tuple[float, str] | tuple[None, None]:
    """``7,5 hp`` or ``3 dagar`` (``högskolepoäng``, ``dag`` too): more than 0, at most
    MAX_EXTENT of the unit; empty → (None, None)."""
    if not value:
        return None, None
    match = _EXTENT.fullmatch(value)
    unit = _UNIT_WORDS.get(normalize_header(match.group(2))) if match else None
    if unit is None:
        raise InvalidValue(f'"{_show(value)}" är ingen omfattning. Skriv t.ex. "7,5 hp" eller "3 dagar".')
    number = Decimal(match.group(1).replace(",", "."))
    if not 0 < number <= MAX_EXTENT[unit]:
        raise InvalidValue(
            f'"{_show(value)}" är ingen möjlig omfattning: den ska vara mer än 0 och högst '
            f"{MAX_EXTENT[unit]} {unit}."
        )
    return float(number), unit


def parse_groups(value: str) -> tuple[str, ...]:
    """``handlaggare``, ``arbetsledare``, both (``handlaggare, arbetsledare`` or ``båda``);
    empty → handläggare."""
    if not value:
        return (rules.CASEWORKERS,)
    found = set()
    for part in re.split(r"[,;/]|\soch\s|\s\+\s", value):
        key = normalize_header(part)
        if not key:
            continue
        if key in _BOTH:
            found.update(rules.GROUPS.codes())
        elif key in _GROUP_WORDS:
            found.add(_GROUP_WORDS[key])
        else:
            raise InvalidValue(
                f'"{_show(part.strip())}" är ingen målgrupp. Ange handlaggare, arbetsledare eller båda.'
            )
    return tuple(code for code in rules.GROUPS.codes() if code in found)


def parse_tags(value: str) -> tuple[str, ...]:
    found = set()
    for part in _split(value):
        code = _TAG_WORDS.get(normalize_header(part))
        if code is None:
            raise InvalidValue(f'"{_show(part)}" är ingen tagg. Ange {_choices(rules.TAGS)}.')
        found.add(code)
    return tuple(code for code in rules.TAGS.codes() if code in found)


def parse_seats(value: str) -> int | None:
    """A whole number from 1 to MAX_SEATS; empty → None (as many as are booked)."""
    if not value:
        return None
    if not re.fullmatch(r"\d{1,9}", value) or not 1 <= int(value) <= MAX_SEATS:
        raise InvalidValue(
            f'"{_show(value)}" är inget giltigt antal platser. Ange ett heltal från 1 till '
            f"{MAX_SEATS:,}".replace(",", "\u00a0") + ", eller lämna cellen tom."
        )
    return int(value)


def parse_days(value: str) -> float:
    """Days away per participant: 0 or more, at most MAX_DAYS_AWAY, with a decimal comma
    (``1,5``); empty → 0."""
    if not value:
        return 0.0
    if not _DECIMAL.fullmatch(value):
        if value.startswith(("-", "−")):
            raise InvalidValue(f'"{_show(value)}" är negativt. Ange 0 eller fler dagar.')
        raise InvalidValue(f'"{_show(value)}" är inget antal dagar. Skriv t.ex. 2 eller 1,5.')
    days = Decimal(value.replace(",", "."))  # the pattern lets only numbers through
    if days > MAX_DAYS_AWAY:
        raise InvalidValue(f'"{_show(value)}" är för många dagar: högst {MAX_DAYS_AWAY}.')
    return float(days)


def parse_date(value: str) -> date:
    parsed = parse_iso_date(value)
    if parsed is None:
        raise InvalidValue("Datum saknas. Skriv datumet som ÅÅÅÅ-MM-DD.")
    return parsed


def parse_people(value: str) -> tuple[str, ...]:
    ids = _split(value)
    for i, personal_id in enumerate(ids):
        if personal_id in ids[:i]:
            raise InvalidValue(f'personal_id "{_show(personal_id)}" står två gånger.')
    return tuple(ids)


def _text(too_long: str, value: str) -> str:
    return _limited(" ".join(value.split()), too_long)


def _required_text(missing: str, too_long: str, value: str) -> str:
    if not value:
        raise InvalidValue(missing)
    return _limited(" ".join(value.split()), too_long)


def parse_year(value: str) -> int | None:
    """The plan's year (``ar``), MIN_YEAR–MAX_YEAR; empty: the year the occasion starts."""
    if not value:
        return None
    if not value.isdigit() or not MIN_YEAR <= int(value) <= MAX_YEAR:
        raise InvalidValue(f'"{_show(value)}" är inget giltigt år. Ange ett år från {MIN_YEAR} till {MAX_YEAR}, '
                           "eller lämna tomt.")  # fmt: skip
    return int(value)


#: Column → (parser, whether the text is checked as text first: no formula, no control or
#: invisible character). Numbers and dates are read by patterns that let nothing else through.
_PARSERS = {
    NAME: (_parse_name, True),
    KIND: (parse_kind, True),
    AREAS: (parse_areas, True),
    PROVIDER: (partial(_required_text, "Anordnare saknas.", "Anordnaren är för lång"), True),
    PROVIDER_TYPE: (parse_provider_type, True),
    EXTENT: (parse_extent, True),
    GROUPS: (parse_groups, True),
    TAGS: (parse_tags, True),
    YEAR: (parse_year, False),
    START: (parse_date, False),
    END: (parse_date, False),
    PLACE: (partial(_text, "Platsen är för lång"), True),
    SEATS: (parse_seats, False),
    STATUS: (parse_status, True),
    FUNDING: (parse_funding, True),
    COST_FIXED: (parse_kronor, False),
    COST_PER: (parse_kronor, False),
    DAYS_AWAY: (parse_days, False),
    PARTICIPANTS: (parse_people, True),
}


def _read_cell(column: str, raw: str):
    """The value of a cell; InvalidValue with the message for the user (``tables.read_cell``)."""
    return read_cell(raw, *_PARSERS[column])


# --- the plan ---------------------------------------------------------------------------------


@dataclass
class OccasionItem:
    """One occasion of the file: as it will be stored, the stored one it matches (or None), and
    the people to book on it (staff ids, with the status they get)."""

    occasion: Occasion
    shown: Occasion | None
    book: tuple[int, ...]
    status: str
    row: int

    @property
    def changed(self) -> bool:
        return self.shown is not None and self.occasion != self.shown

    @property
    def unchanged(self) -> bool:
        return self.shown is not None and not self.changed and not self.book


@dataclass
class TrainingItem:
    """One training of the file, with its occasions: as it will be stored and the stored one
    it matches (or None)."""

    training: Training
    shown: Training | None
    occasions: list[OccasionItem]
    row: int

    @property
    def changed(self) -> bool:
        return self.shown is not None and self.training != self.shown


@dataclass(slots=True)
class TrainingImportPlan:
    """What an import would do. Store it only when :attr:`ok`."""

    trainings: list[TrainingItem] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    #: What the plan was made against (``store.basis.training_basis``), set by the service.
    basis: object = None
    #: The stored plan of each year the file's trainings are in, as read for the plan.
    stored: dict[int, Plan] = field(default_factory=dict)
    columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def trainings_added(self) -> int:
        return sum(1 for t in self.trainings if t.shown is None)

    @property
    def trainings_updated(self) -> int:
        return sum(1 for t in self.trainings if t.changed)

    def _occasions(self) -> Iterable[OccasionItem]:
        return (o for t in self.trainings for o in t.occasions)

    @property
    def occasions_added(self) -> int:
        return sum(1 for o in self._occasions() if o.shown is None)

    @property
    def occasions_updated(self) -> int:
        return sum(1 for o in self._occasions() if o.changed)

    @property
    def participants_booked(self) -> int:
        return sum(len(o.book) for o in self._occasions())

    @property
    def unchanged(self) -> int:
        """Rows (occasions) that change nothing: the occasion is stored as the file says, its
        people are booked, and its training is unchanged."""
        return sum(1 for t in self.trainings if not t.changed for o in t.occasions if o.unchanged)

    @property
    def nothing_to_do(self) -> bool:
        return not (self.trainings_added or self.trainings_updated or self.occasions_added
                    or self.occasions_updated or self.participants_booked)  # fmt: skip


def read_training_table(path: Path) -> Table:
    """Read a training file (CSV or XLSX); raises :class:`ImportFileError`."""
    return tables.read_table(path, expected=[*TRAINING_COLUMNS, *(a for v in HEADING_ALIASES.values() for a in v)])


def _header_errors(table: Table) -> tuple[dict[str, int], list[RowError]]:
    index, errors = map_headers(table, _CODES_BY_KEY, _VALID)
    for code in REQUIRED:
        if code not in index:
            errors.append(RowError(table.header_row, code, f'Kolumnen "{code}" saknas i rubrikraden.'))
    return index, errors


_TRAINING_FIELDS = {
    KIND: ("kind",), AREAS: ("areas", "other_areas"), PROVIDER: ("provider",), PROVIDER_TYPE: ("provider_type",),
    EXTENT: ("extent", "extent_unit"), GROUPS: ("groups",), TAGS: ("tags",),
}  # fmt: skip
_OCCASION_FIELDS = {
    START: "start", END: "end", PLACE: "place", SEATS: "seats", STATUS: "status", FUNDING: "funding",
    COST_FIXED: "cost_fixed", COST_PER: "cost_per_participant", DAYS_AWAY: "days_away",
}  # fmt: skip


@dataclass
class _Group:
    """The rows of one training in the file."""

    name: str
    year: int
    row: int
    own: dict  # column → (value, cell text)
    occasions: list[tuple[int, dict, tuple[str, ...]]] = field(default_factory=list)  # row, values, people
    dates: dict = field(default_factory=dict)  # (start, end) → row


def _training_values(own: dict) -> dict:
    values = {}
    for column, (value, _text) in own.items():
        names = _TRAINING_FIELDS[column]
        if len(names) == 1:
            values[names[0]] = value
        else:
            values.update(zip(names, value))
    return values


def plan_training_import(
    table: Table,
    staff: Sequence[StaffMember],
    stored: Callable[[int], Plan] | Mapping[int, Plan],
) -> TrainingImportPlan:
    """Check every row of ``table`` and say what importing it would do, against ``staff``
    (``deltagare`` are their ``personal_id``\\ s) and ``stored``: the stored plan of a year
    (a function of the year, asked once for each year the file's occasions start in, or a
    mapping in which a missing year has no trainings)."""
    if len(table.rows) > MAX_ROWS:
        raise _too_many_rows(table.name)
    plan = TrainingImportPlan()
    index, header_errors = _header_errors(table)
    plan.columns = [code for code, _ in sorted(index.items(), key=lambda item: item[1])]
    plan.errors.extend(header_errors)
    plan.errors.extend(headerless_errors(table))
    if any(code not in index for code in REQUIRED):
        plan.errors.sort(key=lambda e: e.row)
        return plan
    present = [(code, index[code]) for code in TRAINING_COLUMNS if code in index]
    by_personal_id = {p.personal_id: p for p in staff if p.personal_id and p.id is not None}
    groups: dict[tuple[str, int], _Group] = {}
    for row in table.rows:
        if not "".join(row.cells).strip():
            continue
        _read_row(row, present, groups, by_personal_id, plan)
    if not plan.errors:
        by_id = {p.id: p for p in by_personal_id.values()}
        for group in groups.values():
            if group.year not in plan.stored:
                plan.stored[group.year] = (
                    stored.get(group.year, Plan()) if isinstance(stored, Mapping) else stored(group.year)
                )
            _plan_training(group, plan.stored[group.year], by_personal_id, by_id, plan)
    plan.errors.sort(key=lambda e: e.row)
    if plan.errors:
        plan.warnings.clear()
    return plan


def _read_row(row: Row, present, groups, by_personal_id, plan: TrainingImportPlan) -> None:
    cells = row.cells
    values: dict = {}
    texts: dict = {}
    errors: list[RowError] = []
    for code, i in present:
        raw = cells[i] if i < len(cells) else ""
        try:
            values[code] = _read_cell(code, raw)
        except InvalidValue as error:
            errors.append(RowError(row.number, code, str(error)))
        texts[code] = raw.strip()
    if START in values and END in values and values[END] < values[START]:
        errors.append(
            RowError(row.number, END, f"Slutdatum ({values[END].isoformat()}) är före startdatum "
                                      f"({values[START].isoformat()}).")
        )  # fmt: skip
    if START in values and not MIN_YEAR <= values[START].year <= MAX_YEAR:
        errors.append(RowError(row.number, START, f"Startåret ska vara från {MIN_YEAR} till {MAX_YEAR}."))
    year = values.get(YEAR)
    if year is not None and START in values and END in values and year not in (values[START].year, values[END].year):
        errors.append(RowError(row.number, YEAR, f"Tillfället ({values[START].isoformat()}–{values[END].isoformat()}) "
                                                 f"ska börja eller sluta under {year}, planens år."))  # fmt: skip
    people = values.get(PARTICIPANTS, ())
    for personal_id in people:
        if personal_id not in by_personal_id:
            errors.append(
                RowError(row.number, PARTICIPANTS, f'Ingen person i personalregistret har personal_id "{_show(personal_id)}".')
            )
    seats = values.get(SEATS)
    if seats is not None and len(people) > seats:
        errors.append(
            RowError(row.number, PARTICIPANTS, f"{len(people)} deltagare men bara {seats} platser på tillfället.")
        )
    if people and values.get(STATUS) == rules.CANCELLED:
        errors.append(
            RowError(row.number, PARTICIPANTS, "Tillfället är inställt: ingen kan bokas på det. Töm deltagare "
                                               "eller ändra status.")
        )  # fmt: skip
    if errors:
        plan.errors.extend(errors)
        return
    name, start, end = values[NAME], values[START], values[END]
    year = values.get(YEAR) or start.year
    key = (name, year)
    own = {code: (values[code], texts[code]) for code in TRAINING_OWN if code in values}
    group = groups.get(key)
    if group is None:
        group = groups[key] = _Group(name, year, row.number, own)
    else:
        for code, (value, text) in own.items():
            first, first_text = group.own[code]
            if value != first:
                plan.errors.append(
                    RowError(
                        row.number, code,
                        f'Utbildningen "{_show(name)}" ({year}) har "{_show(text)}" här men '
                        f'"{_show(first_text)}" på rad {group.row}. Alla rader för samma utbildning ska ha '
                        "samma värde i den kolumnen.",
                    )
                )  # fmt: skip
                return
    if (start, end) in group.dates:
        plan.errors.append(
            RowError(row.number, START, f"Tillfället {start.isoformat()}–{end.isoformat()} av "
                                        f'"{_show(name)}" finns redan på rad {group.dates[start, end]}.')
        )  # fmt: skip
        return
    group.dates[start, end] = row.number
    occasion_values = {attr: values[code] for code, attr in _OCCASION_FIELDS.items() if code in values}
    group.occasions.append((row.number, occasion_values, people))


def _plan_training(group: _Group, stored: Plan, by_personal_id, by_id, plan: TrainingImportPlan) -> None:
    values = _training_values(group.own)
    shown = next((t for t in stored.trainings if t.name == group.name), None)
    if shown is None:
        training = Training(group.name, values.pop("kind"), group.year, **values)
    else:
        training = replace(shown, **values)
    stored_occasions = {(o.start, o.end): o for o in reversed(stored.occasions_of(shown.id))} if shown else {}
    item = TrainingItem(training, shown, [], group.row)
    seated_in_file: dict[int, int] = {}  # staff id → the row of the first occasion they hold a seat on
    for row, occasion_values, people in group.occasions:
        ids = [by_personal_id[pid].id for pid in people]
        old = stored_occasions.get((occasion_values["start"], occasion_values["end"]))
        if old is None:
            occasion = Occasion(training_id=shown.id if shown else 0, **occasion_values)
            booked_before: set[int] = set()
            seated = set()
        else:
            occasion = replace(old, **occasion_values)
            booked_before = {p.staff_id for p in stored.participants_of(old.id)}
            seated = stored.seated(old.id)
        book = tuple(i for i in ids if i not in booked_before)
        if occasion.seats is not None and len(seated | set(book)) > occasion.seats:
            plan.errors.append(
                RowError(row, SEATS, f"Tillfället har {occasion.seats} platser, men {len(seated)} är redan bokade "
                                     f"och {len(book)} till står i deltagare.")
            )  # fmt: skip
            continue
        if book and occasion.status == rules.CANCELLED:
            plan.errors.append(RowError(row, STATUS, "Tillfället är inställt: ingen kan bokas på det."))
            continue
        if occasion.counts:
            for staff_id in ids:
                if staff_id in seated_in_file:
                    person = by_id[staff_id]
                    plan.warnings.append(
                        RowError(row, PARTICIPANTS, f'{person.personal_id} står också på tillfället på rad '
                                                    f"{seated_in_file[staff_id]} av samma utbildning.")
                    )  # fmt: skip
                else:
                    seated_in_file[staff_id] = row
        status = rules.ATTENDED if occasion.status == rules.DONE else rules.BOOKED
        for staff_id in book:
            person = by_id[staff_id]
            if person.employed_until is not None and person.employed_until < occasion.start:
                plan.warnings.append(
                    RowError(row, PARTICIPANTS, f"{person.personal_id} slutade {person.employed_until.isoformat()}, "
                                                f"före tillfällets start {occasion.start.isoformat()}.")
                )  # fmt: skip
        item.occasions.append(OccasionItem(occasion, old, book, status, row))
    plan.trainings.append(item)

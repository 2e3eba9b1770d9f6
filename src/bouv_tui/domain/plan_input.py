"""Checking what the chef typed into the training and occasion forms (F8): every field's
problem in Swedish, or the Training / Occasion it describes. The forms show a field's message
beside it as it is typed; the same functions check again on save."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from bouv_tui.domain import catalog
from bouv_tui.domain import plan as rules
from bouv_tui.domain.plan import Occasion, Training
from bouv_tui.domain.validation import InvalidValue, parse_iso_date, parse_kronor, quote, text_problem

MAX_NAME = 200
MAX_PROVIDER = 200
MAX_PLACE = 200
MAX_OTHER_AREAS = 3  # "Annat, ange vad": at most three labels a training
MAX_OTHER_LABEL = 100
MAX_SEATS = 10_000
MAX_HP = 120.0  # two years of full-time study
MAX_DAYS = 365.0
#: A training runs within a reporting year and the one after (a course over the turn of the year).
MAX_OCCASION_DAYS = 366

_DECIMAL = re.compile(r"\d+(?:[.,]\d+)?")


def parse_amount(text: str, what: str = "Beloppet") -> int:
    """Whole kronor read as a file's cell is (``validation.parse_kronor``), the message
    naming the field ``what``."""
    try:
        return parse_kronor(text)
    except InvalidValue as exc:
        raise InvalidValue(f"{what}: {exc}") from None


def parse_decimal(text: str, what: str, maximum: float) -> float | None:
    """A non-negative number with a decimal comma or point (``7,5``); empty is None."""
    value = text.strip()
    if not value:
        return None
    if not _DECIMAL.fullmatch(value):
        raise InvalidValue(f'{what}: "{quote(text)}" är inte ett tal. Skriv t.ex. 7,5.')
    number = float(value.replace(",", "."))
    if number > maximum:
        raise InvalidValue(f"{what}: högst {_decimal_words(maximum)}.")
    return number


def _decimal_words(value: float) -> str:
    return (f"{value:g}").replace(".", ",")


def parse_seats(text: str) -> int | None:
    """The number of seats, 1–MAX_SEATS; empty: as many as are booked."""
    value = text.strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_SEATS:
        raise InvalidValue(f'"{quote(value)}" är inget giltigt antal platser. Ange ett heltal från 1 till {MAX_SEATS}, '
                           "eller lämna tomt.")  # fmt: skip
    return int(value)


@dataclass(frozen=True)
class TrainingInput:
    """The training form's raw values: texts as typed, choices as codes, ticks as tuples."""

    name: str = ""
    kind: str | None = rules.TRAINING
    areas: tuple[str, ...] = ()
    other_areas: str = ""  # "Annat" labels, separated by ";"
    provider: str = ""
    provider_type: str | None = None
    extent: str = ""
    extent_unit: str | None = rules.DAYS
    tags: tuple[str, ...] = ()
    groups: tuple[str, ...] = (rules.CASEWORKERS,)

    @classmethod
    def from_training(cls, t: Training) -> "TrainingInput":
        return cls(
            t.name, t.kind, t.areas, "; ".join(t.other_areas), t.provider, t.provider_type,
            "" if t.extent is None else _decimal_words(t.extent), t.extent_unit or rules.DAYS, t.tags, t.groups,
        )  # fmt: skip


def check_training_input(
    data: TrainingInput, year: int, *, original: Training | None = None, taken: frozenset[str] = frozenset()
) -> tuple[Training | None, dict[str, str]]:
    """The training the form describes (for ``year``, keeping ``original``'s id and version),
    or None and field → message for every problem. ``taken``: the names of the year's other
    trainings (a name is one training a year)."""
    errors: dict[str, str] = {}
    name = " ".join(data.name.split())
    provider = " ".join(data.provider.split())
    if not name:
        errors["name"] = "Namn måste anges."
    elif len(name) > MAX_NAME:
        errors["name"] = f"Namnet är för långt (högst {MAX_NAME} tecken)."
    elif name in taken and (original is None or original.name != name):
        errors["name"] = f"Planen för {year} har redan en utbildning som heter {name}."
    if len(provider) > MAX_PROVIDER:
        errors["provider"] = f"Anordnaren är för lång (högst {MAX_PROVIDER} tecken)."
    for field, typed in (("name", name), ("provider", provider), ("other_areas", data.other_areas)):
        problem = text_problem(typed)
        if problem and field not in errors:
            errors[field] = problem
    if data.kind not in rules.KINDS:
        errors["kind"] = "Välj typ: utbildning eller stöd och handledning."
    if data.provider_type is not None and data.provider_type not in catalog.PROVIDER_TYPES:
        errors["provider_type"] = "Välj anordnartyp i listan."
    others = [" ".join(label.split()) for label in data.other_areas.split(";")]
    others = list(dict.fromkeys(label for label in others if label))
    if "other_areas" not in errors:
        if len(others) > MAX_OTHER_AREAS:
            errors["other_areas"] = f"Högst {MAX_OTHER_AREAS} egna områden (Annat), åtskilda med semikolon."
        elif any(len(label) > MAX_OTHER_LABEL for label in others):
            errors["other_areas"] = f"Ett eget område får vara högst {MAX_OTHER_LABEL} tecken."
    unknown = [a for a in data.areas if a not in catalog.AREAS]
    if unknown:
        errors["areas"] = f"Okänt område: {unknown[0]}."
    elif not data.areas and not others:
        errors["areas"] = "Välj minst ett område (eller skriv ett under Annat)."
    extent = None
    try:
        maximum = MAX_HP if data.extent_unit == rules.HP else MAX_DAYS
        extent = parse_decimal(data.extent, "Omfattningen", maximum)
    except InvalidValue as exc:
        errors["extent"] = str(exc)
    if extent is not None and extent <= 0:
        errors["extent"] = "Omfattningen ska vara större än 0, eller tom."
    if data.extent_unit not in rules.EXTENT_UNITS:
        errors["extent_unit"] = "Välj enhet: högskolepoäng eller dagar."
    bad_tags = [t for t in data.tags if t not in rules.TAGS]
    if bad_tags:
        errors["tags"] = f"Okänd tagg: {bad_tags[0]}."
    groups = [g for g in rules.GROUPS.codes() if g in data.groups]
    if not groups:
        errors["groups"] = "Välj minst en målgrupp: handläggare, arbetsledare eller båda."
    if errors:
        return None, errors
    order = catalog.AREAS.codes()
    training = Training(
        name, data.kind, year, tuple(sorted(set(data.areas), key=order.index)), tuple(others), provider,
        data.provider_type, extent, data.extent_unit if extent is not None else None,
        tuple(t for t in rules.TAGS.codes() if t in data.tags), tuple(groups),
    )  # fmt: skip
    if original is not None:
        training = replace(training, id=original.id, version=original.version)
    return training, {}


@dataclass(frozen=True)
class OccasionInput:
    """The occasion form's raw values."""

    start: str = ""
    end: str = ""
    place: str = ""
    seats: str = ""
    status: str | None = rules.PLANNED
    funding: str | None = rules.GRANT
    cost_fixed: str = ""
    cost_per_participant: str = ""
    days_away: str = ""

    @classmethod
    def from_occasion(cls, o: Occasion) -> "OccasionInput":
        return cls(
            o.start.isoformat(), o.end.isoformat(), o.place, "" if o.seats is None else str(o.seats), o.status,
            o.funding, _amount_words(o.cost_fixed), _amount_words(o.cost_per_participant),
            "" if not o.days_away else _decimal_words(o.days_away),
        )  # fmt: skip


def _amount_words(amount: int) -> str:
    return "" if not amount else str(amount)


def check_occasion_input(
    data: OccasionInput, training_id: int, year: int, *, original: Occasion | None = None,
    booked: int = 0,  # pragma: no mutate - seats are at least 1: none booked and one booked refuse alike
) -> tuple[Occasion | None, dict[str, str]]:
    """The occasion the form describes, for a training of ``year`` (it starts in that year
    or ends in it), or None and field → message. ``booked``: the people holding a seat
    already (the seats may not become fewer)."""
    errors: dict[str, str] = {}
    start = end = None
    for field, label in (("start", "Start"), ("end", "Slut")):
        try:
            day = parse_iso_date(getattr(data, field))
        except InvalidValue as exc:
            errors[field] = str(exc)
            continue
        if day is None:
            errors[field] = f"{label}datum måste anges (ÅÅÅÅ-MM-DD)."
        elif field == "start":
            start = day
        else:
            end = day
    if start is not None and end is not None:
        if end < start:
            errors["end"] = "Slutdatum kan inte vara före startdatum."
        elif (end - start).days >= MAX_OCCASION_DAYS:
            errors["end"] = f"Ett tillfälle kan vara högst {MAX_OCCASION_DAYS} dagar."
        elif start.year != year and end.year != year:
            errors["start"] = f"Tillfället ska börja eller sluta under {year}, planens år."
    place = " ".join(data.place.split())
    problem = text_problem(place)
    if problem:
        errors["place"] = problem
    elif len(place) > MAX_PLACE:
        errors["place"] = f"Platsen är för lång (högst {MAX_PLACE} tecken)."
    seats = None
    try:
        seats = parse_seats(data.seats)
    except InvalidValue as exc:
        errors["seats"] = str(exc)
    if seats is not None and seats < booked:
        errors["seats"] = f"{booked} är bokade: platserna kan inte bli färre än så."
    if data.status not in rules.OCCASION_STATUSES:
        errors["status"] = "Välj status i listan."
    if data.funding not in rules.FUNDING:
        errors["funding"] = "Välj finansiering i listan."
    amounts = {}
    for field, what in (("cost_fixed", "Den fasta kostnaden"), ("cost_per_participant", "Kostnaden per deltagare")):
        try:
            amounts[field] = parse_amount(getattr(data, field), what)
        except InvalidValue as exc:
            errors[field] = str(exc)
    try:
        days = parse_decimal(data.days_away, "Frånvarodagarna", MAX_DAYS)
    except InvalidValue as exc:
        errors["days_away"] = str(exc)
    if errors:
        return None, errors
    occasion = Occasion(
        training_id, start, end, data.status, place, seats, data.funding, amounts["cost_fixed"],
        amounts["cost_per_participant"], days or 0.0,
    )  # fmt: skip
    if original is not None:
        occasion = replace(occasion, id=original.id, version=original.version)
    return occasion, {}


def shift_year(day: date, years: int = 1) -> date:
    """The same day ``years`` later (29 February: the 28th)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def copied_to_next_year(training: Training, occasions: list[Occasion]) -> tuple[Training, list[Occasion]]:
    """A training copied to the year after: the same content, no id; its occasions a year
    later, planned, with the same seats, funding and cost, and nobody booked."""
    copy = replace(training, year=training.year + 1, id=None, version=0)
    moved = [
        replace(o, start=shift_year(o.start), end=shift_year(o.end), status=rules.PLANNED, id=None, version=0)
        for o in occasions
        if o.status != rules.CANCELLED
    ]
    return copy, moved

"""What-if (F9, issue 15): a scenario switches planned lines and occasions out, changes
amounts and adds hypothetical trainings, over the real expenses and apart from them.

A scenario is the user's data: the budget keeps it as JSON (``scenario_to_json``), reads it
back with every field checked (``scenario_from_json``), and applies it to the real lines only
when the chef says so. ``apply_scenario`` never changes a line it is given: it answers with
the lines the figures and the forecast are then computed from. What was committed or paid is
a fact a scenario cannot switch off. Nothing here reads a file or the database.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from bouv_tui.domain import catalog
from bouv_tui.domain.budget import HYPOTHETICAL, PAID, PLANNED, Expense, day_text, kronor

FORMAT, FORMAT_VERSION = "bouv-tui/scenario", 1
YEARS = (2000, 2100)  # the years a scenario may be for, both included


@dataclass(frozen=True)
class HypotheticalTraining:
    """A training the chef is thinking of: one planned line, never stored as an expense."""

    name: str
    day: date
    amount: int  # whole kronor
    cost_type: str
    source_id: int | None


@dataclass(frozen=True)
class Scenario:
    """A named what-if for a year: the expense ids and occasion ids switched off, new amounts
    per expense id, and hypothetical trainings. Each change returns a new scenario."""

    name: str
    year: int
    off_expenses: frozenset[int] = frozenset()
    off_occasions: frozenset[int] = frozenset()
    amounts: Mapping[int, int] = field(default_factory=dict)
    trainings: tuple[HypotheticalTraining, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Nothing switched off, changed or added: applying it changes nothing."""
        return not (self.off_expenses or self.off_occasions or self.amounts or self.trainings)

    def toggle_expense(self, expense_id: int) -> Scenario:
        """The expense switched off, or on again when it was off."""
        return replace(self, off_expenses=self.off_expenses ^ {expense_id})

    def toggle_occasion(self, occasion_id: int) -> Scenario:
        """The occasion's planned lines switched off, or on again when they were off."""
        return replace(self, off_occasions=self.off_occasions ^ {occasion_id})

    def with_amount(self, expense_id: int, amount: int | None) -> Scenario:
        """The expense at ``amount`` kronor; None takes the change back."""
        amounts = {k: v for k, v in self.amounts.items() if k != expense_id}
        if amount is not None:
            amounts[expense_id] = amount
        return replace(self, amounts=amounts)

    def with_training(self, training: HypotheticalTraining) -> Scenario:
        return replace(self, trainings=(*self.trainings, training))

    def without_training(self, index: int) -> Scenario:
        """The hypothetical training at ``index`` (in the order they were added) taken out."""
        return replace(self, trainings=self.trainings[:index] + self.trainings[index + 1 :])


def switched_off(expense: Expense, scenario: Scenario) -> bool:
    """Whether ``scenario`` takes ``expense`` out: a planned line switched off itself or with
    its occasion. A committed or paid line is never switched off."""
    if expense.status != PLANNED:
        return False
    return expense.id in scenario.off_expenses or (
        expense.occasion_id is not None and expense.occasion_id in scenario.off_occasions
    )


def apply_scenario(expenses: Iterable[Expense], scenario: Scenario) -> list[Expense]:
    """The lines as the scenario would have them, in their order: the planned ones it switches
    off left out, the new amounts put on planned and committed lines (a paid line's amount is
    what was paid), and after them a planned line per hypothetical training (id None, its name
    as the note, origin ``HYPOTHETICAL``). The lines given are not changed."""
    found = []
    for expense in expenses:
        if switched_off(expense, scenario):
            continue
        amount = scenario.amounts.get(expense.id)  # a line without an id (None) has no new amount
        if amount is not None and expense.status != PAID:
            expense = replace(expense, amount=amount)
        found.append(expense)
    found += [
        # PLANNED is Expense's default status, said for the reader: the line is the same without it.
        Expense(t.day, t.amount, t.cost_type, t.source_id, PLANNED, note=t.name, origin=HYPOTHETICAL)  # pragma: no mutate
        for t in scenario.trainings
    ]
    return found


def fold_paid(expenses: Iterable[Expense]) -> list[Expense]:
    """The paid lines summed per source, cost type, day and kind (tied to an occasion or
    recurring), one line each; the others as they are. A scenario never changes a paid line,
    and the figures, the forecast and the months read only those sums, so a what-if can work
    them out again from the few lines it can change and these (at national scale some 17 000
    paid lines fold into a few thousand)."""
    sums: dict[tuple, int] = {}
    kept = []
    for e in expenses:
        if e.status != PAID:
            kept.append(e)
            continue
        recurring = e.occasion_id is None and e.origin is None
        key = (e.source_id, e.cost_type, e.day, recurring)
        sums[key] = sums.get(key, 0) + e.amount
    folded = [
        Expense(day, amount, cost_type, source_id, PAID, None if recurring else 0)
        for (source_id, cost_type, day, recurring), amount in sums.items()
    ]
    return kept + folded


# --- what the panel says ----------------------------------------------------------------------------------


def _what(expense: Expense) -> str:
    label = catalog.COST_TYPES.label(expense.cost_type).lower()
    what = f"{expense.note} ({label})" if expense.note else label.capitalize()
    return f"{what} {day_text(expense.day)}"


def describe_scenario(
    scenario: Scenario, expenses: Sequence[Expense], occasion_names: Mapping[int, str] | None = None
) -> list[str]:
    """What ``scenario`` changes in ``expenses``, a line each, for the what-if panel: the
    occasions and the lines switched off (with their planned kronor), the amounts changed, the
    hypothetical trainings; and what it cannot do (a line gone since, one committed or paid).
    ``occasion_names``: an occasion's name by id (otherwise "tillfälle N")."""
    names = occasion_names or {}
    by_id = {e.id: e for e in expenses if e.id is not None}
    lines = []
    for occasion_id in sorted(scenario.off_occasions):
        name = names.get(occasion_id, f"tillfälle {occasion_id}")
        off = [e for e in expenses if e.occasion_id == occasion_id and e.status == PLANNED]
        if not off:
            lines.append(f"{name.capitalize()} har inga planerade rader att stänga av.")
            continue
        rows = "planerad rad" if len(off) == 1 else "planerade rader"
        lines.append(f"Avstängt: {name}, {len(off)} {rows}, {kronor(sum(e.amount for e in off))}.")
    for expense_id in sorted(scenario.off_expenses):
        expense = by_id.get(expense_id)
        if expense is None:
            lines.append(f"Rad {expense_id} finns inte längre.")
        elif expense.status != PLANNED:
            status = "betald" if expense.status == PAID else "åtagen"
            lines.append(f"{_what(expense)} är {status} och kan inte stängas av.")
        elif expense.occasion_id not in scenario.off_occasions:
            lines.append(f"Avstängd: {_what(expense)}, {kronor(expense.amount)}.")
    for expense_id, amount in sorted(scenario.amounts.items()):
        expense = by_id.get(expense_id)
        if expense is None:
            lines.append(f"Rad {expense_id} finns inte längre.")
        elif expense.status == PAID:
            lines.append(f"{_what(expense)} är betald: beloppet {kronor(expense.amount)} ändras inte.")
        elif not switched_off(expense, scenario):
            lines.append(f"Nytt belopp: {_what(expense)}, {kronor(expense.amount)} blir {kronor(amount)}.")
    for t in scenario.trainings:
        label = catalog.COST_TYPES.label(t.cost_type).lower()
        lines.append(f"Tänkt utbildning: {t.name} ({label}) {day_text(t.day)}, {kronor(t.amount)}.")
    return lines or ["Inga ändringar."]


# --- the scenario as JSON ---------------------------------------------------------------------------------

_KEYS = ("format", "format_version", "namn", "ar", "avstangda_rader", "avstangda_tillfallen", "nya_belopp",
         "tankta_utbildningar")  # fmt: skip
_TRAINING_KEYS = ("namn", "datum", "belopp", "kostnadstyp", "kalla")


def scenario_to_json(scenario: Scenario) -> str:
    """The scenario as the budget keeps it: ids in order, amounts by id, trainings as added."""
    body = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "namn": scenario.name,
        "ar": scenario.year,
        "avstangda_rader": sorted(scenario.off_expenses),
        "avstangda_tillfallen": sorted(scenario.off_occasions),
        "nya_belopp": {str(k): v for k, v in sorted(scenario.amounts.items())},
        "tankta_utbildningar": [
            {"namn": t.name, "datum": t.day.isoformat(), "belopp": t.amount, "kostnadstyp": t.cost_type,
             "kalla": t.source_id}
            for t in scenario.trainings
        ],
    }  # fmt: skip
    return json.dumps(body, ensure_ascii=False)  # pragma: no mutate (None is as false as False: the same text)


def _integer(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _ids(body: dict, key: str, what: str) -> frozenset[int]:
    value = body.get(key, [])
    if not isinstance(value, list) or not all(_integer(v) and v >= 1 for v in value):
        raise ValueError(f"{key}: ska vara en lista med {what} (heltal från 1).")
    seen: set[int] = set()
    for v in value:
        if v in seen:
            raise ValueError(f"{key}: {v} står mer än en gång.")
        seen.add(v)
    return frozenset(seen)


def _amounts(body: dict) -> dict[int, int]:
    value = body.get("nya_belopp", {})
    if not isinstance(value, dict):
        raise ValueError("nya_belopp: ska vara ett objekt med belopp per radnummer.")
    amounts = {}
    for key, amount in value.items():
        if not (key.isascii() and key.isdigit() and not key.startswith("0")):
            raise ValueError(f"nya_belopp: {key!r} är inget radnummer (heltal från 1).")
        if not _integer(amount) or amount < 0:
            raise ValueError(f"nya_belopp {key}: ska vara ett belopp i hela kronor, 0 eller mer, inte {amount!r}.")
        amounts[int(key)] = amount
    return amounts


def _training(item: object, number: int) -> HypotheticalTraining:
    where = f"tankta_utbildningar nr {number}"
    if not isinstance(item, dict):
        raise ValueError(f"{where}: ska vara ett objekt.")
    unknown = [k for k in item if k not in _TRAINING_KEYS]
    if unknown:
        raise ValueError(f"{where}: okänd nyckel {unknown[0]!r}.")
    missing = [k for k in _TRAINING_KEYS[:4] if k not in item]
    if missing:
        raise ValueError(f"{where}: {missing[0]} saknas.")
    name, day, amount, cost_type = item["namn"], item["datum"], item["belopp"], item["kostnadstyp"]
    source_id = item.get("kalla")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"{where}, namn: ska vara en text som inte är tom.")
    try:
        parsed = date.fromisoformat(day) if isinstance(day, str) and len(day) == 10 else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValueError(f"{where}, datum: ska vara ett datum ÅÅÅÅ-MM-DD, inte {day!r}.")
    if not _integer(amount) or amount < 1:
        raise ValueError(f"{where}, belopp: ska vara ett belopp i hela kronor, minst 1, inte {amount!r}.")
    if cost_type not in catalog.COST_TYPES.codes():
        codes = ", ".join(catalog.COST_TYPES.codes())
        raise ValueError(f"{where}, kostnadstyp: {cost_type!r} finns inte (en av {codes}).")
    if source_id is not None and (not _integer(source_id) or source_id < 1):
        raise ValueError(f"{where}, kalla: ska vara en källas nummer (heltal från 1) eller null, inte {source_id!r}.")
    return HypotheticalTraining(name.strip(), parsed, amount, cost_type, source_id)


def scenario_from_json(text: str) -> Scenario:
    """A scenario from its JSON (``scenario_to_json``), every field checked: a wrong body raises
    ValueError with what is wrong, in Swedish, naming the key."""
    try:
        body = json.loads(text)
    except json.JSONDecodeError as error:
        raise ValueError(f"Scenariot är inte giltig JSON (rad {error.lineno}, kolumn {error.colno}).") from None
    if not isinstance(body, dict):
        raise ValueError("Scenariot ska vara ett JSON-objekt.")
    unknown = [k for k in body if k not in _KEYS]
    if unknown:
        raise ValueError(f"Okänd nyckel i scenariot: {unknown[0]!r}.")
    if body.get("format") != FORMAT:
        raise ValueError(f"format: ska vara {FORMAT!r}, inte {body.get('format')!r}.")
    if body.get("format_version") != FORMAT_VERSION or not _integer(body.get("format_version")):
        raise ValueError(f"format_version: {body.get('format_version')!r} stöds inte (bara {FORMAT_VERSION}).")
    name, year = body.get("namn"), body.get("ar")
    if not isinstance(name, str) or not name.strip():
        raise ValueError("namn: ska vara en text som inte är tom.")
    if not _integer(year) or not YEARS[0] <= year <= YEARS[1]:
        raise ValueError(f"ar: ska vara ett år {YEARS[0]}–{YEARS[1]}, inte {year!r}.")
    trainings = body.get("tankta_utbildningar", [])
    if not isinstance(trainings, list):
        raise ValueError("tankta_utbildningar: ska vara en lista.")
    return Scenario(
        name.strip(), year, _ids(body, "avstangda_rader", "radnummer"),
        _ids(body, "avstangda_tillfallen", "tillfällesnummer"), _amounts(body),
        tuple(_training(item, number) for number, item in enumerate(trainings, 1)),
    )  # fmt: skip

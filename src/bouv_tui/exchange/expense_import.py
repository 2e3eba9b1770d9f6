"""Reading and checking an expense file (a transaction list from the finance system, CSV or
XLSX) before anything is stored: the planning half of ``bouv-tui import expenses``.

Pure: no database, no Textual. One row an expense; the columns are in ``spec/INTERFACES.md``
("Expense file"), headings matched as for the roster. :func:`plan_expense_import` checks every
cell and says what an import would do against what is stored:

- ``finansiering`` names a funding source (case and spaces do not matter); ``ar`` picks its
  year when sources of several years share the name;
- ``utbildning`` names a training of the plan (in the source's year when several years have
  one of that name); a new expense is linked to its occasion nearest in date (the earlier of
  two as near), never to a cancelled one;
- a row whose ``verifikation`` is stored already, or is on an earlier row of the file, is
  skipped (a re-import adds nothing), and counted;
- a row with a new voucher that matches a stored line not yet paid (planned or committed,
  without a voucher, of the same source, cost type and amount, and of the row's training when
  it names one) turns that line into the row's status, with the voucher, date and note,
  instead of adding an expense; the nearest in date wins, and a line is matched once;
- every expense is checked with the budget's rules (``domain.budget.check_expense``), each
  one against the stored expenses and the file's rows before it: a cost type the source does
  not pay for and an expense past a ``stoppa`` cap are errors; a date outside the source's
  period and a ``varna`` cap passed are warnings.

The caller stores the plan only when it has no errors (all or nothing).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from bouv_tui.domain import catalog
from bouv_tui.domain import plan as plan_rules
from bouv_tui.domain.budget import (
    COMMITTED,
    EXPENSE_STATUSES,
    PAID,
    PLANNED,
    Expense,
    FundingSource,
    check_expense,
    kronor,
)
from bouv_tui.domain.plan import Occasion, Training
from bouv_tui.domain.validation import InvalidValue, parse_kronor, quote
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
from bouv_tui.exchange.training_import import parse_date, parse_year

__all__ = [
    "EXPENSE_COLUMNS", "ExpenseImportPlan", "ImportFileError", "parse_amount", "parse_cost_type",
    "parse_expense_status", "parse_voucher", "plan_expense_import", "plan_expense_table", "read_expense_table",
]  # fmt: skip

_show = quote

#: Longest accepted voucher number, in characters.
MAX_VOUCHER = 100
#: Most names of funding sources listed in the message for a name that is none of them.
MAX_LISTED = 10

DAY, AMOUNT, COST_TYPE, SOURCE, YEAR, TRAINING, STATUS, VOUCHER, NOTE = (
    "datum", "belopp", "kostnadstyp", "finansiering", "ar", "utbildning", "status", "verifikation", "anteckning",
)  # fmt: skip
#: The columns of an expense file, in the order INTERFACES lists them.
EXPENSE_COLUMNS: tuple[str, ...] = (DAY, AMOUNT, COST_TYPE, SOURCE, YEAR, TRAINING, STATUS, VOUCHER, NOTE)
REQUIRED = (DAY, AMOUNT, COST_TYPE, SOURCE)

#: Headings finance systems write for a column (matched like the codes).
HEADING_ALIASES: dict[str, tuple[str, ...]] = {
    DAY: ("bokföringsdatum", "verifikationsdatum", "transaktionsdatum"),
    AMOUNT: ("summa",),
    SOURCE: ("finansieringskälla",),
    VOUCHER: ("verifikationsnummer", "vernr"),
    NOTE: ("text", "beskrivning"),
}

_CODES_BY_KEY = {normalize_header(code): code for code in EXPENSE_COLUMNS}
_CODES_BY_KEY.update({normalize_header(a): code for code, aliases in HEADING_ALIASES.items() for a in aliases})
_VALID = ", ".join(EXPENSE_COLUMNS)
#: Every heading the expense import knows.
EXPENSE_HEADINGS: tuple[str, ...] = (*EXPENSE_COLUMNS, *(a for v in HEADING_ALIASES.values() for a in v))

_COST_TYPE_WORDS = {normalize_header(w): e.code for e in catalog.COST_TYPES for w in (e.code, e.label)}
_STATUS_WORDS = {normalize_header(w): e.code for e in EXPENSE_STATUSES for w in (e.code, e.label)}
#: How far a status has come: a row never takes a stored line back (a committed line is not
#: matched by a planned row).
_RANK = {PLANNED: 0, COMMITTED: 1, PAID: 2}
_SINGULAR = {PLANNED: "planerad", COMMITTED: "åtagen", PAID: "betald"}
_PLURAL = {PLANNED: "planerade", COMMITTED: "åtagna", PAID: "betalda"}


# --- cells ----------------------------------------------------------------------------------


def _choices(catalogue) -> str:
    return ", ".join(entry.code for entry in catalogue)


#: A number as an XLSX cell's text holds it (``12345.5``): the point is a decimal point.
_POINT_DECIMAL = re.compile(r"(\d{1,12})\.(\d{1,2})")


def parse_amount(value: str) -> int:
    """Whole kronor (``validation.parse_kronor``: ``12 345``, ``12 345 kr``, ``12345,00``), and
    a number with a decimal point as a spreadsheet's number cell gives it (``12345.0``);
    required. Öre, negative amounts and anything but a number are refused."""
    if not value:
        raise InvalidValue("Belopp saknas. Skriv hela kronor, t.ex. 12 345.")
    point = _POINT_DECIMAL.fullmatch(value)
    if point is not None:
        if int(point.group(2)):
            raise InvalidValue(f'"{_show(value)}" har ören. Ange hela kronor (avrunda beloppet).')
        value = point.group(1)
    return parse_kronor(value)


def parse_cost_type(value: str) -> str:
    """A cost type's code or Swedish label (case and å/ä/ö do not matter)."""
    if not value:
        raise InvalidValue(f"Kostnadstyp saknas. Ange {_choices(catalog.COST_TYPES)}.")
    code = _COST_TYPE_WORDS.get(normalize_header(value))
    if code is None:
        raise InvalidValue(f'"{_show(value)}" är ingen kostnadstyp. Ange {_choices(catalog.COST_TYPES)}.')
    return code


def parse_expense_status(value: str) -> str:
    """``planerad``, ``atagen`` or ``betald`` (codes or labels); empty → betald."""
    if not value:
        return PAID
    code = _STATUS_WORDS.get(normalize_header(value))
    if code is None:
        raise InvalidValue(f'"{_show(value)}" är ingen status för en utgift. Ange {_choices(EXPENSE_STATUSES)}.')
    return code


def _folded(value: str) -> str:
    return " ".join(value.split())


def _parse_source(value: str) -> str:
    if not value:
        raise InvalidValue("Finansiering saknas. Ange namnet på en finansieringskälla.")
    return _folded(value)


def parse_voucher(value: str) -> str:
    """The voucher number, spaces folded; at most MAX_VOUCHER characters; empty: none."""
    value = _folded(value)
    if len(value) > MAX_VOUCHER:
        raise InvalidValue(f"Verifikationen är för lång ({len(value)} tecken; högst {MAX_VOUCHER}).")
    return value


#: Column → (parser, whether the text is checked as text first: no formula, no control or
#: invisible character). Numbers and dates are read by patterns that let nothing else through.
_PARSERS = {
    DAY: (parse_date, False),
    AMOUNT: (parse_amount, False),
    COST_TYPE: (parse_cost_type, True),
    SOURCE: (_parse_source, True),
    YEAR: (parse_year, False),
    TRAINING: (_folded, True),
    STATUS: (parse_expense_status, True),
    VOUCHER: (parse_voucher, True),
    NOTE: (_folded, True),
}


def _read_cell(column: str, raw: str):
    """The value of a cell; InvalidValue with the message for the user (``tables.read_cell``)."""
    return read_cell(raw, *_PARSERS[column])


# --- the plan ---------------------------------------------------------------------------------


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


@dataclass(slots=True)
class ExpenseImportPlan:
    """What an import would do. Store it only when :attr:`ok`."""

    #: New expenses (``id`` None), and the file's row of each, in the same order.
    adds: list[Expense] = field(default_factory=list)
    add_rows: list[int] = field(default_factory=list)
    #: (stored line, the line as it will be stored) for each line a row turns into spent (or
    #: committed), and the file's row of each, in the same order.
    updates: list[tuple[Expense, Expense]] = field(default_factory=list)
    update_rows: list[int] = field(default_factory=list)
    #: The rows skipped because their voucher is stored already or on an earlier row.
    skipped_rows: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    #: Accepted as the file says, said at once: a date outside the source's period, a
    #: ``varna`` cap passed, a skipped row that differs from what has its voucher.
    warnings: list[RowError] = field(default_factory=list)
    #: What the plan was made against, set by the service.
    basis: object = None
    #: The file's known columns, in the file's order.
    columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def skipped(self) -> int:
        return len(self.skipped_rows)

    @property
    def nothing_to_do(self) -> bool:
        return not self.adds and not self.updates

    def summary(self) -> str:
        """What the import does, in one line of Swedish: ``12 nya utgifter, 3 planerade rader
        blir betalda, 5 fanns redan (samma verifikation)``; with errors, that nothing is."""
        if self.errors:
            return f"{len(self.errors)} fel i filen: ingenting importeras förrän de är rättade"
        parts = [_count(len(self.adds), "ny utgift", "nya utgifter") if self.adds else "Inga nya utgifter"]
        changes = Counter((old.status, new.status) for old, new in self.updates)
        for (before, after), n in sorted(changes.items(), key=lambda item: (_RANK[item[0][0]], _RANK[item[0][1]])):
            words = _SINGULAR if n == 1 else _PLURAL
            rows = "rad" if n == 1 else "rader"
            change = "får verifikation" if before == after else f"blir {words[after]}"
            parts.append(f"{n} {words[before]} {rows} {change}")
        if self.skipped:
            parts.append(f"{self.skipped} fanns redan (samma verifikation)")
        if self.warnings:
            parts.append(_count(len(self.warnings), "varning", "varningar"))
        return ", ".join(parts)


def read_expense_table(path: Path) -> Table:
    """Read an expense file (CSV or XLSX); raises :class:`ImportFileError`."""
    return tables.read_table(path, expected=EXPENSE_HEADINGS)


def plan_expense_import(
    path: Path,
    sources: Sequence[FundingSource],
    expenses: Sequence[Expense],
    trainings: Sequence[Training],
    occasions: Sequence[Occasion],
) -> ExpenseImportPlan:
    """Read the expense file at ``path`` and say what importing it would do (see the module's
    text), against ``sources`` (every funding source, with its id), ``expenses`` (every stored
    expense) and the plan of the sources' years (``trainings`` and their ``occasions``).
    Raises :class:`ImportFileError` for a file that cannot be read as a whole, or has no rows."""
    return plan_expense_table(read_expense_table(path), sources, expenses, trainings, occasions)


def plan_expense_table(
    table: Table,
    sources: Sequence[FundingSource],
    expenses: Sequence[Expense],
    trainings: Sequence[Training],
    occasions: Sequence[Occasion],
) -> ExpenseImportPlan:
    """:func:`plan_expense_import` of a table already read."""
    if len(table.rows) > MAX_ROWS:
        raise _too_many_rows(table.name)
    if not any("".join(row.cells).strip() for row in table.rows):
        raise ImportFileError(
            f'Filen "{table.name}" har inga utgifter: bara en rubrikrad. Lägg till en rad för varje utgift.'
        )
    plan = ExpenseImportPlan()
    index, errors = map_headers(table, _CODES_BY_KEY, _VALID)
    for code in REQUIRED:
        if code not in index:
            errors.append(RowError(table.header_row, code, f'Kolumnen "{code}" saknas i rubrikraden.'))
    plan.columns = [code for code, _ in sorted(index.items(), key=lambda item: item[1])]
    plan.errors.extend(errors)
    plan.errors.extend(headerless_errors(table))
    if all(code in index for code in REQUIRED):
        present = [(code, index[code]) for code in EXPENSE_COLUMNS if code in index]
        books = _Books(sources, expenses, trainings, occasions)
        for row in table.rows:
            values = _read_row(row, present, plan)
            if values is not None:
                books.plan_row(row.number, values, plan)
    plan.errors.sort(key=lambda e: e.row)
    if plan.errors:
        plan.warnings.clear()
    return plan


def _read_row(row: Row, present, plan: ExpenseImportPlan) -> dict | None:
    """The row's values by column, or None when it is blank or a cell is wrong (said)."""
    if not "".join(row.cells).strip():
        return None
    values: dict = {}
    errors = []
    for code, i in present:
        raw = row.cells[i] if i < len(row.cells) else ""
        try:
            values[code] = _read_cell(code, raw)
        except InvalidValue as error:
            errors.append(RowError(row.number, code, str(error)))
    plan.errors.extend(errors)
    return None if errors else values


def _years(items) -> str:
    return ", ".join(str(year) for year in sorted({item.year for item in items}))


def _distance(day: date):
    """Sort key of what is dated: nearest to ``day`` first, the earlier of two as near."""
    return lambda item: (abs((item[0] - day).days), item[0])


class _Books:
    """What the rows are checked against: the stored sources, expenses and plan, and the
    file's rows accepted so far."""

    def __init__(self, sources, expenses, trainings, occasions):
        self.sources: dict[str, list[FundingSource]] = defaultdict(list)
        for source in sources:
            self.sources[_folded(source.name).casefold()].append(source)
        self.names = sorted({_folded(s.name) for s in sources}, key=str.casefold)
        self.trainings: dict[str, list[Training]] = defaultdict(list)
        for training in trainings:
            self.trainings[_folded(training.name).casefold()].append(training)
        self.occasions: dict[int | None, list[Occasion]] = defaultdict(list)
        for occasion in occasions:
            self.occasions[occasion.training_id].append(occasion)
        self.vouchers: dict[str, Expense] = {}
        self.open: dict[tuple, list[Expense]] = defaultdict(list)  # lines a voucher can match
        # What each source has used: (cost type, status) → kronor, the stored and the accepted.
        self.totals: dict[int | None, Counter] = defaultdict(Counter)
        for expense in expenses:
            if expense.voucher:
                self.vouchers.setdefault(_folded(expense.voucher).casefold(), expense)
            elif expense.status in (PLANNED, COMMITTED):
                self.open[expense.source_id, expense.cost_type, expense.amount].append(expense)
            self.totals[expense.source_id][expense.cost_type, expense.status] += expense.amount
        self.in_file: dict[str, tuple[int, date, int, str]] = {}  # voucher → row, day, amount, cost type

    # -- a row ----------------------------------------------------------------------------

    def plan_row(self, number: int, values: dict, plan: ExpenseImportPlan) -> None:
        day, amount, cost_type = values[DAY], values[AMOUNT], values[COST_TYPE]
        voucher = values.get(VOUCHER, "")
        if voucher and self._skipped(number, voucher, day, amount, cost_type, plan):
            return
        if voucher:
            self.in_file[voucher.casefold()] = (number, day, amount, cost_type)
        source = self._source(number, values, plan)
        if source is None:
            return
        status = values.get(STATUS, PAID)
        note = values.get(NOTE, "")
        training = None
        if values.get(TRAINING):
            training = self._training(number, values[TRAINING], source, plan)
            if training is None:
                return
        old = self._match(source, cost_type, amount, status, day, training) if voucher else None
        if old is not None:
            new = replace(old, day=day, status=status, voucher=voucher, note=note or old.note)
        else:
            occasion = self._occasion(number, training, day, plan) if training else None
            new = Expense(day, amount, cost_type, source.id, status, occasion, voucher, note)
        check = check_expense(source, self._used(source, old), new)
        if check.refused:
            column = COST_TYPE if cost_type not in source.cost_types else AMOUNT
            plan.errors.append(RowError(number, column, check.refused))
            return
        for i, warning in enumerate(check.warnings):
            column = DAY if i == 0 and not source.in_period(day) else AMOUNT
            plan.warnings.append(RowError(number, column, warning))
        if old is not None:
            self.open[old.source_id, old.cost_type, old.amount].remove(old)
            self.totals[old.source_id][old.cost_type, old.status] -= old.amount
            plan.updates.append((old, new))
            plan.update_rows.append(number)
        else:
            plan.adds.append(new)
            plan.add_rows.append(number)
        self.totals[new.source_id][new.cost_type, new.status] += new.amount

    def _skipped(self, number, voucher, day, amount, cost_type, plan) -> bool:
        """Whether the row's voucher is stored or on an earlier row: the row is then skipped,
        with a warning when what it says differs from what has the voucher."""
        key = voucher.casefold()
        stored = self.vouchers.get(key)
        if stored is not None:
            where, theirs = "i budgeten", (stored.day, stored.amount, stored.cost_type)
        elif key in self.in_file:
            row, *rest = self.in_file[key]
            where, theirs = f"på rad {row}", tuple(rest)
        else:
            return False
        plan.skipped_rows.append(number)
        differences = [
            f"{what} {shown(there)} (här {shown(here)})"
            for what, shown, there, here in zip(
                ("datum", "belopp", "kostnadstyp"),
                (date.isoformat, kronor, lambda code: catalog.COST_TYPES.label(code).lower()),
                theirs,
                (day, amount, cost_type),
            )
            if there != here
        ]
        if differences:
            plan.warnings.append(
                RowError(number, VOUCHER, f'Verifikation "{_show(voucher)}" finns redan {where}, men med '
                                          f"{', '.join(differences)}. Raden hoppas över.")
            )  # fmt: skip
        return True

    def _source(self, number: int, values: dict, plan: ExpenseImportPlan) -> FundingSource | None:
        name, year = values[SOURCE], values.get(YEAR)
        named = self.sources.get(name.casefold())
        if not named:
            known = ", ".join(self.names[:MAX_LISTED]) or "inga"
            more = len(self.names) - MAX_LISTED
            if more > 0:
                known += f" och {more} till"
            plan.errors.append(
                RowError(number, SOURCE, f'Ingen finansieringskälla heter "{_show(name)}". Källor som finns: {known}.')
            )
            return None
        if year is not None:
            in_year = [s for s in named if s.year == year]
            if not in_year:
                plan.errors.append(
                    RowError(number, YEAR, f'Finansieringskällan "{_show(name)}" finns inte för {year}, bara för '
                                           f"{_years(named)}.")
                )  # fmt: skip
                return None
            named = in_year
        if len(named) > 1:
            plan.errors.append(
                RowError(number, SOURCE, f'Det finns finansieringskällor som heter "{_show(name)}" för flera år '
                                         f'({_years(named)}). Ange året i kolumnen "{YEAR}".')
            )  # fmt: skip
            return None
        return named[0]

    def _training(self, number: int, name: str, source: FundingSource, plan: ExpenseImportPlan) -> Training | None:
        named = self.trainings.get(name.casefold())
        if not named:
            plan.errors.append(
                RowError(number, TRAINING, f'Ingen utbildning i planen heter "{_show(name)}". Skriv namnet som '
                                           "det står i planen, eller lämna cellen tom.")
            )  # fmt: skip
            return None
        if len(named) == 1:
            return named[0]
        in_year = [t for t in named if t.year == source.year]
        if not in_year:
            plan.errors.append(
                RowError(number, TRAINING, f'Utbildningen "{_show(name)}" finns i planen för {_years(named)}, '
                                           f"inte för {source.year} som {source.name} är för.")
            )  # fmt: skip
            return None
        return in_year[0]

    def _occasion(self, number: int, training: Training, day: date, plan: ExpenseImportPlan) -> int | None:
        """The id of the training's occasion nearest in date to ``day`` (not a cancelled one)."""
        held = [(o.start, o.id) for o in self.occasions[training.id] if o.status != plan_rules.CANCELLED]
        if not held:
            plan.warnings.append(
                RowError(number, TRAINING, f'Utbildningen "{_show(training.name)}" har inget tillfälle som inte '
                                           "är inställt: utgiften kopplas inte till något tillfälle.")
            )  # fmt: skip
            return None
        return min(held, key=_distance(day))[1]

    def _match(self, source, cost_type, amount, status, day, training) -> Expense | None:
        """The stored line, not yet paid and without a voucher, that the row pays: the same
        source, cost type and amount, of the row's training when it names one, and not further
        along than the row's status; the nearest in date."""
        lines = self.open.get((source.id, cost_type, amount), [])
        if training is not None:
            ids = {o.id for o in self.occasions[training.id]}
            lines = [e for e in lines if e.occasion_id in ids]
        found = [(e.day, e) for e in lines if _RANK[e.status] <= _RANK[status]]
        if not found:
            return None
        return min(found, key=_distance(day))[1]

    def _used(self, source: FundingSource, old: Expense | None) -> list[Expense]:
        """What the source has used before the row, as one expense a cost type and status (all
        that ``check_expense`` counts of them is their sums), without ``old``, the line the row
        replaces."""
        totals = Counter(self.totals[source.id])
        if old is not None:
            totals[old.cost_type, old.status] -= old.amount
        return [
            Expense(date.min, total, cost_type, source.id, status)  # pragma: no mutate (no day of the others is read)
            for (cost_type, status), total in totals.items()
            if total
        ]

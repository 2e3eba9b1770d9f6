"""The budget (F9, issue 15): funding sources with their rules as data, expenses planned,
committed and paid, the room left under every cap, and what a grant will take back.

A grant's rules are the user's data (the grant file of ``spec/INTERFACES.md``): the amount
paid out, the period the money must be used in, the cost types it may pay for, and caps as a
share of the grant over a group of cost types, each one warning (``varna``) or refusing
(``stoppa``) an expense that would take it past its limit. "Used" is what is committed and
paid: planned expenses are plans, counted apart. The year-end forecast (``forecast``) adds
the year's pace to what is known and leaves out plans too late to be paid within the period;
``months`` gives the chart its months. What-if scenarios are in ``budget_whatif``, the effect
per krona in ``budget_effect``. Nothing here reads a file or the database.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bouv_tui.domain import catalog

GRANT, OWN_FUNDS, OTHER = "statsbidrag", "egna_medel", "annat"
SOURCE_KINDS = catalog.Catalogue(
    [catalog.Entry(GRANT, "Statsbidrag"), catalog.Entry(OWN_FUNDS, "Egna medel"), catalog.Entry(OTHER, "Annat")]
)
PAID_BACK, MAY_BE_SAVED = "aterbetalas", "far_sparas"
WARN, STOP = "varna", "stoppa"
PLANNED, COMMITTED, PAID = "planerad", "atagen", "betald"
EXPENSE_STATUSES = catalog.Catalogue(
    [catalog.Entry(PLANNED, "Planerad"), catalog.Entry(COMMITTED, "Åtagen"), catalog.Entry(PAID, "Betald")]
)
#: The statuses that use money (the caps and "left" count them); planned ones are plans.
USED = (COMMITTED, PAID)
#: What a line made from a training occasion prices: its seats, its fixed cost, the cover.
SEATS, FIXED, COVER = "platser", "fast", "vikarier"
ORIGINS = (SEATS, FIXED, COVER)
ORIGIN_LABELS = {SEATS: "deltagaravgifter", FIXED: "fast kostnad", COVER: "vikarier"}
#: The origin of a what-if's hypothetical line (``budget_whatif``): never stored.
HYPOTHETICAL = "hypotetisk"
MONTH_NAMES = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
               "november", "december")  # fmt: skip


@dataclass(frozen=True)
class BudgetSettings:
    """The budget's own settings: what a day of substitute cover costs, how long an invoice
    takes to be paid after a training has started, and how many months ahead the start screen
    warns of money going back."""

    cover_daily_rate: int = 2000
    payment_days: int = 30
    warn_months: int = 4


@dataclass(frozen=True)
class Cap:
    """At most ``share`` of the grant may go to ``cost_types`` together."""

    name: str
    share: float
    cost_types: tuple[str, ...]
    action: str = WARN


@dataclass(frozen=True)
class FundingSource:
    name: str
    kind: str
    year: int
    requisitioned: int = 0
    paid_out: int = 0
    paid_back: int = 0
    use_from: date | None = None
    use_until: date | None = None
    report_by: date | None = None
    unspent: str = PAID_BACK
    cost_types: tuple[str, ...] = tuple(catalog.COST_TYPES.codes())
    caps: tuple[Cap, ...] = ()
    id: int | None = None
    version: int = 0

    def in_period(self, day: date) -> bool:
        """Whether ``day`` is within the period the money must be used in (open ends: yes)."""
        return (self.use_from is None or self.use_from <= day) and (self.use_until is None or day <= self.use_until)


@dataclass(frozen=True)
class Expense:
    """An expense in whole kronor; ``occasion_id`` ties it to a training occasion of the plan."""

    day: date
    amount: int
    cost_type: str
    source_id: int | None
    status: str = PLANNED
    occasion_id: int | None = None
    voucher: str = ""
    note: str = ""
    origin: str | None = None  # SEATS, FIXED or COVER: a line the occasion's cost made
    id: int | None = None
    version: int = 0

    @property
    def uses_money(self) -> bool:
        return self.status in USED


def occasion_lines(occasion, kind: str, seated: int, daily_rate: int, source_id: int | None) -> list[Expense]:
    """The planned lines a training occasion's cost makes (none when it is cancelled): its seats
    (``seated`` × the cost per participant) and its fixed cost, under the training's cost type
    (``stod_handledning`` for support and supervision, otherwise ``utbildningsplatser``), and the
    substitute cover, ``seated`` × its days away × ``daily_rate`` rounded to whole kronor, as
    ``vikarier`` (half a krona up); each dated on the occasion's first day, lines of 0 kr left out."""
    if not occasion.counts:
        return []
    cost_type = "stod_handledning" if kind == "stod_handledning" else "utbildningsplatser"
    amounts = (
        (SEATS, cost_type, occasion.cost_per_participant * seated),
        (FIXED, cost_type, occasion.cost_fixed),
        (COVER, "vikarier", math.floor(seated * occasion.days_away * daily_rate + 0.5)),
    )
    return [
        Expense(occasion.start, amount, ctype, source_id, PLANNED, occasion.id, origin=origin)
        for origin, ctype, amount in amounts
        if amount > 0
    ]


def cap_limit(source: FundingSource, cap: Cap) -> int:
    """The cap in whole kronor: its share of what was paid out, rounded down (never more than
    the share allows)."""
    return math.floor(source.paid_out * cap.share + 1e-9)


@dataclass(frozen=True)
class CapFigures:
    cap: Cap
    limit: int
    used: int  # committed and paid in the cap's cost types

    @property
    def room(self) -> int:
        return self.limit - self.used


@dataclass(frozen=True)
class SourceFigures:
    """One source: paid out, planned, committed, spent and what is left, and each cap."""

    source: FundingSource
    planned: int
    committed: int
    spent: int
    caps: tuple[CapFigures, ...]

    @property
    def left(self) -> int:
        """Paid out less what is committed and spent (planned expenses are not yet money used)."""
        return self.source.paid_out - self.committed - self.spent

    @property
    def left_after_plans(self) -> int:
        return self.left - self.planned

    def capped_room(self) -> int | None:
        """The most that may still go to the cost types under caps: the smallest room of any cap,
        and never more than what is left; None when the source has no caps."""
        if not self.caps:
            return None
        return max(0, min(self.left, *(c.room for c in self.caps)))


def figures(source: FundingSource, expenses: Iterable[Expense]) -> SourceFigures:
    """The figures of ``source`` from the expenses paid by it."""
    own = [e for e in expenses if e.source_id == source.id]
    by_status = {s: sum(e.amount for e in own if e.status == s) for s in EXPENSE_STATUSES.codes()}
    caps = tuple(
        CapFigures(cap, cap_limit(source, cap),
                   sum(e.amount for e in own if e.uses_money and e.cost_type in cap.cost_types))
        for cap in source.caps
    )  # fmt: skip
    return SourceFigures(source, by_status[PLANNED], by_status[COMMITTED], by_status[PAID], caps)


def kronor(amount: int) -> str:
    """``1 234 567 kr`` (a no-break space between thousands, as babel's sv_SE writes them)."""
    return f"{amount:,}".replace(",", "\u00a0") + "\u00a0kr"


def headline(f: SourceFigures) -> str:
    """What the chef sees first: how much can still be used, and how much of it at most may go
    to the capped cost types (the grant's "handledning och kringkostnader")."""
    text = f"Kan fortfarande användas: {kronor(max(0, f.left))}"
    room = f.capped_room()
    if room is not None:
        text += f", varav högst {kronor(room)} till handledning och kringkostnader"
    return text


@dataclass(frozen=True)
class ExpenseCheck:
    """What entering an expense would do: refused (with why), or accepted with warnings."""

    refused: str | None
    warnings: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.refused is None


def check_expense(source: FundingSource, expenses: Sequence[Expense], new: Expense) -> ExpenseCheck:
    """Whether ``new`` may be entered against ``source`` (``expenses``: those there already,
    ``new`` replacing the one with its id): a cost type the source does not pay for is refused,
    and so is an expense that uses money past a ``stoppa`` cap (with the room that is left); a
    day outside the period and a ``varna`` cap passed are warnings, said at once."""
    if new.cost_type not in source.cost_types:
        label = catalog.COST_TYPES.label(new.cost_type)
        return ExpenseCheck(f"{source.name} betalar inte {label.lower()}.")
    others = [e for e in expenses if new.id is None or e.id != new.id]
    warnings = []
    if not source.in_period(new.day):
        warnings.append(
            f"{new.day.isoformat()} är utanför perioden då {source.name} ska användas "
            f"({_period(source)})."
        )  # fmt: skip
    if new.uses_money:
        before = figures(source, others)
        for cap in before.caps:
            if new.cost_type not in cap.cap.cost_types or new.amount <= cap.room:
                continue
            room = max(0, cap.room)
            if cap.cap.action == STOP:
                return ExpenseCheck(
                    f"Taket {cap.cap.name} ({kronor(cap.limit)}) skulle överskridas: {kronor(room)} finns kvar "
                    f"under det, inte {kronor(new.amount)}."
                )  # fmt: skip
            warnings.append(f"Taket {cap.cap.name} ({kronor(cap.limit)}) överskrids med {kronor(new.amount - room)}.")
    return ExpenseCheck(None, tuple(warnings))


def _period(source: FundingSource) -> str:
    start = source.use_from.isoformat() if source.use_from else "…"
    end = source.use_until.isoformat() if source.use_until else "…"
    return f"{start}–{end}"




def day_text(day: date) -> str:
    """``30 april 2027``: a day as the screen and the warnings write it."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


# --- the year-end forecast ------------------------------------------------------------------------------


def period_of(source: FundingSource) -> tuple[date, date]:
    """The first and the last day of the period the money must be used in; an open end is
    read as the end of the source's year (the forecast is of the year's end)."""
    return source.use_from or date(source.year, 1, 1), source.use_until or date(source.year, 12, 31)


def last_day_to_commit(source: FundingSource, settings: BudgetSettings) -> date:
    """The last day a planned training can start and still be paid within the period: the
    period's last day less the days an invoice takes to be paid (``settings.payment_days``)."""
    return period_of(source)[1] - timedelta(days=settings.payment_days)


def months_before(day: date, months: int) -> date:
    """The same day ``months`` calendar months earlier, the last of its month when that month
    is shorter (31 May less 3 months: 28 or 29 February)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _recurring(expense: Expense) -> bool:
    """A line entered by hand and tied to no occasion (supervision, literature, travel): the
    year's pace is made of these. An occasion's lines and a what-if's are known one by one."""
    return expense.occasion_id is None and expense.origin is None


@dataclass(frozen=True)
class Forecast:
    """Where the period ends if nothing changes (see ``forecast``): what will be unspent on
    its last day, what of that goes back, by when, and whether to warn of it now."""

    source: FundingSource
    today: date
    first_day: date  # the period's first and last day (open ends: the year's)
    last_day: date
    last_day_to_commit: date
    used: int  # committed and spent, as the figures count them
    planned: int  # planned lines dated on or before the last day to commit
    late: int  # planned lines dated after it: they cannot be paid in time and are not counted
    late_lines: int
    late_occasions: int  # the distinct occasions those lines belong to
    days_elapsed: int  # days of the period up to and including today
    days_left: int  # days of the period after today
    pace_spent: int  # recurring lines paid in the period up to today
    pace: int  # what the pace adds over the days left, beyond the recurring lines known ahead
    unspent: int
    paid_back: int
    due: date | None  # the reporting date, when money goes back
    warn: bool  # money goes back and the period ends within the months the settings warn

    def warning(self) -> str | None:
        """The start screen's warning, when ``warn``: what goes back, from which source, by when."""
        if not self.warn:
            return None
        by = f" den {day_text(self.due)}" if self.due else ""
        return f"Prognos: {kronor(self.paid_back)} av {self.source.name} betalas tillbaka{by} om inget ändras."

    def late_note(self) -> str | None:
        """``3 planerade rader efter sista dag (1 december 2026)``, or None when there are none."""
        if not self.late_lines:
            return None
        rows = "planerad rad" if self.late_lines == 1 else "planerade rader"
        return f"{self.late_lines} {rows} efter sista dag ({day_text(self.last_day_to_commit)}), {kronor(self.late)}"


def forecast(f: SourceFigures, expenses: Iterable[Expense], today: date, settings: BudgetSettings) -> Forecast:
    """The forecast of ``f``'s source on its period's last day, from ``expenses`` (the lines
    ``f`` was made from; other sources' are left out) as they stand ``today``.

    Counted as used by the end: everything committed and spent, and the planned lines dated on
    or before the last day to commit (``last_day_to_commit``); planned lines after it cannot
    be paid within the period and are counted apart (``late``), not as used.

    The pace: the recurring lines (by hand, tied to no occasion) paid and dated in the period up
    to today, per day elapsed, times the days left, in whole kronor rounded down. Of that, what
    recurring lines already known for the days left (committed, paid, or planned in time) cover
    is not added again. Before the period starts there is no pace (no day has elapsed); after
    it ends there are no days left. An occasion's lines are known one by one and counted by
    their status, never by the pace.

    Unspent is what was paid out less all of that (never below 0); it goes back when the
    source says so (``PAID_BACK``), by its reporting date. ``warn``: money goes back, the
    period is not over, and today is no more than ``settings.warn_months`` calendar months
    before its last day."""
    source = f.source
    own = [e for e in expenses if e.source_id == source.id]
    first, end = period_of(source)
    commit_by = end - timedelta(days=settings.payment_days)
    planned = [e for e in own if e.status == PLANNED]
    late = [e for e in planned if e.day > commit_by]
    late_ids = {e.occasion_id for e in late if e.occasion_id is not None}
    counted = [e for e in own if e.uses_money or e.day <= commit_by]
    elapsed_to = min(today, end)
    days_elapsed = max(0, (elapsed_to - first).days + 1)
    rest_from = max(today + timedelta(days=1), first)
    days_left = max(0, (end - rest_from).days + 1)
    recurring = [e for e in counted if _recurring(e)]
    pace_spent = sum(e.amount for e in recurring if e.status == PAID and first <= e.day <= elapsed_to)
    projected = pace_spent * days_left // days_elapsed if days_elapsed else 0
    known_ahead = sum(e.amount for e in recurring if rest_from <= e.day <= end)
    pace = max(0, projected - known_ahead)
    used = f.committed + f.spent
    in_time = sum(e.amount for e in planned) - sum(e.amount for e in late)
    unspent = max(0, source.paid_out - used - in_time - pace)
    back = unspent if source.unspent == PAID_BACK else 0
    warn = bool(back) and months_before(end, settings.warn_months) <= today <= end
    return Forecast(
        source, today, first, end, commit_by, used, in_time, sum(e.amount for e in late), len(late), len(late_ids),
        days_elapsed, days_left, pace_spent, pace, unspent, back, source.report_by if back else None, warn,
    )  # fmt: skip


# --- month by month ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthFigures:
    """One month of the chart: what was planned, committed and spent in it (by each line's
    day), the same summed from the first month shown through this one, and the constant lines:
    the grant (paid out) and each cap's limit."""

    first: date  # the month's first day
    planned: int
    committed: int
    spent: int
    planned_total: int
    committed_total: int
    spent_total: int
    grant: int
    caps: tuple[tuple[str, int], ...]  # (the cap's name, its limit in kronor)

    @property
    def used_total(self) -> int:
        """Committed and spent through this month: what the caps and the grant are measured by."""
        return self.committed_total + self.spent_total


def months(source: FundingSource, expenses: Iterable[Expense], year: int) -> list[MonthFigures]:
    """The months of ``year``, stretched to the source's period where it begins before the year
    or ends after it, with ``source``'s lines month by month. A line dated outside every month
    shown is in none of them."""
    first, last = year * 12, year * 12 + 11  # months counted from year 0, January 0
    if source.use_from is not None:
        first = min(first, source.use_from.year * 12 + source.use_from.month - 1)
    if source.use_until is not None:
        last = max(last, source.use_until.year * 12 + source.use_until.month - 1)
    by_month: dict[tuple[int, int], dict[str, int]] = {}
    for e in expenses:
        if e.source_id == source.id:
            month = by_month.setdefault((e.day.year, e.day.month), dict.fromkeys(EXPENSE_STATUSES.codes(), 0))
            month[e.status] += e.amount
    caps = tuple((cap.name, cap_limit(source, cap)) for cap in source.caps)
    found = []
    totals = dict.fromkeys(EXPENSE_STATUSES.codes(), 0)
    for index in range(first, last + 1):
        y, m = divmod(index, 12)
        month = by_month.get((y, m + 1), dict.fromkeys(EXPENSE_STATUSES.codes(), 0))
        for status, amount in month.items():
            totals[status] += amount
        found.append(MonthFigures(
            date(y, m + 1, 1), month[PLANNED], month[COMMITTED], month[PAID],
            totals[PLANNED], totals[COMMITTED], totals[PAID], source.paid_out, caps,
        ))  # fmt: skip
    return found

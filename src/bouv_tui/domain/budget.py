"""The budget (F9, issue 15): funding sources with their rules as data, expenses planned,
committed and paid, the room left under every cap, and what a grant will take back.

A grant's rules are the user's data (the grant file of ``spec/INTERFACES.md``): the amount
paid out, the period the money must be used in, the cost types it may pay for, and caps as a
share of the grant over a group of cost types, each one warning (``varna``) or refusing
(``stoppa``) an expense that would take it past its limit. "Used" is what is committed and
paid: planned expenses are plans, counted apart. Nothing here reads a file or the database.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

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


@dataclass(frozen=True)
class Forecast:
    """Where the period ends if nothing changes: what will be unspent on its last day, and what
    of that goes back (a grant whose unspent money is paid back), and by when."""

    unspent: int
    paid_back: int
    due: date | None


def forecast(f: SourceFigures) -> Forecast:
    """The year-end forecast from what is known: everything committed and planned is taken to
    be paid within the period; what is left after it is unspent, and paid back when the grant
    says so (by its reporting date)."""
    unspent = max(0, f.left_after_plans)
    back = unspent if f.source.unspent == PAID_BACK else 0
    return Forecast(unspent, back, f.source.report_by if back else None)

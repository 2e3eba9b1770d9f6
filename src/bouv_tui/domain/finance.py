"""The financial report (ekonomisk redovisning, issue 15 §4): what a funding source paid out,
what of it was used, what was paid back and what is not accounted for, used per cost type,
the capped share against its limit, and the persons the training plan reached (report tables
8 and 9), with the checks that say what keeps the report from adding up.

"Förbrukat" (used) in the report is what was **paid** (``betald``) on a day within the
source's period: a committed line (``atagen``) is money promised, not yet a cost incurred, and
is left out with a warning while one remains; a paid line dated outside the period is not a
cost the grant may pay for, and is left out with a warning too (it then shows in
``ej_redovisat``). The budget screen's "used" (``budget.figures``) counts committed money as
well: it guards the caps before the money goes, the report accounts for it after.

Amounts are whole kronor. Nothing here reads a file or the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bouv_tui.domain import budget, catalog
from bouv_tui.domain import plan as plans
from bouv_tui.domain.budget import Cap, Expense, FundingSource
from bouv_tui.domain.submission import ERROR, WARNING, Problem

#: The key of the report's problems (``Problem.question``), labelled "Ekonomisk redovisning".
QUESTION = "ekonomi"

#: Support and supervision and the side costs: the group the 2013 grant caps at half of it
#: (``FORM.md``), and the group the report's capped share is of when the source has no cap.
SUPPORT_AND_SIDE_COSTS = ("stod_handledning", "vikarier", "kurslitteratur", "resor", "administration")

#: The capped share is written with this many decimals (0.1234 is 12,34 %).
SHARE_DECIMALS = 4

#: Report tables 8 and 9's person categories (``plan.REPORT_CATEGORIES``) as the report names them.
PARTICIPANT_CATEGORIES = catalog.Catalogue([
    catalog.Entry(plans.OVER_4_YEARS, "Handläggare med mer än 4 års erfarenhet"),
    catalog.Entry(plans.NO_DEGREE, "Handläggare utan socionomexamen"),
    catalog.Entry(plans.OTHER_CASEWORKERS, "Resterande handläggare"),
    catalog.Entry(plans.TEAM_LEADERS, "Arbetsledare"),
    catalog.Entry(plans.OTHERS, "Annat"),
])  # fmt: skip


@dataclass(frozen=True)
class FinanceReport:
    """One source's financial report for ``year``, in whole kronor."""

    year: int
    source_name: str
    paid_out: int  # utbetalt
    used: int  # förbrukat: paid within the period
    paid_back: int  # återbetalt
    #: Förbrukat per cost type: every cost type of the catalogue, in its order, 0 included.
    used_by_cost_type: Mapping[str, int]
    #: The cap the report's capped share is set against (None: the source has none).
    cap: Cap | None
    #: The cap's limit in kronor (``budget.cap_limit``: its share of what was paid out, rounded down).
    cap_limit: int | None
    #: The cost types of the capped share (the cap's, or support and side costs without one).
    capped_cost_types: tuple[str, ...]
    #: Report tables 8 (utbildning) and 9 (stöd och handledning): category → persons, every
    #: category of ``plan.REPORT_CATEGORIES`` in its order.
    participants_training: Mapping[str, int]
    participants_support: Mapping[str, int]

    @property
    def not_accounted(self) -> int:
        """Ej redovisat: utbetalt − förbrukat − återbetalt (below 0: more used than paid out)."""
        return self.paid_out - self.used - self.paid_back

    @property
    def capped_used(self) -> int:
        """Förbrukat in the capped cost types."""
        return sum(self.used_by_cost_type[t] for t in self.capped_cost_types)

    @property
    def capped_share(self) -> float:
        """The capped cost types' share of what was paid out (0.0 when nothing was paid out),
        rounded to :data:`SHARE_DECIMALS` decimals. The checks compare kronor, not this."""
        if self.paid_out <= 0:
            return 0.0
        return round(self.capped_used / self.paid_out, SHARE_DECIMALS)

    @property
    def cap_share(self) -> float | None:
        """The cap's limit as a share of the grant (``tak_handledning_och_kringkostnader``)."""
        return None if self.cap is None else self.cap.share


def reported_cap(source: FundingSource) -> Cap | None:
    """The cap the report sets the capped share against: the one over exactly support and the
    side costs (the 2013 grant's), else the source's first cap, else None."""
    for cap in source.caps:
        if set(cap.cost_types) == set(SUPPORT_AND_SIDE_COSTS):
            return cap
    return source.caps[0] if source.caps else None


def _own(source: FundingSource, expenses: Iterable[Expense]) -> list[Expense]:
    """The expenses paid by ``source`` (as ``budget.figures`` finds them)."""
    return [e for e in expenses if e.source_id == source.id]


def _counted(source: FundingSource, expense: Expense) -> bool:
    """Whether ``expense`` is förbrukat in the report: paid, on a day within the period."""
    return expense.status == budget.PAID and source.in_period(expense.day)


def _table(counts: Mapping[str, int] | None) -> dict[str, int]:
    counts = counts or {}
    return {category: int(counts.get(category, 0)) for category in plans.REPORT_CATEGORIES}


def finance_report(year: int, source: FundingSource, expenses: Iterable[Expense],
                   person_counts: Mapping[str, Mapping[str, int]]) -> FinanceReport:  # fmt: skip
    """The report of ``source`` for ``year`` from the expenses it paid and the persons the plan
    reached (``plan.report_person_counts``: ``{"utbildning": {...}, "stod_handledning": {...}}``,
    a table or a category left out counted as 0)."""
    counted = [e for e in _own(source, expenses) if _counted(source, e)]
    by_type = {code: 0 for code in catalog.COST_TYPES.codes()}
    for expense in counted:
        by_type[expense.cost_type] = by_type.get(expense.cost_type, 0) + expense.amount
    cap = reported_cap(source)
    return FinanceReport(
        year=year,
        source_name=source.name,
        paid_out=source.paid_out,
        used=sum(by_type.values()),
        paid_back=source.paid_back,
        used_by_cost_type=by_type,
        cap=cap,
        cap_limit=None if cap is None else budget.cap_limit(source, cap),
        capped_cost_types=cap.cost_types if cap is not None else SUPPORT_AND_SIDE_COSTS,
        participants_training=_table(person_counts.get(plans.TRAINING)),
        participants_support=_table(person_counts.get(plans.SUPPORT)),
    )


def finance_problems(source: FundingSource, expenses: Sequence[Expense], report: FinanceReport) -> list[Problem]:
    """What keeps ``report`` (of ``source``, from ``expenses``) from adding up, in this order:

    - every cap the paid expenses within the period take past its limit, with the amount over:
      an error for a ``stoppa`` cap, a warning for a ``varna`` one (the grant's own word for
      how strict it is);
    - money not accounted for: ej redovisat above 0 is a warning with the amount (it must be
      used, paid back or explained), below 0 an error (more used and paid back than paid out);
    - paid expenses dated outside the period (counted, with their sum; not förbrukat);
    - committed expenses not yet paid (counted, with their sum; not förbrukat until paid).

    Counts and amounts only: never a name, a voucher or a note."""
    problems: list[Problem] = []
    for cap in source.caps:
        limit = budget.cap_limit(source, cap)
        used = sum(report.used_by_cost_type[t] for t in cap.cost_types)  # a cap's types are the grant's
        if used > limit:
            severity = ERROR if cap.action == budget.STOP else WARNING
            problems.append(Problem(severity, QUESTION, (
                f"Taket ”{cap.name}” ({_share(cap.share)} av utbetalt, {budget.kronor(limit)}) överskrids med "
                f"{budget.kronor(used - limit)}: {budget.kronor(used)} har förbrukats i dess kostnadstyper."
            )))  # fmt: skip
    left = report.not_accounted
    if left > 0:
        problems.append(Problem(WARNING, QUESTION, (
            f"{budget.kronor(left)} av det utbetalda är inte redovisat: varken förbrukat eller återbetalt."
        )))  # fmt: skip
    elif left < 0:
        problems.append(Problem(ERROR, QUESTION, (
            f"Förbrukat och återbetalt är {budget.kronor(-left)} mer än utbetalt ({budget.kronor(report.paid_out)})."
        )))  # fmt: skip
    own = _own(source, expenses)
    outside = [e for e in own if e.status == budget.PAID and not source.in_period(e.day)]
    if outside:
        total = budget.kronor(sum(e.amount for e in outside))
        period = budget._period(source)
        problems.append(Problem(WARNING, QUESTION, (
            f"1 betald utgift på {total} är daterad utanför perioden {period} och räknas inte som förbrukad."
            if len(outside) == 1 else
            f"{len(outside)} betalda utgifter på sammanlagt {total} är daterade utanför perioden {period} och "
            "räknas inte som förbrukade."
        )))  # fmt: skip
    committed = [e for e in own if e.status == budget.COMMITTED]
    if committed:
        total = budget.kronor(sum(e.amount for e in committed))
        problems.append(Problem(WARNING, QUESTION, (
            f"1 åtagen utgift på {total} är inte betald och räknas inte som förbrukad "
            "(markera den som betald när fakturan är betald)."
            if len(committed) == 1 else
            f"{len(committed)} åtagna utgifter på sammanlagt {total} är inte betalda och räknas inte som "
            "förbrukade (markera dem som betalda när fakturorna är betalda)."
        )))  # fmt: skip
    return problems


def _share(share: float) -> str:
    """0.5 → ``50 %``, 0.125 → ``12,5 %``."""
    from bouv_tui import fmt

    # Rounded before the test, as 0.29 × 100 is 28.999999999999996 (any 5–9 places do the same).
    whole = round(share * 100, 6).is_integer()  # pragma: no mutate
    return fmt.percent(share, 0 if whole else 1)

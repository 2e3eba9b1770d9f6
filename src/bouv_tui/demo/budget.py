"""The demo's budget (F9, issue 15): this year's state grant, the municipality's own funds and
last year's grant, accounted for, with the expenses a year of the plan makes.

A training occasion's cost is its expense lines, which the store makes itself as planned lines
once a source of the occasion's funding kind exists for its year (``store/budget.py``). This
step adds the sources, then settles the lines as the year has gone: an occasion finished and
invoiced (``payment_days`` after its start) is paid, one finished lately, ongoing or starting
within two weeks is committed, a later one stays planned. Beside them it enters what a year
also costs: travel and hotel nights to trainings held elsewhere, course literature, group
supervision each month (paid by the own funds) and the administration of the grant this year.

The grant (the 2013 template re-dated to the year, ``exchange/grant_file.py``) is sized so that
everything under its cap (support and supervision, cover, literature, travel, administration)
takes up a little less than the cap's 50 % even when the planned occasions are committed, and
at least what the year costs plus a margin. The plan's supervision and substitute cover are
most of its cost, so the grant is then larger than the plan spends: the budget is close to its
cap, spending is behind pace, and the forecast pays money back unless the chef buys more
training seats (the trap that made 81 municipalities pay back 5.6 million kronor in 2013). Last
year's grant is paid and accounted for: what was not used is paid back.

The lines are written in one bulk write (``add_expenses``; at national scale about 20 000
lines): the occasions' lines as committed or paid copies, after which saving the sources'
amounts makes the store drop the planned lines they settle, so no part of an occasion's cost is
counted twice. ``move_lines`` checks the caps against every stored expense for each line it
moves, which at national scale took a minute. Every line is checked against its source's rules
before it is written (``check_rules``), and every draw comes from the step's generator.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bouv_tui.domain import budget as rules
from bouv_tui.domain import plan as plan_rules
from bouv_tui.domain.budget import BudgetSettings, Expense, FundingSource
from bouv_tui.domain.plan import Occasion, Plan

#: The share of the grant that everything under its cap takes, planned occasions included.
CAP_TARGET = 0.49
#: The grant is at least what its year costs and this much more (spending behind pace).
MARGIN = 0.05
#: The own funds: what their lines cost and this much more, left for the rest of the year.
OWN_MARGIN = 0.10
#: An occasion starting this soon after ``today`` is booked for good: its lines are committed.
SOON = timedelta(days=14)
OWN_FUNDS_NAME = "Egna kompetensmedel"
#: Group supervision each month (own funds): this share of the teams, at this price a month.
SUPERVISED_TEAMS = 0.7
SUPERVISION_MONTH = (3_500, 6_500)
#: Administration of the grant each month: a line per this many handläggare (at least one).
ADMINISTRATION_PER = 100
ADMINISTRATION_MONTH = (2_500, 4_500)
#: A trip to a training held elsewhere, a night at a hotel there, a course book.
TRIP = (180, 950)
NIGHT = (1_050, 1_550)
STAYS_OVER = 0.6
BOOK = (350, 1_200)
BOOKS_ON_DAY_COURSES = 0.25
#: Places that need no trip: in the municipality, or at a distance.
LOCAL = ("Exempelby", "distans")


class DemoBudgetError(RuntimeError):
    """A line the demo made breaks its source's rules (a bug of the demo, not the user's)."""


@dataclass(frozen=True)
class DemoBudget:
    """What the step stored: the sources (this year's grant first) and how many lines it added."""

    grant: FundingSource
    own_funds: FundingSource
    last_grant: FundingSource
    last_own_funds: FundingSource
    lines: int


def grant_for(year: int, template: FundingSource) -> FundingSource:
    """The template's grant for ``year``: used over the calendar year (the plan starts in
    January), reported by the template's day the year after; its amounts are set later."""
    report = template.report_by or date(template.year + 1, 4, 30)
    return replace(
        template, year=year, requisitioned=0, paid_out=0, paid_back=0, use_from=date(year, 1, 1),
        use_until=date(year, 12, 31), report_by=report.replace(year=year + 1), id=None, version=0,
    )  # fmt: skip


def own_funds_for(year: int) -> FundingSource:
    return FundingSource(OWN_FUNDS_NAME, rules.OWN_FUNDS, year, use_from=date(year, 1, 1),
                         use_until=date(year, 12, 31), unspent=rules.MAY_BE_SAVED)  # fmt: skip


def settled_status(occasion: Occasion, today: date, settings: BudgetSettings) -> str | None:
    """What an occasion's lines are by ``today``: paid once finished and invoiced, committed
    when finished lately, ongoing or starting soon, else planned; None when it is cancelled."""
    if not occasion.counts:
        return None
    if occasion.status == plan_rules.DONE and occasion.start + timedelta(days=settings.payment_days) <= today:
        return rules.PAID
    if occasion.status in (plan_rules.DONE, plan_rules.ONGOING) or occasion.start <= today + SOON:
        return rules.COMMITTED
    return rules.PLANNED


def _day_status(day: date, occasion_status: str, today: date) -> str:
    """A line of an occasion dated ``day``: paid if the occasion's are and the day has come,
    committed if the occasion is, planned if it is."""
    if occasion_status == rules.PLANNED:
        return rules.PLANNED
    return rules.PAID if day <= today and occasion_status == rules.PAID else rules.COMMITTED


def _month_status(day: date, today: date) -> str:
    if day <= today:
        return rules.PAID
    return rules.COMMITTED if (day.year, day.month) == (today.year, today.month) else rules.PLANNED


def _within(day: date, source: FundingSource) -> date:
    """``day`` moved into the period the source must be used in."""
    if source.use_from and day < source.use_from:
        return source.use_from
    if source.use_until and day > source.use_until:
        return source.use_until
    return day


def occasion_extras(rng: random.Random, plan: Plan, occasion: Occasion, status: str, source: FundingSource,
                    today: date) -> list[Expense]:  # fmt: skip
    """The trips, hotel nights and course books of the people on ``occasion`` (its lines' own
    ``status``), tied to the occasion and paid by its source."""
    training = plan.training(occasion.training_id)
    seated = sorted(plan.seated(occasion.id))
    lines = []

    def line(day: date, amount: int, cost_type: str, note: str) -> None:
        day = _within(day, source)
        lines.append(Expense(day, amount, cost_type, source.id, _day_status(day, status, today), occasion.id,
                             note=f"{note} – {training.name}"))  # fmt: skip

    if not any(word in occasion.place for word in LOCAL):
        consecutive = (occasion.end - occasion.start).days + 1
        nights = consecutive - 1 if training.extent_unit == plan_rules.DAYS and consecutive == training.extent else 0
        for _ in seated:
            line(occasion.start + timedelta(days=rng.randint(3, 25)), rng.randrange(*TRIP, 10), "resor",
                 f"Resa till {occasion.place}")  # fmt: skip
            if nights and rng.random() < STAYS_OVER:
                line(occasion.start, nights * rng.randrange(*NIGHT, 10), "resor", f"Hotell {nights} nätter")
    if training.kind == plan_rules.TRAINING:
        books = 1.0 if training.extent_unit == plan_rules.HP else BOOKS_ON_DAY_COURSES if (training.extent or 0) >= 3 else 0.0
        for _ in seated:
            if rng.random() < books:
                line(occasion.start - timedelta(days=rng.randint(5, 20)), rng.randrange(*BOOK, 10), "kurslitteratur",
                     "Kurslitteratur")  # fmt: skip
    return lines


def monthly(rng: random.Random, year: int, today: date, units: Sequence[str], caseworkers: int,
            grant: FundingSource, own: FundingSource) -> list[Expense]:  # fmt: skip
    """Group supervision for most teams each month (own funds), and the grant's administration."""
    lines = []
    supervised = sorted(rng.sample(list(units), max(1, round(len(units) * SUPERVISED_TEAMS)))) if units else []
    offices = max(1, math.ceil(caseworkers / ADMINISTRATION_PER))
    for month in range(1, 13):
        day = date(year, month, 25)
        status = _month_status(day, today)
        for unit in supervised:
            lines.append(Expense(day, rng.randrange(*SUPERVISION_MONTH, 100), "stod_handledning", own.id, status,
                                 note=f"Grupphandledning, {unit}"))  # fmt: skip
        for n in range(offices):
            office = "" if offices == 1 else f" ({n + 1} av {offices})"
            lines.append(Expense(day, rng.randrange(*ADMINISTRATION_MONTH, 100), "administration", grant.id, status,
                                 note=f"Samordning och redovisning av statsbidraget{office}"))  # fmt: skip
    return lines


def check_rules(source: FundingSource, lines: Sequence[Expense]) -> None:
    """What ``check_expense`` refuses, for all of a source's lines at once (a bug of the demo,
    not the user's): a cost type it does not pay, a day outside its period, a cap past its
    limit, more used than was paid out."""
    own = [e for e in lines if e.source_id == source.id]
    for e in own:
        if e.cost_type not in source.cost_types or not source.in_period(e.day):
            raise DemoBudgetError(f"demo line outside the rules of {source.name} {source.year}: {e}")
    f = rules.figures(source, own)
    if f.left < 0 or any(c.room < 0 for c in f.caps):
        raise DemoBudgetError(f"demo budget of {source.name} {source.year} past its limits")


def _round_up(amount: float, step: int) -> int:
    return int(math.ceil(amount / step - 1e-9)) * step


def _capped(source: FundingSource, lines: Sequence[Expense]) -> int:
    types = {t for cap in source.caps for t in cap.cost_types}
    return sum(e.amount for e in lines if e.source_id == source.id and e.cost_type in types)


def _total(source: FundingSource, lines: Sequence[Expense]) -> int:
    return sum(e.amount for e in lines if e.source_id == source.id)


def _vouchers(lines: Sequence[Expense]) -> list[Expense]:
    """Every paid line gets a voucher number of the finance system, in date order."""
    order = sorted(range(len(lines)), key=lambda i: (lines[i].day, i))
    numbered = list(lines)
    count: dict[int, int] = {}
    for i in order:
        e = lines[i]
        if e.status == rules.PAID:
            count[e.day.year] = count.get(e.day.year, 0) + 1
            numbered[i] = replace(e, voucher=f"{e.day.year}-{count[e.day.year]:05d}")
    return numbered


def write_budget(rng: random.Random, repo, today: date, caseworkers: int, units: Sequence[str],
                 template: FundingSource) -> DemoBudget:  # fmt: skip
    """Store this year's and last year's sources and expenses (see the module's docstring)."""
    from bouv_tui.store import budget as store
    from bouv_tui.store.plans import read_plan

    year = today.year
    settings = store.read_budget_settings(repo.path)
    stored: dict[tuple[int, str], FundingSource] = {}
    for source in (grant_for(year, template), own_funds_for(year), grant_for(year - 1, template),
                   own_funds_for(year - 1)):  # fmt: skip
        stored[(source.year, source.kind)] = repo.save_source(source)
    planned = [e for e in store.read_expenses(repo.path) if e.origin is not None]
    by_occasion: dict[int, list[Expense]] = {}
    for e in planned:
        by_occasion.setdefault(e.occasion_id, []).append(e)

    new: list[Expense] = []
    for y in (year - 1, year):
        plan = read_plan(repo.path, y)
        for occasion in plan.occasions:
            source = stored.get((y, occasion.funding))
            status = settled_status(occasion, today, settings)
            if source is None or status is None:
                continue
            if status != rules.PLANNED:
                new += [replace(e, id=None, version=0, status=status) for e in by_occasion.get(occasion.id, [])]
            new += occasion_extras(rng, plan, occasion, status, source, today)
    new += monthly(rng, year, today, units, caseworkers, stored[(year, rules.GRANT)], stored[(year, rules.OWN_FUNDS)])
    new = _vouchers(new)

    # Every line of a source: the planned ones the store keeps, and the new ones.
    settled = {(e.occasion_id, e.origin) for e in new if e.origin is not None}
    lines = [e for e in planned if (e.occasion_id, e.origin) not in settled] + new
    sized = {}
    for (y, kind), source in stored.items():
        total = _total(source, lines)
        if kind == rules.GRANT:
            paid_out = max(_round_up(_capped(source, lines) / CAP_TARGET, 1_000), _round_up(total * (1 + MARGIN), 1_000))
            if y < year:  # accounted for: what was not used went back
                source = replace(source, requisitioned=paid_out, paid_out=paid_out, paid_back=paid_out - total)
            else:
                source = replace(source, requisitioned=paid_out, paid_out=paid_out)
        else:
            paid_out = _round_up(total * (1 + OWN_MARGIN), 10_000) if y == year else total
            source = replace(source, paid_out=paid_out)
        check_rules(source, lines)
        sized[(y, kind)] = source
    added = repo.add_expenses(new)
    # Saving the amounts makes the store sync the lines: the planned ones settled above go.
    done = {key: repo.save_source(source) for key, source in sized.items()}
    return DemoBudget(done[(year, rules.GRANT)], done[(year, rules.OWN_FUNDS)], done[(year - 1, rules.GRANT)],
                      done[(year - 1, rules.OWN_FUNDS)], added)  # fmt: skip

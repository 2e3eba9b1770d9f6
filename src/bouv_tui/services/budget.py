"""The budget's service (F9, issue 15): the year's funding sources and expenses read once
into one view, the grant file in and out, and every write of the budget on the one writer.

An occasion's cost is its expense lines: the plan's writes make them (``store.budget``), so
the budget reads them as it reads any expense, and never counts a training twice."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bouv_tui.domain import budget as rules
from bouv_tui.domain import catalog
from bouv_tui.domain.budget import BudgetSettings, Expense, FundingSource, SourceFigures
from bouv_tui.errors import BouvError
from bouv_tui.exchange.formats import FINANCE
from bouv_tui.services.plan import PlanSection


class UnknownSource(BouvError):
    """A funding source asked for by name and year that is not in the database."""


@dataclass(frozen=True)
class LineDifference:
    """An occasion whose committed lines no longer match what the plan says it costs (its
    participants changed after it was confirmed): the chef is asked before they change."""

    occasion_id: int
    committed: int
    planned_now: int


@dataclass
class BudgetView:
    """What the budget screen shows for a year, from one read."""

    year: int
    sources: list[FundingSource]
    #: Every line of the year's sources; None in the first frame's read (only ``folded``).
    expenses: list[Expense] | None
    settings: BudgetSettings
    #: The lines with the paid ones folded into sums (``budget_whatif.fold_paid``): what the
    #: figures, the forecast and the months are worked out from; in the first frame's read the
    #: sums per source, status and cost type alone (the figures, not the forecast).
    folded: list[Expense] = field(default_factory=list)
    #: Occasions of the year's plan funded by a kind of source the year does not have.
    unfunded: int = 0
    #: The year's trainings and occasions, without bookings (what names an occasion's lines).
    plan: object = None
    #: Occasions whose committed lines differ from what they cost now (None: not read yet).
    differences: list[LineDifference] | None = None

    def describe(self, e: Expense) -> str:
        """An expense in words: the training and the part of its cost, or its note."""
        if e.note and e.origin is None:
            return e.note
        if e.occasion_id is not None and self.plan is not None:
            occasion = self._occasions().get(e.occasion_id)
            if occasion is not None:
                name = self.plan.training(occasion.training_id).name
                part = rules.ORIGIN_LABELS.get(e.origin) or catalog.COST_TYPES.label(e.cost_type).lower()
                return f"{name}, {part}"
        return e.note or catalog.COST_TYPES.label(e.cost_type)

    def _occasions(self) -> dict:
        if getattr(self, "_by_id", None) is None:
            self._by_id = {o.id: o for o in self.plan.occasions}
        return self._by_id

    def expense(self, expense_id: int | None) -> Expense | None:
        """A stored expense by id (an index built once a read: a screen asks at every move)."""
        if getattr(self, "_expense_index", None) is None:
            self._expense_index = {e.id: e for e in self.expenses or ()}
        return self._expense_index.get(expense_id)

    def source(self, source_id: int | None) -> FundingSource | None:
        return next((s for s in self.sources if s.id == source_id), None)


class BudgetSection(PlanSection):
    """Reads the plan (for the occasions behind the lines) and the roster (for the report's
    person counts) as well as the budget's own rows."""

    # --- reads ---------------------------------------------------------------------------------

    def sources(self, year: int | None = None) -> list[FundingSource]:
        from bouv_tui.store import budget

        return budget.read_sources(self.path, year)

    def expenses(self, year: int | None = None) -> list[Expense]:
        from bouv_tui.store import budget

        return budget.read_expenses(self.path, year)

    def budget_settings(self) -> BudgetSettings:
        from bouv_tui.store import budget

        return budget.read_budget_settings(self.path)

    def budget_view(self, year: int, *, differences: bool = True, lines: bool = True) -> BudgetView:
        """The year's budget in one read. ``lines=False`` is the first frame's read: the
        sources and their expenses summed in SQL per status and cost type (``folded``; the
        figures and the caps, not the forecast), no line (``expenses`` None), no plan.
        ``differences=False``: without the occasions whose committed lines differ from their
        cost now (``line_differences``)."""
        from bouv_tui.domain.budget_whatif import fold_paid
        from bouv_tui.store import budget

        sources = self.sources(year)
        sources.sort(key=lambda s: (s.kind != rules.GRANT, s.name))  # the state grant first
        if not lines:
            sums = budget.read_source_sums(self.path, year)
            return BudgetView(year, sources, None, self.budget_settings(), folded=sums)
        expenses = self.expenses(year)
        view = BudgetView(year, sources, expenses, self.budget_settings(), folded=fold_paid(expenses))
        kinds = {s.kind for s in sources}
        plan = view.plan = self.plan_outline(year)
        view.unfunded = sum(1 for o in plan.occasions if o.counts and o.funding not in kinds)
        if differences:
            view.differences = self.line_differences(year, view)
        return view

    def prefetch_budget(self, year: int) -> None:
        """Start reading the budget of ``year`` in a background thread while the UI is
        imported (the app opened on Budget); the next ``budget_first_view(year)`` takes it."""
        from bouv_tui.services.workspace import in_background

        self._budget_prefetch = (year, in_background(
            "bouv-tui: budget", lambda: self.budget_view(year, differences=False, lines=False)))  # fmt: skip

    def budget_read_ahead(self, year: int) -> BudgetView | None:
        """The budget of ``year`` read ahead (``prefetch_budget``), when it is there already
        (None otherwise, and then it is left for ``budget_first_view``): the first frame shows
        it at once rather than after a worker."""
        prefetch = getattr(self, "_budget_prefetch", None)
        if prefetch is None or prefetch[0] != year or not prefetch[1].done() or prefetch[1].exception() is not None:
            return None
        self._budget_prefetch = None
        return prefetch[1].result()

    def budget_first_view(self, year: int) -> BudgetView:
        """The budget of ``year`` without the line differences, read ahead when it was asked."""
        prefetch, self._budget_prefetch = getattr(self, "_budget_prefetch", None), None
        if prefetch is not None and prefetch[0] == year:
            return prefetch[1].result()
        return self.budget_view(year, differences=False, lines=False)

    def budget_outlook(self, year: int, today) -> list[tuple[SourceFigures, object]]:
        """Each source of ``year`` with its figures and its year-end forecast (what the start
        screen warns of), read without the plan."""
        sources, expenses = self.sources(year), self.expenses(year)
        settings = self.budget_settings()
        found = []
        for source in sources:
            f = rules.figures(source, expenses)
            found.append((f, rules.forecast(f, expenses, today, settings)))
        return found

    def plan_outline(self, year: int):
        """The year's trainings and occasions without the bookings (what names the lines)."""
        from bouv_tui.store.plans import read_plan

        return read_plan(self.path, year, participants=False)

    def source_named(self, name: str, year: int) -> FundingSource:
        wanted = name.strip().casefold()
        found = [s for s in self.sources(year) if s.name.casefold() == wanted]
        if not found:
            known = ", ".join(s.name for s in self.sources(year)) or "inga"
            raise UnknownSource(f"Det finns ingen finansieringskälla {name!r} för {year} (finns: {known}).")
        return found[0]

    def occasion_costs(self, year: int) -> dict[int, list[Expense]]:
        """What each occasion of the year's plan costs now, as planned lines (the rule the
        store makes them by, ``budget.occasion_lines``), keyed by occasion id."""
        from bouv_tui.store.budget import read_occasion_costs

        return read_occasion_costs(self.path, year)

    def committed_difference(self, occasion_id: int) -> LineDifference | None:
        """The occasion's committed lines against what it costs now, when they differ (after a
        booking: the plan says so, and the chef adjusts in the budget)."""
        from bouv_tui.store.budget import read_committed, read_occasion_costs

        committed = read_committed(self.path, occasion_id)
        if committed is None:
            return None
        now = sum(e.amount for e in read_occasion_costs(self.path, occasion_ids=[occasion_id]).get(occasion_id, []))
        return None if now == committed else LineDifference(occasion_id, committed, now)

    def line_differences(self, year: int, view: BudgetView | None = None) -> list[LineDifference]:
        """The occasions of ``year`` whose committed lines differ from what they cost now."""
        view = view or self.budget_view(year)
        committed: dict[int, int] = {}
        for e in view.expenses:
            if e.occasion_id is not None and e.origin is not None and e.status == rules.COMMITTED:
                committed[e.occasion_id] = committed.get(e.occasion_id, 0) + e.amount
        if not committed:
            return []
        costs = self.occasion_costs(year)
        now = {i: sum(e.amount for e in costs.get(i, [])) for i in committed}
        return [LineDifference(i, amount, now[i]) for i, amount in committed.items() if amount != now[i]]

    # --- the grant file -------------------------------------------------------------------------

    def import_grant(self, file: Path) -> tuple[FundingSource, bool]:
        """Add the funding source a grant file describes, or update the one with its name and
        year; ``GrantFileError`` (nothing stored) when the file is wrong."""
        from bouv_tui.exchange.grant_file import read_grant

        source = read_grant(Path(file))
        return self.write(lambda repo: repo.import_source(source))

    def export_grant(self, name: str, year: int, target: Path, *, replace_readonly: bool = False) -> Path:
        from bouv_tui.exchange.atomic import write_export
        from bouv_tui.exchange.grant_file import grant_toml
        from bouv_tui.services.exports import check_export_target

        check_export_target(Path(target), replace_readonly=replace_readonly)
        data = grant_toml(self.source_named(name, year)).encode("utf-8")
        return write_export(Path(target), lambda f: f.write(data), replace_readonly=replace_readonly)

    # --- writes ----------------------------------------------------------------------------------

    def save_source(self, source: FundingSource, *, shown: FundingSource | None = None,
                    force: bool = False) -> FundingSource:  # fmt: skip
        return self.write(lambda repo: repo.save_source(source, shown=shown, force=force))

    def delete_source(self, source_id: int, *, version: int = 0, force: bool = False) -> None:
        self.write(lambda repo: repo.delete_source(source_id, version=version, force=force))

    def save_expense(self, expense: Expense, *, shown: Expense | None = None, force: bool = False) -> Expense:
        return self.write(lambda repo: repo.save_expense(expense, shown=shown, force=force))

    def delete_expense(self, expense_id: int, *, version: int = 0, force: bool = False) -> None:
        self.write(lambda repo: repo.delete_expense(expense_id, version=version, force=force))

    def move_lines(self, expenses: Sequence[Expense], status: str) -> int:
        lines = list(expenses)
        return self.write(lambda repo: repo.move_lines(lines, status))

    def adjust_committed(self, occasion_id: int) -> int:
        return self.write(lambda repo: repo.adjust_committed(occasion_id))

    def save_budget_settings(self, settings: BudgetSettings) -> None:
        self.write(lambda repo: repo.save_budget_settings(settings))

    def scenarios(self, year: int) -> list[tuple[int, str, str, int]]:
        from bouv_tui.store import budget

        return budget.read_scenarios(self.path, year)

    def save_scenario(self, year: int, name: str, body: str, *, scenario_id: int | None = None,
                      version: int = 0) -> tuple[int, int]:  # fmt: skip
        return self.write(lambda repo: repo.save_scenario(year, name, body, scenario_id=scenario_id, version=version))

    def delete_scenario(self, scenario_id: int) -> None:
        self.write(lambda repo: repo.delete_scenario(scenario_id))

    # --- the expense file ------------------------------------------------------------------------

    def plan_expense_import(self, file: Path):
        """Read and check an expense file against every funding source, every stored expense and
        the plan of the sources' years (``exchange.expense_import``); raises ``ImportFileError``."""
        from bouv_tui.exchange.expense_import import plan_expense_import

        sources, expenses = self.sources(), self.expenses()
        trainings, occasions = [], []
        for year in sorted({s.year for s in sources}):
            plan = self.plan_outline(year)
            trainings += plan.trainings
            occasions += plan.occasions
        plan = plan_expense_import(Path(file), sources, expenses, trainings, occasions)
        plan.basis = _expense_basis(expenses)
        return plan

    def apply_expense_import(self, plan) -> str:
        """Store a checked plan in one transaction; refused whole (``StaleImport``) when the
        expenses changed since it was planned. Returns what was done, in Swedish."""
        if not plan.ok:
            raise ValueError("an import plan with errors cannot be applied")
        if plan.nothing_to_do:
            return f"Ingenting att ändra: {plan.summary()}."
        self.write(lambda repo: repo.import_expenses(plan.adds, plan.updates, plan.basis))
        return f"Klart: {plan.summary()}."

    # --- the financial report -----------------------------------------------------------------------

    def year_grant(self, year: int) -> FundingSource:
        """The state grant of ``year`` the financial report is of (the first by name)."""
        grants = [s for s in self.sources(year) if s.kind == rules.GRANT]
        if not grants:
            raise UnknownSource(
                f"Det finns inget statsbidrag för {year}: läs in en bidragsfil först (bouv-tui import grant FIL.toml)."
            )
        return grants[0]

    def finance_report(self, year: int):
        """The financial report of the year's grant and its checks: (report, problems)."""
        from datetime import date

        from bouv_tui.domain import finance
        from bouv_tui.domain.plan import report_person_counts

        source = self.year_grant(year)
        expenses = self.expenses(year)
        round_ = next((r for r in self.rounds() if r.year == year), None)
        on = round_.reference_date if round_ is not None else date(year, 12, 31)
        people = {p.id: p for p in self.staff() if p.id is not None}
        counts = report_person_counts(self.plan(year), year, people, on)
        report = finance.finance_report(year, source, expenses, counts)
        return report, finance.finance_problems(source, expenses, report)

    def export_finance(self, year: int, fmt: str, target: Path, *, replace_readonly: bool = False) -> Path:
        """Write the year's financial report as ``fmt`` (``FINANCE_FORMATS``), whole or not at all."""
        return self.export_finance_checked(year, fmt, target, replace_readonly=replace_readonly)[0]

    def export_finance_checked(self, year: int, fmt: str, target: Path, *,
                               replace_readonly: bool = False) -> tuple[Path, list]:  # fmt: skip
        """``export_finance``, and the report's problems (read once for both)."""
        from bouv_tui.exchange.exporters.finance_export import export_finance
        from bouv_tui.services.exports import check_export_target

        FINANCE.check(fmt, Path(target))
        check_export_target(Path(target), replace_readonly=replace_readonly)
        report, problems = self.finance_report(year)
        return export_finance(report, fmt, Path(target), problems, replace_readonly=replace_readonly), problems

    def export_budget(self, year: int, target: Path, *, replace_readonly: bool = False) -> Path:
        """Budget against actual by cost type and month for the year's sources (xlsx)."""
        from bouv_tui.exchange.exporters.budget_export import export_budget
        from bouv_tui.services.exports import check_export_target

        check_export_target(Path(target), replace_readonly=replace_readonly)
        sources = self.sources(year)
        if not sources:
            raise UnknownSource(f"Det finns ingen finansieringskälla för {year}: inget att exportera.")
        return export_budget(year, sources, self.expenses(year), "xlsx", Path(target),
                             replace_readonly=replace_readonly)  # fmt: skip

    # --- what-if and effect --------------------------------------------------------------------------

    def apply_scenario(self, scenario, view: BudgetView) -> None:
        """Make a what-if real, all or nothing, on the rows as ``view`` read them: the occasions
        it switched off are cancelled, the planned lines it switched off removed, its amounts
        saved and its hypothetical trainings added as planned lines (a row changed since:
        ``Conflict``, nothing changed)."""
        from dataclasses import replace

        from bouv_tui.domain.budget_whatif import switched_off

        plan = view.plan
        by_id = {e.id: e for e in view.expenses}
        occasions = [o for o in plan.occasions if o.id in scenario.off_occasions and o.counts]
        remove = [e for e in view.expenses if switched_off(e, scenario) and e.occasion_id not in scenario.off_occasions]
        amounts = [replace(by_id[i], amount=a) for i, a in sorted(scenario.amounts.items())
                   if i in by_id and by_id[i].status != rules.PAID and not switched_off(by_id[i], scenario)]  # fmt: skip
        add = [Expense(t.day, t.amount, t.cost_type, t.source_id, rules.PLANNED, note=f"Tänkt: {t.name}")
               for t in scenario.trainings]  # fmt: skip
        self.write(lambda repo: repo.apply_changes(cancel_occasions=occasions, remove=remove, amounts=amounts, add=add))

    def effect(self, year: int):
        """Effect per krona of ``year``: the year's training cost per area against how the
        participants' levels moved from the round before to the year's round (empty without
        both rounds)."""
        from bouv_tui.domain.budget_effect import effect_per_krona

        rounds = {r.year: r for r in self.rounds()}
        if year not in rounds or year - 1 not in rounds:
            return []
        plan = self.plan(year)

        def levels(round_):
            return {(a.staff_id, a.area): a.level for a in self.read_levels(round_.id) if a.level}

        return effect_per_krona(plan.trainings, plan.occasions, plan.participants, self.expenses(year),
                                levels(rounds[year - 1]), levels(rounds[year]))  # fmt: skip


#: The financial report's export formats (``exchange.formats.FINANCE``), as the screen offers them.
FINANCE_FORMATS = FINANCE.names


def _expense_basis(expenses: Sequence[Expense]) -> tuple[int, int, int]:
    """What an expense import was planned against: how many expenses, the sum of their
    versions and the largest id (any write since changes one of them)."""
    return len(expenses), sum(e.version for e in expenses), max((e.id or 0 for e in expenses), default=0)

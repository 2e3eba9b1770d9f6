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
    expenses: list[Expense]
    settings: BudgetSettings
    figures: list[SourceFigures] = field(default_factory=list)
    #: Occasions of the year's plan funded by a kind of source the year does not have.
    unfunded: int = 0
    #: The year's trainings and occasions, without bookings (what names an occasion's lines).
    plan: object = None

    def describe(self, e: Expense) -> str:
        """An expense in words: the training and the part of its cost, or its note."""
        if e.occasion_id is not None and self.plan is not None:
            occasion = next((o for o in self.plan.occasions if o.id == e.occasion_id), None)
            if occasion is not None:
                name = self.plan.training(occasion.training_id).name
                part = rules.ORIGIN_LABELS.get(e.origin, "") if e.origin else (e.note or "")
                return f"{name}, {part}" if part else name
        return e.note or catalog.COST_TYPES.label(e.cost_type)

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

    def budget_view(self, year: int) -> BudgetView:
        sources, expenses = self.sources(year), self.expenses(year)
        view = BudgetView(year, sources, expenses, self.budget_settings())
        view.figures = [rules.figures(s, expenses) for s in sources]
        kinds = {s.kind for s in sources}
        plan = view.plan = self.plan_outline(year)
        view.unfunded = sum(1 for o in plan.occasions if o.counts and o.funding not in kinds)
        return view

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

    def occasion_costs(self, year: int, view: BudgetView | None = None) -> dict[int, list[Expense]]:
        """What each occasion of the year's plan costs now, as planned lines (the rule the
        store makes them by, ``budget.occasion_lines``), keyed by occasion id."""
        view = view or self.budget_view(year)
        plan = self.plan(year)
        first = {}
        for s in sorted(view.sources, key=lambda s: s.id or 0):
            first.setdefault(s.kind, s.id)
        rate = view.settings.cover_daily_rate
        return {
            o.id: rules.occasion_lines(o, plan.training(o.training_id).kind, len(plan.seated(o.id)), rate,
                                       first.get(o.funding))
            for o in plan.occasions
            if first.get(o.funding) is not None
        }  # fmt: skip

    def line_differences(self, year: int, view: BudgetView | None = None) -> list[LineDifference]:
        """The occasions of ``year`` whose committed lines differ from what they cost now."""
        view = view or self.budget_view(year)
        committed: dict[int, int] = {}
        for e in view.expenses:
            if e.occasion_id is not None and e.origin is not None and e.status == rules.COMMITTED:
                committed[e.occasion_id] = committed.get(e.occasion_id, 0) + e.amount
        if not committed:
            return []
        costs = self.occasion_costs(year, view)
        return [
            LineDifference(i, amount, sum(e.amount for e in costs.get(i, [])))
            for i, amount in committed.items()
            if amount != sum(e.amount for e in costs.get(i, []))
        ]

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

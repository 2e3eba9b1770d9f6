"""The budget's rows (migration 0006): funding sources with their caps, expenses, what-if
scenarios and the budget's settings, read on ``sqlite3``; and their writes, each in one
transaction of the one write path (``Repository`` takes them from ``BudgetWrites``).

A training occasion's cost is its expense lines (``origin`` set): every write of the plan
that changes what an occasion costs — its seats taken, its cost, its status, the daily rate
of substitute cover — makes its *planned* lines again in the same transaction
(``BudgetWrites`` wraps the plan's writes). Committed and paid lines are never changed by
it: the screen shows where they differ from the plan and asks (``adjust_committed``)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from bouv_tui.domain import budget as rules
from bouv_tui.domain import plan as plan_rules
from bouv_tui.domain.budget import BudgetSettings, Cap, Expense, FundingSource
from bouv_tui.errors import BouvError, Conflict
from bouv_tui.store.db import connect
from bouv_tui.store.plans import _stored_as_shown

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

_SOURCE_FIELDS = (
    "id, year, name, kind, requisitioned, paid_out, paid_back, use_from, use_until, report_by, unspent, "
    "cost_types, version"
)
_EXPENSE_FIELDS = "id, source_id, day, amount, cost_type, status, occasion_id, origin, voucher, note, version"


class BudgetRefused(BouvError):
    """An expense the source's rules refuse (a cost type it does not pay, a ``stoppa`` cap)."""


def _codes(text: str) -> tuple[str, ...]:
    return tuple(code for code in (text or "").split(",") if code)


def _day(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _source(row, caps: Sequence[Cap]) -> FundingSource:
    id_, year, name, kind, req, paid, back, start, end, report, unspent, types, version = row
    return FundingSource(
        name, kind, year, req, paid, back, _day(start), _day(end), _day(report), unspent, _codes(types),
        tuple(caps), id_, version,
    )  # fmt: skip


def _expense(row) -> Expense:
    id_, source_id, day, amount, cost_type, status, occasion_id, origin, voucher, note, version = row
    return Expense(_day(day), amount, cost_type, source_id, status, occasion_id, voucher or "", note or "", origin,
                   id_, version)  # fmt: skip


def read_sources(path: Path, year: int | None = None) -> list[FundingSource]:
    """The funding sources of ``year`` (every year: None), by year and name, with their caps."""
    conn = connect(path, readonly=True)
    try:
        where, args = ("WHERE year = ?", (year,)) if year is not None else ("", ())
        rows = conn.execute(f"SELECT {_SOURCE_FIELDS} FROM funding_source {where} ORDER BY year, name, id",
                            args).fetchall()  # fmt: skip
        caps = conn.execute(
            "SELECT source_id, name, share, action, cost_types FROM funding_cap ORDER BY source_id, position"
        ).fetchall()
    finally:
        conn.close()
    by_source: dict[int, list[Cap]] = {}
    for source_id, name, share, action, types in caps:
        by_source.setdefault(source_id, []).append(Cap(name, share, _codes(types), action))
    return [_source(row, by_source.get(row[0], ())) for row in rows]


def read_expenses(path: Path, year: int | None = None) -> list[Expense]:
    """The expenses of the sources of ``year`` (every year: None), by date."""
    conn = connect(path, readonly=True)
    try:
        if year is None:
            rows = conn.execute(f"SELECT {_EXPENSE_FIELDS} FROM expense ORDER BY day, id").fetchall()
        else:
            rows = conn.execute(
                f"SELECT {_EXPENSE_FIELDS} FROM expense WHERE source_id IN "
                "(SELECT id FROM funding_source WHERE year = ?) ORDER BY day, id",
                (year,),
            ).fetchall()
    finally:
        conn.close()
    days: dict = {}  # a year has a few hundred days: each parsed once
    found = []
    for id_, source_id, day, amount, cost_type, status, occasion_id, origin, voucher, note, version in rows:
        when = days.get(day) or days.setdefault(day, _day(day))
        found.append(Expense(when, amount, cost_type, source_id, status, occasion_id, voucher or "", note or "",
                             origin, id_, version))  # fmt: skip
    return found


def read_source_sums(path: Path, year: int) -> list[Expense]:
    """The expenses of the sources of ``year`` summed in SQL per source, status and cost type,
    one line each (undated: the year's first day): all the figures and the caps read, for a
    first frame that does not wait for every line (at national scale 18 000 rows)."""
    conn = connect(path, readonly=True)
    try:
        sums = conn.execute(
            "SELECT source_id, status, cost_type, SUM(amount) FROM expense "
            "WHERE source_id IN (SELECT id FROM funding_source WHERE year = ?) GROUP BY 1, 2, 3", (year,),
        ).fetchall()  # fmt: skip
    finally:
        conn.close()
    return [Expense(date(year, 1, 1), amount, cost_type, source_id, status)
            for source_id, status, cost_type, amount in sums]  # fmt: skip


def read_committed(path: Path, occasion_id: int) -> int | None:
    """What is committed of an occasion's own lines (None: none is committed)."""
    conn = connect(path, readonly=True)
    try:
        row = conn.execute(
            "SELECT COUNT(*), COALESCE(SUM(amount), 0) FROM expense WHERE occasion_id = ? AND origin IS NOT NULL "
            "AND status = 'atagen'", (occasion_id,),
        ).fetchone()  # fmt: skip
    finally:
        conn.close()
    return row[1] if row[0] else None


def read_budget_settings(path: Path) -> BudgetSettings:
    conn = connect(path, readonly=True)
    try:
        row = conn.execute("SELECT cover_daily_rate, payment_days, warn_months FROM settings WHERE id = 1").fetchone()
    finally:
        conn.close()
    return BudgetSettings() if row is None else BudgetSettings(*row)


def read_scenarios(path: Path, year: int) -> list[tuple[int, str, str, int]]:
    """The saved what-if scenarios of ``year``: (id, name, body as JSON, version), by name."""
    conn = connect(path, readonly=True)
    try:
        return [tuple(r) for r in conn.execute(
            "SELECT id, name, body, version FROM scenario WHERE year = ? ORDER BY name, id", (year,)
        ).fetchall()]  # fmt: skip
    finally:
        conn.close()


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _tables():
    from bouv_tui.store.repo import _table

    return _table("funding_source"), _table("funding_cap"), _table("expense"), _table("scenario")


def _source_values(s: FundingSource) -> dict:
    return {
        "year": s.year, "name": s.name, "kind": s.kind, "requisitioned": s.requisitioned, "paid_out": s.paid_out,
        "paid_back": s.paid_back, "use_from": s.use_from, "use_until": s.use_until, "report_by": s.report_by,
        "unspent": s.unspent, "cost_types": ",".join(s.cost_types),
    }  # fmt: skip


def _expense_values(e: Expense) -> dict:
    return {
        "source_id": e.source_id, "day": e.day, "amount": e.amount, "cost_type": e.cost_type, "status": e.status,
        "occasion_id": e.occasion_id, "origin": e.origin, "voucher": e.voucher, "note": e.note,
    }  # fmt: skip


#: The stored columns in the words of the forms, for the conflict dialog.
_LABELS = {
    "year": "År", "name": "Namn", "kind": "Typ", "requisitioned": "Rekvirerat", "paid_out": "Utbetalt",
    "paid_back": "Återbetalt", "use_from": "Används från", "use_until": "Används till",
    "report_by": "Redovisas senast", "unspent": "Ej förbrukat", "cost_types": "Kostnadstyper",
    "source_id": "Finansiering", "day": "Datum", "amount": "Belopp", "cost_type": "Kostnadstyp",
    "status": "Status", "occasion_id": "Tillfälle", "origin": "Rad", "voucher": "Verifikation", "note": "Anteckning",
}  # fmt: skip


def _costs_query(occasion_ids: Sequence[int] | None, years: Sequence[int] | None) -> str | None:
    """The occasions (of ``occasion_ids``, or of the trainings of ``years``) with what prices
    them: their cost, the training's kind and year, and the seats taken (counted in SQL)."""
    if occasion_ids is not None:
        if not occasion_ids:
            return None
        where = f"o.id IN ({', '.join(str(int(i)) for i in occasion_ids)})"
    else:
        if not years:
            return None
        where = f"t.year IN ({', '.join(str(int(y)) for y in years)})"
    return (
        "SELECT o.id, o.training_id, o.start_date, o.end_date, o.status, o.funding, o.cost_fixed, "
        "o.cost_per_participant, o.days_away, t.kind, t.year, "
        "(SELECT COUNT(*) FROM participant p WHERE p.occasion_id = o.id AND p.status IN ('anmald', 'deltog')) "
        f"FROM occasion o JOIN training t ON t.id = o.training_id WHERE {where}"
    )


def _costs(rows, rate: int | None, sources) -> dict[int, list[Expense]]:
    """Each occasion's planned lines from ``_costs_query``'s rows, the daily rate of cover and
    the sources as (year, kind, id), the last of them first (the first of a kind in a year wins)."""
    rate = BudgetSettings().cover_daily_rate if rate is None else rate
    first = {}
    for year, kind, source_id in sources:
        first[(year, kind)] = source_id
    costs: dict[int, list[Expense]] = {}
    for id_, training_id, start, end, status, funding, fixed, per, days, kind, year, seated in rows:
        occasion = plan_rules.Occasion(training_id, _day(start), _day(end), status, "", None, funding, fixed, per,
                                       float(days), id_)  # fmt: skip
        source_id = first.get((year, funding))
        costs[id_] = [] if source_id is None else rules.occasion_lines(occasion, kind, seated, rate, source_id)
    return costs


def read_occasion_costs(path: Path, year: int | None = None, *,
                        occasion_ids: Sequence[int] | None = None) -> dict[int, list[Expense]]:  # fmt: skip
    """What each occasion of ``year``'s plan (or of ``occasion_ids``) costs now (the lines the
    store would make), read on ``sqlite3`` with the seats counted in SQL: what the budget
    compares committed lines to."""
    query = _costs_query(occasion_ids, None if occasion_ids is not None else [year])
    if query is None:
        return {}
    conn = connect(path, readonly=True)
    try:
        rows = conn.execute(query).fetchall()
        rate = conn.execute("SELECT cover_daily_rate FROM settings WHERE id = 1").fetchone()
        sources = conn.execute("SELECT year, kind, id FROM funding_source ORDER BY id DESC").fetchall()
    finally:
        conn.close()
    return _costs(rows, rate[0] if rate else None, sources)


class BudgetWrites:
    """The budget's writes; mixed into ``store.repo.Repository`` before ``PlanWrites``, whose
    writes it wraps so that an occasion's planned lines follow the plan."""

    # --- funding sources ------------------------------------------------------------------

    def save_source(self, source: FundingSource, *, shown: FundingSource | None = None,
                    force: bool = False) -> FundingSource:  # fmt: skip
        """Add a source (no id) or save a stored one with its caps; the occasions of its year
        funded by its kind get their planned lines (a new grant prices the plan at once)."""
        from sqlalchemy import delete, insert, update

        shown = shown or source
        table, caps, _, _ = _tables()
        values = _source_values(source)
        now = _now()
        with self.transaction() as conn:
            if source.id is None:
                source_id = conn.execute(insert(table).values(**values, version=1, updated_at=now)).inserted_primary_key[0]
                version = 1
            else:
                current = _stored_as_shown(conn, table, source.id, shown.version, force, "Finansieringskällan",
                                           _source_values(shown), values, labels=_LABELS)  # fmt: skip
                source_id, version = source.id, current["version"] + 1
                conn.execute(update(table).where(table.c.id == source_id).values(**values, version=version,
                                                                                   updated_at=now))  # fmt: skip
                conn.execute(delete(caps).where(caps.c.source_id == source_id))
            if source.caps:
                conn.execute(insert(caps), [
                    {"source_id": source_id, "position": i, "name": c.name, "share": c.share, "action": c.action,
                     "cost_types": ",".join(c.cost_types)}
                    for i, c in enumerate(source.caps)
                ])  # fmt: skip
            self.sync_lines(conn, years=[source.year])
        return replace(source, id=source_id, version=version)

    def import_source(self, source: FundingSource) -> tuple[FundingSource, bool]:
        """A grant file's source: it updates the one with the same name and year (its rules
        and amounts; its expenses stay), or is added. Returns it stored, and whether it was new.
        The name is matched as everywhere else (the expense file, ``export grant``): case and
        spaces do not matter, so a file cannot add a second source the others cannot tell apart."""
        from sqlalchemy import select

        def key(name: str) -> str:
            return " ".join(name.split()).casefold()

        table, _, _, _ = _tables()
        with self.transaction() as conn:
            found = next((row for row in conn.execute(
                select(table.c.id, table.c.version, table.c.name).where(table.c.year == source.year).order_by(table.c.id)
            ) if key(row.name) == key(source.name)), None)  # fmt: skip
            if found is None:
                return self.save_source(replace(source, id=None)), True
            stored = replace(source, id=found.id, version=found.version)
            return self.save_source(stored, force=True), False

    def delete_source(self, source_id: int, *, version: int = 0, force: bool = False) -> None:
        """Remove a source and its expenses (the screen asks first, saying how many)."""
        self._delete(_tables()[0], source_id, version, force, "Finansieringskällan", "Finansieringskälla")

    def _delete(self, table, row_id: int, version: int, force: bool, it: str, what: str) -> None:
        """Remove a row (already gone: nothing to do); one changed since it was read at
        ``version`` (0: not asked) is not removed unless ``force`` (``Conflict``)."""
        from sqlalchemy import delete, select

        with self.transaction() as conn:
            current = conn.execute(select(table.c.version).where(table.c.id == row_id)).first()
            if current is None:
                return
            if version and not force and current.version != version:
                raise Conflict(f"{it} har ändrats i ett annat fönster. Ingenting togs bort.", what=what)
            conn.execute(delete(table).where(table.c.id == row_id))

    # --- expenses -------------------------------------------------------------------------

    def _stored_source(self, conn: Connection, source_id: int) -> tuple[FundingSource, list[Expense]]:
        """A source with its caps and its expenses as stored now, in the transaction."""
        from sqlalchemy import select

        table, caps, expenses, _ = _tables()
        row = conn.execute(select(*(table.c[c] for c in _SOURCE_FIELDS.split(", ")))
                           .where(table.c.id == source_id)).first()  # fmt: skip
        if row is None:
            raise Conflict("Finansieringskällan har tagits bort i ett annat fönster. Ingenting sparades.",
                           what="Finansieringskälla", removed=True)  # fmt: skip
        cap_rows = conn.execute(
            select(caps.c.name, caps.c.share, caps.c.cost_types, caps.c.action)
            .where(caps.c.source_id == source_id).order_by(caps.c.position)
        ).all()  # fmt: skip
        source = _source(tuple(row), [Cap(n, s, _codes(t), a) for n, s, t, a in cap_rows])
        stored = conn.execute(select(*(expenses.c[c] for c in _EXPENSE_FIELDS.split(", ")))
                              .where(expenses.c.source_id == source_id)).all()  # fmt: skip
        return source, [_expense(tuple(r)) for r in stored]

    def _check(self, conn: Connection, expense: Expense) -> rules.ExpenseCheck:
        """The source's rules on ``expense``, against its expenses as stored now."""
        source, stored = self._stored_source(conn, expense.source_id)
        return rules.check_expense(source, stored, expense)

    def save_expense(self, expense: Expense, *, shown: Expense | None = None, force: bool = False) -> Expense:
        """Add an expense (no id) or save a stored one. The source's rules are checked again
        in the transaction, on what is stored now: a refusal (``BudgetRefused``) writes nothing.
        A stored one changed or removed since it was shown is a ``Conflict`` unless ``force``."""
        from sqlalchemy import insert, update

        shown = shown or expense
        _, _, table, _ = _tables()
        values = _expense_values(expense)
        now = _now()
        with self.transaction() as conn:
            check = self._check(conn, expense)
            if not check.ok:
                raise BudgetRefused(f"{check.refused} Ingenting sparades.")
            if expense.id is None:
                new_id = conn.execute(insert(table).values(**values, version=1, updated_at=now)).inserted_primary_key[0]
                return replace(expense, id=new_id, version=1)
            current = _stored_as_shown(conn, table, expense.id, shown.version, force, "Utgiften",
                                       _expense_values(shown), values, labels=_LABELS)  # fmt: skip
            conn.execute(update(table).where(table.c.id == expense.id)
                         .values(**values, version=current["version"] + 1, updated_at=now))  # fmt: skip
        return replace(expense, version=current["version"] + 1)

    def add_expenses(self, expenses: Sequence[Expense]) -> int:
        """Add many expenses in one transaction, as a bulk write (an import, the demo at
        national scale: 20 000 lines), unchecked: the caller has checked them against the
        source's rules (``check_expense``). Returns how many were added."""
        from bouv_tui.store.repo import _insert_rows, timestamp

        stamp = timestamp(_now())
        columns = ("source_id", "day", "amount", "cost_type", "status", "occasion_id", "origin", "voucher", "note",
                   "version", "updated_at")  # fmt: skip
        with self.transaction() as conn:
            _insert_rows(conn, "expense", columns, [
                (e.source_id, e.day.isoformat(), e.amount, e.cost_type, e.status, e.occasion_id, e.origin, e.voucher,
                 e.note, 1, stamp)
                for e in expenses
            ])  # fmt: skip
        return len(expenses)

    def import_expenses(self, adds: Sequence[Expense], updates: Sequence[tuple[Expense, Expense]],
                        basis: tuple[int, int, int] | None = None) -> None:  # fmt: skip
        """An expense file's rows, all or nothing: the new expenses added, and the stored lines
        the file turns into spent (or committed) saved with their vouchers. Refused whole
        (``StaleImport``) when the expenses changed since the file was checked (``basis``: their
        count, the sum of their versions and the largest id, as the plan saw them)."""
        from sqlalchemy import text, update

        from bouv_tui.errors import StaleImport

        _, _, table, _ = _tables()
        with self.transaction() as conn:
            if basis is not None:
                now_basis = tuple(conn.execute(text(
                    "SELECT COUNT(*), COALESCE(SUM(version), 0), COALESCE(MAX(id), 0) FROM expense"
                )).one())  # fmt: skip
                if now_basis != tuple(basis):
                    raise StaleImport(
                        "Utgifterna har ändrats i ett annat fönster sedan filen lästes. Ingenting importerades: "
                        "läs in filen igen."
                    )
            self.add_expenses(list(adds))
            now = _now()
            for old, new in updates:
                done = conn.execute(update(table).where((table.c.id == old.id) & (table.c.version == old.version))
                                    .values(status=new.status, voucher=new.voucher, day=new.day, note=new.note,
                                            version=old.version + 1, updated_at=now))  # fmt: skip
                if done.rowcount != 1:
                    raise StaleImport("En planerad rad har ändrats i ett annat fönster. Ingenting importerades.")

    def delete_expense(self, expense_id: int, *, version: int = 0, force: bool = False) -> None:
        self._delete(_tables()[2], expense_id, version, force, "Utgiften", "Utgift")

    def move_lines(self, expenses: Sequence[Expense], status: str) -> int:
        """Move expenses to ``status`` (an occasion's lines confirmed: planned → committed; or
        paid: → paid), each at the version it was read at; returns how many moved. Refused
        whole (``Conflict``) when one changed since, and (``BudgetRefused``) when the money it
        starts to use would take a ``stoppa`` cap past its limit. Each source and its expenses
        are read once a call, and the caps' room kept as the lines move (the demo moves
        thousands at once)."""
        from sqlalchemy import bindparam, select, update

        _, _, table, _ = _tables()
        now = _now()
        moving = list(expenses)
        with self.transaction() as conn:
            current = {}
            ids = [e.id for e in moving]
            for start in range(0, len(ids), 500):
                for r in conn.execute(select(table.c.id, table.c.version, table.c.status)
                                      .where(table.c.id.in_(ids[start:start + 500]))):  # fmt: skip
                    current[r.id] = r
            # Per source: the source, its expenses by id, and each cap's room as lines move.
            books: dict[int, tuple[FundingSource, dict[int, Expense], list]] = {}
            changed = []
            for e in moving:
                row = current.get(e.id)
                if row is None:
                    raise Conflict("En utgift har tagits bort i ett annat fönster. Ingenting ändrades.", removed=True)
                if row.version != e.version:
                    raise Conflict("En utgift har ändrats i ett annat fönster. Ingenting ändrades.", what="Utgift")
                if row.status == status:
                    continue
                if status in rules.USED and row.status not in rules.USED:
                    if e.source_id not in books:
                        source, stored = self._stored_source(conn, e.source_id)
                        caps = rules.figures(source, stored).caps
                        books[e.source_id] = (source, {x.id: x for x in stored}, [[c, c.room] for c in caps])
                    source, by_id, rooms = books[e.source_id]
                    moved = replace(by_id.get(e.id, e), status=status)
                    for room in rooms:
                        if moved.cost_type not in room[0].cap.cost_types:
                            continue
                        if moved.amount > room[1] and room[0].cap.action == rules.STOP:
                            # the rule's own words, on the lines as they stand at this one
                            check = rules.check_expense(source, list(by_id.values()), moved)
                            raise BudgetRefused(f"{check.refused} Ingenting ändrades.")
                        room[1] -= moved.amount
                    by_id[e.id] = moved
                changed.append({"row_id": e.id, "new_version": e.version + 1})
            if changed:
                conn.execute(update(table).where(table.c.id == bindparam("row_id"))
                             .values(status=status, version=bindparam("new_version"), updated_at=now),
                             changed)  # fmt: skip
        return len(changed)

    def adjust_committed(self, occasion_id: int) -> int:
        """Set an occasion's committed lines to what the plan says it costs now (asked for by
        the chef, after its participants changed); paid lines stay. Returns lines changed."""
        from sqlalchemy import delete, insert, select, update

        _, _, table, _ = _tables()
        changed = 0
        with self.transaction() as conn:
            wanted = {e.origin: e for e in self._occasion_costs(conn, [occasion_id]).get(occasion_id, [])}
            rows = conn.execute(select(table).where((table.c.occasion_id == occasion_id)
                                                    & table.c.origin.is_not(None))).mappings().all()  # fmt: skip
            committed = {r["origin"]: r for r in rows if r["status"] == rules.COMMITTED}
            paid = {r["origin"] for r in rows if r["status"] == rules.PAID}
            now = _now()
            for origin in rules.ORIGINS:
                if origin in paid:
                    continue
                want, have = wanted.get(origin), committed.get(origin)
                if have is not None and want is None:
                    conn.execute(delete(table).where(table.c.id == have["id"]))
                    changed += 1
                elif have is not None and have["amount"] != want.amount:
                    conn.execute(update(table).where(table.c.id == have["id"])
                                 .values(amount=want.amount, version=have["version"] + 1, updated_at=now))  # fmt: skip
                    changed += 1
                elif have is None and want is not None and any(r["status"] == rules.COMMITTED for r in rows):
                    conn.execute(insert(table).values(**_expense_values(replace(want, status=rules.COMMITTED)),
                                                      version=1, updated_at=now))  # fmt: skip
                    changed += 1
            self.sync_lines(conn, occasion_ids=[occasion_id])
        return changed

    # --- an occasion's lines ----------------------------------------------------------------

    def _occasion_costs(self, conn: Connection, occasion_ids: Sequence[int] | None = None,
                        years: Sequence[int] | None = None) -> dict[int, list[Expense]]:  # fmt: skip
        """What each occasion costs now, as planned lines (``occasion_lines``), keyed by id: of
        ``occasion_ids``, or of the trainings of ``years``. An occasion whose year has no
        source of its funding's kind has none (the screen says so)."""
        from sqlalchemy import text

        query = _costs_query(occasion_ids, years)
        if query is None:
            return {}
        rows = conn.execute(text(query)).all()
        rate = conn.execute(text("SELECT cover_daily_rate FROM settings WHERE id = 1")).scalar()
        sources = conn.execute(text("SELECT year, kind, id FROM funding_source ORDER BY id DESC")).all()
        return _costs(rows, rate, sources)

    def sync_lines(self, conn: Connection, *, occasion_ids: Sequence[int] | None = None,
                   years: Sequence[int] | None = None) -> None:  # fmt: skip
        """Make the planned lines of the occasions (of ``occasion_ids``, or of ``years``) what
        their cost is now: added, changed or removed; a line committed or paid is left as it is,
        and no planned line is made beside it for the same part of the cost."""
        from sqlalchemy import delete, insert, select, update

        _, _, table, _ = _tables()
        costs = self._occasion_costs(conn, occasion_ids, years)
        if not costs:
            return
        ids = list(costs)
        stored = conn.execute(select(table.c.id, table.c.occasion_id, table.c.origin, table.c.status, table.c.amount,
                                     table.c.day, table.c.cost_type, table.c.source_id, table.c.version)
                              .where(table.c.occasion_id.in_(ids) & table.c.origin.is_not(None))).all()  # fmt: skip
        by_key: dict[tuple[int, str], list] = {}
        for row in stored:
            by_key.setdefault((row.occasion_id, row.origin), []).append(row)
        now = _now()
        adds, removes = [], []
        for occasion_id, lines in costs.items():
            wanted = {e.origin: e for e in lines}
            for origin in rules.ORIGINS:
                rows = by_key.get((occasion_id, origin), [])
                planned = [r for r in rows if r.status == rules.PLANNED]
                settled = len(planned) < len(rows)
                want = wanted.get(origin)
                if want is None or settled:
                    removes += [r.id for r in planned]
                    continue
                if not planned:
                    adds.append({**_expense_values(want), "version": 1, "updated_at": now})
                    continue
                first, *rest = planned
                removes += [r.id for r in rest]
                if (first.amount, _day(first.day), first.cost_type, first.source_id) != (
                        want.amount, want.day, want.cost_type, want.source_id):  # fmt: skip
                    conn.execute(update(table).where(table.c.id == first.id).values(
                        amount=want.amount, day=want.day, cost_type=want.cost_type, source_id=want.source_id,
                        version=first.version + 1, updated_at=now))  # fmt: skip
        if removes:
            conn.execute(delete(table).where(table.c.id.in_(removes)))
        if adds:
            conn.execute(insert(table), adds)

    def _drop_planned_lines(self, conn: Connection, occasion_ids: Iterable[int]) -> None:
        from sqlalchemy import delete

        _, _, table, _ = _tables()
        ids = list(occasion_ids)
        if ids:
            conn.execute(delete(table).where(table.c.occasion_id.in_(ids) & (table.c.status == rules.PLANNED)
                                             & table.c.origin.is_not(None)))  # fmt: skip

    # --- the plan's writes, with the lines following them -----------------------------------

    def save_occasion(self, occasion, *, shown=None, force: bool = False):
        with self.transaction() as conn:
            stored = super().save_occasion(occasion, shown=shown, force=force)
            self.sync_lines(conn, occasion_ids=[stored.id])
        return stored

    def finish_occasion(self, occasion, *, force: bool = False):
        with self.transaction() as conn:
            stored = super().finish_occasion(occasion, force=force)
            self.sync_lines(conn, occasion_ids=[stored.id])
        return stored

    def delete_occasion(self, occasion_id: int, *, version: int = 0, force: bool = False) -> None:
        with self.transaction() as conn:
            self._drop_planned_lines(conn, [occasion_id])
            super().delete_occasion(occasion_id, version=version, force=force)

    def delete_training(self, training_id: int, *, version: int = 0, force: bool = False) -> None:
        from sqlalchemy import text

        with self.transaction() as conn:
            ids = [r[0] for r in conn.execute(text("SELECT id FROM occasion WHERE training_id = :t"),
                                              {"t": training_id}).all()]  # fmt: skip
            self._drop_planned_lines(conn, ids)
            super().delete_training(training_id, version=version, force=force)

    def copy_training(self, training, occasions):
        with self.transaction() as conn:
            stored = super().copy_training(training, occasions)
            self.sync_lines(conn, years=[stored.year])
        return stored

    def book(self, occasion_id: int, staff_ids):
        with self.transaction() as conn:
            check = super().book(occasion_id, staff_ids)
            if check.ok:
                self.sync_lines(conn, occasion_ids=[occasion_id])
        return check

    def unbook(self, occasion_id: int, staff_ids) -> None:
        with self.transaction() as conn:
            super().unbook(occasion_id, staff_ids)
            self.sync_lines(conn, occasion_ids=[occasion_id])

    def save_participants(self, changed, *, force: bool = False) -> None:
        changed = list(changed)
        with self.transaction() as conn:
            super().save_participants(changed, force=force)
            self.sync_lines(conn, occasion_ids=sorted({p.occasion_id for p in changed}))

    def add_plan(self, plan):
        with self.transaction() as conn:
            stored = super().add_plan(plan)
            self.sync_lines(conn, years=sorted({t.year for t in stored.trainings}))
        return stored

    def import_trainings(self, trainings, basis=None) -> None:
        trainings = list(trainings)
        with self.transaction() as conn:
            super().import_trainings(trainings, basis)
            years = sorted({item.training.year for item in trainings})
            self.sync_lines(conn, years=years)

    # --- settings and scenarios ---------------------------------------------------------------

    def save_budget_settings(self, settings: BudgetSettings) -> None:
        """Store the budget's settings; a new daily rate prices every planned cover line again."""
        from sqlalchemy import insert, select, text, update

        from bouv_tui.store.repo import _table

        table = _table("settings")
        values = {"cover_daily_rate": settings.cover_daily_rate, "payment_days": settings.payment_days,
                  "warn_months": settings.warn_months}  # fmt: skip
        with self.transaction() as conn:
            if conn.execute(select(table.c.id).where(table.c.id == 1)).first() is None:
                conn.execute(insert(table).values(id=1, version=1, updated_at=_now(), **values))
            else:
                conn.execute(update(table).where(table.c.id == 1).values(version=table.c.version + 1,
                                                                           updated_at=_now(), **values))  # fmt: skip
            years = [r[0] for r in conn.execute(text("SELECT DISTINCT year FROM training")).all()]
            self.sync_lines(conn, years=years)

    def save_scenario(self, year: int, name: str, body: str, *, scenario_id: int | None = None,
                      version: int = 0) -> tuple[int, int]:  # fmt: skip
        """Save a what-if scenario under ``name`` (a new one, or over ``scenario_id`` at
        ``version``); returns (id, version). The real rows are not touched."""
        from sqlalchemy import and_, insert, select, update

        _, _, _, table = _tables()
        with self.transaction() as conn:
            if scenario_id is None:
                same = conn.execute(select(table.c.id, table.c.version)
                                    .where(and_(table.c.year == year, table.c.name == name))).first()  # fmt: skip
                if same is None:
                    new_id = conn.execute(insert(table).values(year=year, name=name, body=body, version=1,
                                                               updated_at=_now())).inserted_primary_key[0]  # fmt: skip
                    return new_id, 1
                scenario_id, version = same.id, same.version
            current = conn.execute(select(table.c.version).where(table.c.id == scenario_id)).first()
            if current is None:
                raise Conflict("Scenariot har tagits bort i ett annat fönster. Ingenting sparades.", removed=True)
            if version and current.version != version:
                raise Conflict("Scenariot har ändrats i ett annat fönster. Ingenting sparades.", what="Scenario")
            conn.execute(update(table).where(table.c.id == scenario_id)
                         .values(name=name, body=body, version=current.version + 1, updated_at=_now()))  # fmt: skip
            return scenario_id, current.version + 1

    def delete_scenario(self, scenario_id: int) -> None:
        from sqlalchemy import delete

        _, _, _, table = _tables()
        with self.transaction() as conn:
            conn.execute(delete(table).where(table.c.id == scenario_id))

    def apply_changes(self, *, cancel_occasions: Sequence = (), remove: Sequence[Expense] = (),
                      amounts: Sequence[Expense] = (), add: Sequence[Expense] = ()) -> None:
        """A what-if scenario made real, all or nothing: the occasions it switched off are
        cancelled (their planned lines go), the planned lines it switched off removed, its
        amounts saved and its hypothetical lines added — each row at the version the scenario
        was worked out on (``Conflict`` when one changed since)."""
        from sqlalchemy import delete, select

        _, _, table, _ = _tables()
        with self.transaction() as conn:
            for occasion in cancel_occasions:
                self.save_occasion(replace(occasion, status=plan_rules.CANCELLED), shown=occasion)
            for e in remove:
                current = conn.execute(select(table.c.version, table.c.status).where(table.c.id == e.id)).first()
                if current is None or current.version != e.version or current.status != rules.PLANNED:
                    raise Conflict("En planerad utgift har ändrats i ett annat fönster. Ingenting ändrades.",
                                   what="Utgift")  # fmt: skip
                conn.execute(delete(table).where(table.c.id == e.id))
            for e in amounts:
                self.save_expense(e)
            for e in add:
                self.save_expense(replace(e, id=None, version=0))

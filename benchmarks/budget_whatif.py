"""Time a what-if toggle in the budget (F9), from the key to the screen repainted, on a copy of
a database of the national scale.

Run by ``benchmarks/run.py`` in a fresh subprocess:

    python benchmarks/budget_whatif.py DBPATH [--toggles N] [--max-seconds S]

Copies DBPATH (SQLite's backup API, so a ``-wal`` file is included) into a temporary folder,
opens the copy as ``bouv-tui --db`` does and runs ``BouvApp(…, start="budget")`` headless
(``size=(160, 50)``). When ``#budget-table`` has rows (the sources and caps) it presses ``w``
(what-if: the screen shows the expense lines), puts the cursor on the first planned line of the
year (the table's own ``move_cursor``, untimed) and then N times (default 200): presses
``down`` until the cursor is on a planned line it has not switched yet (a line of an occasion
counts with all its lines: ``space`` switches the occasion's planned lines together), then
``space``. Each ``space`` switches the line (or its occasion) off in the scenario, and the
screen works out every figure again (``BudgetScreen.derived``: the lines of the scenario, the
figures of every source and cap, the forecasts) and redraws the table, the headline, the
forecast and the detail.

**What is measured** is the technique of ``keystrokes.py``: from the moment the screen starts
handling the key (``BudgetScreen.action_toggle``, wrapped here) until the first frame written
after it to the driver (``FrameClock``: Textual's headless driver saying it is not headless, so
that every screen update is turned into terminal output and handed to its ``write``)
(``toggle_to_paint_*``, the figure compared with the 50 ms target). Also reported: the action
alone (``action_*``: the scenario changed, every figure recomputed and the widgets updated,
before Textual paints), the time through the pilot (``pilot_*``, with its idle waits) and the
first toggle apart (``first_ms``: it imports the what-if's code paths). When toggling has taken
more than S seconds (default 90, so that a slow build still ends within ``run.py``'s time-out
for a subprocess) it stops early, reports the toggles made (``n``) and ``stopped_early``.

Each toggle is checked, as ``plan_booking.py`` checks a booking: after it, the planned kronor
of every source on the screen (``derived()``) must be the sum, counted here from the lines as
read, of the planned lines not switched off so far, and the headline must have changed when
the planned kronor of the grant did (else exit 4). At the end the copy's ``expense`` and
``scenario`` tables must hold exactly what they held before (what-if writes nothing).

Exit code 0 on success, 3 on time-out, 4 when a check failed. On success the last line of stdout
is JSON: ``toggle_to_paint_p50_ms``/``_p95_ms``/``_max_ms``, ``action_p50_ms``/``_p95_ms``,
``pilot_p50_ms``/``_p95_ms``, ``first_ms``, ``n``, ``lines`` (the year's expense lines),
``planned`` (of them planned), ``downs`` (cursor moves pressed) and ``stopped_early``.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from keystrokes import copy_database, percentile

TIMEOUT = 60.0
POLL = 0.01


def table_rows(database: Path) -> list[tuple]:
    conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [
            *conn.execute("SELECT * FROM expense ORDER BY id"),
            *conn.execute("SELECT * FROM scenario ORDER BY id"),
        ]
    finally:
        conn.close()


def run(database: Path, toggles: int, max_seconds: float = 90.0) -> int:
    from textual.drivers.headless_driver import HeadlessDriver

    from bouv_tui.domain import budget as rules
    from bouv_tui.services import Workspace
    from bouv_tui.tui.app import BouvApp
    from bouv_tui.tui.screens.budget import BudgetScreen
    from bouv_tui.tui.widgets.table import Table

    before = table_rows(database)
    handled: list[float] = []
    acted: list[float] = []
    written: list[float] = []
    toggle = BudgetScreen.action_toggle

    def timed_toggle(self):
        handled.append(time.perf_counter())
        try:
            return toggle(self)
        finally:
            acted.append(time.perf_counter())

    BudgetScreen.action_toggle = timed_toggle

    class FrameClock(HeadlessDriver):
        """No terminal, but the app draws every frame for one and writes it here."""

        @property
        def is_headless(self) -> bool:
            return False

        def write(self, data: str) -> None:
            if data != "\a":  # a bell is no frame
                written.append(time.perf_counter())

    workspace = Workspace.open(database)
    app = BouvApp(database=database, workspace=workspace, start="budget")
    pilot_ms: list[float] = []
    problems: list[str] = []
    counts: dict[str, int] = {"downs": 0, "lines": 0, "planned": 0, "stopped_early": False}

    def table_of(app) -> Table | None:
        try:
            table = app.screen.query_one("#budget-table", Table)
        except Exception:  # no screen yet
            return None
        return table if table.row_count > 0 else None

    async def auto_pilot(pilot) -> None:
        deadline = time.monotonic() + TIMEOUT
        while table_of(pilot.app) is None or getattr(pilot.app.screen, "view_data", None) is None:
            if time.monotonic() > deadline:
                pilot.app.exit(return_code=3)
                return
            await asyncio.sleep(POLL)
        await pilot.pause()
        screen = pilot.app.screen
        if not isinstance(screen, BudgetScreen):
            problems.append(f"the app opened on {type(screen).__name__}, not the budget")
            pilot.app.exit()
            return
        await pilot.press("w")
        await pilot.pause()
        if screen.scenario is None:
            problems.append("w did not open what-if")
            pilot.app.exit()
            return
        table = screen.query_one("#budget-table", Table)
        if pilot.app.focused is not table:
            table.focus()
            await pilot.pause()
        view = screen.view_data
        lines = {e.id: e for e in view.expenses}
        counts["lines"] = len(lines)
        counts["planned"] = sum(1 for e in view.expenses if e.status == rules.PLANNED)
        # The table's order (the screen's rows): the keys of the expense lines, top to bottom.
        order = [key[1] if key[0] == "e" else None for key in table.row_keys]
        first = next((i for i, k in enumerate(order) if k in lines and lines[k].status == rules.PLANNED), None)
        if first is None:
            problems.append("no planned line in the year's expenses")
            pilot.app.exit()
            return
        table.move_cursor(row=first)
        await pilot.pause()
        off_occasions: set[int] = set()
        off_expenses: set[int] = set()

        def is_off(e) -> bool:
            return e.status == rules.PLANNED and (e.id in off_expenses or e.occasion_id in off_occasions)

        def target(e) -> bool:
            if e is None or e.status != rules.PLANNED:
                return False
            if e.occasion_id is not None and e.origin in rules.ORIGINS:
                return e.occasion_id not in off_occasions
            return e.id not in off_expenses

        def expected_planned() -> dict[int, int]:
            found = {s.id: 0 for s in view.sources}
            for e in view.expenses:
                if e.status == rules.PLANNED and not is_off(e) and e.source_id in found:
                    found[e.source_id] += e.amount
            return found

        began = time.monotonic()
        for n in range(toggles):
            if time.monotonic() - began > max_seconds:
                counts["stopped_early"] = True
                break
            while not target(screen.current_expense()):
                if table.cursor_row >= table.row_count - 1:
                    break
                await pilot.press("down")
                counts["downs"] += 1
            e = screen.current_expense()
            if not target(e):
                break  # no planned line left below the cursor
            summary_before = str(screen.query_one("#budget-summary").render())
            grant_before = screen._grant()[0]
            start = time.perf_counter()
            await pilot.press("space")
            await pilot.pause()
            pilot_ms.append((time.perf_counter() - start) * 1000)
            if e.occasion_id is not None and e.origin in rules.ORIGINS:
                off_occasions.add(e.occasion_id)
            else:
                off_expenses.add(e.id)
            _, figures, _ = screen.derived()
            shown = {f.source.id: f.planned for f in figures}
            if shown != expected_planned():
                problems.append(f"toggle {n + 1} (line {e.id}): planned per source {shown}, expected {expected_planned()}")
                break
            grant_after = screen._grant()[0]
            if (grant_before.planned != grant_after.planned
                    and str(screen.query_one("#budget-summary").render()) == summary_before):  # fmt: skip
                problems.append(f"toggle {n + 1} (line {e.id}): the grant's figures changed, the headline did not")
                break
        pilot.app.exit()

    app.driver_class = FrameClock
    app.run(size=(160, 50), auto_pilot=auto_pilot)
    workspace.close()
    code = app.return_code or 0
    if code != 0:
        print(f"the app exited with {code} (3: the budget did not show rows in {TIMEOUT:g} s)", file=sys.stderr)
        return code
    if problems or not pilot_ms:
        print("; ".join(problems) or "no toggle was made", file=sys.stderr)
        return 4
    if len(handled) != len(pilot_ms):
        print(f"{len(pilot_ms)} toggles pressed, the action ran {len(handled)} times", file=sys.stderr)
        return 4
    if table_rows(database) != before:
        print("what-if changed the expense or scenario table in the file", file=sys.stderr)
        return 4
    after = [bisect.bisect_right(written, h) for h in handled]
    painted = [written[i] if i < len(written) else None for i in after]
    if None in painted:
        print(f"{painted.count(None)} of {len(handled)} toggles were not followed by a frame", file=sys.stderr)
        return 4
    latency = [(p - h) * 1000 for h, p in zip(handled, painted)]
    action = [(a - h) * 1000 for h, a in zip(handled, acted)]
    early = " (stopped early: time limit)" if counts["stopped_early"] else ""
    print(f"{len(latency)} toggles{early} on {counts['lines']} lines ({counts['planned']} planned): toggle to paint "
          f"p50 {statistics.median(latency):.1f} ms, p95 {percentile(latency, 0.95):.1f} ms, max {max(latency):.1f} ms; "
          f"the action alone p50 {statistics.median(action):.1f} ms, p95 {percentile(action, 0.95):.1f} ms")  # fmt: skip
    print(json.dumps({
        "toggle_to_paint_p50_ms": statistics.median(latency),
        "toggle_to_paint_p95_ms": percentile(latency, 0.95),
        "toggle_to_paint_max_ms": max(latency),
        "action_p50_ms": statistics.median(action),
        "action_p95_ms": percentile(action, 0.95),
        "pilot_p50_ms": statistics.median(pilot_ms),
        "pilot_p95_ms": percentile(pilot_ms, 0.95),
        "first_ms": latency[0],
        "n": len(latency),
        **counts,
    }))  # fmt: skip
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", type=Path, metavar="DBPATH")
    parser.add_argument("--toggles", type=int, default=200, help="what-if toggles to time (default 200)")
    parser.add_argument("--max-seconds", type=float, default=90.0,
                        help="stop toggling after this many seconds (default 90)")
    args = parser.parse_args(argv)
    if not args.database.is_file():
        parser.error(f"{args.database} is not a file")
    with tempfile.TemporaryDirectory(prefix="bouv-whatif-") as tmp:
        copy = Path(tmp) / "budget.sqlite"
        copy_database(args.database, copy)
        return run(copy, args.toggles, args.max_seconds)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Time single keystrokes in the assessment grid, headless, on a copy of a database.

Run by ``benchmarks/run.py`` in a fresh subprocess:

    python benchmarks/keystrokes.py DBPATH [--presses N]

Copies DBPATH (with SQLite's backup API, so a ``-wal`` file is included) into a
temporary folder and opens the copy as ``bouv-tui --db`` does, with the app on the
assessment grid (``start="assessment"``). When ``#assessment-grid`` has rows, it presses
``g``, ``f``, ``s`` in turn N times (default 150) through the pilot. Each keystroke sets a
level in the focused cell, writes it to the database and moves to the next cell; it is
timed from just before ``await pilot.press(key)`` until after ``await pilot.pause()``
returns (the screen has processed it).

Before that it presses ``z`` (no binding: nothing happens) FLOOR times the same way; their
median is the pilot's own floor (``pilot.press`` and ``pilot.pause`` each wait until the
process has been idle for a 20 ms slice, so even a key that does nothing takes about
60 ms measured like this). The CPU time of each keystroke (``time.process_time``, all
threads) is reported too; it leaves out the pilot's sleeping.

The app's own latency is measured too: from the moment the screen's action for the key
starts until the first frame after it has been written out (``key_to_paint_*``); all the
key's changes are made in the action, before that frame. That is what a person waits for,
without the pilot's idle waits. To see frames, the app runs with ``FrameClock``, Textual's
headless driver except that it says it is not headless: Textual then turns each screen
update into the text it would send a terminal, as in a real one, and hands it to the
driver's ``write``, which notes the time and throws the text away. (Textual's
``call_after_refresh`` is no such signal: its callback can run before the key's changes
are painted, a few milliseconds after the action.)

Afterwards the copy is read with sqlite3: every cell that was pressed must hold the level
of its last keystroke (so a keystroke that did nothing is not counted as fast).

Exit code 0 on success, 3 on time-out, 4 when a keystroke was not stored (or no screen
update followed one). On success the last line of stdout is JSON:
``{"p50_ms": …, "p95_ms": …, "max_ms": …, "n": …}`` plus ``key_to_paint_p50_ms``/``_p95_ms``/``_max_ms``, ``first_ms`` (the first keystroke, which may include loading the write path),
``cpu_p50_ms``, ``cpu_p95_ms`` and ``floor_p50_ms`` (the no-op key).
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

TIMEOUT = 60.0
POLL = 0.01
KEYS = ("g", "f", "s")
LEVEL_OF_KEY = {"g": "grundlaggande", "f": "fordjupad", "s": "saknar"}
NO_OP_KEY = "z"
FLOOR = 30


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (``share`` in 0..1) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * share // 1))  # ceil(n × share), at least 1
    return ordered[int(rank) - 1]


def copy_database(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def run(database: Path, presses: int) -> int:
    from textual.drivers.headless_driver import HeadlessDriver

    from bouv_tui.services import Workspace
    from bouv_tui.tui.app import BouvApp
    from bouv_tui.tui.screens.assessment import AssessmentScreen
    from bouv_tui.tui.widgets.table import Table

    # In-app latency: from the moment the screen starts handling the key (its binding's
    # action, our own screen's method, wrapped here) until the first frame written after
    # it. Everything the key changes (the cell, the row's count, the cursor, the figures
    # under the grid) is done in the action, before that frame.
    handled: list[float] = []
    written: list[float] = []
    set_level = AssessmentScreen.action_set_level

    def timed_set_level(self, level):
        handled.append(time.perf_counter())
        return set_level(self, level)

    AssessmentScreen.action_set_level = timed_set_level

    class FrameClock(HeadlessDriver):
        """No terminal, but the app draws every frame for one and writes it here."""

        @property
        def is_headless(self) -> bool:
            return False

        def write(self, data: str) -> None:
            if data != "\a":  # a bell is no frame
                written.append(time.perf_counter())

    workspace = Workspace.open(database)
    app = BouvApp(database=database, workspace=workspace, start="assessment")
    times: list[float] = []
    cpu: list[float] = []
    floor: list[float] = []
    pressed: dict[tuple[int, str], str] = {}  # (staff_id, area) → level of the last keystroke there
    problems: list[str] = []
    round_ids: list[int] = []

    def grid_shown(app) -> bool:
        try:
            table = app.screen.query_one("#assessment-grid", Table)
        except Exception:  # no screen yet
            return False
        return table.row_count > 0

    async def auto_pilot(pilot) -> None:
        deadline = time.monotonic() + TIMEOUT
        while not grid_shown(pilot.app):
            if time.monotonic() > deadline:
                pilot.app.exit(return_code=3)
                return
            await asyncio.sleep(POLL)
        await pilot.pause()
        screen = pilot.app.screen
        table = screen.query_one("#assessment-grid", Table)
        if pilot.app.focused is not table:
            table.focus()
            await pilot.pause()
        round_ids.append(screen.grid.round.id)
        for _ in range(FLOOR):
            start = time.perf_counter()
            await pilot.press(NO_OP_KEY)
            await pilot.pause()
            floor.append(time.perf_counter() - start)
        for i in range(presses * len(KEYS)):
            key = KEYS[i % len(KEYS)]
            person, area = screen.current_person(), screen.current_area()
            if person is None or area is None:
                problems.append(f"keystroke {i + 1}: no cell in focus")
                break
            start, start_cpu = time.perf_counter(), time.process_time()
            await pilot.press(key)
            await pilot.pause()
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            pressed[(person.id, area)] = LEVEL_OF_KEY[key]
        pilot.app.exit()

    app.driver_class = FrameClock
    app.run(size=(160, 50), auto_pilot=auto_pilot)
    workspace.close()
    code = app.return_code or 0
    if code != 0:
        print(f"the app exited with {code} (3: the grid did not show rows in {TIMEOUT:g} s)", file=sys.stderr)
        return code
    if problems or not times:
        print("; ".join(problems) or "no keystroke was made", file=sys.stderr)
        return 4

    conn = sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)
    try:
        stored = {
            (staff_id, area): level
            for staff_id, area, level in conn.execute(
                "SELECT staff_id, area, level FROM assessment WHERE round_id = ?", (round_ids[0],)
            )
        }
    finally:
        conn.close()
    wrong = [cell for cell, level in pressed.items() if stored.get(cell) != level]
    if wrong:
        print(f"{len(wrong)} of {len(pressed)} pressed cells do not hold their level in the file, e.g. {wrong[:3]}",
              file=sys.stderr)  # fmt: skip
        return 4

    ms = [t * 1000 for t in times]
    cpu_ms = [t * 1000 for t in cpu]
    # The first frame written after each key's action (a frame after the next key's action
    # would count against both: no key is timed short).
    after = [bisect.bisect_right(written, h) for h in handled]
    painted = [written[i] if i < len(written) else None for i in after]
    if None in painted:
        print(f"{painted.count(None)} of {len(handled)} keystrokes were not followed by a frame", file=sys.stderr)
        return 4
    latency_ms = [(p - h) * 1000 for h, p in zip(handled, painted)]
    print(json.dumps({
        "key_to_paint_p50_ms": statistics.median(latency_ms),
        "key_to_paint_p95_ms": percentile(latency_ms, 0.95),
        "key_to_paint_max_ms": max(latency_ms),
        "p50_ms": statistics.median(ms),
        "p95_ms": percentile(ms, 0.95),
        "max_ms": max(ms),
        "n": len(ms),
        "first_ms": ms[0],
        "cpu_p50_ms": statistics.median(cpu_ms),
        "cpu_p95_ms": percentile(cpu_ms, 0.95),
        "floor_p50_ms": statistics.median(floor) * 1000,
        "cells": len(pressed),
    }))  # fmt: skip
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", type=Path, metavar="DBPATH")
    parser.add_argument("--presses", type=int, default=150, help="rounds of g, f, s (default 150)")
    args = parser.parse_args(argv)
    if not args.database.is_file():
        parser.error(f"{args.database} is not a file")
    with tempfile.TemporaryDirectory(prefix="bouv-keys-") as tmp:
        copy = Path(tmp) / "keystrokes.sqlite"
        copy_database(args.database, copy)
        return run(copy, args.presses)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

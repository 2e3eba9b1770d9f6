"""Time switching between the app's sections, headless, on a copy of a database.

Run by ``benchmarks/run.py`` in a fresh subprocess:

    python benchmarks/switch.py DBPATH [--rounds N]

Copies DBPATH into a temporary folder and opens the copy as ``bouv-tui --db`` does, on
the start screen. When its figures are shown, it goes through the sections F3, F4, F5,
F6, F7 and back to F2, N times (default 10), the way their keys do
(``App.switch_mode``), and times each switch with Textual's public API only:

- ``shown``: from the call until the section is the app's screen and a screen refresh has
  run after that (``call_after_refresh``): what a person sees change;
- ``ready``: until, in addition, no worker of the app is running any more: the section has
  read what it shows (a section that sums up the others reads again each time it is shown).

The first visit of each section (it imports its module and builds its widgets) is reported
apart from the later ones. Exit code 0 on success, 3 on time-out. The last line of stdout
is JSON: ``shown_p50_ms``, ``shown_p95_ms``, ``shown_max_ms``, ``ready_p50_ms``,
``ready_p95_ms``, ``ready_max_ms`` over every switch but the first visits, ``first_visit_ms``
(section → shown, ready), ``shown_max_by_section_ms`` (each section's slowest switch after
its first visit: which section a slow p95 comes from) and ``n``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from keystrokes import copy_database, percentile

TIMEOUT = 60.0
POLL = 0.002
ORDER = ("roster", "assessment", "needs", "questionnaire", "submission", "start")


def run(database: Path, rounds: int) -> int:
    from textual.widgets import Static

    from bouv_tui.services import Workspace
    from bouv_tui.tui.app import BouvApp

    workspace = Workspace.open(database)
    app = BouvApp(database=database, workspace=workspace)
    shown: list[float] = []
    ready: list[float] = []
    slowest: dict[str, float] = {}  # section → its slowest switch until shown, after the first visit
    first: dict[str, tuple[float, float]] = {}

    def start_shown(app) -> bool:
        try:
            return bool(str(app.screen.query_one("#dash-round", Static).render()).strip())
        except Exception:  # no screen yet
            return False

    async def idle_workers(app, deadline: float) -> None:
        while any(w.is_running for w in app.workers):
            if time.monotonic() > deadline:
                raise TimeoutError
            await asyncio.sleep(POLL)

    async def auto_pilot(pilot) -> None:
        app = pilot.app
        deadline = time.monotonic() + TIMEOUT
        while not start_shown(app):
            if time.monotonic() > deadline:
                app.exit(return_code=3)
                return
            await asyncio.sleep(POLL)
        await idle_workers(app, deadline)
        await pilot.pause()
        try:
            for _ in range(rounds):
                for mode in ORDER:
                    before = app.screen
                    start = time.perf_counter()
                    app.switch_mode(mode)
                    while app.screen is before:
                        await asyncio.sleep(POLL)
                    refreshed = asyncio.get_running_loop().create_future()
                    app.call_after_refresh(lambda: refreshed.done() or refreshed.set_result(time.perf_counter()))
                    seen = await asyncio.wait_for(refreshed, TIMEOUT)
                    await idle_workers(app, time.monotonic() + TIMEOUT)
                    done = time.perf_counter()
                    if mode not in first:
                        first[mode] = ((seen - start) * 1000, (done - start) * 1000)
                    else:
                        shown.append((seen - start) * 1000)
                        ready.append((done - start) * 1000)
                        slowest[mode] = max(slowest.get(mode, 0.0), shown[-1])
                    await pilot.pause()  # settle before the next switch, as a person would
        except (TimeoutError, asyncio.TimeoutError):
            app.exit(return_code=3)
            return
        app.exit()

    app.run(headless=True, size=(120, 40), auto_pilot=auto_pilot)
    workspace.close()
    if app.return_code:
        print(f"the app exited with {app.return_code} (3: a section was not shown in {TIMEOUT:g} s)", file=sys.stderr)
        return app.return_code
    print(json.dumps({
        "shown_p50_ms": statistics.median(shown), "shown_p95_ms": percentile(shown, 0.95), "shown_max_ms": max(shown),
        "ready_p50_ms": statistics.median(ready), "ready_p95_ms": percentile(ready, 0.95), "ready_max_ms": max(ready),
        "first_visit_ms": {mode: [round(s, 1), round(r, 1)] for mode, (s, r) in first.items()},
        "shown_max_by_section_ms": {mode: round(ms, 1) for mode, ms in slowest.items()},
        "n": len(shown),
    }))  # fmt: skip
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", type=Path, metavar="DBPATH")
    parser.add_argument("--rounds", type=int, default=10, help="times through all sections (default 10)")
    args = parser.parse_args(argv)
    if not args.database.is_file():
        parser.error(f"{args.database} is not a file")
    with tempfile.TemporaryDirectory(prefix="bouv-switch-") as tmp:
        copy = Path(tmp) / "switch.sqlite"
        copy_database(args.database, copy)
        return run(copy, args.rounds)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

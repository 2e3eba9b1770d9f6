"""Start a Textual app headless and exit as soon as its first useful frame is there.

Run by ``benchmarks/run.py`` in a fresh subprocess, so the wall clock around it counts
the interpreter start, the imports, opening the database and the first render:

    python benchmarks/first_frame.py bare
    python benchmarks/first_frame.py bouv DBPATH
    python benchmarks/first_frame.py dashboard DBPATH
    python benchmarks/first_frame.py plan DBPATH
    python benchmarks/first_frame.py budget DBPATH

"First frame" is a frame the app has rendered for a terminal: the moment the app writes a
frame to its driver (``FrameClock``, Textual's headless driver saying it is not headless, so
that the app renders each frame's terminal output as for a real terminal and hands it to the
driver's public ``write``, which throws it away) while the app's condition holds. Checking at that moment, rather than polling
from the auto pilot, counts the same thing for every app: the bare app's pilot starts
before its screen is first drawn, and a poll after the bouv-tui frame lags behind it
while the roster's background read runs.

``bare``: a minimal App whose compose yields one Static; ready at its first rendered frame.
``bouv``: the bouv-tui app on DBPATH, opened on the roster (``start="roster"``); ready at
the first frame in which the screen has a ``Table`` (tui/widgets/table.py) ``#roster-table``
with at least one row.
``dashboard``: the bouv-tui app on DBPATH with its default start (the start screen); ready
at the first frame in which the panel ``#dash-round`` renders non-empty text.
``plan``: the bouv-tui app on DBPATH opened on the training plan (``start="plan"``); ready at
the first frame in which the ``Table`` ``#plan-table`` has at least one row.
``budget``: the bouv-tui app on DBPATH opened on the budget (F9, ``start="budget"``); ready at
the first frame in which the ``Table`` ``#budget-table`` has at least one row (the funding
sources and their caps, read in the screen's worker from ``BudgetSection.budget_view``).

Exit code 0 when the condition was reached, 3 on time-out (after TIMEOUT seconds).
On success the last line of stdout is JSON: ``{"ready_s": …, "exited_s": …, "ready_cpu_s": …,
"ready_epoch": …}``: seconds from the start of this script to the condition and to the end of
``app.run`` (the difference is the app's shutdown, e.g. waiting for worker threads), the CPU
seconds of the process (all threads, ``time.process_time``) until the condition (steadier than
the wall clock on a loaded machine, though it leaves out the interpreter's start), and the wall-clock time
(``time.time()``) of the condition, from which ``run.py`` measures spawn-to-first-frame.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import asyncio  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

TIMEOUT = 60.0
POLL = 0.005


def bare_app():
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App):
        def compose(self) -> ComposeResult:
            yield Static("hej")

    return Bare(), lambda app: True


def bouv_app(database: Path):
    # The same start as `bouv-tui --db PATH` (cli.start_app), opened on the roster.
    from bouv_tui.cli import start_app

    def roster_shown(app) -> bool:
        from bouv_tui.tui.widgets.table import Table

        try:
            tables = list(app.screen.query("#roster-table").results(Table))
        except Exception:  # no screen yet
            return False
        return any(t.row_count > 0 for t in tables)

    return start_app(database, start="roster"), roster_shown


def dashboard_app(database: Path):
    # The same start as `bouv-tui --db PATH` (cli.start_app), with the app's default first
    # section: open the file, start counting the start screen, then import and build the UI.
    from bouv_tui.cli import start_app

    def dashboard_shown(app) -> bool:
        try:
            panel = app.screen.query_one("#dash-round")
            return bool(str(panel.render()).strip())
        except Exception:  # no screen or panel yet
            return False

    return start_app(database), dashboard_shown


def plan_app(database: Path):
    # The same start as `bouv-tui --db PATH`, opened on the training plan (F8): ready at the
    # first frame in which the table of trainings has rows.
    from bouv_tui.cli import start_app

    def plan_shown(app) -> bool:
        from bouv_tui.tui.widgets.table import Table

        try:
            tables = list(app.screen.query("#plan-table").results(Table))
        except Exception:  # no screen yet
            return False
        return any(t.row_count > 0 for t in tables)

    return start_app(database, start="plan"), plan_shown


def budget_app(database: Path):
    # The same start as `bouv-tui --db PATH`, opened on the budget (F9): ready at the first
    # frame in which the table (the sources and their caps, the screen's first view) has rows.
    from bouv_tui.cli import start_app

    def budget_shown(app) -> bool:
        from bouv_tui.tui.widgets.table import Table

        try:
            tables = list(app.screen.query("#budget-table").results(Table))
        except Exception:  # no screen yet
            return False
        return any(t.row_count > 0 for t in tables)

    return start_app(database, start="budget"), budget_shown


MODES = {"bouv": bouv_app, "dashboard": dashboard_app, "plan": plan_app, "budget": budget_app}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("bare", *MODES) or (argv[0] in MODES and len(argv) < 2):
        print("usage: first_frame.py bare | bouv DBPATH | dashboard DBPATH | plan DBPATH | budget DBPATH", file=sys.stderr)
        return 2
    if argv[0] == "bare":
        app, ready = bare_app()
    else:
        app, ready = MODES[argv[0]](Path(argv[1]))

    ready_at: list[float] = []
    ready_epoch: list[float] = []
    ready_cpu: list[float] = []

    from textual.drivers.headless_driver import HeadlessDriver

    class FrameClock(HeadlessDriver):
        """No terminal, but the app renders every frame for one and writes it here: the first
        frame written while the app's condition holds is the first frame."""

        @property
        def is_headless(self) -> bool:
            return False

        def write(self, data: str) -> None:
            if data != "\a" and not ready_at and ready(app):  # a bell is no frame
                ready_at.append(time.perf_counter())
                ready_epoch.append(time.time())
                ready_cpu.append(time.process_time())

    app.driver_class = FrameClock

    async def auto_pilot(pilot) -> None:
        # The frame itself is caught in FrameClock.write; the pilot ends the app after it
        # (or at the time-out).
        deadline = time.monotonic() + TIMEOUT
        while not ready_at:
            if time.monotonic() > deadline:
                pilot.app.exit(return_code=3)
                return
            await asyncio.sleep(POLL)
        pilot.app.exit()

    app.run(size=(120, 40), auto_pilot=auto_pilot)
    if argv[0] in MODES:
        from bouv_tui.cli import finish_app

        finish_app(app)  # as `bouv-tui` does after the app
    exited = time.perf_counter()
    code = app.return_code or 0
    if code == 0 and ready_at:
        print(json.dumps({"ready_s": ready_at[0] - STARTED, "exited_s": exited - STARTED,
                          "ready_cpu_s": ready_cpu[0], "ready_epoch": ready_epoch[0]}))
    elif code == 0:
        print("the app exited before the condition was reached", file=sys.stderr)
        code = 4
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

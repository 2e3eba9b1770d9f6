"""Time recomputing the need-against-plan figures after a booking, on a database of the
national scale.

Run by ``benchmarks/run.py`` in a fresh subprocess:

    python benchmarks/plan_booking.py DBPATH [--bookings N] [--year YEAR]

Reads the year's plan (default: the latest round's year) and what the overview needs besides
it (``PlanSection.overview_inputs``: the round's people, levels and need scores) once, as the
plan section does when it is shown, and checks that the overview computed from them is the
one ``PlanSection.plan_overview`` gives. Then books N people (default 300), one at a time, in
memory, as the screen will do after a booking: a person the overview lists as lacking
competence with no seat in an area of a planned or ongoing occasion with a free seat becomes
one more ``Participant``, a new ``Plan`` is made of the old one's rows and that participant,
and ``domain.plan.overview`` is computed again. Each booking is timed from the new
participant to the new overview (the ``Plan`` built and indexed, every figure recomputed).
Each booking is checked: the person is no longer listed as uncovered in that area, and the
distinct people in the totals grow by one when the person had no seat at all before (else
exit 4).

The last line of stdout is JSON: ``recompute_p50_ms``, ``recompute_p95_ms``,
``recompute_max_ms``, ``first_ms`` (the first overview, before any booking, unchecked by the
target), ``n``, ``trainings``, ``occasions`` and ``participants`` (of the plan as read).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

from keystrokes import percentile


def run(database: Path, bookings: int, year: int | None) -> int:
    from bouv_tui.domain import plan as rules
    from bouv_tui.domain.plan import Participant, Plan
    from bouv_tui.services import Workspace

    workspace = Workspace.open(database, backup=False)
    try:
        year = year or workspace.rounds()[-1].year
        plan, shown = workspace.plan_overview(year)
        inputs = workspace.overview_inputs(year)
    finally:
        workspace.close()
    start = time.perf_counter()
    overview = rules.overview(plan, year, *inputs)
    first_ms = (time.perf_counter() - start) * 1000
    if overview != shown:
        print("the overview from overview_inputs differs from plan_overview's", file=sys.stderr)
        return 4
    read = (len(plan.trainings), len(plan.occasions), len(plan.participants))
    # Where a booking can go: planned or ongoing occasions with a free seat, by area.
    free = {
        o.id: o.seats - len(plan.seated(o.id)) for o in plan.occasions
        if o.status in (rules.PLANNED, rules.ONGOING) and o.seats is not None and o.seats > len(plan.seated(o.id))
    }  # fmt: skip
    times: list[float] = []
    rebuilt_times: list[float] = []  # the same, the Plan made afresh from all its rows
    for _ in range(bookings):
        choice = _next_booking(plan, overview, free)
        if choice is None:
            break
        occasion, group, area, person = choice
        had_a_seat = any(person in plan.seated(o.id) for o in plan.occasions if o.counts)
        start = time.perf_counter()
        plan = plan.with_participants([Participant(occasion.id, person)])
        after = rules.overview(plan, year, *inputs)
        times.append((time.perf_counter() - start) * 1000)
        rebuilt_start = time.perf_counter()
        rebuilt = rules.overview(Plan(plan.trainings, plan.occasions, plan.participants), year, *inputs)
        rebuilt_times.append((time.perf_counter() - rebuilt_start) * 1000)
        if rebuilt != after:
            print(f"the plan with the booking of {person} differs from the one made afresh", file=sys.stderr)
            return 4
        row = next(r for r in after.by_group[group] if r.area == area)
        if person in row.uncovered or after.totals.people != overview.totals.people + (0 if had_a_seat else 1):
            print(f"booking {person} on occasion {occasion.id} did not change the figures as it should", file=sys.stderr)
            return 4
        overview = after
        free[occasion.id] -= 1
        if not free[occasion.id]:
            del free[occasion.id]
    if not times:
        print("no booking could be made: no planned occasion with a free seat and someone uncovered", file=sys.stderr)
        return 3
    print(f"{len(times)} bookings on the plan of {year} ({read[0]} trainings, {read[1]} occasions, "
          f"{read[2]} participants): recomputed p50 {statistics.median(times):.1f} ms, "
          f"p95 {percentile(times, 0.95):.1f} ms, max {max(times):.1f} ms; with the Plan made afresh "
          f"p50 {statistics.median(rebuilt_times):.1f} ms, p95 {percentile(rebuilt_times, 0.95):.1f} ms")  # fmt: skip
    print(json.dumps({
        "recompute_p50_ms": statistics.median(times),
        "recompute_p95_ms": percentile(times, 0.95),
        "recompute_max_ms": max(times),
        "rebuilt_p50_ms": statistics.median(rebuilt_times),
        "rebuilt_p95_ms": percentile(rebuilt_times, 0.95),
        "first_ms": first_ms,
        "n": len(times),
        "trainings": read[0],
        "occasions": read[1],
        "participants": read[2],
    }))  # fmt: skip
    return 0


def _next_booking(plan, overview, free):
    """An occasion with a free seat and a person of its training's group listed as uncovered
    in one of its areas: (occasion, group, area, staff id), or None."""
    by_id = {o.id: o for o in plan.occasions}
    for occasion_id in sorted(free):
        occasion = by_id[occasion_id]
        training = plan.training(occasion.training_id)
        for group in training.groups:
            for row in overview.by_group.get(group, ()):
                if row.area in training.areas and row.uncovered:
                    return occasion, group, row.area, row.uncovered[0]
    return None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database", type=Path, metavar="DBPATH")
    parser.add_argument("--bookings", type=int, default=300, help="bookings to time (default 300)")
    parser.add_argument("--year", type=int, help="the plan's year (default: the latest round's)")
    args = parser.parse_args(argv)
    if not args.database.is_file():
        parser.error(f"{args.database} is not a file")
    return run(args.database, args.bookings, args.year)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""A demo database of a made-up municipality, "Exempelby kommun".

``write_demo`` builds a whole database from a seed: the same seed (and ``today``) gives
the same content, so screenshots, snapshot tests and benchmarks can rely on it. All
names are obviously invented (common Swedish first names with surnames such as
Exempelsson or Påhittad); nothing here describes a real person.

The database is made by a list of *steps* (:data:`STEPS`). Each step is a function of
a :class:`DemoContext` (its own random generator, the open repository, the day the
demo is seen from, and what earlier steps produced) and writes its part in one
transaction. To extend the demo, write a step
and append it to ``STEPS``: every step draws from a generator seeded with the seed
*and the step's name*, so adding a step never changes what the others produce.

``staff`` counts the handläggare employed on ``today``. Team leaders come on top in
the national ratio (766 arbetsledare to 5 113 handläggare in the 2013 inventory), a
couple of ``annan`` from ten handläggare up, and about one person in ten of the roster
has left within the last two years, so that turnover is visible.

Two inventory rounds a year apart (``today.year - 1`` and ``today.year``) assess everyone
employed on each reference date. Between them, Evidensbaserad praktik improves (as after
a training) and Placerade barn gets worse (experienced staff left, new hires lack it);
the current round is not quite complete and a couple of people's levels are still
carried over from last year. Last year's needs and questionnaire are complete; this
year's are half done (``demo/form.py``). The training plan (``demo/plan.py``) has a few of
last year's trainings, all finished, and this year's: an area covered and one with high need
left uncovered, a training in several areas, an introduction, support and supervision, a
cancelled occasion and a finished one waiting for re-assessment; at national scale about
600 trainings, 1 200 occasions and 25 000 participants. The budget (``demo/budget.py``) has
this year's state grant close to its cap with money going back unless the chef acts, own funds,
and last year's grant accounted for; at national scale about 20 000 expense lines.
"""

from __future__ import annotations

import os
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bouv_tui.demo.assessments import build_assessments
from bouv_tui.demo.staff import SETTINGS, build_staff, team_leader_count  # noqa: F401 - part of the API
from bouv_tui.domain.assessment import Round
from bouv_tui.domain.roster import StaffMember
from bouv_tui.domain.settings import MunicipalitySettings

#: The day the demo is seen from when no ``today`` is given (keeps the file reproducible).
DEFAULT_TODAY = date(2026, 11, 22)


class DemoExists(FileExistsError):
    """The demo would overwrite a file that already holds something."""


@dataclass
class DemoContext:
    """What a step gets: its generator, the repository to write through, and the day."""

    rng: random.Random
    repo: Any  # bouv_tui.store.repo.Repository (imported lazily: it pulls in SQLAlchemy)
    today: date
    staff: int
    #: What earlier steps produced, by name (e.g. ``"staff"``: the stored StaffMembers).
    results: dict[str, Any] = field(default_factory=dict)


Step = Callable[[DemoContext], Any]


# --- steps --------------------------------------------------------------------------


def step_settings(ctx: DemoContext) -> MunicipalitySettings:
    ctx.repo.save_settings(SETTINGS)
    return SETTINGS


def step_staff(ctx: DemoContext) -> list[StaffMember]:
    """The roster, in one transaction; the stored people (with ids) for later steps."""
    return ctx.repo.save_staff(build_staff(ctx.rng, ctx.staff, ctx.today), [])


def step_assessments(ctx: DemoContext) -> tuple[Round, Round]:
    """Two inventory rounds a year apart, each saved in one transaction; the stored rounds."""
    staff = ctx.results["staff"]
    previous = ctx.repo.create_round(Round.for_year(ctx.today.year - 1))
    current = ctx.repo.create_round(Round.for_year(ctx.today.year))
    previous_sets, current_sets = build_assessments(ctx.rng, staff, previous, current, ctx.today)
    ctx.repo.save_assessments(previous.id, previous_sets)
    ctx.repo.save_assessments(current.id, current_sets)
    return previous, current


def step_form(ctx: DemoContext) -> dict[int, list]:
    """Need scores and questionnaire answers for both rounds (``demo/form.py``); the rounds'
    assessments as read back (round id → assessments), for the plan."""
    from bouv_tui.config import NeedModel
    from bouv_tui.demo.form import write_form
    from bouv_tui.store.read import read_assessments

    rounds = ctx.results["assessments"]
    assessments = {r.id: read_assessments(ctx.repo.path, r.id) for r in rounds}
    write_form(ctx.repo, ctx.results["staff"], rounds, assessments, NeedModel())
    return assessments


def step_plan(ctx: DemoContext) -> None:
    """Last year's and this year's training plan, in one transaction (``demo/plan.py``)."""
    from bouv_tui.demo.plan import build_plan, write_plan

    levels = {
        round_id: {(a.staff_id, a.area): a.level for a in assessments}
        for round_id, assessments in ctx.results["form"].items()
    }
    before, this_year = build_plan(ctx.rng, ctx.results["staff"], ctx.results["assessments"], levels, ctx.today,
                                   ctx.staff)  # fmt: skip
    write_plan(ctx.repo, before + this_year)


def step_budget(ctx: DemoContext):
    """This year's grant and own funds, last year's grant accounted for, and the expenses of
    both years (``demo/budget.py``); the stored sources."""
    from bouv_tui.demo.budget import write_budget
    from bouv_tui.exchange.grant_file import read_grant, template_2013

    units = sorted({p.unit for p in ctx.results["staff"] if p.unit})
    return write_budget(ctx.rng, ctx.repo, ctx.today, ctx.staff, units, read_grant(template_2013()))


#: The demo's steps in order: (name, function). The name also seeds the step's generator.
STEPS: list[tuple[str, Step]] = [
    ("settings", step_settings),
    ("staff", step_staff),
    ("assessments", step_assessments),
    ("form", step_form),
    ("plan", step_plan),
    ("budget", step_budget),
]


# --- writing the file -------------------------------------------------------------------


def _sidecars(path: Path) -> list[Path]:
    return [Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")]


def write_demo(
    path: Path,
    *,
    staff: int = 24,
    seed: int = 1,
    today: date | None = None,
    overwrite: bool = False,
) -> Path:
    """Write a new demo database at ``path`` and return the path.

    Refuses (``DemoExists``, a ``FileExistsError``) when ``path`` holds something, unless
    ``overwrite`` is true; then the file is replaced whole: the demo is built in a
    temporary file in the same folder and moved into place, so a failure leaves the
    old file as it was.
    """
    from bouv_tui.exchange import atomic
    from bouv_tui.store.db import connect, open_database
    from bouv_tui.store.repo import Repository

    path = Path(path)
    if staff < 1:
        raise ValueError("Demodatabasen behöver minst en handläggare (--staff 1 eller fler).")
    if path.is_dir():
        raise DemoExists(f"{path} är en mapp. Ange ett filnamn för demodatabasen.")
    if path.exists() and path.stat().st_size > 0 and not overwrite:
        raise DemoExists(
            f"{path} finns redan och är inte tom. Demodatabasen skriver inte över en befintlig fil; "
            "välj ett annat filnamn eller ta bort filen först."
        )
    today = today or DEFAULT_TODAY
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    # A database needs a name to be built under, so this is a named temporary file (mode
    # 0600 from the start, see open_database), marked with our process id: a run that is
    # killed leaves it, and the next write into the folder sweeps it away.
    atomic.sweep_stale(path.parent)
    temp = atomic.temp_path(path)
    try:
        open_database(temp, backup=False)
        repo = Repository(temp)
        try:
            ctx = DemoContext(rng=random.Random(), repo=repo, today=today, staff=staff)
            for name, step in STEPS:
                ctx.rng = random.Random(f"bouv-tui demo {seed} {name}")
                ctx.results[name] = step(ctx)
        finally:
            repo.close()
        # Fold the write-ahead log into the file so the one file is the whole database.
        conn = connect(temp)
        try:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            conn.close()
        for stale in _sidecars(path):
            stale.unlink(missing_ok=True)
        os.chmod(temp, atomic.PRIVATE)
        os.replace(temp, path)
        atomic.fsync_folder(path.parent)
    finally:
        for leftover in [temp, *_sidecars(temp)]:
            leftover.unlink(missing_ok=True)
    return path

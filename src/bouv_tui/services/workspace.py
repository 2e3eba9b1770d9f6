"""The core every section's service stands on: one open database file, its write path, its
one writer thread, the municipality's settings, and the one rule for which round is shown.

Reads go through ``store.read`` (the standard library, fast). Every write goes through
``store.repo`` (SQLAlchemy Core over the SQLModel tables), created on first use so that the
first screen does not wait for it, and runs on the one writer thread (``writer.Writer``):
the UI thread never waits for SQLite's write lock, and writes of one process never
interleave. A write called from any thread waits for its result, or its error, which it
raises where it was called; screens call them from a worker.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Self, TypeVar

from bouv_tui.domain.settings import MunicipalitySettings
from bouv_tui.store import db, read
from bouv_tui.writer import Writer

if TYPE_CHECKING:  # the roster's first frame does not need the assessment model, nor SQLAlchemy
    from bouv_tui.domain.assessment import Round
    from bouv_tui.store.repo import Repository

T = TypeVar("T")


def preload_write_path() -> None:
    """Start loading the write path in the background (``db.load_write_path_in_background``)."""
    db.load_write_path_in_background()


def in_background(name: str, work: Callable[[], T]):
    """Start ``work()`` in a daemon thread named ``name`` and answer a
    ``concurrent.futures.Future`` of its result (or its error, for whoever asks): what a start
    reads ahead while the UI is imported."""
    from concurrent.futures import Future

    future: Future = Future()

    def run() -> None:
        try:
            future.set_result(work())
        except BaseException as exc:  # handed to whoever asks for the result
            future.set_exception(exc)

    threading.Thread(target=run, name=name, daemon=True).start()
    return future


class WorkspaceCore:
    """One open database file, its write path and its one writer thread. The sections'
    services (``services.roster`` and the rest) are classes over this one; ``services.Workspace``
    is all of them together."""

    def __init__(self, path: Path, *, readonly: bool = False):
        self.path = path
        #: Opened read-only (the file or its folder is): reads and exports work, writes are refused.
        self.readonly = readonly
        self._repo = None
        self._lock = threading.Lock()
        #: (today, concurrent.futures.Future) while the start screen is counted
        #: (``services.dashboard``); any write discards it.
        self._prefetch = None
        #: (year, Future) while the plan's first view is read (``services.plan``); the same.
        self._plan_prefetch = None
        self._budget_prefetch = None
        self.writer = Writer()
        self._seen_version: int | None = None

    @classmethod
    def open(cls, path: Path, *, backup: bool = True) -> Self:
        opened = db.open_database(path, backup=backup)
        return cls(opened, readonly=not db.is_writable(opened))

    @property
    def repo(self):
        """The write path (imports SQLModel on first use; safe to call from a worker thread).
        Only the writer thread writes through it (``write``)."""
        with self._lock:
            if self._repo is None:
                from bouv_tui.store.repo import Repository

                self._repo = Repository(self.path)
            return self._repo

    def write(self, operation: Callable[[Repository], T]) -> T:
        """``operation(repo)`` on the writer thread; waits for it and returns its result or
        raises its error. Refused on a database opened read-only."""
        if self.readonly:
            raise db.ReadOnlyDatabase(
                f"{self.path} är skrivskyddad (filen eller mappen går inte att skriva i), så ingenting "
                "kan sparas. Ingenting har ändrats."
            )
        self._prefetch = self._plan_prefetch = self._budget_prefetch = None  # about to write: what was read before may not hold
        return self.writer.run(lambda: operation(self.repo))

    def changed_elsewhere(self) -> bool:
        """Whether another window or program committed a change since the last call (the
        first call says False and starts watching). Asked on a timer and when a screen is
        shown; runs on the writer thread, whose connection sees every commit but its own."""
        if self.readonly:
            return False
        if self._seen_version is None:
            from bouv_tui.store.repo import load_tables

            self.writer.run(load_tables)  # the first call is the app's warm-up: the first save need not wait
        version = self.writer.run(lambda: self.repo.data_version())
        seen, self._seen_version = self._seen_version, version
        if seen is not None and version != seen:
            self._prefetch = self._plan_prefetch = self._budget_prefetch = None
            return True
        return False

    def close(self) -> None:
        self.writer.close()
        if self._repo is not None:
            self._repo.close()

    # --- the municipality's settings ------------------------------------------------------

    def settings(self) -> MunicipalitySettings:
        return read.read_settings(self.path)

    def save_settings(self, settings: MunicipalitySettings, *, shown: MunicipalitySettings | None = None,
                      force: bool = False) -> MunicipalitySettings:  # fmt: skip
        """Store the contact block (``shown``: what the form was opened with); returns what is stored."""
        self.write(lambda repo: repo.save_settings(settings, shown=shown, force=force))
        return self.settings()

    # --- which round: one rule for every section ---------------------------------------------

    def rounds(self) -> list[Round]:
        return read.read_rounds(self.path)

    def round_for_year(self, year: int) -> Round | None:
        return next((r for r in self.rounds() if r.year == year), None)

    def round_finished(self, round_: Round) -> bool:
        """Whether nothing is left to do in ``round_`` (``dashboard.round_finished``)."""
        from bouv_tui.domain import dashboard as dash

        return dash.round_finished(round_, *self._round_progress(round_))

    def current_round(self, today: date, rounds: list[Round] | None = None) -> Round | None:
        """The round the app suggests on ``today`` (``dashboard.current_round``)."""
        from bouv_tui.domain import dashboard as dash

        return dash.current_round(self.rounds() if rounds is None else rounds, today, self.round_finished)

    def round_to_show(self, year: int | None, today: date) -> tuple[list[Round], Round | None]:
        """The rounds, and the one of ``year`` (the app's choice) or, when there is none of
        that year, the one ``current_round`` suggests. Every section asks this."""
        rounds = self.rounds()
        chosen = next((r for r in rounds if r.year == year), None) if year is not None else None
        return rounds, chosen if chosen is not None else self.current_round(today, rounds)

    def _round_progress(self, round_: Round | None):
        """(``read.RoundCounts``, ``dashboard.FormProgress``) of a stored round, or (None, None)."""
        from bouv_tui.domain import dashboard as dash

        if round_ is None or round_.id is None:
            return None, None
        counts = read.read_round_counts(self.path, round_.id, round_.reference_date, dash.ROUND_AREAS, dash.ROUND_LEVELS)
        form = dash.FormProgress(read.read_need_counts(self.path, round_.id), read.read_answers(self.path, round_.id))
        return counts, form

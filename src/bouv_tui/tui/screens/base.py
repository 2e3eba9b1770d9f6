"""What every section shares: background work with one error path, saves that ask when
someone else changed the same data, and views that follow the file.

- ``run_job`` queues work (a save, or a read that must come after one) for a thread worker;
  jobs of one screen run one at a time, in the order asked for. ``background`` runs work
  that waits for nothing (an export, a read) in its own worker.
- What fails goes one way (``handle_error``): a ``Conflict`` opens the conflict dialog
  (save mine again with ``force``, or keep what is stored and read it again), a
  ``StaleImport`` says to import again (and offers to read the file again), everything else
  goes to the app's ``report_error`` (a dialog for what stops the work, a notice for the rest).
- ``reload_data`` reads the screen's data again, keeping the cursor: the app calls it (through
  ``follow``) when another window or program changed the file, and a screen shown again
  after a change reloads then.
- The round a section shows is the app's (``app.year``, one choice for every section): a
  section that shows a round (``FOLLOWS_YEAR``) reads the app's year when it reads, says
  which round it showed with ``shown_round``, and reads again (``year_changed``) when the
  app's year changes: at once when shown, else when next shown.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.markup import escape
from textual import events, on
from textual.screen import Screen
from textual.worker import Worker, WorkerState

from bouv_tui.errors import Conflict, StaleImport


@dataclass
class Job:
    title: str  # also what an error dialog is titled: "Personen sparades inte"
    job: Callable[[], Any]
    done: Callable[[Any], None] | None = None
    #: The same write with ``force=True``, for "Spara mitt" after a Conflict.
    force: Callable[[], Any] | None = None
    #: Whether a failure leaves the screen showing what was not stored (read it again then).
    reload_on_error: bool = False
    #: For an import: read the file again and show a new preview (after a StaleImport).
    reread: Callable[[], None] | None = None
    #: Whether the job writes: other screens read again when next shown.
    writes: bool = True
    #: After a forced save ("Spara mitt"), instead of ``done``.
    forced_done: Callable[[Any], None] | None = None


class BackgroundWork:
    """Thread workers with one error path; mixed into the screens and the app."""

    def _init_work(self) -> None:
        self._jobs: deque[Job] = deque()
        self._busy = False
        self._job_of: dict[Worker, Job] = {}

    # --- running ------------------------------------------------------------------------

    def run_job(self, title: str, job: Callable[[], Any], done: Callable[[Any], None] | None = None, *,
                force: Callable[[], Any] | None = None, reload_on_error: bool = False,
                reread: Callable[[], None] | None = None, writes: bool = True,
                forced_done: Callable[[Any], None] | None = None) -> None:  # fmt: skip
        """Queue ``job`` (run in a thread); ``done(result)`` runs on the UI thread after it."""
        self._jobs.append(Job(title, job, done, force, reload_on_error, reread, writes, forced_done))
        if not self._busy:
            self._next_job()

    def background(self, title: str, job: Callable[[], Any], done: Callable[[Any], None] | None = None, *,
                   group: str, writes: bool = False) -> None:  # fmt: skip
        """Run ``job`` in its own thread worker (a newer one in ``group`` replaces the older)."""
        entry = Job(title, job, done, writes=writes)

        def run() -> None:
            result = job()
            self.app.call_from_thread(self._finished, entry, result)

        worker = self.run_worker(run, name=title, group=group, thread=True, exclusive=True, exit_on_error=False)
        self._job_of[worker] = entry

    def jobs_pending(self) -> bool:
        return self._busy or bool(self._jobs)

    def _next_job(self) -> None:
        if not self._jobs:
            self._busy = False
            return
        self._busy = True
        entry = self._jobs.popleft()

        def run() -> None:
            result = entry.job()
            self.app.call_from_thread(self._job_done, entry, result)

        worker = self.run_worker(run, name=entry.title, group="section-jobs", thread=True, exit_on_error=False)
        self._job_of[worker] = entry

    def _finished(self, entry: Job, result) -> None:
        if entry.writes:
            self.app.data_changed(by=self)
        if entry.done is not None:
            entry.done(result)
        if not entry.writes:
            self.app.data_shown()  # what was read stays until the next change

    def _job_done(self, entry: Job, result) -> None:
        try:
            self._finished(entry, result)
        finally:
            self._next_job()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state not in (WorkerState.ERROR, WorkerState.SUCCESS, WorkerState.CANCELLED):
            return
        entry = self._job_of.pop(event.worker, None)
        if event.state != WorkerState.ERROR:
            return
        if entry is not None and event.worker.group == "section-jobs":
            # What was queued after a failed job built on it: drop it, and show what is stored.
            self._jobs.clear()
            self._busy = False
        self.handle_error(entry.title if entry else (event.worker.name or "Något gick fel"), event.worker.error, entry)

    # --- errors -------------------------------------------------------------------------------

    def handle_error(self, title: str, error: BaseException | None, entry: Job | None = None) -> None:
        from bouv_tui.tui.dialogs.conflict import MINE, ConflictDialog, StaleImportDialog

        if isinstance(error, StaleImport):
            reread = entry.reread if entry is not None else None

            def answered(again: bool | None) -> None:
                if again and reread is not None:
                    reread()

            self.app.push_screen(StaleImportDialog(title, error, reread is not None), answered)
            self.reload_data()
            return
        if isinstance(error, Conflict):
            force = entry.force if entry is not None else None
            if force is None and not error.removed:
                error = Conflict(str(error), what=error.what, changes=error.changes, removed=True)

            def chosen(choice: str | None) -> None:
                if choice == MINE and force is not None:
                    self.run_job(title, force, lambda result: self._forced(error, entry, result),
                                 reload_on_error=entry.reload_on_error)  # fmt: skip
                else:
                    self.drop_edits()
                    self.reload_data()

            self.app.push_screen(ConflictDialog(title, error), chosen)
            return
        self.app.report_error(title, error)
        if entry is not None and entry.reload_on_error:
            self.reload_data()

    def _forced(self, conflict: Conflict, entry: Job, result) -> None:
        """After "Spara mitt": say which values are stored now where someone else had saved others."""
        replaced = [c for c in conflict.changes if c.mine != c.stored]
        if replaced:
            self.notify(
                escape("Sparat med dina värden: "
                       + "; ".join(f"{c.label}: {c.mine} (i stället för {c.stored})" for c in replaced) + "."),
                title="Sparat", timeout=12,
            )  # fmt: skip
        done = entry.forced_done or entry.done
        if done is not None:
            done(result)

    def drop_edits(self) -> None:
        """"Behåll det sparade": forget changes shown but not stored (before ``reload_data``)."""

    def reload_data(self) -> None:
        """Read the data shown again from the file, keeping the cursor (by id where possible)."""


#: A palette command of a section: its title, its help line and what it does.
Command = tuple[str, str, Callable[[], Any]]


class HelpTopic:
    """A screen with a page of its own in F1's help (``tui/help/<HELP_TOPIC>.md``)."""

    HELP_TOPIC: ClassVar[str] = "general"


class SectionScreen(HelpTopic, BackgroundWork, Screen):
    """A section: its help topic, its palette commands, its background work and error path,
    and following changes made elsewhere. A new section subclasses this and is registered
    with one line in ``tui/app.py``'s ``SECTIONS``."""
    #: Read the data (``reload_data``) when first shown rather than in ``on_mount``: screens
    #: summing up other sections. Any screen reads again when shown if the file changed since
    #: (elsewhere, or by a save in another section); none on closing a dialog (a failed read
    #: would reopen its error dialog at every close).
    LOAD_WHEN_SHOWN = False
    #: The section shows one round: the app's (``app.year``).
    FOLLOWS_YEAR = False

    def __init__(self) -> None:
        super().__init__()
        self._init_work()
        #: The year of the round shown (None: none, or nothing shown yet).
        self.year: int | None = None
        #: The app's ``data_generation`` this screen last showed (None: not shown yet).
        self.generation: int | None = None

    def commands(self) -> Iterable[Command]:
        """The section's main actions for the command palette (Ctrl+P)."""
        return ()

    @on(events.ScreenResume)
    def _section_resumed(self) -> None:
        first = self.generation is None
        stale = self.generation != self.app.data_generation
        self.generation = self.app.data_generation
        if self.FOLLOWS_YEAR and not first and self.year != self.app.year and self.app.year is not None:
            self.year_changed()
        elif (self.LOAD_WHEN_SHOWN and first) or (stale and not first):
            # A summary of the other sections reads again only when something was saved or
            # changed since it was last shown (the app's data_generation counts every save
            # and every change made elsewhere): switching back and forth costs no read.
            self.reload_data()
        if first:
            self.app.data_shown()  # the screen is built (and what on_mount read is shown)
        else:
            self.app.check_for_changes()

    def year_changed(self) -> None:
        """The app's year is another than the one shown: read that round."""
        self.reload_data()

    def shown_round(self, asked: int | None, year: int | None) -> bool:
        """After a read made for the app's year ``asked``, which showed the round of ``year``
        (the rule's choice when ``asked`` has no round): False when the app's year changed
        meanwhile (drop the result: a read of the new year follows); else the app's year
        becomes ``year`` and True."""
        if self.app.year != asked:
            return False
        self.year = year
        if year is not None:
            self.app.year = year
        return True

    def follow(self) -> None:
        """The file changed elsewhere while this screen is shown: read it again."""
        self.generation = self.app.data_generation
        self.reload_data()

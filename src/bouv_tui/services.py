"""What the CLI and the TUI both do, in one place: open, read, import, export, write.

Reads go through ``store.read`` (the standard library, fast). Every write goes through
``store.repo`` (SQLAlchemy Core over the SQLModel tables), created on first use so that the
first screen does not wait for it, and runs on the Workspace's one writer thread
(``writer.Writer``): the UI thread never waits for SQLite's write lock, and writes of one
process never interleave. A write called from any thread waits for its result, or its
error, which it raises where it was called; screens call them from a worker.

No silent overwrite: a save says what it was shown (a version, or the values), and the
store refuses with ``errors.Conflict`` when someone else changed the row since; the caller
asks the user and saves again with ``force=True``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from bouv_tui.domain.roster import StaffMember
from bouv_tui.domain.settings import MunicipalitySettings
from bouv_tui.store import db, read
from bouv_tui.writer import Writer

if TYPE_CHECKING:  # the roster's first frame does not need the assessment model, nor SQLAlchemy
    from bouv_tui.domain.assessment import Assessment, Round
    from bouv_tui.store.repo import Repository

T = TypeVar("T")

EXPORT_FORMATS = ("csv", "xlsx")
#: The submission's export formats (csv: a zip of tables).
SUBMISSION_FORMATS = ("json", "xlsx", "csv", "txt")


def preload_write_path() -> None:
    """Start loading the write path in the background (``db.load_write_path_in_background``)."""
    db.load_write_path_in_background()


@dataclass
class ImportOutcome:
    added: int
    updated: int
    unchanged: int


class Workspace:
    """One open database file, its write path and its one writer thread."""

    def __init__(self, path: Path, *, readonly: bool = False):
        self.path = path
        #: Opened read-only (the file or its folder is): reads and exports work, writes are refused.
        self.readonly = readonly
        self._repo = None
        self._lock = threading.Lock()
        self._prefetch = None  # (today, concurrent.futures.Future) while the start screen is counted
        self.writer = Writer()
        self._seen_version: int | None = None

    @classmethod
    def open(cls, path: Path, *, backup: bool = True) -> "Workspace":
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
        self._prefetch = None  # about to write: a count made before may not hold
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
            self._prefetch = None
            return True
        return False

    def close(self) -> None:
        self.writer.close()
        if self._repo is not None:
            self._repo.close()

    # --- reads --------------------------------------------------------------------

    def staff(self) -> list[StaffMember]:
        return read.read_staff(self.path)

    def first_page(self, on: date, size: int, *, include_left: bool = False) -> list[StaffMember]:
        return read.read_first_page(self.path, on, size, include_left=include_left)

    def settings(self) -> MunicipalitySettings:
        return read.read_settings(self.path)

    def rounds(self) -> list[Round]:
        return read.read_rounds(self.path)

    def round_for_year(self, year: int) -> Round | None:
        return next((r for r in self.rounds() if r.year == year), None)

    def assessments(self, round_id: int) -> list[Assessment]:
        return read.read_assessments(self.path, round_id)

    def prefetch_dashboard(self, today: date) -> None:
        """Start counting the start screen's figures in a background thread, so that the
        count (SQLite, which lets other Python code run meanwhile) overlaps with importing
        and building the UI. The next ``dashboard(today)`` takes the result, once; anything
        that writes before then discards it."""
        from concurrent.futures import Future

        from bouv_tui.domain import dashboard as _dash  # noqa: F401 - imported here, not in the thread

        future: Future = Future()

        def count() -> None:
            try:
                future.set_result(self._count_dashboard(today))
            except BaseException as exc:  # handed to whoever asks for the result
                future.set_exception(exc)

        self._prefetch = (today, future)
        threading.Thread(target=count, name="bouv-tui: start screen", daemon=True).start()

    def dashboard(self, today: date, year: int | None = None):
        """The start screen's figures for the round of ``year`` (by default, or when there is no
        such round, ``current_round``), counted in SQL rather than by reading every person and
        level of the round (tens of thousands at national scale): the first frame waits for it."""
        prefetch, self._prefetch = self._prefetch, None
        if prefetch is not None and prefetch[0] == today:
            counted = prefetch[1].result()
            if year is None or (counted.round is not None and counted.round.year == year):
                return counted
        return self._count_dashboard(today) if year is None else self._count_dashboard(today, year)

    def _count_dashboard(self, today: date, year: int | None = None):
        from bouv_tui.domain import dashboard as dash

        rounds, round_ = self.round_to_show(year, today)
        staff = read.read_staff_counts(self.path, today, **dash.staff_count_rules(today))
        counts, form = self._round_progress(round_)
        return dash.build_dashboard_from_counts(self.settings(), staff, rounds, counts, today, form, shown=round_)

    def _round_progress(self, round_: Round | None):
        """(``read.RoundCounts``, ``dashboard.FormProgress``) of a stored round, or (None, None)."""
        from bouv_tui.domain import dashboard as dash

        if round_ is None or round_.id is None:
            return None, None
        counts = read.read_round_counts(self.path, round_.id, round_.reference_date, dash.ROUND_AREAS, dash.ROUND_LEVELS)
        form = dash.FormProgress(read.read_need_counts(self.path, round_.id), read.read_answers(self.path, round_.id))
        return counts, form

    # --- which round: one rule for every section ---------------------------------------------

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

    # --- roster import / export -------------------------------------------------------

    def plan_staff_import(self, file: Path, today: date | None = None):
        from bouv_tui.exchange.staff_import import plan_staff_import, read_table

        from bouv_tui.store.basis import roster_basis

        table = read_table(file)
        staff = self.staff()
        plan = plan_staff_import(table, staff, today or date.today())
        plan.basis = roster_basis(staff)
        return plan

    def apply_staff_import(self, plan) -> ImportOutcome:
        """Store a checked plan in one transaction. A plan with errors is refused whole, and so
        is one whose roster changed since it was planned (``errors.StaleImport``)."""
        if not plan.ok:
            raise ValueError("an import plan with errors cannot be applied")
        self.write(lambda repo: repo.import_staff(plan.adds, [new for _old, new in plan.updates], plan.basis))
        return ImportOutcome(len(plan.adds), len(plan.updates), plan.unchanged)

    def export_staff(self, fmt: str, target: Path, today: date | None = None, *,
                     replace_readonly: bool = False) -> Path:  # fmt: skip
        """Write the roster as ``fmt`` at ``target`` through the one export path
        (``exchange.atomic.write_export``): ``ExportError`` with a Swedish message when it
        cannot; a read-only file is replaced only with ``replace_readonly``."""
        from bouv_tui.exchange import staff_export

        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"Okänt format {fmt!r}: välj csv eller xlsx.")
        check_export_target(target, replace_readonly=replace_readonly)  # before reading the roster
        writer = staff_export.export_staff_csv if fmt == "csv" else staff_export.export_staff_xlsx
        writer(self.staff(), target, today or date.today(), replace_readonly=replace_readonly)
        return target

    # --- assessment import ------------------------------------------------------------

    def plan_assessment_import(self, file: Path, year: int, today: date | None = None):
        """Read and check an assessment file for the round of ``year``: the stored round, or
        a new one (``Round.for_year``, reference date 31 December) that applying creates."""
        from bouv_tui.domain.assessment import Round
        from bouv_tui.exchange.assessment_import import plan_assessment_import, read_assessment_table

        table = read_assessment_table(file)
        round_ = self.round_for_year(year) or Round.for_year(year)
        from bouv_tui.store.basis import levels_basis, roster_basis

        existing = self.assessments(round_.id) if round_.id is not None else []
        staff = self.staff()
        plan = plan_assessment_import(table, staff, existing, round_, today or date.today())
        plan.basis = (roster_basis(staff), levels_basis(existing))
        return plan

    def apply_assessment_import(self, plan) -> "AssessmentImportOutcome":
        """Store a checked plan in one transaction, creating its round first if needed (nothing
        copied into it). A plan with errors is refused whole."""
        if not plan.ok:
            raise ValueError("an import plan with errors cannot be applied")
        stored = self.write(lambda repo: repo.import_assessments(plan.round, plan.sets, plan.clears, basis=plan.basis))
        return AssessmentImportOutcome(stored, len(plan.sets), len(plan.clears), plan.unchanged, plan.new_round)


    # --- needs, questionnaire and the submission ---------------------------------------

    def need_choices(self, round_id: int):
        return read.read_need_choices(self.path, round_id)

    def need_others(self, round_id: int):
        return read.read_need_others(self.path, round_id)

    def answers(self, round_id: int) -> dict:
        """The questionnaire of one round, every question present (unanswered ones empty)."""
        from bouv_tui.domain import questionnaire

        return questionnaire.clean_answers(read.read_answers(self.path, round_id))

    def need_rows(self, round_: Round, model):
        """The rows of questions 13 (``handlaggare``) and 19 (``arbetsledare``) for a stored
        round, by group: the roster and the round's levels are read once for both."""
        from bouv_tui.domain.assessment import people_in_round
        from bouv_tui.domain.needs import need_rows_by_group

        people = people_in_round(self.staff(), round_)
        levels = read.read_levels(self.path, round_.id)
        return need_rows_by_group(people, levels, self.need_choices(round_.id), model)

    # --- writes: each on the writer thread, each refused with Conflict when the row changed ----------

    def save_settings(self, settings: MunicipalitySettings, *, shown: MunicipalitySettings | None = None,
                      force: bool = False) -> MunicipalitySettings:  # fmt: skip
        """Store the contact block (``shown``: what the form was opened with); returns what is stored."""
        self.write(lambda repo: repo.save_settings(settings, shown=shown, force=force))
        return self.settings()

    def save_person(self, member: StaffMember, *, shown: StaffMember | None = None,
                    force: bool = False) -> StaffMember:  # fmt: skip
        """Add a person (no id) or save a stored one (``shown``: the person as the form showed
        them; ``Conflict`` when someone changed them since). Returns them as stored."""
        if member.id is None:
            return self.write(lambda repo: repo.add_staff(member))
        return self.write(lambda repo: repo.update_staff(member, shown=shown, force=force))

    def delete_person(self, member: StaffMember, *, force: bool = False) -> None:
        """Delete a person and all about them (``Conflict`` when changed since ``member.version``),
        after a backup of the file (when it changed since the last one): ``bouv-tui restore``
        brings them back."""

        def delete(repo):
            db.make_backup(self.path)
            repo.delete_staff(member.id, version=member.version, force=force)

        self.write(delete)

    def create_round(self, round_: Round, *, copy_from: int | None = None) -> Round:
        return self.write(lambda repo: repo.create_round(round_, copy_from=copy_from))

    def round_contents(self, round_id: int):
        """What deleting the round would take with it (``repo.RoundContents``: levels, need
        scores, "Annat" rows, answers), counted on the writer thread."""
        return self.write(lambda repo: repo.round_contents(round_id))

    def delete_round(self, round_id: int, *, counted=None) -> list[Round]:
        """Delete a round and everything in it, in one transaction; refused with ``Conflict``
        when its contents are no longer ``counted`` (what the user was asked about). Returns
        the rounds left. A backup is taken first (when the file changed since the last one), so
        that the deletion can be undone with ``bouv-tui restore``."""

        def delete(repo):
            db.make_backup(self.path)
            repo.delete_round(round_id, counted=counted)

        self.write(delete)
        return self.rounds()

    def save_levels(self, round_id: int, sets, clears=(), *, expected=None, force: bool = False) -> None:
        """Set and clear levels in one transaction; ``expected``: each cell as the screen showed
        it (its stored assessment, or None), so a cell someone else changed is not overwritten."""
        self.write(lambda repo: repo.save_assessments(round_id, list(sets), list(clears), expected=expected, force=force))

    def confirm_carried_over(self, round_id: int, staff_id: int | None = None) -> int:
        return self.write(lambda repo: repo.confirm_carried_over(round_id, staff_id))

    def save_need_choices(self, round_id: int, choices, clears=(), *, shown=None, force: bool = False) -> None:
        """``shown``: the round's stored choices as the screen read them (``need_choices``)."""
        self.write(lambda repo: repo.save_need_choices(round_id, list(choices), list(clears), shown=shown, force=force))

    def save_need_others(self, round_id: int, group: str, others, *, shown=None, force: bool = False) -> None:
        self.write(lambda repo: repo.save_need_others(round_id, group, list(others), shown=shown, force=force))

    def save_answers(self, round_id: int, answers: dict, *, shown: dict | None = None, force: bool = False) -> dict:
        """Check and store questionnaire answers (question key → value) with the form's logic
        applied; raises ``questionnaire.AnswerError`` (nothing stored) for a value the form
        cannot take, and ``Conflict`` when a question being saved was answered otherwise
        elsewhere since ``shown`` (the stored answers as the screen read them). Returns the
        whole questionnaire as stored."""
        from bouv_tui.domain import questionnaire

        merged = {**self.answers(round_id), **answers}
        cleaned = questionnaire.clean_answers(merged)  # raises before anything is written
        before = questionnaire.clean_answers(shown) if shown is not None else None
        self.write(lambda repo: repo.save_answers(round_id, cleaned, shown=before, force=force))
        return self.answers(round_id)

    def submission(self, year: int, model):
        """The submission for ``year`` from the stored round of that year. Without a stored
        round the submission is empty and its check says so."""
        from bouv_tui.domain import submission
        from bouv_tui.domain.assessment import Round

        round_ = self.round_for_year(year)
        saved = round_ is not None
        round_ = round_ or Round.for_year(year)
        data = (
            (read.read_levels(self.path, round_.id), self.need_choices(round_.id), self.need_others(round_.id),
             read.read_answers(self.path, round_.id))
            if saved else ([], [], [], {})
        )  # fmt: skip
        return submission.build(round_, self.settings(), self.staff(), *data, model, round_saved=saved)

    def check_submission(self, year: int, model):
        """The submission for ``year`` and what keeps it from being complete or consistent
        (``domain.submission.check``; messages may name staff: for the screen, not for files)."""
        from bouv_tui.domain.submission import check

        built = self.submission(year, model)
        return built, check(built)

    def export_submission(self, year: int, fmt: str, target: Path, model, *, replace_readonly: bool = False) -> Path:
        """Write the submission for ``year`` as ``fmt`` (one of ``SUBMISSION_FORMATS``) at
        ``target``, whole or not at all, problems listed (counts only, never names): a draft
        with errors is written too. Returns ``target``. The export path of the roster:
        ``ExportError`` when it cannot be written; a read-only file only with ``replace_readonly``."""
        return self.export_submission_checked(year, fmt, target, model, replace_readonly=replace_readonly).path

    def export_submission_checked(self, year: int, fmt: str, target: Path, model, *,
                                  replace_readonly: bool = False) -> "SubmissionExport":  # fmt: skip
        """As ``export_submission``, and also say what the check found (the CLI prints it)."""
        from bouv_tui.exchange.exporters import export_submission

        if fmt not in SUBMISSION_FORMATS:
            raise ValueError(f"Okänt format {fmt!r}: välj {', '.join(SUBMISSION_FORMATS)}.")
        check_export_target(target, replace_readonly=replace_readonly)  # before building the submission
        built, problems = self.check_submission(year, model)
        path = export_submission(built, problems, fmt, Path(target), replace_readonly=replace_readonly)
        return SubmissionExport(path, problems)


@dataclass
class SubmissionExport:
    path: Path
    problems: list  # domain.submission.Problem, as check() gives them (may name staff)


@dataclass
class AssessmentImportOutcome:
    round: Round  # with its id
    set: int
    cleared: int
    unchanged: int
    created_round: bool


def default_export_stem(kind: str, today: date | None = None, *, year: int | None = None) -> str:
    """An export's name without its ending: ``personal-2026-12-01`` (the day written), or for
    a reporting year ``inventering-2026-skapad-2026-12-01`` (so that the two years are told
    apart). Letters, digits and hyphens only: a safe name on every system, one word in a shell."""
    written = (today or date.today()).isoformat()
    return f"{kind}-{written}" if year is None else f"{kind}-{year}-skapad-{written}"


def default_export_name(kind: str, fmt: str, today: date | None = None, *, year: int | None = None,
                        suffix: str | None = None) -> str:  # fmt: skip
    """``default_export_stem`` with the format's ending (``suffix``, else ``.fmt``)."""
    return default_export_stem(kind, today, year=year) + (suffix or f".{fmt}")


def check_export_target(target: Path, *, replace_readonly: bool = False) -> None:
    """Whether an export can be written at ``target``, before any work: raises ``ExportError``
    (Swedish, naming the path and the next step), ``ReadOnlyTarget`` for a read-only file
    unless ``replace_readonly`` (``exchange.atomic.check_target``)."""
    from bouv_tui.exchange.atomic import check_target

    check_target(Path(target), replace_readonly=replace_readonly)

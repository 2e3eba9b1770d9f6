"""The submission's service: the questionnaire's answers, and the submission built from a
round, checked, and exported (the CLI and the app write the same bytes through here)."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from bouv_tui.exchange.formats import SUBMISSION
from bouv_tui.services.exports import check_export_target
from bouv_tui.services.needs import NeedsSection
from bouv_tui.store import read

#: The submission's export formats (``exchange.formats.SUBMISSION``; csv: a zip of tables).
SUBMISSION_FORMATS = SUBMISSION.names


class SubmissionExport(NamedTuple):
    path: Path
    problems: list  # domain.submission.Problem, as check() gives them (may name staff)


class SubmissionSection(NeedsSection):  # the submission holds the roster, the levels and the needs
    # --- the questionnaire ------------------------------------------------------------

    def answers(self, round_id: int) -> dict:
        """The questionnaire of one round, every question present (unanswered ones empty)."""
        from bouv_tui.domain import questionnaire

        return questionnaire.clean_answers(read.read_answers(self.path, round_id))

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

    # --- the submission ---------------------------------------------------------------

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
        from bouv_tui.domain.plan import question_21
        from bouv_tui.store.plans import read_plan

        staff = self.staff()
        q21 = question_21(read_plan(self.path, year), year, {p.id: p for p in staff})
        return submission.build(round_, self.settings(), staff, *data, model, round_saved=saved, q21=q21)

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
                                  replace_readonly: bool = False) -> SubmissionExport:  # fmt: skip
        """As ``export_submission``, and also say what the check found (the CLI prints it).
        ``FormatError`` for an unknown format or a csv zip named ``.csv``, before any work."""
        from bouv_tui.exchange.exporters import export_submission

        SUBMISSION.check(fmt, target)
        check_export_target(target, replace_readonly=replace_readonly)  # before building the submission
        built, problems = self.check_submission(year, model)
        path = export_submission(built, problems, fmt, Path(target), replace_readonly=replace_readonly)
        return SubmissionExport(path, problems)

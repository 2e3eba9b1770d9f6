"""The submission's exports: JSON, XLSX, CSV (a zip of tables) and TXT, each a function of a
``Submission`` and its checked problems. Every file is written whole or not at all, and no
export holds a staff name (problem messages are rewritten with counts).

Only this module's names are imported at start; each format loads its own libraries.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from bouv_tui.exchange.formats import SUBMISSION

#: The formats and their file endings (``exchange.formats.SUBMISSION``, where they are defined).
FORMATS = SUBMISSION.names
SUFFIXES = SUBMISSION.suffixes


def submission_bytes(submission, problems: Sequence, fmt: str) -> bytes:
    """The file ``fmt`` of ``submission``. Raises ``FormatError`` for an unknown format."""
    SUBMISSION.check(fmt)
    problems = list(problems)
    if fmt == "json":
        from bouv_tui.exchange.exporters.json_export import submission_json

        return submission_json(submission, problems)
    if fmt == "xlsx":
        from bouv_tui.exchange.exporters.xlsx_export import submission_xlsx

        return submission_xlsx(submission, problems)
    if fmt == "csv":
        from bouv_tui.exchange.exporters.csv_export import submission_csv_zip

        return submission_csv_zip(submission, problems)
    from bouv_tui.exchange.exporters.txt_export import submission_text

    # txt, the last of the formats ("UTF-8" names the same codec)
    return submission_text(submission, problems).encode("utf-8")  # pragma: no mutate


def export_submission(submission, problems: Sequence, fmt: str, target: Path, *, replace_readonly: bool = False) -> Path:
    """Write ``submission`` (with ``problems`` from ``domain.submission.check``) as ``fmt`` at
    ``target``; returns ``target``. Raises ``FormatError`` (a ``ValueError``) for an unknown
    format or a csv export named ``.csv``, and ``atomic.ExportError`` when the file cannot be
    written (the export path of the roster too: :func:`bouv_tui.exchange.atomic.write_export`)."""
    from bouv_tui.exchange.atomic import check_target, write_export

    target = Path(target)
    SUBMISSION.check(fmt, target)
    check_target(target, replace_readonly=replace_readonly)  # before the work of building the file
    data = submission_bytes(submission, problems, fmt)
    return write_export(target, lambda f: f.write(data), replace_readonly=replace_readonly)

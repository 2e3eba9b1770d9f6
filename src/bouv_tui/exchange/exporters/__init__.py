"""The submission's exports: JSON, XLSX, CSV (a zip of tables) and TXT, each a function of a
``Submission`` and its checked problems. Every file is written whole or not at all, and no
export holds a staff name (problem messages are rewritten with counts).

Only this module's names are imported at start; each format loads its own libraries.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

FORMATS = ("json", "xlsx", "csv", "txt")

#: The file ending of each format. csv is a zip of CSV tables, one a question: named
#: ``.csv`` Excel would open it as garbage, so a ``.csv`` name is refused (:func:`name_problem`).
SUFFIXES = {"json": ".json", "xlsx": ".xlsx", "csv": ".zip", "txt": ".txt"}

#: What the csv format is, in the words the command line and the app use.
CSV_IS_A_ZIP = "csv-formatet är en zip-fil med en CSV-tabell per fråga (Excel kan inte öppna den som .csv)"


def name_problem(fmt: str, target: Path) -> str | None:
    """Why ``target`` is the wrong name for ``fmt``, or None: a csv export named ``.csv``."""
    if fmt == "csv" and Path(target).suffix.lower() == ".csv":
        return f"{CSV_IS_A_ZIP}: ge filen ändelsen .zip, till exempel {Path(target).with_suffix('.zip').name}."
    return None


def submission_bytes(submission, problems: Sequence, fmt: str) -> bytes:
    """The file ``fmt`` of ``submission``. Raises ``ValueError`` for an unknown format."""
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
    if fmt == "txt":
        from bouv_tui.exchange.exporters.txt_export import submission_text

        return submission_text(submission, problems).encode("utf-8")
    raise ValueError(f"Okänt format {fmt!r}: välj {', '.join(FORMATS)}.")


def export_submission(submission, problems: Sequence, fmt: str, target: Path, *, replace_readonly: bool = False) -> Path:
    """Write ``submission`` (with ``problems`` from ``domain.submission.check``) as ``fmt`` at
    ``target``; returns ``target``. Raises ``ValueError`` for an unknown format or a csv
    export named ``.csv``, and ``atomic.ExportError`` when the file cannot be written (the
    export path of the roster too: :func:`bouv_tui.exchange.atomic.write_export`)."""
    from bouv_tui.exchange.atomic import check_target, write_export

    target = Path(target)
    if fmt not in FORMATS:
        raise ValueError(f"Okänt format {fmt!r}: välj {', '.join(FORMATS)}.")
    problem = name_problem(fmt, target)
    if problem is not None:
        raise ValueError(problem[0].upper() + problem[1:])
    check_target(target, replace_readonly=replace_readonly)  # before the work of building the file
    data = submission_bytes(submission, problems, fmt)
    return write_export(target, lambda f: f.write(data), replace_readonly=replace_readonly)

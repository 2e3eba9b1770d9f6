"""The submission's exports: JSON, XLSX, CSV (a zip of tables) and TXT, each a function of a
``Submission`` and its checked problems. Every file is written whole or not at all, and no
export holds a staff name (problem messages are rewritten with counts).

Only this module's names are imported at start; each format loads its own libraries.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

FORMATS = ("json", "xlsx", "csv", "txt")

#: The usual file ending of each format (csv is a zip of tables).
SUFFIXES = {"json": ".json", "xlsx": ".xlsx", "csv": ".zip", "txt": ".txt"}


def export_submission(submission, problems: Sequence, fmt: str, target: Path) -> Path:
    """Write ``submission`` (with ``problems`` from ``domain.submission.check``) as ``fmt`` at
    ``target``; returns ``target``. Raises ``ValueError`` for an unknown format."""
    target = Path(target)
    if fmt == "json":
        from bouv_tui.exchange.exporters.json_export import export_json as writer
    elif fmt == "xlsx":
        from bouv_tui.exchange.exporters.xlsx_export import export_xlsx as writer
    elif fmt == "csv":
        from bouv_tui.exchange.exporters.csv_export import export_csv as writer
    elif fmt == "txt":
        from bouv_tui.exchange.exporters.txt_export import export_txt as writer
    else:
        raise ValueError(f"Okänt format {fmt!r}: välj {', '.join(FORMATS)}.")
    return writer(submission, list(problems), target)

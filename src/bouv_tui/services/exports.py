"""What every export shares: its default file name and the check of where it is written,
before any work. The formats themselves are named in ``exchange.formats``."""

from __future__ import annotations

from datetime import date
from pathlib import Path


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

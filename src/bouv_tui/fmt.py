"""Swedish number, percent and date formats for what people read.

The fast path formats with Python's format mini-language and swaps in the Swedish
separators (a no-break space for thousands, a decimal comma); ``tests/test_fmt.py``
checks it against babel's ``sv_SE`` formatting, so the two never drift apart.
"""

from __future__ import annotations

from datetime import date

NBSP = "\u00a0"
_SWAP = str.maketrans({",": NBSP, ".": ","})


def number(value: float, decimals: int = 0) -> str:
    """5879 → ``5 879``; 12.25 with one decimal → ``12,3``."""
    return format(value, f",.{decimals}f").translate(_SWAP)


def percent(fraction: float | None, decimals: int = 1) -> str:
    """0.283 → ``28,3 %``; None → ``–``."""
    if fraction is None:
        return "–"
    return f"{number(fraction * 100, decimals)}{NBSP}%"


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, an ellipsis last when it was longer."""
    return text if len(text) <= width else text[: max(1, width - 1)] + "…"


def iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def size(n_bytes: int) -> str:
    """A file size: ``812 byte``, ``4,1 kB``, ``12,3 MB``, ``1,2 GB`` (powers of 1 000)."""
    if n_bytes < 1000:
        return f"{n_bytes} byte"
    value = float(n_bytes)
    for unit in ("kB", "MB", "GB", "TB"):
        value /= 1000
        if value < 999.95 or unit == "TB":
            return f"{number(value, 1)}{NBSP}{unit}"
    raise AssertionError  # pragma: no cover

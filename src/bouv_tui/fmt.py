"""Swedish number, percent and date formats for what people read (babel, imported lazily)."""

from __future__ import annotations

from datetime import date

LOCALE = "sv_SE"


def number(value: float, decimals: int = 0) -> str:
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=LOCALE)


def percent(fraction: float | None, decimals: int = 1) -> str:
    """0.283 → ``28,3 %``; None → ``–``."""
    if fraction is None:
        return "–"
    from babel.numbers import format_percent

    return format_percent(fraction, format="#,##0." + "0" * decimals + " %", locale=LOCALE)


def iso(day: date | None) -> str:
    return day.isoformat() if day else ""

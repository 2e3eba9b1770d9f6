"""Parsing of the values a person types or a file holds, with Swedish messages."""

from __future__ import annotations

import re
from datetime import date

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SLASH_DATE = re.compile(r"^\d{1,2}[/.]\d{1,2}[/.]\d{2,4}$")


class InvalidValue(ValueError):
    """A value that can't be used; the message is Swedish and says what is expected."""


def parse_iso_date(text: str) -> date | None:
    """``2024-03-01`` → date; empty → None. Anything else raises InvalidValue."""
    text = text.strip()
    if not text:
        return None
    if SLASH_DATE.match(text):
        raise InvalidValue(
            f'"{text}" går inte att tolka säkert (dag och månad kan förväxlas). Skriv datum som ÅÅÅÅ-MM-DD.'
        )
    if not ISO_DATE.match(text):
        raise InvalidValue(f'"{text}" är inte ett datum. Skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2024-03-01.')
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidValue(f'"{text}" är inget giltigt datum (finns inte i kalendern).') from None


def parse_fte(text: str) -> int:
    """Sysselsättningsgrad in percent, 1–100: ``75``, ``75 %``, ``75,0``."""
    cleaned = text.strip().removesuffix("%").strip().replace(",", ".")
    if not cleaned:
        raise InvalidValue("Ange sysselsättningsgrad i procent, 1–100.")
    try:
        value = float(cleaned)
    except ValueError:
        raise InvalidValue(f'"{text}" är inte ett tal. Ange sysselsättningsgrad i procent, 1–100.') from None
    if value != int(value) or not 1 <= value <= 100:
        raise InvalidValue(f'"{text}" ligger utanför 1–100 eller är inte ett heltal.')
    return int(value)

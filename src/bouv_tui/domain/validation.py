"""Parsing of the values a person types or a file holds, with Swedish messages.

The staff form and the roster import use the same functions, so a value is read the
same way wherever it comes from.
"""

from __future__ import annotations

import re
from datetime import date

MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(2100, 12, 31)
DATE_HINT = "Skriv datum i ISO-format ÅÅÅÅ-MM-DD, t.ex. 2024-03-01."
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_FTE = re.compile(r"(\d{1,3})(?:[.,]0+)?\s*%?")


class InvalidValue(ValueError):
    """A value that can't be used; the message is Swedish and says what is expected."""


#: Unicode category Cc: the C0 and C1 control characters.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def quote(value: str, limit: int = 40) -> str:
    """A value fit to quote in a message: one line, not too long, no control characters
    (line breaks and tabs become spaces; other control characters are dropped)."""
    one_line = _CONTROL.sub("", " ".join(value.split()))
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"


def parse_iso_date(text: str) -> date | None:
    """``2024-03-01`` → date; empty → None. Anything else raises InvalidValue."""
    value = text.strip()
    if not value:
        return None
    if not _ISO_DATE.fullmatch(value):
        if "/" in value:
            raise InvalidValue(
                f'"{quote(value)}" är inte ett giltigt datum. {DATE_HINT} I datum med snedstreck '
                "går det inte att avgöra vad som är dag och vad som är månad."
            )
        raise InvalidValue(f'"{quote(value)}" är inte ett giltigt datum. {DATE_HINT}')
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise InvalidValue(
            f'"{value}" är inte ett giltigt datum: månaden eller dagen finns inte. {DATE_HINT}'
        ) from None
    if not MIN_DATE <= parsed <= MAX_DATE:
        raise InvalidValue(
            f'"{value}" är ett orimligt datum (tillåtet är {MIN_DATE.isoformat()} till {MAX_DATE.isoformat()}).'
        )
    return parsed


def parse_fte(text: str) -> int:
    """Sysselsättningsgrad in percent, 1–100: ``75``, ``75 %``, ``75,0``; empty means full time."""
    value = text.strip()
    if not value:
        return 100
    match = _FTE.fullmatch(value)
    number = int(match.group(1)) if match else None
    if number is None or not 1 <= number <= 100:
        raise InvalidValue(
            f'"{quote(value)}" är inte en giltig sysselsättningsgrad. Ange procent av heltid '
            "som ett heltal från 1 till 100, t.ex. 75."
        )
    return number

"""Parsing of the values a person types or a file holds, with Swedish messages.

The staff form and the roster import use the same functions, so a value is read the
same way wherever it comes from.
"""

from __future__ import annotations

import re
import unicodedata
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


# --- amounts (a training's cost, and the budget's expenses after it) --------------------

#: Highest amount accepted, in whole kronor (three times the whole country's competence grant
#: of 2013: a larger figure is a typing error).
MAX_KRONOR = 100_000_000
_THOUSANDS = "[ \u00a0\u202f]"
_KRONOR = re.compile(rf"(\d{{1,3}}(?:{_THOUSANDS}\d{{3}})+|\d{{1,12}})(?:,(\d{{1,2}}))?(?:\s*(?:kr|sek|:-))?", re.I)


def parse_kronor(value: str) -> int:
    """Whole kronor, as a form field or a file's cell holds them: ``12345``, ``12 345``,
    ``12 345 kr`` and ``12345,00`` are 12 345; empty → 0. Öre (``12,50``), a negative amount
    and anything but a number are refused, and so is an amount past MAX_KRONOR."""
    value = value.strip()
    if not value:
        return 0
    match = _KRONOR.fullmatch(value)
    if match is None:
        if re.fullmatch(r"[-−]\s*\d.*", value):
            raise InvalidValue(f'"{quote(value)}" är negativt. Ett belopp ska vara 0 eller mer.')
        raise InvalidValue(f'"{quote(value)}" är inget belopp. Skriv hela kronor, t.ex. 12 345 eller 12345.')
    whole, ore = match.groups()
    if ore and int(ore):
        raise InvalidValue(f'"{quote(value)}" har ören. Ange hela kronor (avrunda beloppet).')
    amount = int(re.sub(_THOUSANDS, "", whole))
    if amount > MAX_KRONOR:
        limit = f"{MAX_KRONOR:,}".replace(",", "\u00a0")
        raise InvalidValue(f'"{quote(value)}" är orimligt stort: ett belopp här får vara högst {limit} kr.')
    return amount


# --- invisible characters (the staff form and every import refuse them alike) ----------


def text_problem(value: str) -> str | None:
    """What is wrong with a typed text (a name, a unit, an id) that a file would be refused
    for too: a control character or an invisible one; None when it is fine."""
    if _CONTROL.search(value):
        return f'"{quote(value)}" innehåller otillåtna kontrolltecken.'
    return hidden_character(value)


def hidden_character(value: str) -> str | None:
    """What is wrong with a text holding an invisible character (see ``_INVISIBLE``), or None."""
    if value.isascii():
        return None
    hidden = _INVISIBLE.search(value)
    if hidden is None:
        return None
    return (
        f'"{quote(_INVISIBLE.sub("", value))}" innehåller ett osynligt tecken '
        f"({invisible_name(hidden.group())}) på plats {hidden.start() + 1}. "
        "Ta bort det (skriv om värdet för hand om du inte ser var det är)."
    )


#: Characters that change how a text looks or reads without being seen: Unicode's format
#: characters (Cf: right-to-left override, zero-width space and joiners, soft hyphen, BOM),
#: the line and paragraph separators (Zl, Zp) and the Unicode "tag" and noncharacters.
_INVISIBLE = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u180e\u200b-\u200f\u2028-\u202e"
    "\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f\ufdd0-\ufdef\ufffe\uffff]"
)
_INVISIBLE_NAMES = {
    "\u200b": "nollbreddsmellanslag",
    "\u200c": "nollbreddsicke-bindare",
    "\u200d": "nollbreddsbindare",
    "\u200e": "vänster-till-höger-markering",
    "\u200f": "höger-till-vänster-markering",
    "\u202a": "vänster-till-höger-inbäddning",
    "\u202b": "höger-till-vänster-inbäddning",
    "\u202c": "slut på riktningsformatering",
    "\u202d": "vänster-till-höger-åsidosättning",
    "\u202e": "höger-till-vänster-åsidosättning",
    "\u2028": "radavgränsare",
    "\u2029": "styckeavgränsare",
    "\u2060": "ordbindare",
    "\u2066": "vänster-till-höger-isolering",
    "\u2067": "höger-till-vänster-isolering",
    "\u2068": "första starka isolering",
    "\u2069": "slut på riktningsisolering",
    "\u00ad": "mjukt bindestreck",
    "\ufeff": "byte order mark",
}


def invisible_name(ch: str) -> str:
    """``U+202E, höger-till-vänster-åsidosättning``: the code point and a Swedish name."""
    name = _INVISIBLE_NAMES.get(ch) or unicodedata.name(ch, "").lower() or "osynligt tecken"
    return f"U+{ord(ch):04X}, {name}"

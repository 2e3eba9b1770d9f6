"""The municipality and its contact person (the form's contact block)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True, slots=True)
class Municipality:
    code: str
    name: str
    county: str


@dataclass(frozen=True, slots=True)
class MunicipalitySettings:
    kommunkod: str = ""
    kommun: str = ""
    contact_name: str = ""
    email: str = ""
    phone: str = ""

    @property
    def is_complete(self) -> bool:
        return bool(self.kommun and self.contact_name)


@cache
def municipalities() -> tuple[Municipality, ...]:
    """The 290 municipalities, in the order of their codes."""
    import csv  # here, not at the top: the first screen does not need the list
    from importlib import resources

    text = resources.files("bouv_tui.data").joinpath("kommuner.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return tuple(Municipality(r["kommunkod"], r["kommun"], r["lan"]) for r in rows)


def municipality_by_code(code: str) -> Municipality | None:
    return next((m for m in municipalities() if m.code == code), None)


EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE = re.compile(r"^\+?[0-9][0-9 \-]{4,19}$")


def settings_errors(s: MunicipalitySettings) -> dict[str, str]:
    """Field → Swedish message, for every field that is wrong."""
    errors: dict[str, str] = {}
    if municipality_by_code(s.kommunkod) is None:
        errors["kommunkod"] = "Välj kommun i listan."
    if not s.contact_name.strip():
        errors["contact_name"] = "Ange uppgiftslämnarens namn."
    if s.email and not EMAIL.match(s.email.strip()):
        errors["email"] = "E-postadressen ser inte giltig ut (namn@exempel.se)."
    if s.phone and not PHONE.match(s.phone.strip()):
        errors["phone"] = "Telefonnumret får bara innehålla siffror, mellanslag, bindestreck och inledande +."
    return errors

"""The grant file (``spec/INTERFACES.md``, "Grant file"): one funding source and its rules in
TOML, read with tomllib and written with tomli-w, so that a region can hand out a new grant's
rules as a file. A wrong file is refused whole with a message in Swedish that names the key
and the line; nothing is stored from it."""

from __future__ import annotations

import re
import tomllib
from datetime import date
from pathlib import Path

from bouv_tui.domain import budget as rules
from bouv_tui.domain import catalog
from bouv_tui.domain.budget import Cap, FundingSource
from bouv_tui.exchange.tables import ImportFileError

#: A grant file is a page of text: anything larger is not one.
MAX_BYTES = 100_000
MAX_NAME = 200
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_KRONOR = 100_000_000_000  # a whole country's grant, many times over

KEYS = ("namn", "typ", "ar", "rekvirerat", "utbetalt", "aterbetalt", "anvands_fran", "anvands_till",
        "redovisas_senast", "ej_forbrukat", "kostnadstyper", "tak")  # fmt: skip
CAP_KEYS = ("namn", "andel", "atgard", "kostnadstyper")
REQUIRED = ("namn", "typ", "ar", "utbetalt")


class GrantFileError(ImportFileError):
    """The grant file cannot be used; the message names the file, the key and the line."""


class _Lines:
    """Where a key is written, for the messages: its line, within the n-th ``[[tak]]`` when asked.
    A key is found bare, quoted or dotted (``namn =``, ``"namn" =``, ``namn.kort =``); a cap
    written inline (``tak = [{...}]``) is found at the line of ``tak``."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.caps = [i for i, line in enumerate(self.lines) if re.match(r"\s*\[\[\s*tak\s*\]\]", line)]

    def of(self, key: str, cap: int | None = None) -> int | None:
        if cap is None:
            first, last = 0, (self.caps[0] if self.caps else len(self.lines))
        elif cap >= len(self.caps):
            return self.of("tak")
        else:
            first = self.caps[cap] + 1
            last = self.caps[cap + 1] if cap + 1 < len(self.caps) else len(self.lines)
        name = re.escape(key)
        pattern = re.compile(rf"\s*(?:{name}|\"{name}\"|'{name}')\s*[=.]")
        return next((i + 1 for i in range(first, last) if pattern.match(self.lines[i])), None)


def read_grant(path: Path) -> FundingSource:
    """The funding source a grant file describes (no id: not stored yet)."""
    name = path.name
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise GrantFileError(f"{name} finns inte.") from None
    except IsADirectoryError:
        raise GrantFileError(f"{name} är en mapp, inte en fil.") from None
    except PermissionError:
        raise GrantFileError(f"{name} kunde inte läsas: behörighet saknas.") from None
    except OSError:
        raise GrantFileError(f"{name} kunde inte läsas.") from None
    if len(raw) > MAX_BYTES:
        raise GrantFileError(f"{name} är för stor för en bidragsfil ({len(raw)} byte; högst {MAX_BYTES}).")
    try:
        # Codec names are case-insensitive: "UTF-8-SIG" is the same codec.
        text = raw.decode("utf-8-sig")  # pragma: no mutate
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise GrantFileError(f"{name}, rad {line}: filen är inte UTF-8. Spara den som UTF-8 och försök igen.") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"at line (\d+)", str(exc))
        line = f", rad {where.group(1)}" if where else ""
        raise GrantFileError(f"{name}{line}: filen är inte giltig TOML ({exc}).") from None
    return _source(name, data, _Lines(text))


def _source(name: str, data: dict, lines: _Lines) -> FundingSource:
    def fail(key: str, message: str, cap: int | None = None) -> GrantFileError:
        line = lines.of(key, cap)
        where = f"rad {line}, " if line else ""
        table = f"[[tak]] nr {cap + 1}, " if cap is not None else ""
        return GrantFileError(f"{name}, {where}{table}{key}: {message}")

    for key in data:
        if key not in KEYS:
            raise fail(key, f"okänd nyckel. Giltiga nycklar: {', '.join(KEYS)}.")
    for key in REQUIRED:
        if key not in data:
            raise GrantFileError(f"{name}: nyckeln {key} saknas.")
    title = data["namn"]
    if not isinstance(title, str) or not title.strip():
        raise fail("namn", "ska vara en text, inte tom.")
    if len(title.strip()) > MAX_NAME:
        raise fail("namn", f"för långt (högst {MAX_NAME} tecken).")
    kind = data["typ"]
    if kind not in rules.SOURCE_KINDS:
        raise fail("typ", f"ska vara {', '.join(rules.SOURCE_KINDS.codes())}, inte {kind!r}.")
    year = data["ar"]
    if type(year) is not int or not MIN_YEAR <= year <= MAX_YEAR:
        raise fail("ar", f"ska vara ett årtal från {MIN_YEAR} till {MAX_YEAR}.")
    amounts = {}
    for key in ("rekvirerat", "utbetalt", "aterbetalt"):
        value = data.get(key, 0)
        if type(value) is not int:
            raise fail(key, "ska vara ett belopp i hela kronor, utan öre och utan citattecken (t.ex. 33226408).")
        if not 0 <= value <= MAX_KRONOR:
            raise fail(key, "ska vara 0 eller mer, och rimligt stort.")
        amounts[key] = value
    days = {}
    for key in ("anvands_fran", "anvands_till", "redovisas_senast"):
        value = data.get(key)
        if value is not None and type(value) is not date:
            raise fail(key, "ska vara ett datum utan citattecken, t.ex. 2013-05-16.")
        days[key] = value
    if days["anvands_fran"] and days["anvands_till"] and days["anvands_till"] < days["anvands_fran"]:
        raise fail("anvands_till", "är före anvands_fran.")
    unspent = data.get("ej_forbrukat", rules.PAID_BACK)
    if unspent not in (rules.PAID_BACK, rules.MAY_BE_SAVED):
        raise fail("ej_forbrukat", f"ska vara {rules.PAID_BACK} eller {rules.MAY_BE_SAVED}.")
    cost_types = _cost_types(data.get("kostnadstyper", catalog.COST_TYPES.codes()), lambda m: fail("kostnadstyper", m))
    caps_data = data.get("tak", [])
    if not isinstance(caps_data, list) or not all(isinstance(c, dict) for c in caps_data):
        raise fail("tak", "ska skrivas som tabeller [[tak]].")
    caps = []
    for n, cap in enumerate(caps_data):
        for key in cap:
            if key not in CAP_KEYS:
                raise fail(key, f"okänd nyckel i [[tak]]. Giltiga nycklar: {', '.join(CAP_KEYS)}.", n)
        for key in ("namn", "andel", "kostnadstyper"):
            if key not in cap:
                raise GrantFileError(f"{name}, [[tak]] nr {n + 1}: nyckeln {key} saknas.")
        if not isinstance(cap["namn"], str) or not cap["namn"].strip():
            raise fail("namn", "ska vara en text, inte tom.", n)
        if len(cap["namn"].strip()) > MAX_NAME:
            raise fail("namn", f"för långt (högst {MAX_NAME} tecken).", n)
        share = cap["andel"]
        if type(share) not in (int, float) or not 0 < share <= 1:
            raise fail("andel", "ska vara en andel större än 0 och högst 1, t.ex. 0.5.", n)
        action = cap.get("atgard", rules.WARN)
        if action not in (rules.WARN, rules.STOP):
            raise fail("atgard", f"ska vara {rules.WARN} eller {rules.STOP}.", n)
        types = _cost_types(cap["kostnadstyper"], lambda m, n=n: fail("kostnadstyper", m, n))
        outside = [t for t in types if t not in cost_types]
        if outside:
            raise fail("kostnadstyper", f"{outside[0]} är inte en av bidragets kostnadstyper.", n)
        caps.append(Cap(cap["namn"].strip(), float(share), types, action))
    return FundingSource(
        title.strip(), kind, year, amounts["rekvirerat"], amounts["utbetalt"], amounts["aterbetalt"],
        days["anvands_fran"], days["anvands_till"], days["redovisas_senast"], unspent, cost_types, tuple(caps),
    )  # fmt: skip


def _cost_types(value, fail) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise fail("ska vara en lista med kostnadstyper, t.ex. [\"utbildningsplatser\", \"resor\"].")
    unknown = [v for v in value if v not in catalog.COST_TYPES]
    if unknown:
        raise fail(f"okänd kostnadstyp {unknown[0]!r}. Giltiga: {', '.join(catalog.COST_TYPES.codes())}.")
    if len(set(value)) < len(value):
        raise fail("samma kostnadstyp står två gånger.")
    order = catalog.COST_TYPES.codes()
    return tuple(sorted(value, key=order.index))


def grant_toml(source: FundingSource) -> str:
    """The grant file of ``source``, keys in the order of INTERFACES.md (dates as TOML dates)."""
    import tomli_w

    data: dict = {"namn": source.name, "typ": source.kind, "ar": source.year, "rekvirerat": source.requisitioned,
                  "utbetalt": source.paid_out, "aterbetalt": source.paid_back}  # fmt: skip
    for key, value in (("anvands_fran", source.use_from), ("anvands_till", source.use_until),
                       ("redovisas_senast", source.report_by)):  # fmt: skip
        if value is not None:
            data[key] = value
    data["ej_forbrukat"] = source.unspent
    data["kostnadstyper"] = list(source.cost_types)
    if source.caps:
        data["tak"] = [{"namn": c.name, "andel": c.share, "atgard": c.action, "kostnadstyper": list(c.cost_types)}
                       for c in source.caps]  # fmt: skip
    return tomli_w.dumps(data)


def template_2013() -> Path:
    """The 2013 competence grant as a grant file (shipped with the app, as a template)."""
    return Path(__file__).resolve().parents[1] / "data" / "grant_2013.toml"

"""Settings in TOML: UI preferences, key remaps, the need model's coefficients and the job
titles a roster import reads as roles.

A missing file means defaults; a broken one means defaults plus a notice naming the
line or key — never a crash.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path


@dataclass(frozen=True)
class UiPreferences:
    theme: str = "textual-dark"
    page_size: int = 200
    show_left: bool = False


@dataclass(frozen=True)
class NeedModel:
    """need ≈ intercept + lacking × (share lacking) + advanced × (share advanced), clamped to 1–5."""

    intercept: float = 3.21
    lacking: float = 2.43
    advanced: float = -1.89


#: Job titles (befattningar) a roster import reads as roles, built in; ``[roller]`` in the
#: file adds to them or overrides one: ``"Socialsekreterare" = "handläggare"``.
DEFAULT_JOB_TITLES: dict[str, str] = {
    "socialsekreterare": "handläggare",
    "utredare": "handläggare",
    "familjebehandlare": "handläggare",
    "socialsekreterare barn och unga": "handläggare",
    "barnutredare": "handläggare",
    "biståndshandläggare": "handläggare",
    "enhetschef": "arbetsledare",
    "biträdande enhetschef": "arbetsledare",
    "1:e socialsekreterare": "arbetsledare",
    "förste socialsekreterare": "arbetsledare",
    "första socialsekreterare": "arbetsledare",
    "gruppledare": "arbetsledare",
    "arbetsledare": "arbetsledare",
    "sektionschef": "arbetsledare",
}
#: The roles a job title can be read as: what a file or ``[roller]`` writes → role code.
_ROLE_WORDS = {
    "handläggare": "handlaggare", "handlaggare": "handlaggare",
    "arbetsledare": "arbetsledare", "annan": "annan",
}  # fmt: skip


@dataclass(frozen=True)
class Config:
    ui: UiPreferences = field(default_factory=UiPreferences)
    #: binding id → comma-separated keys, for ``App.set_keymap``
    keys: dict[str, str] = field(default_factory=dict)
    need_model: NeedModel = field(default_factory=NeedModel)
    #: the file's ``[roller]``: job title as written → role as written (``handläggare``);
    #: :meth:`job_titles` adds the built-in ones
    roles: dict[str, str] = field(default_factory=dict)

    def job_titles(self) -> dict[str, str]:
        """Job title → role code (``handlaggare``, ``arbetsledare``, ``annan``): the built-in
        titles and then the file's, as written (the importer folds case and å/ä/ö)."""
        merged = {title: _ROLE_WORDS[role] for title, role in DEFAULT_JOB_TITLES.items()}
        for title, role in self.roles.items():
            merged[title] = _ROLE_WORDS[role.strip().casefold()]
        return merged


@dataclass(frozen=True)
class LoadedConfig:
    config: Config
    notices: list[str]
    path: Path


_LINE = re.compile(r"line (\d+)")


def _section(raw: dict, name: str, cls, notices: list[str], path: Path):
    """Build dataclass ``cls`` from ``raw[name]``, keeping defaults for keys with the wrong type."""
    default = cls()
    values = raw.get(name, {})
    if not isinstance(values, dict):
        notices.append(f"{path.name}: [{name}] ska vara en tabell; standardvärden används.")
        return default
    kept = {}
    for key, value in values.items():
        if not hasattr(default, key):
            notices.append(f"{path.name}: okänd inställning {name}.{key} hoppas över.")
            continue
        expected = type(getattr(default, key))
        ok = isinstance(value, expected) and not (expected is int and isinstance(value, bool))
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value, ok = float(value), True
        if not ok:
            notices.append(
                f"{path.name}: {name}.{key} = {value!r} har fel typ; standardvärdet "
                f"{_shown(getattr(default, key))} används."
            )
            continue
        kept[key] = value
    result = replace(default, **kept)
    if isinstance(result, UiPreferences) and not 20 <= result.page_size <= 5000:
        notices.append(f"{path.name}: ui.page_size ska vara 20–5000; 200 används.")
        result = replace(result, page_size=200)
    return result


def load_config(path: Path) -> LoadedConfig:
    if not path.exists():
        return LoadedConfig(Config(), [], path)
    import tomllib  # only when there is a file to read

    try:
        text = path.read_text(encoding="utf-8")
        raw = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, UnicodeDecodeError, OSError) as exc:
        found = _LINE.search(str(exc))
        where = f" på rad {found.group(1)}" if found else ""
        return LoadedConfig(
            Config(),
            [f"Inställningsfilen {path} har ett fel{where} ({exc}); standardinställningar används."],
            path,
        )
    notices: list[str] = []
    keys_raw = raw.get("keys", {})
    keys: dict[str, str] = {}
    if isinstance(keys_raw, dict):
        for binding_id, value in keys_raw.items():
            if isinstance(value, str) and value.strip():
                keys[binding_id] = value.strip()
            else:
                notices.append(f"{path.name}: keys.{binding_id} ska vara en text som \"ctrl+n\"; hoppas över.")
    else:
        notices.append(f"{path.name}: [keys] ska vara en tabell; hoppas över.")
    roles = _roles(raw, text, notices, path)
    for unknown in sorted(set(raw) - {"ui", "keys", "need_model", "roller"}):
        notices.append(f"{path.name}: okänd sektion [{unknown}] hoppas över.")
    config = Config(
        ui=_section(raw, "ui", UiPreferences, notices, path),
        keys=keys,
        need_model=_section(raw, "need_model", NeedModel, notices, path),
        roles=roles,
    )
    return LoadedConfig(config, notices, path)


def _line_of(text: str, section: str, key: str) -> str:
    """" på rad N" for ``key`` in ``[section]`` of the file's text, or "" when not found."""
    inside = False
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped.strip("[] \t") == section
        elif inside and (
            stripped.startswith((f'"{key}"', f"'{key}'"))
            or re.match(rf"{re.escape(key)}\s*=", stripped)
        ):
            return f" på rad {number}"
    return ""


def _roles(raw: dict, text: str, notices: list[str], path: Path) -> dict[str, str]:
    """The ``[roller]`` table: every entry whose value is a role; a notice (key and line) for the rest."""
    table = raw.get("roller", {})
    if not isinstance(table, dict):
        notices.append(f'{path.name}: [roller] ska vara en tabell som "Socialsekreterare" = "handläggare"; hoppas över.')
        return {}
    kept: dict[str, str] = {}
    for title, role in table.items():
        if isinstance(role, str) and role.strip().casefold() in _ROLE_WORDS and title.strip():
            kept[title] = role
            continue
        shown = f'"{role}"' if isinstance(role, str) else repr(role)
        notices.append(
            f'{path.name}{_line_of(text, "roller", title)}: roller."{title}" = {shown} är ingen roll; '
            'skriv "handläggare", "arbetsledare" eller "annan". Titeln hoppas över.'
        )
    return kept


def save_config(config: Config, path: Path) -> None:
    """Write the whole file atomically (mode 0600), leaving no temporary file behind."""
    import tomli_w

    from bouv_tui.exchange.atomic import write_bytes_atomically

    data = {"ui": asdict(config.ui), "keys": dict(config.keys), "need_model": asdict(config.need_model)}
    if config.roles:
        data["roller"] = dict(config.roles)
    path.parent.mkdir(parents=True, exist_ok=True)
    # An earlier version wrote "<name>.tmp" beside the file and could leave it.
    path.with_name(path.name + ".tmp").unlink(missing_ok=True)
    write_bytes_atomically(path, tomli_w.dumps(data).encode("utf-8"))


def _shown(value) -> str:
    """A setting's value as a person reads it: 3,21 (a decimal comma), ja/nej, text in quotes."""
    if isinstance(value, bool):
        return "true" if value else "false"  # as TOML writes it, which is what the file needs
    if isinstance(value, float):
        return repr(value).replace(".", ",")
    if isinstance(value, str):
        return f'"{value}"'
    return str(value)

"""Settings in TOML: UI preferences, key remaps and the need model's coefficients.

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


@dataclass(frozen=True)
class Config:
    ui: UiPreferences = field(default_factory=UiPreferences)
    #: binding id → comma-separated keys, for ``App.set_keymap``
    keys: dict[str, str] = field(default_factory=dict)
    need_model: NeedModel = field(default_factory=NeedModel)


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
                f"{getattr(default, key)!r} används."
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
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
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
    for unknown in sorted(set(raw) - {"ui", "keys", "need_model"}):
        notices.append(f"{path.name}: okänd sektion [{unknown}] hoppas över.")
    config = Config(
        ui=_section(raw, "ui", UiPreferences, notices, path),
        keys=keys,
        need_model=_section(raw, "need_model", NeedModel, notices, path),
    )
    return LoadedConfig(config, notices, path)


def save_config(config: Config, path: Path) -> None:
    """Write the whole file atomically (mode 0600), leaving no temporary file behind."""
    import tomli_w

    from bouv_tui.exchange.atomic import write_bytes_atomically

    data = {"ui": asdict(config.ui), "keys": dict(config.keys), "need_model": asdict(config.need_model)}
    path.parent.mkdir(parents=True, exist_ok=True)
    # An earlier version wrote "<name>.tmp" beside the file and could leave it.
    path.with_name(path.name + ".tmp").unlink(missing_ok=True)
    write_bytes_atomically(path, tomli_w.dumps(data).encode("utf-8"))

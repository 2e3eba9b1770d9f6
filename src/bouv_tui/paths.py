"""Where bouv-tui keeps its files (platformdirs; on Linux the XDG variables move them)."""

from __future__ import annotations

from pathlib import Path

import platformdirs

APP = "bouv-tui"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP, appauthor=False))


def cache_dir() -> Path:
    """What can be thrown away and made again (parsed CSS)."""
    return Path(platformdirs.user_cache_dir(APP, appauthor=False))


def default_database() -> Path:
    return data_dir() / "bouv-tui.sqlite"


def demo_database() -> Path:
    """The demo's own file: never the user's database."""
    return data_dir() / "demo" / "demo.sqlite"


def config_file() -> Path:
    return config_dir() / "config.toml"


def documents_dir() -> Path:
    return Path(platformdirs.user_documents_dir())

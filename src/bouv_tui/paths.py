"""Where bouv-tui keeps its files (platformdirs; on Linux the XDG variables move them)."""

from __future__ import annotations

import os
import stat
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


def may_write(p: Path) -> bool:
    """Whether the current user may write ``p`` (a file, or create files in a folder).

    For a file or folder of the current user the owner's permission bits decide: ``os.access``
    says yes to everything when run as root, and bouv-tui must not write to a file (a database
    or an export) its owner made read-only without asking.
    """
    try:
        st = os.stat(p)
    except OSError:
        return False
    geteuid = getattr(os, "geteuid", None)
    if geteuid is not None and st.st_uid == geteuid():
        needed = stat.S_IWUSR | (stat.S_IXUSR if stat.S_ISDIR(st.st_mode) else 0)
        return st.st_mode & needed == needed
    return os.access(p, os.W_OK | (os.X_OK if stat.S_ISDIR(st.st_mode) else 0))

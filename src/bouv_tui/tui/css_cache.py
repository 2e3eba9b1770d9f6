"""Parsed CSS kept between starts.

Textual parses the CSS of every widget class an app uses each time the app starts, and
with the theme's variables substituted. For bouv-tui's first screen that is about a fifth
of the work between starting the app and its first frame. The CSS only changes with
bouv-tui's or Textual's version, so the parsed rules are kept in the user's cache folder
and read back at the next start.

The cache is keyed by everything the parse depends on: the CSS text, where it came from,
its kind and scope; it holds the rules for one set of theme variables (another theme
replaces them); the file's name carries the Python version and identifies Textual's files. Only rules that parsed without errors are kept (a CSS error
is reported by Textual as usual). A missing, unreadable or foreign file is ignored and
written anew; writing is atomic and the file is readable only by its owner. A theme change
makes Textual parse again in a fresh stylesheet, which does not use the cache.

This hooks a private method of Textual's stylesheet (``Stylesheet._parse_rules``) and
repeats its ``reparse`` with the cache in place;
Textual is pinned in pyproject.toml and ``tests/test_css_cache.py`` checks that a screen
drawn from cached rules is the same as one drawn from freshly parsed rules.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
import zlib
from pathlib import Path

#: Bumped when the format of the cache file changes.
FORMAT = 2


def cache_file(folder: Path) -> Path:
    """The cache file for this Python and this installation of Textual.

    Textual is identified by the size and time of the files that make up a parsed rule
    (reading its version from the package metadata would cost more than the cache saves);
    the CSS itself, bouv-tui's included, is part of every key.
    """
    import textual.css

    package = Path(textual.css.__file__).parent
    stamp = []
    for name in ("model.py", "styles.py", "parse.py", "types.py", "scalar.py", "_style_properties.py"):
        try:
            info = os.stat(package / name)
            stamp.append(f"{name}:{info.st_size}:{info.st_mtime_ns}")
        except OSError:
            stamp.append(f"{name}:-")
    textual_id = f"{zlib.crc32(chr(10).join([str(package), *stamp]).encode('utf-8')):08x}"
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    return folder / f"css-{FORMAT}-py{python}-textual-{textual_id}.pickle"


class ParsedCss:
    """Parsed rules by (CSS, origin, kind, tie breaker, scope), for one set of theme variables."""

    def __init__(self, path: Path):
        self.path = path
        self.variables: dict[str, str] = {}
        self.entries: dict[tuple, list] = {}
        self.changed = False
        self.hits = 0
        self.misses = 0
        try:
            with open(path, "rb") as file:
                loaded = pickle.load(file)
            if isinstance(loaded, dict) and loaded.get("format") == FORMAT:
                self.variables = dict(loaded["variables"])
                self.entries = dict(loaded["entries"])
        except Exception:  # missing, unreadable or from something else: parse afresh
            self.variables, self.entries = {}, {}

    def install(self, stylesheet) -> None:
        """Let ``stylesheet`` take parsed rules from here and add what it parses."""
        parse_rules = stylesheet._parse_rules  # the bound original

        def cached_parse_rules(css, read_from, is_default_rules=False, tie_breaker=0, scope=""):
            key = (css, tuple(read_from), is_default_rules, tie_breaker, scope)
            same_theme = stylesheet._variables == self.variables
            rules = self.entries.get(key) if same_theme else None
            if rules is not None:
                self.hits += 1
                return rules
            self.misses += 1
            rules = parse_rules(css, read_from, is_default_rules, tie_breaker, scope)
            if not any(rule.errors for rule in rules):
                if not same_theme:  # another theme: its rules replace the old theme's
                    self.variables, self.entries = dict(stylesheet._variables), {}
                self.entries[key] = rules
                self.changed = True
            return rules

        stylesheet._parse_rules = cached_parse_rules
        stylesheet.reparse = lambda: self._reparse(stylesheet)

    def _reparse(self, stylesheet) -> None:
        """``Stylesheet.reparse`` (Textual 8.2), with the cache in the fresh stylesheet it
        parses into. Textual reparses once as the first screen is shown (and when the theme
        changes): without this that would parse all of the CSS again."""
        from textual.css.stylesheet import Stylesheet

        fresh = Stylesheet(variables=stylesheet._variables)
        self.install(fresh)
        for read_from, (css, is_defaults, tie_breaker, scope) in stylesheet.source.items():
            fresh.add_source(css, read_from=read_from, is_default_css=is_defaults, tie_breaker=tie_breaker, scope=scope)
        try:
            fresh.parse()
        except Exception:
            stylesheet._invalid_css.update(fresh._invalid_css)
            raise
        stylesheet._rules = fresh.rules
        stylesheet._rules_map = None
        stylesheet.source = fresh.source
        stylesheet._require_parse = False

    def save(self) -> None:
        """Write the cache if anything was added (atomically, owner-only); errors are ignored."""
        if not self.changed:
            return
        try:
            content = {"format": FORMAT, "variables": dict(self.variables), "entries": dict(self.entries)}
            data = pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.path.parent, prefix=".css-", suffix=".tmp")
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(data)
                os.chmod(temporary, 0o600)
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
            self.changed = False
        except Exception:  # a cache that cannot be written only means parsing next time too
            pass

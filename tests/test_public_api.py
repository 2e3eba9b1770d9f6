"""bouv-tui uses Textual's and Rich's public API only: no file under ``src/`` reads, writes or
overrides an attribute of theirs whose name starts with ``_``, and none of our own private
names on a Textual class is one of Textual's (writing it would break the widget quietly)."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "bouv_tui"
MODULES = sorted(SRC.rglob("*.py"))


#: The named tuple's own API: public, with a leading underscore only to keep clear of field names.
NAMEDTUPLE_API = {"_replace", "_make", "_asdict", "_fields", "_field_defaults"}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__")) and name not in NAMEDTUPLE_API


def _own_private_names() -> set[str]:
    """Every private name bouv-tui itself defines: functions, methods, classes, attributes
    it assigns (``self._x = …``, ``_X = …``) and names it imports under a private alias."""
    names: set[str] = set()
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.alias):
                names.add(node.asname or node.name.split(".")[0])
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
    return {n for n in names if _private(n)}


def test_no_private_attribute_of_textual_or_rich_is_read_or_written():
    own = _own_private_names()
    found = []
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in own:
                found.append(f"{path.relative_to(SRC)}:{node.lineno}: .{node.attr}")
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("textual", "rich"):
                for alias in node.names:
                    if _private(alias.name):
                        found.append(f"{path.relative_to(SRC)}:{node.lineno}: import {alias.name}")
                if any(_private(part) for part in (node.module or "").split(".")):
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}: from {node.module}")
    assert not found, "\n".join(found)


def _textual_classes():
    """Our classes that subclass a class of Textual's, with the Textual classes above them."""
    import textual

    textual_root = Path(textual.__file__).resolve().parent
    for path in MODULES:
        name = "bouv_tui." + ".".join(path.relative_to(SRC).with_suffix("").parts)
        name = name.removesuffix(".__init__")
        if name.endswith(".__main__"):
            continue
        try:
            module = importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a module that needs a running app or optional data
            continue
        for _cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            theirs = [
                base for base in cls.__mro__[1:]
                if (f := inspect.getsourcefile(base) if base.__module__ != "builtins" else None)
                and Path(f).resolve().is_relative_to(textual_root)
            ]  # fmt: skip
            if theirs:
                yield cls, theirs


def _assigned_private_names(cls) -> set[str]:
    names = set()
    try:
        tree = ast.parse(inspect.getsource(cls).lstrip())
    except (OSError, TypeError, SyntaxError, IndentationError):
        return names
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and _private(node.attr):
            names.add(node.attr)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and _private(node.name):
            names.add(node.name)
    body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
    for node in body:
        if isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name) and _private(t.id)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and _private(node.target.id):
            names.add(node.target.id)
    return names


def _instance_names(base) -> set[str]:
    """What an instance of a Textual class holds, where one can be made without arguments."""
    try:
        return set(vars(base()))
    except Exception:  # noqa: BLE001 - needs arguments or a running app: its class names only
        return set()


def test_our_private_names_on_textual_classes_are_not_textuals():
    clashes = []
    seen: dict[type, set[str]] = {}
    for cls, theirs in _textual_classes():
        names = _assigned_private_names(cls)
        for base in theirs:
            if base not in seen:
                seen[base] = set(dir(base)) | _instance_names(base)
            for name in sorted(names & seen[base]):
                clashes.append(f"{cls.__module__}.{cls.__name__}.{name} is {base.__module__}.{base.__name__}'s")
    assert not clashes, "\n".join(sorted(set(clashes)))


@pytest.mark.parametrize("name", ["_styles_cache", "_component_styles"])
def test_the_clash_check_knows_textuals_own_names(name):
    """The check above finds a name Textual uses (the table once wrote ``_styles_cache``)."""
    from textual.scroll_view import ScrollView

    assert name in set(dir(ScrollView)) | _instance_names(ScrollView)

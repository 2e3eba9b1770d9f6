"""Packaging: compatible ranges in pyproject.toml, the exact versions in constraints.txt, the
README's test command the one .ci/run runs, and babel only for the tests."""

from __future__ import annotations

import ast
import re
import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
RUNTIME = [Requirement(r) for r in PROJECT["dependencies"]]
TEST = [Requirement(r) for r in PROJECT["optional-dependencies"]["test"]]


def constraints() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, _, pinned = line.partition("==")
            assert pinned, f"constraints.txt: {line!r} is not an exact version"
            pins[re.sub(r"[-_.]+", "-", name).lower()] = pinned
    return pins


def normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_no_dependency_is_pinned_exactly():
    for requirement in RUNTIME + TEST:
        assert all(spec.operator not in ("==", "===") for spec in requirement.specifier), requirement
        assert str(requirement.specifier), f"{requirement.name} has no range at all"


def test_textual_is_held_to_the_minor_version_the_tests_pass_on():
    textual = next(r for r in RUNTIME if r.name == "textual")
    assert "8.2.99" in textual.specifier and "8.3.0" not in textual.specifier and "8.1.0" not in textual.specifier


def test_every_dependency_is_pinned_in_constraints_within_its_range():
    pins = constraints()
    for requirement in RUNTIME + TEST:
        pinned = pins.get(normal(requirement.name))
        assert pinned is not None, f"{requirement.name} is not in constraints.txt"
        assert pinned in requirement.specifier, f"{requirement.name}=={pinned} is outside {requirement.specifier}"


def test_the_installed_versions_are_the_constrained_ones():
    """What the tests run on is what constraints.txt says (after the README's install command)."""
    pins = constraints()
    for requirement in RUNTIME + TEST:
        assert version(requirement.name) == pins[normal(requirement.name)], requirement.name


def test_babel_is_only_a_test_dependency_and_no_runtime_code_imports_it():
    assert "babel" not in {r.name for r in RUNTIME} and "babel" in {r.name for r in TEST}
    for path in (ROOT / "src" / "bouv_tui").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            assert not any(n.split(".")[0] == "babel" for n in names), f"{path} imports babel"


def test_the_readme_test_command_is_the_one_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "pip install -c constraints.txt '.[test]' && pytest -n auto"
    assert f"```sh\n{command}\n```" in readme
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    runs = [line for line in ci.splitlines() if line.startswith("pip install")]
    assert runs == [command + " -q -p no:cacheprovider"]
    assert "pipx install ." in readme

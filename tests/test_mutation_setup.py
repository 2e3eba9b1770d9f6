"""The mutation-testing setup (tools/mutation.py, [tool.mutmut]): every line marked as an
equivalent says why, and the tests mutmut runs are the fast layers' and exist."""

from __future__ import annotations

import importlib.util
import tomllib
from pathlib import Path

import pytest

from conftest import LAYER_OF

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def mutation():
    spec = importlib.util.spec_from_file_location("mutation_tool", ROOT / "tools" / "mutation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_equivalent_says_why(mutation):
    marked = mutation.equivalents(mutation.mutated_files())
    assert marked, "no line is marked: the search for the pragma is broken"
    assert [m for m in marked if len(m["reason"]) < 12] == []


def test_the_reason_is_found_beside_or_above_the_marked_line(mutation):
    lines = [
        "# Only the order counts:",
        "# 1 -> 2 is an equivalent.",
        "return (",
        "    1,  # pragma: no mutate",
        ")",
        "x = 2  # pragma: no mutate (any chunk size)",
        "y = 3",
    ]
    assert mutation._comment_above(lines, 3) == "Only the order counts: 1 -> 2 is an equivalent."
    assert mutation._comment_above(lines, 6) == "Only the order counts: 1 -> 2 is an equivalent."
    assert mutation._comment_above(lines, 6, reach=2) == ""
    assert mutation._comment_above(lines, 0) == ""


def test_mutmut_runs_existing_fast_tests_and_mutates_the_three_layers(mutation):
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mutmut"]
    selected = config["pytest_add_cli_args_test_selection"]
    assert all((ROOT / test).is_file() for test in selected)
    assert "ui" not in {LAYER_OF[Path(test).stem] for test in selected}  # no pilot, no snapshot: seconds
    layers = {mutation.layer_of(f) for f in mutation.mutated_files()}
    assert layers == {"domain", "exchange", "store"}

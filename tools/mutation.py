"""Mutation testing of the domain, the files in and out and the store's write path (mutmut).

    python tools/mutation.py                       # everything in [tool.mutmut], only what has no result yet
    python tools/mutation.py domain                # one layer: domain, exchange or store (repo.py, plans.py)
    python tools/mutation.py domain/submission.py  # one file (several may be given)
    python tools/mutation.py --report              # no run: the score of what mutants/ holds
    python tools/mutation.py exchange --again      # only what was not caught last time, or not tried yet
    python tools/mutation.py domain --json benchmarks/out/mutation.json --survivors benchmarks/mutation-survivors.md

mutmut (pip install -c constraints.txt '.[mutation]') copies src/ and tests/ into mutants/,
puts every mutant of a function beside the original and runs, for each mutant, the tests
that reached that function when the fast tests ran once ([tool.mutmut] in pyproject.toml
lists them). A named layer or file is run again whole; with no target, mutmut runs only
mutants without a result (new or changed functions), so an interrupted run continues.

The score printed per file is caught / tried: caught is killed by a test (or a timeout);
"no tests" (no selected test reaches the function) counts as not caught. The survivors are
printed with their diff: kill each with a test, or mark a real equivalent with
`# pragma: no mutate` and a comment saying why it cannot change behaviour.

Slow (minutes per file, an hour or more for all of it on two cores) and not run in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tomllib
from collections import Counter
from datetime import date
from fnmatch import fnmatch
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path("src/bouv_tui")
LAYERS = {
    "domain": ("src/bouv_tui/domain/*",),
    "exchange": ("src/bouv_tui/exchange/*",),
    "store": ("src/bouv_tui/store/repo.py", "src/bouv_tui/store/plans.py"),  # the write path
}
CAUGHT = {"killed", "timeout", "caught by type check", "segfault"}
NOT_CAUGHT = {"survived", "no tests", "suspicious"}


def _only_mutate() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["mutmut"]["only_mutate"]


def mutated_files() -> list[Path]:
    """The files [tool.mutmut] mutates, relative to the project root."""
    patterns = _only_mutate()
    files = sorted(p.relative_to(ROOT) for p in (ROOT / "src").rglob("*.py"))
    return [f for f in files if any(fnmatch(str(f), pattern) for pattern in patterns)]


def layer_of(path: Path) -> str:
    for layer, patterns in LAYERS.items():
        if any(fnmatch(str(path), pattern) for pattern in patterns):
            return layer
    return "other"


def module_of(path: Path) -> str:
    parts = list(path.relative_to("src").with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def files_of(target: str) -> list[Path]:
    """A layer name, or a file as `domain/needs.py`, `bouv_tui/domain/needs.py` or `src/...`."""
    files = mutated_files()
    if target in LAYERS:
        return [f for f in files if layer_of(f) == target]
    name = target.removeprefix("src/").removeprefix("bouv_tui/")
    chosen = [f for f in files if str(f.relative_to(PACKAGE)) == name]
    if not chosen:
        sys.exit(f"{target}: not a layer ({', '.join(LAYERS)}) nor a file that [tool.mutmut] mutates")
    return chosen


def mutant_globs(files: list[Path]) -> list[str]:
    """mutmut's names are `<module>.<function>__mutmut_<n>`; a package's are its own module's."""
    return [f"{module_of(f)}.*" for f in files]


def run_mutmut(globs: list[str], max_children: int | None) -> int:
    command = [sys.executable, "-m", "mutmut", "run"]
    if max_children:
        command += ["--max-children", str(max_children)]
    return subprocess.call(command + globs, cwd=ROOT)


def _changed_sources(files: list[Path]) -> list[str]:
    out = subprocess.run(
        ["git", "status", "--porcelain", "--", *map(str, files)], cwd=ROOT, capture_output=True, text=True
    ).stdout
    return [line[3:] for line in out.splitlines()]


def _commit() -> str:
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip()


def results(files: list[Path]) -> dict[str, dict]:
    """Per file: the count of each status and the mutants not caught, from mutants/*.meta."""
    from mutmut.stats import status_by_exit_code

    by_file = {}
    for path in files:
        meta = ROOT / "mutants" / (str(path) + ".meta")
        if not meta.exists():
            continue
        exit_codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        statuses = {name: status_by_exit_code[code] for name, code in exit_codes.items()}
        counts = Counter(statuses.values())
        caught = sum(counts[s] for s in CAUGHT)
        tried = caught + sum(counts[s] for s in NOT_CAUGHT)
        by_file[str(path)] = {
            "layer": layer_of(path),
            "mutants": len(statuses),
            "tried": tried,
            "caught": caught,
            "score": round(caught / tried, 4) if tried else None,
            "counts": dict(sorted(counts.items())),
            "not_caught": {name: s for name, s in sorted(statuses.items(), key=_mutant_order) if s in NOT_CAUGHT},
        }
    return by_file


def _mutant_order(item: tuple[str, str]) -> tuple[str, int]:
    function, _, number = item[0].rpartition("__mutmut_")
    return function, int(number) if number.isdigit() else 0


def per_layer(by_file: dict[str, dict]) -> dict[str, dict]:
    layers: dict[str, dict] = {}
    for entry in by_file.values():
        layer = layers.setdefault(entry["layer"], {"files": 0, "tried": 0, "caught": 0})
        layer["files"] += 1
        layer["tried"] += entry["tried"]
        layer["caught"] += entry["caught"]
    for layer in layers.values():
        layer["score"] = round(layer["caught"] / layer["tried"], 4) if layer["tried"] else None
    return layers


def diff_of(name: str, path: str) -> list[str]:
    """The mutant's changed lines (- original, + mutant), as `mutmut show` prints them."""
    from mutmut.mutation.diff_apply import get_diff_for_mutant

    try:
        diff = get_diff_for_mutant(name, path=Path(path))
    except Exception as error:  # a stale mutants/ after a source change: the name is enough
        return [f"(no diff: {error})"]
    return [line for line in diff.splitlines()[2:] if line[:1] in "+-"]


def _percent(score: float | None) -> str:
    return "–" if score is None else f"{score * 100:.1f} %"


def print_scores(by_file: dict[str, dict], layers: dict[str, dict], show_diffs: bool) -> None:
    width = max((len(p) for p in by_file), default=10)
    print()
    print(f"{'file':<{width}}  caught / tried   score   not caught")
    for path, entry in by_file.items():
        other = {k: v for k, v in entry["counts"].items() if k not in ("killed", "survived")}
        extra = f"  ({', '.join(f'{k}: {v}' for k, v in other.items())})" if other else ""
        print(
            f"{path:<{width}}  {entry['caught']:>6} / {entry['tried']:<5}  {_percent(entry['score']):>7}"
            f"   {len(entry['not_caught'])}{extra}"
        )
    for layer, entry in layers.items():
        print(f"{'layer ' + layer:<{width}}  {entry['caught']:>6} / {entry['tried']:<5}  {_percent(entry['score']):>7}")
    for path, entry in by_file.items():
        if not entry["not_caught"]:
            continue
        print(f"\n{path}: not caught")
        for name, status in entry["not_caught"].items():
            print(f"  {name}  ({status})")
            if show_diffs:
                for line in diff_of(name, path):
                    print(f"      {line}")


def write_survivors(
    path: Path, by_file: dict[str, dict], layers: dict[str, dict], info: dict, marked: list[dict]
) -> None:
    lines = [
        "# Mutants no test catches",
        "",
        f"Written by `python tools/mutation.py` on {info['date']} (commit {info['commit']}"
        f"{', with uncommitted changes in ' + ', '.join(info['dirty']) if info['dirty'] else ''}).",
        "Each one is a change to the code that every selected test passes: kill it with a test that",
        "fails on it, or, if it cannot change behaviour, mark the line `# pragma: no mutate` with a",
        "comment saying why. `python -m mutmut show <name>` prints one in full.",
        "",
        "| file | caught / tried | score | not caught |",
        "|---|---|---|---|",
    ]
    for file, entry in by_file.items():
        lines.append(
            f"| `{file.removeprefix('src/bouv_tui/')}` | {entry['caught']} / {entry['tried']} "
            f"| {_percent(entry['score'])} | {len(entry['not_caught'])} |"
        )
    for layer, entry in layers.items():
        lines.append(f"| **{layer}** | {entry['caught']} / {entry['tried']} | {_percent(entry['score'])} | |")
    for file, entry in by_file.items():
        if not entry["not_caught"]:
            continue
        lines += ["", f"## `{file.removeprefix('src/bouv_tui/')}`", ""]
        for name, status in entry["not_caught"].items():
            lines.append(f"- `{name.rpartition('.')[2]}` ({status})")
            changed = diff_of(name, file)
            if changed:
                lines += ["  ```diff", *(f"  {line}" for line in changed), "  ```"]
    lines += [
        "",
        "## Marked as equivalent",
        "",
        "Lines marked `# pragma: no mutate`: no change mutmut makes there can change what the code does.",
        "",
        "| file | line | why |",
        "|---|---|---|",
    ]
    for entry in marked:
        why = entry["reason"].replace("|", "\\|") or "(no reason written)"
        lines.append(f"| `{entry['file'].removeprefix('src/bouv_tui/')}` | {entry['line']} | {why} |")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def names_to_run_again(files: list[Path]) -> list[str]:
    """What ``--again`` runs in ``files``: the mutants the last run did not catch, and those
    without a result yet (a run stopped early, or functions changed since)."""
    from mutmut.stats import status_by_exit_code

    names = []
    for path in files:
        meta = ROOT / "mutants" / (str(path) + ".meta")
        if meta.exists():
            codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
            names += [n for n, code in codes.items() if code is None or status_by_exit_code[code] in NOT_CAUGHT]
    return names


_PRAGMA = "# pragma: no mutate"


def equivalents(files: list[Path]) -> list[dict]:
    """The lines marked ``# pragma: no mutate``, each with the reason written beside it (after
    the pragma, in brackets) or in the comment lines just above it."""
    found = []
    for path in files:
        lines = (ROOT / path).read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if _PRAGMA not in line:
                continue
            code, _, after = line.partition(_PRAGMA)
            reason = after.strip().strip("()").strip()
            if not reason:
                reason = _comment_above(lines, number - 1)
            if not reason and "#" in code:
                code, _, reason = code.partition("#")
            found.append({"file": str(path), "line": number, "code": code.strip(), "reason": reason.strip()})
    return found


def _comment_above(lines: list[str], index: int, reach: int = 8) -> str:
    """The nearest block of comment lines above ``lines[index]``, within ``reach`` lines (a
    comment may stand above the statement the marked line is part of)."""
    above: list[str] = []
    for previous in reversed(lines[max(0, index - reach) : index]):
        text = previous.strip()
        if text.startswith("#"):
            above.insert(0, text.lstrip("#").strip())
        elif above:
            break
    return " ".join(above)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", help="domain, exchange, store, or files such as domain/needs.py")
    parser.add_argument("--report", action="store_true", help="do not run: report what mutants/ holds")
    parser.add_argument("--max-children", type=int, help="parallel mutants (default: the number of CPUs)")
    parser.add_argument("--json", type=Path, help="write the scores and the mutants not caught as JSON")
    parser.add_argument("--survivors", type=Path, help="write the mutants not caught, with diffs, as Markdown")
    parser.add_argument("--no-diffs", action="store_true", help="print survivors without their diffs")
    parser.add_argument("--again", action="store_true", help="run only the mutants not caught or not tried yet")
    args = parser.parse_args(argv)

    os.chdir(ROOT)  # mutmut reads pyproject.toml and mutants/ from the current folder
    files = sorted({f for t in args.targets for f in files_of(t)}) if args.targets else mutated_files()
    dirty = _changed_sources(files)
    info = {"date": date.today().isoformat(), "commit": _commit(), "dirty": dirty}  # what mutmut copies now
    if dirty:
        print("Note: uncommitted changes in " + ", ".join(dirty) + " are what is mutated.", file=sys.stderr)
    if args.again:
        names = names_to_run_again(files)
        if not names:
            print("Nothing to run again: every mutant was tried and caught.")
    if not args.report and not (args.again and not names):
        chosen = names if args.again else mutant_globs(files) if args.targets else []
        code = run_mutmut(chosen, args.max_children)
        if code != 0:
            print(f"mutmut ended with exit code {code}", file=sys.stderr)
            return code

    by_file = results(files)
    layers = per_layer(by_file)
    print_scores(by_file, layers, show_diffs=not args.no_diffs)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps({**info, "layers": layers, "files": by_file, "equivalents": equivalents(files)},
                   ensure_ascii=False, indent=2) + "\n",
            encoding="utf-8",
        )
    if args.survivors:
        write_survivors(args.survivors, by_file, layers, info, equivalents(files))
    return 0


if __name__ == "__main__":
    sys.exit(main())

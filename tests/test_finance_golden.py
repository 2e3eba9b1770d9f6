"""The financial report of the demo municipality (seed 1, 24 staff, the demo's fixed day)
against golden files, in every format, as ``bouv-tui export finance`` writes it: any change
of a figure, a label, a person count or the layout shows up as a diff of a file in
tests/golden/finance/.

The workbook is compared by what a reader sees in it (each sheet's cell values, and the
number format of every number), read back with openpyxl, against a JSON file of cells.

After a deliberate change of the report or of the demo, rewrite the files with
``BOUV_UPDATE_GOLDEN=1 pytest tests/test_finance_golden.py`` and read the diff."""

from __future__ import annotations

import json
import os
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from bouv_tui.cli import main
from bouv_tui.demo import DEFAULT_TODAY, write_demo
from bouv_tui.exchange.formats import FINANCE

GOLDEN = Path(__file__).parent / "golden" / "finance"
UPDATE = os.environ.get("BOUV_UPDATE_GOLDEN") == "1"
YEAR = DEFAULT_TODAY.year


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    return write_demo(tmp_path_factory.mktemp("demo") / "demo.sqlite", staff=24, seed=1, today=DEFAULT_TODAY)


def exported(demo: Path, folder: Path, fmt: str) -> Path:
    target = folder / f"ekonomi-{YEAR}{FINANCE.suffix(fmt)}"
    assert main(["--db", str(demo), "export", "finance", "--year", str(YEAR), "--format", fmt,
                 "--output", str(target)]) == 0  # fmt: skip
    return target


def golden(name: str, produced: bytes) -> bytes:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(produced)
    assert path.exists(), f"golden file {path} is missing; run with BOUV_UPDATE_GOLDEN=1"
    return path.read_bytes()


def workbook_cells(path: Path) -> dict:
    """Each sheet's rows of values, and the number format of each number (by cell)."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    return {
        sheet.title: {
            "values": [list(row) for row in sheet.iter_rows(values_only=True)],
            "number_formats": {c.coordinate: c.number_format for row in sheet.iter_rows() for c in row
                               if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)},
        }  # fmt: skip
        for sheet in book.worksheets
    }


def cells_json(cells: dict) -> str:
    """The cells as JSON with a row of a sheet on a line (a change shows as the rows that changed)."""
    def dumps(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    sheets = []
    for title, sheet in cells.items():
        rows = ",\n".join(f"      {dumps(row)}" for row in sheet["values"])
        formats = ",\n".join(f"      {dumps(k)}: {dumps(v)}" for k, v in sheet["number_formats"].items())
        sheets.append(f'  {dumps(title)}: {{\n    "values": [\n{rows}\n    ],\n'
                      f'    "number_formats": {{\n{formats}\n    }}\n  }}')  # fmt: skip
    return "{\n" + ",\n".join(sheets) + "\n}\n"


def test_the_json_is_the_golden_file_and_valid_against_the_schema(demo, tmp_path, capsys):
    data = exported(demo, tmp_path, "json").read_bytes()
    assert data == golden(f"ekonomi-{YEAR}.json", data)
    schema = json.loads(resources.files("bouv_tui.data").joinpath("finance.schema.json").read_text(encoding="utf-8"))
    document = json.loads(data)
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)
    assert document["ej_redovisat"] == document["utbetalt"] - document["forbrukat"] - document["aterbetalt"]
    assert sum(document["forbrukat_per_kostnadstyp"].values()) == document["forbrukat"]


def test_the_csv_is_the_golden_file(demo, tmp_path, capsys):
    data = exported(demo, tmp_path, "csv").read_bytes()
    assert data == golden(f"ekonomi-{YEAR}.csv", data)


def test_the_text_is_the_golden_file(demo, tmp_path, capsys):
    data = exported(demo, tmp_path, "txt").read_bytes()
    assert data.decode("utf-8") == golden(f"ekonomi-{YEAR}.txt", data).decode("utf-8")


def test_the_workbooks_cells_are_the_golden_ones(demo, tmp_path, capsys):
    cells = workbook_cells(exported(demo, tmp_path, "xlsx"))
    produced = cells_json(cells).encode("utf-8")
    assert cells == json.loads(golden(f"ekonomi-{YEAR}.xlsx.json", produced))


def test_the_golden_files_agree_with_each_other():
    """The four files are one report: the JSON's figures are the csv's, the text's and the
    workbook's (so a golden file rewritten by mistake does not pass alone)."""
    document = json.loads((GOLDEN / f"ekonomi-{YEAR}.json").read_text(encoding="utf-8"))
    rows = [line.split(";") for line in (GOLDEN / f"ekonomi-{YEAR}.csv").read_text(encoding="utf-8-sig").splitlines()]
    figures = {key: value for key, value, _label in rows[1:]}
    for key in ("utbetalt", "forbrukat", "aterbetalt", "ej_redovisat"):
        assert figures[key] == str(document[key])
    for code, amount in document["forbrukat_per_kostnadstyp"].items():
        assert figures[f"forbrukat_per_kostnadstyp.{code}"] == str(amount)
    text = (GOLDEN / f"ekonomi-{YEAR}.txt").read_text(encoding="utf-8")
    amounts = {}
    for line in text.splitlines():
        found = re.fullmatch(r"  (\S.*?)\s{2,}([\d\s\u00a0]+)\u00a0kr", line)
        if found:
            amounts.setdefault(found.group(1), int(re.sub(r"\D", "", found.group(2))))
    assert (amounts["Utbetalt"], amounts["Förbrukat"], amounts["Återbetalt"]) == (
        document["utbetalt"], document["forbrukat"], document["aterbetalt"])
    cells = json.loads((GOLDEN / f"ekonomi-{YEAR}.xlsx.json").read_text(encoding="utf-8"))
    first = {row[0]: row[1] for row in cells["Redovisning"]["values"] if row and row[0]}
    assert (first["Utbetalt"], first["Förbrukat"], first["Återbetalt"]) == (
        document["utbetalt"], document["forbrukat"], document["aterbetalt"])

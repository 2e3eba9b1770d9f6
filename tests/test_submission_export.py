"""Exporting the submission: every format on the demo municipality, against golden files and
the shipped JSON Schema; the same bytes every time; no staff names in any byte; drafts with
errors are written with their problems listed; a failed write leaves nothing behind.

Golden files are in tests/golden/submission/. After a deliberate change of an export, rewrite
them with ``BOUV_UPDATE_GOLDEN=1 pytest tests/test_submission_export.py`` and read the diff.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from dataclasses import replace
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from bouv_tui.config import Config
from bouv_tui.domain import catalog
from bouv_tui.domain.submission import ERROR, WARNING, Problem, check
from bouv_tui.exchange.atomic import ExportError, ReadOnlyTarget
from bouv_tui.exchange.exporters import FORMATS, SUFFIXES, common, export_submission
from bouv_tui.exchange.exporters.common import export_problems
from bouv_tui.fmt import NBSP
from bouv_tui.services import SUBMISSION_FORMATS, Workspace

GOLDEN = Path(__file__).parent / "golden" / "submission"
UPDATE = os.environ.get("BOUV_UPDATE_GOLDEN") == "1"
MODEL = Config().need_model
#: Surnames no real roster has; the no-personal-data test looks for them in every byte.
DISTINCT = ("Zyxwvuttersson", "Qwpfgjluyson", "Xqzkvbjorn")


@pytest.fixture(scope="module")
def schema() -> dict:
    text = resources.files("bouv_tui.data").joinpath("submission.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def validate(document: dict, schema: dict) -> None:
    jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker()).validate(document)


def export(db: Path, year: int, fmt: str, folder: Path, name: str | None = None) -> Path:
    workspace = Workspace.open(db, backup=False)
    folder.mkdir(parents=True, exist_ok=True)
    return workspace.export_submission(year, fmt, folder / (name or f"inventering-{year}{SUFFIXES[fmt]}"), MODEL)


def zip_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()}


def sheet_values(path: Path) -> dict[str, list[list]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in workbook.worksheets
    }


def golden(name: str, produced: Path) -> Path:
    path = GOLDEN / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(produced.read_bytes())
    assert path.exists(), f"golden file {path} is missing; run with BOUV_UPDATE_GOLDEN=1"
    return path


# --- golden files ----------------------------------------------------------------------------


@pytest.mark.parametrize("year", [2025, 2026])
def test_json_matches_golden_and_the_schema(demo_db, tmp_path, schema, year):
    out = export(demo_db, year, "json", tmp_path)
    document = json.loads(out.read_text(encoding="utf-8"))
    validate(document, schema)
    expected = golden(f"{year}.json", out)
    assert document == json.loads(expected.read_text(encoding="utf-8"))
    # Byte for byte: UTF-8 with å, ä, ö as they are (not \u00e5), two-space indent, one newline.
    assert out.read_bytes() == expected.read_bytes()
    assert "våld och förtryck".encode() in out.read_bytes() and b"\\u00" not in out.read_bytes()


@pytest.mark.parametrize("year", [2025, 2026])
def test_txt_matches_golden(demo_db, tmp_path, year):
    out = export(demo_db, year, "txt", tmp_path)
    assert out.read_text(encoding="utf-8") == golden(f"{year}.txt", out).read_text(encoding="utf-8")


@pytest.mark.parametrize("year", [2025, 2026])
def test_csv_tables_match_golden(demo_db, tmp_path, year):
    out = export(demo_db, year, "csv", tmp_path)
    assert zip_members(out.read_bytes()) == zip_members(golden(f"{year}.csv.zip", out).read_bytes())


def workbook_look(path: Path) -> dict:
    """What a reader sees beyond the values: each cell's kind, bold, wrap and formula guard,
    the column widths and the document's properties."""
    from openpyxl import load_workbook

    book = load_workbook(path)
    look: dict = {"properties": (book.properties.creator, book.properties.title, book.properties.created,
                                 book.properties.modified)}  # fmt: skip
    for sheet in book.worksheets:
        look[sheet.title] = [
            [(c.coordinate, c.data_type, c.font.b, c.alignment.wrap_text, c.alignment.vertical, c.quotePrefix)
             for c in row if c.value is not None]
            for row in sheet.iter_rows()
        ] + [{letter: d.width for letter, d in sorted(sheet.column_dimensions.items())}]  # fmt: skip
    return look


@pytest.mark.parametrize("year", [2025, 2026])
def test_xlsx_cells_match_golden(demo_db, tmp_path, year):
    out = export(demo_db, year, "xlsx", tmp_path)
    expected = golden(f"{year}.xlsx", out)
    assert sheet_values(out) == sheet_values(expected)
    assert workbook_look(out) == workbook_look(expected)
    creator, title, created, modified = workbook_look(out)["properties"]
    assert (creator, title) == ("bouv-tui", f"{common.TITLE} {year}")
    assert created == modified and created.year == year  # the round's reference date, not the clock


# --- what the files hold --------------------------------------------------------------------


def test_json_holds_the_submission(demo_db, tmp_path):
    submission = Workspace.open(demo_db, backup=False).submission(2026, MODEL)
    document = json.loads(export(demo_db, 2026, "json", tmp_path).read_text(encoding="utf-8"))
    assert (document["format"], document["format_version"], document["redovisningsar"]) == (
        "bouv-tui/inventering", 1, 2026
    )  # fmt: skip
    assert list(document["fraga_1"]) == catalog.CASEWORKER_AREAS.codes()
    assert document["fraga_1"] == {area: dict(submission.q1[area]) for area in catalog.CASEWORKER_AREAS.codes()}
    assert document["fraga_3"] == {
        "antal": submission.figure("fraga_3"), "varav_magister_master": submission.figure("fraga_3_varav")
    }  # fmt: skip
    assert document["fraga_4"] == submission.figure("fraga_4")
    assert list(document["fraga_19"]["omraden"])[:2] == ["ledarskap", "grupprocesser"]
    assert document["fraga_13"]["annat"] == [{"omrade": "Hedersrelaterat våld och förtryck", "behov": 4}]
    assert document["fraga_15"] == {"svar": None}  # unanswered as null
    assert document["fraga_12"]["val"] == ["egen_regi", "fou", "annat"]
    # The demo's plan: grant-funded trainings under each of their areas, own funds not.
    listed = {(r["omrade"], r["annat_omrade"], r["utbildning"]) for r in document["fraga_21"]}
    assert ("risk_skydd", None, "Signs of Safety – grundkurs") in listed
    assert ("annat", "Hedersrelaterat våld och förtryck", "Hedersrelaterat våld och förtryck – fördjupning") in listed
    assert {a for a, _, t in listed if t == "BBIC-utbildning"} == {"utredning", "barns_utveckling", "uppfoljning"}
    assert not {t for *_, t in listed} & {"Introduktion för nya medarbetare", "Ledarskap i socialtjänsten"}
    assert [p["fraga"] for p in document["problem"]][:1] == ["fraga_1"]
    assert {p["allvar"] for p in document["problem"]} == {"fel", "varning"}
    assert "Utredning: 1 av 24 handläggare är inte bedömda." in [p["meddelande"] for p in document["problem"]]


def test_the_schema_is_strict(demo_db, tmp_path, schema):
    document = json.loads(export(demo_db, 2026, "json", tmp_path).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    broken = [
        ("fraga_13", lambda d: d["fraga_13"]["omraden"].__setitem__("ebp", 6)),
        ("fraga_12", lambda d: d["fraga_12"]["val"].append("okand_kod")),
        ("fraga_11", lambda d: d["fraga_11"].__setitem__("svar", "kanske")),
        ("fraga_1", lambda d: d["fraga_1"]["utredning"].__setitem__("saknar", -1)),
        ("fraga_1", lambda d: d["fraga_1"].pop("ebp")),
        ("extra", lambda d: d.__setitem__("namn", ["Ada Ek"])),
        ("kontakt", lambda d: d["kontakt"].__setitem__("personnummer", "19800101-1234")),
        ("problem", lambda d: d["problem"].append({"allvar": "kris", "fraga": "fraga_1", "meddelande": "x"})),
        ("format", lambda d: d.__setitem__("format_version", 2)),
    ]
    for what, spoil in broken:
        copy = json.loads(json.dumps(document))
        spoil(copy)
        with pytest.raises(jsonschema.ValidationError):
            validate(copy, schema)
        assert what


def test_every_format_is_the_same_bytes_every_time(demo_db, tmp_path):
    for fmt in FORMATS:
        first = export(demo_db, 2026, fmt, tmp_path / "a").read_bytes()
        second = export(demo_db, 2026, fmt, tmp_path / "b").read_bytes()
        assert first == second, fmt


def test_zip_entries_carry_a_fixed_time(demo_db, tmp_path):
    for fmt in ("xlsx", "csv"):
        with zipfile.ZipFile(export(demo_db, 2026, fmt, tmp_path)) as archive:
            assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}, fmt


def test_xlsx_is_laid_out_like_the_form_with_numbers_as_numbers(demo_db, tmp_path):
    from openpyxl import load_workbook

    workbook = load_workbook(export(demo_db, 2026, "xlsx", tmp_path))
    assert workbook.sheetnames == ["Kontakt", "A Befintlig kompetens", "B Kompetensutveckling", "Problem"]
    part_a = workbook["A Befintlig kompetens"]
    rows = {row[1].value: row for row in part_a.iter_rows() if row[1].value}
    utredning = rows["Utredning"]
    assert [c.value for c in utredning[2:5]] == [10, 9, 4]
    assert all(c.data_type == "n" for c in utredning[2:6])
    questions = [row[0].value for row in part_a.iter_rows() if row[0].value]
    assert questions == [f"Fråga {n}" for n in range(1, 10)]
    part_b = workbook["B Kompetensutveckling"]
    questions = [row[0].value for row in part_b.iter_rows() if row[0].value]
    assert questions == [f"Fråga {n}" for n in range(10, 22)]  # 21 after the grant box
    problems = [row for row in workbook["Problem"].iter_rows(values_only=True)]
    assert problems[0] == ("Allvar", "Fråga", "Meddelande")
    assert len(problems) == 1 + 14
    assert workbook.properties.created == workbook.properties.modified


def test_csv_is_a_zip_of_semicolon_tables_excel_opens(demo_db, tmp_path):
    members = zip_members(export(demo_db, 2026, "csv", tmp_path).read_bytes())
    assert list(members) == ["fraga_1.csv", "fraga_13.csv", "fraga_19.csv", "svar.csv", "fraga_21.csv", "problem.csv"]
    for name, data in members.items():
        assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data, name
    rows = list(csv.reader(io.StringIO(members["fraga_1.csv"].decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == ["omrade", "benamning", "grundlaggande", "fordjupad", "saknar"]
    assert rows[2] == ["utredning", "Utredning", "10", "9", "4"]
    need = list(csv.reader(io.StringIO(members["fraga_13.csv"].decode("utf-8-sig"), newline=""), delimiter=";"))
    assert need[-1] == ["annat", "Hedersrelaterat våld och förtryck", "4"]
    answers = list(csv.reader(io.StringIO(members["svar.csv"].decode("utf-8-sig"), newline=""), delimiter=";"))
    assert ["fraga_11", "svar", "ja_helt", "Ja, helt"] in answers
    assert ["fraga_3", "varav_magister_master", "1", "varav med magister- eller masterexamen"] in answers


def test_txt_lists_problems_first_then_the_questions_in_order(demo_db, tmp_path):
    text = export(demo_db, 2026, "txt", tmp_path).read_text(encoding="utf-8")
    assert text.index("Utkast – 14 problem kvar (13 fel, 1 varning).") < text.index("KONTAKTUPPGIFTER")
    positions = [text.index(f"\n{n}. ") for n in range(1, 21)]
    assert positions == sorted(positions)
    assert "   Svar: Ja, helt" in text and "   [x] I egen regi" in text
    complete = export(demo_db, 2025, "txt", tmp_path).read_text(encoding="utf-8")
    assert "Komplett: inga problem." in complete and "Utkast" not in complete


def test_txt_uses_swedish_number_formatting(demo_db, tmp_path):
    from bouv_tui.exchange.exporters.txt_export import submission_text

    submission = Workspace.open(demo_db, backup=False).submission(2025, MODEL)
    big = replace(submission, q1={**submission.q1, "utredning": {"grundlaggande": 1234, "fordjupad": 5, "saknar": 0}})
    assert f"1{NBSP}234" in submission_text(big, [])


def test_questions_the_form_skips_are_shown_as_skipped(demo_db, tmp_path, schema):
    """Question 15 answered Nej skips 16 and 17: null in JSON, said so in the text."""
    workspace = Workspace.open(demo_db, backup=False)
    round_ = workspace.round_for_year(2026)
    workspace.save_answers(round_.id, {"fraga_15": {"svar": "nej"}, "fraga_16": {"svar": "arligen"}})
    workspace.close()
    document = json.loads(export(demo_db, 2026, "json", tmp_path).read_text(encoding="utf-8"))
    validate(document, schema)
    assert document["fraga_15"] == {"svar": "nej"} and document["fraga_16"] == {"svar": None}
    assert not {"fraga_15", "fraga_16", "fraga_17"} & {p["fraga"] for p in document["problem"]}
    text = export(demo_db, 2026, "txt", tmp_path).read_text(encoding="utf-8")
    block = text[text.index("\n16. ") : text.index("\n18. ")]
    assert block.count("(hoppas över: fråga 15 är besvarad med Nej)") == 2


# --- no personal data ------------------------------------------------------------------------


def rename_everyone(db: Path) -> list[str]:
    """Give every person on the roster a distinctive name; return the names."""
    conn = sqlite3.connect(db)
    try:
        ids = [row[0] for row in conn.execute("SELECT id FROM staff ORDER BY id")]
        names = [f"Ada{i} {DISTINCT[i % len(DISTINCT)]}" for i in range(len(ids))]
        conn.executemany("UPDATE staff SET name = ? WHERE id = ?", list(zip(names, ids)))
        conn.commit()
    finally:
        conn.close()
    return names


def every_byte(data: bytes) -> bytes:
    """The file's bytes, and for a zip (xlsx, csv) the bytes of every member as well."""
    if data[:2] == b"PK":
        return data + b"".join(zip_members(data).values())
    return data


@pytest.mark.parametrize("year", [2026, 2030])
def test_no_staff_name_in_any_exported_byte(demo_db, tmp_path, year):
    rename_everyone(demo_db)
    workspace = Workspace.open(demo_db, backup=False)
    submission, problems = workspace.check_submission(year, MODEL)
    # the check itself names people (for the chef's screen) ...
    assert any(surname in p.shown() for p in problems for surname in DISTINCT)
    for fmt in FORMATS:
        data = every_byte(export(demo_db, year, fmt, tmp_path).read_bytes())
        for surname in DISTINCT:
            for form in (surname, surname.upper(), surname.lower()):
                assert form.encode("utf-8") not in data, (fmt, form)
                assert form.encode("utf-16-le") not in data, (fmt, form)


def test_a_name_left_in_any_message_is_replaced_whole(demo_db):
    rename_everyone(demo_db)
    submission = Workspace.open(demo_db, backup=False).submission(2026, MODEL)
    name = next(iter(submission.names.values()))
    safe = export_problems(submission, [Problem(WARNING, "fraga_12", f"Fråga {name} om detta.")])
    assert name not in safe[0].message and safe[0].message
    assert (safe[0].severity, safe[0].question) == (WARNING, "fraga_12")


# --- drafts and failures ----------------------------------------------------------------------


def test_a_draft_with_errors_is_written_with_its_problems(demo_db, tmp_path, schema):
    """2030 has no round at all: every format is still written, the problems listed."""
    for fmt in FORMATS:
        out = export(demo_db, 2030, fmt, tmp_path)
        assert out.exists() and out.stat().st_size > 0
    document = json.loads((tmp_path / "inventering-2030.json").read_text(encoding="utf-8"))
    validate(document, schema)
    assert document["problem"][0] == {
        "allvar": ERROR, "fraga": "omgang",
        "meddelande": "Det finns ingen inventeringsomgång för 2030 (Bedömning, F4).",
    }  # fmt: skip
    assert document["fraga_13"]["omraden"]["ebp"] is None
    text = (tmp_path / "inventering-2030.txt").read_text(encoding="utf-8")
    assert text.splitlines()[3].startswith("Utkast – 23 problem kvar (23 fel)")


def test_an_empty_database_exports_a_valid_draft(empty_db, tmp_path, schema):
    document = json.loads(export(empty_db, 2026, "json", tmp_path).read_text(encoding="utf-8"))
    validate(document, schema)
    assert document["kontakt"]["kommun"] == "" and document["fraga_4"] == 0
    assert any(p["fraga"] == "kontakt" for p in document["problem"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(demo_db, tmp_path, monkeypatch, fmt):
    target = tmp_path / "out" / f"inventering{SUFFIXES[fmt]}"
    target.parent.mkdir()
    target.write_bytes(b"old")

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(ExportError, match=f"{target} kunde inte sparas: disken är full. Ingenting har sparats"):
        Workspace.open(demo_db, backup=False).export_submission(2026, fmt, target, MODEL)
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in target.parent.iterdir()) == [target.name]


def test_unknown_format_is_refused(demo_db, tmp_path):
    with pytest.raises(ValueError, match="Okänt format"):
        Workspace.open(demo_db, backup=False).export_submission(2026, "pdf", tmp_path / "x.pdf", MODEL)
    submission = Workspace.open(demo_db, backup=False).submission(2026, MODEL)
    with pytest.raises(ValueError, match="Okänt format"):
        export_submission(submission, check(submission), "docx", tmp_path / "x.docx")
    assert not (tmp_path / "x.pdf").exists() and not (tmp_path / "x.docx").exists()


def test_the_service_and_the_exporters_agree_on_the_formats():
    assert SUBMISSION_FORMATS == FORMATS == ("json", "xlsx", "csv", "txt")


def test_the_schema_ships_as_package_data():
    from tomllib import loads

    pyproject = loads((Path(__file__).parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    assert "data/*" in pyproject["tool"]["setuptools"]["package-data"]["bouv_tui"]
    assert resources.files("bouv_tui.data").joinpath("submission.schema.json").is_file()


# --- layers -----------------------------------------------------------------------------------


@pytest.mark.parametrize("module", ["json_export", "xlsx_export", "csv_export", "txt_export"])
def test_exporters_never_import_textual(module):
    code = (
        f"import sys, json, bouv_tui.exchange.exporters.{module}; "
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'textual')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


def test_the_json_export_path_stays_off_heavy_libraries():
    """`bouv-tui export submission --format json` starts fast: no SQLAlchemy, no openpyxl."""
    code = (
        "import sys, json, bouv_tui.cli, bouv_tui.services, bouv_tui.exchange.exporters.json_export, "
        "bouv_tui.exchange.exporters.txt_export, bouv_tui.exchange.exporters.csv_export; "
        "print(json.dumps(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('textual', 'sqlalchemy', 'sqlmodel', 'alembic', 'openpyxl'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == []


# --- the export path: csv is a .zip, a read-only file, the default name ---------------------------


def test_csv_is_named_zip_and_a_csv_name_is_refused(demo_db, tmp_path):
    assert SUFFIXES["csv"] == ".zip"
    folder = tmp_path / "ut"
    folder.mkdir()
    with pytest.raises(ValueError, match="zip-fil med en CSV-tabell per fråga.*ändelsen .zip, till exempel s.zip"):
        Workspace.open(demo_db, backup=False).export_submission(2026, "csv", folder / "s.csv", MODEL)
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_read_only_file_is_replaced_only_when_asked_and_stays_read_only(demo_db, tmp_path, fmt):
    import stat

    target = tmp_path / "ut" / f"inventering{SUFFIXES[fmt]}"
    target.parent.mkdir()
    target.write_bytes(b"old")
    target.chmod(0o444)
    workspace = Workspace.open(demo_db, backup=False)
    with pytest.raises(ReadOnlyTarget, match=f"{target} är skrivskyddad. Ingenting har sparats"):
        workspace.export_submission(2026, fmt, target, MODEL)
    assert target.read_bytes() == b"old" and stat.S_IMODE(target.stat().st_mode) == 0o444
    workspace.export_submission(2026, fmt, target, MODEL, replace_readonly=True)
    fresh = export(demo_db, 2026, fmt, tmp_path / "fresh")
    assert target.read_bytes() == fresh.read_bytes()
    assert stat.S_IMODE(target.stat().st_mode) == 0o400  # never looser than it was
    assert [p.name for p in target.parent.iterdir()] == [target.name]


def test_the_default_name_tells_the_two_dates_apart_and_is_safe_everywhere():
    from datetime import date
    import re

    from bouv_tui.services import default_export_name, default_export_stem

    today = date(2026, 12, 1)
    assert default_export_stem("inventering", today, year=2026) == "inventering-2026-skapad-2026-12-01"
    assert default_export_name("inventering", "csv", today, year=2026, suffix=".zip") == \
        "inventering-2026-skapad-2026-12-01.zip"
    assert default_export_name("personal", "csv", today) == "personal-2026-12-01.csv"
    assert re.fullmatch(r"[a-z0-9-]+", default_export_stem("inventering", today, year=2026))  # no : < > ? * | " \\ /


async def _submission_dialog(app, pilot):
    from conftest import settle

    await settle(app, pilot)
    await pilot.press("x")
    await pilot.pause()
    return app.screen


async def test_the_app_names_the_csv_export_zip_and_refuses_a_csv_name(demo_db, make_app, tmp_path):
    import zipfile

    from textual.widgets import Input, Select

    from conftest import TODAY, settle
    from bouv_tui.tui.dialogs.exchange import ExportDialog

    app = make_app(demo_db, start="submission")
    folder = tmp_path / "documents"
    async with app.run_test(size=(140, 45)) as pilot:
        dialog = await _submission_dialog(app, pilot)
        name = dialog.query_one("#export-name", Input)
        assert name.value == f"inventering-2026-skapad-{TODAY.isoformat()}.json"
        dialog.query_one("#export-format", Select).value = "csv"
        await pilot.pause()
        assert name.value == f"inventering-2026-skapad-{TODAY.isoformat()}.zip"
        name.value = "inventering.csv"
        await pilot.click("#export-go")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert "zip-fil med en CSV-tabell per fråga" in str(dialog.query_one("#export-error").render())
        assert not folder.exists() or list(folder.iterdir()) == []
        name.value = "inventering.zip"
        name.focus()
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportDialog), str(dialog.query_one("#export-error").render())
    with zipfile.ZipFile(folder / "inventering.zip") as archive:
        assert all(n.endswith(".csv") for n in archive.namelist())


# --- the text export's answer lines, each kind (mutation survivors: golden files reach few) ---


def _built(answers: dict, **contact):
    from bouv_tui.domain import submission as sub
    from test_submission_domain import CONTACT, ROUND, everyone_assessed, person

    staff = [person(1)]
    return sub.build(ROUND, replace(CONTACT, **contact), staff, everyone_assessed(staff), [], [], answers, MODEL)


def _text_of(answers: dict, problems=()) -> list[str]:
    from bouv_tui.exchange.exporters.txt_export import submission_text

    return submission_text(_built(answers), list(problems)).splitlines()


def test_text_export_lines_of_each_answer_kind_and_the_grant_flag():
    from bouv_tui.domain import questionnaire
    from test_submission_domain import complete_answers

    answers = {**complete_answers(), "fraga_10": {"val": ["annan"], "annan_text": "Kollegiala samtal"},
               "fraga_11": {"svar": "nej"}, "fraga_15": {"svar": "nej"}, "ej_rekvirerat_utbildningsmedel": True}  # fmt: skip
    lines = _text_of(answers)
    ten = questionnaire.BY_KEY["fraga_10"]
    assert f"   [ ] {ten.options.label('medarbetarsamtal')}" in lines
    assert f"   [x] {ten.options.label('annan')}" in lines
    assert "   På annat sätt, nämligen: Kollegiala samtal" in lines
    assert "   Svar: Nej" in lines and "   Om nej, varför inte?: (inte besvarad)" in lines
    assert lines.count("   (hoppas över: fråga 15 är besvarad med Nej)") >= 1
    flag_line = lines.index("   [x] Vi har inte rekvirerat statsbidrag för utbildningsinsatser")
    assert lines[flag_line + 1 : flag_line + 3][-1].startswith("21. ")  # after a blank line
    assert lines[-1] == "   (besvaras inte: statsbidrag för utbildningsinsatser har inte rekvirerats)"
    plain = _text_of(complete_answers())
    assert "   [ ] Vi har inte rekvirerat statsbidrag för utbildningsinsatser" in plain
    assert plain[-1] == "   (inga utbildningar finansierade med årets statsbidrag i planen)"
    assert "   Om nej, varför inte?: (inte besvarad)" not in plain  # asked only after Nej
    assert not any("nämligen" in line for line in plain)  # "annan" not chosen, no text: no line


def test_text_export_names_an_unknown_severity_as_it_is():
    from bouv_tui.domain.submission import Problem
    from test_submission_domain import complete_answers

    lines = _text_of(complete_answers(), [Problem("notis", "fraga_20", "Kontrollera svaret.")])
    assert any(line.startswith("  - notis, fråga 20 – Kontrollera svaret.") for line in lines), lines[:8]


def test_json_export_of_the_grant_flag_and_a_document_of_its_own():
    from bouv_tui.exchange.exporters.json_export import submission_document, submission_json
    from test_submission_domain import complete_answers

    ticked = _built({**complete_answers(), "ej_rekvirerat_utbildningsmedel": True})
    document = submission_document(ticked, [])
    assert document["ej_rekvirerat_utbildningsmedel"] is True
    assert submission_document(_built(complete_answers()), [])["ej_rekvirerat_utbildningsmedel"] is False
    assert document == json.loads(submission_json(ticked, []))  # JSON's own types throughout
    # One person, assessed in every area at one level: the other two levels are written as 0.
    assert all(sorted(levels.values()) == [0, 0, 1] for levels in document["fraga_1"].values())
    # The document's lists are its own: changing one leaves the submission as it was.
    document["fraga_12"]["val"].append("annat")
    assert ticked.answers["fraga_12"]["val"] == complete_answers()["fraga_12"]["val"]


# --- the workbook's cells: kinds, formula guard, bold and wrap (values alone miss them) ---------


def test_xlsx_sheet_writes_each_kind_of_value_and_never_a_formula():
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from bouv_tui.exchange.exporters.xlsx_export import _Sheet

    book = Workbook()
    sheet = _Sheet(book.active, Font(bold=True), Alignment(wrap_text=True, vertical="top"))
    sheet.write("Fråga 1", "=HYPERLINK(\"http://x\")", 7, True, False, bold=True)
    sheet.write(None, "", "+46 8 123", "vanlig text")
    ws = book.active
    rows = [list(row) for row in ws.iter_rows(values_only=True)]
    assert rows == [["Fråga 1", '=HYPERLINK("http://x")', 7, "Ja", "Nej"], [None, None, "+46 8 123", "vanlig text", None]]
    formula, number, plain = ws["B1"], ws["C1"], ws["D2"]
    assert (formula.data_type, formula.quotePrefix) == ("s", True)  # text, shown as typed
    assert (ws["C2"].data_type, ws["C2"].quotePrefix) == ("s", True)  # "+" starts a formula too
    assert (plain.data_type, plain.quotePrefix) == ("s", False)
    assert (number.data_type, number.value) == ("n", 7)
    assert all(ws.cell(row=1, column=c).font.b for c in range(1, 6))  # bold=True: the whole row
    assert not any(cell.font.b for cell in ws[2] if cell.value is not None)  # not bold by default
    assert ws["B1"].alignment.wrap_text and ws["B2"].alignment.wrap_text is not True  # B: the text column
    assert not ws["C1"].alignment.wrap_text and not ws["A1"].alignment.wrap_text
    assert sheet.row == 3
    sheet.blank()
    sheet.write("sist")
    assert ws["A4"].value == "sist"


def test_xlsx_file_keeps_formula_like_answers_as_text():
    from openpyxl import load_workbook

    from bouv_tui.exchange.exporters.xlsx_export import submission_xlsx
    from test_submission_domain import complete_answers

    answers = {**complete_answers(), "fraga_10": {"val": ["annan"], "annan_text": "=1+1"}}
    book = load_workbook(io.BytesIO(submission_xlsx(_built(answers), [])))
    cells = [c for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value == "=1+1"]
    assert len(cells) == 1 and (cells[0].data_type, cells[0].quotePrefix) == ("s", True)


def test_the_exports_problem_summary_counts_and_names_each_kind():
    from bouv_tui.domain.submission import ERROR, WARNING, Problem
    from bouv_tui.exchange.exporters.common import problem_summary

    error, warning = Problem(ERROR, "fraga_1", "x"), Problem(WARNING, "fraga_20", "y")
    assert problem_summary([]) == "Komplett: inga problem."
    assert problem_summary([error]) == "Utkast – 1 problem kvar (1 fel)."
    assert problem_summary([warning]) == "Klar med anmärkningar – 1 problem kvar (1 varning)."
    assert problem_summary([warning, warning]) == "Klar med anmärkningar – 2 problem kvar (2 varningar)."
    assert problem_summary([error, warning, warning]) == "Utkast – 3 problem kvar (1 fel, 2 varningar)."


def test_xlsx_leaves_a_contact_field_not_given_empty():
    from openpyxl import load_workbook

    from bouv_tui.exchange.exporters.xlsx_export import submission_xlsx
    from test_submission_domain import complete_answers

    book = load_workbook(io.BytesIO(submission_xlsx(_built(complete_answers(), phone=""), [])))
    rows = {row[1]: row[2:] for row in book["Kontakt"].iter_rows(values_only=True)}
    assert set(rows["Telefon"]) == {None} and rows["E-post"][0] == "ada@example.se"


def test_export_submission_checks_the_name_and_a_read_only_file_before_writing(tmp_path):
    from bouv_tui.exchange.formats import FormatError
    from test_submission_domain import complete_answers

    built = _built(complete_answers())
    folder = tmp_path / "ut"
    folder.mkdir()
    with pytest.raises(FormatError, match="ge filen ändelsen .zip, till exempel inventering.zip"):
        export_submission(built, [], "csv", folder / "inventering.csv")
    assert list(folder.iterdir()) == []
    locked = folder / "inventering.json"
    locked.write_bytes(b"gammal")
    locked.chmod(0o444)
    with pytest.raises(ReadOnlyTarget):
        export_submission(built, [], "json", locked)  # asked first, by default
    assert locked.read_bytes() == b"gammal"
    export_submission(built, [], "json", locked, replace_readonly=True)
    assert json.loads(locked.read_bytes())["redovisningsar"] == built.year


def test_the_csv_zip_entries_are_packed_with_fixed_time_and_plain_file_permissions():
    from bouv_tui.exchange.exporters.common import ZIP_TIME, deterministic_zip

    data = deterministic_zip([("a.csv", b"x;y\r\n" * 100), ("b.csv", b"")])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = archive.infolist()
        assert [i.filename for i in infos] == ["a.csv", "b.csv"]
        assert {(i.date_time, i.compress_type, i.external_attr >> 16) for i in infos} == {
            (ZIP_TIME, zipfile.ZIP_DEFLATED, 0o644)
        }
        assert archive.read("a.csv") == b"x;y\r\n" * 100 and infos[0].compress_size < infos[0].file_size


def test_an_export_redacts_messages_with_a_roster_name_but_not_for_blank_names():
    from test_submission_domain import complete_answers

    built = replace(_built(complete_answers()), names={1: "Ada Ek", 2: "   ", 3: ""})
    problems = [Problem(ERROR, "fraga_1", "Ada Ek är inte bedömd."), Problem(WARNING, "fraga_20", "Se   över svaret.")]
    shown = export_problems(built, problems)
    assert [p.message for p in shown] == ["Uppgiften behöver rättas; kör bouv-tui check för detaljer.", "Se   över svaret."]
    assert [(p.severity, p.question) for p in shown] == [(ERROR, "fraga_1"), (WARNING, "fraga_20")]


def test_csv_and_xlsx_write_the_grant_flag_an_empty_contact_field_and_an_unknown_severity():
    from openpyxl import load_workbook

    from bouv_tui.exchange.exporters.csv_export import tables
    from bouv_tui.exchange.exporters.xlsx_export import submission_xlsx
    from test_submission_domain import complete_answers

    built = _built({**complete_answers(), "ej_rekvirerat_utbildningsmedel": True}, phone="")
    notice = [Problem("notis", "fraga_20", "Kontrollera svaret.")]
    files = dict(tables(built, notice))
    answers = list(csv.reader(io.StringIO(files["svar.csv"].decode("utf-8-sig")), delimiter=";"))
    by_key = {(r[0], r[1]): r[2] for r in answers[1:]}
    assert by_key[("kontakt", "telefon")] == "" and by_key[("kontakt", "epost")] == "ada@example.se"
    assert by_key[("ej_rekvirerat_utbildningsmedel", "")] == "ja"
    assert answers[-1][0] == "ej_rekvirerat_utbildningsmedel"  # the flag is the last row
    plain = dict(tables(_built(complete_answers()), []))["svar.csv"].decode("utf-8-sig")
    assert "ej_rekvirerat_utbildningsmedel;;nej;" in plain
    book = load_workbook(io.BytesIO(submission_xlsx(built, notice)))
    flag_row = next(row for row in book["B Kompetensutveckling"].iter_rows(values_only=True) if row[1] and "rekvirerat" in row[1])
    assert flag_row[2] == "Ja"
    assert [r[:3] for r in book["Problem"].iter_rows(values_only=True)][-1] == ("notis", "Fråga 20", "Kontrollera svaret.")


def test_question_21_comes_from_the_training_plan_in_every_format(demo_db, tmp_path, schema):
    from datetime import date

    from bouv_tui.domain import plan as p
    from bouv_tui.domain.plan import Occasion, Training

    ws = Workspace.open(demo_db, backup=False)
    for training in ws.plan(2026).trainings:  # the demo's own plan out: the rows below are this test's
        ws.delete_training(training.id)
    caseworkers = [s for s in ws.staff() if s.role == catalog.CASEWORKER and s.is_active(date(2026, 12, 31))][:3]
    course = ws.save_training(Training("Samtal med barn", p.TRAINING, 2026, ("samtal", "barns_utveckling"),
                                       ("Hedersrelaterat våld",), "Högskolan Väst", "universitet_hogskola", 7.5, p.HP))  # fmt: skip
    own = ws.save_training(Training("Egen dag", p.SUPPORT, 2026, ("ebp",)))
    granted = ws.save_occasion(Occasion(course.id, date(2026, 3, 2), date(2026, 3, 4)))
    ws.save_occasion(Occasion(own.id, date(2026, 4, 1), date(2026, 4, 1), funding=p.OWN_FUNDS))
    ws.book(granted.id, [c.id for c in caseworkers])
    document = json.loads(export(demo_db, 2026, "json", tmp_path).read_text(encoding="utf-8"))
    validate(document, schema)
    expected_categories = ["handlaggare"] + (["handlaggare_utan_socionomexamen"]
                                             if any(not c.social_work_degree for c in caseworkers) else [])  # fmt: skip
    entry = {"utbildning": "Samtal med barn", "antal_deltagare": 3, "personalkategori": expected_categories,
             "anordnare": "Högskolan Väst", "anordnartyp": "universitet_hogskola", "omfattning": {"enhet": "hp", "varde": 7.5}}  # fmt: skip
    assert document["fraga_21"] == [
        {"omrade": "barns_utveckling", "annat_omrade": None, **entry},
        {"omrade": "samtal", "annat_omrade": None, **entry},
        {"omrade": "annat", "annat_omrade": "Hedersrelaterat våld", **entry},
    ]  # grant-funded only, under each area, the form's order
    text = export(demo_db, 2026, "txt", tmp_path).read_text(encoding="utf-8").splitlines()
    at = text.index(f"   {catalog.AREAS.label('barns_utveckling')}: Samtal med barn")
    assert text[at + 1 : at + 4] == [
        f"      Deltagare: 3 ({', '.join(common.Q21_CATEGORY_WORDS[c] for c in expected_categories)})",
        "      Anordnare: Högskolan Väst (Universitet/högskola)",
        "      Omfattning: 7,5 hp",
    ]
    table = zip_members(export(demo_db, 2026, "csv", tmp_path).read_bytes())["fraga_21.csv"].decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(table), delimiter=";"))
    assert rows[0][:4] == ["omrade", "annat_omrade", "utbildning", "antal_deltagare"]
    assert [r[0] for r in rows[1:]] == ["barns_utveckling", "samtal", "annat"] and rows[3][1] == "Hedersrelaterat våld"
    sheet = sheet_values(export(demo_db, 2026, "xlsx", tmp_path))["B Kompetensutveckling"]
    assert [None, "Annat: Hedersrelaterat våld", "Samtal med barn", 3] == sheet[-1][:4]
    names = [c.name for c in caseworkers]
    for fmt in FORMATS:
        data = export(demo_db, 2026, fmt, tmp_path / fmt).read_bytes()
        assert not any(n.encode() in data for n in names), fmt  # counts, never names
    # The box "not requisitioned" ticked: question 21 is not answered.
    round_ = ws.round_for_year(2026)
    ws.save_answers(round_.id, {"ej_rekvirerat_utbildningsmedel": True})
    assert json.loads(export(demo_db, 2026, "json", tmp_path).read_text(encoding="utf-8"))["fraga_21"] == []
    ws.close()


def test_question_21s_rows_word_for_word_in_text_csv_and_xlsx():
    from openpyxl import load_workbook

    from bouv_tui.domain.plan import Q21Row
    from bouv_tui.exchange.exporters.csv_export import tables
    from bouv_tui.exchange.exporters.txt_export import submission_text
    from bouv_tui.exchange.exporters.xlsx_export import submission_xlsx
    from test_submission_domain import complete_answers

    rows = (
        Q21Row("utredning", None, "Utredning i praktiken", 4, ("handlaggare", "chefer"), "FoU Väst", "fou", 3.0, "dagar"),
        Q21Row(None, "Digitalt arbete", "Digitala verktyg", 1, (), "", None, None, None),
        Q21Row("ebp", None, "Evidens", 2, ("handlaggare",), "Högskolan", "universitet_hogskola", 7.5, "hp"),
    )
    built = replace(_built(complete_answers()), q21=rows)
    text = submission_text(built, []).splitlines()
    start = next(i for i, line in enumerate(text) if line.startswith("21. "))
    assert text[start + 3 :] == [
        "   Utredning: Utredning i praktiken",
        "      Deltagare: 4 (handläggare, chefer)",
        "      Anordnare: FoU Väst (FoU)",
        "      Omfattning: 3 dagar",
        "   Annat: Digitalt arbete: Digitala verktyg",
        "      Deltagare: 1",
        "      Anordnare: (inte besvarad)",
        "      Omfattning: (inte besvarad)",
        f"   {catalog.AREAS.label('ebp')}: Evidens",
        "      Deltagare: 2 (handläggare)",
        "      Anordnare: Högskolan (Universitet/högskola)",
        "      Omfattning: 7,5 hp",
    ]
    table = dict(tables(built, []))["fraga_21.csv"].decode("utf-8-sig").splitlines()
    assert table == [
        "omrade;annat_omrade;utbildning;antal_deltagare;personalkategori;anordnare;anordnartyp;omfattning_enhet;omfattning_varde",
        "utredning;;Utredning i praktiken;4;handlaggare,chefer;FoU Väst;fou;dagar;3.0",
        "annat;Digitalt arbete;Digitala verktyg;1;;;;;",
        "ebp;;Evidens;2;handlaggare;Högskolan;universitet_hogskola;hp;7.5",
    ]
    sheet = load_workbook(io.BytesIO(submission_xlsx(built, [])))["B Kompetensutveckling"]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    at = next(i for i, r in enumerate(values) if r[0] == "Fråga 21")
    assert [r[1:7] for r in values[at + 1 :]] == [
        ["Kunskapsområde", "Utbildning", "Deltagare", "Personalkategori", "Anordnare", "Omfattning"],
        ["Utredning", "Utredning i praktiken", 4, "handläggare, chefer", "FoU Väst (FoU)", "3 dagar"],
        ["Annat: Digitalt arbete", "Digitala verktyg", 1, None, None, None],
        [catalog.AREAS.label("ebp"), "Evidens", 2, "handläggare", "Högskolan (Universitet/högskola)", "7,5 hp"],
    ]
    assert all(c.font.b for c in sheet[at + 2] if c.value is not None)  # the heading row is bold
    assert values[at][1] == common.QUESTION_TEXTS[21]
    # Nothing in the plan, and the box ticked: each says so in its own words.
    empty = load_workbook(io.BytesIO(submission_xlsx(_built(complete_answers()), [])))["B Kompetensutveckling"]
    assert [r[1] for r in empty.iter_rows(values_only=True)][-1] == "Inga utbildningar finansierade med årets statsbidrag i planen."
    ticked = replace(_built({**complete_answers(), "ej_rekvirerat_utbildningsmedel": True}), q21=rows)
    assert ticked.q21 == rows  # built by hand: the exporters still read the box
    book = load_workbook(io.BytesIO(submission_xlsx(ticked, [])))["B Kompetensutveckling"]
    assert [r[1] for r in book.iter_rows(values_only=True)][-1] == (
        "Besvaras inte: statsbidrag för utbildningsinsatser har inte rekvirerats."
    )  # fmt: skip
    assert submission_text(ticked, []).splitlines()[-1] == (
        "   (besvaras inte: statsbidrag för utbildningsinsatser har inte rekvirerats)"
    )  # fmt: skip
    assert _built({**complete_answers(), "ej_rekvirerat_utbildningsmedel": True}).q21 == ()
    # One day is "1 dag"; any other number of days "dagar".
    for value, words in ((1.0, "1 dag"), (2.0, "2 dagar"), (0.5, "0,5 dagar"), (1.0, "1 hp")):
        unit = "hp" if words.endswith("hp") else "dagar"
        assert common.q21_extent_words({"omfattning": {"enhet": unit, "varde": value}}) == words
    # An extent is written only with both its unit and its value.
    half = (Q21Row("ebp", None, "A", 1, (), "", None, 2.0, None), Q21Row("ebp", None, "B", 1, (), "", None, None, "hp"))
    assert [e["omfattning"] for e in common.q21_entries(replace(built, q21=half))] == [None, None]

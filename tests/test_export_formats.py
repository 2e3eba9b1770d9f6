"""The export formats are named once (``exchange.formats``): every caller has the same lists,
the same file endings, and the same Swedish message for a format an export does not have."""

from __future__ import annotations

import pytest

from bouv_tui import services
from bouv_tui.cli import main
from bouv_tui.config import Config
from bouv_tui.domain.submission import check
from bouv_tui.errors import BouvError
from bouv_tui.exchange import exporters
from bouv_tui.exchange.formats import STAFF, SUBMISSION, FormatError
from bouv_tui.services import Workspace

MODEL = Config().need_model
STAFF_UNKNOWN = "Okänt format 'pdf': välj csv eller xlsx."
SUBMISSION_UNKNOWN = "Okänt format 'pdf': välj json, xlsx, csv eller txt."


def test_every_caller_has_the_one_list_of_formats_and_endings():
    assert services.EXPORT_FORMATS is STAFF.names == ("csv", "xlsx")
    assert services.SUBMISSION_FORMATS is exporters.FORMATS is SUBMISSION.names == ("json", "xlsx", "csv", "txt")
    assert exporters.SUFFIXES is SUBMISSION.suffixes
    assert SUBMISSION.suffixes == {"json": ".json", "xlsx": ".xlsx", "csv": ".zip", "txt": ".txt"}


def test_an_unknown_format_is_a_bouv_error_and_a_value_error():
    with pytest.raises(FormatError) as caught:
        SUBMISSION.check("pdf")
    assert isinstance(caught.value, BouvError) and isinstance(caught.value, ValueError)
    assert str(caught.value) == SUBMISSION_UNKNOWN


@pytest.mark.parametrize(
    ("formats", "name", "fmt"),
    [
        (SUBMISSION, "s.json", "json"), (SUBMISSION, "s.XLSX", "xlsx"), (SUBMISSION, "s.zip", "csv"),
        (SUBMISSION, "s.csv", "csv"), (SUBMISSION, "s.txt", "txt"), (SUBMISSION, "s.pdf", None),
        (SUBMISSION, "s", None), (STAFF, "p.csv", "csv"), (STAFF, "p.Xlsx", "xlsx"), (STAFF, "p.zip", None),
        (STAFF, "p.json", None),
    ],
)  # fmt: skip
def test_the_file_ending_names_the_format(formats, name, fmt):
    assert formats.of_name(name) == fmt


def test_only_a_submission_csv_named_csv_is_refused_by_its_name(tmp_path):
    with pytest.raises(FormatError, match=r"zip-fil.*ändelsen \.zip, till exempel s\.zip\. Ingenting har sparats\."):
        SUBMISSION.check("csv", tmp_path / "s.csv")
    assert SUBMISSION.check("csv", tmp_path / "s.zip") == "csv"
    assert SUBMISSION.check("json", tmp_path / "s.csv") == "json"  # --format decides; only csv's own name misleads
    assert STAFF.check("csv", tmp_path / "p.csv") == "csv"


def test_the_services_and_the_exporters_give_the_one_message(demo_db, tmp_path):
    tmp_path = tmp_path / "ut"
    tmp_path.mkdir()
    workspace = Workspace.open(demo_db, backup=False)
    try:
        with pytest.raises(FormatError) as staff:
            workspace.export_staff("pdf", tmp_path / "p.pdf")
        with pytest.raises(FormatError) as submission:
            workspace.export_submission(2026, "pdf", tmp_path / "s.pdf", MODEL)
        built = workspace.submission(2026, MODEL)
    finally:
        workspace.close()
    with pytest.raises(FormatError) as exported:
        exporters.export_submission(built, check(built), "pdf", tmp_path / "e.pdf")
    with pytest.raises(FormatError) as as_bytes:
        exporters.submission_bytes(built, check(built), "pdf")
    assert str(staff.value) == STAFF_UNKNOWN
    assert str(submission.value) == str(exported.value) == str(as_bytes.value) == SUBMISSION_UNKNOWN
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("kind", "message"), [(["staff"], STAFF_UNKNOWN), (["submission", "--year", "2026"], SUBMISSION_UNKNOWN)]
)
def test_the_cli_says_the_services_message_and_exits_2(demo_db, tmp_path, capsys, kind, message):
    target = tmp_path / "ut.pdf"
    assert main(["--db", str(demo_db), "export", *kind, "--format", "pdf", "--output", str(target)]) == 2
    assert capsys.readouterr().err == f"bouv-tui: {message}\n"
    assert not target.exists()


def test_the_cli_says_which_endings_name_a_staff_format(demo_db, tmp_path, capsys):
    assert main(["--db", str(demo_db), "export", "staff", "--output", str(tmp_path / "p.txt")]) == 2
    assert capsys.readouterr().err == (
        "bouv-tui: Formatet framgår inte av filnamnet p.txt: ange --format csv eller xlsx, "
        "eller en fil som slutar på .csv eller .xlsx.\n"
    )
    assert main(["--db", str(demo_db), "export", "staff", "--output", str(tmp_path / "P.XLSX")]) == 0
    assert (tmp_path / "P.XLSX").read_bytes()[:2] == b"PK"  # an xlsx is a zip
    assert main(["--db", str(demo_db), "export", "staff", "--format", "CSV", "--output", str(tmp_path / "p.txt")]) == 0
    assert main(["--db", str(demo_db), "export", "staff", "--output", str(tmp_path / "p.csv")]) == 0
    assert (tmp_path / "p.txt").read_bytes() == (tmp_path / "p.csv").read_bytes()  # --format decides, any name


def test_a_list_of_one_choice_is_the_choice():
    from bouv_tui.exchange.formats import ExportFormats, words

    assert words(["csv"]) == "csv" and words(("csv", "xlsx")) == "csv eller xlsx"
    assert words(["json", "xlsx", "csv", "txt"]) == "json, xlsx, csv eller txt"
    single = ExportFormats(("csv",), {"csv": ".csv"})
    with pytest.raises(FormatError, match="^Okänt format 'pdf': välj csv.$"):
        single.check("pdf")
    assert single.why_not_dot_format == {} and single.check("csv", "a.csv") == "csv"


def test_a_format_written_under_another_ending_without_a_stated_reason_says_the_ending():
    from bouv_tui.exchange.formats import ExportFormats, FormatError

    formats = ExportFormats(("ics", "csv"), {"ics": ".zip", "csv": ".zip"}, {"csv": "csv är en zip"})
    with pytest.raises(FormatError) as plain:
        formats.check("ics", "kalender.ics")
    assert str(plain.value) == ("ics-formatet skrivs som .zip: ge filen ändelsen .zip, till exempel kalender.zip. "
                                "Ingenting har sparats.")  # fmt: skip
    with pytest.raises(FormatError) as told:
        formats.check("csv", "tabeller.CSV")
    assert str(told.value).startswith("csv är en zip: ge filen ändelsen .zip, till exempel tabeller.zip.")
    assert formats.check("ics", "kalender.zip") == "ics" and formats.check("ics", None) == "ics"

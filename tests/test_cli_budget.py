"""The budget's command line (issue 15): ``import grant``, ``import expenses``, ``export
finance``, ``export budget``, ``export grant`` and the financial part of ``check``, run as a
user runs them: exit codes, the exact lines said, and what is in the database afterwards.

A refused file writes nothing: every hostile-input test compares every row of every table
before and after (``hostile_checks.stored_rows``). The demo is written once a module (seed 1,
24 staff, the demo's fixed day) and copied for each test."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bouv_tui.cli import main
from bouv_tui.demo import DEFAULT_TODAY, write_demo
from bouv_tui.domain import budget as rules
from bouv_tui.domain import catalog
from bouv_tui.errors import StaleImport
from bouv_tui.exchange.formats import FINANCE
from bouv_tui.services import Workspace
from bouv_tui.store.budget import read_expenses, read_sources
from bouv_tui.store.plans import read_plan

from hostile_checks import stored_rows

NB = "\u00a0"
YEAR = DEFAULT_TODAY.year
#: The demo's sources (``demo/budget.py``): its state grant and own funds, this year and last.
GRANT = "Kompetensutveckling social barn- och ungdomsvård"
OWN = "Egna kompetensmedel"
HEADER = "datum;belopp;kostnadstyp;finansiering;ar;utbildning;status;verifikation;anteckning"
NOTHING = "Ingenting har importerats. Rätta felen i filen och försök igen."

#: A source of this year the demo does not have: two cost types, and a cap that stops at
#: 10 % of 100 000 kr = 10 000 kr of travel.
REGION = "Regionala utvecklingsmedel"
REGION_TOML = f"""\
namn = "{REGION}"
typ = "annat"
ar = {YEAR}
rekvirerat = 100000
utbetalt = 100000
anvands_fran = {YEAR}-01-01
anvands_till = {YEAR}-12-31
ej_forbrukat = "far_sparas"
kostnadstyper = ["utbildningsplatser", "resor"]

[[tak]]
namn = "Resor"
andel = 0.1
atgard = "stoppa"
kostnadstyper = ["resor"]
"""


def kr(text: str) -> str:
    """``"10 000 kr"`` with the no-break spaces the app writes."""
    return text.replace(" ", NB)


@pytest.fixture(scope="module")
def pristine(tmp_path_factory) -> Path:
    return write_demo(tmp_path_factory.mktemp("demo") / "demo.sqlite", staff=24, seed=1, today=DEFAULT_TODAY)


@pytest.fixture
def demo(pristine, tmp_path) -> Path:
    """This test's own copy of the demo (write_demo leaves no WAL beside it)."""
    assert not Path(f"{pristine}-wal").exists()
    (tmp_path / "db").mkdir()
    return Path(shutil.copy2(pristine, tmp_path / "db" / "demo.sqlite"))


@pytest.fixture
def with_region(demo, tmp_path, capsys) -> Path:
    """The demo with the region's source added from its grant file."""
    assert run(demo, "import", "grant", str(write(tmp_path / "region.toml", REGION_TOML))) == 0
    capsys.readouterr()
    return demo


def run(db: Path, *args: str) -> int:
    return main(["--db", str(db), *args])


def said(capsys) -> tuple[list[str], list[str]]:
    captured = capsys.readouterr()
    return captured.out.splitlines(), captured.err.splitlines()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def row(**cells: str) -> str:
    """A row of an expense file: travel paid by this year's grant, unless told otherwise."""
    values = {"datum": f"{YEAR}-11-10", "belopp": "450", "kostnadstyp": "Resor", "finansiering": GRANT,
              "ar": str(YEAR), "utbildning": "", "status": "", "verifikation": "", "anteckning": ""}  # fmt: skip
    values.update(cells)
    return ";".join(values[c] for c in HEADER.split(";"))


def expense_file(tmp_path: Path, *rows: str, name: str = "utgifter.csv") -> Path:
    return write(tmp_path / name, "\n".join([HEADER, *rows]) + "\n")


def source(db: Path, name: str, year: int = YEAR) -> rules.FundingSource:
    [found] = [s for s in read_sources(db) if s.name == name and s.year == year]
    return found


def fields(s: rules.FundingSource) -> tuple:
    """A source without what the database gives it (id, version)."""
    return replace(s, id=None, version=0)


def without_ids(expenses) -> list[tuple]:
    return sorted((e.day, e.amount, e.cost_type, e.source_id, e.status, e.occasion_id, e.voucher, e.note)
                  for e in expenses)  # fmt: skip


def new_expenses(before, after) -> list[rules.Expense]:
    old = {e.id for e in before}
    return [e for e in after if e.id not in old]


# --- import grant ------------------------------------------------------------------------------------


def test_import_grant_adds_a_source_and_leaves_the_others_as_they_were(demo, tmp_path, capsys):
    before = read_sources(demo)
    assert run(demo, "import", "grant", str(write(tmp_path / "region.toml", REGION_TOML))) == 0
    assert said(capsys) == ([f"Klart: {REGION} {YEAR} tillagd: utbetalt {kr('100 000 kr')}, 1 tak."], [])
    added = source(demo, REGION)
    assert fields(added) == rules.FundingSource(
        REGION, rules.OTHER, YEAR, 100_000, 100_000, 0, date(YEAR, 1, 1), date(YEAR, 12, 31), None,
        rules.MAY_BE_SAVED, ("utbildningsplatser", "resor"), (rules.Cap("Resor", 0.1, ("resor",), rules.STOP),),
    )  # fmt: skip
    assert [s for s in read_sources(demo) if s.id != added.id] == before


def test_import_grant_again_updates_the_source_of_the_same_name_and_year_and_keeps_its_expenses(demo, tmp_path, capsys):
    grant = source(demo, GRANT)
    lines = [e for e in read_expenses(demo) if e.source_id == grant.id]
    assert run(demo, "export", "grant", GRANT, "--year", str(YEAR), "--output", str(tmp_path / "g.toml")) == 0
    text = (tmp_path / "g.toml").read_text(encoding="utf-8")
    assert f"utbetalt = {grant.paid_out}\n" in text
    write(tmp_path / "g.toml", text.replace(f"utbetalt = {grant.paid_out}\n", "utbetalt = 1400000\n")
          .replace("aterbetalt = 0\n", "aterbetalt = 25000\n").replace('atgard = "varna"', 'atgard = "stoppa"'))  # fmt: skip
    capsys.readouterr()
    assert run(demo, "import", "grant", str(tmp_path / "g.toml")) == 0
    assert said(capsys) == ([f"Klart: {GRANT} {YEAR} uppdaterad (samma namn och år; utgifterna är kvar): "
                             f"utbetalt {kr('1 400 000 kr')}, 1 tak."], [])  # fmt: skip
    now = source(demo, GRANT)
    assert now.id == grant.id and now.version > grant.version
    assert (now.paid_out, now.paid_back, now.caps[0].action) == (1_400_000, 25_000, rules.STOP)
    assert fields(now) == replace(fields(grant), paid_out=1_400_000, paid_back=25_000,
                                  caps=(replace(grant.caps[0], action=rules.STOP),))  # fmt: skip
    assert [e for e in read_expenses(demo) if e.source_id == grant.id] == lines
    assert len(read_sources(demo)) == 4


def test_a_name_in_another_case_or_spacing_updates_the_same_source(demo, tmp_path, capsys):
    """Names of sources are matched without case or spaces mattering everywhere (the expense
    file, export grant): a grant file that spells the name so updates the source too, rather
    than adding a second one the expense file could then not tell from the first."""
    grant = source(demo, GRANT)
    assert run(demo, "export", "grant", GRANT, "--year", str(YEAR), "--output", str(tmp_path / "g.toml")) == 0
    spelled = "kompetensutveckling  social barn- och ungdomsvård"
    text = (tmp_path / "g.toml").read_text(encoding="utf-8").replace(f'namn = "{GRANT}"', f'namn = "{spelled}"')
    write(tmp_path / "g.toml", text.replace(f"utbetalt = {grant.paid_out}\n", "utbetalt = 1400000\n"))
    capsys.readouterr()
    assert run(demo, "import", "grant", str(tmp_path / "g.toml")) == 0
    assert said(capsys)[0] == [f"Klart: {spelled} {YEAR} uppdaterad (samma namn och år; utgifterna är kvar): "
                               f"utbetalt {kr('1 400 000 kr')}, 1 tak."]  # fmt: skip
    assert len(read_sources(demo)) == 4
    [now] = [s for s in read_sources(demo, YEAR) if s.kind == rules.GRANT]
    assert (now.id, now.name, now.paid_out) == (grant.id, spelled, 1_400_000)
    assert run(demo, "import", "expenses", str(expense_file(tmp_path, row()))) == 0
    assert said(capsys)[0][-1] == "Klart: 1 ny utgift."


def test_the_same_name_for_another_year_is_another_source(demo, tmp_path, capsys):
    before = read_sources(demo)
    assert run(demo, "export", "grant", GRANT, "--year", str(YEAR), "--output", str(tmp_path / "g.toml")) == 0
    text = (tmp_path / "g.toml").read_text(encoding="utf-8")
    write(tmp_path / "g.toml", text.replace(f"ar = {YEAR}\n", f"ar = {YEAR + 1}\n")
          .replace(f"anvands_fran = {YEAR}-01-01", f"anvands_fran = {YEAR + 1}-01-01")
          .replace(f"anvands_till = {YEAR}-12-31", f"anvands_till = {YEAR + 1}-12-31"))  # fmt: skip
    capsys.readouterr()
    assert run(demo, "import", "grant", str(tmp_path / "g.toml")) == 0
    assert said(capsys)[0][0].startswith(f"Klart: {GRANT} {YEAR + 1} tillagd: ")
    assert read_sources(demo, YEAR) == [s for s in before if s.year == YEAR]
    assert source(demo, GRANT, YEAR + 1).paid_out == source(demo, GRANT).paid_out


def _grant_2013() -> str:
    from bouv_tui.exchange.grant_file import template_2013

    return template_2013().read_text(encoding="utf-8")


def _changed(old: str, new: str):
    def change(text: str) -> bytes:
        assert old in text
        return text.replace(old, new, 1).encode("utf-8")

    return change


HOSTILE_GRANTS = {
    "bad-toml": (_changed("ar = 2013", "ar = 2013 2013"),
                 r"bidrag\.toml, rad 5: filen är inte giltig TOML \(.+\)\."),
    "wrong-key": (_changed("ar = 2013", "ar = 2013\nbelopp = 5"),
                  r"bidrag\.toml, rad 6, belopp: okänd nyckel\. Giltiga nycklar: namn, typ, ar, rekvirerat, utbetalt, "
                  r"aterbetalt, anvands_fran, anvands_till, redovisas_senast, ej_forbrukat, kostnadstyper, tak\."),
    "negative-amount": (_changed("utbetalt = 33226408", "utbetalt = -1"),
                        r"bidrag\.toml, rad 7, utbetalt: ska vara 0 eller mer, och rimligt stort\."),
    "share-above-1": (_changed("andel = 0.5", "andel = 1.01"),
                      r"bidrag\.toml, rad 17, \[\[tak\]\] nr 1, andel: ska vara en andel större än 0 och högst 1, "
                      r"t\.ex\. 0\.5\."),
    "unknown-cost-type": (_changed('"kurslitteratur", "resor", "administration"]', '"kurslitteratur", "taxi"]'),
                          r"bidrag\.toml, rad 13, kostnadstyper: okänd kostnadstyp 'taxi'\. Giltiga: utbildningsplatser, "
                          r"stod_handledning, vikarier, kurslitteratur, resor, administration\."),
    "unknown-cost-type-of-a-cap": (_changed('atgard = "varna"\nkostnadstyper = ["stod_handledning"',
                                            'atgard = "varna"\nkostnadstyper = ["handledning"'),
                                   r"bidrag\.toml, rad 19, \[\[tak\]\] nr 1, kostnadstyper: okänd kostnadstyp "
                                   r"'handledning'\. Giltiga: .+\."),
    "huge": (lambda text: text.encode("utf-8") + b"#" * 100_000,
             r"bidrag\.toml är för stor för en bidragsfil \(\d+ byte; högst 100000\)\."),
    "not-utf-8": (lambda text: text.encode("cp1252"),
                  r"bidrag\.toml, rad 1: filen är inte UTF-8\. Spara den som UTF-8 och försök igen\."),
}


@pytest.mark.parametrize("case", HOSTILE_GRANTS)
def test_a_wrong_grant_file_is_refused_whole_naming_the_key_and_the_line(demo, tmp_path, capsys, case):
    import re

    change, message = HOSTILE_GRANTS[case]
    text = _grant_2013()  # the 2013 grant: a source the demo has not, added if the file were right
    path = tmp_path / "bidrag.toml"
    path.write_bytes(change(text))
    before = stored_rows(demo)
    assert run(demo, "import", "grant", str(path)) == 1
    out, err = said(capsys)
    assert out == []
    assert len(err) == 2 and err[1] == "Ingenting har importerats."
    assert re.fullmatch(f"bouv-tui: {message}", err[0]), err[0]
    assert stored_rows(demo) == before


def test_a_share_of_exactly_1_is_taken(demo, tmp_path, capsys):
    """The other side of share-above-1: the limit itself is a share the grant may have."""
    assert run(demo, "import", "grant", str(write(tmp_path / "r.toml", REGION_TOML.replace("andel = 0.1", "andel = 1")))) == 0
    assert source(demo, REGION).caps[0].share == 1.0


def test_a_grant_file_that_is_not_there_is_a_usage_error(tmp_path, capsys):
    db = tmp_path / "ny.sqlite"
    assert run(db, "import", "grant", str(tmp_path / "saknas.toml")) == 2
    assert said(capsys) == ([], [f"bouv-tui: filen {tmp_path / 'saknas.toml'} finns inte."])
    assert not db.exists()


# --- import expenses: files that are right ----------------------------------------------------------------


GOOD_ROWS = (
    row(datum=f"{YEAR}-11-03", belopp="1 240", kostnadstyp="Resor", verifikation=f"{YEAR}-20001",
        anteckning="Tåg till länets nätverksträff"),
    row(datum=f"{YEAR}-11-12", belopp="8 500 kr", kostnadstyp="stod_handledning", finansiering=OWN,
        verifikation=f"{YEAR}-20002", anteckning="Extra grupphandledning"),
    row(datum=f"{YEAR}-11-14", belopp="3200,00", kostnadstyp="Kurslitteratur", status="åtagen",
        verifikation=f"{YEAR}-20003"),
)  # fmt: skip


def expected_good(db: Path) -> list[tuple]:
    grant, own = source(db, GRANT).id, source(db, OWN).id
    return sorted([
        (date(YEAR, 11, 3), 1_240, "resor", grant, rules.PAID, None, f"{YEAR}-20001", "Tåg till länets nätverksträff"),
        (date(YEAR, 11, 12), 8_500, "stod_handledning", own, rules.PAID, None, f"{YEAR}-20002", "Extra grupphandledning"),
        (date(YEAR, 11, 14), 3_200, "kurslitteratur", grant, rules.COMMITTED, None, f"{YEAR}-20003", ""),
    ])  # fmt: skip


def test_a_csv_file_adds_its_rows(demo, tmp_path, capsys):
    before = read_expenses(demo)
    assert run(demo, "import", "expenses", str(expense_file(tmp_path, *GOOD_ROWS))) == 0
    assert said(capsys) == (["utgifter.csv: 3 nya utgifter.", "Klart: 3 nya utgifter."], [])
    after = read_expenses(demo)
    assert without_ids(new_expenses(before, after)) == expected_good(demo)
    assert [e for e in after if e.id in {b.id for b in before}] == before  # the stored ones untouched


def test_an_xlsx_file_with_date_and_number_cells_adds_the_same(demo, tmp_path, capsys):
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    sheet.append([datetime(YEAR, 11, 3), 1240, "Resor", GRANT, YEAR, None, None, f"{YEAR}-20001",
                  "Tåg till länets nätverksträff"])  # fmt: skip
    sheet.append([date(YEAR, 11, 12), 8500.0, "stod_handledning", OWN, YEAR, None, None, f"{YEAR}-20002",
                  "Extra grupphandledning"])  # fmt: skip
    sheet.append([date(YEAR, 11, 14), 3200, "Kurslitteratur", GRANT, YEAR, None, "åtagen", f"{YEAR}-20003", None])
    book.save(tmp_path / "utgifter.xlsx")
    before = read_expenses(demo)
    assert run(demo, "import", "expenses", str(tmp_path / "utgifter.xlsx")) == 0
    assert said(capsys) == (["utgifter.xlsx: 3 nya utgifter.", "Klart: 3 nya utgifter."], [])
    assert without_ids(new_expenses(before, read_expenses(demo))) == expected_good(demo)


def test_the_same_file_twice_skips_every_row_the_second_time(demo, tmp_path, capsys):
    path = expense_file(tmp_path, *GOOD_ROWS)
    assert run(demo, "import", "expenses", str(path)) == 0
    capsys.readouterr()
    before = stored_rows(demo)
    assert run(demo, "import", "expenses", str(path)) == 0
    assert said(capsys) == (["utgifter.csv: Inga nya utgifter, 3 fanns redan (samma verifikation).",
                             "Ingenting att ändra: Inga nya utgifter, 3 fanns redan (samma verifikation)."], [])  # fmt: skip
    assert stored_rows(demo) == before


def test_a_row_without_a_voucher_is_added_again_and_one_with_a_new_voucher_too(demo, tmp_path, capsys):
    """The other side of skipping: only a voucher already stored skips a row."""
    path = expense_file(tmp_path, GOOD_ROWS[0], row(belopp="700", verifikation=""))
    assert run(demo, "import", "expenses", str(path)) == 0
    capsys.readouterr()
    before = read_expenses(demo)
    expense_file(tmp_path, GOOD_ROWS[0], row(belopp="700", verifikation=""), row(verifikation=f"{YEAR}-20099"))
    assert run(demo, "import", "expenses", str(path)) == 0
    assert said(capsys)[0] == ["utgifter.csv: 2 nya utgifter, 1 fanns redan (samma verifikation).",
                               "Klart: 2 nya utgifter, 1 fanns redan (samma verifikation)."]  # fmt: skip
    assert sorted((e.amount, e.voucher) for e in new_expenses(before, read_expenses(demo))) == [
        (450, f"{YEAR}-20099"), (700, "")]


def test_a_dry_run_says_what_would_happen_and_writes_nothing(demo, tmp_path, capsys):
    before = stored_rows(demo)
    assert run(demo, "import", "expenses", str(expense_file(tmp_path, *GOOD_ROWS)), "--dry-run") == 0
    assert said(capsys) == (["utgifter.csv: 3 nya utgifter.", "Provkörning: ingenting har sparats."], [])
    assert stored_rows(demo) == before


# --- import expenses: files that are refused -------------------------------------------------------------


HOSTILE_ROWS = {
    "negative": (row(belopp="-100"), 'Rad 3, kolumn "belopp": "-100" är negativt. Ett belopp ska vara 0 eller mer.'),
    "ore": (row(belopp="100,50"), 'Rad 3, kolumn "belopp": "100,50" har ören. Ange hela kronor (avrunda beloppet).'),
    "not-a-number": (row(belopp="tusen"),
                     'Rad 3, kolumn "belopp": "tusen" är inget belopp. Skriv hela kronor, t.ex. 12 345 eller 12345.'),
    "unknown-source": (row(finansiering="Okänd fond"),
                       'Rad 3, kolumn "finansiering": Ingen finansieringskälla heter "Okänd fond". Källor som finns: '
                       f"{OWN}, {GRANT}, {REGION}."),
    "cost-type-not-paid": (row(finansiering=REGION, ar="", kostnadstyp="Vikarier"),
                           f'Rad 3, kolumn "kostnadstyp": {REGION} betalar inte vikarier.'),
    "past-a-stop-cap": (row(finansiering=REGION, ar="", belopp="9 001"),
                        f'Rad 3, kolumn "belopp": Taket Resor ({kr("10 000 kr")}) skulle överskridas: '
                        f'{kr("9 000 kr")} finns kvar under det, inte {kr("9 001 kr")}.'),
    "formula": (row(anteckning='=HYPERLINK("http://x")'),
                'Rad 3, kolumn "anteckning": "=HYPERLINK("http://x")" ser ut som en kalkylbladsformel och tas inte '
                'emot. Ta bort det inledande "=".'),
    "source-of-two-years-without-a-year": (row(ar=""),
                                           'Rad 3, kolumn "finansiering": Det finns finansieringskällor som heter '
                                           f'"{GRANT[:39]}…" för flera år ({YEAR - 1}, {YEAR}). Ange året i kolumnen "ar".'),
}  # fmt: skip


@pytest.mark.parametrize("case", HOSTILE_ROWS)
def test_a_file_with_one_wrong_row_is_refused_whole_naming_the_row(with_region, tmp_path, capsys, case):
    bad, message = HOSTILE_ROWS[case]
    # Row 2 uses 1 000 kr of the region's 10 000 kr of travel; row 4 is right.
    path = expense_file(tmp_path, row(finansiering=REGION, ar="", belopp="1000"), bad, row(belopp="300"))
    before = stored_rows(with_region)
    assert run(with_region, "import", "expenses", str(path)) == 1
    out, err = said(capsys)
    assert out == ["utgifter.csv: 1 fel i filen: ingenting importeras förrän de är rättade."]
    assert len(err) == 2 and err[1] == NOTHING
    assert err[0] == f"  {message}"
    assert stored_rows(with_region) == before


def test_a_stop_cap_takes_an_expense_up_to_its_limit(with_region, tmp_path, capsys):
    """The other side of past-a-stop-cap: 1 000 + 9 000 kr is exactly the cap's 10 000 kr."""
    path = expense_file(tmp_path, row(finansiering=REGION, ar="", belopp="1000"),
                        row(finansiering=REGION, ar="", belopp="9 000"))  # fmt: skip
    assert run(with_region, "import", "expenses", str(path)) == 0
    assert said(capsys) == (["utgifter.csv: 2 nya utgifter.", "Klart: 2 nya utgifter."], [])
    region = source(with_region, REGION)
    assert rules.figures(region, read_expenses(with_region)).caps[0].room == 0


def test_a_row_past_a_stop_cap_with_what_is_stored_is_refused(with_region, tmp_path, capsys):
    """The stored expenses count: after 10 000 kr of travel, 1 krona more is refused."""
    assert run(with_region, "import", "expenses", str(expense_file(tmp_path, row(finansiering=REGION, ar="",
                                                                               belopp="10000")))) == 0  # fmt: skip
    capsys.readouterr()
    before = stored_rows(with_region)
    path = expense_file(tmp_path, row(finansiering=REGION, ar="", belopp="1"), name="en-till.csv")
    assert run(with_region, "import", "expenses", str(path)) == 1
    assert said(capsys)[1] == [f'  Rad 2, kolumn "belopp": Taket Resor ({kr("10 000 kr")}) skulle överskridas: '
                               f'{kr("0 kr")} finns kvar under det, inte {kr("1 kr")}.', NOTHING]  # fmt: skip
    assert stored_rows(with_region) == before


def test_every_wrong_row_is_named(demo, tmp_path, capsys):
    path = expense_file(tmp_path, row(belopp="-1"), row(), row(kostnadstyp="taxi"), row(datum="31/12"))
    before = stored_rows(demo)
    assert run(demo, "import", "expenses", str(path)) == 1
    out, err = said(capsys)
    assert out == ["utgifter.csv: 3 fel i filen: ingenting importeras förrän de är rättade."]
    assert [line.split(":")[0] for line in err[:-1]] == ['  Rad 2, kolumn "belopp"', '  Rad 4, kolumn "kostnadstyp"',
                                                         '  Rad 5, kolumn "datum"']  # fmt: skip
    assert err[-1] == NOTHING
    assert stored_rows(demo) == before


def test_an_xlsx_formula_without_a_value_is_refused(demo, tmp_path, capsys):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(";"))
    sheet.append([f"{YEAR}-11-03", "=400+50", "Resor", GRANT, YEAR])
    book.save(tmp_path / "utgifter.xlsx")
    before = stored_rows(demo)
    assert run(demo, "import", "expenses", str(tmp_path / "utgifter.xlsx")) == 1
    assert said(capsys) == (
        ["utgifter.xlsx: 1 fel i filen: ingenting importeras förrän de är rättade."],
        ['  Rad 2, kolumn "belopp": Cellen innehåller en formel som aldrig har räknats ut (filen är inte sparad i '
         "Excel efter att formeln skrevs). Öppna filen i Excel och spara den, eller skriv in värdet.", NOTHING],
    )
    assert stored_rows(demo) == before


HOSTILE_FILES = {
    "empty": (b"", 'Filen "utgifter.csv" är tom.'),
    "heading-only": ((HEADER + "\n").encode(), 'Filen "utgifter.csv" har inga utgifter: bara en rubrikrad. Lägg till en '
                                              "rad för varje utgift."),
    "utf-16-without-bom": ((HEADER + "\n" + row()).encode("utf-16-le"),
                           'Filen "utgifter.csv" kunde inte läsas som text: teckenkodningen känns inte igen (varken '
                           'UTF-8 eller Windows-1252). Spara filen i Excel som "CSV UTF-8 (kommaavgränsad)" och försök '
                           "igen."),
    "a-workbook-named-csv": (b"PK\x03\x04" + bytes(range(256)),
                             'Filen "utgifter.csv" heter .csv men är en Excel-arbetsbok. Byt filändelsen till .xlsx '
                             "eller spara den som CSV."),
}


@pytest.mark.parametrize("case", HOSTILE_FILES)
def test_a_file_that_cannot_be_read_is_refused_naming_it(demo, tmp_path, capsys, case):
    data, message = HOSTILE_FILES[case]
    (tmp_path / "utgifter.csv").write_bytes(data)
    before = stored_rows(demo)
    assert run(demo, "import", "expenses", str(tmp_path / "utgifter.csv")) == 1
    out, err = said(capsys)
    assert (out, err) == ([], [f"bouv-tui: {message}"])
    assert stored_rows(demo) == before


def test_an_expense_file_that_is_not_there_is_a_usage_error(demo, tmp_path, capsys):
    before = stored_rows(demo)
    assert run(demo, "import", "expenses", str(tmp_path / "saknas.csv")) == 2
    assert said(capsys) == ([], [f"bouv-tui: filen {tmp_path / 'saknas.csv'} finns inte."])
    assert stored_rows(demo) == before


# --- import expenses: warnings -------------------------------------------------------------------------------


def test_a_date_outside_the_period_is_said_and_the_row_written(demo, tmp_path, capsys):
    path = expense_file(tmp_path, row(datum=f"{YEAR + 1}-01-05", verifikation=f"{YEAR}-20010"),
                        row(datum=f"{YEAR}-12-31", verifikation=f"{YEAR}-20011"))  # fmt: skip
    before = read_expenses(demo)
    assert run(demo, "import", "expenses", str(path)) == 0
    warning = (f'  Rad 2, kolumn "datum": {YEAR + 1}-01-05 är utanför perioden då {GRANT} ska användas '
               f"({YEAR}-01-01–{YEAR}-12-31).")  # fmt: skip
    assert said(capsys) == (["utgifter.csv: 2 nya utgifter, 1 varning.", "Varningar (1), importeras ändå:", warning,
                             "Klart: 2 nya utgifter, 1 varning."], [])  # fmt: skip
    added = new_expenses(before, read_expenses(demo))
    assert sorted((e.day, e.voucher) for e in added) == [(date(YEAR, 12, 31), f"{YEAR}-20011"),
                                                         (date(YEAR + 1, 1, 5), f"{YEAR}-20010")]  # fmt: skip


def test_a_warn_cap_takes_its_room_quietly_and_one_krona_more_with_a_warning(demo, tmp_path, capsys):
    grant = source(demo, GRANT)
    [cap] = rules.figures(grant, read_expenses(demo)).caps
    assert cap.cap.action == rules.WARN and cap.room > 0
    path = expense_file(tmp_path, row(kostnadstyp="Stöd och handledning", belopp=str(cap.room), verifikation="H-1"))
    assert run(demo, "import", "expenses", str(path)) == 0
    assert said(capsys) == (["utgifter.csv: 1 ny utgift.", "Klart: 1 ny utgift."], [])
    before = read_expenses(demo)
    path = expense_file(tmp_path, row(kostnadstyp="Stöd och handledning", belopp="1", verifikation="H-2"), name="h2.csv")
    assert run(demo, "import", "expenses", str(path)) == 0
    warning = f'  Rad 2, kolumn "belopp": Taket {cap.cap.name} ({rules.kronor(cap.limit)}) överskrids med {kr("1 kr")}.'
    assert said(capsys) == (["h2.csv: 1 ny utgift, 1 varning.", "Varningar (1), importeras ändå:", warning,
                             "Klart: 1 ny utgift, 1 varning."], [])  # fmt: skip
    [added] = new_expenses(before, read_expenses(demo))
    assert (added.amount, added.cost_type, added.status, added.voucher) == (1, "stod_handledning", rules.PAID, "H-2")
    assert rules.figures(grant, read_expenses(demo)).caps[0].room == -1


# --- a voucher that pays a planned line ---------------------------------------------------------------------


def planned_line(db: Path, training_name: str, origin: str) -> rules.Expense:
    plan = read_plan(db, YEAR)
    [training] = [t for t in plan.trainings if t.name == training_name]
    occasions = {o.id for o in plan.occasions if o.training_id == training.id}
    [line] = [e for e in read_expenses(db, YEAR) if e.occasion_id in occasions and e.origin == origin]
    return line


def test_a_voucher_matching_a_planned_line_turns_it_into_paid(demo, tmp_path, capsys):
    line = planned_line(demo, "MI – motiverande samtal", rules.FIXED)
    assert (line.status, line.voucher, line.source_id) == (rules.PLANNED, "", source(demo, GRANT).id)
    count = len(read_expenses(demo))
    path = expense_file(tmp_path, row(datum=f"{YEAR}-11-18", belopp=str(line.amount), kostnadstyp=line.cost_type,
                                      utbildning="MI – motiverande samtal", verifikation=f"{YEAR}-20020",
                                      anteckning="Förskottsfaktura"))  # fmt: skip
    assert run(demo, "import", "expenses", str(path)) == 0
    assert said(capsys) == (["utgifter.csv: Inga nya utgifter, 1 planerad rad blir betald.",
                             "Klart: Inga nya utgifter, 1 planerad rad blir betald."], [])  # fmt: skip
    assert len(read_expenses(demo)) == count
    [now] = [e for e in read_expenses(demo) if e.id == line.id]
    assert now == replace(line, status=rules.PAID, voucher=f"{YEAR}-20020", day=date(YEAR, 11, 18),
                          note="Förskottsfaktura", version=line.version + 1)  # fmt: skip


def test_a_row_of_another_amount_matches_no_line_and_is_added(demo, tmp_path, capsys):
    line = planned_line(demo, "MI – motiverande samtal", rules.FIXED)
    before = read_expenses(demo)
    path = expense_file(tmp_path, row(belopp=str(line.amount + 1), kostnadstyp=line.cost_type,
                                      utbildning="MI – motiverande samtal", verifikation=f"{YEAR}-20021"))  # fmt: skip
    assert run(demo, "import", "expenses", str(path)) == 0
    assert said(capsys)[0][-1] == "Klart: 1 ny utgift."
    assert [e for e in read_expenses(demo) if e.id == line.id] == [line]
    [added] = new_expenses(before, read_expenses(demo))
    assert (added.amount, added.occasion_id, added.origin) == (line.amount + 1, line.occasion_id, None)


# --- another writer between the check and the write ------------------------------------------------------------


def _someone_adds_an_expense(db: Path) -> None:
    other = Workspace(db)
    try:
        other.save_expense(rules.Expense(date(YEAR, 11, 20), 99, "resor", source(db, GRANT).id, rules.PAID,
                                         note="Från ett annat fönster"))  # fmt: skip
    finally:
        other.close()


def test_an_import_planned_before_another_writer_added_an_expense_is_refused_whole(demo, tmp_path):
    path = expense_file(tmp_path, *GOOD_ROWS)
    ws = Workspace(demo)
    try:
        plan = ws.plan_expense_import(path)
        assert plan.ok and len(plan.adds) == 3
        _someone_adds_an_expense(demo)
        before = stored_rows(demo)
        with pytest.raises(StaleImport) as refused:
            ws.apply_expense_import(plan)
        assert str(refused.value) == ("Utgifterna har ändrats i ett annat fönster sedan filen lästes. Ingenting "
                                      "importerades: läs in filen igen.")  # fmt: skip
        assert stored_rows(demo) == before
        # Planned again, against what is stored now, it is written.
        assert ws.apply_expense_import(ws.plan_expense_import(path)) == "Klart: 3 nya utgifter."
    finally:
        ws.close()
    assert len([e for e in read_expenses(demo) if e.voucher.startswith(f"{YEAR}-2000")]) == 3


def test_an_import_planned_before_another_writer_changed_an_expense_is_refused_whole(demo, tmp_path):
    path = expense_file(tmp_path, *GOOD_ROWS)
    ws = Workspace(demo)
    try:
        plan = ws.plan_expense_import(path)
        other = Workspace(demo)
        try:
            first = read_expenses(demo)[0]
            other.save_expense(replace(first, note="Ändrad i ett annat fönster"), shown=first)
        finally:
            other.close()
        before = stored_rows(demo)
        with pytest.raises(StaleImport):
            ws.apply_expense_import(plan)
        assert stored_rows(demo) == before
    finally:
        ws.close()


def test_the_command_says_so_and_exits_1_when_another_writer_came_first(demo, tmp_path, capsys, monkeypatch):
    planned = Workspace.plan_expense_import

    def plan_then_someone_writes(self, file):
        plan = planned(self, file)
        _someone_adds_an_expense(demo)
        return plan

    monkeypatch.setattr(Workspace, "plan_expense_import", plan_then_someone_writes)
    before = len(read_expenses(demo))
    assert run(demo, "import", "expenses", str(expense_file(tmp_path, *GOOD_ROWS))) == 1
    out, err = said(capsys)
    assert out == ["utgifter.csv: 3 nya utgifter."]
    assert err == ["bouv-tui: Utgifterna har ändrats i ett annat fönster sedan filen lästes. Ingenting importerades: "
                   "läs in filen igen."]  # fmt: skip
    assert len(read_expenses(demo)) == before + 1  # the other writer's expense only


# --- export finance, budget and grant ---------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FINANCE.names)
def test_export_finance_writes_what_the_app_writes(demo, tmp_path, capsys, fmt):
    target = tmp_path / f"ekonomi{FINANCE.suffix(fmt)}"
    assert run(demo, "export", "finance", "--year", str(YEAR), "--output", str(target)) == 0
    assert said(capsys) == ([f"Den ekonomiska redovisningen {YEAR} är sparad som {fmt} i {target}",
                             f"2 varningar; kör bouv-tui check --year {YEAR} för detaljer."], [])  # fmt: skip
    app = Workspace.open(demo, backup=False)
    try:
        app.export_finance(YEAR, fmt, tmp_path / f"app{FINANCE.suffix(fmt)}")
    finally:
        app.close()
    assert target.read_bytes() == (tmp_path / f"app{FINANCE.suffix(fmt)}").read_bytes()


def test_the_finance_json_adds_up_from_the_stored_expenses(demo, tmp_path, capsys):
    """Worked out here from the rows: used is what is paid of the grant within its period."""
    target = tmp_path / "ekonomi.json"
    assert run(demo, "export", "finance", "--year", str(YEAR), "--format", "json", "--output", str(target)) == 0
    report = json.loads(target.read_text(encoding="utf-8"))
    grant = source(demo, GRANT)
    paid = [e for e in read_expenses(demo) if e.source_id == grant.id and e.status == rules.PAID
            and grant.use_from <= e.day <= grant.use_until]  # fmt: skip
    by_type = {code: sum(e.amount for e in paid if e.cost_type == code) for code in catalog.COST_TYPES.codes()}
    assert (report["redovisningsar"], report["bidrag"], report["utbetalt"]) == (YEAR, GRANT, grant.paid_out)
    assert report["forbrukat"] == sum(by_type.values()) > 0
    assert report["forbrukat_per_kostnadstyp"] == by_type
    assert report["ej_redovisat"] == grant.paid_out - report["forbrukat"] - grant.paid_back
    capped = sum(by_type[t] for t in grant.caps[0].cost_types)
    assert report["andel_handledning_och_kringkostnader"] == round(capped / grant.paid_out, 4)
    assert report["tak_handledning_och_kringkostnader"] == 0.5


def test_export_finance_of_last_year_has_nothing_to_fix(demo, tmp_path, capsys):
    target = tmp_path / "ekonomi.txt"
    assert run(demo, "export", "finance", "--year", str(YEAR - 1), "--output", str(target)) == 0
    assert said(capsys) == ([f"Den ekonomiska redovisningen {YEAR - 1} är sparad som txt i {target}"], [])
    assert target.read_text(encoding="utf-8").startswith(f"Ekonomisk redovisning\nRedovisningsår {YEAR - 1}\n")


def test_export_budget_writes_budget_and_actual_of_every_source(demo, tmp_path, capsys):
    from openpyxl import load_workbook

    target = tmp_path / "budget.xlsx"
    assert run(demo, "export", "budget", "--year", str(YEAR), "--output", str(target)) == 0
    assert said(capsys) == ([f"Budget mot utfall {YEAR} är sparad i {target}"], [])
    book = load_workbook(target)
    assert book.sheetnames == ["Totalt", OWN, GRANT[:31]]
    rows = list(book["Totalt"].iter_rows(values_only=True))
    sums = [r for r in rows if r[0] == "Summa"]
    expenses = read_expenses(demo, YEAR)
    assert rows[1][:2] == ("Utbetalt", sum(s.paid_out for s in read_sources(demo, YEAR)))
    assert [s[-1] for s in sums] == [sum(e.amount for e in expenses),
                                     sum(e.amount for e in expenses if e.status == rules.PAID),
                                     sum(e.amount for e in expenses if e.status != rules.PAID)]  # fmt: skip


def test_export_grant_reads_back_into_a_fresh_database_as_the_same_source(demo, tmp_path, capsys):
    for name in (GRANT, OWN):
        target = tmp_path / f"{name}.toml"
        assert run(demo, "export", "grant", name, "--year", str(YEAR), "--output", str(target)) == 0
        assert said(capsys) == ([f"{name} {YEAR} är sparad som bidragsfil i {target}"], [])
        fresh = tmp_path / f"{name}.sqlite"
        assert run(fresh, "import", "grant", str(target)) == 0
        assert said(capsys)[0][0].startswith(f"Klart: {name} {YEAR} tillagd: ")
        [copy] = read_sources(fresh)
        assert fields(copy) == fields(source(demo, name))


def test_export_grant_of_a_name_in_another_case_is_the_same_source(demo, tmp_path, capsys):
    target = tmp_path / "g.toml"
    assert run(demo, "export", "grant", GRANT.upper(), "--year", str(YEAR), "--output", str(target)) == 0
    assert f'namn = "{GRANT}"' in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args, message",
    [
        (["finance", "--format", "pdf", "--output", "ut.json"], "Okänt format 'pdf': välj json, xlsx, csv eller txt."),
        (["finance", "--output", "ut.pdf"], "Formatet framgår inte av filnamnet ut.pdf: ange --format json, xlsx, csv "
                                            "eller txt, eller en fil som slutar på .json, .xlsx, .csv eller .txt."),
        (["budget", "--format", "csv", "--output", "ut.xlsx"], "Okänt format 'csv': välj xlsx."),
        (["budget", "--output", "ut.csv"], "Formatet framgår inte av filnamnet ut.csv: ange --format xlsx, eller en "
                                           "fil som slutar på .xlsx."),
        ([GRANT, "--output", "ut.txt"], "en bidragsfil är TOML: ut.txt ska sluta på .toml. Ingenting har sparats."),
    ],
    ids=["finance-format", "finance-suffix", "budget-format", "budget-suffix", "grant-suffix"],
)
def test_a_wrong_format_or_ending_is_a_usage_error_and_writes_nothing(demo, tmp_path, capsys, args, message):
    kind, *rest = args
    out = tmp_path / "ut"
    out.mkdir()
    rest[-1] = str(out / rest[-1])
    command = ["export", "grant", kind] if kind == GRANT else ["export", kind]
    before = stored_rows(demo)
    assert run(demo, *command, "--year", str(YEAR), *rest) == 2
    assert said(capsys) == ([], [f"bouv-tui: {message}"])
    assert list(out.iterdir()) == []
    assert stored_rows(demo) == before


@pytest.mark.parametrize(
    "command", [["finance"], ["budget"], ["grant", GRANT]], ids=["finance", "budget", "grant"],
)
def test_an_export_into_a_missing_folder_is_a_data_error_and_writes_nothing(demo, tmp_path, capsys, command):
    suffix = {"finance": ".json", "budget": ".xlsx", "grant": ".toml"}[command[0]]
    target = tmp_path / "finns-inte" / f"ut{suffix}"
    assert run(demo, "export", *command, "--year", str(YEAR), "--output", str(target)) == 1
    assert said(capsys) == ([], [f"bouv-tui: Mappen {target.parent} finns inte, så {target.name} kan inte sparas. "
                                 "Ingenting har sparats; skapa mappen eller välj en annan plats."])  # fmt: skip
    assert not target.parent.exists()


@pytest.mark.parametrize(
    "command, message",
    [
        (["finance", "--output", "ut.json"],
         "Det finns inget statsbidrag för {year}: läs in en bidragsfil först (bouv-tui import grant FIL.toml)."),
        (["budget", "--output", "ut.xlsx"], "Det finns ingen finansieringskälla för {year}: inget att exportera."),
        (["grant", GRANT, "--output", "ut.toml"],
         "Det finns ingen finansieringskälla 'Kompetensutveckling social barn- och ungdomsvård' för {year} (finns: inga)."),
    ],
    ids=["finance", "budget", "grant"],
)
def test_a_year_without_a_source_is_a_data_error_in_swedish(demo, tmp_path, capsys, command, message):
    *args, target = command
    year = YEAR - 2  # the demo has sources for last year and this one only
    assert run(demo, "export", *args[:-1], "--year", str(year), "--output", str(tmp_path / target)) == 1
    assert said(capsys) == ([], [f"bouv-tui: {message.format(year=year)}"])
    assert not (tmp_path / target).exists()


def test_export_finance_of_a_year_with_only_own_funds_is_a_data_error(tmp_path, capsys):
    """Own funds are no state grant: the report is of a state grant (one more year: there is)."""
    db = tmp_path / "egen.sqlite"
    own = REGION_TOML.replace(REGION, OWN).replace('typ = "annat"', 'typ = "egna_medel"')
    assert run(db, "import", "grant", str(write(tmp_path / "egen.toml", own))) == 0
    capsys.readouterr()
    assert run(db, "export", "finance", "--year", str(YEAR), "--output", str(tmp_path / "e.json")) == 1
    assert said(capsys)[1] == [f"bouv-tui: Det finns inget statsbidrag för {YEAR}: läs in en bidragsfil först "
                               "(bouv-tui import grant FIL.toml)."]  # fmt: skip
    assert not (tmp_path / "e.json").exists()
    grant = own.replace(OWN, "Statsbidraget").replace('typ = "egna_medel"', 'typ = "statsbidrag"')
    assert run(db, "import", "grant", str(write(tmp_path / "bidrag.toml", grant))) == 0
    assert run(db, "export", "finance", "--year", str(YEAR), "--output", str(tmp_path / "e.json")) == 0
    assert json.loads((tmp_path / "e.json").read_text(encoding="utf-8"))["bidrag"] == "Statsbidraget"


@pytest.mark.parametrize("year", ["1999", "2101"])
@pytest.mark.parametrize(
    "command", [["finance", "--output", "ut.json"], ["budget", "--output", "ut.xlsx"],
                ["grant", GRANT, "--output", "ut.toml"]], ids=["finance", "budget", "grant"],
)  # fmt: skip
def test_a_year_out_of_range_is_a_usage_error(demo, tmp_path, capsys, command, year):
    *args, target = command
    assert run(demo, "export", *args[:-1], "--year", year, "--output", str(tmp_path / target)) == 2
    assert said(capsys) == ([], [f"bouv-tui: --year ska vara ett år från 2000 till 2100, inte {year}."])
    assert not (tmp_path / target).exists()


@pytest.mark.parametrize("year", [2000, 2100])
def test_the_first_and_last_accepted_years_are_looked_up(demo, tmp_path, capsys, year):
    """The other side of out-of-range: the year is taken, and has no grant."""
    assert run(demo, "export", "finance", "--year", str(year), "--output", str(tmp_path / "ut.json")) == 1
    assert said(capsys)[1] == [f"bouv-tui: Det finns inget statsbidrag för {year}: läs in en bidragsfil först "
                               "(bouv-tui import grant FIL.toml)."]  # fmt: skip


# --- check ---------------------------------------------------------------------------------------------------


def test_check_on_the_demo_prints_the_financial_reports_checks(demo, capsys):
    assert run(demo, "check", "--year", str(YEAR)) == 1  # the submission has errors
    out, err = said(capsys)
    assert err == []
    at = out.index(f"Ekonomisk redovisning {YEAR}: 2 varningar.")
    grant = source(demo, GRANT)
    expenses = read_expenses(demo, YEAR)
    paid = sum(e.amount for e in expenses if e.source_id == grant.id and e.status == rules.PAID)
    committed = [e for e in expenses if e.source_id == grant.id and e.status == rules.COMMITTED]
    assert out[at + 1:] == [
        f"  Varning  Ekonomisk redovisning: {rules.kronor(grant.paid_out - paid)} av det utbetalda är inte redovisat: "
        "varken förbrukat eller återbetalt.",
        f"  Varning  Ekonomisk redovisning: {len(committed)} åtagna utgifter på sammanlagt "
        f"{rules.kronor(sum(e.amount for e in committed))} är inte betalda och räknas inte som förbrukade (markera dem "
        "som betalda när fakturorna är betalda).",
    ]  # fmt: skip
    assert out[0].startswith(f"Inventeringen {YEAR}: ") and at > 1


def test_check_of_last_year_says_the_report_has_no_problems(demo, capsys):
    assert run(demo, "check", "--year", str(YEAR - 1)) == 0
    assert said(capsys) == ([f"Inventeringen {YEAR - 1} är komplett: inga problem.",
                             f"Ekonomisk redovisning {YEAR - 1}: inga problem."], [])  # fmt: skip


def test_a_stop_cap_passed_is_an_error_of_check(demo, capsys):
    """Last year's grant spent up to its cap, then made strict: check exits 0; one krona more
    past it is an error, and check exits 1 for the financial report alone (last year's
    submission is complete). What is paid back is set so that all is accounted for at the end."""
    last = source(demo, GRANT, YEAR - 1)
    [cap] = rules.figures(last, read_expenses(demo)).caps
    assert cap.room > 0

    def strict(ws: Workspace, action: str, paid_back: int) -> None:
        now = source(demo, GRANT, YEAR - 1)
        ws.save_source(replace(now, caps=(replace(now.caps[0], action=action),), paid_back=paid_back), force=True)

    ws = Workspace(demo)
    try:
        ws.save_expense(rules.Expense(date(YEAR - 1, 12, 1), cap.room, "resor", last.id, rules.PAID))
        strict(ws, rules.STOP, last.paid_back - cap.room - 1)
    finally:
        ws.close()
    assert run(demo, "check", "--year", str(YEAR - 1)) == 0  # exactly at the limit: 1 kr left to account for
    assert said(capsys)[0][1:] == [f"Ekonomisk redovisning {YEAR - 1}: 1 varning.",
                                   f"  Varning  Ekonomisk redovisning: {kr('1 kr')} av det utbetalda är inte "
                                   "redovisat: varken förbrukat eller återbetalt."]  # fmt: skip
    ws = Workspace(demo)
    try:
        strict(ws, rules.WARN, last.paid_back - cap.room - 1)  # a stop cap would refuse the krona
        ws.save_expense(rules.Expense(date(YEAR - 1, 12, 2), 1, "resor", last.id, rules.PAID))
        strict(ws, rules.STOP, last.paid_back - cap.room - 1)
    finally:
        ws.close()
    assert run(demo, "check", "--year", str(YEAR - 1)) == 1
    out = said(capsys)[0]
    assert out[0] == f"Inventeringen {YEAR - 1} är komplett: inga problem."
    assert out[1] == f"Ekonomisk redovisning {YEAR - 1}: 1 fel."
    assert out[2] == (f"  Fel      Ekonomisk redovisning: Taket ”{cap.cap.name}” (50{NB}% av utbetalt, "
                      f"{rules.kronor(cap.limit)}) överskrids med {kr('1 kr')}: {rules.kronor(cap.limit + 1)} har "
                      "förbrukats i dess kostnadstyper.")  # fmt: skip
    assert len(out) == 3


def test_check_without_a_state_grant_says_nothing_of_a_financial_report(tmp_path, capsys):
    db = tmp_path / "egen.sqlite"
    own = REGION_TOML.replace(REGION, OWN).replace('typ = "annat"', 'typ = "egna_medel"')
    assert run(db, "import", "grant", str(write(tmp_path / "egen.toml", own))) == 0
    capsys.readouterr()
    assert run(db, "check", "--year", str(YEAR)) == 1  # an empty submission
    out = said(capsys)[0]
    assert out[0] == f"Inventeringen {YEAR}: 17 fel."
    assert not any("Ekonomisk redovisning" in line for line in out)
    grant = own.replace(OWN, "Statsbidraget").replace('typ = "egna_medel"', 'typ = "statsbidrag"')
    assert run(db, "import", "grant", str(write(tmp_path / "bidrag.toml", grant))) == 0
    capsys.readouterr()
    assert run(db, "check", "--year", str(YEAR)) == 1
    out = said(capsys)[0]
    assert out[-2:] == [f"Ekonomisk redovisning {YEAR}: 1 varning.",
                        f"  Varning  Ekonomisk redovisning: {kr('100 000 kr')} av det utbetalda är inte redovisat: "
                        "varken förbrukat eller återbetalt."]  # fmt: skip

"""Every file in sample_data/ imports through the CLI on a fresh database as its README says."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from bouv_tui.domain import catalog

SAMPLES = Path(__file__).resolve().parent.parent / "sample_data"

#: personal_id → (name, role, unit, fte, employed_from, employed_until), as the HR files say.
PEOPLE = {
    "10231": ("Åsa Öberg", catalog.CASEWORKER, "Barn och unga Nord", 100, date(2016, 8, 15), None),
    "10232": ("Björn Ärlig", catalog.CASEWORKER, "Barn och unga Nord", 75, date(2021, 2, 1), None),
    "10233": ("Märta Lindén", catalog.CASEWORKER, "Familjebehandling", 50, date(2019, 9, 1), None),
    "10234": ("Örjan Sjöström", catalog.CASEWORKER, "Barn och unga Syd", 100, date(2023, 3, 13), None),
    "10235": ("Elin Håkansson", catalog.CASEWORKER, "Barn och unga Syd", 80, date(2010, 1, 11), date(2026, 6, 30)),
    "10236": ("Göran Älvsbacka", catalog.TEAM_LEADER, "Barn och unga Nord", 100, date(2012, 5, 2), None),
    "10237": ("Ingrid Åkesson", catalog.TEAM_LEADER, "Barn och unga Syd", 100, date(2018, 11, 19), None),
    "10238": ("Karin Nyström", catalog.TEAM_LEADER, "Familjebehandling", 90, date(2014, 4, 1), None),
}


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bouv_tui.cli", *args], capture_output=True, text=True)


def staff_of(db: Path):
    from bouv_tui.services import Workspace

    workspace = Workspace.open(db, backup=False)
    try:
        return {p.personal_id: p for p in workspace.staff()}
    finally:
        workspace.close()


def test_the_folder_holds_what_its_readme_describes():
    files = sorted(p.name for p in SAMPLES.iterdir() if p.is_file())
    assert files == ["README.md", "bedomningar.csv", "bidrag.toml", "make_xlsx.py", "personal_hr.csv", "personal_hr.xlsx",
                     "utbildningar.csv", "utbildningar.xlsx", "utgifter.csv"]
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    for name in files[1:]:
        assert f"`{name}`" in readme
    raw = (SAMPLES / "personal_hr.csv").read_bytes()
    assert raw.decode("cp1252").startswith("Anställningsnummer;Namn;Befattning;Avdelning;Anställningsdatum;")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")  # it is what an older Excel saves, not UTF-8


@pytest.mark.parametrize("name", ["personal_hr.csv", "personal_hr.xlsx"])
def test_the_hr_roster_imports_every_person(tmp_path, name):
    db = tmp_path / "prov.sqlite"
    done = cli("--db", str(db), "import", "staff", str(SAMPLES / name))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == f"{name}: läggs till 8, uppdateras 0, oförändrade 0, fel 0."
    assert lines[-1] == "Klart: 8 tillagda, 0 uppdaterade."
    # Every FTE in the HR file is a share of full time, and the command says how it read each.
    assert lines[1] == "Varningar (8), importeras ändå:"
    assert [line.split(":")[0] for line in lines[2:-1]] == [f'  Rad {n}, kolumn "sysselsattningsgrad"' for n in range(2, 10)]
    assert all("lästes som andel av heltid" in line for line in lines[2:-1])
    people = staff_of(db)
    assert {
        pid: (p.name, p.role, p.unit, p.fte, p.employed_from, p.employed_until) for pid, p in people.items()
    } == PEOPLE


def test_the_assessments_arrive_for_the_same_people(tmp_path):
    db = tmp_path / "prov.sqlite"
    assert cli("--db", str(db), "import", "staff", str(SAMPLES / "personal_hr.csv")).returncode == 0
    done = cli("--db", str(db), "import", "assessments", str(SAMPLES / "bedomningar.csv"), "--year", "2025")
    assert done.returncode == 0, done.stderr
    assert "Klart: 35 nivåer satta, 0 tömda i inventeringsomgången 2025." in done.stdout

    from bouv_tui.services import Workspace

    workspace = Workspace.open(db, backup=False)
    try:
        round_ = workspace.round_for_year(2025)
        by_id = {p.id: p.personal_id for p in workspace.staff()}
        levels = {(by_id[a.staff_id], a.area): a.level for a in workspace.assessments(round_.id)}
    finally:
        workspace.close()
    assert len(levels) == 35
    assert levels[("10231", "barns_utveckling")] == "fordjupad"
    assert levels[("10232", "samtal")] == "saknar"
    assert levels[("10236", "ledarskap")] == "fordjupad" and levels[("10238", "ledarskap")] == "saknar"
    assert not any(area == "ledarskap" for pid, area in levels if PEOPLE[pid][1] == catalog.CASEWORKER)


def test_the_training_plan_imports_into_the_demo_the_same_from_csv_and_xlsx(tmp_path):
    import sqlite3

    stored = []
    for name in ("utbildningar.csv", "utbildningar.xlsx"):
        db = tmp_path / f"{name}.sqlite"
        assert cli("demo", str(db)).returncode == 0
        done = cli("--db", str(db), "import", "trainings", str(SAMPLES / name))
        assert done.returncode == 0, done.stderr
        assert done.stdout.splitlines()[-1] == (
            "Klart: 5 utbildningar tillagda, 0 uppdaterade; 7 tillfällen tillagda, 0 uppdaterade; 13 deltagare bokade."
        )
        conn = sqlite3.connect(db)
        stored.append([
            conn.execute("SELECT name, kind, provider, provider_type, extent, extent_unit, tags, groups "
                         "FROM training ORDER BY name").fetchall(),
            conn.execute("SELECT start_date, end_date, status, place, seats, funding, cost_fixed, "
                         "cost_per_participant, days_away FROM occasion ORDER BY start_date").fetchall(),
        ])  # fmt: skip
        conn.close()
    assert stored[0] == stored[1]


def test_the_grant_file_imports_on_a_fresh_database_and_again_updates_it(tmp_path):
    from bouv_tui.domain import budget
    from bouv_tui.store.budget import read_sources

    db = tmp_path / "prov.sqlite"
    name = "Statsbidrag för kompetensutveckling inom den sociala barn- och ungdomsvården"
    done = cli("--db", str(db), "import", "grant", str(SAMPLES / "bidrag.toml"))
    assert done.returncode == 0, done.stderr
    assert done.stdout == f"Klart: {name} 2026 tillagd: utbetalt 412\u00a0500\u00a0kr, 1 tak.\n"
    [source] = read_sources(db)
    assert (source.name, source.kind, source.year) == (name, budget.GRANT, 2026)
    assert (source.requisitioned, source.paid_out, source.paid_back) == (412_500, 412_500, 0)
    assert (source.use_from, source.use_until, source.report_by) == (date(2026, 3, 2), date(2026, 12, 31),
                                                                     date(2027, 3, 31))  # fmt: skip
    assert source.unspent == budget.PAID_BACK
    assert source.cost_types == tuple(catalog.COST_TYPES.codes())
    [cap] = source.caps
    assert (cap.share, cap.action) == (0.5, budget.STOP)
    assert set(cap.cost_types) == set(catalog.COST_TYPES.codes()) - {"utbildningsplatser"}
    assert budget.cap_limit(source, cap) == 206_250
    again = cli("--db", str(db), "import", "grant", str(SAMPLES / "bidrag.toml"))
    assert again.returncode == 0, again.stderr
    assert "uppdaterad (samma namn och år; utgifterna är kvar)" in again.stdout
    assert [(s.name, s.year, s.paid_out) for s in read_sources(db)] == [(name, 2026, 412_500)]


def test_the_expense_list_imports_into_the_demo_and_a_second_time_skips_every_row(tmp_path):
    """A transaction list of the finance system for the demo (``bouv-tui demo``): five new
    expenses, and two vouchers that pay lines of the plan (MI's fixed cost, planned; Signs of
    Safety's seats, committed) instead of adding them again."""
    import sqlite3

    from bouv_tui.domain import budget
    from bouv_tui.store.budget import read_expenses, read_sources
    from bouv_tui.store.plans import read_plan

    from hostile_checks import stored_rows

    db = tmp_path / "demo.sqlite"
    assert cli("demo", str(db)).returncode == 0
    plan = read_plan(db, 2026)
    training = {t.id: t.name for t in plan.trainings}
    of_training = {o.id: training[o.training_id] for o in plan.occasions}
    before = read_expenses(db)

    def line(name: str, origin: str, status: str) -> budget.Expense:
        [found] = [e for e in read_expenses(db)
                   if of_training.get(e.occasion_id) == name and e.origin == origin and e.status == status]  # fmt: skip
        return found

    mi = line("MI – motiverande samtal", budget.FIXED, budget.PLANNED)
    sos = line("Signs of Safety – grundkurs", budget.SEATS, budget.COMMITTED)
    assert (mi.amount, sos.amount, mi.voucher, sos.voucher) == (24_000, 12_500, "", "")

    done = cli("--db", str(db), "import", "expenses", str(SAMPLES / "utgifter.csv"))
    assert done.returncode == 0, done.stderr
    summary = "5 nya utgifter, 1 planerad rad blir betald, 1 åtagen rad blir betald"
    assert (done.stdout, done.stderr) == (f"utgifter.csv: {summary}.\nKlart: {summary}.\n", "")
    after = {e.id: e for e in read_expenses(db)}
    assert len(after) == len(before) + 5
    assert (after[mi.id].status, after[mi.id].voucher, after[mi.id].day) == (budget.PAID, "LF2026-0447", date(2026, 11, 18))
    assert (after[sos.id].status, after[sos.id].voucher) == (budget.PAID, "LF2026-0455")
    sources = {s.id: (s.name, s.year) for s in read_sources(db)}
    grant, own = "Kompetensutveckling social barn- och ungdomsvård", "Egna kompetensmedel"
    added = sorted((e.voucher, e.day, e.amount, e.cost_type, sources[e.source_id], e.status, of_training.get(e.occasion_id))
                   for e in after.values() if e.id not in {b.id for b in before})  # fmt: skip
    assert added == [
        ("LF2026-0412", date(2026, 11, 2), 1_240, "resor", (grant, 2026), budget.PAID, None),
        ("LF2026-0418", date(2026, 11, 5), 3_450, "kurslitteratur", (grant, 2026), budget.PAID, "BBIC-utbildning"),
        ("LF2026-0431", date(2026, 11, 12), 8_500, "stod_handledning", (own, 2026), budget.PAID, None),
        ("LF2026-0449", date(2026, 11, 20), 640, "resor", (own, 2026), budget.PAID, None),
        ("LF2026-0452", date(2026, 11, 20), 2_100, "administration", (grant, 2026), budget.PAID, None),
    ]

    stored = stored_rows(db)
    again = cli("--db", str(db), "import", "expenses", str(SAMPLES / "utgifter.csv"))
    assert again.returncode == 0, again.stderr
    skipped = "Inga nya utgifter, 7 fanns redan (samma verifikation)"
    assert again.stdout == f"utgifter.csv: {skipped}.\nIngenting att ändra: {skipped}.\n"
    assert stored_rows(db) == stored
    raw = (SAMPLES / "utgifter.csv").read_bytes()
    assert raw.decode("utf-8").startswith(
        "datum;belopp;kostnadstyp;finansiering;ar;utbildning;status;verifikation;anteckning\n")
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM expense WHERE voucher LIKE 'LF2026-%'").fetchone() == (7,)
    conn.close()

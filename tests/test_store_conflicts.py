"""No silent overwrite: row versions, conflicts, stale imports, the one writer thread, and
watching the file for other processes' changes (issue 10, finding 1)."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date
from pathlib import Path

import pytest

from bouv_tui.domain.assessment import Assessment, Round
from bouv_tui.domain.needs import NeedChoice, OtherNeed
from bouv_tui.domain.roster import StaffMember
from bouv_tui.domain.settings import MunicipalitySettings
from bouv_tui.errors import Conflict, StaleImport
from bouv_tui.store.db import StoreError
from bouv_tui.services import Workspace
from bouv_tui.store import db, read
from bouv_tui.store.repo import Repository

DAY = date(2026, 11, 22)


@pytest.fixture
def path(tmp_path) -> Path:
    return db.open_database(tmp_path / "kommun.sqlite", backup=False)


@pytest.fixture
def ws(path):
    workspace = Workspace(path)
    yield workspace
    workspace.close()


@pytest.fixture
def other(path):
    """Another window or program on the same file."""
    workspace = Workspace(path)
    yield workspace
    workspace.close()


def person(name: str, **changes) -> StaffMember:
    return StaffMember(name=name, role="handlaggare", **changes)


def version_of(path: Path, table: str, where: str = "1 = 1", params=()) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute(f"SELECT version FROM {table} WHERE {where} ORDER BY id", params)]
    finally:
        conn.close()


# --- people -----------------------------------------------------------------------------------


def test_every_update_raises_the_version_and_a_new_person_starts_at_one(ws, path):
    added = ws.save_person(person("Ada", unit="Nord"))
    assert added.version == 1 and read.read_staff(path)[0].version == 1
    saved = ws.save_person(added.with_changes(fte=80))
    assert saved.version == 2
    assert read.read_staff(path) == [saved]


def test_saving_a_person_someone_else_changed_is_refused_and_shows_both_values(ws, other, path):
    """The app's edit of the FTE does not overwrite a CLI import's change of the unit."""
    shown = ws.save_person(person("Ada", unit="Nord"))
    theirs = other.save_person(shown.with_changes(unit="Syd"))  # e.g. an import, meanwhile
    mine = shown.with_changes(fte=75)
    with pytest.raises(Conflict) as raised:
        ws.save_person(mine, shown=shown)
    assert str(raised.value) == "Ada har ändrats i ett annat fönster sedan du öppnade personen. Ingenting sparades."
    assert [(c.label, c.shown, c.stored, c.mine) for c in raised.value.changes] == [("Enhet", "Nord", "Syd", "Nord")]
    assert read.read_staff(path) == [theirs]  # nothing written

    forced = ws.save_person(mine, shown=shown, force=True)  # the user chose "Spara mitt"
    assert read.read_staff(path) == [forced] and forced.version == theirs.version + 1
    assert forced.unit == "Nord" and forced.fte == 75


def test_saving_a_person_at_the_current_version_is_not_a_conflict(ws, path):
    shown = ws.save_person(person("Ada"))
    again = ws.save_person(shown.with_changes(unit="Öst"), shown=shown)
    again = ws.save_person(again.with_changes(unit="Väst"), shown=again)  # the version it was given back
    assert read.read_staff(path)[0].unit == "Väst"


def test_deleting_a_person_someone_else_changed_asks_first(ws, other, path):
    shown = ws.save_person(person("Ada"))
    other.save_person(shown.with_changes(unit="Syd"))
    with pytest.raises(Conflict, match="Ada har ändrats i ett annat fönster sedan du såg personen. Ingenting togs bort."):
        ws.delete_person(shown)
    assert len(read.read_staff(path)) == 1
    ws.delete_person(shown, force=True)
    assert read.read_staff(path) == []


# --- levels -------------------------------------------------------------------------------------


@pytest.fixture
def round_(ws):
    return ws.create_round(Round.for_year(2026))


def test_a_grid_key_on_a_level_an_import_just_set_is_refused(ws, other, path, round_):
    ada = ws.save_person(person("Ada"))
    ws.save_levels(round_.id, [Assessment(ada.id, "ebp", "grundlaggande", round_.id, DAY)])
    shown = read.read_assessments(path, round_.id)[0]  # what the grid shows
    other.save_levels(round_.id, [Assessment(ada.id, "ebp", "fordjupad", round_.id, DAY)])  # the import
    mine = Assessment(ada.id, "ebp", "saknar", round_.id, DAY)
    with pytest.raises(Conflict) as raised:
        ws.save_levels(round_.id, [mine], expected={(ada.id, "ebp"): shown})
    assert [(c.label, c.shown, c.stored, c.mine) for c in raised.value.changes] == [
        ("Ada: Evidensbaserad praktik", "Grundläggande kompetens", "Fördjupad kompetens", "Saknar tillräcklig kompetens")
    ]
    assert [a.level for a in read.read_assessments(path, round_.id)] == ["fordjupad"]
    ws.save_levels(round_.id, [mine], expected={(ada.id, "ebp"): shown}, force=True)
    assert [a.level for a in read.read_assessments(path, round_.id)] == ["saknar"]


def test_a_cell_shown_empty_but_set_meanwhile_is_a_conflict_and_a_matching_one_is_not(ws, other, path, round_):
    ada = ws.save_person(person("Ada"))
    other.save_levels(round_.id, [Assessment(ada.id, "samtal", "fordjupad", round_.id, DAY)])
    with pytest.raises(Conflict):
        ws.save_levels(round_.id, [Assessment(ada.id, "samtal", "saknar", round_.id, DAY)], expected={(ada.id, "samtal"): None})
    stored = read.read_assessments(path, round_.id)[0]
    ws.save_levels(round_.id, [], [(ada.id, "samtal")], expected={(ada.id, "samtal"): stored})  # as shown: cleared
    assert read.read_assessments(path, round_.id) == []


def test_a_level_cleared_and_set_again_elsewhere_is_seen_by_its_level(ws, other, path, round_):
    """Clearing and setting a cell again starts its version at 1 again: the level tells them apart."""
    ada = ws.save_person(person("Ada"))
    ws.save_levels(round_.id, [Assessment(ada.id, "ebp", "grundlaggande", round_.id, DAY)])
    shown = read.read_assessments(path, round_.id)[0]
    other.save_levels(round_.id, [], [(ada.id, "ebp")])
    other.save_levels(round_.id, [Assessment(ada.id, "ebp", "fordjupad", round_.id, DAY)])
    assert read.read_assessments(path, round_.id)[0].version == shown.version == 1
    with pytest.raises(Conflict):
        ws.save_levels(round_.id, [Assessment(ada.id, "ebp", "saknar", round_.id, DAY)], expected={(ada.id, "ebp"): shown})


def test_level_versions_rise_on_every_change(ws, path, round_):
    ada = ws.save_person(person("Ada"))
    ws.save_levels(round_.id, [Assessment(ada.id, "ebp", "saknar", round_.id, DAY)])
    ws.save_levels(round_.id, [Assessment(ada.id, "ebp", "fordjupad", round_.id, DAY)])
    assert version_of(path, "assessment") == [2]
    copy = ws.create_round(Round.for_year(2027), copy_from=round_.id)
    assert [a.carried_over for a in read.read_assessments(path, copy.id)] == [True]
    assert ws.confirm_carried_over(copy.id) == 1
    assert version_of(path, "assessment", "round_id = ?", (copy.id,)) == [2]


# --- imports planned against an older state (finding 1) ---------------------------------------------


def roster_file(tmp_path: Path, name: str, body: str) -> Path:
    file = tmp_path / name
    file.write_text(body, encoding="utf-8")
    return file


def test_two_imports_planned_together_cannot_lose_the_first_ones_change(ws, other, path, tmp_path):
    ws.save_person(person("Ada Berg", personal_id="A1", unit="Nord", fte=100))
    unit = roster_file(tmp_path, "enhet.csv", "personal_id;namn;roll;enhet\nA1;Ada Berg;handläggare;Syd\n")
    fte = roster_file(tmp_path, "fte.csv", "personal_id;namn;roll;sysselsattningsgrad\nA1;Ada Berg;handläggare;50\n")
    first, second = ws.plan_staff_import(unit, DAY), other.plan_staff_import(fte, DAY)
    assert len(first.updates) == len(second.updates) == 1
    ws.apply_staff_import(first)
    with pytest.raises(StaleImport) as raised:
        other.apply_staff_import(second)
    assert str(raised.value) == "Personalregistret har ändrats sedan filen lästes – kör importen igen. Ingenting sparades."
    (stored,) = read.read_staff(path)
    assert (stored.unit, stored.fte) == ("Syd", 100)  # the first import's change is kept, nothing of the second
    again = other.plan_staff_import(fte, DAY)  # run again: planned against the new state
    other.apply_staff_import(again)
    (stored,) = read.read_staff(path)
    assert (stored.unit, stored.fte) == ("Syd", 50)


def test_a_person_removed_and_another_given_the_same_id_is_a_changed_roster(ws, other, path, tmp_path):
    old = ws.save_person(person("Ada Berg", personal_id="A1"))
    plan = ws.plan_staff_import(roster_file(tmp_path, "p.csv", "personal_id;namn;roll\nA1;Ada Berg;arbetsledare\n"), DAY)
    other.delete_person(old)
    new = other.save_person(person("Bo Ek", personal_id="A1"))
    assert new.id == old.id and new.version == old.version  # SQLite gives the id out again
    with pytest.raises(StaleImport):
        ws.apply_staff_import(plan)
    assert read.read_staff(path) == [new]


def test_an_assessment_import_planned_before_a_level_changed_is_refused(ws, other, path, round_, tmp_path):
    ada = ws.save_person(person("Ada Berg", personal_id="A1"))
    ws.save_levels(round_.id, [Assessment(ada.id, "ebp", "saknar", round_.id, DAY)])
    plan = ws.plan_assessment_import(roster_file(tmp_path, "b.csv", "personal_id;samtal\nA1;F\n"), 2026, DAY)
    other.save_levels(round_.id, [Assessment(ada.id, "ebp", "fordjupad", round_.id, DAY)])
    with pytest.raises(StaleImport, match="kör importen igen"):
        ws.apply_assessment_import(plan)
    assert {a.area: a.level for a in read.read_assessments(path, round_.id)} == {"ebp": "fordjupad"}
    ws.apply_assessment_import(ws.plan_assessment_import(tmp_path / "b.csv", 2026, DAY))
    assert {a.area: a.level for a in read.read_assessments(path, round_.id)} == {"ebp": "fordjupad", "samtal": "fordjupad"}


def test_an_assessment_import_planned_before_the_roster_changed_is_refused(ws, other, path, round_, tmp_path):
    ada = ws.save_person(person("Ada Berg", personal_id="A1"))
    plan = ws.plan_assessment_import(roster_file(tmp_path, "b.csv", "personal_id;samtal\nA1;F\n"), 2026, DAY)
    other.save_person(ada.with_changes(role="annan"))  # no longer assessed
    with pytest.raises(StaleImport):
        ws.apply_assessment_import(plan)
    assert read.read_assessments(path, round_.id) == []


# --- needs, answers, settings ------------------------------------------------------------------------


def test_a_need_score_chosen_elsewhere_is_not_overwritten(ws, other, path, round_):
    shown = read.read_need_choices(path, round_.id)
    other.save_need_choices(round_.id, [NeedChoice("handlaggare", "ebp", 4, "", 3)])
    with pytest.raises(Conflict) as raised:
        ws.save_need_choices(round_.id, [NeedChoice("handlaggare", "ebp", 2, "Mindre behov", 3)], shown=shown)
    assert [(c.shown, c.stored, c.mine) for c in raised.value.changes] == [("förslaget", "4", "2")]
    assert [c.score for c in read.read_need_choices(path, round_.id)] == [4]
    # Another area than the one changed elsewhere is no conflict.
    ws.save_need_choices(round_.id, [NeedChoice("handlaggare", "samtal", 2, "x", 3)], shown=shown)
    assert sorted(c.score for c in read.read_need_choices(path, round_.id)) == [2, 4]
    assert version_of(path, "need_score") == [1, 1]
    ws.save_need_choices(round_.id, [NeedChoice("handlaggare", "ebp", 5, "", 5)], force=True, shown=shown)
    assert version_of(path, "need_score", "area = 'ebp'") == [2]


def test_other_rows_changed_elsewhere_are_not_overwritten(ws, other, path, round_):
    other.save_need_others(round_.id, "handlaggare", [OtherNeed("handlaggare", 1, "Hedersvåld", 4)])
    with pytest.raises(Conflict):
        ws.save_need_others(round_.id, "handlaggare", [OtherNeed("handlaggare", 1, "Missbruk", 3)], shown=[])
    assert [o.label for o in read.read_need_others(path, round_.id)] == ["Hedersvåld"]
    shown = read.read_need_others(path, round_.id)
    ws.save_need_others(round_.id, "handlaggare", [*shown, OtherNeed("handlaggare", 2, "Missbruk", 3)], shown=shown)
    assert [o.label for o in read.read_need_others(path, round_.id)] == ["Hedersvåld", "Missbruk"]


def test_an_answer_changed_elsewhere_is_not_overwritten_but_other_questions_are_saved(ws, other, path, round_):
    shown = read.read_answers(path, round_.id)
    other.save_answers(round_.id, {"fraga_11": {"svar": "ja_helt", "varfor_inte": None}})
    with pytest.raises(Conflict) as raised:
        ws.save_answers(round_.id, {"fraga_11": {"svar": "nej", "varfor_inte": "Inga medel"}}, shown=shown)
    assert [(c.label, c.shown, c.stored, c.mine) for c in raised.value.changes] == [
        ("Fråga 11", "obesvarad", "Ja, helt", "Nej; Inga medel")
    ]
    assert read.read_answers(path, round_.id)["fraga_11"]["svar"] == "ja_helt"
    ws.save_answers(round_.id, {"fraga_15": {"svar": "nej"}}, shown=shown)  # another question: saved, 11 kept
    stored = read.read_answers(path, round_.id)
    assert (stored["fraga_11"]["svar"], stored["fraga_15"]["svar"]) == ("ja_helt", "nej")
    ws.save_answers(round_.id, {"fraga_11": {"svar": "nej", "varfor_inte": "Inga medel"}}, shown=shown, force=True)
    assert read.read_answers(path, round_.id)["fraga_11"]["svar"] == "nej"


def test_settings_saved_elsewhere_are_not_overwritten(ws, other, path):
    shown = ws.settings()
    other.save_settings(MunicipalitySettings("0180", "Stockholm", "Eva", "eva@x.se", "08"))
    with pytest.raises(Conflict) as raised:
        ws.save_settings(MunicipalitySettings("1480", "Göteborg", "Karin", "", ""), shown=shown)
    assert ("Kommun", "", "Stockholm", "Göteborg") in [(c.label, c.shown, c.stored, c.mine) for c in raised.value.changes]
    assert read.read_settings(path).kommun == "Stockholm"
    ws.save_settings(MunicipalitySettings("1480", "Göteborg", "Karin", "", ""), shown=ws.settings())
    assert read.read_settings(path).kommun == "Göteborg"
    assert version_of(path, "settings") == [2]


# --- the writer thread, read-only files, watching the file ------------------------------------------------


def test_every_write_runs_on_the_one_writer_thread_one_at_a_time(ws, monkeypatch):
    seen, running, overlap = [], [0], []
    real = Repository.add_staff

    def watched(self, member):
        running[0] += 1
        overlap.append(running[0] > 1)
        seen.append(threading.current_thread().name)
        try:
            return real(self, member)
        finally:
            running[0] -= 1

    monkeypatch.setattr(Repository, "add_staff", watched)
    threads = [threading.Thread(target=ws.save_person, args=(person(f"P{i}"),)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(seen) == {"bouv-tui: skrivning"} and len(seen) == 8
    assert not any(overlap)


def test_an_error_in_a_write_is_raised_where_it_was_asked_for(ws):
    with pytest.raises(StoreError, match="Sysselsättningsgraden ska vara 1–100 procent"):
        ws.save_person(person("Ada", fte=0))
    ws.save_person(person("Bo"))  # the writer goes on after an error


def test_a_read_only_workspace_refuses_every_write_and_writes_nothing(path):
    before = path.read_bytes()
    workspace = Workspace(path, readonly=True)
    with pytest.raises(db.ReadOnlyDatabase, match="skrivskyddad"):
        workspace.save_person(person("Ada"))
    workspace.close()
    assert path.read_bytes() == before


def test_changes_by_another_process_are_seen_and_own_writes_are_not(ws, path):
    assert ws.changed_elsewhere() is False  # starts watching
    ws.save_person(person("Ada"))
    assert ws.changed_elsewhere() is False  # our own write
    conn = sqlite3.connect(path)
    conn.execute("UPDATE staff SET unit = 'Syd'")
    conn.commit()
    conn.close()
    assert ws.changed_elsewhere() is True
    assert ws.changed_elsewhere() is False  # seen once


def test_a_file_from_before_row_versions_is_upgraded_with_version_one(tmp_path):
    from store_helpers import alembic

    path = tmp_path / "gammal.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {db.APPLICATION_ID}")
    conn.commit()
    conn.close()
    alembic(path, "upgrade", "0003")
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO staff (name, role) VALUES ('Ada', 'handlaggare')")
    conn.commit()
    conn.close()
    db.open_database(path, backup=False)
    assert [p.version for p in read.read_staff(path)] == [1]


def test_deleting_a_person_or_a_round_takes_a_backup_first(ws, path):
    ada = ws.save_person(person("Ada"))
    round_ = ws.create_round(Round.for_year(2026))
    assert db.all_backups(path) == []
    ws.delete_person(ada)
    (first,) = db.all_backups(path)
    assert [p.name for p in read.read_staff(first)] == ["Ada"]  # the backup still has her
    ws.delete_round(round_.id)
    backups = db.all_backups(path)
    assert len(backups) == 2 and [r.year for r in read.read_rounds(backups[0])] == [2026]


def test_delete_round_in_the_store_checks_the_count_again(with_2027):
    ws = Workspace(with_2027)
    try:
        r2027 = ws.round_for_year(2027)
        counted = ws.round_contents(r2027.id)
        assert (counted.levels, counted.need_scores, counted.others) == (len(ws.assessments(r2027.id)), 1, 0)
        ws.save_need_others(r2027.id, "handlaggare", [OtherNeed("handlaggare", 1, "Digitalt arbete", 3)])
        with pytest.raises(Conflict) as refused:
            ws.delete_round(r2027.id, counted=counted)
        assert [(c.label, c.shown, c.stored) for c in refused.value.changes] == [("Rader ”Annat”", "0", "1")]
        # A level changed in place: the same counts, another stamp.
        counted = ws.round_contents(r2027.id)
        level = ws.assessments(r2027.id)[0]
        ws.save_levels(r2027.id, [level._replace(level="saknar" if level.level != "saknar" else "fordjupad")])
        with pytest.raises(Conflict):
            ws.delete_round(r2027.id, counted=counted)
        left = ws.delete_round(r2027.id, counted=ws.round_contents(r2027.id))
        assert [r.year for r in left] == [2025, 2026]
        assert ws.round_contents(r2027.id) is None
        assert ws.delete_round(r2027.id) == left  # already gone: no error
    finally:
        ws.close()

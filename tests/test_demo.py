"""The demo database: reproducible from its seed, realistic enough to show every figure."""

from __future__ import annotations

import stat
from datetime import date, timedelta
from pathlib import Path

import pytest

from bouv_tui.demo import DEFAULT_TODAY, DemoExists, team_leader_count, write_demo
from bouv_tui.domain import catalog
from bouv_tui.domain.roster import roster_figures
from bouv_tui.store.read import read_assessments, read_rounds, read_settings, read_staff

TODAY = DEFAULT_TODAY


@pytest.fixture(autouse=True)
def private_dirs(tmp_path, monkeypatch):
    """Nothing here may touch the user's real data or config folders."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture(scope="module")
def demo24(tmp_path_factory) -> Path:
    return write_demo(tmp_path_factory.mktemp("demo") / "demo.sqlite", staff=24, seed=1)


def test_same_seed_gives_the_same_roster(tmp_path, demo24):
    again = write_demo(tmp_path / "again.sqlite", staff=24, seed=1)
    assert read_staff(again) == read_staff(demo24)


def test_a_different_seed_gives_a_different_roster(tmp_path, demo24):
    other = write_demo(tmp_path / "other.sqlite", staff=24, seed=2)
    first, second = read_staff(demo24), read_staff(other)
    assert [p.name for p in first] != [p.name for p in second]


def test_today_defaults_to_a_fixed_day(tmp_path, demo24):
    explicit = write_demo(tmp_path / "explicit.sqlite", staff=24, seed=1, today=date(2026, 11, 22))
    assert read_staff(explicit) == read_staff(demo24)


def test_settings_name_a_made_up_municipality(demo24):
    settings = read_settings(demo24)
    assert settings.kommun == "Exempelby kommun"
    assert settings.kommunkod == "0000"
    assert settings.contact_name == "Demo Demosson"
    assert settings.email == "demo@exempelby.example"
    assert settings.phone == "010-000 00 00"


def test_roster_has_the_spread_a_chef_watches(demo24):
    staff = read_staff(demo24)
    figures = roster_figures(staff, TODAY)
    assert figures.caseworkers == 24
    assert figures.team_leaders >= 2
    assert figures.new_caseworkers >= 1, "some handläggare with less than a year of experience"
    assert figures.consultant_caseworkers >= 1, "some hired consultants"
    assert figures.departures_12m >= 1 or any(p.has_left(TODAY) for p in staff)
    left = [p for p in staff if p.has_left(TODAY)]
    assert left, "people who left, so turnover is visible"
    assert all(TODAY - timedelta(days=731) <= p.employed_until < TODAY for p in left)
    assert any(p.role == catalog.OTHER_ROLE for p in staff)
    assert any(p.employment_type == catalog.FIXED_TERM for p in staff)
    active = [p for p in staff if p.is_active(TODAY) and p.is_caseworker]
    assert any(p.years_of_experience(TODAY) >= 20 for p in active), "a veteran"
    assert any(p.fte < 100 for p in staff)


def test_exactly_one_kind_of_compliance_problem_is_visible(demo24):
    staff = read_staff(demo24)
    active = [p for p in staff if p.is_active(TODAY) and p.is_caseworker]
    neither = [p for p in active if not p.social_work_degree and not p.qualification_certificate]
    certified = [p for p in active if not p.social_work_degree and p.qualification_certificate]
    assert neither, "a handläggare with neither socionomexamen nor certificate"
    assert certified, "a handläggare with another degree and the employer's certificate"
    assert roster_figures(staff, TODAY).unqualified == tuple(sorted(neither, key=lambda p: p.name))


def test_team_leaders_answer_questions_5_and_6(demo24):
    leaders = [p for p in read_staff(demo24) if p.is_team_leader]
    assert len([p for p in leaders if p.is_active(TODAY)]) == team_leader_count(24)
    assert any(p.first_manager_job for p in leaders)
    assert any(p.needs_supervision_support for p in leaders)


def test_names_are_unique_and_personal_ids_numbered(demo24):
    staff = read_staff(demo24)
    names = [p.name for p in staff]
    assert len(set(names)) == len(names)
    ids = sorted(p.personal_id for p in staff)
    assert ids == [f"D{n:05d}" for n in range(1, len(staff) + 1)]


def test_masters_only_with_further_education(demo24):
    for person in read_staff(demo24):
        assert not person.masters_degree or person.further_education


def test_team_leaders_in_the_national_ratio():
    assert team_leader_count(5113) == 766
    assert team_leader_count(1) == 2


def test_refuses_to_overwrite_a_file_that_holds_something(tmp_path):
    target = tmp_path / "mine.sqlite"
    target.write_bytes(b"important")
    with pytest.raises(FileExistsError) as caught:
        write_demo(target)
    assert isinstance(caught.value, DemoExists)
    assert "finns redan" in str(caught.value)
    assert target.read_bytes() == b"important"


def test_overwrite_replaces_the_file_whole(tmp_path):
    target = tmp_path / "demo.sqlite"
    write_demo(target, staff=5, seed=1)
    Path(f"{target}-wal").write_bytes(b"stale")
    write_demo(target, staff=12, seed=3, overwrite=True)
    assert not Path(f"{target}-wal").exists() or Path(f"{target}-wal").read_bytes() != b"stale"
    assert roster_figures(read_staff(target), TODAY).caseworkers == 12
    assert [p.name for p in tmp_path.iterdir() if "demo-tmp" in p.name] == []


def test_an_empty_file_may_be_written_over(tmp_path):
    target = tmp_path / "empty.sqlite"
    target.touch()
    write_demo(target, staff=5)
    assert roster_figures(read_staff(target), TODAY).caseworkers == 5


def test_the_file_is_private(demo24):
    assert stat.S_IMODE(demo24.stat().st_mode) == 0o600


def test_small_roster_still_has_someone_unqualified(tmp_path):
    staff = read_staff(write_demo(tmp_path / "small.sqlite", staff=5, seed=7))
    assert roster_figures(staff, TODAY).unqualified


# --- assessments ----------------------------------------------------------------------

CASEWORKER_AREAS = (
    "barns_utveckling", "utredning", "samtal", "samverkan", "regelverk", "insatser",
    "uppfoljning", "forhallningssatt", "ebp", "risk_skydd", "placerade_barn",
)  # fmt: skip
TEAM_LEADER_AREAS = (*CASEWORKER_AREAS, "ledarskap", "grupprocesser")


def _expected(staff, on: date) -> dict[tuple[int, str], None]:
    """(person, area) that a round with this reference date should assess (written out here,
    not taken from the code under test)."""
    cells = {}
    for p in staff:
        if p.role not in (catalog.CASEWORKER, catalog.TEAM_LEADER):
            continue
        if p.employed_from is not None and p.employed_from > on:
            continue
        if p.employed_until is not None and p.employed_until < on:
            continue
        for area in TEAM_LEADER_AREAS if p.role == catalog.TEAM_LEADER else CASEWORKER_AREAS:
            cells[(p.id, area)] = None
    return cells


def _share_lacking(assessments, area: str) -> float:
    levels = [a.level for a in assessments if a.area == area]
    return sum(level == "saknar" for level in levels) / len(levels)


def _rounds(path: Path):
    previous, current = read_rounds(path)
    return previous, current, read_assessments(path, previous.id), read_assessments(path, current.id)


def test_two_rounds_a_year_apart(demo24):
    rounds = read_rounds(demo24)
    assert [r.year for r in rounds] == [TODAY.year - 1, TODAY.year]
    assert [r.reference_date for r in rounds] == [date(TODAY.year - 1, 12, 31), date(TODAY.year, 12, 31)]


def test_everyone_in_the_previous_round_is_fully_assessed(demo24):
    staff = read_staff(demo24)
    previous, _, before, _ = _rounds(demo24)
    assert {(a.staff_id, a.area) for a in before} == set(_expected(staff, previous.reference_date))
    assert len(before) == len({(a.staff_id, a.area) for a in before})
    assert not any(a.carried_over for a in before)
    assert all(a.level in ("saknar", "grundlaggande", "fordjupad") for a in before)
    assert all(a.assessed_on is not None and a.assessed_on <= previous.reference_date for a in before)


@pytest.mark.parametrize("staff_count", [5, 24])
def test_the_current_round_is_mostly_but_not_fully_assessed(tmp_path, demo24, staff_count):
    path = demo24 if staff_count == 24 else write_demo(tmp_path / "small.sqlite", staff=staff_count, seed=1)
    staff = read_staff(path)
    _, current, _, now = _rounds(path)
    expected = _expected(staff, current.reference_date)
    done = {(a.staff_id, a.area) for a in now}
    assert done <= set(expected), "only people employed on the reference date, in their areas"
    assert len(done) < len(expected), "someone is not yet assessed in some area"
    assert len(done) / len(expected) > 0.8
    missing_people = {staff_id for staff_id, _ in set(expected) - done}
    assert 1 <= len(missing_people) <= max(1, round(0.15 * len({s for s, _ in expected})))


def test_a_couple_of_levels_are_carried_over_from_last_year(demo24):
    _, _, before, now = _rounds(demo24)
    carried = [a for a in now if a.carried_over]
    assert carried
    assert len({a.staff_id for a in carried}) >= 2
    assert len(carried) < len(now) / 2
    last_year = {(a.staff_id, a.area): a.level for a in before}
    assert all(last_year[(a.staff_id, a.area)] == a.level for a in carried)
    assert all(a.assessed_on <= date(TODAY.year - 1, 12, 31) for a in carried)
    assert all(a.assessed_on is not None and a.assessed_on <= TODAY for a in now)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ebp_improves_and_placed_children_gets_worse(tmp_path, demo24, seed):
    path = demo24 if seed == 1 else write_demo(tmp_path / f"seed{seed}.sqlite", staff=24, seed=seed)
    _, _, before, now = _rounds(path)
    assert _share_lacking(before, "ebp") - _share_lacking(now, "ebp") >= 0.05
    assert _share_lacking(now, "placerade_barn") - _share_lacking(before, "placerade_barn") >= 0.05


def test_someone_who_left_had_advanced_competence_in_placed_children(demo24):
    staff = read_staff(demo24)
    previous, current, before, _ = _rounds(demo24)
    left = {
        p.id for p in staff
        if p.employed_until is not None and previous.reference_date <= p.employed_until < TODAY
    }  # fmt: skip
    assert left
    assert any(a.staff_id in left and a.area == "placerade_barn" and a.level == "fordjupad" for a in before)


def test_levels_are_near_the_national_shares(demo24):
    _, _, before, _ = _rounds(demo24)
    levels = [a.level for a in before]
    assert 0.4 <= levels.count("grundlaggande") / len(levels) <= 0.8
    assert 0.05 <= levels.count("saknar") / len(levels) <= 0.35
    assert 0.1 <= levels.count("fordjupad") / len(levels) <= 0.45


def test_same_seed_gives_the_same_assessments(tmp_path, demo24):
    again = write_demo(tmp_path / "again.sqlite", staff=24, seed=1)

    def levels(path, round_id):
        return sorted(read_assessments(path, round_id), key=lambda a: (a.staff_id, a.area))

    for first, second in zip(read_rounds(demo24), read_rounds(again), strict=True):
        assert first == second
        assert levels(demo24, first.id) == levels(again, second.id)


def test_a_national_demo_shows_the_change(tmp_path):
    path = write_demo(tmp_path / "national.sqlite", staff=5113, seed=1)  # no timing here: speed is benchmarks/
    _, _, before, now = _rounds(path)
    assert len(now) > 60_000
    assert _share_lacking(before, "ebp") - _share_lacking(now, "ebp") >= 0.05
    assert _share_lacking(now, "placerade_barn") - _share_lacking(before, "placerade_barn") >= 0.05

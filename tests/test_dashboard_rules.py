"""The start screen's rules on rounds: when a round is finished, and where the app goes when
the round shown is deleted (``domain.dashboard``), each limit on both sides."""

from __future__ import annotations

from datetime import date

import pytest

from bouv_tui.domain import catalog
from bouv_tui.domain.assessment import Round
from bouv_tui.domain.counts import RoundCounts
from bouv_tui.domain.dashboard import ROUND_AREAS, FormProgress, nearest_round, round_finished
from bouv_tui.domain.needs import group_areas
from bouv_tui.domain.roster import StaffMember
from test_submission_domain import complete_answers

ROUND = Round(2026, date(2026, 12, 31), id=1)
CW, TL = catalog.CASEWORKER, catalog.TEAM_LEADER


def counts(people: dict[str, int], missing: int = 0, carried: int = 0, unfinished=()) -> RoundCounts:
    expected = sum(n * len(ROUND_AREAS[role]) for role, n in people.items())
    return RoundCounts(people, {(CW, "utredning", "grundlaggande"): expected - missing}, carried, list(unfinished))


def form(needs_short: dict[str, int] | None = None, answers=None) -> FormProgress:
    short = needs_short or {}
    needs = {group: len(group_areas(group)) - short.get(group, 0) for group in ("handlaggare", "arbetsledare")}
    return FormProgress(needs_set=needs, answers=complete_answers() if answers is None else answers)


def test_a_round_with_everything_done_is_finished():
    assert round_finished(ROUND, counts({CW: 2}), form())
    assert round_finished(ROUND, counts({CW: 2, TL: 1}), form())


def test_nothing_counted_or_no_form_is_not_finished():
    assert not round_finished(ROUND, None, form())
    assert not round_finished(ROUND, counts({CW: 2}), None)
    assert not round_finished(ROUND, counts({}), form())  # nobody to assess


def test_one_level_missing_is_not_finished():
    assert not round_finished(ROUND, counts({CW: 2}, missing=1), form())
    assert round_finished(ROUND, counts({CW: 2}, missing=0), form())


def test_one_carried_over_level_or_one_unfinished_person_is_not_finished():
    assert not round_finished(ROUND, counts({CW: 2}, carried=1), form())
    assert not round_finished(ROUND, counts({CW: 2}, unfinished=[StaffMember("A", CW, id=1)]), form())


@pytest.mark.parametrize("group", ["handlaggare", "arbetsledare"])
def test_one_need_score_short_is_not_finished_for_a_group_with_people(group):
    people = {CW: 1, TL: 1}
    assert not round_finished(ROUND, counts(people), form({group: 1}))
    assert round_finished(ROUND, counts(people), form({group: 0}))


def test_the_team_leaders_scores_do_not_count_without_team_leaders():
    assert round_finished(ROUND, counts({CW: 1}), form({"arbetsledare": 1}))


def test_one_unanswered_question_is_not_finished_and_broken_answers_count_as_none():
    answers = complete_answers()
    del answers["fraga_20"]
    assert not round_finished(ROUND, counts({CW: 1}), form(answers=answers))
    assert not round_finished(ROUND, counts({CW: 1}), form(answers={"fraga_11": {"svar": "kanske"}}))


def test_the_nearest_round_and_the_earlier_of_two_as_near():
    rounds = [Round(2024, date(2024, 12, 31)), Round(2026, date(2026, 12, 31)), Round(2027, date(2027, 12, 31))]
    assert nearest_round(rounds, 2025).year == 2024  # 2024 and 2026 are as near: the earlier
    assert nearest_round(rounds, 2026).year == 2026
    assert nearest_round(rounds, 2030).year == 2027
    assert nearest_round(rounds, 2000).year == 2024
    assert nearest_round([], 2026) is None


def test_the_start_screen_ranks_gaps_by_share_lacking_and_names_the_next_steps():
    from bouv_tui.domain import national
    from bouv_tui.domain.counts import StaffCounts
    from bouv_tui.domain.dashboard import TOP_AREAS, build_dashboard_from_counts
    from test_submission_domain import CONTACT

    staff = StaffCounts(4, 4, 400, 0, 0, 0, 0, 0, 4, 4, [])
    cells = {(CW, area, "grundlaggande"): 4 for area in ROUND_AREAS[CW]}  # nobody lacks: share 0
    for area, lacking in (("utredning", 3), ("ebp", 1), ("barns_utveckling", 1)):
        cells[(CW, area, "grundlaggande")], cells[(CW, area, "saknar")] = 4 - lacking, lacking
    late = StaffMember("Sen Bedömd", CW, 9)
    round_counts = RoundCounts({CW: 4}, cells, 0, [late])

    board = build_dashboard_from_counts(CONTACT, staff, [ROUND], round_counts, date(2026, 12, 1), shown=ROUND)
    # Most lacking first; a tie in the areas' own order (barns_utveckling before ebp); areas where
    # nobody lacks competence come after every area where someone does.
    assert [g.area for g in board.gaps] == ["utredning", "barns_utveckling", "ebp"][:TOP_AREAS]
    assert [g.national_share for g in board.gaps] == [national.share_lacking(g.area) for g in board.gaps]
    assert all(g.national_share is not None for g in board.gaps)
    assert [(s.text, s.keys) for s in board.steps] == [
        ("Bedöm de 1 personer som inte är färdigbedömda för 2026", "F4, sedan u")
    ]  # the round's own year: no new round to start

    next_year = build_dashboard_from_counts(CONTACT, staff, [ROUND], round_counts, date(2027, 1, 1), shown=ROUND)
    assert [(s.text, s.keys) for s in next_year.steps][:1] == [("Starta inventeringsomgången för 2027", "F4, sedan n")]


def test_each_next_step_has_its_words_and_its_keys():
    from bouv_tui.domain.counts import StaffCounts
    from bouv_tui.domain.dashboard import build_dashboard_from_counts
    from bouv_tui.domain.settings import MunicipalitySettings
    from test_submission_domain import CONTACT

    def steps(settings, staff, round_counts=None, progress=None, today=date(2026, 12, 1)):
        board = build_dashboard_from_counts(settings, staff, [ROUND], round_counts, today, progress, shown=ROUND)
        return [(s.text, s.keys) for s in board.steps]

    nobody = StaffCounts(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, [])
    assert steps(MunicipalitySettings(), nobody) == [
        ("Ange kommun och kontaktperson för inventeringen", "Ctrl+P, Inställningar"),
        ("Lägg in personalen, eller importera den från en fil", "F3, sedan a eller i"),
    ]
    assert steps(MunicipalitySettings(kommun="Exempelby"), nobody)[0][0].startswith("Ange kommun")  # no contact

    unqualified = [StaffMember("Utan Intyg", CW, 1), StaffMember("Utan Examen", CW, 2)]
    staff = StaffCounts(3, 2, 200, 1, 100, 0, 0, 0, 3, 3, unqualified)
    done = counts({CW: 2, TL: 1})
    # Two need areas short for handläggare, all arbetsledare's; question 20 alone unanswered.
    answers = {**complete_answers(), "fraga_20": {"svar": None, "annat_satt": None}}
    short = form({"handlaggare": 2, "arbetsledare": len(group_areas("arbetsledare"))}, answers)
    assert steps(CONTACT, staff, done, short) == [
        ("2 handläggare saknar behörighet: ordna intyg eller annan uppgift", "F3, sedan b"),
        (f"Bekräfta behoven för handläggare i 2026 ({len(group_areas('handlaggare')) - 2} av "
         f"{len(group_areas('handlaggare'))} klara)", "F5"),
        (f"Bekräfta behoven för arbetsledare i 2026 (0 av {len(group_areas('arbetsledare'))} klara)", "F5, sedan v"),
        ("Svara på fråga 20 för 2026", "F6"),
    ]  # fmt: skip
    two_open = {**answers, "fraga_14": {"svar": None, "annat_satt": None}}
    assert steps(CONTACT, staff._replace(unqualified=[]), done, form(answers=two_open)) == [
        ("Svara på frågorna 14, 20 för 2026", "F6")
    ]
    assert steps(CONTACT, staff._replace(unqualified=[]), done, form()) == [
        ("Granska och exportera inlämningen för 2026", "F7, sedan x")
    ]

"""The start screen's rules on rounds: when a round is finished, and where the app goes when
the round shown is deleted (``domain.dashboard``), each limit on both sides."""

from __future__ import annotations

from datetime import date

import pytest

from bouv_tui.domain import catalog
from bouv_tui.domain.assessment import Round
from bouv_tui.domain.counts import RoundCounts
from bouv_tui.domain.dashboard import ROUND_AREAS, FormProgress, current_round, nearest_round, round_finished
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


# --- which round the app suggests, and after a deletion (moved from the UI's tests) ----------------

R2025, R2026, R2027 = Round.for_year(2025), Round.for_year(2026), Round.for_year(2027)


# --- the rule: which round the app suggests ----------------------------------------------------


def finished_if(*years: int):
    return lambda r: r.year in years


@pytest.mark.parametrize(
    ("today", "rounds", "finished", "expected"),
    [
        # 30 November: this year's round, finished or not, next year's there or not.
        (date(2026, 11, 30), [R2025, R2026, R2027], (), 2026),
        (date(2026, 11, 30), [R2025, R2026, R2027], (2026,), 2026),
        (date(2026, 11, 30), [R2025, R2026], (2026,), 2026),
        # 1 December: next year's only when it exists and this year's is finished.
        (date(2026, 12, 1), [R2025, R2026, R2027], (), 2026),
        (date(2026, 12, 1), [R2025, R2026, R2027], (2026,), 2027),
        (date(2026, 12, 1), [R2025, R2026], (2026,), 2026),
        (date(2026, 12, 1), [R2025, R2026], (), 2026),
        # 31 December: the same.
        (date(2026, 12, 31), [R2025, R2026, R2027], (), 2026),
        (date(2026, 12, 31), [R2025, R2026, R2027], (2026,), 2027),
        (date(2026, 12, 31), [R2025, R2026], (2026,), 2026),
        # 1 January: the new year's round if there is one, else the latest before it.
        (date(2027, 1, 1), [R2025, R2026, R2027], (), 2027),
        (date(2027, 1, 1), [R2025, R2026, R2027], (2027,), 2027),
        (date(2027, 1, 1), [R2025, R2026], (), 2026),
        (date(2027, 1, 1), [R2025, R2026], (2026,), 2026),
    ],
)
def test_the_suggested_round_on_both_sides_of_december(today, rounds, finished, expected):
    assert current_round(rounds, today, finished_if(*finished)).year == expected


def test_without_this_years_round_the_latest_before_it_and_in_december_next_years():
    assert current_round([R2025, R2027], date(2026, 11, 30)).year == 2025
    assert current_round([R2025, R2027], date(2026, 12, 1)).year == 2027  # this year's never started
    assert current_round([R2027], date(2026, 6, 1)).year == 2027  # only later rounds: the earliest
    assert current_round([R2027, Round.for_year(2029), R2026], date(2025, 6, 1)).year == 2026  # in any order
    assert current_round([], date(2026, 12, 1)) is None


def test_finished_is_asked_only_when_it_decides():
    asked = []
    current_round([R2025, R2026], date(2026, 12, 10), lambda r: asked.append(r) or True)
    current_round([R2025, R2026, R2027], date(2026, 11, 10), lambda r: asked.append(r) or True)
    assert asked == []  # no next year's round, or not December: the count is not made


def test_nearest_round_after_a_deletion():
    assert nearest_round([R2025, R2026], 2027).year == 2026
    assert nearest_round([R2025, R2027], 2026).year == 2025  # as close: the earlier
    assert nearest_round([R2026, R2027], 2025).year == 2026
    assert nearest_round([], 2026) is None


def _counts(done_cells: int, *, carried: int = 0, unfinished=()) -> RoundCounts:
    return RoundCounts({"handlaggare": 1}, {("handlaggare", "x", "saknar"): done_cells}, carried, list(unfinished))


def test_a_round_is_finished_when_nothing_is_left_to_do():
    from bouv_tui.domain import questionnaire
    from bouv_tui.domain.dashboard import ROUND_AREAS
    from bouv_tui.domain.needs import group_areas

    areas = len(ROUND_AREAS["handlaggare"])
    answers = {q.key: _answered(q) for q in questionnaire.QUESTIONS}
    assert not questionnaire.unanswered(questionnaire.clean_answers(answers))
    needs = {"handlaggare": len(group_areas("handlaggare"))}
    assert round_finished(R2026, _counts(areas), FormProgress(needs, answers))
    assert not round_finished(R2026, _counts(areas - 1), FormProgress(needs, answers))
    assert not round_finished(R2026, _counts(areas, carried=1), FormProgress(needs, answers))
    assert not round_finished(R2026, _counts(areas), FormProgress({"handlaggare": 1}, answers))
    assert not round_finished(R2026, _counts(areas), FormProgress(needs, {}))
    assert not round_finished(R2026, None, None)


def _answered(q):
    if q.kind == "flag":
        return False
    first = q.options.codes()[0]
    return {"val": [first], "text": "x"} if q.kind == "multi" else {"svar": first, "text": "x"}


def test_the_start_screen_counts_the_round_shown_or_the_one_the_rule_picks():
    from bouv_tui.domain.counts import StaffCounts
    from bouv_tui.domain.dashboard import build_dashboard_from_counts
    from test_submission_domain import CONTACT

    staff = StaffCounts(3, 2, 200, 1, 100, 0, 0, 0, 3, 3, [])
    rounds = [R2025, R2026]
    today = date(2026, 6, 1)
    picked = build_dashboard_from_counts(CONTACT, staff, rounds, None, today)
    assert picked.round == current_round(rounds, today) == R2026 and picked.settings == CONTACT
    assert build_dashboard_from_counts(CONTACT, staff, rounds, None, today, shown=R2025).round == R2025
    # Nothing counted yet: no levels, nothing expected, no one missing, no gaps.
    assert (picked.done, picked.expected, picked.missing, picked.carried_over, picked.gaps) == (0, 0, (), 0, ())
    # Two carried-over levels to confirm, and only team leaders: no caseworker gaps to rank.
    leaders_only = RoundCounts({TL: 1}, {(TL, "ledarskap", "saknar"): len(ROUND_AREAS[TL])}, 2, [])
    board = build_dashboard_from_counts(CONTACT, staff, rounds, leaders_only, today, shown=R2026)
    assert (board.done, board.expected, board.carried_over, board.gaps) == (
        len(ROUND_AREAS[TL]), len(ROUND_AREAS[TL]), 2, ()
    )  # fmt: skip
    assert ("Bekräfta 2 nivåer som förts över från förra omgången", "F4, sedan c") in [
        (s.text, s.keys) for s in board.steps
    ]


@pytest.mark.parametrize(("on", "year_ago", "new_since"), [
    (date(2026, 12, 1), date(2025, 12, 1), date(2025, 12, 2)),
    (date(2024, 3, 1), date(2023, 3, 2), date(2023, 3, 2)),  # a leap year: 365 days back is 2 March
])  # fmt: skip
def test_the_start_screens_counting_dates(on, year_ago, new_since):
    from bouv_tui.domain.dashboard import staff_count_rules

    rules = staff_count_rules(on)
    assert (rules["year_ago"], rules["new_since"]) == (year_ago, new_since)
    assert (rules["caseworker"], rules["team_leader"], rules["consultant"]) == (CW, TL, catalog.CONSULTANT)

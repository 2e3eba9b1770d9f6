"""The submission: questions 1–9 derived from roster and round, needs, answers, and the checks."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

from bouv_tui.config import NeedModel
from bouv_tui.domain import submission as sub
from bouv_tui.domain.assessment import Assessment, Round
from bouv_tui.domain.needs import make_choice, make_other
from bouv_tui.domain.questionnaire import AnswerError
from bouv_tui.domain.roster import StaffMember
from bouv_tui.domain.settings import MunicipalitySettings
from bouv_tui.services import Workspace

MODEL = NeedModel()
ROUND = Round(2026, date(2026, 12, 31), 1)
CONTACT = MunicipalitySettings("0180", "Exempelby", "Ada Chef", "ada@example.se", "010-123")
ELEVEN = ["barns_utveckling", "utredning", "samtal", "samverkan", "regelverk", "insatser", "uppfoljning",
          "forhallningssatt", "ebp", "risk_skydd", "placerade_barn"]  # fmt: skip


def person(id_, role="handlaggare", **kw) -> StaffMember:
    return StaffMember(f"Person {id_}", role, id_, employed_from=date(2020, 1, 1), **kw)


def everyone_assessed(people, level="grundlaggande"):
    return [Assessment(p.id, area, level, 1) for p in people for area in ELEVEN]


def test_questions_2_to_9_come_from_the_roster_on_the_reference_date():
    staff = [
        person(1, continuing_training=True, further_education=True, masters_degree=True),
        person(2, further_education=True),
        person(3, masters_degree=True),  # a master without vidareutbildning is not a varav of 3
        person(4, employed_until=date(2026, 6, 30), continuing_training=True),  # left before 31 Dec
        person(10, "arbetsledare", first_manager_job=True, needs_supervision_support=True,
               experience_from=date(2025, 1, 1), continuing_training=True),
        person(11, "arbetsledare", further_education=True, masters_degree=True, experience_from=date(2010, 1, 1)),
        person(20, "annan", continuing_training=True),
    ]  # fmt: skip
    s = sub.build(ROUND, CONTACT, staff, everyone_assessed(staff[:3]), [], [], {}, MODEL)
    values = {key: figure.value for key, figure in s.figures.items()}
    assert values == {
        "fraga_2": 1, "fraga_3": 2, "fraga_3_varav": 1, "fraga_4": 2, "fraga_5": 1, "fraga_6": 1,
        "fraga_7": 1, "fraga_8": 1, "fraga_9": 1, "fraga_9_varav": 1,
    }  # fmt: skip
    assert s.figures["fraga_3"].people == (1, 2)
    assert s.figures["fraga_7"].people == (10,)
    assert s.q1["utredning"] == {"grundlaggande": 3, "fordjupad": 0, "saknar": 0}
    assert s.source("fraga_3_varav") == sub.DERIVED and s.source("fraga_11") == sub.TYPED


def test_question_1_names_who_is_not_assessed():
    staff = [person(1), person(2), person(3)]
    assessments = everyone_assessed(staff[:2]) + [Assessment(3, "utredning", "saknar", 1)]
    s = sub.build(ROUND, CONTACT, staff, assessments, [], [], {}, MODEL)
    problems = [p for p in sub.check(s) if p.question == "fraga_1"]
    assert len(problems) == 10  # every area but utredning lacks person 3
    # The chef sees the names; the message itself (what exports print) holds counts only.
    assert all("1 av 3" in p.message and "Person 3" in p.shown() for p in problems)
    assert all("Person 3" not in p.message and p.names == ("Person 3",) for p in problems)
    assert s.q1_missing["utredning"] == () and s.q1_missing["samtal"] == (3,)


def complete_answers():
    return {
        "fraga_10": {"val": ["medarbetarsamtal"]},
        "fraga_11": {"svar": "ja_helt"},
        "fraga_12": {"val": ["egen_regi"]},
        "fraga_14": {"svar": "ja"},
        "fraga_15": {"svar": "nej"},
        "fraga_18": {"val": ["ingen"]},
        "fraga_20": {"svar": "nej"},
    }


def test_a_complete_submission_has_no_problems():
    staff = [person(1), person(2), person(10, "arbetsledare")]
    assessments = everyone_assessed(staff) + [
        Assessment(10, area, "fordjupad", 1) for area in ("ledarskap", "grupprocesser")
    ]
    built = sub.build(ROUND, CONTACT, staff, assessments, [], [], complete_answers(), MODEL)
    choices = [make_choice(row, row.suggestion.score) for need in built.needs.values() for row in need.rows]
    s = sub.build(ROUND, CONTACT, staff, assessments, choices, [], complete_answers(), MODEL)
    assert sub.check(s) == []
    assert s.source("fraga_13") == sub.CHOSEN


def test_unconfirmed_suggestions_warn_and_missing_scores_are_errors():
    staff = [person(1)]  # no team leader: nothing to suggest for question 19
    s = sub.build(ROUND, CONTACT, staff, everyone_assessed(staff), [], [], complete_answers(), MODEL)
    by_question = {}
    for p in sub.check(s):
        by_question.setdefault(p.question, []).append(p)
    assert [p.severity for p in by_question["fraga_13"]] == [sub.WARNING]
    assert by_question["fraga_19"][0].severity == sub.ERROR and "Ledarskap" in by_question["fraga_19"][0].message
    assert s.source("fraga_13") == sub.SUGGESTED
    assert not sub.has_errors(by_question["fraga_13"])


def test_contact_details_unanswered_questions_and_missing_texts_are_reported():
    staff = [person(1)]
    answers = {**complete_answers(), "fraga_11": {"svar": "nej"}}
    del answers["fraga_20"]
    s = sub.build(ROUND, MunicipalitySettings(kommun="Exempelby"), staff, everyone_assessed(staff), [], [], answers, MODEL)
    problems = sub.check(s)
    assert [p.question for p in problems][:3] == ["kontakt"] * 3
    assert any(p.question == "fraga_11" and p.severity == sub.WARNING for p in problems)
    assert any(p.question == "fraga_20" and "inte besvarad" in p.message for p in problems)
    assert [p.question for p in problems] == sorted((p.question for p in problems), key=lambda q: sub._order(sub.Problem("fel", q, "")))


def test_an_annat_row_without_a_score_is_an_error():
    staff = [person(1)]
    other = make_other("handlaggare", 1, "Hedersrelaterat våld", None)
    s = sub.build(ROUND, CONTACT, staff, everyone_assessed(staff), [], [other], complete_answers(), MODEL)
    assert any("Hedersrelaterat våld" in p.message for p in sub.check(s) if p.question == "fraga_13")


# --- through the store ----------------------------------------------------------------------


def test_needs_and_answers_are_stored_per_round_and_go_with_it(demo_db):
    ws = Workspace.open(demo_db)
    round_ = ws.round_for_year(2026)
    rows = ws.need_rows(round_, MODEL)["arbetsledare"]
    assert {r.status for r in rows} == {"förslag"}
    ws.save_need_choices(round_.id, [make_choice(rows[0], 5, "Ny chefsgrupp")])
    (stored,) = [c for c in ws.need_choices(round_.id) if c.group == "arbetsledare"]
    assert (stored.area, stored.score, stored.reason) == ("ledarskap", 5, "Ny chefsgrupp")
    ws.save_need_choices(round_.id, [], clears=[("arbetsledare", "ledarskap")])
    assert not [c for c in ws.need_choices(round_.id) if c.group == "arbetsledare"]

    ws.save_need_others(round_.id, "arbetsledare", [make_other("arbetsledare", 1, "Arbetsmiljö", 3)])
    assert [o.label for o in ws.need_others(round_.id) if o.group == "arbetsledare"] == ["Arbetsmiljö"]

    stored_answers = ws.save_answers(round_.id, {"fraga_15": {"svar": "nej"}, "fraga_16": {"svar": "arligen"}})
    assert stored_answers["fraga_16"] == {"svar": None}
    assert ws.answers(round_.id)["fraga_15"] == {"svar": "nej"}
    assert ws.answers(round_.id)["fraga_10"]["val"]  # the demo's earlier answers are kept

    with pytest.raises(AnswerError):
        ws.save_answers(round_.id, {"fraga_20": {"svar": "kanske"}, "fraga_17": {"svar": "ja"}})
    assert ws.answers(round_.id)["fraga_20"] == {"svar": None, "annat_satt": None}  # nothing written

    conn = sqlite3.connect(demo_db)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("DELETE FROM inventory_round WHERE id = ?", (round_.id,))
    conn.commit()
    for table in ("need_score", "need_other", "form_answer"):
        assert conn.execute(f"SELECT count(*) FROM {table} WHERE round_id = ?", (round_.id,)).fetchone() == (0,)
    conn.close()


def test_the_schema_refuses_impossible_scores(demo_db):
    conn = sqlite3.connect(demo_db)
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO need_score (round_id, grp, area, score) VALUES (1, 'handlaggare', 'ebp', 6)")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO need_score (round_id, grp, area, score) VALUES (1, 'chefer', 'ebp', 3)")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO need_other (round_id, grp, position, label, score) VALUES (1, 'handlaggare', 5, 'x', 3)")
    conn.close()


def test_the_demo_years_submissions(demo_db):
    ws = Workspace.open(demo_db)
    last_year = ws.submission(2025, MODEL)
    assert sub.check(last_year) == []
    this_year = sub.check(ws.submission(2026, MODEL))
    assert {p.question for p in this_year} >= {"fraga_1", "fraga_15", "fraga_19"}
    missing_year = sub.check(ws.submission(2031, MODEL))
    assert missing_year[0].question == "omgang"


def test_counting_a_round_uses_the_covering_index(demo_db):
    conn = sqlite3.connect(demo_db)
    plan = conn.execute(
        "EXPLAIN QUERY PLAN SELECT level, carried_over FROM assessment WHERE round_id = 1 AND staff_id = 2"
    ).fetchall()
    conn.close()
    assert any("COVERING INDEX ix_assessment_round_cover" in row[-1] for row in plan), plan


# --- boundaries and checks that only a hand-built submission reaches (issue 13) -------------

from dataclasses import replace  # noqa: E402

from bouv_tui.domain.needs import OtherNeed  # noqa: E402


def test_question_7_counts_a_leader_at_2_years_364_days_and_not_one_at_exactly_3_years():
    # The round's reference date is 2026-12-31: 2024-01-01 is 2 years 364 days before it,
    # 2023-12-31 exactly 3 years.
    staff = [
        person(10, "arbetsledare", experience_from=date(2024, 1, 1)),
        person(11, "arbetsledare", experience_from=date(2023, 12, 31)),
        person(12, "arbetsledare", experience_from=date(2026, 12, 31)),  # started on the day: 0 years
    ]
    s = sub.build(ROUND, CONTACT, staff, [], [], [], {}, MODEL)
    assert s.figures["fraga_7"] == sub.Figure(2, (10, 12))


@pytest.mark.parametrize(
    ("on", "exactly_three", "a_day_short"),
    [
        (date(2027, 12, 31), date(2024, 12, 31), date(2025, 1, 1)),  # no 29 February between
        (date(2026, 12, 31), date(2023, 12, 31), date(2024, 1, 1)),  # one between
        (date(2028, 2, 29), date(2025, 2, 28), date(2025, 3, 1)),  # from a 29 February
    ],
)
def test_question_7_counts_calendar_years_so_exactly_three_is_never_less_than_three(on, exactly_three, a_day_short):
    leaders = [
        person(20, "arbetsledare", experience_from=exactly_three),
        person(21, "arbetsledare", experience_from=a_day_short),
        person(22, "arbetsledare", experience_from=None),  # unknown: not counted
        person(23, "arbetsledare", experience_from=on),  # started on the day
    ]
    figures = sub.derived_figures([], leaders, on)
    assert figures["fraga_7"] == sub.Figure(2, (21, 23))
    assert figures["fraga_4"].value == 4


def test_years_before_keeps_the_day_and_moves_29_february_to_the_28th():
    from bouv_tui.domain.roster import years_before

    assert years_before(date(2027, 12, 31), 3) == date(2024, 12, 31)
    assert years_before(date(2028, 2, 29), 3) == date(2025, 2, 28)
    assert years_before(date(2028, 2, 29), 4) == date(2024, 2, 29)


def test_a_problems_names_are_listed_up_to_eight_and_then_counted():
    names = tuple(f"P{i}" for i in range(1, 10))
    assert sub.Problem(sub.ERROR, "fraga_1", "Saknas.", names[:8]).shown() == "Saknas (P1, P2, P3, P4, P5, P6, P7, P8)."
    assert sub.Problem(sub.ERROR, "fraga_1", "Saknas.", names).shown() == (
        "Saknas (P1, P2, P3, P4, P5, P6, P7, P8 och 1 till)."
    )
    assert sub.Problem(sub.ERROR, "fraga_1", "Saknas.", names[:1]).shown() == "Saknas (P1)."
    assert sub.Problem(sub.ERROR, "fraga_1", "Saknas.").shown() == "Saknas."


def test_no_round_comes_before_missing_contact_details_and_both_before_the_questions():
    staff = [person(1)]
    s = sub.build(ROUND, MunicipalitySettings(), staff, [], [], [], {}, MODEL, round_saved=False)
    questions = [p.question for p in sub.check(s)]
    assert questions[:5] == ["omgang", "kontakt", "kontakt", "kontakt", "kontakt"]
    assert questions[5] == "fraga_1" and "kontakt" not in questions[5:] and "omgang" not in questions[5:]


def test_problems_come_in_question_number_order():
    order = [sub._order(sub.Problem(sub.ERROR, q, "")) for q in ("omgang", "kontakt", "fraga_1", "fraga_9", "fraga_13", "fraga_20")]
    assert order == sorted(order) and len(set(order)) == len(order)


def test_an_annat_row_without_a_label_is_an_error():
    # make_other refuses an empty label; a row stored by an older version, or read back from the
    # database by hand, can still have one.
    staff = [person(1)]
    others = [OtherNeed("handlaggare", 2, "", 3), OtherNeed("handlaggare", 1, "Hedersrelaterat våld", 4)]
    s = sub.build(ROUND, CONTACT, staff, everyone_assessed(staff), [], others, complete_answers(), MODEL)
    problems = [p for p in sub.check(s) if p.question == "fraga_13" and p.severity == sub.ERROR]
    assert [p.message for p in problems] == ["Raden ”Annat” 2 saknar område."]


def _with_figures(**values) -> sub.Submission:
    staff = [person(1), person(10, "arbetsledare")]
    s = sub.build(ROUND, CONTACT, staff, everyone_assessed(staff), [], [], complete_answers(), MODEL)
    figures = {key: sub.Figure(0) for key in s.figures}
    figures.update({key: sub.Figure(value) for key, value in values.items()})
    return replace(s, figures=figures)


def _figure_problems(s: sub.Submission) -> list[tuple[str, str]]:
    return [(p.question, p.message) for p in sub.check(s) if sub.question_number(p.question) in range(2, 10)]


@pytest.mark.parametrize("total, part", [("fraga_3", "fraga_3_varav"), ("fraga_9", "fraga_9_varav")])
def test_a_varav_larger_than_its_total_is_an_error_and_an_equal_one_is_not(total, part):
    four = {"fraga_4": 5}  # question 9 is also checked against question 4
    assert _figure_problems(_with_figures(**four, **{total: 3, part: 3})) == []
    assert _figure_problems(_with_figures(**four, **{total: 3, part: 4})) == [
        (total, "Varav-uppgiften är större än totalen.")
    ]


@pytest.mark.parametrize("key", ["fraga_5", "fraga_6", "fraga_7", "fraga_8", "fraga_9"])
def test_a_figure_larger_than_question_4_is_an_error_and_an_equal_one_is_not(key):
    assert _figure_problems(_with_figures(fraga_4=2, **{key: 2})) == []
    assert _figure_problems(_with_figures(fraga_4=2, **{key: 3})) == [
        (key, "Uppgiften är större än antalet arbetsledare (fråga 4).")
    ]


def test_an_empty_municipality_gets_every_problem_in_these_words_and_this_order():
    """What a chef reads first: the contact fields one by one, then question 1, then each
    question in its number order (mutation survivors: the labels, the joins, the ranks)."""
    s = sub.build(ROUND, MunicipalitySettings(), [], [], [], [], {}, MODEL)
    contact = [
        f"Kontaktuppgifterna saknar {what} (ändras under Inställningar)."
        for what in ("kommunens namn", "uppgiftslämnarens namn", "e-post", "telefon")
    ]
    caseworker_areas = (
        "Barns och ungas utveckling och behov, Utredning, Samtal och relationer, Samverkan, "
        "Regelverk och rättslig utveckling, Insatser, Uppföljning och utvärdering, "
        "Förhållningssätt och bemötande, Evidensbaserad praktik, Risk- och skyddsfaktorer, Placerade barn"
    )
    unanswered = "Frågan är inte besvarad."
    assert [(p.severity, p.question, p.message) for p in sub.check(s)] == [
        *((sub.ERROR, "kontakt", text) for text in contact),
        (sub.ERROR, "fraga_1", "Inga handläggare är anställda på inventeringens referensdatum."),
        (sub.ERROR, "fraga_10", unanswered),
        (sub.ERROR, "fraga_11", unanswered),
        (sub.ERROR, "fraga_12", unanswered),
        (sub.ERROR, "fraga_13", f"Behov saknas för {caseworker_areas}."),
        (sub.ERROR, "fraga_14", unanswered),
        (sub.ERROR, "fraga_15", unanswered),
        (sub.ERROR, "fraga_16", unanswered),
        (sub.ERROR, "fraga_17", unanswered),
        (sub.ERROR, "fraga_18", unanswered),
        (sub.ERROR, "fraga_19", f"Behov saknas för Ledarskap, Grupprocesser, {caseworker_areas}."),
        (sub.ERROR, "fraga_20", unanswered),
    ]


def test_where_each_answer_comes_from_at_the_edges_of_the_derived_questions():
    staff = [person(1), person(10, "arbetsledare")]
    assessments = everyone_assessed(staff) + [Assessment(10, a, "fordjupad", 1) for a in ("ledarskap", "grupprocesser")]
    s = sub.build(ROUND, CONTACT, staff, assessments, [], [], complete_answers(), MODEL)
    assert s.source("fraga_9") == sub.DERIVED and s.source("fraga_9_varav") == sub.DERIVED
    assert s.source("fraga_10") == sub.TYPED and s.source("kontakt") == sub.TYPED
    # Question 13 follows the caseworkers' scores and 19 the team leaders', each on its own.
    leaders = [make_choice(row, row.suggestion.score) for row in s.needs["arbetsledare"].rows]
    s = sub.build(ROUND, CONTACT, staff, assessments, leaders, [], complete_answers(), MODEL)
    assert (s.source("fraga_13"), s.source("fraga_19")) == (sub.SUGGESTED, sub.CHOSEN)


def test_problem_severities_and_the_words_of_a_missing_text():
    staff = [person(1)]
    answers = {**complete_answers(), "fraga_11": {"svar": "nej"}}
    s = sub.build(ROUND, CONTACT, staff, everyone_assessed(staff), [], [], answers, MODEL)
    text = next(p for p in sub.check(s) if p.question == "fraga_11")
    assert text.severity == sub.WARNING and text.message.startswith("”") and text.message.endswith("” är inte ifyllt.")
    other = make_other("handlaggare", 1, "Hedersrelaterat våld", None)
    s = sub.build(ROUND, CONTACT, staff, everyone_assessed(staff), [], [other], complete_answers(), MODEL)
    missing = [p for p in sub.check(s) if "Hedersrelaterat våld" in p.message]
    assert [(p.severity, p.message) for p in missing] == [(sub.ERROR, "”Hedersrelaterat våld” saknar behov.")]


def test_figure_problems_are_errors():
    varav = [p for p in sub.check(_with_figures(fraga_4=5, fraga_3=3, fraga_3_varav=4)) if p.question == "fraga_3"]
    over = [p for p in sub.check(_with_figures(fraga_4=2, fraga_5=3)) if p.question == "fraga_5"]
    assert [p.severity for p in varav + over] == [sub.ERROR, sub.ERROR]


def test_a_person_missing_from_the_names_is_shown_as_a_question_mark():
    staff = [person(1), person(2)]
    s = sub.build(ROUND, CONTACT, staff, everyone_assessed(staff[:1]), [], [], {}, MODEL)
    s = replace(s, names={1: "Person 1"})  # person 2's name is not at hand
    names = {p.names for p in sub.check(s) if p.question == "fraga_1" and p.names}
    assert names == {("?",)}


def test_a_problem_of_a_key_without_a_number_comes_after_every_question():
    keys = ["fraga_21", "annat", "fraga_1"]
    ordered = sorted((sub.Problem(sub.ERROR, k, "") for k in keys), key=sub._order)
    assert [p.question for p in ordered] == ["fraga_1", "fraga_21", "annat"]


def test_question_21s_trainings_without_provider_type_or_extent_are_warned_about_once():
    from dataclasses import replace

    from bouv_tui.domain.plan import Q21Row

    staff = [person(1)]
    built = sub.build(ROUND, CONTACT, staff, everyone_assessed(staff), [], [], complete_answers(), MODEL)
    rows = (
        Q21Row("utredning", None, "Utan typ", 1, (), "X", None, 3.0, "dagar"),
        Q21Row("ebp", None, "Utan typ", 1, (), "X", None, 3.0, "dagar"),  # the same training, another area
        Q21Row("samtal", None, "Utan omfattning", 1, (), "X", "fou", None, None),
        Q21Row(None, "Annat", "Utan båda", 1, (), "", None, None, None),
        Q21Row("samtal", None, "Komplett", 1, (), "X", "fou", 1.0, "dagar"),
    )
    found = [(p.severity, p.question, p.message) for p in sub.check(replace(built, q21=rows)) if p.question == "fraga_21"]
    assert found == [
        (sub.WARNING, "fraga_21", "”Utan typ” saknar anordnartyp (utbildningsplanen, F8)."),
        (sub.WARNING, "fraga_21", "”Utan omfattning” saknar omfattning (utbildningsplanen, F8)."),
        (sub.WARNING, "fraga_21", "”Utan båda” saknar anordnartyp och omfattning (utbildningsplanen, F8)."),
    ]
    assert not [p for p in sub.check(built) if p.question == "fraga_21"]

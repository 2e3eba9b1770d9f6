"""What-if (``domain.budget_whatif``, issue 15): what a scenario switches off and what it
cannot, the amounts it changes, its hypothetical trainings, the panel's lines, and its JSON
read back with every wrong field refused by name."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bouv_tui.domain import budget as b
from bouv_tui.domain import budget_whatif as w
from bouv_tui.domain.budget import Expense
from bouv_tui.domain.budget_whatif import HypotheticalTraining, Scenario

DAY = date(2026, 9, 14)
LINES = [
    Expense(DAY, 30_000, "utbildningsplatser", 1, b.PLANNED, 7, origin=b.SEATS, id=1),
    Expense(DAY, 8_000, "vikarier", 1, b.PLANNED, 7, origin=b.COVER, id=2),
    Expense(DAY, 5_000, "utbildningsplatser", 1, b.COMMITTED, 7, origin=b.FIXED, id=3),
    Expense(date(2026, 10, 1), 12_000, "stod_handledning", 1, b.PLANNED, note="Handledning", id=4),
    Expense(date(2026, 6, 1), 9_000, "resor", 1, b.PAID, id=5),
    Expense(date(2026, 11, 2), 4_000, "kurslitteratur", 2, b.COMMITTED, id=6),
]
EMPTY = Scenario("Tom", 2026)
TRAINING = HypotheticalTraining("MI grund", date(2026, 10, 5), 60_000, "utbildningsplatser", 1)


def ids(lines):
    return [e.id for e in lines]


def test_an_empty_scenario_changes_nothing():
    assert EMPTY.is_empty and w.apply_scenario(LINES, EMPTY) == LINES
    assert w.describe_scenario(EMPTY, LINES) == ["Inga ändringar."]


def test_switching_an_occasion_off_drops_its_planned_lines_but_not_the_committed():
    off = EMPTY.toggle_occasion(7)
    assert not off.is_empty and ids(w.apply_scenario(LINES, off)) == [3, 4, 5, 6]
    assert w.describe_scenario(off, LINES, {7: "Barnsamtal 14 september"}) == [
        "Avstängt: Barnsamtal 14 september, 2 planerade rader, 38\u00a0000\u00a0kr."
    ]
    assert w.describe_scenario(off, LINES) == ["Avstängt: tillfälle 7, 2 planerade rader, 38\u00a0000\u00a0kr."]
    assert off.toggle_occasion(7) == EMPTY  # on again


def test_switching_lines_off_takes_only_planned_ones():
    off = EMPTY.toggle_expense(4).toggle_expense(3).toggle_expense(5).toggle_expense(99)
    assert ids(w.apply_scenario(LINES, off)) == [1, 2, 3, 5, 6]
    assert w.describe_scenario(off, LINES) == [
        "Utbildningsplatser 14 september 2026 är åtagen och kan inte stängas av.",
        "Avstängd: Handledning (stöd och handledning) 1 oktober 2026, 12\u00a0000\u00a0kr.",
        "Resor 1 juni 2026 är betald och kan inte stängas av.",
        "Rad 99 finns inte längre.",
    ]
    one = EMPTY.toggle_occasion(7).toggle_expense(1)  # a line of an occasion switched off already
    assert ids(w.apply_scenario(LINES, one)) == [3, 4, 5, 6]
    assert w.describe_scenario(one, LINES) == ["Avstängt: tillfälle 7, 2 planerade rader, 38\u00a0000\u00a0kr."]
    single = [e for e in LINES if e.id != 2]
    assert w.describe_scenario(EMPTY.toggle_occasion(7), single)[0] == (
        "Avstängt: tillfälle 7, 1 planerad rad, 30\u00a0000\u00a0kr."
    )
    assert w.describe_scenario(EMPTY.toggle_occasion(7).toggle_occasion(6), LINES, {6: "kursen i maj"}) == [
        "Kursen i maj har inga planerade rader att stänga av.",
        "Avstängt: tillfälle 7, 2 planerade rader, 38\u00a0000\u00a0kr.",
    ]


def test_a_line_without_an_id_is_never_switched_off_by_an_id():
    lines = [Expense(DAY, 1, "resor", 1, b.PLANNED), Expense(DAY, 2, "resor", 1, b.PLANNED, None)]
    assert w.apply_scenario(lines, EMPTY.toggle_occasion(0).toggle_expense(0).with_amount(0, 5)) == lines


def test_a_new_amount_goes_on_planned_and_committed_lines_not_on_paid_ones():
    changed = EMPTY.with_amount(1, 35_000).with_amount(3, 0).with_amount(5, 1).with_amount(98, 7)
    after = w.apply_scenario(LINES, changed)
    assert [e.amount for e in after] == [35_000, 8_000, 0, 12_000, 9_000, 4_000]
    assert LINES[0].amount == 30_000  # the real line is not changed
    assert w.describe_scenario(changed, LINES) == [
        "Nytt belopp: Utbildningsplatser 14 september 2026, 30\u00a0000\u00a0kr blir 35\u00a0000\u00a0kr.",
        "Nytt belopp: Utbildningsplatser 14 september 2026, 5\u00a0000\u00a0kr blir 0\u00a0kr.",
        "Resor 1 juni 2026 är betald: beloppet 9\u00a0000\u00a0kr ändras inte.",
        "Rad 98 finns inte längre.",
    ]
    assert changed.with_amount(1, None).with_amount(3, None).with_amount(5, None).with_amount(98, None) == EMPTY
    # A line switched off is not also said to get a new amount.
    assert w.describe_scenario(EMPTY.toggle_expense(4).with_amount(4, 1), LINES) == [
        "Avstängd: Handledning (stöd och handledning) 1 oktober 2026, 12\u00a0000\u00a0kr."
    ]


def test_a_hypothetical_training_is_a_planned_line_with_no_id_after_the_real_ones():
    added = EMPTY.with_training(TRAINING).with_training(TRAINING)
    after = w.apply_scenario(LINES, added)
    assert after[:6] == LINES and len(after) == 8
    assert after[6] == Expense(date(2026, 10, 5), 60_000, "utbildningsplatser", 1, b.PLANNED, None, note="MI grund",
                               origin=b.HYPOTHETICAL)  # fmt: skip
    assert w.describe_scenario(EMPTY.with_training(TRAINING), LINES) == [
        "Tänkt utbildning: MI grund (utbildningsplatser) 5 oktober 2026, 60\u00a0000\u00a0kr."
    ]
    assert added.without_training(0).without_training(0) == EMPTY
    other = HypotheticalTraining("B", DAY, 1, "resor", None)
    assert EMPTY.with_training(TRAINING).with_training(other).without_training(0).trainings == (other,)
    assert EMPTY.with_training(TRAINING).with_training(other).without_training(1).trainings == (TRAINING,)


def test_the_what_if_moves_the_figures_and_the_forecast():
    source = b.FundingSource("G", b.GRANT, 2026, paid_out=100_000, use_from=date(2026, 1, 1),
                             use_until=date(2026, 12, 31), id=1)  # fmt: skip
    settings = b.BudgetSettings()
    before = b.forecast(b.figures(source, LINES), LINES, date(2026, 6, 1), settings)
    lines = w.apply_scenario(LINES, EMPTY.toggle_occasion(7).with_training(TRAINING))
    after = b.forecast(b.figures(source, lines), lines, date(2026, 6, 1), settings)
    assert (before.planned, after.planned) == (50_000, 72_000)
    # The hypothetical line is not a recurring one: the pace is not lowered by it.
    assert before.pace == after.pace


# --- JSON ---


def full():
    return Scenario("Utan höstens kurs", 2026, frozenset({4, 1}), frozenset({7}), {3: 0, 1: 35_000},
                    (TRAINING, HypotheticalTraining("Egen", DAY, 1, "resor", None)))  # fmt: skip


def test_a_scenario_is_read_back_as_it_was_written():
    text = w.scenario_to_json(full())
    assert json.loads(text) == {
        "format": "bouv-tui/scenario", "format_version": 1, "namn": "Utan höstens kurs", "ar": 2026,
        "avstangda_rader": [1, 4], "avstangda_tillfallen": [7], "nya_belopp": {"1": 35_000, "3": 0},
        "tankta_utbildningar": [
            {"namn": "MI grund", "datum": "2026-10-05", "belopp": 60_000, "kostnadstyp": "utbildningsplatser", "kalla": 1},
            {"namn": "Egen", "datum": "2026-09-14", "belopp": 1, "kostnadstyp": "resor", "kalla": None},
        ],
    }  # fmt: skip
    assert "höstens" in text  # not escaped
    assert w.scenario_from_json(text) == full()
    assert w.scenario_from_json(w.scenario_to_json(EMPTY)) == EMPTY


def test_only_the_name_and_year_are_needed_and_a_name_is_trimmed():
    body = {"format": "bouv-tui/scenario", "format_version": 1, "namn": "  A ", "ar": 2000}
    assert w.scenario_from_json(json.dumps(body)) == Scenario("A", 2000)
    body["ar"] = 2100
    assert w.scenario_from_json(json.dumps(body)).year == 2100


def body_with(**changes):
    body = json.loads(w.scenario_to_json(full()))
    for key, value in changes.items():
        if value is None:
            del body[key]
        else:
            body[key] = value
    return json.dumps(body)


def training_with(**changes):
    body = json.loads(w.scenario_to_json(full()))
    item = body["tankta_utbildningar"][1]
    for key, value in changes.items():
        if value is ...:
            del item[key]
        else:
            item[key] = value
    return json.dumps(body)


@pytest.mark.parametrize(
    "text, message",
    [
        ("{", "Scenariot är inte giltig JSON (rad 1, kolumn 2)."),
        ("[]", "Scenariot ska vara ett JSON-objekt."),
        (body_with(extra=1), "Okänd nyckel i scenariot: 'extra'."),
        (body_with(format="bouv-tui/annat"), "format: ska vara 'bouv-tui/scenario', inte 'bouv-tui/annat'."),
        (body_with(format=None), "format: ska vara 'bouv-tui/scenario', inte None."),
        (body_with(format_version=2), "format_version: 2 stöds inte (bara 1)."),
        (body_with(format_version=True), "format_version: True stöds inte (bara 1)."),
        (body_with(format_version=1.0), "format_version: 1.0 stöds inte (bara 1)."),
        (body_with(namn=" "), "namn: ska vara en text som inte är tom."),
        (body_with(namn=3), "namn: ska vara en text som inte är tom."),
        (body_with(namn=None), "namn: ska vara en text som inte är tom."),
        (body_with(ar=1999), "ar: ska vara ett år 2000–2100, inte 1999."),
        (body_with(ar=2101), "ar: ska vara ett år 2000–2100, inte 2101."),
        (body_with(ar="2026"), "ar: ska vara ett år 2000–2100, inte '2026'."),
        (body_with(ar=True), "ar: ska vara ett år 2000–2100, inte True."),
        (body_with(avstangda_rader=[0]), "avstangda_rader: ska vara en lista med radnummer (heltal från 1)."),
        (body_with(avstangda_rader=[True]), "avstangda_rader: ska vara en lista med radnummer (heltal från 1)."),
        (body_with(avstangda_rader="1"), "avstangda_rader: ska vara en lista med radnummer (heltal från 1)."),
        (body_with(avstangda_rader=[2, 1, 2]), "avstangda_rader: 2 står mer än en gång."),
        (body_with(avstangda_tillfallen=[1.5]),
         "avstangda_tillfallen: ska vara en lista med tillfällesnummer (heltal från 1)."),
        (body_with(nya_belopp=[]), "nya_belopp: ska vara ett objekt med belopp per radnummer."),
        (body_with(nya_belopp={"x": 1}), "nya_belopp: 'x' är inget radnummer (heltal från 1)."),
        (body_with(nya_belopp={"0": 1}), "nya_belopp: '0' är inget radnummer (heltal från 1)."),
        (body_with(nya_belopp={"01": 1}), "nya_belopp: '01' är inget radnummer (heltal från 1)."),
        (body_with(nya_belopp={"١": 1}), "nya_belopp: '١' är inget radnummer (heltal från 1)."),
        (body_with(nya_belopp={"1": -1}), "nya_belopp 1: ska vara ett belopp i hela kronor, 0 eller mer, inte -1."),
        (body_with(nya_belopp={"1": 2.5}), "nya_belopp 1: ska vara ett belopp i hela kronor, 0 eller mer, inte 2.5."),
        (body_with(nya_belopp={"1": False}),
         "nya_belopp 1: ska vara ett belopp i hela kronor, 0 eller mer, inte False."),
        (body_with(tankta_utbildningar={}), "tankta_utbildningar: ska vara en lista."),
        (body_with(tankta_utbildningar=[1]), "tankta_utbildningar nr 1: ska vara ett objekt."),
        (training_with(plats="x"), "tankta_utbildningar nr 2: okänd nyckel 'plats'."),
        (training_with(datum=...), "tankta_utbildningar nr 2: datum saknas."),
        (training_with(namn=...), "tankta_utbildningar nr 2: namn saknas."),
        (training_with(belopp=...), "tankta_utbildningar nr 2: belopp saknas."),
        (training_with(kostnadstyp=...), "tankta_utbildningar nr 2: kostnadstyp saknas."),
        (training_with(namn=""), "tankta_utbildningar nr 2, namn: ska vara en text som inte är tom."),
        (training_with(namn=None), "tankta_utbildningar nr 2, namn: ska vara en text som inte är tom."),
        (training_with(datum="2026-02-30"), "tankta_utbildningar nr 2, datum: ska vara ett datum ÅÅÅÅ-MM-DD, inte '2026-02-30'."),
        (training_with(datum="20260914"), "tankta_utbildningar nr 2, datum: ska vara ett datum ÅÅÅÅ-MM-DD, inte '20260914'."),
        (training_with(datum=20260914), "tankta_utbildningar nr 2, datum: ska vara ett datum ÅÅÅÅ-MM-DD, inte 20260914."),
        (training_with(belopp=0), "tankta_utbildningar nr 2, belopp: ska vara ett belopp i hela kronor, minst 1, inte 0."),
        (training_with(belopp="5"), "tankta_utbildningar nr 2, belopp: ska vara ett belopp i hela kronor, minst 1, inte '5'."),
        (training_with(belopp=True), "tankta_utbildningar nr 2, belopp: ska vara ett belopp i hela kronor, minst 1, inte True."),
        (training_with(kostnadstyp="mat"),
         "tankta_utbildningar nr 2, kostnadstyp: 'mat' finns inte (en av utbildningsplatser, stod_handledning, "
         "vikarier, kurslitteratur, resor, administration)."),
        (training_with(kalla=0), "tankta_utbildningar nr 2, kalla: ska vara en källas nummer (heltal från 1) eller null, inte 0."),
        (training_with(kalla="1"), "tankta_utbildningar nr 2, kalla: ska vara en källas nummer (heltal från 1) eller null, inte '1'."),
        (training_with(kalla=False), "tankta_utbildningar nr 2, kalla: ska vara en källas nummer (heltal från 1) eller null, inte False."),
    ],
)  # fmt: skip
def test_a_wrong_body_is_refused_naming_the_field(text, message):
    with pytest.raises(ValueError) as raised:
        w.scenario_from_json(text)
    assert str(raised.value) == message


def test_the_edge_values_a_body_may_hold():
    found = w.scenario_from_json(training_with(belopp=1, kalla=1, datum="2026-02-28"))
    assert found.trainings[1] == HypotheticalTraining("Egen", date(2026, 2, 28), 1, "resor", 1)
    assert w.scenario_from_json(training_with(kalla=...)).trainings[1].source_id is None
    kept = w.scenario_from_json(body_with(avstangda_rader=[1], avstangda_tillfallen=[], nya_belopp={"10": 0}))
    assert (kept.off_expenses, kept.off_occasions, kept.amounts) == (frozenset({1}), frozenset(), {10: 0})


def test_folding_sums_paid_lines_of_one_day_and_kind_and_keeps_the_rest():
    d = date(2026, 3, 1)
    lines = [
        Expense(d, 2, "resor", 1, b.COMMITTED, id=9),  # the lines not paid are kept, wherever they stand
        Expense(d, 100, "resor", 1, b.PAID, id=1),
        Expense(d, 50, "resor", 1, b.PAID, id=2),
        Expense(d, 7, "resor", 1, b.PAID, occasion_id=4, id=3),  # tied to an occasion: not recurring
        Expense(d, 9, "resor", 2, b.PAID, id=4),
        Expense(date(2026, 3, 2), 1, "resor", 1, b.PAID, id=5),
        Expense(d, 3, "vikarier", 1, b.PAID, id=6),
        Expense(d, 5, "resor", 1, b.PAID, origin=b.FIXED, id=8),  # an occasion's line, its occasion deleted
        Expense(d, 11, "resor", 1, b.PLANNED, id=7),
    ]
    folded = w.fold_paid(lines)
    assert folded[:2] == [lines[0], lines[-1]]
    assert sorted((e.source_id, e.cost_type, e.day, e.amount, e.occasion_id) for e in folded[2:]) == [
        (1, "resor", d, 12, 0), (1, "resor", d, 150, None), (1, "resor", date(2026, 3, 2), 1, None),
        (1, "vikarier", d, 3, None), (2, "resor", d, 9, None),
    ]
    assert all(e.status == b.PAID and e.id is None and e.origin is None for e in folded[2:])

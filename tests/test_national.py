"""The national 2013 baseline: shares from counts, not from the printed percent."""

from __future__ import annotations

import pytest

from bouv_tui.domain import catalog, national

CW_AREAS = catalog.CASEWORKER_AREAS.codes()
LEVELS = catalog.LEVELS.codes()


def test_table_3_has_every_caseworker_area_and_only_those():
    assert national.competence_areas() == CW_AREAS


def test_table_3_counts_add_up_to_the_total():
    """Checked against the data (2013 report, table 3): every area adds up. Should a new
    file not, the message names the areas and both figures instead of a bare failure."""
    wrong = national.inconsistent_areas()
    assert wrong == {}, "Tabell 3: antalen summerar inte till totalt för " + ", ".join(
        f"{area} ({got} ≠ {total})" for area, (got, total) in wrong.items()
    )
    for area in CW_AREAS:
        profile = national.caseworker_profile(area)
        assert profile.assessed == profile.expected and profile.missing == 0


def test_inconsistent_areas_reports_a_row_that_does_not_add_up(monkeypatch):
    rows = {
        "ebp": {"grundlaggande": {"antal": 1}, "fordjupad": {"antal": 2}, "saknar": {"antal": 3}, "totalt": 7},
        "samtal": {"grundlaggande": {"antal": 1}, "fordjupad": {"antal": 2}, "saknar": {"antal": 3}, "totalt": 6},
    }
    monkeypatch.setattr(national, "_competence_rows", lambda: rows)
    assert national.inconsistent_areas() == {"ebp": (6, 7)}


def test_samverkan_profile_is_the_report_counts():
    profile = national.caseworker_profile("samverkan")
    assert profile.counts == {"grundlaggande": 3172, "fordjupad": 1347, "saknar": 502}
    assert profile.expected == 5021
    assert profile.share_lacking == pytest.approx(502 / 5021)


def test_share_lacking_is_computed_from_counts_not_the_truncated_print():
    # The report prints 9,9 % for 502 of 5 021 (= 9,998 %): truncated, a rounding would say 10,0 %.
    share = national.share_lacking("samverkan")
    assert share == 502 / 5021
    assert national.printed_percent("samverkan", "saknar") == 9.9
    assert round(share * 100, 1) == 10.0
    assert share * 100 - 9.9 > 0.09


def test_share_advanced_is_computed_from_counts_where_the_report_truncates():
    # barns_utveckling: 1 542 of 5 113 = 30,158 %, printed 30,1 %.
    share = national.share_advanced("barns_utveckling")
    assert share == 1542 / 5113
    assert national.printed_percent("barns_utveckling", "fordjupad") == 30.1
    assert round(share * 100, 1) == 30.2


@pytest.mark.parametrize("area", CW_AREAS)
def test_every_printed_percent_is_within_a_tenth_of_the_computed_share(area):
    """The printed figures are only one decimal of the same counts (truncated or rounded)."""
    profile = national.caseworker_profile(area)
    for level in LEVELS:
        computed = 100 * profile.counts[level] / profile.expected
        assert abs(computed - national.printed_percent(area, level)) < 0.1


def test_ebp_has_the_highest_national_share_lacking():
    """The report's finding: evidence-based practice is where most lack competence (28,3 %)."""
    shares = {area: national.share_lacking(area) for area in CW_AREAS}
    assert max(shares, key=shares.get) == "ebp"
    assert shares["ebp"] == pytest.approx(1364 / 4816)


@pytest.mark.parametrize("area", ["ledarskap", "grupprocesser", "okänt"])
def test_no_national_competence_figures_for_team_leader_areas(area):
    assert national.caseworker_profile(area) is None
    assert national.share_lacking(area) is None
    assert national.share_advanced(area) is None


@pytest.mark.parametrize(
    ("group", "areas"),
    [("handlaggare", CW_AREAS), ("arbetsledare", catalog.AREAS.codes())],
)
def test_need_distribution_sums_to_one_and_mean_matches_the_report(group, areas):
    raw = national.data()[national.NEED_TABLES[group]]
    for area in areas:
        shares, mean = national.need_distribution(area, group)
        assert sorted(shares) == [1, 2, 3, 4, 5]
        assert sum(shares.values()) == pytest.approx(1, abs=0.002)  # printed percents, rounded
        assert mean == raw[area]["medel"]
        # The published mean is the distribution's mean to one decimal.
        assert abs(sum(score * share for score, share in shares.items()) - mean) <= 0.06


def test_need_distribution_values_are_fractions():
    shares, mean = national.need_distribution("ebp", "handlaggare")
    assert shares[4] == pytest.approx(0.396)
    assert mean == 3.6
    _, leaders_mean = national.need_distribution("ledarskap", "arbetsledare")
    assert leaders_mean == 2.9


def test_need_distribution_is_none_for_a_missing_area():
    assert national.need_distribution("ledarskap", "handlaggare") is None
    assert national.need_distribution("okänt", "arbetsledare") is None


def test_need_distribution_refuses_an_unknown_group():
    with pytest.raises(ValueError, match="okänd grupp för behovstabellerna: chefer"):
        national.need_distribution("ebp", "chefer")


def test_the_printed_percent_of_an_area_the_report_lacks_is_none():
    assert national.printed_percent("ledarskap", "fordjupad") is None  # table 3 is caseworkers' areas only
    assert national.printed_percent("utredning", "fordjupad") == pytest.approx(
        float(national.data()["tabell_3_handlaggare_kompetens"]["omraden"]["utredning"]["fordjupad"]["andel"]))


def test_a_catalogue_looks_up_by_code_and_names_what_it_lacks():
    from bouv_tui.domain import catalog

    assert catalog.AREAS.get("ebp").code == "ebp"
    with pytest.raises(KeyError) as missing:
        catalog.AREAS.get("okänt")
    assert missing.value.args == ("okänt",)
    assert catalog.AREAS.label(None) == "" and catalog.AREAS.label("okänt") == "okänt"
    assert catalog.LEVELS.label("saknar") != "saknar" and "saknar" in catalog.LEVELS and "x" not in catalog.LEVELS

"""Swedish formats, checked against babel's sv_SE rules."""

from __future__ import annotations

from babel.numbers import format_decimal, format_percent
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bouv_tui import fmt


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False), st.integers(min_value=0, max_value=2))
def test_number_matches_babel(value, decimals):
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    expected = format_decimal(round(value, decimals), format=pattern, locale="sv_SE")
    assert fmt.number(round(value, decimals), decimals) == expected


@given(st.floats(min_value=0, max_value=1, allow_nan=False))
def test_percent_matches_babel(value):
    value = round(value, 3)
    expected = format_decimal(round(value * 100, 1), format="#,##0.0", locale="sv_SE") + "\u00a0%"
    assert fmt.percent(value) == expected
    # babel's own sv_SE percent also separates the sign with a no-break space
    assert format_percent(0.5, locale="sv_SE").endswith("\u00a0%")


def test_examples_a_chef_reads():
    assert fmt.number(5879) == "5\u00a0879"
    assert fmt.number(22.5, 1) == "22,5"
    assert fmt.percent(0.283) == "28,3\u00a0%"
    assert fmt.percent(None) == "–"


@pytest.mark.parametrize(
    ("n_bytes", "shown"),
    [
        (0, "0 byte"),
        (999, "999 byte"),
        (1000, "1,0\u00a0kB"),
        (999_949, "999,9\u00a0kB"),
        (999_950, "1,0\u00a0MB"),
        (18_800_640, "18,8\u00a0MB"),
        (1_234_567_890, "1,2\u00a0GB"),
    ],
)
def test_file_sizes_on_both_sides_of_each_unit(n_bytes, shown):
    assert fmt.size(n_bytes) == shown

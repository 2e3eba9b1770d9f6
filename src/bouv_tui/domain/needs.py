"""Need scores (questions 13 and 19): a suggestion from the assessments, and why.

The model (``spec/DOMAIN.md``) fits the national 2013 figures: need ≈ intercept +
lacking × (share lacking) − advanced × (share advanced), clamped to 1–5, with shares as
fractions of those assessed in the area. Its coefficients come from the configuration
(``config.NeedModel``), never from code.
"""

from __future__ import annotations

from dataclasses import dataclass

from bouv_tui.domain.assessment import AreaProfile

MIN_SCORE, MAX_SCORE = 1, 5


@dataclass(frozen=True)
class Suggestion:
    """A suggested need score for one area and group, with what it rests on."""

    area: str
    score: int  # the model's value rounded to a whole score, 1–5
    value: float  # the model's value before rounding (clamped to 1–5)
    assessed: int
    share_lacking: float
    share_advanced: float

    def reason(self) -> str:
        """Why, in Swedish, e.g. "12 bedömda: 25,0 % saknar, 16,7 % fördjupad → 3,5"."""
        from bouv_tui import fmt

        return (
            f"{fmt.number(self.assessed)} bedömda: {fmt.percent(self.share_lacking)} saknar, "
            f"{fmt.percent(self.share_advanced)} fördjupad → {fmt.number(self.value, 1)}"
        )


def model_value(share_lacking: float, share_advanced: float, model) -> float:
    """The model's need on the 1–5 scale for the given shares (fractions 0–1)."""
    raw = model.intercept + model.lacking * share_lacking + model.advanced * share_advanced
    return min(float(MAX_SCORE), max(float(MIN_SCORE), raw))


def whole_score(value: float) -> int:
    """Round half up (2.5 → 3): the scale has no halves, and a tie leans toward more need."""
    return min(MAX_SCORE, max(MIN_SCORE, int(value + 0.5)))


def suggest(profile: AreaProfile, model) -> Suggestion | None:
    """The suggestion for one area from its profile; ``None`` when nobody is assessed in it."""
    lacking, advanced = profile.share_lacking, profile.share_advanced
    if lacking is None or advanced is None:
        return None
    value = model_value(lacking, advanced, model)
    return Suggestion(profile.area, whole_score(value), value, profile.assessed, lacking, advanced)

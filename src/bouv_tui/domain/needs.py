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


# --- chosen scores (what the chef confirmed or set) ------------------------------------------

#: The two groups of the form: question 13 (handläggare) and question 19 (arbetsledare).
GROUPS = ("handlaggare", "arbetsledare")
GROUP_LABELS = {"handlaggare": "Handläggare", "arbetsledare": "Arbetsledare"}
GROUP_QUESTION = {"handlaggare": 13, "arbetsledare": 19}

#: Up to four "Annat, ange vad" rows per group.
MAX_OTHER = 4
MAX_REASON = 200


def group_areas(group: str) -> tuple[str, ...]:
    """The areas of a group in the form's order: the 11 for handläggare; ledarskap,
    grupprocesser and the 11 for arbetsledare (question 19)."""
    from bouv_tui.domain import catalog

    eleven = tuple(catalog.CASEWORKER_AREAS.codes())
    if group == "handlaggare":
        return eleven
    if group == "arbetsledare":
        leaders_only = tuple(a.code for a in catalog.AREAS if a.team_leaders_only)
        return leaders_only + eleven
    raise ValueError(f"unknown group: {group}")


@dataclass(frozen=True, slots=True)
class NeedChoice:
    """The score the chef set for one area: ``suggested`` is the suggestion when it was set;
    ``reason`` is kept when the score differs from the suggestion."""

    group: str
    area: str
    score: int
    reason: str = ""
    suggested: int | None = None


@dataclass(frozen=True, slots=True)
class OtherNeed:
    """An "Annat, ange vad" row: ``position`` 1–4 within its group."""

    group: str
    position: int
    label: str
    score: int | None


#: Where a score comes from, as the screens and the submission say it.
CONFIRMED, OVERRIDDEN, SUGGESTED, MISSING = "bekräftad", "ändrad", "förslag", "saknas"


@dataclass(frozen=True, slots=True)
class NeedRow:
    """One area of question 13 or 19: the suggestion, the choice, and the score that counts."""

    group: str
    area: str
    suggestion: Suggestion | None
    choice: NeedChoice | None

    @property
    def score(self) -> int | None:
        """The chosen score, or until the chef sets one the suggestion; None when neither."""
        if self.choice is not None:
            return self.choice.score
        return self.suggestion.score if self.suggestion is not None else None

    @property
    def status(self) -> str:
        if self.choice is None:
            return SUGGESTED if self.suggestion is not None else MISSING
        if self.suggestion is not None and self.choice.score == self.suggestion.score:
            return CONFIRMED
        return OVERRIDDEN

    @property
    def is_confirmed(self) -> bool:
        return self.choice is not None

    @property
    def suggestion_changed(self) -> bool:
        """The assessments changed since the chef set the score, and so did the suggestion."""
        return (
            self.choice is not None
            and self.suggestion is not None
            and self.choice.suggested is not None
            and self.choice.suggested != self.suggestion.score
        )


def need_rows(group: str, profiles, choices, model) -> list[NeedRow]:
    """The rows of question 13 or 19 from the group's area profiles (``area_profiles`` of the
    group's people in the round) and the stored choices of that group."""
    chosen = {c.area: c for c in choices if c.group == group}
    rows = []
    for area in group_areas(group):
        profile = profiles.get(area)
        suggestion = suggest(profile, model) if profile is not None else None
        rows.append(NeedRow(group, area, suggestion, chosen.get(area)))
    return rows


def need_rows_by_group(people, assessments=(), choices=(), model=None, *, cells=None) -> dict[str, list[NeedRow]]:
    """Questions 13 and 19 for the people of a round (``people_in_round``): each group's rows
    from its own members' assessments. ``cells``: ``valid_cells`` of these people, if known."""
    from bouv_tui.domain.assessment import area_profiles, valid_cells

    if cells is None:
        cells = valid_cells(people, assessments)
    choices = list(choices)
    rows = {}
    for group in GROUPS:
        members = [p for p in people if (p.is_caseworker if group == "handlaggare" else p.is_team_leader)]
        # Equivalent when mutated to always call: no members give profiles nobody is assessed in.
        profiles = area_profiles(members, cells=cells) if members else {}  # pragma: no mutate
        rows[group] = need_rows(group, profiles, choices, model)
    return rows


class ChoiceError(ValueError):
    """A score or reason the form cannot take; the message is Swedish and names the field."""


def make_choice(row: NeedRow, score: int, reason: str = "") -> NeedChoice:
    """The chef's choice for a row: a whole score 1–5; a reason is required when the score
    differs from the suggestion (or there is none), and dropped when it agrees."""
    if not isinstance(score, int) or isinstance(score, bool) or not MIN_SCORE <= score <= MAX_SCORE:
        raise ChoiceError("Behovet ska vara ett heltal från 1 till 5.")
    reason = " ".join((reason or "").split())
    suggested = row.suggestion.score if row.suggestion is not None else None
    if suggested == score:
        reason = ""
    elif not reason:
        raise ChoiceError("Skriv kort varför du väljer ett annat behov än förslaget.")
    if len(reason) > MAX_REASON:
        raise ChoiceError(f"Motiveringen får vara högst {MAX_REASON} tecken.")
    return NeedChoice(row.group, row.area, score, reason, suggested)


def make_other(group: str, position: int, label: str, score: int | None) -> OtherNeed:
    label = " ".join((label or "").split())
    if not 1 <= position <= MAX_OTHER:
        raise ChoiceError(f"Högst {MAX_OTHER} rader ”Annat” per grupp.")
    if not label:
        raise ChoiceError("Ange vad området ”Annat” gäller.")
    if len(label) > 100:
        raise ChoiceError("Området ”Annat” får vara högst 100 tecken.")
    if score is not None and (isinstance(score, bool) or not MIN_SCORE <= score <= MAX_SCORE):
        raise ChoiceError("Behovet ska vara ett heltal från 1 till 5.")
    return OtherNeed(group, position, label, score)

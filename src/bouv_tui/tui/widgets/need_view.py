"""How the needs screen draws an area's row and its detail panel (``screens/needs.py``).

Three widths: ``WIDE`` draws everything in full; ``MEDIUM`` (about 120 columns)
gives the reason its short form, whose whole text is in the panel; ``NARROW`` (80 columns)
also cuts the area at ``AREA_NARROW``, says the status in one word (its reason is in the panel)
and leaves the country's spread to the panel, so that the reason is on screen.
"""

from __future__ import annotations

from rich.markup import escape
from rich.text import Text

from bouv_tui import fmt
from bouv_tui.domain import catalog, national
from bouv_tui.domain.needs import (
    CONFIRMED,
    GROUP_LABELS,
    GROUP_QUESTION,
    MISSING,
    OVERRIDDEN,
    SUGGESTED,
    NeedRow,
    OtherNeed,
)

#: Eight heights of a bar, lowest first.
BLOCKS = "▁▂▃▄▅▆▇█"
AREA_WIDTH = 36
STATUS_WIDTH = 21
AREA_NARROW = 25
STATUS_NARROW = 9
#: The short reason at its widest ("100,0 % saknar, 100,0 % fördj.").
WHY_SHORT = 30
WIDE, MEDIUM, NARROW = "wide", "medium", "narrow"
NATIONAL_TABLE = {"handlaggare": "tabell 6", "arbetsledare": "tabell 7"}


def clip(text: str, width: int) -> str:
    return fmt.clip(text, width)


def gap(cell: Text) -> Text:
    """A left-aligned cell with the one space that separates it from the column before."""
    return cell if cell.justify == "center" else Text.assemble(" ", cell)


def distribution_bar(shares: dict[int, float], chosen: int | None) -> Text:
    """Five bars, one per score 1–5, as tall as that score's share of the municipalities
    (relative to the largest); the chosen score's bar stands out."""
    top = max(shares.values()) or 1.0
    bar = Text()
    for score in range(1, 6):
        block = BLOCKS[min(len(BLOCKS) - 1, round(shares[score] / top * (len(BLOCKS) - 1)))]
        bar.append(block, style="bold yellow" if score == chosen else "cyan")
    return bar


def short_reason(suggestion) -> str:
    """The suggestion's reason without the count and the model's value (both in the panel)."""
    return f"{fmt.percent(suggestion.share_lacking)} saknar, {fmt.percent(suggestion.share_advanced)} fördj."


def area_cells(row: NeedRow, group: str, width: str = WIDE) -> list:
    """The cells of an area's row: area, suggestion, score, status, why, the country 2013
    (what is decided first, so that it is on screen at 80 columns; NARROW: no country)."""
    label = Text(clip(catalog.AREAS.label(row.area), AREA_NARROW if width == NARROW else AREA_WIDTH))
    suggestion = row.suggestion
    if suggestion is None:
        suggested = Text("–", style="dim", justify="center")
        why = Text("ingen i gruppen är bedömd" if width != WIDE else "ingen i gruppen är bedömd i området",
                   style="dim")  # fmt: skip
    else:
        suggested = Text(str(suggestion.score), justify="center")
        why = Text(suggestion.reason() if width == WIDE else short_reason(suggestion))
    status = status_cell(row, short=width == NARROW)
    if width == NARROW:
        return [label, suggested, score_cell(row), status, why]
    spread = national.need_distribution(row.area, group)
    if spread is None:
        bar = Text("–", style="dim")
    else:
        shares, mean = spread
        bar = distribution_bar(shares, row.score)
        bar.append(f" {fmt.number(mean, 1)}")
    return [label, suggested, score_cell(row), status, why, bar]


def score_cell(row: NeedRow) -> Text:
    if row.score is None:
        return Text("–", style="bold red", justify="center")
    return Text(str(row.score), style="bold" if row.is_confirmed else "dim italic", justify="center")


def status_cell(row: NeedRow, short: bool = False) -> Text:
    """The status; ``short``: one word (an override's reason and "ej bekräftad" are in the panel)."""
    status = row.status
    if status == CONFIRMED:
        return Text(CONFIRMED, style="green")
    if status == OVERRIDDEN:
        if short:
            return Text(OVERRIDDEN, style="yellow")
        why = row.choice.reason or "förslaget har ändrats"
        return Text(clip(f"{OVERRIDDEN}: {why}", STATUS_WIDTH), style="yellow")
    if status == SUGGESTED:
        return Text(SUGGESTED if short else "förslag, ej bekräftad", style="italic cyan")
    return Text(MISSING, style="bold red")


def other_cells(other: OtherNeed, width: str = WIDE) -> list:
    score = (
        Text("–", style="bold red", justify="center")
        if other.score is None
        else Text(str(other.score), style="bold", justify="center")
    )
    status = Text("angivet", style="green") if other.score is not None else Text(MISSING, style="bold red")
    cells = [
        Text(clip(f"Annat: {other.label}", AREA_NARROW if width == NARROW else AREA_WIDTH)),
        Text("–", style="dim", justify="center"),
        score,
        status,
        Text("eget område, inget förslag", style="dim"),
        Text(""),
    ]
    return cells[:5] if width == NARROW else cells


def add_cells(width: str = WIDE) -> list:
    cells = [Text("+ Annat, ange vad", style="dim italic"), Text(""), Text(""), Text(""),
             Text("n lägger till", style="dim"), Text("")]  # fmt: skip
    return cells[:5] if width == NARROW else cells


def _detail_title(row: NeedRow, group: str, year: int) -> str:
    who = GROUP_LABELS[group].lower()
    return (
        f"[b]{escape(catalog.AREAS.label(row.area))}[/b] – {who}, fråga {GROUP_QUESTION[group]}, "
        f"omgång {year}"
    )


def _detail_model(row: NeedRow, model) -> str:
    if row.suggestion is None:
        return "Inget förslag: ingen i gruppen är bedömd i området (Bedömning, F4)."
    m = model
    formula = (
        f"{fmt.number(m.intercept, 2)} + {fmt.number(m.lacking, 2)} × andel saknar "
        f"{'−' if m.advanced < 0 else '+'} {fmt.number(abs(m.advanced), 2)} × andel fördjupad"
    )
    why = escape(row.suggestion.reason())
    return f"Förslag [b]{row.suggestion.score}[/b]: {why}   [dim](modellen: {formula})[/dim]"


def _detail_national(row: NeedRow, group: str, short: bool = False) -> str:
    spread = national.need_distribution(row.area, group)
    if spread is None:
        return "Inga nationella siffror för området."
    shares, mean = spread
    parts = "  ".join(f"{score}: {fmt.percent(shares[score], 0)}" for score in range(1, 6))
    if short:  # the table has no column for the country: its spread and mean on one line
        return f"Riket 2013 ({NATIONAL_TABLE[group]}): {parts}  medel [b]{fmt.number(mean, 1)}[/b]"
    return (
        f"Riket 2013 ({NATIONAL_TABLE[group]}), andel kommuner per behov: {parts}   "
        f"medel [b]{fmt.number(mean, 1)}[/b]"
    )


def _detail_choice(row: NeedRow) -> str:
    status = row.status
    if status == CONFIRMED:
        text = f"Behov [b]{row.score}[/b], bekräftat."
    elif status == OVERRIDDEN:
        was = row.choice.suggested
        since = f" (förslaget var {was} när du valde)" if row.suggestion_changed and was is not None else ""
        reason = escape(row.choice.reason) if row.choice.reason else "ingen motivering"
        text = f"Behov [b]{row.score}[/b], ändrat från förslaget{since}: [i]{reason}[/i]"
    elif status == SUGGESTED:
        text = (f"Förslaget {row.score} är inte bekräftat: Enter bekräftar, 1–5 väljer ett annat behov "
                "(med en kort motivering).")  # fmt: skip
    else:
        text = "Behov saknas: välj 1–5 (utan förslag krävs en kort motivering)."
    if row.suggestion_changed and status == CONFIRMED:
        text += f" (Förslaget var {row.choice.suggested} när du valde.)"
    return text


def detail_text(row: NeedRow, group: str, year: int, model, width: str = WIDE) -> str:
    """The panel under the table: the area, the suggestion and its model, the country, the choice
    (one line each; NARROW: the country in short, since the table has no column for it)."""
    return "\n".join(
        [_detail_title(row, group, year), _detail_model(row, model),
         _detail_national(row, group, short=width == NARROW), _detail_choice(row)]
    )  # fmt: skip

"""The national baseline: Socialstyrelsen's 2013 inventory (report tables 3, 6 and 7).

Read from the package data ``national_2013.json``. The report prints shares truncated
or rounded to one decimal (3 172 of 5 021 is printed 63,1 %, 502 of 5 021 is printed
9,9 %); every share here is computed from the counts, never copied from the printed
percent. Tables 6 and 7 (need scores) are published as percentages and means only, so
those are the figures given.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources

from bouv_tui.domain import catalog
from bouv_tui.domain.assessment import AreaProfile

#: The groups of the need tables: handläggare (table 6) and arbetsledare (table 7).
NEED_TABLES = {
    catalog.CASEWORKER: "tabell_6_behov_handlaggare",
    catalog.TEAM_LEADER: "tabell_7_behov_arbetsledare",
}
_COMPETENCE_TABLE = "tabell_3_handlaggare_kompetens"
_LEVELS = tuple(catalog.LEVELS.codes())


@cache
def data() -> dict:
    """The whole national 2013 file, parsed once. Treat it as read-only."""
    text = resources.files("bouv_tui.data").joinpath("national_2013.json").read_text(encoding="utf-8")
    return json.loads(text)


def _competence_rows() -> dict:
    return data()[_COMPETENCE_TABLE]["omraden"]


def competence_areas() -> list[str]:
    """The areas of table 3 (the 11 caseworker areas), in catalogue order."""
    rows = _competence_rows()
    return [code for code in catalog.AREAS.codes() if code in rows]


def caseworker_profile(area: str) -> AreaProfile | None:
    """Table 3 for one area as an AreaProfile (``expected`` is the table's total);
    ``None`` for areas the table does not have (ledarskap, grupprocesser)."""
    row = _competence_rows().get(area)
    if row is None:
        return None
    return AreaProfile(area, {level: int(row[level]["antal"]) for level in _LEVELS}, int(row["totalt"]))


def _share(area: str, level: str) -> float | None:
    row = _competence_rows().get(area)
    if row is None or not row["totalt"]:
        return None
    return row[level]["antal"] / row["totalt"]


def share_lacking(area: str) -> float | None:
    """Share of handläggare lacking sufficient competence in 2013: saknar / totalt, from the counts."""
    return _share(area, "saknar")


def share_advanced(area: str) -> float | None:
    """Share of handläggare with advanced competence in 2013: fördjupad / totalt, from the counts."""
    return _share(area, "fordjupad")


def printed_percent(area: str, level: str) -> float | None:
    """The percent as the report prints it (one decimal, sometimes truncated): for showing
    where the report and the counts disagree, never for computing."""
    row = _competence_rows().get(area)
    return None if row is None else float(row[level]["andel"])


def inconsistent_areas() -> dict[str, tuple[int, int]]:
    """Areas of table 3 whose three counts do not add up to the total: area -> (sum, totalt)."""
    found = {}
    for area, row in _competence_rows().items():
        total = sum(int(row[level]["antal"]) for level in _LEVELS)
        if total != int(row["totalt"]):
            found[area] = (total, int(row["totalt"]))
    return found


def need_distribution(area: str, group: str) -> tuple[dict[int, float], float] | None:
    """The national need scores of one area for ``group`` (``handlaggare``: table 6,
    ``arbetsledare``: table 7): the share of municipalities at each score 1–5, as fractions
    (they add up to 1 within the report's rounding), and the report's mean score.
    ``None`` when the table has no row for the area."""
    try:
        table = NEED_TABLES[group]
    except KeyError:
        raise ValueError(f"okänd grupp för behovstabellerna: {group}") from None
    row = data()[table].get(area)
    if row is None:
        return None
    shares = {score: float(row["andel_procent"][str(score)]) / 100 for score in range(1, 6)}
    return shares, float(row["medel"])

"""The export formats, named once: which formats each export has, the file ending of each,
the format a file name's ending means, and the one error for a format an export does not have.

The CLI, the services and the exporters take them from here, and the screens through
``bouv_tui.services`` (``EXPORT_FORMATS``, ``SUBMISSION_FORMATS``) and the exporters
(``SUFFIXES``). Only the standard library: the start path imports this module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import NamedTuple

from bouv_tui.errors import BouvError


class FormatError(BouvError, ValueError):
    """An export format the export does not have, or a file name that does not fit the
    format (a csv zip named ``.csv``): nothing is written. A ``ValueError`` too, as an
    unknown format always was."""


def words(items: Sequence[str]) -> str:
    """``json, xlsx, csv eller txt``: a Swedish list of choices."""
    items = list(items)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} eller {items[-1]}"


class ExportFormats(NamedTuple):
    """The formats of one export and the file ending each is written with (a NamedTuple, not
    a dataclass: this module is on the start path, and a NamedTuple costs less to make)."""

    names: tuple[str, ...]
    #: format → the ending of its files (``.zip`` for the submission's csv).
    suffixes: Mapping[str, str]
    #: format → why its files may not end in ``.format`` (only when its ending is another).
    why_not_dot_format: Mapping[str, str] = MappingProxyType({})

    def suffix(self, fmt: str) -> str:
        return self.suffixes[fmt]

    def of_name(self, target: Path | str) -> str | None:
        """The format ``target``'s ending means (case ignored): a format's own ending, or
        ``.format`` (so that a csv export named ``.csv`` is refused with the reason); None
        when it names none of them."""
        ending = Path(target).suffix.lower()
        return next((f for f in self.names if ending in (self.suffixes[f], f".{f}")), None)

    def check(self, fmt: str, target: Path | str | None = None) -> str:
        """``fmt`` when it is one of the formats and ``target`` (when given) may be named so;
        otherwise ``FormatError``, with the one Swedish message for each case."""
        if fmt not in self.names:
            raise FormatError(f"Okänt format {fmt!r}: välj {words(self.names)}.")
        if target is not None:
            target = Path(target)
            right = self.suffixes[fmt]
            if target.suffix.lower() == f".{fmt}" != right:
                raise FormatError(
                    f"{self.why_not_dot_format.get(fmt, f'{fmt}-formatet skrivs som {right}')}: ge filen ändelsen "
                    f"{right}, till exempel {target.with_suffix(right).name}. Ingenting har sparats."
                )
        return fmt


#: The roster's export (``bouv-tui export staff``, the roster screen's export).
STAFF = ExportFormats(("csv", "xlsx"), {"csv": ".csv", "xlsx": ".xlsx"})

#: What the submission's csv format is, in the words the command line and the app use.
CSV_IS_A_ZIP = "csv-formatet är en zip-fil med en CSV-tabell per fråga (Excel kan inte öppna den som .csv)"

#: The submission's export. csv is a zip of CSV tables, one a question: named ``.csv`` Excel
#: would open it as garbage, so a ``.csv`` name is refused (``check``).
SUBMISSION = ExportFormats(
    ("json", "xlsx", "csv", "txt"),
    {"json": ".json", "xlsx": ".xlsx", "csv": ".zip", "txt": ".txt"},
    {"csv": CSV_IS_A_ZIP},
)

#: The training plan's export (``bouv-tui export plan``): a workbook for the staff, the
#: training file's csv (re-imported by ``import trainings``), and a calendar of the occasions.
PLAN = ExportFormats(("xlsx", "csv", "ics"), {"xlsx": ".xlsx", "csv": ".csv", "ics": ".ics"})

#: The financial report (``bouv-tui export finance``): the JSON of INTERFACES.md, a csv file
#: of one figure a row, a text report and a workbook, all without a name.
FINANCE = ExportFormats(
    ("json", "xlsx", "csv", "txt"), {"json": ".json", "xlsx": ".xlsx", "csv": ".csv", "txt": ".txt"}
)

#: Budget against actual by cost type and month, for the finance department (``export budget``).
BUDGET = ExportFormats(("xlsx",), {"xlsx": ".xlsx"})

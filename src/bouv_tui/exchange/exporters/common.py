"""What the submission's exporters share: the form's question texts, export-safe problem
messages (counts, never names), plain values, deterministic zip files and atomic writes.

Nothing here imports openpyxl: the JSON and TXT exports must start fast.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bouv_tui.domain import catalog
from bouv_tui.domain.needs import GROUP_QUESTION, GROUPS, group_areas
from bouv_tui.domain.submission import ERROR, QUESTION_TEXTS, Problem, Submission  # noqa: F401 - the exporters' texts
from bouv_tui.exchange.exporters.packing import ZIP_TIME, deterministic_zip  # noqa: F401 - the exporters' zip files
from bouv_tui.exchange.staff_export import csv_text  # noqa: F401 - shared with the roster export

#: The format's name and version (``spec/INTERFACES.md``, "Submission as JSON").
FORMAT, FORMAT_VERSION = "bouv-tui/inventering", 1


TITLE = "Inventering av kunskapsläget inom den sociala barn- och ungdomsvården"

#: The contact block: JSON key, Swedish label, attribute of ``MunicipalitySettings``.
CONTACT_FIELDS = (
    ("kommun", "Kommunens namn", "kommun"),
    ("kommunkod", "Kommunkod", "kommunkod"),
    ("uppgiftslamnare", "Uppgiftslämnarens namn", "contact_name"),
    ("epost", "E-post", "email"),
    ("telefon", "Telefon", "phone"),
)

#: Questions 2–9 in the form's order: (number, key of the total, key of "varav" or None).
FIGURE_QUESTIONS = (
    (2, "fraga_2", None),
    (3, "fraga_3", "fraga_3_varav"),
    (4, "fraga_4", None),
    (5, "fraga_5", None),
    (6, "fraga_6", None),
    (7, "fraga_7", None),
    (8, "fraga_8", None),
    (9, "fraga_9", "fraga_9_varav"),
)

SEVERITY_LABELS = {ERROR: "Fel", "varning": "Varning"}

#: What a problem message becomes if it names a person after all.
_REDACTED = "Uppgiften behöver rättas; kör bouv-tui check för detaljer."


#: Question 1's levels in the form's column order (every profile holds all three, 0 when none).
Q1_LEVELS = ("grundlaggande", "fordjupad", "saknar")


def q1_areas() -> list[str]:
    return catalog.CASEWORKER_AREAS.codes()


def need_question(group: str) -> str:
    return f"fraga_{GROUP_QUESTION[group]}"


def need_groups() -> Iterable[tuple[str, int, tuple[str, ...]]]:
    """(group, question number, areas in the form's order) for questions 13 and 19."""
    for group in GROUPS:
        yield group, GROUP_QUESTION[group], group_areas(group)


def export_problems(submission: Submission, problems: Sequence[Problem]) -> list[Problem]:
    """The problems as an export prints them: their messages, without the names ``check``
    keeps beside them for the chef. As a safeguard, a message that contains the name of
    anyone on the roster is replaced whole."""
    names = [name for name in submission.names.values() if name and name.strip()]
    return [
        Problem(p.severity, p.question, _REDACTED if any(name in p.message for name in names) else p.message)
        for p in problems
    ]


def problem_summary(problems: Sequence[Problem]) -> str:
    """ "Utkast – 14 problem kvar (13 fel, 1 varning)" or "Komplett: inga problem"."""
    if not problems:
        return "Komplett: inga problem."
    errors = sum(1 for p in problems if p.severity == ERROR)
    warnings = len(problems) - errors
    parts = []
    if errors:
        parts.append(f"{errors} fel")
    if warnings:
        parts.append(f"{warnings} {'varning' if warnings == 1 else 'varningar'}")
    head = "Utkast" if errors else "Klar med anmärkningar"
    return f"{head} – {len(problems)} problem kvar ({', '.join(parts)})."


def q21_entries(submission: Submission) -> list[dict]:
    """Question 21's rows in the JSON format's shape (``spec/INTERFACES.md``): an "Annat" row
    has ``omrade`` "annat" and its label; the extent is null unless both unit and value are known."""
    entries = []
    for row in submission.q21:
        extent = None
        if row.extent_unit and row.extent:
            extent = {"enhet": row.extent_unit, "varde": row.extent}
        entries.append({
            "omrade": row.area or "annat", "annat_omrade": row.other_area, "utbildning": row.training,
            "antal_deltagare": row.participants, "personalkategori": list(row.categories),
            "anordnare": row.provider, "anordnartyp": row.provider_type, "omfattning": extent,
        })  # fmt: skip
    return entries


#: Question 21's staff categories as the form words them.
Q21_CATEGORY_WORDS = {
    "handlaggare": "handläggare", "handlaggare_utan_socionomexamen": "handläggare utan socionomexamen",
    "chefer": "chefer",
}  # fmt: skip


def q21_area_words(entry: dict) -> str:
    """The area a question-21 row is listed under, as the form names it ("Annat: …" for a free one)."""
    if entry["annat_omrade"] is not None:
        return f"Annat: {entry['annat_omrade']}"
    return catalog.AREAS.label(entry["omrade"])


def q21_category_words(entry: dict) -> str:
    """ "handläggare, chefer", or "" when none is known."""
    return ", ".join(Q21_CATEGORY_WORDS[c] for c in entry["personalkategori"])


def q21_provider_words(entry: dict, missing: str = "") -> str:
    """ "FoU Väst (FoU)": the provider (``missing`` when not given) and its type, when known."""
    words = entry["anordnare"] or missing
    if entry["anordnartyp"]:
        words += f" ({catalog.PROVIDER_TYPES.label(entry['anordnartyp'])})"
    return words


def q21_extent_words(entry: dict) -> str:
    """ "7,5 hp", "3 dagar", "1 dag" or "" (unknown)."""
    extent = entry["omfattning"]
    if extent is None:
        return ""
    value = extent["varde"]
    shown = str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")
    unit = "dag" if extent["enhet"] == "dagar" and value == 1 else extent["enhet"]
    return f"{shown} {unit}"


"""Checking what a person typed into the staff form: every field's problem, in Swedish."""

from __future__ import annotations

from dataclasses import dataclass

from bouv_tui.domain import catalog
from bouv_tui.domain.roster import StaffMember
from bouv_tui.domain.validation import InvalidValue, parse_fte, parse_iso_date, text_problem

MAX_NAME = 200
#: The yes/no facts, named alike in the form and on StaffMember, copied as they are.
TICKS = (
    "social_work_degree", "qualification_certificate", "continuing_training", "further_education",
    "masters_degree", "first_manager_job", "needs_supervision_support",
)  # fmt: skip


@dataclass(frozen=True)
class StaffInput:
    """The form's raw values: text fields as typed, choices as codes, ticks as booleans."""

    name: str = ""
    personal_id: str = ""
    role: str | None = None
    unit: str = ""
    fte: str = "100"
    employed_from: str = ""
    employed_until: str = ""
    experience_from: str = ""
    employment_type: str | None = catalog.PERMANENT
    social_work_degree: bool = False
    qualification_certificate: bool = False
    continuing_training: bool = False
    further_education: bool = False
    masters_degree: bool = False
    first_manager_job: bool = False
    needs_supervision_support: bool = False

    @classmethod
    def from_member(cls, m: StaffMember) -> "StaffInput":
        return cls(
            name=m.name,
            personal_id=m.personal_id or "",
            role=m.role,
            unit=m.unit,
            fte=str(m.fte),
            employed_from=m.employed_from.isoformat() if m.employed_from else "",
            employed_until=m.employed_until.isoformat() if m.employed_until else "",
            experience_from=m.experience_from.isoformat() if m.experience_from else "",
            employment_type=m.employment_type,
            **{name: getattr(m, name) for name in TICKS},
        )


def check_staff_input(
    data: StaffInput, *, original: StaffMember | None = None, taken_ids: frozenset[str] = frozenset()
) -> tuple[StaffMember | None, dict[str, str]]:
    """The person the form describes, or None and field → message for every problem."""
    errors: dict[str, str] = {}
    name = " ".join(data.name.split())
    if not name:
        errors["name"] = "Namn måste anges."
    elif len(name) > MAX_NAME:
        errors["name"] = f"Namnet är för långt (högst {MAX_NAME} tecken)."
    if data.role not in catalog.ROLES:
        errors["role"] = "Välj roll."
    if data.employment_type not in catalog.EMPLOYMENT_TYPES:
        errors["employment_type"] = "Välj anställningsform."
    personal_id = data.personal_id.strip() or None
    unit = " ".join(data.unit.split())
    # What an import refuses in a cell, the form refuses in a field (a pasted zero-width space
    # or text direction mark would make two names look alike). Tabs and line breaks are spaces
    # there, as in a file.
    for field, typed in (("name", name), ("unit", unit), ("personal_id", " ".join(data.personal_id.split()))):
        problem = text_problem(typed)
        if problem and field not in errors:
            errors[field] = problem
    if personal_id and personal_id in taken_ids and (original is None or original.personal_id != personal_id):
        errors["personal_id"] = f"Personal-id {personal_id} används redan av en annan person."
    try:
        fte = parse_fte(data.fte)
    except InvalidValue as exc:
        errors["fte"] = str(exc)
        fte = 100  # pragma: no mutate (never used: with an error no person is made)
    dates = {}
    for field in ("employed_from", "employed_until", "experience_from"):
        try:
            dates[field] = parse_iso_date(getattr(data, field))
        except InvalidValue as exc:
            errors[field] = str(exc)
            dates[field] = None  # pragma: no mutate (with an error no person is made; "" compares alike)
    if dates["employed_from"] and dates["employed_until"] and dates["employed_until"] < dates["employed_from"]:
        errors["employed_until"] = "Sista dagen ligger före anställningens början."
    if errors:
        return None, errors
    member = StaffMember(
        id=original.id if original else None,
        name=name,
        role=data.role,
        personal_id=personal_id,
        unit=unit,
        fte=fte,
        employment_type=data.employment_type,
        **{name: getattr(data, name) for name in TICKS},
        **dates,
    )
    return member, {}

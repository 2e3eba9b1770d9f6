"""SQLModel tables. The schema itself is made by the Alembic migrations in ``migrations/``;
these classes describe the newest schema for the write path (``repo.py``)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field, SQLModel


class Settings(SQLModel, table=True):
    """The municipality and the contact person: one row, ``id`` = 1."""

    __tablename__ = "settings"

    id: int = Field(default=1, primary_key=True)
    kommunkod: str = ""
    kommun: str = ""
    contact_name: str = ""
    email: str = ""
    phone: str = ""
    cover_daily_rate: int = 2000  # the budget's settings (migration 0006)
    payment_days: int = 30
    warn_months: int = 4
    version: int = 1  # raised by every update: a save shown an older version refuses
    updated_at: datetime | None = None


class Staff(SQLModel, table=True):
    __tablename__ = "staff"

    id: int | None = Field(default=None, primary_key=True)
    personal_id: str | None = Field(default=None, unique=True)
    name: str
    role: str
    unit: str = ""
    employed_from: date | None = None
    employed_until: date | None = None
    experience_from: date | None = None
    social_work_degree: bool = False
    qualification_certificate: bool = False
    fte: int = 100
    employment_type: str = "tillsvidare"
    continuing_training: bool = False
    further_education: bool = False
    masters_degree: bool = False
    first_manager_job: bool = False
    needs_supervision_support: bool = False
    created_at: datetime | None = None
    version: int = 1  # raised by every update: a save shown an older version refuses
    updated_at: datetime | None = None


class InventoryRound(SQLModel, table=True):
    """One inventory round per reporting year."""

    __tablename__ = "inventory_round"

    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(unique=True)
    reference_date: date
    created_at: datetime | None = None


class Assessment(SQLModel, table=True):
    """One person's level in one area in one round."""

    __tablename__ = "assessment"

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="inventory_round.id", ondelete="CASCADE")
    staff_id: int = Field(foreign_key="staff.id", ondelete="CASCADE")
    area: str
    level: str
    assessed_on: date | None = None
    carried_over: bool = False
    note: str = ""
    version: int = 1  # raised by every update: a save shown an older version refuses
    updated_at: datetime | None = None


class NeedScore(SQLModel, table=True):
    """The need score the chef chose for one area and group in one round (questions 13, 19)."""

    __tablename__ = "need_score"

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="inventory_round.id", ondelete="CASCADE")
    grp: str
    area: str
    score: int
    reason: str = ""
    suggested: int | None = None
    version: int = 1  # raised by every update: a save shown an older version refuses
    updated_at: datetime | None = None


class NeedOther(SQLModel, table=True):
    """An "Annat, ange vad" row of question 13 or 19."""

    __tablename__ = "need_other"

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="inventory_round.id", ondelete="CASCADE")
    grp: str
    position: int
    label: str
    score: int | None = None
    version: int = 1  # raised by every update: a save shown an older version refuses
    updated_at: datetime | None = None


class FormAnswer(SQLModel, table=True):
    """One typed answer of the questionnaire, as JSON."""

    __tablename__ = "form_answer"

    round_id: int = Field(foreign_key="inventory_round.id", ondelete="CASCADE", primary_key=True)
    question: str = Field(primary_key=True)
    value: str
    version: int = 1  # raised by every update: a save shown an older version refuses
    updated_at: datetime | None = None


class Training(SQLModel, table=True):
    """A training or a course of support and supervision in the year's plan (F8)."""

    __tablename__ = "training"

    id: int | None = Field(default=None, primary_key=True)
    year: int
    name: str
    kind: str
    provider: str = ""
    provider_type: str | None = None
    extent: float | None = None
    extent_unit: str | None = None
    tags: str = ""  # codes, comma-separated
    groups: str = "handlaggare"  # codes, comma-separated
    created_at: datetime | None = None
    version: int = 1  # raised by every update: a save shown an older version refuses
    updated_at: datetime | None = None


class TrainingArea(SQLModel, table=True):
    """An area a training is listed under: a knowledge area's code, or an "Annat" label."""

    __tablename__ = "training_area"

    training_id: int = Field(foreign_key="training.id", ondelete="CASCADE", primary_key=True)
    position: int = Field(primary_key=True)
    area: str | None = None
    label: str = ""


class Occasion(SQLModel, table=True):
    """One run (tillfälle) of a training."""

    __tablename__ = "occasion"

    id: int | None = Field(default=None, primary_key=True)
    training_id: int = Field(foreign_key="training.id", ondelete="CASCADE")
    start_date: date
    end_date: date
    status: str = "planerad"
    place: str = ""
    seats: int | None = None
    funding: str = "statsbidrag"
    cost_fixed: int = 0
    cost_per_participant: int = 0
    days_away: float = 0.0
    version: int = 1
    updated_at: datetime | None = None


class Participant(SQLModel, table=True):
    """A person booked on an occasion."""

    __tablename__ = "participant"

    occasion_id: int = Field(foreign_key="occasion.id", ondelete="CASCADE", primary_key=True)
    staff_id: int = Field(foreign_key="staff.id", ondelete="CASCADE", primary_key=True)
    status: str = "anmald"
    completed: bool = False
    version: int = 1
    updated_at: datetime | None = None


class FundingSource(SQLModel, table=True):
    """A funding source of a year (a state grant, own funds) with its rules."""

    __tablename__ = "funding_source"

    id: int | None = Field(default=None, primary_key=True)
    year: int
    name: str
    kind: str
    requisitioned: int = 0
    paid_out: int = 0
    paid_back: int = 0
    use_from: date | None = None
    use_until: date | None = None
    report_by: date | None = None
    unspent: str = "aterbetalas"
    cost_types: str = ""
    version: int = 1
    updated_at: datetime | None = None


class FundingCap(SQLModel, table=True):
    """A cap: at most ``share`` of the source over a group of cost types."""

    __tablename__ = "funding_cap"

    source_id: int = Field(foreign_key="funding_source.id", ondelete="CASCADE", primary_key=True)
    position: int = Field(primary_key=True)
    name: str
    share: float
    action: str = "varna"
    cost_types: str = ""


class Expense(SQLModel, table=True):
    """An expense, planned, committed or paid; an occasion's cost is its lines (``origin``)."""

    __tablename__ = "expense"

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="funding_source.id", ondelete="CASCADE")
    day: date
    amount: int
    cost_type: str
    status: str = "planerad"
    occasion_id: int | None = Field(default=None, foreign_key="occasion.id", ondelete="SET NULL")
    origin: str | None = None
    voucher: str = ""
    note: str = ""
    version: int = 1
    updated_at: datetime | None = None


class Scenario(SQLModel, table=True):
    """A what-if scenario saved under a name: its changes as JSON, never the real rows."""

    __tablename__ = "scenario"

    id: int | None = Field(default=None, primary_key=True)
    year: int
    name: str
    body: str = "{}"
    version: int = 1
    updated_at: datetime | None = None

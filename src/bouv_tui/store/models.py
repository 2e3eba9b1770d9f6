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

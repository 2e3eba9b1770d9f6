"""The training plan (F8): trainings with their areas, occasions, and the people booked.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

AREAS = (
    "'barns_utveckling', 'utredning', 'samtal', 'samverkan', 'regelverk', 'insatser', 'uppfoljning', "
    "'forhallningssatt', 'ebp', 'risk_skydd', 'placerade_barn', 'ledarskap', 'grupprocesser'"
)
PROVIDER_TYPES = (
    "'privat', 'stat_kommun_landsting', 'fou', 'universitet_hogskola', 'enskild_person', 'skr', 'ideell_forening'"
)


def _versioned() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("updated_at", sa.DateTime, nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "training",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("provider", sa.String, nullable=False, server_default=""),
        sa.Column("provider_type", sa.String, nullable=True),
        sa.Column("extent", sa.Float, nullable=True),
        sa.Column("extent_unit", sa.String, nullable=True),
        sa.Column("tags", sa.String, nullable=False, server_default=""),  # codes, comma-separated
        sa.Column("groups", sa.String, nullable=False, server_default="handlaggare"),
        sa.Column("created_at", sa.DateTime, nullable=True),
        *_versioned(),
        sa.UniqueConstraint("year", "name", name="training_once_a_year"),
        sa.CheckConstraint("name <> ''", name="training_name"),
        sa.CheckConstraint("kind IN ('utbildning', 'stod_handledning')", name="training_kind"),
        sa.CheckConstraint(f"provider_type IS NULL OR provider_type IN ({PROVIDER_TYPES})", name="training_provider"),
        sa.CheckConstraint("extent IS NULL OR extent >= 0", name="training_extent"),
        sa.CheckConstraint("extent_unit IS NULL OR extent_unit IN ('hp', 'dagar')", name="training_extent_unit"),
    )
    op.create_table(
        "training_area",
        sa.Column("training_id", sa.Integer, sa.ForeignKey("training.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("area", sa.String, nullable=True),  # NULL: an "Annat" area, named by label
        sa.Column("label", sa.String, nullable=False, server_default=""),
        sa.CheckConstraint(f"area IS NULL OR area IN ({AREAS})", name="training_area_code"),
        sa.CheckConstraint("area IS NOT NULL OR label <> ''", name="training_area_other"),
    )
    op.create_table(
        "occasion",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("training_id", sa.Integer, sa.ForeignKey("training.id", ondelete="CASCADE"), nullable=False),
        sa.Column("start_date", sa.Date, nullable=False),
        sa.Column("end_date", sa.Date, nullable=False),
        sa.Column("status", sa.String, nullable=False, server_default="planerad"),
        sa.Column("place", sa.String, nullable=False, server_default=""),
        sa.Column("seats", sa.Integer, nullable=True),
        sa.Column("funding", sa.String, nullable=False, server_default="statsbidrag"),
        sa.Column("cost_fixed", sa.Integer, nullable=False, server_default="0"),
        sa.Column("cost_per_participant", sa.Integer, nullable=False, server_default="0"),
        sa.Column("days_away", sa.Float, nullable=False, server_default="0"),
        *_versioned(),
        sa.CheckConstraint("end_date >= start_date", name="occasion_dates"),
        sa.CheckConstraint("status IN ('planerad', 'pagar', 'genomford', 'installd')", name="occasion_status"),
        sa.CheckConstraint("seats IS NULL OR seats >= 1", name="occasion_seats"),
        sa.CheckConstraint("cost_fixed >= 0 AND cost_per_participant >= 0", name="occasion_cost"),
        sa.CheckConstraint("days_away >= 0", name="occasion_days_away"),
    )
    op.create_index("ix_occasion_training", "occasion", ["training_id"])
    op.create_table(
        "participant",
        sa.Column("occasion_id", sa.Integer, sa.ForeignKey("occasion.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("staff_id", sa.Integer, sa.ForeignKey("staff.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("status", sa.String, nullable=False, server_default="anmald"),
        sa.Column("completed", sa.Boolean, nullable=False, server_default=sa.false()),
        *_versioned(),
        sa.CheckConstraint("status IN ('anmald', 'deltog', 'avbrot', 'franvarande')", name="participant_status"),
    )
    op.create_index("ix_participant_staff", "participant", ["staff_id"])


def downgrade() -> None:
    op.drop_index("ix_participant_staff", "participant")
    op.drop_table("participant")
    op.drop_index("ix_occasion_training", "occasion")
    op.drop_table("occasion")
    op.drop_table("training_area")
    op.drop_table("training")

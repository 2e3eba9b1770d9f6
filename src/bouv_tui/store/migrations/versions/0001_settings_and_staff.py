"""Municipality settings and the staff roster.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("kommunkod", sa.String, nullable=False, server_default=""),
        sa.Column("kommun", sa.String, nullable=False, server_default=""),
        sa.Column("contact_name", sa.String, nullable=False, server_default=""),
        sa.Column("email", sa.String, nullable=False, server_default=""),
        sa.Column("phone", sa.String, nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime, nullable=True),
        sa.CheckConstraint("id = 1", name="settings_single_row"),
    )
    op.create_table(
        "staff",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("personal_id", sa.String, nullable=True, unique=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("role", sa.String, nullable=False),
        sa.Column("unit", sa.String, nullable=False, server_default=""),
        sa.Column("employed_from", sa.Date, nullable=True),
        sa.Column("employed_until", sa.Date, nullable=True),
        sa.Column("experience_from", sa.Date, nullable=True),
        sa.Column("social_work_degree", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("qualification_certificate", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("fte", sa.Integer, nullable=False, server_default="100"),
        sa.Column("employment_type", sa.String, nullable=False, server_default="tillsvidare"),
        sa.Column("continuing_training", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("further_education", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("masters_degree", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("first_manager_job", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("needs_supervision_support", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_at", sa.DateTime, nullable=True),
        sa.Column("updated_at", sa.DateTime, nullable=True),
        sa.CheckConstraint("role IN ('handlaggare', 'arbetsledare', 'annan')", name="staff_role"),
        sa.CheckConstraint("fte BETWEEN 1 AND 100", name="staff_fte"),
        sa.CheckConstraint(
            "employment_type IN ('tillsvidare', 'visstid', 'konsult')", name="staff_employment_type"
        ),
    )
    op.create_index("ix_staff_name", "staff", ["name"])


def downgrade() -> None:
    op.drop_index("ix_staff_name", "staff")
    op.drop_table("staff")
    op.drop_table("settings")

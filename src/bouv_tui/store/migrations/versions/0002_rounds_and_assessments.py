"""Inventory rounds and competence assessments.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inventory_round",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("year", sa.Integer, nullable=False, unique=True),
        sa.Column("reference_date", sa.Date, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=True),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name="round_year"),
    )
    op.create_table(
        "assessment",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "round_id", sa.Integer, sa.ForeignKey("inventory_round.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("staff_id", sa.Integer, sa.ForeignKey("staff.id", ondelete="CASCADE"), nullable=False),
        sa.Column("area", sa.String, nullable=False),
        sa.Column("level", sa.String, nullable=False),
        sa.Column("assessed_on", sa.Date, nullable=True),
        sa.Column("carried_over", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("note", sa.String, nullable=False, server_default=""),
        sa.Column("updated_at", sa.DateTime, nullable=True),
        sa.UniqueConstraint("round_id", "staff_id", "area", name="assessment_once"),
        sa.CheckConstraint("level IN ('grundlaggande', 'fordjupad', 'saknar')", name="assessment_level"),
        sa.CheckConstraint(
            "area IN ('barns_utveckling', 'utredning', 'samtal', 'samverkan', 'regelverk', 'insatser', "
            "'uppfoljning', 'forhallningssatt', 'ebp', 'risk_skydd', 'placerade_barn', 'ledarskap', "
            "'grupprocesser')",
            name="assessment_area",
        ),
    )
    # (round_id, staff_id, area) is unique, and that index also serves lookups by round.
    op.create_index("ix_assessment_staff", "assessment", ["staff_id"])


def downgrade() -> None:
    op.drop_index("ix_assessment_staff", "assessment")
    op.drop_table("assessment")
    op.drop_table("inventory_round")

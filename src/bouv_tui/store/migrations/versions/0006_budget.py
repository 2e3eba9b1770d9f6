"""The budget (F9): funding sources with their rules as data, their caps, expenses (an
occasion's cost among them, as its own lines), what-if scenarios, and the budget's settings.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

COST_TYPES = "'utbildningsplatser', 'stod_handledning', 'vikarier', 'kurslitteratur', 'resor', 'administration'"


def _versioned() -> list[sa.Column]:
    return [
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
        sa.Column("updated_at", sa.DateTime, nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "funding_source",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("kind", sa.String, nullable=False),
        sa.Column("requisitioned", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("paid_out", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("paid_back", sa.BigInteger, nullable=False, server_default="0"),
        sa.Column("use_from", sa.Date, nullable=True),
        sa.Column("use_until", sa.Date, nullable=True),
        sa.Column("report_by", sa.Date, nullable=True),
        sa.Column("unspent", sa.String, nullable=False, server_default="aterbetalas"),
        sa.Column("cost_types", sa.String, nullable=False),  # codes, comma-separated
        *_versioned(),
        sa.UniqueConstraint("year", "name", name="funding_source_once_a_year"),
        sa.CheckConstraint("name <> ''", name="funding_source_name"),
        sa.CheckConstraint("kind IN ('statsbidrag', 'egna_medel', 'annat')", name="funding_source_kind"),
        sa.CheckConstraint("requisitioned >= 0 AND paid_out >= 0 AND paid_back >= 0", name="funding_source_amounts"),
        sa.CheckConstraint("unspent IN ('aterbetalas', 'far_sparas')", name="funding_source_unspent"),
        sa.CheckConstraint("use_until IS NULL OR use_from IS NULL OR use_until >= use_from", name="funding_source_period"),
    )
    op.create_table(
        "funding_cap",
        sa.Column("source_id", sa.Integer, sa.ForeignKey("funding_source.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("position", sa.Integer, primary_key=True),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("share", sa.Float, nullable=False),
        sa.Column("action", sa.String, nullable=False, server_default="varna"),
        sa.Column("cost_types", sa.String, nullable=False),
        sa.CheckConstraint("share >= 0 AND share <= 1", name="funding_cap_share"),
        sa.CheckConstraint("action IN ('varna', 'stoppa')", name="funding_cap_action"),
    )
    op.create_table(
        "expense",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("funding_source.id", ondelete="CASCADE"), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("amount", sa.BigInteger, nullable=False),
        sa.Column("cost_type", sa.String, nullable=False),
        sa.Column("status", sa.String, nullable=False, server_default="planerad"),
        sa.Column("occasion_id", sa.Integer, sa.ForeignKey("occasion.id", ondelete="SET NULL"), nullable=True),
        sa.Column("origin", sa.String, nullable=True),
        sa.Column("voucher", sa.String, nullable=False, server_default=""),
        sa.Column("note", sa.String, nullable=False, server_default=""),
        *_versioned(),
        sa.CheckConstraint("amount >= 0", name="expense_amount"),
        sa.CheckConstraint(f"cost_type IN ({COST_TYPES})", name="expense_cost_type"),
        sa.CheckConstraint("status IN ('planerad', 'atagen', 'betald')", name="expense_status"),
        sa.CheckConstraint("origin IS NULL OR origin IN ('platser', 'fast', 'vikarier')", name="expense_origin"),
    )
    op.create_index("ix_expense_source", "expense", ["source_id"])
    op.create_index("ix_expense_occasion", "expense", ["occasion_id"])
    op.create_index("ix_expense_voucher", "expense", ["voucher"])
    op.create_table(
        "scenario",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("year", sa.Integer, nullable=False),
        sa.Column("name", sa.String, nullable=False),
        sa.Column("body", sa.Text, nullable=False),  # JSON: the changes, never the real rows
        *_versioned(),
        sa.UniqueConstraint("year", "name", name="scenario_once_a_year"),
        sa.CheckConstraint("name <> ''", name="scenario_name"),
    )
    with op.batch_alter_table("settings") as batch:
        batch.add_column(sa.Column("cover_daily_rate", sa.Integer, nullable=False, server_default="2000"))
        batch.add_column(sa.Column("payment_days", sa.Integer, nullable=False, server_default="30"))
        batch.add_column(sa.Column("warn_months", sa.Integer, nullable=False, server_default="4"))


def downgrade() -> None:
    with op.batch_alter_table("settings") as batch:
        batch.drop_column("warn_months")
        batch.drop_column("payment_days")
        batch.drop_column("cover_daily_rate")
    op.drop_table("scenario")
    op.drop_index("ix_expense_voucher", "expense")
    op.drop_index("ix_expense_occasion", "expense")
    op.drop_index("ix_expense_source", "expense")
    op.drop_table("expense")
    op.drop_table("funding_cap")
    op.drop_table("funding_source")

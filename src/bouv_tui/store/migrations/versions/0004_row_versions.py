"""A version on every row that a person edits: a save that finds another version than the one
it was shown refuses instead of overwriting a colleague's change.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

VERSIONED = ("settings", "staff", "assessment", "need_score", "need_other", "form_answer")


def upgrade() -> None:
    # A plain ADD COLUMN (no table copy): SQLite allows it with a constant default.
    for table in VERSIONED:
        op.add_column(table, sa.Column("version", sa.Integer, nullable=False, server_default="1"))


def downgrade() -> None:
    for table in VERSIONED:
        with op.batch_alter_table(table) as batch:
            batch.drop_column("version")

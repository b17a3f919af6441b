"""add usage scan links over budget

A scan whose agent could not remember every hard link (past its budget) may count some twice: its
sizes are not compared with another scan's, as a scan stopped by a budget is not.

Revision ID: f341e9b35a74
Revises: d4d590213056
Create Date: 2026-12-06 22:46:17.746316
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "f341e9b35a74"
down_revision: str | None = "d4d590213056"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("usage_scan", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("links_over_budget", sa.BigInteger(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("usage_scan", schema=None) as batch_op:
        batch_op.drop_column("links_over_budget")

"""add inode history and forecast

Revision ID: 6e8d5486639d
Revises: a7c3e1d90400
Create Date: 2026-12-01 04:05:00

Inode figures in the raw samples and both tiers, and the inode forecast beside the space one.
Every column is nullable (or defaulted): adding them rewrites no table on SQLite or PostgreSQL.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import homelab_cmd.db.types

revision: str = "6e8d5486639d"
down_revision: str | None = "a7c3e1d90400"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("filesystem_daily", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inodes_used_min", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("inodes_used_avg", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("inodes_used_max", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("inodes_total_max", sa.BigInteger(), nullable=True))

    with op.batch_alter_table("filesystem_hourly", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inodes_used_min", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("inodes_used_avg", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("inodes_used_max", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("inodes_total_max", sa.BigInteger(), nullable=True))

    with op.batch_alter_table("filesystem_sample", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inodes_used", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("inodes_total", sa.BigInteger(), nullable=True))

    with op.batch_alter_table("filesystem_trend", schema=None) as batch_op:
        batch_op.add_column(sa.Column("inodes_growth_per_day", sa.Float(), nullable=True))
        batch_op.add_column(
            sa.Column("inodes_full_at", homelab_cmd.db.types.EpochSeconds(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("inodes_full_at_earliest", homelab_cmd.db.types.EpochSeconds(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("inodes_full_at_latest", homelab_cmd.db.types.EpochSeconds(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("inodes_confident", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("inodes_forecast_reason", sa.String(length=120), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("filesystem_trend", schema=None) as batch_op:
        batch_op.drop_column("inodes_forecast_reason")
        batch_op.drop_column("inodes_confident")
        batch_op.drop_column("inodes_full_at_latest")
        batch_op.drop_column("inodes_full_at_earliest")
        batch_op.drop_column("inodes_full_at")
        batch_op.drop_column("inodes_growth_per_day")

    with op.batch_alter_table("filesystem_sample", schema=None) as batch_op:
        batch_op.drop_column("inodes_total")
        batch_op.drop_column("inodes_used")

    with op.batch_alter_table("filesystem_hourly", schema=None) as batch_op:
        batch_op.drop_column("inodes_total_max")
        batch_op.drop_column("inodes_used_max")
        batch_op.drop_column("inodes_used_avg")
        batch_op.drop_column("inodes_used_min")

    with op.batch_alter_table("filesystem_daily", schema=None) as batch_op:
        batch_op.drop_column("inodes_total_max")
        batch_op.drop_column("inodes_used_max")
        batch_op.drop_column("inodes_used_avg")
        batch_op.drop_column("inodes_used_min")

"""add enrollments

Revision ID: b81d5f2c0410
Revises: 33c7ee5356df
Create Date: 2026-12-01 04:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import homelab_cmd.db.types

revision: str = "b81d5f2c0410"
down_revision: str | None = "33c7ee5356df"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "enrollment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", homelab_cmd.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", homelab_cmd.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("used_at", homelab_cmd.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("server_id", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["server_id"],
            ["server.id"],
            name=op.f("fk_enrollment_server_id_server"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_enrollment")),
        sa.UniqueConstraint("code_hash", name=op.f("uq_enrollment_code_hash")),
    )
    with op.batch_alter_table("enrollment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_enrollment_server_id"), ["server_id"], unique=False)

    with op.batch_alter_table("server", schema=None) as batch_op:
        batch_op.add_column(sa.Column("guid", sa.String(length=64), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_server_guid"), ["guid"])


def downgrade() -> None:

    with op.batch_alter_table("server", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_server_guid"), type_="unique")
        batch_op.drop_column("guid")

    with op.batch_alter_table("enrollment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_enrollment_server_id"))

    op.drop_table("enrollment")

"""add alert flap

Per condition (kind, server, mount), its recent state changes and whether it is flapping: its
messages are held while it flaps, with one message when it starts and one when it settles.

Revision ID: d4d590213056
Revises: a3ad5ecaed1b
Create Date: 2026-12-06 22:20:13.921182
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import homelab_cmd.db.types

revision: str = "d4d590213056"
down_revision: str | None = "a3ad5ecaed1b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "alert_flap",
        sa.Column("condition_key", sa.String(length=64), nullable=False),
        sa.Column("server_id", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("mount_point", sa.Text(), nullable=True),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column(
            "last_change_at", homelab_cmd.db.types.UtcDateTime(timezone=True), nullable=False
        ),
        sa.Column("severity", sa.String(length=16), nullable=False),
        sa.Column("flapping_since", homelab_cmd.db.types.UtcDateTime(timezone=True), nullable=True),
        sa.Column("changes_while_flapping", sa.Integer(), server_default="0", nullable=False),
        sa.ForeignKeyConstraint(
            ["server_id"],
            ["server.id"],
            name=op.f("fk_alert_flap_server_id_server"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("condition_key", name=op.f("pk_alert_flap")),
    )
    with op.batch_alter_table("alert_flap", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_alert_flap_server_id"), ["server_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("alert_flap", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_alert_flap_server_id"))
    op.drop_table("alert_flap")

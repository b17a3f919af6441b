"""add credential state, audit log and host budgets

Revision ID: 41009b9ca1de
Revises: b81d5f2c0410
Create Date: 2026-12-06 18:55:16.757837
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import homelab_cmd.db.types

revision: str = "41009b9ca1de"
down_revision: str | None = "b81d5f2c0410"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", homelab_cmd.db.types.UtcDateTime(timezone=True), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("actor", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=64), nullable=True),
        sa.Column("target", sa.Text(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_event")),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_event_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_at"), ["at"], unique=False)

    op.create_table(
        "credential_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.BigInteger(), nullable=False),
        sa.Column(
            "legacy_key_disabled_at", homelab_cmd.db.types.UtcDateTime(timezone=True), nullable=True
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credential_state")),
    )
    with op.batch_alter_table("server", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("enrolled_at", homelab_cmd.db.types.UtcDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("budget_warning", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "budget_warning_at", homelab_cmd.db.types.UtcDateTime(timezone=True), nullable=True
            )
        )

    # The one row every hub polls.
    op.execute("INSERT INTO credential_state (id, generation) VALUES (1, 0)")
    # A server that ever had an agent token has enrolled: from now on the legacy key no longer
    # reports for it.
    op.execute(
        "UPDATE server SET enrolled_at = (SELECT MIN(t.created_at) FROM api_token t"
        " WHERE t.server_id = server.id)"
        " WHERE EXISTS (SELECT 1 FROM api_token t WHERE t.server_id = server.id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("server", schema=None) as batch_op:
        batch_op.drop_column("budget_warning_at")
        batch_op.drop_column("budget_warning")
        batch_op.drop_column("enrolled_at")

    op.drop_table("credential_state")
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_at"))
        batch_op.drop_index(batch_op.f("ix_audit_event_action"))

    op.drop_table("audit_event")

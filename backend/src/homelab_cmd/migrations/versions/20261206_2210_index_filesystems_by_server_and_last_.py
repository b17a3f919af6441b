"""index filesystems by server and last seen

The per-server cap finds the rows to retire in this index alone, instead of reading every row
(4 KB mount points and all) of the server to sort them.

Revision ID: a3ad5ecaed1b
Revises: 1381e64c084a
Create Date: 2026-12-06 22:10:34.572554
"""

from collections.abc import Sequence

from alembic import op

revision: str = "a3ad5ecaed1b"
down_revision: str | None = "1381e64c084a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("filesystem", schema=None) as batch_op:
        batch_op.create_index(
            "ix_filesystem_server_last_seen", ["server_id", "last_seen_at", "id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("filesystem", schema=None) as batch_op:
        batch_op.drop_index("ix_filesystem_server_last_seen")

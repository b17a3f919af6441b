"""server snapshot compressed with lz4 on PostgreSQL

Every stored heartbeat rewrites its server's snapshot, whose filesystems alone are ~3 KB of
JSON for ten mounts: past PostgreSQL's 2 KB threshold, so each rewrite is compressed. pglz
took 14-21 µs of the database's CPU per row, lz4 4 µs, for about the same size. Where the
server cannot (before 14, or built without lz4) the columns keep the default, as before.
SQLite stores the text as it is: nothing to do there.

Revision ID: 7c1e4b9a2d05
Revises: e5c58c47c3e1
Create Date: 2026-12-07 07:00:00
"""

import logging
from collections.abc import Sequence

from alembic import op
from sqlalchemy.exc import DBAPIError

revision: str = "7c1e4b9a2d05"
down_revision: str | None = "e5c58c47c3e1"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

log = logging.getLogger(__name__)
# The snapshot's columns that may pass 2 KB; latest_metrics stays far below it.
COLUMNS = ("filesystems", "capacity_domains", "collector_errors", "os_info")
LZ4_SINCE = 140000  # server_version_num of PostgreSQL 14, which added per-column compression
FEATURE_NOT_SUPPORTED = "0A000"  # SQLSTATE of "compression method lz4 not supported"


def _compression(method: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    version = int(bind.exec_driver_sql("SHOW server_version_num").scalar_one())
    if version < LZ4_SINCE:
        return
    try:
        with bind.begin_nested():
            for column in COLUMNS:
                op.execute(f"ALTER TABLE server ALTER COLUMN {column} SET COMPRESSION {method}")
    except DBAPIError as exc:
        if getattr(exc.orig, "sqlstate", None) != FEATURE_NOT_SUPPORTED:
            raise
        # A server built without lz4: the snapshot keeps the default compression.
        log.warning("server snapshot keeps the default compression: %s", exc.orig)


def upgrade() -> None:
    _compression("lz4")


def downgrade() -> None:
    _compression("default")

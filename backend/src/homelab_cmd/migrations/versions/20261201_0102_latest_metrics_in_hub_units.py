"""latest metrics in hub units

The server's latest-metrics snapshot kept the heartbeat's wire units (MiB, GiB); it now holds
bytes under `*_bytes` names, like every other size in the database. The conversions are written
out here rather than imported, so this revision keeps meaning what it meant when it was written.

Revision ID: ef7c1a11a5d3
Revises: 43a5407e00c8
Create Date: 2026-12-01 01:02:03.878876
"""

import json
from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "ef7c1a11a5d3"
down_revision: str | None = "43a5407e00c8"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MIB = 1024**2
GIB = 1024**3
# wire name -> (hub name, bytes per wire unit)
RENAMES = {
    "memory_total_mb": ("memory_total_bytes", MIB),
    "memory_used_mb": ("memory_used_bytes", MIB),
    "disk_total_gb": ("disk_total_bytes", GIB),
    "disk_used_gb": ("disk_used_bytes", GIB),
}
server = sa.table("server", sa.column("id", sa.String), sa.column("latest_metrics", sa.JSON))


def _to_bytes(metrics: dict[str, Any]) -> dict[str, Any]:
    out = dict(metrics)
    for wire, (hub, factor) in RENAMES.items():
        if wire in out:
            value = out.pop(wire)
            out[hub] = None if value is None else round(value * factor)
    return out


def _to_wire(metrics: dict[str, Any]) -> dict[str, Any]:
    out = dict(metrics)
    for wire, (hub, factor) in RENAMES.items():
        if hub in out:
            value = out.pop(hub)
            if value is None:
                out[wire] = None
            elif wire.endswith("_mb"):
                out[wire] = value // factor
            else:
                out[wire] = round(value / factor, 2)
    return out


def _rewrite(convert: Callable[[dict[str, Any]], dict[str, Any]]) -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.select(server.c.id, server.c.latest_metrics).where(server.c.latest_metrics.is_not(None))
    ).all()
    for server_id, stored in rows:
        metrics = json.loads(stored) if isinstance(stored, str) else stored
        if not isinstance(metrics, dict):
            continue
        conn.execute(
            server.update().where(server.c.id == server_id).values(latest_metrics=convert(metrics))
        )


def upgrade() -> None:
    _rewrite(_to_bytes)


def downgrade() -> None:
    _rewrite(_to_wire)

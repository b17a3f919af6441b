"""Builders for test data: heartbeats as agents send them, servers and tokens."""

import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Alert, Filesystem, NotificationChannel, Server, Silence
from homelab_cmd.db.tables import table_of
from homelab_cmd.db.upsert import insert_ignore
from homelab_cmd.domain.access import Role
from homelab_cmd.domain.alerts import Severity
from homelab_cmd.domain.filesystems import mount_key
from homelab_cmd.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.services.access.accounts import create_user
from homelab_cmd.services.access.tokens import create_token
from homelab_cmd.services.alerts.config import AlertConfig
from homelab_cmd.services.alerts.rules import put_rule
from homelab_cmd.services.ingest.store import HeartbeatStore, heartbeat_instant
from homelab_cmd.services.notify.channels import Target

GIB = 1024**3


def filesystem_payload(**overrides: Any) -> dict[str, Any]:
    """One filesystem entry of a heartbeat; percent follows df when not given."""
    fs: dict[str, Any] = {
        "mount_point": "/",
        "device": "/dev/sda1",
        "fs_type": "ext4",
        "total_bytes": 100 * GIB,
        "used_bytes": 40 * GIB,
        "available_bytes": 55 * GIB,
    }
    fs.update(overrides)
    if "percent" not in overrides:
        used, avail = fs["used_bytes"], fs["available_bytes"]
        fs["percent"] = round(100 * used / (used + avail), 2) if used + avail else 0.0
    return fs


def unreachable_filesystem_payload(**overrides: Any) -> dict[str, Any]:
    """A network mount that did not answer statvfs, as the agent reports it."""
    fs = filesystem_payload(
        mount_point="/mnt/nfs",
        device="nas:/export",
        fs_type="nfs4",
        used_bytes=0,
        available_bytes=0,
        total_bytes=0,
        percent=0,
        state="unreachable",
    )
    fs.update(overrides)
    return fs


def drive_payload(
    read_at: datetime | str = "2026-12-01T00:00:00Z",
    counts: dict[int, int] | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """One SATA drive of a heartbeat (ADR 0004), its ATA counts by attribute id."""
    at = read_at.isoformat() if isinstance(read_at, datetime) else read_at
    attributes = [
        {"id": i, "name": f"attr_{i}", "raw": n, "raw_string": str(n), "count": n}
        for i, n in (counts if counts is not None else {5: 0, 197: 0}).items()
    ]
    drive: dict[str, Any] = {
        "id": "wwn:0x5000c500499602d2",
        "name": "/dev/sda",
        "device_type": "sat",
        "state": "ok",
        "checked_at": at,
        "read_at": at,
        "protocol": "ATA",
        "kind": "hdd",
        "model": "ST16000NM001G-2KK103",
        "serial": "ZL2ABC12",
        "capacity_bytes": 16000900661248,
        "smart_passed": True,
        "exit_status": 0,
        "temperature_celsius": 34,
        "power_on_seconds": 47210400,
        "ata_attributes": attributes,
        "filesystems": ["/srv/media"],
        "pools": [],
    }
    drive.update(overrides)
    return drive


def pool_payload(**overrides: Any) -> dict[str, Any]:
    """One ZFS pool of a heartbeat (ADR 0004): a healthy mirror scrubbed at the given time."""
    pool: dict[str, Any] = {
        "kind": "zfs",
        "name": "tank",
        "state": "ONLINE",
        "source": "zpool-json",
        "degraded": False,
        "data_errors": 0,
        "scan": {"function": "scrub", "state": "finished", "errors": 0},
        "devices": [
            {
                "name": "tank",
                "state": "ONLINE",
                "kind": "root",
                "children": [
                    {"name": "sda1", "state": "ONLINE", "kind": "disk", "checksum_errors": 0},
                    {"name": "sdb1", "state": "ONLINE", "kind": "disk", "checksum_errors": 0},
                ],
            }
        ],
    }
    pool.update(overrides)
    return pool


def heartbeat_payload(**overrides: Any) -> dict[str, Any]:
    """A heartbeat as the agent sends it; `timestamp` may be given as a datetime."""
    payload: dict[str, Any] = {
        "server_id": "nas-1",
        "hostname": "nas-1.home.lan",
        "timestamp": datetime.now(UTC).replace(microsecond=0),
        "agent_version": "0.1.0",
        "os_info": {
            "distribution": "Debian GNU/Linux",
            "version": "12",
            "kernel": "6.1.0-18-amd64",
            "architecture": "x86_64",
        },
        "metrics": {
            "cpu_percent": 12.5,
            "memory_percent": 40.0,
            "memory_total_mb": 8192,
            "memory_used_mb": 3277,
            "disk_percent": 42.1,
            "disk_total_gb": 100.0,
            "disk_used_gb": 40.0,
            "network_rx_bytes": 1_000_000,
            "network_tx_bytes": 500_000,
            "load_1m": 0.5,
            "load_5m": 0.4,
            "load_15m": 0.3,
            "uptime_seconds": 86_400,
        },
        "filesystems": [
            filesystem_payload(),
            filesystem_payload(mount_point="/data", device="/dev/sdb1", fs_type="xfs"),
        ],
    }
    payload.update(overrides)
    if isinstance(payload["timestamp"], datetime):
        payload["timestamp"] = payload["timestamp"].isoformat()
    return payload


def store_heartbeats(engine: Any, payloads: list[dict[str, Any]]) -> None:
    """Write heartbeats through the hub's ingest path (rollup queue included), one transaction."""
    store = HeartbeatStore()
    with engine.begin() as conn:
        instants = set()
        for payload in payloads:
            heartbeat = HeartbeatRequest.model_validate(payload)
            at = heartbeat_instant(heartbeat)
            store.store(conn, heartbeat, at)
            instants.add(at)
        store.queue_rollups(conn, instants)


def make_filesystem(
    engine: Any,
    server_id: str = "nas-1",
    mount_point: str = "/data",
    seen_at: datetime = datetime(2026, 11, 20, 12, tzinfo=UTC),
) -> int:
    """A server (if new) and one filesystem row last seen at `seen_at`; returns its id."""
    at = seen_at
    with engine.begin() as conn:
        conn.execute(
            insert_ignore(table_of(Server), conn.dialect),
            {"id": server_id, "hostname": server_id, "created_at": at, "last_seen_at": at},
        )
        conn.execute(
            insert_ignore(table_of(Filesystem), conn.dialect),
            {
                "server_id": server_id,
                "mount_key": mount_key(mount_point),
                "mount_point": mount_point,
                "device": "/dev/sdb1",
                "fs_type": "ext4",
                "first_seen_at": at,
                "last_seen_at": at,
            },
        )
        return int(
            conn.execute(
                select(Filesystem.id).where(
                    Filesystem.server_id == server_id, Filesystem.mount_point == mount_point
                )
            ).scalar_one()
        )


def filesystem_hour_row(
    filesystem_id: int, at: datetime, used: int, total: int, available: int | None = None
) -> dict[str, Any]:
    """One row of the hourly filesystem tier with a single value for min/avg/max."""
    return {
        "filesystem_id": filesystem_id,
        "bucket_at": at,
        "sample_count": 60,
        "used_bytes_min": used,
        "used_bytes_avg": used,
        "used_bytes_max": used,
        "available_bytes_avg": total - used if available is None else available,
        "total_bytes_max": total,
    }


def make_server(engine: Any, server_id: str = "nas-1") -> str:
    """A registered server that has not reported yet; returns its id."""
    at = datetime.now(UTC)
    with engine.begin() as conn:
        conn.execute(
            insert_ignore(table_of(Server), conn.dialect),
            {"id": server_id, "hostname": server_id, "created_at": at},
        )
    return server_id


def make_token(
    engine: Any, role: Role = Role.READ, server_id: str | None = None, name: str = "test"
) -> tuple[int, str]:
    """A stored token through the hub's own service; returns its id and secret."""
    with Session(engine) as session:
        token, secret = create_token(session, name, role, server_id)
        return token.id, secret


ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "a-long-admin-password"


def make_admin(engine: Any, username: str = ADMIN_USERNAME, password: str = ADMIN_PASSWORD) -> int:
    """An admin account through the hub's own service; returns its id."""
    with Session(engine) as session:
        return create_user(session, username, password).id


def make_alert_objects(engine: Any, server_id: str) -> dict[str, int]:
    """A firing alert, a silence, a channel and a mount rule for `/data` on a server."""
    now = datetime.now(UTC)
    with Session(engine) as session:
        alert = Alert(
            kind="disk_used",
            server_id=server_id,
            mount_point="/data",
            open_key=secrets.token_hex(16),  # unique: a caller may make several
            state="firing",
            severity="warning",
            started_at=now,
            fired_at=now,
            message="/data is 90.0 % full",
            unknown=False,
        )
        silence = Silence(
            server_id=server_id,
            created_by="test",
            created_at=now,
            ends_at=now + timedelta(hours=1),
        )
        channel = NotificationChannel(
            name="hook", url="json://127.0.0.1:9/", min_severity="warning", created_at=now
        )
        session.add_all([alert, silence, channel])
        session.commit()
        put_rule(session, server_id, "/data", {"mode": "ignore"})
        return {"alert_id": alert.id, "silence_id": silence.id, "channel_id": channel.id}


def alert_config(**changes: Any) -> AlertConfig:
    """Alert evaluation's settings as the tests run it: the hub's defaults, no grouping, and one
    channel the passes queue messages for (nothing listens: delivery is tested elsewhere)."""
    values: dict[str, Any] = {
        "offline_after_seconds": 180,
        "hold_seconds": 60,
        "unreachable_seconds": 300,
        "repeat_warning_seconds": 24 * 3600,
        "repeat_critical_seconds": 4 * 3600,
        "group_seconds": 0,
        "history_days": 90,
        "public_url": None,
        "env_targets": (Target("env:0", "json://127.0.0.1:9/", Severity.WARNING),),
    }
    return AlertConfig(**{**values, **changes})

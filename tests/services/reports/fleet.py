"""A week of a small homelab fleet, for the capacity report's tests.

Heartbeats go through the hub's ingest path (servers, snapshots, drives and pools judged as
they would be), two weeks of hourly history are written into the tier the forecast reads, and
the real forecast runs over it. Alerts are rows as the alert pass leaves them, at the times the
test needs (the pass stamps its own clock).

    nas-1   /        flat                          100 GiB
            /srv     +5 GiB a day, 46 GiB free      fills in ~9 days, confident
            drive /dev/sda warning (24 reallocated sectors), its alert opened 2 days ago
            usage scans of /srv 8 days and 1 day ago: /srv/frigate/recordings grew 30 GiB
    pve-1   /var/lib/vz  +2 GiB a day, 100 GiB free fills in ~50 days, confident
            /tank/media, /tank/vm, /tank/backup: datasets of pool tank, growing 1, 3 and 0 GiB
                a day; the pool's 300 GiB free fall 4 GiB a day, so all three fill with the pool
                in ~75 days (alone: ~300 days, ~100 days, never)
            pool tank degraded 3 days ago, online again since yesterday
    pi-1    /        shrinking                      no fill date
            /mnt/scratch +10 GiB a day, 50 GiB free, but its mount rule says ignore
    backup-1 /backups +10 GiB a day for two days, 200 GiB free: a date, not yet confident
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Alert, Filesystem, FilesystemHourly
from homelab_cmd.db.tables import table_of
from homelab_cmd.domain.tiers import HOUR, floor_to
from homelab_cmd.services.alerts.rules import put_rule
from homelab_cmd.services.alerts.storage import drive_subject, pool_subject
from homelab_cmd.services.forecast.trends import update_trends
from tests.factories import (
    GIB,
    drive_payload,
    filesystem_hour_row,
    filesystem_payload,
    heartbeat_payload,
    pool_payload,
    store_heartbeats,
)

TIB = 1024 * GIB
DRIVE_KEY = "wwn:0x5000c500499602d2"
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Pool:
    """A ZFS pool whose free space its datasets share."""

    key: str
    free_now: int
    per_day: float  # bytes its free space falls a day

    def free(self, days_ago: float) -> int:
        return int(self.free_now + self.per_day * days_ago)


@dataclass(frozen=True)
class Disk:
    server: str
    mount: str
    size: int  # a dataset's size is its used bytes and the pool's free space
    used_now: int
    per_day: float  # bytes a day over the history
    history_days: int = 14
    noise: int = 0  # standard deviation of the hourly figures around the line, bytes
    pool: Pool | None = None

    def used(self, days_ago: float) -> int:
        return int(self.used_now - self.per_day * days_ago)

    def total(self, days_ago: float) -> int:
        return self.size if self.pool is None else self.used(days_ago) + self.pool.free(days_ago)


TANK = Pool("zfs:tank", 300 * GIB, 4 * GIB)


DISKS = (
    Disk("nas-1", "/", 100 * GIB, 40 * GIB, 0),
    Disk("nas-1", "/srv", 4 * TIB, 4 * TIB - 46 * GIB, 5 * GIB, noise=2 * GIB),
    Disk("pve-1", "/var/lib/vz", TIB, TIB - 100 * GIB, 2 * GIB, noise=GIB),
    Disk("pve-1", "/tank/media", 0, 1400 * GIB, 1 * GIB, pool=TANK),
    Disk("pve-1", "/tank/vm", 0, 600 * GIB, 3 * GIB, pool=TANK),
    Disk("pve-1", "/tank/backup", 0, 900 * GIB, 0, pool=TANK),
    Disk("pi-1", "/", 32 * GIB, 10 * GIB, -0.2 * GIB),
    Disk("pi-1", "/mnt/scratch", 500 * GIB, 450 * GIB, 10 * GIB),
    Disk("backup-1", "/backups", 4 * TIB, 4 * TIB - 200 * GIB, 10 * GIB, history_days=2),
)
HOSTNAMES = {
    "nas-1": "nas-1.home.lan",
    "pve-1": "pve-1.home.lan",
    "pi-1": "pi-1.home.lan",
    "backup-1": "backup-1.home.lan",
}


def _filesystem(disk: Disk) -> dict[str, Any]:
    total = disk.total(0)
    if disk.pool is not None:
        return filesystem_payload(
            mount_point=disk.mount,
            device=f"tank{disk.mount.removeprefix('/tank')}",
            fs_type="zfs",
            total_bytes=total,
            used_bytes=disk.used_now,
            available_bytes=total - disk.used_now,
            capacity_domain=disk.pool.key,
        )
    return filesystem_payload(
        mount_point=disk.mount,
        device=f"/dev/{disk.server}{len(disk.mount)}",
        total_bytes=total,
        used_bytes=disk.used_now,
        available_bytes=total - disk.used_now,
    )


def _pve_domains() -> list[dict[str, Any]]:
    """pve-1's agent reports capacity domains: its pool, and the disk of /var/lib/vz."""
    datasets = [d for d in DISKS if d.pool is TANK]
    used = sum(d.used_now for d in datasets)
    (vz,) = [d for d in DISKS if d.mount == "/var/lib/vz"]
    return [
        {
            "key": TANK.key,
            "kind": "zfs_pool",
            "members": [d.mount for d in datasets],
            "total_bytes": used + TANK.free_now,
            "used_bytes": used,
            "available_bytes": TANK.free_now,
        },
        {
            "key": "dev:/dev/pve-112",
            "kind": "device",
            "members": [vz.mount],
            "total_bytes": vz.size,
            "used_bytes": vz.used_now,
            "available_bytes": vz.size - vz.used_now,
        },
    ]


def _scan(started_at: datetime, recordings: int, media: int) -> dict[str, Any]:
    """A usage scan of /srv as the agent sends it (ADR 0005): bytes of each kept directory."""
    frigate = recordings + 2 * GIB
    return {
        "mount_point": "/srv",
        "request_id": None,
        "started_at": started_at.isoformat(),
        "duration_seconds": 41.5,
        "entries": 812_345,
        "unreadable": 0,
        "stopped_by": None,
        "error": None,
        "total_bytes": frigate + media,
        "directories": [
            {"path": "/srv", "bytes": frigate + media, "other_bytes": 0},
            {"path": "/srv/frigate", "bytes": frigate, "other_bytes": 2 * GIB},
            {"path": "/srv/frigate/recordings", "bytes": recordings, "other_bytes": recordings},
            {"path": "/srv/media", "bytes": media, "other_bytes": media},
        ],
    }


def scan_heartbeats(now: datetime) -> list[dict[str, Any]]:
    """nas-1's heartbeats that carried its two usage scans of /srv, oldest first."""
    out = []
    for days_ago, recordings, media in ((8, 1000 * GIB, 2000 * GIB), (1, 1030 * GIB, 2005 * GIB)):
        at = now - days_ago * DAY
        (srv,) = [d for d in DISKS if d.mount == "/srv"]
        fs = _filesystem(srv) | {"used_bytes": srv.used(days_ago)}
        fs["available_bytes"] = srv.size - fs["used_bytes"]
        fs["percent"] = round(100 * fs["used_bytes"] / srv.size, 2)
        out.append(
            heartbeat_payload(
                server_id="nas-1",
                hostname=HOSTNAMES["nas-1"],
                timestamp=at,
                filesystems=[fs],
                usage_scans=[_scan(at - timedelta(minutes=5), recordings, media)],
            )
        )
    return out


def heartbeats(now: datetime, hostnames: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """Each server's latest heartbeat, as its agent sends it."""
    names = {**HOSTNAMES, **(hostnames or {})}
    out = []
    for server, hostname in names.items():
        extra: dict[str, Any] = {}
        if server == "nas-1":
            extra["drives"] = [drive_payload(read_at=now, counts={5: 24, 197: 0})]
        if server == "pve-1":
            extra["pools"] = [pool_payload()]
            extra["capacity_domains"] = _pve_domains()
        out.append(
            heartbeat_payload(
                server_id=server,
                hostname=hostname,
                timestamp=now,
                filesystems=[_filesystem(d) for d in DISKS if d.server == server],
                **extra,
            )
        )
    return out


def _history(engine: Engine, now: datetime) -> list[int]:
    with Session(engine) as session:
        ids = {(fs.server_id, fs.mount_point): fs.id for fs in session.scalars(select(Filesystem))}
    start = floor_to(now, HOUR)
    rows = []
    for disk in DISKS:
        fs_id = ids[(disk.server, disk.mount)]
        rng = random.Random(f"{disk.server}{disk.mount}")  # the same fleet every run
        for hour in range(disk.history_days * 24, 0, -1):
            at = start - timedelta(hours=hour)
            days_ago = (now - at).total_seconds() / 86400
            used = disk.used(days_ago) + (int(rng.gauss(0, disk.noise)) if disk.noise else 0)
            rows.append(filesystem_hour_row(fs_id, at, used, disk.total(days_ago)))
    with engine.begin() as conn:
        conn.execute(table_of(FilesystemHourly).insert(), rows)
    return sorted(ids.values())


def _alert(
    kind: str,
    server: str,
    subject: str | None,
    severity: str,
    fired_at: datetime | None,
    *,
    started_at: datetime | None = None,
    resolved_at: datetime | None = None,
    acknowledged_at: datetime | None = None,
    message: str = "",
) -> Alert:
    open_ = resolved_at is None
    return Alert(
        kind=kind,
        server_id=server,
        mount_point=subject,
        open_key=f"{kind}:{server}:{subject}" if open_ else None,
        state=("firing" if fired_at else "pending") if open_ else "resolved",
        severity=severity,
        started_at=started_at or fired_at,
        fired_at=fired_at,
        resolved_at=resolved_at,
        acknowledged_at=acknowledged_at,
        acknowledged_by="admin" if acknowledged_at else None,
        message=message or f"{subject or server}: {kind}",
        unknown=False,
    )


def alerts(now: datetime) -> list[Alert]:
    """The week's alerts: four opened in it, one acknowledged, one resolved, five firing."""
    tank = pool_subject("zfs", "tank")
    return [
        _alert("time_to_full", "nas-1", "/srv", "critical", now - 3 * DAY,
               acknowledged_at=now - 2 * DAY, message="/srv fills in about 9.2 days"),
        _alert("disk_used", "pve-1", "/var/lib/vz", "warning", now - DAY,
               message="/var/lib/vz is 90.2 % full: 100.0 GiB free of 1.0 TiB"),
        _alert("drive_health", "nas-1", drive_subject(DRIVE_KEY), "warning", now - 2 * DAY,
               message="/dev/sda: 24 reallocated sectors (5)"),
        _alert("pool_degraded", "pve-1", tank, "critical", now - 3 * DAY,
               resolved_at=now - DAY, message="zfs pool tank (DEGRADED): sdb1 is FAULTED"),
        # Before the week: neither opened nor resolved in it.
        _alert("disk_used", "pi-1", "/", "warning", now - 20 * DAY, resolved_at=now - 10 * DAY,
               message="/ is 88.0 % full: 3.8 GiB free of 32.0 GiB"),
        _alert("server_offline", "backup-1", None, "warning", now - 12 * DAY,
               message=f"no heartbeat since {now - 12 * DAY:%Y-%m-%d %H:%M} UTC"),
        _alert("drive_health", "pi-1", "drive:serial:SD:1", "warning", now - 10 * DAY,
               message="/dev/mmcblk0 (SD card; holds /): 12 % of its spare blocks used"),
        # Pending, never fired.
        _alert("disk_used", "pi-1", "/mnt/scratch", "warning", None, started_at=now - DAY / 24,
               message="/mnt/scratch is 90.0 % full: 50.0 GiB free of 500.0 GiB"),
    ]  # fmt: skip


def build_fleet(engine: Engine, now: datetime, hostnames: dict[str, str] | None = None) -> None:
    """The fleet above, as of `now`."""
    store_heartbeats(engine, scan_heartbeats(now) + heartbeats(now, hostnames))
    ids = _history(engine, now)
    with engine.begin() as conn:
        update_trends(conn, ids, now)
    with Session(engine) as session:
        session.add_all(alerts(now))
        session.commit()
        put_rule(session, "pi-1", "/mnt/scratch", {"mode": "ignore"})

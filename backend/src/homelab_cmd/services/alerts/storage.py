"""The conditions a server's drives and pools meet now (docs/alerts.md, "Drives and pools")."""

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Drive, Pool
from homelab_cmd.domain.alerts import AlertKind, Severity
from homelab_cmd.domain.drives import COUNT_LABELS, DriveHealth
from homelab_cmd.domain.pools import PoolHealth, judge_pool
from homelab_cmd.services.alerts.observe import Findings, Observation

DRIVE_SEVERITY = {DriveHealth.WARNING: Severity.WARNING, DriveHealth.FAILED: Severity.CRITICAL}
POOL_SEVERITY = {PoolHealth.WARNING: Severity.WARNING, PoolHealth.CRITICAL: Severity.CRITICAL}


def drive_subject(drive_key: str) -> str:
    """What a drive alert is about, in its mount_point: the drive's stable key."""
    return f"drive:{drive_key}"


def pool_subject(kind: str, name: str) -> str:
    return f"{kind}:{name}"


class StorageBook:
    """The drives and pools of a batch of servers, read once a pass."""

    def __init__(self, session: Session, ids: list[str] | None) -> None:
        self.drives: dict[str, list[Drive]] = defaultdict(list)
        self.pools: dict[str, list[Pool]] = defaultdict(list)
        if ids == []:
            return
        drives = select(Drive)
        pools = select(Pool)
        if ids is not None:
            drives = drives.where(Drive.server_id.in_(ids))
            pools = pools.where(Pool.server_id.in_(ids))
        for drive in session.scalars(drives):
            self.drives[drive.server_id].append(drive)
        for pool in session.scalars(pools):
            self.pools[pool.server_id].append(pool)


def _drive_text(drive: Drive) -> str:
    reading: dict[str, Any] = drive.reading or {}
    identity = ", ".join(
        part for part in (drive.model, f"serial {drive.serial}" if drive.serial else None) if part
    )
    filesystems = reading.get("filesystems") or []
    where = f"holds {', '.join(filesystems)}" if filesystems else "holds no reported filesystem"
    return f"{drive.name} ({identity or drive.drive_key}; {where}): {'; '.join(drive.reasons)}"


def observe_drives(drives: list[Drive], findings: Findings) -> None:
    """A drive alert per drive that is not passed; an unknown one keeps its alert as it was."""
    for drive in drives:
        subject = drive_subject(drive.drive_key)
        health = DriveHealth(drive.health)
        severity = DRIVE_SEVERITY.get(health)
        if severity is None:
            if health is DriveHealth.UNKNOWN:
                findings.kept.add((AlertKind.DRIVE_HEALTH, subject))
            continue
        text = _drive_text(drive)
        figures = {
            "text": text,
            "drive": drive.name,
            "model": drive.model,
            "serial": drive.serial,
            "health": str(health),
            "reasons": list(drive.reasons),
            # The counts behind it: a change re-opens an acknowledged alert.
            "values": {k: v for k, v in (drive.counts or {}).items() if k in COUNT_LABELS},
            "filesystems": (drive.reading or {}).get("filesystems") or [],
        }
        findings.observed.append(
            Observation(AlertKind.DRIVE_HEALTH, subject, severity, text, figures)
        )


def observe_pools(
    pools: list[Pool], now: datetime, scrub_max_age: timedelta, findings: Findings
) -> None:
    """One alert per pool and condition (degraded, faulted, new errors, scrub age, scrub errors)."""
    for pool in pools:
        verdict = judge_pool(
            pool.reading, pool.baseline, pool.degraded_since, pool.first_seen_at, now, scrub_max_age
        )
        by_kind: dict[AlertKind, list[tuple[PoolHealth, str]]] = defaultdict(list)
        for finding in verdict.findings:
            by_kind[AlertKind(finding.condition.value)].append((finding.health, finding.reason))
        subject = pool_subject(pool.kind, pool.name)
        for kind, found in by_kind.items():
            worst = max((h for h, _ in found), key=lambda h: h.rank)
            severity = POOL_SEVERITY.get(worst)
            if severity is None:
                continue
            text = f"{pool.kind} pool {pool.name} ({pool.state}): " + "; ".join(r for _, r in found)
            figures = {"text": text, "pool": pool.name, "state": pool.state}
            findings.observed.append(Observation(kind, subject, severity, text, figures))

"""Drive and pool gauges for /metrics (docs/prometheus.md), read from their rows at each scrape."""

from collections.abc import Collection, Iterator
from datetime import datetime, timedelta

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.samples import Sample
from sqlalchemy import select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Drive, Pool
from homelab_cmd.domain.drives import DriveHealth
from homelab_cmd.domain.pools import DEFAULT_SCRUB_MAX_AGE_DAYS, PoolHealth, instant, judge_pool

DRIVE_LABELS = ["server", "drive", "device", "model", "serial", "kind"]
POOL_LABELS = ["server", "pool", "kind"]
# The health as a number rules can compare: 0 fine (passed, or asleep after passing), 1 warning,
# 2 failed; -1 unknown (no S.M.A.R.T. data).
DRIVE_VALUES = {
    DriveHealth.PASSED: 0.0,
    DriveHealth.ASLEEP: 0.0,
    DriveHealth.WARNING: 1.0,
    DriveHealth.FAILED: 2.0,
    DriveHealth.UNKNOWN: -1.0,
}
POOL_VALUES = {
    PoolHealth.OK: 0.0,
    PoolHealth.WARNING: 1.0,
    PoolHealth.CRITICAL: 2.0,
    PoolHealth.UNKNOWN: -1.0,
}


def _gauge(name: str, help_text: str, labels: list[str]) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, help_text, labels=labels)


def drive_gauges() -> list[GaugeMetricFamily]:
    """The drive families, empty, in the order a scrape lists them."""
    health = _gauge(
        "homelab_drive_health",
        "Drive health: 0 passed (or asleep), 1 warning, 2 failed, -1 unknown; label health",
        [*DRIVE_LABELS, "health"],
    )
    temperature = _gauge(
        "homelab_drive_temperature_celsius", "Drive temperature at its last reading", DRIVE_LABELS
    )
    hours = _gauge(
        "homelab_drive_power_on_hours", "Drive power-on hours at its last reading", DRIVE_LABELS
    )
    read = _gauge(
        "homelab_drive_read_timestamp_seconds",
        "When the drive's data was read, as a Unix timestamp",
        DRIVE_LABELS,
    )
    counts = _gauge(
        "homelab_drive_attribute",
        "A key S.M.A.R.T. count (attribute: ata_5, ata_197, nvme_media_errors, ...)",
        [*DRIVE_LABELS, "attribute"],
    )
    return [health, temperature, hours, read, counts]


def drive_families(
    session: Session, online: set[str], servers: Collection[str] | None = None
) -> Iterator[Metric]:
    """Per drive of an online server (of `servers`, when given): health, temperature, power-on
    hours, key counts."""
    health, temperature, hours, read, counts = drive_gauges()
    query = select(Drive).order_by(Drive.server_id, Drive.name)
    if servers is not None:
        query = query.where(Drive.server_id.in_(servers))
    for drive in session.scalars(query):
        if drive.server_id not in online:
            continue
        labels = dict(
            zip(
                DRIVE_LABELS,
                (
                    drive.server_id,
                    drive.drive_key,
                    drive.name,
                    drive.model or "",
                    drive.serial or "",
                    drive.kind,
                ),
                strict=True,
            )
        )
        value = DRIVE_VALUES[DriveHealth(drive.health)]
        health.samples.append(Sample(health.name, {**labels, "health": drive.health}, value))
        reading = drive.reading or {}
        if reading.get("temperature_celsius") is not None:
            temperature.samples.append(
                Sample(temperature.name, labels, float(reading["temperature_celsius"]))
            )
        if reading.get("power_on_seconds") is not None:
            hours.samples.append(Sample(hours.name, labels, reading["power_on_seconds"] // 3600))
        if drive.read_at is not None:
            read.samples.append(Sample(read.name, labels, drive.read_at.timestamp()))
        for key, count in sorted((drive.counts or {}).items()):
            counts.samples.append(Sample(counts.name, {**labels, "attribute": key}, float(count)))
    # A family no drive reports is left out, not sent empty.
    yield from (f for f in (health, temperature, hours, read, counts) if f.samples)


def pool_gauges() -> list[GaugeMetricFamily]:
    """The pool families, empty, in the order a scrape lists them."""
    health = _gauge(
        "homelab_pool_health",
        "Pool health: 0 ok, 1 warning, 2 critical (docs/alerts.md); label health",
        [*POOL_LABELS, "health"],
    )
    state = _gauge(
        "homelab_pool_state", "The pool's state as read; always 1", [*POOL_LABELS, "state"]
    )
    degraded = _gauge("homelab_pool_degraded", "1 while the pool or array is degraded", POOL_LABELS)
    scrub = _gauge(
        "homelab_pool_last_scrub_timestamp_seconds",
        "When the pool's last scrub ended (ZFS), as a Unix timestamp",
        POOL_LABELS,
    )
    return [health, state, degraded, scrub]


def pool_families(
    session: Session,
    online: set[str],
    now: datetime,
    scrub_max_age: timedelta = timedelta(days=DEFAULT_SCRUB_MAX_AGE_DAYS),
    servers: Collection[str] | None = None,
) -> Iterator[Metric]:
    """Per pool of an online server (of `servers`, when given): health, state, degraded, last
    scrub."""
    health, state, degraded, scrub = pool_gauges()
    query = select(Pool).order_by(Pool.server_id, Pool.kind, Pool.name)
    if servers is not None:
        query = query.where(Pool.server_id.in_(servers))
    for pool in session.scalars(query):
        if pool.server_id not in online:
            continue
        labels = {"server": pool.server_id, "pool": pool.name, "kind": pool.kind}
        verdict = judge_pool(
            pool.reading, pool.baseline, pool.degraded_since, pool.first_seen_at, now, scrub_max_age
        )
        health.samples.append(
            Sample(health.name, {**labels, "health": verdict.health}, POOL_VALUES[verdict.health])
        )
        state.samples.append(Sample(state.name, {**labels, "state": pool.state}, 1.0))
        degraded.samples.append(
            Sample(degraded.name, labels, 1.0 if pool.reading.get("degraded") else 0.0)
        )
        scan = pool.reading.get("scan") or {}
        ended = instant(scan.get("ended_at")) if scan.get("function") == "scrub" else None
        if ended is not None:
            scrub.samples.append(Sample(scrub.name, labels, ended.timestamp()))
    yield from (f for f in (health, state, degraded, scrub) if f.samples)

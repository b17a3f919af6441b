"""Pool and array health as pure rules: degraded, faulted, new errors, scrubs (docs/alerts.md).

Judged when read (at each alert pass and API read), since "critical after 15 minutes" and
"scrub overdue" depend on the clock; the store keeps when a pool turned degraded and the error
counts first seen (the baseline: a stable old count never keeps alerting).
"""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any


class PoolHealth(StrEnum):
    OK = "ok"
    WARNING = "warning"
    CRITICAL = "critical"
    UNKNOWN = "unknown"

    @property
    def rank(self) -> int:
        return {"critical": 3, "warning": 2, "unknown": 1, "ok": 0}[self.value]


class PoolCondition(StrEnum):
    """What a pool finding is about; each is an alert kind of its own."""

    DEGRADED = "pool_degraded"
    FAULTED = "pool_faulted"
    ERRORS = "pool_errors"
    SCRUB_OVERDUE = "scrub_overdue"
    SCRUB_ERRORS = "scrub_errors"


# A degraded pool or array warns at once and is critical after this long (node_exporter's
# NodeRAIDDegraded fires after 15 minutes).
DEGRADED_CRITICAL_AFTER = timedelta(minutes=15)
DEFAULT_SCRUB_MAX_AGE_DAYS = 35
FAULTED_STATES = frozenset({"FAULTED", "UNAVAIL", "SUSPENDED"})
FAILED_MEMBER_STATES = frozenset({"FAULTED", "faulty"})
# md array_state values of an array that lost what it needs to work (md(4)).
MD_BROKEN_STATES = frozenset({"broken"})
# Error counters per device: the ones whose increase is critical (btrfs write and flush errors:
# the data did not reach the disk), the rest warn.
CRITICAL_COUNTERS = ("write_errors", "flush_errors")
WARNING_COUNTERS = ("read_errors", "checksum_errors", "corruption_errors", "generation_errors")
DEVICE_COUNTERS = CRITICAL_COUNTERS + WARNING_COUNTERS


@dataclass(frozen=True)
class PoolFinding:
    condition: PoolCondition
    health: PoolHealth
    reason: str


@dataclass(frozen=True)
class PoolVerdict:
    health: PoolHealth
    reasons: list[str]
    findings: list[PoolFinding] = field(default_factory=list)


def _leaves(devices: Sequence[Mapping[str, Any]], trail: str = "") -> Iterator[tuple[str, Any]]:
    for device in devices:
        name = f"{trail}{device.get('name')}"
        children = device.get("children") or []
        yield name, device
        yield from _leaves(children, f"{name}/")


def error_counts(pool: Mapping[str, Any]) -> dict[str, int]:
    """Every device's error counters, keyed `device/path:counter`, and the pool's data errors."""
    counts: dict[str, int] = {}
    for name, device in _leaves(pool.get("devices") or []):
        for counter in DEVICE_COUNTERS:
            value = device.get(counter)
            if isinstance(value, int):
                counts[f"{name}:{counter}"] = value
    if isinstance(pool.get("data_errors"), int):
        counts[":data_errors"] = pool["data_errors"]
    return counts


def _new_errors(pool: Mapping[str, Any], baseline: Mapping[str, int]) -> list[PoolFinding]:
    out = []
    for key, value in error_counts(pool).items():
        base = baseline.get(key, value)
        if value <= base:
            continue
        device, counter = key.rsplit(":", 1)
        critical = counter in CRITICAL_COUNTERS
        where = f"on {device}" if device else "in the pool"
        out.append(
            PoolFinding(
                PoolCondition.ERRORS,
                PoolHealth.CRITICAL if critical else PoolHealth.WARNING,
                f"{counter.replace('_', ' ')} {where} rose from {base} to {value}",
            )
        )
    return out


def _scrub(
    pool: Mapping[str, Any], first_seen_at: datetime, now: datetime, max_age: timedelta
) -> list[PoolFinding]:
    if pool.get("kind") != "zfs":
        return []  # md checks and btrfs scrubs are not reported with an end time
    scan = pool.get("scan") or {}
    scrub = scan if scan.get("function") == "scrub" else {}
    out = []
    if scrub.get("state") == "finished" and (scrub.get("errors") or 0) > 0:
        out.append(
            PoolFinding(
                PoolCondition.SCRUB_ERRORS,
                PoolHealth.CRITICAL,
                f"the last scrub found {scrub['errors']} errors",
            )
        )
    last = instant(scrub.get("ended_at") or scrub.get("started_at"))
    days = max_age.days
    if last is None:
        if now - first_seen_at >= max_age and scrub.get("state") != "scanning":
            out.append(
                PoolFinding(
                    PoolCondition.SCRUB_OVERDUE,
                    PoolHealth.WARNING,
                    f"no scrub reported in the {days} days the hub has known it",
                )
            )
    elif now - last >= max_age and scrub.get("state") != "scanning":
        out.append(
            PoolFinding(
                PoolCondition.SCRUB_OVERDUE,
                PoolHealth.WARNING,
                f"last scrub {(now - last).days} days ago ({last:%Y-%m-%d}; due every {days} days)",
            )
        )
    return out


def instant(text: Any) -> datetime | None:
    """An ISO-8601 instant from a reading, or None when it is absent or malformed."""
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _state(
    pool: Mapping[str, Any], degraded_since: datetime | None, now: datetime
) -> list[PoolFinding]:
    state = str(pool.get("state") or "")
    kind = pool.get("kind")
    out = []
    if state in FAULTED_STATES or (kind == "md" and state in MD_BROKEN_STATES):
        out.append(PoolFinding(PoolCondition.FAULTED, PoolHealth.CRITICAL, f"the pool is {state}"))
    failed = [
        name
        for name, device in _leaves(pool.get("devices") or [])
        if device.get("state") in FAILED_MEMBER_STATES and not device.get("children")
    ]
    if failed:
        out.append(
            PoolFinding(
                PoolCondition.FAULTED,
                PoolHealth.CRITICAL,
                f"failed member{'s' if len(failed) > 1 else ''}: {', '.join(failed)}",
            )
        )
    if pool.get("degraded") and kind in {"zfs", "md"} and not out:
        since = degraded_since or now
        long = now - since >= DEGRADED_CRITICAL_AFTER
        what = (
            f"{pool.get('active_devices')} of {pool.get('raid_devices')} devices active"
            if kind == "md"
            else state
        )
        out.append(
            PoolFinding(
                PoolCondition.DEGRADED,
                PoolHealth.CRITICAL if long else PoolHealth.WARNING,
                f"degraded since {since:%Y-%m-%d %H:%M} UTC ({what})",
            )
        )
    return out


def judge_pool(  # noqa: PLR0917  (each argument is a separate fact)
    pool: Mapping[str, Any],
    baseline: Mapping[str, int],
    degraded_since: datetime | None,
    first_seen_at: datetime,
    now: datetime,
    scrub_max_age: timedelta = timedelta(days=DEFAULT_SCRUB_MAX_AGE_DAYS),
) -> PoolVerdict:
    """A pool's health now (`pool` is its wire entry as stored), with its reasons in words."""
    findings = [
        *_state(pool, degraded_since, now),
        *_new_errors(pool, baseline),
        *_scrub(pool, first_seen_at, now, scrub_max_age),
    ]
    worst = max((f.health for f in findings), key=lambda h: h.rank, default=PoolHealth.OK)
    ordered = sorted(findings, key=lambda f: -f.health.rank)
    return PoolVerdict(worst, [f.reason for f in ordered], ordered)

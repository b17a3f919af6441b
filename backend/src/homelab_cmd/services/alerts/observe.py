"""What holds now for one server: the conditions its latest snapshot meets (docs/alerts.md)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from homelab_cmd.domain.alerts import (
    AlertKind,
    MountMode,
    MountPolicy,
    Severity,
    disk_severity,
    fill_severity,
    inode_severity,
)
from homelab_cmd.domain.filesystems import FilesystemState
from homelab_cmd.domain.snapshot import SnapshotFilesystem
from homelab_cmd.services.alerts.messages import describe

# Conditions read from a mount's figures: kept as they are while the mount cannot be read.
FIGURE_KINDS = (
    AlertKind.DISK_USED,
    AlertKind.TIME_TO_FULL,
    AlertKind.INODES_USED,
    AlertKind.INODES_TIME_TO_FULL,
    AlertKind.READ_ONLY,
)
DAY = 86400.0


@dataclass(frozen=True)
class Observation:
    kind: AlertKind
    mount_point: str | None
    severity: Severity
    message: str
    figures: dict[str, Any]


@dataclass(frozen=True)
class Trend:
    full_at: datetime
    full_at_earliest: datetime | None
    full_at_latest: datetime | None
    # The capacity domain in words ("pool tank") when the date is the domain's, not its own.
    fills_with: str | None = None


@dataclass
class Findings:
    """Conditions met now, and (kind, mount) pairs whose open alert is left as it is."""

    observed: list[Observation] = field(default_factory=list)
    kept: set[tuple[AlertKind, str | None]] = field(default_factory=set)
    # Filesystem ids newly seen writable (remembered for the read-only flip).
    writable: list[int] = field(default_factory=list)

    def add(
        self, kind: AlertKind, mount: str | None, severity: Severity | None, figures: dict[str, Any]
    ) -> None:
        if severity is not None:
            message = describe(kind, mount, figures)
            self.observed.append(Observation(kind, mount, severity, message, figures))

    def keep(self, mount: str, kinds: tuple[AlertKind, ...]) -> None:
        self.kept.update((kind, mount) for kind in kinds)


@dataclass(frozen=True)
class MountFacts:
    """What the hub stores about a mount beyond the snapshot."""

    filesystem_id: int | None
    seen_writable: bool
    # Confident forecasts only: of the bytes, and of the inodes.
    trend: Trend | None
    inodes_trend: Trend | None = None


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at is not None else None


def _fill_figures(trend: Trend, days_left: float) -> dict[str, Any]:
    figures = {
        "days_left": round(days_left, 2),
        "full_at": _iso(trend.full_at),
        "full_at_earliest": _iso(trend.full_at_earliest),
        "full_at_latest": _iso(trend.full_at_latest),
    }
    if trend.fills_with is not None:
        figures["fills_with"] = trend.fills_with
    return figures


def _observe_fill(  # noqa: PLR0917  (each argument is a separate fact)
    kind: AlertKind,
    mount: str,
    policy: MountPolicy,
    trend: Trend,
    figures: dict[str, Any],
    current: dict[AlertKind, Severity],
    now: datetime,
    findings: Findings,
) -> None:
    """A time to full (of the bytes or the inodes), with `figures` beside its dates."""
    days_left = (trend.full_at - now).total_seconds() / DAY
    severity = fill_severity(policy, days_left, current.get(kind))
    # The dates are written out only for a condition met: most mounts of a pass meet none.
    if severity is not None:
        findings.add(kind, mount, severity, {**figures, **_fill_figures(trend, days_left)})


def observe_mount(  # noqa: PLR0917  (each argument is a separate fact)
    fs: SnapshotFilesystem,
    policy: MountPolicy,
    facts: MountFacts,
    current: dict[AlertKind, Severity],
    now: datetime,
    findings: Findings,
) -> None:
    """The conditions of one filesystem of an online server."""
    mount = fs.mount_point
    if policy.mode is MountMode.IGNORE:
        return
    state = fs.state
    if state is FilesystemState.UNREACHABLE:
        findings.add(AlertKind.UNREACHABLE, mount, Severity.CRITICAL, {})
        findings.keep(mount, FIGURE_KINDS)
        return
    if state is FilesystemState.MISSING:
        findings.add(AlertKind.MISSING, mount, Severity.WARNING, {})
        findings.keep(mount, FIGURE_KINDS)
        return
    used, available = fs.used_bytes, fs.available_bytes
    room = used + available
    percent = used / room * 100.0 if room else 0.0
    space = {"percent": round(percent, 2), "free_bytes": available, "size_bytes": room}
    findings.add(
        AlertKind.DISK_USED,
        mount,
        disk_severity(policy, used, available, current.get(AlertKind.DISK_USED)),
        space,
    )
    trend = facts.trend
    if trend is not None:
        _observe_fill(AlertKind.TIME_TO_FULL, mount, policy, trend, space, current, now, findings)
    inodes_used, inodes_total = fs.inodes_used, fs.inodes_total
    inodes_trend = facts.inodes_trend
    if inodes_trend is not None and inodes_total:
        # Same days and modes as the bytes' time to full (expected_full keeps it: a full
        # backup volume must still not run out of inodes).
        inodes = {
            "inodes_free": max(int(inodes_total) - int(inodes_used or 0), 0),
            "inodes_total": int(inodes_total),
        }
        _observe_fill(
            AlertKind.INODES_TIME_TO_FULL,
            mount,
            policy,
            inodes_trend,
            inodes,
            current,
            now,
            findings,
        )
    if inodes_total:
        findings.add(
            AlertKind.INODES_USED,
            mount,
            inode_severity(policy, inodes_used, inodes_total, current.get(AlertKind.INODES_USED)),
            {"percent": round((inodes_used or 0) / inodes_total * 100.0, 2)},
        )
    read_only = fs.read_only
    if read_only is None:
        findings.keep(mount, (AlertKind.READ_ONLY,))
    elif read_only and facts.seen_writable:
        findings.add(AlertKind.READ_ONLY, mount, Severity.CRITICAL, {})
    elif not read_only and not facts.seen_writable and facts.filesystem_id is not None:
        findings.writable.append(facts.filesystem_id)


def observe_vanished(
    mount: str, heartbeats_without: int, open_alert: bool, findings: Findings
) -> None:
    """A mount reported before and absent from the last two heartbeats or more."""
    if heartbeats_without >= 2:
        findings.add(
            AlertKind.VANISHED, mount, Severity.WARNING, {"heartbeats": heartbeats_without}
        )
    elif open_alert:
        findings.keep(mount, (AlertKind.VANISHED,))


def offline_figures(last_seen_at: datetime | None) -> dict[str, Any]:
    return {"last_seen_at": f"{last_seen_at:%Y-%m-%d %H:%M} UTC" if last_seen_at else "never"}


def recently_seen(last_seen_at: datetime, now: datetime, granularity: timedelta) -> bool:
    """Whether a mount no longer reported was there lately (its row's time is this coarse)."""
    return now - last_seen_at <= 2 * granularity

"""A usage scan as the heartbeat carries it (`usage_scans`, `usage_scan_running`; ADR 0005)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from typing import Any, Literal

StoppedBy = Literal["time", "entries"]


def utc_stamp(when: datetime) -> str:
    """An instant as the wire writes it: UTC ISO-8601 with `Z`."""
    return when.astimezone(UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class UsageDirectory:
    """One kept directory: its whole subtree, and the part in no listed child."""

    path: str
    bytes: int
    other_bytes: int


@dataclass(frozen=True, slots=True)
class UsageScan:
    """One finished scan, or one that could not run (`error`, no directories)."""

    mount_point: str
    request_id: str | None
    started_at: str
    duration_seconds: float
    entries: int = 0
    unreadable: int = 0
    stopped_by: StoppedBy | None = None
    error: str | None = None
    # Hard-linked files counted past the link table's capacity (usage/links.py), each perhaps
    # more than once: when not 0 the totals may be too large, and the scan is not exact. Not in
    # the hub's contract; it ignores fields it does not know.
    links_over_budget: int = 0
    total_bytes: int = 0
    directories: list[UsageDirectory] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The wire form (the contract's scan object)."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class UsageScanRunning:
    """The scan in progress, for the hub's progress display."""

    mount_point: str
    request_id: str | None
    started_at: str
    entries: int

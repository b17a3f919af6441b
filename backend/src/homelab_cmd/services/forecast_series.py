"""The points a forecast reads, and the rules that cut a series (cleanup, resize)."""

from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median
from typing import TypeVar

from homelab_cmd.domain.tiers import HOUR

GIB = 1024**3
# Used bytes falling this far below the previous day's median is a cleanup.
BASELINE_HOURS = 24
CLEANUP_MIN_BYTES = GIB
CLEANUP_FRACTION = 0.02
# A change of total size larger than this is a resize or a replaced disk: the trend restarts.
RESIZE_FRACTION = 0.05


@dataclass(frozen=True)
class HourPoint:
    """One hourly bucket: when it starts and the figures the forecast reads."""

    at: int
    used_max: int
    total: int
    available: int


@dataclass(frozen=True)
class DayPoint:
    """One daily bucket: its lowest and highest used figure (the shape of a prune cycle)."""

    at: int
    used_min: int
    used_max: int
    total: int


def cleanup_threshold(total: int) -> float:
    """How far used bytes must fall to count as a cleanup on a filesystem of `total` bytes."""
    return max(CLEANUP_MIN_BYTES, CLEANUP_FRACTION * total)


def resized(before: int, after: int) -> bool:
    return abs(after - before) > RESIZE_FRACTION * max(before, 1)


P = TypeVar("P", HourPoint, DayPoint)


def since_resize(points: Sequence[P]) -> list[P]:
    """The points since the last resize (`points` in time order)."""
    start = 0
    for i in range(1, len(points)):
        if resized(points[i - 1].total, points[i].total):
            start = i
    return list(points[start:])


def current_segment(points: Sequence[HourPoint]) -> list[HourPoint]:
    """The points since the last cleanup or resize (`points` in time order).

    A cleanup is a fall well below the median of the previous day, so a burst of temporary
    files that comes and goes within hours does not count as one.
    """
    start = 0
    for i in range(1, len(points)):
        prev, cur = points[i - 1], points[i]
        baseline = median(p.used_max for p in points[max(start, i - BASELINE_HOURS) : i])
        cleanup = baseline - cur.used_max > cleanup_threshold(prev.total)
        if cleanup or resized(prev.total, cur.total):
            start = i
    return list(points[start:])


def span_seconds(points: Sequence[HourPoint]) -> int:
    """Seconds covered by hourly points, the last hour included."""
    return points[-1].at + HOUR - points[0].at if points else 0

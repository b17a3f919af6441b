"""The points a forecast reads, and the rules that cut a series (cleanup, resize).

A series counts bytes of space or inodes (`Quantity`); the rules are the same for both but for
the smallest fall that counts as a cleanup, which is a size in bytes and a file count in inodes.
"""

from bisect import bisect_left, insort
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from homelab_cmd.domain.tiers import HOUR

GIB = 1024**3
# Used bytes (or inodes) falling this far below the previous day's median is a cleanup.
BASELINE_HOURS = 24
CLEANUP_MIN_BYTES = GIB
CLEANUP_MIN_INODES = 10_000
CLEANUP_FRACTION = 0.02
# A change of total size larger than this is a resize or a replaced disk: the trend restarts.
RESIZE_FRACTION = 0.05


@dataclass(frozen=True)
class Quantity:
    """What a series counts: its unit, as reasons name it, and its smallest cleanup."""

    name: str
    cleanup_min: float
    unit: float
    unit_name: str

    def amount(self, value: float) -> str:
        """`value` in words: '5 GiB', '120,000 inodes'."""
        return f"{value / self.unit:,.0f} {self.unit_name}"


BYTES = Quantity("bytes", CLEANUP_MIN_BYTES, GIB, "GiB")
INODES = Quantity("inodes", CLEANUP_MIN_INODES, 1, "inodes")


# Named tuples, not dataclasses: a trend pass builds a few hundred thousand of them.
class HourPoint(NamedTuple):
    """One hourly bucket: when it starts and the figures the forecast reads."""

    at: int
    used_max: int
    total: int
    available: int


class DayPoint(NamedTuple):
    """One daily bucket: its lowest and highest used figure (the shape of a prune cycle)."""

    at: int
    used_min: int
    used_max: int
    total: int


def cleanup_threshold(total: int, quantity: Quantity = BYTES) -> float:
    """How far the used figure must fall to count as a cleanup, out of `total`."""
    return max(quantity.cleanup_min, CLEANUP_FRACTION * total)


def resized(before: int, after: int) -> bool:
    return abs(after - before) > RESIZE_FRACTION * (before if before > 1 else 1)


P = TypeVar("P", HourPoint, DayPoint)


def since_resize(points: Sequence[P]) -> list[P]:
    """The points since the last resize (`points` in time order)."""
    start = 0
    for i in range(1, len(points)):
        if resized(points[i - 1].total, points[i].total):
            start = i
    return list(points[start:])


def current_segment(points: Sequence[HourPoint], quantity: Quantity = BYTES) -> list[HourPoint]:
    """The points since the last cleanup or resize (`points` in time order).

    A cleanup is a fall well below the median of the previous day, so a burst of temporary
    files that comes and goes within hours does not count as one.
    """
    start = 0
    # The used figures of points[low:i], sorted: the window slides by one point a step, so it
    # is kept sorted instead of sorting a day of points at every hour.
    window: list[int] = []
    low = 0
    for i in range(1, len(points)):
        prev, cur = points[i - 1], points[i]
        insort(window, prev.used_max)
        while low < i - BASELINE_HOURS or low < start:
            del window[bisect_left(window, points[low].used_max)]
            low += 1
        baseline = median_sorted(window)
        cleanup = baseline - cur.used_max > cleanup_threshold(prev.total, quantity)
        if cleanup or resized(prev.total, cur.total):
            start = low = i
            window.clear()
    return list(points[start:])


def median_sorted(values: Sequence[float]) -> float:
    """The median of values already in order (as statistics.median gives it)."""
    n = len(values)
    mid = n // 2
    return values[mid] if n % 2 else (values[mid - 1] + values[mid]) / 2


def span_seconds(points: Sequence[HourPoint]) -> int:
    """Seconds covered by hourly points, the last hour included."""
    return points[-1].at + HOUR - points[0].at if points else 0

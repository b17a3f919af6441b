"""Growth in regular steps: a full backup that lands at once every week, and stays.

Such a filesystem fills when a step lands, not somewhere between two steps where a straight
line through the staircase would put it.
"""

import math
from dataclasses import dataclass
from itertools import pairwise
from statistics import median

from homelab_cmd.domain.tiers import DAY, HOUR
from homelab_cmd.services.forecast.series import BYTES, HourPoint, Quantity, cleanup_threshold

# A rise counts as a step when the figure is still up (median) over the next half day: a
# nightly peak or a burst of temporary files falls back within it.
SETTLE_HOURS = 12
MIN_STEPS = 2
INTERVAL_TOLERANCE = 0.35
STOPPED_AFTER_INTERVALS = 1.5


@dataclass(frozen=True)
class Steps:
    # epoch seconds of the last step and of the interval between steps
    last_at: int
    interval: float
    # step sizes in bytes: the median, the smallest and the largest seen
    size: float
    smallest: float
    largest: float
    period: str

    def landing(self, available: float, size: float) -> int:
        """Epoch seconds of the step that uses up `available` bytes, steps of `size` bytes."""
        count = max(math.ceil(available / size), 1) if available > 0 else 0
        return int(self.last_at + count * self.interval)


def steps(points: list[HourPoint], quantity: Quantity = BYTES) -> Steps | None:
    """Regular steps up in hourly points since the last cleanup or resize (time order)."""
    if len(points) < SETTLE_HOURS + 2:
        return None
    threshold = cleanup_threshold(points[-1].total, quantity)
    found: list[tuple[int, float]] = []
    for i in range(1, len(points) - SETTLE_HOURS):
        rise = points[i].used_max - points[i - 1].used_max
        if rise <= threshold:
            continue
        after = median(p.used_max for p in points[i : i + SETTLE_HOURS])
        if after - points[i - 1].used_max > rise / 2:
            found.append((points[i].at, float(rise)))
    if len(found) < MIN_STEPS:
        return None
    gaps = [b - a for (a, _), (b, _) in pairwise(found)]
    interval = median(gaps)
    if interval < DAY or any(abs(g - interval) > INTERVAL_TOLERANCE * interval for g in gaps):
        return None
    if points[-1].at + HOUR - found[-1][0] > STOPPED_AFTER_INTERVALS * interval:
        return None
    sizes = [size for _, size in found]
    days = interval / DAY
    period = "daily" if days < 1.5 else "weekly" if 5.5 <= days <= 8.5 else f"every {days:.0f} days"
    return Steps(found[-1][0], interval, median(sizes), min(sizes), max(sizes), period)

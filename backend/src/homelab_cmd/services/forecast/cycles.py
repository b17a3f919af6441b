"""Regular cycles in a filesystem's usage: cleanups on a schedule, and daily peaks.

Both are read as an envelope: the highest figure of each cycle. A filesystem fills when that
envelope reaches full, whatever its level does in between.
"""

from collections import Counter
from dataclasses import dataclass
from itertools import pairwise
from statistics import median

from homelab_cmd.domain.forecast import ForecastBasis
from homelab_cmd.domain.tiers import DAY, HOUR
from homelab_cmd.services.forecast.series import (
    BYTES,
    DayPoint,
    HourPoint,
    Quantity,
    cleanup_threshold,
)

# A daily cycle needs this many complete days, and a fall beyond noise on most of them.
DAILY_MIN_DAYS = 2
DAILY_SHARE = 0.8
COMPLETE_DAY_HOURS = 20
# A fall that starts just before midnight shows in the next day: look back this many hours.
LOOKBACK_HOURS = 6
# (median - floor) / (peak - floor) of a day below this: the disk sits at its floor most of the
# day and rises for a few hours (a peak); a sawtooth that grows and is pruned sits near 0.5.
PEAK_SHARE = 0.35
# Cleanups recur when at least this many are spaced within +-35 % of their median interval
# (a prune that runs once a backup of varying length is done wanders).
LONG_MIN_DROPS = 2
INTERVAL_TOLERANCE = 0.35
# A schedule whose last cleanup is this many intervals ago has stopped.
STOPPED_AFTER_INTERVALS = 1.5


@dataclass(frozen=True)
class Cycle:
    basis: ForecastBasis
    # "daily", "weekly", "monthly" or "every N days"
    period: str
    # (day number = epoch seconds / 86,400, used bytes) of each cycle's highest point
    peaks: list[tuple[float, float]]
    # The UTC hour a daily peak usually comes at.
    peak_hour: int | None = None


def _drawdown(values: list[int]) -> int:
    """The largest fall from a running high to a later low."""
    top, worst = values[0], 0
    for value in values:
        top = max(top, value)
        worst = max(worst, top - value)
    return worst


def _period_name(days: float) -> str:
    if 5.5 <= days <= 8.5:
        return "weekly"
    if 26 <= days <= 33:
        return "monthly"
    return f"every {round(days)} days"


def daily_cycle(points: list[HourPoint], quantity: Quantity = BYTES) -> Cycle | None:
    """A cycle that falls back every day (points since the last resize, in time order)."""
    if not points:
        return None
    threshold = cleanup_threshold(points[-1].total, quantity)
    bounds: dict[int, list[int]] = {}
    for i, p in enumerate(points):
        bounds.setdefault(p.at // DAY, [i, i])[1] = i
    complete = [(lo, hi) for lo, hi in bounds.values() if hi - lo + 1 >= COMPLETE_DAY_HOURS]
    if len(complete) < DAILY_MIN_DAYS:
        return None
    peaks: list[tuple[float, float]] = []
    shares: list[float] = []
    hours: list[int] = []
    for lo, hi in complete:
        window = [p.used_max for p in points[max(0, lo - LOOKBACK_HOURS) : hi + 1]]
        if _drawdown(window) <= threshold:
            continue
        day = points[lo : hi + 1]
        top = max(day, key=lambda p: p.used_max)
        values = sorted(p.used_max for p in day)
        floor, high = values[0], values[-1]
        shares.append((median(values) - floor) / (high - floor) if high > floor else 0.5)
        peaks.append((top.at / DAY, float(top.used_max)))
        hours.append((top.at % DAY) // HOUR)
    if len(peaks) < max(DAILY_MIN_DAYS, DAILY_SHARE * len(complete)):
        return None
    basis = ForecastBasis.PEAK if median(shares) < PEAK_SHARE else ForecastBasis.PRUNE_CYCLE
    return Cycle(basis, "daily", peaks, Counter(hours).most_common(1)[0][0])


def _is_drop(before: DayPoint, day: DayPoint, threshold: float) -> bool:
    # The day's floor falls well below the previous day's floor and high: a cleanup, not a
    # daily cycle (whose floor stays put) nor a peak (whose floor does too).
    return day.used_min < before.used_max - threshold and day.used_min < before.used_min - threshold


def long_cycle(days: list[DayPoint], quantity: Quantity = BYTES) -> Cycle | None:
    """Cleanups that recur every few days, weekly or monthly (daily points since a resize)."""
    if len(days) < 3:
        return None
    threshold = cleanup_threshold(days[-1].total, quantity)
    drops = [i for i in range(1, len(days)) if _is_drop(days[i - 1], days[i], threshold)]
    if len(drops) < LONG_MIN_DROPS:
        return None
    gaps = [(days[b].at - days[a].at) / DAY for a, b in pairwise(drops)]
    interval = median(gaps)
    if interval < 2 or any(abs(g - interval) > INTERVAL_TOLERANCE * interval for g in gaps):
        return None
    if (days[-1].at - days[drops[-1]].at) / DAY > STOPPED_AFTER_INTERVALS * interval:
        return None
    peaks: list[tuple[float, float]] = []
    start = 0
    for drop in drops:
        # The drop day's high is the figure just before the cleanup: this cycle's peak.
        top = max(days[start : drop + 1], key=lambda d: d.used_max)
        peaks.append((top.at / DAY + 0.5, float(top.used_max)))
        start = drop + 1
    if start < len(days):
        # The cycle under way counts once it is already above the last peak (peaks rising).
        top = max(days[start:], key=lambda d: d.used_max)
        if top.used_max > peaks[-1][1]:
            peaks.append((top.at / DAY + 0.5, float(top.used_max)))
    return Cycle(ForecastBasis.PRUNE_CYCLE, _period_name(interval), peaks)

"""The fill date of a filesystem from its hourly and daily points (docs/forecast.md)."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import groupby
from statistics import median

from homelab_cmd.domain.forecast import ForecastBasis
from homelab_cmd.domain.tiers import DAY, HOUR
from homelab_cmd.services.forecast.cycles import Cycle, daily_cycle, long_cycle
from homelab_cmd.services.forecast.series import (
    BYTES,
    DayPoint,
    HourPoint,
    Quantity,
    current_segment,
    since_resize,
    span_seconds,
)
from homelab_cmd.services.forecast.steps import Steps, steps
from homelab_cmd.services.forecast.theil_sen import Line, fit

MIN_HISTORY_SECONDS = DAY
# A date is confident with this much history (or this many cycle peaks) and a range no wider
# than the time left until it.
CONFIDENT_HISTORY_SECONDS = 3 * DAY
CONFIDENT_PEAKS = 3
# At most this many points enter Theil-Sen (it compares every pair): 14 days of 4-hour maxima.
MAX_POINTS = 96
# Beyond ten years a fill date says nothing useful.
MAX_DAYS_UNTIL_FULL = 3650.0
# Capacity (used + available) is read as the median of the last day's hours: an hour whose
# figures moved (a cleanup within it) pairs a high maximum with a low average.
CAPACITY_HOURS = 24
# Growth whose newer half rises faster than its older half, beyond both halves' intervals and
# by at least a quarter, is speeding up; it takes 4 days of history to tell.
ACCELERATION_MIN_SECONDS = 4 * DAY
ACCELERATION = 1.25


@dataclass(frozen=True)
class Forecast:
    growth_bytes_per_day: float | None
    full_at: datetime | None
    full_at_earliest: datetime | None = None
    full_at_latest: datetime | None = None
    confident: bool = False
    basis: ForecastBasis | None = None
    reason: str | None = None
    # Bytes left at the top of the cycle (peak or prune cycle), as of now.
    peak_headroom_bytes: int | None = None


NO_FORECAST = Forecast(None, None, reason="under a day of history")


def _thin(points: list[HourPoint]) -> list[HourPoint]:
    """Merge hours into equal buckets, keeping each bucket's largest used figure."""
    span_hours = (points[-1].at - points[0].at) // HOUR + 1
    width = -(-span_hours // MAX_POINTS) * HOUR
    if width == HOUR:
        return points
    first = points[0].at
    return [
        max(group, key=lambda p: p.used_max)
        for _, group in groupby(points, key=lambda p: (p.at - first) // width)
    ]


def _when(anchor: int, headroom: float, slope: float) -> datetime | None:
    """When `headroom` bytes are used up at `slope` bytes a day from `anchor` (epoch seconds)."""
    if slope <= 0:
        return None
    days = max(headroom, 0.0) / slope
    if days > MAX_DAYS_UNTIL_FULL:
        return None
    return datetime.fromtimestamp(anchor, UTC) + timedelta(days=days)


def _range(
    full_at: datetime | None, earliest: datetime | None, latest: datetime | None
) -> tuple[datetime | None, datetime | None]:
    if full_at is None:
        return None, None
    return min(earliest or full_at, full_at), None if latest is None else max(latest, full_at)


def _confident(
    anchor: int, full_at: datetime | None, earliest: datetime | None, latest: datetime | None
) -> bool:
    if full_at is None or earliest is None or latest is None:
        return False
    return latest - earliest <= full_at - datetime.fromtimestamp(anchor, UTC)


def _fit(points: list[HourPoint]) -> Line | None:
    thinned = _thin(points)
    return fit([p.at / DAY for p in thinned], [float(p.used_max) for p in thinned])


def _halves(segment: list[HourPoint]) -> tuple[Line, Line, float] | None:
    """The lines of the older and the newer half, and the days between their middles, when
    the newer rises significantly faster: growth that speeds up."""
    if span_seconds(segment) < ACCELERATION_MIN_SECONDS:
        return None
    thinned = _thin(segment)
    middle = len(thinned) // 2
    older, newer = _fit(thinned[:middle]), _fit(thinned[middle:])
    if older is None or newer is None or newer.slope_low <= older.slope_high:
        return None
    if newer.slope <= ACCELERATION * max(older.slope, 0.0):
        return None
    gap = (thinned[-1].at + thinned[middle].at - thinned[middle - 1].at - thinned[0].at) / 2 / DAY
    return older, newer, gap


def _when_speeding(anchor: int, headroom: float, rate: float, speedup: float) -> datetime | None:
    """When `headroom` is used up at `rate` bytes a day growing by `speedup` bytes a day, daily."""
    if speedup <= 0:
        return _when(anchor, headroom, rate)
    # headroom = rate*t + speedup*t^2/2, solved for t > 0.
    days = (math.sqrt(rate * rate + 2 * speedup * headroom) - rate) / speedup
    if days > MAX_DAYS_UNTIL_FULL:
        return None
    return datetime.fromtimestamp(anchor, UTC) + timedelta(days=max(days, 0.0))


def _accelerating(
    segment: list[HourPoint], halves: tuple[Line, Line, float], anchor: int, available: float
) -> Forecast:
    """Growth speeds up: the rate is taken to keep rising as it did from one half to the next.

    The fill date assumes the rate goes on rising at that pace; the latest date assumes it
    stays at the newer half's rate; the earliest starts from that rate's upper bound.
    """
    older, newer, gap = halves
    speedup = (newer.slope - older.slope) / gap
    # The newer half's rate belongs to its middle, a quarter of the segment before its end.
    newer_middle = segment[-1].at - span_seconds(segment) / 4
    now_rate = newer.slope + speedup * (anchor - newer_middle) / DAY
    full_at = _when_speeding(anchor, available, now_rate, speedup)
    earliest, latest_at = _range(
        full_at,
        _when_speeding(anchor, available, now_rate + newer.slope_high - newer.slope, speedup),
        _when(anchor, available, newer.slope),
    )
    return Forecast(
        now_rate,
        full_at,
        earliest,
        latest_at,
        _confident(anchor, full_at, earliest, latest_at),
        ForecastBasis.TREND,
        "growth accelerating",
    )


def _from_trend(segment: list[HourPoint]) -> Forecast:
    """The fill date of the level: Theil-Sen over the segment's (thinned) hourly maxima."""
    line = _fit(segment)
    latest = segment[-1]
    # The hour's average available figure belongs to the middle of the hour.
    anchor = latest.at + HOUR // 2
    if line is None:
        return Forecast(0.0, None, basis=ForecastBasis.TREND, reason="not growing")
    available = float(latest.available)
    halves = _halves(segment) if line.slope > 0 else None
    if halves is not None:
        return _accelerating(segment, halves, anchor, available)
    full_at = _when(anchor, available, line.slope)
    earliest, latest_at = _range(
        full_at, _when(anchor, available, line.slope_high), _when(anchor, available, line.slope_low)
    )
    reason = None
    if full_at is None:
        reason = "not growing" if line.slope <= 0 else "more than ten years from full"
    return Forecast(
        line.slope,
        full_at,
        earliest,
        latest_at,
        span_seconds(segment) >= CONFIDENT_HISTORY_SECONDS
        and _confident(anchor, full_at, earliest, latest_at),
        ForecastBasis.TREND,
        reason,
    )


def _cycle_reason(cycle: Cycle, percent: float, rising: bool) -> str:
    if cycle.basis is ForecastBasis.PEAK:
        at = f"around {cycle.peak_hour:02d}:00 UTC" if cycle.peak_hour is not None else ""
        if rising:
            return f"at the {cycle.period} peak ({at})" if at else f"at the {cycle.period} peak"
        return f"peaks {cycle.period} at {percent:.0f} %" + (f" ({at})" if at else "")
    if rising:
        return f"pruned {cycle.period}, but its peaks rise (now {percent:.0f} %)"
    return f"pruned {cycle.period}; peaks at {percent:.0f} %"


def _headroom(capacity: float, line: Line, x: float, *, which: str) -> float:
    if which == "low":
        return capacity - (line.intercept_low + line.slope_low * x)
    if which == "high":
        return capacity - (line.intercept_high + line.slope_high * x)
    return capacity - line.at(x)


def _from_cycle(cycle: Cycle, recent: list[HourPoint]) -> Forecast:
    """The fill date of the envelope of the cycle peaks."""
    latest = recent[-1]
    anchor = latest.at + HOUR // 2
    capacity = median(p.used_max + p.available for p in recent[-CAPACITY_HOURS:])
    xs = [x for x, _ in cycle.peaks]
    line = fit(xs, [y for _, y in cycle.peaks])
    if line is None or capacity <= 0:
        return Forecast(None, None, basis=cycle.basis, reason="too few cycles")
    x = anchor / DAY
    headroom = _headroom(capacity, line, x, which="mid")
    percent = 100 * (capacity - headroom) / capacity
    # Peaks rise only when the whole slope interval is above zero; otherwise they are flat.
    rising = line.slope_low > 0
    confident_history = len(cycle.peaks) >= CONFIDENT_PEAKS
    if headroom <= 0:
        now = datetime.fromtimestamp(anchor, UTC)
        return Forecast(
            line.slope, now, now, now, confident_history, cycle.basis,
            _cycle_reason(cycle, percent, rising=True), int(headroom),
        )  # fmt: skip
    if not rising:
        return Forecast(
            line.slope, None, None, None, False, cycle.basis,
            _cycle_reason(cycle, percent, rising=False), int(headroom),
        )  # fmt: skip
    full_at = _when(anchor, headroom, line.slope)
    earliest, latest_at = _range(
        full_at,
        _when(anchor, _headroom(capacity, line, x, which="high"), line.slope_high),
        _when(anchor, _headroom(capacity, line, x, which="low"), line.slope_low),
    )
    return Forecast(
        line.slope,
        full_at,
        earliest,
        latest_at,
        confident_history and _confident(anchor, full_at, earliest, latest_at),
        cycle.basis,
        _cycle_reason(cycle, percent, rising=True),
        int(headroom),
    )


def _from_steps(stepped: Steps, segment: list[HourPoint], quantity: Quantity) -> Forecast:
    """The fill date is the landing of the step that uses up the available bytes."""
    latest = segment[-1]
    anchor = latest.at + HOUR // 2
    available = float(latest.available)

    def at(size: float) -> datetime | None:
        landing = max(stepped.landing(available, size), anchor)
        if landing - anchor > MAX_DAYS_UNTIL_FULL * DAY:
            return None
        return datetime.fromtimestamp(landing, UTC)

    full_at = at(stepped.size)
    earliest, latest_at = _range(full_at, at(stepped.largest), at(stepped.smallest))
    return Forecast(
        stepped.size / (stepped.interval / DAY),
        full_at,
        earliest,
        latest_at,
        span_seconds(segment) >= CONFIDENT_HISTORY_SECONDS
        and _confident(anchor, full_at, earliest, latest_at),
        ForecastBasis.STEPS,
        f"grows in {stepped.period} steps of {quantity.amount(stepped.size)}",
    )


def estimate(
    hours: Sequence[HourPoint], days: Sequence[DayPoint] = (), quantity: Quantity = BYTES
) -> Forecast:
    """The forecast from the last 14 days of hourly points and the longer daily ones.

    The points count bytes of space, or inodes with `quantity=INODES` (the same model: only
    the smallest cleanup and the words of a reason differ).
    """
    recent = since_resize(hours)
    if span_seconds(recent) < MIN_HISTORY_SECONDS:
        return NO_FORECAST
    cycle = long_cycle(since_resize(days), quantity) or daily_cycle(recent, quantity)
    if cycle is not None:
        return _from_cycle(cycle, recent)
    segment = current_segment(hours, quantity)
    if span_seconds(segment) < MIN_HISTORY_SECONDS:
        return Forecast(None, None, reason="under a day since the last cleanup")
    stepped = steps(segment, quantity)
    if stepped is not None:
        return _from_steps(stepped, segment, quantity)
    return _from_trend(segment)

"""Synthetic filesystems with a known fill date, for the forecast tests and docs/forecast.md.

Each scenario is a function of time (used GiB, or thousands of inodes for an inode scenario),
sampled every 5 minutes as an agent would report it. From the samples come the hourly points
(max used, mean available) and the daily points (min and max used) the hub's tiers hold, and a
Prometheus-style `predict_linear` over the last 6 hours of available bytes. The true fill date
is the first instant the noise-free function reaches the total.

`python -m tests.services.forecast.scenarios` rewrites the table in docs/forecast.md;
`tests/services/forecast/test_scenarios.py` fails when the table there is stale.
"""

import math
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from homelab_cmd.services.forecast.model import Forecast, estimate
from homelab_cmd.services.forecast.series import BYTES, INODES, DayPoint, HourPoint, Quantity

GIB = 1024**3
HOUR, DAY = 3600, 86400
STEP = 300
NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
NOW_S = int(NOW.timestamp())
HISTORY_DAYS = 70
PREDICT_LINEAR_SECONDS = 6 * HOUR
TRUTH_HORIZON_DAYS = 3650
DOC = Path(__file__).resolve().parents[3] / "docs" / "forecast.md"
BEGIN, END = "<!-- scenarios:begin -->", "<!-- scenarios:end -->"


def days_since(t: float) -> float:
    """Days from NOW to `t` (negative in the past)."""
    return (t - NOW_S) / DAY


def sawtooth(t: float, period: float, phase: float, drift: Callable[[int], float]) -> float:
    """Seconds since the last event of a schedule `period` apart, each shifted by drift(k)."""
    k = math.floor((t - phase) / period)
    for j in (k + 1, k, k - 1, k - 2):
        start = phase + j * period + drift(j)
        if start <= t:
            return t - start
    raise AssertionError("drift larger than a period")


def no_drift(_: int) -> float:
    return 0.0


def wobble(amplitude: float) -> Callable[[int], float]:
    """A prune time that wanders by up to `amplitude` seconds from its schedule."""
    return lambda k: amplitude * math.sin(k * 2.3)


@dataclass(frozen=True)
class Scenario:
    name: str
    # used, noise and total in `unit`s: GiB of space, or thousands of inodes
    used_gib: Callable[[float], float]
    noise_gib: float = 0.0
    total_gib: float = 1000.0
    seed: int = 1
    tags: tuple[str, ...] = field(default=())
    quantity: Quantity = BYTES
    unit: int = GIB


def _pruned(floor: float, per_day: float, period_days: float, *, drift: float = 0.0,
            rise_per_cycle: float = 0.0) -> Callable[[float], float]:  # fmt: skip
    period = period_days * DAY
    shift = wobble(drift) if drift else no_drift

    def used(t: float) -> float:
        since = sawtooth(t, period, 3 * HOUR, shift)
        # Cycles counted from NOW, so `floor` is the floor of the cycle under way.
        cycle = math.floor((t - since - NOW_S) / period + 0.5)
        return floor + rise_per_cycle * cycle + per_day * since / DAY

    return used


def _nightly_peak(level: float, per_day: float, peak: float) -> Callable[[float], float]:
    def used(t: float) -> float:
        hour = (t % DAY) / HOUR
        return level + per_day * days_since(t) + (peak if 1 <= hour < 5 else 0.0)

    return used


def _weekly_backup(now_gib: float, step: float) -> Callable[[float], float]:
    # A full backup of `step` GiB lands every Sunday at 02:00 and stays.
    week = 7 * DAY
    sunday = NOW_S - (NOW_S - 3 * DAY) % week + 2 * HOUR  # epoch day 3 was a Sunday

    def used(t: float) -> float:
        return now_gib + step * math.floor((t - sunday) / week)

    return used


def _accelerating(now_gib: float, base: float, doubling_days: float) -> Callable[[float], float]:
    return lambda t: base + (now_gib - base) * 2 ** (days_since(t) / doubling_days)


SCENARIOS = [
    Scenario("steady 2 GiB/day, noise sd 3 GiB", lambda t: 800 + 2 * days_since(t), 3.0),
    Scenario("pruned daily at 03:00, flat peaks at 72 %", _pruned(700, 25, 1)),
    Scenario(
        "pruned daily, noise sd 2 GiB, prune time wandering ±2 h",
        _pruned(700, 25, 1, drift=2 * HOUR),
        2.0,
    ),
    Scenario("pruned weekly, flat peaks at 67 %", _pruned(600, 10, 7)),
    Scenario(
        "pruned weekly, noise sd 2 GiB, prune day wandering ±1 day",
        _pruned(600, 10, 7, drift=DAY),
        2.0,
    ),
    Scenario("pruned monthly, flat peaks at 80 %", _pruned(500, 10, 30)),
    Scenario(
        "pruned weekly but peaks rise 14 GiB a week (still fills)",
        _pruned(600, 10, 7, rise_per_cycle=14),
        1.0,
    ),
    Scenario("nightly peak +150 GiB (01-05 UTC), level +2 GiB/day", _nightly_peak(700, 2, 150)),
    Scenario("nightly peak +150 GiB, level flat at 70 %", _nightly_peak(700, 0, 150)),
    Scenario("weekly full backup of 40 GiB landing at once", _weekly_backup(880, 40)),
    Scenario("accelerating: growth doubles every 14 days", _accelerating(500, 400, 14)),
    Scenario(
        "inodes: 6.55 M, +60,000 files a day, noise sd 2,000 files",
        lambda t: 4000 + 60 * days_since(t),
        2.0,
        total_gib=6553.6,
        quantity=INODES,
        unit=1000,
    ),
]


@dataclass(frozen=True)
class Sampled:
    hours: list[HourPoint]
    # the lowest used figure of each hour (the hourly tier's used_bytes_min)
    hour_minima: list[int]
    days: list[DayPoint]
    # (epoch seconds, available bytes) of the last 6 hours
    recent: list[tuple[int, float]]


def sample(s: Scenario) -> Sampled:
    """Every 5 minutes over HISTORY_DAYS up to NOW, folded into hourly and daily points."""
    rng = random.Random(s.seed)
    total = int(s.total_gib * s.unit)
    hours: list[HourPoint] = []
    lows: list[int] = []
    recent: list[tuple[int, float]] = []
    for start in range(NOW_S - HISTORY_DAYS * DAY, NOW_S, HOUR):
        used = []
        for t in range(start, start + HOUR, STEP):
            u = min((s.used_gib(t) + rng.gauss(0, s.noise_gib)) * s.unit, total)
            used.append(u)
            if t >= NOW_S - PREDICT_LINEAR_SECONDS:
                recent.append((t, total - u))
        mean = sum(used) / len(used)
        hours.append(HourPoint(start, int(max(used)), total, int(total - mean)))
        lows.append(int(min(used)))
    # The daily tier holds, per UTC day, the lowest hourly minimum and the highest maximum.
    by_day: dict[int, list[int]] = {}
    for i, h in enumerate(hours):
        by_day.setdefault(h.at - h.at % DAY, []).append(i)
    days = [
        DayPoint(
            day,
            min(lows[i] for i in members),
            max(hours[i].used_max for i in members),
            total,
        )
        for day, members in by_day.items()
    ]
    return Sampled(hours, lows, days, recent)


def truth(s: Scenario) -> datetime | None:
    """The first 5-minute instant after NOW at which the noise-free series reaches the total."""
    t = NOW_S
    while t < NOW_S + TRUTH_HORIZON_DAYS * DAY:
        if s.used_gib(t) >= s.total_gib:
            # Coarse steps far out, then back to the last hour at 5-minute steps.
            for fine in range(max(t - HOUR, NOW_S), t + 1, STEP):
                if s.used_gib(fine) >= s.total_gib:
                    return datetime.fromtimestamp(fine, UTC)
        t += STEP if t < NOW_S + 60 * DAY else HOUR
    return None


def predict_linear(recent: list[tuple[int, float]]) -> datetime | None:
    """When least squares over the last 6 hours of available bytes reaches zero."""
    n = len(recent)
    mx = sum(t for t, _ in recent) / n
    my = sum(a for _, a in recent) / n
    sxx = sum((t - mx) ** 2 for t, _ in recent)
    slope = sum((t - mx) * (a - my) for t, a in recent) / sxx
    if slope >= 0:
        return None
    at_now = my + slope * (NOW_S - mx)
    seconds = -at_now / slope
    if seconds > TRUTH_HORIZON_DAYS * DAY:
        return None
    return NOW + timedelta(seconds=max(seconds, 0.0))


def ours(s: Scenario) -> Forecast:
    sampled = sample(s)
    return estimate(sampled.hours[-14 * 24 :], sampled.days, s.quantity)


def _days(at: datetime | None) -> str:
    return "never" if at is None else f"{(at - NOW).total_seconds() / DAY:.1f} d"


def _range(f: Forecast) -> str:
    if f.full_at is None:
        return "-"
    return f"{_days(f.full_at_earliest)} to {_days(f.full_at_latest)}"


def table() -> str:
    """The markdown table: truth, ours (range, confidence, reason), predict_linear."""
    lines = [
        "| series | true fill | ours | our range | confident | reason | predict_linear 6 h |",
        "|---|---:|---:|---:|:-:|---|---:|",
    ]
    for s in SCENARIOS:
        sampled = sample(s)
        f = estimate(sampled.hours[-14 * 24 :], sampled.days, s.quantity)
        lines.append(
            f"| {s.name} | {_days(truth(s))} | {_days(f.full_at)} | {_range(f)} | "
            f"{'yes' if f.confident else 'no'} | {f.reason or ''} | "
            f"{_days(predict_linear(sampled.recent))} |"
        )
    return "\n".join(lines)


def documented_table() -> str:
    text = DOC.read_text()
    return text[text.index(BEGIN) + len(BEGIN) : text.index(END)].strip()


def write_table() -> None:
    text = DOC.read_text()
    head, rest = text.split(BEGIN)
    _, tail = rest.split(END)
    DOC.write_text(f"{head}{BEGIN}\n{table()}\n{END}{tail}")


if __name__ == "__main__":
    if "--print" in sys.argv:
        print(table())
    else:
        write_table()

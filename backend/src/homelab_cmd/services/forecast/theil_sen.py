"""Theil-Sen line with Sen's rank interval for its slope.

The slope is the median of the slopes between every pair of points, which tolerates ~29 %
outliers. The interval takes the slopes at ranks (N -+ C) / 2 of the N sorted pairwise slopes,
C = z*sqrt(n(n-1)(2n+5)/18) (Sen 1968, from the variance of Kendall's tau): no assumption about
the noise, and it widens by itself when there are few points.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

# Two-sided 90 %: a fill-date range that is useful without being a promise.
Z = 1.645


@dataclass(frozen=True)
class Line:
    slope: float
    slope_low: float
    slope_high: float
    # y at x = 0 for each slope: median(y - slope*x), so the line passes through the bulk.
    intercept: float
    intercept_low: float
    intercept_high: float

    def at(self, x: float) -> float:
        return self.intercept + self.slope * x


def _median_sorted(values: list[float]) -> float:
    n = len(values)
    mid = n // 2
    return values[mid] if n % 2 else (values[mid - 1] + values[mid]) / 2


def _intercept(xs: Sequence[float], ys: Sequence[float], slope: float) -> float:
    return _median_sorted(sorted(y - slope * x for x, y in zip(xs, ys, strict=True)))


def fit(xs: Sequence[float], ys: Sequence[float]) -> Line | None:
    """The Theil-Sen line through the points; None without two distinct x."""
    n = len(xs)
    slopes: list[float] = []
    # One comprehension per point over the points after it: the pairs are the hot loop of a
    # trend pass, and this is several times faster than indexing both lists for every pair.
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        later = zip(xs[i + 1 :], ys[i + 1 :], strict=True)
        slopes += [(y2 - y) / (x2 - x) for x2, y2 in later if x2 != x]
    slopes.sort()
    if not slopes:
        return None
    count = len(slopes)
    spread = Z * math.sqrt(n * (n - 1) * (2 * n + 5) / 18)
    low = slopes[min(max(int((count - spread) / 2), 0), count - 1)]
    high = slopes[min(max(math.ceil((count + spread) / 2), 0), count - 1)]
    slope = _median_sorted(slopes)
    return Line(
        slope,
        low,
        high,
        _intercept(xs, ys, slope),
        _intercept(xs, ys, low),
        _intercept(xs, ys, high),
    )

"""The forecast on filesystems whose true fill date is known (tests/services/forecast/scenarios.py).

Every scenario is checked against its truth; three go through the database on each engine
(hourly rows stored, the daily tier rolled up by the rollup job's own code, the trend stored
and read back); and the table in docs/forecast.md must be the one these scenarios produce.
"""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from homelab_cmd.db.models import FilesystemHourly
from homelab_cmd.db.tables import table_of
from homelab_cmd.domain.forecast import ForecastBasis
from homelab_cmd.domain.tiers import Resolution, floor_to
from homelab_cmd.services.forecast.model import Forecast
from homelab_cmd.services.forecast.trends import stored_forecasts, update_trends
from homelab_cmd.services.tiers.rollups import roll_bucket
from tests.factories import make_filesystem
from tests.services.forecast.scenarios import (
    DAY,
    NOW,
    SCENARIOS,
    Scenario,
    documented_table,
    ours,
    sample,
    table,
    truth,
)


def scenario(prefix: str) -> Scenario:
    (found,) = [s for s in SCENARIOS if s.name.startswith(prefix)]
    return found


def days_between(a: datetime, b: datetime) -> float:
    return abs((a - b).total_seconds()) / DAY


def assert_fills_near_truth(s: Scenario, f: Forecast, within_days: float) -> None:
    true_at = truth(s)
    assert true_at is not None and f.full_at is not None
    assert days_between(f.full_at, true_at) <= within_days
    assert f.full_at_earliest is not None and f.full_at_latest is not None
    assert f.full_at_earliest <= f.full_at <= f.full_at_latest


@pytest.mark.parametrize(
    ("prefix", "period", "percent"),
    [
        ("pruned daily at 03:00", "daily", 72),
        ("pruned daily, noise", "daily", 73),
        ("pruned weekly, flat", "weekly", 67),
        ("pruned weekly, noise", "weekly", 67),
        ("pruned monthly", "monthly", 80),
    ],
)
def test_scheduled_prune_with_flat_peaks_never_fills(
    prefix: str, period: str, percent: int
) -> None:
    s = scenario(prefix)
    f = ours(s)

    assert truth(s) is None
    assert (f.full_at, f.confident, f.basis) == (None, False, ForecastBasis.PRUNE_CYCLE)
    assert f.reason == f"pruned {period}; peaks at {percent} %"
    assert f.peak_headroom_bytes is not None
    assert f.peak_headroom_bytes == pytest.approx((100 - percent) * 10 * 1024**3, rel=0.05)


def test_pruned_disk_whose_peaks_rise_fills_when_the_peaks_reach_full() -> None:
    s = scenario("pruned weekly but peaks rise")
    f = ours(s)

    assert f.basis is ForecastBasis.PRUNE_CYCLE and f.confident
    assert f.reason is not None and f.reason.startswith("pruned weekly, but its peaks rise")
    assert_fills_near_truth(s, f, within_days=0.05 * 173)


def test_nightly_peak_dates_the_fill_at_the_peak() -> None:
    s = scenario("nightly peak +150 GiB (01-05 UTC), level +2")
    f = ours(s)

    assert f.basis is ForecastBasis.PEAK and f.confident
    assert f.reason == "at the daily peak (around 04:00 UTC)"
    assert_fills_near_truth(s, f, within_days=1)
    # The level alone (700 GiB, +2 GiB/day) would say 150 days.
    assert f.full_at is not None and (f.full_at - NOW).days < 80


def test_flat_nightly_peak_gives_no_date_but_its_headroom() -> None:
    f = ours(scenario("nightly peak +150 GiB, level flat"))

    assert (f.full_at, f.basis, f.confident) == (None, ForecastBasis.PEAK, False)
    assert f.reason is not None and f.reason.startswith("peaks daily at 85 %")
    assert f.peak_headroom_bytes == pytest.approx(150 * 1024**3, rel=0.02)


def test_weekly_backup_landing_at_once_fills_when_the_step_lands() -> None:
    s = scenario("weekly full backup")
    f = ours(s)

    assert f.basis is ForecastBasis.STEPS and f.reason == "grows in weekly steps of 40 GiB"
    assert_fills_near_truth(s, f, within_days=0.1)


def test_accelerating_growth_is_dated_earlier_than_a_straight_line_and_not_confident() -> None:
    s = scenario("accelerating")
    f = ours(s)
    true_at = truth(s)

    assert f.reason == "growth accelerating" and not f.confident
    assert f.full_at is not None and f.full_at_latest is not None and true_at is not None
    # A line through 14 days says ~140 days; the truth is 36.
    assert (f.full_at - NOW).days < 60
    assert f.full_at_latest > f.full_at


def test_noisy_steady_growth_keeps_its_trend_and_range() -> None:
    s = scenario("steady 2 GiB/day")
    f = ours(s)

    assert f.basis is ForecastBasis.TREND and f.confident and f.reason is None
    assert_fills_near_truth(s, f, within_days=5)
    assert f.full_at_earliest is not None and f.full_at_latest is not None
    assert f.full_at_earliest <= truth(s) <= f.full_at_latest  # type: ignore[operator]


def to_second(at: datetime | None) -> datetime | None:
    """`at` as stored: whole epoch seconds."""
    return None if at is None else datetime.fromtimestamp(int(at.timestamp()), UTC)


def store_scenario(engine: Engine, s: Scenario) -> int:
    """The scenario's hourly rows, and its daily rows rolled up from them by the rollup code."""
    fs_id = make_filesystem(engine)
    sampled = sample(s)
    rows = [
        {
            "filesystem_id": fs_id,
            "bucket_at": datetime.fromtimestamp(h.at, UTC),
            "sample_count": 12,
            "used_bytes_min": low,
            "used_bytes_avg": h.total - h.available,
            "used_bytes_max": h.used_max,
            "available_bytes_avg": h.available,
            "total_bytes_max": h.total,
        }
        for h, low in zip(sampled.hours, sampled.hour_minima, strict=True)
    ]
    with engine.begin() as conn:
        conn.execute(table_of(FilesystemHourly).insert(), rows)
        day = floor_to(datetime.fromtimestamp(sampled.hours[0].at, UTC), DAY)
        while day < NOW:
            roll_bucket(conn, Resolution.DAILY, day)
            day += timedelta(days=1)
    return fs_id


@pytest.mark.parametrize(
    "prefix", ["pruned weekly, noise", "nightly peak +150 GiB (01-05", "weekly full backup"]
)
def test_stored_forecast_matches_the_estimate_on_each_engine(engine: Engine, prefix: str) -> None:
    s = scenario(prefix)
    fs_id = store_scenario(engine, s)
    with engine.begin() as conn:
        update_trends(conn, [fs_id], NOW)
    with Session(engine) as session:
        stored = stored_forecasts(session, NOW)[("nas-1", "/data")]
    expected = ours(s)

    assert stored["full_at"] == to_second(expected.full_at)
    assert stored["full_at_earliest"] == to_second(expected.full_at_earliest)
    assert stored["full_at_latest"] == to_second(expected.full_at_latest)
    assert stored["confident"] is expected.confident
    assert stored["forecast_basis"] == expected.basis
    assert stored["forecast_reason"] == expected.reason
    assert stored["peak_headroom_bytes"] == expected.peak_headroom_bytes


def test_documented_table_is_the_one_the_scenarios_produce() -> None:
    # Regenerate with: .venv/bin/python -m tests.services.forecast.scenarios
    assert documented_table() == table()

"""Trend and fill date on synthetic series, stored and read back on each engine."""

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select

from homelab_cmd.db.models import FilesystemHourly
from homelab_cmd.db.tables import FILESYSTEM_TREND as TREND
from homelab_cmd.db.tables import table_of
from homelab_cmd.domain import forecast_fields as catalogue
from homelab_cmd.services.forecast.model import estimate
from homelab_cmd.services.forecast.series import INODES, HourPoint
from homelab_cmd.services.forecast.trends import alert_fields, forecast_fields, update_trends
from tests.factories import GIB, filesystem_hour_row, make_filesystem

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
HOURS = 14 * 24
# hour index (0 = 14 days ago) -> (used bytes, total bytes)
Series = Callable[[int], tuple[int, int]]


def store_series(engine: Engine, series: Series, hours: int = HOURS) -> int:
    fs_id = make_filesystem(engine)
    first = NOW - timedelta(hours=hours)
    rows = []
    for i in range(hours):
        used, total = series(i)
        rows.append(filesystem_hour_row(fs_id, first + timedelta(hours=i), used, total))
    with engine.begin() as conn:
        conn.execute(table_of(FilesystemHourly).insert(), rows)
    return fs_id


def trend_of(
    engine: Engine, series: Series, hours: int = HOURS
) -> tuple[float | None, float | None]:
    """(growth GiB/day, days until full) as stored by the rollup job."""
    fs_id = store_series(engine, series, hours)
    with engine.begin() as conn:
        update_trends(conn, [fs_id], NOW)
        growth, full_at = conn.execute(select(TREND.c.growth_bytes_per_day, TREND.c.full_at)).one()
    days = None if full_at is None else (full_at - NOW).total_seconds() / 86400
    return (None if growth is None else growth / GIB), days


def linear(per_day_gib: float, start_gib: float, total_gib: int = 1000) -> Series:
    return lambda i: (int((start_gib + per_day_gib * i / 24) * GIB), total_gib * GIB)


def test_one_gib_a_day_with_fifty_free_fills_in_fifty_days(engine: Engine) -> None:
    # Ends at 950 GiB used of 1000: 50 GiB free.
    growth, days = trend_of(engine, linear(1.0, 950 - HOURS / 24))

    assert growth == pytest.approx(1.0, rel=0.01)
    assert days == pytest.approx(50, abs=1)


def test_noisy_growth_is_estimated_within_ten_percent(engine: Engine) -> None:
    rng = random.Random(7)
    base = linear(2.0, 500)

    def noisy(i: int) -> tuple[int, int]:
        used, total = base(i)
        return used + int(rng.gauss(0, 3) * GIB), total

    growth, days = trend_of(engine, noisy)

    assert growth == pytest.approx(2.0, rel=0.1)
    assert days == pytest.approx((1000 - 528) / 2, rel=0.1)


def test_cleanup_restarts_the_trend(engine: Engine) -> None:
    def series(i: int) -> tuple[int, int]:
        if i < 240:  # ten days at 5 GiB/day, then 200 GiB deleted, then 1 GiB/day
            return int((400 + 5 * i / 24) * GIB), 1000 * GIB
        return int((250 + (i - 240) / 24) * GIB), 1000 * GIB

    growth, days = trend_of(engine, series)

    assert growth == pytest.approx(1.0, rel=0.05)
    assert days == pytest.approx(1000 - 254, rel=0.05)


def test_short_burst_of_temporary_files_does_not_restart_the_trend(engine: Engine) -> None:
    base = linear(1.0, 600)

    def series(i: int) -> tuple[int, int]:
        used, total = base(i)
        return (used + 80 * GIB if 300 <= i < 303 else used), total

    growth, _ = trend_of(engine, series)

    assert growth == pytest.approx(1.0, rel=0.05)


def test_flat_filesystem_is_not_growing(engine: Engine) -> None:
    growth, days = trend_of(engine, lambda i: (300 * GIB, 1000 * GIB))

    assert growth == 0
    assert days is None


def test_shrinking_filesystem_has_negative_growth_and_no_fill_date(engine: Engine) -> None:
    growth, days = trend_of(engine, linear(-0.5, 700))

    assert growth == pytest.approx(-0.5, rel=0.01)
    assert days is None


def test_resize_restarts_the_trend_and_uses_the_new_free_space(engine: Engine) -> None:
    def series(i: int) -> tuple[int, int]:
        if i < 260:  # 500 GiB disk at 1 GiB/day, grown to 1000 GiB, then 3 GiB/day
            return int((400 + i / 24) * GIB), 500 * GIB
        return int((411 + 3 * (i - 260) / 24) * GIB), 1000 * GIB

    growth, days = trend_of(engine, series)

    assert growth == pytest.approx(3.0, rel=0.02)
    assert days == pytest.approx((1000 - 420.5) / 3, rel=0.03)


def test_under_a_day_of_history_has_no_trend(engine: Engine) -> None:
    growth, days = trend_of(engine, linear(10.0, 100), hours=20)

    assert (growth, days) == (None, None)


def test_a_day_after_a_cleanup_is_needed_for_a_new_trend() -> None:
    points = [
        HourPoint(i * 3600, int((500 - (300 if i >= 320 else 0) + i / 24) * GIB), 1000 * GIB, 0)
        for i in range(HOURS)
    ]

    assert estimate(points).growth_bytes_per_day is None
    assert estimate(points[:300]).growth_bytes_per_day == pytest.approx(GIB, rel=0.01)


def test_full_filesystem_that_keeps_growing_is_full_now() -> None:
    points = [HourPoint(i * 3600, (100 + i) * GIB, 1000 * GIB, 0) for i in range(48)]

    trend = estimate(points)

    assert trend.full_at == datetime.fromtimestamp(47 * 3600 + 1800, UTC)


def clean_line(hours: int, per_day_gib: float = 2.0) -> list[HourPoint]:
    total = 1000 * GIB
    return [
        HourPoint(i * 3600, int((500 + per_day_gib * i / 24) * GIB), total,
                  total - int((500 + per_day_gib * i / 24) * GIB))
        for i in range(hours)
    ]  # fmt: skip


def test_under_a_day_of_history_gives_no_date_and_says_why() -> None:
    forecast = estimate(clean_line(23))

    assert (forecast.full_at, forecast.confident) == (None, False)
    assert forecast.reason == "under a day of history"


def test_a_date_from_thirty_hours_is_not_confident_and_from_three_days_it_is() -> None:
    short, long = estimate(clean_line(30)), estimate(clean_line(3 * 24))

    assert short.full_at is not None and not short.confident
    assert long.full_at is not None and long.confident


def test_noisy_growth_has_a_range_around_its_date_that_holds_the_truth() -> None:
    rng = random.Random(3)
    total = 1000 * GIB
    points = []
    for i in range(HOURS):
        used = int((500 + 2 * i / 24 + rng.gauss(0, 3)) * GIB)
        points.append(HourPoint(i * 3600, used, total, total - used))
    # The noise-free line ends at 528 GiB: 472 GiB free at 2 GiB/day.
    truth = datetime.fromtimestamp(HOURS * 3600, UTC) + timedelta(days=236)

    forecast = estimate(points)

    assert forecast.full_at_earliest is not None and forecast.full_at_latest is not None
    assert forecast.full_at is not None
    assert forecast.full_at_earliest < forecast.full_at < forecast.full_at_latest
    assert forecast.full_at_earliest <= truth <= forecast.full_at_latest
    assert forecast.confident


def test_a_series_that_may_never_fill_has_no_latest_date_and_is_not_confident() -> None:
    rng = random.Random(5)
    total = 1000 * GIB
    points = []
    for i in range(2 * 24):  # 0.2 GiB/day under noise of 5 GiB: it may well be flat
        used = int((500 + 0.2 * i / 24 + rng.gauss(0, 5)) * GIB)
        points.append(HourPoint(i * 3600, used, total, total - used))

    forecast = estimate(points)

    assert forecast.full_at is None or forecast.full_at_latest is None
    assert not forecast.confident


def _inode_hours(used: Callable[[int], int], total: int = 6_553_600) -> list[HourPoint]:
    """Hourly inode points over 14 days up to NOW: hour `h` (0 is the oldest) uses `used(h)`."""
    start = int(NOW.timestamp()) - HOURS * 3600
    return [HourPoint(start + h * 3600, used(h), total, total - used(h)) for h in range(HOURS)]


def test_inode_cleanup_restarts_the_inode_trend_where_a_byte_threshold_would_not() -> None:
    # 50,000 files a day for 10 days, 400,000 of them deleted, then 20,000 a day: a cleanup
    # of 6 % of the inodes, far below the 1 GiB a byte series needs to count as one.
    def used(h: int) -> int:
        if h < 240:
            return 3_000_000 + h * 50_000 // 24
        return 3_000_000 + 500_000 - 400_000 + (h - 240) * 20_000 // 24

    as_inodes = estimate(_inode_hours(used), quantity=INODES)
    as_bytes = estimate(_inode_hours(used))

    assert as_inodes.growth_bytes_per_day == pytest.approx(20_000, rel=0.02)
    assert as_bytes.growth_bytes_per_day is not None
    assert as_bytes.growth_bytes_per_day > 30_000  # the old rate leaks in without the cleanup


def test_inode_steps_are_told_in_inodes() -> None:
    # 300,000 files landing at once every 2 days (an unpacked archive), flat in between.
    forecast = estimate(
        _inode_hours(lambda h: 2_000_000 + 300_000 * ((h + 20) // 48)), quantity=INODES
    )

    assert forecast.reason == "grows in every 2 days steps of 300,000 inodes"
    assert forecast.full_at is not None


def test_stored_space_and_inode_trends_read_back_the_same_way() -> None:
    # One reader for both quantities: growth rounded, confident a bool, days counted from now.
    full_at = NOW + timedelta(days=12, hours=6)
    row = {
        "growth_bytes_per_day": 1234.6,
        "full_at": full_at,
        "confident": 1,
        "inodes_growth_per_day": 99.4,
        "inodes_full_at": full_at,
        "inodes_confident": 0,
        "inodes_forecast_reason": "steady growth",
    }

    space = forecast_fields(row, NOW)
    inodes = forecast_fields(row, NOW, catalogue.INODES)

    assert (space["growth_bytes_per_day"], space["confident"]) == (1235, True)
    assert space["days_until_full"] == inodes["inodes_days_until_full"] == 12.25
    assert space["forecast_basis"] is None
    assert inodes == {
        "inodes_growth_per_day": 99,
        "inodes_full_at": full_at,
        "inodes_full_at_earliest": None,
        "inodes_full_at_latest": None,
        "inodes_confident": False,
        "inodes_forecast_reason": "steady growth",
        "inodes_days_until_full": 12.25,
    }
    assert forecast_fields({}, NOW, catalogue.INODES)["inodes_growth_per_day"] is None


@pytest.mark.parametrize("quantity", catalogue.QUANTITIES, ids=lambda q: q.name)
def test_the_alert_pass_reads_its_fields_as_the_api_serves_them(
    quantity: catalogue.ForecastQuantity,
) -> None:
    full_at = NOW + timedelta(days=3)
    row = {
        f.name(quantity): value
        for f, value in (
            (catalogue.GROWTH, 1234.6),
            (catalogue.FULL_AT, full_at),
            (catalogue.FULL_AT_EARLIEST, full_at - timedelta(days=1)),
            (catalogue.FULL_AT_LATEST, full_at + timedelta(days=1)),
            (catalogue.CONFIDENT, 1),
            (catalogue.REASON, "steady growth"),
        )
    }
    served = forecast_fields(row, NOW, quantity)

    read = alert_fields(row, NOW, quantity)

    assert read == {f.name(quantity): served[f.name(quantity)] for f in catalogue.ALERT_FIELDS}
    assert list(served) == [f.name(quantity) for f in catalogue.fields_of(quantity)]

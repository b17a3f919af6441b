"""The capacity report's content, from a week of a realistic fleet (fleet.py beside this)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Drive, Server
from homelab_cmd.domain.report_schedule import parse_schedule
from homelab_cmd.schemas.report import CapacityReport
from homelab_cmd.services.fleet.servers import read_server
from homelab_cmd.services.reports.capacity import HORIZON_DAYS, ReportOptions, build_report
from tests.factories import GIB
from tests.services.reports.fleet import DISKS, build_fleet

NOW = datetime(2026, 12, 7, 7, 0, tzinfo=UTC)
WEEK_AGO = NOW - timedelta(days=7)


def report_of(engine: Engine, options: ReportOptions | None = None) -> CapacityReport:
    with Session(engine) as session:
        return build_report(
            session,
            options or ReportOptions("http://hub.test", 35, parse_schedule("Mon 08:00 UTC")),
            NOW,
        )


@pytest.fixture
def report(engine: Engine) -> CapacityReport:
    build_fleet(engine, NOW)
    return report_of(engine)


FILLING = [
    ("nas-1", "/srv"),
    ("backup-1", "/backups"),
    ("pve-1", "/var/lib/vz"),
    # Three datasets of pool tank, whose free space runs out in ~75 days: all fill with it.
    ("pve-1", "/tank/backup"),
    ("pve-1", "/tank/media"),
    ("pve-1", "/tank/vm"),
]


def test_filesystems_filling_within_ninety_days_come_soonest_first(
    report: CapacityReport,
) -> None:
    filling = [(f.server_id, f.mount_point) for f in report.filling]

    # /mnt/scratch fills soonest but its rule says ignore; / on nas-1 and pi-1 do not fill.
    assert filling == FILLING
    assert report.filling_count == len(FILLING)
    assert report.horizon_days == HORIZON_DAYS == 90
    for fs in report.filling:
        assert fs.full_at is not None and fs.days_until_full is not None
        assert fs.full_at_earliest is not None and fs.full_at_latest is not None
        assert fs.full_at_earliest <= fs.full_at <= fs.full_at_latest
        assert fs.days_until_full <= HORIZON_DAYS


def same(a: object, b: object) -> bool:
    """Equal, or instants within a minute: a pool's date is dated from the read's own clock."""
    if isinstance(a, datetime) and isinstance(b, datetime):
        return abs(a - b) < timedelta(minutes=1)
    return a == b


def test_each_fill_date_is_the_one_the_server_read_gives(engine: Engine) -> None:
    # The server page's read (the API's, on the wall clock): its own date, or its pool's when
    # that comes first.
    now = datetime.now(UTC)
    build_fleet(engine, now)
    with Session(engine) as session:
        report = build_report(session, ReportOptions(None, 35, None), datetime.now(UTC))
        reads = {
            (server_id, fs.mount_point): fs
            for server_id in ("nas-1", "pve-1", "backup-1")
            for fs in read_server(session, session.get_one(Server, server_id), 180).filesystems
            or []
        }
    fields = ("full_at", "full_at_earliest", "full_at_latest", "confident", "fill_source",
              "fill_domain", "fill_domain_label", "own_full_at")  # fmt: skip
    assert [(f.server_id, f.mount_point) for f in report.filling] == FILLING
    for fs in report.filling:
        read = reads[(fs.server_id, fs.mount_point)]
        for field in fields:
            assert same(getattr(fs, field), getattr(read, field)), (fs.mount_point, field)


def test_datasets_of_a_pool_fill_with_it(report: CapacityReport) -> None:
    tank = [fs for fs in report.filling if fs.mount_point.startswith("/tank/")]
    assert {(fs.fill_source, fs.fill_domain_label) for fs in tank} == {("domain", "pool tank")}
    assert len({fs.full_at for fs in tank}) == 1
    # Alone, /tank/media (1 GiB a day of 300 GiB free) would take ~300 days.
    [media] = [fs for fs in tank if fs.mount_point == "/tank/media"]
    assert media.own_full_at is not None and media.full_at is not None
    assert (media.own_full_at - NOW).days == pytest.approx(300, abs=10)
    assert (media.full_at - NOW).days == pytest.approx(75, abs=3)


def test_the_fill_dates_follow_the_growth(report: CapacityReport) -> None:
    srv, backups, vz = report.filling[:3]
    assert srv.full_at_earliest is not None and srv.full_at_latest is not None

    assert srv.days_until_full == pytest.approx(46 / 5, abs=1)
    assert srv.confident is True
    assert srv.full_at_earliest < srv.full_at_latest  # noisy history: a real range
    assert srv.server_name == "nas-1.home.lan"
    assert (srv.total_bytes, srv.available_bytes) == (4096 * GIB, 46 * GIB)
    # Two days of history give a date but not a confident one.
    assert backups.days_until_full == pytest.approx(20, abs=1)
    assert backups.confident is False
    assert vz.days_until_full == pytest.approx(50, abs=2)


def test_the_weeks_largest_growers_come_from_the_hourly_history(report: CapacityReport) -> None:
    growers = [(g.server_id, g.mount_point) for g in report.growers]

    assert growers == [
        ("nas-1", "/srv"),
        ("pve-1", "/tank/vm"),
        ("backup-1", "/backups"),
        ("pve-1", "/var/lib/vz"),
        ("pve-1", "/tank/media"),
    ]
    by_mount = {g.mount_point: g for g in report.growers}
    disks = {d.mount: d for d in DISKS}
    # A week of growth (the first hour of the week to the latest heartbeat), within the noise.
    assert by_mount["/srv"].change_bytes == pytest.approx(7 * 5 * GIB, abs=6 * GIB)
    assert by_mount["/tank/media"].change_bytes == pytest.approx(7 * GIB, abs=GIB // 10)
    assert by_mount["/srv"].bytes_now == disks["/srv"].used_now
    for g in report.growers:
        assert g.change_bytes == g.bytes_now - g.bytes_then
        assert WEEK_AGO <= g.since < WEEK_AGO + timedelta(hours=1) or g.mount_point == "/backups"
    # /backups has two days of history: its growth is counted from its first hour.
    assert by_mount["/backups"].since >= NOW - timedelta(days=2, hours=1)
    assert by_mount["/backups"].change_bytes == pytest.approx(20 * GIB, abs=GIB)


def test_shrinking_flat_and_ignored_filesystems_are_no_growers(report: CapacityReport) -> None:
    listed = {(g.server_id, g.mount_point) for g in report.growers}

    assert ("pi-1", "/") not in listed  # shrinking
    assert ("nas-1", "/") not in listed  # flat
    assert ("pi-1", "/mnt/scratch") not in listed  # grew most, but its rule says ignore
    assert ("pve-1", "/tank/backup") not in listed  # fills with its pool, but does not grow


def test_directories_that_grew_are_named_once_where_it_happened(report: CapacityReport) -> None:
    # The two scans of /srv: recordings grew 30 GiB, media 5 GiB. /srv and /srv/frigate grew by
    # the same recordings: one fact, named where it happened.
    assert [(d.server_id, d.path, d.change_bytes) for d in report.directory_growers] == [
        ("nas-1", "/srv/frigate/recordings", 30 * GIB),
        ("nas-1", "/srv/media", 5 * GIB),
    ]
    recordings = report.directory_growers[0]
    assert (recordings.mount_point, recordings.bytes_then, recordings.bytes_now) == (
        "/srv",
        1000 * GIB,
        1030 * GIB,
    )


def test_drives_and_pools_whose_health_changed_this_week(
    engine: Engine, report: CapacityReport
) -> None:
    changes = [(c.server_id, c.subject, c.name) for c in report.storage_changes]

    # Critical first. The pi's drive alert is older than the week and unchanged: not listed.
    assert changes == [("pve-1", "pool", "tank"), ("nas-1", "drive", "/dev/sda")]
    pool, drive = report.storage_changes
    assert pool.health == "ok"  # degraded during the week, back online since
    assert [(e.kind, e.resolved_at) for e in pool.events] == [
        ("pool_degraded", NOW - timedelta(days=1))
    ]
    with Session(engine) as session:
        row = session.scalars(select(Drive).where(Drive.server_id == "nas-1")).one()
    assert (drive.health, drive.reasons) == ("warning", row.reasons)
    assert any("reallocated" in reason for reason in drive.reasons)
    assert [(e.kind, e.resolved_at) for e in drive.events] == [("drive_health", None)]


def test_alerts_of_the_week_are_counted(report: CapacityReport) -> None:
    alerts = report.alerts

    assert (alerts.opened, alerts.acknowledged, alerts.resolved, alerts.still_firing) == (
        4,
        1,
        1,
        5,
    )
    # Critical first, then the longest firing.
    assert [(a.server_id, a.kind) for a in alerts.firing] == [
        ("nas-1", "time_to_full"),
        ("backup-1", "server_offline"),
        ("pi-1", "drive_health"),
        ("nas-1", "drive_health"),
        ("pve-1", "disk_used"),
    ]
    assert alerts.firing[0].acknowledged is True


def test_the_report_links_the_hub_and_names_the_next_one(report: CapacityReport) -> None:
    assert report.hub_url == "http://hub.test"
    assert report.server_count == 4
    assert (report.generated_at, report.period_start) == (NOW, WEEK_AGO)
    assert report.next_report_at == datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    assert report.schedule == "Mon 08:00 (UTC)"


def test_without_a_public_url_or_schedule_the_report_says_neither(engine: Engine) -> None:
    build_fleet(engine, NOW)

    report = report_of(engine, ReportOptions(None, 35, None))

    assert (report.hub_url, report.next_report_at) == (None, None)


def test_an_empty_hub_has_an_empty_report(engine: Engine) -> None:
    report = report_of(engine)

    assert report.server_count == 0
    assert (report.filling, report.growers, report.storage_changes) == ([], [], [])
    assert report.directory_growers == []
    assert (report.alerts.opened, report.alerts.still_firing) == (0, 0)

"""The hub asks for usage scans where fill dates come near, one open request a filesystem."""

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from homelab_cmd.config import Settings
from homelab_cmd.db.models import Filesystem, FilesystemTrend, UsageScanRequest
from homelab_cmd.domain.usage import RequestedBy, UsageScanState
from homelab_cmd.services.alerts.rules import put_rule
from homelab_cmd.services.ingest.store import HeartbeatStore, StoredHeartbeat
from homelab_cmd.services.maintenance.passes import filling_within, run_maintenance
from homelab_cmd.services.usage.requests import expire_requests, open_request, request_for_forecasts
from homelab_cmd.services.usage.store import open_orders
from tests.factories import GIB, filesystem_payload, heartbeat_payload, store_heartbeats
from tests.services.usage.scans import scan_payload

T0 = datetime(2026, 12, 1, 12, tzinfo=UTC)
MOUNTS: list[dict[str, Any]] = [
    filesystem_payload(mount_point="/", fs_type="ext4"),
    filesystem_payload(mount_point="/srv", device="/dev/sdb1", fs_type="xfs"),
    filesystem_payload(mount_point="/mnt/nas", device="nas:/export", fs_type="nfs4"),
    filesystem_payload(mount_point="/mnt/share", device="//nas/share", fs_type="cifs"),
    filesystem_payload(mount_point="/backup", device="/dev/sdc1", fs_type="ext4"),
]


def report(engine: Engine, at: datetime, **fields: Any) -> None:
    store_heartbeats(engine, [heartbeat_payload(timestamp=at, filesystems=MOUNTS, **fields)])


def fills_in(
    engine: Engine,
    mount_point: str,
    days: float | None,
    *,
    confident: bool = True,
    growth: float = GIB,
) -> None:
    """Give a filesystem the stored forecast the maintenance pass would have made (a growth a
    day, and its own fill date `days` from T0, or none)."""
    with Session(engine) as session:
        fs_id = session.scalars(
            select(Filesystem.id).where(Filesystem.mount_point == mount_point)
        ).one()
        session.add(
            FilesystemTrend(
                filesystem_id=fs_id,
                growth_bytes_per_day=growth,
                full_at=None if days is None else T0 + timedelta(days=days),
                full_at_earliest=None if days is None else T0 + timedelta(days=days * 0.8),
                full_at_latest=None if days is None else T0 + timedelta(days=days * 1.2),
                confident=confident and days is not None,
                computed_at=T0,
            )
        )
        session.commit()


def ask(engine: Engine, now: datetime = T0, horizon: int = 30) -> int:
    # As the maintenance pass asks: the fill dates people see, then the requests.
    with Session(engine) as session, session.begin():
        return request_for_forecasts(session, now, filling_within(session, now, horizon))


def requests(engine: Engine) -> list[UsageScanRequest]:
    with Session(engine) as session:
        query = select(UsageScanRequest).order_by(UsageScanRequest.mount_point)
        return list(session.scalars(query))


def test_a_confident_fill_date_within_the_horizon_asks_for_a_forecast_scan(
    engine: Engine,
) -> None:
    report(engine, T0)
    fills_in(engine, "/srv", 9)
    fills_in(engine, "/", 45)
    fills_in(engine, "/backup", 5, confident=False)

    assert ask(engine) == 1

    (request,) = requests(engine)
    assert (request.mount_point, request.requested_by, request.state) == (
        "/srv",
        RequestedBy.FORECAST,
        UsageScanState.PENDING,
    )
    with engine.connect() as conn:
        orders = open_orders(conn, ["nas-1"], T0)
    assert [(o.id, o.mount_point) for o in orders["nas-1"]] == [(request.id, "/srv")]
    assert ask(engine, T0 + timedelta(hours=1)) == 0  # the open one is not asked again


def test_network_filesystems_and_ignored_mounts_are_never_asked_for(engine: Engine) -> None:
    report(engine, T0)
    for mount in ("/mnt/nas", "/mnt/share", "/backup"):
        fills_in(engine, mount, 3)
    with Session(engine) as session:
        put_rule(session, "nas-1", "/backup", {"mode": "ignore"})

    assert ask(engine) == 0
    assert requests(engine) == []


def test_a_filesystem_scanned_within_a_day_is_not_asked_again(engine: Engine) -> None:
    report(engine, T0 - timedelta(hours=20))
    scan = scan_payload("/srv", {"/srv": GIB}, started_at=T0 - timedelta(hours=5))
    report(engine, T0 - timedelta(hours=4), usage_scans=[scan])
    report(engine, T0)
    fills_in(engine, "/srv", 9)

    assert ask(engine) == 0
    report(engine, T0 + timedelta(hours=21))
    assert ask(engine, T0 + timedelta(hours=21)) == 1


def test_a_request_no_scan_answers_expires_after_a_day(engine: Engine) -> None:
    report(engine, T0)
    with engine.begin() as conn:
        assert open_request(conn, "nas-1", "/srv", RequestedBy.PERSON, T0)
        assert not open_request(conn, "nas-1", "/srv", RequestedBy.PERSON, T0)
        assert open_orders(conn, ["nas-1"], T0 + timedelta(hours=25)) == {}
        assert expire_requests(conn, T0 + timedelta(hours=23)) == 0
        assert expire_requests(conn, T0 + timedelta(hours=25)) == 1

    (request,) = requests(engine)
    assert (request.state, request.open_key) == (UsageScanState.EXPIRED, None)
    with engine.begin() as conn:
        assert open_request(conn, "nas-1", "/srv", RequestedBy.PERSON, T0 + timedelta(hours=26))
    assert ask(engine, T0 + timedelta(days=20)) == 0
    assert len(requests(engine)) == 2
    assert ask(engine, T0 + timedelta(days=32)) == 0  # closed a month ago: deleted
    assert [r.requested_at for r in requests(engine)] == [T0 + timedelta(hours=26)]


def test_the_maintenance_pass_asks_where_it_refreshed_the_forecasts(
    engine: Engine, settings: Settings
) -> None:
    report(engine, T0)
    fills_in(engine, "/srv", 20)

    off = run_maintenance(engine, settings.model_copy(update={"usage_scan_horizon_days": 10}), T0)
    on = run_maintenance(engine, settings, T0)

    assert (off.usage_scans_requested, on.usage_scans_requested) == (0, 1)
    assert "usage scans requested: 1" in on.lines()


# Three ZFS datasets of pool tank with 100 GiB free, growing 3, 2 and 0 GiB a day: the pool
# fills in 20 days, while their own dates say 40 days, 60 days and never.
TANK_FREE = 100 * GIB
TANK = {"/tank/a": (100 * GIB, 40, 3 * GIB), "/tank/b": (200 * GIB, 60, 2 * GIB)}
TANK_IDLE = {"/tank/c": (50 * GIB, None, 0)}


def tank_heartbeat(at: datetime) -> dict[str, Any]:
    datasets = {**TANK, **TANK_IDLE}
    used = sum(size for size, _, _ in datasets.values())
    filesystems = [
        filesystem_payload(
            mount_point=mount,
            device=f"tank{mount.removeprefix('/tank')}",
            fs_type="zfs",
            total_bytes=size + TANK_FREE,
            used_bytes=size,
            available_bytes=TANK_FREE,
            capacity_domain="zfs:tank",
        )
        for mount, (size, _, _) in datasets.items()
    ]
    pool = {
        "key": "zfs:tank",
        "kind": "zfs_pool",
        "members": list(datasets),
        "total_bytes": used + TANK_FREE,
        "used_bytes": used,
        "available_bytes": TANK_FREE,
    }
    return heartbeat_payload(
        server_id="tank-host",
        hostname="tank-host",
        timestamp=at,
        filesystems=filesystems,
        capacity_domains=[pool],
    )


def test_datasets_whose_pool_fills_within_the_horizon_are_asked_for(
    engine: Engine, settings: Settings
) -> None:
    store_heartbeats(engine, [tank_heartbeat(T0)])
    for mount, (_, days, growth) in {**TANK, **TANK_IDLE}.items():
        fills_in(engine, mount, days, growth=growth)

    # Each dataset's own date is beyond the 30-day horizon; the pool's (20 days) is within it,
    # and it is the date people see ("fills with pool tank") and the alert uses.
    with Session(engine) as session:
        assert filling_within(session, T0, 30) == {
            ("tank-host", "/tank/a"),
            ("tank-host", "/tank/b"),
            ("tank-host", "/tank/c"),
        }
        assert filling_within(session, T0, 15) == set()

    done = run_maintenance(engine, settings, T0)

    assert done.usage_scans_requested == 3
    assert [(r.server_id, r.mount_point, r.requested_by) for r in requests(engine)] == [
        ("tank-host", "/tank/a", RequestedBy.FORECAST),
        ("tank-host", "/tank/b", RequestedBy.FORECAST),
        ("tank-host", "/tank/c", RequestedBy.FORECAST),
    ]


def test_a_request_runs_then_closes_with_the_scan_that_answers_it(engine: Engine) -> None:
    report(engine, T0)
    with engine.begin() as conn:
        open_request(conn, "nas-1", "/srv", RequestedBy.PERSON, T0)
    (request,) = requests(engine)
    running = {
        "mount_point": "/srv",
        "request_id": request.id,
        "started_at": T0.isoformat(),
        "entries": 100,
    }

    report(engine, T0 + timedelta(minutes=1), usage_scan_running=running)
    (mid,) = requests(engine)
    done = scan_payload("/srv", {"/srv": GIB}, started_at=T0, request_id=request.id)
    report(engine, T0 + timedelta(minutes=2), usage_scans=[done])
    (end,) = requests(engine)
    # A late progress report (a replayed heartbeat) does not reopen it.
    report(engine, T0 + timedelta(minutes=3), usage_scan_running={**running, "entries": 5})
    (after,) = requests(engine)

    assert (mid.state, mid.entries, mid.started_at) == (UsageScanState.RUNNING, 100, T0)
    assert (end.state, end.open_key, end.finished_at) == (
        UsageScanState.DONE,
        None,
        T0 + timedelta(minutes=2),
    )
    assert (after.state, after.entries) == (UsageScanState.DONE, 123_456)


def test_a_batch_answers_each_server_its_own_open_requests(engine: Engine) -> None:
    report(engine, T0)
    store_heartbeats(engine, [heartbeat_payload(server_id="nas-2", timestamp=T0)])
    with engine.begin() as conn:
        open_request(conn, "nas-2", "/data", RequestedBy.PERSON, T0)
        answers = HeartbeatStore().with_usage_orders(
            conn, [("nas-1", _stored()), ("nas-2", _stored()), ("nas-3", ValueError())], T0
        )
        conn.execute(update(UsageScanRequest).values(state=UsageScanState.DONE))

    first, second, third = answers
    assert [o.mount_point for o in getattr(first, "usage_scan_requests", ())] == []
    assert [o.mount_point for o in getattr(second, "usage_scan_requests", ())] == ["/data"]
    assert isinstance(third, ValueError)


def _stored() -> StoredHeartbeat:
    return StoredHeartbeat(server_registered=False, duplicate=False)

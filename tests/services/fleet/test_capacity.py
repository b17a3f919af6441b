"""Capacity domains of a server: growth adds up each parent chain once, loops included."""

from datetime import UTC, datetime
from typing import Any

import pytest

from homelab_cmd.domain.filesystems import FilesystemState
from homelab_cmd.domain.forecast import FillSource
from homelab_cmd.domain.forecast_fields import ALERT_FIELDS, BYTES, FILL_FIELDS, stored_fields
from homelab_cmd.domain.snapshot import SnapshotFilesystem
from homelab_cmd.services.fleet.capacity import (
    fill_dates,
    fleet_totals,
    server_capacity,
    server_domains,
    server_names,
    share_host,
)
from homelab_cmd.services.forecast.model import estimate
from homelab_cmd.services.forecast.series import HourPoint
from homelab_cmd.services.forecast.trends import Forecasted, alert_fields, forecast_fields

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
GIB = 1024**3


def _fs(mount: str, domain: str) -> SnapshotFilesystem:
    return SnapshotFilesystem(
        mount_point=mount,
        device=f"tank{mount}",
        fs_type="zfs",
        total_bytes=100 * GIB,
        used_bytes=10 * GIB,
        available_bytes=90 * GIB,
        capacity_domain=domain,
    )


def _chain(keys: list[str], loop: bool = False) -> list[dict[str, Any]]:
    return [
        {
            "key": key,
            "kind": "zfs_dataset",
            "members": [f"/{key}"],
            "total_bytes": 100 * GIB,
            "used_bytes": 10 * GIB,
            "available_bytes": 90 * GIB,
            "union_of": None,
            "parent": keys[i - 1] if i else (keys[-1] if loop else None),
        }
        for i, key in enumerate(keys)
    ]


def test_a_domain_grows_by_its_own_filesystems_and_every_descendants() -> None:
    # A chain far deeper than ingest accepts today, as an older hub may have stored it.
    keys = [f"d{i}" for i in range(3000)]
    filesystems: list[Forecasted] = [
        (_fs(f"/{key}", key), {"growth_bytes_per_day": 1.0}) for key in keys
    ]

    domains = server_domains(_chain(keys), filesystems, NOW)

    assert domains is not None
    growth = {d["key"]: d["growth_bytes_per_day"] for d in domains}
    assert growth["d0"] == 3000.0
    assert growth["d1500"] == 1500.0
    assert growth["d2999"] == 1.0
    assert [d["counted"] for d in domains[:2]] == [True, False]


def test_a_stored_loop_of_parents_ends_instead_of_going_round() -> None:
    keys = ["a", "b", "c"]
    filesystems: list[Forecasted] = [
        (_fs(f"/{key}", key), {"growth_bytes_per_day": 1.0}) for key in keys
    ]

    domains = server_domains(_chain(keys, loop=True), filesystems, NOW)

    assert domains is not None
    growth = {d["key"]: d["growth_bytes_per_day"] for d in domains}
    assert all(1.0 <= rate <= 3.0 for rate in growth.values())


def _domain(key: str, kind: str, total_gib: int) -> dict[str, Any]:
    return {
        "key": key,
        "kind": kind,
        "members": ["/x"],
        "total_bytes": total_gib * GIB,
        "used_bytes": 0,
        "available_bytes": total_gib * GIB,
        "union_of": None,
        "parent": None,
        "counted": True,
    }


@pytest.mark.parametrize(
    ("key", "host"),
    [
        ("net:nas:/srv/storage", "nas"),
        ("net:NAS.home.lan:/export", "nas"),
        ("net://nas/media", "nas"),
        ("net:backup@nas.lan:/srv", "nas"),
        ("net:[fd00::2]:/srv", "fd00::2"),
    ],
)
def test_a_network_domain_names_the_server_its_share_lives_on(key: str, host: str) -> None:
    assert share_host(_domain(key, "network", 1)) == host


def test_a_local_domain_names_no_share_host() -> None:
    assert share_host(_domain("dev:8:1", "device", 1)) is None


def test_fleet_totals_count_a_share_at_its_source_and_once_elsewhere() -> None:
    """The NAS's union is counted on the NAS; its export mounted on two other servers adds
    nothing; a share of a NAS the hub does not monitor, mounted twice, counts once."""
    nas = (server_names("nas", "nas.home.lan"), [_domain("union:/srv/storage", "union", 10_000)])
    docker = (
        server_names("docker-host", "docker-host"),
        [
            _domain("dev:8:1", "device", 100),
            _domain("net:nas.home.lan:/srv/storage", "network", 10_000),
            _domain("net:synology:/volume1", "network", 4_000),
        ],
    )
    pi = (
        server_names("pi-kitchen", None),
        [
            _domain("net://nas/storage", "network", 10_000),
            _domain("net:synology:/volume1", "network", 4_000),
        ],
    )

    totals = fleet_totals([nas, docker, pi])

    assert totals.total_bytes == (10_000 + 100 + 4_000) * GIB
    assert totals.domain_count == 3


def _stored_trend(used_gib: float, per_day: float, free_gib: float) -> dict[str, Any]:
    """The trend the maintenance pass stores for two weeks of steady growth (the real model)."""
    end = int(NOW.timestamp())
    hours = []
    for hour in range(14 * 24, 0, -1):
        days = -hour / 24
        used = int((used_gib + per_day * days) * GIB)
        free = int((free_gib - per_day * days) * GIB)
        hours.append(HourPoint(end - hour * 3600, used, used + free, free))
    forecast = estimate(hours)
    return {f.name(): getattr(forecast, f.forecast_attr) for f in stored_fields(BYTES)}


def _tank_server() -> tuple[list[SnapshotFilesystem], dict[str, dict[str, Any]]]:
    """Datasets of pool `tank` (one under a quota, one not read this time), and the root disk
    with a mount of it that has no trend yet; with their stored trends."""
    snapshot = [
        _fs("/tank/a", "zfs:tank"),
        _fs("/tank/b", "zfs:tank"),
        _fs("/tank/still", "zfs:tank"),
        _fs("/tank/quota", "zfs:tank/quota"),
        _fs("/", "dev:8:1"),
        SnapshotFilesystem(
            mount_point="/tank/gone",
            device="tank/gone",
            fs_type="zfs",
            total_bytes=0,
            used_bytes=0,
            available_bytes=0,
            state=FilesystemState.UNREACHABLE,
            capacity_domain="zfs:tank",
        ),
        _fs("/srv/new", "dev:8:1"),
    ]
    trends = {
        "/tank/a": _stored_trend(100, 3, 860),
        "/tank/b": _stored_trend(100, 2, 860),
        "/tank/still": _stored_trend(100, 0, 860),
        "/tank/quota": _stored_trend(20, 0.5, 80),
        "/": _stored_trend(30, 0.2, 200),
        "/tank/gone": _stored_trend(10, 1, 860),
    }
    return snapshot, trends


def _tank_domains() -> list[dict[str, Any]]:
    pool = _domain("zfs:tank", "zfs_pool", 1000)
    quota = {**_domain("zfs:tank/quota", "zfs_dataset", 100), "parent": "zfs:tank"}
    root = _domain("dev:8:1", "device", 230)
    return [
        {**d, "available_bytes": free * GIB} for d, free in ((pool, 860), (quota, 80), (root, 200))
    ]


@pytest.mark.parametrize("reported", [True, False], ids=["reported domains", "no domains"])
def test_the_alert_pass_dates_each_filesystem_as_the_reads_do(reported: bool) -> None:
    """`fill_dates` gives the filesystems of `server_capacity`, and from the few forecast fields
    the alert pass reads (`alert_fields`) the same dates, ranges, confidence and domain."""
    snapshot, trends = _tank_server()
    raw = _tank_domains() if reported else None
    served = [(fs, forecast_fields(trends.get(fs.mount_point, {}), NOW)) for fs in snapshot]
    read = [(fs, alert_fields(trends.get(fs.mount_point, {}), NOW)) for fs in snapshot]

    dated, _ = server_capacity(raw, served, NOW)

    assert dated is not None
    assert fill_dates(raw, served, NOW) == dated
    names = [f.name() for f in (*ALERT_FIELDS, *FILL_FIELDS)]
    assert [(fs, {n: forecast[n] for n in names}) for fs, forecast in dated] == [
        (fs, {n: forecast[n] for n in names}) for fs, forecast in fill_dates(raw, read, NOW)
    ]
    # Not vacuous: the pool fills first, and its datasets say so only when it is reported.
    sources = {fs.mount_point: forecast["fill_source"] for fs, forecast in dated}
    assert sources["/tank/a"] is (FillSource.DOMAIN if reported else FillSource.OWN)
    assert sources["/"] is FillSource.OWN

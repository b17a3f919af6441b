"""A filesystem fills when the storage it shares does: the earlier of its own date and its capacity
domain's, saying which. Stored through the ingest path, forecast by the maintenance pass and
read through the API (and the alert pass) on SQLite and PostgreSQL."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from homelab_cmd.config import Settings
from homelab_cmd.db.models import Alert, NotificationOutbox
from homelab_cmd.services.alerts.evaluation import evaluate
from homelab_cmd.services.maintenance.passes import run_maintenance
from tests.factories import (
    GIB,
    alert_config,
    filesystem_payload,
    heartbeat_payload,
    store_heartbeats,
)

STEP = timedelta(minutes=10)
ALERTS = alert_config()
DAYS = 4
SERVER = "/api/v1/servers/tank-host"

# (mount point, used bytes `days` from now) -> a filesystem entry of one heartbeat
Layout = Callable[[float], tuple[list[dict[str, Any]], list[dict[str, Any]] | None]]


def _pool(
    datasets: dict[str, tuple[float, float]], free_gib: float
) -> Callable[[float], tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """ZFS datasets of pool `tank`, each (GiB used now, GiB a day), as statvfs shows them: each
    its own used bytes over the pool's free space, which falls by the sum of their growth."""
    rate = sum(per_day for _, per_day in datasets.values())

    def at(days: float) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        free = int((free_gib - rate * days) * GIB)
        used = {m: int((now + per_day * days) * GIB) for m, (now, per_day) in datasets.items()}
        filesystems = [
            filesystem_payload(
                mount_point=mount,
                device=f"tank{mount.removeprefix('/tank')}",
                fs_type="zfs",
                total_bytes=used[mount] + free,
                used_bytes=used[mount],
                available_bytes=free,
                capacity_domain="zfs:tank",
            )
            for mount in datasets
        ]
        domain = {
            "key": "zfs:tank",
            "kind": "zfs_pool",
            "members": list(datasets),
            "total_bytes": sum(used.values()) + free,
            "used_bytes": sum(used.values()),
            "available_bytes": free,
        }
        return filesystems, [domain]

    return at


def _store(engine: Engine, now: datetime, layout: Layout, days: float = DAYS) -> None:
    beats = []
    steps = int(timedelta(days=days) / STEP)
    for i in range(steps - 1, -1, -1):
        at = now - i * STEP
        filesystems, domains = layout((at - now).total_seconds() / 86400)
        extra = {} if domains is None else {"capacity_domains": domains}
        beats.append(
            heartbeat_payload(
                server_id="tank-host",
                hostname="tank-host",
                timestamp=at,
                filesystems=filesystems,
                **extra,
            )
        )
    store_heartbeats(engine, beats)


def _forecast(engine: Engine, settings: Settings, now: datetime, layout: Layout) -> None:
    _store(engine, now, layout)
    run_maintenance(engine, settings, now)


def _now() -> datetime:
    # The reads date forecasts from the wall clock: the history ends now.
    return datetime.now(UTC).replace(second=0, microsecond=0)


def _by_mount(server: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {fs["mount_point"]: fs for fs in server["filesystems"]}


def _days(iso: str, now: datetime) -> float:
    return (datetime.fromisoformat(iso) - now).total_seconds() / 86400


# The pool: free space falls 5 GiB a day, 860 GiB of it left (172 days), while its
# datasets' own used bytes grow 3, 2 and 0 GiB a day (alone: 287 days, 430 days, never).
TANK = _pool({"/tank/a": (100, 3), "/tank/b": (200, 2), "/tank/c": (50, 0)}, free_gib=860)


def test_datasets_of_a_pool_fill_with_the_pool(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    now = _now()
    _forecast(engine, settings, now, TANK)

    server = client.get(SERVER).json()

    (pool,) = server["capacity_domains"]
    assert pool["growth_bytes_per_day"] == pytest.approx(5 * GIB, rel=0.01)
    assert pool["days_until_full"] == pytest.approx(172, abs=1)
    assert pool["confident"] is True
    assert pool["full_at_earliest"] <= pool["full_at"] <= pool["full_at_latest"]
    fs = _by_mount(server)
    for mount in ("/tank/a", "/tank/b", "/tank/c"):
        dataset = fs[mount]
        assert dataset["days_until_full"] == pytest.approx(172, abs=1), mount
        assert (dataset["fill_source"], dataset["fill_domain"]) == ("domain", "zfs:tank"), mount
        assert dataset["fill_domain_label"] == "pool tank"
        assert dataset["forecast_reason"] == "fills with pool tank"
        assert dataset["confident"] is True
        assert (dataset["full_at"], dataset["full_at_earliest"], dataset["full_at_latest"]) == (
            pool["full_at"],
            pool["full_at_earliest"],
            pool["full_at_latest"],
        )
    # Each keeps its own growth, and its own date for who asks.
    assert fs["/tank/a"]["growth_bytes_per_day"] == pytest.approx(3 * GIB, rel=0.01)
    assert _days(fs["/tank/a"]["own_full_at"], now) == pytest.approx(287, abs=2)
    assert _days(fs["/tank/b"]["own_full_at"], now) == pytest.approx(430, abs=3)
    assert fs["/tank/c"]["own_full_at"] is None


def test_metrics_give_each_dataset_the_pools_date(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    now = _now()
    _forecast(engine, settings, now, TANK)
    pool_full_at = client.get(SERVER).json()["capacity_domains"][0]["full_at"]

    scrape = client.get("/metrics").text

    predicted = {
        sample.labels["mountpoint"]: sample.value
        for family in text_string_to_metric_families(scrape)
        for sample in family.samples
        if sample.name == "homelab_filesystem_predicted_full_timestamp_seconds"
    }
    expected = datetime.fromisoformat(pool_full_at).timestamp()
    assert predicted == pytest.approx(dict.fromkeys(["/tank/a", "/tank/b", "/tank/c"], expected))


def test_the_fleet_list_names_the_dataset_that_fills_with_its_pool(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    now = _now()
    _forecast(engine, settings, now, TANK)

    (summary,) = client.get("/api/v1/servers").json()["data"]

    first = summary["soonest_full_filesystem"]
    assert first["mount_point"].startswith("/tank/")
    assert first["days_until_full"] == pytest.approx(172, abs=1)
    assert (first["fill_source"], first["fill_domain_label"]) == ("domain", "pool tank")
    assert first["confident"] is True


def test_a_pool_that_fills_within_two_weeks_alerts_on_every_dataset(
    engine: Engine, settings: Settings
) -> None:
    """50 GiB free at 5 GiB a day: 10 days. Alone, 3 GiB a day would take 16.7 days and 2 GiB
    25 days, both past the 14-day warning; with the pool, each fires and says so."""
    now = _now()
    small = _pool({"/tank/a": (100, 3), "/tank/b": (200, 2), "/tank/c": (50, 0)}, free_gib=50)
    _forecast(engine, settings, now, small)

    evaluate(engine, ALERTS, now)
    evaluate(engine, ALERTS, now + timedelta(seconds=61))

    with Session(engine) as session:
        fired = {
            a.mount_point or "": a
            for a in session.scalars(select(Alert).where(Alert.kind == "time_to_full"))
        }
        bodies = [m.body for m in session.scalars(select(NotificationOutbox))]
    assert sorted(fired) == ["/tank/a", "/tank/b", "/tank/c"]
    for mount, alert in fired.items():
        assert (alert.state, alert.severity) == ("firing", "warning"), mount
        figures = alert.figures or {}
        assert figures["fills_with"] == "pool tank"
        assert figures["days_left"] == pytest.approx(10, abs=0.3)
        assert alert.message.startswith(f"{mount} fills with pool tank in about 10.")
    assert any("/tank/a fills with pool tank in about 10." in body for body in bodies)


def _quota_layout(
    pool_free_gib: float, quota_left_gib: float
) -> Callable[[float], tuple[list[dict[str, Any]], list[dict[str, Any]]]]:
    """Pool tank with `pool_free_gib` free, falling 3 GiB a day: /tank/a grows 2 GiB a day, and
    /tank/q, held by a quota with `quota_left_gib` left, grows 1 GiB a day."""

    def layout(days: float) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        filesystems, (pool,) = _pool({"/tank/a": (100, 2)}, free_gib=pool_free_gib)(days)
        pool_free = pool["available_bytes"] - int(1 * days * GIB)
        used_q = int((60 + 1 * days) * GIB)
        quota = int((60 + quota_left_gib) * GIB)
        for fs in filesystems:
            fs.update(available_bytes=pool_free, total_bytes=fs["used_bytes"] + pool_free)
        filesystems.append(
            filesystem_payload(
                mount_point="/tank/q",
                device="tank/q",
                fs_type="zfs",
                total_bytes=quota,
                used_bytes=used_q,
                available_bytes=quota - used_q,
                capacity_domain="zfs:tank/q",
            )
        )
        child = {
            "key": "zfs:tank/q",
            "kind": "zfs_dataset",
            "members": ["/tank/q"],
            "total_bytes": quota,
            "used_bytes": used_q,
            "available_bytes": quota - used_q,
            "parent": "zfs:tank",
        }
        pool.update(
            used_bytes=pool["used_bytes"] + used_q,
            available_bytes=pool_free,
            total_bytes=pool["used_bytes"] + used_q + pool_free,
        )
        return filesystems, [pool, child]

    return layout


def test_a_quota_dataset_fills_with_its_pool_when_the_pool_fills_first(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    """tank has 60 GiB free, falling 3 GiB a day (20 days); /tank/q has 40 GiB left of its
    quota and grows 1 GiB a day (40 days alone): when the pool is full so is /tank/q, in 20
    days. /tank/a (2 GiB a day, 30 days alone) fills with the pool too."""
    now = _now()
    _forecast(engine, settings, now, _quota_layout(pool_free_gib=60, quota_left_gib=40))

    server = client.get(SERVER).json()

    domains = {d["key"]: d for d in server["capacity_domains"]}
    # The pool grows by its dataset and by the quota dataset inside it.
    assert domains["zfs:tank"]["growth_bytes_per_day"] == pytest.approx(3 * GIB, rel=0.01)
    assert domains["zfs:tank"]["days_until_full"] == pytest.approx(20, abs=0.5)
    assert domains["zfs:tank/q"]["days_until_full"] == pytest.approx(40, abs=0.5)
    fs = _by_mount(server)
    quota = fs["/tank/q"]
    assert quota["days_until_full"] == pytest.approx(20, abs=0.5)
    assert (quota["fill_source"], quota["fill_domain"]) == ("domain", "zfs:tank")
    assert quota["fill_domain_label"] == "pool tank"
    assert _days(quota["own_full_at"], now) == pytest.approx(40, abs=0.5)
    plain = fs["/tank/a"]
    assert plain["days_until_full"] == pytest.approx(20, abs=0.5)
    assert (plain["fill_source"], plain["fill_domain"]) == ("domain", "zfs:tank")


def test_a_quota_dataset_keeps_its_own_date_when_its_quota_fills_first(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    """tank has 300 GiB free, falling 3 GiB a day (100 days); /tank/q has 10 GiB left of its
    quota at 1 GiB a day: it fills in 10 days, on its own date, whatever the pool does."""
    now = _now()
    _forecast(engine, settings, now, _quota_layout(pool_free_gib=300, quota_left_gib=10))

    server = client.get(SERVER).json()

    domains = {d["key"]: d for d in server["capacity_domains"]}
    assert domains["zfs:tank"]["days_until_full"] == pytest.approx(100, abs=1)
    quota = _by_mount(server)["/tank/q"]
    assert quota["days_until_full"] == pytest.approx(10, abs=0.5)
    assert (quota["fill_source"], quota["fill_domain"]) == ("own", None)
    assert quota["own_full_at"] == quota["full_at"]


def _btrfs(new_mount_days: float) -> Layout:
    """One btrfs filesystem, 400 GiB free and 4 GiB a day more used (100 days), mounted at / and
    at /home (a subvolume, mounted only `new_mount_days` ago): each mount shows it whole."""

    def at(days: float) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        used = int((600 + 4 * days) * GIB)
        free = int(1000 * GIB) - used
        shown = ["/", "/home"] if days > -new_mount_days else ["/"]
        filesystems = [
            filesystem_payload(
                mount_point=mount,
                device="/dev/sdc1",
                fs_type="btrfs",
                total_bytes=1000 * GIB,
                used_bytes=used,
                available_bytes=free,
                capacity_domain="btrfs:/dev/sdc1",
            )
            for mount in shown
        ]
        domain = {
            "key": "btrfs:/dev/sdc1",
            "kind": "btrfs",
            "members": [*shown, "/var/lib/containers"],
            "total_bytes": 1000 * GIB,
            "used_bytes": used,
            "available_bytes": free,
        }
        return filesystems, [domain]

    return at


def test_btrfs_mounts_of_one_filesystem_are_not_added_up(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    now = _now()
    _forecast(engine, settings, now, _btrfs(new_mount_days=DAYS))

    server = client.get(SERVER).json()

    (domain,) = server["capacity_domains"]
    # Two mounts of one filesystem grow it by 4 GiB a day, not 8.
    assert domain["growth_bytes_per_day"] == pytest.approx(4 * GIB, rel=0.01)
    assert domain["days_until_full"] == pytest.approx(100, abs=1)
    assert domain["confident"] is True
    for mount, fs in _by_mount(server).items():
        assert fs["days_until_full"] == pytest.approx(100, abs=1), mount
        assert fs["fill_source"] == "own", mount


def test_a_subvolume_mounted_lately_fills_with_its_btrfs_filesystem(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    now = _now()
    _forecast(engine, settings, now, _btrfs(new_mount_days=0.5))

    fs = _by_mount(client.get(SERVER).json())

    home = fs["/home"]
    assert home["forecast_reason"] == "fills with btrfs /dev/sdc1"
    assert (home["fill_source"], home["own_full_at"]) == ("domain", None)
    assert home["days_until_full"] == pytest.approx(100, abs=1)
    assert home["confident"] is True
    assert fs["/"]["fill_source"] == "own"


def test_an_agent_without_domains_keeps_each_filesystems_own_date(
    client: TestClient, engine: Engine, settings: Settings
) -> None:
    def layout(days: float) -> tuple[list[dict[str, Any]], None]:
        filesystems, _ = TANK(days)
        for fs in filesystems:
            del fs["capacity_domain"]
        return filesystems, None

    now = _now()
    _forecast(engine, settings, now, layout)

    server = client.get(SERVER).json()

    fs = _by_mount(server)
    assert fs["/tank/a"]["days_until_full"] == pytest.approx(287, abs=2)
    assert fs["/tank/b"]["days_until_full"] == pytest.approx(430, abs=3)
    assert fs["/tank/c"]["full_at"] is None
    assert [fs[m]["fill_source"] for m in ("/tank/a", "/tank/b", "/tank/c")] == ["own", "own", None]
    assert all(f["own_full_at"] == f["full_at"] for f in fs.values())
    assert {d["kind"] for d in server["capacity_domains"]} == {"filesystem"}

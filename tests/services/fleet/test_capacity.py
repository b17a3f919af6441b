"""Capacity domains of a server: growth adds up each parent chain once, loops included."""

from datetime import UTC, datetime
from typing import Any

from homelab_cmd.domain.snapshot import SnapshotFilesystem
from homelab_cmd.services.fleet.capacity import server_domains
from homelab_cmd.services.forecast.trends import Forecasted

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

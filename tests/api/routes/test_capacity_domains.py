"""Capacity domains and missing mounts through the API, from heartbeats the real agent builds."""

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select

from homelab_agent.collectors.filesystems import report_for
from homelab_agent.filesystems.expected import ExpectedMount
from homelab_agent.filesystems.filtering import decide
from homelab_agent.filesystems.mounts import parse_mount_table, read_raw_text
from homelab_agent.filesystems.statfs import StatvfsProber
from homelab_agent.payload import Heartbeat
from homelab_cmd.db.models import Filesystem, FilesystemSample
from tests.agent.conftest import FakeStatvfs, statvfs_result
from tests.factories import filesystem_payload, heartbeat_payload

HEARTBEAT = "/api/v1/agents/heartbeat"
TABLES = Path(__file__).parents[2] / "agent" / "fixtures" / "domains"
GIB = 1024**3
BLOCKS_PER_GIB = GIB // 4096


def _zfs(avail_gib: int, used_gib: int) -> object:
    used, avail = used_gib * BLOCKS_PER_GIB, avail_gib * BLOCKS_PER_GIB
    return statvfs_result(blocks=used + avail, bfree=avail, bavail=avail)


PROXMOX = {
    "/": _zfs(400, 12),
    "/rpool": _zfs(400, 1),
    "/rpool/data": _zfs(400, 1),
    "/rpool/data/subvol-101-disk-0": _zfs(6, 2),
    "/boot/efi": _zfs(1, 0),
    "/tank": _zfs(3000, 1),
    "/tank/backups": _zfs(3000, 500),
    "/srv/media": _zfs(3000, 1500),
}


def agent_heartbeat(
    table: str,
    answers: dict[str, object],
    server_id: str = "pve",
    missing: tuple[ExpectedMount, ...] = (),
    rootfs: Path = Path("/"),
) -> dict[str, Any]:
    """The heartbeat the agent builds for a host with this mount table and these sizes."""
    decisions = decide(parse_mount_table(read_raw_text(TABLES / table)))
    prober = StatvfsProber(FakeStatvfs(answers, default=_zfs(1, 1)), timeout=2.0)
    report = report_for(decisions, prober, rootfs, missing)
    heartbeat = Heartbeat(
        server_id=server_id,
        hostname=server_id,
        timestamp=datetime.now(UTC).replace(microsecond=0),
        agent_version="test",
        filesystems=report.filesystems,
        capacity_domains=report.capacity_domains,
    )
    return heartbeat.to_dict()


def test_a_pool_with_datasets_is_one_domain_with_a_quota_child(client: TestClient) -> None:
    body = agent_heartbeat("proxmox_two_pools_quota.mountinfo", PROXMOX)
    assert client.post(HEARTBEAT, json=body).status_code == 200

    server = client.get("/api/v1/servers/pve").json()

    domains = {d["key"]: d for d in server["capacity_domains"]}
    assert list(domains) == [
        "zfs:rpool", "zfs:rpool/data/subvol-101-disk-0", "dev:/dev/sda2", "zfs:tank",
    ]  # fmt: skip
    rpool = domains["zfs:rpool"]
    assert rpool["kind"] == "zfs_pool"
    assert rpool["members"] == ["/", "/rpool", "/rpool/data"]
    assert (rpool["used_bytes"], rpool["available_bytes"]) == (16 * GIB, 400 * GIB)
    assert rpool["counted"] is True
    child = domains["zfs:rpool/data/subvol-101-disk-0"]
    assert (child["parent"], child["counted"]) == ("zfs:rpool", False)
    assert domains["zfs:tank"]["members"] == ["/tank", "/tank/backups", "/srv/media", "/tank/media"]
    by_mount = {fs["mount_point"]: fs for fs in server["filesystems"]}
    assert by_mount["/tank/backups"]["capacity_domain"] == "zfs:tank"
    assert "/tank/media" not in by_mount  # a second mount of a dataset: a member, not a row


def test_fleet_totals_count_each_domain_once(client: TestClient) -> None:
    client.post(HEARTBEAT, json=agent_heartbeat("proxmox_two_pools_quota.mountinfo", PROXMOX))
    plain = heartbeat_payload(server_id="old-agent")  # two filesystems, no domains
    client.post(HEARTBEAT, json=plain)

    listing = client.get("/api/v1/servers").json()

    by_id = {s["id"]: s for s in listing["data"]}
    pve = by_id["pve"]["capacity"]
    # rpool (416 GiB) + the EFI partition (1 GiB) + tank (5001 GiB); the quota dataset is in rpool.
    assert pve["domain_count"] == 3
    assert pve["total_bytes"] == (416 + 1 + 5001) * GIB
    rows = client.get("/api/v1/servers/pve").json()["filesystems"]
    # Counting every dataset would have said more than twice as much.
    assert sum(fs["total_bytes"] for fs in rows) > 2 * pve["total_bytes"]
    old = by_id["old-agent"]["capacity"]
    assert (old["domain_count"], old["total_bytes"]) == (2, 200 * GIB)
    assert listing["totals"]["total_bytes"] == pve["total_bytes"] + old["total_bytes"]
    assert listing["totals"]["domain_count"] == 5


def test_an_old_agent_gets_one_domain_per_filesystem(client: TestClient) -> None:
    client.post(HEARTBEAT, json=heartbeat_payload())

    server = client.get("/api/v1/servers/nas-1").json()

    assert [(d["key"], d["kind"], d["members"]) for d in server["capacity_domains"]] == [
        ("fs:/", "filesystem", ["/"]),
        ("fs:/data", "filesystem", ["/data"]),
    ]
    assert all(fs["capacity_domain"] is None for fs in server["filesystems"])


def test_a_union_is_not_counted_over_its_branches(client: TestClient) -> None:
    disks = {f"/mnt/disk{i}": _zfs(100, 900) for i in (1, 2, 3)}
    answers = {**disks, "/mnt/storage": _zfs(300, 2700), "/": _zfs(50, 50)}
    client.post(HEARTBEAT, json=agent_heartbeat("mergerfs_three_disks.mounts", answers, "media"))

    server = client.get("/api/v1/servers/media").json()
    union = next(d for d in server["capacity_domains"] if d["kind"] == "union")

    assert union["union_of"] == ["/mnt/disk1", "/mnt/disk2", "/mnt/disk3"]
    assert union["counted"] is False
    totals = client.get("/api/v1/servers").json()["data"][0]["capacity"]
    # /, three branches and the parity disk (its size is the default 2 GiB): no union on top.
    assert totals["total_bytes"] == (100 + 3 * 1000 + 2) * GIB


def test_a_missing_mount_stays_in_the_snapshot_and_out_of_history(
    client: TestClient, engine: Engine, tmp_path: Path
) -> None:
    folder = tmp_path / "srv" / "media"
    folder.mkdir(parents=True)
    (folder / "written-while-unmounted.bin").write_bytes(b"x" * 12_345)
    missing = (ExpectedMount("/srv/media", "LABEL=media", "ext4", "fstab line 5"),)
    body = agent_heartbeat("docker_host_bind_mounts.mountinfo", {}, "docker", missing, tmp_path)
    assert client.post(HEARTBEAT, json=body).status_code == 200

    server = client.get("/api/v1/servers/docker").json()
    listing = client.get("/api/v1/servers").json()["data"][0]

    gone = next(fs for fs in server["filesystems"] if fs["mount_point"] == "/srv/media")
    assert (gone["state"], gone["shadowed_bytes"]) == ("missing", 12_345)
    assert gone["device"] == "LABEL=media"
    assert gone["capacity_domain"] is None
    assert listing["missing_filesystem_count"] == 1
    assert listing["filesystem_count"] == 3
    with engine.connect() as conn:
        stored = conn.execute(
            select(func.count())
            .select_from(FilesystemSample)
            .join(Filesystem)
            .where(Filesystem.mount_point == "/srv/media")
        ).scalar_one()
    assert stored == 0


def test_domains_with_a_nul_are_refused_and_change_nothing(client: TestClient) -> None:
    domain = {"key": "dev:/dev/sda1", "kind": "device", "members": ["/\x00"]}
    payload = heartbeat_payload(capacity_domains=[domain])

    response = client.post(HEARTBEAT, json=payload)

    assert response.status_code == 422
    assert response.json()["error"]
    assert client.get("/api/v1/servers/nas-1").status_code == 404


def test_a_missing_filesystem_with_negative_shadowed_bytes_is_refused(client: TestClient) -> None:
    fs = filesystem_payload(mount_point="/mnt/usb", state="missing", shadowed_bytes=-1)
    assert client.post(HEARTBEAT, json=heartbeat_payload(filesystems=[fs])).status_code == 422

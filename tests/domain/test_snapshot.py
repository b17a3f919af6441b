"""The typed snapshot entry against what the heartbeat writer stores: a `FilesystemMetric`."""

from dataclasses import fields

from homelab_cmd.domain.filesystems import FilesystemState
from homelab_cmd.domain.snapshot import SnapshotFilesystem, parse_snapshot
from homelab_cmd.schemas.heartbeat import FilesystemMetric

GIB = 1024**3


def test_the_snapshot_entry_has_every_stored_field() -> None:
    assert [f.name for f in fields(SnapshotFilesystem)] == list(FilesystemMetric.model_fields)


def test_a_stored_entry_round_trips() -> None:
    stored = FilesystemMetric(
        mount_point="/data",
        device="/dev/sdb1",
        fs_type="ext4",
        total_bytes=100 * GIB,
        used_bytes=40 * GIB,
        available_bytes=60 * GIB,
        percent=40.0,
        read_only=False,
        inodes_total=1000,
        inodes_used=10,
        state=FilesystemState.UNREACHABLE,
        capacity_domain="device:sdb",
    ).model_dump(mode="json")
    (fs,) = parse_snapshot([stored]) or []
    assert fs.state is FilesystemState.UNREACHABLE and not fs.answered
    assert fs.to_json() == stored


def test_an_entry_from_an_older_hub_takes_the_defaults() -> None:
    old = {
        "mount_point": "/",
        "device": "/dev/sda1",
        "fs_type": "ext4",
        "total_bytes": 10,
        "used_bytes": 4,
        "available_bytes": 6,
    }
    fs = SnapshotFilesystem.from_json(old)
    assert fs.state is FilesystemState.OK and fs.answered
    assert (fs.inodes_total, fs.read_only, fs.capacity_domain) == (None, None, None)
    assert parse_snapshot(None) is None

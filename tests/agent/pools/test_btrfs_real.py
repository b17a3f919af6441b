"""A real btrfs filesystem on a loop device (Debian's btrfs-progs), read for its device stats."""

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from homelab_agent.pools.btrfs import parse_device_stats, parse_error_stats
from homelab_agent.pools.reader import PoolReader


def _run(*argv: str) -> str:
    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture
def btrfs_mount(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A 200 MiB btrfs image on a loop device, mounted under tmp_path; torn down after."""
    assert shutil.which("mkfs.btrfs") and shutil.which("btrfs"), (
        "btrfs-progs missing: `make test-py` installs Debian's btrfs-progs"
    )
    image = tmp_path / "btrfs.img"
    mount_point = tmp_path / "mnt"
    mount_point.mkdir()
    _run("truncate", "-s", "200M", str(image))
    try:
        loop = _run("losetup", "--find", "--show", str(image))
    except subprocess.CalledProcessError as exc:
        pytest.fail(f"no loop device for the btrfs test (needs root and /dev/loop*): {exc.stderr}")
    mounted = False
    try:
        _run("mkfs.btrfs", "-q", "-L", "homelabtest", loop)
        _run("mount", loop, str(mount_point))
        mounted = True
        yield mount_point, loop
    finally:
        if mounted:
            subprocess.run(["umount", str(mount_point)], check=False)
        subprocess.run(["losetup", "-d", loop], check=False)


def test_a_real_btrfs_filesystem_reports_its_device_error_counters(
    btrfs_mount: tuple[Path, str],
) -> None:
    mount_point, loop = btrfs_mount

    pools = PoolReader().read().pools

    ours = [p for p in pools if p.kind == "btrfs" and p.mount_point == str(mount_point)]
    assert len(ours) == 1, pools
    fs = ours[0]
    assert (fs.name, fs.label, fs.state, fs.degraded) == ("homelabtest", "homelabtest", "ok", False)
    assert fs.source == "btrfs-device-stats"
    assert [d.name for d in fs.devices] == [loop]
    device = fs.devices[0]
    assert (device.write_errors, device.read_errors, device.flush_errors) == (0, 0, 0)
    assert (device.corruption_errors, device.generation_errors) == (0, 0)


def test_sysfs_counters_are_read_when_btrfs_device_stats_cannot_run(
    btrfs_mount: tuple[Path, str], tmp_path: Path
) -> None:
    mount_point, loop = btrfs_mount

    pools = PoolReader(btrfs=str(tmp_path / "no-btrfs-tool")).read().pools

    fs = next(p for p in pools if p.kind == "btrfs" and p.mount_point == str(mount_point))
    assert fs.source == "sysfs"
    assert [d.name for d in fs.devices] == [loop]
    assert fs.devices[0].write_errors == 0 and fs.devices[0].generation_errors == 0


def test_device_stats_and_error_stats_text_parse() -> None:
    text = (
        "[/dev/sdb].write_io_errs    2\n[/dev/sdb].read_io_errs     0\n"
        "[/dev/sdb].flush_io_errs    1\n[/dev/sdb].corruption_errs  7\n"
        "[/dev/sdb].generation_errs  0\n[/dev/sdc].write_io_errs 0\n"
    )
    sdb, sdc = parse_device_stats(text)
    assert (sdb.name, sdb.write_errors, sdb.flush_errors, sdb.corruption_errors) == (
        "/dev/sdb",
        2,
        1,
        7,
    )
    assert sdc.name == "/dev/sdc" and sdc.read_errors is None
    assert parse_error_stats("write_errs 0\nread_errs 3\ncorruption_errs 1\nbogus x\n") == {
        "write_errors": 0,
        "read_errors": 3,
        "corruption_errors": 1,
    }

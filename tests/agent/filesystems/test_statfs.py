"""statvfs with a deadline: df arithmetic, hung mounts, refused mounts."""

import errno
import threading
import time
from collections.abc import Callable

import pytest

from homelab_agent.filesystems.statfs import StatvfsProber, usage_from_statvfs
from tests.agent.conftest import FakeStatvfs, statvfs_result


def test_sizes_follow_df_with_reserved_blocks() -> None:
    # 1000 blocks, 400 free, 350 available to users: 50 blocks reserved for root.
    usage = usage_from_statvfs(
        statvfs_result(frsize=4096, blocks=1000, bfree=400, bavail=350, files=100, ffree=30)
    )
    assert usage.total_bytes == 1000 * 4096
    assert usage.used_bytes == 600 * 4096
    assert usage.available_bytes == 350 * 4096
    assert usage.percent == pytest.approx(600 / 950 * 100, abs=0.01)
    assert (usage.inodes_total, usage.inodes_used) == (100, 70)


def test_filesystem_without_inode_counts_reports_none() -> None:
    usage = usage_from_statvfs(statvfs_result(blocks=10, bfree=5, bavail=5, files=0, ffree=0))
    assert (usage.inodes_total, usage.inodes_used) == (None, None)


def test_empty_filesystem_is_zero_percent() -> None:
    assert usage_from_statvfs(statvfs_result(blocks=0, bfree=0, bavail=0)).percent == 0.0


def test_hung_mount_is_unreachable_within_the_deadline_while_still_blocked(
    release_gates: Callable[[threading.Event], threading.Event],
) -> None:
    gate = release_gates(threading.Event())
    fake = FakeStatvfs({"/": statvfs_result(blocks=10, bfree=5, bavail=5), "/mnt/nfs": gate})
    prober = StatvfsProber(fake, timeout=0.2)

    started = time.monotonic()
    root, nfs = prober.probe(["/", "/mnt/nfs"])
    elapsed = time.monotonic() - started

    assert elapsed < 3.0  # bounded by the deadline: the fake never answers on its own
    assert not gate.is_set()
    assert root.usage is not None and not root.unreachable
    assert nfs.unreachable and nfs.usage is None
    assert prober.stuck_mounts == ["/mnt/nfs"]


def test_stuck_mount_is_not_asked_again_until_it_answers(
    release_gates: Callable[[threading.Event], threading.Event],
    caplog: pytest.LogCaptureFixture,
) -> None:
    gate = release_gates(threading.Event())
    fake = FakeStatvfs({"/mnt/nfs": gate})
    prober = StatvfsProber(fake, timeout=0.1)

    prober.probe(["/mnt/nfs"])
    (second,) = prober.probe(["/mnt/nfs"])
    assert second.unreachable
    assert fake.calls == ["/mnt/nfs"]
    assert sum("did not answer" in r.message for r in caplog.records) == 1

    gate.set()
    for _ in range(100):
        if not prober.stuck_mounts:
            break
        time.sleep(0.01)
    (third,) = prober.probe(["/mnt/nfs"])
    assert third.usage is not None and not third.unreachable
    assert fake.calls == ["/mnt/nfs", "/mnt/nfs"]


def test_refused_mount_is_skipped_with_one_warning(caplog: pytest.LogCaptureFixture) -> None:
    fake = FakeStatvfs({"/secret": PermissionError(errno.EACCES, "Permission denied")})
    prober = StatvfsProber(fake, timeout=1.0)
    for _ in range(3):
        (probe,) = prober.probe(["/secret"])
        assert probe.usage is None and not probe.unreachable
        assert probe.skip_reason == "permission denied"
    assert sum("refuses statvfs" in r.message for r in caplog.records) == 1


def test_stale_nfs_handle_is_unreachable() -> None:
    fake = FakeStatvfs({"/mnt/nfs": OSError(errno.ESTALE, "Stale file handle")})
    (probe,) = StatvfsProber(fake).probe(["/mnt/nfs"])
    assert probe.unreachable


def test_vanished_mount_is_skipped() -> None:
    fake = FakeStatvfs({"/gone": FileNotFoundError(errno.ENOENT, "No such file")})
    (probe,) = StatvfsProber(fake).probe(["/gone"])
    assert probe.usage is None and not probe.unreachable


def test_new_mount_on_a_stuck_path_is_asked_again(
    release_gates: Callable[[threading.Event], threading.Event],
) -> None:
    gate = release_gates(threading.Event())
    fake = FakeStatvfs({"/mnt/nfs": gate})
    prober = StatvfsProber(fake, timeout=0.1)

    (first,) = prober.probe(["/mnt/nfs"], {"/mnt/nfs": "41|0:52|nas:/export"})
    assert first.unreachable
    # The same mount: still stuck, not asked again.
    (same,) = prober.probe(["/mnt/nfs"], {"/mnt/nfs": "41|0:52|nas:/export"})
    assert same.unreachable
    assert fake.calls == ["/mnt/nfs"]

    # Unmounted lazily and mounted afresh (new mount id and device): the old call is still hung,
    # but the new mount answers and is reported.
    fake.answers["/mnt/nfs"] = statvfs_result(blocks=10, bfree=5, bavail=5)
    (fresh,) = prober.probe(["/mnt/nfs"], {"/mnt/nfs": "97|0:61|nas:/export"})
    assert fresh.usage is not None and not fresh.unreachable
    assert fake.calls == ["/mnt/nfs", "/mnt/nfs"]
    assert prober.stuck_mounts == []
    assert not gate.is_set()


def test_fresh_mount_that_hangs_again_is_stuck_under_its_own_identity(
    release_gates: Callable[[threading.Event], threading.Event],
) -> None:
    fake = FakeStatvfs({"/mnt/nfs": release_gates(threading.Event())})
    prober = StatvfsProber(fake, timeout=0.1)
    prober.probe(["/mnt/nfs"], {"/mnt/nfs": "a"})
    fake.answers["/mnt/nfs"] = release_gates(threading.Event())
    (second,) = prober.probe(["/mnt/nfs"], {"/mnt/nfs": "b"})
    assert second.unreachable
    (third,) = prober.probe(["/mnt/nfs"], {"/mnt/nfs": "b"})
    assert third.unreachable
    assert fake.calls == ["/mnt/nfs", "/mnt/nfs"]

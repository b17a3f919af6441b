"""statvfs through the helper process, and stuck mounts remembered across runs."""

import errno
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from homelab_agent.filesystems.helper_client import HelperDied, HelperStatvfs
from homelab_agent.filesystems.statfs import StatvfsProber
from homelab_agent.filesystems.stuck_mounts import StuckMemory, helper_alive


def test_the_helper_answers_statvfs_as_the_kernel_does(tmp_path: Path) -> None:
    helper = HelperStatvfs()
    try:
        via_helper = helper(str(tmp_path))
        direct = os.statvfs(tmp_path)
        with pytest.raises(FileNotFoundError):
            helper(str(tmp_path / "missing"))
    finally:
        helper.abandon()

    assert (via_helper.f_frsize, via_helper.f_blocks) == (direct.f_frsize, direct.f_blocks)


def test_the_helper_the_agent_starts_is_known_as_one_by_its_pid() -> None:
    helper = HelperStatvfs()
    try:
        helper.start()
        assert helper.pid is not None and helper_alive(helper.pid) is True
    finally:
        helper.abandon()


def test_an_abandoned_helper_fails_its_waiting_calls() -> None:
    # A helper that never answers stands in for one stuck on a dead mount.
    helper = HelperStatvfs([sys.executable, "-c", "import time; time.sleep(60)"])
    prober = StatvfsProber(helper, timeout=0.3)
    outcome: list[BaseException] = []
    (stuck,) = prober.probe(["/"])
    waiting = threading.Thread(target=lambda: _call(helper, "/srv", outcome))
    waiting.start()
    time.sleep(0.2)
    pid = helper.pid
    helper.abandon()
    waiting.join(timeout=10)

    assert stuck.unreachable
    assert pid is not None and not waiting.is_alive()
    assert isinstance(outcome[0], HelperDied) and outcome[0].errno == errno.EIO
    deadline = time.monotonic() + 10
    while Path(f"/proc/{pid}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(f"/proc/{pid}").exists()


def _call(helper: HelperStatvfs, path: str, outcome: list[BaseException]) -> None:
    try:
        helper(path)
    except OSError as exc:
        outcome.append(exc)


def test_a_stuck_mount_is_not_asked_again_while_its_helper_lives(tmp_path: Path) -> None:
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        first = StuckMemory(tmp_path, lambda: holder.pid, alive=lambda pid: pid == holder.pid)
        first.remember("/mnt/nfs", "7|0:52|nas:/export")

        # A later run (--once from cron) reads the file.
        calls: list[str] = []
        later = StuckMemory(tmp_path, lambda: None, alive=lambda pid: pid == holder.pid)
        prober = StatvfsProber(lambda p: calls.append(p) or os.statvfs("/"), 1.0, later)  # type: ignore[func-returns-value]
        (probe,) = prober.probe(["/mnt/nfs"], {"/mnt/nfs": "7|0:52|nas:/export"})
        assert probe.unreachable and calls == []

        # A fresh mount on the same path is asked.
        (fresh,) = prober.probe(["/mnt/nfs"], {"/mnt/nfs": "9|0:60|nas:/export"})
        assert calls == ["/mnt/nfs"] and fresh.usage is not None
    finally:
        holder.kill()
        holder.wait()


def test_once_the_helper_is_gone_the_mount_is_asked_again(tmp_path: Path) -> None:
    StuckMemory(tmp_path, lambda: 4_000_000).remember("/mnt/nfs", None)
    memory = StuckMemory(tmp_path, lambda: None)

    assert memory.still_stuck("/mnt/nfs", None) is False
    assert "/mnt/nfs" not in (tmp_path / "stuck-mounts.json").read_text()


def test_only_a_live_helper_counts() -> None:
    assert helper_alive(os.getpid()) is False  # pytest is not a helper
    assert helper_alive(4_000_000) is False


@pytest.mark.parametrize(
    "module",
    [
        "homelab_agent.filesystems.probe_helper",
        # A helper an agent from before the upgrade left stuck on a dead mount.
        "homelab_agent.probe_helper",
    ],
)
def test_a_helper_under_either_module_name_counts_as_alive(module: str) -> None:
    # The module name as an argument puts it in the command line, as `-m` does.
    holder = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", module])
    try:
        # /proc/PID/cmdline may read empty for a moment after the exec.
        deadline = time.monotonic() + 10
        while not helper_alive(holder.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert helper_alive(holder.pid) is True
    finally:
        holder.kill()
        holder.wait()
    assert helper_alive(holder.pid) is False

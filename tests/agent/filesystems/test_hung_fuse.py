"""A real hung mount: a FUSE filesystem whose statfs never answers (a dead sshfs server),
mounted in a private mount namespace. The heartbeat arrives within the deadline with the mount
unreachable, and the agent process exits; a second --once does the same."""

import ctypes.util
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hub_process import API_KEY, HUB, running_hub

DRIVER = Path(__file__).parent / "hung_fuse.py"
STATVFS_TIMEOUT = 2.0


def _missing() -> str | None:
    if os.geteuid() != 0:
        return "mounting FUSE in a private mount namespace needs root (CI runs as root)"
    if not Path("/dev/fuse").exists() or shutil.which("unshare") is None:
        return "needs /dev/fuse and unshare"
    if ctypes.util.find_library("fuse") is None:
        return "needs libfuse2 (make test installs it)"
    if not HUB.exists():
        return "the hub is not installed"
    return None


pytestmark = pytest.mark.skipif(_missing() is not None, reason=str(_missing()))


def test_a_hung_fuse_mount_costs_one_deadline_and_the_agent_exits(tmp_path: Path) -> None:
    mount_point = tmp_path / "dead-sshfs"
    mount_point.mkdir()
    spool = tmp_path / "spool"
    config = tmp_path / "agent.yaml"
    with running_hub(tmp_path / "hub") as (_, url):
        config.write_text(
            f"hub_url: {url}\napi_key: {API_KEY}\nserver_id: fuse-host\n"
            f"spool_dir: {spool}\nstatvfs_timeout: {STATVFS_TIMEOUT}\n"
        )
        config.chmod(0o600)
        done = subprocess.run(
            ["unshare", "-m", "--propagation", "private", sys.executable, str(DRIVER), "run",
             str(mount_point), str(config), str(spool)],
            capture_output=True, text=True, timeout=400, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        result = json.loads(done.stdout.strip().splitlines()[-1])
        with sqlite3.connect(tmp_path / "hub" / "homelab.db") as db:
            (snapshot,) = db.execute(
                "SELECT filesystems FROM server WHERE id = 'fuse-host'"
            ).fetchone()
            (beats,) = db.execute(
                "SELECT count(*) FROM server_metric WHERE server_id = 'fuse-host'"
            ).fetchone()

    print(json.dumps({k: v for k, v in result.items() if k not in ("first", "second")}))
    assert result["mounted"] is True
    for run in ("first", "second"):
        assert result[run]["rc"] == 0, result[run]["log"]  # exited, and delivered
    assert beats == 2
    dead = [fs for fs in json.loads(snapshot) if fs["mount_point"] == str(mount_point)]
    assert dead and dead[0]["state"] == "unreachable"
    assert dead[0]["fs_type"] == "fuse.sshfs"
    assert str(mount_point) in (result["stuck_file"] or {})
    assert result["helpers_left"] <= 1  # runs never stack helpers on the dead mount

"""Run inside a private mount namespace (`unshare -m`): mount a FUSE filesystem whose statfs
never answers, like a dead sshfs server, run `homelab-agent --once` twice against it, print
what happened as JSON, and clean up. Used by test_hung_fuse.py; needs root, libfuse2, fusepy.

    hung_fuse.py serve MOUNTPOINT       the FUSE daemon (foreground)
    hung_fuse.py run MOUNTPOINT CONFIG  the scenario
"""

import errno
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

AGENT = Path(sys.executable).parent / "homelab-agent"


def serve(mount_point: str) -> None:
    from fuse import FUSE, FuseOSError, Operations  # type: ignore[import-untyped]

    class DeadServer(Operations):  # type: ignore[misc]
        def getattr(self, path: str, fh: object = None) -> dict[str, int]:
            if path == "/":
                return {"st_mode": stat.S_IFDIR | 0o755, "st_nlink": 2}
            raise FuseOSError(errno.ENOENT)

        def readdir(self, path: str, fh: object) -> list[str]:
            return [".", ".."]

        def statfs(self, path: str) -> dict[str, int]:
            time.sleep(3600)  # the server is gone: statfs never answers
            return {}

    FUSE(DeadServer(), mount_point, foreground=True, nothreads=False,
         fsname="deadhost:/export", subtype="sshfs")  # fmt: skip


def _mounted(mount_point: str) -> bool:
    return any(f" {mount_point} " in line for line in Path("/proc/self/mountinfo").open())


# Marks the processes of this scenario: other agents may run helpers on the same machine.
MARK = f"HUNG_FUSE_SCENARIO={os.getpid()}".encode()


def _helpers() -> list[int]:
    """Helper processes started by this scenario's agents that are still alive."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ours = MARK in (entry / "environ").read_bytes().split(b"\0")
                helper = b"homelab_agent.filesystems.probe_helper"
                if ours and helper in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


def _once(config: str) -> dict[str, object]:
    began = time.monotonic()
    try:
        done = subprocess.run(
            [str(AGENT), "--once", "--config", config],
            capture_output=True, text=True, timeout=120, check=False,
            env={**os.environ, MARK.decode().split("=")[0]: MARK.decode().split("=")[1]},
        )  # fmt: skip
        rc, log = done.returncode, done.stderr[-3000:]
    except subprocess.TimeoutExpired as exc:
        rc, log = None, str(exc.stderr)[-3000:]
    return {"rc": rc, "seconds": round(time.monotonic() - began, 2), "log": log}


def run(mount_point: str, config: str, spool: str) -> None:
    daemon = subprocess.Popen([sys.executable, __file__, "serve", mount_point])
    result: dict[str, object] = {}
    try:
        deadline = time.monotonic() + 60
        while not _mounted(mount_point) and time.monotonic() < deadline:
            time.sleep(0.1)
        result["mounted"] = _mounted(mount_point)
        result["first"] = _once(config)
        stuck = Path(spool) / "stuck-mounts.json"
        result["stuck_file"] = json.loads(stuck.read_text()) if stuck.exists() else None
        result["second"] = _once(config)
        time.sleep(1)
        result["helpers_left"] = len(_helpers())
    finally:
        subprocess.run(["umount", "-l", mount_point], check=False)
        daemon.send_signal(signal.SIGKILL)
        daemon.wait()
    print(json.dumps(result))


if __name__ == "__main__":
    os.umask(0o022)
    if sys.argv[1] == "serve":
        serve(sys.argv[2])
    else:
        run(sys.argv[2], sys.argv[3], sys.argv[4])

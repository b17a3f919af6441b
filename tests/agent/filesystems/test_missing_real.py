"""On this machine: a real filesystem from a temp fstab, unmounted, with files written into its
directory, is reported missing with the bytes written there.

It mounts a tmpfs (kept by `include_fs_types`, as a user would for a RAM disk they care about)
inside a private mount namespace (`unshare -m`), so the host's mount table is never touched.
"""

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

NEEDS = "needs root and unshare(1) to mount in a private mount namespace"
pytestmark = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("unshare") is None or shutil.which("mount") is None,
    reason=NEEDS,
)

SCRIPT = textwrap.dedent(
    """
    import io, json, subprocess, sys
    from homelab_agent.cli import main
    from homelab_agent.collectors.filesystems import FilesystemsCollector
    from homelab_agent.config import load_config

    target, env = sys.argv[1], json.loads(sys.argv[2])

    def filesystems():
        out = io.StringIO()
        main(["filesystems", "--json"], env=env, out=out)
        return json.loads(out.getvalue())

    def heartbeat_row():
        report = FilesystemsCollector(load_config(None, env)).collect()
        return next(
            ({"state": f.state, "shadowed_bytes": f.shadowed_bytes}
             for f in report.filesystems if f.mount_point == target), None
        )

    steps = {}
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", target], check=True)
    with open(target + "/inside.bin", "wb") as handle:
        handle.write(b"m" * 4096)  # on the tmpfs: gone with it
    steps["mounted"] = filesystems()
    subprocess.run(["umount", target], check=True)
    with open(target + "/app.log", "wb") as handle:
        handle.write(b"x" * 100_000)
    subprocess.run(["mkdir", "-p", target + "/cache/deep"], check=True)
    with open(target + "/cache/deep/blob", "wb") as handle:
        handle.write(b"y" * 23_456)
    steps["unmounted"] = filesystems()
    steps["heartbeat"] = heartbeat_row()
    print(json.dumps(steps))
    """
)


def test_unmounted_fstab_filesystem_is_missing_with_the_bytes_written_under_it(
    tmp_path: Path,
) -> None:
    target = tmp_path / "mnt" / "scratch disk"
    target.mkdir(parents=True)
    fstab = tmp_path / "fstab"
    escaped = str(target).replace(" ", "\\040")
    fstab.write_text(f"# a test fstab\ntmpfs  {escaped}  tmpfs  size=16m  0  0\n")
    env = {
        "HOMELAB_AGENT_CONFIG": "",
        "HOMELAB_AGENT_SERVER_ID": "real-test",
        "HOMELAB_AGENT_FSTAB": str(fstab),
        "HOMELAB_AGENT_INCLUDE_FS_TYPES": "tmpfs",
        # Only the test's mount, so the result does not depend on this machine's other mounts.
        "HOMELAB_AGENT_EXCLUDE_MOUNT_PATTERNS": "/",
        "HOMELAB_AGENT_INCLUDE_MOUNT_PATTERNS": str(target),
    }
    done = subprocess.run(
        [
            "unshare",
            "-m",
            "--propagation",
            "private",
            sys.executable,
            "-c",
            SCRIPT,
            str(target),
            json.dumps(env),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if done.returncode != 0 and "Operation not permitted" in done.stderr:
        pytest.skip(f"{NEEDS}: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    steps = json.loads(done.stdout.strip().splitlines()[-1])

    mounted = [r for r in steps["mounted"] if r["mount_point"] == str(target)]
    assert [(r["state"], r["fs_type"]) for r in mounted] == [("ok", "tmpfs")]
    assert mounted[0]["total_bytes"] == 16 * 1024 * 1024
    gone = [r for r in steps["unmounted"] if r["mount_point"] == str(target)]
    assert [(r["state"], r["shadowed_bytes"]) for r in gone] == [("missing", 123_456)]
    assert steps["heartbeat"] == {"state": "missing", "shadowed_bytes": 123_456}
    # What was written while unmounted is on the parent filesystem; what was on the tmpfs went
    # with it; this process's mount table never saw the namespace's mount.
    assert sorted(p.name for p in target.iterdir()) == ["app.log", "cache"]
    assert escaped not in Path("/proc/self/mountinfo").read_text()

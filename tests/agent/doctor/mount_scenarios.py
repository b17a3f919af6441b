"""Run inside a private mount namespace (`unshare -m`): set up a real mount the doctor must
judge, run `homelab-agent doctor --json` against it, print the findings, and clean up. Used by
test_filesystems.py; needs root (and for `hung`, libfuse2 and fusepy).

    mount_scenarios.py closed DIR CONFIG   a tmpfs mounted below a folder only nobody may enter,
                                           doctor run as root without CAP_DAC_READ_SEARCH and
                                           CAP_DAC_OVERRIDE, then as root
    mount_scenarios.py hung DIR CONFIG     a FUSE filesystem whose statfs never answers
    mount_scenarios.py container DIR CONFIG  a file bound over /etc/hostname, as a container
                                           runtime does: this namespace's table is a container's
    mount_scenarios.py hostfs DIR CONFIG   the host's root bound at DIR/hostfs (rbind), as
                                           `-v /:/hostfs:ro,rslave` does; CONFIG sets host_root
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

AGENT = Path(sys.executable).parent / "homelab-agent"
HUNG_FUSE = Path(__file__).parents[1] / "filesystems" / "hung_fuse.py"
# Root without the capabilities that pass closed folders: the agent as a plain user would be,
# while still able to run this checkout's Python (which may live in root's home).
NO_DAC = ["setpriv", "--bounding-set=-dac_read_search,-dac_override",
          "--inh-caps=-dac_read_search,-dac_override"]  # fmt: skip


def _doctor(config: str, prefix: list[str]) -> dict[str, object]:
    done = subprocess.run(
        [*prefix, str(AGENT), "--config", config, "doctor", "--json", "--timeout", "25"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    return {"rc": done.returncode, "findings": json.loads(done.stdout or "[]"),
            "stderr": done.stderr[-2000:]}  # fmt: skip


def _mounted(mount_point: Path) -> bool:
    return any(f" {mount_point} " in line for line in Path("/proc/self/mountinfo").open())


def closed(directory: Path, config: str) -> dict[str, object]:
    disk = directory / "closed" / "disk"
    disk.mkdir(parents=True)
    os.chown(directory / "closed", 65534, 65534)
    (directory / "closed").chmod(0o700)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk)], check=True)
    try:
        return {"without_dac": _doctor(config, NO_DAC), "as_root": _doctor(config, [])}
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def hung(directory: Path, config: str) -> dict[str, object]:
    mount_point = directory / "dead-sshfs"
    mount_point.mkdir()
    daemon = subprocess.Popen([sys.executable, str(HUNG_FUSE), "serve", str(mount_point)])
    try:
        deadline = time.monotonic() + 60
        while not _mounted(mount_point) and time.monotonic() < deadline:
            time.sleep(0.1)
        began = time.monotonic()
        result = _doctor(config, [])
        result["seconds"] = round(time.monotonic() - began, 1)
        result["mounted"] = _mounted(mount_point)
        return result
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)
        daemon.kill()
        daemon.wait()


def container(directory: Path, config: str) -> dict[str, object]:
    name = directory / "hostname"
    name.write_text("agent-container\n")
    subprocess.run(["mount", "--bind", str(name), "/etc/hostname"], check=True)
    try:
        return _doctor(config, [])
    finally:
        subprocess.run(["umount", "/etc/hostname"], check=False)


def hostfs(directory: Path, config: str) -> dict[str, object]:
    host = directory / "hostfs"
    host.mkdir()
    subprocess.run(["mount", "--rbind", "/", str(host)], check=True)
    try:
        return _doctor(config, [])
    finally:
        subprocess.run(["umount", "-R", "-l", str(host)], check=False)


SCENARIOS = {"closed": closed, "hung": hung, "container": container, "hostfs": hostfs}

if __name__ == "__main__":
    scenario, where, config_path = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
    print(json.dumps(SCENARIOS[scenario](where, config_path)))

"""Agent benchmark: CPU and wall time per collection cycle, peak RSS, and a psutil baseline.

Also the drive health pass of 24 drives through a fake smartctl (a script answering saved
outputs of the smart corpus): its CPU and wall time on its own thread, and that heartbeats built
meanwhile never wait for it.

Run with `make bench` (or `.venv/bin/python bench/agent.py`). Targets from SPEC.md: a cycle of
all collectors costs at most 10 ms CPU, and a running agent stays under 40 MB RSS.
"""

import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import psutil

from homelab_agent.agent import build_heartbeat
from homelab_agent.collectors import build_collectors, run_collectors
from homelab_agent.collectors.filesystems import FilesystemsCollector
from homelab_agent.collectors.health import HealthCollector
from homelab_agent.config import AgentConfig, slugify_hostname
from homelab_agent.drives.collect import drive_reader, drives_pass, pool_reader
from homelab_agent.filesystems.mounts import Mount, parse_mountinfo

CYCLES = 200
RSS_SECONDS = 4.0
CPU_TARGET_MS = 10.0
RSS_TARGET_MB = 40.0


def measure(cycle: Callable[[], object], cycles: int = CYCLES) -> tuple[float, float]:
    """Median CPU ms and wall ms of `cycle` over `cycles` runs (after a warm-up run)."""
    cycle()
    cpu: list[float] = []
    wall: list[float] = []
    for _ in range(cycles):
        c0, w0 = time.process_time(), time.perf_counter()
        cycle()
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    return statistics.median(cpu), statistics.median(wall)


def psutil_baseline() -> None:
    """What a plain psutil agent does: partitions, then disk_usage for each."""
    for part in psutil.disk_partitions(all=False):
        with contextlib.suppress(OSError):
            psutil.disk_usage(part.mountpoint)


def peak_rss_mb() -> float:
    """VmHWM of a real `homelab-agent --dry-run` loop running many cycles."""
    exe = Path(sys.executable).parent / "homelab-agent"
    env = {
        **os.environ,
        "HOMELAB_AGENT_CONFIG": "",
        "HOMELAB_AGENT_INTERVAL": "0.05",
        "HOMELAB_AGENT_SERVER_ID": "bench",
    }
    proc = subprocess.Popen(
        [str(exe), "--dry-run"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        time.sleep(RSS_SECONDS)
        status = Path(f"/proc/{proc.pid}/status").read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    return kb / 1024


def busy_host_table() -> str:
    """A mountinfo of a busy host: 20 real filesystems among 200 container and virtual mounts."""
    candidates = ("/", "/usr", "/etc", "/var", "/tmp", "/opt", "/srv", "/home", "/root", "/mnt",
                  "/media", "/boot", "/bin", "/lib", "/sbin", "/usr/bin", "/usr/lib",
                  "/usr/share", "/var/lib", "/var/log")  # fmt: skip
    dirs = [p for p in candidates if Path(p).is_dir()]
    lines = [f"{i + 1} 1 8:{i} / {d} rw,relatime - ext4 /dev/sd{i} rw" for i, d in enumerate(dirs)]
    for i in range(200):
        lines.append(
            f"{i + 100} 1 0:{i + 100} / /var/lib/docker/overlay2/{i:064x}/merged rw,relatime "
            "- overlay overlay rw,lowerdir=/a:/b,upperdir=/c,workdir=/d"
        )
    return "\n".join(lines) + "\n"


FAKE_DRIVES = 24
SMART_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "smart"
FAKE_SMARTCTL = """#!{python}
import json, sys
argv = sys.argv[1:]
spec = json.load(open({spec!r}))
if "--scan-open" in argv:
    print(json.dumps({{"devices": [{{"name": n, "type": "sat"}} for n in spec]}}))
    sys.exit(0)
print(open(spec[argv[-1]]).read())
"""


def drive_pass_figures() -> tuple[float, float, float, float, int]:
    """Agent CPU ms, smartctl CPU ms, wall ms of a 24-drive pass; slowest heartbeat meanwhile."""
    files = sorted(SMART_CORPUS.glob("sat-*.json"))[:FAKE_DRIVES]
    with tempfile.TemporaryDirectory() as tmp:
        spec = {
            f"/dev/sd{chr(97 + i // 26)}{chr(97 + i % 26)}": str(f) for i, f in enumerate(files)
        }
        (Path(tmp) / "spec.json").write_text(json.dumps(spec))
        fake = Path(tmp) / "smartctl"
        fake.write_text(
            FAKE_SMARTCTL.format(python=sys.executable, spec=str(Path(tmp) / "spec.json"))
        )
        fake.chmod(0o755)
        config = AgentConfig(
            server_id="bench", smartctl=str(fake), spool_dir=Path(tmp) / "spool",
            sys_root=Path(tmp) / "no-sys", drives_interval=3600.0,
        )  # fmt: skip
        reader, pools = drive_reader(config), pool_reader(config)
        drives_pass(config, reader, pools)  # first pass: every drive read without -n
        c0, w0 = time.process_time(), time.perf_counter()
        children0 = os.times().children_user + os.times().children_system
        report = drives_pass(config, reader, pools)
        children = os.times().children_user + os.times().children_system - children0
        cpu = (time.process_time() - c0) * 1000
        wall = (time.perf_counter() - w0) * 1000
        # Heartbeats built while a pass runs on its own thread take what is ready, never wait.
        collector = HealthCollector("drives", lambda: drives_pass(config, reader, pools), 3600.0)
        slowest = 0.0
        collectors = {"drives": collector}
        done = threading.Event()
        collector.periodic.start()
        while not done.is_set():
            b0 = time.perf_counter()
            heartbeat = build_heartbeat(config, collectors)  # type: ignore[arg-type]
            slowest = max(slowest, (time.perf_counter() - b0) * 1000)
            if heartbeat.drives is not None:
                done.set()
            time.sleep(0.005)
        collector.periodic.stop()
    return cpu, children * 1000, wall, slowest, len(report.drives or [])


def main() -> int:
    """Print the table; exit non-zero when a target is missed."""
    config = AgentConfig(server_id=slugify_hostname(platform.node()))
    collectors = build_collectors(config)
    all_cpu, all_wall = measure(lambda: run_collectors(collectors))
    per_collector = {
        name: measure(lambda c=collector: c.collect()) for name, collector in collectors.items()
    }
    base_cpu, base_wall = measure(psutil_baseline)
    busy_mounts: list[Mount] = parse_mountinfo(busy_host_table())
    busy = FilesystemsCollector(config, read_mounts=lambda _proc: busy_mounts)
    busy_text = busy_host_table()
    busy_read = FilesystemsCollector(config, read_mounts=lambda _proc: parse_mountinfo(busy_text))
    busy_kept = len(busy.collect().filesystems)
    busy_cpu, busy_wall = measure(busy_read.collect)
    kept = len(FilesystemsCollector(config).collect().filesystems)
    rss = peak_rss_mb()
    drive_cpu, smartctl_cpu, drive_wall, heartbeat_max, drives_seen = drive_pass_figures()

    print(f"agent collection cycle, median of {CYCLES} cycles on {os.cpu_count()} CPUs, "
          f"{platform.python_implementation()} {platform.python_version()}, "
          f"{kept} real filesystem(s)")  # fmt: skip
    print(f"{'what':<44}{'CPU ms':>10}{'wall ms':>10}")
    print(f"{'all collectors (one heartbeat)':<44}{all_cpu:>10.2f}{all_wall:>10.2f}")
    for name, (cpu, wall) in per_collector.items():
        print(f"{'  ' + name:<44}{cpu:>10.2f}{wall:>10.2f}")
    print(f"{'baseline: psutil disk_partitions+disk_usage':<44}{base_cpu:>10.2f}{base_wall:>10.2f}")
    label = f"filesystems, busy host ({busy_kept} real of {len(busy_mounts)})"
    print(f"{label:<44}{busy_cpu:>10.2f}{busy_wall:>10.2f}")
    print(f"peak RSS of a running agent (VmHWM, {RSS_SECONDS:.0f} s at 20 cycles/s): {rss:.1f} MB")
    print(f"drive health pass, {drives_seen} drives (fake smartctl), own thread: "
          f"agent {drive_cpu:.1f} ms CPU, the fake smartctl processes {smartctl_cpu:.1f} ms CPU, "
          f"{drive_wall:.1f} ms wall; "
          f"slowest heartbeat built meanwhile {heartbeat_max:.2f} ms")  # fmt: skip
    ok = all_cpu <= CPU_TARGET_MS and rss <= RSS_TARGET_MB
    print(f"targets: ≤ {CPU_TARGET_MS:.0f} ms CPU per cycle, ≤ {RSS_TARGET_MB:.0f} MB RSS: "
          f"{'met' if ok else 'MISSED'}")  # fmt: skip
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Usage-scan benchmark: entries per second cold and warm, and a running agent during a scan.

On an ext4 loop filesystem holding a generated tree of 1,000,000 files in 1,010 directories:
- a scan as the agent runs it (one thread, idle I/O priority, nice 19), with the page cache
  dropped first (cold; /proc/sys/vm/drop_caches, when permitted), then again (warm);
- a real `homelab-agent` (interval 1 s) against a stand-in hub that asks for a scan of that
  filesystem in its answers: the agent's CPU and RSS (from /proc) during the scan, and how late
  each heartbeat's collection was against its slot.

Targets from SPEC.md: RSS grows by less than 50 MB during the scan, and no heartbeat is late.
Needs root: it mounts the loop filesystem in a private mount namespace (`unshare -m`), which
vanishes with it. Run with `make bench` (or `.venv/bin/python bench/usage.py`).
"""

import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from homelab_agent.usage.model import UsageScan
from homelab_agent.usage.priority import lower_thread_priority
from homelab_agent.usage.scan import scan

FILES = int(os.environ.get("USAGE_BENCH_FILES", "1000000"))
TOP, MIDDLE = 10, 100  # 10 by 100 directories of FILES / 1,000 files each
INTERVAL = 1.0
RSS_TARGET_MB = 50.0
LATE_SECONDS = INTERVAL / 2  # a collection this far past its slot counts as late
MARKER = "HOMELAB_USAGE_BENCH_NAMESPACE"
AGENT = Path(sys.executable).parent / "homelab-agent"


def drop_caches() -> bool:
    """Drop the page, dentry and inode caches; False when this process may not."""
    os.sync()
    try:
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


@contextmanager
def loop_filesystem(work: Path) -> Iterator[Path]:
    """A fresh ext4 loop filesystem with room for the tree, mounted under `work`."""
    image, mount = work / "fs.img", work / "mnt"
    mount.mkdir()
    with image.open("wb") as handle:
        handle.truncate(8 << 30)
    subprocess.run(
        ["mkfs.ext4", "-q", "-F", "-N", str(FILES + 100_000), str(image)], check=True
    )  # fmt: skip
    subprocess.run(["mount", "-o", "loop", str(image), str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def generate(root: Path) -> int:
    """The tree: empty files, every 100th holding 4 KiB; returns the entries below the root."""
    per_dir = FILES // (TOP * MIDDLE)
    page = b"x" * 4096
    for top in range(TOP):
        for middle in range(MIDDLE):
            folder = root / f"d{top:02d}" / f"e{middle:03d}"
            folder.mkdir(parents=True)
            base = os.fsencode(folder) + b"/f"
            for index in range(per_dir):
                fd = os.open(base + str(index).encode(), os.O_CREAT | os.O_WRONLY, 0o644)
                if index % 100 == 0:
                    os.write(fd, page)
                os.close(fd)
    return TOP + TOP * MIDDLE + TOP * MIDDLE * per_dir


def scan_like_the_agent(root: Path) -> UsageScan:
    """One scan on a thread at idle priority, as the agent runs it."""
    done: list[UsageScan] = []

    def work() -> None:
        lower_thread_priority()
        done.append(scan(str(root), str(root)))

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    return done[0]


class StandInHub:
    """Answers heartbeats like the hub; after `wait_beats` it asks for a scan of `mount`."""

    def __init__(self, mount: str, wait_beats: int = 8) -> None:
        self.mount = mount
        self.wait_beats = wait_beats
        self.beats: list[tuple[float, dict[str, Any]]] = []
        self.lock = threading.Lock()
        self.asked_at: float | None = None
        self.answered = threading.Event()

    def answer(self, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            self.beats.append((time.monotonic(), body))
            if body.get("usage_scans"):
                self.answered.set()
            requests = []
            if len(self.beats) > self.wait_beats and not self.answered.is_set():
                self.asked_at = self.asked_at or time.monotonic()
                requests = [{"id": "bench-1", "mount_point": self.mount}]
        return {"status": "ok", "usage_scan_requests": requests}


@contextmanager
def serve(hub: StandInHub) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            reply = json.dumps(hub.answer(body)).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, *_: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


class Sampler:
    """RSS and CPU time of a process from /proc, every 0.1 s, on a thread."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.samples: list[tuple[float, float, float]] = []  # (monotonic, RSS MB, CPU s)
        self.stop = threading.Event()
        self.tick = os.sysconf("SC_CLK_TCK")
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.wait(0.1):
            try:
                status = Path(f"/proc/{self.pid}/status").read_text()
                stat = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return
            rss = [int(x.split()[1]) for x in status.splitlines() if x.startswith("VmRSS:")]
            if not rss:
                return  # the process has exited
            cpu = (int(stat[11]) + int(stat[12])) / self.tick  # utime + stime
            self.samples.append((time.monotonic(), rss[0] / 1024, cpu))

    def between(self, start: float, end: float) -> list[tuple[float, float, float]]:
        return [s for s in self.samples if start <= s[0] <= end]


def lateness(beats: list[tuple[float, dict[str, Any]]]) -> list[float]:
    """How far past its slot each collection was (slots every INTERVAL from the first)."""
    stamps = [datetime.fromisoformat(b["timestamp"]).timestamp() for _, b in beats]
    first = stamps[0]
    return [t - first - round((t - first) / INTERVAL) * INTERVAL for t in stamps]


def skipped(beats: list[tuple[float, dict[str, Any]]]) -> int:
    """Slots with no collection between consecutive heartbeats (the loop skipped them)."""
    stamps = [datetime.fromisoformat(b["timestamp"]).timestamp() for _, b in beats]
    return sum(max(round((b - a) / INTERVAL) - 1, 0) for a, b in itertools.pairwise(stamps))


def agent_during_scan(mount: Path, work: Path) -> dict[str, Any]:
    """Run a real agent, ask it for a cold scan of `mount`, and measure it."""
    hub = StandInHub(str(mount))
    with serve(hub) as url:
        env = {
            **os.environ,
            "HOMELAB_AGENT_CONFIG": "",
            "HOMELAB_AGENT_HUB_URL": url,
            "HOMELAB_AGENT_API_KEY": "bench-key-0123456789abcdef",
            "HOMELAB_AGENT_SERVER_ID": "usage-bench",
            "HOMELAB_AGENT_INTERVAL": str(INTERVAL),
            "HOMELAB_AGENT_SPOOL_DIR": str(work / "spool"),
            "HOMELAB_AGENT_DISABLED_COLLECTORS": "drives,pools",
            "HOMELAB_AGENT_LOG_LEVEL": "WARNING",
        }
        agent = subprocess.Popen([str(AGENT)], env=env)
        sampler = Sampler(agent.pid)
        try:
            while len(hub.beats) < hub.wait_beats:
                time.sleep(0.1)
            drop_caches()  # the agent's scan reads from the disk
            if not hub.answered.wait(timeout=1800):
                sys.exit("the agent sent no scan within 30 minutes")
            ended = time.monotonic()
            time.sleep(3 * INTERVAL)  # heartbeats after the scan
        finally:
            agent.terminate()
            agent.wait(timeout=30)
            sampler.stop.set()
    asked = hub.asked_at or 0.0
    before = [s[1] for s in sampler.samples if s[0] < asked]
    during = sampler.between(asked, ended)
    late = lateness(hub.beats)
    during_late = [x for (at, _), x in zip(hub.beats, late, strict=True) if asked <= at <= ended]
    result = next(s for _, b in hub.beats for s in b.get("usage_scans") or [])
    gaps = [b - a for (a, _), (b, _) in zip(hub.beats, hub.beats[1:], strict=False)]
    scanning = [beat for beat in hub.beats if asked <= beat[0] <= ended]
    settled = [beat for beat in hub.beats if beat[0] < asked][2:]  # after start-up
    return {
        "scan": result,
        "rss_before_mb": max(before),
        "rss_peak_mb": max(s[1] for s in during),
        "cpu_seconds": during[-1][2] - during[0][2],
        "wall_seconds": during[-1][0] - during[0][0],
        "heartbeats_during": len(during_late),
        "max_late_seconds": max(during_late),
        "late": sum(1 for x in during_late if x > LATE_SECONDS),
        "skipped_during": skipped(scanning),
        "skipped_before": skipped(settled),
        "max_arrival_gap": max(gaps),
    }


def in_namespace() -> int:
    work = Path(tempfile.mkdtemp(prefix="usage-bench-", dir="/var/tmp"))
    try:
        with loop_filesystem(work) as mount:
            t0 = time.perf_counter()
            entries = generate(mount)
            made = time.perf_counter() - t0
            cold_ok = drop_caches()
            cold = scan_like_the_agent(mount)
            warm = scan_like_the_agent(mount)
            t0 = time.perf_counter()
            subprocess.run(["du", "-s", "-x", str(mount)], check=True, capture_output=True)
            du_warm = time.perf_counter() - t0
            agent = agent_during_scan(mount, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(entries, made, cold_ok, cold, warm, du_warm=du_warm, agent=agent)
    grew = agent["rss_peak_mb"] - agent["rss_before_mb"]
    return 0 if grew < RSS_TARGET_MB and agent["late"] == agent["skipped_during"] == 0 else 1


def report(
    entries: int, made: float, cold_ok: bool, cold: UsageScan, warm: UsageScan, *,
    du_warm: float, agent: dict[str, Any],
) -> None:  # fmt: skip
    """Print the figures."""
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"usage scan of an ext4 loop filesystem: {entries:,} entries "
          f"(generated in {made:.0f} s), {os.cpu_count()} CPUs, load average {load}")  # fmt: skip
    first = "cold" if cold_ok else "first (drop_caches not permitted: NOT cold)"
    for label, result in ((first, cold), ("warm", warm)):
        rate = result.entries / max(result.duration_seconds, 1e-9)
        print(f"  {label:<5} scan: {result.entries:,} entries in {result.duration_seconds:.1f} s "
              f"= {rate:,.0f} entries/s, stopped_by={result.stopped_by}, "
              f"{len(result.directories)} directories kept")  # fmt: skip
    print(f"  warm du -sx of the same tree: {du_warm:.1f} s = {entries / du_warm:,.0f} entries/s")
    scan_result = agent["scan"]
    grew = agent["rss_peak_mb"] - agent["rss_before_mb"]
    print(
        f"agent (interval {INTERVAL:.0f} s) asked for a cold scan: {scan_result['entries']:,} "
        f"entries in {scan_result['duration_seconds']:.1f} s "
        f"({scan_result['entries'] / max(scan_result['duration_seconds'], 1e-9):,.0f}/s)"
    )
    print(
        f"  RSS {agent['rss_before_mb']:.1f} MB before, peak {agent['rss_peak_mb']:.1f} MB "
        f"during: +{grew:.1f} MB (target < +{RSS_TARGET_MB:.0f} MB)"
    )
    print(
        f"  CPU {agent['cpu_seconds']:.1f} s over {agent['wall_seconds']:.1f} s "
        f"({100 * agent['cpu_seconds'] / max(agent['wall_seconds'], 1e-9):.0f} % of one core)"
    )
    print(f"  {agent['heartbeats_during']} heartbeats during the scan, latest collection "
          f"{1000 * agent['max_late_seconds']:.0f} ms past its slot, {agent['late']} late "
          f"(> {1000 * LATE_SECONDS:.0f} ms); longest gap between arrivals "
          f"{agent['max_arrival_gap']:.2f} s")  # fmt: skip
    print(f"  slots skipped: {agent['skipped_during']} during the scan, "
          f"{agent['skipped_before']} in the settled heartbeats before it")  # fmt: skip
    ok = grew < RSS_TARGET_MB and agent["late"] == 0 and agent["skipped_during"] == 0
    print(f"targets: RSS < +{RSS_TARGET_MB:.0f} MB, no heartbeat late: "
          f"{'met' if ok else 'MISSED'}")  # fmt: skip


def main() -> int:
    """Re-run in a private mount namespace, where the loop filesystem can be mounted."""
    if os.environ.get(MARKER):
        return in_namespace()
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        print("usage scan benchmark skipped: needs root and unshare(1) for its loop filesystem")
        return 0
    command = ["unshare", "-m", "--propagation", "private", sys.executable, __file__]
    return subprocess.run(command, env={**os.environ, MARKER: "1"}, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())

"""Hardening benchmark against real hub processes: the ingest cost of durable commits, the
latency of a 503 from a full writer queue, the hub's memory after 300 distinct 1 MiB heartbeats,
and how many idle or slow sockets the hub still holds after its limits."""

import contextlib
import json
import os
import socket
import sqlite3
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from _cpu import ProcessCpu, per_heartbeat_ms
from _hub import hub_pid, percentile, running_hub

MIB = 1024 * 1024
# Throughput and memory runs measure the write path, not 503s on a machine busy with other work.
PATIENT = {"HOMELAB_CMD_WRITER_DEADLINE_SECONDS": "120"}
START = datetime.now(UTC) - timedelta(hours=3)


def _pid_of(port: str) -> int:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            if f"HOMELAB_CMD_PORT={port}".encode() in environ.split(b"\0"):
                return int(entry.name)
    raise RuntimeError("hub process not found")


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _sockets(pid: int) -> int:
    count = 0
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            count += os.readlink(fd).startswith("socket:")
        except OSError:
            continue
    return count


def _heartbeat(server: str, second: int, filesystems: int = 10) -> bytes:
    fs = [
        {"mount_point": f"/srv/d{j}", "device": f"/dev/sd{j}", "fs_type": "ext4",
         "total_bytes": 500 * MIB, "used_bytes": 100 * MIB + second, "available_bytes": 300 * MIB}
        for j in range(filesystems)
    ]  # fmt: skip
    at = (START + timedelta(seconds=second)).isoformat()
    return json.dumps(
        {"server_id": server, "hostname": server, "timestamp": at, "filesystems": fs}
    ).encode()


def durable_commits(count: int = 3000, threads: int = 16) -> None:
    print(f"durable commits: {count} heartbeats (10 filesystems each) from {threads} threads")
    for level in ("NORMAL", "FULL"):
        with (
            tempfile.TemporaryDirectory() as tmp,
            running_hub(Path(tmp), {"HOMELAB_CMD_SQLITE_SYNCHRONOUS": level}) as (url, key),
        ):
            headers = {"X-API-Key": key, "Content-Type": "application/json"}
            with httpx.Client(base_url=url, headers=headers, timeout=60) as client:

                def post(i: int) -> float:
                    began = time.perf_counter()
                    r = client.post(
                        "/api/v1/agents/heartbeat", content=_heartbeat(f"s{i % 200}", i // 200)
                    )
                    assert r.status_code == 200, r.text
                    return time.perf_counter() - began

                cpu = ProcessCpu(hub_pid(url))
                cpu.start()
                began = time.perf_counter()
                with ThreadPoolExecutor(threads) as pool:
                    latencies = list(pool.map(post, range(count)))
                took = time.perf_counter() - began
                cpu.stop()
        p50, p99 = (percentile(latencies, p) * 1000 for p in (50, 99))
        print(
            f"  synchronous={level:6}: {count / took:7.0f} hb/s, p50 {p50:.1f} ms, "
            f"p99 {p99:.1f} ms, hub CPU/heartbeat {per_heartbeat_ms(cpu.seconds, count)}"
        )


def full_queue(requests: int = 64) -> None:
    env = {"HOMELAB_CMD_WRITER_QUEUE_SIZE": "8", "HOMELAB_CMD_WRITER_DEADLINE_SECONDS": "2"}
    with tempfile.TemporaryDirectory() as tmp, running_hub(Path(tmp), env) as (url, key):
        blocker = sqlite3.connect(Path(tmp) / "homelab.db", isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # the database is stuck: the writer cannot commit
        headers = {"X-API-Key": key, "Content-Type": "application/json"}
        with httpx.Client(base_url=url, headers=headers, timeout=60) as client:

            def post(i: int) -> tuple[int, float]:
                began = time.perf_counter()
                r = client.post("/api/v1/agents/heartbeat", content=_heartbeat("busy", i))
                return r.status_code, time.perf_counter() - began

            with ThreadPoolExecutor(requests) as pool:
                answers = list(pool.map(post, range(requests)))
        blocker.execute("ROLLBACK")
    busy = sorted(t * 1000 for status, t in answers if status == 503)
    fast = [t for t in busy if t < 1000]
    print(f"full writer queue (8 slots, 2 s deadline), {requests} concurrent heartbeats:")
    late = len(busy) - len(fast)
    print(
        f"  {len(busy)} answered 503 + Retry-After; queue full: {len(fast)}, "
        f"p50 {percentile(fast, 50):.1f} ms, max {max(fast, default=0):.1f} ms; "
        f"by the deadline: {late}, max {max(busy, default=0):.0f} ms"
    )


def _big(i: int) -> bytes:
    """1 MiB, 240 filesystems with new 4 KB mount points: the flood the hub once kept for good."""
    fs = [
        {"mount_point": f"/m/{i}/{j}/" + "x" * 3980, "device": "/dev/x", "fs_type": "ext4",
         "total_bytes": 100, "used_bytes": 10, "available_bytes": 80}
        for j in range(240)
    ]  # fmt: skip
    body = json.dumps({"server_id": f"big{i % 10}", "hostname": "big",
                       "timestamp": (START + timedelta(seconds=i)).isoformat(),
                       "filesystems": fs, "notes": ""}).encode()  # fmt: skip
    return body.replace(b'"notes": ""', b'"notes": "' + b"n" * (MIB - len(body)) + b'"')


def rss_bound(count: int = 300) -> None:
    with tempfile.TemporaryDirectory() as tmp, running_hub(Path(tmp), PATIENT) as (url, key):
        pid = _pid_of(url.rsplit(":", 1)[1])
        headers = {"X-API-Key": key, "Content-Type": "application/json"}
        with httpx.Client(base_url=url, headers=headers, timeout=120) as client:
            before = _rss(pid)
            peak = before
            began = time.perf_counter()
            for i in range(count):
                body = _big(i)
                assert len(body) == MIB
                r = client.post("/api/v1/agents/heartbeat", content=body)
                assert r.status_code == 200, r.text
                peak = max(peak, _rss(pid))
            took = time.perf_counter() - began
            after = _rss(pid)
            listed = client.get("/api/v1/servers/big0/filesystems/metrics?range=1h").content
    print(
        f"{count} distinct 1 MiB heartbeats (240 new mount points each, 10 servers), {took:.0f} s:"
    )
    print(
        f"  hub RSS {before / MIB:.0f} MiB before, peak {peak / MIB:.0f} MiB, "
        f"after {after / MIB:.0f} MiB (growth {(peak - before) / MIB:.0f} MiB); "
        f"a history answer for one of those servers: {len(listed) / MIB:.1f} MiB"
    )


def sockets_held(idle: int = 500, slow: int = 50) -> None:
    with tempfile.TemporaryDirectory() as tmp, running_hub(Path(tmp)) as (url, _):
        port = int(url.rsplit(":", 1)[1])
        pid = _pid_of(str(port))
        socks = [socket.create_connection(("127.0.0.1", port)) for _ in range(idle + slow)]
        for s in socks[idle:]:
            s.sendall(b"GET /api/v1/system/health HTTP/1.1\r\n")
        time.sleep(0.5)
        held_open = _sockets(pid)
        health = []
        for _ in range(20):
            began = time.perf_counter()
            assert httpx.get(f"{url}/api/v1/system/health", timeout=10).status_code == 200
            health.append((time.perf_counter() - began) * 1000)
        for _ in range(10):  # slow heads keep trickling
            for s in socks[idle:]:
                with contextlib.suppress(OSError):
                    s.sendall(b"X")
            time.sleep(0.7)
        held_after = _sockets(pid)
        for s in socks:
            s.close()
    print(f"{idle} idle + {slow} slow-header sockets (defaults: 5 s head deadline, cap 1000):")
    print(
        f"  hub sockets while open: {held_open}; health p50 {percentile(health, 50):.1f} ms, "
        f"max {max(health):.1f} ms; hub sockets 7 s later: {held_after} (listener included)"
    )


if __name__ == "__main__":
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    sockets_held()
    full_queue()
    durable_commits()
    rss_bound()

"""Ingest benchmark: 200 simulated servers x 10 filesystems posting heartbeats to a real hub.

The load runs in a separate process over keep-alive HTTP/1.1 connections, so the hub's figures
are not flattered by sharing its event loop. Every request must get a 2xx, which the hub only
sends after the commit. By default each server is enrolled first and sends its own agent token,
as real agents do (`--credential admin-key` sends the one admin key instead, for comparison).
"""

import argparse
import asyncio
import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from _hub import percentile, running_hub

SERVERS = 200
FILESYSTEMS = 10
GIB = 1024**3


def heartbeat(server: int, at: datetime, step: int) -> bytes:
    filesystems = []
    for i in range(FILESYSTEMS):
        used = (100 + i) * GIB + step * 4096 * (i + 1)
        avail = 400 * GIB - step * 4096 * (i + 1)
        filesystems.append(
            {
                "mount_point": "/" if i == 0 else f"/srv/disk{i}",
                "device": f"/dev/sd{chr(97 + i)}1",
                "fs_type": "ext4",
                "total_bytes": 520 * GIB,
                "used_bytes": used,
                "available_bytes": avail,
                "percent": round(100 * used / (used + avail), 2),
                "read_only": False,
                "inodes_total": 32_000_000,
                "inodes_used": 100_000 + step,
            }
        )
    body = {
        "server_id": f"bench-{server:04d}",
        "hostname": f"bench-{server:04d}.lan",
        "timestamp": at.isoformat(),
        "agent_version": "0.1.0",
        "os_info": {
            "distribution": "Debian",
            "version": "12",
            "kernel": "6.1",
            "architecture": "x86_64",
        },
        "metrics": {
            "cpu_percent": 12.5,
            "memory_percent": 40.0,
            "memory_total_mb": 8192,
            "memory_used_mb": 3277,
            "load_1m": 0.5,
            "load_5m": 0.4,
            "load_15m": 0.3,
            "network_rx_bytes": 10_000 * step,
            "network_tx_bytes": 5_000 * step,
            "uptime_seconds": 86_400 + 60 * step,
        },
        "filesystems": filesystems,
    }
    return json.dumps(body).encode()


def enroll_all(url: str, admin_key: str) -> dict[int, str]:
    """Enroll every simulated server as a host would; its agent token by server number."""
    tokens = {}
    admin = {"Authorization": f"Bearer {admin_key}"}
    with httpx.Client(base_url=url, timeout=30) as client:
        for server in range(SERVERS):
            code = client.post("/api/v1/enrollments", headers=admin).json()["code"]
            answer = client.post(
                "/api/v1/agents/enroll", json={"code": code, "hostname": f"bench-{server:04d}"}
            )
            answer.raise_for_status()
            assert answer.json()["server_id"] == f"bench-{server:04d}"
            tokens[server] = answer.json()["token"]
    return tokens


@dataclass
class _Run:
    port: int
    keys: dict[int, str]
    start: datetime
    until: float
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def _worker(run: _Run, servers: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", run.port)
    step = 0
    while time.monotonic() < run.until:
        for server in servers:
            at = run.start + timedelta(seconds=60 * step)
            body = heartbeat(server, at, step)
            head = (
                "POST /api/v1/agents/heartbeat HTTP/1.1\r\nHost: bench\r\n"
                f"X-API-Key: {run.keys[server]}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode()
            sent = time.perf_counter()
            writer.write(head + body)
            status_line = await reader.readline()
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":")[1])
            await reader.readexactly(length)
            run.latencies.append(time.perf_counter() - sent)
            status = int(status_line.split()[1])
            if not 200 <= status < 300:
                run.errors.append(status_line.decode().strip())
        step += 1
    writer.close()


def _keys(key: str) -> dict[int, str]:
    # "@file": per-server agent tokens (JSON); otherwise the one key every server sends.
    if key.startswith("@"):
        return {int(s): t for s, t in json.loads(Path(key[1:]).read_text()).items()}
    return dict.fromkeys(range(SERVERS), key)


async def _load(port: int, keys: dict[int, str], seconds: float, connections: int) -> None:
    # Heartbeats are timestamped one minute apart per server, ending before now.
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    run = _Run(port, keys, start, time.monotonic() + seconds)
    groups = [list(range(c, SERVERS, connections)) for c in range(connections)]
    began = time.perf_counter()
    await asyncio.gather(*(_worker(run, g) for g in groups))
    elapsed = time.perf_counter() - began
    summary = {
        "count": len(run.latencies),
        "elapsed": elapsed,
        "errors": run.errors[:5],
        "error_count": len(run.errors),
        "p50": percentile(run.latencies, 50),
        "p95": percentile(run.latencies, 95),
        "p99": percentile(run.latencies, 99),
    }
    print(json.dumps(summary))


def _bytes_per_sample(db: Path) -> tuple[int, float, float | None]:
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    rows = conn.execute("SELECT count(*) FROM filesystem_sample").fetchone()[0]
    table_bytes = None
    with contextlib.suppress(sqlite3.OperationalError):  # dbstat is not in every SQLite build
        table_bytes = conn.execute(
            "SELECT sum(pgsize) FROM dbstat WHERE name = 'filesystem_sample'"
        ).fetchone()[0]
    conn.close()
    file_per_row = db.stat().st_size / rows if rows else float("nan")
    return rows, file_per_row, (table_bytes / rows if table_bytes and rows else None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument(
        "--database-url", help="run the hub on this (empty) database instead of a SQLite file"
    )
    parser.add_argument(
        "--credential",
        choices=("agent-tokens", "admin-key"),
        default="agent-tokens",
        help="each server's own enrolled token (as real agents), or the one admin key",
    )
    parser.add_argument("--load", nargs=2, metavar=("PORT", "KEY"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.load:
        keys = _keys(args.load[1])
        asyncio.run(_load(int(args.load[0]), keys, args.seconds, args.connections))
        return
    extra_env = {"HOMELAB_CMD_DATABASE_URL": args.database_url} if args.database_url else {}
    engine_name = "PostgreSQL" if args.database_url else "SQLite"
    with tempfile.TemporaryDirectory() as tmp, running_hub(Path(tmp), extra_env) as (url, key):
        port = url.rsplit(":", 1)[1]
        credential = key
        if args.credential == "agent-tokens":
            tokens_file = Path(tmp) / "tokens.json"
            tokens_file.write_text(json.dumps(enroll_all(url, key)))
            credential = f"@{tokens_file}"
        cmd = [
            sys.executable,
            __file__,
            "--load",
            port,
            credential,
            "--seconds",
            str(args.seconds),
            "--connections",
            str(args.connections),
        ]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=os.environ)
        result = json.loads(out.stdout)
        sizes = None if args.database_url else _bytes_per_sample(Path(tmp) / "homelab.db")
    rate = result["count"] / result["elapsed"]
    print(
        f"\n== Ingest: 200 servers x 10 filesystems, {engine_name}, one hub process, "
        f"{args.credential} =="
    )
    print(
        f"heartbeats          {result['count']} in {result['elapsed']:.1f} s "
        f"over {args.connections} connections"
    )
    print(f"throughput          {rate:,.0f} heartbeats/s  (target >= 2,000)")
    print(
        f"latency p50/p95/p99 {result['p50'] * 1000:.1f} / {result['p95'] * 1000:.1f} / "
        f"{result['p99'] * 1000:.1f} ms  (target p99 < 50 ms)"
    )
    print(f"errors (non-2xx)    {result['error_count']} {result['errors']}")
    if sizes is None:
        return
    rows, file_per_row, table_per_row = sizes
    print(f"raw fs samples      {rows:,}")
    print(
        f"bytes per sample    {file_per_row:.1f} (whole file / samples)"
        + (
            f", {table_per_row:.1f} (filesystem_sample table, key included)"
            if table_per_row
            else ""
        )
        + "  (target <= 48)"
    )


if __name__ == "__main__":
    main()

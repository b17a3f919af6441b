"""The ingest benchmark's load generator: 200 simulated servers' heartbeats over keep-alive
HTTP/1.1, one asyncio process apart from the hub's, printing one JSON summary.

Run by bench/ingest.py (`load_command`), not by hand:

    _load.py PORT[,PORT...] KEY [--seconds S] [--connections C] [--rate R] [--cross-every N]
             [--first-step K] [--steps N]

KEY is the one key every server sends, or `@FILE`: each server's agent token (JSON). With
several ports, connection c sends to hub c mod N, so a server's heartbeats always reach one hub.
"""

import argparse
import asyncio
import json
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from _hub import percentile

SERVERS = 200
FILESYSTEMS = 10
GIB = 1024**3
TOTAL = 520 * GIB


def crosses(server: int, step: int, cross_every: int) -> bool:
    """Whether a server's heartbeat of `step` takes its first disk across the critical level."""
    return cross_every > 0 and step > 0 and (step + server) % cross_every == 0


def heartbeat(server: int, at: datetime, step: int, cross_every: int = 0) -> bytes:
    filesystems = []
    for i in range(FILESYSTEMS):
        used = (100 + i) * GIB + step * 4096 * (i + 1)
        avail = 400 * GIB - step * 4096 * (i + 1)
        if i == 0 and cross_every and ((step + server) // cross_every) % 2:
            # Above the default critical level (95 %) for `cross_every` heartbeats, then below
            # its clear level again: every `cross_every`-th heartbeat crosses a level, the
            # servers out of step with each other.
            used, avail = int(0.97 * TOTAL), TOTAL - int(0.97 * TOTAL)
        filesystems.append(
            {
                "mount_point": "/" if i == 0 else f"/srv/disk{i}",
                "device": f"/dev/sd{chr(97 + i)}1",
                "fs_type": "ext4",
                "total_bytes": TOTAL,
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


@dataclass
class _Run:
    # One port per hub; connection c sends to hub c mod len(ports).
    ports: list[int]
    keys: dict[int, str]
    start: datetime
    until: float
    # Seconds between two heartbeats of one connection (0: as fast as answers come).
    gap: float = 0.0
    # Steps (one heartbeat of every server) to send, from `first_step`; 0: until `until`.
    first_step: int = 0
    steps: int = 0
    cross_every: int = 0
    crossings: int = 0
    latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Answers and non-2xx answers by hub (index into `ports`).
    answers: list[int] = field(default_factory=list)
    refusals: list[int] = field(default_factory=list)


async def _worker(run: _Run, servers: list[int], hub: int) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", run.ports[hub])
    step = run.first_step
    due = time.monotonic()
    while step < run.first_step + run.steps if run.steps else time.monotonic() < run.until:
        for server in servers:
            if run.gap:  # a paced stream: one heartbeat per gap, caught up when late
                due += run.gap
                await asyncio.sleep(max(0.0, due - time.monotonic()))
            at = run.start + timedelta(seconds=60 * step)
            body = heartbeat(server, at, step, run.cross_every)
            run.crossings += crosses(server, step, run.cross_every)
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
            run.answers[hub] += 1
            status = int(status_line.split()[1])
            if not 200 <= status < 300:
                run.errors.append(status_line.decode().strip())
                run.refusals[hub] += 1
        step += 1
    writer.close()


def _keys(key: str) -> dict[int, str]:
    # "@file": per-server agent tokens (JSON); otherwise the one key every server sends.
    if key.startswith("@"):
        return {int(s): t for s, t in json.loads(Path(key[1:]).read_text()).items()}
    return dict.fromkeys(range(SERVERS), key)


async def _load(run: _Run, connections: int) -> None:
    groups = [list(range(c, SERVERS, connections)) for c in range(connections)]
    hubs = len(run.ports)
    run.answers, run.refusals = [0] * hubs, [0] * hubs
    began = time.perf_counter()
    await asyncio.gather(*(_worker(run, g, c % hubs) for c, g in enumerate(groups)))
    elapsed = time.perf_counter() - began
    summary = {
        "count": len(run.latencies),
        "elapsed": elapsed,
        "crossings": run.crossings,
        "errors": run.errors[:5],
        "error_count": len(run.errors),
        "p50": percentile(run.latencies, 50),
        "p95": percentile(run.latencies, 95),
        "p99": percentile(run.latencies, 99),
    }
    if hubs > 1:
        summary["hubs"] = [
            {"count": count, "error_count": refused}
            for count, refused in zip(run.answers, run.refusals, strict=True)
        ]
    print(json.dumps(summary))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("ports", metavar="PORT[,PORT...]")
    parser.add_argument("key", metavar="KEY")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rate", type=float, default=0, help="heartbeats a second (0: flat out)")
    parser.add_argument(
        "--cross-every", type=int, default=0, help="each server's first disk crosses a level"
    )
    parser.add_argument("--first-step", type=int, default=0)
    parser.add_argument("--steps", type=int, default=0, help="steps to send (0: for --seconds)")
    args = parser.parse_args()
    # Heartbeats are timestamped one minute apart per server, ending before now.
    start = datetime.now(UTC).replace(microsecond=0) - timedelta(days=2)
    run = _Run(
        [int(port) for port in args.ports.split(",")],
        _keys(args.key),
        start,
        time.monotonic() + args.seconds,
        gap=args.connections / args.rate if args.rate else 0,
        cross_every=args.cross_every,
        first_step=args.first_step,
        steps=args.steps,
    )
    asyncio.run(_load(run, args.connections))


if __name__ == "__main__":
    main()

"""Alerts benchmark: ingest throughput with alert evaluation off and on, and the time from a
heartbeat crossing a level to a loopback webhook receiving the message.

Throughput uses the ingest benchmark's load (200 servers x 10 filesystems, a separate process)
against a hub with HOMELAB_CMD_ALERT_EVALUATION_SECONDS=0 (off) and the default 10 s (on),
alternated.
Latency: a hub sending through Apprise's `json://` to an HTTP sink in this process; each round
posts a heartbeat with a disk at 90 % for a fresh server and waits for its message; rounds are
over a second apart, so each is met alone (heartbeats in a stream are batched up to 1 s).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
from _hub import percentile, running_hub

INGEST = Path(__file__).with_name("ingest.py")
GIB = 1024**3


def _throughput(seconds: float, connections: int, evaluation_seconds: str) -> float:
    env = {"HOMELAB_CMD_ALERT_EVALUATION_SECONDS": evaluation_seconds}
    with tempfile.TemporaryDirectory() as tmp, running_hub(Path(tmp), env) as (url, key):
        port = url.rsplit(":", 1)[1]
        cmd = [sys.executable, str(INGEST), "--load", port, key, "--seconds", str(seconds)]
        cmd += ["--connections", str(connections)]
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=os.environ)
    result = json.loads(out.stdout)
    if result["error_count"]:
        sys.exit(f"non-2xx answers: {result['errors']}")
    return float(result["count"] / result["elapsed"])


class _Sink:
    """Records when each message arrives, by the server named in its title."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.event = threading.Condition()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                now = time.perf_counter()
                with sink.event:
                    server = body["title"].split()[1]
                    sink.arrived.setdefault(server, now)
                    sink.event.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait(self, server: str, timeout: float = 60) -> float:
        with self.event:
            if not self.event.wait_for(lambda: server in self.arrived, timeout):
                sys.exit(f"no message for {server} within {timeout} s")
            return self.arrived[server]


def _heartbeat(server: str) -> dict[str, Any]:
    total, used = 100 * GIB, 90 * GIB
    return {
        "server_id": server,
        "hostname": server,
        "timestamp": datetime.now(UTC).isoformat(),
        "filesystems": [
            {
                "mount_point": "/data",
                "device": "/dev/sdb1",
                "fs_type": "ext4",
                "total_bytes": total,
                "used_bytes": used,
                "available_bytes": total - used,
            }
        ],
    }


def _latency(rounds: int) -> list[float]:
    sink = _Sink()
    env = {
        "HOMELAB_CMD_NOTIFY_URLS": f"json://127.0.0.1:{sink.server.server_address[1]}/",
        "HOMELAB_CMD_ALERT_HOLD_SECONDS": "0",
        "HOMELAB_CMD_NOTIFY_GROUP_SECONDS": "0",
    }
    seconds = []
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_hub(Path(tmp), env) as (url, key),
        httpx.Client(base_url=url, headers={"X-API-Key": key}) as client,
    ):
        for i in range(rounds):
            # Apart by more than the pass gap (MIN_PASS_GAP_SECONDS): each alert is measured
            # alone, as a level crossing on a quiet hub is met.
            time.sleep(1.2)
            server = f"latency-{i:03d}"
            sent = time.perf_counter()
            client.post("/api/v1/agents/heartbeat", json=_heartbeat(server)).raise_for_status()
            seconds.append(sink.wait(server) - sent)
    sink.server.shutdown()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=15, help="each throughput run")
    parser.add_argument("--repeats", type=int, default=2, help="off/on pairs, alternated")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    # Alternated, so a machine whose load drifts during the run weighs on both alike.
    off_runs, on_runs = [], []
    for _ in range(args.repeats):
        off_runs.append(_throughput(args.seconds, args.connections, "0"))
        on_runs.append(_throughput(args.seconds, args.connections, "10"))
    off, on = statistics.mean(off_runs), statistics.mean(on_runs)
    latencies = _latency(args.rounds)
    print("\n== Alerts: ingest with evaluation off and on; heartbeat to webhook ==")
    runs = " / ".join(f"{r:,.0f}" for r in off_runs)
    print(f"ingest, alerts off  {off:,.0f} heartbeats/s  (runs {runs})")
    runs = " / ".join(f"{r:,.0f}" for r in on_runs)
    print(
        f"ingest, alerts on   {on:,.0f} heartbeats/s  ({(on / off - 1) * 100:+.1f} %; runs {runs})"
    )
    print(
        f"heartbeat -> sink   median {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 95) * 1000:.0f} ms over {len(latencies)} alerts"
    )


if __name__ == "__main__":
    main()

"""Alerts benchmark: what alert evaluation costs ingest when levels are being crossed, and the
time from a heartbeat crossing a level to a loopback webhook receiving the message, on a quiet
hub and under a steady stream of heartbeats.

Cost: the ingest benchmark's load (200 servers x 10 filesystems, a separate process, the admin
key) whose first disk goes above the critical level and back below its clear level every
`--cross-every` heartbeats of each server, against a hub with
HOMELAB_CMD_ALERT_EVALUATION_SECONDS=0 (off) and the default 10 s (on), alternated; both send
through Apprise's `json://` to a sink in this process with hold and grouping at 0, so every
crossing is a real alert and message (`--no-channel`: no channel, what the passes alone cost).
Hub CPU per stored heartbeat comes from bench/_cpu.py. `--rate R` paces both sides at R
heartbeats a second (the issue's target is stated at 700+), without it the load saturates the
hub. With alerts on, the alert thread's own CPU (ms a second, from /proc, the thread found by
py-spy's dump when it is installed) is printed too: the passes' share, apart from what they
cost the writer and the request path in lock and GIL contention.
Latency: each round takes one server that has reported below the levels across them (its disk
from 40 % to 97 %) and waits for its message; rounds are over a second apart, so each is met
alone, with no background or under a paced stream of `--stream-rate` heartbeats a second from
the ingest load generator.
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
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from _cpu import TICK, load_average, per_heartbeat_ms
from _hub import hub_pid, percentile, running_hub
from _sink import LoopbackSink
from ingest import load_command, measured_load

GIB = 1024**3
# Stream warm-up: the first heartbeat of each of the load's 200 servers creates its rows.
WARM_UP_SECONDS = 4.0
PY_SPY = Path(sys.executable).with_name("py-spy")
# The alert thread's CPU is sampled from this far into a cost run (past the load's first
# heartbeat of each server, not measured) to its end.
THREAD_SAMPLE_DELAY_SECONDS = 2.0


def _thread_id(pid: int, name: str) -> int | None:
    """The native id of the hub's thread `name` (py-spy's dump names Python's threads), or None
    without py-spy or such a thread."""
    if not PY_SPY.exists():
        return None
    dump = subprocess.run(
        [str(PY_SPY), "dump", "--pid", str(pid), "--nonblocking"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    for line in dump.splitlines():
        # Thread 12345 (idle): "alert-evaluation"
        words = line.split()
        if line.startswith("Thread ") and line.endswith(f'"{name}"') and words[1].isdigit():
            return int(words[1])
    return None


def _thread_seconds(pid: int, tid: int) -> float:
    text = Path(f"/proc/{pid}/task/{tid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (proc(5) fields 14, 15)


class _ThreadCpu:
    """One thread's CPU in ms a second, from THREAD_SAMPLE_DELAY_SECONDS after `start` to `stop`."""

    def __init__(self, pid: int, tid: int | None) -> None:
        self._pid, self._tid = pid, tid
        self._first: tuple[float, float] | None = None
        self._timer = threading.Timer(THREAD_SAMPLE_DELAY_SECONDS, self._sample)

    def _sample(self) -> None:
        if self._tid is not None:
            self._first = (time.monotonic(), _thread_seconds(self._pid, self._tid))

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> float | None:
        self._timer.cancel()
        if self._first is None or self._tid is None:
            return None
        at, seconds = self._first
        return (_thread_seconds(self._pid, self._tid) - seconds) / (time.monotonic() - at) * 1000


class _Sink:
    """Counts messages and records when the first one naming each server arrived."""

    def __init__(self) -> None:
        self.arrived: dict[str, float] = {}
        self.count = 0
        self.event = threading.Condition()
        self.loopback = LoopbackSink(self._received)

    def _received(self, body: dict[str, Any]) -> None:
        now = time.perf_counter()
        with self.event:
            # Titles read "[CRITICAL] <server> <mount>: ...".
            words = body["title"].split()
            self.arrived.setdefault(words[1] if len(words) > 1 else "", now)
            self.count += 1
            self.event.notify_all()

    @property
    def env(self) -> dict[str, str]:
        """A hub sending here at once: hold and grouping at 0."""
        return {
            "HOMELAB_CMD_NOTIFY_URLS": self.loopback.url,
            "HOMELAB_CMD_ALERT_HOLD_SECONDS": "0",
            "HOMELAB_CMD_NOTIFY_GROUP_SECONDS": "0",
        }

    def reset(self) -> None:
        with self.event:
            self.arrived.clear()
            self.count = 0

    def drain(self, quiet: float = 2.0, limit: float = 120.0) -> None:
        """Wait until no message has arrived for `quiet` seconds (at most `limit`): a hub stopped
        with a backlog of messages still to send is slow to stop (its delivery ends first)."""
        deadline = time.monotonic() + limit
        with self.event:
            while time.monotonic() < deadline:
                before = self.count
                if not self.event.wait_for(partial(self._grew, before), quiet):
                    return

    def _grew(self, before: int) -> bool:
        return self.count != before

    def wait(self, server: str, timeout: float = 60) -> float:
        with self.event:
            if not self.event.wait_for(lambda: server in self.arrived, timeout):
                sys.exit(f"no message for {server} within {timeout} s")
            return self.arrived[server]


def _cost(sink: _Sink, args: argparse.Namespace, evaluation: str) -> dict[str, Any]:
    """One ingest run with crossings; its rate, p99, hub CPU and the messages it caused."""
    sink.reset()
    env = {**sink.env, "HOMELAB_CMD_ALERT_EVALUATION_SECONDS": evaluation}
    if args.no_channel:
        del env["HOMELAB_CMD_NOTIFY_URLS"]
    with tempfile.TemporaryDirectory() as tmp, running_hub(Path(tmp), env) as (url, key):
        cmd = load_command(url.rsplit(":", 1)[1], key, args.seconds, args.connections)
        cmd += ["--cross-every", str(args.cross_every)]
        if args.rate:
            cmd += ["--rate", str(args.rate)]
        pid = hub_pid(url)
        thread = _ThreadCpu(pid, _thread_id(pid, "alert-evaluation") if evaluation != "0" else None)
        thread.start()
        result = measured_load(pid, cmd)
        result["alert_thread_ms_per_second"] = thread.stop()
        sink.drain()  # the last crossings' messages arrive
    if result["error_count"]:
        sys.exit(f"non-2xx answers: {result['errors']}")
    result["messages"] = sink.count
    return result


def _beat(server: str, at: datetime, used_percent: float) -> dict[str, Any]:
    total = 100 * GIB
    used = int(total * used_percent / 100)
    return {
        "server_id": server,
        "hostname": server,
        "timestamp": at.isoformat(),
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


def _latency(sink: _Sink, rounds: int, stream_rate: float, connections: int) -> dict[str, Any]:
    sink.reset()
    seconds: list[float] = []
    stream: dict[str, Any] = {}
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_hub(Path(tmp), sink.env) as (url, key),
        httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=60) as client,
    ):
        servers = [f"latency-{i:03d}" for i in range(rounds)]
        before = datetime.now(UTC) - timedelta(minutes=1)
        for server in servers:  # each reports below the levels first
            beat = _beat(server, before, 40)
            client.post("/api/v1/agents/heartbeat", json=beat).raise_for_status()
        load = None
        if stream_rate:
            duration = WARM_UP_SECONDS + rounds * 1.6 + 10
            cmd = load_command(url.rsplit(":", 1)[1], key, duration, connections)
            cmd += ["--rate", str(stream_rate)]
            load = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, env=os.environ)
            time.sleep(WARM_UP_SECONDS)
        for server in servers:
            # Apart by more than the pass gap (MIN_PASS_GAP_SECONDS): each crossing is met alone.
            time.sleep(1.2)
            beat = _beat(server, datetime.now(UTC), 97)
            sent = time.perf_counter()
            client.post("/api/v1/agents/heartbeat", json=beat).raise_for_status()
            seconds.append(sink.wait(server) - sent)
        if load is not None:
            out, _ = load.communicate()
            stream = json.loads(out)
    return {
        "median": statistics.median(seconds),
        "p95": percentile(seconds, 95),
        "count": len(seconds),
        "stream_rate": stream["count"] / stream["elapsed"] if stream else 0.0,
        "stream_errors": stream.get("error_count", 0),
    }


def measure(args: argparse.Namespace) -> dict[str, Any]:
    sink = _Sink()
    # Alternated, so a machine whose load drifts during the run weighs on both alike.
    off_runs, on_runs = [], []
    for _ in range(args.repeats):
        off_runs.append(_cost(sink, args, "0"))
        on_runs.append(_cost(sink, args, "10"))
    quiet = _latency(sink, args.rounds, 0, args.connections)
    loaded = _latency(sink, args.rounds, args.stream_rate, args.connections)
    sink.loopback.shutdown()
    return {"off": off_runs, "on": on_runs, "quiet": quiet, "loaded": loaded}


def _side(runs: list[dict[str, Any]]) -> str:
    rate = statistics.median(r["rate"] for r in runs)
    cpu = statistics.median(r["hub_cpu_seconds"] / r["stored"] for r in runs) * 1000
    each = " / ".join(
        f"{r['rate']:,.0f} hb/s, p99 {r['p99'] * 1000:.0f} ms, "
        f"{per_heartbeat_ms(r['hub_cpu_seconds'], r['stored'])}, "
        f"{r['crossings']} crossings, {r['messages']} messages"
        for r in runs
    )
    threads = [r["alert_thread_ms_per_second"] for r in runs]
    thread = (
        f", alert thread {statistics.median(threads):.0f} ms CPU/s"
        if threads and None not in threads
        else ""
    )
    return f"{rate:,.0f} heartbeats/s, hub CPU/heartbeat {cpu:.3f} ms{thread}  (runs: {each})"


def report(figures: dict[str, Any], args: argparse.Namespace) -> None:
    paced = f"paced at {args.rate:,.0f} heartbeats/s" if args.rate else "saturating"
    print(
        f"\n== Alerts: ingest ({paced}) crossing a level every {args.cross_every} heartbeats of "
        "each server, evaluation off and on; crossing to webhook =="
    )
    print(f"alerts off          {_side(figures['off'])}")
    print(f"alerts on           {_side(figures['on'])}")
    cpu = {
        side: statistics.median(r["hub_cpu_seconds"] / r["stored"] for r in figures[side])
        for side in ("off", "on")
    }
    print(f"on vs off           hub CPU/heartbeat {(cpu['on'] / cpu['off'] - 1) * 100:+.1f} %")
    for name, label in (("quiet", "quiet"), ("loaded", "under stream")):
        lat = figures[name]
        stream = (
            f"; stream {lat['stream_rate']:,.0f} heartbeats/s, {lat['stream_errors']} errors"
            if name == "loaded"
            else ""
        )
        print(
            f"crossing -> sink    {label}: median {lat['median'] * 1000:.0f} ms, "
            f"p95 {lat['p95'] * 1000:.0f} ms over {lat['count']} crossings{stream}"
        )
    print(f"load average        {load_average()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=15, help="each cost run")
    parser.add_argument("--repeats", type=int, default=2, help="off/on pairs, alternated")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--cross-every", type=int, default=10, help="heartbeats per crossing")
    parser.add_argument(
        "--rate",
        type=float,
        default=0,
        help="cost runs paced at this many heartbeats/s, both sides (default: saturating)",
    )
    parser.add_argument("--rounds", type=int, default=30, help="crossings timed, each case")
    parser.add_argument("--stream-rate", type=float, default=600, help="heartbeats/s beside")
    parser.add_argument(
        "--no-channel",
        action="store_true",
        help="cost runs without a channel: what the passes cost, without the messages",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = measure(args)
    if args.json:
        print(json.dumps(figures))
        return
    report(figures, args)


if __name__ == "__main__":
    main()

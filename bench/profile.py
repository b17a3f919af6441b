"""Where the hub's CPU goes under the ingest load: py-spy samples of a real hub process.

The load is bench/ingest.py's (200 servers x 10 filesystems, per-agent tokens, alerts on,
`SYNCHRONOUS=FULL`). py-spy samples the hub's threads while they hold the interpreter lock
(`--gil`: the time that serialises the hub), and the samples are summed two ways:

- by thread: the request path (the event loop), the heartbeat writer, alert passes, the rest;
- by function: each sample counts for the innermost frame of the hub's own code (so a library
  call counts for the hub function that made it), the top `--top` printed with their share.

    .venv/bin/python bench/profile.py [--seconds 20] [--top 5] [--postgres SERVER_URL]
"""

import argparse
import collections
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from _cpu import load_average, per_heartbeat_ms
from _hub import fresh_postgres, hub_pid, running_hub
from ingest import enroll_all, load_command, measured_load

PY_SPY = Path(sys.executable).with_name("py-spy")
THREADS = (
    ("heartbeat writer", "HeartbeatWriter._run"),
    ("alert passes and delivery", "AlertRunner"),
    ("/metrics refresh", "FleetExposition._run"),
    ("WAL checkpoints", "WalCheckpointer"),
)
OWN = "homelab_cmd/"


def _frames(line: str) -> tuple[list[str], int] | None:
    stack, _, count = line.rstrip().rpartition(" ")
    if not stack or not count.isdigit():
        return None
    return stack.split(";"), int(count)


def _thread(frames: list[str]) -> str:
    for name, marker in THREADS:
        if any(marker in frame for frame in frames):
            return name
    # The event loop's own stack, or a coroutine's frames py-spy could not join to it.
    return "request path (event loop)"


def _function(frames: list[str]) -> str:
    own = [frame for frame in frames if OWN in frame]
    frame = own[-1] if own else frames[-1]
    name, _, where = frame.partition(" (")
    path = where.rstrip(")").rsplit(":", 1)[0]
    return f"{name} ({path.split(OWN, 1)[-1]})"


def summarise(raw: Path, top: int) -> dict[str, list[tuple[str, float]]]:
    threads: collections.Counter[str] = collections.Counter()
    functions: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text().splitlines():
        parsed = _frames(line)
        if parsed is None:
            continue
        frames, count = parsed
        total += count
        threads[_thread(frames)] += count
        functions[_function(frames)] += count
    if not total:
        sys.exit("py-spy recorded no samples")
    return {
        "threads": [(name, 100 * n / total) for name, n in threads.most_common()],
        "functions": [(name, 100 * n / total) for name, n in functions.most_common(top)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--top", type=int, default=5)
    parser.add_argument("--postgres", metavar="SERVER_URL")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not PY_SPY.exists():
        sys.exit(f"{PY_SPY} is missing: `make setup` installs it (requirements/dev.txt)")
    with tempfile.TemporaryDirectory() as tmp:
        if args.postgres:
            with fresh_postgres(args.postgres) as url:
                figures = _profiled(Path(tmp), args, {"HOMELAB_CMD_DATABASE_URL": url}, url)
        else:
            figures = _profiled(Path(tmp), args, {}, None)
    if args.json:
        print(json.dumps(figures))
        return
    engine = "PostgreSQL" if args.postgres else "SQLite"
    print(f"\n== Profile: the ingest load on {engine}, samples holding the interpreter lock ==")
    print(
        f"load          {figures['rate']:,.0f} heartbeats/s, hub CPU {figures['cpu']} a "
        f"heartbeat, lock held in {figures['held']:.0f} % of the sampled time"
    )
    for title, key in (("by thread", "threads"), (f"top {args.top} functions", "functions")):
        print(title)
        for name, share in figures[key]:
            print(f"  {share:5.1f} %  {name}")
    print(f"load average  {load_average()}")


def _profiled(
    tmp: Path, args: argparse.Namespace, env: dict[str, str], database_url: str | None
) -> dict[str, Any]:
    raw = tmp / "profile.txt"
    with running_hub(tmp / "hub", env) as (url, key):
        tokens = tmp / "tokens.json"
        tokens.write_text(json.dumps(enroll_all(url, key)))
        port = url.rsplit(":", 1)[1]
        cmd = load_command(port, f"@{tokens}", args.seconds, args.connections)
        rate = 200
        # Sampling starts a second into the measured load and ends a second before it does.
        spy = subprocess.Popen(
            [
                str(PY_SPY),
                "record",
                "--pid",
                str(hub_pid(url)),
                "--gil",
                "--nonblocking",
                "--rate",
                str(rate),
                "--format",
                "raw",
                "--duration",
                str(max(1, int(args.seconds) - 3)),
                "--output",
                str(raw),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(0.5)
        result = measured_load(hub_pid(url), cmd, database_url)
        _, err = spy.communicate(timeout=60)
        if spy.returncode != 0 or not raw.exists():
            sys.exit(f"py-spy failed: {err.strip()}")
    samples = sum(parsed[1] for line in raw.read_text().splitlines() if (parsed := _frames(line)))
    sampled_seconds = max(1, int(args.seconds) - 3)
    return {
        "rate": result["rate"],
        "cpu": per_heartbeat_ms(result["hub_cpu_seconds"], result["stored"]),
        "held": 100 * samples / (rate * sampled_seconds),
        **summarise(raw, args.top),
    }


if __name__ == "__main__":
    main()

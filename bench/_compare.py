"""Alternated ingest runs of two checkouts of the hub (bench/compare.sh makes the worktrees).

Each round runs bench/ingest.py once per side and engine, the sides' order swapped every round
(base, head, then head, base, ...) so a machine whose load drifts weighs on both alike, and the
do-nothing endpoint once (bench/_ceiling.py) for the round's ceiling ratio. Both sides use this
checkout's load generator and venv; only the hub's code differs (PYTHONPATH). CPU per heartbeat
is the figure to trust on a busy machine; heartbeats/s and p99 move with everything else.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

from _cpu import load_average

BENCH = Path(__file__).resolve().parent
INGEST = BENCH / "ingest.py"
ALERTS = BENCH / "alerts.py"


def _env(side: Path) -> dict[str, str]:
    path = [str(side / "backend" / "src"), str(side / "agent" / "src")]
    return {**os.environ, "PYTHONPATH": os.pathsep.join(path)}


def _identify(name: str, side: Path) -> None:
    """Print the side's commit and the hub package it runs: proof the right code is measured."""
    commit = subprocess.run(
        ["git", "-C", str(side), "log", "-1", "--format=%h %s"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    probe = "import homelab_cmd; print(homelab_cmd.__file__)"
    where = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, env=_env(side)
    ).stdout.strip()
    if not Path(where).resolve().is_relative_to(side.resolve()):
        sys.exit(f"{name}: homelab_cmd comes from {where}, not from {side}")
    dirty = subprocess.run(
        ["git", "-C", str(side), "status", "--porcelain", "--untracked-files=no"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    print(f"{name:5} {commit[:72]}{' (+ uncommitted changes)' if dirty else ''}")
    print(f"      homelab_cmd from {where}")


def _run(script: Path, args: list[str], side: Path) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(script), *args, "--json"],
        check=True,
        stdout=subprocess.PIPE,  # a failing run's traceback goes to the terminal
        text=True,
        env=_env(side),
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _ms(seconds: float | None, count: int) -> float | None:
    return None if seconds is None or not count else seconds / count * 1000


def _fmt(value: float | None, unit: str = "", digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:,.{digits}f}{unit}"


def _row(result: dict[str, Any], ceiling: float | None) -> dict[str, float | None]:
    return {
        "rate": result["rate"],
        "p99": result["p99"] * 1000,
        "hub": _ms(result["hub_cpu_seconds"], result["stored"]),
        "db": _ms(result["db_cpu_seconds"], result["stored"]),
        "ceiling": result["rate"] / ceiling * 100 if ceiling else None,
        "errors": result["error_count"],
    }


def _line(label: str, row: dict[str, float | None]) -> str:
    return (
        f"{label:<26} {_fmt(row['rate'], digits=0):>8} hb/s  p99 {_fmt(row['p99'], digits=0):>6}"
        f" ms  hub {_fmt(row['hub'])} ms/hb  db {_fmt(row['db'])} ms/hb"
        f"  ceiling {_fmt(row['ceiling'], ' %', 0)}  errors {_fmt(row['errors'], digits=0)}"
    )


def _median(rows: list[dict[str, float | None]], key: str) -> float | None:
    values = [v for r in rows if (v := r[key]) is not None]
    return statistics.median(values) if values else None


def ingest_rounds(args: argparse.Namespace, sides: dict[str, Path]) -> None:
    engines: dict[str, list[str]] = {"SQLite": []}
    if args.postgres:
        engines["PostgreSQL"] = ["--postgres", args.postgres]
    rows: dict[tuple[str, str], list[dict[str, float | None]]] = {}
    common = ["--seconds", str(args.seconds), "--connections", str(args.connections)]
    for n in range(args.rounds):
        print(f"\n-- round {n + 1} of {args.rounds}, load average {load_average()}")
        ceiling = None
        if args.ceiling:
            result = _run(INGEST, [*common, "--ceiling-only"], sides["head"])
            ceiling = result["rate"]
            cpu = _fmt(_ms(result["hub_cpu_seconds"], result["stored"]))
            print(
                f"{'ceiling (do-nothing)':<26} {ceiling:>8,.0f} req/s "
                f"p99 {result['p99'] * 1000:>6.0f} ms  {cpu} ms CPU/request"
            )
        order = ["base", "head"] if n % 2 == 0 else ["head", "base"]
        for engine, extra in engines.items():
            for name in order:
                row = _row(_run(INGEST, [*common, *extra], sides[name]), ceiling)
                rows.setdefault((name, engine), []).append(row)
                print(_line(f"{name} {engine}", row))
    print(
        f"\n== Medians of {args.rounds} rounds ({args.seconds:g} s runs, "
        f"{args.connections} connections) =="
    )
    for engine in engines:
        for name in ("base", "head"):
            side_rows = rows[(name, engine)]
            median = {key: _median(side_rows, key) for key in side_rows[0]}
            print(_line(f"{name} {engine}", median))
        base_hub = _median(rows[("base", engine)], "hub")
        head_hub = _median(rows[("head", engine)], "hub")
        if base_hub and head_hub:
            print(f"{'':26} head/base hub CPU per heartbeat: {head_hub / base_hub:.2f}x")


def alert_runs(args: argparse.Namespace, sides: dict[str, Path]) -> None:
    options = ["--seconds", str(args.alert_seconds), "--repeats", "1"]
    options += ["--rounds", str(args.alert_rounds), "--connections", str(args.connections)]
    for name in ("base", "head"):
        print(f"\n-- alerts, {name}, load average {load_average()}")
        figures = _run(ALERTS, options, sides[name])
        for switch in ("off", "on"):
            run = figures[switch][0]
            print(
                f"alerts {switch:<3} {run['rate']:>8,.0f} hb/s  p99 {run['p99'] * 1000:>6.0f} ms  "
                f"hub {_fmt(_ms(run['hub_cpu_seconds'], run['stored']))} ms/hb  "
                f"{run['crossings']} crossings, {run['messages']} messages"
            )
        for case in ("quiet", "loaded"):
            lat = figures[case]
            print(
                f"crossing -> sink {case:<6}: median {lat['median'] * 1000:.0f} ms, p95 "
                f"{lat['p95'] * 1000:.0f} ms over {lat['count']}"
                + (f" (stream {lat['stream_rate']:,.0f} hb/s)" if case == "loaded" else "")
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", type=Path, required=True)
    parser.add_argument("--head", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=10, help="each ingest run")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--postgres", metavar="SERVER_URL", help="also run on PostgreSQL")
    parser.add_argument("--no-ceiling", dest="ceiling", action="store_false")
    parser.add_argument("--alerts", action="store_true", help="bench/alerts.py once per side")
    parser.add_argument("--alert-seconds", type=float, default=10)
    parser.add_argument("--alert-rounds", type=int, default=15)
    args = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[attr-defined]
    sides = {"base": args.base, "head": args.head}
    for name, side in sides.items():
        _identify(name, side)
    ingest_rounds(args, sides)
    if args.alerts:
        alert_runs(args, sides)
    print(f"\nload average at the end {load_average()}")


if __name__ == "__main__":
    main()

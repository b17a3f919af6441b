"""Ingest benchmark: 200 simulated servers x 10 filesystems posting heartbeats to a real hub.

The load runs in a separate process (bench/_load.py) over keep-alive HTTP/1.1 connections, so
the hub's figures are not flattered by sharing its event loop. Every request must get a 2xx,
which the hub only sends after the commit. By default each server is enrolled first and sends
its own agent token, as real agents do (`--credential admin-key` sends the one admin key
instead, for comparison).

Beside throughput and latency it prints CPU per stored heartbeat (bench/_cpu.py): the hub
process's, and on PostgreSQL the backends' serving the run's database. `--ceiling` also runs the
same load against a do-nothing FastAPI endpoint on the same stack (bench/_ceiling.py) and prints
the hub's share of it. `--json` prints the figures as one JSON object (bench/compare.sh).

`--hubs N` starts N hub processes on one new PostgreSQL database (a SQLite file is one hub's):
the servers are enrolled once, through the first hub (their tokens are in the shared database,
so every hub accepts them), and each load connection, with its servers, goes to one hub, so a
server's heartbeats stay in order. It prints each hub's CPU per heartbeat it stored, the
database's, and the combined CPU per heartbeat (all hubs and the database) over all of them:
the figure that shows whether a second hub process costs anything, where heartbeats/s cannot
on a machine whose cores the hubs, the database and the load generator share.
"""

import argparse
import contextlib
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
from _cpu import PostgresCpu, ProcessCpu, load_average, per_heartbeat_ms, wait_quiet
from _hub import (
    fresh_postgres,
    hub_pid,
    running_ceiling,
    running_hub,
    running_hubs,
)
from _load import SERVERS

LOAD = Path(__file__).with_name("_load.py")


def enroll_all(url: str, admin_key: str) -> dict[int, str]:
    """Enroll every simulated server as a host would; its agent token by server number."""
    admin = {"Authorization": f"Bearer {admin_key}"}
    with httpx.Client(base_url=url, timeout=60) as client:

        def enroll(server: int) -> str:
            code = client.post("/api/v1/enrollments", headers=admin).json()["code"]
            answer = client.post(
                "/api/v1/agents/enroll", json={"code": code, "hostname": f"bench-{server:04d}"}
            )
            answer.raise_for_status()
            assert answer.json()["server_id"] == f"bench-{server:04d}"
            return str(answer.json()["token"])

        # A few at a time: set-up, not measured, and slow one by one on a busy machine.
        with ThreadPoolExecutor(8) as pool:
            return dict(enumerate(pool.map(enroll, range(SERVERS))))


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


def load_command(port: str, credential: str, seconds: float, connections: int) -> list[str]:
    """The load generator's command line (`--rate`, `--cross-every` may be appended).

    `port` may list several hubs' ports, comma-separated.
    """
    cmd = [sys.executable, str(LOAD), port, credential, "--seconds", str(seconds)]
    return [*cmd, "--connections", str(connections)]


def measured_load(
    pid: int | list[int], cmd: list[str], database_url: str | None = None
) -> dict[str, Any]:
    """Run the load generator against the server of `pid`; its summary plus the CPU it cost.

    Every server first sends one heartbeat, not measured: a server's first heartbeat creates
    its rows (and, with alerts on, a pass over it), which a short run on a slow machine would
    otherwise mostly measure; the run starts once the hubs are idle again. With several
    hubs' pids (in the order of the command's ports), `hub_cpu_seconds` is all of theirs and
    `hubs` gives each one's stored heartbeats and CPU, `combined_cpu_seconds` adds the database's.
    """
    subprocess.run([*cmd, "--steps", "1"], check=True, capture_output=True, env=os.environ)
    cmd = [*cmd, "--first-step", "1"]
    hubs = [ProcessCpu(p) for p in (pid if isinstance(pid, list) else [pid])]
    wait_quiet([hub.pid for hub in hubs])
    database = PostgresCpu(database_url) if database_url else contextlib.nullcontext()
    with database:
        for hub in hubs:
            hub.start()
        out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=os.environ)
        for hub in hubs:
            hub.stop()
    result: dict[str, Any] = json.loads(out.stdout)
    result["stored"] = result["count"] - result["error_count"]
    result["rate"] = result["count"] / result["elapsed"]
    result["hub_cpu_seconds"] = sum(hub.seconds for hub in hubs)
    result["db_cpu_seconds"] = database.seconds if isinstance(database, PostgresCpu) else None
    if len(hubs) > 1:
        for figures, hub in zip(result["hubs"], hubs, strict=True):
            figures["stored"] = figures["count"] - figures["error_count"]
            figures["cpu_seconds"] = hub.seconds
        db = result["db_cpu_seconds"]
        result["combined_cpu_seconds"] = None if db is None else result["hub_cpu_seconds"] + db
    return result


def run_ingest(
    seconds: float,
    connections: int,
    *,
    credential: str = "agent-tokens",
    database_url: str | None = None,
    extra_env: dict[str, str] | None = None,
    load_args: tuple[str, ...] = (),
    hubs: int = 1,
) -> dict[str, Any]:
    """One ingest run against a fresh hub (SQLite file, or the empty `database_url`).

    `load_args` go to the load generator (`--cross-every N`, `--rate R`). `hubs` > 1 runs that
    many hub processes on `database_url` (required then), enrolled through the first.
    """
    if hubs > 1 and not database_url:
        raise ValueError("several hubs need one database they share (PostgreSQL)")
    env = dict(extra_env or {})
    if database_url:
        env["HOMELAB_CMD_DATABASE_URL"] = database_url
    with tempfile.TemporaryDirectory() as tmp, _hubs(hubs, Path(tmp), env) as (urls, key):
        token = key
        if credential == "agent-tokens":
            tokens_file = Path(tmp) / "tokens.json"
            tokens_file.write_text(json.dumps(enroll_all(urls[0], key)))
            token = f"@{tokens_file}"
        ports = ",".join(url.rsplit(":", 1)[1] for url in urls)
        cmd = load_command(ports, token, seconds, connections)
        pids = [hub_pid(url) for url in urls]
        result = measured_load(pids if hubs > 1 else pids[0], [*cmd, *load_args], database_url)
        if not database_url:
            result["sizes"] = _bytes_per_sample(Path(tmp) / "homelab.db")
    return result


@contextlib.contextmanager
def _hubs(count: int, data_dir: Path, env: dict[str, str]) -> Iterator[tuple[list[str], str]]:
    """One hub on `data_dir` (its SQLite file is measured after), or `count` on one database."""
    if count == 1:
        with running_hub(data_dir, env) as (url, key):
            yield [url], key
    else:
        with running_hubs(count, data_dir, env) as (urls, key):
            yield urls, key


def run_ceiling(seconds: float, connections: int) -> dict[str, Any]:
    """The same load against the do-nothing endpoint on the same stack (bench/_ceiling.py)."""
    with running_ceiling() as url:
        cmd = load_command(url.rsplit(":", 1)[1], "ceiling", seconds, connections)
        return measured_load(hub_pid(url), cmd)


def _print(result: dict[str, Any], engine: str, credential: str, connections: int) -> None:
    hubs = result.get("hubs", [])
    processes = f"{len(hubs)} hub processes on one database" if hubs else "one hub process"
    print(f"\n== Ingest: 200 servers x 10 filesystems, {engine}, {processes}, {credential} ==")
    print(
        f"heartbeats          {result['count']} in {result['elapsed']:.1f} s "
        f"over {connections} connections"
        + (f" (about {connections / len(hubs):.3g} per hub)" if hubs else "")
    )
    print(f"throughput          {result['rate']:,.0f} heartbeats/s  (target >= 2,000)")
    print(
        f"latency p50/p95/p99 {result['p50'] * 1000:.1f} / {result['p95'] * 1000:.1f} / "
        f"{result['p99'] * 1000:.1f} ms  (target p99 < 50 ms)"
    )
    print(f"errors (non-2xx)    {result['error_count']} {result['errors']}")
    for n, hub in enumerate(hubs, 1):
        print(
            f"hub {n} CPU/heartbeat {per_heartbeat_ms(hub['cpu_seconds'], hub['stored'])}"
            f"  (of the {hub['stored']} it stored)"
        )
    label = "hubs' CPU/heartbeat" if hubs else "hub CPU/heartbeat  "
    print(f"{label} {per_heartbeat_ms(result['hub_cpu_seconds'], result['stored'])}")
    if engine == "PostgreSQL":
        print(
            f"db CPU/heartbeat    {per_heartbeat_ms(result['db_cpu_seconds'], result['stored'])}"
            "  (backends of the run's database)"
        )
    if hubs:
        print(
            "combined CPU/hb     "
            f"{per_heartbeat_ms(result['combined_cpu_seconds'], result['stored'])}"
            "  (all hubs + database)"
        )
    if "ceiling" in result:
        ceiling = result["ceiling"]
        print(
            f"ceiling             {ceiling['rate']:,.0f} requests/s, p99 "
            f"{ceiling['p99'] * 1000:.1f} ms, "
            f"{per_heartbeat_ms(ceiling['hub_cpu_seconds'], ceiling['stored'])} CPU/request "
            f"(do-nothing endpoint); hub/ceiling {result['rate'] / ceiling['rate'] * 100:.0f} %"
        )
    print(f"load average        {load_average()}")
    if not result.get("sizes"):
        return
    rows, file_per_row, table_per_row = result["sizes"]
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


def _check_hubs(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.hubs < 1:
        parser.error("--hubs: at least 1")
    if args.hubs == 1:
        return
    postgres = args.postgres or (args.database_url or "").startswith("postgresql")
    if not postgres:
        parser.error(
            f"--hubs {args.hubs} needs one database every hub shares: give --postgres "
            "SERVER_URL or a postgresql:// --database-url (SQLite lets one process write at a "
            "time, so several hubs on one file would measure its lock, not the hubs)"
        )
    if args.hubs > args.connections:
        parser.error(f"--hubs {args.hubs}: more hubs than --connections {args.connections}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--connections", type=int, default=32)
    engine = parser.add_mutually_exclusive_group()
    engine.add_argument(
        "--database-url", help="run the hub on this (empty) database instead of a SQLite file"
    )
    engine.add_argument(
        "--postgres",
        metavar="SERVER_URL",
        help="run the hub on a new database on this PostgreSQL server, dropped afterwards",
    )
    parser.add_argument(
        "--credential",
        choices=("agent-tokens", "admin-key"),
        default="agent-tokens",
        help="each server's own enrolled token (as real agents), or the one admin key",
    )
    parser.add_argument(
        "--ceiling", action="store_true", help="also run the load against a do-nothing endpoint"
    )
    parser.add_argument("--ceiling-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--hubs",
        type=int,
        default=1,
        metavar="N",
        help="run N hub processes on one PostgreSQL database (--postgres or --database-url)",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    _check_hubs(parser, args)
    if args.ceiling_only:  # bench/compare.sh: the ceiling of one round
        print(json.dumps(run_ceiling(args.seconds, args.connections)))
        return
    with contextlib.ExitStack() as stack:
        url = args.database_url
        if args.postgres:
            url = stack.enter_context(fresh_postgres(args.postgres))
        result = run_ingest(
            args.seconds,
            args.connections,
            credential=args.credential,
            database_url=url,
            hubs=args.hubs,
        )
    if args.ceiling:
        result["ceiling"] = run_ceiling(args.seconds, args.connections)
    result["engine"] = "PostgreSQL" if url else "SQLite"
    if args.json:
        print(json.dumps(result))
        return
    _print(result, result["engine"], args.credential, args.connections)


if __name__ == "__main__":
    main()

"""One hostile enrolled host against a real hub of 50 normal servers: what do the others pay?

Prints the fleet read's p95 (`GET /api/v1/servers`) before and after the hostile host's flood
(mounts, vanished mounts, back-dated and deep-domain heartbeats, a high rate, then distinct 1 MiB
heartbeats of 240 new 4 KB mount points each), the latency of a normal server's alert to a
loopback sink while it goes on, the messages the hub sent, and the hub's RSS: before, its peak
(sampled every 0.2 s), when the flood ends and after the hub has been idle. SPEC targets: the
alert within 10 s, the read within 2x, RSS + < 100 MiB (docs/limits.md states the bound).

    .venv/bin/python bench/hostile.py [--big N] [--idle SECONDS]
"""

import argparse
import json
import sqlite3
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
from _hub import percentile, running_hub
from _sink import LoopbackSink

GIB = 1024**3
MIB = 1024**2
SERVERS = 50
READS = 200
URL = "/api/v1/agents/heartbeat"


class _Sink:
    """A loopback `json://` receiver that notes when each message arrived."""

    def __init__(self) -> None:
        self.arrivals: list[tuple[float, str]] = []
        self.event = threading.Condition()
        self.loopback = LoopbackSink(self._received)

    def _received(self, body: dict[str, Any]) -> None:
        with self.event:
            self.arrivals.append((time.perf_counter(), body.get("title", "")))
            self.event.notify_all()

    def wait_for(self, text: str, timeout: float = 120) -> float:
        with self.event:
            if not self.event.wait_for(
                lambda: any(text in title for _, title in self.arrivals), timeout
            ):
                sys.exit(f"no message about {text} within {timeout} s")
            return next(at for at, title in self.arrivals if text in title)


def _fs(mount: str, used: float = 40) -> dict[str, Any]:
    return {
        "mount_point": mount,
        "device": f"/dev/{mount.strip('/').replace('/', '-') or 'root'}",
        "fs_type": "ext4",
        "total_bytes": 100 * GIB,
        "used_bytes": int(used * GIB),
        "available_bytes": int((100 - used) * GIB),
    }


def _beat(server: str, at: datetime, filesystems: list[dict[str, Any]], **extra: Any) -> dict:
    return {
        "server_id": server,
        "hostname": server,
        "timestamp": at.isoformat(),
        "filesystems": filesystems,
        **extra,
    }


def _rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _hub_pid(port: str) -> int:
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            environ = (proc / "environ").read_bytes()
        except OSError:
            continue
        if (
            f"HOMELAB_CMD_PORT={port}".encode() in environ
            and b"homelab-cmd" in (proc / "cmdline").read_bytes()
        ):
            return int(proc.name)
    sys.exit("hub process not found")


class _RssWatch:
    """The hub's RSS sampled every 0.2 s on a thread of its own: the peak between two reads."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = _rss(pid)
        self._halt = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._halt.wait(0.2):
            self.peak = max(self.peak, _rss(self.pid))

    def stop(self) -> int:
        self._halt.set()
        self._thread.join()
        return self.peak


def _p95_read(client: httpx.Client) -> float:
    times = []
    for _ in range(READS):
        started = time.perf_counter()
        client.get("/api/v1/servers").raise_for_status()
        times.append(time.perf_counter() - started)
    return percentile(times, 95) * 1000


def _enroll_token(db: Path, server: str) -> str:
    """An agent token for `server`, through the hub's own service, on its database."""
    from sqlalchemy import insert
    from sqlalchemy.orm import Session

    from homelab_cmd.db.engine import make_engine
    from homelab_cmd.db.models import Server
    from homelab_cmd.domain.access import Role
    from homelab_cmd.services.access.tokens import create_token

    engine = make_engine(f"sqlite:///{db}")
    with engine.begin() as conn:
        conn.execute(
            insert(Server), {"id": server, "hostname": server, "created_at": datetime.now(UTC)}
        )
    with Session(engine) as session:
        _, secret = create_token(session, "hostile", Role.AGENT, server)
    engine.dispose()
    return secret


def _big(i: int, at: datetime) -> bytes:
    """1 MiB: 240 new 4 KB mount points and a field the hub drops (as bench/hardening.py)."""
    fss = [{**_fs("/"), "mount_point": f"/big/{i}/{j}/" + "x" * 3980} for j in range(240)]
    body = json.dumps({**_beat("evil", at, fss), "notes": ""}).encode()
    return body.replace(b'"notes": ""', b'"notes": "' + b"n" * (MIB - len(body)) + b'"')


def _big_flood(url: str, secret: str, count: int) -> dict[str, int]:
    """`count` distinct 1 MiB heartbeats, back-dated a minute apart: within the replay budgets."""
    statuses: dict[int, int] = {}
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/json"}
    start = datetime.now(UTC) - timedelta(hours=12)
    with httpx.Client(base_url=url, headers=headers, timeout=120) as client:

        def post(i: int) -> int:
            return client.post(URL, content=_big(i, start + timedelta(minutes=i))).status_code

        with ThreadPoolExecutor(4) as pool:
            for code in pool.map(post, range(count)):
                statuses[code] = statuses.get(code, 0) + 1
    return statuses


def _hostile(url: str, secret: str, mounts: int, rounds: int) -> dict[str, int]:
    statuses: dict[int, int] = {}
    headers = {"Authorization": f"Bearer {secret}"}
    start = datetime.now(UTC) - timedelta(hours=2)
    bodies = []
    for i in range(rounds):  # a flood of new mounts, then heartbeats without them
        fss = [_fs(f"/flood/{i}/{j:05d}") for j in range(mounts)] if i % 2 == 0 else [_fs("/")]
        # Stamped a minute apart, past the replay spacing: every round is stored whatever order
        # the racing requests arrive in, so each run leaves the host the same filesystems.
        bodies.append(_beat("evil", start + timedelta(minutes=i), fss))
    bodies.append(_beat("evil", datetime(1999, 1, 1, tzinfo=UTC), [_fs("/")]))
    # 6,000 deep, in short keys so that the body stays under the 1 MiB cap.
    chain = [
        {"key": f"d{i}", "kind": "zfs_dataset", "parent": f"d{i - 1}" if i else None}
        for i in range(6000)
    ]
    bodies.append(_beat("evil", datetime.now(UTC), [_fs("/")], capacity_domains=chain))
    bodies += [
        _beat("evil", datetime.now(UTC) - timedelta(seconds=s), [_fs("/")]) for s in range(200)
    ]
    with httpx.Client(base_url=url, headers=headers, timeout=120) as client:

        def post(body: dict) -> int:
            return client.post(URL, json=body).status_code

        with ThreadPoolExecutor(4) as pool:
            for code in pool.map(post, bodies):
                statuses[code] = statuses.get(code, 0) + 1
    return statuses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--big", type=int, default=200, help="distinct 1 MiB heartbeats")
    parser.add_argument("--idle", type=float, default=30, help="seconds idle after the flood")
    args = parser.parse_args()
    sink = _Sink()
    env = {
        "HOMELAB_CMD_NOTIFY_URLS": sink.loopback.url,
        "HOMELAB_CMD_ALERT_HOLD_SECONDS": "0",
        "HOMELAB_CMD_NOTIFY_GROUP_SECONDS": "0",
        "HOMELAB_CMD_WRITER_DEADLINE_SECONDS": "120",
        # The budgets under test, at their defaults (bench/_hub.py lifts them for the others).
        "HOMELAB_CMD_MAX_HEARTBEATS_PER_MINUTE": "12",
        "HOMELAB_CMD_MAX_REPLAY_HEARTBEATS_PER_MINUTE": "600",
        "HOMELAB_CMD_REPLAY_SPACING_SECONDS": "30",
    }
    with (
        tempfile.TemporaryDirectory() as tmp,
        running_hub(Path(tmp), env) as (url, key),
        httpx.Client(base_url=url, headers={"X-API-Key": key}, timeout=120) as admin,
    ):
        pid = _hub_pid(url.rsplit(":", 1)[1])
        now = datetime.now(UTC)
        for n in range(SERVERS):
            fss = [_fs("/")] + [_fs(f"/srv/disk{i}") for i in range(1, 10)]
            for step in (2, 1):
                beat = _beat(f"host-{n:02d}", now - timedelta(minutes=step), fss)
                admin.post(URL, json=beat).raise_for_status()
        time.sleep(3)  # the first alert passes settle
        before = _p95_read(admin)
        rss_before = _rss(pid)

        secret = _enroll_token(Path(tmp) / "homelab.db", "evil")
        flood: dict[str, int] = {}
        big: dict[str, int] = {}
        watch = _RssWatch(pid)

        def attack() -> None:
            flood.update(_hostile(url, secret, mounts=1000, rounds=8))
            big.update(_big_flood(url, secret, args.big))

        hostile = threading.Thread(target=attack)
        hostile.start()
        time.sleep(1)
        crossing = _beat("host-00", datetime.now(UTC), [_fs("/data", used=96)])
        sent = time.perf_counter()
        admin.post(URL, json=crossing).raise_for_status()
        latency = sink.wait_for("host-00") - sent
        hostile.join()
        rss_flood_end = _rss(pid)
        time.sleep(5)  # the hostile host's alert passes run
        after = _p95_read(admin)
        time.sleep(args.idle)
        rss_idle = _rss(pid)
        rss_peak = watch.stop()
        with sqlite3.connect(Path(tmp) / "homelab.db") as db:
            sent_count = db.execute(
                "SELECT count(*) FROM notification_outbox WHERE sent_at IS NOT NULL"
            ).fetchone()[0]
            evil_rows = db.execute(
                "SELECT count(*) FROM filesystem WHERE server_id = 'evil'"
            ).fetchone()[0]
            evil_open = db.execute(
                "SELECT count(*) FROM alert WHERE server_id = 'evil' AND open_key IS NOT NULL"
            ).fetchone()[0]

    print(f"hostile host's answers: {dict(sorted(flood.items()))}")
    print(f"hostile host's {args.big} distinct 1 MiB heartbeats: {dict(sorted(big.items()))}")
    print(f"hostile host's filesystems kept: {evil_rows}, open alerts: {evil_open}")
    print(f"messages sent (all servers): {sent_count}; sink received {len(sink.arrivals)}")
    print(f"other server's alert latency during the flood: {latency:.2f} s (target < 10 s)")
    print(
        f"GET /api/v1/servers p95, {SERVERS} servers: {before:.1f} ms without the hostile host, "
        f"{after:.1f} ms with it ({after / before:.2f}x; target <= 2x)"
    )
    print(
        f"hub RSS: {rss_before / MIB:.0f} MiB before, peak {rss_peak / MIB:.0f} MiB "
        f"(+{(rss_peak - rss_before) / MIB:.0f}; target < +100 MiB), {rss_flood_end / MIB:.0f} MiB "
        f"when the flood ended, {rss_idle / MIB:.0f} MiB after {args.idle:g} s idle "
        f"(+{(rss_idle - rss_before) / MIB:.0f})"
    )
    sink.loopback.shutdown()


if __name__ == "__main__":
    main()

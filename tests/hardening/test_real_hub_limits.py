"""Against a real hub process: memory stays bounded, a full writer queue answers 503 with
Retry-After, and kill -9 in the middle of ingest loses no acknowledged heartbeat."""

import json
import signal
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from tests.hub_process import API_KEY, HUB, rss_bytes, running_hub

pytestmark = pytest.mark.skipif(not HUB.exists(), reason="the hub is not installed")
URL = "/api/v1/agents/heartbeat"
HEADERS = {"X-API-Key": API_KEY, "Content-Type": "application/json"}
MIB = 1024 * 1024
# The bound this test states: 300 distinct 1 MiB heartbeats, each with new mount points, grow the
# hub's resident memory by at most this much (caches are LRU-bounded; bodies are freed).
RSS_GROWTH_BOUND = 64 * MIB
START = datetime.now(UTC) - timedelta(hours=2)
# These heartbeats are replays a second apart: what is measured here is memory and durability,
# not the replay spacing (tests/hardening/test_hostile_host.py), so it is switched off.
NO_REPLAY_SPACING = {"HOMELAB_CMD_REPLAY_SPACING_SECONDS": "0"}


def _big_heartbeat(i: int) -> bytes:
    filesystems = [
        {
            "mount_point": f"/mnt/{i}/{j}/" + "x" * 3990,
            "device": f"/dev/disk{j}",
            "fs_type": "ext4",
            "total_bytes": 100 * MIB,
            "used_bytes": 10 * MIB,
            "available_bytes": 80 * MIB,
        }
        for j in range(8)
    ]
    payload = {
        "server_id": f"host-{i % 10}",
        "hostname": f"host-{i % 10}",
        "timestamp": (START + timedelta(seconds=i)).isoformat(),
        "filesystems": filesystems,
        "notes": "",
    }
    # A field the hub does not know is parsed and dropped: it fills the body to 1 MiB.
    body = json.dumps(payload).encode()
    return body.replace(b'"notes": ""', b'"notes": "' + b"n" * (MIB - len(body)) + b'"')


def test_rss_stays_bounded_after_300_distinct_1mib_heartbeats(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with (
        running_hub(data, NO_REPLAY_SPACING) as (hub, url),
        httpx.Client(base_url=url, headers=HEADERS) as client,
    ):
        client.post(URL, content=_big_heartbeat(-1)).raise_for_status()  # warm every code path
        before = rss_bytes(hub.pid)

        def send(i: int) -> int:
            body = _big_heartbeat(i)
            assert len(body) == MIB
            for _ in range(10):
                response = client.post(URL, content=body, timeout=60)
                if response.status_code != 503:  # on a busy machine, retry as an agent would
                    break
                time.sleep(float(response.headers["Retry-After"]) / 5)
            assert response.status_code == 200, response.text
            return rss_bytes(hub.pid)

        with ThreadPoolExecutor(4) as pool:
            peak = max(pool.map(send, range(300)))
        after = rss_bytes(hub.pid)

    print(f"hub RSS: {before / MIB:.0f} MiB before, peak {peak / MIB:.0f}, after {after / MIB:.0f}")
    assert peak - before <= RSS_GROWTH_BOUND


def _heartbeat(server_id: str, second: int) -> bytes:
    at = START + timedelta(seconds=second)
    return json.dumps(
        {"server_id": server_id, "hostname": server_id, "timestamp": at.isoformat()}
    ).encode()


def test_a_full_writer_queue_answers_503_with_retry_after_within_the_deadline(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    # Heartbeats answered 503 at the deadline may still be stored once the lock goes; they are
    # a second apart, so the retry of the first must not meet the replay spacing.
    env = {
        "HOMELAB_CMD_WRITER_QUEUE_SIZE": "2",
        "HOMELAB_CMD_WRITER_DEADLINE_SECONDS": "1",
        "HOMELAB_CMD_RETRY_AFTER_SECONDS": "3",
        **NO_REPLAY_SPACING,
    }
    with running_hub(data, env) as (_, url), httpx.Client(base_url=url, headers=HEADERS) as client:
        # Another writer holds SQLite's write lock, as a long maintenance pass or a stuck disk
        # would: the hub's writer waits, its queue fills.
        blocker = sqlite3.connect(data / "homelab.db", isolation_level=None, timeout=10)
        blocker.execute("BEGIN IMMEDIATE")
        try:
            with ThreadPoolExecutor(8) as pool:
                timed = list(
                    pool.map(lambda i: _timed_post(client, _heartbeat("busy", i)), range(8))
                )
        finally:
            blocker.execute("ROLLBACK")
            blocker.close()
        # Lock released: the same heartbeat is stored on a later try, as the agent retries.
        for _ in range(30):
            after = client.post(URL, content=_heartbeat("busy", 0), timeout=30)
            if after.status_code != 503:
                break
            time.sleep(0.5)

    statuses = [response.status_code for response, _ in timed]
    assert statuses == [503] * 8
    for response, seconds in timed:
        assert response.headers["Retry-After"] == "3"
        assert response.json()["error"] == "ServiceUnavailable"
        assert seconds < 3.0  # the 1 s deadline, plus the machine's slack; never the lock's 10 s
    assert after.status_code == 200


def _timed_post(client: httpx.Client, body: bytes) -> tuple[httpx.Response, float]:
    began = time.monotonic()
    response = client.post(URL, content=body, timeout=30)
    return response, time.monotonic() - began


def test_kill_9_mid_ingest_loses_no_acknowledged_heartbeat(tmp_path: Path) -> None:
    data = tmp_path / "data"
    acknowledged: list[tuple[str, int]] = []
    stop = threading.Event()

    def sender(worker: int, url: str) -> None:
        with httpx.Client(base_url=url, headers=HEADERS, timeout=5) as client:
            second = 0
            while not stop.is_set():
                server_id = f"kill-{worker}"
                try:
                    response = client.post(URL, content=_heartbeat(server_id, second))
                except httpx.HTTPError:
                    return  # the hub is gone: whatever was not answered was not acknowledged
                if response.status_code == 200:
                    acknowledged.append(
                        (server_id, int((START + timedelta(seconds=second)).timestamp()))
                    )
                second += 1

    with running_hub(data, NO_REPLAY_SPACING) as (hub, url):
        threads = [threading.Thread(target=sender, args=(w, url)) for w in range(6)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 30
        while len(acknowledged) < 50 and time.monotonic() < deadline:
            time.sleep(0.05)
        hub.send_signal(signal.SIGKILL)
        hub.wait()
        stop.set()
        for thread in threads:
            thread.join()

    with sqlite3.connect(data / "homelab.db") as db:
        stored = set(db.execute("SELECT server_id, sampled_at FROM server_metric"))
    assert len(acknowledged) >= 50
    missing = [hb for hb in acknowledged if hb not in stored]
    print(f"kill -9: {len(acknowledged)} acknowledged, {len(missing)} missing")
    assert missing == []

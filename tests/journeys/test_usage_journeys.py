"""Why it fills, through a real hub process and a real agent scanning a real filesystem.

The filesystem is a tmpfs mounted in the agent's own mount namespace (`unshare -m`), so the
host's mounts are untouched; the test reaches its files through the agent's
`/proc/<pid>/root`, which resolves paths in that namespace. Its past is four days of hourly
heartbeats sent through the API (the hub forecasts from hourly history); the agent then
reports it live. The hub's maintenance pass finds the confident fill date within the horizon
and asks for a scan in its answer to a heartbeat; a person asks for a second one after a
directory grew; the API and the time-to-full message name that directory.
"""

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.factories import filesystem_payload, heartbeat_payload
from tests.hub_process import API_KEY, HUB, running_hub
from tests.journeys.test_alert_journeys import FAST
from tests.notify_sinks import HttpSink, http_sink, wait_for

pytestmark = [
    pytest.mark.skipif(not HUB.exists(), reason="the hub is not installed"),
    pytest.mark.skipif(
        os.geteuid() != 0 or shutil.which("unshare") is None,
        reason="needs root and unshare(1) to mount in a private mount namespace",
    ),
    pytest.mark.xdist_group("alert-journeys"),
]
MiB = 1 << 20
SIZE = 40 * MiB
HEADERS = {"X-API-Key": API_KEY}
AGENT = Path(sys.executable).parent / "homelab-agent"
HUB_ENV = {
    **FAST,
    "HOMELAB_CMD_MAINTENANCE_INTERVAL_SECONDS": "1",
    "HOMELAB_CMD_MAX_HEARTBEATS_PER_MINUTE": "600",
    # The first message goes out before any scan: its repeats carry what grew once it is known.
    "HOMELAB_CMD_ALERT_REPEAT_WARNING_SECONDS": "2",
    "HOMELAB_CMD_ALERT_REPEAT_CRITICAL_SECONDS": "2",
}


def _history(mount: str) -> Iterator[dict[str, Any]]:
    """Four days of hourly heartbeats: 8 MiB used growing 3 MiB a day to 20 MiB of 40 MiB."""
    now = datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    for hour in range(96, 0, -1):
        used = 20 * MiB - hour * 3 * MiB // 24
        fs = filesystem_payload(
            mount_point=mount, device="tmpfs", fs_type="tmpfs", total_bytes=SIZE,
            used_bytes=used, available_bytes=SIZE - used,
        )  # fmt: skip
        yield heartbeat_payload(timestamp=now - timedelta(hours=hour), filesystems=[fs])


@contextmanager
def agent_with_tmpfs(url: str, mount: Path, spool: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A real agent reporting a 40 MiB tmpfs at `mount` in its own mount namespace."""
    env = {
        **os.environ,
        "HOMELAB_AGENT_CONFIG": "",
        "HOMELAB_AGENT_HUB_URL": url,
        "HOMELAB_AGENT_API_KEY": API_KEY,
        "HOMELAB_AGENT_SERVER_ID": "nas-1",
        "HOMELAB_AGENT_HOSTNAME": "nas-1.home.lan",
        "HOMELAB_AGENT_INTERVAL": "1",
        "HOMELAB_AGENT_SPOOL_DIR": str(spool),
        "HOMELAB_AGENT_FSTAB": "off",
        "HOMELAB_AGENT_DISABLED_COLLECTORS": "drives,pools",
        "HOMELAB_AGENT_INCLUDE_FS_TYPES": "tmpfs",
        # Only the test's mount, so the result does not depend on this machine's other mounts.
        "HOMELAB_AGENT_EXCLUDE_MOUNT_PATTERNS": "/",
        "HOMELAB_AGENT_INCLUDE_MOUNT_PATTERNS": str(mount),
    }
    script = (
        f'mount -t tmpfs -o size={SIZE // MiB}m tmpfs "$1" && '
        'head -c 10485760 /dev/zero > "$1/old-recordings.bin" && mkdir -p "$1/frigate/recordings" '
        '"$1/docker" && head -c 8388608 /dev/zero > "$1/frigate/recordings/cam1.mp4" && '
        'head -c 2097152 /dev/zero > "$1/docker/layer.tar" && exec "$2"'
    )
    agent = subprocess.Popen(
        ["unshare", "-m", "--propagation", "private", "sh", "-c", script, "sh", str(mount),
         str(AGENT)],
        env=env, stdout=subprocess.DEVNULL, stderr=(spool.parent / "agent.log").open("wb"),
    )  # fmt: skip
    try:
        yield agent
    finally:
        agent.terminate()
        agent.wait(timeout=30)


def _usage(client: httpx.Client, mount: str) -> dict[str, Any]:
    response = client.get("/api/v1/servers/nas-1/filesystems/usage", params={"mount_point": mount})
    response.raise_for_status()
    body: dict[str, Any] = response.json()
    return body


def _named(sink: HttpSink, text: str) -> bool:
    return any(text in m["message"] for m in sink.messages())


def test_a_filesystem_filling_within_the_horizon_is_scanned_and_its_grown_directory_named(
    tmp_path: Path,
) -> None:
    mount = tmp_path / "srv"
    mount.mkdir()
    recordings = f"{mount}/frigate/recordings"
    with (
        http_sink() as sink,
        running_hub(tmp_path / "data", {**HUB_ENV, "HOMELAB_CMD_NOTIFY_URLS": sink.url}) as (
            _,
            url,
        ),
        httpx.Client(base_url=url, headers=HEADERS, timeout=60) as client,
    ):
        for beat in _history(str(mount)):
            client.post("/api/v1/agents/heartbeat", json=beat).raise_for_status()
        with agent_with_tmpfs(url, mount, tmp_path / "spool") as agent:
            # The forecast asks for the first scan; the agent answers it in a later heartbeat.
            wait_for(lambda: _usage(client, str(mount))["latest"] is not None, "the first scan")
            first = _usage(client, str(mount))
            assert first["scans"][0]["error"] is None
            tree = {d["path"]: d["bytes"] for d in first["latest"]["directories"]}
            assert tree[recordings] == 8 * MiB and tree[str(mount)] == 20 * MiB

            # 3 MiB more recordings, seen through the agent's namespace; a person asks again.
            with Path(f"/proc/{agent.pid}/root{recordings}/cam2.mp4").open("wb") as handle:
                handle.write(b"\0" * 3 * MiB)
            asked = client.post(
                "/api/v1/servers/nas-1/filesystems/usage-scans", json={"mount_point": str(mount)}
            )
            assert asked.status_code == 202 and asked.json()["requested_by"] == "person"
            wait_for(lambda: len(_usage(client, str(mount))["scans"]) == 2, "the second scan")

            growth = _usage(client, str(mount))["growth"]
            assert {"path": recordings, "bytes_then": 8 * MiB, "bytes_now": 11 * MiB,
                    "change": 3 * MiB} in growth  # fmt: skip
            assert all(g["change"] == 3 * MiB for g in growth)  # nothing else changed
            wait_for(lambda: _named(sink, f"+3.0 MiB {recordings}"), "the grown directory named")
    message = next(m for m in sink.messages() if recordings in m["message"])
    assert f"{mount} fills in about" in message["message"]
    assert "; grew since " in message["message"]

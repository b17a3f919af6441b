"""docs/upgrading.md, run as written against a database built as the original hub builds it."""

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import httpx

from tests.fixtures import homelabcmd_v1
from tests.hub_process import API_KEY, running_hub

DOC = Path(__file__).resolve().parents[1] / "docs" / "upgrading.md"
ADMIN = {"Authorization": f"Bearer {API_KEY}"}


def _blocks() -> list[str]:
    """The shell blocks the page marks as the upgrade's commands, in order."""
    text = DOC.read_text()
    return re.findall(r"<!-- upgrading: run -->\n```sh\n(.*?)```", text, re.DOTALL)


def _with(block: str, name: str, value: str) -> str:
    """The block with `name=...` set to `value` (the page's example paths are the operator's)."""
    pattern = rf"^((?:export )?{name}=)\S+"
    assert re.search(pattern, block, re.MULTILINE), f"{name} is not set in the page's commands"
    return re.sub(pattern, lambda m: f"{m.group(1)}{value}", block, flags=re.MULTILINE)


def _sh(script: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOMELAB_CMD_")}
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip


def test_the_upgrade_page_imports_an_original_database_and_old_agents_keep_reporting(
    tmp_path: Path,
) -> None:
    old_db = tmp_path / "old" / "homelab.db"
    old_db.parent.mkdir()
    contents = homelabcmd_v1.build(old_db, datetime.now(UTC))
    data = tmp_path / "hub-data"
    copy, imported, start = _blocks()
    copy = _with(_with(copy, "OLD_DB", str(old_db)), "HOMELAB_CMD_DATA_DIR", str(data))

    first = _sh(copy + imported, tmp_path)
    again = _sh(copy + imported, tmp_path)

    assert first.returncode == 0, first.stderr
    assert "servers: 3 added (omv-mediaserver, pihole, proxmox-1), 0 already here" in first.stdout
    assert f"server metric samples: {contents.raw_per_server * 3} imported" in first.stdout
    assert again.returncode == 0, again.stderr
    assert "servers: 0 added (none), 3 already here" in again.stdout
    assert "server metric samples: 0 imported" in again.stdout
    assert "filesystem samples (0 filesystems new here): 0 imported" in again.stdout
    assert sorted(p.name for p in data.iterdir()) == ["homelab.db"]  # no lock file left

    *exports, serve = start.strip().splitlines()
    assert serve == "homelab-cmd serve"
    env = dict(re.findall(r"^export (\w+)='([^']*)'", "\n".join(exports), re.MULTILINE))
    assert env == {"HOMELAB_CMD_LEGACY_AGENT_KEY": "dev-key-change-me"}
    old_agent = {"X-API-Key": env["HOMELAB_CMD_LEGACY_AGENT_KEY"]}
    with running_hub(data, env) as (_, url):
        servers = httpx.get(f"{url}/api/v1/servers", headers=ADMIN).json()
        media = httpx.get(
            f"{url}/api/v1/servers/omv-mediaserver/filesystems/metrics",
            params={"mount_point": "/srv/media", "range": "7d"},
            headers=ADMIN,
        ).json()
        beat = httpx.post(
            f"{url}/api/v1/agents/heartbeat",
            json={"server_id": "pihole", "hostname": "pihole",
                  "timestamp": datetime.now(UTC).isoformat()},
            headers=old_agent,
        )  # fmt: skip
        # Step 4: the server's own code enrolls the host as that server.
        code = httpx.post(f"{url}/api/v1/servers/pihole/token", headers=ADMIN).json()["code"]
        enrolled = httpx.post(
            f"{url}/api/v1/agents/enroll", json={"code": code, "hostname": "pihole"}
        )
        after = httpx.post(
            f"{url}/api/v1/agents/heartbeat",
            json={"server_id": "pihole", "hostname": "pihole",
                  "timestamp": datetime.now(UTC).isoformat()},
            headers=old_agent,
        )  # fmt: skip

    names = {s["id"]: s["display_name"] for s in servers["data"]}
    assert names == {"omv-mediaserver": "Media Server", "pihole": None,
                     "proxmox-1": "Proxmox node 1"}  # fmt: skip
    [series] = media["filesystems"]
    assert len(series["points"]) > 100
    assert beat.status_code == 200, beat.text
    assert enrolled.status_code == 201, enrolled.text
    assert enrolled.json()["server_id"] == "pihole"
    assert after.status_code == 403

"""`homelab-agent filesystems`, `--dry-run` and `--once`, run through the real entry point."""

import io
import json
from pathlib import Path

import httpx
import pytest

from homelab_agent.cli import display, main
from homelab_agent.filesystems.mounts import clean_text
from tests.agent.conftest import MOUNT_TABLES
from tests.agent.filesystems.test_filtering import CORPUS_EXPECTED
from tests.hub_process import API_KEY, free_port, running_hub

NO_CONFIG = {"HOMELAB_AGENT_CONFIG": "", "HOMELAB_AGENT_SERVER_ID": "cli-test"}


def _run(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), env=NO_CONFIG, out=out) == 0
    return out.getvalue()


@pytest.mark.parametrize(("name", "expected"), sorted(CORPUS_EXPECTED.items()))
def test_filesystems_json_from_a_mount_table_lists_the_kept_ones(
    name: str, expected: list[str]
) -> None:
    rows = json.loads(_run("filesystems", "--json", "--mount-table", str(MOUNT_TABLES / name)))
    # The JSON carries the cleaned text: U+FFFD for bytes that are not UTF-8, never a surrogate.
    assert [r["mount_point"] for r in rows] == [clean_text(e) for e in expected]
    assert all({"mount_point", "device", "fs_type"} <= set(r) for r in rows)
    assert all("total_bytes" not in r for r in rows)  # no statvfs with --mount-table


def test_explain_lists_every_mount_with_kept_or_a_reason() -> None:
    path = MOUNT_TABLES / "gentoo_docker_aufs_vfat_xfs_ntfs.mountinfo"
    text = _run("filesystems", "--explain", "--mount-table", str(path))
    lines = text.splitlines()
    assert len(lines) == 1 + 222  # header plus one line per mount
    assert any(line.startswith("KEPT") and "/media/REMOVE ME" in line for line in lines)
    assert any("virtual filesystem type aufs" in line for line in lines)


def test_explain_json_carries_the_reason() -> None:
    path = MOUNT_TABLES / "wsl2_ubuntu.mounts"
    rows = json.loads(_run("filesystems", "--explain", "--json", "--mount-table", str(path)))
    by_mount = {r["mount_point"]: r for r in rows}
    assert by_mount["/init"]["reason"] == "9p share that is not a WSL Windows drive"
    assert by_mount["/mnt/c"]["kept"] is True


def test_paths_with_control_characters_stay_on_one_line() -> None:
    assert display("/tmp/a\nb\tc\\d") == "/tmp/a\\012b\\011c\\134d"


def test_filesystems_of_this_machine_include_root_with_sizes() -> None:
    rows = json.loads(_run("filesystems", "--json"))
    root = next(r for r in rows if r["mount_point"] == "/")
    assert root["total_bytes"] > 0
    assert root["state"] == "ok"


def test_dry_run_prints_one_heartbeat_and_sends_nothing() -> None:
    body = json.loads(_run("--once", "--dry-run"))
    assert body["server_id"] == "cli-test"
    assert body["metrics"]["memory_total_mb"] > 0
    assert any(fs["mount_point"] == "/" for fs in body["filesystems"])


def test_bad_config_exits_with_status_2() -> None:
    out = io.StringIO()
    assert main(["--once"], env={"HOMELAB_AGENT_INTERVAL": "-1"}, out=out) == 2


def test_sending_without_an_api_key_is_refused() -> None:
    out = io.StringIO()
    assert main(["--once"], env=NO_CONFIG, out=out) == 2


def test_explain_of_a_hostile_table_is_valid_utf8_without_surrogates() -> None:
    text = _run(
        "filesystems", "--explain", "--json", "--mount-table",
        str(MOUNT_TABLES / "synthetic_hostile_lines.mountinfo"),
    )  # fmt: skip
    text.encode("utf-8")  # a lone surrogate would raise here
    reasons = {r["mount_point"]: r["reason"] for r in json.loads(text)}
    assert "\x00" not in "".join(reasons)
    assert reasons["/srv/ok"] == "KEPT"


def _once_env(url: str, key: str, spool: Path) -> dict[str, str]:
    return {
        "HOMELAB_AGENT_CONFIG": "",
        "HOMELAB_AGENT_SERVER_ID": "cli-once",
        "HOMELAB_AGENT_HUB_URL": url,
        "HOMELAB_AGENT_API_KEY": key,
        "HOMELAB_AGENT_SPOOL_DIR": str(spool),
        "HOMELAB_AGENT_RETRIES": "0",
    }


def test_once_says_what_it_sent_and_that_the_hub_stored_it(tmp_path: Path) -> None:
    out = io.StringIO()
    old_key = "dev-key-change-me"
    with running_hub(tmp_path / "data", {"HOMELAB_CMD_LEGACY_AGENT_KEY": old_key}) as (_, url):
        status = main(["--once"], env=_once_env(url, old_key, tmp_path / "spool"), out=out)
        server = httpx.get(
            f"{url}/api/v1/servers/cli-once", headers={"Authorization": f"Bearer {API_KEY}"}
        ).json()

    count = len(server["filesystems"])
    assert status == 0
    noun = "filesystem" if count == 1 else "filesystems"
    assert out.getvalue() == f"sent heartbeat for cli-once ({count} {noun}): stored\n"
    assert count >= 1


def test_once_with_the_hub_away_keeps_the_heartbeat_and_fails(tmp_path: Path) -> None:
    env = _once_env(f"http://127.0.0.1:{free_port()}", "a-key-0123456789abcdef", tmp_path / "s")
    first, second = io.StringIO(), io.StringIO()

    assert main(["--once"], env=env, out=first) == 1
    assert main(["--once"], env=env, out=second) == 1

    line = first.getvalue()
    assert line.startswith("heartbeat for cli-once (")
    assert "not sent: hub unreachable (ConnectError" in line
    assert line.endswith("kept in spool (1 waiting)\n")
    assert second.getvalue().endswith("kept in spool (2 waiting)\n")
    assert len(list((tmp_path / "s").glob("0*.json"))) == 2


def test_once_with_a_key_the_hub_refuses_says_so_and_fails(tmp_path: Path) -> None:
    out = io.StringIO()
    with running_hub(tmp_path / "data") as (_, url):
        status = main(
            ["--once"], env=_once_env(url, "not-a-key-0123456789", tmp_path / "s"), out=out
        )

    assert status == 1
    assert "not sent: the hub refused this agent's key (HTTP 401" in out.getvalue()
    assert out.getvalue().endswith("kept in spool (1 waiting)\n")

"""The config file, its permissions and the spool, on real files."""

import os
import time
from pathlib import Path

import pytest
import yaml

from homelab_agent.config import AgentConfig
from homelab_agent.doctor import local
from homelab_agent.doctor.command import load

TOKEN = "hlt_" + "a" * 40


def _write(path: Path, data: dict[str, object], mode: int) -> Path:
    path.write_text(yaml.safe_dump(data))
    path.chmod(mode)
    return path


def test_no_config_at_all_says_the_host_is_not_enrolled_and_how_to_enroll(
    tmp_path: Path,
) -> None:
    missing = tmp_path / "config.yaml"

    finding = local.check_config(missing, AgentConfig(), None, {})

    assert finding.status == "problem"
    assert f"no config file at {missing}" in finding.message
    assert "not enrolled" in finding.message
    assert "homelab-agent enroll HUB_URL CODE" in finding.fix[0]


def test_settings_from_the_environment_alone_are_enough(tmp_path: Path) -> None:
    env = {"HOMELAB_AGENT_HUB_URL": "http://hub.lan:8080", "HOMELAB_AGENT_API_KEY": TOKEN}
    setup = load(None, env)
    assert setup.config is not None

    finding = local.check_config(tmp_path / "none.yaml", setup.config, None, env)

    assert finding.status == "ok"
    assert "HOMELAB_AGENT_API_KEY, HOMELAB_AGENT_HUB_URL" in finding.message
    assert "hub http://hub.lan:8080" in finding.message


def test_a_config_the_agent_refuses_is_a_problem_naming_the_key(tmp_path: Path) -> None:
    path = _write(tmp_path / "c.yaml", {"interval": "soon"}, 0o600)

    setup = load(path, {})
    finding = local.check_config(path, setup.config, setup.error, {})

    assert setup.config is None
    assert finding.status == "problem"
    assert "interval: 'soon' is not valid" in finding.message


def test_a_named_config_that_does_not_exist_is_a_problem(tmp_path: Path) -> None:
    setup = load(tmp_path / "nope.yaml", {})

    finding = local.check_config(setup.path, setup.config, setup.error, {})

    assert finding.status == "problem"
    assert "does not exist" in finding.message


@pytest.mark.parametrize(
    ("mode", "token", "status", "words"),
    [
        (0o600, True, "ok", "readable by its owner only (mode 600)"),
        (0o644, False, "ok", "(mode 644) holds no token"),
        (0o644, True, "warning", "other users may read it (mode 644)"),
        (0o666, True, "warning", "writable by other users (mode 666)"),
    ],
)
def test_config_permissions(
    tmp_path: Path, mode: int, token: bool, status: str, words: str
) -> None:
    data: dict[str, object] = {"hub_url": "http://hub.lan:8080"}
    if token:
        data["api_key"] = TOKEN
    path = _write(tmp_path / "config.yaml", data, mode)

    finding = local.check_permissions(path)

    assert (finding.status, words in finding.message) == (status, True), finding
    if status == "warning":
        assert finding.fix == (f"`chmod 600 {path}`",)


def test_a_spool_not_created_yet_holds_nothing(tmp_path: Path) -> None:
    finding = local.check_spool(AgentConfig(spool_dir=tmp_path / "spool"))

    assert (finding.status, "nothing waiting" in finding.message) == ("ok", True)


def test_an_empty_spool_means_everything_was_delivered(tmp_path: Path) -> None:
    finding = local.check_spool(AgentConfig(spool_dir=tmp_path))

    assert finding.message == "empty: every heartbeat has reached the hub"


def _spooled(directory: Path, count: int, age_seconds: float) -> None:
    stamp = time.time() - age_seconds
    for i in range(count):
        path = directory / f"{i + 1:020d}.json"
        path.write_text("{}")
        os.utime(path, (stamp, stamp))
    (directory / "stuck-mounts.json").write_text("{}")  # not a heartbeat


def test_a_fresh_backlog_is_delivery_keeping_up(tmp_path: Path) -> None:
    _spooled(tmp_path, 2, 30)

    finding = local.check_spool(AgentConfig(spool_dir=tmp_path, interval=60))

    assert finding.status == "ok"
    assert finding.message == "2 heartbeats waiting, the oldest 30 s old: delivery is keeping up"


def test_an_old_backlog_says_the_hub_has_not_taken_them(tmp_path: Path) -> None:
    _spooled(tmp_path, 3, 2 * 3600)

    finding = local.check_spool(AgentConfig(spool_dir=tmp_path, interval=60))

    assert finding.status == "warning"
    assert finding.message.startswith("3 heartbeats waiting, the oldest 2 h old")


def test_a_nearly_full_spool_warns_that_the_oldest_will_go(tmp_path: Path) -> None:
    _spooled(tmp_path, 10, 10)

    finding = local.check_spool(AgentConfig(spool_dir=tmp_path, spool_max_files=10))

    assert finding.status == "warning"
    assert "nearly full (10 files)" in finding.message


def test_the_spool_check_changes_nothing(tmp_path: Path) -> None:
    spool = tmp_path / "spool"
    spool.mkdir(mode=0o755)
    _spooled(spool, 1, 10)
    before = sorted(p.name for p in spool.iterdir()), spool.stat().st_mode

    local.check_spool(AgentConfig(spool_dir=spool))

    assert (sorted(p.name for p in spool.iterdir()), spool.stat().st_mode) == before

"""Config: defaults, YAML, HOMELAB_AGENT_* variables on top, validation."""

from pathlib import Path

import pytest

from homelab_agent.config import (
    DEFAULT_EXCLUDE_FS_TYPES,
    AgentConfig,
    ConfigError,
    load_config,
    slugify_hostname,
)

MISSING = Path("/nonexistent/homelab-agent.yaml")


@pytest.mark.parametrize(
    ("hostname", "slug"),
    [
        ("nas", "nas"),
        ("Pi-4.local", "pi-4-local"),
        ("My_Server 01", "my-server-01"),
        ("--odd--", "odd"),
        ("日本", "host"),
    ],
)
def test_server_id_defaults_to_a_slug_of_the_hostname(hostname: str, slug: str) -> None:
    assert slugify_hostname(hostname) == slug


def test_defaults_apply_without_a_config_file(tmp_path: Path) -> None:
    config = load_config(None, {"HOMELAB_AGENT_CONFIG": ""}, hostname="Box.lan")
    assert config.server_id == "box-lan"
    assert config.interval == 60.0
    assert config.statvfs_timeout == 5.0
    assert config.proc_root == Path("/proc")
    assert config.exclude_fs_types == DEFAULT_EXCLUDE_FS_TYPES


def test_yaml_file_sets_keys(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "hub_url: http://hub:8080\n"
        "api_key: from-yaml-0123456789\n"
        "interval: 30\n"
        "spool_dir: /var/spool/agent\n"
        "exclude_mount_patterns: ['/srv/.disks/*']\n"
        "disabled_collectors: [os_info]\n"
        "future_key: ignored\n"
    )
    config = load_config(path, {}, hostname="nas")
    assert config.hub_url == "http://hub:8080"
    assert config.interval == 30.0
    assert config.spool_dir == Path("/var/spool/agent")
    assert config.exclude_mount_patterns == ("/srv/.disks/*",)
    assert config.disabled_collectors == ("os_info",)
    assert config.extra == {"future_key": "ignored"}


def test_environment_overrides_yaml(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("api_key: from-yaml-0123456789\ninterval: 30\n")
    env = {
        "HOMELAB_AGENT_CONFIG": str(path),
        "HOMELAB_AGENT_API_KEY": "from-env-0123456789",
        "HOMELAB_AGENT_INTERVAL": "15",
        "HOMELAB_AGENT_SERVER_ID": "rack-1",
        "HOMELAB_AGENT_PROC_ROOT": "/host/proc",
        "HOMELAB_AGENT_EXCLUDE_FS_TYPES": "tmpfs, proc",
        "HOMELAB_AGENT_STATVFS_TIMEOUT": "2.5",
    }
    config = load_config(None, env, hostname="nas")
    assert config.api_key == "from-env-0123456789"
    assert config.interval == 15.0
    assert config.server_id == "rack-1"
    assert config.proc_root == Path("/host/proc")
    assert config.exclude_fs_types == ("tmpfs", "proc")
    assert config.statvfs_timeout == 2.5


def test_cli_path_wins_over_the_environment_path(tmp_path: Path) -> None:
    chosen = tmp_path / "a.yaml"
    chosen.write_text("server_id: chosen\n")
    other = tmp_path / "b.yaml"
    other.write_text("server_id: other\n")
    config = load_config(chosen, {"HOMELAB_AGENT_CONFIG": str(other)}, hostname="x")
    assert config.server_id == "chosen"


@pytest.mark.parametrize(
    ("yaml_text", "env", "message"),
    [
        ("", {"HOMELAB_AGENT_SERVER_ID": "Not A Slug"}, "server_id"),
        ("", {"HOMELAB_AGENT_INTERVAL": "0"}, "interval"),
        ("", {"HOMELAB_AGENT_INTERVAL": "soon"}, "interval"),
        ("- a\n- b\n", {}, "mapping"),
        ("key: [unclosed\n", {}, "YAML"),
    ],
)
def test_bad_config_is_refused_with_the_key_named(
    tmp_path: Path, yaml_text: str, env: dict[str, str], message: str
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(yaml_text)
    with pytest.raises(ConfigError, match=message):
        load_config(path, env, hostname="nas")


def test_config_that_is_not_utf8_is_refused_not_crashed_on(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_bytes(b"hub_url: http://hub\xff\xfe:8080\n")
    with pytest.raises(ConfigError, match="unreadable"):
        load_config(path, {}, hostname="nas")


def test_named_config_file_must_exist() -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(MISSING, {}, hostname="nas")


def test_dataclass_defaults_are_the_documented_ones() -> None:
    assert AgentConfig().spool_dir == Path("/var/lib/homelab-agent/spool")

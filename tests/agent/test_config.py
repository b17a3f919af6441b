"""Config: defaults, YAML, HOMELAB_AGENT_* variables on top, validation."""

import logging
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_type_hints

import pytest

from homelab_agent.config import (
    CONVERTERS,
    DEFAULT_EXCLUDE_FS_TYPES,
    KEYS,
    AgentConfig,
    ConfigError,
    converters,
    load_config,
    slugify_hostname,
)

MISSING = Path("/nonexistent/homelab-agent.yaml")
EXAMPLE_CONFIG = Path(__file__).parents[2] / "deploy" / "config.example.yaml"


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
    )
    config = load_config(path, {}, hostname="nas")
    assert config.hub_url == "http://hub:8080"
    assert config.interval == 30.0
    assert config.spool_dir == Path("/var/spool/agent")
    assert config.exclude_mount_patterns == ("/srv/.disks/*",)
    assert config.disabled_collectors == ("os_info",)


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
        ("retries: many\n", {}, "retries"),
        ("exclude_fs_types: 5\n", {}, "exclude_fs_types"),
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


def _warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_a_misspelled_key_in_the_config_file_is_warned_about_by_name(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("hub_url: http://hub:8080\nintervall: 30\n")

    with caplog.at_level(logging.WARNING):
        config = load_config(path, {}, hostname="nas")

    assert _warnings(caplog) == [
        f"config file {path}: unknown key intervall ignored (did you mean interval?)"
    ]
    assert config.interval == 60.0  # ignored, as before
    assert config.hub_url == "http://hub:8080"


def test_an_unknown_key_like_no_setting_is_named_without_a_guess(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("future_key: ignored\n")

    with caplog.at_level(logging.WARNING):
        load_config(path, {}, hostname="nas")

    assert _warnings(caplog) == [f"config file {path}: unknown key future_key ignored"]


def test_a_misspelled_environment_variable_is_warned_about_by_name(
    caplog: pytest.LogCaptureFixture,
) -> None:
    env = {
        "HOMELAB_AGENT_CONFIG": "",
        "HOMELAB_AGENT_SPOOL_DIRECTORY": "/srv/spool",
        "HOMELAB_AGENT_interval": "5",
        "HOMELAB_AGENT_RETRIES": "1",
        "HOMELAB_CMD_DATA_DIR": "/srv/hub",  # the hub's, not the agent's
    }

    with caplog.at_level(logging.WARNING):
        config = load_config(None, env, hostname="nas")

    assert sorted(_warnings(caplog)) == [
        "environment variable HOMELAB_AGENT_SPOOL_DIRECTORY is not a setting, ignored"
        " (did you mean HOMELAB_AGENT_SPOOL_DIR?)",
        "environment variable HOMELAB_AGENT_interval is not a setting, ignored"
        " (did you mean HOMELAB_AGENT_INTERVAL?)",
    ]
    assert (config.retries, config.interval) == (1, 60.0)


def test_every_key_of_the_example_config_is_a_setting(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The shipped example with every commented-out key and list item switched on.
    text = re.sub(r"(?m)^# (?=[a-z_]+:|  - )", "", EXAMPLE_CONFIG.read_text())
    path = tmp_path / "config.yaml"
    path.write_text(text)

    with caplog.at_level(logging.WARNING):
        config = load_config(path, {}, hostname="nas")

    assert _warnings(caplog) == []
    assert config.server_id == "nas-01"
    assert config.exclude_mount_patterns == ("/srv/.disks/*",)


def test_the_example_config_names_every_setting() -> None:
    # Each key, set or commented out with its default, so the file is the list of settings.
    named = set(re.findall(r"(?m)^(?:# )?([a-z_]+):", EXAMPLE_CONFIG.read_text()))

    assert [key for key in KEYS if key not in named] == []


# One example per field type: (environment string, YAML value, the value read from both).
EXAMPLES: dict[Any, tuple[str, object, object]] = {
    str: ("nas-01", "nas-01", "nas-01"),
    int: ("42", 42, 42),
    float: ("2.5", 2.5, 2.5),
    Path: ("/srv/spool", "/srv/spool", Path("/srv/spool")),
    tuple[str, ...]: ("tmpfs, ,proc ", ["tmpfs", "proc"], ("tmpfs", "proc")),
}


@pytest.mark.parametrize("key", KEYS)
def test_every_setting_is_read_by_its_type_from_the_environment_and_from_yaml(key: str) -> None:
    env_text, yaml_value, expected = EXAMPLES[get_type_hints(AgentConfig)[key]]
    assert CONVERTERS[key](env_text) == expected
    assert CONVERTERS[key](yaml_value) == expected


def test_a_whole_number_in_yaml_reads_as_a_float_and_nothing_as_an_empty_text() -> None:
    assert CONVERTERS["interval"](30) == 30.0
    assert CONVERTERS["hub_url"](None) == ""
    assert CONVERTERS["exclude_mount_patterns"](None) == ()


@dataclass(frozen=True)
class _Switches:
    verbose: bool = False


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("true", True), ("Yes", True), ("1", True), ("on", True), (True, True), (1, True),
        ("false", False), ("NO", False), ("0", False), ("off", False), ("", False), (False, False),
    ],
)  # fmt: skip
def test_a_true_or_false_setting_reads_the_usual_spellings(value: object, expected: bool) -> None:
    assert converters(_Switches)["verbose"](value) is expected


def test_a_true_or_false_setting_refuses_anything_else() -> None:
    with pytest.raises(ValueError, match="expected true or false"):
        converters(_Switches)["verbose"]("maybe")


def test_a_field_of_a_type_the_config_cannot_read_fails_at_once() -> None:
    @dataclass
    class Odd:
        limits: dict[str, int]

    with pytest.raises(TypeError, match="dict"):
        converters(Odd)


def test_a_bad_value_names_the_key_the_value_and_the_reason(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("interval: soon\n")
    message = "interval: 'soon' is not valid (could not convert string to float: 'soon')"
    with pytest.raises(ConfigError) as raised:
        load_config(path, {}, hostname="nas")
    assert str(raised.value) == message

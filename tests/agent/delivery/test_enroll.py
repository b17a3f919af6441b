"""`homelab-agent enroll` against a real hub: the config it writes, and what it refuses."""

import stat
from pathlib import Path

import httpx
import pytest
import yaml

from homelab_agent.cli import main
from homelab_agent.config import load_config
from tests.hub_process import API_KEY, running_hub

ADMIN = {"Authorization": f"Bearer {API_KEY}"}


def _code(url: str, server_id: str | None = None) -> str:
    """A plain code, or with `server_id` the rotation code that re-enrolls that server."""
    path = f"/api/v1/servers/{server_id}/token" if server_id else "/api/v1/enrollments"
    code: str = httpx.post(f"{url}{path}", headers=ADMIN).json()["code"]
    return code


def test_enroll_writes_a_private_config_and_keeps_identity_and_settings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    config = tmp_path / "etc" / "config.yaml"
    with running_hub(data) as (_, url):
        first = main(["enroll", url, _code(url), "--config", str(config), "--hostname", "Pi 4"])
        written = yaml.safe_load(config.read_text())
        # A setting the user added survives enrolling again; the identity does too. An enrolled
        # host re-enrolls with its server's rotation code: a plain code is refused (409) and
        # leaves the config as it was.
        config.write_text(yaml.safe_dump({**written, "interval": 15}))
        plain = main(["enroll", url, _code(url), "--config", str(config), "--hostname", "Pi 4"])
        kept = yaml.safe_load(config.read_text())
        rotation = _code(url, written["server_id"])
        second = main(["enroll", url, rotation, "--config", str(config), "--hostname", "Pi 4"])
        again = yaml.safe_load(config.read_text())
        refused = main(["enroll", url, "hle_not-a-code", "--config", str(config)])
        servers = httpx.get(f"{url}/api/v1/servers", headers=ADMIN).json()

    assert (first, plain, second, refused) == (0, 1, 0, 1)
    assert kept == {**written, "interval": 15}
    assert "Enrolled as pi-4 (Pi 4)" in capsys.readouterr().out
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert again["server_id"] == written["server_id"] == "pi-4"
    assert again["server_guid"] == written["server_guid"]
    assert again["api_key"] != written["api_key"]
    assert again["interval"] == 15
    assert servers["count"] == 1
    assert "unknown, already used or expired" in caplog.text
    # The refused attempt left the working config as it was.
    assert yaml.safe_load(config.read_text()) == again
    loaded = load_config(config, {})
    assert (loaded.server_id, loaded.api_key) == ("pi-4", again["api_key"])


def test_enroll_over_plain_http_to_another_machine_warns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Nothing listens on this TEST-NET address; the warning comes before the attempt.
    code = main(["enroll", "http://192.0.2.1:9", "hle_x", "--config", str(tmp_path / "c.yaml")])

    assert code == 1
    assert "over plain http" in caplog.text
    assert not (tmp_path / "c.yaml").exists()


def test_enroll_refuses_what_is_not_a_hub_url(tmp_path: Path) -> None:
    assert main(["enroll", "hub.lan:8080", "hle_x", "--config", str(tmp_path / "c.yaml")]) == 1


@pytest.mark.parametrize("content", [b"- a list\n", b"key: [unclosed\n", b"\xff\xfe"])
def test_enroll_refuses_to_overwrite_a_config_it_cannot_read(
    tmp_path: Path, content: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    # Read before the hub is asked, so no code is spent on a host whose config would be lost.
    path = tmp_path / "c.yaml"
    path.write_bytes(content)
    assert main(["enroll", "http://127.0.0.1:9", "hle_x", "--config", str(path)]) == 1
    assert "cannot use the existing config" in caplog.text
    assert path.read_bytes() == content


def test_enroll_over_https_trusts_the_first_certificate_and_pins_it(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    config = tmp_path / "config.yaml"
    with running_hub(data, {"HOMELAB_CMD_TLS": "self-signed"}) as (_, url):
        code = httpx.post(f"{url}/api/v1/enrollments", headers=ADMIN, verify=False).json()["code"]
        assert main(["enroll", url, code, "--config", str(config)]) == 0

    written = yaml.safe_load(config.read_text())
    assert written["hub_url"].startswith("https://")
    assert written["tls_fingerprint"] in caplog.text
    assert "on first use" in caplog.text
    assert load_config(config, {}).tls_pinned_cert == written["tls_pinned_cert"]

"""Adding a host as a user does: the install command from the hub, run against a scratch root.

A real hub process builds and serves the agent wheel; install.sh makes a virtualenv, installs
the wheel with the pinned dependencies (from the package index, as on a real host), enrolls and
writes the unit. `--root` keeps it all inside a temporary folder and starts nothing; the agent
from that virtualenv then sends a heartbeat with the token enrollment gave it.
"""

import http.client
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml
from pydantic import ValidationError

from homelab_cmd.config import Settings
from homelab_cmd.services.enrollment.agent_bundle import render_install_script
from tests.hub_process import API_KEY, running_hub

ADMIN = {"Authorization": f"Bearer {API_KEY}"}


def test_the_install_command_installs_enrolls_and_the_agent_reports(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    root = tmp_path / "root"
    with running_hub(data) as (_, url):
        created = httpx.post(f"{url}/api/v1/enrollments", headers=ADMIN, timeout=30).json()
        command = created["install_command"]
        # Root needs no sudo: a sudo that would refuse is on PATH, and must never be asked.
        path = f"{_refusing_sudo(tmp_path, tmp_path / 'sudo.log')}:{os.environ['PATH']}"
        installed = subprocess.run(
            ["sh", "-c", f"{command} --root {root} --python {sys.executable} --hostname-unused"],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert installed.returncode != 0  # an unknown option is refused before anything
        assert "unknown option --hostname-unused" in installed.stderr
        installed = subprocess.run(
            ["sh", "-c", f"{command} --root {root} --python {sys.executable} --drive-health"],
            env={**os.environ, "PATH": path},
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert installed.returncode == 0, installed.stdout + installed.stderr

        config_path = root / "etc" / "homelab-agent" / "config.yaml"
        config = yaml.safe_load(config_path.read_text())
        env = {k: v for k, v in os.environ.items() if not k.startswith("HOMELAB_AGENT_")}
        beat = subprocess.run(
            [
                str(root / "opt" / "homelab-agent" / "bin" / "homelab-agent"),
                "--config",
                str(config_path),
                "--once",
            ],
            env={**env, "HOMELAB_AGENT_SPOOL_DIR": str(tmp_path / "spool")},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        server = httpx.get(f"{url}/api/v1/servers/{config['server_id']}", headers=ADMIN).json()
        reused = httpx.post(
            f"{url}/api/v1/agents/enroll", json={"code": created["code"], "hostname": "x"}
        )

    assert stat.S_IMODE(config_path.stat().st_mode) == 0o600
    assert config["hub_url"] == url
    assert config["api_key"].startswith("hlc_")
    assert config["api_key"] != API_KEY
    assert config["server_guid"]
    unit = (root / "etc" / "systemd" / "system" / "homelab-agent.service").read_text()
    assert "ExecStart=/opt/homelab-agent/bin/homelab-agent --config" in unit
    assert (root / "opt" / "homelab-agent" / "bin" / "homelab-agent").is_file()
    # The comment above ExecStart tells the truth about a unit install.sh wrote.
    above = unit.split("\nExecStart=")[0].rsplit("\n", 2)[-2:]
    assert "install.sh's venv (/opt/homelab-agent/bin unless --prefix)" in " ".join(above)
    dropin = root / "etc" / "systemd" / "system" / "homelab-agent.service.d" / "drive-health.conf"
    assert _settings(dropin.read_text()) == _settings(DRIVE_HEALTH_DROPIN.read_text())
    assert beat.returncode == 0, beat.stderr
    assert not (tmp_path / "sudo.log").exists()
    assert "sudo" not in installed.stdout + installed.stderr
    assert server["latest_metrics"] is not None
    assert server["display_name"] == server["hostname"]
    assert reused.status_code == 401


HOSTILE_PUBLIC_URLS = [
    "http://hub.lan/$(touch /tmp/pwned)",
    "http://hub.lan/`id`",
    "http://hub.lan;reboot",
    "http://hub.lan|sh",
    "http://hub.lan/a&b",
    "http://hub.lan/'x'",
    'http://hub.lan/"x"',
    "http://hub.lan/a b",
    "http://hub.lan/a\nreboot",
    "http://hub.lan/a\\b",
    "http://hub.lan/(x)",
    "http://hub.lan/<x>",
    "http://hub.lan/?q=1",
    "http://hub.lan/*",
    "http://user:pw@hub.lan",
    "http://hub.lan:99999",
    "http://hub.lan:65536",
    "http://hub.lan:0",
    "ftp://hub.lan",
    "hub.lan:8080",
    "http://hub.lan/{a,b}",
    "http://hub.lan/!x",
    "http://hub.lan/#x",
    "http://hub.lan/^x",
    "http://hub.lan/a\tb",
    "http://hub_lan/$HOME",
    "http://~root/hub",
    "http://-hub.lan",
    "http://hub..lan/a;b",
    "http://[fe80::1%eth0]",
    "http://[fe80::1%25eth0;id]",
    "http://[fe80::1%25]",
    "http://hub.lan/~$(id)",
]


@pytest.mark.parametrize("value", HOSTILE_PUBLIC_URLS)
def test_settings_refuse_a_public_url_a_shell_would_read_as_more_than_a_word(value: str) -> None:
    with pytest.raises(ValidationError, match="HOMELAB_CMD_PUBLIC_URL must be"):
        Settings(public_url=value)


@pytest.mark.parametrize(
    "value",
    [
        "http://hub.lan:8080",
        "https://hub.example.com/homelab",
        "http://[fd00::2]:8080",
        "https://hub.lan/a%20b+c=d,e@f:g/",
        "http://homelab_hub:8080",  # a Docker Compose service name
        "http://a_b.example.com",
        "http://nas.lan.",  # a fully qualified name, trailing dot
        "http://nas.lan.:8080/",
        "https://host/~user/hub",
        "http://[fe80::1%25eth0]",  # an IPv6 zone, as RFC 6874 writes it
        "http://[fe80::1%25eth0]:8080/hub",
        "HTTP://nas",
        "Https://NAS.lan:65535",
        "http://10.0.0.5:1",
    ],
)
def test_settings_take_a_plain_public_url(value: str) -> None:
    assert Settings(public_url=value).public_url == value.rstrip("/")


# Without PUBLIC_URL the install command names the address the request came to, by the same
# rule as PUBLIC_URL; one the rule (or Starlette's reading of Host) refuses gives way to the
# address the hub listens on.
REQUEST_HOSTS = [
    ("homelab_hub:8080", "http://homelab_hub:8080"),
    ("nas.lan.", "http://nas.lan."),
    ("a_b.example.com:8443", "http://a_b.example.com:8443"),
    ("hub.lan:99999", None),
    ("hub.lan:0", None),
    ("$(id)", None),
    ("hub.lan;id", None),
    ("hub.lan`id`", None),
]


def _install_command_for_host(url: str, host: str) -> str:
    """POST /enrollments with a Host header exactly as given (httpx would rewrite some)."""
    parts = httpx.URL(url)
    connection = http.client.HTTPConnection(parts.host, parts.port, timeout=30)
    try:
        connection.putrequest("POST", "/api/v1/enrollments", skip_host=True)
        connection.putheader("Host", host)
        connection.putheader("Authorization", f"Bearer {API_KEY}")
        connection.putheader("Content-Length", "0")
        connection.endheaders()
        answer = connection.getresponse()
        body = json.loads(answer.read())
    finally:
        connection.close()
    assert answer.status == 201, body
    return str(body["install_command"])


def test_the_install_command_names_the_requests_host_only_by_the_public_url_rule(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    with running_hub(data) as (_, url):
        commands = {host: _install_command_for_host(url, host) for host, _ in REQUEST_HOSTS}

    for host, hub_url in REQUEST_HOSTS:
        assert commands[host].startswith(f"curl -fsSL {hub_url or url}/install.sh |"), host


def _run_until_python(script: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    # -x traces the assignments; a missing Python stops it before anything is downloaded.
    return subprocess.run(
        ["sh", "-x", str(script), "--code", "c", "--python", str(tmp_path / "no-python")],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
        cwd=tmp_path,
    )


@pytest.mark.parametrize(
    "hub_url",
    [
        "http://hub.lan/$(touch pwned)",
        "http://hub.lan/`touch pwned`",
        "http://hub.lan/'; touch pwned; '",
        'http://hub.lan/"; touch pwned; "',
    ],
)
def test_the_install_script_never_runs_what_its_hub_address_holds(
    hub_url: str, tmp_path: Path
) -> None:
    # Settings refuse these; the script quotes the address anyway, as a second wall.
    script = tmp_path / "install.sh"
    script.write_text(render_install_script(hub_url, "homelab_agent-1-py3-none-any.whl", None))

    syntax = subprocess.run(["sh", "-n", str(script)], capture_output=True, check=False)
    ran = _run_until_python(script, tmp_path)

    assert syntax.returncode == 0, syntax.stderr
    assert ran.returncode != 0
    assert "no-python not found" in ran.stderr
    assert not (tmp_path / "pwned").exists()


def test_a_hub_serves_install_sh_with_its_public_url_as_one_literal_word(tmp_path: Path) -> None:
    public_url = "https://hub.lan:8443/a%20b+c=d,e@f:g"
    data = tmp_path / "data"
    data.mkdir()
    with running_hub(data, {"HOMELAB_CMD_PUBLIC_URL": public_url}) as (_, url):
        served = httpx.get(f"{url}/install.sh", timeout=60)
    assert served.status_code == 200, served.text
    script = tmp_path / "install.sh"
    script.write_text(served.text)

    ran = _run_until_python(script, tmp_path)

    assert subprocess.run(["sh", "-n", str(script)], check=False).returncode == 0
    assert f"+ HUB={public_url}\n" in ran.stderr
    assert sorted(tmp_path.iterdir()) == sorted([data, script, *tmp_path.glob("hub-*.log")])


DRIVE_HEALTH_DROPIN = (
    Path(__file__).resolve().parents[2] / "deploy" / "homelab-agent-drive-health.conf"
)


def _settings(text: str) -> list[str]:
    """A unit file's section headers and settings, without comments and blank lines."""
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def test_install_sh_writes_the_drive_health_drop_in_only_when_asked() -> None:
    """The heredoc in install.sh and the shipped drop-in grant the same; without the option,
    the script writes no drop-in."""
    script = (
        Path(__file__).resolve().parents[2] / "backend" / "src" / "homelab_cmd" / "agent_install.sh"
    ).read_text()
    heredoc = script.split("<<'DROPIN'\n", 1)[1].split("\nDROPIN\n", 1)[0]
    guard = script.split("<<'DROPIN'", 1)[0].rsplit("\n", 4)
    assert _settings(heredoc) == _settings(DRIVE_HEALTH_DROPIN.read_text())
    assert any('if [ "$DRIVES" = 1 ]' in line for line in guard)


def _refusing_sudo(folder: Path, log: Path) -> Path:
    """A folder with a `sudo` that notes what it was asked to run and refuses it.

    A stand-in: the real sudo would ask for a password, then install into this machine's /.
    """
    bin_dir = folder / "sudo-bin"
    bin_dir.mkdir(exist_ok=True)
    sudo = bin_dir / "sudo"
    sudo.write_text(f'#!/bin/sh\necho "$*" >> {log}\nexit 1\n')
    sudo.chmod(0o755)
    return bin_dir


def _as_nobody(path: str, *args: str) -> subprocess.CompletedProcess[str]:
    """install.sh piped to sh as the unprivileged user `nobody`, as a non-root admin runs it."""
    script = render_install_script("http://127.0.0.1:9", "homelab_agent.whl", None)
    return subprocess.run(
        ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "sh", "-s", "--", *args],
        input=script,
        env={"PATH": path, "HOME": "/tmp", "LANG": "C.UTF-8"},
        cwd="/",
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def shared_tmp() -> Iterator[Path]:
    """A scratch folder `nobody` may enter (pytest's own sit below a 0700 folder of root's)."""
    folder = Path(tempfile.mkdtemp(prefix="install-sh-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder)


def test_install_sh_without_root_or_sudo_stops_before_doing_anything() -> None:
    ran = _as_nobody("/usr/bin:/bin", "--code", "hle_x", "--python", "/usr/bin/python3")

    assert ran.returncode == 1
    assert "run this as root (sudo is not installed)" in ran.stderr
    assert "Installing" not in ran.stdout
    assert not Path("/opt/homelab-agent").exists()


def test_install_sh_not_run_as_root_asks_sudo_for_what_it_installs(shared_tmp: Path) -> None:
    log = shared_tmp / "sudo.log"
    bin_dir = _refusing_sudo(shared_tmp, log)
    log.touch()
    log.chmod(0o666)

    ran = _as_nobody(f"{bin_dir}:/usr/bin:/bin", "--code", "hle_x", "--python", "/usr/bin/python3")

    assert ran.returncode == 1
    assert "Not root: the steps that install into / run through sudo" in ran.stdout
    assert log.read_text().splitlines() == ["/usr/bin/python3 -m venv /opt/homelab-agent"]
    assert "could not make a virtualenv" in ran.stderr


def test_install_sh_into_a_folder_of_ones_own_needs_no_sudo(shared_tmp: Path) -> None:
    log = shared_tmp / "sudo.log"
    bin_dir = _refusing_sudo(shared_tmp, log)
    root = shared_tmp / "own-root"
    root.mkdir()
    os.chown(root, 65534, 65534)

    ran = _as_nobody(
        f"{bin_dir}:/usr/bin:/bin",
        "--code", "hle_x", "--python", "/usr/bin/python3", "--root", str(root),
    )  # fmt: skip

    # It gets as far as downloading the wheel from a hub that is not there, without sudo.
    assert "could not download homelab_agent.whl" in ran.stderr
    assert not log.exists()
    assert (root / "opt" / "homelab-agent" / "bin" / "python").exists()

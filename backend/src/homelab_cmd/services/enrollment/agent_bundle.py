"""What the hub hands to a host being added: the agent wheel, its pins, its unit, install.sh."""

import ipaddress
import logging
import shlex
import subprocess
import sys
import threading
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from urllib.parse import urlsplit

from homelab_cmd import __version__, bundle
from homelab_cmd.errors import AgentWheelMissing

log = logging.getLogger(__name__)
SCRIPT_NAME = "agent_install.sh"


class AgentBundle:
    """Finds (or, in a checkout, builds once) the files `install.sh` downloads."""

    def __init__(self, build_dir: Path, wheel: Path | None = None) -> None:
        self._build_dir = build_dir
        self._wheel = wheel
        self._lock = threading.Lock()

    def wheel(self) -> Path:
        """The agent wheel of this hub's version; built from the checkout if there is none."""
        with self._lock:
            if self._wheel is None or not self._wheel.is_file():
                self._wheel = bundle.agent_wheel(__version__) or self._build()
            return self._wheel

    def _build(self) -> Path:
        source = bundle.agent_source()
        if source is None:
            raise AgentWheelMissing(
                "this hub has no agent wheel; install the hub from the wheel 'make dist' builds"
            )
        out = self._build_dir / __version__
        found = sorted(out.glob(f"homelab_agent-{__version__}-*.whl"))
        if found:
            return found[-1]
        out.mkdir(parents=True, exist_ok=True)
        log.info("building the agent wheel from %s into %s", source, out)
        done = subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(out), str(source)],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        found = sorted(out.glob(f"homelab_agent-{__version__}-*.whl"))
        if done.returncode != 0 or not found:
            log.error("building the agent wheel failed: %s", done.stderr.strip()[-2000:])
            raise AgentWheelMissing("the hub could not build the agent wheel; see its log")
        return found[-1]

    def file(self, name: str) -> Path:
        """A file `install.sh` asks for by name: the wheel, constraints.txt or the unit."""
        if name == "constraints.txt":
            path = bundle.agent_constraints()
        elif name == "homelab-agent.service":
            path = bundle.agent_unit()
        elif name.startswith("homelab_agent-") and name.endswith(".whl"):
            wheel = self.wheel()
            path = wheel if wheel.name == name else None
        else:
            path = None
        if path is None:
            raise AgentWheelMissing(f"the hub hands out no file {name!r}")
        return path


def install_script(hub_url: str, wheel_name: str, fingerprint: str, curl_pin: str) -> str:
    """install.sh with this hub's address, wheel name and (under TLS) certificate pins.

    Every value is checked or made by the hub (URL shape, hex fingerprint), so none can break
    out of its shell quotes; the address is single-quoted too, so no `$(...)` in it ever runs.
    """
    template = files("homelab_cmd").joinpath(SCRIPT_NAME).read_text(encoding="utf-8")
    return (
        template.replace("@HUB_URL@", shlex.quote(hub_url))
        .replace("@WHEEL@", wheel_name)
        .replace("@FINGERPRINT@", fingerprint)
        .replace("@CURL_PIN@", curl_pin)
    )


@dataclass(frozen=True, slots=True)
class CertificatePins:
    """How hosts recognise this hub's TLS certificate before they trust it.

    `fingerprint` (SHA-256 of the certificate, hex) is what the agent pins; `curl_pin` (SHA-256
    of its public key, base64) is what curl checks while fetching install.sh and the wheel.
    """

    fingerprint: str
    curl_pin: str

    def curl_options(self) -> str:
        # -k only skips the CA check; curl still refuses any key but the pinned one.
        return f"-k --pinnedpubkey sha256//{self.curl_pin}"


def install_commands(hub_url: str, code: str, pins: CertificatePins | None) -> tuple[str, str]:
    """The one-line install for a new host, and the enroll command for one with the agent."""
    curl = f"curl -fsSL {pins.curl_options()} " if pins else "curl -fsSL "
    install = f"{curl}{hub_url}/install.sh | sh -s -- --code {code}"
    enroll = f"sudo homelab-agent enroll {hub_url} {code}"
    if pins:
        enroll += f" --fingerprint {pins.fingerprint}"
    return install, enroll


def loopback_warning(hub_url: str) -> str | None:
    """Why the commands for `hub_url` cannot work from another host, when it names loopback."""
    host = urlsplit(hub_url).hostname or ""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost" or host.endswith(".localhost")
    if not loopback:
        return None
    return (
        f"These commands name {host}, which only this machine can reach. For another host, "
        "open this page at an address that host can reach, or start the hub with "
        "HOMELAB_CMD_HOST=0.0.0.0 and HOMELAB_CMD_PUBLIC_URL set to that address "
        "(such as http://hub.home.lan:8080), then make a new code."
    )


def render_install_script(hub_url: str, wheel_name: str, pins: CertificatePins | None) -> str:
    """install.sh for this hub."""
    if pins is None:
        return install_script(hub_url, wheel_name, "", "")
    return install_script(hub_url, wheel_name, pins.fingerprint, pins.curl_options())

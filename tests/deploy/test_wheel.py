"""The hub wheel from `make dist` is the whole hub: installed into a fresh virtualenv outside the
checkout, `homelab-cmd` serves the API and the web UI with no other step."""

import re
import subprocess
import venv
from pathlib import Path

import httpx
import pytest

from tests.processes import running_hub

# One worker runs this module, so its costly fixture is built once (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("wheel")
ROOT = Path(__file__).resolve().parents[2]
VERSION = (ROOT / "VERSION").read_text().strip()
API_KEY = "wheel-test-key-0123456789"


def _wheel(name: str) -> Path:
    wheel = ROOT / "dist" / f"{name}-{VERSION}-py3-none-any.whl"
    if not wheel.is_file():
        pytest.fail(f"{wheel.name} is not built: run 'make dist'")
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv, outside the checkout, with the hub and agent wheels installed."""
    env_dir = tmp_path_factory.mktemp("wheel") / "venv"
    venv.create(env_dir, with_pip=True)
    pip = [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q"]
    # The tested versions of the dependencies, as `make setup` installs them.
    constraints = ["-c", str(ROOT / "requirements" / "constraints.txt")]
    wheels = [str(_wheel("homelab_cmd")), str(_wheel("homelab_agent"))]
    result = subprocess.run(
        [*pip, *constraints, *wheels], capture_output=True, text=True, check=False, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return env_dir / "bin"


def test_both_commands_report_the_one_version(installed: Path) -> None:
    hub = subprocess.run(
        [installed / "homelab-cmd", "--version"], capture_output=True, text=True, check=False
    )
    agent = subprocess.run(
        [installed / "homelab-agent", "--version"], capture_output=True, text=True, check=False
    )

    assert hub.stdout.strip() == f"homelab-cmd {VERSION}"
    assert agent.stdout.strip() == f"homelab-agent {VERSION}"


def test_installed_hub_serves_the_ui_and_the_api(installed: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    with running_hub(installed / "homelab-cmd", data_dir, API_KEY) as url:
        index = httpx.get(f"{url}/")
        deep_link = httpx.get(f"{url}/servers/nas-1")
        health = httpx.get(f"{url}/api/v1/system/health")
        script = re.search(r'src="(/assets/[^"]+\.js)"', index.text)
        assert script is not None, index.text[:500]
        asset = httpx.get(f"{url}{script.group(1)}")

    assert index.status_code == 200
    assert '<div id="root">' in index.text
    assert deep_link.text == index.text
    assert asset.status_code == 200
    assert "javascript" in asset.headers["content-type"]
    assert health.json() == {
        "status": "ok",
        "version": VERSION,
        "database": "ok",
        "offline_after_seconds": 180,
    }


def test_installed_hub_serves_the_api_docs_from_itself(installed: Path, tmp_path: Path) -> None:
    with running_hub(installed / "homelab-cmd", tmp_path / "data", API_KEY) as url:
        page = httpx.get(f"{url}/api/docs")
        linked = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        files = {path: httpx.get(f"{url}{path}").status_code for path in linked}

    assert page.status_code == 200
    assert "'self'" in page.headers["content-security-policy"]
    assert files == {
        "/api/docs/favicon.png": 200,
        "/api/docs/swagger-ui.css": 200,
        "/api/docs/swagger-ui-bundle.js": 200,
        "/api/docs/swagger-init.js": 200,
    }


def test_the_hub_wheel_carries_the_agent_wheel_for_hosts(installed: Path) -> None:
    code = "from homelab_cmd.bundle import agent_wheel; print(agent_wheel())"
    found = subprocess.run(
        [installed / "python", "-c", code], capture_output=True, text=True, check=False, cwd="/"
    ).stdout.strip()

    assert found.endswith(
        f"site-packages/homelab_cmd/agent_dist/homelab_agent-{VERSION}-py3-none-any.whl"
    )


def test_the_installed_hub_hands_hosts_its_bundled_agent(installed: Path, tmp_path: Path) -> None:
    wheel = f"homelab_agent-{VERSION}-py3-none-any.whl"
    with running_hub(installed / "homelab-cmd", tmp_path / "data", API_KEY) as url:
        script = httpx.get(f"{url}/install.sh")
        served = httpx.get(f"{url}/install/{wheel}")
        pins = httpx.get(f"{url}/install/constraints.txt")
        unit = httpx.get(f"{url}/install/homelab-agent.service")

    assert f'WHEEL="{wheel}"' in script.text
    assert served.content == _wheel("homelab_agent").read_bytes()
    assert "psutil==" in pins.text
    assert "ExecStart=" in unit.text
    # Nothing was built: an installed hub has no checkout to build from.
    assert not (tmp_path / "data" / "agent-wheel").exists()

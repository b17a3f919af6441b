"""The container images as a homelab runs them: both built on a local Debian base (`make image`),
linted with hadolint, the hub started and the agent enrolled through deploy/compose.yaml with
podman-compose, and the filesystems the hub stores for that server are the host's own.

Real parts throughout: podman (Debian's, with runc), the images, a real ext4 filesystem on a
loop device mounted on the host while the agent runs in its container, and os.statvfs of the
host's mounts as the reference.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest
import yaml

from tests.processes import free_port

# One worker runs this module, so the images are built once and never by two builds at a time
# (make test: --dist loadgroup).
pytestmark = pytest.mark.xdist_group("images")
ROOT = Path(__file__).resolve().parents[2]
VERSION = (ROOT / "VERSION").read_text().strip()
BIN = ROOT / ".venv" / "bin"
COMPOSE = ROOT / "deploy" / "compose.yaml"
CONTAINERFILES = [
    ROOT / "deploy" / "containers" / "hub.Containerfile",
    ROOT / "deploy" / "containers" / "agent.Containerfile",
]
ENV = {**os.environ, "CONTAINERS_CONF": str(ROOT / "deploy" / "containers" / "containers.conf")}
HUB_IMAGE = f"localhost/homelab-cmd:{VERSION}"
AGENT_IMAGE = f"localhost/homelab-agent:{VERSION}"
# What a live system writes to its root between the agent's statvfs and the test's (other tests
# and builds share this disk); the loop filesystem below is quiet and must match exactly.
USED_DRIFT_BYTES = 1024**3


def _run(*argv: str | Path, timeout: float = 300, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in argv],
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        env=env or ENV,
    )
    assert result.returncode == 0, f"{argv}: {result.stdout[-2000:]}\n{result.stderr[-3000:]}"
    return result.stdout


T = TypeVar("T")


def _poll(read: Callable[[], T | None], what: str, timeout: float = 180) -> T:
    """The first non-None answer of `read`, asked every second (a wait, not a timed assertion)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            answer = read()
        except httpx.HTTPError:
            answer = None
        if answer is not None:
            return answer
        time.sleep(1)
    pytest.fail(f"{what}: not within {timeout:.0f} s")


@pytest.fixture(scope="module")
def images() -> None:
    """Both images, built by `make image`'s script (layers and the base are reused when cached)."""
    if os.geteuid() != 0:
        pytest.skip("building images needs root (podman, debootstrap), as CI has")
    missing = [t for t in ("podman", "runc", "debootstrap") if shutil.which(t) is None]
    assert not missing, f"{missing} missing: `make test-py` installs them (make container-tools)"
    for name in ("homelab_cmd", "homelab_agent"):
        wheel = ROOT / "dist" / f"{name}-{VERSION}-py3-none-any.whl"
        assert wheel.is_file(), f"{wheel.name} is not built: run 'make dist'"
    _run(ROOT / "deploy" / "containers" / "build.sh", timeout=1800)


def _inspect(image: str) -> dict[str, Any]:
    found: dict[str, Any] = json.loads(_run("podman", "image", "inspect", image))[0]
    return found


def test_both_containerfiles_pass_hadolint() -> None:
    result = subprocess.run(
        [str(BIN / "hadolint"), *map(str, CONTAINERFILES)],
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("ignore_file", [".containerignore", ".dockerignore"])
def test_env_files_beside_the_sources_stay_out_of_a_build(
    images: None, tmp_path: Path, ignore_file: str
) -> None:
    # A context holding the checkout's ignore file (under the name podman reads), a compose .env
    # at the top and one in a folder, and a source file that must come along.
    context = tmp_path / "context"
    (context / "deploy").mkdir(parents=True)
    (context / ".containerignore").write_text((ROOT / ignore_file).read_text())
    (context / ".env").write_text("HOMELAB_CMD_API_KEY=secret\n")
    (context / "deploy" / ".env").write_text("HOMELAB_AGENT_ENROLL_CODE=code\n")
    (context / "deploy" / ".env.local").write_text("HOMELAB_CMD_API_KEY=secret\n")
    (context / "deploy" / "compose.yaml").write_text("services: {}\n")
    (context / "Containerfile").write_text(f"FROM {AGENT_IMAGE}\nCOPY . /context/\n")
    tag = f"localhost/hlc-ignore-test-{os.getpid()}"
    _run("podman", "build", "-q", "-t", tag, str(context), env=ENV)
    try:
        listed = _run(
            "podman", "run", "--rm", "--entrypoint", "find", tag, "/context", "-type", "f", env=ENV
        )
    finally:
        subprocess.run(["podman", "rmi", "-f", tag], capture_output=True, check=False, env=ENV)

    assert sorted(listed.split()) == [
        "/context/.containerignore",
        "/context/Containerfile",
        "/context/deploy/compose.yaml",
    ]


def test_the_hub_image_runs_unprivileged_with_its_data_volume_and_health_check(
    images: None,
) -> None:
    hub = _inspect(HUB_IMAGE)
    agent = _inspect(AGENT_IMAGE)

    assert hub["Config"]["User"] == "10001:10001"
    assert list(hub["Config"]["Volumes"]) == ["/data"]
    assert hub["Healthcheck"]["Test"][0] == "CMD"
    assert "/api/v1/system/health" in _run(
        "podman", "run", "--rm", "--entrypoint", "cat", HUB_IMAGE,
        "/usr/local/lib/homelab-cmd/healthcheck.py",
    )  # fmt: skip
    assert _run("podman", "run", "--rm", HUB_IMAGE, "homelab-cmd", "--version").strip() == (
        f"homelab-cmd {VERSION}"
    )
    assert list(agent["Config"]["Volumes"]) == ["/var/lib/homelab-agent"]
    smartctl = _run("podman", "run", "--rm", AGENT_IMAGE, "smartctl", "--version")
    assert smartctl.startswith("smartctl ")


def test_the_build_s_ca_bundle_is_lent_not_baked_into_the_images(images: None) -> None:
    extra_cas = sorted(Path("/usr/local/share/ca-certificates").glob("*.crt"))
    if not extra_cas:
        pytest.skip("this machine trusts no extra CA, so there is none to leak")
    for image in (HUB_IMAGE, AGENT_IMAGE):
        bundle = _run(
            "podman", "run", "--rm", "--entrypoint", "cat", image,
            "/etc/ssl/certs/ca-certificates.crt",
        )  # fmt: skip
        for ca in extra_cas:
            body = "".join(ca.read_text().split("-----")[2].split())
            assert body[:200] not in "".join(bundle.split()), f"{ca.name} is inside {image}"


def _on_host(spool: Path, *args: str) -> str:
    """The agent's command run on this host directly, its state kept in `spool`."""
    return _run(BIN / "homelab-agent", *args, env={**ENV, "HOMELAB_AGENT_SPOOL_DIR": str(spool)})


def _host_filesystems(spool: Path) -> dict[str, dict[str, Any]]:
    """What the agent run on this host directly reports, by mount point (mounted ones only)."""
    out = _on_host(spool, "filesystems", "--json")
    return {fs["mount_point"]: fs for fs in json.loads(out) if fs["state"] != "missing"}


@pytest.fixture
def loop_filesystem(tmp_path: Path) -> Iterator[Path]:
    """A 64 MiB ext4 on a loop device, mounted on the host under tmp_path."""
    image, mount_point = tmp_path / "disk.img", tmp_path / "loop disk"
    mount_point.mkdir()
    _run("truncate", "-s", "64M", image)
    _run("mkfs.ext4", "-q", "-F", image)
    _run("mount", "-o", "loop", image, mount_point)
    try:
        (mount_point / "payload").write_bytes(os.urandom(3 * 1024 * 1024))
        os.sync()
        yield mount_point
    finally:
        subprocess.run(["umount", str(mount_point)], check=False)


class Compose:
    """deploy/compose.yaml under its own project name, as a user runs it with podman-compose."""

    def __init__(self, tmp_path: Path, port: int, api_key: str) -> None:
        self.project = f"hlc-test-{os.getpid()}"
        # The test's own settings, as a user's override file would carry them: the images just
        # built and an admin key to ask for an enrollment code with.
        override = tmp_path / "compose.override.yaml"
        override.write_text(
            yaml.safe_dump(
                {
                    "services": {
                        "hub": {
                            "image": HUB_IMAGE,
                            "environment": {"HOMELAB_CMD_API_KEY": api_key},
                        },
                        "agent": {"image": AGENT_IMAGE},
                    }
                }
            )
        )
        self.files = ["-f", str(COMPOSE), "-f", str(override)]
        self.env = {
            **ENV,
            "HOMELAB_HUB_PORT": str(port),
            "HOMELAB_AGENT_HUB_URL": f"http://127.0.0.1:{port}",
            "HOMELAB_AGENT_INTERVAL": "5",
        }

    def __call__(self, *args: str, **env: str) -> str:
        return _run(
            BIN / "podman-compose", "-p", self.project, *self.files, *args,
            env={**self.env, **env}, timeout=600,
        )  # fmt: skip

    def container(self, service: str) -> str:
        return f"{self.project}_{service}_1"

    def down(self) -> None:
        subprocess.run(
            [str(BIN / "podman-compose"), "-p", self.project, *self.files, "--profile", "agent",
             "down", "-v"],
            capture_output=True, check=False, env=self.env, timeout=300,
        )  # fmt: skip


@pytest.fixture
def compose(images: None, tmp_path: Path) -> Iterator[tuple[Compose, str, dict[str, str]]]:
    """The compose project with its hub up and healthy; everything removed afterwards."""
    port, api_key = free_port(), secrets.token_urlsafe(32)
    project = Compose(tmp_path, port, api_key)
    url = f"http://127.0.0.1:{port}"
    try:
        project("up", "-d")
        _poll(
            lambda: httpx.get(f"{url}/api/v1/system/health", timeout=2).is_success or None,
            "the hub container's health",
        )
        yield project, url, {"Authorization": f"Bearer {api_key}"}
    finally:
        project.down()


def _servers(url: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    answer = httpx.get(f"{url}/api/v1/servers", headers=headers, timeout=10)
    answer.raise_for_status()
    data: list[dict[str, Any]] = answer.json()["data"]
    return data


def _server_with(
    url: str, headers: dict[str, str], server_id: str, mount_point: str
) -> dict[str, Any] | None:
    """The server's page once its latest filesystems include `mount_point`."""
    answer = httpx.get(f"{url}/api/v1/servers/{server_id}", headers=headers, timeout=10)
    detail: dict[str, Any] = answer.json()
    mounts = {fs["mount_point"] for fs in detail.get("filesystems") or []}
    return detail if mount_point in mounts else None


def test_the_agent_in_compose_reports_the_host_s_filesystems(
    compose: tuple[Compose, str, dict[str, str]], loop_filesystem: Path, tmp_path: Path
) -> None:
    project, url, headers = compose
    # The image's HEALTHCHECK passes on the running hub (podman runs it on request here).
    _run("podman", "healthcheck", "run", project.container("hub"))
    answer = httpx.post(f"{url}/api/v1/enrollments", headers=headers, json={}, timeout=10)
    assert answer.status_code in (200, 201), answer.text
    code = answer.json()["code"]

    before = _host_filesystems(tmp_path / "spool")
    project("--profile", "agent", "up", "-d", HOMELAB_AGENT_ENROLL_CODE=code)
    loop = str(loop_filesystem)
    server = _poll(
        lambda: next((s for s in _servers(url, headers) if s["filesystem_count"]), None),
        "the agent's first heartbeat",
    )
    detail = _poll(
        lambda: _server_with(url, headers, server["id"], loop), "the loop filesystem in the hub"
    )
    after = _host_filesystems(tmp_path / "spool")
    reported = {fs["mount_point"]: fs for fs in detail["filesystems"] if fs["state"] != "missing"}
    # Tests on the other worker mount and unmount filesystems of their own meanwhile: those
    # present throughout must be reported, and nothing the host never had.
    stable = {m: fs for m, fs in after.items() if m in before and fs["state"] == "ok"}

    assert server["hostname"] == socket.gethostname()
    assert loop in stable
    assert set(stable) <= set(reported), (sorted(reported), sorted(stable))
    assert set(reported) <= set(before) | set(after), (sorted(reported), sorted(after))
    for mount_point, fs in reported.items():
        assert fs["fs_type"] not in ("overlay", "fuse.fuse-overlayfs"), fs
        assert not mount_point.startswith(("/hostfs", "/var/lib/homelab-agent")), fs
    for mount_point, host in stable.items():
        fs = reported[mount_point]
        st = os.statvfs(mount_point)
        assert (fs["device"], fs["fs_type"]) == (host["device"], host["fs_type"]), fs
        assert fs["total_bytes"] == st.f_blocks * st.f_frsize, fs
        used = (st.f_blocks - st.f_bfree) * st.f_frsize
        drift = 0 if mount_point == loop else USED_DRIFT_BYTES
        assert abs(fs["used_bytes"] - used) <= drift, (fs, used)
    assert reported[loop]["fs_type"] == "ext4"


def test_the_agent_keeps_its_enrollment_in_its_volume_across_a_new_container(
    compose: tuple[Compose, str, dict[str, str]],
) -> None:
    project, url, headers = compose
    code = httpx.post(f"{url}/api/v1/enrollments", headers=headers, json={}, timeout=10).json()
    project("--profile", "agent", "up", "-d", HOMELAB_AGENT_ENROLL_CODE=code["code"])
    first = _poll(
        lambda: next((s for s in _servers(url, headers) if s["last_seen_at"]), None),
        "the agent's first heartbeat",
    )
    # A command run beside the agent reads the enrolled config too (the image's default config
    # path leads to the volume's); doctor exits 1 on any problem, so only the token is judged.
    doctor = subprocess.run(
        ["podman", "exec", project.container("agent"), "homelab-agent", "doctor", "--json"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    token = next(f for f in json.loads(doctor.stdout) if f["check"] == "token")
    assert token["status"] == "ok", (token, doctor.stderr)

    # A new container on the same volume, the used code still in its environment.
    _run("podman", "rm", "--force", project.container("agent"))
    project("--profile", "agent", "up", "-d", HOMELAB_AGENT_ENROLL_CODE=code["code"])
    later = _poll(
        lambda: next(
            (
                s
                for s in _servers(url, headers)
                if s["last_seen_at"] and s["last_seen_at"] > first["last_seen_at"]
            ),
            None,
        ),
        "a heartbeat from the new container",
    )
    logs = _run("podman", "logs", project.container("agent"))

    assert [s["id"] for s in _servers(url, headers)] == [first["id"]]
    assert later["id"] == first["id"]
    assert "Enrolled" not in logs


def _drives(output: str) -> list[tuple[str, list[str], list[str]]]:
    return sorted((d["name"], d["block_devices"], d["filesystems"]) for d in json.loads(output))


def test_the_agent_image_places_the_host_s_drives_through_hostfs(
    images: None, tmp_path: Path
) -> None:
    # The smart profile's capabilities; a VM's disks have no S.M.A.R.T., so what is compared is
    # which disks there are and what lives on them, read from /hostfs/sys and the host's table.
    in_container = _run(
        "podman", "run", "--rm", "--pid", "host", "--cap-add", "SYS_RAWIO", "--cap-add",
        "SYS_ADMIN", "-v", "/:/hostfs:ro,rslave", AGENT_IMAGE, "homelab-agent", "drives", "--json",
    )  # fmt: skip
    on_host = _on_host(tmp_path / "spool", "drives", "--json")

    assert _drives(in_container) == _drives(on_host)
    assert any(filesystems for _, _, filesystems in _drives(on_host))

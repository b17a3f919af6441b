"""The hub checks against real hub processes (tests/hub_process.py): plain http, self-signed
TLS with the certificate pinned at enrollment, a second hub whose certificate is not the pinned
one, a port where nothing listens, a token the hub does not know, and clocks out of step."""

import re
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import httpx
import pytest

from homelab_agent.config import AgentConfig, load_config
from homelab_agent.delivery.enroll import enroll
from homelab_agent.doctor import hub
from homelab_agent.doctor.findings import Finding
from tests.hub_process import API_KEY, HUB, free_port, running_hub

pytestmark = pytest.mark.skipif(not HUB.exists(), reason="the hub is not installed")
ADMIN = {"Authorization": f"Bearer {API_KEY}"}


def _enrolled(url: str, path: Path) -> AgentConfig:
    """This host enrolled at the hub the way `homelab-agent enroll` does it."""
    code = httpx.post(f"{url}/api/v1/enrollments", headers=ADMIN, verify=False).json()["code"]
    enroll(url, code, path)
    return replace(load_config(path, {}), spool_dir=path.parent / "spool")


@pytest.fixture(scope="module")
def plain_hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data = tmp_path_factory.mktemp("plain-hub")
    with running_hub(data) as (_, url):
        yield url


@pytest.fixture(scope="module")
def tls_hubs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """Two hubs, each with its own self-signed certificate."""
    first, second = tmp_path_factory.mktemp("tls-a"), tmp_path_factory.mktemp("tls-b")
    tls = {"HOMELAB_CMD_TLS": "self-signed"}
    with running_hub(first, tls) as (_, a), running_hub(second, tls) as (_, b):
        yield a, b


def _by_check(findings: list[Finding]) -> dict[str, Finding]:
    return {f.check: f for f in findings}


def test_an_enrolled_host_over_plain_http_on_this_machine_is_all_ok(
    plain_hub: str, tmp_path: Path
) -> None:
    config = _enrolled(plain_hub, tmp_path / "agent.yaml")

    found = _by_check(hub.hub_findings(config, time.monotonic() + 30))

    assert [f.status for f in found.values()] == ["ok"] * 4, found
    assert found["hub"].message.startswith("hub ") and plain_hub in found["hub"].message
    assert found["certificate"].message == (
        "plain http to this machine: nothing crosses the network"
    )
    assert found["token"].message.startswith("the hub accepts this host's token")
    assert found["clock"].message == "this host's clock is within 1 s of the hub's"


def test_the_token_check_stores_nothing(plain_hub: str, tmp_path: Path) -> None:
    config = _enrolled(plain_hub, tmp_path / "agent.yaml")
    before = httpx.get(f"{plain_hub}/api/v1/servers/{config.server_id}", headers=ADMIN).json()

    hub.hub_findings(config, time.monotonic() + 30)

    after = httpx.get(f"{plain_hub}/api/v1/servers/{config.server_id}", headers=ADMIN).json()
    assert after == before


def test_a_token_the_hub_does_not_know_is_a_problem_with_the_enroll_fix(
    plain_hub: str,
) -> None:
    config = AgentConfig(hub_url=plain_hub, api_key="hlt_" + "x" * 40, server_id="gone")

    found = _by_check(hub.hub_findings(config, time.monotonic() + 30))

    assert found["hub"].status == "ok"
    assert found["token"].status == "problem"
    assert "does not know this host's token" in found["token"].message
    assert "homelab-agent enroll" in found["token"].fix[0]


def test_no_token_is_a_problem_without_asking(plain_hub: str) -> None:
    found = _by_check(hub.hub_findings(AgentConfig(hub_url=plain_hub), time.monotonic() + 30))

    assert found["token"].status == "problem"
    assert found["token"].message.startswith("no token (api_key)")


def test_a_port_where_nothing_listens_is_a_problem_and_the_rest_is_not_checked() -> None:
    url = f"http://127.0.0.1:{free_port()}"
    config = AgentConfig(hub_url=url, api_key="hlt_" + "x" * 40, server_id="h")

    found = _by_check(hub.hub_findings(config, time.monotonic() + 30))

    assert found["hub"].status == "problem"
    assert found["hub"].message.startswith(f"the hub at {url} does not answer")
    assert "Connection refused" in found["hub"].message
    assert found["token"].message == "not checked: the hub does not answer"
    assert found["clock"].message == "not checked: the hub does not answer"


def test_a_url_that_is_not_the_hub_is_said_to_be_something_else(plain_hub: str) -> None:
    config = AgentConfig(hub_url=f"{plain_hub}/api/v1", api_key="k", server_id="h")

    found = _by_check(hub.hub_findings(config, time.monotonic() + 30))

    assert found["hub"].status == "problem"
    assert "but not as a HomelabCmd hub" in found["hub"].message


@pytest.mark.parametrize(
    ("skew", "status", "way"),
    [(100, "warning", "ahead of"), (400, "problem", "ahead of"), (-400, "problem", "behind")],
)
def test_the_clock_offset_from_the_hubs_date(
    plain_hub: str, skew: int, status: str, way: str
) -> None:
    # The real hub's Date header against this host's clock set off by `skew` seconds (the
    # check takes the clock as a parameter; the machine's own clock is not changed).
    config = AgentConfig(hub_url=plain_hub, server_id="h")

    found = _by_check(hub.hub_findings(config, time.monotonic() + 30, lambda: time.time() + skew))

    clock = found["clock"]
    said = re.match(r"this host's clock is (\d+) s (ahead of|behind) the hub's", clock.message)
    assert clock.status == status
    assert said is not None, clock.message
    # Date carries whole seconds: the offset is known to a second.
    assert abs(int(said[1]) - abs(skew)) <= 1
    assert said[2] == way
    assert "timedatectl set-ntp true" in clock.fix[0]
    if skew == 400:
        assert "refuses heartbeats more than 300 s ahead" in clock.message


def test_over_https_the_pinned_certificate_is_the_hubs(
    tls_hubs: tuple[str, str], tmp_path: Path
) -> None:
    config = _enrolled(tls_hubs[0], tmp_path / "agent.yaml")

    found = _by_check(hub.hub_findings(config, time.monotonic() + 30))

    assert found["hub"].status == "ok"
    assert found["certificate"].status == "ok"
    assert found["certificate"].message.startswith(
        f"pinned at enrollment ({config.tls_fingerprint[:23]}"
    )
    assert found["token"].status == "ok"


def test_another_certificate_than_the_pinned_one_is_a_problem_naming_both(
    tls_hubs: tuple[str, str], tmp_path: Path
) -> None:
    pinned = _enrolled(tls_hubs[0], tmp_path / "agent.yaml")
    # The same host's config pointed at a hub presenting another certificate.
    config = replace(pinned, hub_url=tls_hubs[1])

    found = _by_check(hub.hub_findings(config, time.monotonic() + 30))

    assert found["hub"].status == "problem"
    assert "refuses the agent's TLS handshake" in found["hub"].message
    assert found["certificate"].status == "problem"
    assert f"not the one pinned at enrollment ({pinned.tls_fingerprint})" in (
        found["certificate"].message
    )
    assert "--fingerprint" in found["certificate"].fix[0]
    assert found["token"].message == "not checked: the hub does not answer"


def test_an_unpinned_self_signed_hub_is_not_trusted(tls_hubs: tuple[str, str]) -> None:
    config = AgentConfig(hub_url=tls_hubs[0], api_key="k", server_id="h")

    found = _by_check(hub.hub_findings(config, time.monotonic() + 30))

    assert found["certificate"].status == "problem"
    assert "not pinned and does not verify through the system's CAs" in (
        found["certificate"].message
    )


def test_plain_http_to_another_machine_is_warned() -> None:
    # Nothing is sent: the scheme and host decide (TEST-NET address).
    finding = hub.check_certificate(
        AgentConfig(hub_url="http://192.0.2.10:8080"), time.monotonic() + 5
    )

    assert finding.status == "warning"
    assert "cross the network readable" in finding.message

"""Which servers report on the legacy key or over plain http from afar."""

import pytest

from homelab_cmd.domain.access import Principal, Role
from homelab_cmd.services.access.sightings import ServerSightings, record_heartbeat

LEGACY = Principal(role=Role.AGENT, name="legacy key", legacy_key=True)
OWN_TOKEN = Principal(role=Role.AGENT, name="agent nas-1", server_id="nas-1")


def _record(
    agent: Principal, *, scheme: str = "https", client_host: str | None = "192.168.1.9"
) -> tuple[ServerSightings, ServerSightings]:
    legacy, plain = ServerSightings(10), ServerSightings(10)
    record_heartbeat(legacy, plain, agent, "nas-1", scheme=scheme, client_host=client_host)
    return legacy, plain


def test_a_heartbeat_on_the_legacy_key_is_seen() -> None:
    legacy, _ = _record(LEGACY)

    assert [s for s, _ in legacy.servers()] == ["nas-1"]


def test_a_server_that_moved_to_its_own_token_leaves_the_legacy_list() -> None:
    legacy, plain = ServerSightings(10), ServerSightings(10)
    record_heartbeat(legacy, plain, LEGACY, "nas-1", scheme="https", client_host=None)

    record_heartbeat(legacy, plain, OWN_TOKEN, "nas-1", scheme="https", client_host=None)

    assert legacy.servers() == []


@pytest.mark.parametrize(
    ("scheme", "client_host", "seen"),
    [
        ("http", "192.168.1.9", True),
        ("http", None, True),
        ("http", "127.0.0.1", False),
        ("http", "::1", False),
        ("http", "::ffff:127.0.0.1", False),
        ("https", "192.168.1.9", False),
    ],
)
def test_plain_http_from_another_machine_is_seen(
    scheme: str, client_host: str | None, seen: bool
) -> None:
    _, plain = _record(OWN_TOKEN, scheme=scheme, client_host=client_host)

    assert bool(plain.servers()) is seen


def test_a_server_back_on_https_leaves_the_plain_http_list() -> None:
    legacy, plain = ServerSightings(10), ServerSightings(10)
    record_heartbeat(legacy, plain, OWN_TOKEN, "nas-1", scheme="http", client_host="10.0.0.2")

    record_heartbeat(legacy, plain, OWN_TOKEN, "nas-1", scheme="https", client_host="10.0.0.2")

    assert plain.servers() == []

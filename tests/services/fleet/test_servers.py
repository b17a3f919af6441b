"""Reading servers: the id rule and online/offline, without HTTP in between."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from homelab_cmd.domain.servers import ServerStatus, is_server_id, status_at
from homelab_cmd.errors import ServerNotFound
from homelab_cmd.services.fleet import servers
from tests.factories import heartbeat_payload, store_heartbeats

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "valid"),
    [("nas-1", True), ("a" * 100, True), ("a" * 101, False), ("NAS", False), ("a/b", False),
     ("nul\x00", False), ("", False)],
)  # fmt: skip
def test_server_id_rule(text: str, valid: bool) -> None:
    assert is_server_id(text) is valid


def test_status_turns_offline_after_the_threshold() -> None:
    assert status_at(None, NOW, 120) is ServerStatus.OFFLINE
    assert status_at(NOW - timedelta(seconds=120), NOW, 120) is ServerStatus.ONLINE
    assert status_at(NOW - timedelta(seconds=121), NOW, 120) is ServerStatus.OFFLINE


def test_get_server_refuses_an_impossible_id_and_finds_a_stored_one(engine: Engine) -> None:
    store_heartbeats(engine, [heartbeat_payload(timestamp=NOW)])
    with Session(engine) as session:
        with pytest.raises(ServerNotFound):
            servers.get_server(session, "Not An Id\x00")
        with pytest.raises(ServerNotFound):
            servers.get_server(session, "nas-2")
        assert servers.get_server(session, "nas-1").hostname == "nas-1.home.lan"

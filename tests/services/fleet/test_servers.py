"""Reading servers: the id rule and online/offline, without HTTP in between."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from homelab_cmd.domain.servers import ServerStatus, is_server_id, status_at
from homelab_cmd.errors import ServerNotFound
from homelab_cmd.schemas.server import DismissFilesystem
from homelab_cmd.services.fleet import servers, vanished
from tests.factories import filesystem_payload, heartbeat_payload, store_heartbeats

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


def _beat(server: str, minutes: int, *mounts: str) -> dict[str, object]:
    return heartbeat_payload(
        server_id=server,
        hostname=server,
        timestamp=NOW + timedelta(minutes=minutes),
        filesystems=[filesystem_payload(mount_point=m) for m in mounts],
    )


def test_fleet_counts_of_vanished_filesystems_match_each_servers_list(engine: Engine) -> None:
    store_heartbeats(
        engine,
        [_beat("nas-1", 0, "/", "/a", "/b"), _beat("nas-2", 0, "/", "/a"), _beat("nas-3", 0, "/")],
    )
    store_heartbeats(engine, [_beat("nas-1", 1, "/"), _beat("nas-2", 1, "/", "/a")])
    with Session(engine) as session:
        vanished.dismiss(
            session, servers.get_server(session, "nas-1"), DismissFilesystem(mount_point="/a")
        )

    def counts() -> dict[str, int]:
        with Session(engine) as session:
            fleet = servers.list_servers(session, 10**9).data
            for card in fleet:  # the fleet's count is the length of the server's own list
                listed = vanished.vanished_filesystems(
                    session, servers.get_server(session, card.id)
                )
                assert card.vanished_filesystem_count == len(listed)
            return {card.id: card.vanished_filesystem_count for card in fleet}

    assert counts() == {"nas-1": 1, "nas-2": 0, "nas-3": 0}  # /b; /a dismissed
    # /a comes back and vanishes again: seen after its dismissal, it counts anew.
    store_heartbeats(engine, [_beat("nas-1", 2, "/", "/a"), _beat("nas-1", 3, "/")])
    assert counts() == {"nas-1": 2, "nas-2": 0, "nas-3": 0}

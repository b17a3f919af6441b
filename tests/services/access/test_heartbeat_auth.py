"""Who may deliver a heartbeat for a server, and what is noted on the way (both engines)."""

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, update
from sqlalchemy.orm import Session, sessionmaker

from homelab_cmd.db.models import Server
from homelab_cmd.domain.access import Principal, Role
from homelab_cmd.errors import Forbidden
from homelab_cmd.services.access.credentials import CredentialVerifier
from homelab_cmd.services.access.heartbeat_auth import Arrival, authorise_heartbeat
from homelab_cmd.services.access.sightings import ServerSightings
from tests.factories import make_server

LEGACY = Principal(role=Role.AGENT, name="legacy key", legacy_key=True)
NAS = Principal(role=Role.AGENT, name="agent nas-1", server_id="nas-1", server_guid="guid-1")
FROM_AFAR = Arrival(guid=None, scheme="http", client_host="192.168.1.9")


class Hub:
    def __init__(self, engine: Engine) -> None:
        self.verifier = CredentialVerifier(sessionmaker(engine), None, "legacy-key-0123456789")
        self.legacy_users, self.plain_http = ServerSightings(10), ServerSightings(10)

    def authorise(self, agent: Principal, server_id: str, arrival: Arrival = FROM_AFAR) -> None:
        sightings = (self.legacy_users, self.plain_http)
        asyncio.run(authorise_heartbeat(self.verifier, sightings, agent, server_id, arrival))

    def seen(self) -> tuple[list[str], list[str]]:
        return (
            [server for server, _ in self.legacy_users.servers()],
            [server for server, _ in self.plain_http.servers()],
        )


@pytest.fixture
def hub(engine: Engine) -> Hub:
    return Hub(engine)


def test_an_agent_token_reports_for_its_own_server_and_is_noted(hub: Hub) -> None:
    hub.authorise(NAS, "nas-1", Arrival(guid="guid-1", scheme="http", client_host="10.0.0.5"))

    assert hub.seen() == ([], ["nas-1"])


@pytest.mark.parametrize(
    ("server_id", "guid", "detail"),
    [
        ("nas-2", None, "this agent token reports for another server, not 'nas-2'"),
        ("nas-1", "guid-2", "X-Server-GUID is not the GUID this agent token was enrolled with"),
    ],
)
def test_an_agent_token_is_refused_for_another_server_or_guid_and_nothing_is_noted(
    hub: Hub, server_id: str, guid: str | None, detail: str
) -> None:
    with pytest.raises(Forbidden) as refused:
        hub.authorise(NAS, server_id, Arrival(guid=guid, scheme="http", client_host="10.0.0.5"))

    assert refused.value.detail == detail
    assert hub.seen() == ([], [])


def test_the_legacy_key_reports_for_a_server_that_never_enrolled(hub: Hub, engine: Engine) -> None:
    make_server(engine, "old-nas")

    hub.authorise(LEGACY, "old-nas")
    hub.authorise(LEGACY, "new-host")  # not registered yet: the legacy key registers it

    assert hub.seen() == (["new-host", "old-nas"], ["new-host", "old-nas"])


def test_the_legacy_key_is_refused_for_an_enrolled_server(hub: Hub, engine: Engine) -> None:
    make_server(engine, "nas-1")
    with Session(engine) as session:
        session.execute(update(Server).values(enrolled_at=datetime.now(UTC)))
        session.commit()

    with pytest.raises(Forbidden) as refused:
        hub.authorise(LEGACY, "nas-1")

    assert refused.value.detail.startswith("server 'nas-1' has enrolled: the legacy shared key")
    assert hub.verifier.legacy_may_report_cached("nas-1") is False

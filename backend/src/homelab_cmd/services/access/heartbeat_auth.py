"""Whether an agent's credential may deliver a heartbeat for the server it names, and noting
how it came (on the legacy key, over plain http from afar: services/access/sightings.py).

Called by the heartbeat route's dependency (api/deps.py) after the credential was verified and
the body validated, on the hub's hottest path: everything here is answered from memory, except
the legacy key's first heartbeat for a server after each revocation generation (one read, off
the event loop).
"""

from dataclasses import dataclass

from anyio import to_thread

from homelab_cmd.domain.access import Principal
from homelab_cmd.errors import Forbidden
from homelab_cmd.services.access.credentials import CredentialVerifier
from homelab_cmd.services.access.sightings import ServerSightings, record_heartbeat


@dataclass(frozen=True, slots=True)
class Arrival:
    """How a heartbeat came: its X-Server-GUID header, the scheme and the client's host."""

    guid: str | None
    scheme: str
    client_host: str | None


async def authorise_heartbeat(
    verifier: CredentialVerifier,
    sightings: tuple[ServerSightings, ServerSightings],
    agent: Principal,
    server_id: str,
    arrival: Arrival,
) -> None:
    """Forbidden unless `agent` may report for `server_id`; notes the heartbeat in the
    (legacy key users, plain http from afar) sightings on the way.

    An agent token reports for its own server only, with its enrolled GUID when the header is
    sent; the legacy shared key only for servers that never enrolled.
    """
    if not agent.may_report_for(server_id):
        raise Forbidden(f"this agent token reports for another server, not {server_id!r}")
    if arrival.guid and agent.server_guid and arrival.guid != agent.server_guid:
        raise Forbidden("X-Server-GUID is not the GUID this agent token was enrolled with")
    legacy_users, plain_http = sightings
    record_heartbeat(
        legacy_users,
        plain_http,
        agent,
        server_id,
        scheme=arrival.scheme,
        client_host=arrival.client_host,
    )
    if agent.legacy_key:
        await _refuse_legacy_key_for_enrolled(verifier, server_id)


async def _refuse_legacy_key_for_enrolled(verifier: CredentialVerifier, server_id: str) -> None:
    # Answered from the verifier's cache; one read per server after each revocation generation.
    allowed = verifier.legacy_may_report_cached(server_id)
    if allowed is None:
        allowed = await to_thread.run_sync(verifier.legacy_may_report, server_id)
    if not allowed:
        raise Forbidden(
            f"server {server_id!r} has enrolled: the legacy shared key no longer reports for "
            "it, only its own agent token does (rotate its token on its page to enroll again)"
        )

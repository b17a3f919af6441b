"""Which servers were last seen doing something worth an admin's attention, since the hub
started: reporting with the old shared key, or over plain http from another machine."""

import threading
from datetime import UTC, datetime

from homelab_cmd.domain.access import Principal

LOOPBACK_PREFIXES = ("127.", "::1", "::ffff:127.")


class ServerSightings:
    """Server ids with the time each was last seen, bounded by the server cap.

    Kept in memory: agents report every minute, so the list fills again within one interval of
    a restart, and the heartbeat path writes nothing more to the database.
    """

    def __init__(self, max_entries: int) -> None:
        self._seen: dict[str, datetime] = {}
        self._max = max_entries
        self._lock = threading.Lock()

    def saw(self, server_id: str) -> None:
        with self._lock:
            if server_id in self._seen or len(self._seen) < self._max:
                self._seen[server_id] = datetime.now(UTC).replace(microsecond=0)

    def moved_on(self, server_id: str) -> None:
        if server_id in self._seen:
            with self._lock:
                self._seen.pop(server_id, None)

    def servers(self) -> list[tuple[str, datetime]]:
        with self._lock:
            return sorted(self._seen.items())


def plain_http_from_afar(scheme: str, client_host: str | None) -> bool:
    """Whether a request came unencrypted from another machine (readable on the network)."""
    return scheme == "http" and not (client_host or "").startswith(LOOPBACK_PREFIXES)


def record_heartbeat(
    legacy_users: ServerSightings,
    plain_http: ServerSightings,
    agent: Principal,
    server_id: str,
    *,
    scheme: str,
    client_host: str | None,
) -> None:
    """Note how a heartbeat for `server_id` came: on the legacy key or not, over plain http
    from another machine or not. A server that stopped doing so leaves the list."""
    if agent.legacy_key:
        legacy_users.saw(server_id)
    elif agent.server_id is not None:
        legacy_users.moved_on(agent.server_id)
    if plain_http_from_afar(scheme, client_host):
        plain_http.saw(server_id)
    else:
        plain_http.moved_on(server_id)

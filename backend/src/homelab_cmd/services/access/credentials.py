"""Turning a presented secret into a Principal, with a bounded cache of verified tokens."""

import hmac
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import Server
from homelab_cmd.domain.access import Principal, Role
from homelab_cmd.services.access.accounts import principal_for_session
from homelab_cmd.services.access.revocation import SharedState
from homelab_cmd.services.access.tokens import hash_secret, principal_for_hash
from homelab_cmd.services.lru import Lru

log = logging.getLogger(__name__)

CACHE_SIZE = 4096
# Servers the legacy key asked to report for, with the answer (never enrolled or not).
LEGACY_SERVERS_CACHE_SIZE = 4096
# Servers refused on the legacy key that were already warned about in the log.
LEGACY_WARNED_SIZE = 10_000
ADMIN_KEY = Principal(role=Role.ADMIN, name="HOMELAB_CMD_API_KEY")
LEGACY_KEY = Principal(role=Role.AGENT, name="legacy shared key", legacy_key=True)


class CredentialVerifier:
    """Checks secrets against the configured admin key, the legacy key and stored tokens.

    Verified tokens are cached by hash (never the raw secret) in a bounded LRU, so a heartbeat
    costs one SHA-256 and a dict lookup instead of a database read. Revoking a token or deleting
    a server drops the affected entries; unknown secrets are never cached, so a flood of wrong
    tokens cannot evict the good ones.

    Other hubs on the same database revoke too: `apply_shared_state` (fed by the revocation
    poller) empties the cache whenever the shared generation moved, and follows the legacy
    key's shared on/off state.
    """

    def __init__(
        self,
        session_factory: Callable[[], Session],
        admin_key: str | None,
        legacy_key: str | None,
        cache_size: int = CACHE_SIZE,
    ) -> None:
        self._session_factory = session_factory
        self._admin_hash = hash_secret(admin_key) if admin_key else None
        self._legacy_hash = hash_secret(legacy_key) if legacy_key else None
        self._cache: OrderedDict[str, Principal] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        # The shared generation this cache was filled under (None: not read yet).
        self._generation: int | None = None
        self._legacy_servers: Lru[str, bool] = Lru(LEGACY_SERVERS_CACHE_SIZE)
        self._legacy_warned: Lru[str, bool] = Lru(LEGACY_WARNED_SIZE)

    def cached(self, secret: str) -> tuple[str, Principal | None]:
        """The secret's hash and its identity if it is known without a database read."""
        digest = hash_secret(secret)
        if self._admin_hash is not None and hmac.compare_digest(digest, self._admin_hash):
            return digest, ADMIN_KEY
        if self._legacy_hash is not None and hmac.compare_digest(digest, self._legacy_hash):
            return digest, LEGACY_KEY
        with self._lock:
            principal = self._cache.get(digest)
            if principal is not None:
                self._cache.move_to_end(digest)
        return digest, principal

    def lookup(self, digest: str) -> Principal | None:
        """Read a token from the database (blocking) and remember it when valid."""
        # A read that began before a revocation may end after the poller emptied the cache:
        # what it found is only remembered if the generation did not move meanwhile.
        generation = self._generation
        with self._session_factory() as session:
            principal = principal_for_hash(session, digest)
        if principal is not None:
            with self._lock:
                if self._generation != generation:
                    return principal
                self._cache[digest] = principal
                self._cache.move_to_end(digest)
                while len(self._cache) > self._cache_size:
                    self._cache.popitem(last=False)
        return principal

    def session(self, secret: str) -> Principal | None:
        """The person behind a session cookie (blocking). Never cached: signing out or a
        password reset must end the session at once, and browsers are not the hot path."""
        with self._session_factory() as session:
            return principal_for_session(session, secret)

    def forget_token(self, token_id: int) -> None:
        """Drop a revoked token from the cache."""
        self._drop(lambda p: p.token_id == token_id)

    def forget_server(self, server_id: str) -> None:
        """Drop the tokens of a deleted server from the cache."""
        self._drop(lambda p: p.server_id == server_id)

    def forget_legacy_server(self, server_id: str) -> None:
        """Ask the database again whether the legacy key may report for a server that just
        enrolled (other hubs do so after their next revocation poll)."""
        self._legacy_servers.pop(server_id)

    def disable_legacy_key(self) -> None:
        """Refuse the old shared key from now on."""
        self._legacy_hash = None

    def apply_shared_state(self, state: SharedState) -> None:
        """Follow the shared row: forget every verified token when its generation moved."""
        if state.legacy_key_disabled and self._legacy_hash is not None:
            log.warning("the legacy shared key was turned off (on this or another hub)")
            self._legacy_hash = None
        with self._lock:
            if state.generation == self._generation:
                return
            self._generation = state.generation
            self._cache.clear()
            self._legacy_servers.clear()

    def legacy_may_report_cached(self, server_id: str) -> bool | None:
        """Whether the legacy key may report for this server, if known without a read."""
        return self._legacy_servers.get(server_id)

    def legacy_may_report(self, server_id: str) -> bool:
        """Whether the legacy key may report for this server (blocking): only for one that
        never enrolled. A refusal is logged once per server."""
        generation = self._generation
        with self._session_factory() as session:
            enrolled = session.scalar(select(Server.enrolled_at).where(Server.id == server_id))
        allowed = enrolled is None
        with self._lock:
            if self._generation == generation:
                self._legacy_servers.put(server_id, allowed)
        if not allowed and self._legacy_warned.get(server_id) is None:
            self._legacy_warned.put(server_id, True)
            log.warning(
                "refused a heartbeat for %r signed with the legacy shared key: that server "
                "enrolled, so only its own agent token reports for it",
                server_id,
            )
        return allowed

    @property
    def legacy_key_enabled(self) -> bool:
        """Whether heartbeats signed with the old shared key are still accepted."""
        return self._legacy_hash is not None

    def _drop(self, match: Callable[[Principal], bool]) -> None:
        with self._lock:
            for digest in [d for d, p in self._cache.items() if match(p)]:
                del self._cache[digest]

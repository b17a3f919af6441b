"""Turning a presented secret into a Principal, with a bounded cache of verified tokens."""

import hmac
import threading
from collections import OrderedDict
from collections.abc import Callable

from sqlalchemy.orm import Session

from homelab_cmd.domain.access import Principal, Role
from homelab_cmd.services.access.accounts import principal_for_session
from homelab_cmd.services.access.tokens import hash_secret, principal_for_hash

CACHE_SIZE = 4096
ADMIN_KEY = Principal(role=Role.ADMIN, name="HOMELAB_CMD_API_KEY")
LEGACY_KEY = Principal(role=Role.AGENT, name="legacy shared key", legacy_key=True)


class CredentialVerifier:
    """Checks secrets against the configured admin key, the legacy key and stored tokens.

    Verified tokens are cached by hash (never the raw secret) in a bounded LRU, so a heartbeat
    costs one SHA-256 and a dict lookup instead of a database read. Revoking a token or deleting
    a server drops the affected entries; unknown secrets are never cached, so a flood of wrong
    tokens cannot evict the good ones.
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
        with self._session_factory() as session:
            principal = principal_for_hash(session, digest)
        if principal is not None:
            with self._lock:
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

    def disable_legacy_key(self) -> None:
        """Refuse the old shared key from now on."""
        self._legacy_hash = None

    @property
    def legacy_key_enabled(self) -> bool:
        """Whether heartbeats signed with the old shared key are still accepted."""
        return self._legacy_hash is not None

    def _drop(self, match: Callable[[Principal], bool]) -> None:
        with self._lock:
            for digest in [d for d, p in self._cache.items() if match(p)]:
                del self._cache[digest]

"""Noticing a reverse proxy the hub was not told to trust.

Behind a proxy on the same machine with HOMELAB_CMD_TRUSTED_PROXIES unset, every client is the
proxy's address (127.0.0.1): the sign-in throttles count all of them as one address, so five
failures lock the admin out for everyone, and the audit log names the proxy. (Earlier versions
believed X-Forwarded-For from 127.0.0.1; this one believes no one unless told.) The proxy gives
itself away by the X-Forwarded-For or Forwarded header it adds: the first time the hub needs a
client's address from such a request, it says so in its log, once per process.
"""

import ipaddress
import logging
import threading
from collections.abc import Mapping, Sequence
from functools import lru_cache

log = logging.getLogger(__name__)

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=4)
def _networks(trusted: tuple[str, ...]) -> tuple[_Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in trusted)


def _is_trusted(host: str, trusted: Sequence[str]) -> bool:
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return any(address in network for network in _networks(tuple(trusted)))


def forwarded_by_untrusted_peer(
    headers: Mapping[str, str], client_host: str | None, trusted: Sequence[str]
) -> bool:
    """Whether a request carries X-Forwarded-For or Forwarded that the hub did not believe.

    `client_host` is the address the hub took for the client: the peer, unless uvicorn put an
    X-Forwarded-For address in its place because the peer is a trusted proxy (cli.py). So the
    headers went unbelieved when no proxy is trusted, or when the client is neither one of the
    forwarded addresses nor a trusted proxy itself.
    """
    forwarded_for = headers.get("x-forwarded-for")
    if forwarded_for is None and headers.get("forwarded") is None:
        return False
    if not trusted:
        return True
    if client_host is None:
        return False
    if forwarded_for is not None and client_host in (a.strip() for a in forwarded_for.split(",")):
        return False
    return not _is_trusted(client_host, trusted)


class UntrustedProxyWarning:
    """Logs one WARNING, the first time a request shows an untrusted proxy in front."""

    def __init__(self) -> None:
        self._warned = False
        self._lock = threading.Lock()

    def check(
        self, headers: Mapping[str, str], client_host: str | None, trusted: Sequence[str]
    ) -> None:
        """Warn if this request came through a proxy the hub does not trust (once)."""
        if self._warned or not forwarded_by_untrusted_peer(headers, client_host, trusted):
            return
        with self._lock:
            if self._warned:
                return
            self._warned = True
        peer = client_host or "an unknown peer"
        log.warning(
            "a request from %s carries X-Forwarded-For or Forwarded, but %s is not one of "
            "HOMELAB_CMD_TRUSTED_PROXIES (%s): the hub counts every client behind it as %s. "
            "If it is your reverse proxy, set HOMELAB_CMD_TRUSTED_PROXIES=%s (or add it) so "
            "sign-in throttles and the audit log see real addresses (docs/security.md)",
            peer,
            peer,
            ",".join(trusted) or "unset",
            peer,
            client_host or "<the proxy's address>",
        )


# One per hub process.
UNTRUSTED_PROXY = UntrustedProxyWarning()

"""Whether a browser's request comes from the hub's own pages: the Origin and CSRF rules.

A session cookie rides along on every request the browser makes to the hub, whichever site
asked for it. A state-changing request on the cookie therefore needs a header no cross-site
form or simple request can carry, and an Origin that is the hub's own (or one CORS lets in).
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from homelab_cmd.errors import Forbidden

CSRF_HEADER = "X-Requested-With"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_of(url: str) -> str:
    """The origin a browser sends for pages under `url`: scheme://host[:port], no default port."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    port = parts.port
    if port is None or DEFAULT_PORTS.get(scheme) == port:
        return f"{scheme}://{(parts.hostname or '').lower()}"
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host.lower()}:{port}"


@dataclass(frozen=True, slots=True)
class OriginPolicy:
    """Which Origins count as the hub's own: PUBLIC_URL's, the CORS ones, the request's Host."""

    public_url: str | None
    cors_origins: Collection[str]

    def same_origin(self, headers: Mapping[str, str]) -> bool:
        """Whether the request's Origin (when the browser sent one) is the hub's or a CORS one.

        The hub's own is PUBLIC_URL's, or the host and port the request came to (Host header):
        a reverse proxy may pass another Host (nginx sends its upstream's by default), and one
        that terminates TLS makes the hub see http while the browser's Origin says https, so
        the scheme is not compared. Another site cannot put our host in its Origin. Header
        names are looked up in lower case, as HTTP/2 sends them and Starlette answers them.
        """
        origin = headers.get("origin")
        if origin is None:
            return True
        if self.public_url and origin == origin_of(self.public_url):
            return True
        if origin in self.cors_origins:
            return True
        host = origin.partition("://")[2]
        return bool(host) and host == headers.get("host")

    def check_cookie_request(self, method: str, headers: Mapping[str, str]) -> None:
        """Refuse a cookie-borne change without the CSRF header or from a foreign Origin."""
        if method not in SAFE_METHODS and (
            not headers.get(CSRF_HEADER.lower()) or not self.same_origin(headers)
        ):
            raise Forbidden(
                f"a signed-in browser request that changes something needs the {CSRF_HEADER} "
                "header and the hub's own Origin"
            )

    def check_sign_in(self, headers: Mapping[str, str]) -> None:
        """Refuse a sign-in from another site's page (login CSRF: another site must not sign
        this browser in to an account of its choosing)."""
        if not self.same_origin(headers):
            raise Forbidden("sign-in is accepted from the hub's own pages only")

"""The hub from this host: reachable, its certificate the pinned one, the token accepted, and
the clocks in step; asked with the agent's own timeouts and trust settings."""

from __future__ import annotations

import email.utils
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from homelab_agent import __version__
from homelab_agent.config import AgentConfig
from homelab_agent.delivery.tls import (
    client_context,
    fingerprint,
    is_loopback,
    peer_certificate,
    publicly_trusted,
)
from homelab_agent.delivery.transport import HEARTBEAT_PATH
from homelab_agent.doctor.findings import Finding, ok, problem, warning

HUB_CHECK = "hub"
TLS_CHECK = "certificate"
TOKEN_CHECK = "token"  # noqa: S105 - a check's name, not a secret
CLOCK_CHECK = "clock"
HEALTH_PATH = "/api/v1/system/health"
WARN_SKEW_SECONDS = 60
# The hub's HOMELAB_CMD_MAX_CLOCK_SKEW_SECONDS by default: a heartbeat further ahead is refused.
MAX_SKEW_SECONDS = 300
FIX_ENROLL = (
    "enroll this host: `homelab-agent enroll HUB_URL CODE`, with the code from the hub's "
    "Add server dialog (or the server's rotation code to replace a token)"
)


@dataclass(frozen=True, slots=True)
class HealthAnswer:
    """The reachability finding, and when the hub said it answered (its Date header)."""

    finding: Finding
    reachable: bool
    hub_time: float | None = None
    local_time: float | None = None


def _timeout(config: AgentConfig, deadline: float) -> httpx.Timeout:
    left = max(deadline - time.monotonic(), 0.1)
    read = min(config.read_timeout, left)
    return httpx.Timeout(read, connect=min(config.connect_timeout, left))


def hub_client(config: AgentConfig, deadline: float) -> httpx.Client:
    """An HTTP client with the agent's trust (pinned certificate or CA file) and timeouts."""
    return httpx.Client(
        base_url=config.hub_url.rstrip("/"),
        timeout=_timeout(config, deadline),
        verify=client_context(config.tls_pinned_cert or None, config.ca_file or None),
        headers={"User-Agent": f"homelab-agent/{__version__}"},
    )


def _tls_error(exc: BaseException) -> ssl.SSLError | None:
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _unreachable(config: AgentConfig, exc: httpx.HTTPError) -> Finding:
    url = config.hub_url
    tls = _tls_error(exc)
    if tls is not None:
        return problem(
            HUB_CHECK,
            f"{url} refuses the agent's TLS handshake: {getattr(tls, 'reason', None) or tls}",
            "the certificate check below says which certificate the hub presents",
        )
    if isinstance(exc, httpx.TimeoutException):
        return problem(
            HUB_CHECK,
            f"the hub at {url} did not answer in time ({type(exc).__name__})",
            "check that the hub runs and that nothing on the way drops the connection",
        )
    if isinstance(exc, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return problem(HUB_CHECK, f"hub_url {url!r} is not an http(s) URL ({exc})",
                       "set hub_url to the hub's address, e.g. http://hub.lan:8080")  # fmt: skip
    return problem(
        HUB_CHECK,
        f"the hub at {url} does not answer: {exc}",
        "check hub_url, that the hub runs (`systemctl status homelab-cmd`, or its container), "
        "and that no firewall blocks the port",
    )


def check_health(
    config: AgentConfig, client: httpx.Client, clock: Callable[[], float] = time.time
) -> HealthAnswer:
    """GET /system/health the way the agent would reach the hub."""
    began = clock()
    try:
        response = client.get(HEALTH_PATH)
    except httpx.HTTPError as exc:
        return HealthAnswer(_unreachable(config, exc), reachable=False)
    local = (began + clock()) / 2
    hub_time = _date(response.headers.get("date"))
    answer = _health_finding(config, response)
    return HealthAnswer(answer, answer.status != "problem", hub_time, local)


def _date(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return None


def _health_finding(config: AgentConfig, response: httpx.Response) -> Finding:
    url = config.hub_url
    if response.is_redirect:
        where = response.headers.get("location", "?")
        return problem(
            HUB_CHECK,
            f"{url} redirects to {where}; the agent never follows redirects",
            f"set hub_url to the hub's own address (perhaps {where.split('/api/')[0]})",
        )
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code != 200 or not isinstance(body, dict) or "version" not in body:
        return problem(
            HUB_CHECK,
            f"{url} answers HTTP {response.status_code}, but not as a HomelabCmd hub",
            "hub_url is the hub's base address, e.g. http://hub.lan:8080 (no /api path)",
        )
    said = f"hub {body['version']} at {url} answers (agent {__version__})"
    if body.get("status") != "ok":
        return warning(
            HUB_CHECK,
            f"{said}, but its database is {body.get('database', 'unwell')}: heartbeats wait "
            "in the spool until it is back",
            "see the hub's log",
        )
    return ok(HUB_CHECK, said)


def check_certificate(config: AgentConfig, deadline: float) -> Finding:
    """Plain http warned; over https, the pinned certificate (or the CA) against the hub's."""
    parts = urlsplit(config.hub_url)
    host = parts.hostname or ""
    if parts.scheme != "https":
        if is_loopback(config.hub_url):
            return ok(TLS_CHECK, "plain http to this machine: nothing crosses the network")
        return warning(
            TLS_CHECK,
            f"plain http to {host}: this host's token and metrics cross the network readable",
            "serve the hub over https (docs/security.md) and enroll again with its https "
            "address: the agent pins the hub's certificate at enrollment",
        )
    port = parts.port or 443
    timeout = _timeout(config, deadline).connect or 1.0
    try:
        if config.tls_pinned_cert:
            pinned = fingerprint(ssl.PEM_cert_to_DER_cert(config.tls_pinned_cert.strip() + "\n"))
            presented = fingerprint(peer_certificate(host, port, timeout))
            return _pin_finding(pinned, presented)
        trusted = publicly_trusted(host, port, timeout, config.ca_file or None)
    except (OSError, ssl.SSLError) as exc:
        return warning(TLS_CHECK, f"could not fetch the hub's certificate: {exc}")
    anchor = f"the CA file {config.ca_file}" if config.ca_file else "the system's CAs"
    if trusted:
        return ok(TLS_CHECK, f"the hub's certificate verifies through {anchor} (not pinned)")
    return problem(
        TLS_CHECK,
        f"the hub's certificate is not pinned and does not verify through {anchor}: the agent "
        "refuses the hub",
        "enroll again: `homelab-agent enroll` pins the hub's certificate on first use",
        "or set ca_file to the CA that signed it",
    )


def _pin_finding(pinned: str, presented: str) -> Finding:
    if presented == pinned:
        return ok(TLS_CHECK, f"pinned at enrollment ({pinned[:23]}…), and the hub presents it")
    return problem(
        TLS_CHECK,
        f"the hub presents the certificate {presented}, not the one pinned at enrollment "
        f"({pinned}): the agent refuses it and sends nothing",
        "if the hub's certificate was replaced on purpose, enroll again with the server's "
        f"rotation code: `homelab-agent enroll HUB_URL CODE --fingerprint {presented}`",
        "if not, something between this host and the hub presents its own certificate",
    )


def check_token(config: AgentConfig, client: httpx.Client, reachable: bool) -> Finding:
    """Whether the hub accepts the agent's token, without sending a heartbeat.

    An empty body to the heartbeat route: the hub checks the token before it reads the body, so
    it answers 401 or 403 for a token it refuses and 422 (nothing stored) for one it accepts.
    """
    if not config.api_key:
        return problem(
            TOKEN_CHECK, "no token (api_key): the hub would refuse every heartbeat", FIX_ENROLL
        )
    if not reachable:
        return warning(TOKEN_CHECK, "not checked: the hub does not answer")
    try:
        response = client.post(
            HEARTBEAT_PATH,
            content=b"{}",
            headers={"X-API-Key": config.api_key, "Content-Type": "application/json"},
        )
    except httpx.HTTPError as exc:
        return warning(TOKEN_CHECK, f"not checked: {exc}")
    return _token_answer(response.status_code)


def _token_answer(status: int) -> Finding:
    if status == 401:
        return problem(
            TOKEN_CHECK,
            "the hub does not know this host's token (revoked, replaced, or another hub's): "
            "heartbeats are refused and wait in the spool",
            FIX_ENROLL,
        )
    if status == 403:
        return problem(
            TOKEN_CHECK,
            "the hub knows this token, but it may not send heartbeats",
            "api_key must be this host's own token, the one `homelab-agent enroll` writes",
        )
    if status == 422:
        return ok(
            TOKEN_CHECK,
            "the hub accepts this host's token (asked with an empty body, refused after the "
            "token check; nothing stored); the first heartbeat checks it is this server's",
        )
    return warning(
        TOKEN_CHECK,
        f"could not tell: the hub answered HTTP {status}",
        "`homelab-agent --once` sends one heartbeat and says whether it was taken",
    )


def check_clock(answer: HealthAnswer) -> Finding:
    """This host's clock against the hub's Date header (whole seconds)."""
    if not answer.reachable:
        return warning(CLOCK_CHECK, "not checked: the hub does not answer")
    if answer.hub_time is None or answer.local_time is None:
        return warning(CLOCK_CHECK, "the hub's answer carries no Date: the offset is unknown")
    # Date is truncated to the second: the hub's time lies in [date, date + 1).
    offset = round(answer.local_time - (answer.hub_time + 0.5))
    size = abs(offset)
    if size <= WARN_SKEW_SECONDS:
        return ok(CLOCK_CHECK, f"this host's clock is within {max(size, 1)} s of the hub's")
    way = "ahead of" if offset > 0 else "behind"
    said = f"this host's clock is {size} s {way} the hub's"
    fix = (
        "turn on time sync on this host and on the hub: `timedatectl set-ntp true` "
        "(systemd-timesyncd) or chrony",
    )
    if size <= MAX_SKEW_SECONDS:
        return warning(CLOCK_CHECK, f"{said}: charts and alerts are off by that much", *fix)
    if offset > 0:
        consequence = (
            f"the hub refuses heartbeats more than {MAX_SKEW_SECONDS} s ahead of its clock "
            "(its default max clock skew) and drops them"
        )
    else:
        consequence = "heartbeats arrive stamped in the past: the server may show as offline"
    return problem(CLOCK_CHECK, f"{said}: {consequence}", *fix)


def hub_findings(
    config: AgentConfig, deadline: float, clock: Callable[[], float] = time.time
) -> list[Finding]:
    """Reachable, certificate, token and clock, in that order."""
    with hub_client(config, deadline) as client:
        answer = check_health(config, client, clock)
        certificate = check_certificate(config, deadline)
        token = check_token(config, client, answer.reachable)
    return [answer.finding, certificate, token, check_clock(answer)]

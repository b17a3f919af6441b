"""Request dependencies: settings, database session, access rules, and load-or-404 helpers.

Dependencies that do no I/O are `async def`: FastAPI runs plain `def` ones in its thread pool,
a hop that cost more than the whole heartbeat write.
"""

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, TypeVar

from fastapi import Depends, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.security import APIKeyCookie, APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError
from sqlalchemy.orm import Session
from starlette.requests import ClientDisconnect
from starlette.types import Receive

from homelab_cmd.api.agent_headers import agent_headers
from homelab_cmd.config import Settings
from homelab_cmd.db.models import Server
from homelab_cmd.domain.access import AccessRule, Principal
from homelab_cmd.domain.hub_url import is_hub_url
from homelab_cmd.errors import Forbidden, Unauthorized
from homelab_cmd.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.services.access.credentials import CredentialVerifier
from homelab_cmd.services.access.first_admin import SetupGate
from homelab_cmd.services.access.forwarded import UNTRUSTED_PROXY
from homelab_cmd.services.access.hashing import PasswordGate
from homelab_cmd.services.access.heartbeat_auth import Arrival, authorise_heartbeat
from homelab_cmd.services.access.login_throttle import AddressThrottle, LoginThrottle
from homelab_cmd.services.access.origin import OriginPolicy
from homelab_cmd.services.access.sightings import ServerSightings
from homelab_cmd.services.enrollment.agent_bundle import AgentBundle
from homelab_cmd.services.fleet.servers import get_server
from homelab_cmd.services.ingest.writer import HeartbeatWriter
from homelab_cmd.services.prometheus.exposition import Exposition

_bearer = HTTPBearer(auto_error=False, description="An API token, agent token or the admin key")
# X-API-Key is what agents and scripts of earlier versions send; X-Agent-Token is what the
# original HomelabCmd agents send. Both carry the same kinds of token as the bearer header.
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)
_agent_token_header = APIKeyHeader(name="X-Agent-Token", auto_error=False)
SESSION_COOKIE = "homelab_session"
_session_cookie = APIKeyCookie(
    name=SESSION_COOKIE, auto_error=False, description="A signed-in person's session"
)


_T = TypeVar("_T")


def _app_state(name: str, kind: type[_T]) -> Callable[[Request], Awaitable[_T]]:
    """A dependency returning the object `create_app` keeps as `app.state.<name>`."""

    async def get(request: Request) -> _T:
        value: _T = getattr(request.app.state, name)
        return value

    get.__name__ = f"app_state_{name}"
    return get


# What create_app keeps on app.state, for routes to declare.
_settings = _app_state("settings", Settings)
_writer = _app_state("writer", HeartbeatWriter)
_verifier = _app_state("verifier", CredentialVerifier)
_setup_gate = _app_state("setup_gate", SetupGate)
_login_throttle = _app_state("login_throttle", LoginThrottle)
_password_gate = _app_state("password_gate", PasswordGate)
_agent_bundle = _app_state("agent_bundle", AgentBundle)
_legacy_users = _app_state("legacy_users", ServerSightings)
_plain_http = _app_state("plain_http", ServerSightings)
_exposition = _app_state("exposition", Exposition)


def _session(request: Request) -> Iterator[Session]:
    with request.app.state.session_factory() as session:
        yield session


VerifierDep = Annotated[CredentialVerifier, Depends(_verifier)]


async def _origin_policy(request: Request) -> OriginPolicy:
    settings: Settings = request.app.state.settings
    return OriginPolicy(settings.public_url, settings.cors_origins)


async def _cookie_principal(
    request: Request, verifier: CredentialVerifier, secret: str
) -> Principal:
    (await _origin_policy(request)).check_cookie_request(request.method, request.headers)
    principal = await run_in_threadpool(verifier.session, secret)
    if principal is None:
        raise Unauthorized("the session has ended; sign in again")
    return principal


@dataclass(frozen=True, slots=True)
class _Presented:
    """The credentials a request carries: a header secret and/or a session cookie."""

    secret: str | None
    cookie: str | None


async def _presented(
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    api_key: Annotated[str | None, Security(_api_key_header)],
    agent_token: Annotated[str | None, Security(_agent_token_header)],
    cookie: Annotated[str | None, Security(_session_cookie)],
) -> _Presented:
    secret = bearer.credentials if bearer is not None else api_key or agent_token
    return _Presented(secret=secret or None, cookie=cookie or None)


PresentedDep = Annotated[_Presented, Depends(_presented)]


async def _principal(
    request: Request, verifier: VerifierDep, presented: PresentedDep
) -> Principal | None:
    secret = presented.secret
    if not secret:
        # A header credential wins over the cookie: scripts never depend on browser state.
        if presented.cookie:
            return await _cookie_principal(request, verifier, presented.cookie)
        return None
    digest, principal = verifier.cached(secret)
    if principal is None:
        principal = await run_in_threadpool(verifier.lookup, digest)
    if principal is None:
        raise Unauthorized("unknown or revoked token")
    return principal


def _requirement(rule: AccessRule) -> Callable[[Principal | None], Awaitable[Principal]]:
    async def require(principal: Annotated[Principal | None, Depends(_principal)]) -> Principal:
        if principal is None:
            raise Unauthorized("sign in, or send a token as 'Authorization: Bearer <token>'")
        if not principal.may(rule):
            raise Forbidden(f"a {principal.role} credential may not do this ({rule} access)")
        return principal

    return require


_require_read = _requirement(AccessRule.READ)
_require_agent = _requirement(AccessRule.AGENT)


async def _metrics_reader(
    request: Request, verifier: VerifierDep, presented: PresentedDep
) -> Principal | None:
    # With the public switch on, credentials are not even looked at: a scraper still configured
    # with an old token keeps working.
    settings: Settings = request.app.state.settings
    if settings.metrics_public:
        return None
    principal = await _principal(request, verifier, presented)
    return await _require_read(principal)


async def _hub_url(request: Request) -> str:
    """Where hosts reach the hub: PUBLIC_URL, else the address this request came to."""
    settings: Settings = request.app.state.settings
    if settings.public_url:
        return settings.public_url
    seen = str(request.base_url).rstrip("/")
    # The Host header is the client's: only an address PUBLIC_URL would accept is handed out.
    return seen if is_hub_url(seen) else settings.base_url


SetupGateDep = Annotated[SetupGate, Depends(_setup_gate)]
AgentBundleDep = Annotated[AgentBundle, Depends(_agent_bundle)]
LegacyUsersDep = Annotated[ServerSightings, Depends(_legacy_users)]
PlainHttpDep = Annotated[ServerSightings, Depends(_plain_http)]
HubUrlDep = Annotated[str, Depends(_hub_url)]
# Login CSRF and cookie-borne changes: which Origins are the hub's own.
OriginPolicyDep = Annotated[OriginPolicy, Depends(_origin_policy)]
LoginThrottleDep = Annotated[LoginThrottle, Depends(_login_throttle)]
PasswordGateDep = Annotated[PasswordGate, Depends(_password_gate)]


async def _body(receive: Receive) -> bytes:
    # Starlette's Request.body, without its stream generator: an agent's body is one message.
    chunks: list[bytes] = []
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientDisconnect()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return chunks[0] if len(chunks) == 1 else b"".join(chunks)


async def _heartbeat(request: Request) -> HeartbeatRequest:
    # Validating the raw bytes in one pass (pydantic-core parses the JSON itself) costs a fraction
    # of FastAPI's decode-then-validate, and heartbeats are the hub's hottest path.
    try:
        return HeartbeatRequest.model_validate_json(await _body(request.receive))
    except ValidationError as exc:
        errors = [{**err, "loc": ("body", *err["loc"])} for err in exc.errors()]
        raise RequestValidationError(errors) from exc


SettingsDep = Annotated[Settings, Depends(_settings)]
SessionDep = Annotated[Session, Depends(_session)]
WriterDep = Annotated[HeartbeatWriter, Depends(_writer)]
ExpositionDep = Annotated[Exposition, Depends(_exposition)]
# Every route but the health check declares one of these two, first among its parameters so
# that a request without the right credential is refused before anything else is looked at, or
# (the heartbeat, agent access) AgentHeartbeat, which checks the credential before the body.
ReadAuth = Annotated[Principal, Depends(_requirement(AccessRule.READ))]
AdminAuth = Annotated[Principal, Depends(_requirement(AccessRule.ADMIN))]
# GET /metrics: read access, or anyone when HOMELAB_CMD_METRICS_PUBLIC=true.
MetricsAuth = Annotated[Principal | None, Depends(_metrics_reader)]


# What the heartbeat route declares in the OpenAPI document in place of the credential schemes
# its one-step dependency reads itself: the same list the ReadAuth/AdminAuth dependency graph
# produces (the three header schemes share FastAPI's name APIKeyHeader).
HEARTBEAT_SECURITY: list[dict[str, list[str]]] = [
    {"HTTPBearer": []},
    {"APIKeyHeader": []},
    {"APIKeyCookie": []},
]


@dataclass(frozen=True)
class HeartbeatCall:
    """What the heartbeat route needs: the agent, its validated heartbeat and the writer."""

    agent: Principal
    heartbeat: HeartbeatRequest
    writer: HeartbeatWriter


async def heartbeat_call(request: Request) -> HeartbeatCall:
    # One flat step instead of a graph: FastAPI resolving the nine dependencies of agent access,
    # authorised body and writer cost more hub CPU than validating the body. The headers are
    # read in one pass (api/agent_headers.py), not by the security schemes the graph declares.
    # The order is the graph's: the credential, then the body, then the server's claim.
    state = request.app.state
    scope = request.scope
    headers = agent_headers(scope, SESSION_COOKIE)
    presented = _Presented(secret=headers.secret, cookie=headers.cookie)
    agent = await _require_agent(await _principal(request, state.verifier, presented))
    heartbeat = await _heartbeat(request)
    client = scope.get("client")
    arrival = Arrival(headers.guid, scope["scheme"], client[0] if client else None)
    sightings = (state.legacy_users, state.plain_http)
    await authorise_heartbeat(state.verifier, sightings, agent, heartbeat.server_id, arrival)
    return HeartbeatCall(agent, heartbeat, state.writer)


# POST /agents/heartbeat: an agent credential, a body that validates, and a server the
# credential may report for (an agent token only reports for its own server).
AgentHeartbeat = Annotated[HeartbeatCall, Depends(heartbeat_call)]


def client_address(request: Request) -> str | None:
    """The client's address: the source audit records and per-address throttles use.

    It is the connection's peer, unless that peer is one of HOMELAB_CMD_TRUSTED_PROXIES: then
    uvicorn (cli.py) has already put the nearest untrusted address of X-Forwarded-For in its
    place. With no trusted proxy (the default) no header can change it; a forwarded header the
    hub did not believe is logged as a warning, once (services/access/forwarded.py).
    """
    client = request.client
    host = client.host if client else None
    settings: Settings = request.app.state.settings
    UNTRUSTED_PROXY.check(request.headers, host, settings.trusted_proxy_list)
    return host


def _server_or_404(server_id: str, session: SessionDep) -> Server:
    return get_server(session, server_id)


ServerDep = Annotated[Server, Depends(_server_or_404)]


async def _enrollment_allowed(request: Request) -> None:
    throttle: AddressThrottle = request.app.state.enroll_throttle
    throttle.spend(client_address(request) or "unknown")


# Declared by POST /agents/enroll: every attempt from one address, right code or wrong, counts
# against HOMELAB_CMD_ENROLL_ATTEMPTS_PER_MINUTE; past it, 429 with Retry-After.
EnrollmentThrottled = Annotated[None, Depends(_enrollment_allowed)]

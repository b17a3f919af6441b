"""Request dependencies: settings, database session, access rules, and load-or-404 helpers.

Dependencies that do no I/O are `async def`: FastAPI runs plain `def` ones in its thread pool,
a hop that cost more than the whole heartbeat write.
"""

from collections.abc import Awaitable, Callable, Iterator
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError
from sqlalchemy.orm import Session

from homelab_cmd.api.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.config import Settings
from homelab_cmd.db.models import Server
from homelab_cmd.domain.access import AccessRule, Principal
from homelab_cmd.errors import Forbidden, Unauthorized
from homelab_cmd.services.credentials import CredentialVerifier
from homelab_cmd.services.exposition import Exposition
from homelab_cmd.services.servers import get_server
from homelab_cmd.services.writer import HeartbeatWriter

_bearer = HTTPBearer(auto_error=False, description="An API token, agent token or the admin key")
# X-API-Key is what agents and scripts of earlier versions send; X-Agent-Token is what the
# original HomelabCmd agents send. Both carry the same kinds of token as the bearer header.
_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)
_agent_token_header = APIKeyHeader(name="X-Agent-Token", auto_error=False)


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _session(request: Request) -> Iterator[Session]:
    with request.app.state.session_factory() as session:
        yield session


async def _writer(request: Request) -> HeartbeatWriter:
    writer: HeartbeatWriter = request.app.state.writer
    return writer


async def _verifier(request: Request) -> CredentialVerifier:
    verifier: CredentialVerifier = request.app.state.verifier
    return verifier


VerifierDep = Annotated[CredentialVerifier, Depends(_verifier)]


async def _principal(
    verifier: VerifierDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    api_key: Annotated[str | None, Security(_api_key_header)],
    agent_token: Annotated[str | None, Security(_agent_token_header)],
) -> Principal | None:
    secret = bearer.credentials if bearer is not None else api_key or agent_token
    if not secret:
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
            raise Unauthorized("send a token as 'Authorization: Bearer <token>'")
        if not principal.may(rule):
            raise Forbidden(f"a {principal.role} credential may not do this ({rule} access)")
        return principal

    return require


_require_read = _requirement(AccessRule.READ)


async def _metrics_reader(
    request: Request,
    verifier: VerifierDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
    api_key: Annotated[str | None, Security(_api_key_header)],
    agent_token: Annotated[str | None, Security(_agent_token_header)],
) -> Principal | None:
    # With the public switch on, credentials are not even looked at: a scraper still configured
    # with an old token keeps working.
    settings: Settings = request.app.state.settings
    if settings.metrics_public:
        return None
    principal = await _principal(verifier, bearer, api_key, agent_token)
    return await _require_read(principal)


async def _exposition(request: Request) -> Exposition:
    exposition: Exposition = request.app.state.exposition
    return exposition


async def _heartbeat(request: Request) -> HeartbeatRequest:
    # Validating the raw bytes in one pass (pydantic-core parses the JSON itself) costs a fraction
    # of FastAPI's decode-then-validate, and heartbeats are the hub's hottest path.
    try:
        return HeartbeatRequest.model_validate_json(await request.body())
    except ValidationError as exc:
        errors = [{**err, "loc": ("body", *err["loc"])} for err in exc.errors()]
        raise RequestValidationError(errors) from exc


SettingsDep = Annotated[Settings, Depends(_settings)]
SessionDep = Annotated[Session, Depends(_session)]
WriterDep = Annotated[HeartbeatWriter, Depends(_writer)]
ExpositionDep = Annotated[Exposition, Depends(_exposition)]
# Every route but the health check declares one of these three, first among its parameters so
# that a request without the right credential is refused before anything else is looked at.
ReadAuth = Annotated[Principal, Depends(_requirement(AccessRule.READ))]
AdminAuth = Annotated[Principal, Depends(_requirement(AccessRule.ADMIN))]
AgentAuth = Annotated[Principal, Depends(_requirement(AccessRule.AGENT))]
# GET /metrics: read access, or anyone when HOMELAB_CMD_METRICS_PUBLIC=true.
MetricsAuth = Annotated[Principal | None, Depends(_metrics_reader)]


async def _authorised_heartbeat(
    agent: AgentAuth, heartbeat: Annotated[HeartbeatRequest, Depends(_heartbeat)]
) -> HeartbeatRequest:
    if not agent.may_report_for(heartbeat.server_id):
        raise Forbidden(f"this agent token reports for another server, not {heartbeat.server_id!r}")
    return heartbeat


# A heartbeat body that the caller may send: an agent token only reports for its own server.
AgentHeartbeat = Annotated[HeartbeatRequest, Depends(_authorised_heartbeat)]


def _server_or_404(server_id: str, session: SessionDep) -> Server:
    return get_server(session, server_id)


ServerDep = Annotated[Server, Depends(_server_or_404)]

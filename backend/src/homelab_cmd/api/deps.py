"""Request dependencies: settings, database session, auth, and load-or-404 helpers.

Dependencies that do no I/O are `async def`: FastAPI runs plain `def` ones in its thread pool,
a hop that cost more than the whole heartbeat write.
"""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import ValidationError
from sqlalchemy.orm import Session

from homelab_cmd.api.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.config import Settings
from homelab_cmd.db.models import Server
from homelab_cmd.errors import Unauthorized
from homelab_cmd.services.api_key import key_matches
from homelab_cmd.services.exposition import Exposition
from homelab_cmd.services.servers import get_server
from homelab_cmd.services.writer import HeartbeatWriter

_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)
# Scrapers send `Authorization: Bearer …` (Prometheus's `authorization` block); no custom headers.
_bearer = HTTPBearer(auto_error=False)


async def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _session(request: Request) -> Iterator[Session]:
    with request.app.state.session_factory() as session:
        yield session


async def _writer(request: Request) -> HeartbeatWriter:
    writer: HeartbeatWriter = request.app.state.writer
    return writer


async def _require_key(request: Request, key: str | None = Security(_api_key_header)) -> None:
    if not key_matches(request.app.state.api_key, key):
        raise Unauthorized("missing or wrong X-API-Key header")


async def _require_metrics_access(
    request: Request,
    key: Annotated[str | None, Security(_api_key_header)],
    bearer: Annotated[HTTPAuthorizationCredentials | None, Security(_bearer)],
) -> None:
    settings: Settings = request.app.state.settings
    if settings.metrics_public:
        return
    given = key if key is not None else (bearer.credentials if bearer is not None else None)
    if not key_matches(request.app.state.api_key, given):
        raise Unauthorized(
            "missing or wrong credentials: send the API key as a bearer token or X-API-Key, "
            "or set HOMELAB_CMD_METRICS_PUBLIC=true"
        )


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
HeartbeatBody = Annotated[HeartbeatRequest, Depends(_heartbeat)]
ApiKeyAuth = Depends(_require_key)
MetricsAuth = Depends(_require_metrics_access)
ExpositionDep = Annotated[Exposition, Depends(_exposition)]


def _server_or_404(server_id: str, session: SessionDep) -> Server:
    return get_server(session, server_id)


ServerDep = Annotated[Server, Depends(_server_or_404)]

"""Request dependencies: settings, database session, auth, and load-or-404 helpers.

Dependencies that do no I/O are `async def`: FastAPI runs plain `def` ones in its thread pool,
a hop that cost more than the whole heartbeat write.
"""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.exceptions import RequestValidationError
from fastapi.security import APIKeyHeader
from pydantic import ValidationError
from sqlalchemy.orm import Session

from homelab_cmd.api.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.config import Settings
from homelab_cmd.db.models import Server
from homelab_cmd.errors import Unauthorized
from homelab_cmd.services.api_key import key_matches
from homelab_cmd.services.servers import get_server
from homelab_cmd.services.writer import HeartbeatWriter

_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False)


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


def _server_or_404(server_id: str, session: SessionDep) -> Server:
    return get_server(session, server_id)


ServerDep = Annotated[Server, Depends(_server_or_404)]

"""Every error leaves the API as {"error": "<Name>", "detail": "<text>"}."""

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from homelab_cmd.errors import HomelabError
from homelab_cmd.schemas.common import ErrorResponse

log = logging.getLogger(__name__)
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
UI_FALLBACK = "/{path:path}"
_HTTP_NAMES = {
    400: "BadRequest",
    401: "Unauthorized",
    404: "NotFound",
    405: "MethodNotAllowed",
}


def _body(error: str, detail: str, **extra: Any) -> dict[str, Any]:
    return {"error": error, "detail": detail, **extra}


def _describe(errors: list[Any]) -> str:
    parts = []
    for err in errors[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        parts.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
    more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
    return "; ".join(parts) + more


def _clean(errors: list[Any]) -> list[dict[str, Any]]:
    # Echoing the offending input back could be megabytes; location and message are enough.
    return [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")} for e in errors
    ]


def allowed_methods(request: Request) -> str:
    """Every method the path takes, as RFC 9110 wants in a 405's Allow. Starlette's own header
    names only the first route on the path, and FastAPI makes a route per method."""
    # The web UI's fallback takes GET anywhere, and answers 404 under /api.
    api = request.url.path == "/api" or request.url.path.startswith("/api/")
    routes = [
        route
        for route in request.app.router.routes
        if not (api and getattr(route, "path", None) == UI_FALLBACK)
    ]
    allowed = [
        method
        for method in METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    ]
    return ", ".join(allowed)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that render every error in the standard envelope."""

    @app.exception_handler(HomelabError)
    async def _domain(_: Request, exc: HomelabError) -> JSONResponse:
        return JSONResponse(
            _body(type(exc).__name__, exc.detail), status_code=exc.status_code, headers=exc.headers
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        body = _body("ValidationError", _describe(errors), errors=_clean(errors))
        return JSONResponse(body, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        name = _HTTP_NAMES.get(exc.status_code, "HTTPError")
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = allowed_methods(request)
        return JSONResponse(
            _body(name, str(exc.detail)), status_code=exc.status_code, headers=headers or None
        )

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse(_body("InternalError", "unexpected error; see the hub log"), 500)


def error_responses(*errors: type[HomelabError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses=` for a route, from the errors it may raise."""
    responses: dict[int | str, dict[str, Any]] = {}
    for err in errors:
        entry = responses.setdefault(err.status_code, {"model": ErrorResponse, "description": ""})
        entry["description"] = "; ".join(d for d in (entry["description"], err.description) if d)
    return responses

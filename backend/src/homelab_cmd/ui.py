"""Serving the built web UI at `/`, with client-side routes falling back to index.html."""

import logging
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from homelab_cmd.api.error_handlers import allowed_methods

log = logging.getLogger(__name__)


def mount_ui(app: FastAPI, ui_dir: Path) -> None:
    """Serve files from `ui_dir`; any other non-API path gets index.html."""
    index = ui_dir / "index.html"
    root = ui_dir.resolve()

    @app.get("/{path:path}", include_in_schema=False)
    def ui(path: str, request: Request) -> Response:
        if path.startswith("api/") or path == "api":
            # GET on an API path that takes other methods (the heartbeat, sign-in) is a 405.
            if allowed_methods(request):
                raise StarletteHTTPException(405)
            return JSONResponse({"error": "NotFound", "detail": f"no route /{path}"}, 404)
        if not index.is_file():
            return JSONResponse(
                {"error": "NotFound", "detail": "the web UI is not built; run 'make ui'"}, 404
            )
        candidate = (root / path).resolve()
        if path and candidate.is_file() and candidate.is_relative_to(root):
            return FileResponse(candidate)
        return FileResponse(index)

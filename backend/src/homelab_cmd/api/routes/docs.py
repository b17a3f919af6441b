"""The API's Swagger UI at /api/docs, served with its files from the hub itself.

FastAPI's built-in page loads Swagger UI from a CDN and starts it with an inline script; that
fails on an offline LAN and runs a third party's code in the hub's origin. The Swagger UI
distribution comes from the pinned `fastapi-offline` package, and the page starts it with a
script of our own (docs_static/swagger-init.js), so the Content-Security-Policy can stay
same-origin with no inline script.
"""

from html import escape
from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, HTMLResponse

DOCS_PATH = "/api/docs"
OPENAPI_PATH = "/api/openapi.json"
_SWAGGER_DIST = Path(str(files("fastapi_offline") / "static"))
_OWN = Path(__file__).resolve().parents[1] / "docs_static"
# Every file the page loads: the name under /api/docs/ and where it is read from.
ASSETS: dict[str, tuple[Path, str]] = {
    "swagger-ui-bundle.js": (_SWAGGER_DIST / "swagger-ui-bundle.js", "text/javascript"),
    "swagger-ui.css": (_SWAGGER_DIST / "swagger-ui.css", "text/css"),
    "favicon.png": (_SWAGGER_DIST / "favicon.png", "image/png"),
    "swagger-init.js": (_OWN / "swagger-init.js", "text/javascript"),
}
_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>HomelabCmd API</title>
<link rel="icon" type="image/png" href="{docs}/favicon.png">
<link rel="stylesheet" href="{docs}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui" data-openapi-url="{openapi}"></div>
<script src="{docs}/swagger-ui-bundle.js"></script>
<script src="{docs}/swagger-init.js"></script>
</body>
</html>
"""

router = APIRouter(include_in_schema=False)


@router.get(DOCS_PATH)
def swagger_ui(request: Request) -> HTMLResponse:
    """The Swagger UI page; public, as the OpenAPI document is."""
    # Behind a proxy that serves the hub under a prefix, links carry the prefix.
    root = escape(str(request.scope.get("root_path", "")), quote=True)
    return HTMLResponse(_PAGE.format(docs=root + DOCS_PATH, openapi=root + OPENAPI_PATH))


def _asset_route(name: str) -> None:
    path, media_type = ASSETS[name]

    @router.get(f"{DOCS_PATH}/{name}", name=f"docs_asset_{name}")
    def asset() -> FileResponse:
        return FileResponse(path, media_type=media_type)


for _name in ASSETS:
    _asset_route(_name)

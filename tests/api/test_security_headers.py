"""Every answer of the hub (UI page, API call, error, docs file) carries the protections."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from homelab_cmd.config import Settings
from homelab_cmd.main import create_app
from tests.conftest import API_KEY

EXPECTED = {
    "content-security-policy": (
        "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-ancestors 'none'"
    ),
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
}


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    """A hub serving a built UI: an index page and one hashed asset, as Vite leaves them."""
    ui = tmp_path / "ui"
    (ui / "assets").mkdir(parents=True)
    (ui / "index.html").write_text("<!doctype html><title>HomelabCmd</title>", encoding="utf-8")
    (ui / "assets" / "index-abc123.js").write_text("export {};", encoding="utf-8")
    return Settings(
        database_url=db_url,
        api_key=API_KEY,
        data_dir=tmp_path / "data",
        ui_dir=ui,
        maintenance_interval_seconds=0,
    )


def _protections(headers: dict[str, str]) -> dict[str, str]:
    return {name: headers.get(name, "<missing>") for name in EXPECTED}


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/servers/nas-1", 200),
        ("GET", "/assets/index-abc123.js", 200),
        ("GET", "/api/v1/servers", 200),
        ("GET", "/api/v1/servers/nowhere", 404),
        ("GET", "/api/v1/system/health", 200),
        ("GET", "/api/nothing-here", 404),
        ("GET", "/metrics", 200),
        ("GET", "/api/openapi.json", 200),
        ("GET", "/api/docs", 200),
        ("GET", "/api/docs/swagger-ui-bundle.js", 200),
        ("POST", "/api/v1/agents/heartbeat", 422),
    ],
)
def test_every_kind_of_answer_carries_the_protections(
    client: TestClient, method: str, path: str, status: int
) -> None:
    response = client.request(method, path, json={} if method == "POST" else None)

    assert response.status_code == status
    assert _protections(dict(response.headers)) == EXPECTED


def test_refused_requests_carry_them_too(client: TestClient) -> None:
    unauthorized = client.get("/api/v1/servers", headers={"X-API-Key": "wrong-key-0123456789"})
    too_large = client.post(
        "/api/v1/agents/heartbeat",
        content=b"x" * (2 * 1024 * 1024),
        headers={"Content-Type": "application/json"},
    )

    assert (unauthorized.status_code, too_large.status_code) == (401, 413)
    assert _protections(dict(unauthorized.headers)) == EXPECTED
    assert _protections(dict(too_large.headers)) == EXPECTED


def test_the_headers_are_sent_once_each(settings: Settings) -> None:
    with TestClient(create_app(settings)) as client:
        response = client.get("/api/v1/system/health")

    for name in EXPECTED:
        assert len(response.headers.get_list(name)) == 1, name


def test_a_plain_http_hub_never_sends_hsts(client: TestClient) -> None:
    response = client.get("/api/v1/system/health")

    assert response.status_code == 200
    assert "strict-transport-security" not in response.headers


def test_a_hub_serving_tls_sends_hsts_over_https_only(settings: Settings) -> None:
    tls = settings.model_copy(update={"tls": "self-signed"})
    app = create_app(tls)
    with TestClient(app, base_url="https://hub.lan") as https:
        secure = https.get("/api/v1/system/health")
        refused = https.get("/api/v1/servers", headers={"X-API-Key": "wrong-key-0123456789"})
    # A request that reached the app without TLS (nothing uvicorn does when serving it) gets none.
    with TestClient(app, base_url="http://hub.lan") as http:
        plain = http.get("/api/v1/system/health")

    assert (secure.status_code, refused.status_code, plain.status_code) == (200, 401, 200)
    assert secure.headers.get_list("strict-transport-security") == ["max-age=31536000"]
    assert refused.headers.get_list("strict-transport-security") == ["max-age=31536000"]
    assert "strict-transport-security" not in plain.headers

"""The built web UI is served at `/`, with client routes falling back to index.html."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from homelab_cmd.config import Settings
from homelab_cmd.main import create_app
from tests.conftest import API_KEY


@pytest.fixture
def ui_client(settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    dist = tmp_path / "dist"
    (dist / "assets").mkdir(parents=True)
    (dist / "index.html").write_text("<!doctype html><title>HomelabCmd</title>")
    (dist / "assets" / "app.js").write_text("console.log('ui')")
    (tmp_path / "secret.txt").write_text("not for the web")
    app = create_app(settings.model_copy(update={"ui_dir": dist}))
    with TestClient(app) as client:
        yield client


def test_root_and_client_routes_serve_the_app(ui_client: TestClient) -> None:
    for path in ("/", "/servers/nas-1", "/servers/nas-1?range=7d"):
        response = ui_client.get(path)
        assert response.status_code == 200
        assert "<title>HomelabCmd</title>" in response.text


def test_built_assets_are_served_as_files(ui_client: TestClient) -> None:
    response = ui_client.get("/assets/app.js")

    assert response.status_code == 200
    assert response.text == "console.log('ui')"


def test_paths_outside_the_build_are_never_served(ui_client: TestClient) -> None:
    for path in ("/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt"):
        assert "not for the web" not in ui_client.get(path).text


def test_api_paths_are_not_swallowed_by_the_app(ui_client: TestClient) -> None:
    response = ui_client.get("/api/v1/unknown", headers={"X-API-Key": API_KEY})

    assert response.status_code == 404
    assert response.json()["error"] == "NotFound"


@pytest.mark.parametrize(
    ("path", "allow"), [("/api/v1/agents/heartbeat", "POST"), ("/api/v1/auth/login", "POST")]
)
def test_get_on_an_api_path_that_takes_other_methods_is_a_405(
    ui_client: TestClient, path: str, allow: str
) -> None:
    # The app's fallback takes GET anywhere; under /api it must not hide the methods that exist.
    response = ui_client.get(path)

    assert (response.status_code, response.json()["error"]) == (405, "MethodNotAllowed")
    assert response.headers["allow"] == allow


def test_missing_build_says_how_to_make_it(client: TestClient) -> None:
    response = client.get("/")

    assert response.status_code == 404
    assert "make ui" in response.json()["detail"]

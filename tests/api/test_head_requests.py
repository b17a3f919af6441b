"""HEAD gets what GET would, status and headers, never a body; access rules unchanged."""

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from homelab_cmd.config import Settings
from tests.conftest import API_KEY


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    ui = tmp_path / "ui"
    ui.mkdir()
    (ui / "index.html").write_text("<!doctype html><title>HomelabCmd</title>", encoding="utf-8")
    return Settings(
        database_url=db_url,
        api_key=API_KEY,
        data_dir=tmp_path / "data",
        ui_dir=ui,
        maintenance_interval_seconds=0,
    )


@pytest.mark.parametrize(
    "path", ["/api/v1/system/health", "/", "/servers/nas-1", "/api/v1/servers"]
)
def test_head_answers_as_get_without_the_body(client: TestClient, path: str) -> None:
    got = client.get(path)
    head = client.head(path)

    assert (head.status_code, got.status_code) == (200, 200)
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == got.headers["content-length"]
    assert head.headers["x-content-type-options"] == "nosniff"


def test_head_keeps_the_access_rule_of_get(client: TestClient) -> None:
    answer = client.head("/api/v1/servers", headers={"X-API-Key": ""})

    assert answer.status_code == 401
    assert answer.content == b""


def test_head_on_a_path_without_get_is_refused_with_its_methods(client: TestClient) -> None:
    answer = client.head("/api/v1/agents/heartbeat")

    assert answer.status_code == 405
    assert "POST" in answer.headers["allow"]

"""Health and the documents served beside the API."""

from fastapi.testclient import TestClient

from homelab_cmd.config import Settings
from homelab_cmd.main import create_app


def test_health_needs_no_key_and_checks_the_database(client: TestClient) -> None:
    client.headers.pop("X-API-Key")

    response = client.get("/api/v1/system/health")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_health_tells_the_ui_when_the_hub_calls_a_server_offline(settings: Settings) -> None:
    configured = settings.model_copy(update={"offline_after_seconds": 600})

    with TestClient(create_app(configured)) as client:
        response = client.get("/api/v1/system/health")

    assert response.status_code == 200
    assert response.json()["offline_after_seconds"] == 600


def test_openapi_documents_every_error_in_the_envelope(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()

    heartbeat = spec["paths"]["/api/v1/agents/heartbeat"]["post"]
    assert {"401", "409", "413", "422", "503"} <= set(heartbeat["responses"])
    server = spec["paths"]["/api/v1/servers/{server_id}"]["get"]
    assert server["responses"]["404"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ErrorResponse"
    }


def test_unknown_api_path_is_a_json_404(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")

    assert response.status_code == 404
    assert response.json()["error"] == "NotFound"


def test_wrong_method_is_a_json_405(client: TestClient) -> None:
    response = client.put("/api/v1/servers")

    assert response.status_code == 405
    assert response.json()["error"] == "MethodNotAllowed"
    # RFC 9110: a 405 lists the methods the resource does accept, all of them: FastAPI makes a
    # route per method, and Starlette's own Allow names only the first.
    assert set(response.headers["allow"].replace(" ", "").split(",")) == {"GET"}
    tokens = client.put("/api/v1/tokens")
    assert set(tokens.headers["allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    server = client.post("/api/v1/servers/nas-1")
    assert set(server.headers["allow"].replace(" ", "").split(",")) == {
        "GET",
        "PATCH",
        "DELETE",
    }


def test_validation_errors_are_documented_as_they_are_sent(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()
    documented = spec["components"]["schemas"]["HTTPValidationError"]
    login = spec["paths"]["/api/v1/auth/login"]["post"]["responses"]["422"]
    assert login["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/HTTPValidationError"
    }

    body = client.post("/api/v1/auth/login", json={"username": "x"}).json()

    assert set(body) == set(documented["properties"])
    assert documented["properties"]["detail"]["type"] == "string"
    assert isinstance(body["detail"], str)
    item = spec["components"]["schemas"]["ValidationError"]
    assert set(item["required"]) <= set(body["errors"][0])
    # A domain rule's 422 is documented by the same schema and carries no field errors.
    levels = {"warn_percent": 90, "crit_percent": 80}
    refused = client.put("/api/v1/alert-settings", json=levels).json()
    assert refused["error"] == "InvalidLevels"
    assert set(documented["required"]) <= set(refused) <= set(documented["properties"])


def test_a_body_that_is_not_text_is_a_documented_400(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()

    response = client.post(
        "/api/v1/tokens", content=b"\xff\xfe{", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert response.json()["error"] == "BadRequest"
    assert "400" in spec["paths"]["/api/v1/tokens"]["post"]["responses"]
    # The heartbeat parses its own bytes: the same body is a 422 there, and documented so.
    heartbeat = spec["paths"]["/api/v1/agents/heartbeat"]["post"]
    assert "400" not in heartbeat["responses"]
    assert not any(key.startswith("x-") for key in heartbeat)


def test_openapi_documents_the_heartbeat_body_with_its_nested_models(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()

    body = spec["paths"]["/api/v1/agents/heartbeat"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/HeartbeatRequest"}
    components = spec["components"]["schemas"]
    assert {"HeartbeatRequest", "FilesystemMetric", "MetricsPayload", "OSInfo"} <= set(components)
    assert "mount_point" in components["FilesystemMetric"]["required"]

"""Health and the documents served beside the API."""

from fastapi.testclient import TestClient


def test_health_needs_no_key_and_checks_the_database(client: TestClient) -> None:
    client.headers.pop("X-API-Key")

    response = client.get("/api/v1/system/health")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    assert response.json()["database"] == "ok"


def test_openapi_documents_every_error_in_the_envelope(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()

    heartbeat = spec["paths"]["/api/v1/agents/heartbeat"]["post"]
    assert {"401", "413", "422", "503"} <= set(heartbeat["responses"])
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


def test_openapi_documents_the_heartbeat_body_with_its_nested_models(client: TestClient) -> None:
    spec = client.get("/api/openapi.json").json()

    body = spec["paths"]["/api/v1/agents/heartbeat"]["post"]["requestBody"]
    schema = body["content"]["application/json"]["schema"]
    assert schema == {"$ref": "#/components/schemas/HeartbeatRequest"}
    components = spec["components"]["schemas"]
    assert {"HeartbeatRequest", "FilesystemMetric", "MetricsPayload", "OSInfo"} <= set(components)
    assert "mount_point" in components["FilesystemMetric"]["required"]

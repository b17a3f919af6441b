"""Every route, fuzzed from the OpenAPI document on each engine: no 5xx, and every answer
matches the schema the document promises. Bounded so it stays a few seconds."""

from collections import Counter
from typing import Any

import schemathesis
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
)

from tests.conftest import API_KEY
from tests.factories import filesystem_payload, heartbeat_payload

# Examples per operation and engine: enough to find the 500s of a missing bound, cheap enough to
# run on every `make test`.
EXAMPLES = 15
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]


def test_every_route_answers_within_its_schema_and_never_5xx(
    app: FastAPI, client: TestClient
) -> None:
    # The client started the hub (lifespan); a server with filesystems gives reads some data.
    fs = [filesystem_payload(), filesystem_payload(mount_point="/data", device="/dev/sdb1")]
    client.post("/api/v1/agents/heartbeat", json=heartbeat_payload(filesystems=fs))
    schema = schemathesis.openapi.from_asgi("/api/openapi.json", app)
    statuses: Counter[str] = Counter()
    operations = [result.ok() for result in schema.get_all_operations()]  # type: ignore[union-attr]

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case: schemathesis.Case[Any]) -> None:
            response = case.call_and_validate(headers={"X-API-Key": API_KEY}, checks=CHECKS)
            statuses[f"{response.status_code // 100}xx"] += 1

        fuzz()

    print(f"{len(operations)} operations, {sum(statuses.values())} requests: {dict(statuses)}")
    assert len(operations) >= 10
    assert statuses["5xx"] == 0

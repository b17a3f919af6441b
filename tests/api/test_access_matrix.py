"""Every route of the app against every kind of caller: a route without an access rule fails.

The route list comes from the app itself, so adding a route without adding its rule here turns
this test red. Each rule names who may call the route and the status a permitted call returns.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from homelab_cmd import __version__
from homelab_cmd.config import Settings
from homelab_cmd.domain.access import Role
from homelab_cmd.main import create_app
from homelab_cmd.services.access.accounts import create_user
from homelab_cmd.services.access.tokens import revoke_token
from tests.factories import (
    ADMIN_PASSWORD,
    ADMIN_USERNAME,
    heartbeat_payload,
    make_admin,
    make_alert_objects,
    make_server,
    make_token,
)

PUBLIC = "public"
READ = "read"
ADMIN = "admin"
AGENT = "agent"
# Which callers each rule lets through; everyone passes a public route.
PERMITTED = {
    READ: {"read", "admin"},
    ADMIN: {"admin"},
    AGENT: {"agent", "admin"},
}
# (method, path) → (rule, status of a permitted call with the request built below).
RULES: dict[tuple[str, str], tuple[str, int]] = {
    ("GET", "/api/openapi.json"): (PUBLIC, 200),
    ("GET", "/api/docs"): (PUBLIC, 200),
    ("GET", "/api/docs/swagger-ui-bundle.js"): (PUBLIC, 200),
    ("GET", "/api/docs/swagger-ui.css"): (PUBLIC, 200),
    ("GET", "/api/docs/favicon.png"): (PUBLIC, 200),
    ("GET", "/api/docs/swagger-init.js"): (PUBLIC, 200),
    ("GET", "/{path:path}"): (PUBLIC, 200),
    ("GET", "/api/v1/system/health"): (PUBLIC, 200),
    ("POST", "/api/v1/agents/heartbeat"): (AGENT, 200),
    ("GET", "/api/v1/servers"): (READ, 200),
    ("GET", "/api/v1/servers/{server_id}"): (READ, 200),
    ("PATCH", "/api/v1/servers/{server_id}"): (ADMIN, 200),
    ("DELETE", "/api/v1/servers/{server_id}"): (ADMIN, 204),
    ("GET", "/api/v1/servers/{server_id}/metrics"): (READ, 200),
    ("GET", "/api/v1/servers/{server_id}/filesystems/metrics"): (READ, 200),
    # alpha never reported /gone: a permitted call passes access and gets the service's 404.
    ("POST", "/api/v1/servers/{server_id}/filesystems/dismiss"): (ADMIN, 404),
    ("GET", "/api/v1/drives"): (READ, 200),
    # The matrix fills no drive id: a permitted call passes access and gets the path's 422.
    ("GET", "/api/v1/servers/{server_id}/drives/{drive_id}/history"): (READ, 422),
    # alpha has not reported yet, so it has no /data to scan: the service's 404.
    ("POST", "/api/v1/servers/{server_id}/filesystems/usage-scans"): (ADMIN, 404),
    ("GET", "/api/v1/servers/{server_id}/filesystems/usage"): (READ, 200),
    ("POST", "/api/v1/tokens"): (ADMIN, 201),
    ("GET", "/api/v1/tokens"): (ADMIN, 200),
    ("DELETE", "/api/v1/tokens/{token_id}"): (ADMIN, 204),
    ("GET", "/metrics"): (READ, 200),
    ("POST", "/api/v1/auth/login"): (PUBLIC, 200),
    ("POST", "/api/v1/auth/logout"): (PUBLIC, 204),
    ("GET", "/api/v1/auth/me"): (READ, 200),
    ("GET", "/api/v1/auth/session"): (PUBLIC, 200),
    # The matrix's hub has an admin already, so the setup link is closed for everyone.
    ("POST", "/api/v1/auth/setup"): (PUBLIC, 403),
    ("GET", "/api/v1/alerts"): (READ, 200),
    ("POST", "/api/v1/alerts/{alert_id}/ack"): (ADMIN, 200),
    ("GET", "/api/v1/alert-settings"): (READ, 200),
    ("PUT", "/api/v1/alert-settings"): (ADMIN, 200),
    ("GET", "/api/v1/servers/{server_id}/alert-settings"): (READ, 200),
    ("PUT", "/api/v1/servers/{server_id}/alert-settings"): (ADMIN, 200),
    ("GET", "/api/v1/servers/{server_id}/filesystems/settings"): (READ, 200),
    ("PUT", "/api/v1/servers/{server_id}/filesystems/settings"): (ADMIN, 200),
    ("DELETE", "/api/v1/servers/{server_id}/filesystems/settings"): (ADMIN, 204),
    ("GET", "/api/v1/silences"): (READ, 200),
    ("POST", "/api/v1/silences"): (ADMIN, 201),
    ("DELETE", "/api/v1/silences/{silence_id}"): (ADMIN, 204),
    ("GET", "/api/v1/notification-channels"): (ADMIN, 200),
    ("POST", "/api/v1/notification-channels"): (ADMIN, 201),
    ("PATCH", "/api/v1/notification-channels/{channel_id}"): (ADMIN, 200),
    ("DELETE", "/api/v1/notification-channels/{channel_id}"): (ADMIN, 204),
    ("POST", "/api/v1/notification-channels/{channel_id}/test"): (ADMIN, 200),
    ("GET", "/api/v1/reports/capacity"): (READ, 200),
    # No channel but the alert objects' (made only for routes that act on them): a permitted
    # call passes access and gets the service's 409.
    ("POST", "/api/v1/reports/capacity/send"): (ADMIN, 409),
    ("POST", "/api/v1/enrollments"): (ADMIN, 201),
    # The code is the credential: a wrong one is refused whoever sends it.
    ("POST", "/api/v1/agents/enroll"): (PUBLIC, 401),
    ("POST", "/api/v1/servers/{server_id}/token"): (ADMIN, 200),
    ("GET", "/api/v1/legacy-key"): (ADMIN, 200),
    ("GET", "/api/v1/agents/plain-http"): (READ, 200),
    ("DELETE", "/api/v1/legacy-key"): (ADMIN, 204),
    ("GET", "/api/v1/users"): (ADMIN, 200),
    # A password under the rules: a permitted call passes access and gets the service's 422.
    ("POST", "/api/v1/users"): (ADMIN, 422),
    ("PATCH", "/api/v1/users/{user_id}"): (ADMIN, 200),
    ("DELETE", "/api/v1/users/{user_id}"): (ADMIN, 204),
    ("GET", "/api/v1/audit"): (ADMIN, 200),
    ("GET", "/install.sh"): (PUBLIC, 200),
    ("GET", "/install/{filename}"): (PUBLIC, 200),
}
BODIES: dict[tuple[str, str], Any] = {
    ("PATCH", "/api/v1/servers/{server_id}"): {"display_name": "Alpha"},
    ("POST", "/api/v1/tokens"): {"name": "matrix", "role": "read"},
    ("POST", "/api/v1/servers/{server_id}/filesystems/dismiss"): {"mount_point": "/gone"},
    ("POST", "/api/v1/servers/{server_id}/filesystems/usage-scans"): {"mount_point": "/data"},
    ("POST", "/api/v1/auth/login"): {"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD},
    ("POST", "/api/v1/auth/setup"): {"token": "x", "username": "x", "password": "0123456789"},
    ("PUT", "/api/v1/alert-settings"): {"warn_percent": 80},
    ("PUT", "/api/v1/servers/{server_id}/alert-settings"): {"crit_percent": 97},
    ("PUT", "/api/v1/servers/{server_id}/filesystems/settings"): {
        "mount_point": "/srv/*",
        "mode": "expected_full",
    },
    ("POST", "/api/v1/silences"): {"server_id": "alpha", "ends_at": "2999-01-01T00:00:00Z"},
    # Port 9 (discard) on loopback: nothing listens, so a test send fails fast, and says so.
    ("POST", "/api/v1/notification-channels"): {"name": "hook", "url": "json://127.0.0.1:9/"},
    ("PATCH", "/api/v1/notification-channels/{channel_id}"): {"min_severity": "critical"},
    ("POST", "/api/v1/agents/enroll"): {"code": "hle_wrong", "hostname": "intruder"},
    ("POST", "/api/v1/users"): {"username": "matrix", "password": "short", "role": "read"},
    ("PATCH", "/api/v1/users/{user_id}"): {"role": "admin"},
}
# Path parameters of objects made afresh for each caller (an earlier admin may delete them),
# and routes that act on the mount rule made with them.
ALERT_OBJECTS = ("alert_id", "silence_id", "channel_id")
ALERT_PATHS = {"/api/v1/servers/{server_id}/filesystems/settings"}
QUERIES: dict[tuple[str, str], str] = {
    ("DELETE", "/api/v1/servers/{server_id}/filesystems/settings"): "?mount_point=/data",
    ("GET", "/api/v1/servers/{server_id}/filesystems/usage"): "?mount_point=/data",
}
# "session" is an admin signed in with a password (the cookie plus the header the UI sends);
# "bare-session" is the same cookie without that header, as a cross-site form would send it.
# Admins last: their calls may delete what the others' calls need.
CALLERS = ["none", "revoked", "agent", "other-agent", "read", "bare-session", "session", "admin"]
SAFE = {"GET", "HEAD", "OPTIONS"}


def route_table(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every route the app serves, included routers flattened; HEAD aside."""
    table: set[tuple[str, str]] = set()
    for route in app.routes:
        # Included routers are expanded by FastAPI itself, prefixes applied.
        contexts = getattr(route, "effective_route_contexts", None)
        entries = list(contexts()) if contexts else [route]
        for entry in entries:
            path = getattr(entry, "path", None) or getattr(entry, "path_format", None)
            for method in getattr(entry, "methods", None) or ():
                if method != "HEAD":
                    table.add((method, str(path)))
    return table


APP_ROUTES = sorted(route_table(create_app(Settings(ui_dir=Path("/nonexistent")))))


@dataclass
class Fleet:
    """Two enrolled servers and a credential of each kind, as `Authorization` headers."""

    headers: dict[str, dict[str, str]]
    engine: Engine


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    ui = tmp_path / "ui"
    ui.mkdir()
    (ui / "index.html").write_text("<!doctype html><title>HomelabCmd</title>", encoding="utf-8")
    wheel = tmp_path / f"homelab_agent-{__version__}-py3-none-any.whl"
    wheel.write_bytes(b"PK\x05\x06" + bytes(18))  # served, never installed, here
    return Settings(
        database_url=db_url,
        data_dir=tmp_path / "data",
        ui_dir=ui,
        maintenance_interval_seconds=0,
        agent_wheel=wheel,
    )


@pytest.fixture
def fleet(client: TestClient, engine: Engine) -> Iterator[Fleet]:
    client.headers.pop("X-API-Key", None)
    make_server(engine, "alpha")
    make_server(engine, "beta")
    secrets = {
        "agent": make_token(engine, Role.AGENT, server_id="alpha")[1],
        "other-agent": make_token(engine, Role.AGENT, server_id="beta")[1],
        "read": make_token(engine, Role.READ)[1],
        "admin": make_token(engine, Role.ADMIN)[1],
    }
    revoked_id, secrets["revoked"] = make_token(engine, Role.ADMIN, name="revoked")
    with Session(engine) as session:
        revoke_token(session, revoked_id, lambda _: None)
    headers = {who: {"Authorization": f"Bearer {secret}"} for who, secret in secrets.items()}
    headers["none"] = {}
    make_admin(engine)
    login = client.post(
        "/api/v1/auth/login", json={"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD}
    )
    cookie = {"Cookie": f"homelab_session={login.cookies['homelab_session']}"}
    client.cookies.clear()
    headers["session"] = {**cookie, "X-Requested-With": "HomelabCmd"}
    headers["bare-session"] = cookie
    yield Fleet(headers=headers, engine=engine)


def expected_status(rule: str, success: int, caller: str, method: str) -> int:
    if rule == PUBLIC:
        return success
    if caller in ("none", "revoked"):
        return 401
    if caller == "bare-session":
        return success if method in SAFE and "admin" in PERMITTED[rule] else 403
    if caller == "session":
        caller = "admin"
    # Both agents hold agent tokens; the other one's is for a server the payload is not about.
    role = "agent" if caller == "other-agent" else caller
    if role not in PERMITTED[rule]:
        return 403
    return 403 if caller == "other-agent" else success


def _request(client: TestClient, fleet: Fleet, method: str, path: str, caller: str) -> int:
    engine = fleet.engine
    # Each caller finds what the route acts on: an earlier admin may have deleted it.
    make_server(engine, "alpha")
    spare = make_token(engine, Role.READ, name="spare")[0] if "{token_id}" in path else 0
    url = path.replace("{server_id}", "alpha").replace("{token_id}", str(spare))
    if "{user_id}" in path:
        with Session(engine) as session:
            spare_user = create_user(session, f"spare-{caller}", "spare-password-1", Role.READ)
            url = url.replace("{user_id}", str(spare_user.id))
    url = url.replace("{path:path}", "").replace("{filename}", "constraints.txt")
    if any(f"{{{name}}}" in path for name in ALERT_OBJECTS) or path in ALERT_PATHS:
        for name, ident in make_alert_objects(engine, "alpha").items():
            url = url.replace(f"{{{name}}}", str(ident))
    url += QUERIES.get((method, path), "")
    body = BODIES.get((method, path))
    if path == "/api/v1/agents/heartbeat":
        body = heartbeat_payload(server_id="alpha")
    response = client.request(method, url, json=body, headers=fleet.headers[caller])
    # A sign-in's cookie must not ride along with the next caller's request.
    client.cookies.clear()
    status: int = response.status_code
    return status


def test_every_rule_belongs_to_a_route_of_the_app() -> None:
    assert sorted(set(RULES) - set(APP_ROUTES)) == []


@pytest.mark.parametrize(("method", "path"), APP_ROUTES, ids=[f"{m} {p}" for m, p in APP_ROUTES])
def test_route_answers_each_caller_as_its_rule_says(
    client: TestClient, fleet: Fleet, method: str, path: str
) -> None:
    assert (method, path) in RULES, f"{method} {path} has no access rule in this test"
    rule, success = RULES[(method, path)]

    seen = {caller: _request(client, fleet, method, path, caller) for caller in CALLERS}

    assert seen == {caller: expected_status(rule, success, caller, method) for caller in CALLERS}

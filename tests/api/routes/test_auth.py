"""Signing in with a password: the session cookie, its flags, its end, throttling and CSRF."""

import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from homelab_cmd.config import Settings
from homelab_cmd.db.models import UserSession
from homelab_cmd.domain.access import Role
from homelab_cmd.main import create_app
from homelab_cmd.services import audit
from homelab_cmd.services.access.accounts import create_user, reset_password
from homelab_cmd.services.access.tokens import hash_secret
from tests.conftest import API_KEY
from tests.factories import ADMIN_PASSWORD, ADMIN_USERNAME, heartbeat_payload, make_admin

LOGIN = "/api/v1/auth/login"
LOGOUT = "/api/v1/auth/logout"
ME = "/api/v1/auth/me"
SETUP = "/api/v1/auth/setup"
SESSION = "/api/v1/auth/session"
CSRF = {"X-Requested-With": "HomelabCmd"}
GOOD = {"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD}


@pytest.fixture
def browser(app: FastAPI, engine: Engine) -> Iterator[TestClient]:
    """A client with no key, as a browser is: it has only what signing in gives it."""
    make_admin(engine)
    with TestClient(app) as test_client:
        yield test_client


def _cookie_header(response: object) -> str:
    header: str = response.headers["set-cookie"]  # type: ignore[attr-defined]
    return header


def test_signing_in_sets_an_httponly_strict_cookie_that_reads_the_fleet(
    browser: TestClient, engine: Engine
) -> None:
    answer = browser.post(LOGIN, json=GOOD)

    assert answer.status_code == 200
    assert answer.json()["name"] == ADMIN_USERNAME
    assert answer.json()["kind"] == "session"
    cookie = _cookie_header(answer)
    assert cookie.startswith("homelab_session=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    assert "Path=/" in cookie
    assert "Secure" not in cookie  # plain http: a Secure cookie would never come back
    assert browser.get(ME).json() == {
        "name": ADMIN_USERNAME,
        "role": "admin",
        "kind": "session",
        "expires_at": None,
    }
    assert browser.get("/api/v1/servers").status_code == 200
    assert browser.get(SESSION).json()["user"]["name"] == ADMIN_USERNAME
    # Only a hash of the session is stored.
    secret = browser.cookies["homelab_session"]
    with Session(engine) as session:
        stored = session.scalars(select(UserSession.token_hash)).all()
    assert stored == [hash_secret(secret)]


def test_the_cookie_is_secure_under_tls(app: FastAPI, engine: Engine) -> None:
    make_admin(engine)
    with TestClient(app, base_url="https://hub.example") as client:
        answer = client.post(LOGIN, json=GOOD)

    assert answer.status_code == 200
    assert "Secure" in _cookie_header(answer)


@pytest.mark.parametrize(
    "body",
    [
        {"username": ADMIN_USERNAME, "password": "not-the-password"},
        {"username": "nobody", "password": ADMIN_PASSWORD},
    ],
)
def test_a_wrong_username_or_password_gets_the_same_401(
    browser: TestClient, body: dict[str, str]
) -> None:
    answer = browser.post(LOGIN, json=body)

    assert answer.status_code == 401
    assert answer.json() == {"error": "InvalidCredentials", "detail": "wrong username or password"}
    assert "set-cookie" not in answer.headers
    assert browser.get(ME).status_code == 401


def test_signing_out_ends_the_session_on_the_hub(browser: TestClient) -> None:
    browser.post(LOGIN, json=GOOD)
    stolen = browser.cookies["homelab_session"]

    answer = browser.post(LOGOUT)

    assert answer.status_code == 204
    assert 'homelab_session=""' in _cookie_header(answer)
    # A copy of the cookie taken before is worthless now.
    browser.cookies.set("homelab_session", stolen)
    assert browser.get(ME).status_code == 401
    assert browser.get(SESSION).json() == {"user": None, "setup_open": False}


def test_a_password_reset_ends_every_session(browser: TestClient, engine: Engine) -> None:
    browser.post(LOGIN, json=GOOD)
    assert browser.get(ME).status_code == 200

    with Session(engine) as session:
        reset_password(session, ADMIN_USERNAME, "another-long-password")

    assert browser.get(ME).status_code == 401
    assert browser.post(LOGIN, json=GOOD).status_code == 401
    relogin = browser.post(LOGIN, json={**GOOD, "password": "another-long-password"})
    assert relogin.status_code == 200


def test_an_expired_session_is_refused(browser: TestClient, engine: Engine) -> None:
    browser.post(LOGIN, json=GOOD)
    with engine.begin() as conn:
        conn.execute(update(UserSession).values(expires_at=datetime.now(UTC) - timedelta(1)))

    answer = browser.get("/api/v1/servers")

    assert answer.status_code == 401
    assert answer.json()["detail"] == "the session has ended; sign in again"


def test_a_changing_request_on_the_cookie_needs_the_csrf_header_and_own_origin(
    browser: TestClient,
) -> None:
    browser.post(LOGIN, json=GOOD)
    assert browser.post(
        "/api/v1/agents/heartbeat", json=heartbeat_payload(), headers=CSRF
    ).is_success
    path = "/api/v1/servers/nas-1"

    bare = browser.patch(path, json={"display_name": "x"})
    foreign = browser.patch(
        path, json={"display_name": "x"}, headers={**CSRF, "Origin": "https://evil.example"}
    )
    own = browser.patch(
        path, json={"display_name": "NAS"}, headers={**CSRF, "Origin": "http://testserver"}
    )

    assert (bare.status_code, foreign.status_code, own.status_code) == (403, 403, 200)
    assert "X-Requested-With" in bare.json()["detail"]
    assert browser.get(path).json()["display_name"] == "NAS"


def test_behind_a_tls_proxy_the_browsers_https_origin_is_the_hubs_own(
    browser: TestClient,
) -> None:
    # The proxy speaks http to the hub; the browser's Origin says https, with the same host.
    signed_in = browser.post(LOGIN, json=GOOD, headers={"Origin": "https://testserver"})
    token = browser.post(
        "/api/v1/tokens", json={"name": "x"}, headers={**CSRF, "Origin": "https://testserver"}
    )
    other_port = browser.post(
        "/api/v1/tokens", json={"name": "x"}, headers={**CSRF, "Origin": "https://testserver:81"}
    )

    assert (signed_in.status_code, token.status_code, other_port.status_code) == (200, 201, 403)


def test_sign_in_from_another_site_is_refused(browser: TestClient) -> None:
    answer = browser.post(LOGIN, json=GOOD, headers={"Origin": "https://evil.example"})

    assert answer.status_code == 403
    assert "set-cookie" not in answer.headers


@pytest.mark.parametrize("public_url", ["https://hub.home.lan", "https://Hub.Home.lan:443/"])
def test_behind_a_proxy_that_rewrites_host_the_public_url_is_the_own_origin(
    settings: Settings, engine: Engine, public_url: str
) -> None:
    # nginx passes its upstream's address as Host unless told otherwise; the browser's Origin
    # is the address people open, which PUBLIC_URL names.
    app = create_app(settings.model_copy(update={"public_url": public_url}))
    make_admin(engine)
    upstream = {"Host": "127.0.0.1:8080", "Origin": "https://hub.home.lan"}
    with TestClient(app) as browser:
        signed_in = browser.post(LOGIN, json=GOOD, headers=upstream)
        created = browser.post(
            "/api/v1/tokens", json={"name": "grafana"}, headers={**upstream, **CSRF}
        )
        foreign = browser.post(
            "/api/v1/tokens",
            json={"name": "evil"},
            headers={**upstream, **CSRF, "Origin": "https://hub.home.lan.evil.example"},
        )

    assert (signed_in.status_code, created.status_code, foreign.status_code) == (200, 201, 403)


def test_failed_sign_ins_for_one_user_are_throttled_with_retry_after(browser: TestClient) -> None:
    wrong = {"username": ADMIN_USERNAME, "password": "guess-number-x"}
    statuses = [browser.post(LOGIN, json=wrong).status_code for _ in range(5)]

    blocked = browser.post(LOGIN, json=GOOD)

    assert statuses == [401] * 5
    assert blocked.status_code == 429
    assert blocked.json()["error"] == "TooManyAttempts"
    assert 1 <= int(blocked.headers["retry-after"]) <= 300
    # Another account from the same address may still sign in: the address has room left.
    assert browser.post(LOGIN, json={"username": "someone", "password": "x"}).status_code == 401


def test_failed_sign_ins_from_one_address_are_throttled_across_usernames(
    browser: TestClient,
) -> None:
    statuses = [
        browser.post(LOGIN, json={"username": f"user{i}", "password": "guess"}).status_code
        for i in range(20)
    ]

    blocked = browser.post(LOGIN, json=GOOD)

    assert statuses == [401] * 20
    assert blocked.status_code == 429
    assert int(blocked.headers["retry-after"]) >= 1


@pytest.mark.parametrize(
    "body",
    [
        {"username": "", "password": "x"},
        {"username": "a", "password": ""},
        {"username": "a" * 65, "password": "x"},
        {"username": "a", "password": "x" * 1025},
        {"username": "a"},
    ],
)
def test_a_malformed_sign_in_is_a_422(browser: TestClient, body: dict[str, str]) -> None:
    assert browser.post(LOGIN, json=body).status_code == 422


def test_the_configured_admin_is_created_on_first_start(settings: Settings) -> None:
    configured = settings.model_copy(
        update={"admin_username": "root", "admin_password": SecretStr("configured-password-1")}
    )
    with TestClient(create_app(configured)) as client:
        assert client.get(SESSION).json() == {"user": None, "setup_open": False}
        answer = client.post(LOGIN, json={"username": "root", "password": "configured-password-1"})
    assert answer.status_code == 200


def test_the_setup_link_creates_the_first_admin_once(
    app: FastAPI, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING), TestClient(app) as client:
        found = re.search(r"/setup#token=(\S+)", caplog.text)
        assert found, caplog.text
        token = found.group(1)
        assert client.get(SESSION).json() == {"user": None, "setup_open": True}
        account = {"username": "owner", "password": "chosen-password-1"}

        wrong = client.post(SETUP, json={**account, "token": "not-it"})
        short = client.post(SETUP, json={**account, "token": token, "password": "short"})
        made = client.post(SETUP, json={**account, "token": token})
        again = client.post(SETUP, json={**account, "token": token})

        assert (wrong.status_code, short.status_code, made.status_code) == (403, 422, 201)
        assert made.json()["name"] == "owner"
        assert client.get(ME).json()["name"] == "owner"  # signed in by the setup itself
        assert again.status_code == 403
        assert client.get(SESSION).json()["setup_open"] is False


def test_a_password_reset_clears_the_running_hubs_lockout(
    browser: TestClient, engine: Engine
) -> None:
    wrong = {"username": ADMIN_USERNAME, "password": "guess-number-x"}
    for _ in range(5):
        browser.post(LOGIN, json=wrong)
    assert browser.post(LOGIN, json=GOOD).status_code == 429

    with Session(engine) as session:
        reset_password(session, ADMIN_USERNAME, "another-long-password")

    relogin = browser.post(LOGIN, json={**GOOD, "password": "another-long-password"})
    assert relogin.status_code == 200


def test_sign_ins_and_sign_outs_are_in_the_audit_log_with_the_name_tried_and_address(
    browser: TestClient, engine: Engine
) -> None:
    browser.post(LOGIN, json={"username": "mallory", "password": "guess-number-x"})
    browser.post(LOGIN, json=GOOD)
    browser.post(LOGOUT)

    with Session(engine) as session:
        events = [
            (e.action, e.actor, e.source, e.target, e.detail)
            for e in reversed(audit.recent(session, 3))
        ]
    assert events == [
        ("auth.sign_in_failed", "anonymous", "testclient", "mallory", None),
        ("auth.sign_in", f"user {ADMIN_USERNAME}", "testclient", ADMIN_USERNAME, None),
        ("auth.sign_out", f"user {ADMIN_USERNAME}", "testclient", ADMIN_USERNAME, None),
    ]


def test_a_read_only_person_sees_everything_and_changes_nothing(
    browser: TestClient, engine: Engine
) -> None:
    with Session(engine) as session:
        create_user(session, "viewer", "viewer-password-1", Role.READ)
    browser.post(
        "/api/v1/agents/heartbeat", json=heartbeat_payload(), headers={"X-API-Key": API_KEY}
    )

    answer = browser.post(LOGIN, json={"username": "viewer", "password": "viewer-password-1"})
    assert answer.json()["role"] == "read"
    seen = browser.get("/api/v1/servers/nas-1")
    renamed = browser.patch("/api/v1/servers/nas-1", json={"display_name": "x"}, headers={**CSRF})
    token = browser.post("/api/v1/tokens", json={"name": "x"}, headers=CSRF)

    assert seen.status_code == 200
    assert (renamed.status_code, token.status_code) == (403, 403)
    assert renamed.json()["error"] == "Forbidden"
    assert browser.get("/api/v1/servers/nas-1").json()["display_name"] != "x"

"""Admins manage people's accounts: add with a role, change role or password, delete; the last
admin stays, and a demoted or deleted person's sessions end at once."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from homelab_cmd.services import audit
from tests.factories import ADMIN_PASSWORD, ADMIN_USERNAME, make_admin

USERS = "/api/v1/users"
LOGIN = "/api/v1/auth/login"
ME = "/api/v1/auth/me"
CSRF = {"X-Requested-With": "HomelabCmd"}


@pytest.fixture
def admin_id(engine: Engine) -> int:
    return make_admin(engine)


@pytest.fixture
def people(app: FastAPI, admin_id: int) -> Iterator[TestClient]:
    """A browser signed in as the admin."""
    with TestClient(app, headers=CSRF) as browser:
        answer = browser.post(LOGIN, json={"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD})
        assert answer.status_code == 200
        yield browser


def _sign_in(app: FastAPI, username: str, password: str) -> TestClient:
    browser = TestClient(app, headers=CSRF)
    assert browser.post(LOGIN, json={"username": username, "password": password}).is_success
    return browser


def test_an_admin_adds_a_read_only_person_who_can_sign_in(people: TestClient) -> None:
    made = people.post(
        USERS, json={"username": "viewer", "password": "viewer-pass-1", "role": "read"}
    )

    assert made.status_code == 201
    assert made.json()["role"] == "read"
    assert "viewer-pass-1" not in made.text
    assert "argon2" not in made.text
    listed = people.get(USERS).json()
    assert [(u["username"], u["role"]) for u in listed["data"]] == [
        (ADMIN_USERNAME, "admin"),
        ("viewer", "read"),
    ]
    assert listed["count"] == 2
    viewer = _sign_in(people.app, "viewer", "viewer-pass-1")  # type: ignore[arg-type]
    assert viewer.get(ME).json()["role"] == "read"
    assert viewer.get(USERS).status_code == 403


@pytest.mark.parametrize(
    ("body", "status", "error"),
    [
        ({"username": "x", "password": "short", "role": "read"}, 422, "InvalidAccount"),
        ({"username": ADMIN_USERNAME, "password": "long-enough-1"}, 409, "UsernameTaken"),
        ({"username": "x", "password": "long-enough-1", "role": "agent"}, 422, None),
        ({"username": " x", "password": "long-enough-1"}, 422, "InvalidAccount"),
    ],
)
def test_a_bad_new_account_is_refused_and_nothing_is_stored(
    people: TestClient, body: dict[str, str], status: int, error: str | None
) -> None:
    answer = people.post(USERS, json=body)

    assert answer.status_code == status
    if error:
        assert answer.json()["error"] == error
    assert people.get(USERS).json()["count"] == 1


def test_demoting_a_person_ends_their_sessions_and_is_audited(
    people: TestClient, engine: Engine
) -> None:
    made = people.post(
        USERS, json={"username": "ops", "password": "ops-password-1", "role": "admin"}
    )
    ops = _sign_in(people.app, "ops", "ops-password-1")  # type: ignore[arg-type]
    assert ops.get(ME).json()["role"] == "admin"

    changed = people.patch(f"{USERS}/{made.json()['id']}", json={"role": "read"})

    assert changed.status_code == 200
    assert changed.json()["role"] == "read"
    assert ops.get(ME).status_code == 401
    with Session(engine) as session:
        last = audit.recent(session, 1)[0]
    assert (last.action, last.actor, last.target, last.detail) == (
        "user.role_changed",
        f"user {ADMIN_USERNAME}",
        "ops",
        "admin -> read",
    )


def test_a_new_password_from_an_admin_replaces_the_old_one(people: TestClient) -> None:
    made = people.post(USERS, json={"username": "ops", "password": "ops-password-1"})

    changed = people.patch(f"{USERS}/{made.json()['id']}", json={"password": "ops-password-2"})

    assert changed.status_code == 200
    old = TestClient(people.app).post(LOGIN, json={"username": "ops", "password": "ops-password-1"})
    assert old.status_code == 401
    _sign_in(people.app, "ops", "ops-password-2")  # type: ignore[arg-type]


def test_the_last_admin_can_be_neither_demoted_nor_deleted(
    people: TestClient, admin_id: int
) -> None:
    demoted = people.patch(f"{USERS}/{admin_id}", json={"role": "read"})
    deleted = people.delete(f"{USERS}/{admin_id}")

    assert (demoted.status_code, deleted.status_code) == (409, 409)
    assert demoted.json()["error"] == "LastAdmin"
    assert people.get(ME).json()["role"] == "admin"


def test_deleting_a_person_ends_their_sessions(people: TestClient, engine: Engine) -> None:
    made = people.post(USERS, json={"username": "gone", "password": "gone-password-1"})
    gone = _sign_in(people.app, "gone", "gone-password-1")  # type: ignore[arg-type]

    answer = people.delete(f"{USERS}/{made.json()['id']}")

    assert answer.status_code == 204
    assert gone.get(ME).status_code == 401
    assert people.get(USERS).json()["count"] == 1
    with Session(engine) as session:
        assert audit.recent(session, 1)[0].action == "user.deleted"


def test_an_unknown_account_is_a_404(people: TestClient) -> None:
    patched = people.patch(f"{USERS}/9999", json={"role": "read"})
    deleted = people.delete(f"{USERS}/9999")

    assert (patched.status_code, deleted.status_code) == (404, 404)
    assert patched.json() == {"error": "AccountNotFound", "detail": "account 9999 not found"}


def test_an_id_past_the_id_column_is_a_422_and_changes_nothing(people: TestClient) -> None:
    huge = f"{USERS}/99999999999999999999"

    patched = people.patch(huge, json={"role": "read"})
    deleted = people.delete(huge)

    assert (patched.status_code, deleted.status_code) == (422, 422)
    assert patched.json()["error"] == "ValidationError"
    assert [u["username"] for u in people.get(USERS).json()["data"]] == [ADMIN_USERNAME]

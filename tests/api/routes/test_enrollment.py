"""Adding hosts: single-use codes, one token per server, rotation, deletion, the legacy key."""

import subprocess
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, select, update
from sqlalchemy.orm import Session

from homelab_cmd import __version__
from homelab_cmd.config import Settings
from homelab_cmd.db.models import AuditEvent, Enrollment, Server
from homelab_cmd.main import create_app
from homelab_cmd.services.access.legacy_key import KEY_FILE
from tests.conftest import API_KEY
from tests.factories import heartbeat_payload

ENROLLMENTS = "/api/v1/enrollments"
ENROLL = "/api/v1/agents/enroll"
HEARTBEAT = "/api/v1/agents/heartbeat"
LEGACY = "/api/v1/legacy-key"
OLD_KEY = "old-shared-key-0123456789"


@pytest.fixture
def settings(db_url: str, tmp_path: Path) -> Settings:
    data = tmp_path / "data"
    data.mkdir()
    (data / KEY_FILE).write_text(OLD_KEY + "\n", encoding="utf-8")
    # A stand-in wheel: these tests check what is served, not what it installs (the install
    # test in tests/deploy installs the real one).
    wheel = tmp_path / f"homelab_agent-{__version__}-py3-none-any.whl"
    wheel.write_bytes(b"PK\x05\x06" + bytes(18))
    return Settings(
        database_url=db_url,
        api_key=API_KEY,
        data_dir=data,
        ui_dir=tmp_path / "no-ui",
        maintenance_interval_seconds=0,
        writer_deadline_seconds=120,
        agent_wheel=wheel,
    )


@pytest.fixture
def hub(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


ADMIN = {"Authorization": f"Bearer {API_KEY}"}


def _code(hub: TestClient) -> str:
    answer = hub.post(ENROLLMENTS, headers=ADMIN)
    assert answer.status_code == 201, answer.text
    code: str = answer.json()["code"]
    return code


def _enroll(hub: TestClient, hostname: str = "nas.home.lan", **extra: Any) -> dict[str, Any]:
    answer = hub.post(ENROLL, json={"code": _code(hub), "hostname": hostname, **extra})
    assert answer.status_code == 201, answer.text
    body: dict[str, Any] = answer.json()
    return body


def _audit(engine: Engine) -> list[AuditEvent]:
    with Session(engine) as session:
        return list(session.scalars(select(AuditEvent).order_by(AuditEvent.id)))


def _audit_actions(engine: Engine) -> list[str]:
    return [event.action for event in _audit(engine)]


def _beat(hub: TestClient, token: str, server_id: str, **headers: str) -> int:
    answer = hub.post(
        HEARTBEAT,
        json=heartbeat_payload(server_id=server_id),
        headers={"Authorization": f"Bearer {token}", **headers},
    )
    status: int = answer.status_code
    return status


@pytest.mark.parametrize(
    "base_url", ["http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080"]
)
def test_commands_naming_loopback_say_other_hosts_cannot_reach_it(
    settings: Settings, base_url: str
) -> None:
    # What `make run` gives: the hub on 127.0.0.1, the browser on the same address.
    with TestClient(create_app(settings), base_url=base_url) as local:
        created = local.post(ENROLLMENTS, headers=ADMIN).json()

    assert f"{base_url}/install.sh" in created["install_command"]
    warning = created["hub_url_warning"]
    assert "only this machine can reach" in warning
    assert "HOMELAB_CMD_PUBLIC_URL" in warning
    assert base_url.split("//")[1].rsplit(":", 1)[0].strip("[]") in warning


def test_commands_naming_a_reachable_address_carry_no_warning(settings: Settings) -> None:
    with TestClient(create_app(settings), base_url="http://192.168.1.5:8080") as lan:
        seen = lan.post(ENROLLMENTS, headers=ADMIN).json()
    # PUBLIC_URL wins over the loopback address the browser used.
    public = settings.model_copy(update={"public_url": "http://hub.home.lan:8080"})
    with TestClient(create_app(public), base_url="http://127.0.0.1:8080") as local:
        named = local.post(ENROLLMENTS, headers=ADMIN).json()

    assert seen["hub_url_warning"] is None
    assert "http://hub.home.lan:8080/install.sh" in named["install_command"]
    assert named["hub_url_warning"] is None


def test_a_code_comes_with_the_install_command_and_works_once(hub: TestClient) -> None:
    created = hub.post(ENROLLMENTS, headers=ADMIN).json()
    code = created["code"]

    first = hub.post(ENROLL, json={"code": code, "hostname": "nas.home.lan"})
    second = hub.post(ENROLL, json={"code": code, "hostname": "evil"})

    assert created["install_command"] == (
        f"curl -fsSL http://testserver/install.sh | sh -s -- --code {code}"
    )
    assert created["enroll_command"] == f"sudo homelab-agent enroll http://testserver {code}"
    lifetime = datetime.fromisoformat(created["expires_at"]) - datetime.now(UTC)
    assert timedelta(minutes=59) < lifetime <= timedelta(hours=1)
    assert first.status_code == 201
    assert first.json()["server_id"] == "nas-home-lan"
    assert first.json()["token"].startswith("hlc_")
    assert second.status_code == 401
    assert second.json()["error"] == "EnrollmentRefused"
    assert hub.get("/api/v1/servers", headers=ADMIN).json()["count"] == 1


def test_an_expired_code_is_refused(hub: TestClient, engine: Engine) -> None:
    code = _code(hub)
    with engine.begin() as conn:
        conn.execute(update(Enrollment).values(expires_at=datetime.now(UTC) - timedelta(1)))

    answer = hub.post(ENROLL, json={"code": code, "hostname": "nas"})

    assert answer.status_code == 401
    assert "expired" in answer.json()["detail"]


def test_an_agent_token_reports_for_its_own_server_only(hub: TestClient) -> None:
    mine = _enroll(hub, "alpha")
    other = _enroll(hub, "beta")
    token = mine["token"]

    assert _beat(hub, token, mine["server_id"]) == 200
    assert _beat(hub, token, other["server_id"]) == 403
    assert (
        hub.get("/api/v1/servers", headers={"Authorization": f"Bearer {token}"}).status_code == 403
    )
    # The original HomelabCmd agents' headers carry the same token.
    assert _beat(hub, "", mine["server_id"], **{"X-Agent-Token": token}) in (401, 200)
    old_style = hub.post(
        HEARTBEAT,
        json=heartbeat_payload(server_id=mine["server_id"]),
        headers={"X-Agent-Token": token, "X-Server-GUID": "guid-of-alpha"},
    )
    assert old_style.status_code == 200


def test_hosts_with_clashing_or_non_ascii_names_stay_apart(hub: TestClient) -> None:
    names = ["NAS_01", "nas.01", "Küchen-Pi", "台所"]
    enrolled = [_enroll(hub, name) for name in names]

    servers = {s["id"]: s for s in hub.get("/api/v1/servers", headers=ADMIN).json()["data"]}
    assert [e["server_id"] for e in enrolled] == ["nas-01", "nas-01-2", "k-chen-pi", "host"]
    assert [servers[e["server_id"]]["display_name"] for e in enrolled] == names
    assert [e["display_name"] for e in enrolled] == names
    for e in enrolled:
        assert _beat(hub, e["token"], e["server_id"]) == 200


def test_a_deleted_server_stays_deleted_and_its_token_dies(hub: TestClient, engine: Engine) -> None:
    gone = _enroll(hub)
    assert _beat(hub, gone["token"], gone["server_id"]) == 200

    assert hub.delete(f"/api/v1/servers/{gone['server_id']}", headers=ADMIN).status_code == 204

    assert _beat(hub, gone["token"], gone["server_id"]) == 401
    assert hub.get(f"/api/v1/servers/{gone['server_id']}", headers=ADMIN).status_code == 404
    (deleted,) = [e for e in _audit(engine) if e.action == "server.deleted"]
    assert (deleted.target, deleted.actor, deleted.source) == (
        gone["server_id"],
        "token HOMELAB_CMD_API_KEY",
        "testclient",
    )


def test_enrollment_attempts_are_throttled_per_address(settings: Settings) -> None:
    """Guessing codes costs a write lock each: past the budget an address gets 429 and a wait,
    and a good code from it waits too."""
    limited = settings.model_copy(update={"enroll_attempts_per_minute": 3})
    with TestClient(create_app(limited)) as hub:
        answers = [
            hub.post(ENROLL, json={"code": f"hle_{n:032x}", "hostname": "x"}).status_code
            for n in range(3)
        ]
        good = hub.post(ENROLL, json={"code": _code(hub), "hostname": "nas.home.lan"})

    assert answers == [401, 401, 401]
    assert good.status_code == 429
    assert int(good.headers["Retry-After"]) >= 1


def test_rotating_revokes_at_once_and_reenrolls_the_same_server(hub: TestClient) -> None:
    first = _enroll(hub, "pi", server_guid="guid-pi")
    assert _beat(hub, first["token"], "pi") == 200

    rotated = hub.post("/api/v1/servers/pi/token", headers=ADMIN)

    assert rotated.status_code == 200
    assert rotated.json()["server_id"] == "pi"
    assert _beat(hub, first["token"], "pi") == 401
    again = hub.post(ENROLL, json={"code": rotated.json()["code"], "hostname": "pi"}).json()
    assert again["server_id"] == "pi"
    assert _beat(hub, again["token"], "pi") == 200
    assert hub.get("/api/v1/servers", headers=ADMIN).json()["count"] == 1
    assert hub.post("/api/v1/servers/nope/token", headers=ADMIN).status_code == 404


def test_a_plain_code_with_an_enrolled_servers_guid_is_refused_and_stays_unused(
    hub: TestClient, engine: Engine
) -> None:
    first = _enroll(hub, "nas", server_guid="4f7c-guid")
    code = _code(hub)

    # Someone who learnt the GUID cannot take the server over with an "Add server" code.
    taken = hub.post(ENROLL, json={"code": code, "hostname": "evil", "server_guid": "4f7c-guid"})

    assert (taken.status_code, taken.json()["error"]) == (409, "EnrollmentConflict")
    assert "already enrolled" in taken.json()["detail"]
    assert "rotation code" in taken.json()["detail"]
    assert _beat(hub, first["token"], first["server_id"]) == 200
    assert _audit_actions(engine) == ["server.enrolled"]
    # The code was not used up: a new host still enrolls with it.
    other = hub.post(ENROLL, json={"code": code, "hostname": "pi", "server_guid": "guid-pi"})
    assert (other.status_code, other.json()["server_id"]) == (201, "pi")


def test_a_rotation_code_takes_the_server_over_and_the_audit_log_says_so(
    hub: TestClient, engine: Engine
) -> None:
    first = _enroll(hub, "nas", server_guid="4f7c-guid")
    code = hub.post("/api/v1/servers/nas/token", headers=ADMIN).json()["code"]

    second = hub.post(
        ENROLL, json={"code": code, "hostname": "nas-renamed", "server_guid": "4f7c-guid"}
    ).json()

    assert second["server_id"] == first["server_id"]
    assert _beat(hub, first["token"], first["server_id"]) == 401
    assert _beat(hub, second["token"], second["server_id"]) == 200
    wrong_guid = {"X-Server-GUID": "not-4f7c"}
    assert _beat(hub, second["token"], second["server_id"], **wrong_guid) == 403
    events = _audit(engine)
    assert [(e.action, e.target) for e in events] == [
        ("server.enrolled", "nas"),
        ("token.rotated", "nas"),
        ("server.reenrolled", "nas"),
    ]
    assert events[1].actor == "token HOMELAB_CMD_API_KEY"
    assert events[1].source == "testclient"
    assert events[2].detail == "with a rotation code, hostname 'nas-renamed'"


def test_a_host_that_is_another_server_cannot_take_a_rotation_code(hub: TestClient) -> None:
    pi = _enroll(hub, "pi", server_guid="guid-pi")
    nas = _enroll(hub, "nas", server_guid="guid-nas")
    code = hub.post("/api/v1/servers/nas/token", headers=ADMIN).json()["code"]

    # The pi runs the command meant for the nas: GUIDs are unique, this was a 500.
    refused = hub.post(ENROLL, json={"code": code, "hostname": "pi", "server_guid": "guid-pi"})

    assert (refused.status_code, refused.json()["error"]) == (409, "EnrollmentConflict")
    assert "'pi'" in refused.json()["detail"]
    assert _beat(hub, pi["token"], "pi") == 200
    # Nothing was used up: the nas itself still enrolls with its code.
    again = hub.post(ENROLL, json={"code": code, "hostname": "nas", "server_guid": "guid-nas"})
    assert (again.status_code, again.json()["server_id"]) == (201, nas["server_id"])


def test_the_server_cap_refuses_enrollment_and_leaves_the_code_usable(
    settings: Settings,
) -> None:
    with TestClient(create_app(settings.model_copy(update={"max_servers": 1}))) as hub:
        _enroll(hub, "one")
        code = _code(hub)
        refused = hub.post(ENROLL, json={"code": code, "hostname": "two"})
        hub.delete("/api/v1/servers/one", headers=ADMIN)
        later = hub.post(ENROLL, json={"code": code, "hostname": "two"})

    assert refused.status_code == 409
    assert later.status_code == 201


@pytest.mark.parametrize(
    "body",
    [
        {"code": "x"},
        {"code": "x", "hostname": ""},
        {"code": "x", "hostname": "bad\x00name"},
        {"code": "x", "hostname": "h", "server_guid": "no spaces allowed"},
        {"code": "", "hostname": "h"},
    ],
)
def test_a_malformed_enrollment_is_a_422(hub: TestClient, body: dict[str, str]) -> None:
    assert hub.post(ENROLL, json=body).status_code == 422


def test_the_legacy_key_is_listed_while_used_and_can_be_turned_off(
    hub: TestClient, settings: Settings, engine: Engine
) -> None:
    old = {"X-API-Key": OLD_KEY}
    assert hub.post(HEARTBEAT, json=heartbeat_payload(server_id="old-nas"), headers=old).is_success
    status = hub.get(LEGACY, headers=ADMIN).json()
    assert status["enabled"] is True
    assert [s["server_id"] for s in status["servers"]] == ["old-nas"]

    assert hub.delete(LEGACY, headers=ADMIN).status_code == 204

    refused = hub.post(HEARTBEAT, json=heartbeat_payload(server_id="old-nas"), headers=old)
    assert refused.status_code == 401
    assert hub.get(LEGACY, headers=ADMIN).json()["enabled"] is False
    assert not (settings.data_dir / KEY_FILE).exists()
    # A restart keeps it off.
    with TestClient(create_app(settings)) as restarted:
        assert restarted.get(LEGACY, headers=ADMIN).json() == {
            "enabled": False,
            "servers": [],
            "never_enrolled": ["old-nas"],
        }
    assert _audit_actions(engine) == ["legacy_key.disabled"]


def test_the_legacy_key_is_refused_for_an_enrolled_server_and_stores_nothing(
    hub: TestClient, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    enrolled = _enroll(hub, "nas")
    old = {"X-API-Key": OLD_KEY}
    assert hub.post(HEARTBEAT, json=heartbeat_payload(server_id="old-nas"), headers=old).is_success

    refused = [
        hub.post(HEARTBEAT, json=heartbeat_payload(server_id="nas"), headers=old) for _ in range(3)
    ]

    assert {(r.status_code, r.json()["error"]) for r in refused} == {(403, "Forbidden")}
    assert "'nas' has enrolled" in refused[0].json()["detail"]
    with Session(engine) as session:
        nas = session.get(Server, "nas")
        assert nas is not None
        assert (nas.latest_metrics, nas.last_seen_at) == (None, None)
    warnings = [r for r in caplog.records if "legacy shared key" in r.getMessage()]
    assert len([w for w in warnings if "'nas'" in w.getMessage()]) == 1
    status = hub.get(LEGACY, headers=ADMIN).json()
    assert status["servers"] == [
        {
            "server_id": "nas",
            "last_heartbeat_at": status["servers"][0]["last_heartbeat_at"],
            "may_report": False,
        },
        {
            "server_id": "old-nas",
            "last_heartbeat_at": status["servers"][1]["last_heartbeat_at"],
            "may_report": True,
        },
    ]
    assert status["never_enrolled"] == ["old-nas"]
    # Its own token still reports, and takes it off the list.
    assert _beat(hub, enrolled["token"], "nas") == 200
    assert [s["server_id"] for s in hub.get(LEGACY, headers=ADMIN).json()["servers"]] == ["old-nas"]


def test_the_legacy_key_is_refused_for_a_server_enrolled_after_it_reported(
    hub: TestClient,
) -> None:
    old = {"X-API-Key": OLD_KEY}
    beat = heartbeat_payload(server_id="pi")
    assert hub.post(HEARTBEAT, json=beat, headers=old).is_success
    code = hub.post("/api/v1/servers/pi/token", headers=ADMIN).json()["code"]

    enrolled = hub.post(ENROLL, json={"code": code, "hostname": "pi"}).json()

    assert enrolled["server_id"] == "pi"
    assert hub.post(HEARTBEAT, json=beat, headers=old).status_code == 403
    assert _beat(hub, enrolled["token"], "pi") == 200


def test_the_install_script_and_its_files_are_served(hub: TestClient, tmp_path: Path) -> None:
    script = hub.get("/install.sh")
    wheel = f"homelab_agent-{__version__}-py3-none-any.whl"

    assert script.status_code == 200
    assert "HUB=http://testserver\n" in script.text
    assert f'WHEEL="{wheel}"' in script.text
    (tmp_path / "install.sh").write_text(script.text)
    assert subprocess.run(["sh", "-n", str(tmp_path / "install.sh")], check=False).returncode == 0
    assert hub.get(f"/install/{wheel}").status_code == 200
    assert "argon2-cffi==" in hub.get("/install/constraints.txt").text
    assert "ExecStart=" in hub.get("/install/homelab-agent.service").text
    for name in ("homelab_agent-0.0.1-py3-none-any.whl", "api_key", "..%2Fapi_key", "x.whl"):
        assert hub.get(f"/install/{name}").status_code == 404, name


def test_a_forged_host_header_cannot_reach_the_script(hub: TestClient) -> None:
    script = hub.get("/install.sh", headers={"Host": 'x";reboot;"'})

    assert script.status_code == 200
    assert "reboot" not in script.text


def test_servers_reporting_over_plain_http_from_afar_are_listed(hub: TestClient) -> None:
    plain = "/api/v1/agents/plain-http"
    enrolled = _enroll(hub, "nas")
    assert hub.get(plain, headers=ADMIN).json() == {"servers": []}

    # The test client's address is not loopback: as a host on the LAN over http.
    assert _beat(hub, enrolled["token"], "nas") == 200
    listed = hub.get(plain, headers=ADMIN).json()["servers"]
    over_tls = hub.post(
        "https://hub.lan" + HEARTBEAT,
        json=heartbeat_payload(server_id="nas"),
        headers={"Authorization": f"Bearer {enrolled['token']}"},
    )
    after_tls = hub.get(plain, headers=ADMIN).json()["servers"]

    assert [s["server_id"] for s in listed] == ["nas"]
    assert over_tls.status_code == 200
    assert after_tls == []

"""X-Forwarded-For and X-Forwarded-Proto count only from HOMELAB_CMD_TRUSTED_PROXIES.

Real hub processes, reached on 127.0.0.1 as a reverse proxy on the same box reaches them. Where
the hub saw a request come from is read back from the audit log the change wrote.
"""

import sqlite3
from collections.abc import Mapping
from pathlib import Path

import httpx
import pytest

from tests.factories import ADMIN_PASSWORD, ADMIN_USERNAME
from tests.hub_process import API_KEY, running_hub

ADMIN = {"Authorization": f"Bearer {API_KEY}"}
FIRST_ADMIN = {
    "HOMELAB_CMD_ADMIN_USERNAME": ADMIN_USERNAME,
    "HOMELAB_CMD_ADMIN_PASSWORD": ADMIN_PASSWORD,
}


def sources(data: Path) -> list[str]:
    with sqlite3.connect(data / "homelab.db") as db:
        rows = db.execute("SELECT source FROM audit_event ORDER BY id").fetchall()
    return [row[0] for row in rows]


def change_from(url: str, forwarded: Mapping[str, str]) -> None:
    answer = httpx.put(
        f"{url}/api/v1/alert-settings",
        headers={**ADMIN, **forwarded},
        json={"warn_percent": 80},
        timeout=30,
    )
    assert answer.status_code == 200, answer.text


def install_command_for(url: str, forwarded: Mapping[str, str]) -> str:
    answer = httpx.post(
        f"{url}/api/v1/enrollments", headers={**ADMIN, **forwarded}, timeout=30
    ).json()
    return str(answer["install_command"])


def test_with_no_trusted_proxy_forwarded_headers_change_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    forwarded = {"X-Forwarded-For": "1.2.3.4", "X-Forwarded-Proto": "https"}
    with running_hub(data) as (_, url):
        change_from(url, forwarded)
        command = install_command_for(url, forwarded)

    assert sources(data) == ["127.0.0.1"]
    assert f"{url}/install.sh" in command  # http, as the connection is


UNTRUSTED_PROXY_WARNING = "carries X-Forwarded-For or Forwarded, but 127.0.0.1 is not one of"


def _hub_log(tmp_path: Path) -> str:
    return "".join(log.read_text() for log in tmp_path.glob("hub-*.log"))


def test_a_proxy_the_hub_does_not_trust_is_named_in_its_log_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with running_hub(data) as (_, url):
        change_from(url, {})
        change_from(url, {"X-Forwarded-For": "1.2.3.4"})
        change_from(url, {"X-Forwarded-For": "5.6.7.8"})
        change_from(url, {"Forwarded": "for=5.6.7.8"})

    log = _hub_log(tmp_path)
    assert log.count(UNTRUSTED_PROXY_WARNING) == 1, log
    assert "set HOMELAB_CMD_TRUSTED_PROXIES=127.0.0.1 (or add it)" in log
    assert sources(data) == ["127.0.0.1"] * 4


def test_a_trusted_proxy_names_the_client_and_the_scheme(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {"HOMELAB_CMD_TRUSTED_PROXIES": "127.0.0.1, 10.0.0.0/8"}
    with running_hub(data, env) as (_, url):
        change_from(url, {"X-Forwarded-For": "1.2.3.4"})
        # A client's own X-Forwarded-For is kept by the proxy and extended: the hub takes the
        # nearest address no trusted proxy vouches for, never the one the client wrote.
        change_from(url, {"X-Forwarded-For": "6.6.6.6, 5.6.7.8, 10.1.2.3"})
        command = install_command_for(url, {"X-Forwarded-Proto": "https"})

    assert sources(data) == ["1.2.3.4", "5.6.7.8"]
    assert command.startswith(f"curl -fsSL {url.replace('http://', 'https://')}/install.sh")
    assert UNTRUSTED_PROXY_WARNING not in _hub_log(tmp_path)


@pytest.mark.parametrize("trusted", ["", "127.0.0.1"])
def test_behind_a_tls_proxy_sign_in_from_the_hubs_https_page_works(
    tmp_path: Path, trusted: str
) -> None:
    # The proxy speaks http to the hub; the browser's Origin says https, with the same host.
    # The Origin check compares the host the request came to, which no forwarded header sets,
    # so trusting a proxy or not changes nothing about it, and a foreign site stays refused.
    data = tmp_path / "data"
    env = {**FIRST_ADMIN, "HOMELAB_CMD_TRUSTED_PROXIES": trusted}
    with running_hub(data, env) as (_, url):
        host = url.removeprefix("http://")
        behind_proxy = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "1.2.3.4"}
        own = httpx.post(
            f"{url}/api/v1/auth/login",
            json={"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD},
            headers={**behind_proxy, "Origin": f"https://{host}"},
            timeout=60,
        )
        foreign = httpx.post(
            f"{url}/api/v1/auth/login",
            json={"username": ADMIN_USERNAME, "password": ADMIN_PASSWORD},
            headers={**behind_proxy, "Origin": "https://evil.example"},
            timeout=60,
        )

    assert (own.status_code, foreign.status_code) == (200, 403)

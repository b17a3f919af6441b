"""Against a real hub process: a burst of 60 concurrent sign-ins checks at most the throttle's
count of passwords, keeps the hub's peak memory bounded, and a stranger failing from one address
never locks the admin out of another address or out of a session already open."""

import asyncio
import re
from pathlib import Path

import httpx
import pytest

from tests.hub_process import API_KEY, HUB, running_hub

pytestmark = pytest.mark.skipif(not HUB.exists(), reason="the hub is not installed")
LOGIN = "/api/v1/auth/login"
MIB = 1024 * 1024
ADMIN = {"username": "admin", "password": "the-admins-password-1"}
STRANGER = "127.0.0.1"
OWNER = "127.0.0.2"
# The bound this test states (SPEC: "60 concurrent logins … peak RSS + < 300 MiB"): each argon2
# check takes 64 MiB and the hub runs at most 2 at once, so the peak grows by about 130 MiB.
PEAK_GROWTH_BOUND = 300 * MIB
PAIR_LIMIT = 5  # HOMELAB_CMD_LOGIN_FAILURES_PER_USER_ADDRESS's default


def _peak_rss(pid: int) -> int:
    """The process's high-water resident memory since it started (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError(f"no VmHWM for {pid}")


def _password_checks(url: str) -> float:
    text = httpx.get(f"{url}/metrics", headers={"X-API-Key": API_KEY}).text
    found = re.search(r"^homelab_password_checks_total (\S+)$", text, re.MULTILINE)
    assert found, text
    return float(found.group(1))


def _from(address: str, url: str) -> httpx.AsyncClient:
    """A client whose connections leave from `address` (any of 127.0.0.0/8 is loopback)."""
    transport = httpx.AsyncHTTPTransport(local_address=address)
    return httpx.AsyncClient(base_url=url, transport=transport, timeout=120)


async def _burst(url: str, bodies: list[tuple[str, dict[str, str]]]) -> list[int]:
    """Send every (source address, body) sign-in at once; the statuses, in order."""
    clients = {address: _from(address, url) for address in {a for a, _ in bodies}}
    try:
        answers = await asyncio.gather(
            *(clients[address].post(LOGIN, json=body) for address, body in bodies)
        )
    finally:
        for client in clients.values():
            await client.aclose()
    return [answer.status_code for answer in answers]


async def _sign_in(url: str, address: str) -> httpx.AsyncClient:
    client = _from(address, url)
    answer = await client.post(LOGIN, json=ADMIN)
    assert answer.status_code == 200, answer.text
    return client


def test_a_burst_for_one_user_is_checked_only_as_often_as_the_throttle_allows(
    tmp_path: Path,
) -> None:
    env = {
        "HOMELAB_CMD_ADMIN_USERNAME": ADMIN["username"],
        "HOMELAB_CMD_ADMIN_PASSWORD": ADMIN["password"],
    }

    async def scenario(url: str, pid: int) -> None:
        owner = await _sign_in(url, OWNER)  # the admin's usual address, and a session
        checks_before, peak_before = _password_checks(url), _peak_rss(pid)
        wrong = {"username": ADMIN["username"], "password": "a-wrong-guess"}

        statuses = await _burst(url, [(STRANGER, wrong)] * 60)

        checks = _password_checks(url) - checks_before
        peak_growth = _peak_rss(pid) - peak_before
        print(
            f"burst: {statuses.count(401)} checked (401), {statuses.count(429)} throttled,"
            f" {statuses.count(503)} busy; {checks:.0f} password checks;"
            f" peak RSS +{peak_growth / MIB:.0f} MiB"
        )
        assert set(statuses) <= {401, 429, 503}
        assert checks <= PAIR_LIMIT
        assert statuses.count(401) <= PAIR_LIMIT
        assert peak_growth < PEAK_GROWTH_BOUND
        # The stranger keeps failing, the right password included: the pair is locked.
        assert await _burst(url, [(STRANGER, wrong), (STRANGER, ADMIN)]) == [429, 429]
        # The admin's open session is untouched, and their own address still signs in.
        assert (await owner.get("/api/v1/auth/me")).status_code == 200
        again = await owner.post(LOGIN, json=ADMIN)
        assert again.status_code == 200
        await owner.aclose()

    data = tmp_path / "data"
    with running_hub(data, env) as (hub, url):
        asyncio.run(scenario(url, hub.pid))


def test_a_burst_from_many_addresses_runs_at_most_two_checks_at_once(tmp_path: Path) -> None:
    async def scenario(url: str, pid: int) -> None:
        peak_before = _peak_rss(pid)
        # 60 addresses, 60 usernames: no throttle limit applies, only the bound on checks.
        bodies = [
            (f"127.0.1.{i + 1}", {"username": f"user{i}", "password": "a-wrong-guess"})
            for i in range(60)
        ]

        statuses = await _burst(url, bodies)

        peak_growth = _peak_rss(pid) - peak_before
        print(
            f"spread burst: {statuses.count(401)} checked, {statuses.count(503)} busy (503);"
            f" peak RSS +{peak_growth / MIB:.0f} MiB"
        )
        assert set(statuses) <= {401, 503}
        assert peak_growth < PEAK_GROWTH_BOUND

    data = tmp_path / "data"
    with running_hub(data) as (hub, url):
        asyncio.run(scenario(url, hub.pid))


def test_after_a_restart_a_spray_from_many_addresses_does_not_lock_the_admin_out(
    tmp_path: Path,
) -> None:
    env = {
        "HOMELAB_CMD_ADMIN_USERNAME": ADMIN["username"],
        "HOMELAB_CMD_ADMIN_PASSWORD": ADMIN["password"],
    }
    wrong = {"username": ADMIN["username"], "password": "a-wrong-guess"}

    async def before_restart(url: str) -> None:
        await (await _sign_in(url, OWNER)).aclose()

    async def after_restart(url: str) -> list[int]:
        # One failure from each of ten addresses fills the username-wide count (10 by default).
        statuses = [(await _burst(url, [(f"127.0.1.{i + 1}", wrong)]))[0] for i in range(10)]
        statuses += await _burst(url, [("127.0.2.1", ADMIN)])  # a new address: refused
        statuses += await _burst(url, [(OWNER, ADMIN)])  # the admin's usual one: in
        return statuses

    data = tmp_path / "data"
    with running_hub(data, env) as (_, url):
        asyncio.run(before_restart(url))
    with running_hub(data, env) as (_, url):
        statuses = asyncio.run(after_restart(url))

    assert statuses == [401] * 10 + [429, 200]

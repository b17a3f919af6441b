"""Sign-in under a burst, against a real hub process: 60 concurrent wrong passwords for one
user from one address, then 60 for 60 users from 60 addresses. Prints the answers, how many
passwords the hub checked (homelab_password_checks_total) and the growth of its peak memory
(VmHWM); the SPEC's target is at most the throttle's count of checks and + < 300 MiB."""

import asyncio
import re
import tempfile
from pathlib import Path

import httpx
from _hub import running_hub
from hardening import _pid_of

MIB = 1024 * 1024
LOGIN = "/api/v1/auth/login"
ADMIN = {"username": "admin", "password": "the-admins-password-1"}


def _peak(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def _checks(url: str, key: str) -> float:
    text = httpx.get(f"{url}/metrics", headers={"X-API-Key": key}).text
    found = re.search(r"^homelab_password_checks_total (\S+)$", text, re.MULTILINE)
    return float(found.group(1)) if found else float("nan")


async def _burst(url: str, bodies: list[tuple[str, dict[str, str]]]) -> list[int]:
    clients = {
        address: httpx.AsyncClient(
            base_url=url, transport=httpx.AsyncHTTPTransport(local_address=address), timeout=120
        )
        for address in {a for a, _ in bodies}
    }
    try:
        answers = await asyncio.gather(*(clients[a].post(LOGIN, json=b) for a, b in bodies))
    finally:
        for client in clients.values():
            await client.aclose()
    return [answer.status_code for answer in answers]


def _run(name: str, url: str, key: str, pid: int, bodies: list[tuple[str, dict[str, str]]]) -> None:
    checks, peak = _checks(url, key), _peak(pid)
    statuses = asyncio.run(_burst(url, bodies))
    counted = {status: statuses.count(status) for status in sorted(set(statuses))}
    print(
        f"{name}: answers {counted}; {_checks(url, key) - checks:.0f} password checks; "
        f"peak RSS {peak / MIB:.0f} -> {_peak(pid) / MIB:.0f} MiB "
        f"(+{(_peak(pid) - peak) / MIB:.0f})"
    )


def main() -> None:
    env = {
        "HOMELAB_CMD_ADMIN_USERNAME": ADMIN["username"],
        "HOMELAB_CMD_ADMIN_PASSWORD": ADMIN["password"],
    }
    with tempfile.TemporaryDirectory() as tmp, running_hub(Path(tmp) / "data", env) as (url, key):
        pid = _pid_of(url.rsplit(":", 1)[1])
        wrong = {"username": ADMIN["username"], "password": "a-wrong-guess"}
        _run("60 logins, one user, one address", url, key, pid, [("127.0.0.1", wrong)] * 60)
        spread = [
            (f"127.0.1.{i + 1}", {"username": f"user{i}", "password": "a-wrong-guess"})
            for i in range(60)
        ]
        _run("60 logins, 60 users, 60 addresses", url, key, pid, spread)
        owner = asyncio.run(_burst(url, [("127.0.0.2", ADMIN)]))
        print(f"the admin from another address meanwhile: {owner[0]}")


if __name__ == "__main__":
    main()

"""What a server is to the hub: the id rule agents must follow, and online or offline."""

import re
from datetime import datetime, timedelta
from enum import StrEnum

SERVER_ID_PATTERN = r"^[a-z0-9-]+$"
SERVER_ID_MAX_CHARS = 100
_SERVER_ID = re.compile(SERVER_ID_PATTERN)


class ServerStatus(StrEnum):
    ONLINE = "online"
    OFFLINE = "offline"


def is_server_id(text: str) -> bool:
    """True when `text` could name a server (an agent could have sent it)."""
    return len(text) <= SERVER_ID_MAX_CHARS and _SERVER_ID.fullmatch(text) is not None


def status_at(
    last_seen_at: datetime | None, now: datetime, offline_after_seconds: int
) -> ServerStatus:
    """Online while the hub heard from the agent within the offline threshold."""
    if last_seen_at is None:
        return ServerStatus.OFFLINE
    if now - last_seen_at <= timedelta(seconds=offline_after_seconds):
        return ServerStatus.ONLINE
    return ServerStatus.OFFLINE


def server_id_for(hostname: str, taken: "set[str]") -> str:
    """A readable id for a newly enrolled host: its name in lower case, with `-` for every run of
    other characters, and `-2`, `-3`… when another server has it already.

    Hosts called `NAS_01` and `nas.01` thus become `nas-01` and `nas-01-2`: two servers, each
    keeping its hostname as its display name. A name with no ASCII letter or digit becomes
    `host`.
    """
    slug = re.sub(r"[^a-z0-9]+", "-", hostname.lower()).strip("-")
    slug = slug[: SERVER_ID_MAX_CHARS - 8].strip("-") or "host"
    if slug not in taken:
        return slug
    n = 2
    while f"{slug}-{n}" in taken:
        n += 1
    return f"{slug}-{n}"

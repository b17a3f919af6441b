"""Capacity domains of a server: storage counted once, with a fill forecast per domain, and the
fill date each filesystem takes from its domain when the domain fills first (fills.py).

Agents that report domains send them with the snapshot. For older agents every reported
filesystem is its own domain (kind `filesystem`), so totals work the same for the whole fleet.
A domain counts towards totals unless it is a quota dataset inside a pool (its bytes are the
pool's) or a union whose branches are reported themselves (its bytes are the branches').
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from homelab_cmd.domain.snapshot import SnapshotFilesystem
from homelab_cmd.schemas.server import CapacityTotals
from homelab_cmd.services.fleet import fills
from homelab_cmd.services.forecast.trends import Forecasted, forecast_fields

FALLBACK_PREFIX = "fs:"


def _fallback(filesystems: Sequence[Forecasted]) -> list[dict[str, Any]]:
    return [
        {
            "key": FALLBACK_PREFIX + fs.mount_point,
            "kind": "filesystem",
            "members": [fs.mount_point],
            "total_bytes": fs.total_bytes,
            "used_bytes": fs.used_bytes,
            "available_bytes": fs.available_bytes,
            "union_of": None,
            "parent": None,
        }
        for fs, _ in filesystems
        if fs.answered
    ]


def _domain_of(fs: SnapshotFilesystem, reported: bool) -> str:
    if reported:
        return fs.capacity_domain or ""
    return FALLBACK_PREFIX + fs.mount_point


def domain_label(fs: SnapshotFilesystem) -> str:
    """The key of the domain a snapshot filesystem draws on, its own `fs:` one when it names none.

    The same key the API gives agents that report no domains, so a fleet of old and new agents
    can be grouped by one label.
    """
    return fs.capacity_domain or FALLBACK_PREFIX + fs.mount_point


def _chain_order(parents: dict[str, str | None]) -> list[str]:
    """Every domain, children before their parents: one step per domain, never a walk per
    filesystem up its chain (ingest refuses loops; a stored one is cut where the walk met it)."""
    state: dict[str, int] = {}  # 1 on the current walk, 2 placed
    order: list[str] = []
    for start in parents:
        path: list[str] = []
        current: str | None = start
        while current is not None and current in parents and current not in state:
            state[current] = 1
            path.append(current)
            current = parents[current]
        order.extend(reversed(path))  # the walk went child to parent; place parents first
        for key in path:
            state[key] = 2
    # `order` now lists each chain parent first; reversed, every child precedes its parent.
    return order[::-1]


def _rates(
    domains: Sequence[dict[str, Any]],
    filesystems: Sequence[Forecasted],
    reported: bool,
    now: datetime,
) -> dict[str, fills.Rate]:
    # A domain grows by what draws on it, its children's included: each domain's own members
    # combined, then added up the chains once, children before parents.
    parents: dict[str, str | None] = {d["key"]: d.get("parent") for d in domains}
    parts: dict[str, list[fills.Rate]] = {key: [] for key in parents}
    for fs, forecast in filesystems:
        key = _domain_of(fs, reported)
        if fs.answered and key in parts:
            parts[key].append(fills.member_rate(forecast, now))
    rates = {d["key"]: fills.combined(d.get("kind"), parts[d["key"]]) for d in domains}
    placed: set[str] = set()
    for key in _chain_order(parents):
        placed.add(key)
        parent = parents[key]
        # A parent placed before its child closes a loop: nothing flows round it.
        if parent is None or parent not in rates or parent in placed:
            continue
        rates[parent] = rates[parent] + rates[key]
    return rates


def counted(domain: dict[str, Any]) -> bool:
    """True when the domain's bytes are not already counted in another domain."""
    return domain.get("parent") is None and not domain.get("union_of")


def server_domains(
    raw: list[dict[str, Any]] | None, filesystems: list[Forecasted] | None, now: datetime
) -> list[dict[str, Any]] | None:
    """The domains of a snapshot with their forecast; None before any filesystem data."""
    if filesystems is None and raw is None:
        return None
    reported = raw is not None
    domains = raw if raw is not None else _fallback(filesystems or [])
    rates = _rates(domains, filesystems or [], reported, now)
    out = []
    for domain in domains:
        trend = fills.domain_trend(domain.get("available_bytes"), rates[domain["key"]], now)
        out.append({**domain, **forecast_fields(trend, now), "counted": counted(domain)})
    return out


def server_capacity(
    raw: list[dict[str, Any]] | None, filesystems: list[Forecasted] | None, now: datetime
) -> tuple[list[Forecasted] | None, list[dict[str, Any]] | None]:
    """A server's filesystems with their fill dates, and its domains with their forecast.

    A filesystem that shares a reported domain with other mounts takes the domain's date when
    that comes first (services/fleet/fills.py), or a domain above it: a quota dataset is
    compared with its quota's domain and with the pool (when the pool is full, so is every
    dataset in it), and takes the earliest date. Agents that report no domains keep every
    filesystem's own date.
    """
    domains = server_domains(raw, filesystems, now)
    if filesystems is None:
        return None, domains
    return _dated(filesystems, _reported(raw, domains)), domains


def fill_dates(
    raw: list[dict[str, Any]] | None, filesystems: list[Forecasted], now: datetime
) -> list[Forecasted]:
    """The filesystems of `server_capacity`, dated the same, without the domains beside them.

    For what dates every filesystem of the fleet (the alert pass, /metrics, the maintenance
    pass, the weekly report): an agent that reports no domains dates each filesystem by its own
    forecast, so the domains the API would show it (one per filesystem) are not forecast at all.
    """
    if raw is None:
        return _dated(filesystems, {})
    return _dated(filesystems, _reported(raw, server_domains(raw, filesystems, now)))


def _reported(
    raw: list[dict[str, Any]] | None, domains: list[dict[str, Any]] | None
) -> dict[str, dict[str, Any]]:
    """The domains a filesystem may take its date from, by key: the reported ones only."""
    return {d["key"]: d for d in domains or []} if raw is not None else {}


def _dated(filesystems: list[Forecasted], by_key: dict[str, dict[str, Any]]) -> list[Forecasted]:
    chains: dict[str, list[dict[str, Any]]] = {}
    return [
        (
            fs,
            fills.fill_fields(
                forecast, _chain(fs.capacity_domain or "", by_key, chains) if fs.answered else None
            ),
        )
        for fs, forecast in filesystems
    ]


def _chain(
    key: str, by_key: dict[str, dict[str, Any]], chains: dict[str, list[dict[str, Any]]]
) -> list[dict[str, Any]]:
    """The domain `key` and the ones above it (parent, its parent, …), nearest first: walked
    once per domain and remembered, and cut where a stored loop meets itself."""
    if key in chains:
        return chains[key]
    chain: list[dict[str, Any]] = []
    seen: set[str] = set()
    current: str | None = key
    while current is not None and current in by_key and current not in seen:
        seen.add(current)
        chain.append(by_key[current])
        current = by_key[current].get("parent")
    chains[key] = chain
    return chain


def share_host(domain: dict[str, Any]) -> str | None:
    """The server a network domain's share lives on (`net:nas:/export`, `net://nas/share`,
    `net:user@nas:/path`), its first name label in lower case; None for other domains."""
    key = str(domain.get("key") or "")
    if domain.get("kind") != "network" or not key.startswith("net:"):
        return None
    source = key[len("net:") :]
    # //host/share (SMB) or [user@]host:/path (NFS, sshfs); an IPv6 host stands in brackets.
    address = source[2:].split("/", 1)[0] if source.startswith("//") else source.split(":/", 1)[0]
    host = address.rsplit("@", 1)[-1]
    if host.startswith("["):
        return host[1:].split("]", 1)[0].lower() or None
    return host.split(":", 1)[0].split(".", 1)[0].lower() or None


def fleet_totals(servers: Iterable[tuple[set[str], list[dict[str, Any]]]]) -> CapacityTotals:
    """Bytes over the whole fleet, each domain once: a network share mounted on several servers
    counts once, and not at all when the server it lives on is in the fleet (its own domains
    count it there). `servers` holds each server's names (id, hostname) and domains."""
    servers = list(servers)
    names = {name for own, _ in servers for name in own}
    seen: set[str] = set()
    kept = []
    for _, domains in servers:
        for domain in domains:
            host = share_host(domain)
            if host is not None and (host in names or domain["key"] in seen):
                continue
            seen.add(domain["key"])
            kept.append(domain)
    return totals(kept)


def server_names(server_id: str, hostname: str | None) -> set[str]:
    """The names a share's source may call a server by: its id and its host name's first label."""
    names = {server_id.lower()}
    if hostname:
        names.add(hostname.split(".", 1)[0].lower())
    return names


def totals(domains: Iterable[dict[str, Any]]) -> CapacityTotals:
    """Bytes over the domains that count, each once."""
    total = used = available = count = 0
    for domain in domains:
        if not domain["counted"] or domain.get("total_bytes") is None:
            continue
        count += 1
        total += domain["total_bytes"]
        used += domain.get("used_bytes") or 0
        available += domain.get("available_bytes") or 0
    return CapacityTotals(
        domain_count=count, total_bytes=total, used_bytes=used, available_bytes=available
    )

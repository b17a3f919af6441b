"""ZFS pools: `zpool status -j --json-int` (OpenZFS 2.3+), its text form, or kstat state files."""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from homelab_agent.pools.model import PoolDevice, PoolSample, PoolScan

SCAN_FUNCTIONS = {"SCRUB": "scrub", "RESILVER": "resilver", "ERRORSCRUB": "error_scrub"}
SCAN_STATES = {"SCANNING": "scanning", "FINISHED": "finished", "CANCELED": "canceled"}


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def iso(epoch: float | None) -> str | None:
    """Seconds since the epoch as UTC ISO-8601 with a Z."""
    if epoch is None or epoch <= 0:
        return None
    return datetime.fromtimestamp(epoch, UTC).isoformat().replace("+00:00", "Z")


def _percent(done: int | None, total: int | None) -> float | None:
    if done is None or not total:
        return None
    return round(min(100.0, done * 100 / total), 2)


def _json_scan(stats: Any) -> PoolScan | None:
    if not isinstance(stats, Mapping):
        return None
    function = SCAN_FUNCTIONS.get(str(stats.get("function", "")).upper())
    state = SCAN_STATES.get(str(stats.get("state", "")).upper())
    if function is None or state is None:
        return None
    examined = _int(stats.get("issued")) or _int(stats.get("examined"))
    to_examine = _int(stats.get("to_examine"))
    return PoolScan(
        function=function,
        state=state,
        started_at=iso(_int(stats.get("start_time"))),
        ended_at=iso(_int(stats.get("end_time"))) if state != "scanning" else None,
        progress_percent=100.0 if state == "finished" else _percent(examined, to_examine),
        examined_bytes=examined,
        to_examine_bytes=to_examine,
        repaired_bytes=_int(stats.get("processed")),
        errors=_int(stats.get("errors")),
    )


def _json_vdev(name: str, vdev: Mapping[str, Any]) -> PoolDevice:
    children = vdev.get("vdevs")
    return PoolDevice(
        name=str(vdev.get("name") or name),
        state=str(vdev["state"]) if vdev.get("state") is not None else None,
        kind=str(vdev["vdev_type"]) if vdev.get("vdev_type") is not None else None,
        path=str(vdev["path"]) if vdev.get("path") else None,
        read_errors=_int(vdev.get("read_errors")),
        write_errors=_int(vdev.get("write_errors")),
        checksum_errors=_int(vdev.get("checksum_errors")),
        children=[
            _json_vdev(n, v)
            for n, v in (children.items() if isinstance(children, Mapping) else ())
            if isinstance(v, Mapping)
        ],
    )


def _json_pool(name: str, pool: Mapping[str, Any]) -> PoolSample:
    vdevs = pool.get("vdevs")
    tree = [
        _json_vdev(n, v)
        for n, v in (vdevs.items() if isinstance(vdevs, Mapping) else ())
        if isinstance(v, Mapping)
    ]
    # Log, cache and spare devices sit beside the root vdev.
    for section in ("logs", "l2cache", "spares", "special", "dedup"):
        extra = pool.get(section)
        if isinstance(extra, Mapping):
            tree += [_json_vdev(n, v) for n, v in extra.items() if isinstance(v, Mapping)]
    root = vdevs.get(name) if isinstance(vdevs, Mapping) else None
    root = root if isinstance(root, Mapping) else {}
    size, allocated = _int(root.get("total_space")), _int(root.get("alloc_space"))
    state = str(pool.get("state") or "UNKNOWN")
    return PoolSample(
        kind="zfs",
        name=str(pool.get("name") or name),
        state=state,
        source="zpool-json",
        degraded=state != "ONLINE",
        size_bytes=size,
        allocated_bytes=allocated,
        free_bytes=size - allocated if size is not None and allocated is not None else None,
        status=str(pool["status"]) if pool.get("status") else None,
        action=str(pool["action"]) if pool.get("action") else None,
        data_errors=_int(pool.get("error_count")),
        scan=_json_scan(pool.get("scan_stats")),
        devices=tree,
    )


def parse_zpool_json(doc: Any) -> list[PoolSample]:
    """`zpool status -j --json-int` as pools."""
    pools = doc.get("pools") if isinstance(doc, Mapping) else None
    if not isinstance(pools, Mapping):
        raise ValueError("zpool status JSON has no pools object")
    return [_json_pool(n, p) for n, p in pools.items() if isinstance(p, Mapping)]


# `zpool status` prints times with ctime(3) in the host's zone (C locale).
_SCAN_DONE = re.compile(r"^(scrub repaired|resilvered) (\S+) in .*? with (\d+) errors on (.+)$")
_SCAN_RUNNING = re.compile(r"^(scrub|resilver) in progress since (.+)$")
_SCAN_CANCELED = re.compile(r"^(scrub|resilver) canceled on (.+)$")
_PROGRESS = re.compile(r"([\d.]+)% done")
_SCANNED = re.compile(r"^(\S+) / (\S+) scanned")
_REPAIRED = re.compile(r"(\S+) repaired,")
_SUFFIX = {"": 1, "B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40, "P": 1 << 50}


def _size(text: str) -> int | None:
    match = re.fullmatch(r"([\d.]+)([KMGTP]?)B?", text)
    return int(float(match[1]) * _SUFFIX[match[2]]) if match else None


def _ctime(text: str) -> str | None:
    try:
        return iso(time.mktime(time.strptime(" ".join(text.split()), "%a %b %d %H:%M:%S %Y")))
    except (ValueError, OverflowError):
        return None


def _text_scan(lines: list[str]) -> PoolScan | None:
    if not lines:
        return None
    first = lines[0]
    rest = " ".join(lines[1:])
    if match := _SCAN_DONE.match(first):
        return PoolScan(
            function="scrub" if match[1].startswith("scrub") else "resilver",
            state="finished",
            ended_at=_ctime(match[4]),
            progress_percent=100.0,
            repaired_bytes=_size(match[2]),
            errors=int(match[3]),
        )
    if match := _SCAN_RUNNING.match(first):
        progress = _PROGRESS.search(rest)
        scanned = _SCANNED.match(rest.strip())
        repaired = _REPAIRED.search(rest)
        return PoolScan(
            function=match[1],
            state="scanning",
            started_at=_ctime(match[2]),
            progress_percent=float(progress[1]) if progress else None,
            examined_bytes=_size(scanned[1]) if scanned else None,
            to_examine_bytes=_size(scanned[2]) if scanned else None,
            repaired_bytes=_size(repaired[1]) if repaired else None,
        )
    if match := _SCAN_CANCELED.match(first):
        return PoolScan(function=match[1], state="canceled", ended_at=_ctime(match[2]))
    return None


def _config_tree(lines: list[str]) -> list[PoolDevice]:
    """The vdev table under `config:`; indentation (two spaces a level) gives the tree."""
    rows: list[tuple[int, PoolDevice]] = []
    for line in lines:
        text = line.replace("\t", "")
        fields = text.split()
        if not fields or fields[0] == "NAME":
            continue
        depth = (len(text) - len(text.lstrip(" "))) // 2
        counts = [_int(f) for f in fields[2:5]]
        device = PoolDevice(
            name=fields[0],
            state=fields[1] if len(fields) > 1 else None,
            read_errors=counts[0] if len(counts) > 0 else None,
            write_errors=counts[1] if len(counts) > 1 else None,
            checksum_errors=counts[2] if len(counts) > 2 else None,
            note=" ".join(fields[5:]) or None,
        )
        rows.append((depth, device))
    return _nest(rows)


def _nest(rows: list[tuple[int, PoolDevice]]) -> list[PoolDevice]:
    top: list[PoolDevice] = []
    stack: list[tuple[int, PoolDevice]] = []
    for depth, device in rows:
        while stack and stack[-1][0] >= depth:
            stack.pop()
        (stack[-1][1].children if stack else top).append(device)
        stack.append((depth, device))
    return top


def _sections(block: list[str]) -> dict[str, list[str]]:
    """`key: value` sections of one pool's block; continuation lines are indented."""
    sections: dict[str, list[str]] = {}
    key = ""
    for line in block:
        match = re.match(
            r"^\s*(pool|state|status|action|see|scan|config|errors|remove):\s?(.*)$", line
        )
        if match:
            key = match[1]
            sections[key] = [match[2].strip()] if match[2].strip() else []
        elif key and line.strip():
            sections[key].append(line if key == "config" else line.strip())
    return sections


def parse_zpool_status_text(
    text: str, sizes: Mapping[str, tuple[int, int, int]] | None = None
) -> list[PoolSample]:
    """`zpool status -p` text (LC_ALL=C); `sizes` from `zpool list -Hp` by pool name."""
    blocks: list[list[str]] = []
    for line in text.splitlines():
        if re.match(r"^\s*pool:\s", line):
            blocks.append([])
        if blocks:
            blocks[-1].append(line)
    pools = []
    for block in blocks:
        s = _sections(block)
        name = (s.get("pool") or [""])[0]
        state = (s.get("state") or ["UNKNOWN"])[0] or "UNKNOWN"
        size = (sizes or {}).get(name)
        tree = _config_tree([line for line in s.get("config", []) if line.strip()])
        errors = " ".join(s.get("errors", [])) or None
        pools.append(
            PoolSample(
                kind="zfs",
                name=name,
                state=state,
                source="zpool-text",
                degraded=state != "ONLINE",
                size_bytes=size[0] if size else None,
                allocated_bytes=size[1] if size else None,
                free_bytes=size[2] if size else None,
                status=" ".join(s.get("status", [])) or None,
                action=" ".join(s.get("action", [])) or None,
                errors=errors,
                data_errors=0 if errors == "No known data errors" else _leading_int(errors),
                scan=_text_scan(s.get("scan", [])),
                devices=tree,
            )
        )
    return pools


def _leading_int(text: str | None) -> int | None:
    match = re.match(r"^(\d+) data errors", text or "")
    return int(match[1]) if match else None


def parse_zpool_list(text: str) -> dict[str, tuple[int, int, int]]:
    """`zpool list -Hp -o name,size,allocated,free`: (size, allocated, free) bytes by pool."""
    sizes: dict[str, tuple[int, int, int]] = {}
    for line in text.splitlines():
        fields = line.split("\t")
        if len(fields) >= 4 and all(f.isdigit() for f in fields[1:4]):
            sizes[fields[0]] = (int(fields[1]), int(fields[2]), int(fields[3]))
    return sizes


def read_kstat_states(proc_root: Path) -> list[PoolSample]:
    """`<proc>/spl/kstat/zfs/<pool>/state`: each pool's state, readable without root."""
    base = proc_root / "spl" / "kstat" / "zfs"
    pools = []
    for state_file in sorted(base.glob("*/state")):
        try:
            state = state_file.read_text(encoding="utf-8").strip() or "UNKNOWN"
        except OSError:
            continue
        pools.append(
            PoolSample(
                kind="zfs",
                name=state_file.parent.name,
                state=state,
                source="kstat",
                degraded=state != "ONLINE",
            )
        )
    return pools

"""Linux md arrays: `/proc/mdstat`, refined by `/sys/block/md*/md/*` when it is there."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from homelab_agent.pools.model import PoolDevice, PoolSample

_HEAD = re.compile(r"^(md\S*)\s*:\s*(\S+)\s*(.*)$")
_MEMBER = re.compile(r"^(\S+?)\[(\d+)\](\((\w)\))?$")
_COUNTS = re.compile(r"\[(\d+)/(\d+)\]\s*\[([U_]+)\]")
_SYNC = re.compile(r"(resync|recovery|check|repair|reshape)\s*=\s*([\d.]+)%")
_DELAYED = re.compile(r"(resync|recovery|check|repair|reshape)\s*=\s*(DELAYED|PENDING)")
_FLAGS = {"F": "faulty", "S": "spare", "W": "write_mostly", "R": "replacement", "J": "journal"}
# mdstat's progress word for each sync_action (md(4)): recovery is what sysfs calls recover.
_ACTIONS = {"recovery": "recover"}


def _members(words: list[str]) -> tuple[str | None, list[PoolDevice]]:
    level = None
    members: list[tuple[int, PoolDevice]] = []
    for word in words:
        match = _MEMBER.match(word)
        if match is None:
            if level is None and word not in ("(auto-read-only)", "(read-only)"):
                level = word
            continue
        state = _FLAGS.get(match[4] or "", "in_sync")
        members.append((int(match[2]), PoolDevice(name=match[1], state=state)))
    return level, [m for _, m in sorted(members, key=lambda item: item[0])]


def parse_mdstat(text: str) -> list[PoolSample]:
    """Every array in a `/proc/mdstat` text."""
    arrays: list[PoolSample] = []
    for line in text.splitlines():
        head = _HEAD.match(line)
        if head and not line.startswith(("Personalities", "unused")):
            level, members = _members(head[3].split())
            arrays.append(
                PoolSample(
                    kind="md",
                    name=head[1],
                    state=head[2],
                    source="mdstat",
                    level=level,
                    degraded=False if head[2] == "active" else None,
                    devices=members,
                )
            )
            continue
        if not arrays or not line.startswith((" ", "\t")):
            continue
        arrays[-1] = _detail(arrays[-1], line)
    return arrays


def _detail(array: PoolSample, line: str) -> PoolSample:
    if counts := _COUNTS.search(line):
        raid, active = int(counts[1]), int(counts[2])
        return replace(
            array,
            raid_devices=raid,
            active_devices=active,
            degraded=active < raid or "_" in counts[3],
        )
    if sync := _SYNC.search(line):
        action = _ACTIONS.get(sync[1], sync[1])
        return replace(array, sync_action=action, sync_progress_percent=float(sync[2]))
    if delayed := _DELAYED.search(line):
        return replace(array, sync_action=_ACTIONS.get(delayed[1], delayed[1]))
    return array


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError):
        return None


def _progress(completed: str | None) -> float | None:
    """sync_completed: `done / total` sectors, or `none`."""
    match = re.match(r"^(\d+)\s*/\s*(\d+)$", completed or "")
    if not match or not int(match[2]):
        return None
    return round(int(match[1]) * 100 / int(match[2]), 2)


def refine_from_sysfs(array: PoolSample, sys_root: Path) -> PoolSample:
    """State, degraded count, sync action and progress, mismatch count from md's sysfs."""
    md = sys_root / "block" / array.name / "md"
    if not md.is_dir():
        return array
    degraded = _read(md / "degraded")
    action = _read(md / "sync_action")
    mismatch = _read(md / "mismatch_cnt")
    members = []
    for member in array.devices:
        state = _read(md / f"dev-{member.name}" / "state")
        members.append(replace(member, state=state.replace(",", " ") if state else member.state))
    refined = replace(
        array,
        state=_read(md / "array_state") or array.state,
        source="sysfs",
        degraded=int(degraded) > 0 if degraded and degraded.isdigit() else array.degraded,
        sync_action=action or array.sync_action,
        mismatch_count=int(mismatch) if mismatch and mismatch.isdigit() else None,
        devices=members,
    )
    if action and action != "idle":
        progress = _progress(_read(md / "sync_completed"))
        refined = replace(refined, sync_progress_percent=progress or array.sync_progress_percent)
    elif action == "idle":
        refined = replace(refined, sync_progress_percent=None)
    return refined

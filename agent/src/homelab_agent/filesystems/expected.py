"""Expected mounts that are not mounted, and what was written into their empty directory.

A disk that drops off or a share that fails at boot leaves no line in the mount table: its series
just stop. Worse, programs keep writing into the empty mount directory, onto the parent
filesystem, until that fills. So the agent compares what the host expects (`/etc/fstab`, and
systemd mount units that failed) with the mount table, and for each missing mount adds up the
bytes found in its directory (`shadowed_bytes`, a bounded scan).
"""

from __future__ import annotations

import logging
import os
import re
import stat
import subprocess
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from homelab_agent.filesystems.fstab import FstabLine
from homelab_agent.filesystems.mounts import Mount

log = logging.getLogger(__name__)

# The scan of a missing mount's directory stops after this many entries or this much time: its
# result is then a lower bound, still enough to show that something is filling the parent.
SCAN_MAX_ENTRIES = 20_000
SCAN_SECONDS = 1.0
SYSTEMCTL_TIMEOUT = 3.0
_UNIT_ESCAPE = re.compile(r"\\x([0-9a-fA-F]{2})")


@dataclass(frozen=True, slots=True)
class ExpectedMount:
    """A mount the host should have: from fstab or a failed systemd mount unit."""

    mount_point: str
    source: str
    fs_type: str
    origin: str  # "fstab line N" or "systemd unit NAME"


def unit_mount_point(unit: str) -> str | None:
    """The path a `.mount` unit name stands for (`mnt-usb\\x2ddisk.mount` → /mnt/usb-disk)."""
    if not unit.endswith(".mount"):
        return None
    stem = unit[: -len(".mount")]
    if stem == "-":
        return "/"
    parts = [_UNIT_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), p) for p in stem.split("-")]
    return "/" + "/".join(parts)


def parse_failed_units(output: str) -> list[ExpectedMount]:
    """Mount points of the failed units in `systemctl list-units --plain --no-legend` output."""
    found: list[ExpectedMount] = []
    for line in output.splitlines():
        # A failed unit may be marked with a bullet before its name.
        unit = next((f for f in line.split()[:2] if f.endswith(".mount")), None)
        path = unit_mount_point(unit) if unit else None
        if unit and path is not None:
            found.append(ExpectedMount(path, unit, "", f"systemd unit {unit}"))
    return found


def failed_mount_units(run: Callable[[list[str]], str] | None = None) -> list[ExpectedMount]:
    """Failed systemd mount units; none where systemd does not run or does not answer."""
    if run is None:
        if not Path("/run/systemd/system").is_dir():
            return []
        run = _systemctl
    try:
        output = run(
            ["systemctl", "list-units", "--type=mount", "--state=failed", "--plain",
             "--no-legend", "--no-pager"]
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        log.debug("systemctl did not list failed mount units: %s", exc)
        return []
    return parse_failed_units(output)


def _systemctl(argv: list[str]) -> str:
    done = subprocess.run(
        argv, capture_output=True, text=True, timeout=SYSTEMCTL_TIMEOUT, check=False
    )
    return done.stdout


def expected_from_fstab(lines: Iterable[FstabLine]) -> list[ExpectedMount]:
    """The expected entries of an fstab, in file order."""
    return [
        ExpectedMount(
            line.entry.mount_point,
            line.entry.source,
            line.entry.fs_type,
            f"fstab line {line.line_number}",
        )
        for line in lines
        if line.expected and line.entry is not None
    ]


def find_missing(expected: Iterable[ExpectedMount], mounts: Sequence[Mount]) -> list[ExpectedMount]:
    """Expected mounts with no mount at their path (an automount's autofs counts as mounted)."""
    mounted = {m.mount_point for m in mounts}
    missing: dict[str, ExpectedMount] = {}
    for item in expected:
        if item.mount_point not in mounted and item.mount_point not in missing:
            missing[item.mount_point] = item
    return list(missing.values())


def scan_bytes(
    path: str, max_entries: int = SCAN_MAX_ENTRIES, seconds: float = SCAN_SECONDS
) -> int | None:
    """Bytes of the regular files below `path` on its own filesystem; None if it is no folder.

    Bounded by entries and time (then a lower bound). Mounts below the folder are not entered:
    their bytes are not on the parent filesystem.
    """
    try:
        top = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(top.st_mode):
        return None
    deadline = time.monotonic() + seconds
    total = 0
    stack = [path]
    for seen, st, entry_path in _walk(stack):
        if seen > max_entries or time.monotonic() > deadline:
            break
        if st.st_dev != top.st_dev:
            continue  # another mount below the folder
        if stat.S_ISDIR(st.st_mode):
            stack.append(entry_path)
        elif stat.S_ISREG(st.st_mode):
            total += st.st_size
    return total


def _walk(stack: list[str]) -> Iterator[tuple[int, os.stat_result, str]]:
    # Depth first over a stack the caller extends; unreadable entries are passed over.
    seen = 0
    while stack:
        try:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    seen += 1
                    try:
                        st = entry.stat(follow_symlinks=False)
                    except OSError:
                        continue
                    yield seen, st, entry.path
        except OSError:
            continue


def shadowed(paths: Sequence[str], seconds: float = SCAN_SECONDS) -> list[int | None]:
    """`scan_bytes` of each path, all within about `seconds` even if the parent hangs."""
    results: list[int | None] = [None] * len(paths)

    def work() -> None:
        for i, path in enumerate(paths):
            results[i] = scan_bytes(path, seconds=seconds)

    # A daemon thread: a parent filesystem that hangs (NFS) costs this scan, never the cycle.
    thread = threading.Thread(target=work, name="shadowed bytes", daemon=True)
    thread.start()
    thread.join(seconds * max(len(paths), 1) + 0.5)
    return list(results)

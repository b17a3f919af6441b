"""What grew and shrank between two scans of one filesystem, path by path.

Only directories both scans kept are compared: a directory one scan left out (a smaller child,
past the depth or the node budget) has an unknown size there, and unknown is not zero. Its
change still shows in the nearest ancestor both scans kept. The hub answers the same way.

`where_it_happened` names each change once, by the rule of the hub's time-to-full message and
the UI's "What grew" (backend domain/usage.py); tests/contract/usage_growth.json holds the cases
all three pass.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# A directory whose change lies at least this share in one listed subdirectory, the same way, is
# named by that subdirectory alone (the hub's EXPLAINED_SHARE).
EXPLAINED_SHARE = 0.9


class ScanFileError(ValueError):
    """An earlier scan's file cannot be used; the message says why."""


@dataclass(frozen=True, slots=True)
class Growth:
    """How one directory changed between two scans."""

    path: str
    bytes_then: int
    bytes_now: int

    @property
    def change(self) -> int:
        """bytes_now - bytes_then; negative when it shrank."""
        return self.bytes_now - self.bytes_then

    def to_dict(self) -> dict[str, Any]:
        """The wire form, as the hub's growth list has it."""
        return {
            "path": self.path,
            "bytes_then": self.bytes_then,
            "bytes_now": self.bytes_now,
            "change": self.change,
        }


def sizes(directories: Iterable[Mapping[str, Any]]) -> dict[str, int]:
    """Path → bytes of a scan's `directories` (its JSON form)."""
    return {str(d["path"]): int(d["bytes"]) for d in directories}


def growth(then: Mapping[str, int], now: Mapping[str, int]) -> list[Growth]:
    """Growers first, largest change first, then shrinkers, largest shrink first."""
    changed = [Growth(p, then[p], b) for p, b in now.items() if p in then and then[p] != b]
    grew = sorted((g for g in changed if g.change > 0), key=lambda g: (-g.change, g.path))
    shrank = sorted((g for g in changed if g.change < 0), key=lambda g: (g.change, g.path))
    return grew + shrank


def _ancestors(path: str) -> Iterator[str]:
    """The directories above an absolute path, nearest first: /srv/a/b → /srv/a, /srv, /."""
    here = path.rstrip("/") or "/"
    while here != "/":
        cut = here.rfind("/")
        if cut < 0:
            return
        here = here[:cut] or "/"
        yield here


def where_it_happened(changes: Sequence[Growth], mount_point: str) -> list[Growth]:
    """Each change named once, where it happened, in the order given.

    A directory whose change lies almost all (EXPLAINED_SHARE) in one listed subdirectory,
    grown (or shrunk) alike, is left to that subdirectory, so the deepest directory carrying a
    change names it; one whose change is spread over several is named with them. The mount
    point's own entry is the whole filesystem's change and is left out, as are unchanged ones.
    """
    moved = [c for c in changes if c.change != 0]
    # The largest growth and the largest shrink below each listed directory: one walk up from
    # each change, at most the 4 levels a scan keeps below the mount point.
    grown_below: dict[str, int] = {}
    shrunk_below: dict[str, int] = {}
    for c in moved:
        below = grown_below if c.change > 0 else shrunk_below
        for up in _ancestors(c.path):
            if up == mount_point:
                break  # nothing above is named: a deep mount point costs no more
            below[up] = max(below.get(up, 0), abs(c.change))
    return [
        c
        for c in moved
        if c.path != mount_point
        and (grown_below if c.change > 0 else shrunk_below).get(c.path, 0)
        < EXPLAINED_SHARE * abs(c.change)
    ]


def _directory(item: object) -> bool:
    return (
        isinstance(item, dict)
        and isinstance(item.get("path"), str)
        and isinstance(item.get("bytes"), int)
        and not isinstance(item.get("bytes"), bool)
    )


def load_scan(path: Path) -> dict[str, Any]:
    """An earlier `homelab-agent usage --json` output, checked enough to compare against."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ScanFileError(f"{path}: cannot read it ({exc.strerror or exc})") from exc
    except ValueError as exc:
        raise ScanFileError(f"{path}: not a JSON scan ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("directories"), list):
        raise ScanFileError(f"{path}: not a scan (no 'directories' list); use usage --json output")
    if not all(_directory(d) for d in data["directories"]):
        raise ScanFileError(f"{path}: a directory without a text 'path' and a whole 'bytes'")
    return data

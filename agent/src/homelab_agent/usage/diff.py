"""What grew and shrank between two scans of one filesystem, path by path.

Only directories both scans kept are compared: a directory one scan left out (a smaller child,
past the depth or the node budget) has an unknown size there, and unknown is not zero. Its
change still shows in the nearest ancestor both scans kept. The hub answers the same way.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


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

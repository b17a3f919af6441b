"""Usage scans as an agent sends them, for the usage tests."""

from datetime import datetime
from typing import Any

GIB = 1024**3


def scan_payload(
    mount_point: str,
    sizes: dict[str, int],
    *,
    started_at: datetime,
    request_id: str | None = None,
    **overrides: Any,
) -> dict[str, Any]:
    """A finished scan whose directories are `sizes` (path → bytes), in the given order;
    other_bytes is what no listed child holds."""
    directories = []
    for path, size in sizes.items():
        children = sum(
            s
            for p, s in sizes.items()
            if p != path and p.rsplit("/", 1)[0] == (path.rstrip("/") or "")
        )
        directories.append({"path": path, "bytes": size, "other_bytes": max(size - children, 0)})
    scan: dict[str, Any] = {
        "mount_point": mount_point,
        "request_id": request_id,
        "started_at": started_at.isoformat(),
        "duration_seconds": 12.5,
        "entries": 123_456,
        "unreadable": 0,
        "stopped_by": None,
        "error": None,
        "total_bytes": next(iter(sizes.values()), 0),
        "directories": directories,
    }
    scan.update(overrides)
    return scan

"""A server's latest snapshot of filesystems, typed: parsed once where the row is read.

The heartbeat writer stores the newest heartbeat's filesystems as JSON on the server row (the
hub's `FilesystemMetric`s, percent derived as df does). A service that reads the row parses the
column once with `parse_snapshot` and then uses attributes, not string keys.
`tests/domain/test_snapshot.py` fails when this and the stored `FilesystemMetric` drift apart.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from homelab_cmd.domain.filesystems import FilesystemState


@dataclass(frozen=True, slots=True)
class SnapshotFilesystem:
    """One filesystem of the latest snapshot, as the agent reported it."""

    mount_point: str
    device: str
    fs_type: str
    total_bytes: int
    used_bytes: int
    available_bytes: int
    # Used / (used + available), as df shows it: derived by the hub when it stores a snapshot.
    percent: float | None = None
    read_only: bool | None = None
    inodes_total: int | None = None
    inodes_used: int | None = None
    state: FilesystemState = FilesystemState.OK
    capacity_domain: str | None = None
    shadowed_bytes: int | None = None

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> "SnapshotFilesystem":
        """A stored snapshot entry; keys an older hub did not write take their defaults."""
        return cls(
            mount_point=raw["mount_point"],
            device=raw["device"],
            fs_type=raw["fs_type"],
            total_bytes=raw["total_bytes"],
            used_bytes=raw["used_bytes"],
            available_bytes=raw["available_bytes"],
            percent=raw.get("percent"),
            read_only=raw.get("read_only"),
            inodes_total=raw.get("inodes_total"),
            inodes_used=raw.get("inodes_used"),
            state=FilesystemState(raw.get("state") or FilesystemState.OK),
            capacity_domain=raw.get("capacity_domain"),
            shadowed_bytes=raw.get("shadowed_bytes"),
        )

    def to_json(self) -> dict[str, Any]:
        """The entry as stored (and as the API's filesystem schemas validate it)."""
        return {name: getattr(self, name) for name in _FIELDS}

    @property
    def answered(self) -> bool:
        """Whether the agent could read it now (state ok): its figures are fresh."""
        return self.state is FilesystemState.OK


_FIELDS = tuple(f.name for f in fields(SnapshotFilesystem))


def parse_snapshot(raw: Sequence[Mapping[str, Any]] | None) -> list[SnapshotFilesystem] | None:
    """A stored snapshot's filesystems (None: the agent sends none)."""
    return None if raw is None else [SnapshotFilesystem.from_json(fs) for fs in raw]

"""Filesystems as the hub tracks them: state, identity and the quantities kept per sample."""

import hashlib
from datetime import timedelta
from enum import StrEnum

from homelab_cmd.domain.metrics import MIN_AVG_MAX, Agg, Metric

# A filesystem row's last_seen_at is refreshed at most this often, not on every heartbeat.
LAST_SEEN_GRANULARITY = timedelta(hours=1)


class FilesystemState(StrEnum):
    OK = "ok"
    UNREACHABLE = "unreachable"
    # Expected (fstab, a failed systemd mount unit) but not mounted: sizes are 0.
    MISSING = "missing"


# Charted: the history API serves these.
FILESYSTEM_METRICS: tuple[Metric, ...] = (
    Metric("used_bytes", MIN_AVG_MAX, integer=True),
    Metric("available_bytes", (Agg.AVG,), integer=True),
    Metric("total_bytes", (Agg.MAX,), integer=True),
)
# Kept in every tier for the inode fill forecast, not charted. Null where the agent reports no
# inodes, and for filesystems without an inode limit (btrfs, and others that report 0).
INODE_METRICS: tuple[Metric, ...] = (
    Metric("inodes_used", MIN_AVG_MAX, integer=True),
    Metric("inodes_total", (Agg.MAX,), integer=True),
)
# What the tiers store and the rollups aggregate.
STORED_FILESYSTEM_METRICS = FILESYSTEM_METRICS + INODE_METRICS


def mount_key(mount_point: str) -> str:
    """The unique key of a mount point: SHA-256, since paths may exceed index row limits."""
    return hashlib.sha256(mount_point.encode("utf-8")).hexdigest()

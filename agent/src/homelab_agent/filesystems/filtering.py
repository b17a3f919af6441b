"""Which mounts are real filesystems: the keep/drop rules, each drop with its reason."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from homelab_agent.config import (
    DEFAULT_EXCLUDE_FS_TYPES,
    DEFAULT_PSEUDO_MOUNT_PREFIXES,
    AgentConfig,
)
from homelab_agent.filesystems.mounts import Mount, clean_text

KEPT = "KEPT"
# Filesystems whose identity is their source, not their (anonymous, per-mount) device number.
NETWORK_FS_TYPES = frozenset(
    {"nfs", "nfs4", "cifs", "smb3", "smbfs", "ceph", "glusterfs", "fuse.glusterfs",
     "fuse.sshfs", "sshfs", "fuse.rclone", "davfs", "fuse.s3fs", "lustre", "afs"}
)  # fmt: skip
_NETWORK_SOURCE = re.compile(r"^(//[^/]+/|\[[0-9a-fA-F:.]+\]:|[^/\s:]+:/)")
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:\\")
# Block devices that live in RAM: zram (Fedora's swap and some /tmp setups) and brd ramdisks.
_RAM_DEVICE = re.compile(r"^/dev/(zram|ram)\d+$")
# Files a container runtime bind-mounts into every container (Docker, Podman, Kubernetes).
CONTAINER_RUNTIME_FILES = frozenset({"/etc/hostname", "/etc/hosts", "/etc/resolv.conf"})
# The hub's limit for a mount point; a longer one would be refused with the whole heartbeat.
MAX_MOUNT_POINT_CHARS = 4096


@dataclass(frozen=True)
class FilterRules:
    """The keep/drop rules; defaults come from the agent config."""

    exclude_fs_types: frozenset[str] = frozenset(DEFAULT_EXCLUDE_FS_TYPES)
    include_fs_types: frozenset[str] = frozenset()
    pseudo_mount_prefixes: tuple[str, ...] = DEFAULT_PSEUDO_MOUNT_PREFIXES
    exclude_mount_patterns: tuple[str, ...] = ()
    include_mount_patterns: tuple[str, ...] = ()

    @classmethod
    def from_config(cls, config: AgentConfig) -> FilterRules:
        """Rules as the config sets them."""
        return cls(
            exclude_fs_types=frozenset(config.exclude_fs_types),
            include_fs_types=frozenset(config.include_fs_types),
            pseudo_mount_prefixes=config.pseudo_mount_prefixes,
            exclude_mount_patterns=config.exclude_mount_patterns,
            include_mount_patterns=config.include_mount_patterns,
        )


@dataclass(frozen=True)
class Decision:
    """A mount and what the rules made of it: KEPT, or the reason it was dropped."""

    mount: Mount
    reason: str
    # For a mount dropped as another mount of a kept filesystem: that kept mount. It is reported
    # as a member of the kept mount's capacity domain, not silently lost.
    same_as: Mount | None = None

    @property
    def kept(self) -> bool:
        """True when the mount is reported."""
        return self.reason == KEPT


def under_prefix(path: str, prefix: str) -> bool:
    """Path-boundary prefix match: `/dev` covers `/dev/shm` but not `/devdata`.

    A prefix ending in `/` covers only what is below it, never the directory itself.
    """
    base = prefix.rstrip("/")
    if path.startswith(base + "/") or (base == "" and path.startswith("/")):
        return True
    return path == base and not prefix.endswith("/")


def matching_pattern(path: str, patterns: Iterable[str]) -> str | None:
    """The first glob or path prefix among `patterns` that covers `path`."""
    for pattern in patterns:
        if fnmatch.fnmatchcase(path, pattern) or under_prefix(path, pattern):
            return pattern
    return None


def is_wsl_drive(mount: Mount) -> bool:
    """A WSL 9p mount of a Windows drive (`aname=drvfs` or a `C:\\` source)."""
    options = mount.super_options + "," + ",".join(mount.mount_options)
    return "aname=drvfs" in options or bool(_WINDOWS_DRIVE.match(mount.source))


def is_network(mount: Mount) -> bool:
    """Network or FUSE-over-network filesystem, identified by its source."""
    return mount.fs_type in NETWORK_FS_TYPES or bool(_NETWORK_SOURCE.match(mount.source))


def _virtual_reason(mount: Mount) -> str | None:
    """Mounts whose type looks real but whose content is not a disk of this host."""
    if mount.fs_type == "zfs" and ("@" in mount.source or "/.zfs/snapshot/" in mount.mount_point):
        return "ZFS snapshot (a read-only past state of a dataset)"
    if _RAM_DEVICE.match(mount.source):
        return f"RAM-backed block device {mount.source}"
    if mount.fs_type == "fuse" and mount.source == "/dev/fuse":
        # Proxmox's pmxcfs at /etc/pve: the cluster config database, not a disk.
        return "FUSE daemon without a backing store (e.g. Proxmox pmxcfs)"
    if mount.fs_type.startswith("fuse") and (
        mount.fs_type.lower().endswith("appimage") or mount.mount_point.startswith("/tmp/.mount_")  # noqa: S108 - a name, not a file we open
    ):
        return "AppImage mounted by its runtime"
    if mount.mount_point in CONTAINER_RUNTIME_FILES and mount.root not in (None, "/"):
        return "file bind-mounted by a container runtime"
    return None


def drop_reason(mount: Mount, rules: FilterRules) -> str | None:  # noqa: PLR0911 - a rule each
    """Why this mount is not a real filesystem, or None when it may be one."""
    if len(clean_text(mount.mount_point)) > MAX_MOUNT_POINT_CHARS:
        return f"mount point longer than {MAX_MOUNT_POINT_CHARS} characters"
    if matching_pattern(mount.mount_point, rules.include_mount_patterns):
        return None
    pattern = matching_pattern(mount.mount_point, rules.exclude_mount_patterns)
    if pattern:
        return f"mount point matches exclude pattern {pattern}"
    forced = mount.fs_type in rules.include_fs_types
    if mount.fs_type in rules.exclude_fs_types and not forced:
        return f"virtual filesystem type {mount.fs_type}"
    if mount.fs_type == "9p" and not forced and not is_wsl_drive(mount):
        # WSL's /init `tools` share and VM host shares (virtio 9p) are not this host's disks.
        return "9p share that is not a WSL Windows drive"
    for prefix in rules.pseudo_mount_prefixes:
        if under_prefix(mount.mount_point, prefix):
            return f"pseudo or container path below {prefix.rstrip('/') or '/'}"
    return None if forced else _virtual_reason(mount)


def identity_keys(mount: Mount) -> list[str]:
    """Keys that mark two mounts as one filesystem.

    The device number when mountinfo gives it; the source for network filesystems (NFS mounts
    of one export can have different device numbers); for /proc/mounts the device path.
    """
    keys: list[str] = []
    if mount.device_number is not None:
        keys.append("dev:" + mount.device_number)
    if mount.fs_type == "zfs" and mount.source:
        # A dataset name is unique on the host: binds of it are one filesystem in either format.
        keys.append("zfs:" + mount.source)
    if is_network(mount):
        keys.append("src:" + mount.source.rstrip("/"))
    elif mount.device_number is None and mount.source.startswith("/"):
        keys.append("src:" + mount.source)
    if not keys:
        keys.append("mnt:" + mount.mount_point)
    return keys


def is_filesystem_root(mount: Mount) -> bool:
    """The mount shows the filesystem's root (or a btrfs subvolume), not a bind of a folder."""
    if mount.root is None or mount.root == "/":
        return True
    # A btrfs subvolume mount has its subvolume as root; it is not a bind of a subfolder.
    return mount.fs_type == "btrfs" and mount.super_option("subvol") == mount.root


def _groups(candidates: Sequence[tuple[int, Mount]]) -> list[list[tuple[int, Mount]]]:
    parent = list(range(len(candidates)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, (_, mount) in enumerate(candidates):
        for key in identity_keys(mount):
            if key in owner:
                parent[find(i)] = find(owner[key])
            else:
                owner[key] = i
    groups: dict[int, list[tuple[int, Mount]]] = {}
    for i, item in enumerate(candidates):
        groups.setdefault(find(i), []).append(item)
    return list(groups.values())


def _duplicate_reason(mount: Mount, winner: Mount) -> str:
    if mount.mount_point == winner.mount_point:
        return f"mounted again over {winner.mount_point}"
    what = "bind or subvolume" if mount.root not in (None, "/") else "another mount"
    return f"{what} of the filesystem kept at {winner.mount_point}"


def decide(mounts: Sequence[Mount], rules: FilterRules | None = None) -> list[Decision]:
    """Every mount in table order with KEPT or the reason it was dropped."""
    rules = rules or FilterRules()
    reasons: list[str] = [drop_reason(m, rules) or KEPT for m in mounts]
    top: dict[str, int] = {}
    for i, mount in enumerate(mounts):
        if reasons[i] == KEPT:
            if mount.mount_point in top:
                # statvfs sees only the topmost of mounts stacked on one path.
                reasons[top[mount.mount_point]] = "hidden under a later mount on the same path"
            top[mount.mount_point] = i
    candidates = [(i, m) for i, m in enumerate(mounts) if reasons[i] == KEPT]
    same_as: dict[int, Mount] = {}
    for group in _groups(candidates):
        winner_index, winner = min(group, key=_preference)
        for index, mount in group:
            if index != winner_index:
                reasons[index] = _duplicate_reason(mount, winner)
                same_as[index] = winner
    _drop_clashing_names(mounts, reasons)
    return [
        Decision(m, r, same_as.get(i)) for i, (m, r) in enumerate(zip(mounts, reasons, strict=True))
    ]


def _preference(item: tuple[int, Mount]) -> tuple[bool, int, int]:
    index, mount = item
    # With mountinfo the root tells the mount of the filesystem from binds; among equals the
    # shortest path. /proc/mounts has no root: the table is in mount order and a bind is made
    # from a mount that already exists, so the first line is the original (Fedora Atomic mounts
    # /sysroot before binding it to /etc and /var).
    length = len(mount.mount_point) if mount.root is not None else 0
    return (not is_filesystem_root(mount), length, index)


def _drop_clashing_names(mounts: Sequence[Mount], reasons: list[str]) -> None:
    # Two mount points that differ only in undecodable bytes read the same once cleaned; the hub
    # keys filesystems by that text, so only the first is reported.
    shown: dict[str, str] = {}
    for i, mount in enumerate(mounts):
        if reasons[i] != KEPT:
            continue
        name = clean_text(mount.mount_point)
        if name in shown:
            reasons[i] = f"reads the same as {shown[name]} once invalid bytes are replaced"
        else:
            shown[name] = name


def select_filesystems(mounts: Sequence[Mount], rules: FilterRules | None = None) -> list[Mount]:
    """The real filesystems, one mount each, in table order."""
    return [d.mount for d in decide(mounts, rules) if d.kept]

"""The `filesystems` collector: every real filesystem with its sizes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from homelab_agent.collectors import register
from homelab_agent.config import AgentConfig
from homelab_agent.filtering import FilterRules, select_filesystems
from homelab_agent.mounts import Mount, clean_text, read_mount_table
from homelab_agent.payload import FilesystemSample
from homelab_agent.probing import shared_prober
from homelab_agent.statfs import StatvfsProber, Usage

# A mount that does not answer: reported with nothing available (SPEC: state "unreachable").
UNREACHABLE_USAGE = Usage(0, 0, 0, 0.0, None, None)
# What the hub stores (longer text is a 422 that would lose the whole heartbeat).
MAX_DEVICE_CHARS = 4096
MAX_FS_TYPE_CHARS = 255

__all__ = ["FilesystemsCollector", "clean_text", "host_path", "mount_identity", "samples_for"]


def host_path(rootfs: Path, mount_point: str) -> str:
    """Where a host mount point is seen from this process (the host may be mounted at /host)."""
    if rootfs == Path("/"):
        return mount_point
    return str(rootfs / mount_point.lstrip("/"))


def mount_identity(mount: Mount) -> str:
    """What tells a fresh mount from an earlier one on the same path (mount id, device, source)."""
    return f"{mount.mount_id}|{mount.device_number}|{mount.source}"


def samples_for(
    mounts: Sequence[Mount], prober: StatvfsProber, rootfs: Path = Path("/")
) -> list[FilesystemSample]:
    """Sizes for the given kept mounts; refused mounts are left out, stuck ones unreachable."""
    paths = [host_path(rootfs, m.mount_point) for m in mounts]
    identities: dict[str, str] = {}
    for path, mount in zip(paths, mounts, strict=True):
        identities.setdefault(path, mount_identity(mount))
    samples: list[FilesystemSample] = []
    for mount, probe in zip(mounts, prober.probe(paths, identities), strict=True):
        if probe.usage is None and not probe.unreachable:
            continue  # refused or vanished: skipped, the prober has logged why
        u = probe.usage or UNREACHABLE_USAGE
        samples.append(
            FilesystemSample(
                mount_point=clean_text(mount.mount_point),
                device=clean_text(mount.source)[:MAX_DEVICE_CHARS],
                fs_type=clean_text(mount.fs_type)[:MAX_FS_TYPE_CHARS],
                total_bytes=u.total_bytes,
                used_bytes=u.used_bytes,
                available_bytes=u.available_bytes,
                percent=u.percent,
                read_only=mount.read_only,
                inodes_total=u.inodes_total,
                inodes_used=u.inodes_used,
                state="ok" if probe.usage is not None else "unreachable",
            )
        )
    return samples


@register("filesystems", default_enabled=True)
class FilesystemsCollector:
    """Reads the mount table, keeps the real filesystems and asks statvfs for each."""

    def __init__(
        self,
        config: AgentConfig,
        prober: StatvfsProber | None = None,
        read_mounts: Callable[[Path], list[Mount]] = read_mount_table,
    ) -> None:
        self.rules = FilterRules.from_config(config)
        self.proc_root = config.proc_root
        self.rootfs = config.rootfs
        self.prober = prober or shared_prober(config)
        self._read_mounts = read_mounts

    def kept_mounts(self) -> list[Mount]:
        """The real filesystems in the current mount table."""
        return select_filesystems(self._read_mounts(self.proc_root), self.rules)

    def collect(self) -> list[FilesystemSample]:
        """One sample per real filesystem."""
        return samples_for(self.kept_mounts(), self.prober, self.rootfs)

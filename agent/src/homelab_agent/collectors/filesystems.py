"""The `filesystems` collector: every real filesystem with its sizes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path

from homelab_agent.collectors import register
from homelab_agent.config import AgentConfig
from homelab_agent.filesystems.domains import mount_domains, plan_domains, size_domains
from homelab_agent.filesystems.expected import (
    ExpectedMount,
    expected_from_fstab,
    failed_mount_units,
    find_missing,
    shadowed,
)
from homelab_agent.filesystems.filtering import Decision, FilterRules, decide
from homelab_agent.filesystems.fstab import read_fstab
from homelab_agent.filesystems.mounts import Mount, clean_text, read_mount_table
from homelab_agent.filesystems.probing import shared_prober
from homelab_agent.filesystems.statfs import StatvfsProber, Usage
from homelab_agent.payload import FilesystemReport, FilesystemSample

# A mount that does not answer: reported with nothing available (SPEC: state "unreachable").
UNREACHABLE_USAGE = Usage(0, 0, 0, 0.0, None, None)
# What the hub stores (longer text is a 422 that would lose the whole heartbeat).
MAX_DEVICE_CHARS = 4096
MAX_FS_TYPE_CHARS = 255


def host_path(rootfs: Path, mount_point: str) -> str:
    """Where a host mount point is seen from this process (the host may be mounted at /host)."""
    if rootfs == Path("/"):
        return mount_point
    return str(rootfs / mount_point.lstrip("/"))


def mount_identity(mount: Mount) -> str:
    """What tells a fresh mount from an earlier one on the same path (mount id, device, source)."""
    return f"{mount.mount_id}|{mount.device_number}|{mount.source}"


def _probe(
    mounts: Sequence[Mount], prober: StatvfsProber, rootfs: Path
) -> list[tuple[Mount, Usage | None]]:
    """(mount, usage or None when unreachable); refused mounts are left out."""
    paths = [host_path(rootfs, m.mount_point) for m in mounts]
    identities: dict[str, str] = {}
    for path, mount in zip(paths, mounts, strict=True):
        identities.setdefault(path, mount_identity(mount))
    answered: list[tuple[Mount, Usage | None]] = []
    for mount, probe in zip(mounts, prober.probe(paths, identities), strict=True):
        if probe.usage is None and not probe.unreachable:
            continue  # refused or vanished: skipped, the prober has logged why
        answered.append((mount, probe.usage))
    return answered


def _sample(mount: Mount, usage: Usage | None, domain: str | None = None) -> FilesystemSample:
    u = usage or UNREACHABLE_USAGE
    return FilesystemSample(
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
        state="ok" if usage is not None else "unreachable",
        capacity_domain=domain,
    )


def missing_samples(missing: Sequence[ExpectedMount], rootfs: Path) -> list[FilesystemSample]:
    """Expected mounts that are not mounted, with the bytes written into their directory."""
    found = shadowed([host_path(rootfs, m.mount_point) for m in missing])
    return [
        FilesystemSample(
            mount_point=clean_text(m.mount_point),
            device=clean_text(m.source)[:MAX_DEVICE_CHARS],
            fs_type=clean_text(m.fs_type)[:MAX_FS_TYPE_CHARS],
            total_bytes=0,
            used_bytes=0,
            available_bytes=0,
            percent=0.0,
            state="missing",
            shadowed_bytes=bytes_found,
        )
        for m, bytes_found in zip(missing, found, strict=True)
    ]


def report_for(
    decisions: Sequence[Decision],
    prober: StatvfsProber,
    rootfs: Path = Path("/"),
    missing: Sequence[ExpectedMount] = (),
) -> FilesystemReport:
    """The kept mounts with sizes and domains, then the missing ones."""
    plans = plan_domains(decisions)
    probed = _probe([d.mount for d in decisions if d.kept], prober, rootfs)
    usage = {m.mount_point: u for m, u in probed if u is not None}
    domains = size_domains(plans, usage)
    by_mount = mount_domains(domains)
    samples = [_sample(m, u, by_mount.get(clean_text(m.mount_point))) for m, u in probed]
    return FilesystemReport(
        filesystems=samples + missing_samples(missing, rootfs),
        capacity_domains=domains,
    )


@register("filesystems", default_enabled=True)
class FilesystemsCollector:
    """Reads the mount table, keeps the real filesystems and asks statvfs for each."""

    def __init__(
        self,
        config: AgentConfig,
        prober: StatvfsProber | None = None,
        read_mounts: Callable[[Path], list[Mount]] | None = None,
    ) -> None:
        self.rules = FilterRules.from_config(config)
        self.proc_root = config.proc_root
        self.rootfs = config.rootfs
        self.fstab = fstab_path(config)
        # systemd of this host answers only when the agent sees the host's root as its own.
        self.systemd_units = failed_mount_units if config.rootfs == Path("/") else None
        self.prober = prober or shared_prober(config)
        # In a container the host's table is its init's (config `host_root`), not ours.
        self._read_mounts = read_mounts or partial(read_mount_table, pid=config.mount_table_pid)

    def kept_mounts(self) -> list[Mount]:
        """The real filesystems in the current mount table."""
        return [d.mount for d in decide(self._read_mounts(self.proc_root), self.rules) if d.kept]

    def expected(self) -> list[ExpectedMount]:
        """What fstab and failed systemd mount units say should be mounted."""
        expected: list[ExpectedMount] = []
        if self.fstab is not None:
            expected += expected_from_fstab(read_fstab(self.fstab, self.rules))
        if self.systemd_units is not None:
            expected += self.systemd_units()
        return expected

    def collect(self) -> FilesystemReport:
        """One sample per real filesystem and per missing mount, and the capacity domains."""
        mounts = self._read_mounts(self.proc_root)
        decisions = decide(mounts, self.rules)
        missing = find_missing(self.expected(), mounts)
        return report_for(decisions, self.prober, self.rootfs, missing)


def fstab_path(config: AgentConfig) -> Path | None:
    """The fstab to read: the config's `fstab`, `off` for none, else the host's /etc/fstab."""
    if config.fstab == "off":
        return None
    if config.fstab:
        return Path(config.fstab)
    return config.rootfs / "etc" / "fstab"

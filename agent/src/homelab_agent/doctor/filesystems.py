"""What the agent keeps of the mount table, and which mounts it cannot measure."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from homelab_agent.collectors.filesystems import host_path, mount_identity
from homelab_agent.config import AgentConfig
from homelab_agent.doctor.findings import Finding, ok, problem, warning
from homelab_agent.filesystems.filtering import Decision
from homelab_agent.filesystems.helper_client import HelperStatvfs
from homelab_agent.filesystems.statfs import Probe, StatvfsProber
from homelab_agent.filesystems.stuck_mounts import StuckMemory
from homelab_agent.filesystems_cli import display

KEPT_CHECK = "filesystems"
UNREADABLE_CHECK = "unreadable mounts"
HUNG_CHECK = "hung mounts"
SHOWN = 5  # mount points named in one finding; the rest are counted


class KnownStuckMounts(StuckMemory):
    """The agent's stuck-mounts memory, read and never written: doctor often runs as root beside
    an agent running as its own user, and a root-owned file would lock that agent out of it."""

    def _save(self) -> None:
        return


def doctor_prober(config: AgentConfig, helper: HelperStatvfs, timeout: float) -> StatvfsProber:
    """The agent's prober (a helper process, a statvfs deadline), with its memory read-only: a
    mount the running agent knows is stuck is not asked again."""
    memory = KnownStuckMounts(config.spool_dir, lambda: helper.pid)
    return StatvfsProber(helper, timeout, memory)


def _names(paths: Sequence[str]) -> str:
    shown = ", ".join(display(p) for p in paths[:SHOWN])
    more = len(paths) - SHOWN
    return shown + (f" and {more} more" if more > 0 else "")


def check_kept(decisions: Sequence[Decision]) -> Finding:
    """How many mounts the agent reports and how many it drops, and where to ask why."""
    kept = sum(d.kept for d in decisions)
    dropped = len(decisions) - kept
    why = "`homelab-agent filesystems --explain` gives the reason for each"
    if kept == 0:
        return problem(
            KEPT_CHECK,
            f"no filesystem would be reported: all {dropped} mounts are dropped",
            why,
            "a disk the rules drop can be kept with include_mount_patterns or include_fs_types",
        )
    return ok(KEPT_CHECK, f"{kept} kept, {dropped} dropped (virtual, plumbing, binds); {why}")


def probe_kept(
    decisions: Sequence[Decision], prober: StatvfsProber, rootfs: Path
) -> list[tuple[Decision, Probe]]:
    """statvfs of each kept mount through the agent's prober; returns within its deadline."""
    kept = [d for d in decisions if d.kept]
    paths = [host_path(rootfs, d.mount.mount_point) for d in kept]
    identities = {p: mount_identity(d.mount) for p, d in zip(paths, kept, strict=True)}
    return list(zip(kept, prober.probe(paths, identities), strict=True))


def helper_failed(exc: OSError) -> Finding:
    """The statvfs helper process did not start: no mount could be measured."""
    return problem(
        UNREADABLE_CHECK,
        f"the statvfs helper process could not start ({exc}): the agent measures no mount",
        "the agent's Python must be executable by the user it runs as",
    )


def check_unreadable(probed: Sequence[tuple[Decision, Probe]]) -> Finding:
    """Mounts that refuse statvfs to this user: the agent skips them."""
    refused = [d.mount.mount_point for d, p in probed if p.skip_reason == "permission denied"]
    failed = [
        f"{display(d.mount.mount_point)} ({p.skip_reason})"
        for d, p in probed
        if p.skip_reason not in (None, "permission denied")
    ]
    if not refused and not failed:
        return ok(UNREADABLE_CHECK, f"statvfs answers for every kept mount ({len(probed)})")
    parts = []
    if refused:
        parts.append(
            f"{_names(refused)} refuse{'s' if len(refused) == 1 else ''} statvfs to uid "
            f"{os.geteuid()} (a folder above the mount is closed to it)"
        )
    if failed:
        parts.append(f"statvfs failed for {', '.join(failed[:SHOWN])}")
    return warning(
        UNREADABLE_CHECK,
        "; ".join(parts) + ": the agent skips them",
        "the shipped systemd unit gives the agent CAP_DAC_READ_SEARCH, which passes closed "
        "folders; run by hand, run it as root",
    )


def check_hung(probed: Sequence[tuple[Decision, Probe]], timeout: float) -> Finding:
    """Mounts whose statvfs does not answer in time (a dead NFS, CIFS or sshfs server)."""
    hung = [d for d, p in probed if p.unreachable]
    if not hung:
        return ok(HUNG_CHECK, f"every kept mount answered statvfs within {timeout:g} s")
    names = _names([f"{d.mount.mount_point} ({d.mount.fs_type})" for d in hung])
    return warning(
        HUNG_CHECK,
        f"{names} did not answer statvfs within {timeout:g} s (or its server is gone): the agent "
        "reports it unreachable with no sizes and never waits on it",
        "bring its server back, or unmount it: `umount -l MOUNT_POINT`",
        "for NFS, the `soft` and `timeo` mount options make a dead server fail calls "
        "instead of hanging them",
    )

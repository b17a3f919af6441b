"""Whose mount table the agent reads: the host's, or a container's own.

In a container the agent's `/proc/self/mountinfo` is the container's mount namespace, even with
the host's /proc mounted in: the container's overlay root and the runtime's plumbing, not the
host's disks (node_exporter reads `/proc/1/mountinfo` of the host for this reason). The table
itself says so; the process's surroundings (`/.dockerenv`, `/run/.containerenv`, cgroup, mount
namespace) only add why.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path

from homelab_agent.config import HOST_ROOT_AUTO, HOST_ROOT_OFF, HOSTFS, AgentConfig
from homelab_agent.doctor.findings import Finding, ok, problem
from homelab_agent.filesystems.filtering import CONTAINER_RUNTIME_FILES
from homelab_agent.filesystems.mounts import Mount, clean_text

CHECK = "mount table"
# Roots that are a container's image layers. An overlay is one only when its layers live in a
# container store: Fedora Atomic's composefs root and a live USB's overlay are hosts.
LAYERED_ROOT_TYPES = frozenset({"overlay", "aufs", "fuse.fuse-overlayfs"})
ALWAYS_CONTAINER_ROOT_TYPES = frozenset({"aufs", "fuse.fuse-overlayfs"})
# Path components that name a container store or a container's root folder on its host.
CONTAINER_WORDS = frozenset({
    "docker", "@docker", "containers", "containerd", "libpod", "lxc", "lxd", "incus",
    "machines", "rootfs", "overlay2",
})  # fmt: skip
CGROUP_WORDS = ("docker", "libpod", "containerd", "kubepods", "crio", "lxc")
FIX_MOUNT_HOST = (
    f"mount the host's root into the container and share the host's PID namespace: "
    f"`-v /:{HOSTFS}:ro,rslave --pid=host` (the agent service of deploy/compose.yaml does both)",
    f"the agent finds it there (host_root: auto), reads the host's mount table "
    f"({HOSTFS}/proc/1/mountinfo) and measures each mount through {HOSTFS}",
)


def root_mount(mounts: Sequence[Mount]) -> Mount | None:
    """The mount seen at `/`: the last one there (a later mount hides an earlier one)."""
    roots = [m for m in mounts if m.mount_point == "/"]
    return roots[-1] if roots else None


def _names_container_store(text: str) -> bool:
    return any(part in CONTAINER_WORDS for part in re.split(r"[/,:=\s]+", text))


def table_signs(mounts: Sequence[Mount]) -> list[str]:
    """What in a mount table marks it as a container's own, in words (none for a host's)."""
    signs: list[str] = []
    root = root_mount(mounts)
    if root is not None:
        layers = f"{root.super_options},{','.join(root.mount_options)}"
        if root.fs_type in ALWAYS_CONTAINER_ROOT_TYPES or (
            root.fs_type in LAYERED_ROOT_TYPES and _names_container_store(layers)
        ):
            signs.append(f"its root is {root.fs_type}, a container image's layers")
        elif root.root not in (None, "/") and _names_container_store(root.root):
            signs.append(
                f"its root is the folder {clean_text(root.root)} of {clean_text(root.source)}"
            )
    files = [m.mount_point for m in mounts if m.mount_point in CONTAINER_RUNTIME_FILES]
    if files:
        verb = "is" if len(files) == 1 else "are"
        signs.append(f"{', '.join(files)} {verb} mounted in by a container runtime")
    return signs


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def mount_namespace(proc: Path, pid: str) -> str | None:
    """`mnt:[4026531832]` of a process, or None when it cannot be read."""
    try:
        return os.readlink(proc / pid / "ns" / "mnt")
    except OSError:
        return None


def process_signs(
    root: Path = Path("/"), proc: Path = Path("/proc"), env: Mapping[str, str] | None = None
) -> list[str]:
    """What around this process suggests a container (it may be wrong: a VM image can keep a
    stray /.dockerenv); the mount table decides."""
    env = os.environ if env is None else env
    signs = [f"{marker} exists" for marker in ("/.dockerenv", "/run/.containerenv")
             if (root / marker.lstrip("/")).exists()]  # fmt: skip
    if env.get("container"):
        signs.append(f"container={env['container']} is set")
    cgroup = _read(proc / "self" / "cgroup")
    if any(word in cgroup for word in CGROUP_WORDS):
        signs.append("its cgroup is a container's")
    own, init = mount_namespace(proc, "self"), mount_namespace(proc, "1")
    if own and init and own != init:
        signs.append("its mount namespace is not PID 1's")
    return signs


def host_root(config: AgentConfig) -> Path | None:
    """Where the agent sees the host's root (config `host_root`), or None: its own root."""
    if config.host_root in (HOST_ROOT_AUTO, HOST_ROOT_OFF, ""):
        return None
    return Path(config.host_root)


def describe_root(mounts: Sequence[Mount]) -> str:
    """`root / is /dev/sda2 (ext4)` for a finding."""
    root = root_mount(mounts)
    if root is None:
        return "no mount at /"
    return f"root / is {clean_text(root.source)} ({clean_text(root.fs_type)})"


def check_mount_table(
    config: AgentConfig,
    source: Path,
    mounts: Sequence[Mount] | None,
    error: str | None,
    around: Sequence[str],
) -> Finding:
    """Whether the table the agent reads (`source`) is the host's; `around` from process_signs."""
    where = host_root(config)
    if mounts is None:
        fix = FIX_MOUNT_HOST if where is not None else ("run the agent where /proc is mounted",)
        return problem(CHECK, f"cannot read the mount table {source}: {error}", *fix)
    signs = table_signs(mounts)
    if signs:
        fix = FIX_MOUNT_HOST
        if where is not None:
            fix = (
                f"host_root is {where}, but it does not hold the host: start the container "
                f"with `-v /:{where}:ro,rslave --pid=host`",
            )
        return problem(
            CHECK,
            f"the agent reads a container's own mount table {source} ({'; '.join(signs)}): it "
            "would report the container's overlay and plumbing, not the host's disks",
            *fix,
        )
    described = describe_root(mounts)
    if where is not None:
        return ok(CHECK, f"the host's, read through {where}: {described} ({source})")
    if around:
        return ok(
            CHECK,
            f"the host's own: {described}; {', '.join(around)}, but nothing in the table is a "
            "container's",
        )
    return ok(CHECK, f"the host's own: {described}; the agent is not in a container")

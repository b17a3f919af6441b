"""The agent's one statvfs prober: calls go through an abandonable helper process, and stuck
mounts are remembered in the spool folder."""

from __future__ import annotations

import atexit
import threading

from homelab_agent.config import AgentConfig
from homelab_agent.filesystems.helper_client import HelperStatvfs
from homelab_agent.filesystems.statfs import StatvfsProber
from homelab_agent.filesystems.stuck_mounts import StuckMemory

_lock = threading.Lock()
_probers: dict[tuple[object, ...], StatvfsProber] = {}
_helper: HelperStatvfs | None = None


def _shared_helper() -> HelperStatvfs:
    global _helper  # noqa: PLW0603 - one helper process per agent process
    if _helper is None:
        _helper = HelperStatvfs()
        # However the agent ends (--once, a signal, an error), the helper is abandoned, not
        # waited for: it may be stuck on a dead mount.
        atexit.register(_helper.abandon)
    return _helper


def shared_prober(config: AgentConfig) -> StatvfsProber:
    """The prober every collector of this config shares (one helper, one stuck-mounts file)."""
    key = (config.spool_dir, config.statvfs_timeout)
    with _lock:
        prober = _probers.get(key)
        if prober is None:
            helper = _shared_helper()
            memory = StuckMemory(config.spool_dir, lambda: helper.pid)
            prober = StatvfsProber(helper, config.statvfs_timeout, memory)
            _probers[key] = prober
        return prober

"""This host's side: the config file, who may read it, and heartbeats waiting in the spool."""

from __future__ import annotations

import os
import stat
import time
from collections.abc import Mapping
from pathlib import Path

from homelab_agent.config import ENV_PREFIX, AgentConfig
from homelab_agent.delivery.spool import SUFFIX
from homelab_agent.doctor.findings import Finding, ok, problem, warning
from homelab_agent.doctor.hub import FIX_ENROLL
from homelab_agent.permissions import warn_if_secret_is_exposed

CONFIG_CHECK = "config"
PERMISSIONS_CHECK = "config permissions"
SPOOL_CHECK = "spool"
# A backlog older than this many intervals means the hub has stopped taking heartbeats.
LATE_INTERVALS = 3
FULL_SHARE = 0.9


def hub_in_environment(env: Mapping[str, str]) -> bool:
    """Whether variables alone say where and how to report (a container's usual setup)."""
    return any(f"{ENV_PREFIX}{key}" in env for key in ("HUB_URL", "API_KEY"))


def check_config(
    path: Path, config: AgentConfig | None, error: str | None, env: Mapping[str, str]
) -> Finding:
    """The config file read, missing, or refused, and where the settings came from."""
    if config is None:
        return problem(
            CONFIG_CHECK,
            f"the config cannot be used: {error}",
            "correct the key named; deploy/config.example.yaml lists every key",
        )
    from_env = sorted(name for name in env if name.startswith(ENV_PREFIX))
    said = f"hub {config.hub_url}, server {config.server_id}"
    if path.exists():
        extra = f", and {len(from_env)} HOMELAB_AGENT_* variables" if from_env else ""
        return ok(CONFIG_CHECK, f"{path} read{extra}: {said}")
    if hub_in_environment(env):
        return ok(CONFIG_CHECK, f"no {path}; settings from {', '.join(from_env)}: {said}")
    return problem(
        CONFIG_CHECK,
        f"no config file at {path} and no HOMELAB_AGENT_HUB_URL or _API_KEY: this host is not "
        "enrolled",
        FIX_ENROLL,
        "or write the file from deploy/config.example.yaml (hub_url and api_key at least)",
    )


def check_permissions(path: Path) -> Finding:
    """Others may not read the token in the config, nor change where it is sent."""
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        return ok(PERMISSIONS_CHECK, f"no file at {path}")
    except OSError as exc:
        return warning(PERMISSIONS_CHECK, f"cannot look at {path}: {exc.strerror}")
    if mode & 0o022:
        return warning(
            PERMISSIONS_CHECK,
            f"{path} is writable by other users (mode {mode:03o}): any of them can send this "
            "host's token to a hub of their choosing",
            f"`chmod 600 {path}`",
        )
    if warn_if_secret_is_exposed(path):
        return warning(
            PERMISSIONS_CHECK,
            f"{path} holds this host's token and other users may read it (mode {mode:03o})",
            f"`chmod 600 {path}`",
        )
    if mode & 0o044:
        return ok(PERMISSIONS_CHECK, f"{path} (mode {mode:03o}) holds no token")
    return ok(PERMISSIONS_CHECK, f"{path} is readable by its owner only (mode {mode:03o})")


def _age(seconds: float) -> str:
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 2 * 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 2 * 86400:
        return f"{seconds / 3600:.0f} h"
    return f"{seconds / 86400:.0f} days"


def check_spool(config: AgentConfig, now: float | None = None) -> Finding:
    """Heartbeats waiting for the hub: how many, and how old the oldest is.

    Read without the Spool class, which creates and secures the folder: doctor must change
    nothing of the agent's, and may run as another user.
    """
    directory = config.spool_dir
    try:
        entries = [p for p in directory.iterdir() if p.name.endswith(SUFFIX) and p.stem.isdigit()]
        times = [p.lstat().st_mtime for p in entries]
    except FileNotFoundError:
        return ok(SPOOL_CHECK, f"{directory} does not exist yet: nothing waiting")
    except OSError as exc:
        return warning(
            SPOOL_CHECK,
            f"cannot read the spool {directory} as uid {os.geteuid()}: {exc.strerror}",
            "run doctor as root, or as the agent's user",
        )
    if not times:
        return ok(SPOOL_CHECK, "empty: every heartbeat has reached the hub")
    oldest = (time.time() if now is None else now) - min(times)
    plural = "s" if len(times) != 1 else ""
    said = f"{len(times)} heartbeat{plural} waiting, the oldest {_age(oldest)} old"
    if len(times) >= FULL_SHARE * config.spool_max_files:
        return warning(
            SPOOL_CHECK,
            f"{said}: the spool is nearly full ({config.spool_max_files} files), so the oldest "
            "will be dropped",
            "see why the hub does not take them: the hub and token checks, and the agent's log",
        )
    if oldest > LATE_INTERVALS * config.interval:
        return warning(
            SPOOL_CHECK,
            f"{said}: the hub has not taken heartbeats for a while; they are sent when it does",
            "see the hub and token checks, and the agent's log (`journalctl -u homelab-agent`)",
        )
    return ok(SPOOL_CHECK, f"{said}: delivery is keeping up")

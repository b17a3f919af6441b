"""Warnings about files that expose the agent's secrets."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

import yaml

log = logging.getLogger(__name__)
SECRET_KEYS = ("api_key", "token")


def warn_if_secret_is_exposed(path: Path) -> bool:
    """Warn when `path` holds a secret and other users may read it; True when it warned."""
    try:
        mode = path.stat().st_mode
        if not stat.S_IMODE(mode) & 0o044:
            return False
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return False  # missing or unreadable: the config loader says so
    if not isinstance(data, dict) or not any(data.get(k) for k in SECRET_KEYS):
        return False
    log.warning(
        "config file %s holds the hub's key and is readable by other users (mode %03o): "
        "run chmod 600 %s",
        path,
        stat.S_IMODE(mode),
        path,
    )
    return True

"""The `os_info` collector: distribution, version, kernel and architecture."""

from __future__ import annotations

import platform
import shlex

from homelab_agent.collectors import register
from homelab_agent.config import AgentConfig
from homelab_agent.payload import OSInfoSample


def parse_os_release(text: str) -> dict[str, str]:
    """Parse os-release(5): KEY=value lines, values optionally shell-quoted."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        key, sep, raw = line.strip().partition("=")
        if not sep or key.startswith("#"):
            continue
        try:
            parts = shlex.split(raw)
        except ValueError:
            parts = [raw.strip("\"'")]
        values[key] = parts[0] if parts else ""
    return values


@register("os_info", default_enabled=True)
class OSInfoCollector:
    """Reads os-release from the host root and the kernel release from /proc."""

    def __init__(self, config: AgentConfig) -> None:
        self.rootfs = config.rootfs
        self.proc_root = config.proc_root

    def collect(self) -> OSInfoSample:
        """The host's OS identity."""
        release: dict[str, str] = {}
        for candidate in ("etc/os-release", "usr/lib/os-release"):
            try:
                release = parse_os_release((self.rootfs / candidate).read_text(encoding="utf-8"))
                break
            except OSError:
                continue
        try:
            kernel = (self.proc_root / "sys/kernel/osrelease").read_text().strip()
        except OSError:
            kernel = platform.release()
        return OSInfoSample(
            distribution=release.get("NAME") or None,
            version=release.get("VERSION_ID") or release.get("VERSION") or None,
            kernel=kernel[:255] or None,
            architecture=platform.machine()[:64] or None,
        )

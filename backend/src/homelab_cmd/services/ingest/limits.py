"""Caps on what one heartbeat may carry, checked before it is queued: a refusal stores nothing."""

from dataclasses import dataclass

from homelab_cmd.config import Settings
from homelab_cmd.errors import CollectorErrorsTooLarge, TooManyFilesystems
from homelab_cmd.schemas.heartbeat import HeartbeatRequest


@dataclass(frozen=True)
class Limits:
    """Every configurable cap of the write path (Settings.max_*)."""

    filesystems_per_heartbeat: int = 1000
    filesystems_per_server: int = 2000
    servers: int = 10_000
    collector_errors: int = 64
    collector_error_chars: int = 2048
    # Per-host budgets (budgets.py)
    heartbeats_per_minute: int = 12
    replay_heartbeats_per_minute: int = 600
    replay_after_seconds: int = 300
    replay_spacing_seconds: int = 30
    heartbeat_age_days: int = 30
    capacity_domain_depth: int = 16

    @classmethod
    def from_settings(cls, settings: Settings) -> "Limits":
        return cls(
            filesystems_per_heartbeat=settings.max_filesystems_per_heartbeat,
            filesystems_per_server=settings.max_filesystems_per_server,
            servers=settings.max_servers,
            collector_errors=settings.max_collector_errors,
            collector_error_chars=settings.max_collector_error_chars,
            heartbeats_per_minute=settings.max_heartbeats_per_minute,
            replay_heartbeats_per_minute=settings.max_replay_heartbeats_per_minute,
            replay_after_seconds=settings.replay_after_seconds,
            replay_spacing_seconds=settings.replay_spacing_seconds,
            heartbeat_age_days=settings.max_heartbeat_age_days,
            capacity_domain_depth=settings.max_capacity_domain_depth,
        )


def check_heartbeat(heartbeat: HeartbeatRequest, limits: Limits) -> None:
    """Refuse a heartbeat over a per-heartbeat cap, naming the cap and the setting."""
    count = len(heartbeat.filesystems or ())
    if count > limits.filesystems_per_heartbeat:
        raise TooManyFilesystems(
            f"{count} filesystems in one heartbeat; the hub accepts at most "
            f"{limits.filesystems_per_heartbeat} (HOMELAB_CMD_MAX_FILESYSTEMS_PER_HEARTBEAT)"
        )
    errors = heartbeat.collector_errors or {}
    if len(errors) > limits.collector_errors:
        raise CollectorErrorsTooLarge(
            f"{len(errors)} collector_errors entries; the hub accepts at most "
            f"{limits.collector_errors} (HOMELAB_CMD_MAX_COLLECTOR_ERRORS)"
        )
    for name, reason in errors.items():
        if len(name) + len(reason) > limits.collector_error_chars:
            raise CollectorErrorsTooLarge(
                f"collector_errors entry {name[:64]!r} has {len(name) + len(reason)} characters; "
                f"the hub accepts at most {limits.collector_error_chars} "
                "(HOMELAB_CMD_MAX_COLLECTOR_ERROR_CHARS)"
            )

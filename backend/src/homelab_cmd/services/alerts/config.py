"""What an alert pass is told (AlertConfig, from the settings) and what it reports (PassReport)."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from homelab_cmd.config import Settings
from homelab_cmd.domain.alerts import STORAGE_KINDS, AlertKind, Severity
from homelab_cmd.services.alerts.flapping import FlapConfig
from homelab_cmd.services.notify import channels as notify_channels
from homelab_cmd.services.notify.channels import Target

# A pass holds its servers' snapshots, mounts and open alerts in memory at once, so servers are
# taken in batches of about this many filesystems: peak memory stays bounded by the batch, not
# by the fleet (a few servers with thousands of mounts each cost hundreds of MiB in one batch).
FILESYSTEMS_PER_BATCH = 5000


@dataclass(frozen=True)
class AlertConfig:
    offline_after_seconds: int
    hold_seconds: int
    unreachable_seconds: int
    repeat_warning_seconds: int
    repeat_critical_seconds: int
    group_seconds: float
    history_days: int
    public_url: str | None
    env_targets: tuple[Target, ...]
    filesystems_per_batch: int = FILESYSTEMS_PER_BATCH
    # Per-host budgets (docs/alerts.md): past them, conditions and messages are grouped.
    max_open_alerts: int = 100
    max_queued_messages: int = 100
    scrub_max_age_days: int = 35
    flap: FlapConfig = field(default_factory=FlapConfig)
    max_queued_per_channel: int = 500

    @classmethod
    def from_settings(cls, settings: Settings) -> "AlertConfig":
        return cls(
            offline_after_seconds=settings.offline_after_seconds,
            hold_seconds=settings.alert_hold_seconds,
            unreachable_seconds=settings.alert_unreachable_seconds,
            repeat_warning_seconds=settings.alert_repeat_warning_seconds,
            repeat_critical_seconds=settings.alert_repeat_critical_seconds,
            group_seconds=settings.notify_group_seconds,
            history_days=settings.alert_history_days,
            public_url=settings.public_url,
            env_targets=tuple(
                notify_channels.env_targets(settings.notify_url_list, settings.notify_min_severity)
            ),
            max_open_alerts=settings.max_open_alerts_per_server,
            max_queued_messages=settings.max_queued_messages_per_server,
            scrub_max_age_days=settings.scrub_max_age_days,
            flap=FlapConfig(
                settings.alert_flap_changes,
                timedelta(seconds=settings.alert_flap_window_seconds),
                timedelta(seconds=settings.alert_flap_settle_seconds),
            ),
            max_queued_per_channel=settings.notify_max_queued_per_channel,
        )

    def hold(self, kind: AlertKind) -> timedelta:
        """How long a condition must hold before it fires."""
        if kind in (AlertKind.SERVER_OFFLINE, AlertKind.VANISHED, AlertKind.READ_ONLY):
            return timedelta(0)  # offline_after_seconds and two heartbeats are holds already
        if kind in STORAGE_KINDS:
            return timedelta(0)  # judged from readings taken (an hour apart for drives)
        if kind is AlertKind.UNREACHABLE:
            return timedelta(seconds=max(self.hold_seconds, self.unreachable_seconds))
        return timedelta(seconds=self.hold_seconds)

    def repeat(self, severity: Severity) -> timedelta:
        if severity is Severity.CRITICAL:
            return timedelta(seconds=self.repeat_critical_seconds)
        return timedelta(seconds=self.repeat_warning_seconds)


@dataclass
class PassReport:
    servers: int = 0
    fired: int = 0
    resolved: int = 0
    queued: int = 0
    # Per server with a pending alert: when the first of them ends its hold (the runner wakes a
    # pass for it then, rather than waiting for the next full pass).
    due: dict[str, datetime] = field(default_factory=dict)
    # Per server passed: the time of the heartbeat its snapshot holds (the crossing check's
    # bands must be as new).
    snapshots: dict[str, datetime | None] = field(default_factory=dict)
    # Servers a narrow pass could not settle: judged whole next.
    widen: list[str] = field(default_factory=list)

    def add(self, other: "PassReport") -> None:
        self.servers += other.servers
        self.fired += other.fired
        self.resolved += other.resolved
        self.queued += other.queued
        self.due.update(other.due)
        self.snapshots.update(other.snapshots)

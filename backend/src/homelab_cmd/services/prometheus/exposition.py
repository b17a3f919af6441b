"""Prometheus exposition: the fleet's current snapshot as metric families, read at each scrape.

Names follow node_exporter's `node_filesystem_*` where the meaning is the same, under `homelab_`,
with a `server` label naming the monitored host and a `capacity_domain` label naming the storage a
filesystem draws on (mounts of one pool or device share it, so rules can count it once). No
state is kept between scrapes: each one reads the snapshot the heartbeats left in the database.
docs/prometheus.md lists every metric.
"""

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from prometheus_client import CollectorRegistry
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily, Metric
from prometheus_client.exposition import choose_encoder
from prometheus_client.registry import Collector
from prometheus_client.samples import Sample
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from homelab_cmd import __version__
from homelab_cmd.db.models import Alert, Server
from homelab_cmd.domain.alerts import AlertKind, AlertState, Severity
from homelab_cmd.domain.filesystems import FilesystemState
from homelab_cmd.domain.pools import DEFAULT_SCRUB_MAX_AGE_DAYS
from homelab_cmd.domain.servers import ServerStatus, status_at
from homelab_cmd.domain.snapshot import SnapshotFilesystem, parse_snapshot
from homelab_cmd.services.drives.metrics import drive_families, pool_families
from homelab_cmd.services.fleet.capacity import domain_label, fill_dates
from homelab_cmd.services.forecast.trends import Forecasted, Forecasts, stored_forecasts
from homelab_cmd.services.prometheus.text import EOF, encode_openmetrics, encode_part, encode_text

FS_LABELS = ["server", "mountpoint", "device", "fstype", "capacity_domain"]
INFO_LABELS = [
    "server",
    "hostname",
    "display_name",
    "agent_version",
    "os",
    "os_version",
    "kernel",
    "arch",
]


@dataclass(frozen=True)
class FilesystemGauge:
    """One per-filesystem gauge: its name suffix, help text and how to read it from a snapshot
    filesystem and its stored forecast fields."""

    name: str
    help: str
    value: Callable[[SnapshotFilesystem, Mapping[str, Any]], float | None]


def _files_free(fs: SnapshotFilesystem, _: Mapping[str, Any]) -> float | None:
    total, used = fs.inodes_total, fs.inodes_used
    return None if total is None or used is None else max(total - used, 0)


def _readonly(fs: SnapshotFilesystem, _: Mapping[str, Any]) -> float | None:
    return None if fs.read_only is None else float(fs.read_only)


def _timestamp(at: datetime | None) -> float | None:
    return None if at is None else at.timestamp()


# Figures of a filesystem that answered (state ok); the rest have no fresh figures to give.
FILESYSTEM_GAUGES = (
    FilesystemGauge("size_bytes", "Filesystem size in bytes", lambda fs, _: fs.total_bytes),
    FilesystemGauge(
        "avail_bytes",
        "Filesystem space available to non-root users in bytes",
        lambda fs, _: fs.available_bytes,
    ),
    FilesystemGauge("used_bytes", "Filesystem space used in bytes", lambda fs, _: fs.used_bytes),
    FilesystemGauge("files", "Filesystem total file nodes", lambda fs, _: fs.inodes_total),
    FilesystemGauge("files_free", "Filesystem total free file nodes", _files_free),
    FilesystemGauge("readonly", "Filesystem read-only status (1 read-only)", _readonly),
    FilesystemGauge(
        "growth_bytes_per_day",
        "Robust growth rate of used bytes over the last 14 days (docs/forecast.md)",
        lambda _, forecast: forecast.get("growth_bytes_per_day"),
    ),
    FilesystemGauge(
        "predicted_full_timestamp_seconds",
        "When the hub's forecast says the filesystem fills, as a Unix timestamp (its capacity "
        "domain's date when the storage it shares fills first)",
        lambda _, forecast: _timestamp(forecast.get("full_at")),
    ),
    FilesystemGauge(
        "files_predicted_full_timestamp_seconds",
        "When the hub's forecast says the filesystem's last inode is used, as a Unix timestamp",
        lambda _, forecast: _timestamp(forecast.get("inodes_full_at")),
    ),
)


def _info_labels(server: Server) -> list[str]:
    os_info = server.os_info or {}
    return [
        server.id,
        server.hostname,
        server.display_name or "",
        server.agent_version or "",
        os_info.get("distribution") or "",
        os_info.get("version") or "",
        os_info.get("kernel") or "",
        os_info.get("architecture") or "",
    ]


class SnapshotCollector(Collector):
    """Yields the fleet's metrics from the database on every collect()."""

    def __init__(
        self,
        session_factory: Callable[[], Session],
        offline_after_seconds: int,
        queue_depth: Callable[[], int],
        scrub_max_age: timedelta = timedelta(days=DEFAULT_SCRUB_MAX_AGE_DAYS),
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._session_factory = session_factory
        self._clock = clock
        self._offline_after_seconds = offline_after_seconds
        self._queue_depth = queue_depth
        self._scrub_max_age = scrub_max_age

    def describe(self) -> Iterable[Metric]:
        # Registering must not query the database; names are checked at collect time instead.
        return []

    def collect(self) -> Iterator[Metric]:
        """Read the snapshot and turn it into metric families."""
        now = self._clock()
        with self._session_factory() as session:
            servers = list(session.scalars(select(Server).order_by(Server.id)))
            forecasts = stored_forecasts(session, now)
            firing = firing_alert_counts(session)
            online = [s for s in servers if self._online(s, now)]
            ids = {s.id for s in online}
            storage = [
                *drive_families(session, ids),
                *pool_families(session, ids, now, self._scrub_max_age),
            ]
        yield from self._server_families(servers, now)
        yield alert_family(firing)
        yield from filesystem_families(online, forecasts, now)
        yield from storage
        yield from self._hub_families()

    def _online(self, server: Server, now: datetime) -> bool:
        status = status_at(server.last_seen_at, now, self._offline_after_seconds)
        return status is ServerStatus.ONLINE

    def _server_families(self, servers: list[Server], now: datetime) -> Iterator[Metric]:
        return server_families(servers, lambda server: self._online(server, now))

    def _hub_families(self) -> Iterator[Metric]:
        return hub_families(self._queue_depth())


def server_gauges() -> tuple[GaugeMetricFamily, GaugeMetricFamily, InfoMetricFamily]:
    """The per-server families (up, last seen, info), empty, in the order a scrape lists them."""
    up = GaugeMetricFamily(
        "homelab_server_up",
        "Whether the hub heard from the agent within the offline threshold",
        labels=["server"],
    )
    seen = GaugeMetricFamily(
        "homelab_server_last_seen_timestamp_seconds",
        "When the hub last heard from the server's agent, as a Unix timestamp",
        labels=["server"],
    )
    info = InfoMetricFamily(
        "homelab_server", "The server's names, agent and operating system", labels=["server"]
    )
    return up, seen, info


def server_families(servers: list[Server], online: Callable[[Server], bool]) -> Iterator[Metric]:
    """Up, last seen and info of each server."""
    up, seen, info = server_gauges()
    for server in servers:
        up.add_metric([server.id], 1.0 if online(server) else 0.0)
        if server.last_seen_at is not None:
            seen.add_metric([server.id], server.last_seen_at.timestamp())
        labels = _info_labels(server)
        info.add_metric([server.id], dict(zip(INFO_LABELS[1:], labels[1:], strict=True)))
    yield from (up, seen, info)


def hub_families(queue_depth: int) -> Iterator[Metric]:
    """This hub process's writer queue and build."""
    depth = GaugeMetricFamily(
        "homelab_hub_writer_queue_depth",
        "Heartbeats waiting for the database writer",
        value=queue_depth,
    )
    build = InfoMetricFamily(
        "homelab_hub_build", "The hub's version", value={"version": __version__}
    )
    yield from (depth, build)


def firing_alert_counts(session: Session) -> dict[tuple[str, str], int]:
    """Firing alerts by (severity, kind)."""
    query = (
        select(Alert.severity, Alert.kind, func.count())
        .where(Alert.state == AlertState.FIRING)
        .group_by(Alert.severity, Alert.kind)
    )
    return {(severity, kind): int(n) for severity, kind, n in session.execute(query)}


def alert_family(firing: dict[tuple[str, str], int]) -> Metric:
    """Firing alerts by severity and kind, every combination listed."""
    family = GaugeMetricFamily(
        "homelab_alerts_firing",
        "Alerts the hub has firing, by severity and kind (docs/alerts.md)",
        labels=["severity", "kind"],
    )
    # Every combination, zeros included, so a rule or panel never sees the series vanish.
    for severity in Severity:
        for kind in AlertKind:
            family.add_metric([severity.value, kind.value], firing.get((severity, kind), 0))
    return family


def _dated(server: Server, forecasts: Forecasts, now: datetime) -> list[Forecasted]:
    """The server's snapshot filesystems with their fill dates (their domain's when earlier)."""
    snapshot = [(fs, forecasts.get((server.id, fs.mount_point), {})) for fs in _snapshot(server)]
    return fill_dates(server.capacity_domains, snapshot, now)


def _snapshot(server: Server) -> list[SnapshotFilesystem]:
    return parse_snapshot(server.filesystems) or []


def filesystem_gauges() -> list[GaugeMetricFamily]:
    """The per-filesystem families, empty, in the order a scrape lists them (state last)."""
    return [
        *(
            GaugeMetricFamily(f"homelab_filesystem_{g.name}", g.help, labels=FS_LABELS)
            for g in FILESYSTEM_GAUGES
        ),
        GaugeMetricFamily(
            "homelab_filesystem_state",
            "Filesystem state as reported by the agent (ok, unreachable, ...); always 1",
            labels=[*FS_LABELS, "state"],
        ),
    ]


def filesystem_families(
    servers: list[Server], forecasts: Forecasts, now: datetime
) -> Iterator[Metric]:
    """Each filesystem of each server given: its figures, forecast dates and state."""
    *families, state = filesystem_gauges()
    gauges = list(zip(FILESYSTEM_GAUGES, families, strict=True))
    for server in servers:
        for fs, forecast in _dated(server, forecasts, now):
            # One labels dict shared by all the filesystem's series (Sample, not add_metric,
            # which builds a dict per series): the encoder then formats it once.
            labels = dict(
                zip(
                    FS_LABELS,
                    (server.id, fs.mount_point, fs.device, fs.fs_type, domain_label(fs)),
                    strict=True,
                )
            )
            current = fs.state
            # One series, labelled with the current state: a series per possible state would add
            # a tenth to every scrape for zeros no rule needs.
            state.samples.append(Sample(state.name, {**labels, "state": current}, 1.0))
            if current is not FilesystemState.OK:
                continue
            for gauge, family in gauges:
                value = gauge.value(fs, forecast)
                if value is not None:
                    family.samples.append(Sample(family.name, labels, float(value)))
    # A family no filesystem reports (no agent sends inodes, say) is left out, not sent empty.
    yield from (family for _, family in gauges if family.samples)
    yield state


class FleetSource(Protocol):
    """The snapshot collector's series kept in memory (fleet.py)."""

    def parts(self, openmetrics: bool) -> list[bytes]: ...


class Exposition:
    """A registry of the hub's collectors, rendered in the format the scraper asks for.

    With a `fleet`, the snapshot collector's series come from its memory; the other collectors
    (the hub's counters, the process) are collected at each scrape. The library's encoder (the
    "dots" escaping) still reads everything from the collectors.
    """

    def __init__(self, collectors: Iterable[Collector], fleet: FleetSource | None = None) -> None:
        self._registry = CollectorRegistry()
        self._collectors = list(collectors)
        for collector in self._collectors:
            self._registry.register(collector)
        self._fleet = fleet

    def render(self, accept: str | None) -> tuple[bytes, str]:
        """The exposition body and its content type: OpenMetrics when `accept` asks for it."""
        encoder, content_type = choose_encoder(accept or "")
        # The "dots" escaping rewrites names; only the library's encoder does that.
        if "escaping=dots" in content_type:
            return encoder(self._registry), content_type
        openmetrics = content_type.startswith("application/openmetrics-text")
        body = self._from_memory(openmetrics) if self._fleet is not None else None
        if body is None:
            metrics = list(self._registry.collect())
            body = encode_openmetrics(metrics) if openmetrics else encode_text(metrics)
        if body is None:
            body = encoder(_Collected(metrics))
        return body, content_type

    def _from_memory(self, openmetrics: bool) -> bytes | None:
        assert self._fleet is not None
        others = [
            metric
            for collector in self._collectors
            if not isinstance(collector, SnapshotCollector)
            for metric in collector.collect()
        ]
        rest = encode_part(others, openmetrics)
        if rest is None:
            return None
        # One join: the body (~14 MB at 1,000 servers) is copied once, not once per part.
        return b"".join([*self._fleet.parts(openmetrics), rest, EOF if openmetrics else b""])


class _Collected(Collector):
    """Metrics already collected, for the library's encoder (so the database is read once)."""

    def __init__(self, metrics: list[Metric]) -> None:
        self._metrics = metrics

    def collect(self) -> Iterable[Metric]:
        return self._metrics

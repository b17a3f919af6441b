"""The hub's own health figures: heartbeats received and rejected, how long ingest takes, and
password hashes computed."""

import re

from prometheus_client import Counter, Histogram, disable_created_metrics
from prometheus_client.registry import Collector

# `*_created` series double every counter in the text format and no rule here reads them.
disable_created_metrics()  # type: ignore[no-untyped-call]

# From a cache hit (a few ms) to a writer stalled behind a slow disk (seconds).
INGEST_BUCKETS = (0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_CAMEL = re.compile(r"(?<!^)(?=[A-Z])")


def reason_label(error_name: str) -> str:
    """`TimestampInFuture` -> `timestamp_in_future`: the envelope's error name as a label value."""
    return _CAMEL.sub("_", error_name).lower()


class HubTelemetry:
    """Counters kept by this hub process; they start at zero when it starts, as counters do."""

    def __init__(self) -> None:
        # registry=None: each app registers them in its own registry, so several apps in one
        # process (tests, benchmarks) never share or collide in the global one.
        self.heartbeats_received = Counter(
            "homelab_hub_heartbeats_received",
            "Heartbeat requests that reached the hub, stored or not",
            registry=None,
        )
        self.heartbeats_rejected = Counter(
            "homelab_hub_heartbeats_rejected",
            "Heartbeat requests answered with an error, by the error of the response",
            ["reason"],
            registry=None,
        )
        self.ingest_duration = Histogram(
            "homelab_hub_ingest_duration_seconds",
            "Time from a heartbeat's arrival to its answer, for heartbeats stored",
            buckets=INGEST_BUCKETS,
            registry=None,
        )

        self.password_checks = Counter(
            "homelab_password_checks",
            "Password hashes computed by sign-ins and account changes (64 MiB each)",
            registry=None,
        )

    def collectors(self) -> list[Collector]:
        """What a registry exposes from this object."""
        return [
            self.heartbeats_received,
            self.heartbeats_rejected,
            self.ingest_duration,
            self.password_checks,
        ]

    def heartbeat_answered(self, status: int, error: str | None, seconds: float) -> None:
        """Count one heartbeat request by its answer; `error` is the envelope's error name."""
        self.heartbeats_received.inc()
        if status < 400:
            self.ingest_duration.observe(seconds)
        else:
            self.heartbeats_rejected.labels(reason_label(error or f"Http{status}")).inc()

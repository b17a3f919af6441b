"""Alert journeys against real hub processes, delivered into real loopback sinks.

Heartbeats go through the real API; the hub evaluates off the request path and sends through
Apprise to a `json://` HTTP sink and a `mailto://` SMTP sink. The hub keys samples by whole
seconds, so a test's heartbeats carry timestamps from a clock of its own that starts ten minutes
in the past and moves one second a heartbeat: no send waits for the wall clock's next second.
A hub process takes no `now` from a test, so what runs on its clock (the evaluation interval, a
repeat, going offline) is awaited by polling with generous deadlines, never by a fixed sleep;
"nothing was sent" is checked by waiting for a later message the same passes must deliver
after it.
"""

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import ENGINES
from tests.factories import GIB, filesystem_payload, heartbeat_payload
from tests.hub_process import API_KEY, HUB, running_hub
from tests.notify_sinks import HttpSink, http_sink, smtp_sink, wait_for
from tests.postgres import private_schema

pytestmark = [
    pytest.mark.skipif(not HUB.exists(), reason="the hub is not installed"),
    # One worker runs these, so their hub processes do not crowd a 2-core machine at once.
    pytest.mark.xdist_group("alert-journeys"),
]
HEADERS = {"X-API-Key": API_KEY}
TIB = 1024 * GIB
FAST = {
    "HOMELAB_CMD_ALERT_EVALUATION_SECONDS": "0.5",
    "HOMELAB_CMD_ALERT_HOLD_SECONDS": "0",
    "HOMELAB_CMD_NOTIFY_GROUP_SECONDS": "0",
    "HOMELAB_CMD_NOTIFY_RETRY_SECONDS": "0.2",
    "HOMELAB_CMD_PUBLIC_URL": "http://hub.test",
    # `Stamps` sends replays a second apart, which the replay spacing would refuse.
    "HOMELAB_CMD_REPLAY_SPACING_SECONDS": "0",
}


def beat(
    server: str = "nas-1", percent: float = 40.0, size: int = 100 * GIB, **data: Any
) -> dict[str, Any]:
    used = int(size * percent / 100)
    fs = filesystem_payload(
        mount_point="/data",
        total_bytes=size,
        used_bytes=used,
        available_bytes=size - used,
        read_only=False,
    )
    fs.update(data)
    return heartbeat_payload(
        server_id=server,
        hostname=server,
        filesystems=[filesystem_payload(), fs],
    )


class Stamps:
    """Heartbeat timestamps in whole seconds, one apart, from ten minutes ago.

    Well inside the hour a filesystem's last sighting is kept to, and behind the hub's clock,
    which refuses only timestamps ahead of it. Hubs sharing a database share one `Stamps`, so
    no two heartbeats of a server carry the same second.
    """

    def __init__(self) -> None:
        self._next = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=10)

    def __call__(self) -> str:
        at, self._next = self._next, self._next + timedelta(seconds=1)
        return at.isoformat()


class Hub:
    def __init__(self, url: str, stamps: Stamps) -> None:
        self.client = httpx.Client(base_url=url, headers=HEADERS, timeout=60)
        self._stamps = stamps

    def send(self, payload: dict[str, Any]) -> None:
        payload["timestamp"] = self._stamps()
        self.client.post("/api/v1/agents/heartbeat", json=payload).raise_for_status()

    def alerts(self, state: str = "all") -> list[dict[str, Any]]:
        response = self.client.get("/api/v1/alerts", params={"state": state})
        response.raise_for_status()
        data: list[dict[str, Any]] = response.json()["data"]
        return data


@contextmanager
def hub(
    tmp_path: Path, env: dict[str, str], name: str = "data", stamps: Stamps | None = None
) -> Iterator[Hub]:
    with running_hub(tmp_path / name, {**FAST, **env}) as (_, url):
        yield Hub(url, stamps or Stamps())


def titles(sink: HttpSink) -> list[str]:
    return [m["title"] for m in sink.messages()]


def test_crossing_85_warns_once_then_resolves_below_80_by_http_and_mail(tmp_path: Path) -> None:
    with http_sink() as sink, smtp_sink() as mail:
        env = {"HOMELAB_CMD_NOTIFY_URLS": f"{sink.url},{mail.url}"}
        with hub(tmp_path, env) as h:
            h.send(beat(percent=50))
            h.send(beat(percent=86))
            wait_for(lambda: len(sink.messages()) == 1, "the warning")
            (warning,) = sink.messages()
            assert warning["title"] == "[WARNING] nas-1 /data: disk used"
            assert "Server: nas-1 (nas-1)" in warning["message"]
            assert "/data is 86.0 % full: 14.0 GiB free of 100.0 GiB" in warning["message"]
            assert "http://hub.test/servers/nas-1" in warning["message"]
            for percent in (88, 84, 81, 90):  # still above the clear level: nothing new
                h.send(beat(percent=percent))
            h.send(beat(percent=79))
            wait_for(lambda: len(sink.messages()) >= 2, "the resolution")
            assert titles(sink) == [
                "[WARNING] nas-1 /data: disk used",
                "[RESOLVED] nas-1 /data: disk used",
            ]
            wait_for(lambda: len(mail.received) >= 2, "two mails")
            assert [m["Subject"] for m in mail.received] == titles(sink)
            (resolved,) = h.alerts("resolved")
            assert (resolved["kind"], resolved["severity"]) == ("disk_used", "warning")


def test_a_firing_alert_repeats_after_its_interval(tmp_path: Path) -> None:
    with http_sink() as sink:
        env = {"HOMELAB_CMD_NOTIFY_URLS": sink.url, "HOMELAB_CMD_ALERT_REPEAT_WARNING_SECONDS": "3"}
        with hub(tmp_path, env) as h:
            h.send(beat(percent=87))
            wait_for(lambda: len(sink.messages()) == 1, "the warning")
            wait_for(lambda: len(sink.messages()) >= 2, "the repeat")
            (alert,) = h.alerts()
            # From the hub's own stamp, not from when the first message happened to arrive: a
            # first message delivered late must not make an on-time repeat look early.
            fired = datetime.fromisoformat(alert["fired_at"])
            assert sink.arrived[1] - fired >= timedelta(seconds=2)  # the interval, less rounding
            assert titles(sink)[1] == "[WARNING] still: nas-1 /data: disk used"


def test_expected_full_at_99_percent_is_quiet_while_the_floor_holds(tmp_path: Path) -> None:
    with http_sink() as sink, hub(tmp_path, {"HOMELAB_CMD_NOTIFY_URLS": sink.url}) as h:
        h.send(beat(percent=50, size=10 * TIB))
        h.client.put(
            "/api/v1/servers/nas-1/filesystems/settings",
            json={"mount_point": "/data", "mode": "expected_full"},
        ).raise_for_status()
        for _ in range(4):  # 99 % of 10 TiB: ~102 GiB free, above the 50 GiB floor
            h.send(beat(percent=99, size=10 * TIB))
        h.send(beat(percent=99.7, size=10 * TIB))  # ~31 GiB free: under the floor
        wait_for(lambda: len(sink.messages()) >= 1, "the floor warning")
        assert titles(sink) == ["[WARNING] nas-1 /data: disk used"]
        assert "99.7 % full" in sink.messages()[0]["message"]


def test_read_only_vanished_and_offline_each_alert_and_disks_stay_unknown(
    tmp_path: Path,
) -> None:
    usb = filesystem_payload(mount_point="/mnt/usb", read_only=False)
    with http_sink() as sink:
        env = {"HOMELAB_CMD_NOTIFY_URLS": sink.url, "HOMELAB_CMD_OFFLINE_AFTER_SECONDS": "4"}
        with hub(tmp_path, env) as h:
            with_usb = beat(percent=90)
            with_usb["filesystems"].append(usb)
            h.send(with_usb)
            wait_for(lambda: len(sink.messages()) == 1, "the disk warning")
            # One heartbeat makes /data read only; /mnt/usb vanishes at the second without it.
            # Waiting between them keeps the two apart: fired in one pass, they go as one message.
            h.send(beat(percent=90, read_only=True))
            wait_for(lambda: len(sink.messages()) >= 2, "read-only")
            h.send(beat(percent=90, read_only=True))
            wait_for(lambda: len(sink.messages()) >= 3, "vanished")
            assert titles(sink)[1:] == [
                "[CRITICAL] nas-1 /data: read only",
                "[WARNING] nas-1 /mnt/usb: vanished",
            ]
            # No more heartbeats: the server goes offline.
            wait_for(lambda: len(sink.messages()) >= 4, "the offline alert")
            assert titles(sink)[3] == "[CRITICAL] nas-1: server offline"
            offline = next(a for a in h.alerts("firing") if a["kind"] == "server_offline")
            fired = datetime.fromisoformat(offline["fired_at"])
            # Several passes later the disk alerts are still firing, shown unknown.
            wait_for(lambda: (datetime.now(UTC) - fired).total_seconds() > 3, "more passes")
            disk = {a["kind"]: a for a in h.alerts("firing") if a["mount_point"] == "/data"}
            assert {k: (a["state"], a["unknown"]) for k, a in disk.items()} == {
                "disk_used": ("firing", True),
                "read_only": ("firing", True),
            }
            assert h.alerts("resolved") == []
            assert len(sink.messages()) == 4


def test_a_channel_that_fails_twice_then_recovers_gets_every_message_once(
    tmp_path: Path,
) -> None:
    with ExitStack() as stack:
        sink = stack.enter_context(http_sink(fail_next=2))
        h = stack.enter_context(hub(tmp_path, {"HOMELAB_CMD_NOTIFY_URLS": sink.url}))
        h.send(beat(percent=96))
        wait_for(lambda: len(sink.messages()) == 1, "the critical alert after retries")
        assert sink.failed == 2
        h.send(beat(percent=10))
        wait_for(lambda: len(sink.messages()) >= 2, "the resolution")
        assert titles(sink) == [
            "[CRITICAL] nas-1 /data: disk used",
            "[RESOLVED] nas-1 /data: disk used",
        ]


# PostgreSQL joins where the other database tests have it: when the test server is named.
@pytest.mark.parametrize("engine", ENGINES)
def test_two_hubs_on_one_database_send_each_message_once(tmp_path: Path, engine: str) -> None:
    with ExitStack() as stack:
        sink = stack.enter_context(http_sink())
        env = {"HOMELAB_CMD_NOTIFY_URLS": sink.url}
        if engine == "postgres":
            env["HOMELAB_CMD_DATABASE_URL"] = stack.enter_context(private_schema("alerts"))
        else:
            # Both hubs open one SQLite file.
            env["HOMELAB_CMD_DATABASE_URL"] = f"sqlite:///{tmp_path / 'shared.db'}"
        stamps = Stamps()
        one = stack.enter_context(hub(tmp_path, env, "one", stamps))
        two = stack.enter_context(hub(tmp_path, env, "two", stamps))
        one.send(beat(percent=50))
        two.send(beat(percent=90))
        one.send(beat(percent=91))
        two.send(beat(percent=92))
        wait_for(lambda: len(sink.messages()) >= 1, "the warning")
        one.send(beat(percent=20))
        two.send(beat(percent=21))
        wait_for(lambda: len(sink.messages()) >= 2, "the resolution")
        # A later alert on another server, through both hubs, marks the end of their passes.
        one.send(beat(server="marker", percent=99))
        two.send(beat(server="marker", percent=99))
        wait_for(lambda: any("marker" in t for t in titles(sink)), "the marker")
        about_nas = [t for t in titles(sink) if "nas-1" in t]
        assert about_nas == [
            "[WARNING] nas-1 /data: disk used",
            "[RESOLVED] nas-1 /data: disk used",
        ]
        assert len([t for t in titles(sink) if "marker" in t]) == 1

"""Drive and pool journeys against a real hub process, delivered into a real loopback sink.

A drive is read once an hour: each heartbeat here carries a reading an hour after the last.
"Nothing was sent" is checked by waiting for a later message the same passes must deliver.
"""

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.factories import drive_payload, filesystem_payload, heartbeat_payload, pool_payload
from tests.hub_process import HUB
from tests.journeys.test_alert_journeys import hub, titles
from tests.notify_sinks import http_sink, wait_for

pytestmark = [
    pytest.mark.skipif(not HUB.exists(), reason="the hub is not installed"),
    pytest.mark.xdist_group("alert-journeys"),
]
START = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) - timedelta(hours=12)
DRIVE_TITLE = "[WARNING] nas-1.home.lan drive:wwn:0x5000c500499602d2: drive health"


class Readings:
    """Heartbeats carrying a drive read an hour after the previous one."""

    def __init__(self) -> None:
        self.hour = 0

    def __call__(self, reallocated: int, **fields: Any) -> dict[str, Any]:
        self.hour += 1
        drive = drive_payload(START + timedelta(hours=self.hour), {5: reallocated, 197: 0})
        return heartbeat_payload(filesystems=[filesystem_payload()], drives=[drive], **fields)


def test_reallocated_8_8_12_warns_once_at_12_naming_the_drive_and_its_filesystems(
    tmp_path: Path,
) -> None:
    read = Readings()
    degraded = pool_payload(state="DEGRADED", degraded=True)
    with http_sink() as sink, hub(tmp_path, {"HOMELAB_CMD_NOTIFY_URLS": sink.url}) as h:
        h.send(read(8))
        h.send(read(8))
        h.send(read(12))
        wait_for(lambda: len(sink.messages()) >= 1, "the drive warning")
        h.send(read(12))
        h.send(read(12, pools=[degraded]))
        wait_for(lambda: len(sink.messages()) >= 2, "the pool warning")

        assert titles(sink) == [DRIVE_TITLE, "[WARNING] nas-1.home.lan zfs:tank: pool degraded"]
        body = sink.messages()[0]["message"]
        assert "Drive: drive:wwn:0x5000c500499602d2" in body
        assert (
            "/dev/sda (ST16000NM001G-2KK103, serial ZL2ABC12; holds /srv/media): "
            "reallocated sectors (5) rose from 8 to 12 since first seen"
        ) in body
        (drive,) = h.client.get("/api/v1/drives").json()["data"]
        assert drive["health"] == "warning"


def test_an_acknowledged_drive_warning_is_quiet_until_its_count_changes(tmp_path: Path) -> None:
    read = Readings()
    with http_sink() as sink, hub(tmp_path, {"HOMELAB_CMD_NOTIFY_URLS": sink.url}) as h:
        h.send(read(0))
        h.send(read(3))
        wait_for(lambda: len(sink.messages()) >= 1, "the drive warning")
        (alert,) = h.alerts("firing")
        h.client.post(f"/api/v1/alerts/{alert['id']}/ack").raise_for_status()
        h.send(read(3))
        h.send(read(5))
        wait_for(lambda: len(sink.messages()) >= 2, "the warning again")

        assert titles(sink) == [DRIVE_TITLE, DRIVE_TITLE]
        assert "rose from 0 to 5" in sink.messages()[1]["message"]
        (again,) = h.alerts("firing")
        assert again["acknowledged_at"] is None


def test_a_degraded_pool_that_recovers_resolves(tmp_path: Path) -> None:
    degraded = pool_payload(state="DEGRADED", degraded=True)
    with http_sink() as sink, hub(tmp_path, {"HOMELAB_CMD_NOTIFY_URLS": sink.url}) as h:
        h.send(heartbeat_payload(pools=[degraded]))
        wait_for(lambda: len(sink.messages()) >= 1, "the pool warning")
        h.send(heartbeat_payload(pools=[pool_payload()]))
        wait_for(lambda: len(sink.messages()) >= 2, "the resolution")

        assert titles(sink) == [
            "[WARNING] nas-1.home.lan zfs:tank: pool degraded",
            "[RESOLVED] nas-1.home.lan zfs:tank: pool degraded",
        ]

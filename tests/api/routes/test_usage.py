"""Usage scans through the API and the heartbeat, with the app's real writer: ask, scan, read."""

from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient

from tests.factories import filesystem_payload, heartbeat_payload, unreachable_filesystem_payload
from tests.services.usage.scans import GIB, scan_payload

HEARTBEAT = "/api/v1/agents/heartbeat"
SCANS = "/api/v1/servers/nas-1/filesystems/usage-scans"
USAGE = "/api/v1/servers/nas-1/filesystems/usage"
NOW = datetime.now(UTC).replace(microsecond=0)


def beat(minutes_ago: int, **fields: object) -> dict[str, Any]:
    return heartbeat_payload(timestamp=NOW - timedelta(minutes=minutes_ago), **fields)


def usage(client: TestClient, mount_point: str = "/data") -> dict[str, Any]:
    answer = client.get(USAGE, params={"mount_point": mount_point})
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def scan(minutes_ago: int, sizes: dict[str, int], **fields: Any) -> dict[str, Any]:
    return scan_payload(
        "/data", sizes, started_at=NOW - timedelta(minutes=minutes_ago, seconds=30), **fields
    )


def asked(
    client: TestClient, minutes_ago: int, sizes: dict[str, int], **fields: Any
) -> dict[str, Any]:
    """A scan answering a person's request (an agent keeps one unasked scan a day at most)."""
    request = client.post(SCANS, json={"mount_point": "/data"})
    assert request.status_code == 202, request.text
    return scan(minutes_ago, sizes, request_id=request.json()["id"], **fields)


def test_a_person_asks_and_the_agent_is_told_until_the_scan_arrives(client: TestClient) -> None:
    assert client.post(HEARTBEAT, json=beat(10)).json()["usage_scan_requests"] == []

    asked = client.post(SCANS, json={"mount_point": "/data"})

    assert asked.status_code == 202
    request = asked.json()
    assert (request["mount_point"], request["requested_by"], request["state"]) == (
        "/data",
        "person",
        "pending",
    )
    answer = client.post(HEARTBEAT, json=beat(9)).json()
    assert answer["usage_scan_requests"] == [{"id": request["id"], "mount_point": "/data"}]
    running = {
        "mount_point": "/data",
        "request_id": request["id"],
        "started_at": (NOW - timedelta(minutes=8, seconds=30)).isoformat(),
        "entries": 4567,
    }
    client.post(HEARTBEAT, json=beat(8, usage_scan_running=running))
    progress = usage(client)["request"]
    assert (progress["id"], progress["state"], progress["entries"]) == (
        request["id"],
        "running",
        4567,
    )

    done = scan(7, {"/data": 10 * GIB, "/data/media": 8 * GIB}, request_id=request["id"])
    answer = client.post(HEARTBEAT, json=beat(7, usage_scans=[done])).json()

    assert answer["usage_scan_requests"] == []
    read = usage(client)
    assert read["request"] is None
    assert read["latest"]["directories"] == [
        {"path": "/data", "bytes": 10 * GIB, "other_bytes": 2 * GIB},
        {"path": "/data/media", "bytes": 8 * GIB, "other_bytes": 8 * GIB},
    ]
    assert (read["latest"]["entries"], read["latest"]["duration_seconds"]) == (123_456, 12.5)
    assert read["previous"] is None
    assert read["growth"] == []
    assert [s["taken_at"] for s in read["scans"]] == [read["latest"]["taken_at"]]


def test_asking_twice_returns_the_open_request(client: TestClient) -> None:
    client.post(HEARTBEAT, json=beat(5))

    first = client.post(SCANS, json={"mount_point": "/data"})
    second = client.post(SCANS, json={"mount_point": "/data"})

    assert (first.status_code, second.status_code) == (202, 202)
    assert first.json() == second.json()
    answer = client.post(HEARTBEAT, json=beat(4)).json()
    assert len(answer["usage_scan_requests"]) == 1


def test_asking_for_an_unknown_server_or_mount_is_404(client: TestClient) -> None:
    client.post(HEARTBEAT, json=beat(5))

    unknown_server = client.post(
        "/api/v1/servers/nope/filesystems/usage-scans", json={"mount_point": "/data"}
    )
    unknown_mount = client.post(SCANS, json={"mount_point": "/elsewhere"})
    read_unknown = client.get(
        "/api/v1/servers/nope/filesystems/usage", params={"mount_point": "/data"}
    )

    assert (unknown_server.status_code, unknown_server.json()["error"]) == (404, "ServerNotFound")
    assert (unknown_mount.status_code, unknown_mount.json()["error"]) == (
        404,
        "FilesystemNotFound",
    )
    assert read_unknown.status_code == 404


def test_bad_requests_are_422(client: TestClient) -> None:
    client.post(HEARTBEAT, json=beat(5))

    assert client.post(SCANS, json={}).status_code == 422
    assert client.post(SCANS, json={"mount_point": ""}).status_code == 422
    assert client.post(SCANS, json={"mount_point": "/data", "extra": 1}).status_code == 422
    assert client.get(USAGE).status_code == 422


def test_a_filesystem_never_scanned_reads_empty(client: TestClient) -> None:
    client.post(HEARTBEAT, json=beat(5))

    assert usage(client, "/") == {
        "mount_point": "/",
        "latest": None,
        "previous": None,
        "growth": [],
        "growth_basis": "not_scanned",
        "growth_note": None,
        "request": None,
        "scans": [],
    }


def test_growth_compares_the_latest_two_scans_path_by_path(client: TestClient) -> None:
    client.post(HEARTBEAT, json=beat(30))
    before = {
        "/data": 100 * GIB,
        "/data/frigate": 50 * GIB,
        "/data/frigate/recordings": 40 * GIB,
        "/data/docker": 30 * GIB,
        "/data/old": 10 * GIB,
        "/data/gone-from-top": 5 * GIB,
    }
    after = {
        "/data": 146 * GIB,
        "/data/frigate": 96 * GIB,
        "/data/frigate/recordings": 86 * GIB,
        "/data/docker": 36 * GIB,
        "/data/old": 4 * GIB,
        "/data/new-in-top": 9 * GIB,
    }
    client.post(HEARTBEAT, json=beat(20, usage_scans=[asked(client, 20, before)]))
    client.post(HEARTBEAT, json=beat(10, usage_scans=[asked(client, 10, after)]))

    read = usage(client)

    assert [(g["path"], g["bytes_then"], g["bytes_now"], g["change"]) for g in read["growth"]] == [
        ("/data", 100 * GIB, 146 * GIB, 46 * GIB),
        ("/data/frigate", 50 * GIB, 96 * GIB, 46 * GIB),
        ("/data/frigate/recordings", 40 * GIB, 86 * GIB, 46 * GIB),
        ("/data/docker", 30 * GIB, 36 * GIB, 6 * GIB),
        ("/data/old", 10 * GIB, 4 * GIB, -6 * GIB),
    ]
    assert read["previous"]["taken_at"] < read["latest"]["taken_at"]
    assert "directories" not in read["previous"]
    assert len(read["scans"]) == 2


def test_a_failed_scan_closes_its_request_and_keeps_the_last_tree(client: TestClient) -> None:
    client.post(HEARTBEAT, json=beat(30))
    client.post(HEARTBEAT, json=beat(20, usage_scans=[scan(20, {"/data": GIB})]))
    request = client.post(SCANS, json={"mount_point": "/data"}).json()
    failed = scan(10, {}, request_id=request["id"], error="already scanning /srv", entries=0)

    answer = client.post(HEARTBEAT, json=beat(10, usage_scans=[failed])).json()

    assert answer["usage_scan_requests"] == []
    read = usage(client)
    assert read["latest"]["directories"] == [{"path": "/data", "bytes": GIB, "other_bytes": GIB}]
    assert [s["error"] for s in read["scans"]] == ["already scanning /srv", None]
    assert read["request"] is None
    again = client.post(SCANS, json={"mount_point": "/data"}).json()
    assert again["id"] != request["id"]


def test_a_bad_scan_is_422_and_nothing_of_the_heartbeat_is_stored(client: TestClient) -> None:
    outside = scan(5, {"/data": GIB, "/datapoints": GIB})
    too_many = scan(5, {f"/data/d{i}": 1 for i in range(2001)})
    too_long = scan(5, {"/data/" + "x" * 4096: 1})
    negative = scan(5, {"/data": -1})
    bad = [
        [outside],
        [too_many],
        [too_long],
        [negative],
        [scan(5, {"/data": 1})] * 5,
        [scan(5, {"/data": 1}, stopped_by="patience")],
    ]

    answers = [client.post(HEARTBEAT, json=beat(5, usage_scans=scans)) for scans in bad]

    assert [a.status_code for a in answers] == [422] * len(bad)
    assert "'/datapoints' is not under its mount point" in answers[0].text
    assert client.get("/api/v1/servers/nas-1").status_code == 404


def test_a_scan_of_a_mount_the_server_does_not_report_is_not_kept(client: TestClient) -> None:
    client.post(HEARTBEAT, json=beat(10))
    unasked = scan_payload("/elsewhere", {"/elsewhere": GIB}, started_at=NOW)

    assert client.post(HEARTBEAT, json=beat(5, usage_scans=[unasked])).status_code == 200

    assert usage(client, "/elsewhere")["scans"] == []


def test_five_scans_are_kept_per_filesystem(client: TestClient) -> None:
    client.post(HEARTBEAT, json=beat(60))
    for minutes_ago in range(50, 0, -5):  # ten scans
        client.post(
            HEARTBEAT,
            json=beat(
                minutes_ago, usage_scans=[asked(client, minutes_ago, {"/data": minutes_ago})]
            ),
        )

    read = usage(client)

    assert len(read["scans"]) == 5
    assert read["latest"]["total_bytes"] == 5
    assert read["growth"][0]["bytes_then"] == 10


def test_deleting_the_server_removes_its_scans_and_requests(client: TestClient) -> None:
    client.post(HEARTBEAT, json=beat(10, usage_scans=[]))
    client.post(HEARTBEAT, json=beat(9, usage_scans=[scan(9, {"/data": GIB})]))
    client.post(SCANS, json={"mount_point": "/data"})

    assert client.delete("/api/v1/servers/nas-1").status_code == 204
    client.post(HEARTBEAT, json=beat(5))

    read = usage(client)
    assert (read["scans"], read["request"]) == ([], None)


COMPLETE = {"/data": 900 * GIB, "/data/srv": 800 * GIB}
PARTIAL = {"/data": 100 * GIB, "/data/srv": 20 * GIB}  # what a budget let it reach


def test_a_partial_latest_scan_is_not_compared_and_says_why(client: TestClient) -> None:
    client.post(HEARTBEAT, json=beat(30))
    client.post(HEARTBEAT, json=beat(20, usage_scans=[asked(client, 20, COMPLETE)]))
    client.post(
        HEARTBEAT, json=beat(10, usage_scans=[asked(client, 10, PARTIAL, stopped_by="time")])
    )

    read = usage(client)

    # Monday complete, Tuesday stopped by its budget: no "/data/srv shrank 780 GiB".
    assert read["latest"]["stopped_by"] == "time"
    assert (read["growth"], read["previous"], read["growth_basis"]) == ([], None, "latest_partial")
    assert "time budget stopped it" in read["growth_note"]


def test_growth_skips_a_partial_scan_between_two_complete_ones(client: TestClient) -> None:
    client.post(HEARTBEAT, json=beat(40))
    grown = {"/data": 950 * GIB, "/data/srv": 850 * GIB}
    client.post(HEARTBEAT, json=beat(30, usage_scans=[asked(client, 30, COMPLETE)]))
    client.post(
        HEARTBEAT, json=beat(20, usage_scans=[asked(client, 20, PARTIAL, stopped_by="entries")])
    )
    client.post(
        HEARTBEAT, json=beat(10, usage_scans=[asked(client, 10, grown, links_over_budget=0)])
    )

    read = usage(client)

    # Against the complete scan of 30 minutes ago: +50 GiB, not +830 GiB from the partial one.
    assert read["growth_basis"] == "complete"
    assert read["growth_note"] is None
    assert [(g["path"], g["change"]) for g in read["growth"]] == [
        ("/data", 50 * GIB),
        ("/data/srv", 50 * GIB),
    ]
    assert read["previous"]["taken_at"] == read["scans"][2]["taken_at"]


def test_a_scan_with_hard_links_past_its_budget_is_not_compared(client: TestClient) -> None:
    client.post(HEARTBEAT, json=beat(30))
    client.post(HEARTBEAT, json=beat(20, usage_scans=[asked(client, 20, PARTIAL)]))
    client.post(
        HEARTBEAT, json=beat(10, usage_scans=[asked(client, 10, COMPLETE, links_over_budget=7)])
    )

    read = usage(client)

    assert (read["growth"], read["growth_basis"]) == ([], "latest_partial")
    assert "7 hard-linked files" in read["growth_note"]
    assert read["scans"][0]["links_over_budget"] == 7


def test_a_first_complete_scan_after_partial_ones_has_no_baseline(client: TestClient) -> None:
    client.post(HEARTBEAT, json=beat(30))
    client.post(
        HEARTBEAT, json=beat(20, usage_scans=[asked(client, 20, PARTIAL, stopped_by="time")])
    )
    client.post(HEARTBEAT, json=beat(10, usage_scans=[asked(client, 10, COMPLETE)]))

    read = usage(client)

    assert (read["growth"], read["growth_basis"]) == ([], "no_baseline")
    assert read["growth_note"] == "No complete scan before the latest one to compare it with."


def test_a_tree_deeper_than_four_levels_is_422_and_nothing_is_stored(client: TestClient) -> None:
    client.post(HEARTBEAT, json=beat(10))
    # A hostile agent: 250 paths of 4,096 characters, about 2,040 levels deep each.
    deep = {}
    for i in range(250):
        path = f"/data/{i:03d}" + "/x" * 2044
        deep[path[:4096]] = 1
    five_levels = {"/data/a/b/c/d/e": 1}
    four_levels = {"/data": 1, "/data/a/b/c/d": 1}

    hostile = client.post(HEARTBEAT, json=beat(5, usage_scans=[scan(5, deep)]))
    one_too_deep = client.post(HEARTBEAT, json=beat(5, usage_scans=[scan(5, five_levels)]))
    fine = client.post(HEARTBEAT, json=beat(4, usage_scans=[scan(4, four_levels)]))

    assert hostile.status_code == one_too_deep.status_code == 422
    assert "lies more than 4 levels below its mount point" in hostile.text
    assert "'/data/a/b/c/d/e' lies more than 4 levels below" in one_too_deep.text
    assert fine.status_code == 200, fine.text
    assert [d["path"] for d in usage(client)["latest"]["directories"]] == list(four_levels)


def test_asking_for_a_mount_the_agent_reports_unreachable_or_missing_is_409(
    client: TestClient,
) -> None:
    nas = unreachable_filesystem_payload()
    usb = filesystem_payload(
        mount_point="/mnt/usb", state="missing", total_bytes=0, used_bytes=0, available_bytes=0
    )
    client.post(HEARTBEAT, json=beat(5, filesystems=[filesystem_payload(), nas, usb]))

    hung = client.post(SCANS, json={"mount_point": nas["mount_point"]})
    gone = client.post(SCANS, json={"mount_point": "/mnt/usb"})

    assert (hung.status_code, gone.status_code) == (409, 409)
    assert hung.json() == {
        "error": "FilesystemNotAnswering",
        "detail": f"the agent reports {nas['mount_point']} as unreachable; a scan would hang",
    }
    assert gone.json()["detail"] == "the agent reports /mnt/usb as missing; a scan would hang"
    # Nothing was asked for: the agent is told of no scan.
    assert client.post(HEARTBEAT, json=beat(4)).json()["usage_scan_requests"] == []

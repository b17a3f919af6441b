"""The on-disk spool: bounds, order, and what each hub answer does to a payload."""

import json
from pathlib import Path

import pytest

from homelab_agent.delivery.spool import Spool
from homelab_agent.delivery.transport import Outcome, SendResult


class RecordingHub:
    """A send function answering from a script, recording bodies."""

    def __init__(self, *outcomes: Outcome) -> None:
        self.outcomes = list(outcomes)
        self.bodies: list[bytes] = []

    def __call__(self, body: bytes) -> SendResult:
        self.bodies.append(body)
        outcome = self.outcomes.pop(0) if self.outcomes else Outcome.DELIVERED
        return SendResult(outcome, outcome.value)


def _body(n: int) -> bytes:
    return json.dumps({"n": n}).encode()


def test_replay_is_oldest_first_and_empties_the_spool(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    for n in range(5):
        spool.put(_body(n))
    hub = RecordingHub()
    report = spool.flush(hub)
    assert hub.bodies == [_body(n) for n in range(5)]
    assert (report.delivered, report.remaining) == (5, 0)
    assert spool.pending() == []


def test_order_survives_a_restart(tmp_path: Path) -> None:
    first = Spool(tmp_path)
    first.put(_body(1))
    second = Spool(tmp_path)
    second.put(_body(2))
    hub = RecordingHub()
    second.flush(hub)
    assert hub.bodies == [_body(1), _body(2)]


def test_full_spool_drops_the_oldest_by_count(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    spool = Spool(tmp_path, max_files=3)
    for n in range(5):
        spool.put(_body(n))
    assert [p.read_bytes() for p in spool.pending()] == [_body(2), _body(3), _body(4)]
    assert "dropped the 1 oldest" in caplog.text


def test_full_spool_drops_the_oldest_by_bytes(tmp_path: Path) -> None:
    spool = Spool(tmp_path, max_bytes=3 * len(_body(0)))
    for n in range(6):
        spool.put(_body(n))
    assert [p.read_bytes() for p in spool.pending()] == [_body(3), _body(4), _body(5)]


def test_newest_heartbeat_is_kept_even_when_larger_than_the_bound(tmp_path: Path) -> None:
    spool = Spool(tmp_path, max_bytes=4)
    spool.put(b"x" * 10)
    assert len(spool.pending()) == 1


def test_hub_down_keeps_everything_and_stops_at_the_first_failure(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    for n in range(3):
        spool.put(_body(n))
    hub = RecordingHub(Outcome.RETRY_LATER)
    report = spool.flush(hub)
    assert len(hub.bodies) == 1
    assert (report.delivered, report.remaining) == (0, 3)
    assert len(spool.pending()) == 3


def test_rejected_payload_is_dropped_and_does_not_block_the_rest(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    spool = Spool(tmp_path)
    for n in range(3):
        spool.put(_body(n))
    hub = RecordingHub(Outcome.DELIVERED, Outcome.REJECTED, Outcome.DELIVERED)
    report = spool.flush(hub)
    assert (report.delivered, report.dropped, report.remaining) == (2, 1, 0)
    assert "rejected" in caplog.text


def test_unauthorized_keeps_the_payload_and_logs_loudly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    spool = Spool(tmp_path)
    spool.put(_body(0))
    report = spool.flush(RecordingHub(Outcome.UNAUTHORIZED))
    assert report.remaining == 1
    assert len(spool.pending()) == 1
    assert any(r.levelname == "ERROR" and "API KEY" in r.message for r in caplog.records)


def test_writes_leave_no_temporary_files(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    spool.put(_body(0))
    assert [p.suffix for p in tmp_path.iterdir()] == [".json"]


def test_flush_stops_at_the_deadline(tmp_path: Path) -> None:
    spool = Spool(tmp_path)
    spool.put(_body(0))
    report = spool.flush(RecordingHub(), deadline=0.0)
    assert report.remaining == 1

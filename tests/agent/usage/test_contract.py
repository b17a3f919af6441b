"""The agent's usage-scan fields validate against the hub's heartbeat schema, and the hub's
answer's requests are the agent's (ADR 0005)."""

import json
import os
from pathlib import Path

from homelab_agent.payload import Heartbeat, utc_now
from homelab_agent.usage.model import UsageScanRunning
from homelab_agent.usage.runner import ScanRequest, parse_requests
from homelab_agent.usage.scan import Budgets, failed, scan
from homelab_cmd.schemas.heartbeat import HeartbeatRequest, HeartbeatResponse
from homelab_cmd.schemas.usage import UsageScanOrder


def test_a_real_scan_with_awkward_names_validates_against_the_hub_schema(tmp_path: Path) -> None:
    root = os.fsencode(tmp_path)
    for name in (b"with space", b"new\nline", b"bad\xff\xfe name", b"tab\there", "日本".encode()):
        os.makedirs(root + b"/" + name + b"/deeper")
        with open(root + b"/" + name + b"/deeper/f", "wb") as handle:
            handle.write(b"x" * 5000)
    result = scan(str(tmp_path), "/srv", budgets=Budgets(max_children=3))
    heartbeat = Heartbeat(
        server_id="contract-host", hostname="contract-host", timestamp=utc_now(),
        agent_version="test",
        usage_scans=[result, failed("/mnt/nas", "r2", "a network filesystem")],
        usage_scan_running=UsageScanRunning("/data", "r3", result.started_at, 12),
    )  # fmt: skip

    request = HeartbeatRequest.model_validate(json.loads(heartbeat.to_json()))

    assert request.usage_scans is not None and request.usage_scan_running is not None
    sent, refused = request.usage_scans
    assert [d.model_dump() for d in sent.directories] == [
        {"path": d.path, "bytes": d.bytes, "other_bytes": d.other_bytes} for d in result.directories
    ]
    assert len(sent.directories) == 1 + 3 + 3  # the root, its 3 largest, one child each
    assert sent.total_bytes == result.total_bytes and sent.stopped_by is None
    assert refused.error == "a network filesystem" and refused.directories == []
    assert request.usage_scan_running.entries == 12


def test_the_hubs_answer_carries_requests_the_agent_reads() -> None:
    answer = HeartbeatResponse(
        usage_scan_requests=[UsageScanOrder(id="9f2c0d4be1a07f63", mount_point="/srv")]
    )
    assert parse_requests(json.loads(answer.model_dump_json())) == [
        ScanRequest("9f2c0d4be1a07f63", "/srv")
    ]

"""`homelab-agent --once`: one heartbeat, and one line saying what became of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TextIO

from homelab_agent.agent import Agent, Sender
from homelab_agent.delivery.spool import FlushReport
from homelab_agent.delivery.transport import Outcome, SendResult


@dataclass
class _Recorder:
    """Passes heartbeats to the real client and keeps the last answer, for the summary."""

    client: Sender
    last: SendResult | None = None

    def send(self, body: bytes, deadline: float | None = None) -> SendResult:
        self.last = self.client.send(body, deadline)
        return self.last

    def close(self) -> None:
        self.client.close()


def send_once(agent: Agent, out: TextIO) -> int:
    """Collect, spool and deliver once; print one line; 0 only when this heartbeat was stored."""
    recorder = _Recorder(agent.client)
    agent.client = recorder
    try:
        heartbeat = agent.collect_and_spool()
        report = agent.deliver()
    finally:
        recorder.close()
    count = len(heartbeat.filesystems or [])
    what = f"heartbeat for {heartbeat.server_id} ({count} filesystem{'s' * (count != 1)})"
    # The spool is replayed oldest first, so this heartbeat is the last one sent: it was stored
    # when nothing is left and the last answer was the hub's acknowledgement.
    stored = report.remaining == 0 and report.last_outcome is Outcome.DELIVERED
    out.write(_summary(what, report, recorder.last, stored) + "\n")
    return 0 if stored else 1


def _summary(what: str, report: FlushReport, last: SendResult | None, stored: bool) -> str:
    if stored:
        earlier = report.delivered - 1
        return f"sent {what}: stored" + (f", with {earlier} spooled earlier" if earlier else "")
    detail = last.detail if last else "nothing sent"
    waiting = f"kept in spool ({report.remaining} waiting)"
    if report.last_outcome is Outcome.UNAUTHORIZED:
        return f"{what} not sent: the hub refused this agent's key ({detail}), {waiting}"
    if report.last_outcome is Outcome.REJECTED and report.remaining == 0:
        return f"{what} rejected by the hub and dropped: {detail}"
    if detail.startswith("HTTP "):
        return f"{what} not sent: the hub answered {detail.split(':', 1)[0][5:]}, {waiting}"
    return f"{what} not sent: hub unreachable ({detail}), {waiting}"

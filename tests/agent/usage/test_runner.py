"""Scans the hub asks for: from its answer to a later heartbeat, one at a time, off the loop.

The host is a fixture: a corpus mount table as its /proc and a real directory tree as its root
(`rootfs`), as for an agent in a container with the host at /hostfs.
"""

import json
import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest

from homelab_agent.agent import Agent, build_heartbeat
from homelab_agent.config import AgentConfig
from homelab_agent.delivery.transport import HubClient, Outcome, SendResult
from homelab_agent.filesystems.statfs import StatvfsProber
from homelab_agent.filesystems.stuck_mounts import StuckMemory
from homelab_agent.usage.model import UsageScan
from homelab_agent.usage.priority import IOPRIO_CLASS_SHIFT, IOPRIO_WHO_PROCESS, ioprio_syscall
from homelab_agent.usage.runner import (
    MAX_FINISHED,
    MAX_QUEUED,
    MAX_RESCANS,
    RELISTED_BEFORE_RESCAN,
    STUCK_GRACE_SECONDS,
    ScanRequest,
    UsageScanner,
    parse_requests,
)
from homelab_agent.usage.scan import Progress, scan
from tests.agent.conftest import MOUNT_TABLES, FakeStatvfs, statvfs_result
from tests.agent.usage.trees import long_named_tree
from tests.notify_sinks import wait_for

TABLE = "synthetic_homelab_edge_cases.mountinfo"  # /mnt/disk1 xfs, /net/nas nfs4, /mnt/ssh sshfs


@pytest.fixture
def host(agent_config: AgentConfig, tmp_path: Path) -> AgentConfig:
    """A host whose /mnt/disk1 holds 12 KiB of media and whose NFS share holds a file."""
    proc = tmp_path / "proc"
    (proc / "self").mkdir(parents=True)
    shutil.copyfile(MOUNT_TABLES / TABLE, proc / "self" / "mountinfo")
    root = tmp_path / "hostfs"
    for path, size in [("mnt/disk1/media/a.bin", 8192), ("mnt/disk1/media/b.bin", 4096),
                       ("net/nas/share.bin", 4096)]:  # fmt: skip
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(b"x" * size)
    return replace(agent_config, proc_root=proc, rootfs=root)


class Hub:
    """Stands in for the hub's answers: an outage, then answers listing the open requests (a
    request is closed by the heartbeat that answers it, as the hub does in the same commit);
    `refuse_scans` rejects heartbeats carrying a scan (a 4xx), so their results are lost."""

    def __init__(self, requests: list[dict[str, str]], down_for: int = 0) -> None:
        self.requests = requests
        self.down_for = down_for
        self.refuse_scans = False
        self.bodies: list[dict[str, Any]] = []

    def send(self, body: bytes, deadline: float | None = None) -> SendResult:
        if self.down_for > 0:
            self.down_for -= 1
            return SendResult(Outcome.RETRY_LATER, "hub down")
        heartbeat = json.loads(body)
        answered = {s["request_id"] for s in heartbeat.get("usage_scans") or []}
        if answered and self.refuse_scans:
            return SendResult(Outcome.REJECTED, "422")
        self.bodies.append(heartbeat)
        self.requests = [r for r in self.requests if r["id"] not in answered]
        answer: dict[str, object] = {"status": "ok", "usage_scan_requests": self.requests}
        return SendResult(Outcome.DELIVERED, "", answer=answer)

    def close(self) -> None:
        pass

    def scans(self) -> list[dict[str, Any]]:
        return [s for b in self.bodies for s in b.get("usage_scans") or []]


def _cycle(agent: Agent) -> None:
    agent.collect_and_spool()
    agent.deliver()


def test_a_requested_scan_arrives_in_exactly_one_later_heartbeat_even_across_an_outage(
    host: AgentConfig, gate: "Gate"
) -> None:
    hub = Hub([{"id": "r1", "mount_point": "/mnt/disk1"}])
    agent = Agent(host, collectors={}, client=hub)
    agent.usage = _scanner(host, gate)
    _cycle(agent)  # the answer asks for the scan
    assert "usage_scans" not in hub.bodies[0]

    hub.down_for = 10**6  # the hub goes away while the scan runs
    wait_for(lambda: gate.started == ["r1"], "the scan to start")
    for _ in range(4):
        _cycle(agent)
    gate.release("r1")

    def spooled() -> bool:
        _cycle(agent)
        return b"usage_scans" in b"".join(agent.spool.read(p) or b"" for p in agent.spool.pending())

    wait_for(spooled, "the finished scan in a spooled heartbeat")
    # Older heartbeats wait before it: their answers still list r1, which is no sign of a loss.
    assert len(agent.spool.pending()) > 3
    hub.down_for = 0
    for _ in range(6):  # the hub is back and lists r1 until it reads the answer
        _cycle(agent)

    (answer,) = hub.scans()
    assert answer["request_id"] == "r1" and answer["error"] is None
    assert answer["mount_point"] == "/mnt/disk1" and answer["stopped_by"] is None
    # Host paths, not where this process sees them; sizes as du counts them there.
    disk, media = _du(host.rootfs / "mnt/disk1"), _du(host.rootfs / "mnt/disk1/media")
    assert [(d["path"], d["bytes"]) for d in answer["directories"]] == [
        ("/mnt/disk1", disk), ("/mnt/disk1/media", media),
    ]  # fmt: skip
    assert answer["entries"] == 3 and answer["total_bytes"] == disk


def _du(path: Path) -> int:
    du = ["du", "-s", "-x", "-B1", str(path)]
    return int(subprocess.run(du, capture_output=True, check=True).stdout.split()[0])


class Gate:
    """A scan that holds until released, so a test sees it running (no sleeping, no timing)."""

    def __init__(self) -> None:
        self.released: dict[str, threading.Event] = {}
        self.started: list[str] = []
        self.running = 0
        self.most_at_once = 0
        self.lock = threading.Lock()

    def release(self, request_id: str) -> None:
        self.released.setdefault(request_id, threading.Event()).set()

    def __call__(self, fs_path: str, mount_point: str, **kw: Any) -> UsageScan:
        progress: Progress = kw["progress"]
        with self.lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
            self.started.append(kw["request_id"])
        progress.entries = 7
        self.released.setdefault(kw["request_id"], threading.Event()).wait()
        with self.lock:
            self.running -= 1
        return scan(fs_path, mount_point, **kw)


@pytest.fixture
def gate() -> Iterator[Gate]:
    held = Gate()
    yield held
    for event in held.released.values():
        event.set()


def _scanner(config: AgentConfig, gate: Gate) -> UsageScanner:
    scanner = UsageScanner(config, scan_fn=gate)
    scanner.start()
    return scanner


def test_one_scan_runs_at_a_time_with_its_progress_in_each_heartbeat_built_meanwhile(
    host: AgentConfig, gate: Gate
) -> None:
    scanner = _scanner(host, gate)
    scanner.submit([ScanRequest("r1", "/mnt/disk1"), ScanRequest("r2", "/mnt/disk1")])
    wait_for(lambda: gate.started == ["r1"], "the first scan to start")

    # Built while the scan is held: a heartbeat never waits for it.
    heartbeat = build_heartbeat(host, {}, usage=scanner).to_dict()
    assert heartbeat["usage_scan_running"]["request_id"] == "r1"
    assert heartbeat["usage_scan_running"]["entries"] == 7
    assert "usage_scans" not in heartbeat
    assert gate.started == ["r1"]

    gate.release("r1")
    wait_for(lambda: gate.started == ["r1", "r2"], "the second scan to start")
    gate.release("r2")
    sent: list[str] = []
    wait_for(lambda: _collect(scanner, sent) == ["r1", "r2"], "both scans finished")
    assert gate.most_at_once == 1


def _collect(scanner: UsageScanner, sent: list[str]) -> list[str]:
    scans, _ = scanner.take()
    sent += [s.request_id or "" for s in scans or []]
    return sent


def test_a_request_already_queued_running_or_done_is_not_scanned_again(
    host: AgentConfig, gate: Gate
) -> None:
    scanner = _scanner(host, gate)
    gate.release("r1")
    scanner.submit([ScanRequest("r1", "/mnt/disk1")])
    scanner.submit([ScanRequest("r1", "/mnt/disk1")])  # queued or running
    sent: list[str] = []
    wait_for(lambda: _collect(scanner, sent) == ["r1"], "the scan")
    scanner.submit([ScanRequest("r1", "/mnt/disk1")])  # done
    gate.release("r2")
    scanner.submit([ScanRequest("r2", "/mnt/disk1")])  # a new request for the same mount
    wait_for(lambda: _collect(scanner, sent) == ["r1", "r2"], "the second scan")
    assert gate.started == ["r1", "r2"]


def _answer(scanner: UsageScanner, request_id: str) -> UsageScan:
    found: list[UsageScan] = []

    def done() -> bool:
        found.extend(scanner.take()[0] or [])
        return any(s.request_id == request_id for s in found)

    wait_for(done, f"the answer to {request_id}")
    return next(s for s in found if s.request_id == request_id)


@pytest.mark.parametrize(
    ("mount_point", "error"),
    [
        ("/net/nas", "/net/nas is a network filesystem (nfs4): scans of it are off unless "
                     "usage_scan_network_mounts in the agent config matches it"),
        ("/mnt/ssh", "/mnt/ssh is a network filesystem (fuse.sshfs): scans of it are off unless "
                     "usage_scan_network_mounts in the agent config matches it"),
        ("/srv", "/srv is not in this host's mount table"),
    ],
)  # fmt: skip
def test_a_network_filesystem_or_an_unknown_mount_is_answered_with_an_error(
    host: AgentConfig, mount_point: str, error: str
) -> None:
    scanner = UsageScanner(host)
    scanner.start()
    scanner.submit([ScanRequest("r9", mount_point)])
    answer = _answer(scanner, "r9")
    assert answer.error == error
    assert answer.directories == [] and answer.mount_point == mount_point


def test_a_windows_drive_of_wsl_over_9p_is_refused_as_a_network_share(
    host: AgentConfig,
) -> None:
    proc = host.proc_root
    (proc / "self" / "mountinfo").unlink()
    shutil.copyfile(MOUNT_TABLES / "wsl2_ubuntu.mounts", proc / "mounts")
    scanner = UsageScanner(host)
    scanner.start()
    scanner.submit([ScanRequest("r9", "/mnt/c")])
    assert _answer(scanner, "r9").error == (
        "/mnt/c is a network filesystem (9p): scans of it are off unless "
        "usage_scan_network_mounts in the agent config matches it"
    )


def test_a_mount_point_with_an_undecodable_byte_is_found_as_the_agent_reported_it(
    host: AgentConfig,
) -> None:
    # The table's "/srv/caf\\350" is the Latin-1 "café": reported (and asked for) as "caf\ufffd".
    shutil.copyfile(
        MOUNT_TABLES / "synthetic_hostile_lines.mountinfo", host.proc_root / "self" / "mountinfo"
    )
    folder = os.fsencode(host.rootfs) + b"/srv/caf\xe8"
    os.makedirs(folder)
    Path(os.fsdecode(folder + b"/menu.pdf")).write_bytes(b"m" * 9000)
    scanner = UsageScanner(host)
    scanner.start()
    scanner.submit([ScanRequest("r9", "/srv/caf\ufffd")])
    answer = _answer(scanner, "r9")
    assert answer.error is None and answer.mount_point == "/srv/caf\ufffd"
    assert answer.total_bytes == _du(Path(os.fsdecode(folder))) and answer.entries == 1


def test_in_a_container_the_hosts_table_and_root_are_scanned_and_host_paths_reported(
    host: AgentConfig,
) -> None:
    # The host at /hostfs: init's mount table (proc/1), not the container's own (proc/self).
    (host.proc_root / "1").mkdir()
    (host.proc_root / "self" / "mountinfo").rename(host.proc_root / "1" / "mountinfo")
    container = replace(host, host_root=str(host.rootfs))
    scanner = UsageScanner(container)
    scanner.start()
    scanner.submit([ScanRequest("r9", "/mnt/disk1")])
    answer = _answer(scanner, "r9")
    assert answer.error is None
    assert [d.path for d in answer.directories] == ["/mnt/disk1", "/mnt/disk1/media"]
    assert answer.total_bytes == _du(host.rootfs / "mnt/disk1")


def test_a_network_mount_the_config_names_is_scanned(host: AgentConfig) -> None:
    scanner = UsageScanner(replace(host, usage_scan_network_mounts=("/net/*",)))
    scanner.start()
    scanner.submit([ScanRequest("r9", "/net/nas")])
    answer = _answer(scanner, "r9")
    assert answer.error is None and answer.total_bytes == _du(host.rootfs / "net/nas")


def io_priority(tid: int) -> tuple[int, int]:
    """(class, level) of a thread's I/O priority, read back with ioprio_get(2)."""
    value = ioprio_syscall(1, IOPRIO_WHO_PROCESS, tid)
    return value >> IOPRIO_CLASS_SHIFT, value & ((1 << IOPRIO_CLASS_SHIFT) - 1)


def test_the_scan_thread_runs_at_idle_io_and_nice_19_and_the_others_do_not(
    host: AgentConfig,
) -> None:
    seen: dict[str, Any] = {}

    def probe(fs_path: str, mount_point: str, **kw: Any) -> UsageScan:
        tid = threading.get_native_id()
        seen["scan"] = (io_priority(tid), os.getpriority(os.PRIO_PROCESS, tid))
        return scan(fs_path, mount_point, **kw)

    scanner = UsageScanner(host, scan_fn=probe)
    scanner.start()
    scanner.submit([ScanRequest("r1", "/mnt/disk1")])
    _answer(scanner, "r1")
    tid = threading.get_native_id()
    assert seen["scan"] == ((3, 0), 19)  # IOPRIO_CLASS_IDLE, lowest CPU priority
    assert io_priority(tid)[0] != 3 and os.getpriority(os.PRIO_PROCESS, tid) < 19


def test_once_scans_nothing_even_when_the_hub_asks(host: AgentConfig) -> None:
    hub = Hub([{"id": "r1", "mount_point": "/mnt/disk1"}])
    agent = Agent(host, collectors={}, client=hub)
    assert agent.run_once()
    assert not any(t.name == "usage-scan" for t in threading.enumerate())
    assert agent.usage.take() == (None, None)


@pytest.mark.parametrize(
    ("answer", "requests"),
    [
        ({"status": "ok"}, []),
        ({"usage_scan_requests": {"id": "r1"}}, []),
        ({"usage_scan_requests": [{"id": "r1", "mount_point": "/srv"}, "r2",
                                  {"id": 3, "mount_point": "/srv"},
                                  {"id": "r4", "mount_point": "srv"},
                                  {"id": "x" * 65, "mount_point": "/srv"},
                                  {"id": "r6", "mount_point": "/" + "a" * 4096}]},
         [ScanRequest("r1", "/srv")]),
    ],
)  # fmt: skip
def test_only_well_formed_requests_of_the_answer_are_taken(
    answer: dict[str, Any], requests: list[ScanRequest]
) -> None:
    assert parse_requests(answer) == requests


def test_the_hub_client_hands_back_the_answer_of_a_delivered_heartbeat_only() -> None:
    answers = iter([
        httpx.Response(200, json={"status": "ok", "usage_scan_requests": [
            {"id": "r1", "mount_point": "/srv"}]}),
        httpx.Response(503, json={"status": "ok", "usage_scan_requests": []}),
    ])  # fmt: skip
    client = HubClient(
        "http://hub", "k" * 20, retries=0, transport=httpx.MockTransport(lambda _r: next(answers))
    )
    delivered, refused = client.send(b"{}"), client.send(b"{}")
    assert parse_requests(delivered.answer) == [ScanRequest("r1", "/srv")]
    assert refused.outcome is Outcome.RETRY_LATER and refused.answer is None


def test_large_scans_are_spread_over_heartbeats_so_each_stays_small(host: AgentConfig) -> None:
    long_named_tree(host.rootfs / "mnt/disk1")
    scanner = UsageScanner(host)
    scanner.start()
    scanner.submit([ScanRequest(f"r{i}", "/mnt/disk1") for i in range(3)])
    batches: list[list[int]] = []

    def taken() -> int:
        scans = scanner.take()[0] or []
        if scans:
            batches.append([len(json.dumps(s.to_dict()).encode()) for s in scans])
        return sum(len(batch) for batch in batches)

    wait_for(lambda: taken() == 3, "the three scans")
    assert all(sum(batch) <= 512 * 1024 for batch in batches)
    assert all(size > 128 * 1024 for batch in batches for size in batch)  # large ones indeed


def test_the_walk_stops_at_the_mount_points_below_the_requested_one(host: AgentConfig) -> None:
    # A mount below /mnt/disk1 in the host's table: the walk stops there, whatever the device
    # numbers (here the fixture's directories all share one device, as a bind mount would).
    table = host.proc_root / "self" / "mountinfo"
    table.write_text(
        table.read_text() + "90 27 9:1 /media /mnt/disk1/bound rw - xfs /dev/md1p1 rw\n"
    )
    (host.rootfs / "mnt/disk1/bound").mkdir()
    (host.rootfs / "mnt/disk1/bound/copy.bin").write_bytes(b"x" * 8192)
    scanner = UsageScanner(host)
    scanner.start()
    scanner.submit([ScanRequest("r9", "/mnt/disk1")])
    answer = _answer(scanner, "r9")
    assert answer.error is None and answer.entries == 4  # media, a.bin, b.bin; bound met
    assert [d.path for d in answer.directories] == ["/mnt/disk1", "/mnt/disk1/media"]
    bound = host.rootfs / "mnt/disk1/bound"
    assert answer.total_bytes == _du(host.rootfs / "mnt/disk1") - _du(bound) > 0


def test_a_mount_that_does_not_answer_statvfs_is_answered_with_an_error_unwalked(
    host: AgentConfig, release_gates: Callable[[threading.Event], threading.Event]
) -> None:
    # A hung NFS server cannot be had here: statvfs is a stand-in that blocks until released,
    # behind the agent's real deadline-bounded prober.
    share = str(host.rootfs / "net/nas")
    fake = FakeStatvfs({share: release_gates(threading.Event())})
    walked: list[str] = []

    def walk(fs_path: str, mount_point: str, **kw: Any) -> UsageScan:
        walked.append(mount_point)
        return scan(fs_path, mount_point, **kw)

    config = replace(host, usage_scan_network_mounts=("/net/*",), statvfs_timeout=0.2)
    scanner = UsageScanner(config, scan_fn=walk, prober=StatvfsProber(fake, timeout=0.2))
    scanner.start()
    scanner.submit([ScanRequest("r1", "/net/nas")])
    assert _answer(scanner, "r1").error == (
        "/net/nas does not answer (statvfs within 0.2 s): not scanned"
    )
    # Known stuck now: the next request is answered without asking the share again.
    scanner.submit([ScanRequest("r2", "/net/nas")])
    assert _answer(scanner, "r2").error == _answer_error("/net/nas")
    assert fake.calls == [share] and walked == []


def _answer_error(mount_point: str) -> str:
    return f"{mount_point} does not answer (statvfs within 0.2 s): not scanned"


def test_a_mount_an_earlier_run_left_stuck_is_not_walked(host: AgentConfig) -> None:
    # The stuck-mounts file of the spool folder names a live helper holding a call on the share.
    disk = str(host.rootfs / "mnt/disk1")
    host.spool_dir.mkdir(parents=True, exist_ok=True)
    memory = StuckMemory(host.spool_dir, lambda: 4242, alive=lambda pid: pid == 4242)
    memory.remember(disk, None)
    fake = FakeStatvfs({}, default=statvfs_result(blocks=100, bfree=50, bavail=40))
    prober = StatvfsProber(fake, timeout=0.2, memory=memory)
    scanner = UsageScanner(replace(host, statvfs_timeout=0.2), prober=prober)
    scanner.start()
    scanner.submit([ScanRequest("r1", "/mnt/disk1")])
    assert _answer(scanner, "r1").error == _answer_error("/mnt/disk1")
    assert fake.calls == []


class Clock:
    """The runner's monotonic clock, moved by the test (no waiting for a real hang)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_scan_hung_mid_walk_shows_as_running_and_no_request_waits_behind_it(
    host: AgentConfig, gate: Gate
) -> None:
    # A system call that never returns cannot be made here without a dead server: the gate
    # holds the scan as one would, and the clock moves past its time budget.
    clock = Clock()
    config = replace(host, usage_scan_time_budget=300.0)
    scanner = UsageScanner(config, scan_fn=gate, clock=clock)
    scanner.start()
    scanner.submit([ScanRequest("r1", "/mnt/disk1"), ScanRequest("r2", "/mnt/disk1")])
    wait_for(lambda: gate.started == ["r1"], "the scan to start")
    clock.now += 300.0 + STUCK_GRACE_SECONDS - 1
    scanner.submit([ScanRequest("r3", "/mnt/disk1")])
    scans, running = scanner.take()
    assert scans is None  # not overdue yet: r2 and r3 wait

    clock.now += 2
    scanner.submit([ScanRequest("r3", "/mnt/disk1"), ScanRequest("r4", "/mnt/disk1")])
    scans, running = scanner.take()

    assert [s.request_id for s in scans or []] == ["r2", "r3", "r4"]
    assert running is not None and running.request_id == "r1"
    error = (scans or [])[0].error or ""
    assert error.startswith(f"the scan of /mnt/disk1 started at {running.started_at} has not ")
    assert gate.started == ["r1"]
    # Once the call returns, scans run again.
    gate.release("r1")
    gate.release("r5")
    wait_for(lambda: scanner.take()[1] is None, "the hung scan to end")
    scanner.submit([ScanRequest("r5", "/mnt/disk1")])
    assert _answer(scanner, "r5").error is None


def _counting(started: list[str]) -> Callable[..., UsageScan]:
    def walk(fs_path: str, mount_point: str, **kw: Any) -> UsageScan:
        started.append(kw["request_id"])
        return scan(fs_path, mount_point, **kw)

    return walk


def test_a_result_the_hub_never_got_is_scanned_again_a_bounded_number_of_times(
    host: AgentConfig,
) -> None:
    hub = Hub([{"id": "r1", "mount_point": "/mnt/disk1"}])
    hub.refuse_scans = True  # each heartbeat carrying the result is rejected (a 4xx): lost
    started: list[str] = []
    agent = Agent(host, collectors={}, client=hub)
    agent.usage = UsageScanner(host, scan_fn=_counting(started))
    agent.usage.start()

    def scanned(times: int, request_id: str) -> Callable[[], bool]:
        def check() -> bool:
            _cycle(agent)
            return started.count(request_id) == times

        return check

    wait_for(scanned(1 + MAX_RESCANS, "r1"), "the rescans")
    for _ in range(3 * RELISTED_BEFORE_RESCAN):
        _cycle(agent)
    assert started == ["r1"] * (1 + MAX_RESCANS)  # bounded: the hub's request expires

    # Delivered at last (a later request): answered once, never scanned again.
    hub.refuse_scans = False
    hub.requests = [{"id": "r2", "mount_point": "/mnt/disk1"}]
    wait_for(scanned(1, "r2"), "the scan of r2")
    for _ in range(3 * RELISTED_BEFORE_RESCAN):
        _cycle(agent)
    assert started.count("r2") == 1 and [s["request_id"] for s in hub.scans()] == ["r2"]


def _all_in(items: list[str], found: list[str]) -> Callable[[], bool]:
    return lambda: all(i in found for i in items)


def test_a_result_dropped_before_any_heartbeat_took_it_is_scanned_again(
    host: AgentConfig,
) -> None:
    started: list[str] = []
    scanner = UsageScanner(host, scan_fn=_counting(started))
    scanner.start()
    ids = [f"r{i}" for i in range(MAX_FINISHED + 1)]
    for batch in range(0, len(ids), MAX_QUEUED):  # no heartbeat takes them meanwhile
        chunk = ids[batch : batch + MAX_QUEUED]
        scanner.submit([ScanRequest(i, "/mnt/disk1") for i in chunk])
        wait_for(_all_in(chunk, started), "the batch")
    wait_for(lambda: scanner.take()[1] is None, "the last scan to end")

    scanner.submit([ScanRequest(i, "/mnt/disk1") for i in ids[:2]])  # the hub lists them still
    assert _answer(scanner, "r0").error is None
    assert started.count("r0") == 2 and started.count("r1") == 1  # r1 was kept, and sent

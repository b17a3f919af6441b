"""Scans the hub asked for: queued, run one at a time on a background thread at idle priority.

The delivery thread hands over the requests of each hub answer (`usage_scan_requests`); the
collection thread takes finished scans and the progress of the running one when it builds a
heartbeat. Neither ever waits for a scan: both only touch a queue under a lock. A finished scan
goes into exactly one heartbeat, which is spooled like any other, so it survives an outage.

A request id is remembered from when it is queued until its result has left the spool; then it
is forgotten, and when the hub still lists it a few answers later (the result was lost: dropped
from a full spool, refused with a 4xx) it is scanned again, a bounded number of times.

A mount is asked for statvfs through the agent's deadline-bounded prober before it is walked:
one that does not answer (or that the agent already knows is stuck) is answered with `error`.
A filesystem that hangs in the middle of the walk holds the scan thread (a blocked system call
cannot be interrupted from Python): the heartbeat keeps reporting the scan as running from its
start time, and once it is overdue (its time budget and STUCK_GRACE_SECONDS past) every request,
queued or new, is answered with `error` rather than left waiting behind it.
"""

from __future__ import annotations

import json
import logging
import os
import stat
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from homelab_agent.collectors.filesystems import host_path, mount_identity
from homelab_agent.config import AgentConfig
from homelab_agent.delivery.spool import SUFFIX as SPOOL_SUFFIX
from homelab_agent.filesystems.filtering import is_network, matching_pattern
from homelab_agent.filesystems.mounts import Mount, clean_text, read_mount_table
from homelab_agent.filesystems.probing import shared_prober
from homelab_agent.filesystems.statfs import StatvfsProber
from homelab_agent.usage.model import UsageScan, UsageScanRunning, utc_stamp
from homelab_agent.usage.priority import lower_thread_priority
from homelab_agent.usage.scan import Budgets, Progress, ScanCancelled, failed, mounts_below, scan

log = logging.getLogger(__name__)

# The hub's limits (ADR 0005): request ids up to 64 characters, 4 scans a heartbeat.
MAX_REQUEST_ID_CHARS = 64
MAX_MOUNT_POINT_CHARS = 4096
MAX_SCANS_PER_HEARTBEAT = 4
# Requests taken from one answer, waiting at once, and ids remembered as already handled. The hub
# lists every open request in every answer, so one not taken now is offered again later.
MAX_REQUESTS_PER_ANSWER = 32
MAX_QUEUED = 8
MAX_REMEMBERED = 512
MAX_FINISHED = 16
# Scans one heartbeat carries at most, as JSON (each is at most 256 KiB, tree.MAX_WIRE_BYTES):
# well below the hub's 1 MiB body limit with the rest of the heartbeat.
MAX_SCANS_WIRE_BYTES = 512 * 1024
# Shares reached through a hypervisor or Windows (virtio-9p, WSL's drvfs): as slow to walk as a
# network share, though their source names no server (filesystems/filtering.py's rule).
REMOTE_FS_TYPES = frozenset({"9p"})
# A scan still running this long after its time budget is held by a call that does not return.
STUCK_GRACE_SECONDS = 120.0
# An answered request the hub still lists in this many answers to heartbeats sent after its
# result left the spool lost its result: it is scanned again, at most MAX_RESCANS times.
RELISTED_BEFORE_RESCAN = 3
MAX_RESCANS = 2


@dataclass(frozen=True, slots=True)
class ScanRequest:
    """One scan the hub asked for."""

    id: str
    mount_point: str


def parse_requests(answer: Mapping[str, object] | None) -> list[ScanRequest]:
    """The well-formed `usage_scan_requests` of a hub answer; anything else is ignored."""
    items = (answer or {}).get("usage_scan_requests")
    if not isinstance(items, list):
        return []
    requests = []
    for item in items[:MAX_REQUESTS_PER_ANSWER]:
        if not isinstance(item, dict):
            continue
        rid, mount_point = item.get("id"), item.get("mount_point")
        if (
            isinstance(rid, str)
            and 0 < len(rid) <= MAX_REQUEST_ID_CHARS
            and isinstance(mount_point, str)
            and mount_point.startswith("/")
            and len(mount_point) <= MAX_MOUNT_POINT_CHARS
        ):
            requests.append(ScanRequest(rid, mount_point))
    return requests


def budgets_from(config: AgentConfig) -> Budgets:
    """The scan budgets the config sets."""
    return Budgets(
        time_seconds=config.usage_scan_time_budget, entries=config.usage_scan_entry_budget
    )


def resolve(mount_point: str, mounts: Iterable[Mount], config: AgentConfig) -> Mount | str:
    """The mount to scan for a requested mount point, or why it may not be scanned."""
    # The hub knows the mount point as the agent sent it (clean_text); the walk needs it as
    # the kernel has it, undecodable bytes and all.
    here = [m for m in mounts if clean_text(m.mount_point) == mount_point]
    if not here:
        return f"{mount_point} is not in this host's mount table"
    mount = here[-1]  # the one mounted last is the one seen there
    remote = is_network(mount) or mount.fs_type in REMOTE_FS_TYPES
    if remote and not matching_pattern(mount_point, config.usage_scan_network_mounts):
        return (
            f"{mount_point} is a network filesystem ({clean_text(mount.fs_type)}): scans of it "
            "are off unless usage_scan_network_mounts in the agent config matches it"
        )
    return mount


def spooled(directory: Path) -> deque[Path]:
    """The heartbeats waiting in the spool (as the spool lists them: this agent's own regular
    files), oldest first."""
    found = []
    uid = os.geteuid()
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return deque()
    for entry in entries:
        name = entry.name
        if not (name.endswith(SPOOL_SUFFIX) and name[: -len(SPOOL_SUFFIX)].isdigit()):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode) and info.st_uid == uid:
            found.append((int(name[: -len(SPOOL_SUFFIX)]), Path(entry.path)))
    return deque(path for _, path in sorted(found))


@dataclass(slots=True)
class _Sent:
    """A result handed to a heartbeat, until the hub's answers show whether it arrived."""

    request: ScanRequest
    # Heartbeats spooled before the one carrying the result (shared by the results of one
    # heartbeat): while one is left, an answer may be to it, and listing the request is no sign.
    older: deque[Path]
    rescans: int
    relisted: int = 0


@dataclass(slots=True)
class _Running:
    request: ScanRequest
    started_at: str
    began: float
    progress: Progress = field(default_factory=Progress)


class UsageScanner:
    """The agent's scan queue and its one worker thread."""

    def __init__(
        self,
        config: AgentConfig,
        *,
        read_mounts: Callable[[], list[Mount]] | None = None,
        scan_fn: Callable[..., UsageScan] = scan,
        prober: StatvfsProber | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        # The host's table (init's, when the host is seen at host_root), as the collector reads.
        self._read_mounts = read_mounts or (
            lambda: read_mount_table(config.proc_root, config.mount_table_pid)
        )
        self._scan = scan_fn
        self._prober = prober
        self._clock = clock
        self._lock = threading.Lock()
        self._queue: deque[ScanRequest] = deque()
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._sent: OrderedDict[str, _Sent] = OrderedDict()
        self._rescans: dict[str, int] = {}
        self._finished: deque[UsageScan] = deque()
        self._running: _Running | None = None
        self._worker: threading.Thread | None = None
        self._accepting = False
        self._stop = threading.Event()
        self._warned_priority = False

    def start(self) -> None:
        """Take requests from now on (the long-running agent only; `--once` scans nothing)."""
        self._accepting = True

    def stop(self) -> None:
        """Take no more requests and abandon the running scan."""
        self._accepting = False
        self._stop.set()

    def submit(self, requests: Iterable[ScanRequest]) -> None:
        """Queue the requests not seen before (one hub answer's); returns at once."""
        requests = list(requests)
        with self._lock:
            if not self._accepting:
                return
            self._check_sent(requests)
            stuck = self._stuck()
            if stuck is not None:  # nothing would run behind it: answer now, queue nothing
                while self._queue:
                    self._refuse(self._queue.popleft(), stuck)
            for request in requests:
                if request.id in self._seen or request.id in self._sent:
                    continue
                if stuck is None and len(self._queue) >= MAX_QUEUED:
                    continue
                self._remember(request.id)
                if stuck is not None:
                    self._refuse(request, stuck)
                else:
                    self._queue.append(request)
            if self._queue and self._worker is None:
                self._worker = threading.Thread(target=self._work, name="usage-scan", daemon=True)
                self._worker.start()

    def _remember(self, request_id: str) -> None:
        self._seen[request_id] = None
        while len(self._seen) > MAX_REMEMBERED:
            self._seen.popitem(last=False)

    def _stuck(self) -> str | None:
        """Why no scan can run now: the running one is long past its time budget; or None."""
        running = self._running
        if running is None:
            return None
        overdue = self.config.usage_scan_time_budget + STUCK_GRACE_SECONDS
        if self._clock() - running.began < overdue:
            return None
        return (
            f"the scan of {running.request.mount_point} started at {running.started_at} has not "
            "returned (a filesystem that stopped answering holds it); no scan runs until it "
            "returns or the agent restarts"
        )

    def _refuse(self, request: ScanRequest, why: str) -> None:
        log.warning("usage scan of %s refused: %s", request.mount_point, why)
        self._finished.append(failed(request.mount_point, request.id, why))
        self._bound_finished()

    def _bound_finished(self) -> None:
        while len(self._finished) > MAX_FINISHED:
            dropped = self._finished.popleft()
            log.warning("usage scan of %s not sent: too many waiting", dropped.mount_point)
            if dropped.request_id is not None:  # the hub lists it again: scanned again then
                self._seen.pop(dropped.request_id, None)

    def _check_sent(self, requests: list[ScanRequest]) -> None:
        """Forget answered requests the hub has closed; scan again those whose result it lost."""
        listed = {r.id for r in requests}
        complete = len(requests) < MAX_REQUESTS_PER_ANSWER  # else an absent id may be cut off
        for request_id, sent in list(self._sent.items()):
            while sent.older and not os.path.lexists(sent.older[0]):
                sent.older.popleft()
            if sent.older:
                continue  # this answer may be to a heartbeat sent before the result's
            if request_id not in listed:
                if complete:  # the hub has it (or gave up): done with it
                    del self._sent[request_id]
                    self._rescans.pop(request_id, None)
                continue
            sent.relisted += 1
            if sent.relisted < RELISTED_BEFORE_RESCAN:
                continue
            del self._sent[request_id]
            if sent.rescans >= MAX_RESCANS:
                log.warning(
                    "usage scan %s of %s: the hub has not received its result after %d scans; "
                    "not scanned again",
                    request_id, sent.request.mount_point, sent.rescans + 1,
                )  # fmt: skip
                self._remember(request_id)
                self._rescans.pop(request_id, None)
                continue
            log.warning(
                "usage scan %s of %s: the hub still asks for it after its result was sent "
                "(lost on the way): scanning again",
                request_id, sent.request.mount_point,
            )  # fmt: skip
            self._rescans[request_id] = sent.rescans + 1
            self._seen.pop(request_id, None)  # the request, in this same answer, queues it

    def take(self) -> tuple[list[UsageScan] | None, UsageScanRunning | None]:
        """Finished scans not sent yet (each handed out once) and the running one's progress."""
        with self._lock:
            scans: list[UsageScan] = []
            size = 0
            while self._finished and len(scans) < MAX_SCANS_PER_HEARTBEAT:
                size += len(json.dumps(self._finished[0].to_dict(), ensure_ascii=False).encode())
                if scans and size > MAX_SCANS_WIRE_BYTES:
                    break  # the next heartbeat takes it
                scans.append(self._finished.popleft())
            self._hand_over(scans)
            running = None
            if self._running is not None:
                r = self._running
                running = UsageScanRunning(
                    r.request.mount_point, r.request.id, r.started_at, r.progress.entries
                )
        return scans or None, running

    def _hand_over(self, scans: list[UsageScan]) -> None:
        """The requests answered by the heartbeat being built: from remembered to sent."""
        answered = [s for s in scans if s.request_id is not None]
        if not answered:
            return
        # The heartbeat carrying them is spooled after every one waiting now (the spool's names
        # grow strictly), so these are the answers to come before its own.
        older = spooled(self.config.spool_dir)
        for result in answered:
            rid = result.request_id
            assert rid is not None
            self._seen.pop(rid, None)
            request = ScanRequest(rid, result.mount_point)
            self._sent[rid] = _Sent(request, older, self._rescans.get(rid, 0))
            while len(self._sent) > MAX_REMEMBERED:
                self._sent.popitem(last=False)

    def _work(self) -> None:
        problems = lower_thread_priority()
        if problems and not self._warned_priority:
            self._warned_priority = True
            log.warning("usage scans: %s", "; ".join(problems))
        while not self._stop.is_set():
            with self._lock:
                if not self._queue:
                    self._worker = None
                    return
                request = self._queue.popleft()
                progress = Progress(cancel=self._stop.is_set)
                started_at = utc_stamp(datetime.now(UTC))
                self._running = _Running(request, started_at, self._clock(), progress)
            result: UsageScan | None = None
            try:
                result = self._run(request, progress)
            except ScanCancelled:
                pass  # the agent is stopping; the hub asks again after the restart
            except Exception as exc:  # a scan that breaks must still answer the hub
                log.exception("usage scan of %s failed", request.mount_point)
                result = failed(request.mount_point, request.id, f"scan failed: {exc}")
            with self._lock:
                self._running = None
                if result is None:
                    return
                self._finished.append(result)
                self._bound_finished()

    def _run(self, request: ScanRequest, progress: Progress) -> UsageScan:
        table = self._read_mounts()
        mount = resolve(request.mount_point, table, self.config)
        if isinstance(mount, str):
            log.warning("usage scan refused: %s", mount)
            return failed(request.mount_point, request.id, mount)
        fs_path = host_path(self.config.rootfs, mount.mount_point)
        prober = self._prober or shared_prober(self.config)
        (probe,) = prober.probe([fs_path], {fs_path: mount_identity(mount)})
        if probe.unreachable:  # hung (now or in an earlier call the agent knows of), or gone
            why = (
                f"{request.mount_point} does not answer (statvfs within "
                f"{self.config.statvfs_timeout:g} s): not scanned"
            )
            log.warning("usage scan refused: %s", why)
            return failed(request.mount_point, request.id, why)
        # Where the walk stops: every mount point below this one in the same table.
        points = [m.mount_point for m in table]
        below = [host_path(self.config.rootfs, m) for m in mounts_below(mount.mount_point, points)]
        log.info("usage scan of %s started (request %s)", request.mount_point, request.id)
        result = self._scan(
            fs_path,
            request.mount_point,
            budgets=budgets_from(self.config),
            progress=progress,
            request_id=request.id,
            mounts=below,
        )
        log.info(
            "usage scan of %s: %d entries in %.1f s%s",
            request.mount_point, result.entries, result.duration_seconds,
            f", stopped by the {result.stopped_by} budget" if result.stopped_by else "",
        )  # fmt: skip
        return result

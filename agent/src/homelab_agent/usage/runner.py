"""Scans the hub asked for: queued, run one at a time on a background thread at idle priority.

The delivery thread hands over the requests of each hub answer (`usage_scan_requests`); the
collection thread takes finished scans and the progress of the running one when it builds a
heartbeat. Neither ever waits for a scan: both only touch a queue under a lock. A finished scan
goes into exactly one heartbeat, which is spooled like any other, so it survives an outage.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict, deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime

from homelab_agent.collectors.filesystems import host_path
from homelab_agent.config import AgentConfig
from homelab_agent.filesystems.filtering import is_network, matching_pattern
from homelab_agent.filesystems.mounts import Mount, clean_text, read_mount_table
from homelab_agent.usage.model import UsageScan, UsageScanRunning, utc_stamp
from homelab_agent.usage.priority import lower_thread_priority
from homelab_agent.usage.scan import Budgets, Progress, ScanCancelled, failed, scan

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


class UsageScanner:
    """The agent's scan queue and its one worker thread."""

    def __init__(
        self,
        config: AgentConfig,
        *,
        read_mounts: Callable[[], list[Mount]] | None = None,
        scan_fn: Callable[..., UsageScan] = scan,
    ) -> None:
        self.config = config
        # The host's table (init's, when the host is seen at host_root), as the collector reads.
        self._read_mounts = read_mounts or (
            lambda: read_mount_table(config.proc_root, config.mount_table_pid)
        )
        self._scan = scan_fn
        self._lock = threading.Lock()
        self._queue: deque[ScanRequest] = deque()
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._finished: deque[UsageScan] = deque()
        self._running: tuple[ScanRequest, str, Progress] | None = None
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
        """Queue the requests not seen before; returns at once."""
        with self._lock:
            if not self._accepting:
                return
            for request in requests:
                if request.id in self._seen or len(self._queue) >= MAX_QUEUED:
                    continue
                self._seen[request.id] = None
                while len(self._seen) > MAX_REMEMBERED:
                    self._seen.popitem(last=False)
                self._queue.append(request)
            if self._queue and self._worker is None:
                self._worker = threading.Thread(target=self._work, name="usage-scan", daemon=True)
                self._worker.start()

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
            running = None
            if self._running is not None:
                request, started_at, progress = self._running
                running = UsageScanRunning(
                    request.mount_point, request.id, started_at, progress.entries
                )
        return scans or None, running

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
                self._running = (request, utc_stamp(datetime.now(UTC)), progress)
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
                while len(self._finished) > MAX_FINISHED:
                    dropped = self._finished.popleft()
                    log.warning("usage scan of %s not sent: too many waiting", dropped.mount_point)

    def _run(self, request: ScanRequest, progress: Progress) -> UsageScan:
        mount = resolve(request.mount_point, self._read_mounts(), self.config)
        if isinstance(mount, str):
            log.warning("usage scan refused: %s", mount)
            return failed(request.mount_point, request.id, mount)
        log.info("usage scan of %s started (request %s)", request.mount_point, request.id)
        result = self._scan(
            host_path(self.config.rootfs, mount.mount_point),
            request.mount_point,
            budgets=budgets_from(self.config),
            progress=progress,
            request_id=request.id,
        )
        log.info(
            "usage scan of %s: %d entries in %.1f s%s",
            request.mount_point, result.entries, result.duration_seconds,
            f", stopped by the {result.stopped_by} budget" if result.stopped_by else "",
        )  # fmt: skip
        return result

"""The statvfs helper process: the agent's only process that touches mounts.

A statvfs on a dead NFS server or a hung FUSE daemon can block in the kernel for good, and a
thread blocked there keeps its process from exiting. The agent therefore asks this helper,
which it can abandon: the agent itself never blocks in the kernel on a mount, so it exits and
restarts cleanly, and only the abandoned helper waits on the dead mount.

Protocol (one JSON object a line): requests `{"id": n, "path": p}` on stdin; answers
`{"id": n, "statvfs": [f_bsize, f_frsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree,
f_favail, f_flag, f_namemax]}` or `{"id": n, "errno": e, "message": m}` on stdout, in the order
calls finish. Each path is probed on its own thread, so one stuck mount delays no other.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from typing import TextIO

READY = '{"ready": true}'
FIELDS = ("f_bsize", "f_frsize", "f_blocks", "f_bfree", "f_bavail", "f_files", "f_ffree",
          "f_favail", "f_flag", "f_namemax")  # fmt: skip


def _probe(request_id: int, path: str, out: TextIO, lock: threading.Lock) -> None:
    try:
        st = os.statvfs(path)
        answer: dict[str, object] = {"id": request_id, "statvfs": [getattr(st, f) for f in FIELDS]}
    except OSError as exc:
        answer = {"id": request_id, "errno": exc.errno or 0, "message": exc.strerror or str(exc)}
    with lock:
        out.write(json.dumps(answer) + "\n")
        out.flush()


def serve(requests: TextIO, out: TextIO) -> None:
    """Answer requests until stdin closes."""
    lock = threading.Lock()
    with lock:  # the agent's deadlines start once the helper is up
        out.write(READY + "\n")
        out.flush()
    for line in requests:
        try:
            request = json.loads(line)
            request_id, path = int(request["id"]), str(request["path"])
        except (ValueError, KeyError, TypeError):
            continue
        threading.Thread(target=_probe, args=(request_id, path, out, lock), daemon=True).start()


def main() -> None:
    serve(sys.stdin, sys.stdout)
    # Stuck probes may still hold threads in the kernel: leave without waiting for them.
    os._exit(0)


if __name__ == "__main__":
    main()

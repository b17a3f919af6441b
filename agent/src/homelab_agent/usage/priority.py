"""Idle I/O priority and the lowest CPU priority for the calling thread only.

Linux keeps both per thread: ioprio_set(2) with IOPRIO_WHO_PROCESS and a thread id, and
setpriority(2) with PRIO_PROCESS and a thread id, change that thread alone, so the agent's
collection and delivery threads keep their priority while a scan runs. The idle I/O class is
honoured by the BFQ (and old CFQ) schedulers; with `mq-deadline` or `none` it is accepted and
ignored, and the time budget is what bounds a scan.
"""

from __future__ import annotations

import ctypes
import os
import platform
import struct
import threading

IOPRIO_CLASS_IDLE = 3
IOPRIO_CLASS_SHIFT = 13
IOPRIO_WHO_PROCESS = 1
LOWEST_NICE = 19
# ioprio_set by architecture (ioprio_get is the next number on each); not in Python's os module.
IOPRIO_SET = {
    "x86_64": 251, "i386": 289, "i686": 289, "aarch64": 30, "arm64": 30, "riscv64": 30,
    "loongarch64": 30, "armv6l": 314, "armv7l": 314, "armv8l": 314, "ppc64le": 273,
    "ppc64": 273, "s390x": 282,
}  # fmt: skip
# A 32-bit userland on a 64-bit kernel (Raspberry Pi OS on a Pi 4 or 5, i386 Debian on amd64):
# uname names the kernel's machine, but the process calls through the 32-bit table (arm EABI
# 314, i386 289; ppc and s390 have the same numbers in both).
IOPRIO_SET_32BIT_ON_64BIT_KERNEL = {"aarch64": 314, "arm64": 314, "x86_64": 289}


def ioprio_set_number(machine: str, pointer_bytes: int) -> int | None:
    """ioprio_set's number for a process of this pointer size on a kernel of this machine."""
    if pointer_bytes == 4 and machine in IOPRIO_SET_32BIT_ON_64BIT_KERNEL:
        return IOPRIO_SET_32BIT_ON_64BIT_KERNEL[machine]
    return IOPRIO_SET.get(machine)


def ioprio_syscall(offset: int, *args: int) -> int:
    """ioprio_set (offset 0) or ioprio_get (offset 1); OSError when it fails."""
    number = ioprio_set_number(platform.machine(), struct.calcsize("P"))
    if number is None:
        raise OSError(f"ioprio syscalls unknown on {platform.machine()}")
    libc = ctypes.CDLL(None, use_errno=True)
    result = int(libc.syscall(number + offset, *args))
    if result < 0:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))
    return result


def lower_thread_priority() -> list[str]:
    """Put the calling thread at idle I/O and nice 19; what could not be done, as text."""
    tid = threading.get_native_id()
    problems = []
    try:
        ioprio_syscall(0, IOPRIO_WHO_PROCESS, tid, IOPRIO_CLASS_IDLE << IOPRIO_CLASS_SHIFT)
    except OSError as exc:
        problems.append(f"idle I/O priority not set: {exc}")
    try:
        os.setpriority(os.PRIO_PROCESS, tid, LOWEST_NICE)
    except OSError as exc:
        problems.append(f"nice {LOWEST_NICE} not set: {exc}")
    return problems

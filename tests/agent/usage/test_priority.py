"""ioprio_set's number follows the process's own ABI, not only the kernel's machine name.

A 32-bit userland on a 64-bit kernel cannot be run here: the choice is checked against the
kernel's syscall tables (arch/arm/tools/syscall.tbl, arch/x86/entry/syscalls/syscall_32.tbl),
and the number this process uses is checked by a real ioprio_get round trip in test_runner.py.
"""

import platform
import struct

import pytest

from homelab_agent.usage.priority import ioprio_set_number


@pytest.mark.parametrize(
    ("machine", "pointer_bytes", "number"),
    [
        ("aarch64", 8, 30),  # 64-bit Raspberry Pi OS, Debian arm64
        ("aarch64", 4, 314),  # 32-bit Raspberry Pi OS on a 64-bit kernel (Pi 4, Pi 5)
        ("armv7l", 4, 314),
        ("x86_64", 8, 251),
        ("x86_64", 4, 289),  # i386 userland on an amd64 kernel
        ("i686", 4, 289),
        ("ppc64le", 8, 273),
        ("s390x", 8, 282),
        ("mips", 4, None),
    ],
)
def test_the_syscall_number_is_the_one_of_the_processs_abi(
    machine: str, pointer_bytes: int, number: int | None
) -> None:
    assert ioprio_set_number(machine, pointer_bytes) == number


def test_this_process_gets_a_number() -> None:
    assert ioprio_set_number(platform.machine(), struct.calcsize("P")) is not None

"""Freed memory handed back after a burst of heartbeat data (glibc's malloc_trim)."""

import asyncio
import platform
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine

from homelab_cmd.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.services.ingest.memory import Trimmer
from homelab_cmd.services.ingest.writer import HeartbeatWriter
from tests.factories import heartbeat_payload
from tests.notify_sinks import wait_for


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_the_real_malloc_trim_runs_once_enough_data_was_stored() -> None:
    trimmer = Trimmer(after_filesystems=100)
    trimmer.stored(60)
    assert not trimmer.due
    trimmer.stored(40)
    assert trimmer.due

    trimmer.trim()  # glibc's own call, on this process's heap

    assert not trimmer.due


def test_without_malloc_trim_nothing_is_ever_due() -> None:
    trimmer = Trimmer(after_filesystems=1)
    trimmer._trim = None  # as on musl or macOS, whose C library has no such call
    trimmer.stored(10)

    assert not trimmer.due
    trimmer.trim()


def test_the_writer_trims_once_idle_after_a_burst(engine: Engine) -> None:
    # A recorder stands in for malloc_trim: what it frees cannot be observed deterministically.
    calls: list[int] = []

    def trim(pad: int) -> int:
        calls.append(pad)
        return 1

    writer = HeartbeatWriter(engine, max_clock_skew_seconds=300, deadline_seconds=120)
    writer._trimmer = Trimmer(after_filesystems=2, trim=trim)
    writer.start()
    try:
        beat = HeartbeatRequest.model_validate(heartbeat_payload(timestamp=datetime.now(UTC)))
        asyncio.run(writer.submit(beat))  # two filesystems: the burst
        wait_for(lambda: calls == [0], "a trim once the writer is idle")
    finally:
        writer.stop()

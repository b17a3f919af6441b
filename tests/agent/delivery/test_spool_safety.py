"""The spool is the agent's own: 0700, no symlinks followed, no other user's files read."""

import logging
import os
import stat
from pathlib import Path

import pytest

from homelab_agent.delivery.spool import Spool, SpoolError
from homelab_agent.delivery.transport import Outcome, SendResult

NOBODY = 65534
AS_ROOT = pytest.mark.skipif(os.geteuid() != 0, reason="making another user's file needs root")


def _deliver_all(sent: list[bytes]) -> object:
    def send(body: bytes) -> SendResult:
        sent.append(body)
        return SendResult(Outcome.DELIVERED, "HTTP 200")

    return send


def test_the_spool_folder_is_created_0700(tmp_path: Path) -> None:
    Spool(tmp_path / "state" / "spool")

    assert stat.S_IMODE((tmp_path / "state" / "spool").stat().st_mode) == 0o700


def test_an_existing_open_folder_is_closed_to_others(tmp_path: Path) -> None:
    folder = tmp_path / "spool"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)

    Spool(folder)

    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_spool_folder_that_is_a_symlink_is_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "spool").symlink_to(tmp_path / "elsewhere")

    with pytest.raises(SpoolError, match="not a plain folder"):
        Spool(tmp_path / "spool")


def test_a_symlink_planted_in_the_spool_is_not_read_nor_removed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    secret = tmp_path / "shadow"
    secret.write_bytes(b"root:secret-hash")
    spool = Spool(tmp_path / "spool")
    spool.put(b'{"heartbeat": 1}')
    planted = spool.directory / "00000000000000000001.json"
    planted.symlink_to(secret)
    sent: list[bytes] = []

    with caplog.at_level(logging.WARNING):
        report = spool.flush(_deliver_all(sent))  # type: ignore[arg-type]

    assert sent == [b'{"heartbeat": 1}']
    assert report.delivered == 1
    assert planted.is_symlink() and secret.read_bytes() == b"root:secret-hash"
    assert "is a symlink: not read" in caplog.text


def test_a_symlink_swapped_in_after_listing_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "shadow"
    secret.write_bytes(b"root:secret-hash")
    spool = Spool(tmp_path / "spool")
    path = spool.put(b"{}")
    path.unlink()
    path.symlink_to(secret)

    assert spool.read(path) is None


@AS_ROOT
def test_another_users_file_in_the_spool_is_not_read(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "spool")
    foreign = spool.directory / "00000000000000000001.json"
    foreign.write_bytes(b'{"forged": true}')
    os.chown(foreign, NOBODY, NOBODY)
    sent: list[bytes] = []

    spool.flush(_deliver_all(sent))  # type: ignore[arg-type]

    assert sent == []
    assert foreign.exists()


@AS_ROOT
def test_a_spool_folder_of_another_user_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "spool"
    folder.mkdir(mode=0o700)
    os.chown(folder, NOBODY, NOBODY)

    with pytest.raises(SpoolError, match="belongs to uid 65534"):
        Spool(folder)

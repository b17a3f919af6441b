"""The database holds channel secrets: a real hub keeps its folder 0700 and its files 0600."""

import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.hub_process import API_KEY, running_hub

ADMIN = {"Authorization": f"Bearer {API_KEY}"}


@contextmanager
def umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_fresh_hub_makes_its_data_folder_0700_and_the_database_files_0600(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    # Even with a umask that hides nothing, as a shell or a container may leave it.
    with umask(0), running_hub(data) as (_, url):
        made = httpx.post(
            f"{url}/api/v1/notification-channels",
            headers=ADMIN,
            json={"name": "ops", "url": "json://127.0.0.1:9/secret-path"},
            timeout=30,
        )
        files = {name: data / name for name in ("homelab.db", "homelab.db-wal", "homelab.db-shm")}
        modes = {name: mode(path) for name, path in files.items()}

    assert made.status_code == 201, made.text
    assert mode(data) == 0o700
    assert modes == {name: 0o600 for name in files}


def test_a_database_left_readable_by_an_earlier_version_is_made_0600(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    sqlite3.connect(data / "homelab.db").close()
    (data / "homelab.db").chmod(0o644)

    with running_hub(data):
        now = mode(data / "homelab.db")

    assert now == 0o600
    assert mode(data) == 0o755  # a folder the operator made keeps the mode they chose

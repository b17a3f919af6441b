"""Upgrading on start leaves nothing in the data folder but the database."""

import threading
from pathlib import Path

from homelab_cmd.db.engine import make_engine
from homelab_cmd.db.migrate import upgrade_to_head
from tests.hub_process import running_hub


def test_an_upgrade_leaves_no_lock_file_beside_the_database(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'homelab.db'}")
    try:
        upgrade_to_head(engine)
        upgrade_to_head(engine)  # at head already: the lock is taken and dropped again
    finally:
        engine.dispose()

    assert sorted(p.name for p in tmp_path.iterdir() if "lock" in p.name) == []


def test_hubs_upgrading_together_leave_no_lock_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'homelab.db'}"
    engines = [make_engine(url) for _ in range(4)]
    errors: list[Exception] = []

    def start(index: int) -> None:
        try:
            upgrade_to_head(engines[index])
        except Exception as exc:  # noqa: BLE001  (collected and asserted below)
            errors.append(exc)

    threads = [threading.Thread(target=start, args=(i,)) for i in range(len(engines))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for engine in engines:
        engine.dispose()

    assert errors == []
    assert [p.name for p in tmp_path.iterdir() if "lock" in p.name] == []


def test_a_hub_started_and_stopped_leaves_only_its_database_files(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with running_hub(data):
        pass

    names = sorted(p.name for p in data.iterdir())
    assert [n for n in names if "lock" in n] == []
    assert all(n.startswith("homelab.db") or n in {"agent-wheel"} for n in names), names

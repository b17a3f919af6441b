"""A database made as the original HomelabCmd hub makes it, imported on both engines."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from homelab_cmd.config import Settings
from homelab_cmd.db.models import Filesystem, Server
from homelab_cmd.db.tables import (
    FILESYSTEM_HOURLY,
    FILESYSTEM_SAMPLE,
    ROLLUP_QUEUE,
    SERVER_METRIC,
    SERVER_METRIC_DAILY,
    SERVER_METRIC_HOURLY,
)
from homelab_cmd.main import create_app
from homelab_cmd.services.maintenance.passes import run_maintenance
from homelab_cmd.services.upgrade.importer import ImportReport, Retention, import_original
from homelab_cmd.services.upgrade.original import OriginalDatabase
from tests.factories import heartbeat_payload
from tests.fixtures import homelabcmd_v1
from tests.fixtures.homelabcmd_v1 import (
    PROXMOX_REVOKED_TOKEN,
    PROXMOX_TOKEN,
    SERVERS,
    Contents,
)

NOW = datetime.now(UTC).replace(microsecond=0)
RETENTION = Retention(hourly_days=90, daily_days=365)
TABLES = (SERVER_METRIC, FILESYSTEM_SAMPLE, SERVER_METRIC_HOURLY, SERVER_METRIC_DAILY,
          FILESYSTEM_HOURLY, ROLLUP_QUEUE)  # fmt: skip


@pytest.fixture(scope="module")
def original(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Contents]:
    """The original's database: three servers, a week of raw, a month hourly, more daily."""
    path = tmp_path_factory.mktemp("v1") / "homelab.db"
    return path, homelabcmd_v1.build(path, NOW)


def _import(engine: Engine, path: Path) -> ImportReport:
    db = OriginalDatabase(str(path))
    try:
        return import_original(engine, db, RETENTION, NOW)
    finally:
        db.close()


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {
            t.name: conn.execute(select(func.count()).select_from(t)).scalar_one() for t in TABLES
        }


def test_servers_keep_their_ids_names_and_guids_and_stay_unenrolled(
    engine: Engine, original: tuple[Path, Contents]
) -> None:
    report = _import(engine, original[0])

    with Session(engine) as session:
        servers = {s.id: s for s in session.scalars(select(Server))}
    assert report.servers_added == sorted(s.id for s in SERVERS)
    for expected in SERVERS:
        server = servers[expected.id]
        assert server.hostname == expected.hostname
        assert server.display_name == expected.display_name
        assert server.guid == expected.guid
        # The legacy key may report for it until it enrolls, unless its 1.x agent held a token
        # of its own, which it keeps (proxmox-1 in the fixture).
        assert (server.enrolled_at is None) == (expected.id != "proxmox-1")
        assert server.os_info == {
            "distribution": "Debian GNU/Linux", "version": "12",
            "kernel": "6.1.0-18-amd64", "architecture": "x86_64",
        }  # fmt: skip
        assert [fs["mount_point"] for fs in server.filesystems or []] == [
            fs.mount_point for fs in expected.filesystems
        ]


def test_every_sample_arrives_once_and_a_second_import_changes_nothing(
    engine: Engine, original: tuple[Path, Contents]
) -> None:
    path, contents = original
    first = _import(engine, path)
    after_first = _counts(engine)
    second = _import(engine, path)

    raw = contents.raw_per_server * len(SERVERS)
    mounts = sum(len(s.filesystems) for s in SERVERS)
    assert first.metrics.imported == raw
    assert first.metrics.skipped == {"already stored": contents.duplicates * len(SERVERS)}
    assert first.filesystem_samples.imported == contents.raw_per_server * mounts
    assert first.hourly.imported == contents.hourly_per_server * len(SERVERS)
    assert first.daily.imported == contents.daily_per_server * len(SERVERS)
    assert first.filesystems_added == mounts
    assert after_first["server_metric"] == raw
    assert after_first["filesystem_sample"] == contents.raw_per_server * mounts
    assert second.servers_added == [] and len(second.servers_known) == len(SERVERS)
    assert second.metrics.imported == second.filesystem_samples.imported == 0
    assert second.hourly.imported == second.daily.imported == 0
    assert _counts(engine) == after_first


def test_after_the_rollup_the_history_is_in_the_tiers_and_importing_again_adds_nothing(
    engine: Engine, settings: Settings, original: tuple[Path, Contents]
) -> None:
    path, contents = original
    _import(engine, path)
    # A week later than the import: the raw rows are rolled up and pruned past raw retention.
    later = NOW + timedelta(days=8)
    while not run_maintenance(engine, settings, later).rollups.claimed_all:
        pass
    rolled = _counts(engine)

    again = _import(engine, path)

    assert rolled["server_metric"] == 0 and rolled["filesystem_sample"] == 0
    assert rolled["filesystem_hourly"] > 0
    assert again.metrics.imported == again.filesystem_samples.imported == 0
    assert again.metrics.skipped["in an hour already rolled up here"] > 0
    assert _counts(engine) == rolled
    with engine.connect() as conn:
        samples = conn.execute(
            select(func.sum(SERVER_METRIC_HOURLY.c.sample_count)).where(
                SERVER_METRIC_HOURLY.c.bucket_at
                >= int(contents.first_raw_at.replace(minute=0).timestamp())
            )
        ).scalar_one()
    assert samples == contents.raw_per_server * len(SERVERS)


def test_history_older_than_this_hubs_retention_is_left_out(
    engine: Engine, original: tuple[Path, Contents]
) -> None:
    db = OriginalDatabase(str(original[0]))
    try:
        report = import_original(engine, db, Retention(hourly_days=14, daily_days=30), NOW)
    finally:
        db.close()

    assert report.hourly.skipped["past retention"] > 0
    assert report.daily.skipped["past retention"] == original[1].daily_per_server * len(SERVERS)
    assert report.daily.imported == 0


def test_a_server_already_reporting_here_keeps_its_newer_snapshot_and_gets_its_history(
    engine: Engine, original: tuple[Path, Contents]
) -> None:
    newer = int((NOW + timedelta(minutes=5)).timestamp())
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO server (id, hostname, created_at, last_seen_at, latest_heartbeat_at)"
                " VALUES ('pihole', 'pihole', :at, :at, :at)"
            ),
            {"at": newer},
        )

    report = _import(engine, original[0])

    with Session(engine) as session:
        pihole = session.get(Server, "pihole")
        mounts = session.scalars(
            select(Filesystem.mount_point).where(Filesystem.server_id == "pihole")
        )
        assert pihole is not None and int(pihole.latest_heartbeat_at.timestamp()) == newer  # type: ignore[union-attr]
        assert pihole.filesystems is None  # the snapshot of this hub's own heartbeat stays
        assert list(mounts) == ["/"]
    assert "pihole" in report.servers_known


def test_an_agent_with_its_own_1x_token_keeps_reporting_with_it_after_the_import(
    engine: Engine, settings: Settings, original: tuple[Path, Contents]
) -> None:
    first = _import(engine, original[0])
    second = _import(engine, original[0])

    assert first.agent_tokens_added == {"proxmox-1": 1}  # the revoked and legacy rows are not
    assert second.agent_tokens_added == {} and second.agent_tokens_known == 1
    assert "agent tokens of the original: 1 added (proxmox-1" in "\n".join(first.lines())
    proxmox_guid = SERVERS[2].guid
    assert proxmox_guid is not None
    old_key = "dev-key-change-me-not"  # the shared key, given as the upgrade page says
    hub = create_app(settings.model_copy(update={"legacy_agent_key": SecretStr(old_key)}))
    with TestClient(hub) as client:

        def beat(server_id: str, headers: dict[str, str]) -> int:
            body = heartbeat_payload(server_id=server_id, hostname=server_id)
            answer = client.post("/api/v1/agents/heartbeat", json=body, headers=headers)
            status: int = answer.status_code
            return status

        # The headers the 1.x agent sends: its token and its server's GUID.
        own = {"X-Agent-Token": PROXMOX_TOKEN, "X-Server-GUID": proxmox_guid}
        assert beat("proxmox-1", own) == 200
        assert beat("pihole", own) == 403  # its token reports for its own server only
        assert beat("proxmox-1", {**own, "X-Server-GUID": SERVERS[0].guid or ""}) == 403
        assert beat("proxmox-1", {"X-Agent-Token": PROXMOX_REVOKED_TOKEN}) == 401
        # Enrolled by the import: the shared key no longer reports for it, still for the others.
        assert beat("proxmox-1", {"X-API-Key": old_key}) == 403
        assert beat("pihole", {"X-API-Key": old_key}) == 200

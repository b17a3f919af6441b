"""What a full pass reads of a mount: its stored trend of each quantity, and the facts the
observations take from it, on each engine."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from homelab_cmd.db.models import FilesystemTrend
from homelab_cmd.domain.forecast_fields import BYTES, INODES
from homelab_cmd.services.alerts.observe import Trend
from homelab_cmd.services.alerts.rows import facts, mount_rows, stored_trend
from tests.factories import GIB, make_filesystem

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
BYTES_AT = NOW + timedelta(days=9)
INODES_AT = NOW + timedelta(days=40)


def _stored(engine: Engine, *, inodes_confident: bool) -> None:
    fs_id = make_filesystem(engine, seen_at=NOW)
    with Session(engine) as session:
        session.add(
            FilesystemTrend(
                filesystem_id=fs_id,
                growth_bytes_per_day=2.5 * GIB,
                full_at=BYTES_AT,
                full_at_earliest=BYTES_AT - timedelta(days=2),
                full_at_latest=BYTES_AT + timedelta(days=3),
                confident=True,
                forecast_reason="steady growth",
                inodes_growth_per_day=1200.0,
                inodes_full_at=INODES_AT,
                inodes_full_at_earliest=INODES_AT - timedelta(days=5),
                inodes_full_at_latest=None,
                inodes_confident=inodes_confident,
                computed_at=NOW,
            )
        )
        session.commit()


def test_each_quantitys_stored_trend_is_read_from_its_own_columns(engine: Engine) -> None:
    _stored(engine, inodes_confident=True)
    with Session(engine) as session:
        row = mount_rows(session, None)["nas-1"]["/data"]

    assert stored_trend(row, BYTES) == {
        "growth_bytes_per_day": 2.5 * GIB,
        "full_at": BYTES_AT,
        "full_at_earliest": BYTES_AT - timedelta(days=2),
        "full_at_latest": BYTES_AT + timedelta(days=3),
        "confident": True,
    }
    assert stored_trend(row, INODES) == {
        "inodes_growth_per_day": 1200.0,
        "inodes_full_at": INODES_AT,
        "inodes_full_at_earliest": INODES_AT - timedelta(days=5),
        "inodes_full_at_latest": None,
        "inodes_confident": True,
    }
    assert facts(row, {}).inodes_trend == Trend(INODES_AT, INODES_AT - timedelta(days=5), None)


def test_facts_take_the_dated_bytes_and_the_stored_inodes_when_confident(engine: Engine) -> None:
    _stored(engine, inodes_confident=False)
    with Session(engine) as session:
        row = mount_rows(session, None)["nas-1"]["/data"]
    # The bytes as the capacity domain dated them: the pool's date, not the row's.
    pool_at = NOW + timedelta(days=4)
    dated = {
        "full_at": pool_at,
        "full_at_earliest": pool_at,
        "full_at_latest": None,
        "confident": True,
        "fill_domain_label": "pool tank",
    }

    mount = facts(row, dated)

    assert mount.filesystem_id == row.id
    assert mount.trend == Trend(pool_at, pool_at, None, "pool tank")
    assert mount.inodes_trend is None  # stored, but not confident
    assert facts(row, {**dated, "confident": False}).trend is None
    assert facts(None, dated).trend is None

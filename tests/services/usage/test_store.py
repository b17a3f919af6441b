"""What the hub keeps of the scans agents send: a scan answers only its own mount's request,
one unasked scan a day per filesystem, and a cap on each server's stored trees."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from homelab_cmd.db.models import UsageScanRequest
from homelab_cmd.db.tables import USAGE_SCAN
from homelab_cmd.domain.usage import RequestedBy, UsageScanState
from homelab_cmd.services.usage import store
from homelab_cmd.services.usage.requests import open_request
from tests.factories import filesystem_payload, heartbeat_payload, store_heartbeats
from tests.services.usage.scans import GIB, scan_payload

T0 = datetime(2026, 12, 1, 12, tzinfo=UTC)
MOUNTS = ["/", "/srv", "/backup"]


def report(engine: Engine, at: datetime, scans: list[dict[str, Any]] | None = None) -> None:
    filesystems = [
        filesystem_payload(mount_point=m, device=f"/dev/sd{i}", fs_type="ext4")
        for i, m in enumerate(MOUNTS)
    ]
    fields: dict[str, Any] = {} if scans is None else {"usage_scans": scans}
    store_heartbeats(engine, [heartbeat_payload(timestamp=at, filesystems=filesystems, **fields)])


def scan_of(mount: str, at: datetime, size: int = GIB, **fields: Any) -> dict[str, Any]:
    return scan_payload(mount, {mount: size}, started_at=at - timedelta(minutes=1), **fields)


def stored(engine: Engine) -> list[tuple[str, datetime, str | None]]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                USAGE_SCAN.c.mount_point, USAGE_SCAN.c.taken_at, USAGE_SCAN.c.request_id
            ).order_by(USAGE_SCAN.c.taken_at, USAGE_SCAN.c.mount_point)
        )
        return [(r.mount_point, r.taken_at, r.request_id) for r in rows]


def ask(engine: Engine, mount: str, at: datetime) -> str:
    with engine.begin() as conn:
        assert open_request(conn, "nas-1", mount, RequestedBy.PERSON, at)
    with Session(engine) as session:
        return session.scalars(
            select(UsageScanRequest.id).where(UsageScanRequest.mount_point == mount)
        ).one()


def test_a_scan_answers_only_the_request_for_its_own_mount(engine: Engine) -> None:
    report(engine, T0)
    srv_request = ask(engine, "/srv", T0)

    # The agent sends /backup's scan with /srv's request id: /srv's request stays open, and the
    # scan counts as one nobody asked for.
    report(engine, T0 + timedelta(minutes=5), [scan_of("/backup", T0, request_id=srv_request)])

    with Session(engine) as session:
        request = session.get(UsageScanRequest, srv_request)
        assert request is not None
        assert request.state is UsageScanState.PENDING
    assert stored(engine) == [("/backup", T0 + timedelta(minutes=5), None)]

    report(engine, T0 + timedelta(minutes=10), [scan_of("/srv", T0, request_id=srv_request)])

    with Session(engine) as session:
        request = session.get(UsageScanRequest, srv_request)
        assert request is not None
        assert request.state is UsageScanState.DONE
    assert stored(engine)[-1] == ("/srv", T0 + timedelta(minutes=10), srv_request)


def test_one_unasked_scan_a_day_per_filesystem_is_kept(engine: Engine) -> None:
    report(engine, T0)
    for minutes in range(1, 6):  # an agent that scans /srv every minute, unasked
        report(engine, T0 + timedelta(minutes=minutes), [scan_of("/srv", T0)])
    report(engine, T0 + timedelta(minutes=7), [scan_of("/backup", T0)])
    report(engine, T0 + timedelta(days=1, minutes=1), [scan_of("/srv", T0)])
    asked = ask(engine, "/srv", T0 + timedelta(days=1, minutes=2))
    report(engine, T0 + timedelta(days=1, minutes=3), [scan_of("/srv", T0, request_id=asked)])

    assert stored(engine) == [
        ("/srv", T0 + timedelta(minutes=1), None),
        ("/backup", T0 + timedelta(minutes=7), None),
        ("/srv", T0 + timedelta(days=1, minutes=1), None),
        ("/srv", T0 + timedelta(days=1, minutes=3), asked),  # asked for: always kept
    ]


def test_a_servers_stored_trees_are_capped_oldest_first(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each scan below stores a tree of about 1,000 characters; the cap is lowered to 4,500 so
    # five fit at most (20 MiB holds a thousand of the agent's 256 KiB scans; not stored here).
    monkeypatch.setattr(store, "MAX_SCAN_CHARS_PER_SERVER", 4500)
    report(engine, T0)
    name = "x" * 980
    at = T0
    for day in range(3):
        for mount in ("/srv", "/backup"):
            at = T0 + timedelta(days=day, minutes=len(mount))
            tree = {mount: GIB, f"{mount.rstrip('/')}/{name}": GIB}
            report(engine, at, [scan_payload(mount, tree, started_at=at)])

    kept = stored(engine)

    # Six scans were sent; the oldest of /srv and /backup beyond their two newest went first.
    assert [(m, t.date()) for m, t, _ in kept] == [
        ("/srv", (T0 + timedelta(days=1)).date()),
        ("/backup", (T0 + timedelta(days=1)).date()),
        ("/srv", (T0 + timedelta(days=2)).date()),
        ("/backup", (T0 + timedelta(days=2)).date()),
    ]

    # Lower still: the newest two of each filesystem go too, oldest first, never the new scan.
    monkeypatch.setattr(store, "MAX_SCAN_CHARS_PER_SERVER", 1500)
    at = T0 + timedelta(days=3)
    report(engine, at, [scan_payload("/", {"/": GIB, "/" + name: GIB}, started_at=at)])

    assert [(m, t) for m, t, _ in stored(engine)] == [("/", at)]

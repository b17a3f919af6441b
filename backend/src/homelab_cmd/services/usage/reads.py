"""Reading usage scans: a filesystem's latest tree and growth, the growers the alert names, and
the fleet's largest growers of a week (the capacity report)."""

import heapq
import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from homelab_cmd.db.tables import USAGE_SCAN, USAGE_SCAN_REQUEST
from homelab_cmd.domain.filesystems import mount_key
from homelab_cmd.domain.usage import (
    OPEN_STATES,
    REQUEST_LIFETIME,
    Growth,
    GrowthBasis,
    growth,
    is_complete,
    where_it_happened,
)
from homelab_cmd.schemas.usage import (
    FilesystemUsage,
    UsageGrowth,
    UsageScanHead,
    UsageScanProgress,
    UsageScanRead,
    UsageScanSummary,
)
from homelab_cmd.services.usage import tree
from homelab_cmd.services.usage.store import complete_scan

SCAN = USAGE_SCAN
REQUEST = USAGE_SCAN_REQUEST
_HEAD = (
    SCAN.c.id,
    SCAN.c.taken_at,
    SCAN.c.started_at,
    SCAN.c.duration_seconds,
    SCAN.c.entries,
    SCAN.c.unreadable,
    SCAN.c.stopped_by,
    SCAN.c.links_over_budget,
    SCAN.c.error,
    SCAN.c.total_bytes,
    SCAN.c.directory_count,
)


def filesystem_usage(
    session: Session, server_id: str, mount_point: str, now: datetime
) -> FilesystemUsage:
    """The latest scan with a tree, the growth since the newest complete scan before it (when
    the latest is complete too), the open request and every kept scan; nulls and empty lists
    for a filesystem never scanned."""
    key = mount_key(mount_point)
    heads = session.execute(
        select(*_HEAD)
        .where(SCAN.c.server_id == server_id, SCAN.c.mount_key == key)
        .order_by(SCAN.c.taken_at.desc(), SCAN.c.id.desc())
    ).all()
    with_tree = [h for h in heads if h.directory_count > 0]
    head = with_tree[0] if with_tree else None
    baseline = None
    if head is None:
        basis = GrowthBasis.NOT_SCANNED
    elif not _complete(head):
        basis = GrowthBasis.LATEST_PARTIAL
    else:
        baseline = next((h for h in with_tree[1:] if _complete(h)), None)
        basis = GrowthBasis.NO_BASELINE if baseline is None else GrowthBasis.COMPLETE
    trees = _trees(session, [h.id for h in (head, baseline) if h is not None])
    latest = previous = None
    changes: list[Growth] = []
    if head is not None:
        latest = UsageScanRead(**_head(head), directories=tree.decode(trees[head.id]))
    if head is not None and baseline is not None:
        previous = UsageScanHead(**_head(baseline))
        changes = growth(tree.sizes(trees[baseline.id]), tree.sizes(trees[head.id]))
    return FilesystemUsage(
        mount_point=mount_point,
        latest=latest,
        previous=previous,
        growth=[
            UsageGrowth(
                path=g.path, bytes_then=g.bytes_then, bytes_now=g.bytes_now, change=g.change
            )
            for g in changes
        ],
        growth_basis=basis,
        growth_note=_growth_note(basis, head),
        request=_open_request(session, server_id, key, now),
        scans=[UsageScanSummary(**_head(h)) for h in heads],
    )


def _complete(row: Any) -> bool:
    return is_complete(row.stopped_by, row.links_over_budget)


def _growth_note(basis: GrowthBasis, head: Any) -> str | None:
    if basis is GrowthBasis.LATEST_PARTIAL:
        why = (
            f"its {head.stopped_by} budget stopped it"
            if head.stopped_by is not None
            else f"{head.links_over_budget} hard-linked files may be counted twice"
        )
        return (
            f"The latest scan is partial ({why}): its sizes are bounds, not sizes, so no "
            "growth is shown until a complete scan follows one."
        )
    if basis is GrowthBasis.NO_BASELINE:
        return "No complete scan before the latest one to compare it with."
    return None


def _head(row: Any) -> dict[str, Any]:
    mapping = dict(row._mapping)
    mapping.pop("id")
    mapping.pop("directory_count")
    return mapping


def _trees(session: Session, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(SCAN.c.id, SCAN.c.directories).where(SCAN.c.id.in_(ids)))
    return {row.id: row.directories for row in rows}


def _open_request(
    session: Session, server_id: str, key: str, now: datetime
) -> UsageScanProgress | None:
    row = session.execute(
        select(REQUEST).where(
            REQUEST.c.server_id == server_id,
            REQUEST.c.open_key == key,
            REQUEST.c.state.in_(OPEN_STATES),
            REQUEST.c.requested_at > now - REQUEST_LIFETIME,
        )
    ).first()
    return None if row is None else UsageScanProgress.model_validate(row, from_attributes=True)


@dataclass(frozen=True)
class RecentGrowth:
    """What grew on a filesystem between its latest two scans with a tree."""

    since: datetime
    taken_at: datetime
    growers: list[Growth]


def recent_growth(session: Session, server_id: str) -> dict[str, RecentGrowth]:
    """Per mount point of the server, the growers of its latest complete scan with a tree
    (largest first) against the complete scan before it, each change named once where it
    happened; mounts scanned completely once or that grew nowhere are left out. A partial scan
    (stopped by a budget) is neither side of a comparison: its sizes are bounds.

    Reads the few growers each scan keeps when it is stored, never the trees. Growers stored by
    an earlier version listed a change at every level (/srv, /srv/frigate, …): the rule is
    applied again here, which leaves growers stored by this one as they are.
    """
    rows = session.execute(
        select(SCAN.c.mount_point, SCAN.c.taken_at, SCAN.c.growth_since, SCAN.c.top_growth)
        .where(SCAN.c.server_id == server_id, SCAN.c.directory_count > 0, complete_scan())
        .order_by(SCAN.c.taken_at.desc(), SCAN.c.id.desc())
    )
    out: dict[str, RecentGrowth] = {}
    seen: set[str] = set()
    for row in rows:
        if row.mount_point in seen:
            continue
        seen.add(row.mount_point)
        if row.growth_since is None or not row.top_growth:
            continue
        stored = [Growth(p, then, now) for p, then, now in json.loads(row.top_growth)]
        growers = where_it_happened(stored, row.mount_point)
        if growers:
            out[row.mount_point] = RecentGrowth(row.growth_since, row.taken_at, growers)
    return out


@dataclass(frozen=True)
class FleetGrowth:
    """A directory that grew on one server's filesystem over the week."""

    server_id: str
    mount_point: str
    path: str
    bytes_then: int
    bytes_now: int

    @property
    def change(self) -> int:
        """bytes_now - bytes_then."""
        return self.bytes_now - self.bytes_then


def week_growers(session: Session, since: datetime, limit: int) -> list[FleetGrowth]:
    """The directories that grew most across the fleet, largest growth first, at most `limit`.

    Only complete scans (with a tree) count: a partial one's sizes are bounds. For each
    filesystem with one taken at or after `since`, its newest is compared path by path with a
    baseline: the newest complete scan with a tree taken before `since`, or else the oldest one
    taken since (when two were taken since). A filesystem with a single scan to go on is left
    out; a directory one of the two scans did not keep is unknown there and not listed (unknown
    is not zero). Only growers are listed (change > 0); a directory and its parent may both
    appear, as both grew (the report names each change once with where_it_happened).

    The trees are read one filesystem's pair at a time and only the best `limit` growers are
    held, so memory is two trees and `limit` growers whatever the size of the fleet.
    """
    rows = session.execute(
        select(SCAN.c.id, SCAN.c.server_id, SCAN.c.mount_key, SCAN.c.mount_point, SCAN.c.taken_at)
        .where(SCAN.c.directory_count > 0, complete_scan())
        .order_by(SCAN.c.server_id, SCAN.c.mount_key, SCAN.c.taken_at.desc(), SCAN.c.id.desc())
    )
    per_fs: dict[tuple[str, str], list[Any]] = defaultdict(list)
    for row in rows:
        per_fs[(row.server_id, row.mount_key)].append(row)
    best: list[FleetGrowth] = []
    for scans in per_fs.values():
        newest = scans[0]
        if newest.taken_at < since or len(scans) < 2:
            continue
        before = [s for s in scans[1:] if s.taken_at < since]
        baseline = before[0] if before else scans[-1]
        best = heapq.nsmallest(limit, best + _pair_growers(session, baseline, newest), _rank)
    return best


def _rank(f: FleetGrowth) -> tuple[int, str, str]:
    return (-f.change, f.server_id, f.path)


def _pair_growers(session: Session, baseline: Any, newest: Any) -> list[FleetGrowth]:
    trees = _trees(session, [baseline.id, newest.id])
    found = []
    for g in growth(tree.sizes(trees[baseline.id]), tree.sizes(trees[newest.id])):
        if g.change <= 0:
            break  # growers come first
        found.append(
            FleetGrowth(
                newest.server_id,
                newest.mount_point,
                g.path,
                g.bytes_then,
                g.bytes_now,
            )
        )
    return found

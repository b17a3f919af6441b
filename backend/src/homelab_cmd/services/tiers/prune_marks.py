"""How far each tier has been pruned, so a late rollup knows whether to rebuild or to merge.

Pruning removes whole buckets of the tier above (retention.prune_before). Below a tier's mark
every row that was ever rolled up is gone: rows found there were stored after the prune (a
replay from an agent's spool) and are merged into the bucket above instead of replacing it.
"""

from datetime import datetime

from sqlalchemy import Connection, select

from homelab_cmd.config import Settings
from homelab_cmd.db.tables import TIER_PRUNE_MARK
from homelab_cmd.db.upsert import insert_upsert
from homelab_cmd.domain.tiers import Resolution
from homelab_cmd.services.tiers.retention import prune_before


def pruned_before(
    conn: Connection, settings: Settings, tier: Resolution, now: datetime
) -> datetime:
    """Every row of `tier` before this instant that a rollup has counted has been pruned.

    A database never pruned by this version (an upgrade) is taken as pruned to its retention,
    which the earlier scheduler kept.
    """
    mark = conn.execute(
        select(TIER_PRUNE_MARK.c.pruned_before).where(TIER_PRUNE_MARK.c.tier == tier.value)
    ).scalar_one_or_none()
    return mark if mark is not None else prune_before(settings, tier, now)


def advance_mark(conn: Connection, tier: Resolution, before: datetime) -> None:
    """Record that `tier` has been pruned before `before` (a mark never moves back)."""
    current = conn.execute(
        select(TIER_PRUNE_MARK.c.pruned_before).where(TIER_PRUNE_MARK.c.tier == tier.value)
    ).scalar_one_or_none()
    if current is not None and current >= before:
        return
    stmt = insert_upsert(TIER_PRUNE_MARK, conn.dialect, ["tier"])
    conn.execute(stmt, {"tier": tier.value, "pruned_before": before})

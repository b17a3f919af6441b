"""Bringing a HomelabCmd 1.x database into this hub: servers, then each server's history.

Idempotent: a sample already stored (same server or filesystem, same second) is skipped, and so
is one whose hour was already rolled up here (its raw rows may be pruned by now, and adding them
again would count them twice). Imported raw hours are queued for the rollup like heartbeats, so
the maintenance pass builds the hourly and daily tiers and the fill forecasts from them. The
original's own hourly and daily rows fill the buckets its raw rows no longer cover. Nothing past
this hub's retention is imported: the next maintenance pass would delete it. Servers keep their
id, names and GUID and stay unenrolled, so their agents may report with the legacy key until
each is enrolled; except those whose agent held a token of its own in the original
(`agent_credentials`): that token becomes the server's agent token here, bound to its GUID, and
the server counts as enrolled, so the legacy key no longer reports for it.
"""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, Engine, Table, select, update

from homelab_cmd.db.models import ApiToken, CredentialState
from homelab_cmd.db.models.credential_state import STATE_ID
from homelab_cmd.db.tables import (
    FILESYSTEM,
    FILESYSTEM_HOURLY,
    FILESYSTEM_SAMPLE,
    ROLLUP_QUEUE,
    SERVER,
    SERVER_METRIC,
    SERVER_METRIC_DAILY,
    SERVER_METRIC_HOURLY,
    table_of,
)
from homelab_cmd.db.upsert import insert_ignore
from homelab_cmd.domain.filesystems import mount_key
from homelab_cmd.domain.metrics import SERVER_METRICS, from_wire, sampled
from homelab_cmd.domain.servers import is_server_id
from homelab_cmd.domain.tiers import Resolution
from homelab_cmd.schemas.heartbeat import FilesystemMetric, MetricsPayload, OSInfo
from homelab_cmd.services.tiers.rollups import roll_bucket
from homelab_cmd.services.upgrade.original import (
    NOT_IMPORTED,
    OriginalCredential,
    OriginalDatabase,
    OriginalServer,
    parse_time,
)

API_TOKEN = table_of(ApiToken)
CREDENTIAL_STATE = table_of(CredentialState)
HOUR = 3600
DAY = 86400
BATCH = 5000
WIRE_METRICS = tuple(m.wire_name for m in SERVER_METRICS)
# The original's rollup columns → this hub's: cpu and memory; disk percent has no tier here.
ROLLUP_COLUMNS = {
    f"{ours}_{agg}": f"{theirs}_{agg}"
    for ours, theirs in (("cpu_percent", "cpu"), ("memory_percent", "memory"))
    for agg in ("min", "avg", "max")
}


@dataclass(frozen=True)
class Retention:
    """How far back this hub's rollup tiers keep history (its settings); raw rows older than
    raw retention are still taken, to be rolled up into the hourly tier and then pruned."""

    hourly_days: int
    daily_days: int


@dataclass
class Tally:
    """Rows imported, and rows skipped with the reason for each."""

    imported: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def line(self, what: str) -> str:
        reasons = ", ".join(f"{n} {why}" for why, n in sorted(self.skipped.items()))
        total = sum(self.skipped.values())
        return f"{what}: {self.imported} imported, {total} skipped" + (
            f" ({reasons})" if reasons else ""
        )


@dataclass
class ImportReport:
    servers_added: list[str] = field(default_factory=list)
    servers_known: list[str] = field(default_factory=list)
    servers_refused: dict[str, str] = field(default_factory=dict)
    metrics: Tally = field(default_factory=Tally)
    filesystem_samples: Tally = field(default_factory=Tally)
    hourly: Tally = field(default_factory=Tally)
    daily: Tally = field(default_factory=Tally)
    filesystems_added: int = 0
    agent_tokens_added: dict[str, int] = field(default_factory=dict)
    agent_tokens_known: int = 0
    notes: list[str] = field(default_factory=list)
    left_alone: dict[str, int] = field(default_factory=dict)

    def lines(self) -> list[str]:
        """The summary `homelab-cmd import-homelabcmd` prints."""
        added = ", ".join(self.servers_added) or "none"
        out = [
            f"servers: {len(self.servers_added)} added ({added}), "
            f"{len(self.servers_known)} already here",
            *(f"  {sid}: not imported, {why}" for sid, why in self.servers_refused.items()),
            self.metrics.line("server metric samples"),
            self.filesystem_samples.line(
                f"filesystem samples ({self.filesystems_added} filesystems new here)"
            ),
            self._agent_tokens_line(),
            self.hourly.line("hourly rollups of the original"),
            self.daily.line("daily rollups of the original"),
            *(f"note: {note}" for note in self.notes),
        ]
        out += [
            f"left alone: {table} ({rows} rows), {NOT_IMPORTED[table]}"
            for table, rows in self.left_alone.items()
        ]
        return out

    def _agent_tokens_line(self) -> str:
        added = sum(self.agent_tokens_added.values())
        servers = ", ".join(self.agent_tokens_added) or "none"
        return (
            f"agent tokens of the original: {added} added ({servers}: enrolled here, their "
            f"agents keep their token), {self.agent_tokens_known} already here"
        )


def import_original(
    engine: Engine, original: OriginalDatabase, retention: Retention, now: datetime
) -> ImportReport:
    """Import every server of `original` and its history; each server in one transaction."""
    report = ImportReport(left_alone=original.left_alone(), notes=list(original.warnings))
    credentials: dict[str, list[OriginalCredential]] = {}
    for credential in original.agent_credentials():
        credentials.setdefault(credential.server_guid, []).append(credential)
    servers = original.servers()
    for guid in credentials.keys() - {s.guid for s in servers}:
        report.notes.append(f"agent token(s) for GUID {guid}: no server of the original has it")
    for server in servers:
        if not is_server_id(server.id):
            report.servers_refused[server.id] = "its id is not a lower-case slug ([a-z0-9-])"
            continue
        with engine.begin() as conn:
            _ServerImport(conn, original, server, retention=retention, now=now, report=report).run(
                credentials.get(server.guid or "", [])
            )
    return report


def _epoch(at: datetime) -> int:
    return int(at.timestamp())


class _ServerImport:
    """One server's rows, with what this hub already holds for it looked up once."""

    def __init__(
        self,
        conn: Connection,
        original: OriginalDatabase,
        server: OriginalServer,
        *,
        retention: Retention,
        now: datetime,
        report: ImportReport,
    ) -> None:
        self.conn, self.original, self.server, self.report = conn, original, server, report
        self.hourly_cutoff = _epoch(now - timedelta(days=retention.hourly_days))
        self.raw_cutoff = self.hourly_cutoff
        self.daily_cutoff = _epoch(now - timedelta(days=retention.daily_days))
        self.queued_hours: set[int] = set()
        self.raw_hours: set[int] = set()  # hours the original has raw metrics for
        self.last_metrics: tuple[int, dict[str, Any]] | None = None

    def run(self, credentials: list[OriginalCredential]) -> None:
        self._server_row()
        self._agent_tokens(credentials)
        self._metrics()
        self._filesystem_samples()
        hourly_days = self._rollups("metrics_hourly", SERVER_METRIC_HOURLY, self.report.hourly)
        self._rollups("metrics_daily", SERVER_METRIC_DAILY, self.report.daily, hourly_days)
        if self.queued_hours:
            self.conn.execute(
                insert_ignore(ROLLUP_QUEUE, self.conn.dialect),
                [{"hour_start_at": h} for h in sorted(self.queued_hours)],
            )
        # Days of imported hourly rows that no queued hour will roll up: rolled up here.
        days = {d for d in hourly_days if not any(d <= h < d + DAY for h in self.queued_hours)}
        for day in sorted(days):
            roll_bucket(self.conn, Resolution.DAILY, datetime.fromtimestamp(day, UTC))
        self._snapshot()

    def _server_row(self) -> None:
        s = self.server
        here = self.conn.execute(
            select(SERVER.c.guid, SERVER.c.display_name).where(SERVER.c.id == s.id)
        ).first()
        guid = s.guid
        if guid is not None:
            owner = self.conn.execute(select(SERVER.c.id).where(SERVER.c.guid == guid)).scalar()
            if owner not in (None, s.id):
                self.report.notes.append(f"{s.id}: GUID {guid} belongs to {owner} here; not taken")
                guid = None
        display_name = s.display_name if s.display_name != s.hostname else None
        if here is None:
            self.conn.execute(
                SERVER.insert().values(
                    id=s.id,
                    hostname=s.hostname,
                    display_name=display_name,
                    guid=guid,
                    created_at=s.created_at or datetime.now(UTC),
                    last_seen_at=s.last_seen,
                )
            )
            self.report.servers_added.append(s.id)
            return
        self.report.servers_known.append(s.id)
        fill: dict[str, Any] = {}
        if here.guid is None and guid is not None:
            fill["guid"] = guid
        if here.display_name is None and display_name is not None:
            fill["display_name"] = display_name
        if fill:
            self.conn.execute(update(SERVER).where(SERVER.c.id == s.id).values(**fill))

    def _agent_tokens(self, credentials: list[OriginalCredential]) -> None:
        """The original's own tokens of this server's agent, as agent tokens here (same SHA-256
        hex), when the server holds their GUID here; the server then counts as enrolled."""
        s, report = self.server, self.report
        guid = self.conn.execute(select(SERVER.c.guid).where(SERVER.c.id == s.id)).scalar()
        if not credentials or guid != s.guid:
            return
        added = 0
        for credential in credentials:
            owner = self.conn.execute(
                select(API_TOKEN.c.server_id).where(API_TOKEN.c.token_hash == credential.token_hash)
            ).first()
            if owner is not None:
                if owner.server_id == s.id:
                    report.agent_tokens_known += 1
                else:
                    report.notes.append(f"{s.id}: its 1.x agent token is already a token here")
                continue
            self.conn.execute(
                API_TOKEN.insert().values(
                    name=f"agent {s.id} (HomelabCmd 1.x {credential.prefix}…)",
                    role="agent",
                    token_hash=credential.token_hash,
                    server_id=s.id,
                    created_at=credential.created_at or datetime.now(UTC),
                )
            )
            added += 1
        if not added:
            return
        report.agent_tokens_added[s.id] = added
        enrolled = self.conn.execute(
            update(SERVER)
            .where(SERVER.c.id == s.id, SERVER.c.enrolled_at.is_(None))
            .values(enrolled_at=datetime.now(UTC))
        )
        if enrolled.rowcount:
            # A running hub may have cached that the legacy key reports for this server: moving
            # the shared generation makes every hub ask again (services/access/revocation.py).
            self.conn.execute(
                update(CREDENTIAL_STATE)
                .where(CREDENTIAL_STATE.c.id == STATE_ID)
                .values(generation=CREDENTIAL_STATE.c.generation + 1)
            )

    def _existing(self, table: Table, key: str, value: object, column: str) -> set[int]:
        rows = self.conn.execute(select(table.c[column]).where(table.c[key] == value))
        return {_epoch(at) for at in rows.scalars()}

    def _keep(self, tally: Tally, at: datetime, stored: set[int], rolled: set[int]) -> bool:
        """Whether a raw row at `at` is imported; counts the reason when it is not."""
        epoch = _epoch(at)
        if epoch < self.raw_cutoff:
            tally.skipped["past retention"] += 1
        elif epoch in stored:
            tally.skipped["already stored"] += 1
        elif epoch - epoch % HOUR in rolled:
            tally.skipped["in an hour already rolled up here"] += 1
        else:
            stored.add(epoch)
            return True
        return False

    def _metrics(self) -> None:
        sid, tally = self.server.id, self.report.metrics
        stored = self._existing(SERVER_METRIC, "server_id", sid, "sampled_at")
        rolled = self._existing(SERVER_METRIC_HOURLY, "server_id", sid, "bucket_at")
        batch: list[dict[str, Any]] = []
        for row in self.original.rows("metrics", sid, WIRE_METRICS):
            at = parse_time(row["timestamp"])
            if at is None:
                tally.skipped["without a readable time"] += 1
                continue
            self.raw_hours.add(_epoch(at) - _epoch(at) % HOUR)
            try:
                wire = MetricsPayload.model_validate({k: row[k] for k in WIRE_METRICS})
            except ValidationError:
                tally.skipped["out of range"] += 1
                continue
            if not self._keep(tally, at, stored, rolled):
                continue
            epoch = _epoch(at)
            values = {m.name: from_wire(m, getattr(wire, m.wire_name)) for m in SERVER_METRICS}
            batch.append(
                {"server_id": sid, "sampled_at": epoch}
                | {m.name: values[m.name] for m in sampled(SERVER_METRICS)}
            )
            if self.last_metrics is None or epoch > self.last_metrics[0]:
                self.last_metrics = (epoch, values)
            self.queued_hours.add(epoch - epoch % HOUR)
            if len(batch) >= BATCH:
                self._insert(SERVER_METRIC, batch, tally)
        self._insert(SERVER_METRIC, batch, tally)

    def _insert(self, table: Table, batch: list[dict[str, Any]], tally: Tally) -> None:
        if batch:
            self.conn.execute(insert_ignore(table, self.conn.dialect), batch)
            tally.imported += len(batch)
            batch.clear()

    def _filesystem_samples(self) -> None:
        sid, tally = self.server.id, self.report.filesystem_samples
        columns = ("mount_point", "device", "fs_type", "total_bytes", "used_bytes",
                   "available_bytes")  # fmt: skip
        known: dict[str, tuple[int, set[int], set[int]]] = {}
        seen: dict[int, tuple[datetime, datetime]] = {}
        batch: list[dict[str, Any]] = []
        for row in self.original.rows("filesystem_metrics", sid, columns):
            at = parse_time(row["timestamp"])
            if at is None:
                tally.skipped["without a readable time"] += 1
                continue
            try:
                fs = FilesystemMetric.model_validate({c: row[c] for c in columns})
            except ValidationError:
                tally.skipped["out of range"] += 1
                continue
            if fs.total_bytes == 0:  # no answer from the mount: zeros are not its size
                tally.skipped["without a size"] += 1
                continue
            if fs.mount_point not in known:
                known[fs.mount_point] = self._filesystem(fs, at)
            fs_id, stored, rolled = known[fs.mount_point]
            if not self._keep(tally, at, stored, rolled):
                continue
            first, last = seen.get(fs_id, (at, at))
            seen[fs_id] = (min(first, at), max(last, at))
            epoch = _epoch(at)
            batch.append(
                {"filesystem_id": fs_id, "sampled_at": epoch, "total_bytes": fs.total_bytes,
                 "used_bytes": fs.used_bytes, "available_bytes": fs.available_bytes,
                 "inodes_used": None, "inodes_total": None}
            )  # fmt: skip
            self.queued_hours.add(epoch - epoch % HOUR)
            if len(batch) >= BATCH:
                self._insert(FILESYSTEM_SAMPLE, batch, tally)
        self._insert(FILESYSTEM_SAMPLE, batch, tally)
        for fs_id, (first, last) in seen.items():
            known_row = self.conn.execute(
                select(FILESYSTEM.c.first_seen_at, FILESYSTEM.c.last_seen_at).where(
                    FILESYSTEM.c.id == fs_id
                )
            ).one()
            self.conn.execute(
                update(FILESYSTEM)
                .where(FILESYSTEM.c.id == fs_id)
                .values(
                    first_seen_at=min(known_row[0], first), last_seen_at=max(known_row[1], last)
                )
            )

    def _filesystem(self, fs: FilesystemMetric, at: datetime) -> tuple[int, set[int], set[int]]:
        """The filesystem row of a mount point (made when new), its stored and rolled seconds."""
        key = mount_key(fs.mount_point)
        where = (FILESYSTEM.c.server_id == self.server.id, FILESYSTEM.c.mount_key == key)
        fs_id = self.conn.execute(select(FILESYSTEM.c.id).where(*where)).scalar()
        if fs_id is None:
            self.conn.execute(
                FILESYSTEM.insert().values(
                    server_id=self.server.id, mount_key=key, mount_point=fs.mount_point,
                    device=fs.device, fs_type=fs.fs_type, first_seen_at=at, last_seen_at=at,
                )
            )  # fmt: skip
            fs_id = self.conn.execute(select(FILESYSTEM.c.id).where(*where)).scalar_one()
            self.report.filesystems_added += 1
        stored = self._existing(FILESYSTEM_SAMPLE, "filesystem_id", fs_id, "sampled_at")
        rolled = self._existing(FILESYSTEM_HOURLY, "filesystem_id", fs_id, "bucket_at")
        return fs_id, stored, rolled

    def _rollups(
        self, source: str, table: Table, tally: Tally, covered_days: Iterable[int] = ()
    ) -> set[int]:
        """The original's rollup rows where its finer rows do not reach; the buckets imported."""
        hourly = table is SERVER_METRIC_HOURLY
        width, cutoff = (HOUR, self.hourly_cutoff) if hourly else (DAY, self.daily_cutoff)
        covered = self.raw_hours if hourly else {h - h % DAY for h in self.raw_hours}
        covered = covered | set(covered_days)
        have = self._existing(table, "server_id", self.server.id, "bucket_at")
        theirs = (*ROLLUP_COLUMNS.values(), "sample_count")
        rows, imported = [], set()
        for row in self.original.rows(source, self.server.id, theirs):
            at = parse_time(row["timestamp"])
            bucket = None if at is None else _epoch(at) - _epoch(at) % width
            if bucket is None or not row["sample_count"]:
                tally.skipped["without a time or samples"] += 1
            elif bucket < cutoff:
                tally.skipped["past retention"] += 1
            elif bucket in covered:
                tally.skipped["covered by finer rows"] += 1
            elif bucket in have:
                tally.skipped["already stored"] += 1
            else:
                have.add(bucket)
                imported.add(bucket - bucket % DAY)
                rows.append(
                    {"server_id": self.server.id, "bucket_at": bucket,
                     "sample_count": int(row["sample_count"])}
                    | {ours: row[theirs] for ours, theirs in ROLLUP_COLUMNS.items()}
                )  # fmt: skip
        self._insert(table, rows, tally)
        return imported

    def _snapshot(self) -> None:
        """The latest metrics and filesystems of the original, unless this hub has newer."""
        if self.last_metrics is None:
            return
        at, metrics = self.last_metrics
        s = self.server
        here = self.conn.execute(
            select(SERVER.c.latest_heartbeat_at, SERVER.c.last_seen_at).where(SERVER.c.id == s.id)
        ).one()
        if here.latest_heartbeat_at is not None and _epoch(here.latest_heartbeat_at) >= at:
            return
        seen = [t for t in (here.last_seen_at, s.last_seen) if t is not None]
        filesystems = []
        for item in s.filesystems:
            try:
                fs = FilesystemMetric.model_validate(item)
            except ValidationError:
                continue
            filesystems.append(
                fs.model_copy(update={"percent": fs.derived_percent()}).model_dump(mode="json")
            )
        self.conn.execute(
            update(SERVER)
            .where(SERVER.c.id == s.id)
            .values(
                latest_metrics=metrics,
                filesystems=filesystems or None,
                os_info=OSInfo.model_validate(s.os_info).model_dump(mode="json"),
                agent_version=s.agent_version,
                latest_heartbeat_at=at,
                last_seen_at=max(seen) if seen else datetime.fromtimestamp(at, UTC),
            )
        )

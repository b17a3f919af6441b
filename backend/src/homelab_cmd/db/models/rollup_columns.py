"""Columns shared by the hourly and daily tiers (the two tiers differ only in bucket width)."""

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from homelab_cmd.db.models.metric_columns import rollup_metric_columns
from homelab_cmd.db.types import EpochSeconds


class ServerMetricRollupColumns(rollup_metric_columns()):  # type: ignore[misc]
    """min/avg/max of the charted server metrics over one bucket (columns from the catalogue).

    Network counters are cumulative, so a bucket keeps their largest (latest) value.
    """

    server_id: Mapped[str] = mapped_column(
        String(100), ForeignKey("server.id", ondelete="CASCADE"), primary_key=True
    )
    bucket_at: Mapped[datetime] = mapped_column(EpochSeconds, primary_key=True)
    sample_count: Mapped[int] = mapped_column(Integer)


class FilesystemRollupColumns:
    """min/avg/max of used bytes over one bucket; available is averaged, total is the largest.

    Inodes the same way (null for buckets without inode figures), for the inode fill forecast.
    """

    filesystem_id: Mapped[int] = mapped_column(
        Integer, ForeignKey("filesystem.id", ondelete="CASCADE"), primary_key=True
    )
    bucket_at: Mapped[datetime] = mapped_column(EpochSeconds, primary_key=True)
    sample_count: Mapped[int] = mapped_column(Integer)
    used_bytes_min: Mapped[int] = mapped_column(BigInteger)
    used_bytes_avg: Mapped[int] = mapped_column(BigInteger)
    used_bytes_max: Mapped[int] = mapped_column(BigInteger)
    available_bytes_avg: Mapped[int] = mapped_column(BigInteger)
    total_bytes_max: Mapped[int] = mapped_column(BigInteger)
    inodes_used_min: Mapped[int | None] = mapped_column(BigInteger)
    inodes_used_avg: Mapped[int | None] = mapped_column(BigInteger)
    inodes_used_max: Mapped[int | None] = mapped_column(BigInteger)
    inodes_total_max: Mapped[int | None] = mapped_column(BigInteger)

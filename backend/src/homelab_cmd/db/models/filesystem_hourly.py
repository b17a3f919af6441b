"""Per-filesystem samples rolled up per UTC hour (kept 90 days by default)."""

from homelab_cmd.db.base import Base
from homelab_cmd.db.models.rollup_columns import FilesystemRollupColumns


class FilesystemHourly(FilesystemRollupColumns, Base):
    __tablename__ = "filesystem_hourly"
    __table_args__ = {"sqlite_with_rowid": False}

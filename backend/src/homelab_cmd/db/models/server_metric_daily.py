"""Server metrics rolled up per UTC day from the hourly tier (kept 12 months by default)."""

from homelab_cmd.db.base import Base
from homelab_cmd.db.models.rollup_columns import ServerMetricRollupColumns


class ServerMetricDaily(ServerMetricRollupColumns, Base):
    __tablename__ = "server_metric_daily"
    __table_args__ = {"sqlite_with_rowid": False}

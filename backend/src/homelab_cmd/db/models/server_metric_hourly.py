"""Server metrics rolled up per UTC hour (kept 90 days by default)."""

from homelab_cmd.db.base import Base
from homelab_cmd.db.models.rollup_columns import ServerMetricRollupColumns


class ServerMetricHourly(ServerMetricRollupColumns, Base):
    __tablename__ = "server_metric_hourly"
    __table_args__ = {"sqlite_with_rowid": False}

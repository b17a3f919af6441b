"""Every table, imported here so Alembic sees the whole metadata."""

from homelab_cmd.db.models.filesystem import Filesystem
from homelab_cmd.db.models.filesystem_sample import FilesystemSample
from homelab_cmd.db.models.rollup_queue import RollupQueue
from homelab_cmd.db.models.server import Server
from homelab_cmd.db.models.server_metric import ServerMetric

__all__ = ["Filesystem", "FilesystemSample", "RollupQueue", "Server", "ServerMetric"]

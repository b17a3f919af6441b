"""The hub never asks for a scan the agent would refuse as a network filesystem: its list is a
superset of the agent's, and a mount the agent puts on a `network` capacity domain is left out."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from homelab_agent.filesystems.filtering import NETWORK_FS_TYPES as AGENT_NETWORK_FS_TYPES
from homelab_agent.usage.runner import REMOTE_FS_TYPES as AGENT_REMOTE_FS_TYPES
from homelab_cmd.db.models import UsageScanRequest
from homelab_cmd.domain.usage import NETWORK_FS_TYPES, is_network_fs
from homelab_cmd.services.usage.requests import request_for_forecasts
from tests.factories import filesystem_payload, heartbeat_payload, store_heartbeats
from tests.services.usage.test_requests import fills_in

T0 = datetime(2026, 12, 1, 12, tzinfo=UTC)


def test_the_hubs_network_types_cover_every_type_the_agent_refuses() -> None:
    refused = AGENT_NETWORK_FS_TYPES | AGENT_REMOTE_FS_TYPES

    assert refused <= NETWORK_FS_TYPES, sorted(refused - NETWORK_FS_TYPES)
    assert all(is_network_fs(fs_type) for fs_type in refused)


@pytest.mark.parametrize(
    ("fs_type", "device", "network"),
    [
        ("fuse.glusterfs", "gluster1:/vol", True),  # the agent refuses it: a daily request else
        ("fuse.mergerfs", "nas:/export", True),  # a device naming a server, as the agent reads it
        ("fuse.mergerfs", "/mnt/disk*", False),
        ("ext4", "/dev/sda1", False),
        ("ext4", "//nas/share", True),
    ],
)
def test_a_mount_is_network_by_type_or_by_a_device_naming_a_server(
    fs_type: str, device: str, network: bool
) -> None:
    assert is_network_fs(fs_type, device) is network


def test_a_mount_on_a_network_capacity_domain_is_never_asked_for(engine: Engine) -> None:
    # A FUSE mount whose type and device say nothing; the agent's domain says it is a share.
    odd = filesystem_payload(
        mount_point="/mnt/odd", device="odd", fs_type="fuse.oddfs", capacity_domain="net:odd"
    )
    local = filesystem_payload(mount_point="/srv", device="/dev/sdb1", capacity_domain="dev:sdb1")
    domains = [
        {"key": "net:odd", "kind": "network", "members": ["/mnt/odd"]},
        {"key": "dev:sdb1", "kind": "device", "members": ["/srv"]},
    ]
    for key in ("total_bytes", "used_bytes", "available_bytes"):
        for domain, fs in zip(domains, (odd, local), strict=True):
            domain[key] = fs[key]
    beat = heartbeat_payload(timestamp=T0, filesystems=[odd, local], capacity_domains=domains)
    store_heartbeats(engine, [beat])
    fills_in(engine, "/mnt/odd", 3)
    fills_in(engine, "/srv", 3)

    with Session(engine) as session:
        asked = request_for_forecasts(
            session, T0 + timedelta(minutes=1), {("nas-1", "/mnt/odd"), ("nas-1", "/srv")}
        )
        session.commit()
        mounts = session.scalars(select(UsageScanRequest.mount_point)).all()

    assert (asked, mounts) == (1, ["/srv"])

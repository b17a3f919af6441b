"""Keep/drop rules: virtual types, pseudo paths on boundaries, one entry per filesystem."""

import pytest

from homelab_agent.config import AgentConfig
from homelab_agent.filesystems.filtering import (
    KEPT,
    FilterRules,
    decide,
    select_filesystems,
    under_prefix,
)
from homelab_agent.filesystems.mounts import parse_mount_table, parse_mountinfo, parse_mounts
from tests.agent.conftest import MOUNT_TABLES, mount_table

# The kept mount points of every corpus table, in table order. They follow the "expected" column
# of fixtures/mounts/README.md (the corpus INDEX) except where a comment says why not.
CORPUS_EXPECTED: dict[str, list[str]] = {
    "wsl2_ubuntu.mounts": ["/", "/mnt/c", "/mnt/d"],
    "fedora20_lvm_docker_devicemapper_cifs.mountinfo": [
        "/", "/boot", "/home", "/var/lib/libvirt/images", "/mnt/old", "/tmp/mnt",
        "/DATA/foo_bla_bla",
    ],
    "ubuntu_docker_aufs_host.mountinfo": ["/"],
    "gentoo_docker_aufs_vfat_xfs_ntfs.mountinfo": ["/", "/boot", "/mnt/xfs", "/media/REMOVE ME"],
    "octal_escapes_spaces_tabs_newlines.mountinfo": [
        "/mnt/foo bar", "/DATA/foo_bla_bla", "/tmp/newline\ntab\tspace backslash\\quote1'quote2\"",
    ],
    "node_exporter_fixture_k8s_vsphere_escapes.mountinfo": ["/", "/boot"],
    "node_exporter_fixture_nfs_dupes.mountinfo": ["/", "/mnt/nfs/test"],
    "fedora_workstation_efi_cifs_utillinux.mountinfo": [
        "/", "/home", "/boot", "/home/games", "/boot/efi", "/home/archive", "/mnt/sounds",
    ],
    # All six mounts are subvolumes of one btrfs; a subvolume mount is not a bind of a folder,
    # so they are equals and the shortest path wins over the top-level subvolume at /mnt/a.
    "btrfs_subvolumes_utillinux.mountinfo": ["/"],
    "autofs_systemd_lvm_cifs_utillinux.mountinfo": ["/", "/boot", "/home/kzak", "/mnt/sounds"],
    "rhel_bind_mounts_md_raid_systemd_rhbug1554943.mountinfo": [
        "/", "/Volumes/dune", "/boot", "/mnt/raid10",
    ],
    "raspberrypi4_bookworm.mounts": ["/", "/boot/firmware"],
    "ubuntu2204_desktop_snaps.mounts": ["/", "/boot/efi"],
    "ubuntu1604_desktop_docker_aufs_snaps_ntfs_usb.mounts": [
        "/", "/home/yin/mnt/sda1", "/media/yin/Ubuntu 14.0", "/media/yin/7456B33F56B30142",
        "/media/yin/000B3CE60003997E",
    ],
    # The tmpfs root is RAM; the virtio 9p shares and fuse.osxfs are the Mac's disks, not this VM's.
    "alpine_moby_docker_for_mac_vm.mounts": ["/var"],
    "synology_dsm6_ds918_btrfs_md_lvm.mounts": ["/", "/volume1", "/volume3"],
    "centos_xfs_docker_userns_overlay2.mountinfo": ["/", "/boot"],
    "centos_xfs_docker_userns_overlay2.mounts": ["/", "/boot"],
    # /mnt/dst shares 253:0 with / only because this file is a collage; on one machine one
    # device number is one filesystem, so it is a bind of / and dropped, as the index expects.
    "kubernetes_node_kubelet_volumes_collage.mountinfo": [
        "/", "/mnt/stateful_partition", "/media/nfs_vol",
    ],
    # Differs from the index, which hides the mergerfs branches: the branches are real disks, and
    # with mergerfs + SnapRAID (the usual homelab pairing) a full branch is what breaks writes and
    # parity sizing, so per-branch fill is worth a row. A mount table cannot tell a branch from
    # any other disk (mergerfs lists branches only in an xattr), so hiding them would need a guess
    # on the path. Users who want only the pool add `exclude_mount_patterns: ["/srv/.disks/*"]`
    # (test_mergerfs_branches_can_be_hidden_by_pattern).
    "mergerfs_homelab_storage_excerpt.mounts": [
        "/srv/audio", "/srv/.disks/ssd-hot", "/srv/.disks/hdd-cold", "/srv/video",
    ],
    # Machine types added later (sources in fixtures/mounts/README.md). Every ZFS dataset is its
    # own filesystem with its own used bytes, so each one is a row; /var/lib/docker as its own
    # dataset is kept like any /var/lib/docker filesystem.
    "zfs_ubuntu_zsys_userdata_docker_excerpt.mounts": [
        "/root", "/home/psy", "/home/test", "/test", "/var/lib/docker",
    ],
    # /nix/store is a bind of the root dataset (same 0:27, root /nix/store).
    "nixos_zfs_root_nix_store_bind_excerpt.mountinfo": ["/", "/var/lib", "/var/log"],
    # / is a composefs overlay (a read-only image, always 100 % full); the disk is /sysroot, the
    # first of its mounts in /proc/mounts order, not the shorter bind at /etc.
    "fedora_atomic_bazzite_composefs_excerpt.mounts": ["/sysroot"],
    "arch_zfs_root_tmpfs_tmp_excerpt.mounts": ["/"],
    "lxc_unprivileged_container_loop_root_excerpt.mountinfo": ["/"],
    # Root of a container is a folder of the host's btrfs (root /@/home/…/rootfs, no subvol=);
    # it is the only mount of 0:17 in the container, so it stays.
    "lxc_container_btrfs_rootfs_indented_excerpt.mountinfo": ["/"],
    # Inside the LXD snap's mount namespace the host is under /var/lib/snapd/hostfs: /@ and
    # /@home are subvolumes of one btrfs (one row); tank, tank/lxc and tank/lxc/jolokia are three
    # datasets (three rows); lxcfs is virtual.
    "lxd_snap_hostfs_btrfs_md_zfs_lxcfs_excerpt.mountinfo": [
        "/var/lib/snapd/hostfs", "/var/lib/snapd/hostfs/tank", "/var/lib/snapd/hostfs/tank/lxc",
        "/var/lib/snapd/hostfs/tank/lxc/jolokia",
    ],
    "synthetic_homelab_edge_cases.mountinfo": [
        "/", "/rpool", "/rpool/data", "/rpool/data/subvol-101-disk-0", "/mnt/user", "/mnt/disk1",
        "/mnt/backup", "/mnt/ssh", "/media/usb", "/data", "/net/nas",
    ],
    # Raw 0xE9 and the escape \350 are different bytes that both read "/srv/caf\ufffd": the
    # hub keys filesystems by that text, so only the first is reported.
    "synthetic_hostile_lines.mountinfo": [
        "/", "/srv/caf\udce9", "/srv/ok", "/srv/bad\\9", "/srv/💾",
    ],
}  # fmt: skip


def test_every_corpus_table_has_an_expectation() -> None:
    assert sorted(CORPUS_EXPECTED) == sorted(p.name for p in MOUNT_TABLES.glob("*.mount*"))


@pytest.mark.parametrize(("name", "expected"), sorted(CORPUS_EXPECTED.items()))
def test_corpus_table_keeps_exactly_the_real_filesystems(name: str, expected: list[str]) -> None:
    kept = select_filesystems(parse_mount_table(mount_table(name)))
    assert [m.mount_point for m in kept] == expected


@pytest.mark.parametrize(("name", "expected"), sorted(CORPUS_EXPECTED.items()))
def test_every_dropped_mount_has_a_reason(name: str, expected: list[str]) -> None:
    decisions = decide(parse_mount_table(mount_table(name)))
    assert [d.mount.mount_point for d in decisions if d.kept] == expected
    assert all(d.reason for d in decisions)


def test_mergerfs_branches_can_be_hidden_by_pattern() -> None:
    rules = FilterRules.from_config(AgentConfig(exclude_mount_patterns=("/srv/.disks/*",)))
    kept = select_filesystems(
        parse_mount_table(mount_table("mergerfs_homelab_storage_excerpt.mounts")), rules
    )
    assert [m.mount_point for m in kept] == ["/srv/audio", "/srv/video"]


@pytest.mark.parametrize(
    ("path", "prefix", "covered"),
    [
        ("/dev", "/dev", True),
        ("/dev/shm", "/dev", True),
        ("/devdata", "/dev", False),
        ("/snapraid", "/snap", False),
        ("/snap/core/1", "/snap", True),
        ("/runtime", "/run", False),
        ("/run/user/1000", "/run", True),
        ("/var/lib/docker", "/var/lib/docker/", False),
        ("/var/lib/docker/overlay2/x/merged", "/var/lib/docker/", True),
        ("/var/lib/dockerdata", "/var/lib/docker/", False),
    ],
)
def test_prefixes_match_on_path_boundaries(path: str, prefix: str, covered: bool) -> None:
    assert under_prefix(path, prefix) is covered


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("/dev/sdb1 /devdata ext4 rw 0 0", KEPT),
        ("/dev/sdc1 /snapraid ext4 rw 0 0", KEPT),
        ("/dev/sdd1 /runtime xfs rw 0 0", KEPT),
        ("/dev/sde1 /var/lib/docker ext4 rw 0 0", KEPT),
        (
            "/dev/sdf1 /var/lib/docker/volumes/x ext4 rw 0 0",
            "pseudo or container path below /var/lib/docker",
        ),
        ("/dev/loop3 /snap/core/123 squashfs ro 0 0", "virtual filesystem type squashfs"),
        ("/dev/sdg1 /run/media/usb vfat rw 0 0", "pseudo or container path below /run"),
        ("tank/data /tank/data zfs rw 0 0", KEPT),
        ("nas:/export /mnt/nas nfs4 rw 0 0", KEPT),
        ("//nas/share /mnt/share cifs rw 0 0", KEPT),
        ("pool /mnt/pool fuse.mergerfs rw 0 0", KEPT),
        ("me@host:/ /mnt/ssh fuse.sshfs rw 0 0", KEPT),
        ("lxcfs /var/lib/lxcfs fuse.lxcfs rw 0 0", "virtual filesystem type fuse.lxcfs"),
        ("tools /init 9p ro,aname=tools;fmask=022 0 0", "9p share that is not a WSL Windows drive"),
        ("C:\\134 /mnt/c 9p rw,aname=drvfs;path=C:\\ 0 0", KEPT),
        ("drvfs /mnt/e drvfs rw 0 0", KEPT),
        ("rpool/ROOT/pve-1 / zfs rw,xattr 0 0", KEPT),
        (
            "tank@daily /tank/.zfs/snapshot/daily zfs ro 0 0",
            "ZFS snapshot (a read-only past state of a dataset)",
        ),
        ("/dev/zram1 /var/tmp ext4 rw 0 0", "RAM-backed block device /dev/zram1"),
        ("/dev/ram0 /mnt/ram ext2 rw 0 0", "RAM-backed block device /dev/ram0"),
        ("/dev/zram10x /mnt/z ext4 rw 0 0", KEPT),
        (
            "/dev/fuse /etc/pve fuse rw,user_id=0 0 0",
            "FUSE daemon without a backing store (e.g. Proxmox pmxcfs)",
        ),
        ("shfs /mnt/user fuse.shfs rw 0 0", KEPT),
        ("/dev/md1p1 /mnt/disk1 xfs rw 0 0", KEPT),
        ("/dev/mapper/luks-0b3c /home btrfs rw 0 0", KEPT),
        ("/dev/sdc1 /media/usb exfat rw 0 0", KEPT),
        ("/dev/mmcblk0p1 /data f2fs rw 0 0", KEPT),
        (
            "fuse-overlayfs /home/u/x fuse.fuse-overlayfs rw 0 0",
            "virtual filesystem type fuse.fuse-overlayfs",
        ),
        (
            "Cura.AppImage /tmp/.mount_Cura1 fuse.Cura.AppImage ro 0 0",
            "AppImage mounted by its runtime",
        ),
        ("/dev/sda1 /etc/hosts ext4 rw 0 0", KEPT),
    ],
)
def test_single_mount_rule(line: str, reason: str) -> None:
    (decision,) = decide(parse_mounts(line + "\n"))
    assert decision.reason == reason


def test_container_runtime_file_binds_are_dropped() -> None:
    table = (
        "1 0 0:50 / / rw - overlay overlay rw\n"
        "2 1 8:1 /containers/ab/hostname /etc/hostname rw - ext4 /dev/sda1 rw\n"
        "3 1 8:1 /containers/ab/hosts /etc/hosts rw - ext4 /dev/sda1 rw\n"
        "4 1 8:1 /containers/ab/resolv.conf /etc/resolv.conf rw - ext4 /dev/sda1 ro\n"
        "5 1 8:2 / /data rw - xfs /dev/sdb1 rw\n"
    )
    assert [m.mount_point for m in select_filesystems(parse_mountinfo(table))] == ["/data"]


def test_include_pattern_keeps_a_zram_tmp_on_request() -> None:
    rules = FilterRules.from_config(AgentConfig(include_mount_patterns=("/tmp",)))
    mounts = parse_mounts("/dev/zram1 /tmp ext4 rw 0 0\n")
    assert [m.mount_point for m in select_filesystems(mounts, rules)] == ["/tmp"]


def test_binds_of_a_zfs_dataset_are_one_filesystem_in_mounts_format() -> None:
    mounts = parse_mounts("tank/media /tank/media zfs rw 0 0\ntank/media /srv/media zfs rw 0 0\n")
    assert [m.mount_point for m in select_filesystems(mounts)] == ["/tank/media"]


def test_in_mounts_format_the_first_mount_of_a_device_wins() -> None:
    mounts = parse_mounts("/dev/sda2 /sysroot btrfs ro 0 0\n/dev/sda2 /etc btrfs rw 0 0\n")
    assert [m.mount_point for m in select_filesystems(mounts)] == ["/sysroot"]


def test_mount_point_longer_than_the_hub_accepts_is_dropped_with_a_reason() -> None:
    long_path = "/" + "a" * 4096
    (decision,) = decide(parse_mounts(f"/dev/sdb1 {long_path} ext4 rw 0 0\n"))
    assert decision.reason == "mount point longer than 4096 characters"
    ok_path = "/" + "b" * 4095
    (kept,) = decide(parse_mounts(f"/dev/sdb1 {ok_path} ext4 rw 0 0\n"))
    assert kept.kept


def test_include_fs_types_keeps_a_virtual_type_on_request() -> None:
    rules = FilterRules.from_config(AgentConfig(include_fs_types=("tmpfs",)))
    mounts = parse_mounts("tmpfs /scratch tmpfs rw 0 0\ntmpfs /dev/shm tmpfs rw 0 0\n")
    assert [m.mount_point for m in select_filesystems(mounts, rules)] == ["/scratch"]


def test_include_pattern_overrides_the_pseudo_path_rule() -> None:
    rules = FilterRules.from_config(AgentConfig(include_mount_patterns=("/run/media/*",)))
    mounts = parse_mounts("/dev/sdg1 /run/media/usb vfat rw 0 0\n")
    assert [m.mount_point for m in select_filesystems(mounts, rules)] == ["/run/media/usb"]


BINDS = [
    pytest.param(
        "10 1 8:1 /data/sub /srv/sub rw - ext4 /dev/sda1 rw\n"
        "11 1 8:1 / /data rw - ext4 /dev/sda1 rw\n",
        ["/data"],
        id="root mount beats an earlier shorter bind of a folder",
    ),
    pytest.param(
        "10 1 8:1 /a /x rw - ext4 /dev/sda1 rw\n11 1 8:1 /b /yy rw - ext4 /dev/sda1 rw\n",
        ["/x"],
        id="among binds only the shortest path stays",
    ),
    pytest.param(
        "10 1 8:1 / /bb rw - ext4 /dev/sda1 rw\n11 1 8:1 / /aa rw - ext4 /dev/sda1 rw\n",
        ["/bb"],
        id="among equals the first seen stays",
    ),
    pytest.param(
        "10 1 0:50 / /mnt/a rw - nfs4 nas:/export rw\n"
        "11 1 0:51 / /mnt/b rw - nfs nas:/export/ rw\n",
        ["/mnt/a"],
        id="nfs mounts of one export with different device numbers collapse by source",
    ),
    pytest.param(
        "10 1 0:50 / /mnt/a rw - nfs4 nas:/one rw\n11 1 0:51 / /mnt/b rw - nfs4 nas:/two rw\n",
        ["/mnt/a", "/mnt/b"],
        id="different exports stay apart",
    ),
    pytest.param(
        "10 1 0:50 / /pool1 rw - fuse.mergerfs mergerfs rw\n"
        "11 1 0:51 / /pool2 rw - fuse.mergerfs mergerfs rw\n",
        ["/pool1", "/pool2"],
        id="fuse mounts with a generic source stay apart by device",
    ),
    pytest.param(
        "10 1 8:1 / /data rw - ext4 /dev/sda1 rw\n11 1 8:2 / /data rw - xfs /dev/sdb1 rw\n",
        ["/data"],
        id="a mount stacked on the same path hides the one below",
    ),
]


@pytest.mark.parametrize(("table", "kept"), BINDS)
def test_one_entry_per_filesystem(table: str, kept: list[str]) -> None:
    assert [m.mount_point for m in select_filesystems(parse_mountinfo(table))] == kept


def test_stacked_mount_reports_the_top_device() -> None:
    table = "10 1 8:1 / /data rw - ext4 /dev/sda1 rw\n11 1 8:2 / /data rw - xfs /dev/sdb1 rw\n"
    (kept,) = select_filesystems(parse_mountinfo(table))
    assert kept.source == "/dev/sdb1"


def test_bind_reason_names_the_kept_mount() -> None:
    decisions = decide(
        parse_mount_table(mount_table("rhel_bind_mounts_md_raid_systemd_rhbug1554943.mountinfo"))
    )
    reasons = {d.mount.mount_point: d.reason for d in decisions}
    assert reasons["/home/builduser"] == "bind or subvolume of the filesystem kept at /Volumes/dune"

"""Mount table parsing: escapes, separators, malformed lines and format detection."""

import pytest

from homelab_agent.mounts import (
    Mount,
    detect_format,
    parse_mount_table,
    parse_mountinfo,
    parse_mounts,
    unescape,
)
from tests.agent.conftest import MOUNT_TABLES, mount_table


@pytest.mark.parametrize(
    ("raw", "decoded"),
    [
        ("/mnt/foo\\040bar", "/mnt/foo bar"),
        ("/tmp/a\\011b", "/tmp/a\tb"),
        ("/tmp/new\\012line", "/tmp/new\nline"),
        ("C:\\134", "C:\\"),
        ("/plain/path", "/plain/path"),
        ("/not\\99octal", "/not\\99octal"),
        ("/media/yin/Ubuntu\\04014.0", "/media/yin/Ubuntu 14.0"),
    ],
)
def test_octal_escapes_are_decoded(raw: str, decoded: str) -> None:
    assert unescape(raw) == decoded


MOUNTINFO_LINES = [
    pytest.param(
        "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 - ext3 /dev/root rw,errors=continue",
        Mount(
            source="/dev/root",
            mount_point="/mnt2",
            fs_type="ext3",
            mount_options=("rw", "noatime"),
            super_options="rw,errors=continue",
            root="/mnt1",
            major=98,
            minor=0,
            mount_id=36,
        ),
        id="man-page example with optional field",
    ),
    pytest.param(
        "486 28 252:1 / /mnt/foo\\040bar rw,relatime shared:243 - ext4 /dev/vda1 rw",
        Mount("/dev/vda1", "/mnt/foo bar", "ext4", ("rw", "relatime"), "rw", "/", 252, 1, 486),
        id="escaped space in mount point",
    ),
    pytest.param(
        "31 21 0:23 / /DATA/x rw,relatime - cifs //foo/BLA\\040BLA/ rw,unc=\\\\foo\\BLA BLA,x=1",
        Mount(
            "//foo/BLA BLA/",
            "/DATA/x",
            "cifs",
            ("rw", "relatime"),
            "rw,unc=\\\\foo\\BLA BLA,x=1",
            "/",
            0,
            23,
            31,
        ),
        id="unescaped spaces in super options",
    ),
    pytest.param(
        "1 1 0:5 /  /root rw,nosuid shared:8 - rootfs rootfs rw",
        Mount("rootfs", "/root", "rootfs", ("rw", "nosuid"), "rw", "/", 0, 5, 1),
        id="double space",
    ),
    pytest.param(
        "  20 1 8:4 / / rw,noatime - ext3 /dev/sda4 rw",
        Mount("/dev/sda4", "/", "ext3", ("rw", "noatime"), "rw", "/", 8, 4, 20),
        id="leading spaces",
    ),
    pytest.param(
        "50 20 0:40 / /mnt/test/foo\rbar rw,relatime - tmpfs tmpfs rw",
        Mount("tmpfs", "/mnt/test/foo\rbar", "tmpfs", ("rw", "relatime"), "rw", "/", 0, 40, 50),
        id="raw carriage return inside the mount point",
    ),
    pytest.param(
        "43 40 0:33 / /proc/sys/fs/binfmt_misc rw - systemd-1 autofs rw,fd=22",
        Mount(
            "autofs", "/proc/sys/fs/binfmt_misc", "systemd-1", ("rw",), "rw,fd=22", "/", 0, 33, 43
        ),
        id="fs type and source swapped is parsed as written",
    ),
    pytest.param(
        "77 63 8:33 /.tmp /var/tmp rw - ext4 /dev/sdc1",
        Mount("/dev/sdc1", "/var/tmp", "ext4", ("rw",), "", "/.tmp", 8, 33, 77),
        id="bind mount of a folder without super options",
    ),
]


@pytest.mark.parametrize(("line", "expected"), MOUNTINFO_LINES)
def test_mountinfo_line_is_parsed(line: str, expected: Mount) -> None:
    assert parse_mountinfo(line + "\n") == [expected]


@pytest.mark.parametrize(
    "line",
    [
        pytest.param("garbage", id="one word"),
        pytest.param("36 35 98:0 /mnt1 /mnt2 rw,noatime ext3 /dev/root rw", id="no separator"),
        pytest.param("36 35 98:0 /mnt1 - ext3 /dev/root rw", id="too few fields"),
        pytest.param("x 35 98:0 / /mnt rw - ext3 /dev/root rw", id="mount id not a number"),
        pytest.param("36 35 980 / /mnt rw - ext3 /dev/root rw", id="device without colon"),
        pytest.param("36 35 98:0 / /mnt rw - ext3", id="no source"),
        pytest.param("", id="empty"),
    ],
)
def test_malformed_mountinfo_line_is_skipped_and_neighbours_survive(line: str) -> None:
    good = "20 1 8:4 / / rw - ext4 /dev/sda4 rw"
    mounts = parse_mountinfo(f"{good}\n{line}\n{good.replace('/ /', '/ /data')}\n")
    assert [m.mount_point for m in mounts] == ["/", "/data"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        pytest.param(
            "/dev/sda1 / ext4 rw,relatime 0 0",
            Mount("/dev/sda1", "/", "ext4", ("rw", "relatime")),
            id="plain",
        ),
        pytest.param(
            " /dev/mmcblk0p2 / ext4 rw,noatime 0 0",
            Mount("/dev/mmcblk0p2", "/", "ext4", ("rw", "noatime")),
            id="leading space",
        ),
        pytest.param(
            "C:\\134 /mnt/c 9p rw,aname=drvfs;path=C:\\;uid=1000 0 0",
            Mount("C:\\", "/mnt/c", "9p", ("rw", "aname=drvfs;path=C:\\;uid=1000")),
            id="WSL drive with escaped backslash",
        ),
        pytest.param(
            "/dev/sdd4 /media/yin/Ubuntu\\04014.0 vfat ro 0 0",
            Mount("/dev/sdd4", "/media/yin/Ubuntu 14.0", "vfat", ("ro",)),
            id="escaped space",
        ),
        pytest.param(
            "/dev/sda1 /srv ext4 rw",
            Mount("/dev/sda1", "/srv", "ext4", ("rw",)),
            id="without dump and pass",
        ),
    ],
)
def test_mounts_line_is_parsed(line: str, expected: Mount) -> None:
    assert parse_mounts(line + "\n") == [expected]


@pytest.mark.parametrize(
    "line",
    ["/dev/sda1 /", "/dev/sda1 relative ext4 rw 0 0", "   "],
    ids=["short", "relative", "blank"],
)
def test_malformed_mounts_line_is_skipped(line: str) -> None:
    assert parse_mounts(line + "\n/dev/sdb1 /data xfs rw 0 0\n") == [
        Mount("/dev/sdb1", "/data", "xfs", ("rw",))
    ]


def test_read_only_comes_from_mount_or_super_options() -> None:
    ro_mount, ro_super, rw = parse_mountinfo(
        "1 0 8:1 / /a ro,relatime - ext4 /dev/sda1 rw\n"
        "2 0 8:2 / /b rw,relatime - ext4 /dev/sda2 ro\n"
        "3 0 8:3 / /c rw,relatime - ext4 /dev/sda3 rw\n"
    )
    assert (ro_mount.read_only, ro_super.read_only, rw.read_only) == (True, True, False)


def test_empty_table_gives_no_mounts() -> None:
    assert parse_mount_table("") == []


@pytest.mark.parametrize("path", sorted(MOUNT_TABLES.glob("*.mount*")), ids=lambda p: p.name)
def test_format_is_detected_from_content(path: object) -> None:
    name = getattr(path, "name", "")
    expected = "mountinfo" if name.endswith(".mountinfo") else "mounts"
    assert detect_format(mount_table(name)) == expected


@pytest.mark.parametrize("path", sorted(MOUNT_TABLES.glob("*.mount*")), ids=lambda p: p.name)
def test_every_corpus_line_parses(path: object) -> None:
    name = getattr(path, "name", "")
    text = mount_table(name)
    lines = [line for line in text.split("\n") if line.strip(" ")]
    assert len(parse_mount_table(text)) == len(lines)


def test_both_formats_of_one_machine_list_the_same_mount_points() -> None:
    info = parse_mount_table(mount_table("centos_xfs_docker_userns_overlay2.mountinfo"))
    mounts = parse_mount_table(mount_table("centos_xfs_docker_userns_overlay2.mounts"))
    assert [m.mount_point for m in info] == [m.mount_point for m in mounts]
    assert [m.fs_type for m in info] == [m.fs_type for m in mounts]


def test_carriage_return_does_not_split_a_line() -> None:
    mounts = parse_mountinfo(mount_table("autofs_systemd_lvm_cifs_utillinux.mountinfo"))
    assert "/mnt/test/foo\rbar" in [m.mount_point for m in mounts]

"""Mount table parsing: escapes, separators, malformed lines and format detection."""

import json
from pathlib import Path

import pytest

from homelab_agent.filesystems.filtering import select_filesystems
from homelab_agent.filesystems.mounts import (
    Mount,
    clean_text,
    detect_format,
    parse_mount_table,
    parse_mountinfo,
    parse_mounts,
    read_mount_table,
    read_raw_text,
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


WELL_FORMED = sorted(p for p in MOUNT_TABLES.glob("*.mount*") if "hostile" not in p.name)


@pytest.mark.parametrize("path", WELL_FORMED, ids=lambda p: p.name)
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


GOOD = b"20 1 8:4 / / rw - ext4 /dev/sda4 rw\n"
LAST = b"21 20 8:5 / /data rw - xfs /dev/sdb1 rw\n"


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(b"20 1 8:4 /\n", id="too few fields"),
        pytest.param(b"a b c:d / /x rw - ext4 /dev/x rw\n", id="non-numeric ids"),
        pytest.param(b"20 1 8:x / /x rw - ext4 /dev/x rw\n", id="non-numeric minor"),
        pytest.param(b"20 1 8:4 / /x rw ext4 /dev/x rw\n", id="missing separator"),
        pytest.param(
            b"20 1 8:4 / /x\\9 rw - ext4 /dev/x rw\\\n", id="invalid octal and trailing backslash"
        ),
        pytest.param(b"20 1 8:4 / /x\x00y rw - ext4 /dev/x rw\n", id="NUL byte"),
        pytest.param(b"20 1 8:4 / /x\\000y rw - ext4 /dev/x rw\n", id="NUL as an escape"),
        pytest.param(b"20 1 8:4 / /caf\xe9 rw - ext4 /dev/x rw\n", id="invalid UTF-8"),
        pytest.param(b"20 1 8:4 / /x rw - ext4 /dev/\xff\xfe rw\n", id="invalid UTF-8 source"),
        pytest.param(b"20 1 8:4 / relative rw - ext4 /dev/x rw\n", id="relative mount point"),
        pytest.param(b"20 1 99999999999999999999:4 / /x rw - ext4 /dev/x rw\n", id="huge major"),
        pytest.param(b"\xff\xfe\xfd\n", id="binary garbage"),
        pytest.param(b"\r\n", id="lone CRLF"),
        pytest.param(b" \t \n", id="whitespace"),
        pytest.param(
            b"20 1 8:4 / /" + b"d" * 4096 + b" rw - ext4 /dev/x rw\n", id="4097-char path"
        ),
    ],
)
def test_a_hostile_line_never_costs_its_neighbours(tmp_path: Path, bad: bytes) -> None:
    path = tmp_path / "mountinfo"
    path.write_bytes(GOOD + bad + LAST)
    mounts = parse_mount_table(read_raw_text(path))
    points = [m.mount_point for m in mounts]
    assert points[0] == "/" and points[-1] == "/data"
    kept = select_filesystems(mounts)
    for mount in kept:
        for text in (mount.mount_point, mount.source, mount.fs_type):
            cleaned = clean_text(text)
            cleaned.encode("utf-8")  # never a lone surrogate on the wire
            assert "\x00" not in cleaned
    json.dumps([clean_text(m.mount_point) for m in kept], ensure_ascii=False).encode("utf-8")


@pytest.mark.parametrize("content", [b"", b"   \n\t\n", b"\n\n\n", b"\r\n\r\n"])
def test_an_empty_or_blank_table_gives_no_mounts(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "mounts"
    path.write_bytes(content)
    assert parse_mount_table(read_raw_text(path)) == []


def test_escaped_high_bytes_decode_like_raw_bytes() -> None:
    raw = parse_mountinfo("1 0 8:1 / /caf\udcc3\udca9 rw - ext4 /dev/sda1 rw\n")
    escaped = parse_mountinfo("1 0 8:1 / /caf\\303\\251 rw - ext4 /dev/sda1 rw\n")
    assert raw[0].mount_point == escaped[0].mount_point
    assert clean_text(escaped[0].mount_point) == "/café"
    assert unescape("/x\\777") == "/x\\777"  # not a byte: left as written


def test_clean_text_never_returns_surrogates_or_nul() -> None:
    assert clean_text("/a\udcff\ud800\x00b") == "/a??\ufffdb"  # a stray surrogate: all become ?
    assert clean_text("/a\udcffb") == "/a\ufffdb"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(" /dev/sda1 / ext4 rw 0 0\n", "mounts", id="mounts starting with a space"),
        pytest.param(
            "garbage\n20 1 8:4 / / rw - ext4 /dev/sda4 rw\n21 20 8:5 / /d rw - xfs /dev/b rw\n",
            "mountinfo",
            id="mountinfo with a malformed first line",
        ),
        pytest.param(
            "20 1 8:4 / / rw - ext4 /dev/sda4 rw\n/dev/sda1 / ext4 rw 0 0\n/dev/sdb / xfs rw 0 0\n",
            "mounts",
            id="mounts with a mountinfo-looking first line",
        ),
        pytest.param("    20 1 8:4 / / rw - ext4 /dev/sda4 rw\n", "mountinfo", id="indented"),
        pytest.param("20 1 8:4 / / rw - ext4 /dev/sda4 rw\r\n", "mountinfo", id="CRLF"),
        pytest.param("1 2 3 4\n", "mounts", id="numbers only"),
    ],
)
def test_format_detection_is_robust(text: str, expected: str) -> None:
    assert detect_format(text) == expected


def test_mountinfo_with_a_malformed_first_line_still_parses(tmp_path: Path) -> None:
    path = tmp_path / "mi"
    path.write_bytes(b"garbage\n" + GOOD + LAST)
    assert [m.mount_point for m in parse_mount_table(read_raw_text(path))] == ["/", "/data"]


def test_empty_mountinfo_falls_back_to_mounts(tmp_path: Path) -> None:
    (tmp_path / "self").mkdir()
    (tmp_path / "self" / "mountinfo").write_bytes(b"")
    (tmp_path / "mounts").write_bytes(b"/dev/sda1 / ext4 rw 0 0\n")
    assert [m.source for m in read_mount_table(tmp_path)] == ["/dev/sda1"]


def _big_table(lines: int) -> str:
    rows = ["1 0 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw"]
    for i in range(2, lines + 1):
        kind = i % 4
        if kind == 0:
            rows.append(
                f"{i} 1 0:{i} / /var/lib/docker/overlay2/{i:x}/merged rw - overlay overlay rw"
            )
        elif kind == 1:
            rows.append(f"{i} 1 0:{i} / /run/docker/netns/{i:x} rw - nsfs nsfs rw")
        elif kind == 2:
            rows.append(
                f"{i} 1 0:{i} / /var/lib/docker/containers/{i:x}/mounts/shm rw - tmpfs shm rw"
            )
        else:
            rows.append(f"{i} 1 0:{i} / /tank/ds{i} rw - zfs tank/ds{i} rw,xattr")
    return "\n".join(rows) + "\n"


def test_a_5000_line_table_keeps_root_and_every_dataset_but_no_container_mounts() -> None:
    # What the parser keeps at scale; speed is for `make bench`, never a test.
    text = _big_table(5000)
    mounts = parse_mount_table(text)
    kept = select_filesystems(mounts)
    assert len(mounts) == 5000
    assert len(kept) == 1 + 1250  # / and every zfs dataset

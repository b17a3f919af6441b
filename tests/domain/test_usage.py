"""Growth between two usage scans, the paths messages show, and which filesystems are network."""

import pytest

from homelab_cmd.domain.usage import growth, is_network_fs, printable


def test_growth_lists_growers_largest_first_then_shrinkers_largest_first() -> None:
    then = [("/a", 10), ("/a/b", 5), ("/a/c", 4), ("/a/d", 3), ("/a/e", 9), ("/a/same", 1)]
    now = [("/a", 20), ("/a/b", 1), ("/a/c", 8), ("/a/d", 0), ("/a/e", 13), ("/a/same", 1)]

    assert [(g.path, g.bytes_then, g.bytes_now, g.change) for g in growth(then, now)] == [
        ("/a", 10, 20, 10),
        ("/a/c", 4, 8, 4),
        ("/a/e", 9, 13, 4),
        ("/a/b", 5, 1, -4),
        ("/a/d", 3, 0, -3),
    ]


def test_a_path_one_scan_did_not_keep_is_unknown_not_zero() -> None:
    then = [("/a", 10), ("/a/left-the-top", 4)]
    now = [("/a", 12), ("/a/new-in-the-top", 6)]

    assert [(g.path, g.change) for g in growth(then, now)] == [("/a", 2)]


def test_printable_escapes_what_would_break_a_line_as_the_agent_does() -> None:
    assert printable("/srv/a b\nc\td\\e/ünï") == "/srv/a b\\012c\\011d\\134e/ünï"


@pytest.mark.parametrize(
    ("fs_type", "network"),
    [
        ("nfs", True),
        ("nfs4", True),
        ("cifs", True),
        ("smb3", True),
        ("fuse.sshfs", True),
        ("9p", True),
        ("ceph", True),
        ("ext4", False),
        ("xfs", False),
        ("zfs", False),
        ("fuse.mergerfs", False),
        ("btrfs", False),
    ],
)
def test_network_filesystems_are_told_by_type(fs_type: str, network: bool) -> None:
    assert is_network_fs(fs_type) is network

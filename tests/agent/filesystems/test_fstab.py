"""fstab lines, expected mounts and missing ones, table by table."""

import io
import json
import os
from pathlib import Path

import pytest

from homelab_agent.cli import main
from homelab_agent.filesystems.expected import (
    ExpectedMount,
    expected_from_fstab,
    failed_mount_units,
    find_missing,
    parse_failed_units,
    scan_bytes,
    shadowed,
    unit_mount_point,
)
from homelab_agent.filesystems.filtering import FilterRules
from homelab_agent.filesystems.fstab import parse_fstab
from homelab_agent.filesystems.mounts import parse_mount_table, read_raw_text
from tests.agent.conftest import DOMAIN_TABLES

NO_CONFIG = {"HOMELAB_AGENT_CONFIG": "", "HOMELAB_AGENT_SERVER_ID": "cli-test"}

# line number -> (mount point, expected?, reason or EXPECTED) for every non-comment line.
FSTAB_LINES = {
    4: ("/", True, "EXPECTED"),
    5: ("/boot/efi", True, "EXPECTED"),
    7: ("none", False, "swap"),
    8: ("swap", False, "swap"),
    9: ("/srv/media", True, "EXPECTED"),
    10: ("/mnt/usb backup", True, "EXPECTED"),  # \040 decoded
    11: ("/mnt/archive", False, "noauto: mounted only on demand"),
    12: ("/mnt/media", True, "EXPECTED"),
    13: ("/mnt/backup", True, "EXPECTED"),
    14: ("/tmp", False, "virtual filesystem type tmpfs"),
    15: ("/proc", False, "virtual filesystem type proc"),
    16: ("/home/alice/photos", True, "EXPECTED"),
    17: ("/data", True, "EXPECTED"),
}


def _fstab() -> str:
    return read_raw_text(DOMAIN_TABLES / "homelab.fstab")


def test_every_fstab_line_is_expected_or_says_why_not() -> None:
    lines = parse_fstab(_fstab())
    got = {
        line.line_number: (line.entry.mount_point, line.expected, line.reason)
        for line in lines
        if line.entry is not None
    }
    assert got == FSTAB_LINES
    (broken,) = [line for line in lines if line.entry is None]
    assert (broken.line_number, broken.reason) == (18, "malformed: fewer than 3 fields")


def test_tags_name_their_device_links() -> None:
    entries = {line.line_number: line.entry for line in parse_fstab(_fstab()) if line.entry}
    assert entries[4].device_path == "/dev/disk/by-uuid/0a3407de-014b-458b-b5c1-848e92a327a3"
    assert entries[9].device_path == "/dev/disk/by-label/media"
    assert entries[17].device_path == "/dev/disk/by-partuuid/5e6f7a8b-02"
    assert entries[13].device_path is None  # an NFS export
    assert entries[12].automount


def test_missing_mounts_of_the_homelab_host() -> None:
    mounts = parse_mount_table(read_raw_text(DOMAIN_TABLES / "homelab_fstab_host.mountinfo"))
    missing = find_missing(expected_from_fstab(parse_fstab(_fstab())), mounts)
    # /mnt/media is an automount not used yet: its autofs mount holds the path, so not missing.
    assert [(m.mount_point, m.source, m.origin) for m in missing] == [
        ("/srv/media", "LABEL=media", "fstab line 9"),
        ("/mnt/usb backup", "UUID=aa11bb22-cc33-dd44-ee55-ff6677889900", "fstab line 10"),
        ("/mnt/backup", "nas.lan:/volume1/backup", "fstab line 13"),
        ("/home/alice/photos", "/srv/media/photos", "fstab line 16"),
    ]


def test_include_fs_types_makes_a_tmpfs_line_expected() -> None:
    rules = FilterRules(include_fs_types=frozenset({"tmpfs"}))
    line = next(x for x in parse_fstab(_fstab(), rules) if x.line_number == 14)
    assert line.expected


def test_explain_says_why_for_each_fstab_line() -> None:
    out = io.StringIO()
    argv = [
        "filesystems", "--explain", "--json",
        "--mount-table", str(DOMAIN_TABLES / "homelab_fstab_host.mountinfo"),
        "--fstab", str(DOMAIN_TABLES / "homelab.fstab"),
    ]  # fmt: skip
    assert main(argv, env=NO_CONFIG, out=out) == 0
    rows = {r["fstab_line"]: r["reason"] for r in json.loads(out.getvalue()) if "fstab_line" in r}
    assert rows[9] == "fstab line 9: MISSING: expected but not mounted"
    assert rows[12] == (
        "fstab line 12: expected, automount not used yet (autofs until first access)"
    )
    assert rows[17] == "fstab line 17: expected, mounted"
    assert rows[11] == "fstab line 11: not expected: noauto: mounted only on demand"
    assert rows[18] == "fstab line 18: not expected: malformed: fewer than 3 fields"


def test_filesystems_from_a_table_and_fstab_lists_missing_ones_last() -> None:
    out = io.StringIO()
    argv = [
        "filesystems", "--json",
        "--mount-table", str(DOMAIN_TABLES / "homelab_fstab_host.mountinfo"),
        "--fstab", str(DOMAIN_TABLES / "homelab.fstab"),
    ]  # fmt: skip
    assert main(argv, env=NO_CONFIG, out=out) == 0
    rows = json.loads(out.getvalue())
    assert [(r["mount_point"], r["state"]) for r in rows] == [
        ("/", "ok"),
        ("/boot/efi", "ok"),
        ("/data", "ok"),
        ("/srv/media", "missing"),
        ("/mnt/usb backup", "missing"),
        ("/mnt/backup", "missing"),
        ("/home/alice/photos", "missing"),
    ]


def test_domains_of_a_table_from_the_command_line() -> None:
    out = io.StringIO()
    table = str(DOMAIN_TABLES / "unraid_array_cache.mountinfo")
    argv = ["filesystems", "--domains", "--json", "--mount-table", table]
    assert main(argv, env=NO_CONFIG, out=out) == 0
    user = next(r for r in json.loads(out.getvalue()) if r["key"] == "union:/mnt/user")
    assert user["union_of"] == ["/mnt/disk1", "/mnt/disk2", "/mnt/disk3", "/mnt/cache"]


def test_failed_systemd_mount_units_are_expected() -> None:
    output = (
        "mnt-usb\\x2ddisk.mount loaded failed failed /mnt/usb-disk\n"
        "● srv-nfs.mount loaded failed failed NFS share\n"
        "ssh.service loaded failed failed OpenSSH\n"
    )
    assert [m.mount_point for m in parse_failed_units(output)] == ["/mnt/usb-disk", "/srv/nfs"]
    assert unit_mount_point("-.mount") == "/"
    found = failed_mount_units(run=lambda _argv: output)
    assert found[0] == ExpectedMount(
        "/mnt/usb-disk", "mnt-usb\\x2ddisk.mount", "", "systemd unit mnt-usb\\x2ddisk.mount"
    )


def test_systemctl_that_cannot_run_means_no_failed_units() -> None:
    def broken(_argv: list[str]) -> str:
        raise FileNotFoundError("systemctl")

    assert failed_mount_units(run=broken) == []


def test_scan_adds_up_files_and_stops_at_its_bounds(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.log").write_bytes(b"1" * 1000)
    (tmp_path / "two.bin").write_bytes(b"2" * 2500)
    os.symlink("/etc/hostname", tmp_path / "link")  # a link is not bytes on this filesystem
    assert scan_bytes(str(tmp_path)) == 3500
    assert scan_bytes(str(tmp_path / "nope")) is None
    assert scan_bytes(str(tmp_path / "two.bin")) is None
    assert (scan_bytes(str(tmp_path), max_entries=1) or 0) < 3500
    empty = tmp_path / "empty"
    empty.mkdir()
    assert shadowed([str(empty), str(tmp_path / "a")]) == [0, 1000]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n  \t\n"])
def test_an_empty_fstab_expects_nothing(text: str) -> None:
    assert parse_fstab(text) == []

"""The crossing decision: which stored heartbeats can change an alert, worked out in memory."""

import random
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from homelab_cmd.domain.alerts import (
    GIB,
    MountMode,
    MountPolicy,
    Severity,
    disk_severity,
    inode_severity,
)
from homelab_cmd.schemas.heartbeat import HeartbeatRequest
from homelab_cmd.services.alerts.crossings import (
    CONDITIONS,
    WHOLE,
    CrossingWatch,
    Scope,
    disk_band,
    inode_band,
)
from homelab_cmd.services.levels import PolicyBook
from tests.factories import (
    drive_payload,
    filesystem_payload,
    heartbeat_payload,
    pool_payload,
    unreachable_filesystem_payload,
)

T0 = datetime(2026, 12, 6, 12, tzinfo=UTC)
SIZE = 100 * GIB
POLICIES = [
    MountPolicy(),
    MountPolicy(warn_percent=70, crit_percent=90, inodes_warn_percent=50),
    MountPolicy(mode=MountMode.EXPECTED_FULL),
    MountPolicy(warn_free_bytes=30 * GIB, crit_free_bytes=5 * GIB),
    MountPolicy(mode=MountMode.EXPECTED_FULL, warn_free_bytes=GIB, crit_free_bytes=1),
    MountPolicy(mode=MountMode.IGNORE),
]
CURRENT = (None, Severity.WARNING, Severity.CRITICAL)


def _woken(watch: CrossingWatch, stored: list[tuple[HeartbeatRequest, datetime]]) -> list[str]:
    """The servers of these stored heartbeats that need a pass, in the order stored."""
    return list(watch.changes(stored))


def disk(used: int, size: int = SIZE, **fields: Any) -> dict[str, Any]:
    fields.setdefault("read_only", False)
    return filesystem_payload(
        mount_point="/data",
        total_bytes=size,
        used_bytes=used,
        available_bytes=size - used,
        **fields,
    )


def beat(*filesystems: dict[str, Any] | None, **fields: Any) -> HeartbeatRequest:
    payload = heartbeat_payload(
        filesystems=None if filesystems == (None,) else list(filesystems), **fields
    )
    return HeartbeatRequest.model_validate(payload)


class Fleet:
    """A watch fed one server's heartbeats a second apart (or `after` seconds)."""

    def __init__(self, watch: CrossingWatch | None = None) -> None:
        self.watch = watch or CrossingWatch(offline_after_seconds=180)
        self.at = T0

    def send(self, *filesystems: dict[str, Any] | None, after: float = 1, **fields: Any) -> bool:
        """Whether this heartbeat wakes a pass for its server."""
        self.at += timedelta(seconds=after)
        heartbeat = beat(*filesystems, timestamp=self.at, **fields)
        return _woken(self.watch, [(heartbeat, self.at)]) == [heartbeat.server_id]


def band_severity(bits: int, current: Severity | None) -> Severity | None:
    """The severity a band gives an alert now at `current` (None: no alert open)."""
    for severity in (Severity.CRITICAL, Severity.WARNING):
        held = current is not None and current.rank >= severity.rank
        if bits & (1 << CONDITIONS.index((severity, held))):
            return severity
    return None


def percent(value: float) -> int:
    return int(SIZE * value / 100)


@pytest.mark.parametrize("policy", POLICIES)
def test_a_band_gives_the_severity_of_the_used_space_rule_for_every_open_alert(
    policy: MountPolicy,
) -> None:
    rng = random.Random(7)
    sizes = [10 * GIB, SIZE, 700 * GIB, 20 * 1024 * GIB]
    levels = [0, 70, 75, 80, 84.99, 85, 89.9, 90, 94.999, 95, 99.5, 99.9, 99.98, 100]
    for size in sizes:
        cases = [int(size * p / 100) for p in levels]
        cases += [rng.randrange(0, size + 1) for _ in range(300)]
        cases += [size - floor for floor in (GIB, 5 * GIB, 20 * GIB, 100 * GIB, 1) if floor < size]
        for used in cases:
            for offset in (-1, 0, 1):
                u = min(max(used + offset, 0), size)
                band = disk_band(policy, u, size - u)
                for current in CURRENT:
                    assert band_severity(band, current) == disk_severity(
                        policy, u, size - u, current
                    ), (size, u, current)


@pytest.mark.parametrize("policy", POLICIES)
def test_a_band_gives_the_severity_of_the_inode_rule_for_every_open_alert(
    policy: MountPolicy,
) -> None:
    total = 1_000_000
    for used in [*range(0, total + 1, 997), 850_000, 849_999, 900_000, 899_999, 950_000]:
        band = inode_band(policy, used, total)
        for current in CURRENT:
            assert band_severity(band, current) == inode_severity(policy, used, total, current)
    assert inode_band(policy, None, total) == 0
    assert inode_band(policy, 5, 0) == 0


def test_the_first_heartbeat_of_a_server_wakes_a_pass_and_the_same_bands_do_not() -> None:
    fleet = Fleet()
    assert fleet.send(disk(percent(40)))
    for step in range(1, 30):  # the disk grows, inodes too, within their bands
        assert not fleet.send(disk(percent(40) + step * 4096, inodes_used=10_000 + step))


def test_each_level_crossed_up_or_down_wakes_a_pass() -> None:
    fleet = Fleet()
    fleet.send(disk(percent(50)))
    woken = {p: fleet.send(disk(percent(p))) for p in (60, 86, 87, 84, 83, 79, 78, 96, 97, 91)}
    # 86 fires a warning, 84 is under its fire level (an open warning stays), 79 under its clear
    # level; 96 critical, 91 under critical's fire level but over its clear level.
    assert woken == {
        60: False,
        86: True,
        87: False,
        84: True,
        83: False,
        79: True,
        78: False,
        96: True,
        97: False,
        91: True,
    }


def test_the_exact_byte_where_a_level_starts_wakes_and_the_byte_before_does_not() -> None:
    policy = MountPolicy()
    below = disk_band(policy, percent(84), SIZE - percent(84))
    low, high = percent(84), percent(86)  # the band changes once in between: find the byte
    while low < high:
        mid = (low + high) // 2
        low, high = (low, mid) if disk_band(policy, mid, SIZE - mid) != below else (mid + 1, high)
    start = low
    fleet = Fleet()
    fleet.send(disk(start - 5))
    assert [fleet.send(disk(u)) for u in range(start - 4, start + 4)] == [
        u == start for u in range(start - 4, start + 4)
    ]


def test_a_disk_that_changes_size_keeps_its_band_unless_a_level_is_crossed() -> None:
    fleet = Fleet()
    fleet.send(disk(percent(50)))
    assert not fleet.send(disk(60 * GIB, size=120 * GIB))  # a zfs dataset's room moves
    assert fleet.send(disk(110 * GIB, size=120 * GIB))


def test_inode_levels_wake_a_pass() -> None:
    fleet = Fleet()
    fleet.send(disk(percent(40), inodes_total=1000, inodes_used=100))
    assert not fleet.send(disk(percent(40), inodes_total=1000, inodes_used=800))
    assert fleet.send(disk(percent(40), inodes_total=1000, inodes_used=910))
    assert fleet.send(disk(percent(40), inodes_total=1000, inodes_used=860))
    assert fleet.send(disk(percent(40), inodes_total=None, inodes_used=None))  # none sent


def test_read_only_flips_and_mount_states_wake_a_pass() -> None:
    fleet = Fleet()
    fleet.send(disk(percent(40), read_only=None))
    assert fleet.send(disk(percent(40)))  # seen writable: the pass remembers it
    assert fleet.send(disk(percent(40), read_only=True))
    assert not fleet.send(disk(percent(41), read_only=True))
    assert fleet.send(disk(percent(40)))
    unreachable = unreachable_filesystem_payload(mount_point="/data")
    assert fleet.send(unreachable)
    assert not fleet.send(unreachable)
    assert fleet.send({**unreachable, "state": "missing"})
    assert fleet.send(disk(percent(40)))


def test_a_mount_appearing_wakes_a_pass_and_one_vanishing_wakes_two() -> None:
    fleet = Fleet()
    usb = filesystem_payload(mount_point="/mnt/usb")
    fleet.send(disk(percent(40)))
    assert fleet.send(disk(percent(40)), usb)
    assert not fleet.send(disk(percent(40)), usb)
    # `vanished` fires at the second heartbeat without the mount: both are passed, no more.
    assert [fleet.send(disk(percent(40))) for _ in range(4)] == [True, True, False, False]
    assert fleet.send(disk(percent(40)), usb)  # back: the vanished alert resolves


def test_an_agent_that_stops_or_starts_sending_filesystems_wakes_a_pass() -> None:
    fleet = Fleet()
    fleet.send(disk(percent(40)))
    assert fleet.send(None)
    assert not fleet.send(None)
    assert fleet.send(disk(percent(40)))


def test_a_server_back_after_the_offline_threshold_wakes_a_pass() -> None:
    fleet = Fleet()
    fleet.send(disk(percent(40)))
    assert not fleet.send(disk(percent(40)), after=170)
    assert fleet.send(disk(percent(40)), after=181)


def test_drive_readings_and_a_changed_pool_wake_a_pass() -> None:
    fleet = Fleet()
    fleet.send(disk(percent(40)), pools=[pool_payload()])
    assert fleet.send(disk(percent(40)), drives=[drive_payload()])
    assert not fleet.send(disk(percent(40)))  # no drive pass since: nothing new
    assert not fleet.send(disk(percent(40)), pools=[pool_payload()])
    assert fleet.send(disk(percent(40)), pools=[pool_payload(state="DEGRADED")])
    assert not fleet.send(disk(percent(40)))


def test_a_replay_older_than_the_snapshot_changes_nothing_the_watch_remembers() -> None:
    fleet = Fleet()
    fleet.send(disk(percent(40)))
    old = beat(disk(percent(90)), timestamp=T0 - timedelta(hours=1))
    assert _woken(fleet.watch, [(old, fleet.at + timedelta(seconds=1))]) == []
    assert not fleet.send(disk(percent(41)))  # compared with the live heartbeat, not the replay
    assert fleet.send(disk(percent(90)))


def test_levels_changed_wake_each_server_once_and_the_same_levels_do_not() -> None:
    fleet = Fleet()
    fleet.send(disk(percent(80)))
    fleet.watch.use_rules(PolicyBook())
    assert not fleet.send(disk(percent(80)))
    fleet.watch.use_rules(PolicyBook(server_rules={"nas-1": {"warn_percent": 75}}))
    assert fleet.send(disk(percent(80)))
    assert not fleet.send(disk(percent(80)))
    # The new levels are the ones judged: 77 % is now in the warning band.
    assert fleet.send(disk(percent(74)))
    assert fleet.send(disk(percent(77)))


def test_a_mount_set_to_ignore_is_never_a_crossing() -> None:
    fleet = Fleet()
    book = PolicyBook()
    book.mount_rules["nas-1"].append(("/data", {"mode": "ignore"}))
    fleet.watch.use_rules(book)
    fleet.send(disk(percent(40)))
    assert not fleet.send(disk(percent(99)))
    assert not fleet.send(unreachable_filesystem_payload(mount_point="/data"))


def test_a_deleted_server_wakes_a_pass_with_its_next_heartbeat() -> None:
    fleet = Fleet()
    fleet.send(disk(percent(90)))
    fleet.watch.forget_server("nas-1")
    assert fleet.send(disk(percent(90)))


def test_memory_is_bounded_by_mounts_and_a_server_forgotten_wakes_a_pass_again() -> None:
    watch = CrossingWatch(offline_after_seconds=180, max_mounts=15)
    at = T0
    for i in range(10):  # ten servers of two mounts each (the factory's / and /data)
        heartbeat = beat(filesystem_payload(), disk(percent(40)), server_id=f"s{i}", timestamp=at)
        assert _woken(watch, [(heartbeat, at)]) == [f"s{i}"]
    assert len(watch) <= 15
    at += timedelta(seconds=1)
    oldest = beat(filesystem_payload(), disk(percent(40)), server_id="s0", timestamp=at)
    newest = beat(filesystem_payload(), disk(percent(40)), server_id="s9", timestamp=at)
    assert _woken(watch, [(oldest, at), (newest, at)]) == ["s0"]


def test_one_batch_names_each_server_once_in_the_order_stored() -> None:
    watch = CrossingWatch(offline_after_seconds=180)
    beats = [beat(disk(percent(p)), server_id=s, timestamp=T0) for s, p in (("b", 40), ("a", 40))]
    beats.append(beat(disk(percent(90)), server_id="b", timestamp=T0 + timedelta(seconds=1)))
    assert _woken(watch, [(h, h.timestamp) for h in beats]) == ["b", "a"]


@pytest.mark.parametrize(
    ("policy", "free", "step"),
    [(p, 200 * GIB, 8 * GIB) for p in POLICIES[:2]]
    + [(POLICIES[2], 8 * GIB, GIB), (POLICIES[3], 30 * GIB, 4 * GIB), (POLICIES[4], GIB, GIB // 4)],
)
def test_a_walk_of_the_figures_wakes_a_pass_exactly_when_the_band_changes(
    policy: MountPolicy, free: int, step: int
) -> None:
    rng = random.Random(11)
    fleet = Fleet()
    book = PolicyBook()
    book.mount_rules["nas-1"].append(("/data", {"mode": policy.mode, "warn_free_bytes": None}))
    book.server_rules["nas-1"] = {
        k: v for k, v in vars(policy).items() if k not in ("mode", "clear_margin_percent")
    }
    fleet.watch.use_rules(book)
    size, inodes = 700 * GIB, 800_000
    used = size - free
    before = None
    changes = 0
    for _ in range(400):
        size += rng.choice([0, 0, 0, GIB, -GIB])
        used = min(max(used + rng.randrange(-step, step), 0), size)
        inodes = min(max(inodes + rng.randrange(-40_000, 40_000), 0), 1_000_000)
        fs = disk(used, size=size, inodes_total=1_000_000, inodes_used=inodes)
        band = (disk_band(policy, used, size - used), inode_band(policy, inodes, 1_000_000))
        woken = fleet.send(fs)
        assert woken == (before is None or band != before)
        changes += before is not None and band != before
        before = band
    assert changes >= 5  # the walk does cross levels


def test_a_wake_names_what_changed_and_the_whole_server_when_a_mount_went_or_it_came_back() -> None:
    watch = CrossingWatch(offline_after_seconds=180)
    root = filesystem_payload(mount_point="/")

    def changes(*filesystems: dict[str, Any], at: float, **fields: Any) -> dict[str, Scope]:
        when = T0 + timedelta(seconds=at)
        return watch.changes([(beat(*filesystems, timestamp=when, **fields), when)])

    assert changes(root, disk(percent(40)), at=1) == {"nas-1": WHOLE}  # first seen
    assert changes(root, disk(percent(97)), at=2) == {"nas-1": Scope(frozenset({"/data"}))}
    drives = changes(root, disk(percent(97)), at=3, drives=[drive_payload()])
    assert drives == {"nas-1": Scope(frozenset(), storage=True)}
    assert changes(root, at=4) == {"nas-1": WHOLE}  # /data gone: vanished is judged whole
    assert changes(root, at=5) == {"nas-1": WHOLE}  # and at its second heartbeat without
    assert changes(root, at=6) == {}
    assert changes(root, at=200) == {"nas-1": WHOLE}  # back after the offline threshold


def test_a_replay_first_heard_is_forgotten_once_a_pass_finds_a_newer_snapshot() -> None:
    fleet = Fleet()
    fleet.send(disk(percent(40)))  # in fact a replay: the database holds a newer heartbeat
    fleet.watch.confirm({"nas-1": fleet.at + timedelta(minutes=5)})
    assert fleet.send(disk(percent(40)))  # judged against the database again
    fleet.watch.confirm({"nas-1": fleet.at})  # the snapshot is this heartbeat: kept
    assert not fleet.send(disk(percent(40)))


def test_the_same_mounts_in_another_order_or_one_repeated_in_place_of_another() -> None:
    fleet = Fleet()
    usb = filesystem_payload(mount_point="/mnt/usb", read_only=False)
    fleet.send(disk(percent(40)), usb)
    assert not fleet.send(usb, disk(percent(40)))  # reordered, each in its band
    assert not fleet.send(disk(percent(40)), usb)
    # As many entries as mounts, but /mnt/usb gone (the later /data shadows the earlier).
    assert fleet.send(disk(percent(40)), disk(percent(41)))
    assert fleet.send(disk(percent(40)), disk(percent(41)))  # vanished fires at the second
    assert not fleet.send(disk(percent(40)), disk(percent(41)))
    assert fleet.send(disk(percent(40)), disk(percent(97)))  # the shadowing entry crosses


def test_one_in_the_same_second_is_a_retry_and_one_in_the_next_is_new_however_close() -> None:
    fleet = Fleet()
    assert fleet.send(disk(percent(40)), after=0.9)
    # The snapshot keeps one heartbeat a second: a later one in that second changes nothing.
    assert not fleet.send(disk(percent(90)), after=0.05)
    assert fleet.send(disk(percent(90)), after=0.1)  # 0.15 s later, but the next second
    assert not fleet.send(disk(percent(40)), after=-0.5)  # an earlier second: a replay

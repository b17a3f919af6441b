"""The alert conditions as pure rules: levels, hysteresis and size-aware floors."""

import pytest

from homelab_cmd.domain.alerts import (
    GIB,
    MountMode,
    MountPolicy,
    Severity,
    disk_severity,
    fill_severity,
    inode_severity,
    pattern_matches,
)

TIB = 1024 * GIB
DEFAULT = MountPolicy()


def used(percent: float, size: int = 100 * GIB) -> tuple[int, int]:
    used_bytes = int(size * percent / 100)
    return used_bytes, size - used_bytes


@pytest.mark.parametrize(
    ("percent", "current", "expected"),
    [
        (84.9, None, None),
        (85.0, None, Severity.WARNING),
        (94.9, None, Severity.WARNING),
        (95.0, None, Severity.CRITICAL),
        (82.0, Severity.WARNING, Severity.WARNING),  # held above the 80 % clear level
        (79.9, Severity.WARNING, None),
        (91.0, Severity.CRITICAL, Severity.CRITICAL),  # held above 90 %
        (89.9, Severity.CRITICAL, Severity.WARNING),
    ],
)
def test_used_percent_fires_at_its_level_and_clears_below_the_lower_one(
    percent: float, current: Severity | None, expected: Severity | None
) -> None:
    assert disk_severity(DEFAULT, *used(percent), current) is expected


def test_a_20_tib_array_is_not_critical_with_a_tib_free() -> None:
    assert disk_severity(DEFAULT, 19 * TIB, TIB, None) is None
    assert disk_severity(DEFAULT, 20 * TIB - 90 * GIB, 90 * GIB, None) is Severity.WARNING
    assert disk_severity(DEFAULT, 20 * TIB - 10 * GIB, 10 * GIB, None) is Severity.CRITICAL


def test_small_disks_follow_the_percent() -> None:
    assert DEFAULT.floor_bytes(Severity.WARNING, 100 * GIB) == pytest.approx(15 * GIB)
    assert DEFAULT.floor_bytes(Severity.CRITICAL, 100 * GIB) == pytest.approx(5 * GIB)


def test_expected_full_is_held_to_the_floor_only() -> None:
    policy = MountPolicy(mode=MountMode.EXPECTED_FULL)
    assert disk_severity(policy, *used(99.0, 10 * TIB), None) is None  # ~102 GiB free
    assert disk_severity(policy, 10 * TIB - 40 * GIB, 40 * GIB, None) is Severity.WARNING
    assert disk_severity(policy, 10 * TIB - 5 * GIB, 5 * GIB, None) is Severity.CRITICAL
    explicit = policy.overridden({"warn_free_bytes": 200 * GIB})
    assert disk_severity(explicit, *used(99.0, 10 * TIB), None) is Severity.WARNING


def test_ignore_fires_nothing() -> None:
    policy = MountPolicy(mode=MountMode.IGNORE)
    assert disk_severity(policy, *used(100), None) is None
    assert fill_severity(policy, 0.5, None) is None


def test_time_to_full_levels_with_hysteresis() -> None:
    assert fill_severity(DEFAULT, None, None) is None
    assert fill_severity(DEFAULT, 15, None) is None
    assert fill_severity(DEFAULT, 13, None) is Severity.WARNING
    assert fill_severity(DEFAULT, 2, None) is Severity.CRITICAL
    assert fill_severity(DEFAULT, 16, Severity.WARNING) is Severity.WARNING
    assert fill_severity(DEFAULT, 18, Severity.WARNING) is None


def test_inodes_only_in_default_mode() -> None:
    assert inode_severity(DEFAULT, 91, 100, None) is Severity.WARNING
    assert inode_severity(DEFAULT, 96, 100, None) is Severity.CRITICAL
    assert inode_severity(DEFAULT, 50, 0, None) is None
    assert inode_severity(MountPolicy(mode=MountMode.EXPECTED_FULL), 99, 100, None) is None


def test_overrides_skip_nulls_and_unknown_names() -> None:
    policy = DEFAULT.overridden({"warn_percent": 70, "crit_percent": None, "bogus": 1})
    assert (policy.warn_percent, policy.crit_percent) == (70, 95)


def test_mount_patterns_are_exact_paths_or_globs() -> None:
    assert pattern_matches("/mnt/backup*", "/mnt/backup-2")
    assert pattern_matches("/data", "/data")
    assert not pattern_matches("/data", "/data2")

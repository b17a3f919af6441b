"""Drive health as pure rules: first sight, increase since the baseline, rates (docs/alerts.md).

A drive is judged from its latest reading, the counts first seen (the baseline), the previous
reading (for rates and fast growth) and the counts an operator acknowledged. Every verdict
carries its reasons in words, and each reason names the counter and the figures behind it.

Levels at first sight follow Backblaze's published S.M.A.R.T. statistics ("What SMART Stats
Tell Us About Hard Drives", 2016, and the quarterly Drive Stats data): of the attributes that
predict failure (5, 187, 188, 197, 198), any nonzero 187, 197 or 198 goes with a several-fold
higher failure rate, while a few reallocated sectors (5) are common on drives that keep
working, so 5 warns from REALLOCATED_WARN. 188 (command timeouts) is mostly cabling and power,
so it is judged as a rate (Checkmk's 100 an hour), never as a level.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class DriveHealth(StrEnum):
    PASSED = "passed"
    WARNING = "warning"
    FAILED = "failed"
    ASLEEP = "asleep"
    UNKNOWN = "unknown"

    @property
    def rank(self) -> int:
        """Worst first: failed 4, warning 3, unknown 2, asleep 1, passed 0."""
        return _RANK[self]


_RANK = {
    DriveHealth.FAILED: 4,
    DriveHealth.WARNING: 3,
    DriveHealth.UNKNOWN: 2,
    DriveHealth.ASLEEP: 1,
    DriveHealth.PASSED: 0,
}


@dataclass(frozen=True)
class Counter:
    """A count the hub watches for increases: its key, its name in words, its level if any."""

    key: str
    label: str
    # A level at or above which the count warns whatever its baseline (None: increase only).
    warn_at: int | None = None


# Reallocated sectors warn from this many (Backblaze: a handful is common on working drives).
REALLOCATED_WARN = 10
# An increase since the baseline of at least this much, or of FAST_INCREASE since the previous
# reading (an hour apart by default), is critical: the drive is failing now.
LARGE_INCREASE = 100
FAST_INCREASE = 10
# Command timeouts (ATA 188) per hour that warn (Checkmk's smart.stats level).
TIMEOUTS_PER_HOUR = 100
TIMEOUTS = "ata_188"

# Counts whose increase warns, declared once: the store keeps them, the history reads them, the
# alerts and /metrics name them from here.
COUNTERS: tuple[Counter, ...] = (
    Counter("ata_5", "reallocated sectors (5)", REALLOCATED_WARN),
    Counter("ata_10", "spin retries (10)"),
    Counter("ata_184", "end-to-end errors (184)"),
    Counter("ata_187", "reported uncorrectable errors (187)", 1),
    Counter("ata_196", "reallocation events (196)"),
    Counter("ata_197", "pending sectors (197)", 1),
    Counter("ata_198", "offline uncorrectable sectors (198)", 1),
    Counter("nvme_media_errors", "NVMe media errors", 1),
    Counter("scsi_grown_defects", "grown defects", REALLOCATED_WARN),
    Counter("scsi_uncorrected_read_errors", "uncorrected read errors", 1),
    Counter("scsi_uncorrected_write_errors", "uncorrected write errors", 1),
    Counter("scsi_uncorrected_verify_errors", "uncorrected verify errors", 1),
)
# ATA attribute ids the hub keeps (the agent's list): the counters, 188 and 199 (CRC errors).
ATA_KEPT = (5, 10, 184, 187, 188, 196, 197, 198, 199)
# Every count the hub names: the counters, then those judged otherwise.
COUNT_LABELS = {
    **{c.key: c.label for c in COUNTERS},
    TIMEOUTS: "command timeouts (188)",
    "ata_199": "interface CRC errors (199)",
}
# NVMe critical warning bits that mean the drive is failing (temperature alone only warns).
NVME_TEMPERATURE = "temperature_out_of_range"


@dataclass(frozen=True)
class Reading:
    """What one drive's latest data says, in the hub's terms (built from the wire by a service)."""

    # The agent's state: ok, asleep, power_mode_unknown, no_smart, error.
    state: str
    read_at: datetime | None
    smart_passed: bool | None
    exit_status_bits: Sequence[str] = ()
    # Counter key (`ata_5`, `nvme_media_errors`, …, and `ata_188`, `ata_199`) → count.
    counts: Mapping[str, int] = field(default_factory=dict)
    # ATA attribute ids smartctl marks failing now, or in the past.
    failing_now: Sequence[int] = ()
    failing_past: Sequence[int] = ()
    nvme_critical_warnings: Sequence[str] = ()
    available_spare_percent: int | None = None
    available_spare_threshold_percent: int | None = None
    used_percent: int | None = None
    message: str | None = None

    @property
    def has_data(self) -> bool:
        """Whether there is any reading to judge (a drive without S.M.A.R.T. has none)."""
        return self.read_at is not None and (self.smart_passed is not None or bool(self.counts))


@dataclass(frozen=True)
class Previous:
    """The reading before this one: its counts and when it was read."""

    counts: Mapping[str, int]
    read_at: datetime


@dataclass(frozen=True)
class Finding:
    """One reason, with the counter it is about (None: the drive as a whole)."""

    health: DriveHealth
    reason: str
    key: str | None = None
    value: int | None = None


@dataclass(frozen=True)
class Verdict:
    health: DriveHealth
    reasons: list[str]
    # The findings an acknowledgement silenced (their counts unchanged since).
    acknowledged: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _first_sight(reading: Reading) -> list[Finding]:
    out: list[Finding] = []
    if reading.smart_passed is False:
        out.append(Finding(DriveHealth.FAILED, "smartctl's overall verdict is FAILED"))
    for bit, why in (
        ("disk_failing", "smartctl says the disk is failing (exit status bit 3)"),
        (
            "prefail_attribute_below_threshold",
            "a pre-failure attribute is at or below its threshold (exit status bit 4)",
        ),
    ):
        if bit in reading.exit_status_bits and reading.smart_passed is not False:
            out.append(Finding(DriveHealth.FAILED, why))
    out.extend(
        Finding(DriveHealth.FAILED, f"ATA attribute {i} is below its threshold now")
        for i in reading.failing_now
    )
    out.extend(
        Finding(DriveHealth.WARNING, f"ATA attribute {i} fell below its threshold in the past")
        for i in reading.failing_past
        if i not in reading.failing_now
    )
    for bit in reading.nvme_critical_warnings:
        health = DriveHealth.WARNING if bit == NVME_TEMPERATURE else DriveHealth.FAILED
        out.append(Finding(health, f"NVMe critical warning: {bit.replace('_', ' ')}"))
    spare, floor = reading.available_spare_percent, reading.available_spare_threshold_percent
    if spare is not None and floor is not None and floor > 0 and spare < floor:
        out.append(
            Finding(DriveHealth.FAILED, f"available spare {spare} % is below its {floor} % floor")
        )
    if reading.used_percent is not None and reading.used_percent >= 100:
        out.append(
            Finding(
                DriveHealth.WARNING,
                f"wear: {reading.used_percent} % of its rated life used",
                "nvme_used_percent",
                reading.used_percent,
            )
        )
    return out


def _counters(
    reading: Reading, baseline: Mapping[str, int], previous: Previous | None
) -> list[Finding]:
    out: list[Finding] = []
    for counter in COUNTERS:
        value = reading.counts.get(counter.key)
        if value is None:
            continue
        base = baseline.get(counter.key, value)
        grown = value - base
        if grown > 0:
            before = previous.counts.get(counter.key) if previous else None
            fast = before is not None and value - before >= FAST_INCREASE
            health = DriveHealth.FAILED if grown >= LARGE_INCREASE or fast else DriveHealth.WARNING
            why = f"{counter.label} rose from {base} to {value} since first seen"
            if fast and before is not None:
                why += f" ({value - before} since the previous reading)"
            out.append(Finding(health, why, counter.key, value))
        elif counter.warn_at is not None and value >= counter.warn_at:
            out.append(
                Finding(
                    DriveHealth.WARNING,
                    f"{counter.label}: {value} (warns from {counter.warn_at})",
                    counter.key,
                    value,
                )
            )
    return out


def timeout_rate(reading: Reading, previous: Previous | None) -> float | None:
    """Command timeouts (188) per hour since the previous reading; None without one."""
    now, before = reading.counts.get(TIMEOUTS), previous.counts.get(TIMEOUTS) if previous else None
    if now is None or before is None or previous is None or reading.read_at is None:
        return None
    hours = (reading.read_at - previous.read_at).total_seconds() / 3600
    if hours <= 0 or now < before:
        return None
    return (now - before) / max(hours, 1.0)


def judge(
    reading: Reading,
    baseline: Mapping[str, int],
    previous: Previous | None = None,
    acknowledged: Mapping[str, int] | None = None,
) -> Verdict:
    """The drive's health now, with its reasons in words.

    `baseline` holds the counts first seen (empty at first sight: the reading is its own);
    `acknowledged` the counts an operator acknowledged: a finding about a counter whose count
    has not changed since stays quiet.
    """
    if not reading.has_data:
        why = reading.message or f"no S.M.A.R.T. data ({reading.state})"
        return Verdict(DriveHealth.UNKNOWN, [why])
    findings = [*_first_sight(reading), *_counters(reading, baseline, previous)]
    rate = timeout_rate(reading, previous)
    if rate is not None and rate >= TIMEOUTS_PER_HOUR:
        findings.append(
            Finding(
                DriveHealth.WARNING,
                f"command timeouts (188): {rate:.0f} an hour (warns from {TIMEOUTS_PER_HOUR})",
                TIMEOUTS,
                reading.counts[TIMEOUTS],
            )
        )
    quiet = acknowledged or {}
    live = [f for f in findings if f.key is None or quiet.get(f.key) != f.value]
    hushed = [f.reason for f in findings if f not in live]
    worst = max((f.health for f in live), key=lambda h: h.rank, default=DriveHealth.PASSED)
    reasons = [f.reason for f in sorted(live, key=lambda f: -f.health.rank)]
    if worst is DriveHealth.PASSED and reading.state == "asleep":
        return Verdict(DriveHealth.ASLEEP, ["asleep: not woken; its last reading passed"], hushed)
    if reading.state in {"error", "power_mode_unknown"} and reading.message:
        reasons.append(f"last data kept: {reading.message}")
    return Verdict(worst, reasons, hushed, live)

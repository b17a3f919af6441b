"""The wire's drives in the hub's terms: the counts the domain judges, and the verdict."""

from homelab_cmd.domain.drives import ATA_KEPT, Reading
from homelab_cmd.schemas.drive import DriveReport

SCSI_COUNTS = (
    "grown_defects",
    "uncorrected_read_errors",
    "uncorrected_write_errors",
    "uncorrected_verify_errors",
)


def counts_of(drive: DriveReport) -> dict[str, int]:
    """The drive's key counts by name (`ata_5`, `nvme_media_errors`, `scsi_grown_defects`)."""
    counts: dict[str, int] = {}
    for attribute in drive.ata_attributes or []:
        if attribute.id in ATA_KEPT:
            counts[f"ata_{attribute.id}"] = attribute.count
    if drive.nvme is not None and drive.nvme.media_errors is not None:
        counts["nvme_media_errors"] = drive.nvme.media_errors
    if drive.scsi is not None:
        for name in SCSI_COUNTS:
            value = getattr(drive.scsi, name)
            if value is not None:
                counts[f"scsi_{name}"] = value
    return counts


def reading_of(drive: DriveReport) -> Reading:
    """What the domain judges of one wire drive."""
    attributes = drive.ata_attributes or []
    nvme = drive.nvme
    return Reading(
        state=drive.state,
        read_at=drive.read_at,
        smart_passed=drive.smart_passed,
        exit_status_bits=tuple(drive.exit_status_bits),
        counts=counts_of(drive),
        failing_now=tuple(a.id for a in attributes if a.failing == "now"),
        failing_past=tuple(a.id for a in attributes if a.failing == "past"),
        nvme_critical_warnings=tuple(nvme.critical_warnings) if nvme else (),
        available_spare_percent=nvme.available_spare_percent if nvme else None,
        available_spare_threshold_percent=(
            nvme.available_spare_threshold_percent if nvme else None
        ),
        used_percent=nvme.used_percent if nvme else None,
        message=drive.message,
    )

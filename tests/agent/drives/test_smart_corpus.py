"""Every saved smartctl output of the corpus parses; key fields of a representative set."""

import json
from pathlib import Path

import pytest

from homelab_agent.drives.model import SmartReading
from homelab_agent.drives.smart import (
    decode_exit_status,
    decode_raw_count,
    parse_reading,
    stable_id,
)
from tests.agent.drives.conftest import SMART_CORPUS, corpus_file

FILES = sorted(p.name for p in SMART_CORPUS.glob("*.json"))


def test_the_corpus_is_beside_the_checkout() -> None:
    assert len(FILES) == 168, f"expected the 168 files of {SMART_CORPUS}"


@pytest.mark.parametrize("name", FILES)
def test_every_saved_smartctl_output_parses(name: str) -> None:
    doc = json.loads(corpus_file(name).read_text(encoding="utf-8"))

    reading = parse_reading(doc)

    assert reading.protocol in {"ATA", "NVMe", "SCSI"}
    assert reading.kind in {"hdd", "ssd", "nvme", "unknown"}
    assert reading.exit_status is not None
    assert reading.smart_passed is not None
    assert reading.name.startswith("/dev/")
    if reading.protocol == "ATA":
        assert reading.ata_attributes is not None
        assert all(a.count <= 0xFFFF_FFFF for a in reading.ata_attributes)
    if reading.protocol == "NVMe":
        assert reading.nvme is not None and reading.nvme.available_spare_percent is not None
    if reading.protocol == "SCSI":
        assert reading.scsi is not None and reading.scsi.grown_defects is not None


def _reading(name: str) -> SmartReading:
    return parse_reading(json.loads(corpus_file(name).read_text(encoding="utf-8")))


def _counts(name: str) -> dict[int, int]:
    reading = _reading(name)
    assert reading.ata_attributes is not None
    return {a.id: a.count for a in reading.ata_attributes}


def test_seagate_command_timeouts_packed_in_48_bits_read_as_the_low_word() -> None:
    # 51,540,393,996 = 12 << 32 | 12 << 16 | 12: three 16-bit counters, not 51 billion.
    reading = _reading("sat-Seagate_Exos_X16-ST16000NM001G-2KK103-sda.json")
    assert reading.ata_attributes is not None
    timeouts = next(a for a in reading.ata_attributes if a.id == 188)
    assert (timeouts.raw, timeouts.count) == (51540393996, 12)
    assert (reading.kind, reading.capacity_bytes, reading.temperature_celsius) == (
        "hdd",
        16000900661248,
        26,
    )
    assert reading.power_on_seconds == 13114 * 3600
    # NAA 5, OUI 0x000c50 (Seagate), id 1234567890 (redacted by the corpus): 16 hex digits.
    assert reading.wwn == "0x5000c500499602d2"


def test_seagate_raw16_string_reads_as_its_low_word() -> None:
    counts = _counts("sat-Seagate_Enterprise_Capacity_3.5_HDD-ST2000NM0008-2F3100-sdl.json")
    assert counts[188] == 2  # raw string "2 2 2", raw 8,590,065,666


def test_a_large_unpacked_udma_crc_count_is_kept_whole() -> None:
    counts = _counts("sat-Western_Digital_RE4-WDC_WD2003FYYS-02W0B1-sdi.json")
    assert counts[199] == 3118119


def test_the_failed_nvme_drive_reports_its_warning_bit_and_verdict() -> None:
    reading = _reading("nvme-null-SAMSUNG_MZWLL3T2HAJQ-00005-nvme0.json")
    assert reading.smart_passed is False
    assert reading.exit_status_bits == ["disk_failing"]
    assert reading.nvme is not None
    assert reading.nvme.critical_warnings == ["volatile_memory_backup_failed"]
    assert (
        reading.nvme.available_spare_percent,
        reading.nvme.available_spare_threshold_percent,
    ) == (100, 10)
    assert (
        reading.nvme.used_percent,
        reading.nvme.unsafe_shutdowns,
        reading.nvme.media_errors,
    ) == (0, 4, 0)
    assert reading.kind == "nvme" and reading.capacity_bytes == 3200631791616


def test_a_scsi_drive_reports_grown_defects_and_uncorrected_errors() -> None:
    reading = _reading("SEAGATE_ST373453LC_26.json")
    assert reading.scsi is not None
    assert reading.scsi.grown_defects == 260
    assert reading.scsi.uncorrected_read_errors == 1
    assert (reading.model, reading.kind, reading.rotation_rpm) == (
        "SEAGATE ST373453LC",
        "hdd",
        15015,
    )
    assert reading.power_on_seconds == 102880 * 3600 + 59 * 60


def test_an_ata_ssd_is_an_ssd() -> None:
    reading = _reading("sat-Samsung_based_SSDs-SAMSUNG_MZ7LH480HAHQ-00005-sda.json")
    assert (reading.protocol, reading.kind, reading.device_type) == ("ATA", "ssd", "sat")


@pytest.mark.parametrize(
    ("status", "bits"),
    [
        (0, []),
        (2, ["device_open_failed"]),
        (8, ["disk_failing"]),
        (64 | 32, ["attribute_below_threshold_in_past", "error_log_has_errors"]),
        (256, ["bit_8"]),
    ],
)
def test_exit_status_bits_are_named_per_the_man_page(status: int, bits: list[str]) -> None:
    assert decode_exit_status(status) == bits


@pytest.mark.parametrize(
    ("attribute", "raw", "raw_string", "count"),
    [
        (188, 17180131332, "17180131332", 4),  # no drive database entry: packed words
        (188, 8590065666, "2 2 2", 2),
        (5, 0x0001_0000_0008, "8 (1 0)", 8),  # raw16(raw16): the count and vendor words
        (197, 8, "8", 8),
        (197, 0x0003_0000_0000_0001, "1", 1),  # above 32 bits: packed
        (199, 3118119, "3118119", 3118119),
        (187, 65536 * 3, "0 3 0", 0),  # a raw16 string: the low word, last
    ],
)
def test_raw_values_decode_to_the_count(
    attribute: int, raw: int, raw_string: str, count: int
) -> None:
    assert decode_raw_count(attribute, raw, raw_string) == count


def test_the_stable_id_prefers_the_wwn_then_model_and_serial_then_the_path(tmp_path: Path) -> None:
    seagate = _reading("sat-Seagate_Exos_X16-ST16000NM001G-2KK103-sda.json")
    nvme = _reading("nvme-null-SAMSUNG_MZWLL3T2HAJQ-00005-nvme0.json")
    assert stable_id(seagate, "/dev/sda", "sat").startswith("wwn:0x5")
    assert stable_id(nvme, "/dev/nvme0", "nvme") == "serial:SAMSUNG MZWLL3T2HAJQ-00005:REDACTED"
    bare = parse_reading({"device": {"name": "/dev/sda", "type": "megaraid,3"}})
    assert stable_id(bare, "/dev/sda", "megaraid,3") == "path:/dev/sda:megaraid,3"

import type { DriveHealth, DriveRead, PoolRead } from "./types";

/** Worst first, as the hub ranks them: failed, warning, unknown, asleep, passed. */
export const HEALTH_RANK: Record<DriveHealth, number> = {
  failed: 4,
  warning: 3,
  unknown: 2,
  asleep: 1,
  passed: 0,
};

/** The urgency colour of a drive's health (asleep and unknown read calm and grey). */
export function healthLevel(health: DriveHealth): "critical" | "warning" | "ok" | "neutral" {
  if (health === "failed") return "critical";
  if (health === "warning") return "warning";
  return health === "passed" ? "ok" : "neutral";
}

export function byHealth(a: DriveRead, b: DriveRead): number {
  return HEALTH_RANK[b.health] - HEALTH_RANK[a.health];
}

/** The drives a mount point lives on, worst first. */
export function drivesOfMount(drives: readonly DriveRead[], mountPoint: string): DriveRead[] {
  return drives.filter((d) => d.filesystems.includes(mountPoint)).sort(byHealth);
}

/** "/dev/sda (ST16000NM001G, serial ZL2ABC12)": a drive as a person finds it in the case. */
export function driveLabel(drive: DriveRead): string {
  const identity = [drive.model, drive.serial ? `serial ${drive.serial}` : null].filter(Boolean);
  return identity.length ? `${drive.name} (${identity.join(", ")})` : drive.name;
}

const KIND_LABELS: Record<string, string> = {
  hdd: "hard disk",
  ssd: "SSD",
  nvme: "NVMe SSD",
  unknown: "unknown kind",
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind] ?? kind;
}

/** The key counts the hub keeps, by the name it stores them under (domain/drives.py). */
export const ATTRIBUTE_LABELS: Record<string, string> = {
  ata_5: "reallocated sectors (5)",
  ata_10: "spin retries (10)",
  ata_184: "end-to-end errors (184)",
  ata_187: "reported uncorrectable (187)",
  ata_188: "command timeouts (188)",
  ata_196: "reallocation events (196)",
  ata_197: "pending sectors (197)",
  ata_198: "offline uncorrectable (198)",
  ata_199: "interface CRC errors (199)",
  nvme_media_errors: "media errors",
  nvme_error_log_entries: "error log entries",
  nvme_unsafe_shutdowns: "unsafe shutdowns",
  scsi_grown_defects: "grown defects",
  scsi_uncorrected_read_errors: "uncorrected read errors",
  scsi_uncorrected_write_errors: "uncorrected write errors",
  scsi_uncorrected_verify_errors: "uncorrected verify errors",
};

export function attributeLabel(key: string): string {
  return ATTRIBUTE_LABELS[key] ?? key.replace(/_/g, " ");
}

/** "5.4 years" / "212 days" / "14 h": power-on time as a person reads it. */
export function formatPowerOn(hours: number | null | undefined): string {
  if (hours === null || hours === undefined) return "—";
  if (hours < 48) return `${hours} h`;
  const days = hours / 24;
  if (days < 730) return `${Math.round(days)} days`;
  return `${(days / 365.25).toFixed(1)} years`;
}

export function formatTemperature(celsius: number | null | undefined): string {
  return celsius === null || celsius === undefined ? "—" : `${celsius} °C`;
}

/** A pool's device error counters summed over its vdev tree (ZFS) or devices (md, btrfs). */
export interface DeviceErrors {
  read: number;
  write: number;
  checksum: number;
  other: number;
}

interface DeviceNode {
  read_errors?: number | null;
  write_errors?: number | null;
  checksum_errors?: number | null;
  flush_errors?: number | null;
  corruption_errors?: number | null;
  generation_errors?: number | null;
  children?: DeviceNode[];
}

export function poolDeviceErrors(pool: PoolRead): DeviceErrors {
  const total: DeviceErrors = { read: 0, write: 0, checksum: 0, other: 0 };
  const stack = [...((pool.detail.devices as DeviceNode[] | undefined) ?? [])];
  while (stack.length) {
    const device = stack.pop()!;
    // zpool counts each level on its own (a raidz row holds what no leaf can be blamed for).
    stack.push(...(device.children ?? []));
    total.read += device.read_errors ?? 0;
    total.write += device.write_errors ?? 0;
    total.checksum += device.checksum_errors ?? 0;
    total.other +=
      (device.flush_errors ?? 0) +
      (device.corruption_errors ?? 0) +
      (device.generation_errors ?? 0);
  }
  return total;
}

interface Scan {
  function?: string;
  state?: string;
  ended_at?: string | null;
  progress_percent?: number | null;
  errors?: number | null;
}

export function poolScan(pool: PoolRead): Scan | null {
  return (pool.detail.scan as Scan | null | undefined) ?? null;
}

import type {
  CapacityDomainRead,
  FilesystemRead,
  ServerRead,
  ServerSummary,
} from "../types/server";

const MIB = 1024 ** 2;
const GIB = 1024 ** 3;
const NOW = new Date("2026-01-10T12:00:00Z");

export function makeFilesystem(overrides: Partial<FilesystemRead> = {}): FilesystemRead {
  const total = overrides.total_bytes ?? 100 * GIB;
  const percent = overrides.percent ?? 40;
  const used = overrides.used_bytes ?? Math.round((total * percent) / 100);
  return {
    mount_point: "/",
    confident: false,
    device: "/dev/sda1",
    fs_type: "ext4",
    total_bytes: total,
    used_bytes: used,
    available_bytes: total - used,
    percent,
    read_only: false,
    inodes_total: null,
    inodes_used: null,
    state: "ok",
    growth_bytes_per_day: null,
    full_at: null,
    days_until_full: null,
    inodes_confident: false,
    ...overrides,
  };
}

export function makeDomain(overrides: Partial<CapacityDomainRead> = {}): CapacityDomainRead {
  return {
    key: "dev:/dev/sda1",
    kind: "device",
    members: ["/"],
    total_bytes: 100 * GIB,
    used_bytes: 40 * GIB,
    available_bytes: 60 * GIB,
    union_of: null,
    parent: null,
    growth_bytes_per_day: null,
    full_at: null,
    days_until_full: null,
    confident: false,
    counted: true,
    ...overrides,
  };
}

export function makeServerSummary(overrides: Partial<ServerSummary> = {}): ServerSummary {
  return {
    id: "web-1",
    hostname: "web-1.lan",
    display_name: null,
    agent_version: "0.1.0",
    os_info: {
      distribution: "Debian GNU/Linux",
      version: "12",
      kernel: "6.1.0",
      architecture: "x86_64",
    },
    status: "online",
    last_seen_at: new Date(Date.now() - 30_000).toISOString(),
    latest_heartbeat_at: new Date(Date.now() - 30_000).toISOString(),
    created_at: NOW.toISOString(),
    latest_metrics: {
      cpu_percent: 12.5,
      memory_percent: 48,
      memory_total_bytes: 8192 * MIB,
      memory_used_bytes: 3932 * MIB,
      disk_percent: 42,
      disk_total_bytes: 100 * GIB,
      disk_used_bytes: 42 * GIB,
      load_1m: 0.5,
      load_5m: 0.4,
      load_15m: 0.3,
      uptime_seconds: 90_000,
      network_rx_bytes: 1000,
      network_tx_bytes: 2000,
    },
    filesystem_count: 3,
    missing_filesystem_count: 0,
    vanished_filesystem_count: 0,
    capacity: {
      domain_count: 3,
      total_bytes: 300 * GIB,
      used_bytes: 120 * GIB,
      available_bytes: 180 * GIB,
    },
    fullest_filesystem: {
      mount_point: "/data",
      confident: false,
      percent: 85.5,
      growth_bytes_per_day: GIB,
      full_at: "2026-02-01T00:00:00Z",
      days_until_full: 12.4,
    },
    ...overrides,
  };
}

export function makeServerRead(overrides: Partial<ServerRead> = {}): ServerRead {
  const {
    filesystem_count: _count,
    fullest_filesystem: _fullest,
    soonest_full_filesystem: _soonest,
    capacity: _capacity,
    missing_filesystem_count: _missing,
    vanished_filesystem_count: _vanished,
    ...base
  } = makeServerSummary();
  return {
    ...base,
    vanished_filesystems: [],
    filesystems: [
      makeFilesystem({ mount_point: "/", percent: 40 }),
      makeFilesystem({
        mount_point: "/data",
        device: "/dev/sdb1",
        fs_type: "xfs",
        percent: 85.5,
        growth_bytes_per_day: GIB,
        full_at: "2026-02-01T00:00:00Z",
        days_until_full: 12.4,
      }),
      makeFilesystem({
        mount_point: "/mnt/nas",
        device: "nas:/export",
        fs_type: "nfs4",
        percent: 0,
        used_bytes: 0,
        available_bytes: 0,
        state: "unreachable",
      }),
    ],
    ...overrides,
  };
}

/** GET /alert-settings as the hub answers it: the built-in levels, with `effective` overrides. */
export function makeAlertSettings(effective: Record<string, unknown> = {}) {
  return {
    server_id: null,
    mount_pattern: null,
    effective: {
      mode: "default",
      warn_percent: 85,
      crit_percent: 95,
      clear_margin_percent: 5,
      warn_free_bytes: null,
      crit_free_bytes: null,
      warn_days: 14,
      crit_days: 3,
      inodes_warn_percent: 90,
      inodes_crit_percent: 95,
      ...effective,
    },
  };
}

// A seeded server: 200 filesystems (one with a space in its mount point, one stuck NFS mount)
// and hourly history over five days with one disk filling steadily.
const GIB = 1024 ** 3;
const TIB = 1024 * GIB;
const HOUR = 3600_000;

export const SEEDED_ID = "nas-e2e";
export const SPACED_MOUNT = "/mnt/My Disk";
export const STUCK_MOUNT = "/mnt/nfs-stuck";
export const HISTORY_HOURS = 5 * 24;
/** The filling disk grows by this much per day: 2 % of 1 TiB. */
const GROWTH_PER_DAY = 0.02 * TIB;
const SPIKY_HOURS = 48;
const SPIKE_BYTES = 0.04 * TIB;

/** @type {string[]} */
export const SEEDED_MOUNTS = [
  SPACED_MOUNT,
  STUCK_MOUNT,
  ...Array.from({ length: 198 }, (_, i) => `/srv/disk-${String(i).padStart(3, "0")}`),
];

/**
 * @param {number} hoursBeforeNow
 * @param {number} spike extra bytes on the filling disk (temporary files)
 */
function filesystems(hoursBeforeNow, spike) {
  return SEEDED_MOUNTS.map((mount, i) => {
    if (mount === STUCK_MOUNT) {
      return {
        mount_point: mount,
        device: "nas:/export",
        fs_type: "nfs4",
        total_bytes: 0,
        used_bytes: 0,
        available_bytes: 0,
        percent: 0,
        state: "unreachable",
      };
    }
    const total = TIB;
    const used =
      mount === SPACED_MOUNT
        ? Math.round(0.7 * TIB - (GROWTH_PER_DAY * hoursBeforeNow) / 24 + spike)
        : Math.round(total * (((i * 37) % 97) / 100));
    return {
      mount_point: mount,
      device: mount === SPACED_MOUNT ? "/dev/sdb1" : `/dev/mapper/vg-disk${i}`,
      fs_type: i % 3 === 0 ? "xfs" : "ext4",
      total_bytes: total,
      used_bytes: used,
      available_bytes: total - used,
      percent: Math.round((used / total) * 1000) / 10,
    };
  });
}

/** The heartbeat the seeded server sent `hoursBeforeNow` hours ago. */
/**
 * @param {number} hoursBeforeNow
 * @param {string} serverId
 * @param {number} spike
 */
export function seededHeartbeat(hoursBeforeNow, now = Date.now(), serverId = SEEDED_ID, spike = 0) {
  const timestamp = new Date(now - hoursBeforeNow * HOUR - 5_000).toISOString();
  return {
    server_id: serverId,
    hostname: serverId,
    timestamp,
    agent_version: "seed",
    os_info: {
      distribution: "Debian GNU/Linux",
      version: "12",
      kernel: "6.1.0-18-amd64",
      architecture: "x86_64",
    },
    metrics: {
      cpu_percent: 20 + (hoursBeforeNow % 24),
      memory_percent: 55,
      memory_total_mb: 16384,
      memory_used_mb: 9011,
      load_1m: 0.8,
      load_5m: 0.6,
      load_15m: 0.5,
      network_rx_bytes: (HISTORY_HOURS - hoursBeforeNow) * 50_000_000,
      network_tx_bytes: (HISTORY_HOURS - hoursBeforeNow) * 5_000_000,
      uptime_seconds: 400_000,
    },
    filesystems: filesystems(hoursBeforeNow, spike),
  };
}

/** Posts hourly history for five days and a current heartbeat. */
/**
 * @param {string} url
 * @param {string} apiKey
 * @param {{ serverId?: string, hours?: number }} [options]
 */
export async function seedHub(
  url,
  apiKey,
  { serverId = SEEDED_ID, hours: historyHours = HISTORY_HOURS } = {},
) {
  const now = Date.now();
  /** @param {number} hours @param {number} spike */
  const post = async (hours, spike) => {
    const response = await fetch(`${url}/api/v1/agents/heartbeat`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-API-Key": apiKey },
      body: JSON.stringify(seededHeartbeat(hours, now, serverId, spike)),
    });
    if (!response.ok)
      throw new Error(`seed heartbeat ${hours} h ago: ${response.status} ${await response.text()}`);
  };
  for (let hours = historyHours; hours >= 0; hours -= 1) {
    await post(hours, 0);
    // Over the last two days, half-hourly samples with temporary files give the hourly
    // buckets a visible min–max band.
    if (hours > 0 && hours <= SPIKY_HOURS) await post(hours - 0.5, SPIKE_BYTES);
  }
}

import { http, HttpResponse } from "msw";
import type { components } from "../types/api.gen";
import { server } from "./server";

// Drives and pools as the hub answers them, and the hub's drive routes for the tests.

type DriveRead = components["schemas"]["DriveRead"];
type PoolRead = components["schemas"]["PoolRead"];
type DriveHistory = components["schemas"]["DriveHistory"];

const TB = 1000 ** 4;

/** A healthy hard disk of web-1 under /data, read an hour ago. */
export function makeDrive(overrides: Partial<DriveRead> = {}): DriveRead {
  return {
    id: 1,
    key: "wwn:0x5000c500499602d2",
    server_id: "web-1",
    name: "/dev/sda",
    model: "ST16000NM001G-2KK103",
    serial: "ZL2ABC12",
    kind: "hdd",
    state: "ok",
    health: "passed",
    reasons: [],
    acknowledged: [],
    temperature_celsius: 34,
    power_on_hours: 45_000,
    capacity_bytes: 16 * TB,
    attributes: { ata_5: 0, ata_197: 0 },
    used_percent: null,
    available_spare_percent: null,
    filesystems: ["/data"],
    pools: [],
    first_seen_at: "2026-01-01T00:00:00Z",
    read_at: new Date(Date.now() - 3600_000).toISOString(),
    checked_at: new Date(Date.now() - 3600_000).toISOString(),
    asleep_since: null,
    ...overrides,
  };
}

/** A failing drive under /srv/media with its reasons. */
export function makeFailingDrive(overrides: Partial<DriveRead> = {}): DriveRead {
  return makeDrive({
    id: 7,
    key: "serial:WDC WD80EFAX:VK0FAIL1",
    name: "/dev/sdc",
    model: "WDC WD80EFAX-68KNBN0",
    serial: "VK0FAIL1",
    health: "failed",
    reasons: [
      "smartctl's overall verdict is FAILED",
      "reallocated sectors (5) rose from 8 to 160 since first seen",
    ],
    attributes: { ata_5: 160, ata_197: 3 },
    temperature_celsius: 47,
    filesystems: ["/srv/media"],
    ...overrides,
  });
}

/** A ZFS pool with one checksum error on a leaf and a scrub ten days ago. */
export function makePool(overrides: Partial<PoolRead> = {}): PoolRead {
  const ended = new Date(Date.now() - 10 * 86_400_000).toISOString();
  return {
    kind: "zfs",
    name: "tank",
    state: "ONLINE",
    health: "ok",
    reasons: [],
    degraded_since: null,
    last_scrub_at: ended,
    first_seen_at: "2026-01-01T00:00:00Z",
    read_at: new Date().toISOString(),
    detail: {
      kind: "zfs",
      name: "tank",
      state: "ONLINE",
      scan: { function: "scrub", state: "finished", ended_at: ended, errors: 0 },
      devices: [
        {
          name: "tank",
          read_errors: 0,
          write_errors: 0,
          checksum_errors: 0,
          children: [
            {
              name: "mirror-0",
              read_errors: 0,
              write_errors: 0,
              checksum_errors: 0,
              children: [
                { name: "sda", read_errors: 0, write_errors: 0, checksum_errors: 1 },
                { name: "sdb", read_errors: 0, write_errors: 0, checksum_errors: 0 },
              ],
            },
          ],
        },
      ],
    },
    ...overrides,
  };
}

/** GET /drives answers these drives (the hub's order: give them worst first). */
export function serveFleetDrives(drives: DriveRead[]) {
  server.use(
    http.get("*/api/v1/drives", () => HttpResponse.json({ data: drives, count: drives.length })),
  );
}

/**
 * A drive's history: temperature and counts over three readings an hour apart. Returns the
 * ranges asked for, as "server drive range".
 */
export function serveDriveHistory(counts: Record<string, number[]> = { ata_5: [8, 40, 160] }) {
  const asked: string[] = [];
  server.use(
    http.get("*/api/v1/servers/:serverId/drives/:driveId/history", ({ params, request }) => {
      const range = (new URL(request.url).searchParams.get("range") ??
        "24h") as DriveHistory["range"];
      asked.push(`${params.serverId} ${params.driveId} ${range}`);
      const body: DriveHistory = {
        drive_id: Number(params.driveId),
        range,
        resolution: range === "12m" ? "daily" : "raw",
        step_seconds: range === "12m" ? 86400 : 3600,
        points: [0, 1, 2].map((i) => ({
          at: new Date(Date.now() - (3 - i) * 3600_000).toISOString(),
          temperature_celsius: 40 + i,
          power_on_hours: 13_112 + i,
          attributes: Object.fromEntries(
            Object.entries(counts).map(([key, values]) => [key, values[i] ?? 0]),
          ),
        })),
      };
      return HttpResponse.json(body);
    }),
  );
  return asked;
}

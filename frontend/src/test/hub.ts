import { http, HttpResponse } from "msw";
import type { FilesystemMetricsHistory, ServerMetricsHistory } from "../types/server";
import { makeAlertSettings, makeServerSummary, makeServerRead } from "./fixtures";
import { server } from "./server";

// A hub's answers for the page tests: the fleet, and one server (web-1) with its history.

const GIB = 1024 ** 3;

/** The fleet (each call must carry X-Requested-With) and the fleet's alert levels. */
export function serveFleet(servers: ReturnType<typeof makeServerSummary>[], levels = {}) {
  server.use(
    http.get("*/api/v1/alert-settings", () => HttpResponse.json(makeAlertSettings(levels))),
    http.get("*/api/v1/servers", ({ request }) =>
      // The UI marks every call as its own; the hub refuses cookie-borne changes without it.
      request.headers.get("X-Requested-With") === "HomelabCmd"
        ? HttpResponse.json({ data: servers, count: servers.length })
        : HttpResponse.json({ error: "Forbidden", detail: "no X-Requested-With" }, { status: 403 }),
    ),
  );
}

/**
 * Server web-1 with its metrics, filesystem history and alert settings (`mounts`: each mount's
 * levels); /servers/missing answers 404. Returns the ranges and mounts the page asked for.
 */
export function serveServer(mounts: unknown[] = []) {
  const fsRequests: string[] = [];
  const metricRanges: string[] = [];
  server.use(
    http.get("*/api/v1/servers/web-1/alert-settings", () => HttpResponse.json(makeAlertSettings())),
    http.get("*/api/v1/servers/web-1/filesystems/settings", () =>
      HttpResponse.json({ data: [], count: 0, mounts }),
    ),
    http.get("*/api/v1/alerts", () => HttpResponse.json({ data: [], count: 0 })),
    http.get("*/api/v1/servers/web-1", () => HttpResponse.json(makeServerRead())),
    http.get("*/api/v1/servers/missing*", () =>
      HttpResponse.json({ error: "ServerNotFound", detail: "no server missing" }, { status: 404 }),
    ),
    http.get("*/api/v1/servers/web-1/metrics", ({ request }) => {
      const range = new URL(request.url).searchParams.get("range") ?? "";
      metricRanges.push(range);
      const body: ServerMetricsHistory = {
        server_id: "web-1",
        range: range as ServerMetricsHistory["range"],
        resolution: range === "24h" ? "raw" : "hourly",
        step_seconds: range === "24h" ? 60 : 3600,
        start_at: "2026-01-01T00:00:00Z",
        end_at: "2026-01-02T00:00:00Z",
        points: [0, 1, 2].map((i) => ({
          timestamp: `2026-01-01T0${i}:00:00Z`,
          cpu_percent: 10 + i,
          memory_percent: 50,
          load_1m: 0.5,
          load_5m: 0.4,
          load_15m: 0.3,
          network_rx_bytes: 1000 * i,
          network_tx_bytes: 500 * i,
          sample_count: 1,
        })),
      };
      return HttpResponse.json(body);
    }),
    http.get("*/api/v1/servers/web-1/filesystems/metrics", ({ request }) => {
      const params = new URL(request.url).searchParams;
      const mount = params.get("mount_point") ?? "";
      fsRequests.push(`${mount} ${params.get("range")}`);
      const body: FilesystemMetricsHistory = {
        server_id: "web-1",
        range: "24h",
        resolution: "raw",
        step_seconds: 60,
        start_at: "2026-01-01T00:00:00Z",
        end_at: "2026-01-02T00:00:00Z",
        total_filesystems: 1,
        filesystems: [
          {
            mount_point: mount,
            confident: false,
            device: "/dev/sdb1",
            fs_type: "xfs",
            growth_bytes_per_day: GIB,
            full_at: "2026-02-01T00:00:00Z",
            days_until_full: 12.4,
            points: [
              {
                timestamp: "2026-01-01T00:00:00Z",
                used_bytes: 80 * GIB,
                available_bytes: 20 * GIB,
                total_bytes: 100 * GIB,
                sample_count: 1,
              },
              {
                timestamp: "2026-01-01T01:00:00Z",
                used_bytes: 81 * GIB,
                available_bytes: 19 * GIB,
                total_bytes: 100 * GIB,
                sample_count: 1,
              },
            ],
          },
        ],
      };
      return HttpResponse.json(body);
    }),
  );
  return { fsRequests, metricRanges };
}

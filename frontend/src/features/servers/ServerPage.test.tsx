import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { expect, it } from "vitest";
import { makeAlertSettings, makeServerRead } from "../../test/fixtures";
import { renderWithProviders } from "../../test/render";
import { server } from "../../test/server";
import type { FilesystemMetricsHistory, ServerMetricsHistory } from "../../types/server";
import { ServerPage } from "./ServerPage";

const GIB = 1024 ** 3;

const rootRow = () =>
  within(screen.getByRole("list", { name: "Filesystems" }))
    .getAllByRole("listitem")
    .find((item) => item.getAttribute("data-mount") === "/")!
    .querySelector("button")!;

function serveServer(mounts: unknown[] = []) {
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

it("shows the widgets, every filesystem and the fullest one's history with its forecast", async () => {
  const { fsRequests } = serveServer();
  renderWithProviders(<ServerPage />, { url: "/servers/web-1", path: "/servers/:id" });
  expect(await screen.findByRole("heading", { level: 1, name: "web-1.lan" })).toBeInTheDocument();
  for (const title of [
    "CPU",
    "Memory",
    "Load",
    "Network",
    "System",
    "Disks",
    "Filesystem history",
  ]) {
    expect(screen.getByRole("heading", { level: 2, name: title })).toBeInTheDocument();
  }
  const list = screen.getByRole("list", { name: "Filesystems" });
  expect(within(list).getAllByRole("listitem")).toHaveLength(3);
  expect(within(list).getByText("unreachable")).toBeInTheDocument();
  expect(await screen.findByTestId("forecast")).toHaveTextContent("full in 12 days");
  expect(fsRequests).toEqual(["/data 24h"]);
});

it("loads the chosen filesystem and range", async () => {
  const user = userEvent.setup();
  const { fsRequests, metricRanges } = serveServer();
  renderWithProviders(<ServerPage />, { url: "/servers/web-1", path: "/servers/:id" });
  await screen.findByTestId("forecast");
  await user.click(rootRow());
  await user.click(screen.getByRole("button", { name: "7d" }));
  await screen.findByText("resolution: hourly");
  expect(fsRequests).toContain("/ 7d");
  expect(metricRanges).toEqual(["24h", "7d"]);
  expect(rootRow()).toHaveAttribute("aria-pressed", "true");
});

it("offers the short ranges a new install needs to see its first samples", async () => {
  const user = userEvent.setup();
  const { metricRanges } = serveServer();
  renderWithProviders(<ServerPage />, { url: "/servers/web-1", path: "/servers/:id" });
  await screen.findByTestId("forecast");
  const buttons = ["1h", "6h", "24h", "7d", "30d", "90d", "12m"].map((name) =>
    screen.getByRole("button", { name }),
  );
  expect(buttons).toHaveLength(7);
  await user.click(screen.getByRole("button", { name: "1h" }));
  await waitFor(() => expect(metricRanges).toEqual(["24h", "1h"]));
});

it("keeps the last data on screen when a refresh fails", async () => {
  serveServer();
  const { queryClient } = renderWithProviders(<ServerPage />, {
    url: "/servers/web-1",
    path: "/servers/:id",
  });
  await screen.findByTestId("forecast");
  server.use(
    http.get("*/api/v1/servers/web-1", () =>
      HttpResponse.json({ error: "ServiceUnavailable", detail: "hub restarting" }, { status: 503 }),
    ),
  );
  await queryClient.refetchQueries({ queryKey: ["servers"] });
  expect(await screen.findByTestId("hub-unreachable")).toHaveTextContent(
    /answered with an error \(503: hub restarting\) — showing data from/,
  );
  expect(screen.getByRole("list", { name: "Filesystems" })).toBeInTheDocument();
});

it("says so when the server does not exist", async () => {
  serveServer();
  renderWithProviders(<ServerPage />, { url: "/servers/missing", path: "/servers/:id" });
  expect(await screen.findByText("No such server")).toBeInTheDocument();
  expect(screen.getByRole("link", { name: "Back to all servers" })).toBeInTheDocument();
});

it("lists a disk that stopped reporting until it is dismissed", async () => {
  const user = userEvent.setup();
  serveServer();
  const since = new Date(Date.now() - 2 * 3600_000).toISOString();
  let vanished = [
    {
      mount_point: "/mnt/usb backup",
      device: "/dev/sdc1",
      fs_type: "exfat",
      first_seen_at: "2026-01-01T00:00:00Z",
      missing_since: since,
    },
  ];
  const dismissed: unknown[] = [];
  server.use(
    http.get("*/api/v1/servers/web-1", () =>
      HttpResponse.json(makeServerRead({ vanished_filesystems: vanished })),
    ),
    http.post("*/api/v1/servers/web-1/filesystems/dismiss", async ({ request }) => {
      dismissed.push(await request.json());
      vanished = [];
      return new HttpResponse(null, { status: 204 });
    }),
  );
  renderWithProviders(<ServerPage />, { url: "/servers/web-1", path: "/servers/:id" });

  const row = await screen.findByTestId("vanished-row");
  expect(row).toHaveTextContent("/mnt/usb backup");
  expect(row).toHaveTextContent("vanished");
  expect(row).toHaveTextContent(/missing since .*\(2 h ago\)/);

  await user.click(screen.getByRole("button", { name: "Dismiss /mnt/usb backup" }));

  await waitFor(() => expect(screen.queryByTestId("vanished-row")).not.toBeInTheDocument());
  expect(dismissed).toEqual([{ mount_point: "/mnt/usb backup" }]);
});

it("names the tab after the server", async () => {
  serveServer();
  renderWithProviders(<ServerPage />, { url: "/servers/web-1", path: "/servers/:id" });
  await screen.findByTestId("forecast");
  expect(document.title).toBe("web-1.lan · HomelabCmd");
});

it("colours a disk by its own alert rule: a backup disk meant to be full stays calm", async () => {
  serveServer([
    { mount_point: "/data", rule: "/data", ...makeAlertSettings({ mode: "expected_full" }) },
  ]);
  renderWithProviders(<ServerPage />, { url: "/servers/web-1", path: "/servers/:id" });
  const row = await screen.findByRole("meter", { name: "/data used" });
  // 85.5 % of 100 GiB is amber by default; as an expected-full backup disk it is calm.
  await waitFor(() => expect(row).toHaveAttribute("data-level", "ok"));
  expect(screen.getByRole("meter", { name: "/ used" })).toHaveAttribute("data-level", "ok");
});

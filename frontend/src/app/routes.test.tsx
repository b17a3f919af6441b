import { screen, waitFor, within } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { beforeEach, expect, it } from "vitest";
import { makeDrive, makeFailingDrive, makePool } from "../test/drives";
import {
  makeAlertSettings,
  makeFilesystem,
  makeServerRead,
  makeServerSummary,
} from "../test/fixtures";
import { serveFleet, serveServer } from "../test/hub";
import { renderWithProviders } from "../test/render";
import { server } from "../test/server";
import { DashboardRoute, ServerRoute } from "./routes";

// The dashboard asks whether the old shared key is still on (admins only); here it is off.
beforeEach(() => {
  server.use(
    http.get("*/api/v1/legacy-key", () => HttpResponse.json({ enabled: false, servers: [] })),
    http.get("*/api/v1/agents/plain-http", () => HttpResponse.json({ servers: [] })),
    // The server page shows what grew on the selected disk: here, never scanned.
    http.get("*/api/v1/servers/web-1/filesystems/usage", ({ request }) =>
      HttpResponse.json({
        mount_point: new URL(request.url).searchParams.get("mount_point"),
        latest: null,
        previous: null,
        growth: [],
        request: null,
        scans: [],
      }),
    ),
  );
});

it("tells a new install how to add an agent", async () => {
  serveFleet([]);
  renderWithProviders(<DashboardRoute />);
  expect(await screen.findByRole("heading", { name: "No servers yet" })).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Add server" })).toBeInTheDocument();
});

it("colours by the alert levels the hub has in force", async () => {
  const soon = new Date(Date.now() + 20 * 86_400_000).toISOString();
  const fullest = {
    mount_point: "/data",
    percent: 40,
    confident: true,
    growth_bytes_per_day: 1,
    full_at: soon,
    days_until_full: 20,
  };
  // Full in 20 days is calm on the built-in 14 days, amber with a 30-day warning level.
  serveFleet([makeServerSummary({ fullest_filesystem: fullest })], { warn_days: 30 });
  renderWithProviders(<DashboardRoute />);
  const card = await screen.findByTestId("server-card");
  await waitFor(() => expect(card).toHaveAttribute("data-attention", "warning"));
  expect(screen.getByTestId("fullest-forecast")).toHaveClass("level--warning");
});

it("colours a disk by its own alert rule: a backup disk meant to be full stays calm", async () => {
  serveServer([
    { mount_point: "/data", rule: "/data", ...makeAlertSettings({ mode: "expected_full" }) },
  ]);
  renderWithProviders(<ServerRoute />, { url: "/servers/web-1", path: "/servers/:id" });
  const row = await screen.findByRole("meter", { name: "/data used" });
  // 85.5 % of 100 GiB is amber by default; as an expected-full backup disk it is calm.
  await waitFor(() => expect(row).toHaveAttribute("data-level", "ok"));
  expect(screen.getByRole("meter", { name: "/ used" })).toHaveAttribute("data-level", "ok");
});

it("gives each disk row of the server page its alert state, and the page Rotate token", async () => {
  serveServer();
  renderWithProviders(<ServerRoute />, { url: "/servers/web-1", path: "/servers/:id" });
  const rows = await screen.findAllByTestId("filesystem-row");
  for (const row of rows) {
    const state = await within(row).findByTestId("disk-alert-row");
    await within(state).findByText("ok");
  }
  // One row per disk: no second table of the same mounts.
  expect(screen.queryByRole("heading", { name: "Disk alerts" })).not.toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Rotate token…" })).toBeInTheDocument();
});

it("shows on each disk row the health of the drives under it, and the drives after the disks", async () => {
  serveServer();
  const base = makeServerRead();
  server.use(
    http.get("*/api/v1/servers/web-1", () =>
      HttpResponse.json({
        ...base,
        filesystems: [...(base.filesystems ?? []), makeFilesystem({ mount_point: "/srv/media" })],
        drives: [makeFailingDrive(), makeDrive()],
        pools: [makePool()],
      }),
    ),
  );
  renderWithProviders(<ServerRoute />, { url: "/servers/web-1", path: "/servers/:id" });
  const media = await screen.findByRole("link", { name: "Drive health of /srv/media: failed" });
  expect(media).toHaveClass("drive-badge--critical");
  expect(screen.getByRole("link", { name: "Drive health of /data: passed" })).toBeInTheDocument();
  // A network mount is on no drive: no badge.
  expect(screen.queryByRole("link", { name: /Drive health of \/mnt\/nas/ })).toBeNull();
  const section = screen.getByTestId("drives-section");
  expect(within(section).getAllByTestId("drive-item")).toHaveLength(2);
  expect(within(section).getByTestId("pool-item")).toHaveTextContent("tank");
  // After the disks, before the CPU and memory charts.
  const cpu = screen.getByRole("heading", { name: "CPU, memory, load and network" });
  expect(section.compareDocumentPosition(cpu) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
});

it("says in one line that a server reports no drives", async () => {
  serveServer();
  renderWithProviders(<ServerRoute />, { url: "/servers/web-1", path: "/servers/:id" });
  expect(await screen.findByTestId("no-drives")).toBeInTheDocument();
  expect(screen.queryByTestId("drive-health-badge")).toBeNull();
});

it("shows what grew on the selected disk after the disks, before the drives", async () => {
  serveServer();
  renderWithProviders(<ServerRoute />, {
    url: "/servers/web-1?fs=%2Fdata",
    path: "/servers/:id",
  });
  const panel = (await screen.findByRole("heading", { name: "What grew" })).closest("section")!;
  expect(panel).toHaveTextContent("/data");
  expect(await within(panel).findByTestId("usage-empty")).toBeInTheDocument();
  expect(within(panel).getByRole("button", { name: "Find what grew" })).toBeInTheDocument();
  const drives = screen.getByTestId("no-drives");
  expect(panel.compareDocumentPosition(drives) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
});

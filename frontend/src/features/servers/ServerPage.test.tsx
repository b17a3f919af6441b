import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { expect, it } from "vitest";
import { makeServerRead } from "../../test/fixtures";
import { serveServer } from "../../test/hub";
import { renderWithProviders } from "../../test/render";
import { server } from "../../test/server";
import { ServerPage } from "./ServerPage";

const rootRow = () =>
  within(screen.getByRole("list", { name: "Filesystems" }))
    .getAllByRole("listitem")
    .find((item) => item.getAttribute("data-mount") === "/")!
    .querySelector("button")!;

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

it("warns when the server went over a budget of the hub, in the hub's words", async () => {
  serveServer();
  server.use(
    http.get("*/api/v1/servers/web-1", () =>
      HttpResponse.json(
        makeServerRead({
          budget_warning: "heartbeat rate over HOMELAB_CMD_MAX_HEARTBEATS_PER_MINUTE (12 a minute)",
          budget_warning_at: new Date(Date.now() - 120_000).toISOString(),
        }),
      ),
    ),
  );
  renderWithProviders(<ServerPage />, { url: "/servers/web-1", path: "/servers/:id" });
  expect(await screen.findByTestId("budget-warning")).toHaveTextContent(
    "heartbeat rate over HOMELAB_CMD_MAX_HEARTBEATS_PER_MINUTE",
  );
  expect(screen.getByText("This server went over a budget of the hub")).toBeInTheDocument();
});

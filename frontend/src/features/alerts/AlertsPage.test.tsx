import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { expect, it } from "vitest";
import { renderWithProviders } from "../../test/render";
import { server } from "../../test/server";
import { AlertsBadge } from "./AlertsBadge";
import { AlertsPage } from "./AlertsPage";
import type { AlertRead } from "./types";

function alert(id: number, overrides: Partial<AlertRead> = {}): AlertRead {
  return {
    id,
    kind: "disk_used",
    server_id: "nas-1",
    server_name: "NAS",
    mount_point: "/data",
    state: "firing",
    severity: "warning",
    started_at: "2026-12-01T10:00:00Z",
    fired_at: "2026-12-01T10:01:00Z",
    resolved_at: null,
    acknowledged_at: null,
    acknowledged_by: null,
    unknown: false,
    message: "/data is 87.0 % full: 13.0 GiB free of 100.0 GiB",
    figures: null,
    ...overrides,
  };
}

function serve(open: AlertRead[], resolved: AlertRead[] = []) {
  server.use(
    http.get("*/api/v1/alerts", ({ request }) => {
      const state = new URL(request.url).searchParams.get("state");
      const data =
        state === "resolved"
          ? resolved
          : state === "firing"
            ? open.filter((a) => a.state === "firing")
            : open;
      return HttpResponse.json({ data, count: data.length });
    }),
  );
}

it("counts firing alerts not yet acknowledged in the badge", async () => {
  serve([
    alert(1),
    alert(2, { acknowledged_at: "2026-12-01T10:05:00Z" }),
    alert(3, { severity: "critical" }),
  ]);
  renderWithProviders(<AlertsBadge />);
  expect(await screen.findByLabelText("Alerts: 2 firing")).toBeInTheDocument();
});

it("lists firing, acknowledged and resolved alerts and acknowledges one", async () => {
  let acked: string | null = null;
  serve(
    [alert(1), alert(2, { acknowledged_at: "2026-12-01T10:05:00Z", acknowledged_by: "admin" })],
    [alert(3, { state: "resolved", resolved_at: "2026-12-01T09:00:00Z", kind: "read_only" })],
  );
  server.use(
    http.post("*/api/v1/alerts/:id/ack", ({ params }) => {
      acked = String(params.id);
      return HttpResponse.json(alert(1, { acknowledged_at: "2026-12-01T11:00:00Z" }));
    }),
  );
  renderWithProviders(<AlertsPage />);
  const firing = await screen.findByRole("region", { name: /Firing/ });
  expect(within(firing).getByText(/87.0 % full/)).toBeInTheDocument();
  const acknowledged = screen.getByRole("region", { name: /Acknowledged/ });
  expect(within(acknowledged).getByText(/acknowledged by admin/)).toBeInTheDocument();
  const resolved = screen.getByRole("region", { name: /Recently resolved/ });
  expect(within(resolved).getByText("Read-only")).toBeInTheDocument();
  await userEvent.click(within(firing).getByRole("button", { name: "Acknowledge" }));
  await expect.poll(() => acked).toBe("1");
});

it("shows an offline server's alert as unknown", async () => {
  serve([alert(1, { unknown: true })]);
  renderWithProviders(<AlertsPage />);
  expect(await screen.findByText("warning · unknown")).toBeInTheDocument();
});

it("names an inode time-to-full alert by its kind", async () => {
  const message =
    "/data runs out of inodes in about 2.0 days (2026-12-02; between 2026-12-01 and " +
    "2026-12-03), 300,000 of 1,000,000 inodes free";
  serve([alert(1, { kind: "inodes_time_to_full", severity: "critical", message })]);
  renderWithProviders(<AlertsPage />);
  const firing = await screen.findByRole("region", { name: /Firing/ });
  expect(within(firing).getByText("Inodes run out soon")).toBeInTheDocument();
  expect(within(firing).getByText(/runs out of inodes/)).toBeInTheDocument();
});

import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { expect, it } from "vitest";
import { renderWithProviders } from "../../test/render";
import { server } from "../../test/server";
import { AlertsBadge } from "./AlertsBadge";
import { AlertsPage } from "./AlertsPage";
import type { AlertRead, SilenceRead } from "./types";

const GIB = 1024 ** 3;

const LEVELS = {
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
};

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
    flapping: false,
    message: "/data is 87.0 % full: 13.0 GiB free of 100.0 GiB",
    figures: { percent: 87, free_bytes: 13 * GIB, size_bytes: 100 * GIB },
    ...overrides,
  };
}

function serve(open: AlertRead[], resolved: AlertRead[] = [], silences: SilenceRead[] = []) {
  let active = [...silences];
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
    http.get("*/api/v1/silences", () => HttpResponse.json({ data: active, count: active.length })),
    http.delete("*/api/v1/silences/:id", ({ params }) => {
      active = active.filter((s) => s.id !== Number(params.id));
      return new HttpResponse(null, { status: 204 });
    }),
    http.get("*/api/v1/servers/:id/filesystems/settings", () =>
      HttpResponse.json({
        data: [],
        count: 0,
        mounts: [
          { mount_point: "/data", rule: null, effective: LEVELS },
          { mount_point: "/backup", rule: null, effective: LEVELS },
        ],
      }),
    ),
  );
}

function silence(id: number, overrides: Partial<SilenceRead> = {}): SilenceRead {
  return {
    id,
    server_id: "nas-1",
    mount_pattern: "/backup",
    ends_at: new Date(Date.now() + 3600_000).toISOString(),
    created_at: "2026-12-01T10:00:00Z",
    created_by: "admin",
    comment: null,
    ...overrides,
  };
}

it("counts firing alerts neither acknowledged nor silenced, and its name is its text", async () => {
  serve(
    [
      alert(1),
      alert(2, { acknowledged_at: "2026-12-01T10:05:00Z" }),
      alert(3, { severity: "critical" }),
      alert(4, { mount_point: "/backup", severity: "critical" }),
    ],
    [],
    [silence(9)],
  );
  renderWithProviders(<AlertsBadge />);
  // (jsdom joins the hidden word without its space; browsers read "Alerts 2 firing".)
  const badge = await screen.findByRole("link", { name: /^Alerts 2 ?firing$/ });
  expect(badge).toHaveTextContent("Alerts 2 firing");
});

it("lists alerts critical first with the rule, the threshold, the figures and what to do", async () => {
  let acked: string | null = null;
  serve(
    [
      alert(1, { fired_at: "2026-12-01T12:00:00Z" }),
      alert(5, { severity: "critical", mount_point: "/backup", fired_at: "2026-12-01T08:00:00Z" }),
      alert(2, { acknowledged_at: "2026-12-01T10:05:00Z", acknowledged_by: "admin" }),
    ],
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
  const rows = within(firing).getAllByTestId("alert-row");
  // Critical before warning, though the warning is newer.
  expect(rows[0]).toHaveTextContent("/backup");
  expect(rows[1]).toHaveTextContent("/data");
  await within(rows[1]!).findByText(/warning at 85 % used/);
  expect(rows[1]).toHaveTextContent("87.0 % used, 13.0 GiB free of 100.0 GiB");
  expect(rows[1]).toHaveTextContent("Free space or grow the disk");
  expect(within(rows[1]!).getByRole("link", { name: /NAS/ })).toHaveAttribute(
    "href",
    "/servers/nas-1?fs=%2Fdata",
  );
  const acknowledged = screen.getByRole("region", { name: /Acknowledged/ });
  expect(within(acknowledged).getByText(/acknowledged by admin/)).toBeInTheDocument();
  const resolved = screen.getByRole("region", { name: /Recently resolved/ });
  expect(within(resolved).getByText("Read-only")).toBeInTheDocument();
  // The actions sit in a menu.
  await userEvent.click(within(rows[1]!).getByText("Actions"));
  await userEvent.click(within(rows[1]!).getByRole("button", { name: "Acknowledge" }));
  await expect.poll(() => acked).toBe("1");
});

it("lists silences with their scope and end, counts silenced alerts apart, removes one", async () => {
  serve(
    [alert(1), alert(4, { mount_point: "/backup", severity: "critical" })],
    [],
    [silence(9, { comment: "rebuilding" })],
  );
  renderWithProviders(<AlertsPage />);
  const silenced = await screen.findByRole("region", { name: /Silenced/ });
  const item = await within(silenced).findByTestId("silence");
  expect(item).toHaveTextContent("NAS");
  expect(item).toHaveTextContent("/backup");
  expect(item).toHaveTextContent(/until .* by admin · rebuilding/);
  expect(within(item).getByTestId("alert-row")).toHaveTextContent("Disk used");
  const firing = screen.getByRole("region", { name: /Firing/ });
  expect(within(firing).getAllByTestId("alert-row")).toHaveLength(1);
  expect(screen.getByTestId("alert-counts")).toHaveTextContent("1 firing · 1 silenced");

  await userEvent.click(
    within(item).getByRole("button", { name: "Remove the silence on NAS /backup" }),
  );
  await within(firing).findByText("/backup");
  expect(await within(silenced).findByText("No silence in force.")).toBeInTheDocument();
});

it("says it cannot reach the hub instead of 'Nothing firing.'", async () => {
  server.use(
    http.get("*/api/v1/alerts", () => HttpResponse.error()),
    http.get("*/api/v1/silences", () => HttpResponse.error()),
  );
  renderWithProviders(<AlertsPage />);
  expect(await screen.findByText("Can't reach the hub")).toBeInTheDocument();
  expect(screen.queryByText("Nothing firing.")).not.toBeInTheDocument();
});

it("shows an offline server's alert as unknown", async () => {
  serve([alert(1, { unknown: true })]);
  renderWithProviders(<AlertsPage />);
  expect(await screen.findByText("warning · unknown")).toBeInTheDocument();
});

it("names an inode time-to-full alert by its kind and explains it", async () => {
  const figures = {
    days_left: 2,
    full_at: "2026-12-02T00:00:00Z",
    full_at_earliest: "2026-12-01T00:00:00Z",
    full_at_latest: "2026-12-03T00:00:00Z",
    inodes_free: 300000,
    inodes_total: 1000000,
  };
  serve([alert(1, { kind: "inodes_time_to_full", severity: "critical", figures })]);
  renderWithProviders(<AlertsPage />);
  const firing = await screen.findByRole("region", { name: /Firing/ });
  expect(within(firing).getByText("Inodes run out soon")).toBeInTheDocument();
  expect(within(firing).getByText(/out of inodes in about 2.0 days/)).toBeInTheDocument();
  expect(firing).toHaveTextContent("Too many small files");
});

import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { expect, it } from "vitest";
import { renderWithProviders } from "../../test/render";
import { server } from "../../test/server";
import { DiskAlertState } from "./DiskAlertState";

const levels = (mode: string) => ({
  mode,
  warn_percent: 85,
  crit_percent: 95,
  clear_margin_percent: 5,
  warn_free_bytes: null,
  crit_free_bytes: null,
  warn_days: 14,
  crit_days: 3,
  inodes_warn_percent: 90,
  inodes_crit_percent: 95,
});

it("shows a disk's alert state and levels in its row, and sets it to expected full", async () => {
  let saved: unknown = null;
  server.use(
    http.get("*/api/v1/alerts", () =>
      HttpResponse.json({
        count: 1,
        data: [
          {
            id: 1,
            kind: "disk_used",
            server_id: "nas-1",
            server_name: "nas-1",
            mount_point: "/data",
            state: "firing",
            severity: "critical",
            started_at: "2026-12-01T10:00:00Z",
            fired_at: "2026-12-01T10:00:00Z",
            resolved_at: null,
            acknowledged_at: null,
            acknowledged_by: null,
            unknown: false,
            message: "/data is 97.0 % full",
            figures: null,
          },
        ],
      }),
    ),
    http.get("*/api/v1/servers/nas-1/filesystems/settings", () =>
      HttpResponse.json({
        data: [],
        count: 0,
        mounts: [
          { mount_point: "/data", rule: null, effective: levels("default") },
          { mount_point: "/mnt/cam", rule: "/mnt/*", effective: levels("ignore") },
        ],
      }),
    ),
    http.put("*/api/v1/servers/nas-1/filesystems/settings", async ({ request }) => {
      saved = await request.json();
      return HttpResponse.json({});
    }),
  );
  renderWithProviders(
    <>
      <DiskAlertState serverId="nas-1" mountPoint="/data" />
      <DiskAlertState serverId="nas-1" mountPoint="/mnt/cam" />
    </>,
  );
  const rows = await screen.findAllByTestId("disk-alert-row");
  await within(rows[0]!).findByText("critical");
  expect(rows[0]).toHaveTextContent("Disk used");
  await within(rows[0]!).findByText("warn 85 % / crit 95 %");
  expect(rows[1]).toHaveTextContent("ok");
  expect(rows[1]).toHaveTextContent("ignored (rule /mnt/*)");

  await userEvent.click(within(rows[0]!).getByRole("button", { name: "Change alerts for /data" }));
  const mode = within(rows[0]!).getByLabelText("Mode");
  await userEvent.selectOptions(mode, "expected_full");
  // The choice is explained where it is made.
  expect(mode).toHaveAccessibleDescription(/meant to run full/);
  await userEvent.selectOptions(mode, "ignore");
  expect(mode).toHaveAccessibleDescription(/No alert of any kind/);
  await userEvent.selectOptions(mode, "expected_full");
  await userEvent.click(within(rows[0]!).getByRole("button", { name: "Save" }));
  await expect.poll(() => saved).toMatchObject({ mount_point: "/data", mode: "expected_full" });
});

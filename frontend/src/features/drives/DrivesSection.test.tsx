import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import { makeDrive, makeFailingDrive, makePool, serveDriveHistory } from "../../test/drives";
import { renderWithProviders } from "../../test/render";
import { DrivesSection } from "./DrivesSection";

it("says in one line that a server reports no drives or pools", () => {
  renderWithProviders(<DrivesSection drives={[]} pools={[]} />);
  expect(screen.getByRole("heading", { name: "Drives and pools" })).toBeInTheDocument();
  expect(screen.getByTestId("no-drives")).toHaveTextContent("No drives or pools reported");
  expect(screen.queryByRole("list")).not.toBeInTheDocument();
});

it("lists a healthy drive with its model, serial, kind, temperature, power-on time and disks", () => {
  renderWithProviders(<DrivesSection drives={[makeDrive()]} pools={[]} />);
  const item = screen.getByTestId("drive-item");
  expect(within(item).getByRole("heading")).toHaveTextContent(
    "/dev/sda (ST16000NM001G-2KK103, serial ZL2ABC12)",
  );
  expect(item).toHaveAttribute("data-health", "passed");
  expect(item).toHaveTextContent("hard disk · 14.6 TiB");
  expect(item).toHaveTextContent("34 °C · on for 5.1 years · read 1 h ago");
  expect(item).toHaveTextContent("Holds /data");
  expect(within(item).queryByTestId("drive-reasons")).not.toBeInTheDocument();
});

it("gives a failing drive's reasons in words, in red, and its counts", () => {
  renderWithProviders(<DrivesSection drives={[makeFailingDrive(), makeDrive()]} pools={[]} />);
  const [failing] = screen.getAllByTestId("drive-item");
  expect(failing).toHaveClass("drive-item--critical");
  const reasons = within(failing!).getByTestId("drive-reasons");
  expect(reasons).toHaveClass("drive-item__reasons--critical");
  expect(
    within(reasons)
      .getAllByRole("listitem")
      .map((li) => li.textContent),
  ).toEqual([
    "smartctl's overall verdict is FAILED",
    "reallocated sectors (5) rose from 8 to 160 since first seen",
  ]);
  expect(failing).toHaveTextContent("reallocated sectors (5): 160, pending sectors (197): 3");
});

it("gives a warning drive's reason in amber", () => {
  const drive = makeDrive({ health: "warning", reasons: ["pending sectors (197) is 2"] });
  renderWithProviders(<DrivesSection drives={[drive]} pools={[]} />);
  expect(screen.getByTestId("drive-reasons")).toHaveClass("drive-item__reasons--warning");
  expect(screen.getByTestId("drive-reasons")).toHaveTextContent("pending sectors (197) is 2");
});

it("says since when a drive sleeps and when it was last read, never that it failed", () => {
  const since = new Date(Date.now() - 2 * 3600_000).toISOString();
  const drive = makeDrive({
    health: "asleep",
    state: "asleep",
    asleep_since: since,
    read_at: new Date(Date.now() - 5 * 3600_000).toISOString(),
  });
  renderWithProviders(<DrivesSection drives={[drive]} pools={[]} />);
  const item = screen.getByTestId("drive-item");
  expect(item).toHaveTextContent(/asleep since .* \(2 h ago\); last read 5 h ago/);
  expect(item).not.toHaveClass("drive-item--critical");
});

it("shows a pool's state, its device errors and its last scrub", () => {
  const degraded = makePool({
    name: "backup",
    state: "DEGRADED",
    health: "warning",
    reasons: ["pool backup is DEGRADED since 10 minutes"],
    degraded_since: new Date(Date.now() - 600_000).toISOString(),
  });
  renderWithProviders(<DrivesSection drives={[]} pools={[degraded, makePool()]} />);
  const [first, second] = screen.getAllByTestId("pool-item");
  expect(first).toHaveTextContent("DEGRADED");
  expect(first).toHaveTextContent("pool backup is DEGRADED since 10 minutes");
  expect(first).toHaveTextContent("degraded since 10 min ago");
  expect(second).toHaveTextContent("tank (zfs)ONLINE");
  expect(second).toHaveTextContent("device errors: 0 read, 0 write, 1 checksum");
  expect(second).toHaveTextContent(/scrub finished 10 days ago .*, 0 errors/);
  expect(screen.getByText("No drives reported.")).toBeInTheDocument();
});

it("opens a drive's history on a click, and the drive a link names by itself", async () => {
  const asked = serveDriveHistory();
  const user = userEvent.setup();
  renderWithProviders(<DrivesSection drives={[makeFailingDrive(), makeDrive()]} pools={[]} />, {
    url: "/servers/web-1#drive-7",
  });
  // The linked drive (#drive-7) opens on its own.
  expect(await screen.findByTestId("drive-history")).toBeInTheDocument();
  expect(asked).toEqual(["web-1 7 24h"]);
  const healthy = screen.getAllByTestId("drive-item")[1]!;
  const button = within(healthy).getByRole("button", { name: "History of /dev/sda" });
  expect(button).toHaveAttribute("aria-expanded", "false");
  await user.click(button);
  expect(button).toHaveAttribute("aria-expanded", "true");
  expect(await within(healthy).findByTestId("drive-history")).toBeInTheDocument();
  expect(asked).toContain("web-1 1 24h");
});

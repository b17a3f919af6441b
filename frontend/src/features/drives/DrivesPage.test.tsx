import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import { makeDrive, makeFailingDrive, serveFleetDrives } from "../../test/drives";
import { renderWithProviders } from "../../test/render";
import { DrivesPage } from "./DrivesPage";

const fleet = () => [
  makeFailingDrive({ server_id: "nas" }),
  makeDrive({
    id: 3,
    server_id: "pi",
    name: "/dev/sdb",
    model: "Samsung SSD 870",
    kind: "ssd",
    health: "warning",
    reasons: ["pending sectors (197) is 2"],
    temperature_celsius: 29,
    power_on_hours: 200,
  }),
  makeDrive({ id: 4, server_id: "web-1", model: null, temperature_celsius: null }),
  makeDrive({ id: 5, server_id: "alpha", health: "asleep", temperature_celsius: 51 }),
];

const firstCells = () =>
  screen
    .getAllByTestId("fleet-drive")
    .map((row) => within(row).getAllByRole("cell")[1]!.textContent);

it("lists the fleet's drives worst first, each linking to its drive on its server's page", async () => {
  serveFleetDrives(fleet());
  renderWithProviders(<DrivesPage />, { url: "/drives" });
  const rows = await screen.findAllByTestId("fleet-drive");
  expect(rows.map((r) => r.getAttribute("data-health"))).toEqual([
    "failed",
    "warning",
    "asleep",
    "passed",
  ]);
  expect(screen.getByTestId("drives-summary")).toHaveTextContent(
    "4 drives · 1 failing · 1 with a warning",
  );
  expect(rows[0]).toHaveTextContent("smartctl's overall verdict is FAILED");
  expect(within(rows[0]!).getByRole("link", { name: "WDC WD80EFAX-68KNBN0" })).toHaveAttribute(
    "href",
    "/servers/nas#drive-7",
  );
  expect(screen.getByRole("columnheader", { name: /Health/ })).toHaveAttribute(
    "aria-sort",
    "descending",
  );
});

it("sorts by temperature (hottest first, unknown last), server, model and power-on hours", async () => {
  serveFleetDrives(fleet());
  const user = userEvent.setup();
  renderWithProviders(<DrivesPage />, { url: "/drives" });
  await screen.findAllByTestId("fleet-drive");
  await user.click(screen.getByRole("button", { name: "Temperature" }));
  expect(firstCells()).toEqual(["alpha", "nas", "pi", "web-1"]);
  expect(screen.getByRole("columnheader", { name: /Temperature/ })).toHaveAttribute(
    "aria-sort",
    "descending",
  );
  await user.click(screen.getByRole("button", { name: /Temperature/ }));
  expect(firstCells()).toEqual(["pi", "nas", "alpha", "web-1"]);
  await user.click(screen.getByRole("button", { name: "Server" }));
  expect(firstCells()).toEqual(["alpha", "nas", "pi", "web-1"]);
  await user.click(screen.getByRole("button", { name: "Power-on" }));
  expect(firstCells()[firstCells().length - 1]).toBe("pi");
  await user.click(screen.getByRole("button", { name: "Drive" }));
  expect(firstCells()).toEqual(["pi", "alpha", "nas", "web-1"]);
});

it("says so when no agent has reported a drive yet", async () => {
  serveFleetDrives([]);
  renderWithProviders(<DrivesPage />, { url: "/drives" });
  expect(await screen.findByText(/No drives reported yet/)).toBeInTheDocument();
});

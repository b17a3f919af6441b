import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import { serveDriveHistory } from "../../test/drives";
import { renderWithProviders } from "../../test/render";
import { DriveHistoryChart } from "./DriveHistoryChart";

it("draws a drive's temperature and the counts that moved, over 24 h, 7 days then 12 months", async () => {
  const asked = serveDriveHistory({ ata_5: [8, 40, 160], ata_197: [0, 0, 0] });
  const user = userEvent.setup();
  renderWithProviders(<DriveHistoryChart serverId="web-1" driveId={7} name="/dev/sdc" />);
  const temperature = await screen.findByRole("img", { name: "Temperature of /dev/sdc over 24h" });
  expect(temperature).toHaveAttribute("data-points", "3");
  // Only the counts that are not 0 all along are drawn.
  expect(
    screen.getByRole("img", { name: "Key counts of /dev/sdc over 24h: reallocated sectors (5)" }),
  ).toHaveAttribute("data-points", "3");
  await user.click(screen.getByRole("button", { name: "7d" }));
  expect(
    await screen.findByRole("img", { name: /Temperature of \/dev\/sdc over 7d/ }),
  ).toBeVisible();
  await user.click(screen.getByRole("button", { name: "12m" }));
  expect(
    await screen.findByRole("img", { name: /Temperature of \/dev\/sdc over 12m/ }),
  ).toBeVisible();
  expect(asked).toEqual(["web-1 7 24h", "web-1 7 7d", "web-1 7 12m"]);
});

it("says in words when every key count stayed at 0", async () => {
  serveDriveHistory({ ata_5: [0, 0, 0] });
  renderWithProviders(<DriveHistoryChart serverId="web-1" driveId={1} name="/dev/sda" />);
  expect(await screen.findByTestId("counts-zero")).toHaveTextContent(
    "Every key count was 0 over this range.",
  );
});

import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import { makeDrive, makeFailingDrive } from "../../test/drives";
import { DriveHealthBadge } from "./DriveHealthBadge";

it("shows a failing drive under a disk in red, naming the drive and its reasons", () => {
  render(<DriveHealthBadge drives={[makeDrive(), makeFailingDrive()]} mountPoint="/srv/media" />);
  const badge = screen.getByRole("link", { name: "Drive health of /srv/media: failed" });
  expect(badge).toHaveTextContent("drive failed");
  expect(badge).toHaveClass("drive-badge--critical");
  expect(badge).toHaveAttribute("href", "#drive-7");
  // Hovering or focusing shows the tooltip the badge is described by.
  expect(badge).toHaveAccessibleDescription(
    /\/dev\/sdc \(WDC WD80EFAX-68KNBN0, serial VK0FAIL1\): failed — smartctl's overall verdict is FAILED; reallocated sectors \(5\) rose from 8 to 160/,
  );
});

it("reads calm for a passed drive and amber for a warning", () => {
  const { rerender } = render(<DriveHealthBadge drives={[makeDrive()]} mountPoint="/data" />);
  expect(screen.getByTestId("drive-health-badge")).toHaveClass("drive-badge--ok");
  expect(screen.getByTestId("drive-health-badge")).toHaveTextContent("drive passed");
  rerender(
    <DriveHealthBadge
      drives={[makeDrive({ health: "warning", reasons: ["pending sectors (197) is 2"] })]}
      mountPoint="/data"
    />,
  );
  const badge = screen.getByTestId("drive-health-badge");
  expect(badge).toHaveClass("drive-badge--warning");
  expect(badge).toHaveAccessibleDescription(/warning — pending sectors \(197\) is 2/);
});

it("says a sleeping drive is asleep, in grey, not failed", () => {
  render(
    <DriveHealthBadge
      drives={[makeDrive({ health: "asleep", state: "asleep" })]}
      mountPoint="/data"
    />,
  );
  const badge = screen.getByTestId("drive-health-badge");
  expect(badge).toHaveTextContent("drive asleep");
  expect(badge).toHaveClass("drive-badge--neutral");
});

it("shows the worst of the drives a mirrored disk lives on, and how many there are", () => {
  const drives = [
    makeDrive({ id: 1, filesystems: ["/tank"] }),
    makeDrive({ id: 2, name: "/dev/sdb", health: "warning", filesystems: ["/tank"] }),
  ];
  render(<DriveHealthBadge drives={drives} mountPoint="/tank" />);
  const badge = screen.getByTestId("drive-health-badge");
  expect(badge).toHaveTextContent("drive warning · 2 drives");
  expect(badge).toHaveAttribute("href", "#drive-2");
  expect(badge).toHaveAccessibleDescription(/\/dev\/sdb .*warning.*\/dev\/sda .*passed/);
});

it("shows nothing for a disk no reported drive holds (a network mount)", () => {
  const { container } = render(<DriveHealthBadge drives={[makeDrive()]} mountPoint="/mnt/nas" />);
  expect(container).toBeEmptyDOMElement();
});

it("shows the drives and reasons while hovered or focused, and hides them on Escape", async () => {
  const user = userEvent.setup();
  render(<DriveHealthBadge drives={[makeFailingDrive()]} mountPoint="/srv/media" />);
  expect(screen.queryByTestId("drive-tip")).toBeNull();
  await user.hover(screen.getByTestId("drive-health-badge"));
  expect(screen.getByTestId("drive-tip")).toHaveTextContent(
    "/dev/sdc (WDC WD80EFAX-68KNBN0, serial VK0FAIL1): failed — smartctl's overall verdict",
  );
  await user.unhover(screen.getByTestId("drive-health-badge"));
  expect(screen.queryByTestId("drive-tip")).toBeNull();
  await user.tab();
  expect(screen.getByTestId("drive-health-badge")).toHaveFocus();
  expect(screen.getByTestId("drive-tip")).toBeInTheDocument();
  await user.keyboard("{Escape}");
  expect(screen.queryByTestId("drive-tip")).toBeNull();
});

import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it, vi } from "vitest";
import { makeFilesystem } from "../../test/fixtures";
import { FilesystemRow } from "./FilesystemRow";

const GIB = 1024 ** 3;

function renderRow(fs = makeFilesystem(), onSelect = vi.fn()) {
  render(
    <ul>
      <FilesystemRow fs={fs} selected={false} onSelect={onSelect} />
    </ul>,
  );
  return onSelect;
}

it("shows mount point, device, type and used / total in binary units", () => {
  renderRow(
    makeFilesystem({
      mount_point: "/srv/media",
      device: "/dev/md0",
      fs_type: "btrfs",
      total_bytes: 4 * 1024 * GIB,
      used_bytes: 1.5 * 1024 * GIB,
      percent: 37.5,
    }),
  );
  expect(screen.getByText("/srv/media")).toBeInTheDocument();
  expect(screen.getByText("/dev/md0 · btrfs")).toBeInTheDocument();
  expect(screen.getByText("1.5 TiB / 4.0 TiB")).toBeInTheDocument();
  expect(screen.getByRole("meter", { name: "/srv/media used" })).toHaveAttribute(
    "data-level",
    "ok",
  );
});

it("says when the filesystem will be full", () => {
  renderRow(makeFilesystem({ percent: 96, full_at: "2026-02-01T00:00:00Z", days_until_full: 9.7 }));
  expect(screen.getByText(/full in 9 days/)).toBeInTheDocument();
  // 96 % of 100 GiB: 4 GiB free, under the alerts' critical floor (5 % of the size).
  expect(screen.getByRole("meter")).toHaveAttribute("data-level", "critical");
});

it("gives the range of the fill date and the peak it comes from", () => {
  const inDays = (days: number) => new Date(Date.now() + (days + 0.5) * 86_400_000).toISOString();
  renderRow(
    makeFilesystem({
      full_at: inDays(12),
      full_at_earliest: inDays(10),
      full_at_latest: inDays(15),
      days_until_full: 12.5,
      confident: true,
      forecast_basis: "peak",
      forecast_reason: "at the daily peak (around 02:00 UTC)",
    }),
  );
  const forecast = screen.getByText(/full in 12 days \(10–15\)/);
  expect(forecast).toHaveTextContent("at the daily peak (around 02:00 UTC)");
  expect(forecast).toHaveAttribute("title", expect.stringContaining("confident"));
});

it("says why a pruned disk has no fill date", () => {
  renderRow(
    makeFilesystem({
      forecast_basis: "prune_cycle",
      forecast_reason: "pruned weekly; peaks at 78 %",
    }),
  );
  expect(screen.getByText("pruned weekly; peaks at 78 %")).toBeInTheDocument();
  expect(screen.queryByText(/full in/)).not.toBeInTheDocument();
});

it("marks a stuck network mount unreachable instead of showing a usage bar", () => {
  renderRow(
    makeFilesystem({
      mount_point: "/mnt/nas",
      fs_type: "nfs4",
      state: "unreachable",
      available_bytes: 0,
    }),
  );
  expect(screen.getByText("unreachable")).toBeInTheDocument();
  expect(screen.getByText("not answering")).toBeInTheDocument();
  expect(screen.queryByRole("meter")).not.toBeInTheDocument();
});

it("selects its filesystem when clicked or activated from the keyboard", async () => {
  const user = userEvent.setup();
  const onSelect = renderRow(makeFilesystem({ mount_point: "/mnt/My Disk" }));
  await user.click(screen.getByRole("button", { name: /My Disk/ }));
  expect(onSelect).toHaveBeenCalledWith("/mnt/My Disk");
  await user.keyboard("{Enter}");
  expect(onSelect).toHaveBeenCalledTimes(2);
});

it("warns about inodes only when they run out before the space", () => {
  const spool = {
    mount_point: "/var/spool",
    full_at: "2027-09-01T00:00:00Z",
    days_until_full: 600,
    inodes_full_at: "2026-01-26T00:00:00Z",
    inodes_days_until_full: 15.5,
    inodes_confident: true,
  };
  renderRow(makeFilesystem(spool));
  expect(screen.getByText(/inodes full in 15 days/)).toBeInTheDocument();
  expect(screen.getByText(/full in 600 days/)).toBeInTheDocument();
});

it("keeps quiet about inodes that last longer than the space", () => {
  renderRow(
    makeFilesystem({
      full_at: "2026-01-20T00:00:00Z",
      days_until_full: 9.5,
      inodes_full_at: "2026-06-01T00:00:00Z",
      inodes_days_until_full: 140,
    }),
  );
  expect(screen.getByText(/full in 9 days/)).toBeInTheDocument();
  expect(screen.queryByText(/inodes/)).toBeNull();
});

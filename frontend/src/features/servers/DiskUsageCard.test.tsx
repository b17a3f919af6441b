import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it, vi } from "vitest";
import { makeFilesystem } from "../../test/fixtures";
import { DiskUsageCard } from "./DiskUsageCard";

const filesystems = [
  makeFilesystem({ mount_point: "/", percent: 40 }),
  makeFilesystem({ mount_point: "/data", device: "/dev/sdb1", fs_type: "xfs", percent: 92 }),
  makeFilesystem({ mount_point: "/mnt/My Photos", device: "/dev/sdc1", percent: 81 }),
  makeFilesystem({
    mount_point: "/mnt/nas",
    device: "nas:/export",
    fs_type: "nfs4",
    percent: 0,
    state: "unreachable",
  }),
];

const mounts = () =>
  within(screen.getByRole("list", { name: "Filesystems" }))
    .getAllByRole("listitem")
    .map((item) => item.getAttribute("data-mount"));

it("lists every filesystem, unreachable first then fullest first", () => {
  render(<DiskUsageCard filesystems={filesystems} selectedMount={null} onSelect={vi.fn()} />);
  expect(screen.getByTestId("filesystem-count")).toHaveTextContent("4 filesystems, 1 unreachable");
  expect(mounts()).toEqual(["/mnt/nas", "/data", "/mnt/My Photos", "/"]);
});

it("sorts by mount point and filters by mount, device or type", async () => {
  const user = userEvent.setup();
  render(<DiskUsageCard filesystems={filesystems} selectedMount={null} onSelect={vi.fn()} />);
  await user.selectOptions(screen.getByLabelText("Sort filesystems"), "mount");
  expect(mounts()).toEqual(["/", "/data", "/mnt/My Photos", "/mnt/nas"]);
  await user.type(screen.getByLabelText("Filter filesystems"), "photos");
  expect(mounts()).toEqual(["/mnt/My Photos"]);
  await user.clear(screen.getByLabelText("Filter filesystems"));
  await user.type(screen.getByLabelText("Filter filesystems"), "nfs");
  expect(mounts()).toEqual(["/mnt/nas"]);
  await user.clear(screen.getByLabelText("Filter filesystems"));
  await user.type(screen.getByLabelText("Filter filesystems"), "zzz");
  expect(screen.getByText(/No filesystem matches/)).toBeInTheDocument();
});

it("marks the selected filesystem as pressed", () => {
  render(<DiskUsageCard filesystems={filesystems} selectedMount="/data" onSelect={vi.fn()} />);
  expect(screen.getByRole("button", { name: /^\/data/ })).toHaveAttribute("aria-pressed", "true");
});

it("explains an agent that reports no filesystems", () => {
  render(<DiskUsageCard filesystems={null} selectedMount={null} onSelect={vi.fn()} />);
  expect(screen.getByText(/does not report filesystems/)).toBeInTheDocument();
});

it("keeps 200 filesystems in the list", () => {
  const many = Array.from({ length: 200 }, (_, i) =>
    makeFilesystem({ mount_point: `/mnt/d${i}`, percent: i / 2 }),
  );
  render(<DiskUsageCard filesystems={many} selectedMount={null} onSelect={vi.fn()} />);
  expect(mounts()).toHaveLength(200);
});

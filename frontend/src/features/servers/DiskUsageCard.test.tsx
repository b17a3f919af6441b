import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it, vi } from "vitest";
import { makeDomain, makeFilesystem } from "../../test/fixtures";
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

const GIB = 1024 ** 3;

it("shows a pool once, expandable to its datasets and second mounts", async () => {
  const user = userEvent.setup();
  const pool = makeDomain({
    key: "zfs:tank",
    kind: "zfs_pool",
    members: ["/tank", "/tank/media", "/srv/media"],
    used_bytes: 900 * GIB,
    available_bytes: 100 * GIB,
    total_bytes: 1000 * GIB,
  });
  const inPool = (mount: string) =>
    makeFilesystem({ mount_point: mount, fs_type: "zfs", capacity_domain: "zfs:tank" });
  render(
    <DiskUsageCard
      filesystems={[makeFilesystem(), inPool("/tank"), inPool("/tank/media")]}
      domains={[pool]}
      selectedMount={null}
      onSelect={vi.fn()}
    />,
  );
  const group = screen.getByTestId("domain-group");
  expect(group).toHaveTextContent("tank");
  expect(group).toHaveTextContent("ZFS pool · 3 mounts");
  expect(group).toHaveTextContent("90.0 %");
  expect(screen.queryByText("/tank/media")).toBeNull();
  await user.click(within(group).getByRole("button", { expanded: false }));
  const members = within(group).getByRole("list", { name: "Mounts of tank" });
  expect(within(members).getAllByTestId("filesystem-row")).toHaveLength(2);
  expect(within(members).getByTestId("domain-member")).toHaveTextContent("/srv/media");
});

it("lists missing mounts first, in red, with the bytes written underneath", () => {
  render(
    <DiskUsageCard
      filesystems={[
        makeFilesystem(),
        makeFilesystem({
          mount_point: "/mnt/usb",
          device: "LABEL=usb",
          state: "missing",
          shadowed_bytes: 3 * GIB,
        }),
      ]}
      selectedMount={null}
      onSelect={vi.fn()}
    />,
  );
  const missing = screen.getByRole("list", { name: "Missing mounts" });
  expect(missing).toHaveTextContent("/mnt/usb");
  expect(missing).toHaveTextContent("missing");
  expect(missing).toHaveTextContent("3.0 GiB written into its empty directory");
  expect(screen.getByTestId("filesystem-count")).toHaveTextContent("1 filesystem, 1 missing");
  const lists = screen.getAllByRole("list");
  expect(lists.indexOf(missing)).toBeLessThan(
    lists.indexOf(screen.getByRole("list", { name: "Filesystems" })),
  );
});

it("says each dataset fills with its pool, and dates the pool once on its own row", async () => {
  const user = userEvent.setup();
  const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  const pool = makeDomain({
    key: "zfs:tank",
    kind: "zfs_pool",
    members: ["/tank/a", "/tank/b", "/tank/c"],
    used_bytes: 350 * GIB,
    available_bytes: 860 * GIB,
    total_bytes: 1210 * GIB,
    growth_bytes_per_day: 5 * GIB,
    days_until_full: 172,
    full_at: inDays(172),
    full_at_earliest: inDays(172),
    full_at_latest: inDays(172),
    confident: true,
  });
  const dataset = (mount: string, ownDays: number | null) =>
    makeFilesystem({
      mount_point: mount,
      fs_type: "zfs",
      capacity_domain: "zfs:tank",
      days_until_full: 172,
      full_at: pool.full_at,
      full_at_earliest: pool.full_at_earliest,
      full_at_latest: pool.full_at_latest,
      confident: true,
      fill_source: "domain",
      fill_domain: "zfs:tank",
      fill_domain_label: "pool tank",
      own_full_at: ownDays === null ? null : inDays(ownDays),
    });
  render(
    <DiskUsageCard
      filesystems={[dataset("/tank/a", 287), dataset("/tank/b", 430), dataset("/tank/c", null)]}
      domains={[pool]}
      selectedMount={null}
      onSelect={vi.fn()}
    />,
  );
  const group = screen.getByTestId("domain-group");
  expect(within(group).getByTestId("domain-forecast")).toHaveTextContent(/^full in 172 days · /);
  await user.click(within(group).getByRole("button", { expanded: false }));
  const rows = within(group).getAllByTestId("fs-forecast");
  expect(rows.map((row) => row.textContent)).toEqual(
    Array(3).fill(expect.stringMatching(/^fills with pool tank in 172 days · /)),
  );
  expect(rows[0]).toHaveAttribute("title", expect.stringContaining("its own growth alone"));
  expect(rows[2]).toHaveAttribute("title", expect.stringContaining("would not fill it"));
});

it("marks a pool's date tentative while its datasets' dates are", () => {
  const pool = makeDomain({
    key: "zfs:tank",
    kind: "zfs_pool",
    members: ["/tank/a", "/tank/b"],
    days_until_full: 40,
    full_at: new Date(Date.now() + 40 * 86_400_000).toISOString(),
    confident: false,
  });
  const inPool = (mount: string) =>
    makeFilesystem({ mount_point: mount, fs_type: "zfs", capacity_domain: "zfs:tank" });
  render(
    <DiskUsageCard
      filesystems={[inPool("/tank/a"), inPool("/tank/b")]}
      domains={[pool]}
      selectedMount={null}
      onSelect={vi.fn()}
    />,
  );
  expect(screen.getByTestId("domain-forecast")).toHaveTextContent(/· tentative$/);
});

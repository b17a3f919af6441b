import { apiKey, expect, hubUrl, SHOTS, signedIn, test } from "./fixtures";

// A Proxmox host as the agent reports it: two datasets of one pool, a quota dataset, a second
// mount of a dataset, the boot disk, and a USB disk from fstab that is not mounted, with 3 GiB
// written into its empty directory on the root filesystem.
const ID = "pve-e2e";
const GIB = 1024 ** 3;

const fs = (mount: string, domain: string, used: number, avail: number, extra = {}) => ({
  mount_point: mount,
  device: mount === "/" ? "/dev/sda2" : `tank${mount.slice(5)}`,
  fs_type: mount === "/" ? "ext4" : "zfs",
  total_bytes: used + avail,
  used_bytes: used,
  available_bytes: avail,
  percent: Math.round((used / (used + avail)) * 1000) / 10,
  capacity_domain: domain,
  ...extra,
});

function heartbeat() {
  return {
    server_id: ID,
    hostname: ID,
    timestamp: new Date().toISOString(),
    agent_version: "e2e",
    filesystems: [
      fs("/", "dev:/dev/sda2", 20 * GIB, 80 * GIB),
      fs("/tank", "zfs:tank", 1 * GIB, 300 * GIB),
      fs("/tank/media", "zfs:tank", 1500 * GIB, 300 * GIB),
      fs("/tank/backups", "zfs:tank", 690 * GIB, 300 * GIB),
      fs("/tank/ct-101", "zfs:tank/ct-101", 2 * GIB, 6 * GIB),
      {
        mount_point: "/mnt/usb-backup",
        device: "LABEL=usb-backup",
        fs_type: "ext4",
        total_bytes: 0,
        used_bytes: 0,
        available_bytes: 0,
        percent: 0,
        state: "missing",
        shadowed_bytes: 3 * GIB,
      },
    ],
    capacity_domains: [
      {
        key: "dev:/dev/sda2",
        kind: "device",
        members: ["/"],
        total_bytes: 100 * GIB,
        used_bytes: 20 * GIB,
        available_bytes: 80 * GIB,
      },
      {
        key: "zfs:tank",
        kind: "zfs_pool",
        members: ["/tank", "/tank/media", "/tank/backups", "/srv/media"],
        total_bytes: 2493 * GIB,
        used_bytes: 2193 * GIB,
        available_bytes: 300 * GIB,
      },
      {
        key: "zfs:tank/ct-101",
        kind: "zfs_dataset",
        members: ["/tank/ct-101"],
        total_bytes: 8 * GIB,
        used_bytes: 2 * GIB,
        available_bytes: 6 * GIB,
        parent: "zfs:tank",
      },
    ],
  };
}

test.beforeEach(async ({ request }) => {
  const sent = await request.post(`${hubUrl()}/api/v1/agents/heartbeat`, {
    headers: { "X-API-Key": apiKey() },
    data: heartbeat(),
  });
  expect(sent.status()).toBe(200);
});

test.afterEach(async ({ request }) => {
  await request.delete(`${hubUrl()}/api/v1/servers/${ID}`, {
    headers: { "X-API-Key": apiKey() },
  });
});

test("a pool with datasets is shown once, a missing disk at the top in red", async ({ page }) => {
  await signedIn(page);
  await page.goto(`${hubUrl()}/servers/${ID}`);
  await expect(page.getByRole("heading", { level: 1, name: ID })).toBeVisible();

  const missing = page.getByRole("list", { name: "Missing mounts" });
  await expect(missing.getByTestId("missing-row")).toHaveCount(1);
  await expect(missing).toContainText("/mnt/usb-backup");
  await expect(missing).toContainText("not mounted");
  await expect(missing).toContainText("3.0 GiB written");
  const missingBox = await missing.boundingBox();
  const listBox = await page.getByRole("list", { name: "Filesystems" }).boundingBox();
  expect(missingBox!.y).toBeLessThan(listBox!.y);
  const colour = await missing
    .getByText("missing", { exact: true })
    .evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(colour).toBe("rgb(220, 38, 38)");

  const list = page.getByRole("list", { name: "Filesystems" });
  const pool = list.getByTestId("domain-group");
  await expect(pool).toHaveCount(1);
  await expect(pool).toContainText("tank");
  await expect(pool).toContainText("ZFS pool · 5 mounts");
  await expect(pool).toContainText("88.0 %"); // 2193 of 2493 GiB: the pool, not a dataset
  // Collapsed, the pool is one row: the datasets are not listed on their own.
  await expect(list.locator('[data-mount="/tank/media"]')).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/domains-1280.png`, fullPage: true });

  await pool.getByRole("button", { expanded: false }).click();
  const members = pool.getByRole("list", { name: "Mounts of tank" });
  await expect(members.getByTestId("filesystem-row")).toHaveCount(4);
  await expect(members.getByTestId("domain-member")).toHaveText(/\/srv\/media/);
  await page.screenshot({ path: `${SHOTS}/domains-expanded-1280.png`, fullPage: true });
  await members.locator('[data-mount="/tank/media"] .fs-row__button').click();
  await expect(page).toHaveURL(/fs=%2Ftank%2Fmedia/);
});

test("on a phone the disk list comes before the CPU and memory charts", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await signedIn(page);
  await page.goto(`${hubUrl()}/servers/${ID}`);
  const disks = page.getByRole("heading", { name: "Disks" });
  await expect(disks).toBeVisible();
  const disksY = (await disks.boundingBox())!.y;
  const cpuY = (await page.getByRole("heading", { name: "CPU", exact: true }).boundingBox())!.y;
  const memoryY = (await page.getByRole("heading", { name: "Memory", exact: true }).boundingBox())!
    .y;
  expect(disksY).toBeLessThan(cpuY);
  expect(disksY).toBeLessThan(memoryY);
  await page.screenshot({ path: `${SHOTS}/domains-375.png`, fullPage: false });
});

test("the fleet counts the pool once and flags the missing mount", async ({ page }) => {
  await signedIn(page);
  await page.goto(hubUrl());
  const card = page.getByTestId("server-card").filter({ hasText: ID });
  await expect(card).toContainText("1 missing mount");
  await expect(card).toContainText("Storage: 2.2 TiB of 2.5 TiB in 2 pools and disks");
});

import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext, Page } from "@playwright/test";
import { apiKey, expect, hubUrl, SHOTS, signedIn, test } from "./fixtures";

// A NAS whose media disk is dying: four hourly drive readings (ADR 0004) in which the
// reallocated sectors of /dev/sdc climb from 8 to 160 and smartctl's verdict turns FAILED, a
// healthy system disk, and a ZFS pool scrubbed ten days ago.
const ID = "drives-e2e";
const GIB = 1024 ** 3;
const HOUR = 3600_000;
const READINGS = 4;

const fs = (mount: string, device: string, used: number, avail: number) => ({
  mount_point: mount,
  device,
  fs_type: "ext4",
  total_bytes: used + avail,
  used_bytes: used,
  available_bytes: avail,
  percent: Math.round((used / (used + avail)) * 1000) / 10,
});

const attribute = (id: number, name: string, count: number) => ({
  id,
  name,
  normalized: 100,
  worst: 100,
  threshold: 0,
  raw: count,
  raw_string: String(count),
  count,
  failing: null,
});

/** The drives as read `n` hours before the last reading (n = 0 is the newest). */
function drives(at: string, n: number) {
  const reallocated = [160, 40, 12, 8][n]!;
  const failing = n === 0;
  return [
    {
      id: "serial:WDC WD80EFAX-68KNBN0:VK0FAIL1",
      name: "/dev/sdc",
      device_type: "sat",
      state: "ok",
      checked_at: at,
      read_at: at,
      protocol: "ATA",
      kind: "hdd",
      model: "WDC WD80EFAX-68KNBN0",
      serial: "VK0FAIL1",
      capacity_bytes: 8_001_563_222_016,
      rotation_rpm: 5400,
      smart_passed: !failing,
      exit_status: failing ? 8 : 0,
      exit_status_bits: failing ? ["disk_failing"] : [],
      temperature_celsius: 44 + (READINGS - n),
      power_on_seconds: (31_000 + READINGS - n) * 3600,
      ata_attributes: [
        attribute(5, "Reallocated_Sector_Ct", reallocated),
        attribute(197, "Current_Pending_Sector", failing ? 3 : 0),
      ],
      block_devices: ["sdc", "sdc1"],
      filesystems: ["/srv/media"],
      capacity_domains: ["dev:/dev/sdc1"],
      pools: [],
    },
    {
      id: "wwn:0x5002538e40a1b2c3",
      name: "/dev/sda",
      device_type: "sat",
      state: "ok",
      checked_at: at,
      read_at: at,
      protocol: "ATA",
      kind: "ssd",
      model: "Samsung SSD 870 EVO 500GB",
      serial: "S6PXNM0T123456",
      capacity_bytes: 500_107_862_016,
      smart_passed: true,
      exit_status: 0,
      exit_status_bits: [],
      temperature_celsius: 31,
      power_on_seconds: 9_000 * 3600,
      ata_attributes: [attribute(5, "Reallocated_Sector_Ct", 0)],
      block_devices: ["sda", "sda1", "sda2"],
      filesystems: ["/", "/data"],
      capacity_domains: ["dev:/dev/sda2"],
      pools: [],
    },
  ];
}

function pools() {
  const ended = new Date(Date.now() - 10 * 24 * HOUR).toISOString();
  const leaf = (name: string) => ({
    name,
    state: "ONLINE",
    kind: "disk",
    read_errors: 0,
    write_errors: 0,
    checksum_errors: 0,
  });
  return [
    {
      kind: "zfs",
      name: "tank",
      state: "ONLINE",
      source: "zpool-json",
      degraded: false,
      scan: { function: "scrub", state: "finished", ended_at: ended, errors: 0 },
      devices: [
        {
          ...leaf("tank"),
          kind: "root",
          children: [{ ...leaf("mirror-0"), kind: "mirror", children: [leaf("sdd"), leaf("sde")] }],
        },
      ],
    },
  ];
}

function heartbeat(n: number, now: number) {
  const at = new Date(now - n * HOUR).toISOString();
  return {
    server_id: ID,
    hostname: ID,
    timestamp: at,
    agent_version: "e2e",
    filesystems: [
      fs("/", "/dev/sda2", 20 * GIB, 200 * GIB),
      fs("/data", "/dev/sda1", 100 * GIB, 150 * GIB),
      fs("/srv/media", "/dev/sdc1", 5000 * GIB, 2000 * GIB),
    ],
    drives: drives(at, n),
    pools: pools(),
  };
}

async function seed(request: APIRequestContext) {
  const now = Date.now();
  for (let n = READINGS - 1; n >= 0; n -= 1) {
    const sent = await request.post(`${hubUrl()}/api/v1/agents/heartbeat`, {
      headers: { "X-API-Key": apiKey() },
      data: heartbeat(n, now),
    });
    expect(sent.status()).toBe(200);
  }
}

test.beforeEach(async ({ request }) => seed(request));

test.afterEach(async ({ request }) => {
  await request.delete(`${hubUrl()}/api/v1/servers/${ID}`, {
    headers: { "X-API-Key": apiKey() },
  });
});

const mediaRow = (page: Page) =>
  page.getByRole("list", { name: "Filesystems" }).locator('[data-mount="/srv/media"]');

test("a failing drive is red on its disk's row, first on the Drives page, and its history opens", async ({
  page,
}) => {
  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await signedIn(page);
    await page.goto(`${hubUrl()}/servers/${ID}`);
    const badge = mediaRow(page).getByTestId("drive-health-badge");
    await expect(badge).toHaveAttribute("data-health", "failed");
    await expect(badge).toHaveText("drive failed");
    const colour = await badge.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(colour).toBe("rgb(220, 38, 38)");
    // The healthy SSD under / and /data reads passed, never red.
    await expect(
      page.locator('[data-mount="/data"]').getByTestId("drive-health-badge"),
    ).toHaveAttribute("data-health", "passed");
    await badge.hover();
    const tip = page.getByTestId("drive-tip");
    await expect(tip).toBeVisible();
    await expect(tip).toContainText("/dev/sdc (WDC WD80EFAX-68KNBN0, serial VK0FAIL1): failed");
    await expect(tip).toContainText("rose from 8 to 160");
    const row = (await mediaRow(page).boundingBox())!;
    await page.screenshot({
      path: `/tmp/drives-row-${scheme}.png`,
      clip: { x: row.x, y: row.y, width: row.width, height: row.height + 70 },
    });
    await page.screenshot({ path: `${SHOTS}/drives-row-1280-${scheme}.png` });

    await page.getByRole("link", { name: "Drives", exact: true }).click();
    await expect(page).toHaveURL(/\/drives$/);
    const first = page.getByTestId("fleet-drive").first();
    await expect(first).toHaveAttribute("data-health", "failed");
    await expect(first).toContainText(ID);
    await expect(first).toContainText("WDC WD80EFAX-68KNBN0");
    await page.screenshot({ path: `/tmp/drives-page-${scheme}.png`, fullPage: true });
    await page.screenshot({ path: `${SHOTS}/drives-page-1280-${scheme}.png`, fullPage: true });
  }

  // The row opens the drive on its server's page, its history drawn.
  await page.getByTestId("fleet-drive").first().getByRole("link", { name: /WDC/ }).click();
  await expect(page).toHaveURL(new RegExp(`/servers/${ID}#drive-\\d+$`));
  const item = page.locator(".drive-item", { hasText: "VK0FAIL1" });
  await expect(item.getByRole("button", { name: "Hide history of /dev/sdc" })).toHaveAttribute(
    "aria-expanded",
    "true",
  );
  await expect(item).toBeInViewport();
  const temperature = item.getByRole("img", { name: "Temperature of /dev/sdc over 24h" });
  await expect(temperature.locator("canvas")).toHaveCount(1);
  await expect(
    item.getByRole("img", { name: /Key counts of \/dev\/sdc over 24h: .*reallocated sectors/ }),
  ).toBeVisible();
  await expect(item.getByTestId("drive-reasons")).toContainText("rose from 8 to 160");
  await item.getByRole("button", { name: "7d" }).click();
  await expect(item.getByRole("img", { name: "Temperature of /dev/sdc over 7d" })).toBeVisible();
  await expect(page.getByTestId("pool-item")).toContainText("tank");
  await expect(page.getByTestId("pool-item")).toContainText("scrub finished 10 days ago");
  await item.screenshot({ path: "/tmp/drives-history-dark.png" });
});

for (const scheme of ["light", "dark"] as const) {
  test(`axe finds no violations on the Drives page and a drive's history in the ${scheme} theme`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await signedIn(page);
    await page.goto(`${hubUrl()}/drives`);
    await expect(page.getByTestId("fleet-drive").first()).toHaveAttribute("data-health", "failed");
    const onDrives = await new AxeBuilder({ page }).analyze();
    expect(
      onDrives.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`),
    ).toEqual([]);
    await page.getByTestId("fleet-drive").first().getByRole("link", { name: /WDC/ }).click();
    await expect(page.getByRole("img", { name: /Temperature of \/dev\/sdc/ })).toBeVisible();
    const section = await new AxeBuilder({ page })
      .include('[data-testid="drives-section"]')
      .analyze();
    expect(
      section.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(", ")}`),
    ).toEqual([]);
  });
}

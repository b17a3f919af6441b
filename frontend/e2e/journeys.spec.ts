import type { Page } from "@playwright/test";
import { apiKey, expect, hubUrl, SHOTS, signedIn, test } from "./fixtures";
import { SEEDED_ID, SPACED_MOUNT } from "./seed.mjs";

// The server page as a user meets it: disks first, a forecast chart that draws, hovers and
// redraws on every range, at a desktop and a phone size, in both colour schemes. The shared
// fixture fails each test on any page error, console error or failed request.

const RANGES = ["1h", "6h", "24h", "7d", "30d", "90d", "12m"] as const;
const chartCanvas = '[data-testid="filesystem-chart"] canvas';

/** The chart's pixels as a data URL: two renderings of different data differ. */
const snapshot = (page: Page) =>
  page
    .locator(chartCanvas)
    .first()
    .evaluate((c) => (c as HTMLCanvasElement).toDataURL());

for (const scheme of ["light", "dark"] as const) {
  test(`desktop, ${scheme}: the first screen shows the disks; a ranged forecast hovers and redraws on every range`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1440, height: 900 });
    await signedIn(page);
    await page.goto(`${hubUrl()}/servers/${SEEDED_ID}?range=24h`);
    const list = page.getByRole("list", { name: "Filesystems" });
    await expect(list).toBeInViewport();
    await expect(page.getByTestId("filesystem-chart")).toBeInViewport();
    await page.screenshot({ path: `/tmp/server-1440-${scheme}.png` });
    await page.screenshot({ path: `${SHOTS}/server-1440-${scheme}.png` });

    await page.getByRole("searchbox", { name: "Filter filesystems" }).fill("my disk");
    await list.locator(`[data-mount="${SPACED_MOUNT}"] .fs-row__button`).click();
    const chart = page.getByTestId("filesystem-chart");
    await expect(chart).toBeInViewport();
    await expect(chart.getByTestId("forecast")).toContainText(/full in \d+ days/);

    // Hover: the legend reads a value under the pointer, not the empty "--" of a broken chart.
    const over = chart.locator(".u-over");
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    const used = chart.locator(".u-legend .u-series").nth(1).locator(".u-value");
    await expect(used).toHaveText(/\d.* (GiB|TiB|MiB)/);

    let before = await snapshot(page);
    for (const range of RANGES.filter((r) => r !== "24h")) {
      await page.getByRole("button", { name: range, exact: true }).click();
      await expect(page).toHaveURL(new RegExp(`range=${range}`));
      await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
      // The chart redrew with the new range: its pixels changed.
      await expect.poll(() => snapshot(page), { message: `redraw on ${range}` }).not.toBe(before);
      before = await snapshot(page);
    }
    await page.getByRole("button", { name: "7d", exact: true }).click();
    await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
    await chart.screenshot({ path: `/tmp/forecast-chart-7d-${scheme}.png` });
  });

  test(`phone, ${scheme}: the first screen shows the disks; a tap shows its chart`, async ({
    page,
  }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 390, height: 844 });
    await signedIn(page);
    await page.goto(`${hubUrl()}/servers/${SEEDED_ID}?range=24h`);
    const list = page.getByRole("list", { name: "Filesystems" });
    await expect(list).toBeInViewport();
    await page.screenshot({ path: `/tmp/server-390-${scheme}.png` });
    await page.screenshot({ path: `${SHOTS}/server-390-${scheme}.png` });
    // The header fits: the brand and the alerts link do not run together (beside or below).
    const brand = (await page.locator(".topbar__brand").boundingBox())!;
    const alerts = (await page.getByTestId("alerts-badge").boundingBox())!;
    const apart = brand.x + brand.width < alerts.x || brand.y + brand.height <= alerts.y;
    expect(apart, `brand ${JSON.stringify(brand)}, alerts ${JSON.stringify(alerts)}`).toBe(true);

    await page.getByRole("searchbox", { name: "Filter filesystems" }).fill("my disk");
    await list.locator(`[data-mount="${SPACED_MOUNT}"] .fs-row__button`).click();
    await expect(page.getByTestId("filesystem-chart")).toBeInViewport();
  });
}

test("a big disk at 97 % reads calm and says why: its free space is above the floor", async ({
  page,
  request,
}) => {
  const GIB = 1024 ** 3;
  const headers = { "X-API-Key": apiKey() };
  const id = "calm-e2e";
  const total = 4096 * GIB;
  const free = 122 * GIB;
  const sent = await request.post(`${hubUrl()}/api/v1/agents/heartbeat`, {
    headers,
    data: {
      server_id: id,
      hostname: id,
      timestamp: new Date().toISOString(),
      filesystems: [
        {
          mount_point: "/srv/media/archive/photos-and-home-videos",
          device: "/dev/md0",
          fs_type: "ext4",
          total_bytes: total,
          used_bytes: total - free,
          available_bytes: free,
          read_only: false,
        },
      ],
    },
  });
  expect(sent.status()).toBe(200);
  try {
    for (const scheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await signedIn(page);
      await page.goto(`${hubUrl()}/servers/${id}`);
      const row = page.getByTestId("filesystem-row").first();
      await expect(row.getByRole("meter")).toHaveAttribute("data-level", "ok");
      await expect(row.getByTestId("calm-reason")).toHaveText(
        "97 % used, 122 GiB free: more than the 100 GiB free a warning needs",
      );
      await expect(row.getByTestId("disk-alert-row")).toContainText("warn 85 % / crit 95 %");
      await row.screenshot({ path: `/tmp/calm-row-${scheme}.png` });
    }
  } finally {
    await request.delete(`${hubUrl()}/api/v1/servers/${id}`, { headers });
  }
});

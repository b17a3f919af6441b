import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext, Locator, Page } from "@playwright/test";
import { expect, SHOTS, test } from "./fixtures";
import { runMaintenance, signInContext, startHub } from "./hub.mjs";

// Journeys where the UI must show what happened: a gap in the data, a server gone silent, a
// disk unplugged, the hub stopped and restarted, near and far fill dates. They run against a
// hub of their own (real process, real database), so stopping it disturbs no other test.

type Hub = Awaited<ReturnType<typeof startHub>>;
const GIB = 1024 ** 3;
const MINUTE = 60_000;
const HOUR = 3_600_000;

const LONG_MOUNT = "/srv/backups/restic-repository-for-the-family-photo-archive/2026-snapshots";

let hub: Hub;

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ request }) => {
  hub = await startHub();
  const now = Date.now();
  // Every minute of the last hour but a 27-minute outage from 40 to 13 minutes ago.
  for (let m = 59; m >= 0; m -= 1) {
    if (m < 40 && m > 13) continue;
    await send(request, beat("gap-e2e", now - m * MINUTE, { cpu: 37 }));
  }
  // Reported every minute until 22 minutes ago, then nothing.
  for (let m = 59; m >= 22; m -= 1) await send(request, beat("silent-e2e", now - m * MINUTE));
  // A USB disk reported until three minutes ago.
  const usb = disk("/mnt/usb-backup", 40, { device: "/dev/sdc1", fs_type: "exfat" });
  await send(request, beat("usb-e2e", now - 5 * MINUTE, { filesystems: [disk("/", 30), usb] }));
  await send(request, beat("usb-e2e", now - 3 * MINUTE, { filesystems: [disk("/", 30), usb] }));
  await send(request, beat("usb-e2e", now - 1 * MINUTE, { filesystems: [disk("/", 30)] }));
  // The same on another server, never dismissed: the accessibility checks see the vanished row.
  await send(request, beat("gone-e2e", now - 4 * MINUTE, { filesystems: [disk("/", 30), usb] }));
  await send(request, beat("gone-e2e", now - 2 * MINUTE, { filesystems: [disk("/", 30)] }));
  // Four days of hourly history: /near gains 6 % a day up to 88 % (full in two days),
  // /far 0.03 % a day from 50 % (full in years).
  for (let h = 4 * 24; h >= 0; h -= 1) {
    const days = h / 24;
    await send(
      request,
      beat("urgency-e2e", now - h * HOUR - MINUTE, {
        filesystems: [
          disk("/near", 88 - 6 * days),
          disk("/far", 50 - 0.03 * days),
          disk(LONG_MOUNT, 10),
        ],
      }),
    );
  }
  runMaintenance(hub);
});

test.afterAll(async () => {
  await hub?.stop();
});

function disk(mount: string, percent: number, extra: Record<string, unknown> = {}) {
  const total = 100 * GIB;
  const used = Math.round((total * percent) / 100);
  return {
    mount_point: mount,
    device: `/dev/disk${mount.replace(/\W/g, "")}`,
    fs_type: "ext4",
    total_bytes: total,
    used_bytes: used,
    available_bytes: total - used,
    percent,
    ...extra,
  };
}

function beat(
  id: string,
  at: number,
  { cpu = 12, filesystems = [disk("/", 30)] }: { cpu?: number; filesystems?: unknown[] } = {},
) {
  return {
    server_id: id,
    hostname: id,
    timestamp: new Date(at).toISOString(),
    agent_version: "e2e",
    metrics: { cpu_percent: cpu, memory_percent: 40, load_1m: 0.2 },
    filesystems,
  };
}

async function send(request: APIRequestContext, payload: unknown) {
  const sent = await request.post(`${hub.url}/api/v1/agents/heartbeat`, {
    headers: { "X-API-Key": hub.apiKey },
    data: payload,
  });
  expect(sent.status()).toBe(200);
}

async function openServer(page: Page, id: string, query = "") {
  await signInContext(page.context(), hub.url, hub.admin);
  await page.goto(`${hub.url}/servers/${id}${query}`);
  await expect(page.getByRole("heading", { level: 1, name: id })).toBeVisible();
}

const widget = (page: Page, title: string) =>
  page.locator("section.widget").filter({ has: page.getByRole("heading", { name: title }) });

/** The legend value of the chart's first line (the CPU for the CPU chart). */
const legendValue = (chart: Locator) =>
  chart.locator(".u-legend .u-series").nth(1).locator(".u-value");

/** Hovers the chart at a share of its plot width (0 = start of the range, 1 = now). */
async function hoverAt(page: Page, chart: Locator, share: number) {
  // The mouse only reaches what is on screen: the charts may sit below the disks' panels.
  await chart.locator(".u-over").scrollIntoViewIfNeeded();
  const box = (await chart.locator(".u-over").boundingBox())!;
  await page.mouse.move(box.x + box.width * share, box.y + box.height / 2);
}

test("a 27-minute gap breaks the line: hovering inside it reads no value", async ({ page }) => {
  await openServer(page, "gap-e2e", "?range=1h");
  const cpu = widget(page, "CPU");
  await expect(cpu.locator("canvas")).toBeVisible();
  // Without a hover the legend shows the latest value, and says it is the latest.
  await expect(legendValue(cpu)).toHaveText("37 %");
  await expect(cpu.locator(".u-legend .u-series").first()).toContainText("latest");

  await hoverAt(page, cpu, (60 - 26.5) / 60); // the middle of the outage
  await expect(legendValue(cpu)).toHaveText("—");
  // The crosshair is shared: the memory chart reads the same instant, inside the gap too.
  await expect(legendValue(widget(page, "Memory"))).toHaveText("—");
  await page.screenshot({ path: `${SHOTS}/gap-1h-hover.png`, fullPage: false });

  await hoverAt(page, cpu, (60 - 50) / 60); // before the outage
  await expect(legendValue(cpu)).toHaveText("37 %");
  await expect(legendValue(widget(page, "Memory"))).toHaveText("40 %");
});

test("a silent server reads stale, then offline, and its chart runs on to now", async ({
  page,
}) => {
  // Its spool was delivered just now, but its newest data is 22 minutes old: stale.
  await signInContext(page.context(), hub.url, hub.admin);
  await page.goto(hub.url);
  const card = page.getByTestId("server-card").filter({ hasText: "silent-e2e" });
  await expect(card).toContainText("Stale");
  await expect(card.getByTestId("attention")).toContainText("no new data since 22 min ago");

  await openServer(page, "silent-e2e", "?range=1h");
  await expect(page.locator(".page__title-row")).toContainText("Stale");
  const cpu = widget(page, "CPU");
  await hoverAt(page, cpu, 0.95); // three minutes ago: nothing was reported
  await expect(legendValue(cpu)).toHaveText("—");
  await hoverAt(page, cpu, 0.3);
  await expect(legendValue(cpu)).toHaveText("12 %");
  await page.screenshot({ path: `${SHOTS}/silent-1h.png`, fullPage: false });
});

test("a server not heard from for minutes reads offline and leads the fleet", async ({ page }) => {
  // Five minutes on, in the browser's clock, without a word from the agent.
  await page.clock.install({ time: new Date(Date.now() + 5 * MINUTE) });
  await signInContext(page.context(), hub.url, hub.admin);
  await page.goto(hub.url);
  const card = page.getByTestId("server-card").filter({ hasText: "silent-e2e" });
  await expect(card).toContainText("Offline");
  await expect(card.getByTestId("attention")).toContainText("offline, last seen 5 min ago");
  // Needs attention is the default order: offline servers lead the fleet.
  await expect(page.getByTestId("server-card").first()).toHaveAttribute(
    "data-attention",
    "critical",
  );
  await page.screenshot({ path: `${SHOTS}/fleet-attention-1280.png`, fullPage: true });
});

test("an unplugged disk stays listed as vanished until dismissed", async ({ page }) => {
  await signInContext(page.context(), hub.url, hub.admin);
  await page.goto(hub.url);
  const card = page.getByTestId("server-card").filter({ hasText: "usb-e2e" });
  await expect(card.getByTestId("attention")).toContainText("1 disk stopped reporting");

  await openServer(page, "usb-e2e");
  const row = page.getByTestId("vanished-row");
  await expect(row).toContainText("/mnt/usb-backup");
  await expect(row).toContainText(/missing since .*\(3 min ago\)/);
  await page.screenshot({ path: `${SHOTS}/vanished-1280.png`, fullPage: true });
  // Its history stays one click away.
  await row.getByRole("button", { name: /^\/mnt\/usb-backup/ }).click();
  await expect(page).toHaveURL(/fs=%2Fmnt%2Fusb-backup/);
  await expect(widget(page, "Filesystem history").locator("canvas")).toBeVisible();

  await page.getByRole("button", { name: "Dismiss /mnt/usb-backup" }).click();
  await expect(page.getByTestId("vanished-row")).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId("filesystem-row")).toHaveCount(1);
  await expect(page.getByTestId("vanished-row")).toHaveCount(0);
});

test("near fill dates read red, far ones calm, on the card, the list and the chart", async ({
  page,
}) => {
  await openServer(page, "urgency-e2e", "?range=7d&fs=%2Fnear");
  const near = page.locator('[data-testid="filesystem-row"][data-mount="/near"]');
  const far = page.locator('[data-testid="filesystem-row"][data-mount="/far"]');
  await expect(near.getByTestId("fs-forecast")).toHaveAttribute("data-level", "critical");
  await expect(far.getByTestId("fs-forecast")).toHaveAttribute("data-level", "ok");
  const colour = (l: Locator) => l.evaluate((el) => getComputedStyle(el).color);
  expect(await colour(near.getByTestId("fs-forecast"))).toBe("rgb(185, 28, 28)");
  expect(await colour(far.getByTestId("fs-forecast"))).toBe(
    await colour(page.locator(".muted").first()),
  );
  await expect(page.getByTestId("forecast")).toHaveAttribute("data-level", "critical");
  // The 7-day history fills the chart; the forecast is a marked extension, not 30 days more.
  await expect(page.getByTestId("forecast")).toContainText("full in");
  await page.screenshot({ path: `${SHOTS}/urgency-7d-1280.png`, fullPage: true });

  await page.goto(hub.url);
  const card = page.getByTestId("server-card").filter({ hasText: "urgency-e2e" });
  await expect(card).toHaveAttribute("data-attention", "critical");
  await expect(card.getByTestId("attention")).toContainText("/near");
});

test("ranges are history entries, 90 days included", async ({ page }) => {
  await openServer(page, "urgency-e2e", "?range=7d");
  const range = page.getByRole("group", { name: "History range" });
  await range.getByRole("button", { name: "90d" }).click();
  await expect(page).toHaveURL(/range=90d/);
  await expect(range.getByRole("button", { name: "90d" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByText("resolution: hourly")).toBeVisible();
  await range.getByRole("button", { name: "30d" }).click();
  await expect(page).toHaveURL(/range=30d/);

  await page.goBack();
  await expect(page).toHaveURL(/range=90d/);
  await expect(range.getByRole("button", { name: "90d" })).toHaveAttribute("aria-pressed", "true");
  await page.reload();
  await expect(range.getByRole("button", { name: "90d" })).toHaveAttribute("aria-pressed", "true");
});

test("fleet filters survive a visit to a server and Back", async ({ page }) => {
  await signInContext(page.context(), hub.url, hub.admin);
  await page.goto(hub.url);
  await page.getByLabel("Filter servers").fill("urgency");
  await page.getByLabel("Sort servers").selectOption("name");
  await expect(page.getByTestId("server-card")).toHaveCount(1);
  await page.getByRole("link", { name: "urgency-e2e" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "urgency-e2e" })).toBeVisible();
  await expect(page).toHaveTitle("urgency-e2e · HomelabCmd");

  await page.goBack();
  await expect(page.getByLabel("Filter servers")).toHaveValue("urgency");
  await expect(page.getByLabel("Sort servers")).toHaveValue("name");
  await expect(page.getByTestId("server-card")).toHaveCount(1);
  await expect(page).toHaveTitle("Servers · HomelabCmd");
});

test("on a phone, a long mount point keeps its percentage on one line and a tap shows the chart", async ({
  page,
}) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await openServer(page, "urgency-e2e", "?range=7d");
  // All seven range buttons fit the phone's width.
  const ranges = page.getByRole("group", { name: "History range" });
  await expect(ranges.getByRole("button", { name: "12m" })).toBeInViewport({ ratio: 1 });
  const row = page.locator(`[data-testid="filesystem-row"][data-mount="${LONG_MOUNT}"]`);
  const mount = (await row.locator(".fs-row__mount").boundingBox())!;
  const percent = (await row.locator(".fs-row__percent").boundingBox())!;
  expect(percent.height).toBeLessThan(mount.height * 1.5);
  expect(Math.abs(percent.y - mount.y)).toBeLessThan(4);
  expect(percent.x).toBeGreaterThan(mount.x + mount.width - 1);

  const history = page.getByRole("heading", { name: "Filesystem history" });
  await expect(history).not.toBeInViewport();
  await row.locator(".fs-row__button").click();
  await expect(history).toBeInViewport();
  await expect(page).toHaveURL(/fs=/);
  await page.screenshot({ path: `${SHOTS}/phone-tap-375.png`, fullPage: false });
});

test("with the hub stopped the page keeps its data under a banner, then recovers", async ({
  page,
  request,
  allowErrors,
}) => {
  // The refreshes that fail while the hub is stopped, as the browser reports them.
  allowErrors(/ERR_CONNECTION_REFUSED/);
  await page.clock.install();
  await openServer(page, "gap-e2e", "?range=1h");
  await expect(widget(page, "CPU").locator("canvas")).toBeVisible();
  await expect(page.locator(".page__title-row")).toContainText("Online");

  await hub.halt();
  // The next refresh (every 30 s) fails, retries, and gives up.
  for (let i = 0; i < 4; i += 1) await page.clock.fastForward("00:31");
  const banner = page.getByTestId("hub-unreachable");
  await expect(banner).toContainText("Hub unreachable — showing data from");
  await expect(widget(page, "CPU").locator("canvas")).toBeVisible();
  await expect(page.getByTestId("filesystem-row")).toHaveCount(1);
  // Status follows the age of the data, not the last answer: five minutes on it is offline.
  await page.clock.fastForward("05:00");
  await expect(page.locator(".page__title-row")).toContainText("Offline");
  await expect(banner).toContainText(/\(\d+ min ago\)/);
  await page.screenshot({ path: `${SHOTS}/hub-unreachable-1280.png`, fullPage: false });
  // The alerts page cannot know what fires: it says so, never "Nothing firing."
  await page.getByTestId("alerts-badge").click();
  for (let i = 0; i < 4; i += 1) await page.clock.fastForward("00:31");
  await expect(page.getByText("Can't reach the hub")).toBeVisible();
  await expect(page.getByText("Nothing firing.")).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/alerts-hub-down-1280.png`, fullPage: false });
  await page.goBack();

  await hub.restart();
  await send(request, beat("gap-e2e", Date.now(), { cpu: 64 }));
  for (let i = 0; i < 2; i += 1) await page.clock.fastForward("00:31");
  await expect(page.getByTestId("hub-unreachable")).toHaveCount(0);
  await expect(widget(page, "CPU").locator(".widget__aside")).toHaveText("64 %");
});

for (const scheme of ["light", "dark"] as const) {
  for (const width of [1280, 375]) {
    test(`axe finds no violations at ${width} px in the ${scheme} theme`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width, height: 900 });
      const check = async (name: string) => {
        const result = await new AxeBuilder({ page }).analyze();
        const found = result.violations.map(
          (v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
        );
        expect(found, `${name} at ${width} px, ${scheme}`).toEqual([]);
        await page.screenshot({
          path: `${SHOTS}/axe-${name}-${width}-${scheme}.png`,
          fullPage: true,
        });
      };
      await page.goto(hub.url);
      await expect(page.getByLabel("Password")).toBeVisible();
      await check("signin");
      await signInContext(page.context(), hub.url, hub.admin);
      const pages = [
        ["fleet", "/"],
        ["server", "/servers/urgency-e2e?range=7d&fs=%2Fnear"],
        ["silent", "/servers/silent-e2e?range=24h"],
        ["vanished", "/servers/gone-e2e?range=1h"],
        ["alerts", "/alerts"],
        ["notifications", "/settings/notifications"],
      ];
      for (const [name, path] of pages) {
        await page.goto(`${hub.url}${path}`);
        await expect(page.locator("main h1")).toBeVisible();
        await expect(page.locator("[aria-busy=true]")).toHaveCount(0);
        await check(name!);
      }
    });
  }
}

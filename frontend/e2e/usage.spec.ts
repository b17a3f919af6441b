import AxeBuilder from "@axe-core/playwright";
import type { APIRequestContext } from "@playwright/test";
import { apiKey, expect, hubUrl, SHOTS, signedIn, test } from "./fixtures";

// A NAS whose /srv grows: two usage scans an agent sent unasked (ADR 0005), a day apart in its
// heartbeats (the hub keeps at most one unasked scan a day per filesystem), in which Frigate's recordings grew by 46 GiB, Docker's layers by 6 GiB, a
// folder of photos named in Cyrillic with spaces by 2 GiB, and the backups shrank by 2 GiB. Then
// a person asks for a scan: the test plays the agent, through the real heartbeat API, taking the
// request from the heartbeat's answer, reporting its progress, then the result; a second request
// ends in a partial result, which is not compared.
const ID = "usage-e2e";
const GIB = 1024 ** 3;
const HOUR = 3600_000;
const MOUNT = "/srv";
const PHOTOS = "/srv/Фото и видео 2026";
// An undecodable byte in a name, escaped as `homelab-agent filesystems --explain` escapes it.
const ODD = "/srv/old\\xffname <b>not bold</b>";

const dir = (path: string, gib: number, otherGib: number) => ({
  path,
  bytes: Math.round(gib * GIB),
  other_bytes: Math.round(otherGib * GIB),
});

/** /srv with recordings and overlay2 of the sizes given; each directory's bytes add up. */
function scanTree(recordings: number, overlay2: number, photos: number, backups: number) {
  const frigate = recordings + 5;
  const docker = overlay2 + 20;
  const root = 2 + frigate + docker + photos + backups + 4;
  return {
    total_bytes: Math.round(root * GIB),
    directories: [
      dir(MOUNT, root, 2),
      dir("/srv/frigate", frigate, 5),
      dir("/srv/docker", docker, 20),
      dir(PHOTOS, photos, photos),
      dir("/srv/backups", backups, backups),
      dir(ODD, 4, 4),
      dir("/srv/frigate/recordings", recordings, recordings),
      dir("/srv/docker/overlay2", overlay2, overlay2),
    ],
  };
}

const scan = (at: number, extra: object) => ({
  mount_point: MOUNT,
  request_id: null,
  started_at: new Date(at - 15_000).toISOString(),
  duration_seconds: 12.5,
  entries: 123_456,
  unreadable: 0,
  stopped_by: null,
  error: null,
  ...extra,
});

function heartbeat(at: number, usage: object = {}) {
  const used = 856 * GIB;
  return {
    server_id: ID,
    hostname: ID,
    timestamp: new Date(at).toISOString(),
    agent_version: "e2e",
    filesystems: [
      {
        mount_point: "/",
        device: "/dev/sda2",
        fs_type: "ext4",
        total_bytes: 100 * GIB,
        used_bytes: 20 * GIB,
        available_bytes: 80 * GIB,
        percent: 20,
      },
      {
        mount_point: MOUNT,
        device: "/dev/md0",
        fs_type: "xfs",
        total_bytes: 2048 * GIB,
        used_bytes: used,
        available_bytes: 2048 * GIB - used,
        percent: Math.round((used / (2048 * GIB)) * 1000) / 10,
      },
    ],
    ...usage,
  };
}

async function post(request: APIRequestContext, body: object) {
  const sent = await request.post(`${hubUrl()}/api/v1/agents/heartbeat`, {
    headers: { "X-API-Key": apiKey() },
    data: body,
  });
  expect(sent.status()).toBe(200);
  return (await sent.json()) as { usage_scan_requests?: { id: string; mount_point: string }[] };
}

test.beforeEach(async ({ request }) => {
  const now = Date.now();
  // The server and its filesystems first: a scan nobody asked for is kept for a known mount.
  await post(request, heartbeat(now - 27 * HOUR));
  await post(
    request,
    heartbeat(now - 26 * HOUR, { usage_scans: [scan(now, scanTree(495, 180, 60, 38))] }),
  );
  await post(
    request,
    heartbeat(now - HOUR, { usage_scans: [scan(now, scanTree(541, 186, 62, 36))] }),
  );
});

test.afterEach(async ({ request }) => {
  await request.delete(`${hubUrl()}/api/v1/servers/${ID}`, {
    headers: { "X-API-Key": apiKey() },
  });
});

test("what grew on /srv: the growers and the tree, then a scan asked for, its progress and result", async ({
  page,
  request,
}) => {
  await signedIn(page);
  await page.goto(`${hubUrl()}/servers/${ID}?fs=${encodeURIComponent(MOUNT)}`);
  const panel = page.getByRole("region", { name: "What grew" });
  await expect(panel).toBeVisible();

  // Largest growth first, each named once where it happened (not /srv, not /srv/frigate), then
  // the shrinker; the bars follow the changes.
  const growers = panel.getByTestId("grower");
  await expect(growers).toHaveCount(4);
  expect(await growers.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-path")))).toEqual(
    ["/srv/frigate/recordings", "/srv/docker/overlay2", PHOTOS, "/srv/backups"],
  );
  await expect(growers.nth(0)).toContainText("+46.0 GiB");
  await expect(growers.nth(0)).toContainText("495.0 GiB → 541.0 GiB");
  await expect(growers.nth(2)).toContainText(PHOTOS);
  await expect(growers.nth(3)).toContainText("-2.0 GiB");
  const widths = await panel
    .getByTestId("grower-bar")
    .evaluateAll((bars) => bars.map((b) => b.getBoundingClientRect().width));
  expect(widths[0]).toBeGreaterThan(widths[1]! * 5);
  expect(widths[1]).toBeGreaterThan(widths[2]!);
  await expect(panel.getByTestId("growth-total")).toContainText("+52.0 GiB in total");
  await expect(panel.getByTestId("scan-facts")).toContainText("took 13 s · 123,456 entries");

  // The tree: /srv open, Frigate opens to its recordings and what is left over.
  const tree = panel.getByRole("list", { name: "Latest scan" });
  await expect(tree.getByText("recordings", { exact: true })).toHaveCount(0);
  await tree.getByRole("button", { name: "frigate" }).click();
  await expect(tree.getByRole("button", { name: "frigate" })).toHaveAttribute(
    "aria-expanded",
    "true",
  );
  await expect(tree.getByText("recordings", { exact: true })).toBeVisible();
  await expect(tree.getByTestId("usage-other").first()).toContainText("other");
  // A name with markup and an escaped byte reads as text.
  await expect(tree.getByText("old\\xffname <b>not bold</b>", { exact: true })).toBeVisible();
  expect(await panel.locator("b").count()).toBe(0);

  // Asked for: the request waits for the agent's next heartbeat.
  const find = panel.getByRole("button", { name: "Find what grew" });
  await find.click();
  const progress = panel.getByTestId("scan-progress");
  await expect(progress).toContainText(
    /requested \d+ s ago, waiting for the agent's next heartbeat/,
  );
  await expect(find).toBeDisabled();
  await page.screenshot({ path: `${SHOTS}/what-grew-requested-1280.png`, fullPage: true });

  // The agent's next heartbeat is answered with the request; it starts and reports progress.
  // Heartbeats a minute apart, as an agent's are: the hub keeps one per server and second.
  const beat = Date.now() - 2 * 60_000;
  const answer = await post(request, heartbeat(beat));
  const order = answer.usage_scan_requests?.find((r) => r.mount_point === MOUNT);
  expect(order).toBeDefined();
  const started = beat + 30_000;
  await post(
    request,
    heartbeat(beat + 60_000, {
      usage_scan_running: {
        mount_point: MOUNT,
        request_id: order!.id,
        started_at: new Date(started).toISOString(),
        entries: 45_678,
      },
    }),
  );
  await expect(progress).toContainText("scanning: 45,678 entries so far");

  // Its result: complete, with two directories it could not read.
  await post(
    request,
    heartbeat(beat + 120_000, {
      usage_scans: [
        scan(started, {
          request_id: order!.id,
          started_at: new Date(started).toISOString(),
          duration_seconds: 300.2,
          entries: 2_345_678,
          unreadable: 2,
          ...scanTree(560, 189, 63, 35),
        }),
      ],
    }),
  );
  await expect(progress).toHaveCount(0);
  await expect(panel.getByTestId("scan-unreadable")).toContainText(
    "2 directories could not be read",
  );
  await expect(panel.getByTestId("scan-facts")).toContainText("took 5 min · 2,345,678 entries");
  // Growth is now against the scan before.
  await expect(growers.first()).toHaveAttribute("data-path", "/srv/frigate/recordings");
  await expect(growers.first()).toContainText("+19.0 GiB");
  await expect(growers).toHaveCount(4);
  await expect(panel.getByTestId("growth-total")).toContainText("+22.0 GiB in total");
  await expect(find).toBeEnabled();

  await panel.getByRole("button", { name: "frigate" }).click();
  await panel.getByRole("button", { name: "docker" }).click();
  await panel.scrollIntoViewIfNeeded();
  await panel.screenshot({ path: `${SHOTS}/what-grew-1280.png` });

  // Asked again, the scan stops at its time budget: its sizes are bounds, so nothing is compared
  // and the hub's reason is shown instead of growth.
  await find.click();
  await expect(find).toBeDisabled();
  const again = await post(request, heartbeat(beat + 180_000));
  const second = again.usage_scan_requests?.find((r) => r.mount_point === MOUNT);
  expect(second).toBeDefined();
  expect(second!.id).not.toBe(order!.id);
  await post(
    request,
    heartbeat(beat + 240_000, {
      usage_scans: [
        scan(beat + 200_000, {
          request_id: second!.id,
          duration_seconds: 300.4,
          entries: 3_000_000,
          stopped_by: "time",
          ...scanTree(570, 190, 63, 35),
        }),
      ],
    }),
  );
  await expect(panel.getByTestId("scan-partial")).toContainText(
    "partial: stopped at the 5-minute budget",
  );
  await expect(panel.getByTestId("growth-note")).toContainText("The latest scan is partial");
  await expect(growers).toHaveCount(0);
  await expect(find).toBeEnabled();

  // On a phone the panel fits the width: long paths wrap or are cut in the middle.
  await page.setViewportSize({ width: 390, height: 844 });
  await panel.scrollIntoViewIfNeeded();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await panel.screenshot({ path: `${SHOTS}/what-grew-390.png` });

  for (const scheme of ["light", "dark"] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    const axe = await new AxeBuilder({ page })
      .include('[aria-labelledby="widget-what-grew"]')
      .analyze();
    expect(axe.violations, `axe (${scheme})`).toEqual([]);
  }
});

test("a filesystem never scanned says what a scan does and offers it", async ({ page }) => {
  await signedIn(page);
  await page.goto(`${hubUrl()}/servers/${ID}?fs=${encodeURIComponent("/")}`);
  const panel = page.getByRole("region", { name: "What grew" });
  await expect(panel.getByTestId("usage-empty")).toContainText(
    "This filesystem has not been scanned yet.",
  );
  await expect(panel.getByRole("button", { name: "Find what grew" })).toBeEnabled();
  await expect(panel.getByRole("list", { name: "Latest scan" })).toHaveCount(0);
});

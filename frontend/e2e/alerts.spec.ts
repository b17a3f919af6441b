import { apiKey, expect, hubUrl, SHOTS, signedIn, test } from "./fixtures";

// A server with one disk past the warning level and one past the critical level.
const ID = "alerts-e2e";
const GIB = 1024 ** 3;

function disk(mount: string, percent: number) {
  const total = 100 * GIB;
  const used = Math.round((total * percent) / 100);
  return {
    mount_point: mount,
    device: `/dev/${mount.slice(1)}`,
    fs_type: "ext4",
    total_bytes: total,
    used_bytes: used,
    available_bytes: total - used,
    read_only: false,
  };
}

test.afterEach(async ({ request }) => {
  // The other specs count the seeded servers: this one goes, with its alerts.
  await request.delete(`${hubUrl()}/api/v1/servers/${ID}`, { headers: { "X-API-Key": apiKey() } });
});

test("the badge counts firing alerts, the alerts page lists them, a disk set to expected full resolves", async ({
  page,
  request,
}) => {
  const headers = { "X-API-Key": apiKey() };
  const sent = await request.post(`${hubUrl()}/api/v1/agents/heartbeat`, {
    headers,
    data: {
      server_id: ID,
      hostname: ID,
      timestamp: new Date().toISOString(),
      filesystems: [disk("/data", 90), disk("/backup", 98)],
    },
  });
  expect(sent.status()).toBe(200);
  const firing = async () => {
    const answer = await request.get(`${hubUrl()}/api/v1/alerts?state=firing`, { headers });
    const alerts: { server_id: string; acknowledged_at: string | null }[] = (await answer.json())
      .data;
    return alerts;
  };
  await expect.poll(async () => (await firing()).filter((a) => a.server_id === ID).length).toBe(2);

  await signedIn(page);
  await page.goto(hubUrl());
  const badge = page.getByTestId("alerts-badge");
  const expected = (await firing()).filter((a) => a.acknowledged_at === null).length;
  await expect(badge).toHaveAccessibleName(`Alerts: ${expected} firing`);
  await badge.click();

  await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
  const firingSection = page.getByRole("region", { name: /^Firing/ });
  const backup = firingSection.getByTestId("alert-row").filter({ hasText: "/backup" });
  await expect(backup).toContainText("critical");
  await expect(backup).toContainText("/backup is 98.0 % full");
  await page.screenshot({ path: `${SHOTS}/alerts-page.png`, fullPage: true });
  const data = firingSection.getByTestId("alert-row").filter({ hasText: "/data" });
  await data.getByRole("button", { name: "Acknowledge" }).click();
  await expect(
    page.getByRole("region", { name: /^Acknowledged/ }).getByTestId("alert-row"),
  ).toContainText("/data");

  await backup.getByRole("link", { name: ID }).click();
  // The disk's alert state sits in its row of the disk list.
  const row = page.locator('[data-testid="disk-alert-row"][data-mount="/backup"]');
  await expect(row).toContainText("critical");
  await row.getByRole("button", { name: "Change alerts for /backup" }).click();
  await row.getByLabel("Mode").selectOption("expected_full");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row).toContainText("expected full");
  // 2 GiB free is above the expected-full floor of a 100 GiB disk (1 GiB): the alert resolves
  // on the hub's next pass, which the page shows once it reads the alerts again.
  await expect(async () => {
    await page.reload();
    await expect(row).toContainText("ok", { timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
  await page.screenshot({ path: `${SHOTS}/disk-alerts.png`, fullPage: true });
  const rules = await request.get(`${hubUrl()}/api/v1/servers/${ID}/filesystems/settings`, {
    headers,
  });
  const saved: { mount_pattern: string; mode: string }[] = (await rules.json()).data;
  expect(saved).toEqual([
    expect.objectContaining({ mount_pattern: "/backup", mode: "expected_full" }),
  ]);
});

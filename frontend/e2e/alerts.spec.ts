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
  await expect(badge).toHaveAccessibleName(`Alerts ${expected} firing`);
  await badge.click();

  await expect(page.getByRole("heading", { level: 1, name: "Alerts" })).toBeVisible();
  const firingSection = page.getByRole("region", { name: /^Firing/ });
  const backup = firingSection.getByTestId("alert-row").filter({ hasText: "/backup" });
  await expect(backup).toContainText("critical");
  // The rule and threshold that fired, the figures, and what to do.
  await expect(backup).toContainText(
    "critical at 95 % used — 98.0 % used, 2.0 GiB free of 100.0 GiB",
  );
  await expect(backup).toContainText("Free space or grow the disk");
  await page.screenshot({ path: `${SHOTS}/alerts-page.png`, fullPage: true });
  await page.screenshot({ path: "/tmp/alerts-page.png", fullPage: true });
  const data = firingSection.getByTestId("alert-row").filter({ hasText: "/data" });
  await data.getByText("Actions").click();
  await data.getByRole("button", { name: "Acknowledge" }).click();
  await expect(
    page.getByRole("region", { name: /^Acknowledged/ }).getByTestId("alert-row"),
  ).toContainText("/data");

  // Silence /backup: after a reload it is listed under Silenced and no longer in the badge.
  await backup.getByText("Actions").click();
  await backup.getByRole("button", { name: "Silence" }).click();
  await expect(
    page.getByRole("region", { name: /^Silenced/ }).getByTestId("silence"),
  ).toContainText("/backup");
  await page.reload();
  const silenced = page.getByRole("region", { name: /^Silenced/ });
  const item = silenced.getByTestId("silence").filter({ hasText: "/backup" });
  await expect(item).toContainText(/until .* by /);
  await expect(item.getByTestId("alert-row")).toContainText("Disk used");
  await expect(firingSection.getByTestId("alert-row").filter({ hasText: "/backup" })).toHaveCount(
    0,
  );
  await expect(badge).toHaveAccessibleName(
    expected - 2 > 0 ? `Alerts ${expected - 2} firing` : "Alerts",
  );
  await page.screenshot({ path: "/tmp/alerts-silenced.png", fullPage: true });
  await item.getByRole("button", { name: /Remove the silence on/ }).click();
  await expect(silenced).toContainText("No silence in force.");
  await expect(firingSection.getByTestId("alert-row").filter({ hasText: "/backup" })).toHaveCount(
    1,
  );
  const backupAgain = firingSection.getByTestId("alert-row").filter({ hasText: "/backup" });

  await backupAgain.getByRole("link", { name: ID }).click();
  // The link opens the disk itself.
  await expect(page).toHaveURL(/fs=%2Fbackup/);
  // The disk's alert state sits in its row of the disk list.
  const row = page.locator('[data-testid="disk-alert-row"][data-alert-mount="/backup"]');
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

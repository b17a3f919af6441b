import { AGENT_ID } from "./global-setup";
import { admin, expect, hubUrl, pixelsOfColour, SHOTS, signedIn, test } from "./fixtures";
import { SEEDED_ID, SEEDED_MOUNTS, SPACED_MOUNT, STUCK_MOUNT } from "./seed.mjs";

const BLUE: [number, number, number] = [37, 99, 235];
const RED: [number, number, number] = [220, 38, 38];

test("a wrong password is refused, the right one shows both servers", async ({
  page,
  allowErrors,
}) => {
  // The refused sign-in, as the browser logs it: what this test provokes.
  allowErrors(/401 .*\/api\/v1\/auth\/login/, /status of 401 .*\/api\/v1\/auth\/login/);
  await page.goto(hubUrl());
  await page.getByLabel("Username").fill(admin().username);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toContainText("Wrong username or password.");
  await page.screenshot({ path: `${SHOTS}/signin-401.png` });

  await page.getByLabel("Password").fill(admin().password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const cards = page.getByTestId("server-card");
  await expect(cards).toHaveCount(2);
  await expect(page.getByRole("link", { name: SEEDED_ID })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2 }).filter({ hasText: /./ })).toHaveCount(2);
  const seeded = cards.filter({ has: page.getByRole("link", { name: SEEDED_ID }) });
  await expect(seeded).toContainText("Online");
  await expect(seeded).toContainText("200 filesystems");
  await page.screenshot({ path: `${SHOTS}/dashboard-1280.png`, fullPage: true });

  await page.reload();
  await expect(cards).toHaveCount(2);
  // Nothing secret is kept in the page's storage: the session is an HttpOnly cookie.
  expect(await page.evaluate(() => window.localStorage.length)).toBe(0);
  const cookie = (await page.context().cookies()).find((c) => c.name === "homelab_session");
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: "Strict" });
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByLabel("Password")).toBeVisible();
  await page.reload();
  await expect(page.getByLabel("Password")).toBeVisible();
});

test("the agent's own server page shows this machine's filesystems", async ({ page }) => {
  await signedIn(page);
  await page.goto(`${hubUrl()}/servers/${AGENT_ID}`);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  const rows = page.getByTestId("filesystem-row");
  await expect(rows.first()).toBeVisible();
  expect(await rows.count()).toBeGreaterThan(0);
});

test("the server page lists exactly the seeded filesystems, the 7d chart and the forecast", async ({
  page,
}) => {
  await signedIn(page);
  await page.goto(hubUrl());
  await page.getByRole("link", { name: SEEDED_ID }).click();
  await expect(page.getByRole("heading", { level: 1, name: SEEDED_ID })).toBeVisible();

  const list = page.getByRole("list", { name: "Filesystems" });
  await expect(list.getByTestId("filesystem-row")).toHaveCount(200);
  const mounts = await list
    .getByTestId("filesystem-row")
    .evaluateAll((rows) => rows.map((r) => r.getAttribute("data-mount")));
  expect([...mounts].sort()).toEqual([...SEEDED_MOUNTS].sort());
  await expect(page.getByTestId("filesystem-count")).toHaveText("200 filesystems, 1 unreachable");
  await expect(list.locator(`[data-mount="${STUCK_MOUNT}"]`)).toContainText("unreachable");

  await page.getByRole("searchbox", { name: "Filter filesystems" }).fill("my disk");
  await expect(list.getByTestId("filesystem-row")).toHaveCount(1);
  await list.locator(`[data-mount="${SPACED_MOUNT}"] .fs-row__button`).click();
  await page.getByRole("button", { name: "7d" }).click();
  await expect(page).toHaveURL(/range=7d/);

  const chart = page.getByTestId("filesystem-chart");
  await expect(chart.getByTestId("forecast")).toContainText(/full in \d+ days/);
  await expect(chart.locator("canvas")).toBeVisible();
  await expect
    .poll(() => pixelsOfColour(page, '[data-testid="filesystem-chart"] canvas', BLUE))
    .toBeGreaterThan(100);
  await expect
    .poll(() => pixelsOfColour(page, '[data-testid="filesystem-chart"] canvas', RED))
    .toBeGreaterThan(20);
  // The min–max band of the hourly tier: the series colour at the band's low opacity.
  await expect
    .poll(() => pixelsOfColour(page, '[data-testid="filesystem-chart"] canvas', BLUE, [30, 60]))
    .toBeGreaterThan(50);
  await expect(page.getByRole("img", { name: "CPU history chart" })).toBeVisible();
  await chart.screenshot({ path: `${SHOTS}/filesystem-chart-7d.png` });
  await page.getByRole("searchbox", { name: "Filter filesystems" }).fill("");
  await page.screenshot({ path: `${SHOTS}/server-1280.png`, fullPage: true });
});

test("the pages fit a phone screen", async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 812 });
  await signedIn(page);
  await page.goto(hubUrl());
  await expect(page.getByTestId("server-card")).toHaveCount(2);
  await page.screenshot({ path: `${SHOTS}/dashboard-375.png`, fullPage: true });
  await page.goto(
    `${hubUrl()}/servers/${SEEDED_ID}?range=7d&fs=${encodeURIComponent(SPACED_MOUNT)}`,
  );
  await expect(page.getByTestId("forecast")).toBeVisible();
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - window.innerWidth,
  );
  expect(overflow, "horizontal overflow in px").toBeLessThanOrEqual(0);
  await page.screenshot({ path: `${SHOTS}/server-375.png`, fullPage: false });
  await page.getByRole("heading", { name: "Disks" }).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/server-375-disks.png` });
});

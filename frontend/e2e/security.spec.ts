import type { Page } from "@playwright/test";
import { expect, hubUrl, signedIn, test } from "./fixtures";
import { SEEDED_ID, SPACED_MOUNT } from "./seed.mjs";

/** Records every Content-Security-Policy violation and every URL the page asks for. */
async function watch(page: Page): Promise<{ violations: () => Promise<string[]>; urls: string[] }> {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener("securitypolicyviolation", (event) =>
      seen.push(`${event.violatedDirective} ${event.blockedURI}`),
    );
  });
  const urls: string[] = [];
  page.on("request", (request) => urls.push(request.url()));
  return {
    violations: () =>
      page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
    urls,
  };
}

function foreign(urls: string[]): string[] {
  const origin = new URL(hubUrl()).origin;
  return urls.filter((url) => !url.startsWith("data:") && new URL(url).origin !== origin);
}

test("the UI works under the hub's same-origin policy, charts included", async ({ page }) => {
  const watched = await watch(page);
  await signedIn(page);

  const response = await page.goto(
    `${hubUrl()}/servers/${SEEDED_ID}?range=7d&fs=${encodeURIComponent(SPACED_MOUNT)}`,
  );

  expect(response?.headers()["content-security-policy"]).toContain("default-src 'self'");
  expect(response?.headers()["x-frame-options"]).toBe("DENY");
  expect(response?.headers()["x-content-type-options"]).toBe("nosniff");
  const chart = page.getByTestId("filesystem-chart");
  await expect(chart.locator("canvas")).toBeVisible();
  await expect(page.getByTestId("forecast")).toBeVisible();
  await expect(page.getByRole("img", { name: "CPU history chart" })).toBeVisible();
  expect(await watched.violations()).toEqual([]);
  expect(foreign(watched.urls)).toEqual([]);
});

test("the API docs render offline from the hub's own files", async ({ page }) => {
  const watched = await watch(page);

  const response = await page.goto(`${hubUrl()}/api/docs`);

  expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
  await expect(page.getByRole("heading", { name: /HomelabCmd/ })).toBeVisible();
  const operations = page.locator(".opblock");
  await expect(operations.first()).toBeVisible();
  expect(await operations.count()).toBeGreaterThan(5);
  await operations.filter({ hasText: "/api/v1/system/health" }).first().click();
  await expect(page.getByRole("button", { name: "Try it out" })).toBeVisible();
  expect(await watched.violations()).toEqual([]);
  expect(foreign(watched.urls)).toEqual([]);
});

test("another site cannot frame the hub", async ({ page, consoleErrors, allowErrors }) => {
  // A page of another origin (about:blank's opaque one) framing the hub and, as a control that
  // framing works at all here, a page of its own.
  await page.setContent(
    `<iframe id="hub" src="${hubUrl()}/api/docs"></iframe>` +
      `<iframe id="control" srcdoc="<p id=inside>framed</p>"></iframe>`,
    { waitUntil: "load" },
  );

  await expect(page.frameLocator("#control").locator("#inside")).toHaveText("framed");
  const refusal = /Framing '.*' violates .*"frame-ancestors 'none'"\. The request has been blocked/;
  // The refusal is the browser's own report of what this test expects.
  allowErrors(refusal, /requestfailed GET .*\/api\/docs: net::ERR_BLOCKED_BY_RESPONSE/);
  await expect.poll(() => consoleErrors.filter((e) => refusal.test(e)).length).toBe(1);
  await expect(page.frameLocator("#hub").locator("#swagger-ui")).toHaveCount(0);
});

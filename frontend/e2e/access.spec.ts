import { AGENT_ID } from "./global-setup";
import { expect, hubUrl, SHOTS, signedIn, test } from "./fixtures";

test("Add server shows the one-line install command with a fresh code", async ({ page }) => {
  await signedIn(page);
  await page.goto(hubUrl());
  await page.getByRole("button", { name: "Add server" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Add a server" });
  const install = dialog.getByLabel("Install command");
  await expect(install).toContainText(`curl -fsSL ${hubUrl()}/install.sh | sh -s -- --code hle_`);
  await expect(dialog.getByLabel("Enroll command")).toContainText(
    `sudo homelab-agent enroll ${hubUrl()} hle_`,
  );
  await page.screenshot({ path: `${SHOTS}/add-server.png` });
  const first = await install.textContent();
  await dialog.getByRole("button", { name: "New code" }).click();
  await expect(install).not.toHaveText(first ?? "");
  // The script the command fetches is served by this hub.
  const script = await page.request.get(`${hubUrl()}/install.sh`);
  expect(script.ok()).toBe(true);
  // The address is one shell word: shell-quoted by the hub, bare when nothing in it needs quotes.
  expect(await script.text()).toContain(`\nHUB=${hubUrl()}\n`);
  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toBeHidden();
});

test("a server's token is rotated from its page", async ({ page }) => {
  await signedIn(page);
  await page.goto(`${hubUrl()}/servers/${AGENT_ID}`);
  await page.getByRole("button", { name: "Rotate token…" }).click();
  await expect(page.getByRole("alertdialog")).toContainText("Revoke the agent token");
  await page.getByRole("button", { name: "Rotate token", exact: true }).click();
  await expect(page.getByText("Token revoked")).toBeVisible();
  await expect(page.getByLabel("Enroll command")).toContainText(
    `sudo homelab-agent enroll ${hubUrl()} hle_`,
  );
  await page.screenshot({ path: `${SHOTS}/rotate-token.png` });
});

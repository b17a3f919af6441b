import { test as base, expect, type Page } from "@playwright/test";
import { signInContext } from "./hub.mjs";

export const hubUrl = () => process.env.E2E_HUB_URL ?? "";
/** The admin key, for seeding data through the API (scripts use keys; people use passwords). */
export const apiKey = () => process.env.E2E_API_KEY ?? "";
export const admin = () => ({
  username: process.env.E2E_ADMIN_USERNAME ?? "",
  password: process.env.E2E_ADMIN_PASSWORD ?? "",
});
export const SHOTS = "test-results/screenshots";

/** A page whose console errors and uncaught exceptions fail the test. */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on("console", (message) => {
      if (message.type() === "error" || message.type() === "warning")
        errors.push(`${message.type()}: ${message.text()}`);
    });
    page.on("pageerror", (error) => errors.push(`pageerror: ${error.message}`));
    await use(errors);
  },
});

/** Starts the page already signed in (the session cookie set), as a returning user would be. */
export async function signedIn(page: Page): Promise<void> {
  await signInContext(page.context(), hubUrl(), admin());
}

/** How many pixels of the canvas are close to an RGB colour, drawn with an opacity in `alpha`. */
export async function pixelsOfColour(
  page: Page,
  selector: string,
  rgb: [number, number, number],
  alpha: [number, number] = [200, 255],
): Promise<number> {
  return page
    .locator(selector)
    .first()
    .evaluate(
      (canvas, [colour, opacity]) => {
        const c = canvas as HTMLCanvasElement;
        const pixels = c.getContext("2d")!.getImageData(0, 0, c.width, c.height).data;
        let count = 0;
        for (let i = 0; i < pixels.length; i += 4) {
          const near =
            Math.abs(pixels[i]! - colour[0]) +
            Math.abs(pixels[i + 1]! - colour[1]) +
            Math.abs(pixels[i + 2]! - colour[2]);
          const a = pixels[i + 3]!;
          if (a >= opacity[0] && a <= opacity[1] && near < 60) count += 1;
        }
        return count;
      },
      [rgb, alpha] as const,
    );
}

export { expect };

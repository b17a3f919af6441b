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

/**
 * Every test fails on a page error, a console error or warning, and any 4xx/5xx answer, unless
 * the test allows it by pattern (`allowErrors(/401 .*auth\/login/)`) because it provokes it.
 * Entries read "pageerror: …", "console error: … (url)", "response 404 GET url",
 * "requestfailed GET url: net::…", so one pattern can cover a status and its console line.
 */
interface Guard {
  errors: string[];
  allowed: RegExp[];
}

export const test = base.extend<{
  consoleErrors: string[];
  allowErrors: (...patterns: RegExp[]) => void;
  errorGuard: Guard;
}>({
  errorGuard: [
    async ({ page }, use) => {
      const guard: Guard = { errors: [], allowed: [] };
      page.on("console", (message) => {
        if (message.type() !== "error" && message.type() !== "warning") return;
        const where = message.location().url;
        guard.errors.push(
          `console ${message.type()}: ${message.text()}${where ? ` (${where})` : ""}`,
        );
      });
      page.on("pageerror", (error) => guard.errors.push(`pageerror: ${error.message}`));
      page.on("response", (response) => {
        if (response.status() >= 400) {
          guard.errors.push(
            `response ${response.status()} ${response.request().method()} ${response.url()}`,
          );
        }
      });
      page.on("requestfailed", (request) => {
        const failure = request.failure()?.errorText ?? "";
        // A refresh cut short by a navigation is not a failure of the page.
        if (failure.includes("ERR_ABORTED")) return;
        guard.errors.push(`requestfailed ${request.method()} ${request.url()}: ${failure}`);
      });
      await use(guard);
      // pixelsOfColour reads the charts' canvases back: the browser's advice about that is the
      // test's own doing, not the page's.
      guard.allowed.push(/Canvas2D: Multiple readback operations using getImageData/);
      const unexpected = guard.errors.filter((e) => !guard.allowed.some((r) => r.test(e)));
      expect(unexpected, "page errors, console errors and failed requests").toEqual([]);
    },
    { auto: true },
  ],
  consoleErrors: async ({ errorGuard }, use) => {
    await use(errorGuard.errors);
  },
  allowErrors: async ({ errorGuard }, use) => {
    await use((...patterns: RegExp[]) => {
      errorGuard.allowed.push(...patterns);
    });
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

import { expect, it } from "vitest";
import { offlineAfterOf } from "./health";
import { OFFLINE_AFTER_SECONDS } from "./thresholds";

it("takes the hub's offline threshold, the default until it answers", () => {
  expect(offlineAfterOf({ offline_after_seconds: 600 })).toBe(600);
  expect(offlineAfterOf(undefined)).toBe(OFFLINE_AFTER_SECONDS);
  expect(offlineAfterOf({})).toBe(OFFLINE_AFTER_SECONDS);
  expect(offlineAfterOf({ offline_after_seconds: 0 })).toBe(OFFLINE_AFTER_SECONDS);
});

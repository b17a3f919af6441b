import { expect, it } from "vitest";
import { usageLevel } from "./thresholds";

it.each([
  [0, "ok"],
  [79.9, "ok"],
  [80, "warning"],
  [89.99, "warning"],
  [90, "critical"],
  [100, "critical"],
] as const)("a disk %d %% full is %s", (percent, level) => {
  expect(usageLevel(percent)).toBe(level);
});

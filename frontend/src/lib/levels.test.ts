import { expect, it } from "vitest";
import { levelsFor, type LevelsScope } from "./levels";
import { DEFAULT_LEVELS } from "./thresholds";

it("takes a mount's own levels, else the server's", () => {
  const backup = { ...DEFAULT_LEVELS, mode: "expected_full" as const };
  const scope: LevelsScope = { base: DEFAULT_LEVELS, byMount: new Map([["/mnt/backup", backup]]) };
  expect(levelsFor(scope, "/mnt/backup")).toBe(backup);
  expect(levelsFor(scope, "/")).toBe(DEFAULT_LEVELS);
  expect(levelsFor(scope)).toBe(DEFAULT_LEVELS);
});

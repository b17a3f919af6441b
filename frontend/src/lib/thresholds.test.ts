import { describe, expect, it } from "vitest";
import table from "../../../tests/contract/usage_levels.json";
import {
  calmReason,
  describeLevels,
  DEFAULT_LEVELS,
  diskUrgency,
  fillLevel,
  freshness,
  usageLevel,
  type DiskUrgencyInput,
  type Levels,
  type UsageLevel,
} from "./thresholds";

const GIB = 1024 ** 3;
const TIB = 1024 * GIB;

interface ContractCase {
  name: string;
  levels: Levels;
  filesystem: DiskUrgencyInput & { days_until_full: number | null; confident: boolean };
  expected: Partial<Record<"usage" | "fill" | "urgency", UsageLevel>>;
}

// One table of cases for the hub's rule (tests/contract/test_usage_levels.py runs it against
// domain/alerts.py) and this one: the hub is the source of truth.
describe("the usage levels shared with the hub (tests/contract/usage_levels.json)", () => {
  const cases = table.cases as ContractCase[];

  it("has the cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const { levels, filesystem: fs, expected } = c;
    if (expected.usage) expect(usageLevel(fs, levels)).toBe(expected.usage);
    if (expected.fill)
      expect(fillLevel(fs.days_until_full, fs.confident, levels)).toBe(expected.fill);
    if (expected.urgency) expect(diskUrgency(fs, levels)).toBe(expected.urgency);
  });
});

it.each([
  [0, "ok"],
  [84.9, "ok"],
  [85, "warning"],
  [94.99, "warning"],
  [95, "critical"],
  [100, "critical"],
] as const)("a disk %d %% full is %s on the alerts' built-in levels", (percent, level) => {
  expect(usageLevel(percent)).toBe(level);
});

describe("size-aware free space, as the alerts apply it", () => {
  const disk = (total: number, percent: number) => {
    const used = Math.round((total * percent) / 100);
    return { percent, total_bytes: total, used_bytes: used, available_bytes: total - used };
  };

  it("keeps a large array with plenty free calm at a high percentage", () => {
    // 20 TiB at 95 %: 1 TiB free is far above the 20 GiB critical and 100 GiB warning caps.
    expect(usageLevel(disk(20 * TIB, 95))).toBe("ok");
    expect(usageLevel(disk(20 * TIB, 99.95))).toBe("critical");
  });

  it("rules a small disk by its percentage", () => {
    expect(usageLevel(disk(100 * GIB, 86))).toBe("warning");
    expect(usageLevel(disk(100 * GIB, 96))).toBe("critical");
  });

  it("holds an expected-full mount to its floor alone and ignores an ignored one", () => {
    const expectedFull: Levels = { ...DEFAULT_LEVELS, mode: "expected_full" };
    expect(usageLevel(disk(TIB, 98), expectedFull)).toBe("ok");
    expect(usageLevel(disk(TIB, 99.5), expectedFull)).toBe("warning");
    expect(usageLevel(disk(TIB, 99.95), expectedFull)).toBe("critical");
    expect(diskUrgency(disk(TIB, 99.95), { ...DEFAULT_LEVELS, mode: "ignore" })).toBe("ok");
  });

  it("follows the levels in force", () => {
    const strict: Levels = { ...DEFAULT_LEVELS, warn_percent: 70, crit_percent: 80 };
    expect(usageLevel(75, strict)).toBe("warning");
    expect(usageLevel(disk(100 * GIB, 81), strict)).toBe("critical");
  });
});

describe("time to full", () => {
  it.each([
    [1, true, "critical"],
    [2.9, true, "critical"],
    [3, true, "critical"],
    [3.1, true, "warning"],
    [11, true, "warning"],
    [14, true, "warning"],
    [14.1, true, "ok"],
    [1703, true, "ok"],
    [null, true, "ok"],
  ] as const)("full in %s days (confident %s) is %s", (days, confident, level) => {
    expect(fillLevel(days, confident)).toBe(level);
  });

  it("reads calm for a forecast that is not confident, however near", () => {
    expect(fillLevel(2, false)).toBe("ok");
  });

  it("follows the alert's days", () => {
    expect(fillLevel(20, true, { ...DEFAULT_LEVELS, warn_days: 30, crit_days: 7 })).toBe("warning");
  });
});

describe("disk urgency", () => {
  it("takes the worse of free space and time to full", () => {
    expect(diskUrgency({ percent: 50, days_until_full: 11, confident: true })).toBe("warning");
    expect(diskUrgency({ percent: 96, days_until_full: 400, confident: true })).toBe("critical");
    expect(diskUrgency({ percent: 30, days_until_full: 2, confident: true })).toBe("critical");
  });

  it("keeps a flat, noisy boot partition calm", () => {
    expect(diskUrgency({ percent: 41, days_until_full: 1247, confident: false })).toBe("ok");
  });

  it("marks missing and unreachable mounts red", () => {
    expect(diskUrgency({ percent: 0, state: "missing" })).toBe("critical");
    expect(diskUrgency({ percent: 0, state: "unreachable" })).toBe("critical");
  });
});

describe("calmReason", () => {
  const disk = (usedGib: number, freeGib: number) => ({
    percent: (usedGib / (usedGib + freeGib)) * 100,
    used_bytes: usedGib * GIB,
    available_bytes: freeGib * GIB,
    total_bytes: (usedGib + freeGib) * GIB,
  });

  it("says why a full-looking big disk is calm: its free space is above the floor", () => {
    // 4 TiB at 97 %: 122 GiB free, above the warning's 100 GiB cap.
    const big = disk(3974, 122);
    expect(usageLevel(big)).toBe("ok");
    expect(calmReason(big)).toBe(
      "97 % used, 122 GiB free: more than the 100 GiB free a warning needs",
    );
    const warm = disk(3584, 512 + 122);
    expect(calmReason(warm)).toBe(null);
    const amber = disk(3900, 200);
    expect(calmReason(amber)).toBe(
      "95 % used, 200 GiB free: more than the 100 GiB free a warning needs",
    );
  });

  it("says nothing of a disk that is not past a level, or that is coloured", () => {
    expect(calmReason(disk(50, 50))).toBe(null);
    expect(calmReason(disk(97, 3))).toBe(null);
  });

  it("names expected-full and ignored disks", () => {
    const full = disk(980, 20);
    expect(calmReason(full, { ...DEFAULT_LEVELS, mode: "expected_full" })).toBe(
      "98 % used, 20 GiB free: expected full, warns only under 10 GiB free",
    );
    expect(calmReason(disk(999, 1), { ...DEFAULT_LEVELS, mode: "ignore" })).toBe(
      "alerts ignored for this disk",
    );
  });
});

describe("describeLevels", () => {
  it("names the levels in force in a few words", () => {
    expect(describeLevels(DEFAULT_LEVELS)).toBe("warn 85 % / crit 95 %");
    expect(describeLevels({ ...DEFAULT_LEVELS, mode: "expected_full" })).toBe("expected full");
    expect(describeLevels({ ...DEFAULT_LEVELS, mode: "ignore" })).toBe("ignored");
  });
});

describe("freshness", () => {
  const now = Date.parse("2026-01-10T12:00:00Z");
  const ago = (s: number) => new Date(now - s * 1000).toISOString();

  it("is fresh while the data is under five minutes old", () => {
    expect(freshness({ status: "online", last_seen_at: ago(30) }, now)).toBe("fresh");
  });

  it("is stale when the hub hears the agent but its newest data is old", () => {
    const server = { status: "online", last_seen_at: ago(10), latest_heartbeat_at: ago(900) };
    expect(freshness(server, now)).toBe("stale");
  });

  it("is offline by age even when the last answer said online", () => {
    expect(freshness({ status: "online", last_seen_at: ago(600) }, now)).toBe("offline");
    expect(freshness({ status: "offline", last_seen_at: ago(5) }, now)).toBe("offline");
    expect(freshness({ status: "online", last_seen_at: null }, now)).toBe("offline");
  });

  it("calls a server offline after the hub's threshold, not a built-in one", () => {
    const server = { status: "online", last_seen_at: ago(120) };
    expect(freshness(server, now)).toBe("fresh");
    expect(freshness(server, now, 60)).toBe("offline");
    expect(freshness({ status: "online", last_seen_at: ago(200) }, now, 600)).toBe("fresh");
  });
});

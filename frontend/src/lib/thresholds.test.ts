import { describe, expect, it } from "vitest";
import { diskUrgency, fillLevel, freshness, usageLevel } from "./thresholds";

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

describe("time to full", () => {
  it.each([
    [3, true, "critical"],
    [6.9, true, "critical"],
    [7, true, "warning"],
    [13, true, "warning"],
    [29.9, true, "warning"],
    [30, true, "ok"],
    [1703, true, "ok"],
    [null, true, "ok"],
  ] as const)("full in %s days (confident %s) is %s", (days, confident, level) => {
    expect(fillLevel(days, confident)).toBe(level);
  });

  it("reads calm for a forecast that is not confident, however near", () => {
    expect(fillLevel(2, false)).toBe("ok");
  });
});

describe("disk urgency", () => {
  it("takes the worse of free space and time to full", () => {
    expect(diskUrgency({ percent: 50, days_until_full: 11, confident: true })).toBe("warning");
    expect(diskUrgency({ percent: 92, days_until_full: 400, confident: true })).toBe("critical");
    expect(diskUrgency({ percent: 30, days_until_full: 3, confident: true })).toBe("critical");
  });

  it("keeps a flat, noisy boot partition calm", () => {
    expect(diskUrgency({ percent: 41, days_until_full: 1247, confident: false })).toBe("ok");
  });

  it("marks missing and unreachable mounts red", () => {
    expect(diskUrgency({ percent: 0, state: "missing" })).toBe("critical");
    expect(diskUrgency({ percent: 0, state: "unreachable" })).toBe("critical");
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
});

import { describe, expect, it } from "vitest";
import {
  fillsIn,
  forecastCertainty,
  forecastReason,
  fullInWithRange,
  inodesFullIn,
} from "./forecastText";

const NOW = Date.parse("2026-01-01T00:00:00Z");
const at = (days: number) => new Date(NOW + days * 86_400_000 + 3_600_000).toISOString();

const base = {
  days_until_full: 12.04,
  full_at: at(12),
  full_at_earliest: at(10),
  full_at_latest: at(15),
  confident: true,
  forecast_basis: "trend" as const,
  forecast_reason: null,
};

describe("fullInWithRange", () => {
  it("gives the date with its range in days", () => {
    expect(fullInWithRange(base, NOW)).toBe("full in 12 days (10–15)");
  });

  it("leaves out a range of one day and marks an open end", () => {
    expect(
      fullInWithRange({ ...base, full_at_earliest: at(12), full_at_latest: at(12) }, NOW),
    ).toBe("full in 12 days");
    expect(fullInWithRange({ ...base, full_at_latest: null }, NOW)).toBe("full in 12 days (10–…)");
  });

  it("says nothing without a date", () => {
    expect(fullInWithRange({ ...base, days_until_full: null, full_at: null }, NOW)).toBeNull();
  });
});

describe("a date the hub takes from the storage a filesystem shares", () => {
  const withPool = {
    ...base,
    days_until_full: 172.3,
    full_at: at(172),
    full_at_earliest: at(170),
    full_at_latest: at(174),
    fill_source: "domain" as const,
    fill_domain_label: "pool tank",
    own_full_at: at(287),
  };

  it("says it fills with the pool, in the hub's words", () => {
    expect(fillsIn(withPool)).toBe("fills with pool tank in 172 days");
    expect(fullInWithRange(withPool, NOW)).toBe("fills with pool tank in 172 days (170–174)");
  });

  it("keeps the plain wording for its own date", () => {
    expect(fillsIn({ ...withPool, fill_source: "own", fill_domain_label: null })).toBe(
      "full in 172 days",
    );
  });

  it("gives the filesystem's own date in the tooltip, or says it would not fill alone", () => {
    expect(forecastCertainty(withPool)).toMatch(
      /^confident: .*; the date of pool tank, which its other mounts fill too — its own growth alone would fill it on /,
    );
    expect(forecastCertainty({ ...withPool, own_full_at: null })).toContain(
      "its own growth alone would not fill it",
    );
    expect(forecastCertainty(base)).toBe("confident: enough history and a narrow range");
  });
});

describe("forecastReason", () => {
  it("shows the reason of a peak, a prune cycle, steps or acceleration", () => {
    expect(
      forecastReason({ ...base, forecast_basis: "peak", forecast_reason: "at the daily peak" }),
    ).toBe("at the daily peak");
    expect(
      forecastReason({
        ...base,
        forecast_basis: "prune_cycle",
        forecast_reason: "pruned weekly; peaks at 78 %",
      }),
    ).toBe("pruned weekly; peaks at 78 %");
    expect(forecastReason({ ...base, forecast_reason: "growth accelerating" })).toBe(
      "growth accelerating",
    );
  });

  it("keeps a plain trend quiet", () => {
    expect(forecastReason({ ...base, forecast_reason: "not growing" })).toBeNull();
  });
});

describe("inodesFullIn", () => {
  const inodes = {
    full_at: at(200),
    inodes_days_until_full: 15.3,
    inodes_full_at: at(15),
    inodes_full_at_earliest: at(14),
    inodes_full_at_latest: at(16),
    inodes_confident: true,
  };

  it("gives the inode date when inodes run out before the space", () => {
    expect(inodesFullIn(inodes, NOW)).toBe("inodes full in 15 days (14–16)");
    expect(inodesFullIn({ ...inodes, full_at: null }, NOW)).toBe("inodes full in 15 days (14–16)");
  });

  it("says nothing when the space runs out first or there is no inode date", () => {
    expect(inodesFullIn({ ...inodes, full_at: at(10) }, NOW)).toBeNull();
    expect(inodesFullIn({ ...inodes, inodes_full_at: null }, NOW)).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { bySeverityThenAge, explainAlert, silenceOf } from "./explain";
import type { AlertRead, SilenceRead } from "./types";

const GIB = 1024 ** 3;
const base = {
  id: 1,
  kind: "time_to_full",
  server_id: "nas",
  server_name: "nas",
  mount_point: "/data",
  state: "firing",
  severity: "warning",
  started_at: "2026-12-01T10:00:00Z",
  fired_at: "2026-12-01T10:00:00Z",
  resolved_at: null,
  acknowledged_at: null,
  acknowledged_by: null,
  unknown: false,
  flapping: false,
  message: "",
  figures: null,
} satisfies AlertRead;

describe("explainAlert", () => {
  it("names the horizon and leaves out a range that is one day", () => {
    const { why } = explainAlert(
      {
        ...base,
        figures: {
          days_left: 6.04,
          full_at: "2026-12-07T12:00:00Z",
          full_at_earliest: "2026-12-07T08:00:00Z",
          full_at_latest: "2026-12-07T16:00:00Z",
          percent: 91,
          free_bytes: 9 * GIB,
          size_bytes: 100 * GIB,
        },
      },
      {
        mode: "default",
        warn_percent: 85,
        crit_percent: 95,
        warn_days: 14,
        crit_days: 3,
        clear_margin_percent: 5,
        warn_free_bytes: null,
        crit_free_bytes: null,
        inodes_warn_percent: 90,
        inodes_crit_percent: 95,
      },
    );
    expect(why).toMatch(/^fills within 14 days \(warning\) — in about 6\.0 days, /);
    expect(why).not.toContain("between");
    expect(why).toContain("91.0 % used, 9.0 GiB free of 100.0 GiB");
  });

  it("says a filesystem fills with the pool it shares, and where to look", () => {
    const { why, todo } = explainAlert({
      ...base,
      mount_point: "/tank/a",
      figures: {
        days_left: 10.02,
        full_at: "2026-12-11T12:00:00Z",
        full_at_earliest: "2026-12-11T06:00:00Z",
        full_at_latest: "2026-12-11T18:00:00Z",
        fills_with: "pool tank",
        percent: 66.7,
        free_bytes: 50 * GIB,
        size_bytes: 150 * GIB,
      },
    });
    expect(why).toMatch(/^fills soon — with pool tank, in about 10\.0 days, /);
    expect(todo).toContain("It fills when pool tank does");
    expect(todo).toContain("any mount of it");
  });

  it("keeps the range when it spans days, and says what to do for every kind", () => {
    const { why, todo } = explainAlert({
      ...base,
      figures: {
        days_left: 6,
        full_at: "2026-12-07T12:00:00Z",
        full_at_earliest: "2026-12-05T12:00:00Z",
        full_at_latest: "2026-12-10T12:00:00Z",
      },
    });
    expect(why).toContain("between");
    expect(todo).toContain("prune");
    for (const kind of ["read_only", "unreachable", "missing", "vanished", "server_offline"]) {
      expect(
        explainAlert({ ...base, kind: kind as AlertRead["kind"] }).todo.length,
      ).toBeGreaterThan(10);
    }
  });
});

describe("explainAlert for drives and pools", () => {
  it("gives the hub's reasons for a drive and what to do by severity", () => {
    const drive = {
      ...base,
      kind: "drive_health",
      mount_point: "drive:wwn-0x5000",
      severity: "critical",
      message: "fallback",
      figures: { reasons: ["reallocated sectors (5) rose from 8 to 160", "smartctl: FAILED"] },
    } satisfies AlertRead;
    const { why, todo } = explainAlert(drive);
    expect(why).toBe("reallocated sectors (5) rose from 8 to 160; smartctl: FAILED");
    expect(todo).toMatch(/^Back up/);
    expect(explainAlert({ ...drive, severity: "warning" }).todo).toMatch(/acknowledge/);
  });

  it("gives a pool's text, else the message, and a step for every pool kind", () => {
    const pool = {
      ...base,
      kind: "pool_degraded",
      mount_point: "zfs:tank",
      message: "tank is degraded",
      figures: { text: "zfs pool tank (DEGRADED): sdb1 is FAULTED" },
    } satisfies AlertRead;
    expect(explainAlert(pool).why).toBe("zfs pool tank (DEGRADED): sdb1 is FAULTED");
    expect(explainAlert({ ...pool, figures: null }).why).toBe("tank is degraded");
    for (const kind of ["pool_faulted", "pool_errors", "scrub_overdue", "scrub_errors"]) {
      expect(explainAlert({ ...pool, kind: kind as AlertRead["kind"] }).todo).toMatch(/zpool/);
    }
  });
});

describe("silenceOf", () => {
  const silence = (mount_pattern: string | null, endsIn = 3600_000): SilenceRead => ({
    id: 1,
    server_id: "nas",
    mount_pattern,
    ends_at: new Date(Date.now() + endsIn).toISOString(),
    created_at: "2026-12-01T10:00:00Z",
    created_by: "admin",
    comment: null,
  });

  it("matches the server, then all its mounts or the pattern, as the hub's glob does", () => {
    expect(silenceOf(base, [silence(null)])).not.toBeNull();
    expect(silenceOf(base, [silence("/data")])).not.toBeNull();
    expect(silenceOf(base, [silence("/d*")])).not.toBeNull();
    expect(silenceOf({ ...base, mount_point: "/mnt/a/b" }, [silence("/mnt/*")])).not.toBeNull();
    expect(silenceOf(base, [silence("/backup")])).toBeNull();
    expect(silenceOf({ ...base, server_id: "other" }, [silence(null)])).toBeNull();
    expect(silenceOf({ ...base, mount_point: null }, [silence("/data")])).toBeNull();
    expect(silenceOf(base, [silence(null, -1000)])).toBeNull();
  });
});

it("sorts critical first, then the newest", () => {
  const older = { ...base, id: 1, fired_at: "2026-12-01T08:00:00Z" };
  const newer = { ...base, id: 2, fired_at: "2026-12-01T12:00:00Z" };
  const critical = { ...base, id: 3, severity: "critical" as const };
  expect([older, critical, newer].sort(bySeverityThenAge).map((a) => a.id)).toEqual([3, 2, 1]);
});

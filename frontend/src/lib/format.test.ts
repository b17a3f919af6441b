import { describe, expect, it } from "vitest";
import { formatAgo, formatBytes, formatFullIn, formatUptime } from "./format";

describe("formatBytes", () => {
  it.each([
    [0, "0 B"],
    [1023, "1023 B"],
    [1024, "1.0 KiB"],
    [1536, "1.5 KiB"],
    [5 * 1024 ** 2, "5.0 MiB"],
    [1.5 * 1024 ** 3, "1.5 GiB"],
    [2 * 1024 ** 4, "2.0 TiB"],
    [3 * 1024 ** 5, "3.0 PiB"],
  ])("shows %d bytes as %s in binary units", (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });

  it("shows a dash for a missing value", () => {
    expect(formatBytes(null)).toBe("—");
    expect(formatBytes(undefined)).toBe("—");
  });
});

describe("formatFullIn", () => {
  it("rounds the forecast down to whole days", () => {
    expect(formatFullIn(12.9)).toBe("full in 12 days");
    expect(formatFullIn(1.2)).toBe("full in 1 day");
    expect(formatFullIn(0.3)).toBe("full in < 1 day");
  });

  it("says nothing without a forecast", () => {
    expect(formatFullIn(null)).toBeNull();
  });
});

describe("formatAgo", () => {
  const now = Date.parse("2026-01-10T12:00:00Z");
  it.each([
    ["2026-01-10T11:59:30Z", "just now"],
    ["2026-01-10T11:55:00Z", "5 min ago"],
    ["2026-01-10T09:00:00Z", "3 h ago"],
    ["2026-01-09T12:00:00Z", "1 day ago"],
    ["2026-01-07T12:00:00Z", "3 days ago"],
  ])("shows %s as %s", (iso, text) => {
    expect(formatAgo(iso, now)).toBe(text);
  });

  it("says never for a server not seen yet", () => {
    expect(formatAgo(null, now)).toBe("never");
  });
});

it("formats uptime in days and hours", () => {
  expect(formatUptime(90_000)).toBe("1 d 1 h");
  expect(formatUptime(3_700)).toBe("1 h 1 min");
});

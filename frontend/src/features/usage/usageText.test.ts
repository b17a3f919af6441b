import { expect, it } from "vitest";
import { formatDuration, partialText, progressText } from "./usageText";

it("says how long a scan took in the unit that reads best", () => {
  expect(formatDuration(0.84)).toBe("0.8 s");
  expect(formatDuration(42.4)).toBe("42 s");
  expect(formatDuration(300)).toBe("5 min");
  expect(formatDuration(250)).toBe("4 min 10 s");
  expect(formatDuration(3900)).toBe("1 h 5 min");
});

it("says plainly which budget stopped a partial scan", () => {
  const scan = { duration_seconds: 300.4, entries: 1_000_000 };
  expect(partialText({ ...scan, stopped_by: "time" })).toBe(
    "partial: stopped at the 5-minute budget",
  );
  expect(partialText({ ...scan, duration_seconds: 30, stopped_by: "time" })).toBe(
    "partial: stopped at the 30-second budget",
  );
  expect(partialText({ ...scan, stopped_by: "entries" })).toBe(
    "partial: stopped at the budget of 1,000,000 entries",
  );
  expect(partialText({ ...scan, stopped_by: null })).toBeNull();
});

it("says where an open request is", () => {
  const now = Date.parse("2026-12-06T21:00:30Z");
  const request = {
    id: "9f2c",
    mount_point: "/srv",
    requested_at: "2026-12-06T21:00:20Z",
    requested_by: "person" as const,
    state: "pending" as const,
    started_at: null,
    entries: null,
  };
  expect(progressText(request, now)).toBe(
    "requested 10 s ago, waiting for the agent's next heartbeat",
  );
  expect(progressText({ ...request, requested_by: "forecast" }, now)).toBe(
    "requested 10 s ago by the fill-date forecast, waiting for the agent's next heartbeat",
  );
  expect(
    progressText(
      { ...request, state: "running", started_at: "2026-12-06T21:00:25Z", entries: 45_678 },
      now,
    ),
  ).toBe("scanning: 45,678 entries so far, started 5 s ago");
});

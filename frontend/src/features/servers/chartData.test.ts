import { describe, expect, it } from "vitest";
import type { FilesystemSeries, ServerMetricPoint } from "../../types/server";
import { filesystemChartData, gapLimit, hasLine, networkRates, withGaps } from "./chartData";

const DAY = 86_400;
const GIB = 1024 ** 3;

function series(overrides: Partial<FilesystemSeries> = {}): FilesystemSeries {
  return {
    mount_point: "/data",
    confident: false,
    device: "/dev/sdb1",
    fs_type: "ext4",
    growth_bytes_per_day: 10 * GIB,
    full_at: "2026-01-06T00:00:00Z",
    days_until_full: 5,
    points: [
      {
        timestamp: "2026-01-01T00:00:00Z",
        used_bytes: 40 * GIB,
        used_bytes_min: 39 * GIB,
        used_bytes_max: 41 * GIB,
        available_bytes: 60 * GIB,
        total_bytes: 100 * GIB,
        sample_count: 60,
      },
      {
        timestamp: "2026-01-01T01:00:00Z",
        used_bytes: 50 * GIB,
        used_bytes_min: 49 * GIB,
        used_bytes_max: 51 * GIB,
        available_bytes: 50 * GIB,
        total_bytes: 100 * GIB,
        sample_count: 60,
      },
    ],
    ...overrides,
  };
}

describe("filesystemChartData", () => {
  it("draws no forecast when the fill date is not after the newest point", () => {
    const chart = filesystemChartData(series({ full_at: "2026-01-01T00:30:00Z" }), {
      projectSeconds: 7 * DAY,
    });
    const x = chart.data[0] as number[];
    expect(x).toHaveLength(2);
    expect(chart.forecastEnd).toBeNull();
    expect(x[1]).toBeGreaterThan(x[0] ?? Infinity);
  });

  it("draws the forecast from the last point to the fill date at capacity", () => {
    const chart = filesystemChartData(series(), { projectSeconds: 7 * DAY });
    const [x, used, min, max, capacity, forecast] = chart.data;
    expect(chart.hasBand).toBe(true);
    expect(chart.reachesFull).toBe(true);
    expect(x).toHaveLength(3);
    expect(x![2]).toBe(Date.parse("2026-01-06T00:00:00Z") / 1000);
    expect(used).toEqual([40 * GIB, 50 * GIB, null]);
    expect(min![0]).toBe(39 * GIB);
    expect(max![1]).toBe(51 * GIB);
    expect(capacity![2]).toBe(100 * GIB);
    expect(forecast).toEqual([null, 50 * GIB, 100 * GIB]);
  });

  it("stops a distant forecast at the horizon, below capacity", () => {
    const chart = filesystemChartData(series(), { projectSeconds: DAY });
    const forecast = chart.data[5]!;
    expect(chart.reachesFull).toBe(false);
    // On the straight line from the last point (50 GiB) to full (100 GiB) at the fill date.
    expect(forecast[2]).toBeCloseTo(50 * GIB + (50 * GIB * DAY) / (5 * DAY - 3600), 0);
  });

  it("draws the forecast band between the earliest and the latest fill date", () => {
    const chart = filesystemChartData(
      series({ full_at_earliest: "2026-01-04T01:00:00Z", full_at_latest: "2026-01-11T01:00:00Z" }),
      { projectSeconds: 7 * DAY },
    );
    const [x, , , , , forecast, early, late] = chart.data;
    expect(chart.hasForecastBand).toBe(true);
    // The last point, the bend where the earliest line reaches full, and the fill date.
    expect(x).toEqual([
      Date.parse("2026-01-01T00:00:00Z") / 1000,
      Date.parse("2026-01-01T01:00:00Z") / 1000,
      Date.parse("2026-01-04T01:00:00Z") / 1000,
      Date.parse("2026-01-06T00:00:00Z") / 1000,
    ]);
    expect(early).toEqual([null, 50 * GIB, 100 * GIB, 100 * GIB]);
    expect(late![1]).toBe(50 * GIB);
    expect(late![2]).toBeCloseTo(50 * GIB + (50 * GIB * 3) / 10, 0);
    expect(late![3]).toBeLessThan(100 * GIB);
    expect(forecast![3]).toBe(100 * GIB);
  });

  it("keeps the band's lower edge flat when the filesystem may never fill", () => {
    const chart = filesystemChartData(
      series({ full_at_earliest: "2026-01-03T00:00:00Z", full_at_latest: null }),
      { projectSeconds: 7 * DAY },
    );
    const late = chart.data[7]!;
    expect(chart.hasForecastBand).toBe(true);
    expect(late[late.length - 1]).toBe(50 * GIB);
  });

  it("draws no band for a forecast without a range", () => {
    const chart = filesystemChartData(
      series({ full_at_earliest: "2026-01-06T00:00:00Z", full_at_latest: "2026-01-06T00:00:00Z" }),
      { projectSeconds: 7 * DAY },
    );
    expect(chart.hasForecastBand).toBe(false);
    expect(chart.data[6]).toEqual([null, null, null]);
  });

  it("draws no forecast and no band for a flat raw series", () => {
    const raw = series({ growth_bytes_per_day: null, full_at: null, days_until_full: null });
    raw.points = raw.points.map((p) => ({ ...p, used_bytes_min: null, used_bytes_max: null }));
    const chart = filesystemChartData(raw, { projectSeconds: DAY });
    expect(chart.hasBand).toBe(false);
    expect(chart.forecastEnd).toBeNull();
    expect(chart.data[0]).toHaveLength(2);
  });
});

function point(timestamp: string, rx: number, tx: number): ServerMetricPoint {
  return {
    timestamp,
    cpu_percent: null,
    memory_percent: null,
    load_1m: null,
    load_5m: null,
    load_15m: null,
    network_rx_bytes: rx,
    network_tx_bytes: tx,
    sample_count: 1,
  };
}

it("turns network counters into rates and leaves a gap where a counter reset", () => {
  const [x, rx, tx] = networkRates([
    point("2026-01-01T00:00:00Z", 0, 0),
    point("2026-01-01T00:01:00Z", 6000, 600),
    point("2026-01-01T00:02:00Z", 100, 1200),
  ]);
  expect(x).toHaveLength(2);
  expect(rx).toEqual([100, null]);
  expect(tx).toEqual([10, 10]);
});

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

describe("gap rule", () => {
  it("takes twice the usual spacing of raw samples, never under two buckets", () => {
    expect(gapLimit([0, 60, 120, 180, 1800, 1860], 5, true)).toBe(120);
    expect(gapLimit([0, 60, 121, 180], 300, true)).toBe(600);
    // A burst of replayed samples does not shrink the usual spacing below the median.
    expect(gapLimit([0, 60, 61, 62, 120, 180, 240], 5, true)).toBe(120);
  });

  it("takes one empty bucket as a gap on aggregated tiers", () => {
    expect(gapLimit([0, 3600, 7200], 3600, false)).toBe(5400);
  });

  it("breaks the line where samples are missing and nowhere else", () => {
    const x = [0, 60, 120, 1740, 1800];
    const data = withGaps([x, [1, 2, 3, 4, 5]], {
      startAt: iso(0),
      endAt: iso(1800),
      stepSeconds: 5,
      raw: true,
    });
    // Two empty rows inside the 27-minute gap: hovering anywhere in it reads no value.
    expect(data).toEqual([
      [0, 60, 120, 180, 1680, 1740, 1800],
      [1, 2, 3, null, null, 4, 5],
    ]);
  });

  it("spans the whole window and stops the line at the last sample", () => {
    const data = withGaps(
      [
        [600, 660],
        [1, 2],
      ],
      {
        startAt: iso(0),
        endAt: iso(3600),
        stepSeconds: 5,
        raw: true,
      },
    );
    // A row at the start, the samples, an empty row just after the last one, and now.
    expect(data).toEqual([
      [0, 600, 660, 720, 3600],
      [null, 1, 2, null, null],
    ]);
  });

  it("does not break a series of consecutive buckets", () => {
    const x = [0, 3600, 7200, 10800];
    const data = withGaps([x, [1, 2, 3, 4]], {
      startAt: iso(0),
      endAt: iso(10800 + 600),
      stepSeconds: 3600,
      raw: false,
    });
    expect(data).toEqual([
      [0, 3600, 7200, 10800, 11400],
      [1, 2, 3, 4, null],
    ]);
  });

  it("breaks aggregated lines at one missing bucket", () => {
    const data = withGaps(
      [
        [0, 3600, 10800],
        [1, 2, 4],
      ],
      {
        startAt: iso(0),
        endAt: iso(10800),
        stepSeconds: 3600,
        raw: false,
      },
    );
    expect(data[1]).toEqual([1, 2, null, null, 4]);
  });

  it("leaves data without a window as it is", () => {
    expect(
      withGaps([
        [1, 2],
        [3, 4],
      ]),
    ).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });
});

describe("filesystem chart in its window", () => {
  it("breaks used and capacity in a gap but carries the forecast across empty rows", () => {
    const s = series();
    const chart = filesystemChartData(s, {
      window: {
        startAt: "2025-12-31T22:00:00Z",
        endAt: "2026-01-01T05:00:00Z",
        stepSeconds: 3600,
        raw: false,
      },
      projectSeconds: DAY,
    });
    const [x, used, , , , forecast] = chart.data;
    const t = (at: string) => Date.parse(at) / 1000;
    expect(x![0]).toBe(t("2025-12-31T22:00:00Z"));
    expect(used).toContain(null);
    expect(chart.windowEnd).toBe(t("2026-01-01T05:00:00Z"));
    // From the last sample on, every row has a forecast value: the dashed line is unbroken.
    const fromLast = (x as number[]).findIndex((v) => v === t("2026-01-01T01:00:00Z"));
    expect(forecast!.slice(fromLast).every((v) => v !== null)).toBe(true);
    expect(chart.forecastEnd).toBe(t("2026-01-02T05:00:00Z"));
  });

  it("hides a far capacity line so the y axis fits the data", () => {
    const flat = series({ full_at: null, days_until_full: null });
    flat.points = flat.points.map((p) => ({
      ...p,
      used_bytes: 10 * GIB,
      used_bytes_max: 11 * GIB,
    }));
    const chart = filesystemChartData(flat, { projectSeconds: DAY });
    expect(chart.capacityShown).toBe(false);
    expect(chart.data[4]).toEqual([null, null]);
  });
});

describe("hasLine", () => {
  it("needs two values in one series: one sample or empty counters draw nothing", () => {
    expect(
      hasLine(
        [
          [1, 2, 3],
          [null, 5, null],
        ],
        [1],
      ),
    ).toBe(false);
    expect(
      hasLine(
        [
          [1, 2, 3],
          [null, 5, 6],
        ],
        [1],
      ),
    ).toBe(true);
    expect(hasLine([[], [], []], [1, 2])).toBe(false);
    expect(
      hasLine(
        [
          [1, 2],
          [null, null],
          [3, 4],
        ],
        [1, 2],
      ),
    ).toBe(true);
  });
});

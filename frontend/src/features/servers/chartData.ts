import type uPlot from "uplot";
import type { FilesystemSeries, HistoryRange, ServerMetricPoint } from "../../types/server";

/** The ranges the server page offers; the hub accepts a few more. */
export const CHART_RANGES = [
  "1h",
  "6h",
  "24h",
  "7d",
  "30d",
  "90d",
  "12m",
] as const satisfies readonly HistoryRange[];
export type ChartRange = (typeof CHART_RANGES)[number];

export function isChartRange(value: string | null): value is ChartRange {
  return (CHART_RANGES as readonly string[]).includes(value ?? "");
}

const DAY = 86_400;
/** How far past the data "show until full" may draw the forecast: a little beyond each range. */
export const FORECAST_HORIZON_SECONDS: Record<ChartRange, number> = {
  "1h": DAY,
  "6h": 3 * DAY,
  "24h": 7 * DAY,
  "7d": 30 * DAY,
  "30d": 90 * DAY,
  "90d": 365 * DAY,
  "12m": 365 * DAY,
};
/** The short projection drawn by default: this share of the range past its end. */
export const PROJECTION_SHARE = 0.15;

export const toSeconds = (iso: string): number => Date.parse(iso) / 1000;

/** What a history answer says about its window: the chart spans it, whatever the data holds. */
export interface ChartWindow {
  startAt: string;
  endAt: string;
  stepSeconds: number;
  /** Raw samples (spaced by the agent's interval) rather than buckets of `stepSeconds`. */
  raw: boolean;
}

export function chartWindow(history: {
  start_at: string;
  end_at: string;
  step_seconds: number;
  resolution: string;
}): ChartWindow {
  return {
    startAt: history.start_at,
    endAt: history.end_at,
    stepSeconds: history.step_seconds,
    raw: history.resolution === "raw",
  };
}

/**
 * The spacing beyond which samples count as missing. Buckets: more than one bucket width (one
 * empty bucket is a gap). Raw samples: more than twice their usual spacing (the median, so a
 * few gaps or a burst of replays do not move it), and never under two bucket widths.
 */
export function gapLimit(x: readonly number[], stepSeconds: number, raw: boolean): number {
  if (!raw) return 1.5 * stepSeconds;
  const diffs = x
    .slice(1)
    .map((v, i) => v - (x[i] as number))
    .filter((d) => d > 0)
    .sort((a, b) => a - b);
  const median = diffs.length ? (diffs[Math.floor(diffs.length / 2)] as number) : stepSeconds;
  return 2 * Math.max(median, stepSeconds);
}

/**
 * Breaks lines where samples are missing and spans the window: rows of nulls go at the start
 * and end of the window and inside every gap longer than `gapLimit` (two, one after the last
 * sample and one before the next, so hovering anywhere inside the gap reads no value). Lines
 * therefore stop at the last sample, and the axis still runs to the end of the range (now).
 */
export function withGaps(data: uPlot.AlignedData, window?: ChartWindow): uPlot.AlignedData {
  const [xs, ...series] = data;
  if (!window || !xs) return data;
  const x = xs as number[];
  const start = toSeconds(window.startAt);
  const end = toSeconds(window.endAt);
  const limit = gapLimit(x, window.stepSeconds, window.raw);
  const nudge = Math.min(limit / 2, window.raw ? limit / 2 : window.stepSeconds);
  const outX: number[] = [];
  const rows: number[] = [];
  const blank = (at: number) => {
    outX.push(at);
    rows.push(-1);
  };
  if (x.length === 0 || start < (x[0] as number)) blank(start);
  x.forEach((at, i) => {
    const prev = i > 0 ? (x[i - 1] as number) : null;
    if (prev !== null && at - prev > limit) {
      blank(prev + nudge);
      if (at - nudge > prev + nudge) blank(at - nudge);
    }
    outX.push(at);
    rows.push(i);
  });
  const last = x.length ? (x[x.length - 1] as number) : null;
  if (last !== null && end - last > limit) blank(last + nudge);
  if (last === null || end > last) blank(end);
  return [
    outX,
    ...series.map((values) => rows.map((i) => (i < 0 ? null : (values[i] ?? null)))),
  ] as uPlot.AlignedData;
}

type BandedKey = "cpu_percent" | "memory_percent" | "load_1m";

/** A metric as [x, value, min, max]; min/max are null on raw samples. */
export function bandedSeries(points: ServerMetricPoint[], key: BandedKey) {
  const x = points.map((p) => toSeconds(p.timestamp));
  const value = points.map((p) => p[key] ?? null);
  const min = points.map((p) => p[`${key}_min`] ?? null);
  const max = points.map((p) => p[`${key}_max`] ?? null);
  const hasBand = min.some((v) => v !== null) && max.some((v) => v !== null);
  return { data: [x, value, min, max] as uPlot.AlignedData, hasBand };
}

/**
 * Network counters are cumulative: the chart shows bytes per second between samples.
 * A counter that goes down (reboot, wrap) gives a gap rather than a negative rate.
 */
export function networkRates(points: ServerMetricPoint[]): uPlot.AlignedData {
  const x: number[] = [];
  const rx: (number | null)[] = [];
  const tx: (number | null)[] = [];
  const rate = (a: number | null, b: number | null, seconds: number) =>
    a === null || b === null || b < a || seconds <= 0 ? null : (b - a) / seconds;
  for (let i = 1; i < points.length; i += 1) {
    const prev = points[i - 1]!;
    const cur = points[i]!;
    const seconds = toSeconds(cur.timestamp) - toSeconds(prev.timestamp);
    x.push(toSeconds(cur.timestamp));
    rx.push(rate(prev.network_rx_bytes, cur.network_rx_bytes, seconds));
    tx.push(rate(prev.network_tx_bytes, cur.network_tx_bytes, seconds));
  }
  return [x, rx, tx];
}

/** The series of the filesystem chart by index, as uPlot counts them (0 is x). */
export const FS_SERIES = {
  used: 1,
  min: 2,
  max: 3,
  capacity: 4,
  forecast: 5,
  earliest: 6,
  latest: 7,
} as const;

/** True when some series of `data` (by index) has two values to draw a line between. */
export function hasLine(data: uPlot.AlignedData, series: number[]): boolean {
  return series.some((i) => {
    const values = (data[i] ?? []) as ArrayLike<number | null | undefined>;
    let seen = 0;
    for (let j = 0; j < values.length && seen < 2; j += 1) {
      if (values[j] !== null && values[j] !== undefined) seen += 1;
    }
    return seen >= 2;
  });
}

export interface FilesystemChart {
  /** x, used, min, max, capacity, forecast, forecast earliest, forecast latest. */
  data: uPlot.AlignedData;
  hasBand: boolean;
  /** Where the forecast line ends (seconds), or null without a forecast. */
  forecastEnd: number | null;
  /** True when the forecast line reaches the fill date inside the chart. */
  reachesFull: boolean;
  /** True when the forecast carries a range, drawn as a band around its line. */
  hasForecastBand: boolean;
  /** The end of the range (now): past it the chart shows the projection only. */
  windowEnd: number | null;
  /** True when the capacity line is drawn: the data comes near it (or reaches it). */
  capacityShown: boolean;
}

/** Used bytes on the straight line from (fromX, fromUsed) to full at `fullX`, capped at full. */
function towardsFull(fromX: number, fromUsed: number, total: number, fullX: number | null) {
  return (x: number): number =>
    fullX === null || fullX <= fromX
      ? fromUsed
      : Math.min(total, fromUsed + ((total - fromUsed) * (x - fromX)) / (fullX - fromX));
}

/** The capacity line is drawn when the data reaches this share of it, or the forecast fills it. */
export const CAPACITY_NEAR_SHARE = 0.8;

export interface FilesystemChartOptions {
  /** The range asked for: the history fills it, with gaps where samples are missing. */
  window?: ChartWindow;
  /** How far past the end of the range the projection is drawn, in seconds. */
  projectSeconds: number;
}

type Row = (number | null)[];

/**
 * Lays out a filesystem's history for the chart: used bytes with breaks where samples are
 * missing, the min–max band of aggregated points, the capacity line when it is near, and the
 * forecast from the last point towards the fill date inside the band between the lines to
 * the earliest and latest fill dates. The history fills the window; the projection is a short
 * extension past its end (`projectSeconds`), so a distant fill date never squeezes the history.
 */
export function filesystemChartData(
  series: FilesystemSeries,
  { window, projectSeconds }: FilesystemChartOptions,
): FilesystemChart {
  const points = series.points;
  const history = withGaps(
    [
      points.map((p) => toSeconds(p.timestamp)),
      points.map((p) => p.used_bytes),
      points.map((p) => p.used_bytes_min ?? null),
      points.map((p) => p.used_bytes_max ?? null),
      points.map((p) => p.total_bytes),
    ],
    window,
  );
  const rows = new Map<number, Row>();
  (history[0] as number[]).forEach((at, i) => {
    rows.set(at, [...history.slice(1).map((col) => col[i] ?? null), null, null, null]);
  });
  const hasBand = points.some((p) => p.used_bytes_min != null && p.used_bytes_max != null);
  const windowEnd = window ? toSeconds(window.endAt) : null;

  const last = points[points.length - 1];
  let forecastEnd: number | null = null;
  let reachesFull = false;
  let hasForecastBand = false;
  const lastX = last ? toSeconds(last.timestamp) : null;
  const fullX = series.full_at ? toSeconds(series.full_at) : null;
  // No line when the fill date is not after the newest point (a stale forecast): x must grow.
  if (last && lastX !== null && fullX !== null && fullX > lastX) {
    const viewEnd = Math.max(windowEnd ?? lastX, lastX) + projectSeconds;
    forecastEnd = Math.min(fullX, viewEnd);
    reachesFull = forecastEnd === fullX;
    const earliestX = series.full_at_earliest ? toSeconds(series.full_at_earliest) : fullX;
    const latestX = series.full_at_latest ? toSeconds(series.full_at_latest) : null;
    hasForecastBand = earliestX !== fullX || latestX !== fullX;
    const total = last.total_bytes;
    const line = towardsFull(lastX, last.used_bytes, total, fullX);
    const upper = towardsFull(lastX, last.used_bytes, total, earliestX);
    const lower = towardsFull(lastX, last.used_bytes, total, latestX);
    // The earliest line reaches full before the end: a point there puts the bend in the band.
    const bends = [earliestX > lastX && earliestX < forecastEnd ? earliestX : null, forecastEnd];
    for (const at of bends) {
      if (at !== null && !rows.has(at)) rows.set(at, [null, null, null, total, null, null, null]);
    }
    // Every row along the projection carries it, so the line does not break at the gap rows.
    for (const [at, row] of rows) {
      if (at < lastX || at > forecastEnd) continue;
      row[3] = at > lastX ? total : (row[3] ?? null);
      row[4] = line(at);
      row[5] = hasForecastBand ? upper(at) : null;
      row[6] = hasForecastBand ? lower(at) : null;
    }
  }
  const xs = [...rows.keys()].sort((a, b) => a - b);
  const peak = Math.max(
    0,
    ...points.map((p) => p.used_bytes_max ?? p.used_bytes),
    ...xs.map((at) => rows.get(at)?.[4] ?? 0),
  );
  const total = last?.total_bytes ?? 0;
  const capacityShown = total > 0 && (reachesFull || peak >= CAPACITY_NEAR_SHARE * total);
  const columns: (number | null)[][] = Array.from({ length: 7 }, () => []);
  for (const at of xs) {
    const row = rows.get(at) as Row;
    row.forEach((value, i) => columns[i]?.push(i === 3 && !capacityShown ? null : value));
  }
  return {
    data: [xs, ...columns] as uPlot.AlignedData,
    hasBand,
    forecastEnd,
    reachesFull,
    hasForecastBand,
    windowEnd,
    capacityShown,
  };
}

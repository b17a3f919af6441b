import type uPlot from "uplot";
import type { FilesystemSeries, HistoryRange, ServerMetricPoint } from "../../types/server";

/** The ranges the server page offers; the hub accepts a few more. */
export const CHART_RANGES = [
  "1h",
  "6h",
  "24h",
  "7d",
  "30d",
  "12m",
] as const satisfies readonly HistoryRange[];
export type ChartRange = (typeof CHART_RANGES)[number];

export function isChartRange(value: string | null): value is ChartRange {
  return (CHART_RANGES as readonly string[]).includes(value ?? "");
}

const DAY = 86_400;
/** How far past the data the fill forecast may reach: a little beyond each range. */
export const FORECAST_HORIZON_SECONDS: Record<ChartRange, number> = {
  "1h": DAY,
  "6h": 3 * DAY,
  "24h": 7 * DAY,
  "7d": 30 * DAY,
  "30d": 90 * DAY,
  "12m": 365 * DAY,
};

export const toSeconds = (iso: string): number => Date.parse(iso) / 1000;

/**
 * Starts the chart at the start of the requested window even when the data starts later, by
 * adding an empty sample there: a week's chart of two days' data shows where the data begins.
 */
export function fromWindowStart(
  data: uPlot.AlignedData,
  startAt: string | undefined,
): uPlot.AlignedData {
  const [x, ...series] = data;
  if (!startAt || !x || x.length === 0) return data;
  const start = toSeconds(startAt);
  if (!(start < (x[0] as number))) return data;
  return [[start, ...x], ...series.map((values) => [null, ...values])] as uPlot.AlignedData;
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
}

/** Used bytes on the straight line from (fromX, fromUsed) to full at `fullX`, capped at full. */
function towardsFull(fromX: number, fromUsed: number, total: number, fullX: number | null) {
  return (x: number): number =>
    fullX === null || fullX <= fromX
      ? fromUsed
      : Math.min(total, fromUsed + ((total - fromUsed) * (x - fromX)) / (fullX - fromX));
}

/**
 * Lays out a filesystem's history for the chart: used bytes, the min–max band of aggregated
 * points, the capacity line and the forecast from the last point towards the fill date, with
 * the band between the lines to the earliest and the latest fill date (flat when it may never
 * fill). The forecast is drawn at most `horizonSeconds` past the last point so a distant fill
 * date does not squash the history.
 */
export function filesystemChartData(
  series: FilesystemSeries,
  horizonSeconds: number,
): FilesystemChart {
  const points = series.points;
  const x = points.map((p) => toSeconds(p.timestamp));
  const used: (number | null)[] = points.map((p) => p.used_bytes);
  const min: (number | null)[] = points.map((p) => p.used_bytes_min ?? null);
  const max: (number | null)[] = points.map((p) => p.used_bytes_max ?? null);
  const capacity: (number | null)[] = points.map((p) => p.total_bytes);
  const forecast: (number | null)[] = points.map(() => null);
  const early: (number | null)[] = points.map(() => null);
  const late: (number | null)[] = points.map(() => null);
  const hasBand = min.some((v) => v !== null) && max.some((v) => v !== null);

  const last = points[points.length - 1];
  let forecastEnd: number | null = null;
  let reachesFull = false;
  let hasForecastBand = false;
  const lastX = last ? toSeconds(last.timestamp) : null;
  const fullX = series.full_at ? toSeconds(series.full_at) : null;
  // No line when the fill date is not after the newest point (a stale forecast): x must grow.
  if (last && lastX !== null && fullX !== null && fullX > lastX) {
    forecastEnd = Math.max(lastX, Math.min(fullX, lastX + horizonSeconds));
    reachesFull = forecastEnd === fullX;
    const earliestX = series.full_at_earliest ? toSeconds(series.full_at_earliest) : fullX;
    const latestX = series.full_at_latest ? toSeconds(series.full_at_latest) : null;
    hasForecastBand = earliestX !== fullX || latestX !== fullX;
    const total = last.total_bytes;
    const line = towardsFull(lastX, last.used_bytes, total, fullX);
    const upper = towardsFull(lastX, last.used_bytes, total, earliestX);
    const lower = towardsFull(lastX, last.used_bytes, total, latestX);
    forecast[forecast.length - 1] = last.used_bytes;
    early[early.length - 1] = hasForecastBand ? last.used_bytes : null;
    late[late.length - 1] = hasForecastBand ? last.used_bytes : null;
    // The earliest line reaches full before the end: a point there puts the bend in the band.
    const ends = [earliestX > lastX && earliestX < forecastEnd ? earliestX : null, forecastEnd];
    for (const at of ends) {
      if (at === null) continue;
      x.push(at);
      used.push(null);
      min.push(null);
      max.push(null);
      capacity.push(total);
      forecast.push(line(at));
      early.push(hasForecastBand ? upper(at) : null);
      late.push(hasForecastBand ? lower(at) : null);
    }
  }
  return {
    data: [x, used, min, max, capacity, forecast, early, late],
    hasBand,
    forecastEnd,
    reachesFull,
    hasForecastBand,
  };
}

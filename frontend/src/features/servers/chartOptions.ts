import type uPlot from "uplot";
import type { ChartPalette } from "../../lib/chartPalette";

export interface LineSpec {
  label: string;
  stroke: string;
  dash?: number[];
  width?: number;
  /** A band edge: drawn faintly, filled by `bands`. */
  band?: boolean;
  /** The faint stroke of a band edge (the palette's band edge by default). */
  bandStroke?: string;
}

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"] as const;

/** The binary unit a byte axis reads in: the largest one its top value reaches. */
function byteUnit(top: number): number {
  let unit = 0;
  while (unit < BYTE_UNITS.length - 1 && Math.abs(top) >= 1024 ** (unit + 1)) unit += 1;
  return unit;
}

/** A round step (1, 2, 2.5 or 5 times a power of ten) at least `raw`, with its decimals. */
function roundStep(raw: number): { step: number; decimals: number } {
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const [factor, extra] of [
    [1, 0],
    [2, 0],
    [2.5, 1],
    [5, 0],
    [10, 0],
  ] as const) {
    const step = factor * magnitude;
    if (step >= raw * (1 - 1e-9)) {
      return { step, decimals: Math.max(0, -Math.floor(Math.log10(step) + 1e-9) + extra) };
    }
  }
  return { step: 10 * magnitude, decimals: 0 };
}

/**
 * Ticks of a byte axis from `min` to `max`: round steps in the one unit of the top value
 * (0.02 TiB apart, not 16–64 GiB apart printed alike), about `count` of them.
 */
export function byteTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max) || max <= min) return [min];
  const size = 1024 ** byteUnit(max);
  const { step } = roundStep((max - min) / size / Math.max(1, count));
  const ticks: number[] = [];
  const first = Math.ceil(min / size / step - 1e-9);
  for (let i = first; i * step * size <= max * (1 + 1e-12); i += 1) {
    ticks.push((Math.round(i * step * 1e9) / 1e9) * size);
  }
  return ticks;
}

/**
 * Labels of byte ticks: one unit for all (the top tick's), with just enough decimals that
 * neighbouring ticks differ ("3.80 TiB, 3.85 TiB", never "3.8, 3.8, 3.9").
 */
export function byteTickLabels(ticks: number[]): string[] {
  if (ticks.length === 0) return [];
  const top = Math.max(...ticks.map(Math.abs));
  const unit = byteUnit(top);
  const size = 1024 ** unit;
  const gaps = ticks.slice(1).map((t, i) => Math.abs(t - (ticks[i] as number)) / size);
  const smallest = gaps.length ? Math.min(...gaps.filter((g) => g > 0), Infinity) : Infinity;
  let decimals = Number.isFinite(smallest) ? roundStep(smallest).decimals : 0;
  if (unit === 0) decimals = 0;
  const label = (t: number) => `${(t / size).toFixed(decimals)} ${BYTE_UNITS[unit]}`;
  // A step that is not round (uPlot's own) may still need one more decimal to tell ticks apart.
  while (decimals < 4 && new Set(ticks.map(label)).size < ticks.length) {
    decimals += 1;
  }
  return ticks.map(label);
}

/** Time-axis labels in the browser's locale: dates from a day's spacing, times below it. */
export function timeTickLabels(ticks: number[], incrSeconds: number): string[] {
  let lastDay = "";
  return ticks.map((t) => {
    const at = new Date(t * 1000);
    const day = at.toLocaleDateString(undefined, { month: "short", day: "numeric" });
    if (incrSeconds >= 86_400) return day;
    const time = at.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
    const label = day === lastDay ? time : `${time}\n${day}`;
    lastDay = day;
    return label;
  });
}

/** Charts of one page share this key: hovering one moves the crosshair on all of them. */
export const CURSOR_SYNC_KEY = "homelab-time";

/** The index of the newest value of series `sidx` at or before now, or null. */
export function latestIndex(data: uPlot.AlignedData, sidx: number, now: number): number | null {
  const x = data[0] as ArrayLike<number>;
  const values = data[sidx] as ArrayLike<number | null | undefined> | undefined;
  if (!values) return null;
  for (let i = x.length - 1; i >= 0; i -= 1) {
    const v = values[i];
    if ((x[i] as number) <= now && v !== null && v !== undefined) return i;
  }
  return null;
}

/** The newest value of series `sidx` at or before now: what the legend shows without a hover. */
export function latestValue(data: uPlot.AlignedData, sidx: number, now: number): number | null {
  const i = latestIndex(data, sidx, now);
  return i === null ? null : ((data[sidx] as ArrayLike<number>)[i] as number);
}

/**
 * A y range that fits the data with a margin: growth is visible, not flattened against 0. With
 * a `ceiling` (a disk's size) the top never goes past it: no 8.1 TiB tick above an 8 TiB disk.
 */
export function fittedRange(
  dataMin: number,
  dataMax: number,
  ceiling?: number | null,
): [number, number] {
  if (!Number.isFinite(dataMin) || !Number.isFinite(dataMax)) return [0, 1];
  const pad = Math.max((dataMax - dataMin) * 0.1, Math.abs(dataMax) * 0.01, 1);
  const top = dataMax + pad;
  const capped = ceiling != null && ceiling > 0 && dataMax <= ceiling && top > ceiling;
  return [Math.max(0, dataMin - pad), capped ? ceiling : top];
}

/**
 * Options for a time chart: the first spec is the main line; band edges come in pairs that
 * `bands` names by series index (1-based, as uPlot counts them). The legend shows the latest
 * values until the pointer hovers a chart; the crosshair is shared by every chart on the page.
 * Axes, grid and default band colours come from `palette` (`useChartPalette()`).
 */
export function timeChartOptions(
  lines: LineSpec[],
  formatValue: (value: number) => string,
  options: {
    palette: ChartPalette;
    bands?: [number, number, string?][];
    yMin?: number;
    yMax?: number;
    bytes?: boolean;
    /** Fit the y axis to the data instead of starting it at 0. */
    fit?: boolean;
    /** The most the y axis may show (a disk's size), read when the chart draws. */
    ceiling?: () => number | null;
    hooks?: uPlot.Hooks.Arrays;
  },
): Omit<uPlot.Options, "width" | "height"> {
  const { palette, bands = [], yMin, yMax, bytes = false, fit = false, hooks, ceiling } = options;
  const latest = (u: uPlot, sidx: number) => latestValue(u.data, sidx, Date.now() / 1000);
  return {
    cursor: { drag: { x: false, y: false }, sync: { key: CURSOR_SYNC_KEY } },
    legend: { show: true },
    hooks,
    scales: {
      x: { time: true },
      y: {
        range: (_u, dataMin, dataMax) =>
          fit
            ? fittedRange(dataMin, dataMax, ceiling?.())
            : [yMin ?? Math.min(0, dataMin), yMax ?? (dataMax > 0 ? dataMax * 1.05 : 1)],
      },
    },
    axes: [
      {
        stroke: palette.axis,
        grid: { stroke: palette.grid },
        values: (_u, ticks, _axis, _space, incr) => timeTickLabels(ticks, incr),
      },
      {
        stroke: palette.axis,
        grid: { stroke: palette.grid },
        size: 84,
        splits: bytes ? (_u, _axis, min, max) => byteTicks(min, max) : undefined,
        values: (_u, ticks) =>
          bytes
            ? byteTickLabels(ticks)
            : ticks.map((tick) => formatValue(tick).replace(/\.0 /, " ")),
      },
    ],
    series: [
      {
        // Without a hover the legend reads "latest" values: say when they are from.
        value: (u, raw, _sidx, idx) => {
          const newest = latestIndex(u.data, 1, Date.now() / 1000);
          const at = idx === null ? (newest === null ? null : u.data[0][newest]) : raw;
          if (at === null || at === undefined) return "—";
          const when = new Date(at * 1000).toLocaleString(undefined, {
            month: "short",
            day: "numeric",
            hour: "2-digit",
            minute: "2-digit",
          });
          return idx === null ? `latest, ${when}` : when;
        },
      },
      ...lines.map((line): uPlot.Series => ({
        label: line.label,
        stroke: line.band ? (line.bandStroke ?? palette.bandEdge) : line.stroke,
        width: line.band ? 0.5 : (line.width ?? 1.5),
        dash: line.dash,
        points: { show: false },
        value: (u, raw, sidx, idx) => {
          if (line.band) {
            // A band edge repeats nothing: it reads only on a hover, and only where it differs.
            const main = idx === null ? null : u.data[1]?.[idx];
            if (idx === null || raw === null || raw === undefined || raw === main) return "—";
            return formatValue(raw);
          }
          const v = idx === null ? latest(u, sidx) : raw;
          return v === null || v === undefined ? "—" : formatValue(v);
        },
      })),
    ],
    bands: bands.map(([upper, lower, fill]) => ({
      series: [upper, lower],
      fill: fill ?? palette.band,
    })),
  };
}

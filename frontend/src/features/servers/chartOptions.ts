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

/** Tick steps for byte axes: powers of two of each binary unit, so ticks read 256 GiB, 512 GiB. */
const BYTE_INCREMENTS = [0, 1, 2, 3, 4, 5].flatMap((power) =>
  [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].map((step) => step * 1024 ** power),
);

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

/** A y range that fits the data with a margin: growth is visible, not flattened against 0. */
export function fittedRange(dataMin: number, dataMax: number): [number, number] {
  if (!Number.isFinite(dataMin) || !Number.isFinite(dataMax)) return [0, 1];
  const pad = Math.max((dataMax - dataMin) * 0.1, Math.abs(dataMax) * 0.01, 1);
  return [Math.max(0, dataMin - pad), dataMax + pad];
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
    hooks?: uPlot.Hooks.Arrays;
  },
): Omit<uPlot.Options, "width" | "height"> {
  const { palette, bands = [], yMin, yMax, bytes = false, fit = false, hooks } = options;
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
            ? fittedRange(dataMin, dataMax)
            : [yMin ?? Math.min(0, dataMin), yMax ?? (dataMax > 0 ? dataMax * 1.05 : 1)],
      },
    },
    axes: [
      { stroke: palette.neutral, grid: { stroke: palette.grid } },
      {
        stroke: palette.neutral,
        grid: { stroke: palette.grid },
        size: 84,
        incrs: bytes ? BYTE_INCREMENTS : undefined,
        values: (_u, ticks) => ticks.map((tick) => formatValue(tick).replace(/\.0 /, " ")),
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

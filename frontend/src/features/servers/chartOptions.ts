import type uPlot from "uplot";

export interface LineSpec {
  label: string;
  stroke: string;
  dash?: number[];
  width?: number;
  /** A band edge: drawn faintly, filled by `bands`. */
  band?: boolean;
  /** The faint stroke of a band edge (blue by default). */
  bandStroke?: string;
}

const AXIS = "#6b7280";

/** Tick steps for byte axes: powers of two of each binary unit, so ticks read 256 GiB, 512 GiB. */
const BYTE_INCREMENTS = [0, 1, 2, 3, 4, 5].flatMap((power) =>
  [1, 2, 4, 8, 16, 32, 64, 128, 256, 512].map((step) => step * 1024 ** power),
);

export const COLORS = {
  primary: "#2563eb",
  secondary: "#0d9488",
  tertiary: "#9333ea",
  band: "rgba(37, 99, 235, 0.18)",
  capacity: "#6b7280",
  forecast: "#dc2626",
  forecastBand: "rgba(220, 38, 38, 0.12)",
  forecastBandEdge: "rgba(220, 38, 38, 0.3)",
} as const;

/**
 * Options for a time chart: the first spec is the main line; band edges come in pairs that
 * `bands` names by series index (1-based, as uPlot counts them).
 */
export function timeChartOptions(
  lines: LineSpec[],
  formatValue: (value: number) => string,
  options: {
    bands?: [number, number, string?][];
    yMin?: number;
    yMax?: number;
    bytes?: boolean;
  } = {},
): Omit<uPlot.Options, "width" | "height"> {
  const { bands = [], yMin, yMax, bytes = false } = options;
  return {
    cursor: { drag: { x: false, y: false } },
    legend: { show: true },
    scales: {
      x: { time: true },
      y: {
        range: (_u, dataMin, dataMax) => [
          yMin ?? Math.min(0, dataMin),
          yMax ?? (dataMax > 0 ? dataMax * 1.05 : 1),
        ],
      },
    },
    axes: [
      { stroke: AXIS, grid: { stroke: "rgba(127,127,127,0.15)" } },
      {
        stroke: AXIS,
        grid: { stroke: "rgba(127,127,127,0.15)" },
        size: 84,
        incrs: bytes ? BYTE_INCREMENTS : undefined,
        values: (_u, ticks) => ticks.map((tick) => formatValue(tick).replace(/\.0 /, " ")),
      },
    ],
    series: [
      {},
      ...lines.map((line): uPlot.Series => ({
        label: line.label,
        stroke: line.band ? (line.bandStroke ?? "rgba(37, 99, 235, 0.35)") : line.stroke,
        width: line.band ? 0.5 : (line.width ?? 1.5),
        dash: line.dash,
        points: { show: false },
        value: (_u, raw) => (raw === null || raw === undefined ? "—" : formatValue(raw)),
      })),
    ],
    bands: bands.map(([upper, lower, fill]) => ({
      series: [upper, lower],
      fill: fill ?? COLORS.band,
    })),
  };
}

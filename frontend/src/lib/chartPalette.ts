import { useSyncExternalStore } from "react";

/** The colours a uPlot chart draws with: canvas strokes and fills, axis labels and grid. */
export interface ChartPalette {
  /** The main line (the page's accent). */
  primary: string;
  secondary: string;
  tertiary: string;
  /** The min–max band of aggregated tiers, and its faint edges. */
  band: string;
  bandEdge: string;
  /** The capacity line and the "now" marker. */
  neutral: string;
  /** Axis labels: at least 4.5:1 on the panel in either theme. */
  axis: string;
  grid: string;
  /** The tint of the part of a chart past now. */
  zone: string;
  /** The fill forecast (the critical colour), its band and the band's edges. */
  forecast: string;
  forecastBand: string;
  forecastBandEdge: string;
}

/**
 * The custom properties of index.css the charts draw with, and their light-theme values for
 * where no stylesheet is loaded (component tests).
 */
const PROPERTIES = {
  "--accent": "#2563eb",
  "--critical": "#dc2626",
  "--chart-secondary": "#0d9488",
  "--chart-tertiary": "#9333ea",
  "--chart-neutral": "#6b7280",
  "--chart-axis": "#4b5563",
  "--chart-grid": "rgba(127, 127, 127, 0.15)",
  "--chart-zone": "rgba(127, 127, 127, 0.08)",
} as const;

/** `color` (#rgb, #rrggbb or rgb()/rgba()) at `alpha` opacity; other forms are returned as is. */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim());
  if (hex) {
    const digits = hex[1]!.length === 3 ? [...hex[1]!].map((d) => d + d) : hex[1]!.match(/../g)!;
    const [r, g, b] = digits.map((pair) => parseInt(pair, 16));
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
  }
  const rgb = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)/i.exec(color.trim());
  return rgb ? `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})` : color;
}

/** The chart colours as the stylesheet defines them now (light or dark). */
export function readChartPalette(root: Element = document.documentElement): ChartPalette {
  const style = getComputedStyle(root);
  const read = (name: keyof typeof PROPERTIES) =>
    style.getPropertyValue(name).trim() || PROPERTIES[name];
  const primary = read("--accent");
  const forecast = read("--critical");
  return {
    primary,
    secondary: read("--chart-secondary"),
    tertiary: read("--chart-tertiary"),
    band: withAlpha(primary, 0.18),
    bandEdge: withAlpha(primary, 0.35),
    neutral: read("--chart-neutral"),
    axis: read("--chart-axis"),
    grid: read("--chart-grid"),
    zone: read("--chart-zone"),
    forecast,
    forecastBand: withAlpha(forecast, 0.12),
    forecastBandEdge: withAlpha(forecast, 0.3),
  };
}

const COLOR_SCHEME = "(prefers-color-scheme: dark)";
const listeners = new Set<() => void>();
let current: ChartPalette | null = null;
let scheme: MediaQueryList | null = null;

const samePalette = (a: ChartPalette, b: ChartPalette) =>
  (Object.keys(a) as (keyof ChartPalette)[]).every((key) => a[key] === b[key]);

/** Reads the colours again; the palette object changes only when a colour did. */
function refresh(): void {
  const next = readChartPalette();
  if (current === null || !samePalette(current, next)) current = next;
}

function onSchemeChange(): void {
  refresh();
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  if (listeners.size === 0) {
    // The scheme may have changed while no chart was on screen.
    refresh();
    scheme = window.matchMedia?.(COLOR_SCHEME) ?? null;
    scheme?.addEventListener("change", onSchemeChange);
  }
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
    if (listeners.size > 0) return;
    scheme?.removeEventListener("change", onSchemeChange);
    scheme = null;
  };
}

function snapshot(): ChartPalette {
  if (current === null) refresh();
  return current!;
}

/**
 * The chart colours of the current colour scheme, from the custom properties the CSS uses. When
 * the scheme changes (light ↔ dark) they are read again and the charts that use them redraw.
 */
export function useChartPalette(): ChartPalette {
  return useSyncExternalStore(subscribe, snapshot);
}

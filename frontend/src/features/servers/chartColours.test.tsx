import { act, render } from "@testing-library/react";
import uPlot from "uplot";
import { afterEach, expect, it, vi } from "vitest";
import type { ServerMetricPoint } from "../../types/server";
import { NetworkChart } from "./NetworkChart";

// The uPlot stand-in of test/setup.ts keeps every chart it was asked to draw.
const plots = (uPlot as unknown as { instances: { opts: uPlot.Options }[] }).instances;
const realMatchMedia = window.matchMedia;

afterEach(() => {
  window.matchMedia = realMatchMedia;
  document.documentElement.removeAttribute("style");
});

const points: ServerMetricPoint[] = [0, 1, 2].map((i) => ({
  timestamp: `2026-01-01T0${i}:00:00Z`,
  cpu_percent: null,
  memory_percent: null,
  load_1m: null,
  load_5m: null,
  load_15m: null,
  network_rx_bytes: 1000 * i,
  network_tx_bytes: 500 * i,
  sample_count: 1,
}));

it("redraws an open chart in the colours of a new colour scheme", () => {
  const listeners = new Set<() => void>();
  window.matchMedia = vi.fn(
    () =>
      ({
        matches: false,
        addEventListener: (_: string, listener: () => void) => listeners.add(listener),
        removeEventListener: (_: string, listener: () => void) => listeners.delete(listener),
      }) as unknown as MediaQueryList,
  );
  render(<NetworkChart points={points} />);
  const light = plots.at(-1)!.opts;
  expect(light.series[1]?.stroke).toBe("#2563eb");
  expect(light.axes?.[1]?.stroke).toBe("#4b5563");

  // What index.css declares under prefers-color-scheme: dark.
  document.documentElement.style.setProperty("--accent", "#60a5fa");
  document.documentElement.style.setProperty("--chart-secondary", "#2dd4bf");
  document.documentElement.style.setProperty("--chart-neutral", "#9aa5b1");
  document.documentElement.style.setProperty("--chart-axis", "#c9d1d9");
  act(() => listeners.forEach((listener) => listener()));

  const dark = plots.at(-1)!.opts;
  expect(dark).not.toBe(light);
  expect(dark.series[1]?.stroke).toBe("#60a5fa");
  expect(dark.series[2]?.stroke).toBe("#2dd4bf");
  expect(dark.axes?.[1]?.stroke).toBe("#c9d1d9");
});

import { readFileSync } from "node:fs";
import path from "node:path";
import { act, renderHook } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { readChartPalette, useChartPalette, withAlpha } from "./chartPalette";

const root = document.documentElement;
const realMatchMedia = window.matchMedia;

/** A `prefers-color-scheme` query whose change the test fires. */
function fakeColorScheme() {
  const listeners = new Set<() => void>();
  const query = {
    matches: false,
    addEventListener: vi.fn((_: string, listener: () => void) => listeners.add(listener)),
    removeEventListener: vi.fn((_: string, listener: () => void) => listeners.delete(listener)),
  };
  window.matchMedia = vi.fn(() => query as unknown as MediaQueryList);
  return { query, change: () => listeners.forEach((listener) => listener()) };
}

afterEach(() => {
  window.matchMedia = realMatchMedia;
  root.removeAttribute("style");
});

describe("withAlpha", () => {
  it.each([
    ["#2563eb", 0.18, "rgba(37, 99, 235, 0.18)"],
    ["#fff", 0.5, "rgba(255, 255, 255, 0.5)"],
    [" #DC2626 ", 0.3, "rgba(220, 38, 38, 0.3)"],
    ["rgb(96, 165, 250)", 0.35, "rgba(96, 165, 250, 0.35)"],
    ["rgba(96 165 250 / 1)", 0.12, "rgba(96, 165, 250, 0.12)"],
    ["canvastext", 0.2, "canvastext"],
  ])("%s at %s is %s", (color, alpha, expected) => {
    expect(withAlpha(color, alpha)).toBe(expected);
  });
});

describe("readChartPalette", () => {
  it("falls back to the light values index.css declares when no stylesheet is loaded", () => {
    const css = readFileSync(path.join(import.meta.dirname, "../index.css"), "utf8");
    const light = css.slice(css.indexOf(":root {"), css.indexOf("}", css.indexOf(":root {")));
    const declared = (name: string) => new RegExp(`${name}:\\s*([^;]+);`).exec(light)?.[1];
    const palette = readChartPalette();
    expect(palette.primary).toBe(declared("--accent"));
    expect(palette.forecast).toBe(declared("--critical"));
    expect(palette.secondary).toBe(declared("--chart-secondary"));
    expect(palette.tertiary).toBe(declared("--chart-tertiary"));
    expect(palette.neutral).toBe(declared("--chart-neutral"));
    expect(palette.axis).toBe(declared("--chart-axis"));
    expect(palette.grid).toBe(declared("--chart-grid"));
    expect(palette.zone).toBe(declared("--chart-zone"));
    // The light theme draws as it always has.
    expect(palette).toMatchObject({
      primary: "#2563eb",
      band: "rgba(37, 99, 235, 0.18)",
      bandEdge: "rgba(37, 99, 235, 0.35)",
      forecast: "#dc2626",
      forecastBand: "rgba(220, 38, 38, 0.12)",
      forecastBandEdge: "rgba(220, 38, 38, 0.3)",
    });
  });

  it("reads the custom properties in force on the document", () => {
    root.style.setProperty("--accent", "#60a5fa");
    root.style.setProperty("--chart-neutral", "#9aa5b1");
    expect(readChartPalette()).toMatchObject({
      primary: "#60a5fa",
      band: "rgba(96, 165, 250, 0.18)",
      neutral: "#9aa5b1",
    });
  });
});

it("reads the colours again when the colour scheme changes", () => {
  const scheme = fakeColorScheme();
  const { result, rerender, unmount } = renderHook(() => useChartPalette());
  expect(result.current.primary).toBe("#2563eb");
  const before = result.current;
  rerender();
  expect(result.current).toBe(before);

  root.style.setProperty("--accent", "#60a5fa");
  act(() => scheme.change());
  expect(result.current.primary).toBe("#60a5fa");
  expect(result.current.bandEdge).toBe("rgba(96, 165, 250, 0.35)");

  unmount();
  expect(scheme.query.removeEventListener).toHaveBeenCalled();
});

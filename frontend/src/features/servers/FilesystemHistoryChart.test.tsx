import type uPlot from "uplot";
import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, it } from "vitest";
import type { FilesystemSeries } from "../../types/server";
import { FilesystemHistoryChart } from "./FilesystemHistoryChart";

const GIB = 1024 ** 3;
const DAY = 86_400;

function series(overrides: Partial<FilesystemSeries> = {}): FilesystemSeries {
  return {
    mount_point: "/mnt/My Disk",
    confident: false,
    device: "/dev/sdb1",
    fs_type: "ext4",
    growth_bytes_per_day: 20 * GIB,
    full_at: "2026-12-12T00:00:00Z",
    days_until_full: 14.2,
    points: [
      {
        timestamp: "2026-11-27T00:00:00Z",
        used_bytes: 700 * GIB,
        used_bytes_min: 690 * GIB,
        used_bytes_max: 740 * GIB,
        available_bytes: 324 * GIB,
        total_bytes: 1024 * GIB,
        sample_count: 2,
      },
    ],
    ...overrides,
  };
}

it("states the fill date and growth above the chart", () => {
  render(
    <FilesystemHistoryChart
      series={series()}
      resolution="hourly"
      horizonSeconds={30 * DAY}
      projectSeconds={30 * DAY}
    />,
  );
  expect(screen.getByTestId("forecast")).toHaveTextContent("full in 14 days");
  expect(screen.getByText("hourly min–avg–max")).toBeInTheDocument();
  expect(screen.getByText("growth 20.0 GiB/day")).toBeInTheDocument();
  const chart = screen.getByRole("img", { name: /Used space of \/mnt\/My Disk/ });
  // One sample plus the forecast's end point.
  expect(chart).toHaveAttribute("data-points", "2");
});

it("names the reason and draws the band of a ranged forecast", () => {
  render(
    <FilesystemHistoryChart
      series={series({
        full_at_earliest: "2026-12-10T00:00:00Z",
        full_at_latest: "2026-12-20T00:00:00Z",
        forecast_basis: "prune_cycle",
        forecast_reason: "pruned weekly, but its peaks rise (now 72 %)",
      })}
      resolution="hourly"
      horizonSeconds={30 * DAY}
      projectSeconds={30 * DAY}
    />,
  );
  expect(screen.getByTestId("forecast")).toHaveTextContent(
    "pruned weekly, but its peaks rise (now 72 %)",
  );
  // The sample, the bend where the earliest date reaches full, and the fill date.
  expect(screen.getByRole("img")).toHaveAttribute("data-points", "3");
});

it("says why a pruned disk has no forecast", () => {
  render(
    <FilesystemHistoryChart
      series={series({
        growth_bytes_per_day: 0,
        full_at: null,
        days_until_full: null,
        forecast_basis: "prune_cycle",
        forecast_reason: "pruned weekly; peaks at 78 %",
      })}
      resolution="hourly"
      horizonSeconds={30 * DAY}
      projectSeconds={30 * DAY}
    />,
  );
  expect(screen.getByTestId("no-forecast")).toHaveTextContent(
    "No fill forecast: pruned weekly; peaks at 78 %.",
  );
});

it("says when there is no forecast", () => {
  render(
    <FilesystemHistoryChart
      series={series({ growth_bytes_per_day: null, full_at: null, days_until_full: null })}
      resolution="raw"
      horizonSeconds={7 * DAY}
      projectSeconds={DAY}
    />,
  );
  expect(screen.queryByTestId("forecast")).not.toBeInTheDocument();
  expect(screen.getByText(/No fill forecast/)).toBeInTheDocument();
  expect(screen.getByRole("img")).toHaveAttribute("data-points", "1");
});

it("says when the range holds no samples", () => {
  render(
    <FilesystemHistoryChart
      series={series({ points: [] })}
      resolution="daily"
      horizonSeconds={DAY}
      projectSeconds={DAY}
    />,
  );
  expect(screen.getByText("No samples in this range yet.")).toBeInTheDocument();
});

it("projects a short way past now and extends to the fill date on request", async () => {
  render(
    <FilesystemHistoryChart
      series={series()}
      resolution="hourly"
      view={{
        startAt: "2026-11-20T00:00:00Z",
        endAt: "2026-11-27T00:30:00Z",
        stepSeconds: 3600,
        raw: false,
      }}
      horizonSeconds={30 * DAY}
      projectSeconds={DAY}
    />,
  );
  expect(screen.getByTestId("forecast")).toHaveTextContent("projection shown past now");
  // Capacity (1 TiB) is far above 740 GiB: the y axis fits the data, and says so.
  expect(screen.getByTestId("capacity-off-chart")).toHaveTextContent("capacity 1.0 TiB");

  await userEvent.click(screen.getByRole("checkbox", { name: "Show until full" }));

  expect(screen.getByTestId("forecast")).not.toHaveTextContent("projection shown past now");
  expect(screen.queryByTestId("capacity-off-chart")).not.toBeInTheDocument();
});

it("names only series the chart has in its bands: the forecast range is drawn, not thrown", async () => {
  const { default: FakePlot } = (await import("uplot")) as unknown as {
    default: { instances: { opts: uPlot.Options; data: uPlot.AlignedData }[] };
  };
  render(
    <FilesystemHistoryChart
      series={series({
        full_at_earliest: "2026-12-10T00:00:00Z",
        full_at_latest: "2026-12-20T00:00:00Z",
      })}
      resolution="hourly"
      horizonSeconds={30 * DAY}
      projectSeconds={30 * DAY}
    />,
  );
  const plot = FakePlot.instances[FakePlot.instances.length - 1]!;
  const bands = plot.opts.bands ?? [];
  // The min–max band and the forecast's earliest–latest band.
  expect(bands).toHaveLength(2);
  const seriesCount = plot.opts.series.length;
  expect(seriesCount).toBe(plot.data.length);
  for (const band of bands) {
    for (const index of band.series) {
      expect(index).toBeGreaterThan(0);
      expect(index).toBeLessThan(seriesCount);
    }
  }
  const labels = (band: uPlot.Band) => band.series.map((i) => plot.opts.series[i]?.label);
  expect(labels(bands[1]!)).toEqual(["earliest", "latest"]);
  // The earliest line is the upper edge: at the bend it is full, the latest line is not.
  const [upper, lower] = bands[1]!.series;
  const at = (plot.data[upper] as (number | null)[]).findIndex((v, i) => i > 0 && v !== null);
  expect((plot.data[upper] as number[])[at]!).toBeGreaterThan((plot.data[lower] as number[])[at]!);
});

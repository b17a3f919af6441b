import { useMemo } from "react";
import { UPlotChart } from "../../components/ui/UPlotChart";
import { formatBytes, formatDate } from "../../lib/format";
import type { FilesystemSeries, Resolution } from "../../types/server";
import { filesystemChartData, fromWindowStart } from "./chartData";
import { COLORS, timeChartOptions } from "./chartOptions";
import { forecastCertainty, forecastReason, fullInWithRange } from "./forecastText";

interface FilesystemHistoryChartProps {
  series: FilesystemSeries;
  resolution: Resolution;
  /** How far past the last point the forecast may be drawn, in seconds. */
  horizonSeconds: number;
  /** Start of the requested window, so the x axis covers all of it. */
  startAt?: string;
}

/** A faint edge of the forecast band. */
const edge = (label: string) => ({
  label,
  stroke: COLORS.forecast,
  band: true,
  bandStroke: COLORS.forecastBandEdge,
});

/**
 * Used bytes over time, the min–max band on aggregated tiers, capacity and the fill forecast
 * with the band between its earliest and latest dates.
 */
export function FilesystemHistoryChart({
  series,
  resolution,
  horizonSeconds,
  startAt,
}: FilesystemHistoryChartProps) {
  const chart = useMemo(() => {
    const laidOut = filesystemChartData(series, horizonSeconds);
    return { ...laidOut, data: fromWindowStart(laidOut.data, startAt) };
  }, [series, horizonSeconds, startAt]);
  const options = useMemo(
    () =>
      timeChartOptions(
        [
          { label: "used", stroke: COLORS.primary, width: 2 },
          { label: "min", stroke: COLORS.primary, band: true },
          { label: "max", stroke: COLORS.primary, band: true },
          { label: "capacity", stroke: COLORS.capacity, dash: [4, 4], width: 1 },
          { label: "forecast", stroke: COLORS.forecast, dash: [6, 4], width: 2 },
          edge("earliest"),
          edge("latest"),
        ],
        (v) => formatBytes(v, 1),
        {
          bands: [
            ...(chart.hasBand ? [[3, 2] as [number, number]] : []),
            ...(chart.hasForecastBand
              ? [[7, 8, COLORS.forecastBand] as [number, number, string]]
              : []),
          ],
          yMin: 0,
          bytes: true,
        },
      ),
    [chart.hasBand, chart.hasForecastBand],
  );
  const fullIn = fullInWithRange(series);
  const reason = forecastReason(series);

  return (
    <div className="fs-chart" data-testid="filesystem-chart">
      <div className="fs-chart__meta">
        <span className="fs-chart__resolution">
          {resolution === "raw" ? "each sample" : `${resolution} min–avg–max`}
        </span>
        {fullIn && series.full_at ? (
          <span
            className="fs-chart__forecast"
            data-testid="forecast"
            title={forecastCertainty(series)}
          >
            Forecast: {fullIn} ({formatDate(series.full_at)}){reason ? `, ${reason}` : ""}
            {chart.reachesFull ? "" : " — line shown to the edge of the chart"}
          </span>
        ) : (
          <span className="muted" data-testid="no-forecast">
            No fill forecast: {series.forecast_reason ?? "not growing, or too little history"}.
          </span>
        )}
        {series.growth_bytes_per_day ? (
          <span className="muted">growth {formatBytes(series.growth_bytes_per_day)}/day</span>
        ) : null}
      </div>
      {series.points.length === 0 ? (
        <p className="muted">No samples in this range yet.</p>
      ) : (
        <UPlotChart
          options={options}
          data={chart.data}
          height={240}
          label={`Used space of ${series.mount_point} over time${fullIn ? `, ${fullIn}` : ""}`}
        />
      )}
    </div>
  );
}

import { useMemo } from "react";
import { UPlotChart } from "../../components/ui/UPlotChart";
import { formatBytes, formatDate, formatFullIn } from "../../lib/format";
import type { FilesystemSeries, Resolution } from "../../types/server";
import { filesystemChartData, fromWindowStart } from "./chartData";
import { COLORS, timeChartOptions } from "./chartOptions";

interface FilesystemHistoryChartProps {
  series: FilesystemSeries;
  resolution: Resolution;
  /** How far past the last point the forecast may be drawn, in seconds. */
  horizonSeconds: number;
  /** Start of the requested window, so the x axis covers all of it. */
  startAt?: string;
}

/** Used bytes over time, the min–max band on aggregated tiers, capacity and the fill forecast. */
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
        ],
        (v) => formatBytes(v, 1),
        { bands: chart.hasBand ? [[3, 2]] : [], yMin: 0, bytes: true },
      ),
    [chart.hasBand],
  );
  const fullIn = formatFullIn(series.days_until_full);

  return (
    <div className="fs-chart" data-testid="filesystem-chart">
      <div className="fs-chart__meta">
        <span className="fs-chart__resolution">
          {resolution === "raw" ? "each sample" : `${resolution} min–avg–max`}
        </span>
        {fullIn && series.full_at ? (
          <span className="fs-chart__forecast" data-testid="forecast">
            Forecast: {fullIn} ({formatDate(series.full_at)})
            {chart.reachesFull ? "" : " — line shown to the edge of the chart"}
          </span>
        ) : (
          <span className="muted">No fill forecast: not growing, or too little history.</span>
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

import { useId, useMemo, useRef, useState } from "react";
import type uPlot from "uplot";
import { UPlotChart } from "../../components/ui/UPlotChart";
import { useChartPalette, type ChartPalette } from "../../lib/chartPalette";
import { formatBytes, formatDate } from "../../lib/format";
import { useLevels } from "../../lib/levels";
import { fillLevel } from "../../lib/thresholds";
import type { FilesystemSeries, Resolution } from "../../types/server";
import { FS_SERIES as SERIES, filesystemChartData, toSeconds, type ChartWindow } from "./chartData";
import { timeChartOptions } from "./chartOptions";
import { forecastCertainty, forecastReason, fullInWithRange } from "./forecastText";

interface FilesystemHistoryChartProps {
  series: FilesystemSeries;
  resolution: Resolution;
  /** The requested window: the history fills it, with breaks where samples are missing. */
  view?: ChartWindow;
  /** How far past now the forecast may reach when the user asks to see it until full. */
  horizonSeconds: number;
  /** The default projection past now, in seconds (a short extension of the range). */
  projectSeconds: number;
}

/** A faint edge of the forecast band. */
const edge = (label: string, palette: ChartPalette) => ({
  label,
  stroke: palette.forecast,
  band: true,
  bandStroke: palette.forecastBandEdge,
});

/** Tints the part of the chart past now and labels it, so the projection never reads as data. */
function projectionZone(windowEnd: { current: number | null }, palette: ChartPalette) {
  return (u: uPlot) => {
    const end = windowEnd.current;
    if (end === null) return;
    const left = u.valToPos(end, "x", true);
    const right = u.bbox.left + u.bbox.width;
    if (!(left < right)) return;
    const ctx = u.ctx;
    ctx.save();
    ctx.fillStyle = palette.zone;
    ctx.fillRect(left, u.bbox.top, right - left, u.bbox.height);
    ctx.strokeStyle = palette.neutral;
    ctx.setLineDash([2, 3]);
    ctx.beginPath();
    ctx.moveTo(left, u.bbox.top);
    ctx.lineTo(left, u.bbox.top + u.bbox.height);
    ctx.stroke();
    ctx.fillStyle = palette.neutral;
    ctx.font = `${12 * devicePixelRatio}px system-ui, sans-serif`;
    ctx.fillText(
      "now · forecast →",
      left + 4 * devicePixelRatio,
      u.bbox.top + 14 * devicePixelRatio,
    );
    ctx.restore();
  };
}

/**
 * Used bytes over the selected range at full width, with breaks where samples are missing, the
 * min–max band on aggregated tiers, the capacity line when it is near, and the fill forecast
 * as a marked projection past now (a short one, or until full on request).
 */
export function FilesystemHistoryChart({
  series,
  resolution,
  view,
  horizonSeconds,
  projectSeconds,
}: FilesystemHistoryChartProps) {
  const [untilFull, setUntilFull] = useState(false);
  const toggleId = useId();
  const chart = useMemo(
    () =>
      filesystemChartData(series, {
        window: view,
        projectSeconds: untilFull ? horizonSeconds : projectSeconds,
      }),
    [series, view, untilFull, horizonSeconds, projectSeconds],
  );
  const windowEnd = useRef<number | null>(null);
  windowEnd.current = chart.forecastEnd === null ? null : chart.windowEnd;
  // The y axis stops at the disk's size when the capacity line is drawn.
  const capacity = useRef<number | null>(null);
  capacity.current = chart.capacityShown
    ? (series.points[series.points.length - 1]?.total_bytes ?? null)
    : null;
  const palette = useChartPalette();
  const options = useMemo(
    () =>
      timeChartOptions(
        [
          { label: "used", stroke: palette.primary, width: 2 },
          { label: "min", stroke: palette.primary, band: true },
          { label: "max", stroke: palette.primary, band: true },
          { label: "capacity", stroke: palette.neutral, dash: [4, 4], width: 1 },
          { label: "forecast", stroke: palette.forecast, dash: [6, 4], width: 2 },
          edge("earliest", palette),
          edge("latest", palette),
        ],
        (v) => formatBytes(v, 1),
        {
          palette,
          // By series index (0 is x): max over min, and the line to the earliest fill date
          // (the steeper one, on top) over the line to the latest.
          bands: [
            ...(chart.hasBand ? [[SERIES.max, SERIES.min] as [number, number]] : []),
            ...(chart.hasForecastBand
              ? [[SERIES.earliest, SERIES.latest, palette.forecastBand] as [number, number, string]]
              : []),
          ],
          fit: true,
          bytes: true,
          ceiling: () => capacity.current,
          hooks: { drawClear: [projectionZone(windowEnd, palette)] },
        },
      ),
    [chart.hasBand, chart.hasForecastBand, palette],
  );
  const fullIn = fullInWithRange(series);
  const level = fillLevel(series.days_until_full, series.confident, useLevels(series.mount_point));
  const reason = forecastReason(series);
  const fullX = series.full_at ? toSeconds(series.full_at) : null;
  const canExtend =
    chart.forecastEnd !== null && fullX !== null && (untilFull || !chart.reachesFull);

  return (
    <div className="fs-chart" data-testid="filesystem-chart">
      <div className="fs-chart__meta">
        <span className="fs-chart__resolution">
          {resolution === "raw" ? "each sample" : `${resolution} min–avg–max`}
        </span>
        {fullIn && series.full_at ? (
          <span
            className={`fs-chart__forecast level--${level}`}
            data-testid="forecast"
            data-level={level}
            title={forecastCertainty(series)}
          >
            Forecast: {fullIn} ({formatDate(series.full_at)}){reason ? `, ${reason}` : ""}
            {chart.reachesFull ? "" : " — projection shown past now, not to the fill date"}
          </span>
        ) : (
          <span className="muted" data-testid="no-forecast">
            No fill forecast: {series.forecast_reason ?? "not growing, or too little history"}.
          </span>
        )}
        {series.growth_bytes_per_day ? (
          <span className="muted">growth {formatBytes(series.growth_bytes_per_day)}/day</span>
        ) : null}
        {!chart.capacityShown && series.points.length ? (
          <span className="muted" data-testid="capacity-off-chart">
            capacity {formatBytes(series.points[series.points.length - 1]?.total_bytes)} (far above)
          </span>
        ) : null}
        {canExtend ? (
          <label className="fs-chart__toggle" htmlFor={toggleId}>
            <input
              id={toggleId}
              type="checkbox"
              checked={untilFull}
              onChange={(event) => setUntilFull(event.target.checked)}
            />{" "}
            Show until full
          </label>
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

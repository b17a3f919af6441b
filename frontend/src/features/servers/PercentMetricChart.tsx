import { useMemo } from "react";
import { UPlotChart } from "../../components/ui/UPlotChart";
import { useChartPalette } from "../../lib/chartPalette";
import { formatPercent } from "../../lib/format";
import type { ServerMetricPoint } from "../../types/server";
import { bandedSeries, hasLine, withGaps, type ChartWindow } from "./chartData";
import { timeChartOptions } from "./chartOptions";

interface PercentMetricChartProps {
  points: ServerMetricPoint[];
  metric: "cpu_percent" | "memory_percent";
  label: string;
  /** The requested window: the x axis covers it and lines break where samples are missing. */
  view?: ChartWindow;
}

/** A 0–100 % metric with its min–max band on aggregated ranges (shared by CPU and memory). */
export function PercentMetricChart({ points, metric, label, view }: PercentMetricChartProps) {
  const { data, hasBand } = useMemo(() => {
    const banded = bandedSeries(points, metric);
    return { ...banded, data: withGaps(banded.data, view) };
  }, [points, metric, view]);
  const palette = useChartPalette();
  const options = useMemo(
    () =>
      timeChartOptions(
        [
          { label, stroke: palette.primary },
          { label: "min", stroke: palette.primary, band: true },
          { label: "max", stroke: palette.primary, band: true },
        ],
        (v) => formatPercent(v),
        { palette, bands: hasBand ? [[3, 2]] : [], yMin: 0, yMax: 100 },
      ),
    [label, hasBand, palette],
  );
  if (!hasLine(data, [1])) return <p className="muted no-data">No data in this range.</p>;
  return <UPlotChart options={options} data={data} label={`${label} history chart`} />;
}

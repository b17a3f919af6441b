import { useMemo } from "react";
import type uPlot from "uplot";
import { UPlotChart } from "../../components/ui/UPlotChart";
import { useChartPalette } from "../../lib/chartPalette";
import type { ServerMetricPoint } from "../../types/server";
import { bandedSeries, hasLine, withGaps, type ChartWindow } from "./chartData";
import { timeChartOptions } from "./chartOptions";

/** Load averages (1, 5, 15 min), with the 1-min min–max band on aggregated ranges. */
export function LoadChart({ points, view }: { points: ServerMetricPoint[]; view?: ChartWindow }) {
  const { data, hasBand } = useMemo(() => {
    const banded = bandedSeries(points, "load_1m");
    const [x, value, min, max] = banded.data;
    const data: uPlot.AlignedData = [
      x,
      value!,
      min!,
      max!,
      points.map((p) => p.load_5m ?? null),
      points.map((p) => p.load_15m ?? null),
    ];
    return { data: withGaps(data, view), hasBand: banded.hasBand };
  }, [points, view]);
  const palette = useChartPalette();
  const options = useMemo(
    () =>
      timeChartOptions(
        [
          { label: "1 min", stroke: palette.primary },
          { label: "min", stroke: palette.primary, band: true },
          { label: "max", stroke: palette.primary, band: true },
          { label: "5 min", stroke: palette.secondary },
          { label: "15 min", stroke: palette.tertiary },
        ],
        (v) => v.toFixed(2),
        { palette, bands: hasBand ? [[3, 2]] : [], yMin: 0 },
      ),
    [hasBand, palette],
  );
  if (!hasLine(data, [1, 4, 5])) return <p className="muted no-data">No data in this range.</p>;
  return <UPlotChart options={options} data={data} label="Load average history chart" />;
}

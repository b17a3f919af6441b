import { useMemo } from "react";
import { UPlotChart } from "../../components/ui/UPlotChart";
import { useChartPalette } from "../../lib/chartPalette";
import { formatBytes } from "../../lib/format";
import type { ServerMetricPoint } from "../../types/server";
import { hasLine, networkRates, withGaps, type ChartWindow } from "./chartData";
import { timeChartOptions } from "./chartOptions";

/** Receive and transmit rates derived from the cumulative counters. */
export function NetworkChart({
  points,
  view,
}: {
  points: ServerMetricPoint[];
  view?: ChartWindow;
}) {
  const data = useMemo(() => withGaps(networkRates(points), view), [points, view]);
  const palette = useChartPalette();
  const options = useMemo(
    () =>
      timeChartOptions(
        [
          { label: "received", stroke: palette.primary },
          { label: "sent", stroke: palette.secondary },
        ],
        (v) => `${formatBytes(v)}/s`,
        { palette, yMin: 0, bytes: true },
      ),
    [palette],
  );
  if (!hasLine(data, [1, 2]))
    return <p className="muted no-data">No network data in this range.</p>;
  return <UPlotChart options={options} data={data} label="Network throughput history chart" />;
}

import { useMemo } from "react";
import { UPlotChart } from "../../components/ui/UPlotChart";
import { formatBytes } from "../../lib/format";
import type { ServerMetricPoint } from "../../types/server";
import { networkRates, withGaps, type ChartWindow } from "./chartData";
import { COLORS, timeChartOptions } from "./chartOptions";

/** Receive and transmit rates derived from the cumulative counters. */
export function NetworkChart({
  points,
  view,
}: {
  points: ServerMetricPoint[];
  view?: ChartWindow;
}) {
  const data = useMemo(() => withGaps(networkRates(points), view), [points, view]);
  const options = useMemo(
    () =>
      timeChartOptions(
        [
          { label: "received", stroke: COLORS.primary },
          { label: "sent", stroke: COLORS.secondary },
        ],
        (v) => `${formatBytes(v)}/s`,
        { yMin: 0, bytes: true },
      ),
    [],
  );
  if (points.length < 2) return <p className="muted">Not enough samples in this range yet.</p>;
  return <UPlotChart options={options} data={data} label="Network throughput history chart" />;
}

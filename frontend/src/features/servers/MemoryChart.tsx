import type { ServerMetricPoint } from "../../types/server";
import type { ChartWindow } from "./chartData";
import { PercentMetricChart } from "./PercentMetricChart";

export function MemoryChart({ points, view }: { points: ServerMetricPoint[]; view?: ChartWindow }) {
  return <PercentMetricChart points={points} metric="memory_percent" label="Memory" view={view} />;
}

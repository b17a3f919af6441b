import type { ServerMetricPoint } from "../../types/server";
import type { ChartWindow } from "./chartData";
import { PercentMetricChart } from "./PercentMetricChart";

export function CpuChart({ points, view }: { points: ServerMetricPoint[]; view?: ChartWindow }) {
  return <PercentMetricChart points={points} metric="cpu_percent" label="CPU" view={view} />;
}

import type { ServerMetricPoint } from "../../types/server";
import { PercentMetricChart } from "./PercentMetricChart";

export function CpuChart({ points }: { points: ServerMetricPoint[] }) {
  return <PercentMetricChart points={points} metric="cpu_percent" label="CPU" />;
}

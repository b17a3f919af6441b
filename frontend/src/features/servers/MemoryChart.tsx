import type { ServerMetricPoint } from "../../types/server";
import { PercentMetricChart } from "./PercentMetricChart";

export function MemoryChart({ points }: { points: ServerMetricPoint[] }) {
  return <PercentMetricChart points={points} metric="memory_percent" label="Memory" />;
}

import type { ServerMetricPoint } from "../../types/server";
import { PercentMetricChart } from "./PercentMetricChart";

export function CpuChart({ points, startAt }: { points: ServerMetricPoint[]; startAt?: string }) {
  return <PercentMetricChart points={points} metric="cpu_percent" label="CPU" startAt={startAt} />;
}

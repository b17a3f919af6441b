import type { ServerMetricPoint } from "../../types/server";
import { PercentMetricChart } from "./PercentMetricChart";

export function MemoryChart({
  points,
  startAt,
}: {
  points: ServerMetricPoint[];
  startAt?: string;
}) {
  return (
    <PercentMetricChart points={points} metric="memory_percent" label="Memory" startAt={startAt} />
  );
}

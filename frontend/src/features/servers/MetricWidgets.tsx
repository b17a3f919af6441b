import { useMemo, type ReactNode } from "react";
import { Widget } from "../../components/ui/Widget";
import { formatBytes, formatPercent } from "../../lib/format";
import type { LatestMetrics, ServerMetricPoint, ServerMetricsHistory } from "../../types/server";
import { chartWindow } from "./chartData";
import { CpuChart } from "./CpuChart";
import { LoadChart } from "./LoadChart";
import { MemoryChart } from "./MemoryChart";
import { NetworkChart } from "./NetworkChart";

interface MetricWidgetsProps {
  latest: LatestMetrics | null | undefined;
  history: ServerMetricsHistory | undefined;
  loading: boolean;
  /** The history shown is the previous range's while the new one loads. */
  stale?: boolean;
}

/** CPU, memory, load and network widgets: the latest figure beside a chart of the range. */
export function MetricWidgets({ latest, history, loading, stale = false }: MetricWidgetsProps) {
  const points = history?.points;
  const view = useMemo(() => (history ? chartWindow(history) : undefined), [history]);
  const chart = (render: (p: ServerMetricPoint[]) => ReactNode) =>
    points ? (
      <div className={stale ? "is-stale" : undefined} aria-busy={stale}>
        {render(points)}
      </div>
    ) : (
      <p className="muted">{loading ? "Loading…" : "No data."}</p>
    );
  const memory =
    latest?.memory_used_bytes != null && latest.memory_total_bytes != null
      ? `${formatBytes(latest.memory_used_bytes)} of ${formatBytes(latest.memory_total_bytes)}`
      : formatPercent(latest?.memory_percent);
  const load = [latest?.load_1m, latest?.load_5m, latest?.load_15m]
    .map((v) => (v == null ? "—" : v.toFixed(2)))
    .join(" · ");

  return (
    <>
      <Widget title="CPU" aside={<strong>{formatPercent(latest?.cpu_percent)}</strong>}>
        {chart((p) => (
          <CpuChart points={p} view={view} />
        ))}
      </Widget>
      <Widget title="Memory" aside={<strong>{memory}</strong>}>
        {chart((p) => (
          <MemoryChart points={p} view={view} />
        ))}
      </Widget>
      <Widget title="Load" aside={<strong>{load}</strong>}>
        {chart((p) => (
          <LoadChart points={p} view={view} />
        ))}
      </Widget>
      <Widget title="Network">
        {chart((p) => (
          <NetworkChart points={p} view={view} />
        ))}
      </Widget>
    </>
  );
}

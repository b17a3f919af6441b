import { useQuery } from "@tanstack/react-query";
import { useCallback } from "react";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { ApiError } from "../api/client";
import { Notice } from "../components/ui/Notice";
import { SegmentedControl } from "../components/ui/SegmentedControl";
import { StatusBadge } from "../components/ui/StatusBadge";
import { Widget } from "../components/ui/Widget";
import {
  CHART_RANGES,
  FORECAST_HORIZON_SECONDS,
  isChartRange,
  type ChartRange,
} from "../features/servers/chartData";
import { DiskUsageCard } from "../features/servers/DiskUsageCard";
import { visibleFilesystems } from "../features/servers/diskList";
import { FilesystemHistoryChart } from "../features/servers/FilesystemHistoryChart";
import { MetricWidgets } from "../features/servers/MetricWidgets";
import { ServerActions } from "../features/servers/ServerActions";
import { SystemInfoCard } from "../features/servers/SystemInfoCard";
import { serverName } from "../features/servers/fleet";
import { formatAgo } from "../lib/format";
import { filesystemMetricsQuery, serverMetricsQuery, serverQuery } from "../queries/servers";
import type { FilesystemRead } from "../types/server";

/** The fullest filesystem that answers: the one worth looking at first. */
function defaultMount(filesystems: FilesystemRead[] | null): string | null {
  const ranked = visibleFilesystems(filesystems ?? [], "", "fullest");
  return (ranked.find((fs) => fs.state === "ok") ?? ranked[0])?.mount_point ?? null;
}

/** One server: metric widgets, every filesystem, and the history of the selected one. */
export function ServerPage() {
  const { id = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const rangeParam = params.get("range");
  const range: ChartRange = isChartRange(rangeParam) ? rangeParam : "24h";

  const server = useQuery(serverQuery(id));
  const metrics = useQuery(serverMetricsQuery(id, range));
  const filesystems = server.data?.filesystems ?? null;
  const selectedMount = params.get("fs") ?? defaultMount(filesystems);
  const fsHistory = useQuery({
    ...filesystemMetricsQuery(id, selectedMount ?? "", range),
    enabled: selectedMount !== null,
  });

  const update = useCallback(
    (name: string, value: string) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          next.set(name, value);
          return next;
        },
        { replace: true },
      ),
    [setParams],
  );
  const selectMount = useCallback((mount: string) => update("fs", mount), [update]);

  if (server.isPending) {
    return (
      <main className="page" id="main">
        <p className="muted" role="status">
          Loading server…
        </p>
      </main>
    );
  }
  const missing = server.isError && server.error instanceof ApiError && server.error.status === 404;
  // A failed background refresh keeps the last data on screen; only a first load that failed,
  // or a server that is gone, replaces the page.
  if (server.isError && (missing || !server.data)) {
    return (
      <main className="page" id="main">
        <Notice tone="error" title={missing ? "No such server" : "Could not load this server"}>
          {missing ? `There is no server with id “${id}”.` : server.error.message}{" "}
          <Link to="/">Back to all servers</Link>
        </Notice>
      </main>
    );
  }

  const data = server.data;
  const series = fsHistory.data?.filesystems[0];
  return (
    <main className="page" id="main">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to="/">All servers</Link>
      </nav>
      {server.isError ? (
        <Notice tone="error">Refresh failed: {server.error.message}. Showing the last data.</Notice>
      ) : null}
      <div className="page__title-row">
        <div>
          <h1>{serverName(data)}</h1>
          <p className="muted">
            <StatusBadge status={data.status} /> {data.hostname} · last seen{" "}
            {formatAgo(data.last_seen_at)}
          </p>
        </div>
        <ServerActions key={data.id} server={data} />
      </div>
      <div className="range-row">
        <SegmentedControl
          label="History range"
          options={CHART_RANGES}
          value={range}
          onChange={(value) => update("range", value)}
        />
        {metrics.data ? (
          <span className="muted small">resolution: {metrics.data.resolution}</span>
        ) : null}
      </div>
      {metrics.isError ? (
        <Notice tone="error">Metrics history: {metrics.error.message}</Notice>
      ) : null}
      <div className="widget-grid">
        <MetricWidgets
          latest={data.latest_metrics}
          history={metrics.data}
          loading={metrics.isPending}
          stale={metrics.isPlaceholderData}
        />
        <SystemInfoCard server={data} />
        <DiskUsageCard
          filesystems={filesystems}
          domains={data.capacity_domains}
          selectedMount={selectedMount}
          onSelect={selectMount}
        />
        <Widget
          title="Filesystem history"
          className="widget--wide"
          aside={selectedMount ? <span className="mono">{selectedMount}</span> : null}
        >
          {selectedMount === null ? (
            <p className="muted">Select a filesystem to see its history.</p>
          ) : fsHistory.isError ? (
            <Notice tone="error">{fsHistory.error.message}</Notice>
          ) : series && fsHistory.data ? (
            // While another filesystem or range loads, the previous chart stays, dimmed.
            <div
              className={fsHistory.isPlaceholderData ? "is-stale" : undefined}
              aria-busy={fsHistory.isPlaceholderData}
            >
              <FilesystemHistoryChart
                series={series}
                resolution={fsHistory.data.resolution}
                horizonSeconds={FORECAST_HORIZON_SECONDS[range]}
                startAt={fsHistory.data.start_at}
              />
            </div>
          ) : (
            <p className="muted">
              {fsHistory.isPending ? "Loading history…" : "No history for this filesystem."}
            </p>
          )}
        </Widget>
      </div>
    </main>
  );
}

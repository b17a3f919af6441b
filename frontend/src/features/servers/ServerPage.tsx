import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo, type ReactNode } from "react";
import { HubUnreachable } from "../../components/ui/HubUnreachable";
import { MiddleEllipsis } from "../../components/ui/MiddleEllipsis";
import { Link, useParams, useSearchParams } from "react-router-dom";
import { ApiError } from "../../api/client";
import { Notice } from "../../components/ui/Notice";
import { SegmentedControl } from "../../components/ui/SegmentedControl";
import { StatusBadge, statusOf } from "../../components/ui/StatusBadge";
import { Widget } from "../../components/ui/Widget";
import {
  CHART_RANGES,
  FORECAST_HORIZON_SECONDS,
  PROJECTION_SHARE,
  chartWindow,
  isChartRange,
  toSeconds,
  type ChartRange,
} from "./chartData";
import { DiskAlertSlot, DiskDrivesSlot } from "./diskAlertSlot";
import { DiskUsageCard } from "./DiskUsageCard";
import { visibleFilesystems } from "./diskList";
import { FilesystemHistoryChart } from "./FilesystemHistoryChart";
import { MetricWidgets } from "./MetricWidgets";
import { ServerActions } from "./ServerActions";
import { SystemInfoCard } from "./SystemInfoCard";
import { serverName } from "./fleet";
import { VanishedFilesystems } from "./VanishedFilesystems";
import { formatAgo, formatDateTime } from "../../lib/format";
import { useOfflineAfterSeconds } from "../../lib/health";
import { freshness } from "../../lib/thresholds";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { filesystemMetricsQuery, serverMetricsQuery, serverQuery } from "./queries";
import type { FilesystemRead, ServerRead } from "../../types/server";
import "./servers.css";

/** The fullest filesystem that answers: the one worth looking at first. */
function defaultMount(filesystems: FilesystemRead[] | null): string | null {
  const ranked = visibleFilesystems(filesystems ?? [], "", "fullest");
  return (ranked.find((fs) => fs.state === "ok") ?? ranked[0])?.mount_point ?? null;
}

/**
 * Choosing a disk shows its chart: beside the list on a wide screen (already in view), under
 * it on a narrower one, where the page scrolls to it when it is not on screen.
 */
function revealChart(): void {
  const chart = document.getElementById("widget-filesystem-history");
  if (!chart) return;
  const { top, bottom } = chart.getBoundingClientRect();
  if (top >= 0 && bottom <= window.innerHeight) return;
  chart.scrollIntoView({ behavior: "smooth", block: "start" });
}

interface ServerPageProps {
  /** Each disk's alert state and menu, inside its row (the app supplies the alerts part). */
  diskAlert?: (serverId: string, mountPoint: string) => ReactNode;
  /** More actions after Rename and Delete (the app puts Rotate token here). */
  extraActions?: (server: ServerRead) => ReactNode;
  /** The health of the drives under a disk, inside its row (the app supplies the drives part). */
  diskDrives?: (drives: ServerDrives, mountPoint: string) => ReactNode;
  /** The server's drives and pools, after the disks (the app supplies the drives part). */
  drivesSection?: (server: ServerRead) => ReactNode;
  /** More about the selected disk, after the disks and its history (the app puts What grew here). */
  filesystemDetail?: (serverId: string, mountPoint: string) => ReactNode;
}

type ServerDrives = NonNullable<ServerRead["drives"]>;
const NO_DRIVES: ServerDrives = [];

/**
 * One server, disks first: every filesystem with its alert state (problems on top) beside the
 * history of the selected one, then the CPU, memory, load and network charts and the system
 * facts. Colours follow the levels of the nearest `LevelsContext` (the built-in ones without).
 */
export function ServerPage({
  diskAlert,
  extraActions,
  diskDrives,
  drivesSection,
  filesystemDetail,
}: ServerPageProps) {
  const { id = "" } = useParams();
  const [params, setParams] = useSearchParams();
  const rangeParam = params.get("range");
  const range: ChartRange = isChartRange(rangeParam) ? rangeParam : "24h";

  const server = useQuery(serverQuery(id));
  const offlineAfter = useOfflineAfterSeconds();
  const metrics = useQuery(serverMetricsQuery(id, range));
  const filesystems = server.data?.filesystems ?? null;
  const selectedMount = params.get("fs") ?? defaultMount(filesystems);
  const fsHistory = useQuery({
    ...filesystemMetricsQuery(id, selectedMount ?? "", range),
    enabled: selectedMount !== null,
  });

  const update = useCallback(
    (name: string, value: string, replace: boolean) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          next.set(name, value);
          return next;
        },
        { replace },
      ),
    [setParams],
  );
  const selectMount = useCallback(
    (mount: string) => {
      update("fs", mount, true);
      revealChart();
    },
    [update],
  );
  useDocumentTitle(server.data ? serverName(server.data) : id);
  const alertSlot = useMemo(
    () => (diskAlert ? (mount: string) => diskAlert(id, mount) : null),
    [diskAlert, id],
  );
  // Rows are memoised: the slot changes only when the drives do (a refresh keeps equal data).
  const drives = server.data?.drives ?? NO_DRIVES;
  const drivesSlot = useMemo(
    () => (diskDrives && drives.length ? (mount: string) => diskDrives(drives, mount) : null),
    [diskDrives, drives],
  );

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
  // A mounted disk of the list (not one missing or vanished) has more to show about it.
  const detailMount = filesystems?.find(
    (fs) => fs.mount_point === selectedMount && fs.state !== "missing",
  )?.mount_point;
  const shown = statusOf(freshness(data, Date.now(), offlineAfter));
  // The first failure among the page's queries: the data on screen is from before it.
  const failed = [server, metrics, fsHistory].find((q) => q.isError && q.data !== undefined);
  return (
    <main className="page" id="main">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to="/">All servers</Link>
      </nav>
      {failed?.error ? (
        <HubUnreachable error={failed.error} updatedAt={failed.dataUpdatedAt} />
      ) : null}
      <div className="page__title-row">
        <div>
          <h1>{serverName(data)}</h1>
          <p className="muted">
            <StatusBadge status={shown} /> {data.hostname} · last seen{" "}
            <time dateTime={data.last_seen_at ?? undefined}>{formatAgo(data.last_seen_at)}</time>
            {shown === "stale" && data.latest_heartbeat_at
              ? ` · newest data from ${formatDateTime(data.latest_heartbeat_at)}`
              : ""}
          </p>
        </div>
        <ServerActions key={data.id} server={data} extra={extraActions?.(data)} />
      </div>
      {data.budget_warning ? (
        <Notice tone="warning" title="This server went over a budget of the hub">
          <span data-testid="budget-warning">{data.budget_warning}</span>
          {data.budget_warning_at ? (
            <span className="muted">
              {" "}
              (last at {formatDateTime(data.budget_warning_at)}, {formatAgo(data.budget_warning_at)}
              )
            </span>
          ) : null}
        </Notice>
      ) : null}
      <div className="range-row">
        <SegmentedControl
          label="History range"
          options={CHART_RANGES}
          value={range}
          onChange={(value) => update("range", value, false)}
        />
        {metrics.data ? (
          <span className="muted small">resolution: {metrics.data.resolution}</span>
        ) : null}
      </div>
      <DiskAlertSlot.Provider value={alertSlot}>
        <DiskDrivesSlot.Provider value={drivesSlot}>
          <div className="disk-area">
            <DiskUsageCard
              filesystems={filesystems}
              domains={data.capacity_domains}
              selectedMount={selectedMount}
              onSelect={selectMount}
              vanished={
                <VanishedFilesystems
                  serverId={data.id}
                  vanished={data.vanished_filesystems ?? []}
                  selectedMount={selectedMount}
                  onSelect={selectMount}
                />
              }
            />
            <Widget
              title="Filesystem history"
              className="widget--history"
              aside={
                selectedMount ? <MiddleEllipsis className="mono" text={selectedMount} /> : null
              }
            >
              {selectedMount === null ? (
                <p className="muted">Select a filesystem to see its history.</p>
              ) : fsHistory.isError && !fsHistory.data ? (
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
                    view={chartWindow(fsHistory.data)}
                    horizonSeconds={FORECAST_HORIZON_SECONDS[range]}
                    projectSeconds={
                      PROJECTION_SHARE *
                      (toSeconds(fsHistory.data.end_at) - toSeconds(fsHistory.data.start_at))
                    }
                  />
                </div>
              ) : (
                <p className="muted">
                  {fsHistory.isPending ? "Loading history…" : "No history for this filesystem."}
                </p>
              )}
            </Widget>
          </div>
        </DiskDrivesSlot.Provider>
      </DiskAlertSlot.Provider>
      {detailMount && filesystemDetail ? filesystemDetail(data.id, detailMount) : null}
      {drivesSection?.(data)}
      <h2 className="section-title">CPU, memory, load and network</h2>
      {metrics.isError && !metrics.data ? (
        <Notice tone="error">Metrics history: {metrics.error.message}</Notice>
      ) : null}
      <div className="widget-grid widget-grid--compact">
        <MetricWidgets
          latest={data.latest_metrics}
          history={metrics.data}
          loading={metrics.isPending}
          stale={metrics.isPlaceholderData}
        />
        <SystemInfoCard server={data} />
      </div>
    </main>
  );
}

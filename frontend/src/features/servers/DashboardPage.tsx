import { useQuery } from "@tanstack/react-query";
import { useCallback, type ReactNode } from "react";
import { useSearchParams } from "react-router-dom";
import { HubUnreachable } from "../../components/ui/HubUnreachable";
import { Notice } from "../../components/ui/Notice";
import { EmptyFleet } from "./EmptyFleet";
import { FleetToolbar } from "./FleetToolbar";
import { ServerCard } from "./ServerCard";
import {
  isFleetSort,
  isStatusFilter,
  visibleServers,
  type FleetSort,
  type StatusFilter,
} from "./fleet";
import { useOfflineAfterSeconds } from "../../lib/health";
import { useLevels } from "../../lib/levels";
import { freshness } from "../../lib/thresholds";
import { formatAgo, formatBytes } from "../../lib/format";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { serversQuery } from "./queries";
import "./servers.css";

const DEFAULT_SORT: FleetSort = "attention";

interface DashboardPageProps {
  /** Shown above the fleet (the app puts the enrollment notices here). */
  notices?: ReactNode;
  /** The way to add a first server, offered on a new install. */
  addServer?: ReactNode;
}

/**
 * The fleet: one card per server, refreshed every 30 s without clearing the screen. Filter,
 * status and sort live in the URL (`?q=&status=&sort=`), so Back and reload keep them. Colours
 * follow the levels of the nearest `LevelsContext` (the built-in ones without one).
 */
export function DashboardPage({ notices, addServer }: DashboardPageProps) {
  const servers = useQuery(serversQuery());
  const levels = useLevels();
  const offlineAfter = useOfflineAfterSeconds();
  const [params, setParams] = useSearchParams();
  const filter = params.get("q") ?? "";
  const statusParam = params.get("status");
  const status: StatusFilter = isStatusFilter(statusParam) ? statusParam : "all";
  const sortParam = params.get("sort");
  const sort: FleetSort = isFleetSort(sortParam) ? sortParam : DEFAULT_SORT;
  const setParam = useCallback(
    (name: string, value: string, fallback: string, replace: boolean) =>
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          if (value === fallback) next.delete(name);
          else next.set(name, value);
          return next;
        },
        { replace },
      ),
    [setParams],
  );
  // Typing replaces the entry (one Back leaves the page, not each keystroke); choices push one.
  const setFilter = (value: string) => setParam("q", value, "", true);
  const setStatus = (value: StatusFilter) => setParam("status", value, "all", false);
  const setSort = (value: FleetSort) => setParam("sort", value, DEFAULT_SORT, false);

  const all = servers.data?.data ?? [];
  const shown = visibleServers(all, filter, status, sort, Date.now(), levels, offlineAfter);
  const online = all.filter((s) => freshness(s, Date.now(), offlineAfter) !== "offline").length;
  useDocumentTitle("Servers");

  return (
    <main className="page" id="main">
      {notices}
      <div className="page__title-row">
        <h1>Servers</h1>
        {servers.data ? (
          <p className="muted" aria-live="polite">
            {online} of {servers.data.count} online
            {servers.data.totals?.domain_count ? (
              <span data-testid="fleet-storage">
                {" "}
                · storage {formatBytes(servers.data.totals.used_bytes)} of{" "}
                {formatBytes(servers.data.totals.total_bytes)}, each pool counted once
              </span>
            ) : null}{" "}
            · updated {formatAgo(new Date(servers.dataUpdatedAt).toISOString())}
          </p>
        ) : null}
      </div>
      {servers.isError && servers.data ? (
        <HubUnreachable error={servers.error} updatedAt={servers.dataUpdatedAt} />
      ) : null}
      {servers.isPending ? (
        <p className="muted" role="status">
          Loading servers…
        </p>
      ) : servers.isError && !servers.data ? (
        <Notice tone="error" title="Could not load servers">
          {servers.error.message}
        </Notice>
      ) : all.length === 0 ? (
        <EmptyFleet hubUrl={window.location.origin} action={addServer} />
      ) : (
        <>
          <FleetToolbar
            filter={filter}
            onFilter={setFilter}
            status={status}
            onStatus={setStatus}
            sort={sort}
            onSort={setSort}
          />
          {shown.length === 0 ? (
            <p className="muted">No server matches this filter.</p>
          ) : (
            <div className="server-grid">
              {shown.map((server) => (
                <ServerCard key={server.id} server={server} />
              ))}
            </div>
          )}
        </>
      )}
    </main>
  );
}

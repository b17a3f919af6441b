import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { Notice } from "../components/ui/Notice";
import { EmptyFleet } from "../features/servers/EmptyFleet";
import { FleetToolbar } from "../features/servers/FleetToolbar";
import { ServerCard } from "../features/servers/ServerCard";
import { visibleServers, type FleetSort, type StatusFilter } from "../features/servers/fleet";
import { formatAgo, formatBytes } from "../lib/format";
import { serversQuery } from "../queries/servers";

/** The fleet: one card per server, refreshed every 30 s without clearing the screen. */
export function DashboardPage() {
  const servers = useQuery(serversQuery());
  const [filter, setFilter] = useState("");
  const [status, setStatus] = useState<StatusFilter>("all");
  const [sort, setSort] = useState<FleetSort>("name");

  const all = servers.data?.data ?? [];
  const shown = visibleServers(all, filter, status, sort);
  const online = all.filter((s) => s.status === "online").length;

  return (
    <main className="page" id="main">
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
        <Notice tone="error">
          Refresh failed: {servers.error.message}. Showing the last data.
        </Notice>
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
        <EmptyFleet hubUrl={window.location.origin} />
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

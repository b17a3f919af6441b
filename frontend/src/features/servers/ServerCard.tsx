import { Link } from "react-router-dom";
import { PercentBar } from "../../components/ui/PercentBar";
import { StatusBadge } from "../../components/ui/StatusBadge";
import { formatAgo, formatBytes, formatDate, formatFullIn, formatPercent } from "../../lib/format";
import type { ServerSummary } from "../../types/server";
import { serverName } from "./fleet";

/** One server of the fleet: status, CPU, memory, its fullest disk and the one filling first. */
export function ServerCard({ server }: { server: ServerSummary }) {
  const name = serverName(server);
  const metrics = server.latest_metrics;
  const fullest = server.fullest_filesystem;
  const fullIn = formatFullIn(fullest?.days_until_full);
  // The fullest disk is not always the urgent one: a half-empty disk filling fast is.
  const soonest = server.soonest_full_filesystem;
  const soonestIn =
    soonest && soonest.mount_point !== fullest?.mount_point
      ? formatFullIn(soonest.days_until_full)
      : null;
  const memory =
    metrics?.memory_used_bytes != null && metrics.memory_total_bytes != null
      ? `${formatBytes(metrics.memory_used_bytes)} / ${formatBytes(metrics.memory_total_bytes)}`
      : null;

  return (
    <article className={`server-card server-card--${server.status}`} data-testid="server-card">
      <header className="server-card__header">
        <h2 className="server-card__name">
          <Link to={`/servers/${encodeURIComponent(server.id)}`} className="stretched-link">
            {name}
          </Link>
        </h2>
        <StatusBadge status={server.status} />
      </header>
      <p className="server-card__seen muted">
        {server.display_name ? `${server.hostname} · ` : ""}
        {server.status === "online" ? "seen " : "last seen "}
        <time dateTime={server.last_seen_at ?? undefined}>{formatAgo(server.last_seen_at)}</time>
      </p>
      {metrics ? (
        <dl className="server-card__metrics">
          <div>
            <dt>CPU</dt>
            <dd>{formatPercent(metrics.cpu_percent)}</dd>
          </div>
          <div>
            <dt>Memory</dt>
            <dd>
              {formatPercent(metrics.memory_percent)}
              {memory ? <span className="muted small"> {memory}</span> : null}
            </dd>
          </div>
        </dl>
      ) : (
        <p className="muted">Waiting for the first metrics.</p>
      )}
      {fullest ? (
        <div className="server-card__disk">
          <div className="server-card__disk-head">
            <span>
              Fullest: <span className="mono">{fullest.mount_point}</span>
            </span>
            <span>{formatPercent(fullest.percent, 1)}</span>
          </div>
          <PercentBar percent={fullest.percent} label={`${fullest.mount_point} on ${name} used`} />
          <p className="small muted">
            {fullIn && fullest.full_at
              ? `${fullIn} (${formatDate(fullest.full_at)})`
              : "no fill date forecast"}
            {` · ${server.filesystem_count} filesystem${server.filesystem_count === 1 ? "" : "s"}`}
          </p>
          {soonest && soonestIn && soonest.full_at ? (
            <p className="small" data-testid="fills-first">
              Fills first: <span className="mono">{soonest.mount_point}</span>, {soonestIn} (
              {formatDate(soonest.full_at)})
            </p>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

import { Link } from "react-router-dom";
import { PercentBar } from "../../components/ui/PercentBar";
import { StatusBadge, statusOf } from "../../components/ui/StatusBadge";
import { formatAgo, formatBytes, formatDate, formatPercent } from "../../lib/format";
import { useOfflineAfterSeconds } from "../../lib/health";
import { useLevels } from "../../lib/levels";
import { diskUrgency, fillLevel, usageLevel } from "../../lib/thresholds";
import type { ServerSummary } from "../../types/server";
import { serverAttention, serverName } from "./fleet";
import { fillsIn } from "./forecastText";

/**
 * One server of the fleet: status judged by the age of its data, what needs attention, CPU,
 * memory, its fullest disk and the one filling first, coloured on the one urgency scale.
 */
export function ServerCard({ server }: { server: ServerSummary }) {
  const name = serverName(server);
  const levels = useLevels();
  const attention = serverAttention(server, Date.now(), levels, useOfflineAfterSeconds());
  const shown = statusOf(attention.freshness);
  const metrics = server.latest_metrics;
  const fullest = server.fullest_filesystem;
  // The disk's own mount rule, as the hub resolved it (an expected-full backup stays calm).
  const fullestLevels = fullest?.levels ?? levels;
  const fullIn = fullest ? fillsIn(fullest) : null;
  // The fullest disk is not always the urgent one: a half-empty disk filling fast is.
  const soonest = server.soonest_full_filesystem;
  const soonestIn =
    soonest && soonest.mount_point !== fullest?.mount_point ? fillsIn(soonest) : null;
  const memory =
    metrics?.memory_used_bytes != null && metrics.memory_total_bytes != null
      ? `${formatBytes(metrics.memory_used_bytes)} / ${formatBytes(metrics.memory_total_bytes)}`
      : null;

  return (
    <article
      className={`server-card server-card--${shown} server-card--${attention.level}`}
      data-testid="server-card"
      data-attention={attention.level}
    >
      <header className="server-card__header">
        <h2 className="server-card__name">
          <Link to={`/servers/${encodeURIComponent(server.id)}`} className="stretched-link">
            {name}
          </Link>
        </h2>
        <StatusBadge status={shown} />
      </header>
      <p className="server-card__seen muted">
        {server.display_name ? `${server.hostname} · ` : ""}
        {shown === "online" ? "seen " : "last seen "}
        <time dateTime={server.last_seen_at ?? undefined}>{formatAgo(server.last_seen_at)}</time>
      </p>
      {attention.reasons.length ? (
        <p className={`server-card__attention level--${attention.level}`} data-testid="attention">
          Needs attention: {attention.reasons.join(" · ")}
        </p>
      ) : null}
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
      {server.missing_filesystem_count ? (
        <p className="server-card__missing" data-testid="missing-mounts">
          <span className="badge badge--critical">
            {server.missing_filesystem_count} missing mount
            {server.missing_filesystem_count === 1 ? "" : "s"}
          </span>
        </p>
      ) : null}
      {fullest ? (
        <div className="server-card__disk">
          <div className="server-card__disk-head">
            <span>
              Fullest: <span className="mono">{fullest.mount_point}</span>
            </span>
            <span className="server-card__percent">{formatPercent(fullest.percent, 1)}</span>
          </div>
          <PercentBar
            percent={fullest.percent}
            label={`${fullest.mount_point} on ${name} used`}
            level={usageLevel(fullest, fullestLevels)}
          />
          <p className="small">
            {fullIn && fullest.full_at ? (
              <span
                className={`level--${fillLevel(fullest.days_until_full, fullest.confident, fullestLevels)}`}
                data-testid="fullest-forecast"
                data-level={diskUrgency(fullest, fullestLevels)}
              >
                {fullIn} ({formatDate(fullest.full_at)}){fullest.confident ? "" : ", tentative"}
              </span>
            ) : (
              <span className="muted">no fill date forecast</span>
            )}
            <span className="muted">
              {` · ${server.filesystem_count} filesystem${server.filesystem_count === 1 ? "" : "s"}`}
            </span>
          </p>
          {server.capacity?.domain_count ? (
            <p className="small muted" data-testid="storage">
              Storage: {formatBytes(server.capacity.used_bytes)} of{" "}
              {formatBytes(server.capacity.total_bytes)} in {server.capacity.domain_count}{" "}
              {server.capacity.domain_count === 1 ? "pool or disk" : "pools and disks"}
            </p>
          ) : null}
          {soonest && soonestIn && soonest.full_at ? (
            <p
              className={`small level--${fillLevel(soonest.days_until_full, soonest.confident, levels)}`}
              data-testid="fills-first"
            >
              Fills first: <span className="mono">{soonest.mount_point}</span>, {soonestIn} (
              {formatDate(soonest.full_at)}){soonest.confident ? "" : ", tentative"}
            </p>
          ) : null}
        </div>
      ) : null}
    </article>
  );
}

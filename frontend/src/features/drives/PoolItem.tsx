import { formatAgo, formatDate } from "../../lib/format";
import { poolDeviceErrors, poolScan } from "./health";
import type { PoolRead } from "./types";

const POOL_LEVEL = { critical: "critical", warning: "warning", ok: "ok", unknown: "neutral" };

/** "scrub finished 12 days ago, 0 errors" / "scrub 42 % done" / "never scrubbed". */
function scrubText(pool: PoolRead): string | null {
  if (pool.kind !== "zfs") return null;
  const scan = poolScan(pool);
  if (!scan) return "never scrubbed";
  const what = scan.function ?? "scan";
  if (scan.state === "scanning") {
    const done = scan.progress_percent != null ? ` ${scan.progress_percent.toFixed(0)} % done` : "";
    return `${what} running${done}`;
  }
  const ended = scan.ended_at ? ` ${formatAgo(scan.ended_at)} (${formatDate(scan.ended_at)})` : "";
  const errors = scan.errors != null ? `, ${scan.errors} errors` : "";
  return `${what} ${scan.state ?? "ended"}${ended}${errors}`;
}

/** One ZFS pool, md array or btrfs filesystem: state, device errors, last scrub, reasons. */
export function PoolItem({ pool }: { pool: PoolRead }) {
  const level = POOL_LEVEL[pool.health];
  const errors = poolDeviceErrors(pool);
  const scrub = scrubText(pool);
  return (
    <li
      className={`drive-item drive-item--${level}`}
      data-testid="pool-item"
      data-health={pool.health}
    >
      <div className="drive-item__head">
        <h3 className="drive-item__name">
          {pool.name} <span className="muted small">({pool.kind})</span>
        </h3>
        <span className={`drive-badge drive-badge--${level}`}>{pool.state}</span>
      </div>
      <p className="drive-item__facts muted small">
        device errors: {errors.read} read, {errors.write} write, {errors.checksum} checksum
        {errors.other ? `, ${errors.other} other` : ""}
        {scrub ? ` · ${scrub}` : ""}
        {pool.degraded_since ? ` · degraded since ${formatAgo(pool.degraded_since)}` : ""}
      </p>
      {pool.reasons.length ? (
        <ul className={`drive-item__reasons drive-item__reasons--${level}`}>
          {pool.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

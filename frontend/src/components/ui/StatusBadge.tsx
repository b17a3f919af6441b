export type ShownStatus = "online" | "offline" | "stale";

const LABELS: Record<ShownStatus, string> = {
  online: "Online",
  offline: "Offline",
  stale: "Stale",
};

interface StatusBadgeProps {
  status: ShownStatus;
}

export function StatusBadge({ status }: StatusBadgeProps) {
  return (
    <span className={`status status--${status}`} data-status={status}>
      <span className="status__dot" aria-hidden="true" />
      {LABELS[status]}
    </span>
  );
}

/** The badge for a server's freshness as the browser judges it (see lib/thresholds). */
export const statusOf = (freshness: "fresh" | "stale" | "offline"): ShownStatus =>
  freshness === "fresh" ? "online" : freshness;

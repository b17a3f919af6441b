import type { AlertRead } from "./types";

/** Severity as a word and a colour: critical, warning, or unknown while the server is offline. */
export function SeverityTag({ alert }: { alert: AlertRead }) {
  const tone = alert.unknown ? "unknown" : alert.severity;
  return (
    <span className={`severity-tag severity-tag--${tone}`}>
      {alert.unknown ? `${alert.severity} · unknown` : alert.severity}
    </span>
  );
}

export const KIND_LABELS: Record<AlertRead["kind"], string> = {
  disk_used: "Disk used",
  time_to_full: "Fills soon",
  inodes_time_to_full: "Inodes run out soon",
  inodes_used: "Inodes used",
  read_only: "Read-only",
  unreachable: "Not answering",
  vanished: "Vanished",
  missing: "Not mounted",
  server_offline: "Server offline",
  drive_health: "Drive health",
  pool_degraded: "Pool degraded",
  pool_faulted: "Pool faulted",
  pool_errors: "Pool errors",
  scrub_overdue: "Scrub overdue",
  scrub_errors: "Scrub found errors",
};

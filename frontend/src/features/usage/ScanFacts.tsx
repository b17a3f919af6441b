import { Notice } from "../../components/ui/Notice";
import { formatAgo, formatBytes, formatDateTime } from "../../lib/format";
import type { UsageScanBrief, UsageScanLatest, UsageScanRequestProgress } from "./types";
import { formatCount, formatDuration, partialText, progressText } from "./usageText";

/**
 * When the latest scan was taken and what it cost: its duration, the entries it read, whether a
 * budget stopped it, and the directories it could not read.
 */
export function ScanFacts({ scan }: { scan: UsageScanLatest }) {
  const partial = partialText(scan);
  return (
    <div className="usage-facts" data-testid="scan-facts">
      <p className="usage-facts__line">
        Scanned{" "}
        <time dateTime={scan.taken_at} title={formatDateTime(scan.taken_at)}>
          {formatDateTime(scan.taken_at)} ({formatAgo(scan.taken_at)})
        </time>{" "}
        · took {formatDuration(scan.duration_seconds)} · {formatCount(scan.entries)} entries
        {` · ${formatBytes(scan.total_bytes)}`}
      </p>
      {partial ? (
        <p className="usage-facts__partial" data-testid="scan-partial">
          {partial} (the sizes count only what it reached)
        </p>
      ) : null}
      {scan.unreadable > 0 ? (
        <p className="usage-facts__unreadable" data-testid="scan-unreadable">
          {formatCount(scan.unreadable)} {scan.unreadable === 1 ? "directory" : "directories"} could
          not be read (not counted).
        </p>
      ) : null}
    </div>
  );
}

/** Why the newest scan could not run (the mount gone, a network filesystem not enabled…). */
export function ScanFailure({ scan }: { scan: UsageScanBrief }) {
  return (
    <Notice tone="error" title={`The last scan failed (${formatDateTime(scan.taken_at)})`}>
      <span data-testid="scan-error">{scan.error}</span>
    </Notice>
  );
}

/** An open request: waiting for the agent's next heartbeat, then scanning, with its count. */
export function ScanProgress({ request, now }: { request: UsageScanRequestProgress; now: number }) {
  return (
    <p
      className="usage-progress"
      role="status"
      data-testid="scan-progress"
      data-state={request.state}
    >
      <span className="usage-progress__spinner" aria-hidden="true" />
      {progressText(request, now)}
    </p>
  );
}

/** The scans the hub keeps of this filesystem, newest first. */
export function ScanHistory({ scans }: { scans: UsageScanBrief[] }) {
  if (scans.length < 2) return null;
  return (
    <details className="usage-history">
      <summary>Scans kept ({scans.length})</summary>
      <ul>
        {scans.map((scan) => (
          <li key={scan.taken_at}>
            {formatDateTime(scan.taken_at)} · {formatDuration(scan.duration_seconds)} ·{" "}
            {formatCount(scan.entries)} entries
            {scan.error ? ` · failed: ${scan.error}` : ""}
            {partialText(scan) ? ` · ${partialText(scan)}` : ""}
          </li>
        ))}
      </ul>
    </details>
  );
}

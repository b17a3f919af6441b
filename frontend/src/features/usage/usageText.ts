import { formatAgo } from "../../lib/format";
import type { UsageScanBrief, UsageScanRequestProgress } from "./types";

/** 45678 → "45,678" (the browser's grouping). */
export const formatCount = (n: number): string => n.toLocaleString();

/** "0.8 s", "12 s", "4 min 10 s", "1 h 5 min". */
export function formatDuration(seconds: number): string {
  if (seconds < 10) return `${seconds.toFixed(1)} s`;
  if (seconds < 60) return `${Math.round(seconds)} s`;
  if (seconds < 3600) {
    const whole = Math.round(seconds);
    const rest = whole % 60;
    return `${Math.floor(whole / 60)} min${rest ? ` ${rest} s` : ""}`;
  }
  const minutes = Math.round(seconds / 60);
  const rest = minutes % 60;
  return `${Math.floor(minutes / 60)} h${rest ? ` ${rest} min` : ""}`;
}

/** A time budget in words: 300 → "5-minute", 45 → "45-second". */
function budgetName(seconds: number): string {
  if (seconds >= 60) return `${Math.round(seconds / 60)}-minute`;
  return `${Math.round(seconds)}-second`;
}

/**
 * Why a scan is a partial picture, or null for a complete one. The scan stops when it reaches a
 * budget, so the time it took (or the entries it read) is that budget.
 */
export function partialText(
  scan: Pick<UsageScanBrief, "stopped_by" | "duration_seconds" | "entries">,
): string | null {
  if (scan.stopped_by === "time") {
    return `partial: stopped at the ${budgetName(scan.duration_seconds)} budget`;
  }
  if (scan.stopped_by === "entries") {
    return `partial: stopped at the budget of ${formatCount(scan.entries)} entries`;
  }
  return null;
}

/** "10 s ago", "3 min ago", then as the rest of the UI says it ("2 h ago"). */
export function secondsAgo(iso: string, now: number): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds} s ago`;
  return formatAgo(iso, now);
}

/** Where an open scan request is: waiting for the agent to take it, or scanning. */
export function progressText(request: UsageScanRequestProgress, now: number): string {
  if (request.state === "running" || request.started_at) {
    const entries = request.entries ?? 0;
    const since = request.started_at ? `, started ${secondsAgo(request.started_at, now)}` : "";
    return `scanning: ${formatCount(entries)} entries so far${since}`;
  }
  const by = request.requested_by === "forecast" ? " by the fill-date forecast" : "";
  return `requested ${secondsAgo(request.requested_at, now)}${by}, waiting for the agent's next heartbeat`;
}

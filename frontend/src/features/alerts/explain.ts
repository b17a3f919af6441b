import { formatBytes, formatDate } from "../../lib/format";
import type { AlertRead, EffectiveLevels, Severity, SilenceRead } from "./types";

const SEVERITY_RANK: Record<Severity, number> = { critical: 2, warning: 1 };
const since = (a: AlertRead) => Date.parse(a.fired_at ?? a.started_at);

/** Critical before warning, then the newest first. */
export function bySeverityThenAge(a: AlertRead, b: AlertRead): number {
  return SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || since(b) - since(a);
}

const num = (figures: AlertRead["figures"], key: string): number | null => {
  const v = figures?.[key];
  return typeof v === "number" && Number.isFinite(v) ? v : null;
};
const text = (figures: AlertRead["figures"], key: string): string | null => {
  const v = figures?.[key];
  return typeof v === "string" && v ? v : null;
};

/** "2026-12-07", or "between 2026-12-05 and 2026-12-09" only when the range is a range. */
function fillDates(figures: AlertRead["figures"]): string {
  const full = text(figures, "full_at");
  const earliest = text(figures, "full_at_earliest");
  const latest = text(figures, "full_at_latest");
  const day = (iso: string | null) => (iso ? formatDate(iso) : null);
  const range =
    earliest && latest && day(earliest) !== day(latest)
      ? `, between ${day(earliest)} and ${day(latest)}`
      : "";
  return full ? `${day(full)}${range}` : "";
}

export interface Explanation {
  /** The rule and the threshold that fired, with the figures. */
  why: string;
  /** What to do about it. */
  todo: string;
}

/**
 * Why an alert fired, in words (the rule, its threshold in force for the mount, the figures),
 * and what to do. `levels` are the mount's levels in force (`GET …/filesystems/settings`);
 * without them the threshold is left out.
 */
export function explainAlert(alert: AlertRead, levels?: EffectiveLevels | null): Explanation {
  const f = alert.figures;
  const critical = alert.severity === "critical";
  const free = num(f, "free_bytes");
  const size = num(f, "size_bytes");
  const percent = num(f, "percent");
  const space =
    percent !== null && free !== null && size !== null
      ? `${percent.toFixed(1)} % used, ${formatBytes(free)} free of ${formatBytes(size)}`
      : "";
  switch (alert.kind) {
    case "disk_used": {
      const level = levels ? (critical ? levels.crit_percent : levels.warn_percent) : null;
      const rule =
        levels?.mode === "expected_full"
          ? "expected full: almost out of space"
          : level !== null
            ? `${alert.severity} at ${level} % used`
            : `${alert.severity} level of used space`;
      return {
        why: `${rule}${space ? ` — ${space}` : ""}`,
        todo: "Free space or grow the disk; a disk meant to be full can be set to Expected full on its server page.",
      };
    }
    case "time_to_full": {
      const days = num(f, "days_left");
      const horizon = levels ? (critical ? levels.crit_days : levels.warn_days) : null;
      const rule =
        horizon !== null ? `fills within ${horizon} days (${alert.severity})` : "fills soon";
      // The hub dated it by the storage it shares (a pool its other datasets fill too).
      const shared = text(f, "fills_with");
      const when =
        days !== null
          ? `${shared ? `with ${shared}, ` : ""}in about ${days.toFixed(1)} days, ${fillDates(f)}`
          : "";
      return {
        why: `${rule}${when ? ` — ${when}` : ""}${space ? `; ${space}` : ""}`,
        todo: shared
          ? `It fills when ${shared} does: find what writes to any mount of it (each one's chart shows its growth) and prune it, or add space to ${shared} before the date.`
          : "Find what writes to it (its chart shows the growth) and prune it, or add space before the date.",
      };
    }
    case "inodes_time_to_full":
    case "inodes_used": {
      const days = num(f, "days_left");
      const freeInodes = num(f, "inodes_free");
      const total = num(f, "inodes_total");
      const parts = [
        days !== null ? `out of inodes in about ${days.toFixed(1)} days, ${fillDates(f)}` : "",
        freeInodes !== null && total !== null
          ? `${freeInodes.toLocaleString()} of ${total.toLocaleString()} inodes free`
          : "",
      ].filter(Boolean);
      const level =
        alert.kind === "inodes_used" && levels
          ? `${alert.severity} at ${critical ? levels.inodes_crit_percent : levels.inodes_warn_percent} % of inodes`
          : "inodes running out";
      return {
        why: `${level}${parts.length ? ` — ${parts.join("; ")}` : ""}`,
        todo: "Too many small files: clear caches, old logs, mail or build directories.",
      };
    }
    case "read_only":
      return {
        why: "the filesystem was remounted read-only",
        todo: "Usually after disk errors: check `dmesg` and the disk's SMART status before remounting.",
      };
    case "unreachable":
      return {
        why: "the mount does not answer",
        todo: "A hung network share or a failing disk: check the server, the share or the device.",
      };
    case "missing":
      return {
        why: "an expected mount is not mounted",
        todo: "Mount it, or check the disk is plugged in; writes meanwhile land on the parent filesystem.",
      };
    case "vanished":
      return {
        why: "the disk stopped reporting",
        todo: "If it was removed on purpose, dismiss it on the server page.",
      };
    case "server_offline":
      return {
        why: "the hub has not heard from the agent",
        todo: "Check the host is up and `systemctl status homelab-agent` on it.",
      };
    // Drive and pool alerts: the hub's message already names the drive or pool, the rule and
    // the change; the reasons it judged by are in the figures.
    case "drive_health":
      return {
        why: hubWords(alert),
        todo: critical
          ? "Back up what lives on it now and replace the drive; its server page lists the filesystems on it."
          : "Watch the count on the drive's history; acknowledge to be told only when it changes again.",
      };
    case "pool_degraded":
    case "pool_faulted":
      return {
        why: hubWords(alert),
        todo: "Replace or reattach the failed member (`zpool status` / `mdadm --detail`) and let it resilver.",
      };
    case "pool_errors":
    case "scrub_errors":
      return {
        why: hubWords(alert),
        todo: "Check the listed devices and cables, run a scrub, then `zpool clear` once they are fixed.",
      };
    case "scrub_overdue":
      return {
        why: hubWords(alert),
        todo: "Start a scrub (`zpool scrub`), and schedule one at least monthly.",
      };
  }
}

/** A drive's reasons as the hub judged them, else the hub's text for a pool, else its message. */
function hubWords(alert: AlertRead): string {
  const list = alert.figures?.["reasons"];
  const reasons = Array.isArray(list) ? list.filter((r) => typeof r === "string") : [];
  return reasons.join("; ") || text(alert.figures, "text") || alert.message;
}

/** A shell glob as the hub reads it (fnmatch: `*` and `?` match `/` too, `[…]` a class). */
function globMatches(pattern: string, value: string): boolean {
  let source = "";
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern[i]!;
    if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 2);
      if (end < 0) source += "\\[";
      else {
        let body = pattern.slice(i + 1, end).replace(/\\/g, "\\\\");
        if (body.startsWith("!")) body = `^${body.slice(1)}`;
        source += `[${body}]`;
        i = end;
      }
    } else source += c.replace(/[.+^${}()|\\\]]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s").test(value);
}

/** The active silence that mutes an alert, if any: same server, and all its mounts or a match. */
export function silenceOf(
  alert: Pick<AlertRead, "server_id" | "mount_point">,
  silences: SilenceRead[],
  now: number = Date.now(),
): SilenceRead | null {
  return (
    silences.find(
      (s) =>
        s.server_id === alert.server_id &&
        Date.parse(s.ends_at) > now &&
        (s.mount_pattern === null ||
          (alert.mount_point !== null &&
            (s.mount_pattern === alert.mount_point ||
              globMatches(s.mount_pattern, alert.mount_point)))),
    ) ?? null
  );
}

import type { HistoryRange } from "../types/server";

/**
 * Query keys of the servers resource. They live here, below the features, because more than
 * one feature invalidates them: renaming a server (servers) and rotating its token (enroll)
 * both refresh every server view.
 */
export const serverKeys = {
  all: ["servers"] as const,
  list: () => [...serverKeys.all, "list"] as const,
  detail: (id: string) => [...serverKeys.all, "detail", id] as const,
  metrics: (id: string, range: HistoryRange) => [...serverKeys.all, "metrics", id, range] as const,
  filesystemMetrics: (id: string, mountPoint: string, range: HistoryRange) =>
    [...serverKeys.all, "filesystem-metrics", id, mountPoint, range] as const,
};

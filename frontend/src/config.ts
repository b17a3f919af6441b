/** Runtime settings from the build environment; nothing secret lives here. */
export const config = {
  apiBase: import.meta.env.VITE_API_BASE ?? "/api/v1",
  /** How often live views poll the hub. */
  refreshMs: 30_000,
} as const;

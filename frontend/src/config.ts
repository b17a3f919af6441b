/** Runtime settings from the build environment; nothing secret lives here. */
export const config = {
  /** Where the hub is when the UI is served from elsewhere; empty: the same origin. */
  hubUrl: import.meta.env.VITE_HUB_URL ?? "",
  /** How often live views poll the hub. */
  refreshMs: 30_000,
} as const;

import { useQuery } from "@tanstack/react-query";
import { useMemo, type ReactNode } from "react";
import { LevelsContext, type LevelsScope } from "../../lib/levels";
import { DEFAULT_LEVELS } from "../../lib/thresholds";
import { alertLevelsQuery, mountSettingsQuery } from "./queries";

/**
 * The alert levels in force for what a page shows, for everything under it to colour by
 * (`useLevels` in lib/levels.ts): the fleet's, or one server's with each mount's own as the hub
 * resolves its mount rules. The built-in levels until the hub answers.
 */
export function LevelsProvider({ serverId, children }: { serverId?: string; children: ReactNode }) {
  const levels = useQuery(alertLevelsQuery(serverId)).data ?? DEFAULT_LEVELS;
  const mountLevels = useQuery({
    ...mountSettingsQuery(serverId ?? ""),
    enabled: serverId !== undefined,
  }).data?.mounts;
  const scope = useMemo<LevelsScope>(
    () => ({
      base: levels,
      byMount: new Map((mountLevels ?? []).map((m) => [m.mount_point, m.effective] as const)),
    }),
    [levels, mountLevels],
  );
  return <LevelsContext.Provider value={scope}>{children}</LevelsContext.Provider>;
}

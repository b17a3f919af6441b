import { createContext, useContext } from "react";
import { DEFAULT_LEVELS, type Levels } from "./thresholds";

export interface LevelsScope {
  /** The levels of the fleet, or of the server the page shows. */
  base: Levels;
  /**
   * The levels in force for each filesystem, as the hub resolves its mount rules
   * (`GET /servers/{id}/filesystems/settings`, `mounts`): expected-full backups, ignored mounts.
   */
  byMount: ReadonlyMap<string, Levels>;
}

/** The alert levels in force for what the page shows; the built-in ones until the hub answers. */
export const LevelsContext = createContext<LevelsScope>({
  base: DEFAULT_LEVELS,
  byMount: new Map(),
});

/** The levels for a mount of the page's server: its own, else the server's (or fleet's). */
export function levelsFor(scope: LevelsScope, mountPoint?: string): Levels {
  return (mountPoint === undefined ? undefined : scope.byMount.get(mountPoint)) ?? scope.base;
}

export const useLevels = (mountPoint?: string): Levels =>
  levelsFor(useContext(LevelsContext), mountPoint);

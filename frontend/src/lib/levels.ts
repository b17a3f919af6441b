import { createContext, useContext } from "react";
import { DEFAULT_LEVELS, type Levels } from "./thresholds";

/** The alert levels in force for what the page shows; the built-in ones until the hub answers. */
export const LevelsContext = createContext<Levels>(DEFAULT_LEVELS);

export const useLevels = (): Levels => useContext(LevelsContext);

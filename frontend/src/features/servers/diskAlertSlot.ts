import { createContext, useContext, type ReactNode } from "react";

/**
 * What a disk row shows of its alerts (state, levels, the menu to change them). The servers
 * feature does not know alerts: the app passes a renderer to the server page, which provides
 * it here for every row of the disk list.
 */
export type DiskAlertRenderer = (mountPoint: string) => ReactNode;

export const DiskAlertSlot = createContext<DiskAlertRenderer | null>(null);

export const useDiskAlertSlot = (): DiskAlertRenderer | null => useContext(DiskAlertSlot);

/**
 * The health of the drives under a disk (a badge with the drives and their reasons), in its row
 * beside the alert state. The servers feature does not know drives: the app supplies it.
 */
export type DiskDrivesRenderer = (mountPoint: string) => ReactNode;

export const DiskDrivesSlot = createContext<DiskDrivesRenderer | null>(null);

export const useDiskDrivesSlot = (): DiskDrivesRenderer | null => useContext(DiskDrivesSlot);

import { useParams } from "react-router-dom";
import { DiskAlertState } from "../features/alerts/DiskAlertState";
import { DriveHealthBadge } from "../features/drives/DriveHealthBadge";
import { DrivesSection } from "../features/drives/DrivesSection";
import { LevelsProvider } from "../features/alerts/LevelsProvider";
import { AddServerButton } from "../features/enroll/AddServerDialog";
import { LegacyKeyPanel } from "../features/enroll/LegacyKeyPanel";
import { PlainHttpPanel } from "../features/enroll/PlainHttpPanel";
import { RotateToken } from "../features/enroll/RotateToken";
import { DashboardPage } from "../features/servers/DashboardPage";
import { serverName } from "../features/servers/fleet";
import { ServerPage } from "../features/servers/ServerPage";
import { WhatGrew } from "../features/usage/WhatGrew";
import type { ServerRead } from "../types/server";

// Features do not import each other: where a page of one shows parts of another, the app
// composes them here, and the alerts feature supplies the levels the pages colour by.

/** The fleet on the alert levels in force, with the enrollment notices and Add server. */
export function DashboardRoute() {
  return (
    <LevelsProvider>
      <DashboardPage
        notices={
          <>
            <LegacyKeyPanel />
            <PlainHttpPanel />
          </>
        }
        addServer={<AddServerButton />}
      />
    </LevelsProvider>
  );
}

/** Each disk row's alert state and menu, from the alerts feature (stable: rows are memoised). */
const diskAlert = (serverId: string, mountPoint: string) => (
  <DiskAlertState serverId={serverId} mountPoint={mountPoint} />
);

/** The health of the drives under each disk, from the drives feature. */
const diskDrives = (drives: NonNullable<ServerRead["drives"]>, mountPoint: string) => (
  <DriveHealthBadge drives={drives} mountPoint={mountPoint} />
);

/** The server's drives and pools, after its disks. */
const drivesSection = (server: ServerRead) => (
  <DrivesSection drives={server.drives ?? []} pools={server.pools ?? []} />
);

/** What grew on the selected disk (its usage scans), after the disks, from the usage feature. */
const whatGrew = (serverId: string, mountPoint: string) => (
  <WhatGrew key={mountPoint} serverId={serverId} mountPoint={mountPoint} />
);

/**
 * One server on its own and its mounts' alert levels, with its disk alerts, the drives under
 * each disk, its drives and pools, what grew on the selected disk, and Rotate token.
 */
export function ServerRoute() {
  const { id = "" } = useParams();
  return (
    <LevelsProvider serverId={id}>
      <ServerPage
        diskAlert={diskAlert}
        diskDrives={diskDrives}
        drivesSection={drivesSection}
        filesystemDetail={whatGrew}
        extraActions={(server) => <RotateToken serverId={server.id} name={serverName(server)} />}
      />
    </LevelsProvider>
  );
}

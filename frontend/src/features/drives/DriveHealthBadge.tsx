import { useId } from "react";
import { driveLabel, drivesOfMount, healthLevel } from "./health";
import type { DriveRead } from "./types";
import "./drives.css";

interface Props {
  /** The server's drives (each lists the mount points on it). */
  drives: readonly DriveRead[];
  mountPoint: string;
}

/**
 * The health of the drives under one filesystem, as a small badge in its row of the disk list
 * (the worst drive's word, red when one is failing). Hovering or focusing it names each drive
 * and its reasons; it links to the drive in the page's "Drives and pools" section.
 */
export function DriveHealthBadge({ drives, mountPoint }: Props) {
  const tipId = useId();
  const under = drivesOfMount(drives, mountPoint);
  const worst = under[0];
  if (!worst) return null;
  const count = under.length > 1 ? ` · ${under.length} drives` : "";
  return (
    <span className="drive-badge-wrap">
      <a
        href={`#drive-${worst.id}`}
        className={`drive-badge drive-badge--${healthLevel(worst.health)}`}
        data-testid="drive-health-badge"
        data-health={worst.health}
        aria-label={`Drive health of ${mountPoint}: ${worst.health}`}
        aria-describedby={tipId}
      >
        drive {worst.health}
        {count}
      </a>
      <span role="tooltip" id={tipId} className="drive-tip">
        {under.map((drive) => (
          <span key={drive.id} className="drive-tip__drive">
            <strong>{driveLabel(drive)}</strong>: {drive.health}
            {drive.reasons.length ? ` — ${drive.reasons.join("; ")}` : ""}
          </span>
        ))}
      </span>
    </span>
  );
}

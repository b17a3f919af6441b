import { useId, useState, type SyntheticEvent } from "react";
import { createPortal } from "react-dom";
import { driveLabel, drivesOfMount, healthLevel } from "./health";
import type { DriveRead } from "./types";
import "./drives.css";

interface Props {
  /** The server's drives (each lists the mount points on it). */
  drives: readonly DriveRead[];
  mountPoint: string;
}

/** Where the tooltip goes: under the badge, kept inside the window. */
function placeUnder(element: Element): { left: number; top: number } {
  const box = element.getBoundingClientRect();
  const width = Math.min(448, window.innerWidth * 0.8);
  const left = Math.max(8, Math.min(box.left, window.innerWidth - width - 8));
  return { left: left + window.scrollX, top: box.bottom + 4 + window.scrollY };
}

/**
 * The health of the drives under one filesystem, as a small badge in its row of the disk list
 * (the worst drive's word, red when one is failing). Hovering or focusing it names each drive
 * and its reasons (Escape hides them); it links to the drive in the "Drives and pools" section.
 * The tooltip is drawn on the page's body: a disk row contains its paint and would cut it off.
 */
export function DriveHealthBadge({ drives, mountPoint }: Props) {
  const tipId = useId();
  const [at, setAt] = useState<{ left: number; top: number } | null>(null);
  const under = drivesOfMount(drives, mountPoint);
  const worst = under[0];
  if (!worst) return null;
  const count = under.length > 1 ? ` · ${under.length} drives` : "";
  const show = (event: SyntheticEvent<HTMLElement>) => setAt(placeUnder(event.currentTarget));
  const hide = () => setAt(null);
  const lines = under.map((drive) => (
    <span key={drive.id} className="drive-tip__drive">
      <strong>{driveLabel(drive)}</strong>: {drive.health}
      {drive.reasons.length ? ` — ${drive.reasons.join("; ")}` : ""}
    </span>
  ));
  return (
    <span className="drive-badge-wrap">
      <a
        href={`#drive-${worst.id}`}
        className={`drive-badge drive-badge--${healthLevel(worst.health)}`}
        data-testid="drive-health-badge"
        data-health={worst.health}
        aria-label={`Drive health of ${mountPoint}: ${worst.health}`}
        aria-describedby={tipId}
        onMouseEnter={show}
        onMouseLeave={hide}
        onFocus={show}
        onBlur={hide}
        onKeyDown={(event) => {
          if (event.key === "Escape") hide();
        }}
      >
        drive {worst.health}
        {count}
      </a>
      <span id={tipId} className="drives-hidden">
        {lines}
      </span>
      {at
        ? createPortal(
            <span
              className="drive-tip"
              data-testid="drive-tip"
              aria-hidden="true"
              style={{ left: at.left, top: at.top }}
            >
              {lines}
            </span>,
            document.body,
          )
        : null}
    </span>
  );
}

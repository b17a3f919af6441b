import { formatAgo, formatBytes, formatDateTime } from "../../lib/format";
import { DriveHistoryChart } from "./DriveHistoryChart";
import {
  attributeLabel,
  driveLabel,
  formatPowerOn,
  formatTemperature,
  healthLevel,
  kindLabel,
} from "./health";
import type { DriveRead } from "./types";

interface Props {
  drive: DriveRead;
  open: boolean;
  onToggle: (driveId: number) => void;
}

/** When the data was read, or since when the drive sleeps (the hub never wakes it). */
function readText(drive: DriveRead): string {
  if (drive.health === "asleep" || drive.asleep_since) {
    const since = drive.asleep_since ?? drive.checked_at;
    const last = drive.read_at ? `; last read ${formatAgo(drive.read_at)}` : "";
    return `asleep since ${formatDateTime(since)} (${formatAgo(since)})${last}`;
  }
  if (!drive.read_at) return `never read (checked ${formatAgo(drive.checked_at)})`;
  return `read ${formatAgo(drive.read_at)}`;
}

/**
 * One drive of the server: identity, health with its reasons in words, temperature, power-on
 * time, when it was read, the filesystems on it, and its history one click away.
 */
export function DriveItem({ drive, open, onToggle }: Props) {
  const level = healthLevel(drive.health);
  const counts = Object.entries(drive.attributes ?? {}).filter(([, v]) => v > 0);
  const historyId = `drive-history-${drive.id}`;
  return (
    <li
      className={`drive-item drive-item--${level}`}
      id={`drive-${drive.id}`}
      data-testid="drive-item"
      data-health={drive.health}
      tabIndex={-1}
    >
      <div className="drive-item__head">
        <h3 className="drive-item__name">{driveLabel(drive)}</h3>
        <span className={`drive-badge drive-badge--${level}`}>{drive.health}</span>
      </div>
      <p className="drive-item__facts muted small">
        {kindLabel(drive.kind)}
        {drive.capacity_bytes ? ` · ${formatBytes(drive.capacity_bytes)}` : ""} ·{" "}
        {formatTemperature(drive.temperature_celsius)} · on for{" "}
        {formatPowerOn(drive.power_on_hours)} · {readText(drive)}
        {drive.used_percent !== null && drive.used_percent !== undefined
          ? ` · ${drive.used_percent} % of its rated writes used`
          : ""}
      </p>
      {drive.reasons.length ? (
        <ul
          className={`drive-item__reasons drive-item__reasons--${level}`}
          data-testid="drive-reasons"
        >
          {drive.reasons.map((reason) => (
            <li key={reason}>{reason}</li>
          ))}
        </ul>
      ) : null}
      {drive.acknowledged?.length ? (
        <p className="muted small">Acknowledged: {drive.acknowledged.join("; ")}</p>
      ) : null}
      <p className="small">
        {drive.filesystems.length
          ? `Holds ${drive.filesystems.join(", ")}`
          : "No reported filesystem on it"}
        {drive.pools.length ? ` · in ${drive.pools.join(", ")}` : ""}
        {counts.length
          ? ` · ${counts.map(([key, v]) => `${attributeLabel(key)}: ${v}`).join(", ")}`
          : ""}
      </p>
      <button
        type="button"
        className="button button--ghost button--small"
        aria-expanded={open}
        aria-controls={historyId}
        aria-label={`${open ? "Hide history" : "History"} of ${drive.name}`}
        onClick={() => onToggle(drive.id)}
      >
        {open ? "Hide history" : "History"}
      </button>
      {open ? (
        <div id={historyId}>
          <DriveHistoryChart serverId={drive.server_id} driveId={drive.id} name={drive.name} />
        </div>
      ) : null}
    </li>
  );
}

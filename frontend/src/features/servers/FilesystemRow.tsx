import { memo } from "react";
import { MiddleEllipsis } from "../../components/ui/MiddleEllipsis";
import { PercentBar } from "../../components/ui/PercentBar";
import { formatBytes, formatDate } from "../../lib/format";
import { useLevels } from "../../lib/levels";
import { calmReason, diskUrgency, fillLevel, usageLevel } from "../../lib/thresholds";
import type { FilesystemRead } from "../../types/server";
import { useDiskAlertSlot, useDiskDrivesSlot } from "./diskAlertSlot";
import { forecastCertainty, forecastReason, fullInWithRange, inodesFullIn } from "./forecastText";

interface FilesystemRowProps {
  fs: FilesystemRead;
  selected: boolean;
  onSelect: (mountPoint: string) => void;
}

/**
 * One filesystem of the disk widget: a button that selects it for the history chart, and its
 * alert state with the menu to change it (when the page supplies them).
 */
export const FilesystemRow = memo(function FilesystemRow({
  fs,
  selected,
  onSelect,
}: FilesystemRowProps) {
  const levels = useLevels(fs.mount_point);
  const unreachable = fs.state === "unreachable";
  const missing = fs.state === "missing";
  const fullIn = fullInWithRange(fs);
  const reason = forecastReason(fs);
  const inodes = inodesFullIn(fs);
  if (missing) return <MissingRow fs={fs} selected={selected} onSelect={onSelect} />;
  const fill = fillLevel(fs.days_until_full, fs.confident, levels);
  const space = usageLevel(fs, levels);
  const calm = unreachable ? null : calmReason(fs, levels, (b) => formatBytes(b, 0));
  return (
    <li
      className="fs-row"
      data-testid="filesystem-row"
      data-mount={fs.mount_point}
      data-level={diskUrgency(fs, levels)}
    >
      <button
        type="button"
        className="fs-row__button"
        aria-pressed={selected}
        onClick={() => onSelect(fs.mount_point)}
      >
        <span className="fs-row__head">
          <MiddleEllipsis className="fs-row__mount" text={fs.mount_point} />
          {unreachable ? (
            <span className="badge badge--critical">unreachable</span>
          ) : (
            <span className="fs-row__percent">{fs.percent.toFixed(1)} %</span>
          )}
        </span>
        <span className="fs-row__detail">
          <span className="fs-row__device" title={fs.device}>
            {fs.device} · {fs.fs_type}
            {fs.read_only ? " · read-only" : ""}
          </span>
          <span className="fs-row__size">
            {unreachable
              ? "not answering"
              : `${formatBytes(fs.used_bytes)} / ${formatBytes(fs.total_bytes)}`}
          </span>
        </span>
        {unreachable ? null : (
          <PercentBar percent={fs.percent} label={`${fs.mount_point} used`} level={space} />
        )}
        {calm ? (
          <span className="fs-row__calm" data-testid="calm-reason">
            {calm}
          </span>
        ) : null}
        {fullIn && fs.full_at ? (
          <span
            className={`fs-row__forecast level--${fill}${fs.confident ? "" : " fs-row__forecast--tentative"}`}
            title={`Estimated full on ${formatDate(fs.full_at)} (${forecastCertainty(fs)})`}
            data-testid="fs-forecast"
            data-level={fill}
          >
            {fullIn} · {formatDate(fs.full_at)}
            {reason ? ` · ${reason}` : ""}
            {fs.confident ? "" : " · tentative"}
          </span>
        ) : reason ? (
          <span className="fs-row__forecast fs-row__forecast--calm">{reason}</span>
        ) : null}
        {inodes && fs.inodes_full_at ? (
          <span
            className={`fs-row__forecast${fs.inodes_confident ? "" : " fs-row__forecast--tentative"}`}
            title={`Estimated out of inodes (files) on ${formatDate(fs.inodes_full_at)}, before its space`}
          >
            {inodes} · {formatDate(fs.inodes_full_at)}
          </span>
        ) : null}
      </button>
      <RowSlots mountPoint={fs.mount_point} />
    </li>
  );
});

/** Under the row's button: the drives' health and the alert state (when the page has them). */
function RowSlots({ mountPoint }: { mountPoint: string }) {
  const alertSlot = useDiskAlertSlot();
  const drivesSlot = useDiskDrivesSlot();
  const drives = drivesSlot?.(mountPoint) ?? null;
  if (!alertSlot && !drives) return null;
  return (
    <div className="fs-row__alerts">
      {drives}
      {alertSlot?.(mountPoint)}
    </div>
  );
}

/** An expected mount that is not mounted: red, with what was written into its directory. */
function MissingRow({ fs, selected, onSelect }: FilesystemRowProps) {
  const shadowed = fs.shadowed_bytes ?? null;
  return (
    <li className="fs-row fs-row--missing" data-testid="missing-row" data-mount={fs.mount_point}>
      <button
        type="button"
        className="fs-row__button"
        aria-pressed={selected}
        onClick={() => onSelect(fs.mount_point)}
      >
        <span className="fs-row__head">
          <MiddleEllipsis className="fs-row__mount" text={fs.mount_point} />
          <span className="badge badge--critical">missing</span>
        </span>
        <span className="fs-row__detail">
          <span className="fs-row__device" title={fs.device}>
            {fs.device}
            {fs.fs_type ? ` · ${fs.fs_type}` : ""}
          </span>
          <span className="fs-row__size">not mounted</span>
        </span>
        {shadowed ? (
          <span className="fs-row__shadowed">
            {formatBytes(shadowed)} written into its empty directory on the parent filesystem
          </span>
        ) : null}
      </button>
      <RowSlots mountPoint={fs.mount_point} />
    </li>
  );
}

import { useId, useState } from "react";
import { PercentBar } from "../../components/ui/PercentBar";
import { useLevels } from "../../lib/levels";
import { fillLevel, usageLevel } from "../../lib/thresholds";
import { formatBytes, formatDate } from "../../lib/format";
import { domainKindLabel, domainName, domainPercent, type DiskGroup } from "./diskGroups";
import { FilesystemRow } from "./FilesystemRow";
import { forecastCertainty, fullInWithRange } from "./forecastText";

interface DomainGroupRowProps {
  group: DiskGroup;
  selectedMount: string | null;
  onSelect: (mountPoint: string) => void;
  /** Open from the start (e.g. while a filter is typed). */
  initiallyOpen?: boolean;
}

/** One storage shown once: its totals, and on demand the mounts that draw on it. */
export function DomainGroupRow({
  group,
  selectedMount,
  onSelect,
  initiallyOpen = false,
}: DomainGroupRowProps) {
  const [open, setOpen] = useState(initiallyOpen);
  const listId = useId();
  const domain = group.domain!;
  const percent = domainPercent(domain);
  const levels = useLevels();
  const fill = fillLevel(domain.days_until_full, domain.confident, levels);
  // The pool's own date, from what all its mounts write together (each mount that fills with it
  // says so on its row).
  const fullIn = fullInWithRange(domain);
  const mounts = group.filesystems.length + group.others.length;
  const name = domainName(domain.key);
  return (
    <li
      className="fs-group"
      data-testid="domain-group"
      data-domain={domain.key}
      data-open={open ? "true" : "false"}
    >
      <button
        type="button"
        className="fs-row__button fs-group__head"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((value) => !value)}
      >
        <span className="fs-row__head">
          <span className="fs-row__mount" title={domain.key}>
            <span aria-hidden="true">{open ? "▾ " : "▸ "}</span>
            {name}
          </span>
          <span className="fs-row__percent">
            {percent === null ? "no answer" : `${percent.toFixed(1)} %`}
          </span>
        </span>
        <span className="fs-row__detail">
          <span className="fs-row__device">
            {domainKindLabel(domain.kind)} · {mounts} mount{mounts === 1 ? "" : "s"}
          </span>
          <span className="fs-row__size">
            {domain.total_bytes == null
              ? ""
              : `${formatBytes(domain.used_bytes)} / ${formatBytes(domain.total_bytes)}`}
          </span>
        </span>
        {percent === null ? null : (
          <PercentBar
            percent={percent}
            label={`${name} used`}
            level={usageLevel({ ...domain, percent }, levels)}
          />
        )}
        {domain.union_of?.length ? (
          <span className="fs-group__union">pool of {domain.union_of.join(", ")}</span>
        ) : null}
        {fullIn && domain.full_at ? (
          <span
            className={`fs-row__forecast level--${fill}${domain.confident ? "" : " fs-row__forecast--tentative"}`}
            title={`Estimated full on ${formatDate(domain.full_at)} (${forecastCertainty(domain)})`}
            data-testid="domain-forecast"
          >
            {fullIn} · {formatDate(domain.full_at)}
            {domain.confident ? "" : " · tentative"}
          </span>
        ) : null}
      </button>
      <ul id={listId} className="fs-group__members" hidden={!open} aria-label={`Mounts of ${name}`}>
        {open
          ? group.filesystems.map((fs) => (
              <FilesystemRow
                key={fs.mount_point}
                fs={fs}
                selected={fs.mount_point === selectedMount}
                onSelect={onSelect}
              />
            ))
          : null}
        {open
          ? group.others.map((mount) => (
              <li key={mount} className="fs-member" data-testid="domain-member">
                <span className="mono">{mount}</span>{" "}
                <span className="muted small">same storage, mounted again</span>
              </li>
            ))
          : null}
      </ul>
    </li>
  );
}

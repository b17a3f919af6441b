import { SearchField, SelectField } from "../../components/ui/Fields";
import { useMemo, useState, type ReactNode } from "react";
import { Widget } from "../../components/ui/Widget";
import type { CapacityDomainRead, FilesystemRead } from "../../types/server";
import { isGrouped, layoutDisks } from "./diskGroups";
import { DISK_SORT_LABELS, type DiskSort } from "./diskList";
import { DomainGroupRow } from "./DomainGroupRow";
import { FilesystemRow } from "./FilesystemRow";

interface DiskUsageCardProps {
  filesystems: FilesystemRead[] | null | undefined;
  /** The storage the filesystems draw on; a pool or a union is one row that expands. */
  domains?: CapacityDomainRead[] | null;
  selectedMount: string | null;
  onSelect: (mountPoint: string) => void;
  /** Filesystems that stopped reporting, listed on top until dismissed. */
  vanished?: ReactNode;
}

/**
 * Every filesystem of the server: usage, forecast, state; filterable and sortable. Missing
 * mounts come first; mounts that share storage are one row per pool, expandable.
 */
export function DiskUsageCard({
  filesystems,
  domains,
  selectedMount,
  onSelect,
  vanished,
}: DiskUsageCardProps) {
  const [filter, setFilter] = useState("");
  const [sort, setSort] = useState<DiskSort>("problems");
  const all = useMemo(() => filesystems ?? [], [filesystems]);
  const layout = useMemo(
    () => layoutDisks(all, domains, filter, sort),
    [all, domains, filter, sort],
  );
  const unreachable = all.filter((fs) => fs.state === "unreachable").length;
  const missing = all.filter((fs) => fs.state === "missing").length;
  const present = all.length - missing;

  return (
    <Widget
      title="Disks"
      className="widget--disks"
      aside={
        <span className="muted" data-testid="filesystem-count">
          {present} filesystem{present === 1 ? "" : "s"}
          {unreachable ? `, ${unreachable} unreachable` : ""}
          {missing ? `, ${missing} missing` : ""}
        </span>
      }
    >
      {filesystems === null || filesystems === undefined ? (
        <p className="muted">This agent does not report filesystems yet.</p>
      ) : all.length === 0 ? (
        <p className="muted">No real filesystems reported.</p>
      ) : (
        <>
          <div className="toolbar">
            <SearchField
              label="Filter"
              ariaLabel="Filter filesystems"
              value={filter}
              placeholder="mount, device or type"
              onChange={setFilter}
            />
            <SelectField
              label="Sort"
              ariaLabel="Sort filesystems"
              value={sort}
              options={DISK_SORT_LABELS}
              onChange={setSort}
            />
          </div>
          {vanished}
          {layout.missing.length ? (
            <ul className="fs-list fs-list--missing" aria-label="Missing mounts">
              {layout.missing.map((fs) => (
                <FilesystemRow
                  key={fs.mount_point}
                  fs={fs}
                  selected={fs.mount_point === selectedMount}
                  onSelect={onSelect}
                />
              ))}
            </ul>
          ) : null}
          {layout.groups.length === 0 && layout.missing.length === 0 ? (
            <p className="muted">No filesystem matches “{filter}”.</p>
          ) : (
            <ul className="fs-list" aria-label="Filesystems">
              {layout.groups.map((group) =>
                isGrouped(group) ? (
                  <DomainGroupRow
                    // A new filter opens the groups it matches.
                    key={`${group.key}|${filter !== ""}`}
                    group={group}
                    selectedMount={selectedMount}
                    onSelect={onSelect}
                    initiallyOpen={filter !== ""}
                  />
                ) : (
                  group.filesystems.map((fs) => (
                    <FilesystemRow
                      key={fs.mount_point}
                      fs={fs}
                      selected={fs.mount_point === selectedMount}
                      onSelect={onSelect}
                    />
                  ))
                ),
              )}
            </ul>
          )}
        </>
      )}
    </Widget>
  );
}

import { SearchField, SelectField } from "../../components/ui/Fields";
import { useMemo, useState } from "react";
import { Widget } from "../../components/ui/Widget";
import type { FilesystemRead } from "../../types/server";
import { DISK_SORT_LABELS, visibleFilesystems, type DiskSort } from "./diskList";
import { FilesystemRow } from "./FilesystemRow";

interface DiskUsageCardProps {
  filesystems: FilesystemRead[] | null | undefined;
  selectedMount: string | null;
  onSelect: (mountPoint: string) => void;
}

/** Every filesystem of the server: usage, forecast, state; filterable and sortable. */
export function DiskUsageCard({ filesystems, selectedMount, onSelect }: DiskUsageCardProps) {
  const [filter, setFilter] = useState("");
  const [sort, setSort] = useState<DiskSort>("fullest");
  const all = useMemo(() => filesystems ?? [], [filesystems]);
  const shown = useMemo(() => visibleFilesystems(all, filter, sort), [all, filter, sort]);
  const unreachable = all.filter((fs) => fs.state === "unreachable").length;

  return (
    <Widget
      title="Disks"
      className="widget--disks"
      aside={
        <span className="muted" data-testid="filesystem-count">
          {all.length} filesystem{all.length === 1 ? "" : "s"}
          {unreachable ? `, ${unreachable} unreachable` : ""}
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
          {shown.length === 0 ? (
            <p className="muted">No filesystem matches “{filter}”.</p>
          ) : (
            <ul className="fs-list" aria-label="Filesystems">
              {shown.map((fs) => (
                <FilesystemRow
                  key={fs.mount_point}
                  fs={fs}
                  selected={fs.mount_point === selectedMount}
                  onSelect={onSelect}
                />
              ))}
            </ul>
          )}
        </>
      )}
    </Widget>
  );
}

import { useCallback, useEffect, useState } from "react";
import { useLocation } from "react-router-dom";
import { Widget } from "../../components/ui/Widget";
import { DriveItem } from "./DriveItem";
import { PoolItem } from "./PoolItem";
import type { DriveRead, PoolRead } from "./types";
import "./drives.css";

interface Props {
  drives: readonly DriveRead[];
  pools: readonly PoolRead[];
}

/** The drive a link names (`#drive-12`), or null. */
function linkedDrive(hash: string): number | null {
  const match = /^#drive-(\d+)$/.exec(hash);
  return match ? Number(match[1]) : null;
}

/**
 * A server's "Drives and pools" (worst first, as the hub orders them): each drive with its
 * health and history, each pool with its state, errors and scrub. A link to `#drive-N` (the
 * Drives page, a disk row's badge) opens that drive and brings it into view.
 */
export function DrivesSection({ drives, pools }: Props) {
  const { hash } = useLocation();
  const [open, setOpen] = useState<ReadonlySet<number>>(() => new Set());
  const linked = linkedDrive(hash);
  const present = linked !== null && drives.some((d) => d.id === linked);

  useEffect(() => {
    if (!present || linked === null) return;
    setOpen((current) => new Set(current).add(linked));
    const element = document.getElementById(`drive-${linked}`);
    element?.scrollIntoView?.({ block: "start" });
    element?.focus({ preventScroll: true });
  }, [linked, present]);

  const toggle = useCallback(
    (id: number) =>
      setOpen((current) => {
        const next = new Set(current);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );

  return (
    <section className="drives-section" aria-labelledby="drives-title" data-testid="drives-section">
      <h2 className="section-title" id="drives-title">
        Drives and pools
      </h2>
      {drives.length === 0 && pools.length === 0 ? (
        <p className="muted" data-testid="no-drives">
          No drives or pools reported (the agent reads them with smartctl and zpool, hourly).
        </p>
      ) : (
        <div className="drives-grid">
          <Widget title={`Drives (${drives.length})`}>
            {drives.length ? (
              <ul className="drive-list">
                {drives.map((drive) => (
                  <DriveItem
                    key={drive.id}
                    drive={drive}
                    open={open.has(drive.id)}
                    onToggle={toggle}
                  />
                ))}
              </ul>
            ) : (
              <p className="muted">No drives reported.</p>
            )}
          </Widget>
          {pools.length ? (
            <Widget title={`Pools and arrays (${pools.length})`}>
              <ul className="drive-list">
                {pools.map((pool) => (
                  <PoolItem key={`${pool.kind}:${pool.name}`} pool={pool} />
                ))}
              </ul>
            </Widget>
          ) : null}
        </div>
      )}
    </section>
  );
}

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo } from "react";
import { MiddleEllipsis } from "../../components/ui/MiddleEllipsis";
import { Notice } from "../../components/ui/Notice";
import { Widget } from "../../components/ui/Widget";
import { useAuth } from "../../lib/auth";
import { buildTree, topChanges } from "./growth";
import { GrowthBars } from "./GrowthBars";
import { filesystemUsageQuery, requestUsageScanMutation } from "./queries";
import { ScanFacts, ScanFailure, ScanHistory, ScanProgress } from "./ScanFacts";
import type { FilesystemUsage, UsageGrowth, UsageScanBrief } from "./types";
import { UsageTree } from "./UsageTree";
import "./usage.css";

interface WhatGrewProps {
  serverId: string;
  mountPoint: string;
}

/**
 * "What grew" on one filesystem: the directories that grew most since the previous usage scan,
 * the tree of the latest scan, when it was taken and what it cost, and for admins the button
 * that asks the agent for a scan now, with its progress while it waits and runs.
 */
export function WhatGrew({ serverId, mountPoint }: WhatGrewProps) {
  const usage = useQuery(filesystemUsageQuery(serverId, mountPoint));
  return (
    <Widget
      title="What grew"
      className="widget--usage"
      aside={<MiddleEllipsis className="mono" text={mountPoint} />}
    >
      {usage.isPending ? (
        <p className="muted">Loading the usage scans…</p>
      ) : usage.isError && !usage.data ? (
        <Notice tone="error">{usage.error.message}</Notice>
      ) : (
        <UsageBody
          serverId={serverId}
          mountPoint={mountPoint}
          usage={usage.data}
          now={usage.dataUpdatedAt}
        />
      )}
    </Widget>
  );
}

interface UsageBodyProps {
  serverId: string;
  mountPoint: string;
  usage: FilesystemUsage;
  /** When the usage was read: "requested 10 s ago" counts from it, so each poll moves it on. */
  now: number;
}

const NO_GROWTH: UsageGrowth[] = [];
const NO_SCANS: UsageScanBrief[] = [];

/** The newest scan when it failed: the kept tree, if any, is from an earlier one. */
function lastFailure(usage: FilesystemUsage): UsageScanBrief | null {
  const newest = usage.scans?.[0];
  if (newest?.error) return newest;
  return usage.latest?.error ? usage.latest : null;
}

function UsageBody({ serverId, mountPoint, usage, now }: UsageBodyProps) {
  const previous = usage.previous ?? null;
  const request = usage.request ?? null;
  const growth = usage.growth ?? NO_GROWTH;
  // A scan that could not run has no tree: what to show is the last one that has.
  const latest = usage.latest?.error ? null : (usage.latest ?? null);
  const failed = lastFailure(usage);
  const changes = useMemo(() => topChanges(growth, usage.mount_point), [growth, usage.mount_point]);
  const tree = useMemo(() => buildTree(latest?.directories ?? []), [latest]);
  const byPath = useMemo(() => new Map(growth.map((g) => [g.path, g.change] as const)), [growth]);
  return (
    <div className="usage">
      {latest === null && request === null ? (
        <div className="usage-empty" data-testid="usage-empty">
          <p>
            {failed
              ? "No scan of this filesystem has succeeded yet."
              : "This filesystem has not been scanned yet."}
          </p>
          <p className="muted">
            A scan walks this filesystem once, in the background at idle priority and within a time
            budget, never crossing into other mounts, and adds up the space each directory takes.
            The next scan then shows what grew in between. The hub also asks for one by itself when
            the disk is forecast to fill soon.
          </p>
        </div>
      ) : null}
      <ScanButton
        serverId={serverId}
        mountPoint={mountPoint}
        open={request !== null}
        first={latest === null}
      />
      {request ? <ScanProgress request={request} now={now} /> : null}
      {failed && !request ? <ScanFailure scan={failed} /> : null}
      {latest ? <ScanFacts scan={latest} /> : null}
      {latest ? (
        previous ? (
          <GrowthBars changes={changes} since={previous.taken_at} />
        ) : (
          <GrowthNote note={usage.growth_note ?? null} />
        )
      ) : null}
      {tree ? (
        <section className="usage-tree-section" aria-labelledby="usage-tree-title">
          <h3 id="usage-tree-title" className="usage__subtitle">
            Where the space is
          </h3>
          <UsageTree key={latest?.taken_at} root={tree} changes={byPath} />
        </section>
      ) : null}
      <ScanHistory scans={usage.scans ?? NO_SCANS} />
    </div>
  );
}

/** Why no growth is shown: the hub's reason (a partial latest scan), else this is the first. */
function GrowthNote({ note }: { note: string | null }) {
  return note ? (
    <p className="muted" data-testid="growth-note">
      {note}
    </p>
  ) : (
    <p className="muted" data-testid="first-scan">
      The first scan of this filesystem: the next one shows what grew since.
    </p>
  );
}

interface ScanButtonProps {
  serverId: string;
  mountPoint: string;
  /** A request is open: the button waits for its result. */
  open: boolean;
  first: boolean;
}

/** "Find what grew": admins ask the agent for a scan now; others are told who can. */
function ScanButton({ serverId, mountPoint, open, first }: ScanButtonProps) {
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const scan = useMutation(requestUsageScanMutation(queryClient, serverId, mountPoint));
  if (user?.role !== "admin") {
    return first ? <p className="muted small">An admin can ask the agent for a scan.</p> : null;
  }
  return (
    <div className="usage-actions">
      <button
        type="button"
        className="button button--primary"
        disabled={open || scan.isPending}
        onClick={() => scan.mutate()}
      >
        Find what grew
      </button>
      {!open ? (
        <span className="muted small">
          {first
            ? "The agent scans it after its next heartbeat."
            : "Scans it again and compares with the latest scan."}
        </span>
      ) : null}
      {scan.isError ? (
        <Notice tone="error" title="Could not ask for a scan">
          {scan.error.message}
        </Notice>
      ) : null}
    </div>
  );
}

import type { ReactNode } from "react";

/** Shown on a new install: how to make the first server appear (`action`: the Add server button). */
export function EmptyFleet({ hubUrl, action }: { hubUrl: string; action?: ReactNode }) {
  return (
    <section className="empty" aria-labelledby="empty-title">
      <h2 id="empty-title">No servers yet</h2>
      <p>
        Servers appear here when their agent sends its first heartbeat. Add server gives you one
        command to run on each Linux host: it installs the agent from this hub ({hubUrl}), gives the
        host its own token and starts reporting.
      </p>
      {action}
    </section>
  );
}

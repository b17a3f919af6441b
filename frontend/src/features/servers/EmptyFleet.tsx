import { AddServerButton } from "../enroll/AddServerDialog";

/** Shown on a new install: how to make the first server appear. */
export function EmptyFleet({ hubUrl }: { hubUrl: string }) {
  return (
    <section className="empty" aria-labelledby="empty-title">
      <h2 id="empty-title">No servers yet</h2>
      <p>
        Servers appear here when their agent sends its first heartbeat. Add server gives you one
        command to run on each Linux host: it installs the agent from this hub ({hubUrl}), gives the
        host its own token and starts reporting.
      </p>
      <AddServerButton />
    </section>
  );
}

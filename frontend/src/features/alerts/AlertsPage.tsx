import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link } from "react-router-dom";
import { HubUnreachable } from "../../components/ui/HubUnreachable";
import { Notice } from "../../components/ui/Notice";
import { useAuth } from "../../lib/auth";
import { formatDateTime } from "../../lib/format";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { AlertRow } from "./AlertRow";
import { bySeverityThenAge, silenceOf } from "./explain";
import { alertsQuery, silencesQuery, unsilenceMutation } from "./queries";
import type { AlertRead, SilenceRead } from "./types";
import "./alerts.css";

function Section({
  title,
  count,
  empty,
  children,
}: {
  title: string;
  count: number;
  empty: string;
  children: ReactNode;
}) {
  const id = `alerts-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return (
    <section className="alerts-section" aria-labelledby={id}>
      <h2 id={id}>
        {title} <span className="muted">({count})</span>
      </h2>
      {count === 0 ? <p className="muted">{empty}</p> : children}
    </section>
  );
}

function AlertList({ alerts, canChange }: { alerts: AlertRead[]; canChange: boolean }) {
  return (
    <ul className="alert-list">
      {alerts.map((alert) => (
        <AlertRow key={alert.id} alert={alert} canChange={canChange} />
      ))}
    </ul>
  );
}

/** One silence: its scope and end, the alerts it mutes, and (for admins) Remove. */
function SilenceItem({
  silence,
  muted,
  serverName,
  canChange,
}: {
  silence: SilenceRead;
  muted: AlertRead[];
  serverName: string;
  canChange: boolean;
}) {
  const queryClient = useQueryClient();
  const remove = useMutation(unsilenceMutation(queryClient));
  const scope = silence.mount_pattern ?? "all mounts";
  return (
    <li className="silence" data-testid="silence">
      <div className="alert-row__line">
        <strong>{serverName}</strong>
        <span className="mono">{scope}</span>
        <span className="muted small">
          until {formatDateTime(silence.ends_at)} · by {silence.created_by}
          {silence.comment ? ` · ${silence.comment}` : ""}
        </span>
        {canChange ? (
          <button
            type="button"
            className="button button--small"
            onClick={() => remove.mutate(silence.id)}
            disabled={remove.isPending}
            aria-label={`Remove the silence on ${serverName} ${scope}`}
          >
            Remove
          </button>
        ) : null}
      </div>
      {muted.length ? <AlertList alerts={muted} canChange={false} /> : null}
      {remove.isError ? <Notice tone="error">{remove.error.message}</Notice> : null}
    </li>
  );
}

/**
 * Firing alerts first (critical before warning, newest first), then acknowledged and pending
 * ones, the silences with the alerts they mute, and what resolved lately. Each alert names the
 * rule and threshold that fired, its figures and what to do, and links to its disk.
 */
export function AlertsPage() {
  useDocumentTitle("Alerts");
  const { user } = useAuth();
  const canChange = user?.role === "admin";
  const open = useQuery(alertsQuery("open"));
  const resolved = useQuery(alertsQuery("resolved", undefined, 50));
  const silences = useQuery(silencesQuery());
  const all = [...(open.data?.data ?? [])].sort(bySeverityThenAge);
  const active = silences.data?.data ?? [];
  const mutedBy = new Map(all.map((a) => [a.id, silenceOf(a, active)]));
  const loud = all.filter((a) => mutedBy.get(a.id) === null);
  const firing = loud.filter((a) => a.state === "firing" && a.acknowledged_at === null);
  const acknowledged = loud.filter((a) => a.state === "firing" && a.acknowledged_at !== null);
  const pending = loud.filter((a) => a.state === "pending");
  const silenced = all.filter((a) => mutedBy.get(a.id) !== null);
  const nameOf = (serverId: string) =>
    all.find((a) => a.server_id === serverId)?.server_name ?? serverId;
  // The page cannot tell what fires without the hub: it never says "Nothing firing" then.
  const unreachable = open.isError && !open.data;
  const failed = [open, silences, resolved].find((q) => q.isError && q.data !== undefined);
  return (
    <main className="page" id="main">
      <div className="page__title-row">
        <div>
          <h1>Alerts</h1>
          {open.data ? (
            <p className="muted" data-testid="alert-counts">
              {firing.length} firing · {silenced.length} silenced
            </p>
          ) : null}
        </div>
        {canChange ? <Link to="/settings/notifications">Notification settings</Link> : null}
      </div>
      {failed?.error ? (
        <HubUnreachable error={failed.error} updatedAt={failed.dataUpdatedAt} />
      ) : null}
      {unreachable ? (
        <Notice tone="error" title="Can't reach the hub">
          What fires is unknown until it answers ({open.error.message}); this page retries on its
          own.
        </Notice>
      ) : open.isPending ? (
        <p className="muted" role="status">
          Loading alerts…
        </p>
      ) : (
        <>
          <Section title="Firing" count={firing.length} empty="Nothing firing.">
            <AlertList alerts={firing} canChange={canChange} />
          </Section>
          <Section
            title="Acknowledged"
            count={acknowledged.length}
            empty="No acknowledged alert is still firing."
          >
            <AlertList alerts={acknowledged} canChange={canChange} />
          </Section>
          {pending.length ? (
            <Section title="Pending" count={pending.length} empty="">
              <AlertList alerts={pending} canChange={false} />
            </Section>
          ) : null}
          <Section title="Silenced" count={active.length} empty="No silence in force.">
            <ul className="alert-list">
              {active.map((silence) => (
                <SilenceItem
                  key={silence.id}
                  silence={silence}
                  muted={silenced.filter((a) => mutedBy.get(a.id)?.id === silence.id)}
                  serverName={nameOf(silence.server_id)}
                  canChange={canChange}
                />
              ))}
            </ul>
          </Section>
          <Section
            title="Recently resolved"
            count={resolved.data?.data.length ?? 0}
            empty="Nothing resolved lately."
          >
            <AlertList
              alerts={[...(resolved.data?.data ?? [])].sort(bySeverityThenAge)}
              canChange={false}
            />
          </Section>
        </>
      )}
    </main>
  );
}

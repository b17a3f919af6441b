import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { useAuth } from "../../lib/auth";
import { Notice } from "../../components/ui/Notice";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { AlertRow } from "./AlertRow";
import { alertsQuery } from "./queries";
import type { AlertRead } from "./types";
import "./alerts.css";

function Section({
  title,
  alerts,
  empty,
  canChange,
}: {
  title: string;
  alerts: AlertRead[];
  empty: string;
  canChange: boolean;
}) {
  const id = `alerts-${title.toLowerCase().replace(/[^a-z]+/g, "-")}`;
  return (
    <section className="alerts-section" aria-labelledby={id}>
      <h2 id={id}>
        {title} <span className="muted">({alerts.length})</span>
      </h2>
      {alerts.length === 0 ? (
        <p className="muted">{empty}</p>
      ) : (
        <ul className="alert-list">
          {alerts.map((alert) => (
            <AlertRow key={alert.id} alert={alert} canChange={canChange} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** Firing alerts first, then acknowledged ones, then what resolved lately. */
export function AlertsPage() {
  useDocumentTitle("Alerts");
  const { user } = useAuth();
  const canChange = user?.role === "admin";
  const open = useQuery(alertsQuery("open"));
  const resolved = useQuery(alertsQuery("resolved", undefined, 50));
  const all = open.data?.data ?? [];
  const firing = all.filter((a) => a.state === "firing" && a.acknowledged_at === null);
  const acknowledged = all.filter((a) => a.state === "firing" && a.acknowledged_at !== null);
  const pending = all.filter((a) => a.state === "pending");
  const failed = open.error ?? resolved.error;
  return (
    <main className="page" id="main">
      <div className="page__title-row">
        <h1>Alerts</h1>
        {canChange ? <Link to="/settings/notifications">Notification settings</Link> : null}
      </div>
      {failed ? <Notice tone="error">Could not load alerts: {failed.message}</Notice> : null}
      {open.isPending ? (
        <p className="muted" role="status">
          Loading alerts…
        </p>
      ) : (
        <>
          <Section title="Firing" alerts={firing} empty="Nothing firing." canChange={canChange} />
          <Section
            title="Acknowledged"
            alerts={acknowledged}
            empty="No acknowledged alert is still firing."
            canChange={canChange}
          />
          {pending.length ? (
            <Section title="Pending" alerts={pending} empty="" canChange={false} />
          ) : null}
          <Section
            title="Recently resolved"
            alerts={resolved.data?.data ?? []}
            empty="Nothing resolved lately."
            canChange={false}
          />
        </>
      )}
    </main>
  );
}

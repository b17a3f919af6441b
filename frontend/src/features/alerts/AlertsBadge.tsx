import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { alertsQuery } from "./queries";

/** The header's link to the alerts page, with the number of firing alerts not yet acknowledged. */
export function AlertsBadge() {
  const firing = useQuery(alertsQuery("firing", undefined, 1000));
  const count = (firing.data?.data ?? []).filter((a) => a.acknowledged_at === null).length;
  const critical = (firing.data?.data ?? []).some(
    (a) => a.acknowledged_at === null && a.severity === "critical",
  );
  return (
    <Link
      to="/alerts"
      className="alerts-badge"
      data-testid="alerts-badge"
      aria-label={count ? `Alerts: ${count} firing` : "Alerts: none firing"}
    >
      Alerts
      {count ? (
        <span
          className={`alerts-badge__count alerts-badge__count--${critical ? "critical" : "warning"}`}
        >
          {count}
        </span>
      ) : null}
    </Link>
  );
}

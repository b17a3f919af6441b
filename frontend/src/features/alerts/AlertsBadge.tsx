import { useQuery } from "@tanstack/react-query";
import { Link } from "react-router-dom";
import { silenceOf } from "./explain";
import { alertsQuery, silencesQuery } from "./queries";

/**
 * The header's link to the alerts page, with the number of firing alerts neither acknowledged
 * nor silenced. Its accessible name is its text ("Alerts 3 firing").
 */
export function AlertsBadge() {
  const firing = useQuery(alertsQuery("firing", undefined, 1000));
  const silences = useQuery(silencesQuery());
  const active = silences.data?.data ?? [];
  const loud = (firing.data?.data ?? []).filter(
    (a) => a.acknowledged_at === null && silenceOf(a, active) === null,
  );
  const critical = loud.some((a) => a.severity === "critical");
  return (
    <Link to="/alerts" className="alerts-badge" data-testid="alerts-badge">
      Alerts
      {loud.length ? (
        <>
          {" "}
          <span
            className={`alerts-badge__count alerts-badge__count--${critical ? "critical" : "warning"}`}
          >
            {loud.length}
            <span className="visually-hidden"> firing</span>
          </span>
        </>
      ) : null}
    </Link>
  );
}

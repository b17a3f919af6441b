import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";
import { MiddleEllipsis } from "../../components/ui/MiddleEllipsis";
import { Notice } from "../../components/ui/Notice";
import { formatAgo } from "../../lib/format";
import { explainAlert } from "./explain";
import { acknowledgeMutation, mountSettingsQuery, silenceMutation } from "./queries";
import { KIND_LABELS, SeverityTag } from "./SeverityTag";
import type { AlertRead } from "./types";

const SILENCE_HOURS = [1, 8, 24, 24 * 7];

interface AlertRowProps {
  alert: AlertRead;
  /** Admins may acknowledge and silence. */
  canChange: boolean;
}

/** Where an alert points: its disk on its server's page (the row selected), or the server. */
export function alertLink(alert: Pick<AlertRead, "server_id" | "mount_point">): string {
  const server = `/servers/${encodeURIComponent(alert.server_id)}`;
  return alert.mount_point ? `${server}?fs=${encodeURIComponent(alert.mount_point)}` : server;
}

/**
 * One alert on one line: severity, what, the disk (a link to it), the rule and threshold that
 * fired with the figures, since when; what to do under it; acknowledge and silence in a menu.
 */
export function AlertRow({ alert, canChange }: AlertRowProps) {
  const queryClient = useQueryClient();
  const ack = useMutation(acknowledgeMutation(queryClient));
  const silence = useMutation(silenceMutation(queryClient));
  const settings = useQuery({
    ...mountSettingsQuery(alert.server_id),
    enabled: alert.state !== "resolved" && alert.mount_point !== null,
  });
  const levels = settings.data?.mounts.find((m) => m.mount_point === alert.mount_point)?.effective;
  const [hours, setHours] = useState(SILENCE_HOURS[0]!);
  const open = alert.state !== "resolved";
  const since = alert.resolved_at ?? alert.fired_at ?? alert.started_at;
  const error = ack.error ?? silence.error;
  const { why, todo } = explainAlert(alert, levels);

  function silenceIt() {
    const ends = new Date(Date.now() + hours * 3600_000).toISOString();
    silence.mutate({
      server_id: alert.server_id,
      mount_pattern: alert.mount_point,
      ends_at: ends,
      comment: `from the alerts page (${KIND_LABELS[alert.kind]})`,
    });
  }

  return (
    <li
      className={`alert-row alert-row--${alert.unknown ? "unknown" : alert.severity}`}
      data-testid="alert-row"
    >
      <div className="alert-row__line">
        <SeverityTag alert={alert} />
        <strong className="alert-row__kind">{KIND_LABELS[alert.kind]}</strong>
        {alert.flapping ? (
          <span
            className="severity-tag severity-tag--unknown"
            title="Changes state too often: its messages are held until it settles"
          >
            flapping
          </span>
        ) : null}
        <Link to={alertLink(alert)} className="alert-row__where">
          {alert.server_name}
          {alert.mount_point ? (
            <>
              {" "}
              <MiddleEllipsis className="mono" text={alert.mount_point} />
            </>
          ) : null}
        </Link>
        <span className="alert-row__why" title={alert.message}>
          {why}
        </span>
        <span className="alert-row__when muted small">
          {alert.state === "resolved" ? "resolved" : alert.state} {formatAgo(since)}
          {alert.acknowledged_by ? ` · acknowledged by ${alert.acknowledged_by}` : ""}
        </span>
        {canChange && open ? (
          <details className="alert-menu">
            <summary className="button button--small">
              Actions<span className="visually-hidden"> for {KIND_LABELS[alert.kind]}</span>
            </summary>
            <div className="alert-menu__body">
              {alert.acknowledged_at === null ? (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => ack.mutate(alert.id)}
                  disabled={ack.isPending}
                >
                  Acknowledge
                </button>
              ) : null}
              <label className="alert-row__silence">
                <span className="visually-hidden">Silence for</span>
                <select value={hours} onChange={(event) => setHours(Number(event.target.value))}>
                  {SILENCE_HOURS.map((h) => (
                    <option key={h} value={h}>
                      {h < 24 ? `${h} h` : `${h / 24} d`}
                    </option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="button button--small"
                onClick={silenceIt}
                disabled={silence.isPending || silence.isSuccess}
              >
                {silence.isSuccess ? "Silenced" : "Silence"}
              </button>
            </div>
          </details>
        ) : null}
      </div>
      {open ? <div className="alert-row__todo muted small">{todo}</div> : null}
      {error ? <Notice tone="error">{error.message}</Notice> : null}
    </li>
  );
}

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Link } from "react-router-dom";
import { Notice } from "../../components/ui/Notice";
import { formatAgo } from "../../lib/format";
import { acknowledgeMutation, silenceMutation } from "./queries";
import { KIND_LABELS, SeverityTag } from "./SeverityTag";
import type { AlertRead } from "./types";

const SILENCE_HOURS = [1, 8, 24, 24 * 7];

interface AlertRowProps {
  alert: AlertRead;
  /** Admins may acknowledge and silence. */
  canChange: boolean;
}

/** One alert: what, where, since when; acknowledge and silence for admins. */
export function AlertRow({ alert, canChange }: AlertRowProps) {
  const queryClient = useQueryClient();
  const ack = useMutation(acknowledgeMutation(queryClient));
  const silence = useMutation(silenceMutation(queryClient));
  const [hours, setHours] = useState(SILENCE_HOURS[0]!);
  const open = alert.state !== "resolved";
  const since = alert.resolved_at ?? alert.fired_at ?? alert.started_at;
  const error = ack.error ?? silence.error;

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
    <li className="alert-row" data-testid="alert-row">
      <div className="alert-row__what">
        <SeverityTag alert={alert} /> <strong>{KIND_LABELS[alert.kind]}</strong>{" "}
        <Link to={`/servers/${encodeURIComponent(alert.server_id)}`}>{alert.server_name}</Link>
        {alert.mount_point ? <span className="mono"> {alert.mount_point}</span> : null}
      </div>
      <div className="alert-row__message">{alert.message}</div>
      <div className="alert-row__meta muted small">
        {alert.state === "resolved" ? "resolved" : alert.state} {formatAgo(since)}
        {alert.acknowledged_by ? ` · acknowledged by ${alert.acknowledged_by}` : ""}
      </div>
      {canChange && open ? (
        <div className="alert-row__actions">
          {alert.acknowledged_at === null ? (
            <button
              type="button"
              className="button"
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
            className="button"
            onClick={silenceIt}
            disabled={silence.isPending || silence.isSuccess}
          >
            {silence.isSuccess ? "Silenced" : "Silence"}
          </button>
        </div>
      ) : null}
      {error ? <Notice tone="error">{error.message}</Notice> : null}
    </li>
  );
}

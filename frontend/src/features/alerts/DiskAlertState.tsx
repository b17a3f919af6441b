import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useAuth } from "../../lib/auth";
import { describeLevels } from "../../lib/thresholds";
import { DiskAlertSettings } from "./DiskAlertSettings";
import { alertsQuery, mountSettingsQuery } from "./queries";
import { KIND_LABELS, SeverityTag } from "./SeverityTag";
import "./alerts.css";

interface Props {
  serverId: string;
  mountPoint: string;
}

/**
 * One disk's alert state inside its row of the disk list: what fires (or "ok"), the levels in
 * force ("warn 85 % / crit 95 %", "expected full", "ignored", and the rule they come from) and,
 * for admins, the menu to change them. The queries are shared by every row of the page.
 */
export function DiskAlertState({ serverId, mountPoint }: Props) {
  const { user } = useAuth();
  const canChange = user?.role === "admin";
  const open = useQuery(alertsQuery("open", serverId));
  const settings = useQuery(mountSettingsQuery(serverId));
  const [editing, setEditing] = useState(false);
  const alerts = (open.data?.data ?? []).filter((a) => a.mount_point === mountPoint);
  const levels = settings.data?.mounts.find((m) => m.mount_point === mountPoint);
  const rule = settings.data?.data.find((r) => r.mount_pattern === mountPoint);
  const from = levels?.rule && levels.rule !== mountPoint ? ` (rule ${levels.rule})` : "";
  return (
    <div className="disk-alert" data-testid="disk-alert-row" data-alert-mount={mountPoint}>
      <span className="disk-alert__state">
        {open.data === undefined ? null : alerts.length === 0 ? (
          <span className="severity-tag severity-tag--ok">ok</span>
        ) : (
          alerts.map((alert) => (
            <span key={alert.id} className="disk-alert__firing">
              <SeverityTag alert={alert} /> {KIND_LABELS[alert.kind]}
              {alert.state === "pending" ? " (pending)" : ""}
            </span>
          ))
        )}
      </span>
      <span className="disk-alert__levels muted small">
        {levels ? `${describeLevels(levels.effective)}${from}` : ""}
      </span>
      {canChange && !editing ? (
        <button
          type="button"
          className="button button--ghost button--small"
          onClick={() => setEditing(true)}
          aria-label={`Change alerts for ${mountPoint}`}
        >
          Change
        </button>
      ) : null}
      {editing ? (
        <DiskAlertSettings
          serverId={serverId}
          mountPoint={mountPoint}
          rule={rule}
          onDone={() => setEditing(false)}
        />
      ) : null}
    </div>
  );
}

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useAuth } from "../../lib/auth";
import { Widget } from "../../components/ui/Widget";
import type { FilesystemRead } from "../../types/server";
import { DiskAlertSettings } from "./DiskAlertSettings";
import { alertsQuery, mountSettingsQuery } from "./queries";
import { KIND_LABELS, SeverityTag } from "./SeverityTag";
import type { AlertRead, MountLevels } from "./types";
import "./alerts.css";

const MODE_LABELS = { default: "usage levels", expected_full: "expected full", ignore: "ignored" };

interface Props {
  serverId: string;
  filesystems: FilesystemRead[] | null;
}

function state(alerts: AlertRead[]) {
  if (alerts.length === 0) return <span className="severity-tag severity-tag--ok">ok</span>;
  return alerts.map((alert) => (
    <div key={alert.id}>
      <SeverityTag alert={alert} /> {KIND_LABELS[alert.kind]}
      {alert.state === "pending" ? " (pending)" : ""}
    </div>
  ));
}

/** The mode in force, its levels, and the glob rule it comes from (if not the mount's own). */
function describe(levels: MountLevels | undefined): string {
  if (!levels) return "";
  const { mode, warn_percent, crit_percent } = levels.effective;
  const figures = mode === "default" ? ` (${warn_percent} / ${crit_percent} %)` : "";
  const from = levels.rule && levels.rule !== levels.mount_point ? `, from ${levels.rule}` : "";
  return `${MODE_LABELS[mode]}${figures}${from}`;
}

/** Each disk's alert state and, for admins, a menu: expected full, ignore, or its own levels. */
export function DiskAlertsCard({ serverId, filesystems }: Props) {
  const { user } = useAuth();
  const canChange = user?.role === "admin";
  const open = useQuery(alertsQuery("open", serverId));
  const rules = useQuery(mountSettingsQuery(serverId));
  const [editing, setEditing] = useState<string | null>(null);
  const mounts = (filesystems ?? []).map((fs) => fs.mount_point);
  const byMount = new Map<string, AlertRead[]>();
  for (const alert of open.data?.data ?? []) {
    if (alert.mount_point === null) continue;
    byMount.set(alert.mount_point, [...(byMount.get(alert.mount_point) ?? []), alert]);
  }
  const ruleOf = (mount: string) => rules.data?.data.find((r) => r.mount_pattern === mount);
  const levelsOf = (mount: string) => rules.data?.mounts.find((m) => m.mount_point === mount);
  return (
    <Widget title="Disk alerts" className="widget--wide">
      {mounts.length === 0 ? (
        <p className="muted">No filesystems reported.</p>
      ) : (
        <table className="disk-alerts">
          <thead>
            <tr>
              <th scope="col">Mount</th>
              <th scope="col">Alert state</th>
              <th scope="col">Alerting</th>
            </tr>
          </thead>
          <tbody>
            {mounts.map((mount) => {
              const rule = ruleOf(mount);
              return (
                <tr key={mount} data-testid="disk-alert-row">
                  <td className="mono">{mount}</td>
                  <td>{state(byMount.get(mount) ?? [])}</td>
                  <td>
                    {editing === mount ? (
                      <DiskAlertSettings
                        serverId={serverId}
                        mountPoint={mount}
                        rule={rule}
                        onDone={() => setEditing(null)}
                      />
                    ) : (
                      <>
                        <span>{describe(levelsOf(mount))}</span>{" "}
                        {canChange ? (
                          <button
                            type="button"
                            className="button button--ghost"
                            onClick={() => setEditing(mount)}
                            aria-label={`Change alerts for ${mount}`}
                          >
                            Change
                          </button>
                        ) : null}
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </Widget>
  );
}

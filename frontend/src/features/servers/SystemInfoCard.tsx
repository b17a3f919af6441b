import { Notice } from "../../components/ui/Notice";
import { Widget } from "../../components/ui/Widget";
import { formatDateTime, formatUptime } from "../../lib/format";
import type { ServerRead } from "../../types/server";

/** OS, kernel, agent and uptime facts, and any collector the agent reports as failing. */
export function SystemInfoCard({ server }: { server: ServerRead }) {
  const os = server.os_info;
  const rows: [string, string][] = [
    ["Hostname", server.hostname],
    ["OS", [os?.distribution, os?.version].filter(Boolean).join(" ") || "—"],
    ["Kernel", os?.kernel ?? "—"],
    ["Architecture", os?.architecture ?? "—"],
    ["Uptime", formatUptime(server.latest_metrics?.uptime_seconds)],
    ["Agent", server.agent_version ?? "—"],
    ["Last heartbeat", formatDateTime(server.latest_heartbeat_at)],
    ["Registered", formatDateTime(server.created_at)],
  ];
  const failing = Object.entries(server.collector_errors ?? {});
  return (
    <Widget title="System">
      {failing.length > 0 ? (
        <Notice tone="error" title="The agent could not collect everything">
          <ul className="collector-errors">
            {failing.map(([collector, reason]) => (
              <li key={collector}>
                <span className="mono">{collector}</span>: {reason}
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}
      <dl className="facts">
        {rows.map(([term, value]) => (
          <div key={term} className="facts__row">
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </Widget>
  );
}

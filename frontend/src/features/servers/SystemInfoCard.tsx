import { Widget } from "../../components/ui/Widget";
import { formatDateTime, formatUptime } from "../../lib/format";
import type { ServerRead } from "../../types/server";

/** OS, kernel, agent and uptime facts. */
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
  return (
    <Widget title="System">
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

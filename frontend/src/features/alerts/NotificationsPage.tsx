import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Link } from "react-router-dom";
import { Notice } from "../../components/ui/Notice";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import { ChannelItem } from "./ChannelItem";
import { channelsQuery, createChannelMutation } from "./queries";
import type { Severity } from "./types";
import "./alerts.css";

/** Where alerts are sent: channels of HOMELAB_CMD_NOTIFY_URLS and those added here. */
export function NotificationsPage() {
  useDocumentTitle("Notifications");
  const queryClient = useQueryClient();
  const channels = useQuery(channelsQuery());
  const create = useMutation(createChannelMutation(queryClient));
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [severity, setSeverity] = useState<Severity>("warning");

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(
      { name: name.trim(), url: url.trim(), min_severity: severity, enabled: true },
      {
        onSuccess: () => {
          setName("");
          setUrl("");
        },
      },
    );
  }

  const stored = channels.data?.data ?? [];
  const environment = channels.data?.environment ?? [];
  return (
    <main className="page" id="main">
      <nav className="breadcrumb" aria-label="Breadcrumb">
        <Link to="/alerts">Alerts</Link>
      </nav>
      <h1>Notifications</h1>
      <p className="muted">
        Alerts are sent through Apprise: ntfy, Gotify, Discord, Telegram, Slack, Matrix, e-mail,
        webhooks and more. Each channel gets the alerts at or above its severity.
      </p>
      {channels.isError ? <Notice tone="error">{channels.error.message}</Notice> : null}
      <section className="alerts-section" aria-labelledby="channels-title">
        <h2 id="channels-title">Channels</h2>
        {stored.length === 0 && environment.length === 0 && channels.isSuccess ? (
          <p className="muted">No channel yet: alerts are shown here but sent nowhere.</p>
        ) : null}
        <ul className="alert-list">
          {environment.map((c) => (
            <li key={`env-${c.index}`} className="alert-row" data-testid="channel-row">
              <div>
                <strong>HOMELAB_CMD_NOTIFY_URLS #{c.index + 1}</strong>{" "}
                <span className="mono small">{c.url_redacted}</span>
              </div>
              <div className="muted small">
                set in the hub&apos;s environment · {c.min_severity} and above
                {c.queued ? ` · ${c.queued} waiting` : ""}
                {c.last_error ? ` · last error: ${c.last_error}` : ""}
              </div>
            </li>
          ))}
          {stored.map((c) => (
            <ChannelItem key={c.id} channel={c} />
          ))}
        </ul>
        <form className="channel-form" onSubmit={submit} aria-label="Add a channel">
          <label className="field">
            <span className="field__label">Name</span>
            <input
              required
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </label>
          <label className="field">
            <span className="field__label">Apprise URL</span>
            <input
              required
              value={url}
              placeholder="ntfys://ntfy.sh/my-topic"
              onChange={(e) => setUrl(e.target.value)}
              size={40}
            />
          </label>
          <label className="field">
            <span className="field__label">Send</span>
            <select value={severity} onChange={(e) => setSeverity(e.target.value as Severity)}>
              <option value="warning">warnings and critical</option>
              <option value="critical">critical only</option>
            </select>
          </label>
          <button type="submit" className="button button--primary" disabled={create.isPending}>
            Add channel
          </button>
        </form>
        {create.isError ? <Notice tone="error">{create.error.message}</Notice> : null}
      </section>
    </main>
  );
}

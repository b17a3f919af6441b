import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Notice } from "../../components/ui/Notice";
import { deleteChannelMutation, testChannelMutation } from "./queries";
import type { ChannelRead } from "./types";

/** One stored channel: its redacted URL, threshold, queue, a test button and delete. */
export function ChannelItem({ channel }: { channel: ChannelRead }) {
  const queryClient = useQueryClient();
  const test = useMutation(testChannelMutation());
  const remove = useMutation(deleteChannelMutation(queryClient));
  return (
    <li className="alert-row" data-testid="channel-row">
      <div>
        <strong>{channel.name}</strong> <span className="mono small">{channel.url_redacted}</span>
      </div>
      <div className="muted small">
        {channel.enabled ? "on" : "off"} · {channel.min_severity} and above
        {channel.queued ? ` · ${channel.queued} waiting` : ""}
        {channel.last_error ? ` · last error: ${channel.last_error}` : ""}
      </div>
      <div className="alert-row__actions">
        <button
          type="button"
          className="button"
          onClick={() => test.mutate(channel.id)}
          disabled={test.isPending}
        >
          {test.isPending ? "Sending…" : "Send test"}
        </button>
        <button
          type="button"
          className="button button--danger-outline"
          onClick={() => remove.mutate(channel.id)}
          disabled={remove.isPending}
        >
          Delete
        </button>
      </div>
      {test.data ? (
        <Notice tone={test.data.delivered ? "info" : "error"}>
          {test.data.delivered ? "Test message sent." : `Not delivered: ${test.data.error}`}
        </Notice>
      ) : null}
      {test.isError ? <Notice tone="error">{test.error.message}</Notice> : null}
      {remove.isError ? <Notice tone="error">{remove.error.message}</Notice> : null}
    </li>
  );
}

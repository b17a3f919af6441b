import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Notice } from "../../components/ui/Notice";
import "./enroll.css";
import { EnrollmentCommands } from "./EnrollmentCommands";
import { rotateTokenMutation } from "./queries";

/**
 * Rotates a server's agent token: the old one stops working at once, and a single-use code
 * enrolls the host again as this same server.
 */
export function RotateToken({ serverId, name }: { serverId: string; name: string }) {
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState(false);
  const rotate = useMutation(rotateTokenMutation(queryClient, serverId));

  if (rotate.data) {
    return (
      <section className="actions" aria-label="New enrollment for this server">
        <Notice title="Token revoked">
          {name} can no longer report with its old token. Enroll it again:
        </Notice>
        <EnrollmentCommands code={rotate.data} />
        <button type="button" className="button" onClick={() => rotate.reset()}>
          Done
        </button>
      </section>
    );
  }
  if (asking) {
    return (
      <div className="actions" role="alertdialog" aria-labelledby="rotate-question">
        <p id="rotate-question">
          Revoke the agent token of <strong>{name}</strong> now? It stops reporting until you run
          the enroll command shown next on it.
        </p>
        <button
          type="button"
          className="button button--danger"
          disabled={rotate.isPending}
          onClick={() => rotate.mutate(undefined, { onSuccess: () => setAsking(false) })}
          autoFocus
        >
          Rotate token
        </button>
        <button type="button" className="button" onClick={() => setAsking(false)}>
          Cancel
        </button>
        {rotate.isError ? <Notice tone="error">{rotate.error.message}</Notice> : null}
      </div>
    );
  }
  return (
    <button type="button" className="button" onClick={() => setAsking(true)}>
      Rotate token…
    </button>
  );
}

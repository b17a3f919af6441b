import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Notice } from "../../components/ui/Notice";
import { disableLegacyKeyMutation, legacyKeyQuery } from "./queries";

/**
 * The shared key of earlier versions: which servers still report with it, and the switch that
 * turns it off once they are all enrolled. Shown only while the key is on.
 */
export function LegacyKeyPanel() {
  const queryClient = useQueryClient();
  const status = useQuery(legacyKeyQuery());
  const disable = useMutation(disableLegacyKeyMutation(queryClient));
  if (!status.data?.enabled) return null;
  const servers = status.data.servers;
  return (
    <Notice title="The old shared key is still accepted for heartbeats">
      <p>
        {servers.length === 0
          ? "No server has used it since the hub started."
          : `Still using it: ${servers.map((s) => s.server_id).join(", ")}. Enroll each with Add server, then turn the key off.`}
      </p>
      <button
        type="button"
        className="button button--danger-outline"
        disabled={disable.isPending}
        onClick={() => disable.mutate()}
      >
        Turn off the shared key
      </button>
      {disable.isError ? <Notice tone="error">{disable.error.message}</Notice> : null}
    </Notice>
  );
}

import { useQuery } from "@tanstack/react-query";
import { Notice } from "../../components/ui/Notice";
import { plainHttpQuery } from "./queries";

/** Marks the servers whose token and metrics cross the network unencrypted. */
export function PlainHttpPanel() {
  const plain = useQuery(plainHttpQuery());
  const servers = plain.data?.servers ?? [];
  if (servers.length === 0) return null;
  return (
    <Notice title="Reporting over plain http">
      <p>
        {servers.map((s) => s.server_id).join(", ")}: their agent tokens and metrics cross the
        network unencrypted. Serve the hub over https (<code>HOMELAB_CMD_TLS=self-signed</code>),
        then enroll each host again with Rotate token on its page.
      </p>
    </Notice>
  );
}

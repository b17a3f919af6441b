import { Notice } from "../../components/ui/Notice";
import type { components } from "../../types/api.gen";
import { CommandBlock } from "./CommandBlock";

type EnrollmentCode = components["schemas"]["EnrollmentCode"];

/** What to run on the host with a fresh code, and until when the code works. */
export function EnrollmentCommands({ code }: { code: EnrollmentCode }) {
  const until = new Date(code.expires_at).toLocaleTimeString([], {
    hour: "2-digit",
    minute: "2-digit",
  });
  return (
    <>
      {code.hub_url_warning ? (
        <Notice title="Other hosts cannot reach this address">{code.hub_url_warning}</Notice>
      ) : null}
      <p>On the host, as root (Linux with Python 3.11+ and curl):</p>
      <CommandBlock label="Install command" command={code.install_command} />
      <p className="muted">
        The code works once, until {until}. The host appears here with its first heartbeat. A host
        with the agent installed already needs only:
      </p>
      <CommandBlock label="Enroll command" command={code.enroll_command} />
    </>
  );
}

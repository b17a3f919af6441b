import { useQuery } from "@tanstack/react-query";
import { healthQuery } from "../../lib/health";

/** The hub's version, as the hub reports it, so a bug report names what actually runs. */
export function VersionFooter() {
  const { data } = useQuery(healthQuery());
  return <footer className="footer muted">{data ? `HomelabCmd v${data.version}` : null}</footer>;
}

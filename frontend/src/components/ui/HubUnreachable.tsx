import { ApiError } from "../../api/client";
import { formatAgo, formatDateTime } from "../../lib/format";

interface HubUnreachableProps {
  error: Error;
  /** When the data on screen was fetched (ms since the epoch), 0 when never. */
  updatedAt: number;
}

/**
 * Says the hub could not be reached (or answered with an error) and how old the data on
 * screen is: the page keeps showing it rather than blanking out.
 */
export function HubUnreachable({ error, updatedAt }: HubUnreachableProps) {
  const iso = updatedAt ? new Date(updatedAt).toISOString() : null;
  const cause =
    error instanceof ApiError
      ? `The hub answered with an error (${error.status}: ${error.message})`
      : "Hub unreachable";
  return (
    <div className="outage" role="alert" data-testid="hub-unreachable">
      <strong>{cause}</strong>
      {iso ? (
        <>
          {" "}
          — showing data from <time dateTime={iso}>{formatDateTime(iso)}</time> ({formatAgo(iso)}).
          Retrying every 30 s.
        </>
      ) : (
        " — retrying every 30 s."
      )}
    </div>
  );
}

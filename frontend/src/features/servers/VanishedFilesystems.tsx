import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Notice } from "../../components/ui/Notice";
import { formatAgo, formatDateTime } from "../../lib/format";
import { dismissFilesystemMutation } from "./queries";
import type { VanishedFilesystem } from "../../types/server";

interface VanishedFilesystemsProps {
  serverId: string;
  vanished: VanishedFilesystem[];
  selectedMount: string | null;
  onSelect: (mountPoint: string) => void;
}

/**
 * Filesystems the server stopped reporting, with since when, until dismissed: a disk that
 * was unplugged or failed does not just disappear from the list. Its history stays viewable.
 */
export function VanishedFilesystems({
  serverId,
  vanished,
  selectedMount,
  onSelect,
}: VanishedFilesystemsProps) {
  const queryClient = useQueryClient();
  const dismiss = useMutation(dismissFilesystemMutation(queryClient, serverId));
  if (vanished.length === 0) return null;
  return (
    <>
      <ul className="fs-list fs-list--missing" aria-label="Stopped reporting">
        {vanished.map((fs) => (
          <li
            key={fs.mount_point}
            className="fs-row fs-row--missing fs-row--vanished"
            data-testid="vanished-row"
            data-mount={fs.mount_point}
          >
            <button
              type="button"
              className="fs-row__button"
              aria-pressed={fs.mount_point === selectedMount}
              onClick={() => onSelect(fs.mount_point)}
            >
              <span className="fs-row__head">
                <span className="fs-row__mount" title={fs.mount_point}>
                  {fs.mount_point}
                </span>
                <span className="badge badge--critical">vanished</span>
              </span>
              <span className="fs-row__detail">
                <span className="fs-row__device" title={fs.device}>
                  {fs.device} · {fs.fs_type}
                </span>
              </span>
              <span className="fs-row__shadowed">
                missing since{" "}
                <time dateTime={fs.missing_since}>{formatDateTime(fs.missing_since)}</time> (
                {formatAgo(fs.missing_since)})
              </span>
            </button>
            <button
              type="button"
              className="button button--small fs-row__dismiss"
              disabled={dismiss.isPending}
              onClick={() => dismiss.mutate(fs.mount_point)}
              aria-label={`Dismiss ${fs.mount_point}`}
            >
              Dismiss
            </button>
          </li>
        ))}
      </ul>
      {dismiss.isError ? <Notice tone="error">{dismiss.error.message}</Notice> : null}
    </>
  );
}

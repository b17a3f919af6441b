import { useMutation, useQueryClient } from "@tanstack/react-query";
import {
  useEffect,
  useRef,
  useState,
  type FormEvent,
  type KeyboardEvent,
  type ReactNode,
} from "react";
import { useNavigate } from "react-router-dom";
import { Notice } from "../../components/ui/Notice";
import { deleteServerMutation, updateServerMutation } from "./queries";
import type { ServerRead } from "../../types/server";
import { serverName } from "./fleet";

type Mode = "idle" | "rename" | "delete";

/**
 * Rename (display name) and delete-with-confirmation for one server; `extra` follows them (the
 * app puts Rotate token there).
 */
export function ServerActions({ server, extra }: { server: ServerRead; extra?: ReactNode }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [mode, setMode] = useState<Mode>("idle");
  const [name, setName] = useState(server.display_name ?? "");
  const rename = useMutation(updateServerMutation(queryClient, server.id));
  const remove = useMutation(deleteServerMutation(queryClient, server.id));
  const renameButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  // Which button gets the focus back when a form closes (Save, Cancel or Escape).
  const returnTo = useRef<Mode>("idle");

  useEffect(() => {
    if (mode !== "idle" || returnTo.current === "idle") return;
    (returnTo.current === "rename" ? renameButton : deleteButton).current?.focus();
    returnTo.current = "idle";
  }, [mode]);

  function close() {
    returnTo.current = mode;
    setMode("idle");
  }
  function closeOnEscape(event: KeyboardEvent) {
    if (event.key !== "Escape") return;
    event.preventDefault();
    close();
  }

  function submitRename(event: FormEvent) {
    event.preventDefault();
    rename.mutate({ display_name: name.trim() || null }, { onSuccess: close });
  }

  if (mode === "rename") {
    return (
      <form className="actions" onSubmit={submitRename} onKeyDown={closeOnEscape}>
        <label className="field">
          <span className="field__label">Display name</span>
          <input
            value={name}
            maxLength={255}
            placeholder={server.hostname}
            onChange={(event) => setName(event.target.value)}
            autoFocus
          />
        </label>
        <button type="submit" className="button button--primary" disabled={rename.isPending}>
          Save
        </button>
        <button type="button" className="button" onClick={close}>
          Cancel
        </button>
        {rename.isError ? <Notice tone="error">{rename.error.message}</Notice> : null}
      </form>
    );
  }
  if (mode === "delete") {
    return (
      <div
        className="actions"
        role="alertdialog"
        aria-labelledby="delete-question"
        onKeyDown={closeOnEscape}
      >
        <p id="delete-question">
          Delete <strong>{serverName(server)}</strong> and all its history? Its agent token is
          revoked too: the host stops reporting until it is enrolled again.
        </p>
        <button
          type="button"
          className="button button--danger"
          disabled={remove.isPending}
          onClick={() => remove.mutate(undefined, { onSuccess: () => navigate("/") })}
          autoFocus
        >
          Delete server
        </button>
        <button type="button" className="button" onClick={close}>
          Cancel
        </button>
        {remove.isError ? <Notice tone="error">{remove.error.message}</Notice> : null}
      </div>
    );
  }
  return (
    <div className="actions">
      <button
        ref={renameButton}
        type="button"
        className="button"
        onClick={() => {
          setName(server.display_name ?? "");
          setMode("rename");
        }}
      >
        Rename
      </button>
      <button
        ref={deleteButton}
        type="button"
        className="button button--danger-outline"
        onClick={() => setMode("delete")}
      >
        Delete…
      </button>
      {extra}
    </div>
  );
}

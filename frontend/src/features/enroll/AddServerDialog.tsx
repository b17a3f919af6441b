import { useMutation } from "@tanstack/react-query";
import { useEffect, useId, useRef, useState } from "react";
import { useAuth } from "../../lib/auth";
import { useFocusTrap } from "../../lib/useFocusTrap";
import { Notice } from "../../components/ui/Notice";
import "./enroll.css";
import { EnrollmentCommands } from "./EnrollmentCommands";
import { createEnrollmentMutation } from "./queries";

/** "Add server": makes a single-use code and shows the one command that adds a host. */
export function AddServerButton() {
  const [open, setOpen] = useState(false);
  const { user } = useAuth();
  if (user?.role !== "admin") return null;
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        Add server
      </button>
      {open ? <AddServerDialog onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function AddServerDialog({ onClose }: { onClose: () => void }) {
  const titleId = useId();
  const dialog = useRef<HTMLDivElement>(null);
  useFocusTrap(dialog);
  const create = useMutation(createEnrollmentMutation());
  const { mutate } = create;
  useEffect(() => mutate(), [mutate]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === "Escape" && onClose();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onClose]);

  return (
    <div className="modal-backdrop">
      <div ref={dialog} className="modal" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <h2 id={titleId}>Add a server</h2>
        {create.isPending ? <p className="muted">Making a code…</p> : null}
        {create.isError ? (
          <Notice tone="error">Could not make a code: {create.error.message}</Notice>
        ) : null}
        {create.data ? <EnrollmentCommands code={create.data} /> : null}
        <div className="actions">
          <button type="button" className="button" onClick={() => mutate()}>
            New code
          </button>
          <button type="button" className="button button--primary" onClick={onClose} autoFocus>
            Done
          </button>
        </div>
      </div>
    </div>
  );
}

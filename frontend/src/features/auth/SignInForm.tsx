import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { ApiError } from "../../api/client";
import { Notice } from "../../components/ui/Notice";
import { verifyKeyMutation } from "../../queries/auth";

interface SignInFormProps {
  onSignedIn: (key: string) => void;
  /** Why the user has to sign in again, if a stored key stopped working. */
  notice?: string | null;
}

function explain(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) {
    return "The hub did not accept this API key (401). Use the key the hub printed when it first started (it is also in the hub's data folder).";
  }
  if (error instanceof ApiError) return `The hub answered ${error.status}: ${error.message}`;
  return "Could not reach the hub. Is it running?";
}

/** Asks once for the hub's API key and checks it before keeping it. */
export function SignInForm({ onSignedIn, notice }: SignInFormProps) {
  const [key, setKey] = useState("");
  const inputId = useId();
  const verify = useMutation({ ...verifyKeyMutation(), onSuccess: (key) => onSignedIn(key) });

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = key.trim();
    if (trimmed) verify.mutate(trimmed);
  }

  return (
    <form className="signin" onSubmit={submit} aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to HomelabCmd</h1>
      <p className="muted">
        Enter the hub&apos;s API key. This browser keeps it until you sign out.
      </p>
      {notice && !verify.isError ? <Notice tone="error">{notice}</Notice> : null}
      <label htmlFor={inputId} className="field__label">
        API key
      </label>
      <input
        id={inputId}
        type="password"
        autoComplete="current-password"
        value={key}
        onChange={(event) => setKey(event.target.value)}
        required
        autoFocus
      />
      {verify.isError ? <Notice tone="error">{explain(verify.error)}</Notice> : null}
      <button type="submit" className="button button--primary" disabled={verify.isPending}>
        {verify.isPending ? "Checking…" : "Sign in"}
      </button>
    </form>
  );
}

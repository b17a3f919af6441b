import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { ApiError } from "../../api/client";
import type { Me } from "../../lib/auth";
import { Notice } from "../../components/ui/Notice";
import { loginMutation } from "./queries";

interface SignInFormProps {
  onSignedIn: (user: Me) => void;
  /** Why the user has to sign in again, if the session ended. */
  notice?: string | null;
}

function explain(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) {
    return "Wrong username or password.";
  }
  if (error instanceof ApiError && error.status === 429) {
    return "Too many failed attempts. Wait a minute, then try again.";
  }
  if (error instanceof ApiError) return `The hub answered ${error.status}: ${error.message}`;
  return "Could not reach the hub. Is it running?";
}

/** Signs in with a username and password; the hub keeps the session in an HttpOnly cookie. */
export function SignInForm({ onSignedIn, notice }: SignInFormProps) {
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const userId = useId();
  const passwordId = useId();
  const login = useMutation({ ...loginMutation(), onSuccess: (user) => onSignedIn(user) });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (username.trim() && password) login.mutate({ username: username.trim(), password });
  }

  return (
    <form className="signin" onSubmit={submit} aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to HomelabCmd</h1>
      {notice && !login.isError ? <Notice tone="error">{notice}</Notice> : null}
      <label htmlFor={userId} className="field__label">
        Username
      </label>
      <input
        id={userId}
        autoComplete="username"
        value={username}
        onChange={(event) => setUsername(event.target.value)}
        required
        autoFocus
      />
      <label htmlFor={passwordId} className="field__label">
        Password
      </label>
      <input
        id={passwordId}
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        required
      />
      {login.isError ? <Notice tone="error">{explain(login.error)}</Notice> : null}
      <button type="submit" className="button button--primary" disabled={login.isPending}>
        {login.isPending ? "Signing in…" : "Sign in"}
      </button>
      <p className="muted">
        Forgot the password? On the hub, run <code>homelab-cmd users reset-password NAME</code>.
      </p>
    </form>
  );
}

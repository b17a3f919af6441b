import { useMutation } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { useNavigate } from "react-router-dom";
import { ApiError } from "../../api/client";
import type { Me } from "../../lib/auth";
import { Notice } from "../../components/ui/Notice";
import { setupMutation } from "./queries";

const MIN_PASSWORD = 10;

/** The token of the setup link the hub printed: it travels in the fragment, never sent. */
export function setupToken(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, "")).get("token") ?? "";
}

function explain(error: unknown): string {
  if (error instanceof ApiError && error.status === 403) {
    return `${error.message}. Restart the hub for a new link, or run 'homelab-cmd users create NAME' on it.`;
  }
  if (error instanceof ApiError) return error.message;
  return "Could not reach the hub. Is it running?";
}

/** Chooses the first admin's username and password with the hub's one-time setup link. */
export function SetupForm({ onSignedIn }: { onSignedIn: (user: Me) => void }) {
  const [token] = useState(() => setupToken(window.location.hash));
  const [username, setUsername] = useState("admin");
  const [password, setPassword] = useState("");
  const [repeat, setRepeat] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const navigate = useNavigate();
  const ids = { user: useId(), password: useId(), repeat: useId() };
  const setup = useMutation({
    ...setupMutation(),
    onSuccess: (user) => {
      onSignedIn(user);
      navigate("/", { replace: true });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (password.length < MIN_PASSWORD) {
      setProblem(`Choose a password of at least ${MIN_PASSWORD} characters.`);
    } else if (password !== repeat) {
      setProblem("The two passwords differ.");
    } else {
      setProblem(null);
      setup.mutate({ token, username: username.trim(), password });
    }
  }

  if (!token) {
    return (
      <Notice tone="error" title="This page needs the setup link">
        Open the link the hub printed when it started (it ends in <code>#token=…</code>), or run{" "}
        <code>homelab-cmd users create NAME</code> on the hub.
      </Notice>
    );
  }
  return (
    <form className="signin" onSubmit={submit} aria-labelledby="setup-title">
      <h1 id="setup-title">Create the first admin</h1>
      <p className="muted">This link works once. The account signs in to this hub&apos;s UI.</p>
      <label htmlFor={ids.user} className="field__label">
        Username
      </label>
      <input
        id={ids.user}
        autoComplete="username"
        value={username}
        onChange={(event) => setUsername(event.target.value)}
        required
      />
      <label htmlFor={ids.password} className="field__label">
        Password
      </label>
      <input
        id={ids.password}
        type="password"
        autoComplete="new-password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        required
      />
      <label htmlFor={ids.repeat} className="field__label">
        Repeat the password
      </label>
      <input
        id={ids.repeat}
        type="password"
        autoComplete="new-password"
        value={repeat}
        onChange={(event) => setRepeat(event.target.value)}
        required
      />
      {problem ? <Notice tone="error">{problem}</Notice> : null}
      {setup.isError ? <Notice tone="error">{explain(setup.error)}</Notice> : null}
      <button type="submit" className="button button--primary" disabled={setup.isPending}>
        {setup.isPending ? "Creating…" : "Create admin and sign in"}
      </button>
    </form>
  );
}

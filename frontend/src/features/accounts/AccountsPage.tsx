import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Notice } from "../../components/ui/Notice";
import { useAuth } from "../../lib/auth";
import { useDocumentTitle } from "../../lib/useDocumentTitle";
import "./accounts.css";
import {
  createUserMutation,
  deleteUserMutation,
  updateUserMutation,
  usersQuery,
  type UserRead,
  type UserRole,
} from "./queries";

const ROLES: { value: UserRole; label: string }[] = [
  { value: "read", label: "Read-only" },
  { value: "admin", label: "Admin" },
];

/** People's accounts: add one with a role, change its role, set a new password, delete it. */
export function AccountsPage() {
  useDocumentTitle("Accounts");
  const { user } = useAuth();
  const users = useQuery({ ...usersQuery(), enabled: user?.role === "admin" });
  if (user?.role !== "admin") {
    return (
      <main id="main" className="page">
        <Notice tone="error">Only admins manage accounts.</Notice>
      </main>
    );
  }
  return (
    <main id="main" className="page accounts">
      <h1>Accounts</h1>
      <p className="muted">
        Read-only people see everything and change nothing. A new role or password signs the account
        out everywhere.
      </p>
      {users.isError ? <Notice tone="error">{users.error.message}</Notice> : null}
      {users.data ? (
        <table className="accounts__table">
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Role</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {users.data.data.map((account) => (
              <AccountRow
                key={account.id}
                account={account}
                self={account.username === user.name}
              />
            ))}
          </tbody>
        </table>
      ) : null}
      <AddAccountForm />
    </main>
  );
}

function AccountRow({ account, self }: { account: UserRead; self: boolean }) {
  const queryClient = useQueryClient();
  const update = useMutation(updateUserMutation(queryClient, account.id));
  const remove = useMutation(deleteUserMutation(queryClient, account.id));
  const [confirming, setConfirming] = useState(false);
  const [password, setPassword] = useState<string | null>(null);
  const error = update.error ?? remove.error;

  const setNewPassword = (event: FormEvent) => {
    event.preventDefault();
    if (password) update.mutate({ password }, { onSuccess: () => setPassword(null) });
  };

  return (
    <tr>
      <th scope="row">
        {account.username}
        {self ? <span className="muted"> (you)</span> : null}
      </th>
      <td>
        <select
          aria-label={`Role of ${account.username}`}
          value={account.role}
          disabled={update.isPending}
          onChange={(event) => update.mutate({ role: event.target.value as UserRole })}
        >
          {ROLES.map((role) => (
            <option key={role.value} value={role.value}>
              {role.label}
            </option>
          ))}
        </select>
      </td>
      <td className="accounts__actions">
        {password === null ? (
          <button type="button" className="button button--ghost" onClick={() => setPassword("")}>
            Reset password
          </button>
        ) : (
          <form onSubmit={setNewPassword} className="accounts__inline">
            <input
              type="password"
              aria-label={`New password for ${account.username}`}
              autoComplete="new-password"
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
            <button type="submit" className="button" disabled={!password || update.isPending}>
              Set
            </button>
            <button
              type="button"
              className="button button--ghost"
              onClick={() => setPassword(null)}
            >
              Cancel
            </button>
          </form>
        )}
        {confirming ? (
          <>
            <button type="button" className="button button--danger" onClick={() => remove.mutate()}>
              Delete {account.username}
            </button>
            <button
              type="button"
              className="button button--ghost"
              onClick={() => setConfirming(false)}
            >
              Keep
            </button>
          </>
        ) : (
          <button
            type="button"
            className="button button--ghost"
            onClick={() => setConfirming(true)}
          >
            Delete…
          </button>
        )}
        {error ? <Notice tone="error">{error.message}</Notice> : null}
      </td>
    </tr>
  );
}

function AddAccountForm() {
  const queryClient = useQueryClient();
  const create = useMutation(createUserMutation(queryClient));
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState<UserRole>("read");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate(
      { username, password, role },
      {
        onSuccess: () => {
          setUsername("");
          setPassword("");
        },
      },
    );
  };

  return (
    <form className="accounts__add" onSubmit={submit}>
      <h2>Add an account</h2>
      <label>
        Username
        <input value={username} onChange={(event) => setUsername(event.target.value)} required />
      </label>
      <label>
        Password
        <input
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          required
        />
      </label>
      <label>
        Role
        <select value={role} onChange={(event) => setRole(event.target.value as UserRole)}>
          {ROLES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button" disabled={create.isPending}>
        Add account
      </button>
      {create.isError ? <Notice tone="error">{create.error.message}</Notice> : null}
    </form>
  );
}

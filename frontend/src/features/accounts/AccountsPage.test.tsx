import { act, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { expect, it } from "vitest";
import { authStore } from "../../lib/auth";
import { renderWithProviders } from "../../test/render";
import { server } from "../../test/server";
import { AccountsLink } from "./AccountsLink";
import { AccountsPage } from "./AccountsPage";
import type { UserRead } from "./queries";

function account(id: number, username: string, role: UserRead["role"]): UserRead {
  return {
    id,
    username,
    role,
    created_at: "2026-12-01T10:00:00Z",
    password_changed_at: "2026-12-01T10:00:00Z",
  };
}

/** A hub holding `accounts`; returns the bodies of the changes it was sent. */
function serve(accounts: UserRead[]) {
  const sent: { method: string; url: string; body: unknown }[] = [];
  server.use(
    http.get("*/api/v1/users", () => HttpResponse.json({ data: accounts, count: accounts.length })),
    http.post("*/api/v1/users", async ({ request }) => {
      const body = (await request.json()) as { username: string; role: UserRead["role"] };
      sent.push({ method: "POST", url: request.url, body });
      accounts.push(account(accounts.length + 1, body.username, body.role));
      return HttpResponse.json(accounts.at(-1), { status: 201 });
    }),
    http.patch("*/api/v1/users/:id", async ({ request, params }) => {
      const body = (await request.json()) as { role?: UserRead["role"] };
      sent.push({ method: "PATCH", url: request.url, body });
      if (params.id === "1" && body.role === "read") {
        return HttpResponse.json(
          { error: "LastAdmin", detail: "'admin' is the last admin; make another admin first" },
          { status: 409 },
        );
      }
      return HttpResponse.json(accounts.find((a) => String(a.id) === params.id));
    }),
    http.delete("*/api/v1/users/:id", ({ request, params }) => {
      sent.push({ method: "DELETE", url: request.url, body: null });
      accounts.splice(
        accounts.findIndex((a) => String(a.id) === params.id),
        1,
      );
      return new HttpResponse(null, { status: 204 });
    }),
  );
  return sent;
}

it("lists the accounts with their roles and adds a read-only one", async () => {
  const sent = serve([account(1, "admin", "admin")]);
  renderWithProviders(<AccountsPage />);

  expect(await screen.findByRole("rowheader", { name: /admin/ })).toBeInTheDocument();
  await userEvent.type(screen.getByLabelText("Username"), "viewer");
  await userEvent.type(screen.getByLabelText("Password"), "viewer-password-1");
  await userEvent.click(screen.getByRole("button", { name: "Add account" }));

  expect(await screen.findByRole("rowheader", { name: "viewer" })).toBeInTheDocument();
  expect(sent[0]?.body).toEqual({
    username: "viewer",
    password: "viewer-password-1",
    role: "read",
  });
  expect(screen.getByLabelText("Role of viewer")).toHaveValue("read");
});

it("says why the last admin cannot be made read-only", async () => {
  serve([account(1, "admin", "admin")]);
  renderWithProviders(<AccountsPage />);

  await userEvent.selectOptions(await screen.findByLabelText("Role of admin"), "read");

  expect(await screen.findByRole("alert")).toHaveTextContent("the last admin");
});

it("sets a new password and deletes an account only after confirming", async () => {
  const sent = serve([account(1, "admin", "admin"), account(2, "ops", "admin")]);
  renderWithProviders(<AccountsPage />);
  const row = (await screen.findByRole("rowheader", { name: "ops" })).closest("tr")!;

  await userEvent.click(within(row).getByRole("button", { name: "Reset password" }));
  await userEvent.type(within(row).getByLabelText("New password for ops"), "ops-password-2");
  await userEvent.click(within(row).getByRole("button", { name: "Set" }));
  await userEvent.click(within(row).getByRole("button", { name: "Delete…" }));
  expect(sent.map((s) => s.method)).toEqual(["PATCH"]);
  await userEvent.click(within(row).getByRole("button", { name: "Delete ops" }));

  expect(await screen.findByRole("rowheader", { name: /admin/ })).toBeInTheDocument();
  await screen.findByText((_, el) => el?.tagName === "TBODY" && el.children.length === 1);
  expect(sent.map((s) => [s.method, new URL(s.url).pathname, s.body])).toEqual([
    ["PATCH", "/api/v1/users/2", { password: "ops-password-2" }],
    ["DELETE", "/api/v1/users/2", null],
  ]);
});

it("shows the header link and the page to admins only", async () => {
  renderWithProviders(<AccountsLink />);
  expect(screen.getByRole("link", { name: "Accounts" })).toHaveAttribute(
    "href",
    "/settings/accounts",
  );

  act(() =>
    authStore.signedIn({ name: "viewer", role: "read", kind: "session", expires_at: null }),
  );
  expect(screen.queryByRole("link", { name: "Accounts" })).not.toBeInTheDocument();
});

it("tells a read-only person the page is not theirs, without asking the hub", () => {
  // MSW fails on any request it has no handler for: the page must not ask for the accounts.
  authStore.signedIn({ name: "viewer", role: "read", kind: "session", expires_at: null });
  renderWithProviders(<AccountsPage />, { signedIn: false });

  expect(screen.getByText("Only admins manage accounts.")).toBeInTheDocument();
});

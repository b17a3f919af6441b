import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { expect, it, vi } from "vitest";
import { renderWithProviders } from "../../test/render";
import { server } from "../../test/server";
import { SignInForm } from "./SignInForm";

const ME = { name: "ops", role: "admin", kind: "session", expires_at: "2026-12-08T00:00:00Z" };

function serveLogin(status = 200) {
  const seen: unknown[] = [];
  server.use(
    http.post("*/api/v1/auth/login", async ({ request }) => {
      seen.push({ body: await request.json(), marked: request.headers.get("X-Requested-With") });
      if (status === 429) {
        return HttpResponse.json(
          { error: "TooManyAttempts", detail: "too many" },
          { status, headers: { "Retry-After": "60" } },
        );
      }
      return status === 200
        ? HttpResponse.json(ME)
        : HttpResponse.json(
            { error: "InvalidCredentials", detail: "wrong username or password" },
            { status },
          );
    }),
  );
  return seen;
}

it("sends the username and password and hands on the account", async () => {
  const user = userEvent.setup();
  const seen = serveLogin();
  const onSignedIn = vi.fn();
  renderWithProviders(<SignInForm onSignedIn={onSignedIn} />, { signedIn: false });
  await user.type(screen.getByLabelText("Username"), " ops ");
  await user.type(screen.getByLabelText("Password"), "a-long-password{Enter}");
  await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(ME));
  expect(seen).toEqual([
    { body: { username: "ops", password: "a-long-password" }, marked: "HomelabCmd" },
  ]);
  expect(window.localStorage.length).toBe(0);
});

it("says clearly when the password is wrong", async () => {
  const user = userEvent.setup();
  serveLogin(401);
  const onSignedIn = vi.fn();
  renderWithProviders(<SignInForm onSignedIn={onSignedIn} />, { signedIn: false });
  await user.type(screen.getByLabelText("Username"), "ops");
  await user.type(screen.getByLabelText("Password"), "wrong{Enter}");
  expect(await screen.findByRole("alert")).toHaveTextContent("Wrong username or password.");
  expect(onSignedIn).not.toHaveBeenCalled();
});

it("asks to wait when the hub throttles sign-ins", async () => {
  const user = userEvent.setup();
  serveLogin(429);
  renderWithProviders(<SignInForm onSignedIn={vi.fn()} />, { signedIn: false });
  await user.type(screen.getByLabelText("Username"), "ops");
  await user.type(screen.getByLabelText("Password"), "guess{Enter}");
  expect(await screen.findByRole("alert")).toHaveTextContent("Too many failed attempts");
});

it("shows why the session ended", () => {
  renderWithProviders(<SignInForm onSignedIn={vi.fn()} notice="Your session has ended." />, {
    signedIn: false,
  });
  expect(screen.getByRole("alert")).toHaveTextContent("Your session has ended.");
});

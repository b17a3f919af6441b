import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { expect, it } from "vitest";
import { App } from "./App";
import { authStore } from "../lib/auth";
import { createQueryClient } from "../lib/queryClient";
import { makeServerSummary, makeAlertSettings } from "../test/fixtures";
import { server } from "../test/server";

const ME = { name: "ops", role: "admin", kind: "session", expires_at: null };

/** A hub whose session lives in a (simulated) cookie: signed in after login, not after logout. */
function serveHub() {
  let session = false;
  const calls: string[] = [];
  server.use(
    http.get("*/api/v1/alert-settings", () => HttpResponse.json(makeAlertSettings())),
    http.get("*/api/v1/auth/session", () =>
      HttpResponse.json({ user: session ? ME : null, setup_open: false }),
    ),
    http.post("*/api/v1/auth/login", async ({ request }) => {
      const body = (await request.json()) as { password: string };
      session = body.password === "the-right-password";
      return session
        ? HttpResponse.json(ME)
        : HttpResponse.json({ error: "InvalidCredentials", detail: "wrong" }, { status: 401 });
    }),
    http.post("*/api/v1/auth/logout", () => {
      calls.push("logout");
      session = false;
      return new HttpResponse(null, { status: 204 });
    }),
    http.get("*/api/v1/servers", () =>
      session
        ? HttpResponse.json({ data: [makeServerSummary()], count: 1 })
        : HttpResponse.json({ error: "Unauthorized", detail: "sign in" }, { status: 401 }),
    ),
    http.get("*/api/v1/system/health", () =>
      HttpResponse.json({ status: "ok", version: "1.2.3", database: "ok" }),
    ),
    http.get("*/api/v1/legacy-key", () => HttpResponse.json({ enabled: false, servers: [] })),
    http.get("*/api/v1/agents/plain-http", () => HttpResponse.json({ servers: [] })),
  );
  return calls;
}

it("signs in with a password, keeps the session across visits, and ends it on sign-out", async () => {
  const user = userEvent.setup();
  const calls = serveHub();
  const first = render(<App queryClient={createQueryClient({ retry: false })} />);
  await user.type(await screen.findByLabelText("Username"), "ops");
  await user.type(screen.getByLabelText("Password"), "the-right-password{Enter}");
  expect(await screen.findByTestId("server-card")).toBeInTheDocument();
  expect(screen.getByText("HomelabCmd v1.2.3")).toBeInTheDocument();
  expect(window.localStorage.length).toBe(0);
  first.unmount();

  // A new visit asks the hub whom the cookie belongs to and goes straight to the fleet.
  authStore.reset();
  render(<App queryClient={createQueryClient({ retry: false })} />);
  expect(await screen.findByTestId("server-card")).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Sign out" }));
  expect(await screen.findByLabelText("Password")).toBeInTheDocument();
  expect(calls).toEqual(["logout"]);
});

it("points a hub without an admin to its setup link", async () => {
  server.use(
    http.get("*/api/v1/auth/session", () => HttpResponse.json({ user: null, setup_open: true })),
    http.get("*/api/v1/system/health", () =>
      HttpResponse.json({ status: "ok", version: "1.2.3", database: "ok" }),
    ),
  );
  render(<App queryClient={createQueryClient({ retry: false })} />);
  expect(await screen.findByText("This hub has no admin yet")).toBeInTheDocument();
});

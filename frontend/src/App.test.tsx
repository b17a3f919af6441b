import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { expect, it } from "vitest";
import { App } from "./App";
import { createQueryClient } from "./queryClient";
import { makeServerSummary } from "./test/fixtures";
import { server } from "./test/server";

const KEY = "0123456789abcdef0123456789abcdef";

it("asks for the key once, keeps it, and forgets it on sign-out", async () => {
  const user = userEvent.setup();
  server.use(
    http.get("*/api/v1/servers", ({ request }) =>
      request.headers.get("X-API-Key") === KEY
        ? HttpResponse.json({ data: [makeServerSummary()], count: 1 })
        : HttpResponse.json({ error: "Unauthorized", detail: "bad key" }, { status: 401 }),
    ),
    http.get("*/api/v1/system/health", () =>
      HttpResponse.json({ status: "ok", version: "1.2.3", database: "ok" }),
    ),
  );
  const first = render(<App queryClient={createQueryClient({ retry: false })} />);
  await user.type(screen.getByLabelText("API key"), `${KEY}{Enter}`);
  expect(await screen.findByTestId("server-card")).toBeInTheDocument();
  expect(window.localStorage.getItem("homelab-cmd.api-key")).toBe(KEY);
  expect(screen.getByText("HomelabCmd v1.2.3")).toBeInTheDocument();
  first.unmount();

  // A new visit goes straight to the fleet.
  render(<App queryClient={createQueryClient({ retry: false })} />);
  expect(await screen.findByTestId("server-card")).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Sign out" }));
  expect(screen.getByLabelText("API key")).toBeInTheDocument();
  expect(window.localStorage.getItem("homelab-cmd.api-key")).toBeNull();
});

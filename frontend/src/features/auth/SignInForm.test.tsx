import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { expect, it, vi } from "vitest";
import { renderWithProviders } from "../../test/render";
import { server } from "../../test/server";
import { SignInForm } from "./SignInForm";

const GOOD = "a-good-key-of-thirty-two-chars-x";

function serveKeyCheck() {
  const seen: (string | null)[] = [];
  server.use(
    http.get("*/api/v1/servers", ({ request }) => {
      const key = request.headers.get("X-API-Key");
      seen.push(key);
      return key === GOOD
        ? HttpResponse.json({ data: [], count: 0 })
        : HttpResponse.json(
            { error: "Unauthorized", detail: "missing or wrong API key" },
            { status: 401 },
          );
    }),
  );
  return seen;
}

it("says clearly when the hub rejects the key", async () => {
  const user = userEvent.setup();
  serveKeyCheck();
  const onSignedIn = vi.fn();
  renderWithProviders(<SignInForm onSignedIn={onSignedIn} />, { signedIn: false });
  await user.type(screen.getByLabelText("API key"), "wrong");
  await user.click(screen.getByRole("button", { name: "Sign in" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("did not accept this API key (401)");
  expect(onSignedIn).not.toHaveBeenCalled();
});

it("checks the key with X-API-Key and hands it on when accepted", async () => {
  const user = userEvent.setup();
  const seen = serveKeyCheck();
  const onSignedIn = vi.fn();
  renderWithProviders(<SignInForm onSignedIn={onSignedIn} />, { signedIn: false });
  await user.type(screen.getByLabelText("API key"), `  ${GOOD} {Enter}`);
  await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalledWith(GOOD));
  expect(seen).toEqual([GOOD]);
});

it("shows why a stored key was dropped", () => {
  renderWithProviders(
    <SignInForm onSignedIn={vi.fn()} notice="The hub rejected the stored API key (401)." />,
    { signedIn: false },
  );
  expect(screen.getByRole("alert")).toHaveTextContent("rejected the stored API key");
});

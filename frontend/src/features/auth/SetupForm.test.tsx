import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { afterEach, expect, it, vi } from "vitest";
import { renderWithProviders } from "../../test/render";
import { server } from "../../test/server";
import { SetupForm, setupToken } from "./SetupForm";

afterEach(() => window.history.replaceState(null, "", "/"));

it("reads the token from the link's fragment", () => {
  expect(setupToken("#token=abc-DEF_1")).toBe("abc-DEF_1");
  expect(setupToken("")).toBe("");
});

it("creates the first admin with the link's token", async () => {
  const user = userEvent.setup();
  window.history.replaceState(null, "", "/setup#token=the-token");
  const sent: unknown[] = [];
  server.use(
    http.post("*/api/v1/auth/setup", async ({ request }) => {
      sent.push(await request.json());
      return HttpResponse.json(
        { name: "owner", role: "admin", kind: "session", expires_at: null },
        { status: 201 },
      );
    }),
  );
  const onSignedIn = vi.fn();
  renderWithProviders(<SetupForm onSignedIn={onSignedIn} />, { signedIn: false });
  await user.clear(screen.getByLabelText("Username"));
  await user.type(screen.getByLabelText("Username"), "owner");
  await user.type(screen.getByLabelText("Password"), "short");
  await user.type(screen.getByLabelText("Repeat the password"), "short{Enter}");
  expect(await screen.findByRole("alert")).toHaveTextContent("at least 10 characters");
  expect(sent).toEqual([]);

  await user.clear(screen.getByLabelText("Password"));
  await user.type(screen.getByLabelText("Password"), "chosen-password-1");
  await user.clear(screen.getByLabelText("Repeat the password"));
  await user.type(screen.getByLabelText("Repeat the password"), "chosen-password-1{Enter}");
  await vi.waitFor(() => expect(onSignedIn).toHaveBeenCalled());
  expect(sent).toEqual([{ token: "the-token", username: "owner", password: "chosen-password-1" }]);
});

it("explains what to do without a token", () => {
  renderWithProviders(<SetupForm onSignedIn={vi.fn()} />, { signedIn: false });
  expect(screen.getByRole("alert")).toHaveTextContent("needs the setup link");
});

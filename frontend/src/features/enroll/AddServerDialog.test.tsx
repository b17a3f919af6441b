import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { expect, it } from "vitest";
import { renderWithProviders } from "../../test/render";
import { server } from "../../test/server";
import { AddServerButton } from "./AddServerDialog";

function code(n: number) {
  return {
    code: `hle_code${n}`,
    expires_at: "2026-12-01T05:00:00Z",
    server_id: null,
    install_command: `curl -fsSL http://hub:8080/install.sh | sudo sh -s -- --code hle_code${n}`,
    enroll_command: `sudo homelab-agent enroll http://hub:8080 hle_code${n}`,
  };
}

it("makes a code and shows the install command; a new code replaces it", async () => {
  const user = userEvent.setup();
  let made = 0;
  server.use(
    http.post("*/api/v1/enrollments", () => HttpResponse.json(code(++made), { status: 201 })),
  );
  renderWithProviders(<AddServerButton />);
  await user.click(screen.getByRole("button", { name: "Add server" }));

  const dialog = await screen.findByRole("dialog", { name: "Add a server" });
  expect(await screen.findByLabelText("Install command")).toHaveTextContent(
    "curl -fsSL http://hub:8080/install.sh | sudo sh -s -- --code hle_code1",
  );
  expect(screen.getByLabelText("Enroll command")).toHaveTextContent("hle_code1");
  expect(dialog).toHaveTextContent("The code works once");

  await user.click(screen.getByRole("button", { name: "New code" }));
  expect(await screen.findByText(/--code hle_code2/)).toBeInTheDocument();
  await user.click(screen.getByRole("button", { name: "Done" }));
  expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
});

it("says why when no code could be made", async () => {
  const user = userEvent.setup();
  server.use(
    http.post("*/api/v1/enrollments", () =>
      HttpResponse.json({ error: "Forbidden", detail: "admins only" }, { status: 403 }),
    ),
  );
  renderWithProviders(<AddServerButton />);
  await user.click(screen.getByRole("button", { name: "Add server" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("Could not make a code: admins only");
});

it("is not offered without an admin session", () => {
  renderWithProviders(<AddServerButton />, { signedIn: false });
  expect(screen.queryByRole("button", { name: "Add server" })).not.toBeInTheDocument();
});

it("says so when the commands name an address other hosts cannot reach", async () => {
  const user = userEvent.setup();
  const warning = "These commands name 127.0.0.1, which only this machine can reach.";
  server.use(
    http.post("*/api/v1/enrollments", () =>
      HttpResponse.json({ ...code(1), hub_url_warning: warning }, { status: 201 }),
    ),
  );
  renderWithProviders(<AddServerButton />);
  await user.click(screen.getByRole("button", { name: "Add server" }));

  const notice = await screen.findByRole("status");
  expect(notice).toHaveTextContent("Other hosts cannot reach this address");
  expect(notice).toHaveTextContent(warning);
});

it("shows no such notice for a reachable address", async () => {
  const user = userEvent.setup();
  server.use(http.post("*/api/v1/enrollments", () => HttpResponse.json(code(1), { status: 201 })));
  renderWithProviders(<AddServerButton />);
  await user.click(screen.getByRole("button", { name: "Add server" }));

  await screen.findByLabelText("Install command");
  expect(screen.queryByText("Other hosts cannot reach this address")).not.toBeInTheDocument();
});

it("keeps Tab inside the dialog and gives the focus back to Add server", async () => {
  const user = userEvent.setup();
  server.use(http.post("*/api/v1/enrollments", () => HttpResponse.json(code(1), { status: 201 })));
  renderWithProviders(
    <>
      <button type="button">behind</button>
      <AddServerButton />
    </>,
  );
  const opener = screen.getByRole("button", { name: "Add server" });
  await user.click(opener);
  const dialog = await screen.findByRole("dialog", { name: "Add a server" });
  await screen.findByLabelText("Install command");
  for (let i = 0; i < 12; i += 1) {
    await user.tab();
    expect(dialog).toContainElement(document.activeElement as HTMLElement);
  }
  for (let i = 0; i < 12; i += 1) {
    await user.tab({ shift: true });
    expect(dialog).toContainElement(document.activeElement as HTMLElement);
  }
  await user.keyboard("{Escape}");
  expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  expect(opener).toHaveFocus();
});

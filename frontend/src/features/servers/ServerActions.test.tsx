import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { Route, Routes } from "react-router-dom";
import { expect, it } from "vitest";
import { makeServerRead } from "../../test/fixtures";
import { renderWithProviders } from "../../test/render";
import { server } from "../../test/server";
import { serverKeys } from "../../lib/queryKeys";
import { ServerActions } from "./ServerActions";

function Harness() {
  return (
    <Routes>
      <Route path="/" element={<p>fleet</p>} />
      <Route path="*" element={<ServerActions server={makeServerRead()} />} />
    </Routes>
  );
}

it("renames the server and refreshes what shows its name", async () => {
  const user = userEvent.setup();
  const bodies: unknown[] = [];
  server.use(
    http.patch("*/api/v1/servers/web-1", async ({ request }) => {
      bodies.push(await request.json());
      return HttpResponse.json(makeServerRead({ display_name: "Web" }));
    }),
  );
  const { queryClient } = renderWithProviders(<Harness />, { url: "/servers/web-1" });
  queryClient.setQueryData(serverKeys.list(), { data: [], count: 0 });
  await user.click(screen.getByRole("button", { name: "Rename" }));
  await user.type(screen.getByLabelText("Display name"), "Web{Enter}");
  const renameButton = await screen.findByRole("button", { name: "Rename" });
  // Focus returns to where it was, so a keyboard user is not thrown to the top of the page.
  await waitFor(() => expect(renameButton).toHaveFocus());
  expect(bodies).toEqual([{ display_name: "Web" }]);
  expect(queryClient.getQueryState(serverKeys.list())?.isInvalidated).toBe(true);
});

it("asks before deleting, then deletes and returns to the fleet", async () => {
  const user = userEvent.setup();
  let deleted = 0;
  server.use(
    http.delete("*/api/v1/servers/web-1", () => {
      deleted += 1;
      return new HttpResponse(null, { status: 204 });
    }),
  );
  renderWithProviders(<Harness />, { url: "/servers/web-1" });
  await user.click(screen.getByRole("button", { name: "Delete…" }));
  expect(screen.getByRole("alertdialog")).toHaveTextContent(
    "Delete web-1.lan and all its history?",
  );
  await user.click(screen.getByRole("button", { name: "Cancel" }));
  expect(deleted).toBe(0);
  await user.click(screen.getByRole("button", { name: "Delete…" }));
  await user.click(screen.getByRole("button", { name: "Delete server" }));
  expect(await screen.findByText("fleet")).toBeInTheDocument();
  expect(deleted).toBe(1);
});

it("closes Rename and Delete with Escape and gives the focus back", async () => {
  const user = userEvent.setup();
  renderWithProviders(<Harness />, { url: "/servers/web-1" });

  await user.click(screen.getByRole("button", { name: "Rename" }));
  expect(screen.getByLabelText("Display name")).toHaveFocus();
  await user.keyboard("{Escape}");
  expect(screen.queryByLabelText("Display name")).not.toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Rename" })).toHaveFocus();

  await user.click(screen.getByRole("button", { name: "Delete…" }));
  expect(screen.getByRole("alertdialog")).toBeInTheDocument();
  await user.keyboard("{Escape}");
  expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Delete…" })).toHaveFocus();
});

import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { expect, it } from "vitest";
import { renderWithProviders } from "../../test/render";
import { server } from "../../test/server";
import { LegacyKeyPanel } from "./LegacyKeyPanel";

it("lists the servers on the old key and turns it off", async () => {
  const user = userEvent.setup();
  let enabled = true;
  server.use(
    http.get("*/api/v1/legacy-key", () =>
      HttpResponse.json({
        enabled,
        servers: enabled
          ? [{ server_id: "old-nas", last_heartbeat_at: "2026-12-01T03:00:00Z" }]
          : [],
      }),
    ),
    http.delete("*/api/v1/legacy-key", () => {
      enabled = false;
      return new HttpResponse(null, { status: 204 });
    }),
  );
  renderWithProviders(<LegacyKeyPanel />);
  expect(await screen.findByText(/Still using it: old-nas/)).toBeInTheDocument();

  await user.click(screen.getByRole("button", { name: "Turn off the shared key" }));
  await expect
    .poll(() => screen.queryByText("The old shared key is still accepted for heartbeats"))
    .toBeNull();
});

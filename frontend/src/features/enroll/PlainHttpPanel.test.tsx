import { screen } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { expect, it } from "vitest";
import { renderWithProviders } from "../../test/render";
import { server } from "../../test/server";
import { PlainHttpPanel } from "./PlainHttpPanel";

it("names the servers reporting over plain http", async () => {
  server.use(
    http.get("*/api/v1/agents/plain-http", () =>
      HttpResponse.json({
        servers: [{ server_id: "nas", last_heartbeat_at: "2026-12-01T03:00:00Z" }],
      }),
    ),
  );
  renderWithProviders(<PlainHttpPanel />);
  expect(await screen.findByText("Reporting over plain http")).toBeInTheDocument();
  expect(screen.getByText(/nas: their agent tokens and metrics cross the network/)).toBeVisible();
});

it("says nothing when every server reports over https", async () => {
  let asked = false;
  server.use(
    http.get("*/api/v1/agents/plain-http", () => {
      asked = true;
      return HttpResponse.json({ servers: [] });
    }),
  );
  const { container } = renderWithProviders(<PlainHttpPanel />);
  await expect.poll(() => asked).toBe(true);
  expect(container).toBeEmptyDOMElement();
});

import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { beforeEach, expect, it } from "vitest";
import { authStore } from "../../lib/auth";
import { SESSION_ENDED } from "../../lib/queryClient";
import { makeAlertSettings, makeServerSummary } from "../../test/fixtures";
import { renderWithProviders } from "../../test/render";
import { server } from "../../test/server";
import { DashboardPage } from "./DashboardPage";

// The dashboard asks whether the old shared key is still on (admins only); here it is off.
beforeEach(() => {
  server.use(
    http.get("*/api/v1/legacy-key", () => HttpResponse.json({ enabled: false, servers: [] })),
    http.get("*/api/v1/agents/plain-http", () => HttpResponse.json({ servers: [] })),
  );
});

function serveFleet(servers: ReturnType<typeof makeServerSummary>[], levels = {}) {
  server.use(
    http.get("*/api/v1/alert-settings", () => HttpResponse.json(makeAlertSettings(levels))),
    http.get("*/api/v1/servers", ({ request }) =>
      // The UI marks every call as its own; the hub refuses cookie-borne changes without it.
      request.headers.get("X-Requested-With") === "HomelabCmd"
        ? HttpResponse.json({ data: servers, count: servers.length })
        : HttpResponse.json({ error: "Forbidden", detail: "no X-Requested-With" }, { status: 403 }),
    ),
  );
}

it("tells a new install how to add an agent", async () => {
  serveFleet([]);
  renderWithProviders(<DashboardPage />);
  expect(await screen.findByRole("heading", { name: "No servers yet" })).toBeInTheDocument();
  expect(screen.getByRole("button", { name: "Add server" })).toBeInTheDocument();
});

it("shows a card per server and filters and sorts them", async () => {
  const user = userEvent.setup();
  serveFleet([
    makeServerSummary({ id: "web-1", hostname: "web-1" }),
    makeServerSummary({
      id: "nas",
      hostname: "nas",
      status: "offline",
      last_seen_at: new Date(Date.now() - 86_400_000 * 2).toISOString(),
    }),
  ]);
  renderWithProviders(<DashboardPage />);
  expect(await screen.findAllByTestId("server-card")).toHaveLength(2);
  expect(screen.getByText(/1 of 2 online/)).toBeInTheDocument();
  const names = () => screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent);
  // Needs attention first (the default sort): the offline server, then the 85 % disk.
  expect(names()).toEqual(["nas", "web-1"]);
  const [nas] = screen.getAllByTestId("attention");
  expect(nas).toHaveTextContent("Needs attention: offline, last seen 2 days ago");

  await user.selectOptions(screen.getByLabelText("Show servers by status"), "online");
  expect(names()).toEqual(["web-1"]);
  await user.selectOptions(screen.getByLabelText("Show servers by status"), "all");
  await user.type(screen.getByLabelText("Filter servers"), "na");
  expect(names()).toEqual(["nas"]);
});

it("keeps filters and sort in the URL, so reload and Back restore them", async () => {
  const user = userEvent.setup();
  serveFleet([
    makeServerSummary({ id: "b", hostname: "b-host" }),
    makeServerSummary({ id: "a", hostname: "a-host" }),
  ]);
  renderWithProviders(<DashboardPage />, { url: "/?q=host&sort=name&status=online" });
  expect(await screen.findAllByTestId("server-card")).toHaveLength(2);
  expect(screen.getByLabelText("Filter servers")).toHaveValue("host");
  expect(screen.getByLabelText("Sort servers")).toHaveValue("name");
  expect(screen.getByLabelText("Show servers by status")).toHaveValue("online");
  const names = () => screen.getAllByRole("heading", { level: 2 }).map((h) => h.textContent);
  expect(names()).toEqual(["a-host", "b-host"]);

  await user.selectOptions(screen.getByLabelText("Sort servers"), "attention");
  expect(screen.getByLabelText("Sort servers")).toHaveValue("attention");
});

it("colours a near fill date and keeps a far or tentative one calm", async () => {
  const soon = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
  const fullest = (days: number, confident: boolean) => ({
    mount_point: "/data",
    percent: 40,
    confident,
    growth_bytes_per_day: 1,
    full_at: soon(days),
    days_until_full: days,
  });
  serveFleet([
    makeServerSummary({ id: "far", hostname: "far", fullest_filesystem: fullest(1703, true) }),
    makeServerSummary({ id: "near", hostname: "near", fullest_filesystem: fullest(2, true) }),
    makeServerSummary({ id: "mid", hostname: "mid", fullest_filesystem: fullest(11, true) }),
    makeServerSummary({ id: "boot", hostname: "boot", fullest_filesystem: fullest(1247, false) }),
  ]);
  renderWithProviders(<DashboardPage />);
  const cards = await screen.findAllByTestId("server-card");
  const byName = Object.fromEntries(
    cards.map((card) => [card.querySelector("h2")?.textContent, card]),
  );
  expect(byName.near).toHaveAttribute("data-attention", "critical");
  expect(byName.mid).toHaveAttribute("data-attention", "warning");
  expect(byName.far).toHaveAttribute("data-attention", "ok");
  expect(byName.boot).toHaveAttribute("data-attention", "ok");
  expect(cards.map((c) => c.querySelector("h2")?.textContent)).toEqual([
    "near",
    "mid",
    "boot",
    "far",
  ]);
});

it("signs out and says why when the session has ended", async () => {
  server.use(
    http.get("*/api/v1/alert-settings", () => HttpResponse.json(makeAlertSettings())),
    http.get("*/api/v1/servers", () =>
      HttpResponse.json({ error: "Unauthorized", detail: "session ended" }, { status: 401 }),
    ),
  );
  renderWithProviders(<DashboardPage />);
  expect(await screen.findByText("Could not load servers")).toBeInTheDocument();
  expect(authStore.getState()).toEqual({ user: null, checked: true, notice: SESSION_ENDED });
});

it("keeps the cards on screen when a refresh fails", async () => {
  let calls = 0;
  server.use(
    http.get("*/api/v1/alert-settings", () => HttpResponse.json(makeAlertSettings())),
    http.get("*/api/v1/servers", () => {
      calls += 1;
      return calls === 1
        ? HttpResponse.json({ data: [makeServerSummary()], count: 1 })
        : HttpResponse.json(
            { error: "ServiceUnavailable", detail: "database locked" },
            { status: 503 },
          );
    }),
  );
  const { queryClient } = renderWithProviders(<DashboardPage />);
  expect(await screen.findAllByTestId("server-card")).toHaveLength(1);
  await queryClient.refetchQueries();
  expect(await screen.findByRole("alert")).toHaveTextContent(
    /The hub answered with an error \(503: database locked\) — showing data from .*just now/,
  );
  expect(screen.getAllByTestId("server-card")).toHaveLength(1);
});

it("colours by the alert levels the hub has in force", async () => {
  const soon = new Date(Date.now() + 20 * 86_400_000).toISOString();
  const fullest = {
    mount_point: "/data",
    percent: 40,
    confident: true,
    growth_bytes_per_day: 1,
    full_at: soon,
    days_until_full: 20,
  };
  // Full in 20 days is calm on the built-in 14 days, amber with a 30-day warning level.
  serveFleet([makeServerSummary({ fullest_filesystem: fullest })], { warn_days: 30 });
  renderWithProviders(<DashboardPage />);
  const card = await screen.findByTestId("server-card");
  await waitFor(() => expect(card).toHaveAttribute("data-attention", "warning"));
  expect(screen.getByTestId("fullest-forecast")).toHaveClass("level--warning");
});

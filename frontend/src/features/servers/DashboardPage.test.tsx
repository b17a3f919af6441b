import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { expect, it } from "vitest";
import { authStore } from "../../lib/auth";
import { SESSION_ENDED } from "../../lib/queryClient";
import { makeServerSummary } from "../../test/fixtures";
import { serveFleet } from "../../test/hub";
import { renderWithProviders } from "../../test/render";
import { server } from "../../test/server";
import { DashboardPage } from "./DashboardPage";

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

it("judges offline by the hub's threshold once the hub answers", async () => {
  // Heard from two minutes ago: online under the built-in 180 s, offline under the hub's 60 s.
  const twoMinutes = new Date(Date.now() - 120_000).toISOString();
  server.use(
    http.get("*/api/v1/system/health", () =>
      HttpResponse.json({
        status: "ok",
        version: "1",
        database: "ok",
        offline_after_seconds: 60,
      }),
    ),
  );
  serveFleet([
    makeServerSummary({ id: "nas", last_seen_at: twoMinutes, latest_heartbeat_at: twoMinutes }),
  ]);
  renderWithProviders(<DashboardPage />);
  expect(await screen.findByText(/0 of 1 online/)).toBeInTheDocument();
  expect(screen.getByTestId("attention")).toHaveTextContent("offline, last seen 2 min ago");
});

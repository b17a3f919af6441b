import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { http, HttpResponse } from "msw";
import { afterEach, expect, it, vi } from "vitest";
import { authStore } from "../../lib/auth";
import { renderWithProviders } from "../../test/render";
import { server } from "../../test/server";
import { REQUEST_POLL_MS } from "./queries";
import type { FilesystemUsage, UsageScanLatest, UsageScanRequestProgress } from "./types";
import { WhatGrew } from "./WhatGrew";

const GIB = 1024 ** 3;
const USAGE_URL = "*/api/v1/servers/nas/filesystems/usage";
const SCANS_URL = "*/api/v1/servers/nas/filesystems/usage-scans";

function latestScan(overrides: Partial<UsageScanLatest> = {}): UsageScanLatest {
  return {
    taken_at: "2026-12-06T21:00:12Z",
    started_at: "2026-12-06T21:00:00Z",
    duration_seconds: 12.5,
    entries: 123_456,
    unreadable: 0,
    stopped_by: null,
    links_over_budget: 0,
    error: null,
    total_bytes: 900 * GIB,
    // bytes == other_bytes + the listed children's bytes, as the contract says.
    directories: [
      { path: "/srv", bytes: 900 * GIB, other_bytes: 50 * GIB },
      { path: "/srv/frigate", bytes: 600 * GIB, other_bytes: 10 * GIB },
      { path: "/srv/docker", bytes: 200 * GIB, other_bytes: 200 * GIB },
      { path: "/srv/my files", bytes: 50 * GIB, other_bytes: 50 * GIB },
      { path: "/srv/frigate/recordings", bytes: 590 * GIB, other_bytes: 590 * GIB },
    ],
    ...overrides,
  };
}

function usage(overrides: Partial<FilesystemUsage> = {}): FilesystemUsage {
  const latest = latestScan();
  const { directories: _directories, ...summary } = latest;
  return {
    mount_point: "/srv",
    latest,
    previous: { ...summary, taken_at: "2026-12-01T21:00:10Z", total_bytes: 848 * GIB },
    growth: [
      { path: "/srv", bytes_then: 848 * GIB, bytes_now: 900 * GIB, change: 52 * GIB },
      // Nearly all of /srv/frigate's growth is in its recordings: named there, once.
      { path: "/srv/frigate", bytes_then: 554 * GIB, bytes_now: 600 * GIB, change: 46 * GIB },
      {
        path: "/srv/frigate/recordings",
        bytes_then: 545 * GIB,
        bytes_now: 590 * GIB,
        change: 45 * GIB,
      },
      { path: "/srv/docker", bytes_then: 194 * GIB, bytes_now: 200 * GIB, change: 6 * GIB },
      { path: "/srv/my files", bytes_then: 52 * GIB, bytes_now: 50 * GIB, change: -2 * GIB },
    ],
    growth_basis: "complete",
    growth_note: null,
    request: null,
    scans: [
      {
        taken_at: "2026-12-06T21:00:12Z",
        duration_seconds: 12.5,
        entries: 123_456,
        stopped_by: null,
        links_over_budget: 0,
        error: null,
      },
      {
        taken_at: "2026-12-01T21:00:10Z",
        duration_seconds: 10,
        entries: 120_000,
        stopped_by: null,
        links_over_budget: 0,
        error: null,
      },
    ],
    ...overrides,
  };
}

/** Answers the usage of /srv on server nas; returns the mount points the panel asked for. */
function serveUsage(answer: () => FilesystemUsage) {
  const asked: string[] = [];
  server.use(
    http.get(USAGE_URL, ({ request }) => {
      asked.push(new URL(request.url).searchParams.get("mount_point") ?? "");
      return HttpResponse.json(answer());
    }),
  );
  return asked;
}

const readOnly = () =>
  authStore.signedIn({ name: "viewer", role: "read", kind: "session", expires_at: null });

afterEach(() => {
  vi.useRealTimers();
});

it("names the directories that grew most, largest first, each with its bar", async () => {
  const asked = serveUsage(() => usage());
  renderWithProviders(<WhatGrew serverId="nas" mountPoint="/srv" />);
  const rows = await screen.findAllByTestId("grower");
  expect(asked[0]).toBe("/srv");
  // Growers largest first, then the shrinker; /srv is the total and /srv/frigate is named by
  // its recordings.
  expect(rows.map((r) => r.dataset.path)).toEqual([
    "/srv/frigate/recordings",
    "/srv/docker",
    "/srv/my files",
  ]);
  expect(rows[0]).toHaveTextContent("+45.0 GiB");
  expect(rows[0]).toHaveTextContent("545.0 GiB → 590.0 GiB");
  expect(rows[2]).toHaveTextContent("-2.0 GiB");
  expect(rows[2]).toHaveClass("usage-growth__row--shrank");
  // Bars scale to the largest change shown.
  const widths = rows.map((r) => parseFloat(within(r).getByTestId("grower-bar").style.width));
  expect(widths).toEqual([100, 13.3, 4.4]);
  expect(screen.getByTestId("growth-total")).toHaveTextContent("+52.0 GiB in total");
  expect(screen.getByTestId("scan-facts")).toHaveTextContent("took 13 s · 123,456 entries");
});

it("opens the tree of the latest scan directory by directory, with shares and what is left over", async () => {
  serveUsage(() => usage());
  const user = userEvent.setup();
  renderWithProviders(<WhatGrew serverId="nas" mountPoint="/srv" />);
  const tree = await screen.findByRole("list", { name: "Latest scan" });
  // The root is open: its children largest first, each with its share of /srv.
  const top = within(tree)
    .getAllByTestId("usage-dir")
    .map((d) => d.dataset.path);
  expect(top).toEqual(["/srv", "/srv/frigate", "/srv/docker", "/srv/my files"]);
  const frigate = within(tree).getByRole("button", { name: "frigate" });
  expect(frigate).toHaveAttribute("aria-expanded", "false");
  const frigateRow = frigate.closest("li")!;
  expect(frigateRow).toHaveTextContent("600.0 GiB");
  expect(frigateRow).toHaveTextContent("67 %");
  expect(frigateRow).toHaveTextContent("+46.0 GiB");
  expect(within(tree).queryByText("recordings")).toBeNull();

  await user.click(frigate);
  expect(frigate).toHaveAttribute("aria-expanded", "true");
  const recordings = within(frigateRow).getByText("recordings").closest("li")!;
  expect(recordings).toHaveTextContent("590.0 GiB");
  expect(recordings).toHaveTextContent("98 %");
  // What no listed subdirectory holds: /srv/frigate's own 10 GiB.
  const other = within(frigateRow).getByTestId("usage-other");
  expect(other).toHaveTextContent("other (files here and smaller directories)");
  expect(other).toHaveTextContent("10.0 GiB");

  await user.click(frigate);
  expect(within(tree).queryByText("recordings")).toBeNull();
});

it("shows paths as text: markup in a directory name is never HTML", async () => {
  const odd = "/srv/<img src=x onerror=alert(1)> é\\xff";
  serveUsage(() =>
    usage({
      latest: latestScan({
        directories: [
          { path: "/srv", bytes: 10 * GIB, other_bytes: 4 * GIB },
          { path: odd, bytes: 6 * GIB, other_bytes: 6 * GIB },
        ],
      }),
      growth: [{ path: odd, bytes_then: 1 * GIB, bytes_now: 6 * GIB, change: 5 * GIB }],
    }),
  );
  const { container } = renderWithProviders(<WhatGrew serverId="nas" mountPoint="/srv" />);
  const [row] = await screen.findAllByTestId("grower");
  expect(row).toHaveTextContent(odd);
  expect(screen.getByText("<img src=x onerror=alert(1)> é\\xff")).toBeInTheDocument();
  expect(container.querySelector("img")).toBeNull();
});

it("says plainly when a budget stopped the scan, and counts the unreadable directories", async () => {
  serveUsage(() =>
    usage({ latest: latestScan({ stopped_by: "time", duration_seconds: 300.2, unreadable: 3 }) }),
  );
  renderWithProviders(<WhatGrew serverId="nas" mountPoint="/srv" />);
  expect(await screen.findByTestId("scan-partial")).toHaveTextContent(
    "partial: stopped at the 5-minute budget",
  );
  expect(screen.getByTestId("scan-unreadable")).toHaveTextContent(
    "3 directories could not be read",
  );
});

it("shows the hub's reason instead of growth when the latest scan is partial", async () => {
  const note = "The latest scan is partial (its time budget stopped it): no growth is shown.";
  serveUsage(() =>
    usage({
      latest: latestScan({ stopped_by: "time", duration_seconds: 300.2 }),
      previous: null,
      growth: [],
      growth_basis: "latest_partial",
      growth_note: note,
    }),
  );
  renderWithProviders(<WhatGrew serverId="nas" mountPoint="/srv" />);
  expect(await screen.findByTestId("growth-note")).toHaveTextContent(note);
  expect(screen.queryByTestId("first-scan")).toBeNull();
  expect(screen.queryAllByTestId("grower")).toHaveLength(0);
});

it("says so when the newest scan failed, keeps the tree of the last one that ran, and offers to try again", async () => {
  const failed = {
    taken_at: "2026-12-07T09:00:00Z",
    duration_seconds: 0,
    entries: 0,
    stopped_by: null,
    links_over_budget: 0,
    error: "already scanning /data",
  };
  serveUsage(() => usage({ scans: [failed, ...(usage().scans ?? [])] }));
  renderWithProviders(<WhatGrew serverId="nas" mountPoint="/srv" />);
  const alert = await screen.findByRole("alert");
  expect(alert).toHaveTextContent("The last scan failed");
  expect(within(alert).getByTestId("scan-error")).toHaveTextContent("already scanning /data");
  // The tree and the growth are the last scans that ran.
  expect(screen.getByRole("list", { name: "Latest scan" })).toBeInTheDocument();
  expect(screen.getAllByTestId("grower")).toHaveLength(3);
  expect(screen.getByRole("button", { name: "Find what grew" })).toBeEnabled();
});

it("says why a filesystem has no scan when its only one could not run", async () => {
  serveUsage(() =>
    usage({
      latest: null,
      previous: null,
      growth: [],
      scans: [
        {
          taken_at: "2026-12-07T09:00:00Z",
          duration_seconds: 0,
          entries: 0,
          stopped_by: null,
          links_over_budget: 0,
          error:
            "nfs4 is a network filesystem: scans of /srv are not enabled in the agent's config",
        },
      ],
    }),
  );
  renderWithProviders(<WhatGrew serverId="nas" mountPoint="/srv" />);
  expect(await screen.findByTestId("usage-empty")).toHaveTextContent(
    "No scan of this filesystem has succeeded yet.",
  );
  expect(screen.getByTestId("scan-error")).toHaveTextContent(
    "scans of /srv are not enabled in the agent's config",
  );
  expect(screen.queryByRole("list", { name: "Latest scan" })).toBeNull();
});

it("explains a scan on a filesystem never scanned and offers the button", async () => {
  serveUsage(() => usage({ latest: null, previous: null, growth: [], request: null, scans: [] }));
  renderWithProviders(<WhatGrew serverId="nas" mountPoint="/srv" />);
  const empty = await screen.findByTestId("usage-empty");
  expect(empty).toHaveTextContent("has not been scanned yet");
  expect(empty).toHaveTextContent("never crossing into other mounts");
  expect(screen.getByRole("button", { name: "Find what grew" })).toBeEnabled();
});

it("hides the button from read-only accounts", async () => {
  serveUsage(() => usage({ latest: null, previous: null, growth: [], request: null, scans: [] }));
  renderWithProviders(<WhatGrew serverId="nas" mountPoint="/srv" />, { signedIn: false });
  readOnly();
  expect(await screen.findByTestId("usage-empty")).toBeInTheDocument();
  expect(screen.getByText("An admin can ask the agent for a scan.")).toBeInTheDocument();
  expect(screen.queryByRole("button", { name: "Find what grew" })).toBeNull();
});

it("asks for a scan, shows it waiting then scanning while it polls, then the result", async () => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  const before = usage({ latest: null, previous: null, growth: [], scans: [] });
  const requested = new Date(Date.now() - 10_000).toISOString();
  const open: UsageScanRequestProgress = {
    id: "9f2c",
    mount_point: "/srv",
    requested_at: requested,
    requested_by: "person",
    state: "pending",
    started_at: null,
    entries: null,
  };
  // What the hub answers, as the agent moves on: the test moves it, then waits a poll.
  let answer: FilesystemUsage = before;
  serveUsage(() => answer);
  const posted: unknown[] = [];
  server.use(
    http.post(SCANS_URL, async ({ request }) => {
      posted.push(await request.json());
      answer = { ...before, request: open };
      const { started_at: _s, entries: _e, ...body } = open;
      return HttpResponse.json(body, { status: 202 });
    }),
  );
  const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
  renderWithProviders(<WhatGrew serverId="nas" mountPoint="/srv" />);
  const button = await screen.findByRole("button", { name: "Find what grew" });
  await user.click(button);
  expect(posted).toEqual([{ mount_point: "/srv" }]);

  const progress = await screen.findByTestId("scan-progress");
  expect(progress).toHaveTextContent(
    /^requested 1\d s ago, waiting for the agent's next heartbeat$/,
  );
  expect(screen.getByRole("button", { name: "Find what grew" })).toBeDisabled();

  answer = {
    ...before,
    request: { ...open, state: "running", started_at: new Date().toISOString(), entries: 45_678 },
  };
  await vi.advanceTimersByTimeAsync(REQUEST_POLL_MS);
  await waitFor(() =>
    expect(screen.getByTestId("scan-progress")).toHaveTextContent(
      /^scanning: 45,678 entries so far, started \d+ s ago$/,
    ),
  );

  answer = usage({ previous: null, growth: [], scans: usage().scans?.slice(0, 1) });
  await vi.advanceTimersByTimeAsync(REQUEST_POLL_MS);
  expect(await screen.findByRole("list", { name: "Latest scan" })).toBeInTheDocument();
  expect(screen.queryByTestId("scan-progress")).toBeNull();
  expect(screen.getByTestId("first-scan")).toHaveTextContent("the next one shows what grew since");
  expect(screen.getByRole("button", { name: "Find what grew" })).toBeEnabled();
});

it("shows the hub's refusal when a scan cannot be asked for", async () => {
  serveUsage(() => usage());
  server.use(
    http.post(SCANS_URL, () =>
      HttpResponse.json(
        { error: "FilesystemNotFound", detail: "no filesystem /srv on nas" },
        { status: 404 },
      ),
    ),
  );
  const user = userEvent.setup();
  renderWithProviders(<WhatGrew serverId="nas" mountPoint="/srv" />);
  await user.click(await screen.findByRole("button", { name: "Find what grew" }));
  expect(await screen.findByRole("alert")).toHaveTextContent("no filesystem /srv on nas");
  expect(screen.queryByTestId("scan-progress")).toBeNull();
});

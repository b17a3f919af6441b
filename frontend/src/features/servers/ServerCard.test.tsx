import { screen } from "@testing-library/react";
import { expect, it } from "vitest";
import { makeServerSummary } from "../../test/fixtures";
import { renderWithProviders } from "../../test/render";
import { ServerCard } from "./ServerCard";

it("shows name, status, CPU, memory and the fullest filesystem with its fill date", () => {
  renderWithProviders(<ServerCard server={makeServerSummary({ display_name: "Web server" })} />);
  expect(screen.getByRole("link", { name: "Web server" })).toHaveAttribute(
    "href",
    "/servers/web-1",
  );
  expect(screen.getByText("Online")).toBeInTheDocument();
  expect(screen.getByText("13 %")).toBeInTheDocument();
  expect(screen.getByText("48 %")).toBeInTheDocument();
  // The hub serves sizes in bytes: 3932 MiB used of 8192 MiB.
  expect(screen.getByText("3.8 GiB / 8.0 GiB")).toBeInTheDocument();
  expect(screen.getByText("/data")).toBeInTheDocument();
  expect(screen.getByText("85.5 %")).toBeInTheDocument();
  expect(screen.getByText(/full in 12 days/)).toBeInTheDocument();
  expect(screen.getByRole("meter", { name: "/data on Web server used" })).toHaveAttribute(
    "data-level",
    "warning",
  );
});

it("shows an offline server with when it was last seen", () => {
  const lastSeen = new Date(Date.now() - 3 * 3600_000).toISOString();
  renderWithProviders(
    <ServerCard server={makeServerSummary({ status: "offline", last_seen_at: lastSeen })} />,
  );
  expect(screen.getByText("Offline")).toBeInTheDocument();
  expect(screen.getByText(/^last seen/)).toHaveTextContent("last seen 3 h ago");
  expect(screen.getByTestId("attention")).toHaveTextContent("offline, last seen 3 h ago");
  expect(screen.getByRole("link", { name: "web-1.lan" })).toBeInTheDocument();
});

it("waits for metrics on a server that has sent none", () => {
  renderWithProviders(
    <ServerCard server={makeServerSummary({ latest_metrics: null, fullest_filesystem: null })} />,
  );
  expect(screen.getByText("Waiting for the first metrics.")).toBeInTheDocument();
  expect(screen.queryByRole("meter")).not.toBeInTheDocument();
});

it("names the disk that fills first when it is not the fullest one", () => {
  const server = makeServerSummary();
  const soon = new Date(Date.now() + 4 * 86_400_000).toISOString();
  renderWithProviders(
    <ServerCard
      server={{
        ...server,
        soonest_full_filesystem: {
          mount_point: "/var/lib/docker",
          confident: false,
          percent: 40,
          growth_bytes_per_day: 10 * 1024 ** 3,
          full_at: soon,
          days_until_full: 4,
        },
      }}
    />,
  );
  expect(screen.getByTestId("fills-first")).toHaveTextContent(
    /Fills first: \/var\/lib\/docker, full in 4 days/,
  );
});

it("says the disk that fills first fills with its pool when the hub dates it so", () => {
  const server = makeServerSummary();
  renderWithProviders(
    <ServerCard
      server={{
        ...server,
        soonest_full_filesystem: {
          mount_point: "/tank/a",
          confident: true,
          percent: 30,
          growth_bytes_per_day: 3 * 1024 ** 3,
          full_at: new Date(Date.now() + 172.5 * 86_400_000).toISOString(),
          days_until_full: 172.5,
          fill_source: "domain",
          fill_domain: "zfs:tank",
          fill_domain_label: "pool tank",
        },
      }}
    />,
  );
  expect(screen.getByTestId("fills-first")).toHaveTextContent(
    /^Fills first: \/tank\/a, fills with pool tank in 172 days \(/,
  );
});

it("says nothing more when the fullest disk is also the one filling first", () => {
  const server = makeServerSummary();
  renderWithProviders(
    <ServerCard server={{ ...server, soonest_full_filesystem: server.fullest_filesystem }} />,
  );
  expect(screen.queryByTestId("fills-first")).not.toBeInTheDocument();
});

it("flags missing mounts in red and counts storage once per pool", () => {
  const GIB = 1024 ** 3;
  renderWithProviders(
    <ServerCard
      server={makeServerSummary({
        missing_filesystem_count: 2,
        capacity: {
          domain_count: 2,
          total_bytes: 2500 * GIB,
          used_bytes: 2200 * GIB,
          available_bytes: 300 * GIB,
        },
      })}
    />,
  );
  expect(screen.getByTestId("missing-mounts")).toHaveTextContent("2 missing mounts");
  expect(screen.getByTestId("storage")).toHaveTextContent(
    "Storage: 2.1 TiB of 2.4 TiB in 2 pools and disks",
  );
});

it("says nothing about missing mounts when there are none", () => {
  renderWithProviders(<ServerCard server={makeServerSummary()} />);
  expect(screen.queryByTestId("missing-mounts")).toBeNull();
});

it("calls a server offline by the age of its data, whatever the last answer said", () => {
  const lastSeen = new Date(Date.now() - 20 * 60_000).toISOString();
  renderWithProviders(
    <ServerCard
      server={makeServerSummary({
        status: "online",
        last_seen_at: lastSeen,
        latest_heartbeat_at: lastSeen,
      })}
    />,
  );
  expect(screen.getByText("Offline")).toBeInTheDocument();
  expect(screen.getByTestId("server-card")).toHaveAttribute("data-attention", "critical");
});

it("flags a stale server whose newest data is old", () => {
  renderWithProviders(
    <ServerCard
      server={makeServerSummary({
        last_seen_at: new Date(Date.now() - 20_000).toISOString(),
        latest_heartbeat_at: new Date(Date.now() - 15 * 60_000).toISOString(),
      })}
    />,
  );
  expect(screen.getByText("Stale")).toBeInTheDocument();
  expect(screen.getByTestId("attention")).toHaveTextContent("no new data since 15 min ago");
});

it("colours the fullest disk by its own mount rule: an expected-full backup stays calm", () => {
  const server = makeServerSummary();
  const backup = {
    ...server.fullest_filesystem!,
    mount_point: "/mnt/backup",
    percent: 97,
    total_bytes: 1000 * 1024 ** 3,
    used_bytes: 970 * 1024 ** 3,
    available_bytes: 30 * 1024 ** 3,
    full_at: null,
    days_until_full: null,
  };
  const levels = {
    mode: "expected_full",
    warn_percent: 85,
    crit_percent: 95,
    warn_free_bytes: null,
    crit_free_bytes: null,
    warn_days: 14,
    crit_days: 3,
    clear_margin_percent: 5,
    inodes_warn_percent: 90,
    inodes_crit_percent: 95,
  } as const;
  const { unmount } = renderWithProviders(
    <ServerCard server={{ ...server, fullest_filesystem: backup }} />,
  );
  const meter = () => screen.getByRole("meter", { name: "/mnt/backup on web-1.lan used" });
  expect(meter()).toHaveAttribute("data-level", "warning");
  unmount();

  renderWithProviders(
    <ServerCard server={{ ...server, fullest_filesystem: { ...backup, levels } }} />,
  );
  expect(meter()).toHaveAttribute("data-level", "ok");
  expect(screen.queryByTestId("attention")).not.toBeInTheDocument();
});

import { screen, within } from "@testing-library/react";
import { expect, it } from "vitest";
import { makeServerRead } from "../../test/fixtures";
import { renderWithProviders } from "../../test/render";
import { SystemInfoCard } from "./SystemInfoCard";

it("lists the host's facts", () => {
  renderWithProviders(<SystemInfoCard server={makeServerRead()} />);
  expect(screen.getByText("Hostname")).toBeInTheDocument();
  expect(screen.queryByRole("alert")).not.toBeInTheDocument();
});

it("shows each collector the agent reports as failing, with its reason", () => {
  const server = makeServerRead({ collector_errors: { metrics: "psutil: no /proc/stat" } });
  renderWithProviders(<SystemInfoCard server={server} />);
  const alert = screen.getByRole("alert");
  expect(within(alert).getByText("The agent could not collect everything")).toBeInTheDocument();
  expect(alert).toHaveTextContent("metrics: psutil: no /proc/stat");
});

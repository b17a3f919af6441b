import { screen } from "@testing-library/react";
import { http, HttpResponse } from "msw";
import { expect, it } from "vitest";
import { renderWithProviders } from "../../test/render";
import { server } from "../../test/server";
import { VersionFooter } from "./VersionFooter";

it("shows the version the hub reports", async () => {
  server.use(
    http.get("*/api/v1/system/health", () =>
      HttpResponse.json({ status: "ok", version: "7.8.9", database: "ok" }),
    ),
  );
  renderWithProviders(<VersionFooter />, { signedIn: false });
  expect(await screen.findByText("HomelabCmd v7.8.9")).toBeInTheDocument();
});

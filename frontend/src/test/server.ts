import { http, HttpResponse } from "msw";
import { setupServer } from "msw/node";

/**
 * The network for component tests: every test adds the handlers it needs. The hub's health
 * (version, offline threshold) answers by default, as every page reads it.
 */
export const server = setupServer(
  http.get("*/api/v1/system/health", () =>
    HttpResponse.json({
      status: "ok",
      version: "0.0.0-test",
      database: "ok",
      offline_after_seconds: 180,
    }),
  ),
);

import "@testing-library/jest-dom/vitest";
import { cleanup, configure } from "@testing-library/react";
import { afterAll, afterEach, beforeAll, vi } from "vitest";
import { authStore } from "../lib/auth";
import { server } from "./server";

// uPlot draws on a canvas jsdom does not have; charts are checked through their data instead.
vi.mock("uplot", () => {
  class FakePlot {
    static instances: FakePlot[] = [];
    data: unknown;
    constructor(
      public opts: unknown,
      data: unknown,
      public target: HTMLElement,
    ) {
      this.data = data;
      target.setAttribute("data-points", String((data as unknown[][])[0]?.length ?? 0));
      FakePlot.instances.push(this);
    }
    setData(data: unknown) {
      this.data = data;
      this.target.setAttribute("data-points", String((data as unknown[][])[0]?.length ?? 0));
    }
    setSize() {}
    destroy() {}
  }
  return { default: FakePlot };
});

class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoopResizeObserver as unknown as typeof ResizeObserver;

// findBy* waits up to 1 s by default; on a loaded machine a first render can take longer.
configure({ asyncUtilTimeout: 10_000 });

beforeAll(() => server.listen({ onUnhandledRequest: "error" }));
afterEach(() => {
  cleanup();
  server.resetHandlers();
  window.localStorage.clear();
  authStore.reset();
});
afterAll(() => server.close());

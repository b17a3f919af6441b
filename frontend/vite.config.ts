/// <reference types="vitest/config" />
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// The dev server forwards API calls to a hub on its default port (override with HOMELAB_UI_HUB_URL).
const hubUrl = process.env.HOMELAB_UI_HUB_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { "/api": { target: hubUrl, changeOrigin: false } },
  },
  build: { outDir: "dist", sourcemap: true },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    restoreMocks: true,
    // Generous for a loaded CI machine; speed is measured by `make bench`, never by tests.
    testTimeout: 20_000,
  },
});

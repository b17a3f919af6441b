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
    // Generous limits: the suite often shares two cores with other builds, and a timeout there
    // says nothing about the UI. Real slowness is measured by `make bench`.
    testTimeout: 30_000,
  },
});

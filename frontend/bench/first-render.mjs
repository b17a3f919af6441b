// `make bench`: time to first render of the server page with 200 filesystems in headless
// Chromium. Starts its own hub on a temporary database, seeds one server, loads the page a few
// times in fresh browser contexts (cold cache) and prints the median.
//
// "First render" is the moment, counted from navigation start, at which all 200 filesystem rows
// are in the page; the time until the selected filesystem's history chart is drawn is printed too.
import { chromium } from "@playwright/test";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { signInContext, startHub } from "../e2e/hub.mjs";
import { SEEDED_MOUNTS, seedHub } from "../e2e/seed.mjs";

const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];
const LOADS = Number(process.env.BENCH_LOADS ?? 7);
const SERVER_ID = "bench-200fs";
const TARGET_MS = 1000;

if (!existsSync(fileURLToPath(new URL("../dist/index.html", import.meta.url)))) {
  console.error("frontend/dist is missing: run 'make ui' first.");
  process.exit(1);
}

/** Records when the page first holds every filesystem row, and when the chart canvas appears. */
function recordFirstRender(expected) {
  const marks = {};
  window.__benchMarks = marks;
  const observer = new MutationObserver(() => {
    if (
      marks.rows === undefined &&
      document.querySelectorAll('[data-testid="filesystem-row"]').length >= expected
    ) {
      marks.rows = performance.now();
    }
    if (
      marks.chart === undefined &&
      document.querySelector('[data-testid="filesystem-chart"] canvas')
    ) {
      marks.chart = performance.now();
    }
    if (marks.rows !== undefined && marks.chart !== undefined) observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const hub = await startHub();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
try {
  await seedHub(hub.url, hub.apiKey, { serverId: SERVER_ID, hours: 24 });
  const rows = [];
  const charts = [];
  for (let i = 0; i < LOADS + 1; i += 1) {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await signInContext(context, hub.url, hub.admin);
    await context.addInitScript(recordFirstRender, SEEDED_MOUNTS.length);
    const page = await context.newPage();
    await page.goto(`${hub.url}/servers/${SERVER_ID}`);
    await page.waitForFunction(
      () => window.__benchMarks?.rows !== undefined && window.__benchMarks?.chart !== undefined,
      null,
      { timeout: 30_000 },
    );
    const marks = await page.evaluate(() => window.__benchMarks);
    await context.close();
    if (i === 0) continue; // the first load warms the hub and the OS file cache
    rows.push(marks.rows);
    charts.push(marks.chart);
  }
  const rowsMedian = median(rows);
  const fmt = (ms) => `${ms.toFixed(0)} ms`;
  console.log(
    `UI first render, server page with ${SEEDED_MOUNTS.length} filesystems (headless Chromium, cold cache, ${LOADS} loads):`,
  );
  console.log(
    `  all rows rendered: median ${fmt(rowsMedian)} (min ${fmt(Math.min(...rows))}, max ${fmt(Math.max(...rows))})`,
  );
  console.log(
    `  history chart drawn: median ${fmt(median(charts))} (min ${fmt(Math.min(...charts))}, max ${fmt(Math.max(...charts))})`,
  );
  console.log(`  target < ${TARGET_MS} ms: ${rowsMedian < TARGET_MS ? "met" : "MISSED"}`);
} finally {
  await browser.close();
  await hub.stop();
}
